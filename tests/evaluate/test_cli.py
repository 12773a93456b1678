from __future__ import annotations

import importlib.util
import json

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from support.eval_testdata import ent, pred, write_jsonl

runner = CliRunner()


@pytest.fixture()
def dataset(tmp_path):
    write_jsonl(tmp_path / "tiny.docs.jsonl", [
        {"id": "a", "text": "Ruritania and Freedonia agreed to talks.", "publication_date": "2020-01-02"},
        {"id": "b", "text": "Freedonia's minister criticised Ruritania.", "publication_date": "2020-01-03"},
    ])
    write_jsonl(tmp_path / "tiny.gold.jsonl", [
        {"doc_id": "a", "events": [{"event": "AGREE", "mode": [], "actor": [ent("R", "RUR"), ent("F", "FRD")],
                                    "recipient": [], "reciprocal": True, "event_loc": None, "dead": None}]},
        {"doc_id": "b", "events": [{"event": "ACCUSE", "mode": ["disapprove"],
                                    "actor": [ent("minister", "FRD", "GOV")],
                                    "recipient": [ent("R", "RUR")], "reciprocal": False,
                                    "event_loc": None, "dead": None}]},
    ])
    write_jsonl(tmp_path / "geo.docs.jsonl", [
        {"id": "h1", "text": "Three killed in blast near Mosul", "publication_date": "2016-01-05"}])
    write_jsonl(tmp_path / "geo.gold.jsonl", [
        {"doc_id": "h1", "date_start": "2016-01-04", "date_end": "2016-01-04", "date_prec": 1,
         "latitude": 36.34, "longitude": 43.13, "where_prec": 1, "adm_1": "", "low": 3, "best": 3,
         "high": 3}])
    write_jsonl(tmp_path / "preds.jsonl", [
        pred("a", "AGREE", [ent("R", "RUR")], [ent("F", "FRD")]),
        pred("b", "REJECT", [ent("minister", "FRD", "GOV")], [ent("R", "RUR")]),
        pred("h1", "ASSAULT", date="2016-01-04", dead=3,
             event_loc={"lat": 36.34, "lon": 43.13, "country_code": "IRQ"}),
    ])
    return tmp_path


def test_json_output_shape(dataset):
    res = runner.invoke(app, ["evaluate", str(dataset), "--predictions", str(dataset / "preds.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out["datasets"]) == {"tiny", "geo"}
    tiny = out["datasets"]["tiny"]
    assert tiny["evaluator"] == "plover_gsr"
    assert tiny["fields"]["event_type"] == {"tp": 1, "fp": 1, "fn": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert tiny["confusion"]["ACCUSE"] == {"REJECT": 1}
    geo = out["datasets"]["geo"]
    assert geo["evaluator"] == "ged" and geo["location"]["within_25_km"]["rate"] == 1.0
    assert geo["date_publication_baseline"]["hits"] == 0 and geo["date_in_window"]["hits"] == 1


def test_single_file_limit_and_tables(dataset):
    res = runner.invoke(app, ["evaluate", str(dataset / "tiny.docs.jsonl"), "--predictions",
                              str(dataset / "preds.jsonl"), "--limit", "1", "--json"])
    assert res.exit_code == 0, res.output
    tiny = json.loads(res.stdout)["datasets"]["tiny"]
    assert tiny["documents"] == 1 and tiny["fields"]["event_type"]["f1"] == 1.0
    res = runner.invoke(app, ["evaluate", str(dataset / "tiny.gold.jsonl"), "--predictions",
                              str(dataset / "preds.jsonl")])
    assert res.exit_code == 0 and "actor_code" in res.stdout and "confusion" in res.stdout


def test_seed_gold_file(tmp_path):
    (tmp_path / "article.txt").write_text("Jets struck a depot on Monday.", encoding="utf-8")
    gold = {"doc_id": "seed-1", "publication_date": "2021-05-05", "events": [
        {"key": "E1", "required": True, "event": "ASSAULT", "date": "2021-05-03",
         "actor": [ent("jets", "RUR", "MIL")], "recipient": [], "event_loc": None, "size": {}}]}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    # coded under the article's file stem, as `eventwire extract article.txt` names it
    write_jsonl(tmp_path / "p.jsonl", [pred("article", "ASSAULT", [ent("jets", "RUR")], date="2021-05-03")])
    res = runner.invoke(app, ["evaluate", str(tmp_path / "gold.json"), "--predictions", str(tmp_path / "p.jsonl"), "--json"])
    assert res.exit_code == 0, res.output
    seed = json.loads(res.stdout)["datasets"][tmp_path.name]
    assert (seed["required_found"], seed["precision"], seed["dates_exact"]) == (1, 1.0, 1)


@pytest.mark.parametrize("make", [
    lambda p: p / "missing",
    lambda p: p / "empty_dir",
    lambda p: p / "tiny.txt",
    lambda p: p / "orphan.gold.jsonl",
])
def test_bad_dataset_path_exits_2(tmp_path, make):
    (tmp_path / "empty_dir").mkdir()
    (tmp_path / "tiny.txt").write_text("x", encoding="utf-8")
    write_jsonl(tmp_path / "orphan.gold.jsonl", [{"doc_id": "a", "events": []}])
    path = make(tmp_path)
    res = runner.invoke(app, ["evaluate", str(path), "--predictions", "whatever.jsonl"])
    assert res.exit_code == 2
    assert str(path) in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_bad_predictions_exit_2(dataset):
    bad = dataset / "bad.jsonl"
    bad.write_text('{"doc_id": "a", "event": ["AGREE"]}\nnot json\n', encoding="utf-8")
    res = runner.invoke(app, ["evaluate", str(dataset), "--predictions", str(bad)])
    assert res.exit_code == 2 and f"{bad}:2" in res.stderr


@pytest.mark.slow
def test_pipeline_on_seed_runs():
    if importlib.util.find_spec("eventwire.pipeline") is None:
        pytest.skip("eventwire.pipeline not available")
    try:
        import eventwire.pipeline  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"eventwire.pipeline not importable: {exc}")
    from support.shared import shared_path

    gold = shared_path("seed", "gold.json")
    res = runner.invoke(app, ["evaluate", str(gold), "--json"])
    assert res.exit_code == 0, res.output
    seed = json.loads(res.stdout)["datasets"]["seed"]
    assert seed["required_total"] >= 1 and seed["outputs"] >= 0
