"""Review commands through the real command line: users and their tokens, exports with the review
status, export-gold and evaluate --reviewed round-tripping, and re-ingest / recode / a changed
document with the real pipeline."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.store import EventFilter, Reviews, Store, Users, change_from_json
from support.records import plover

ROOT = Path(__file__).resolve().parents[2]
BAGHDAD = {"resolved_place": "Baghdad", "geonameid": 98182, "lat": 33.3406, "lon": 44.4009,
           "country_code": "IRQ", "province": "Baghdad", "resolution": 4}  # fmt: skip


def _run(*args: str, code: int = 0):
    res = CliRunner().invoke(app, list(args))
    assert res.exit_code == code, res.output
    return res


def test_users_add_prints_the_token_alone_on_its_last_line(tmp_path):
    db = str(tmp_path / "u.sqlite")
    res = _run("users", "add", "alice", "--role", "reviewer", "--db", db)
    lines = res.stdout.splitlines()
    assert len(lines) == 1 and lines[-1].startswith("ew_")
    token = lines[-1]
    assert "shown this once" in res.stderr
    with Store(db) as s:
        assert Users(s).authenticate(token).name == "alice"
    assert "alice" in _run("users", "list", "--db", db).stdout
    _run("users", "add", "alice", "--role", "reader", "--db", db, code=2)
    _run("users", "add", "bob", "--role", "admin", "--db", db, code=2)
    _run("users", "revoke", "alice", "--db", db)
    _run("users", "revoke", "alice", "--db", db, code=1)
    with Store(db) as s:
        assert Users(s).authenticate(token) is None


def _reviewed_store(db: str, ew) -> dict[str, str]:
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        rv = Reviews(s)
        ids = {"a": ew.taji_a()[1][0].id, "b": ew.taji_b()[1][0].id, "c": ew.basra()[1][0].id}
        rv.apply(ids["a"], "alice", change_from_json({"place": BAGHDAD, "dead": 4}))
        rv.apply(ids["b"], "alice", change_from_json({"status": "confirmed"}))
        rv.apply(ids["c"], "bob", change_from_json({"status": "rejected"}))
    return ids


def test_exports_carry_the_review(tmp_path, ew):
    db = str(tmp_path / "x.sqlite")
    ids = _reviewed_store(db, ew)
    plover = [json.loads(x) for x in _run("events", "--db", db, "--format", "plover").stdout.splitlines()]
    by_id = {e["id"]: e for e in plover}
    assert set(by_id) == {ids["a"], ids["b"]}  # the rejected one is left out
    assert by_id[ids["a"]]["review"]["status"] == "corrected" and by_id[ids["a"]]["size"]["dead"] == 4
    rows = list(csv.DictReader(io.StringIO(_run("events", "--db", db, "--format", "csv", "--review", "corrected,rejected").stdout)))
    assert {(r["event_id_cnty"], r["review_status"], r["reviewed_by"]) for r in rows} == {
        (ids["a"], "corrected", "alice"), (ids["c"], "rejected", "bob")}
    a = next(r for r in rows if r["event_id_cnty"] == ids["a"])
    assert a["fatalities"] == "4" and a["location"] == "Baghdad" and a["reviewed_at"].endswith("Z")
    _run("events", "--db", db, "--review", "maybe", code=2)
    _run("events", "--db", db, "--review", "confirmed", "--canonical", code=2)


def _gold_as_predictions(gold_path: Path, out: Path) -> Path:
    with out.open("w", encoding="utf-8") as fh:
        for line in gold_path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for ev in rec["events"] + rec["unreviewed"]:
                fh.write(json.dumps({**ev, "doc_id": rec["doc_id"]}) + "\n")
    return out


def _f1s(result: dict) -> dict[str, float | None]:
    (ds,) = result["datasets"].values()
    return {k: v["f1"] for k, v in ds["fields"].items() if v["tp"] + v["fp"] + v["fn"]}


def test_export_gold_and_evaluate_reviewed_round_trip(tmp_path, ew):
    db = str(tmp_path / "x.sqlite")
    _reviewed_store(db, ew)
    out = tmp_path / "gold"
    res = _run("export-gold", str(out), "--db", db, "--coder")
    assert "3 reviewed documents, 2 gold events" in res.stderr
    gold = [json.loads(x) for x in (out / "reviews.gold.jsonl").read_text().splitlines()]
    assert [len(g["events"]) for g in gold] == [1, 1, 0]  # corrected, confirmed, rejected
    docs = [json.loads(x) for x in (out / "reviews.docs.jsonl").read_text().splitlines()]
    assert [d["id"] for d in docs] == ["wire-a", "wire-b", "wire-c"]
    # the exported reviews score 1.0 against themselves, on every field they carry
    preds = _gold_as_predictions(out / "reviews.gold.jsonl", tmp_path / "self.jsonl")
    self_score = json.loads(_run("evaluate", str(out / "reviews.gold.jsonl"), "--predictions", str(preds), "--json").stdout)
    f1 = _f1s(self_score)
    assert {"event_type", "dead", "place", "date", "location_country"} <= f1.keys()
    assert all(v == 1.0 for v in f1.values()), f1
    # the coder's own output, before any correction, scores below that
    coder = json.loads(_run("evaluate", str(out / "reviews.gold.jsonl"), "--predictions",
                            str(out / "reviews.coder.jsonl"), "--json").stdout)  # fmt: skip
    cf1 = _f1s(coder)
    assert cf1["dead"] < 1.0 and cf1["place"] < 1.0 and cf1["event_type"] < 1.0  # the rejected event counts against it
    # evaluate --reviewed does the same from the store, saying what it scored
    reviewed = json.loads(_run("evaluate", "--reviewed", "--db", db, "--json").stdout)
    assert _f1s(reviewed) == cf1
    assert reviewed["reviews"]["corrected_fields"] == {"place": 1, "dead": 1}
    assert reviewed["predictions"] == "stored"
    text = _run("evaluate", "--reviewed", "--db", db).stdout
    assert "3 events reviewed (1 confirmed, 1 corrected, 1 rejected" in text
    _run("evaluate", "--db", db, code=2)
    _run("evaluate", str(out / "reviews.gold.jsonl"), "--reviewed", code=2)
    empty = str(tmp_path / "empty.sqlite")
    with Store(empty):
        pass
    _run("export-gold", str(tmp_path / "none"), "--db", empty, code=1)


@pytest.mark.slow
def test_reingest_recode_and_a_changed_document_with_the_real_pipeline(tmp_path, seed_db):
    db = tmp_path / "seed.sqlite"
    shutil.copy(seed_db, db)
    with Store(str(db)) as s:
        assaults = [e for e in plover(s.iter_events(EventFilter(event_type="ASSAULT"))) if (e["size"] or {}).get("dead")]
        target = assaults[0]
        rv = Reviews(s)
        rv.apply(target["id"], "alice", change_from_json({"dead": target["size"]["dead"] + 10, "place": BAGHDAD}))
        other = next(e for e in plover(s.iter_events()) if e["id"] != target["id"])
        rv.apply(other["id"], "alice", change_from_json({"status": "confirmed"}))
        before = {e["id"]: e for e in plover(s.iter_events())}
    seed = ROOT / "examples" / "seed.jsonl"
    # the same document again: unchanged, every correction kept
    assert "1 unchanged" in _run("ingest", str(seed), "--db", str(db)).stderr
    # coded again by the coder: the same events, the corrections applied, nothing flagged
    res = _run("recode", "--db", str(db))
    assert "1 documents coded again" in res.stderr and "flagged for another look: 0" in res.stderr
    with Store(str(db)) as s:
        after = {e["id"]: e for e in plover(s.iter_events())}
        assert after == before
    # the outlet changes the story: its reviewed events are flagged, the correction still applies
    record = json.loads(seed.read_text(encoding="utf-8").splitlines()[0])
    record["text"] = record["text"].replace("\n", "\nUpdated with new figures from officials.\n", 1)
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert "1 replaced" in _run("ingest", str(changed), "--db", str(db)).stderr
    with Store(str(db)) as s:
        flagged = {e["review"]["status"]: e for e in plover(s.iter_events(EventFilter(flagged=True)))}
        assert set(flagged) == {"corrected", "confirmed"}
        assert all(e["review"]["flag"] == "its document changed" for e in flagged.values())
        fixed = flagged["corrected"]
        assert fixed["size"]["dead"] == target["size"]["dead"] + 10 and fixed["event_loc"]["resolved_place"] == "Baghdad"
        assert fixed["text_info"]["start"] > target["text_info"]["start"]  # found again at its new offsets
        assert Reviews(s).history(target["id"])["event_id"] == fixed["id"]
    _run("recode", "no-such-doc", "--db", str(db), code=1)


def test_recode_names_missing_documents(tmp_path, ew):
    db = str(tmp_path / "x.sqlite")
    with Store(db) as s:
        doc, evs = ew.basra()
        s.add_document(replace(doc), evs)
    res = _run("recode", "nope", "--db", db, code=1)
    assert "nope: no such document" in res.stderr


def test_explain_names_a_reviewers_judgement(tmp_path, ew):
    db = str(tmp_path / "x.sqlite")
    with Store(db) as s:
        for doc, evs in (ew.taji_a(), ew.basra()):
            s.add_document(doc, evs)
        a_id, c_id = ew.taji_a()[1][0].id, ew.basra()[1][0].id
        Reviews(s).apply(c_id, "alice", change_from_json({"same_event": a_id}))
    out = _run("explain", c_id, "--db", db).stdout
    assert f"merged by a reviewer's judgement: the same event as {a_id}" in out
