"""The store's read side for the API: keyset pages, JSON records written by the database,
event and document detail with evidence offsets, counts under filters; SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text

from eventwire.model import Document
from eventwire.store import EventFilter, Store
from eventwire.store.query import Cursor
from support.records import plover


def _many(ew, n: int, seed: int = 3) -> list[tuple[Document, list]]:
    """n small documents, one event each, over a few types, places and dates (some undated,
    some on the same day, so that the keyset's tie on id matters)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = f"Report {i}: gunmen attacked a checkpoint and killed {i % 5 + 1} soldiers."
        doc = Document(f"d{i:03d}", body, date(2020, 3, 20))
        when = None if i % 11 == 0 else date(2020, 3, 1) + timedelta(days=rng.randrange(6))
        etype = ["ASSAULT", "PROTEST", "COERCE"][i % 3]
        place = ["Taji", "Basra", "Baghdad", None][i % 4]
        ev = ew.make_event(doc, body, "attacked", etype=etype, place=place, when=when, dead=i % 5 + 1,
                           actor=("gunmen", None, "UAF"), recipient=("soldiers", "IRQ", "MIL"))  # fmt: skip
        ev.confidence = round(0.3 + (i % 7) / 10, 2)
        out.append((doc, [ev]))
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path, ew):
    url = str(tmp_path / "q.sqlite") if request.param == "sqlite" else request.getfixturevalue("fresh_postgres_url")
    with Store(url) as s:
        for doc, evs in _many(ew, 60):
            s.add_document(doc, evs)
        yield s


def _walk(store: Store, f: EventFilter, canonical: bool, limit: int, as_json: bool = False) -> list[dict]:
    seen, after = [], None
    while True:
        page = store.page_events(f, canonical=canonical, after=after, limit=limit, as_json=as_json)
        assert len(page.events) <= limit
        seen += [orjson.loads(x) for x in page.events] if as_json else [r.to_plover() for r in page.events]
        if page.next is None:
            return seen
        after = Cursor.decode(page.next.encode())  # through its token, as a client would


@pytest.mark.parametrize("canonical", [False, True])
def test_pages_cover_every_event_once_newest_first(store, canonical):
    everything = list(plover(store.iter_events(canonical=canonical)))
    for limit in (1, 7, 1000):
        walked = _walk(store, EventFilter(), canonical, limit)
        assert sorted(x["id"] for x in walked) == sorted(x["id"] for x in everything)
        dated = [x for x in walked if x["date"]]
        assert [(x["date"], x["id"]) for x in dated] == sorted(((x["date"], x["id"]) for x in dated), reverse=True)
        assert all(not x["date"] for x in walked[len(dated):])  # undated ones last
        assert walked[len(dated):] and all(x["date"] is None for x in walked[len(dated):])


@pytest.mark.parametrize("canonical", [False, True])
def test_json_records_written_by_the_database_equal_the_python_ones(store, canonical):
    f = EventFilter(country="IRQ")
    assert _walk(store, f, canonical, 9, as_json=True) == _walk(store, f, canonical, 9)
    rec = _walk(store, EventFilter(), False, 100, as_json=True)[0]
    assert rec["reciprocal"] is False and isinstance(rec["evidence"], dict) and rec["canonical_id"]


def test_filters_are_bound_and_combine(store):
    def ids(**kw):
        return {x["id"] for x in _walk(store, EventFilter(**kw), False, 50)}

    every = list(plover(store.iter_events()))
    assert ids(min_confidence=0.7) == {x["id"] for x in every if x["confidence"] >= 0.7}
    assert ids(event_types=("PROTEST", "COERCE")) == {x["id"] for x in every if x["event"][0] in ("PROTEST", "COERCE")}
    basra = (47.0, 30.0, 48.5, 31.0)
    assert ids(bbox=basra) == {x["id"] for x in every if (x["event_loc"] or {}).get("resolved_place") == "Basra"}
    assert ids(countries=("IRQ", "SYR"), event_type="ASSAULT", min_confidence=0.5) == {
        x["id"] for x in every
        if (x["event_loc"] or {}).get("country_code") == "IRQ" and x["event"][0] == "ASSAULT" and x["confidence"] >= 0.5
    }  # fmt: skip
    # a hostile value is a value, not SQL
    assert ids(actor="x' OR '1'='1") == set()
    assert ids(country="IRQ' --") == set()
    canon = _walk(store, EventFilter(min_confidence=0.9), True, 50)
    assert canon and all(x["confidence"] >= 0.9 for x in canon)


def test_cursor_tokens_are_checked():
    c = Cursor(date(2020, 3, 4), "ew-1")
    assert Cursor.decode(c.encode()) == c
    assert Cursor.decode(Cursor(None, "ew-2").encode()) == Cursor(None, "ew-2")
    for bad in ("", "!!!", "bm90IGpzb24", Cursor(None, "x").encode()[:-3] + "A", "WzEsMiwzXQ"):
        with pytest.raises(ValueError):
            Cursor.decode(bad)


def test_event_detail_gives_every_report_with_document_and_evidence(tmp_path, ew):
    with Store(tmp_path / "d.sqlite") as s:
        for doc, evs in (ew.taji_a(), ew.taji_b(), ew.basra()):
            s.add_document(doc, evs)
        report_id = s.page_events(EventFilter(country="IRQ", actor="coalition")).events[0].id
        info = s.event_detail(report_id)
        assert info["event"]["id"] == report_id and info["canonical_id"].startswith("ewc-")
        assert info["canonical"]["n_reports"] == 2 and len(info["reports"]) == 2
        by_doc = {r["document"]["id"]: r for r in info["reports"]}
        assert set(by_doc) == {"wire-a", "wire-b"}
        b = by_doc["wire-b"]
        assert b["evidence_text"].startswith("At least 15 Katyusha rockets")
        start, end = b["event"]["evidence"]["event"][0]
        assert ew.TAJI_B.text[start:end] == "hit"
        assert b["document"]["publication_date"] == "2020-03-13"
        assert s.event_detail(info["canonical_id"])["reports"] == info["reports"]
        assert s.event_detail("ew-nope") is None and s.event_detail("ewc-nope") is None


def test_document_detail_has_text_and_the_offsets_of_each_field(tmp_path, ew):
    with Store(tmp_path / "d.sqlite") as s:
        doc, evs = ew.basra()
        s.add_document(doc, evs)
        d = s.get_document("wire-c")
        assert d["text"] == doc.text and d["publication_date"] == "2020-03-12"
        (ev,) = d["events"]
        spans = {k: [doc.text[a:b] for a, b in v] for k, v in ev["evidence"].items()}
        assert spans["event"] == ["opened fire"]
        assert s.get_document("missing") is None


def test_event_counts_follow_the_filters(store):
    every = [x for x in plover(store.iter_events()) if x["event"][0] == "ASSAULT"]
    c = store.event_counts(EventFilter(event_type="ASSAULT"))
    assert c["total"] == len(every)
    assert c["by_type"] == [("ASSAULT", len(every))]
    assert sum(n for _, n in c["by_day"]) + c["undated"] == len(every)
    assert c["first_day"] == min(x["date"] for x in every if x["date"])


def test_store_of_revision_0004_upgrades_and_reads(tmp_path, ew):
    """A store written before evidence was kept: rows read with the trigger offsets as evidence,
    canonical confidence filled in by the migration."""
    from alembic import command
    from alembic.config import Config

    from eventwire.store import store as store_module

    path = tmp_path / "old.sqlite"
    with Store(path) as s:
        for doc, evs in (ew.taji_a(), ew.basra()):
            s.add_document(doc, evs)
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(store_module.__file__).parent / "migrations"))
        with s.engine.connect() as conn:
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # before BEGIN
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, "0004")
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
        with s.engine.connect() as conn:
            columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(events)")}
            assert "evidence" not in columns
    with Store(path) as s:  # upgraded on open
        with s.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM canonical_events WHERE confidence IS NULL")).scalar() == 0
        rec = s.page_events(EventFilter(country="IRQ", actor="protesters")).events[0].to_plover()
        assert rec["evidence"] == {"event": rec["trigger_offsets"]}
        assert [x["id"] for x in _walk(s, EventFilter(min_confidence=0.5), True, 10)]
