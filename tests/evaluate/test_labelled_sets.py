"""Finding the labelled sets (NAME/{dev,test}.{docs,gold}.jsonl) and scoring them through the CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.evaluate import DatasetError, find_datasets
from support.eval_testdata import ent, pred, write_jsonl

runner = CliRunner()


def _set(root, name, half, docs, gold):
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    write_jsonl(folder / f"{half}.docs.jsonl", docs)
    write_jsonl(folder / f"{half}.gold.jsonl", gold)


@pytest.fixture()
def gold_dir(tmp_path):
    root = tmp_path / "gold"
    _set(root, "conflict_reports", "dev",
         [{"id": "cr1", "text": "On 3 May 1999, raiders attacked Kamuka village.", "publication_date": None}],
         [{"doc_id": "cr1", "style": "older", "event_type": "Violence against civilians",
           "sub_event_type": "Attack", "event_date": "1999-05-03", "date_stated_day": True,
           "fatalities": 2, "location": "Kamuka", "country_iso3": "KEN"}])
    _set(root, "conflict_reports", "test",
         [{"id": "cr9", "text": "On 4 May 1999, a rally was held in Kamuka.", "publication_date": None}],
         [{"doc_id": "cr9", "style": "older", "event_type": "Protests",
           "sub_event_type": "Peaceful protest", "event_date": "1999-05-04", "date_stated_day": True,
           "fatalities": 0, "location": "Kamuka", "country_iso3": "KEN"}])
    _set(root, "event_snippets", "dev",
         [{"id": "es1", "text": "Peru and Chile held border talks.", "publication_date": "2019-02-02"}],
         [{"doc_id": "es1", "label": "Diplomatic event", "acled_event_type": None}])
    _set(root, "police_sentences", "dev",
         [{"id": "ps1", "text": "Police stood by as the shops burned.", "publication_date": None},
          {"id": "ps2", "text": "Constables detained four men.", "publication_date": None}],
         [{"doc_id": "ps1", "labels": ["fail"]}, {"doc_id": "ps2", "labels": ["arrest"]}])
    _set(root, "articles", "dev",
         [{"id": "ar1", "text": "Officials met in Accra on Monday.", "publication_date": "2021-06-08"}],
         [{"doc_id": "ar1", "publication_date": "2021-06-08", "events": [
             {"key": "E1", "required": True, "event": "CONSULT", "date": "2021-06-07",
              "actor": [ent("officials", "GHA", "GOV")], "recipient": [], "place": "Accra",
              "country_iso3": "GHA", "dead": None}]}])
    _set(root, "plover_sentences", "dev",
         [{"id": "pl1", "text": "Ghana's cabinet condemned the raid.", "publication_date": "2021-06-08"}],
         [{"doc_id": "pl1", "events": [{"event": "ACCUSE", "mode": [], "actor": [ent("cabinet", "GHA", "GOV")],
                                        "recipient": [], "reciprocal": False, "event_loc": None,
                                        "dead": None}]}])
    write_jsonl(tmp_path / "preds.jsonl", [
        pred("cr1", "ASSAULT", [ent("raiders", None, "UAF")], [ent("villagers", "KEN", "CVL")],
             acled_event_type="Violence against civilians", acled_sub_event_type="Attack", dead=2,
             date="1999-05-03", event_loc={"extracted_place": "Kamuka", "country_code": "KEN"}),
        pred("cr9", "PROTEST", acled_event_type="Protests", acled_sub_event_type="Peaceful protest"),
        pred("es1", "CONSULT", [ent("Peru", "PER", "GOV")], [ent("Chile", "CHL", "GOV")]),
        pred("ps1", "COERCE", [ent("police", "IND", "COP")], mode=["negation"]),
        pred("ps2", "COERCE", [ent("constables", "IND", "COP")], mode=["arrest"]),
        pred("ar1", "CONSULT", [ent("officials", "GHA", "GOV")], date="2021-06-07",
             event_loc={"extracted_place": "Accra", "country_code": "GHA"}),
        pred("pl1", "ACCUSE", [ent("cabinet", "GHA", "GOV")]),
    ])
    return root


KINDS = {
    "articles": "articles", "conflict_reports": "conflict_reports", "event_snippets": "event_snippets",
    "plover_sentences": "plover_gsr", "police_sentences": "police_sentences",
}


def test_find_kinds_and_halves(gold_dir):
    dev = find_datasets(gold_dir)
    assert {d.name: d.kind for d in dev} == {f"{n}[dev]": k for n, k in KINDS.items()}
    assert [d.name for d in find_datasets(gold_dir, "test")] == ["conflict_reports[test]"]
    assert len(find_datasets(gold_dir, "all")) == len(KINDS) + 1
    assert [d.name for d in find_datasets(gold_dir / "conflict_reports", "test")] == ["conflict_reports[test]"]
    assert [d.name for d in find_datasets(gold_dir / "police_sentences" / "dev.gold.jsonl")] == [
        "police_sentences[dev]"]
    assert [d.name for d in find_datasets(gold_dir / "police_sentences" / "dev.docs.jsonl")] == [
        "police_sentences[dev]"]
    police = find_datasets(gold_dir / "police_sentences")[0]
    assert police.all_events and not find_datasets(gold_dir / "articles")[0].all_events
    with pytest.raises(DatasetError, match="no test half"):
        find_datasets(gold_dir / "police_sentences", "test")
    with pytest.raises(DatasetError, match="--split train"):
        find_datasets(gold_dir, "train")


def test_unknown_gold_format_is_named(tmp_path):
    _set(tmp_path, "odd", "dev", [{"id": "1", "text": "x"}], [{"doc_id": "1", "colour": "red"}])
    with pytest.raises(DatasetError, match=r"dev.gold.jsonl: unknown gold format"):
        find_datasets(tmp_path / "odd")


def test_cli_scores_every_set(gold_dir):
    preds = gold_dir.parent / "preds.jsonl"
    res = runner.invoke(app, ["evaluate", str(gold_dir), "--predictions", str(preds), "--json"])
    assert res.exit_code == 0, res.output
    sets = json.loads(res.stdout)["datasets"]
    assert {k: v["evaluator"] for k, v in sets.items()} == {f"{n}[dev]": k for n, k in KINDS.items()}
    cr = sets["conflict_reports[dev]"]
    assert cr["acled_type_accuracy"]["rate"] == 1.0 and cr["dead_exact"]["rate"] == 1.0
    assert cr["place_named"]["rate"] == 1.0 and cr["by_style"]["older"]["documents"] == 1
    assert sets["event_snippets[dev]"]["accuracy"]["rate"] == 1.0
    police = sets["police_sentences[dev]"]
    assert police["exact_set_accuracy"]["rate"] == 1.0 and police["macro_f1"] == 1.0
    assert sets["articles[dev]"]["required_recall"]["rate"] == 1.0
    assert sets["plover_sentences[dev]"]["event_type_macro_f1"] == 1.0
    res = runner.invoke(app, ["evaluate", str(gold_dir), "--predictions", str(preds), "--json",
                              "--split", "test"])
    assert list(json.loads(res.stdout)["datasets"]) == ["conflict_reports[test]"]


def test_cli_tables(gold_dir):
    res = runner.invoke(app, ["evaluate", str(gold_dir), "--predictions", str(gold_dir.parent / "preds.jsonl")])
    assert res.exit_code == 0, res.output
    for text in ("conflict_reports[dev]", "ACLED event type right", "older (1)", "weighted F1", "Diplomatic event",
                 "exact label set", "required events found", "per article"):
        assert text in res.stdout, text


def test_cli_split_errors(gold_dir):
    preds = str(gold_dir.parent / "preds.jsonl")
    for split in ("train", "sideways"):
        res = runner.invoke(app, ["evaluate", str(gold_dir), "--predictions", preds, "--split", split])
        assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1, res.stderr


def test_cli_warns_when_police_predictions_lack_negated_events(gold_dir, tmp_path):
    asserted = write_jsonl(tmp_path / "asserted.jsonl", [
        pred("ps2", "COERCE", [ent("constables", "IND", "COP")], mode=["arrest"])])
    res = runner.invoke(app, ["evaluate", str(gold_dir / "police_sentences"), "--predictions",
                              str(asserted), "--json"])
    assert res.exit_code == 0
    assert "--all-events" in res.stderr and "police_sentences[dev]" in res.stderr
    assert json.loads(res.stdout)["datasets"]["police_sentences[dev]"]["per_label"]["fail"]["fn"] == 1


@pytest.mark.slow
def test_pipeline_codes_police_sets_with_negated_events(tmp_path):
    """Through the real pipeline: a police set is coded with all events, so a negated arrest
    gives 'fail' while the default output (asserted events only) would not have it."""
    _set(tmp_path, "police_sentences", "dev",
         [{"id": "p1", "text": "Police did not arrest the attackers.", "publication_date": "2011-04-02"},
          {"id": "p2", "text": "Police arrested 12 people in Surat on Monday.", "publication_date": "2011-04-02"}],
         [{"doc_id": "p1", "labels": ["fail"]}, {"doc_id": "p2", "labels": ["arrest"]}])
    res = runner.invoke(app, ["evaluate", str(tmp_path / "police_sentences"), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.stdout)["datasets"]["police_sentences[dev]"]
    assert rep["per_label"]["fail"]["tp"] == 1 and rep["per_label"]["arrest"]["tp"] == 1
    assert rep["exact_set_accuracy"]["rate"] == 1.0
