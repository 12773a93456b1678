"""Stages by name: a config or ``replace_stage`` swaps one for another registered factory, and
the configured settings and word lists change what the pipeline codes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from spacy.tokens import Doc

from eventwire.config import ConfigError
from eventwire.model import Document, Event
from eventwire.pipeline import Pipeline
from eventwire.registry import stages

PUBLISHED = date(2021, 6, 2)  # a Wednesday
RAID = "Rebels attacked an army post near Gao on Monday, killing four soldiers."
OLD_RAID = "Rebels attacked an army post near Gao on 3 March 2019, killing four soldiers."


@stages.register("test_no_dates")
def make_no_dates(pipeline: Pipeline, name: str) -> object:
    def no_dates(doc: Doc) -> Doc:
        doc._.time_expressions = []
        return doc

    return no_dates


@stages.register("test_only_assaults")
def make_only_assaults(pipeline: Pipeline, name: str, keep: str = "ASSAULT") -> object:
    def only(doc: Doc) -> Doc:
        doc._.events = [e for e in doc._.events if e.event == [keep]]
        return doc

    return only


def _code(pipe: Pipeline, text: str) -> list[Event]:
    return pipe.process(Document("d", text, publication_date=PUBLISHED)).events


def _assault(events: list[Event]) -> Event:
    return next(e for e in events if e.event == ["ASSAULT"])


def test_the_shipped_stages_run_in_order(pipeline: Pipeline) -> None:
    assert pipeline.stage_names == ["geo", "time", "coding", "events"]
    event = _assault(_code(pipeline, RAID))
    assert event.date.source == "text" and event.date.date == date(2021, 5, 31)
    assert event.event_loc is not None and event.event_loc.country_code == "MLI"


def test_a_config_swaps_a_stage_by_name() -> None:
    pipe = Pipeline(config={"stages": {"time": {"factory": "test_no_dates"}}})
    assert pipe.stage_names == ["geo", "time", "coding", "events"]
    event = _assault(_code(pipe, RAID))
    # the date expression never reached the events stage: the publication date stands in
    assert event.date.source == "publication" and event.date.date == PUBLISHED
    assert event.event_loc is not None and event.event_loc.country_code == "MLI"  # the other stages as shipped


def test_replace_stage_and_an_added_stage_with_its_settings() -> None:
    pipe = Pipeline(
        config={
            "pipeline": {"stages": ["geo", "time", "coding", "events", "filter"]},
            "stages": {"filter": {"factory": "test_only_assaults", "keep": "PROTEST"}},
        }
    )
    assert pipe.stage_names[-1] == "filter"
    assert _code(pipe, RAID) == []  # the raid is no protest
    pipe.replace_stage("filter", "test_only_assaults")
    assert [e.event for e in _code(pipe, RAID)] == [["ASSAULT"]]
    with pytest.raises(KeyError, match="no stage named 'nope'"):
        pipe.replace_stage("nope", "test_no_dates")


def test_thresholds_come_from_the_config(pipeline: Pipeline, tmp_path: Path) -> None:
    assert "historical" in _assault(_code(pipeline, OLD_RAID)).mode  # 821 days before the report
    path = tmp_path / "history.toml"
    path.write_text("[stages.events]\nhistorical_after_days = 1000\n")
    event = _assault(_code(Pipeline(config=path), OLD_RAID))
    assert "historical" not in event.mode
    assert event.date.date == date(2019, 3, 3)


def test_settings_that_do_not_suit_the_factory_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"\[stages.events\] does not suit factory 'events'"):
        Pipeline(config={"stages": {"events": {"historical_after_days": 10, "colour": "red"}}})


def test_a_missing_gazetteer_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[geo]\ngazetteer = "none.sqlite"\n')
    with pytest.raises(ConfigError, match=r"c\.toml: geo\.gazetteer .*none\.sqlite: no such file"):
        Pipeline(config=path)
    assert not (tmp_path / "none.sqlite").exists()


def test_a_config_pointing_at_another_trigger_lexicon_codes_its_words(pipeline: Pipeline, tmp_path: Path) -> None:
    from importlib import resources

    text = "Students egged the minister's car in Nairobi on Tuesday."
    assert _code(pipeline, text) == []  # "egg" is no trigger in the shipped lexicon
    shipped = resources.files("eventwire.coding").joinpath("data/triggers.tsv").read_text("utf-8")
    (tmp_path / "triggers.tsv").write_text(shipped + "v:egg\tASSAULT\tprimitive\t182\tprotest\n")
    (tmp_path / "mine.toml").write_text('[coding]\ntriggers = "triggers.tsv"\n')
    events = _code(Pipeline(config=tmp_path / "mine.toml"), text)
    assert [(e.event, e.mode, e.triggers[0].text) for e in events] == [(["ASSAULT"], ["primitive"], "egged")]


def test_the_cli_reads_the_config_named_in_the_environment(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from eventwire.cli import app

    report = tmp_path / "r.txt"
    report.write_text("Rebels attacked an army post near Gao on Monday, killing four soldiers.\n")
    args = ["extract", str(report), "--publication-date", "2021-06-02", "--workers", "1", "--all-events"]
    (tmp_path / "days.toml").write_text("[stages.events]\nhistorical_after_days = 1\n")
    result = CliRunner().invoke(app, args, env={"EVENTWIRE_CONFIG": str(tmp_path / "days.toml")})
    assert result.exit_code == 0, result.stderr
    assert "historical" in json.loads(result.stdout.splitlines()[0])["mode"]  # two days old, history by this config
    (tmp_path / "bad.toml").write_text('[stages.time]\nfactory = "no_such_stage"\n')
    result = CliRunner().invoke(app, args, env={"EVENTWIRE_CONFIG": str(tmp_path / "bad.toml")})
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"eventwire: {tmp_path / 'bad.toml'}: stage 'time': no stage factory named 'no_such_stage'")


def test_the_cli_config_option_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from eventwire.cli import app
    from eventwire.config import ENV_VAR

    monkeypatch.setenv(ENV_VAR, "")  # the option sets it for the command's workers; restored after the test
    report = tmp_path / "r.txt"
    report.write_text("Soldiers shelled a village near Kidal on Sunday, killing three herders.\n")
    args = ["extract", str(report), "--publication-date", "2021-06-02", "--workers", "2", "--all-events"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "historical" not in json.loads(result.stdout.splitlines()[0])["mode"]
    (tmp_path / "days.toml").write_text("[stages.events]\nhistorical_after_days = 1\n")
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "days.toml"), *args])
    assert result.exit_code == 0, result.stderr
    assert "historical" in json.loads(result.stdout.splitlines()[0])["mode"]  # the worker processes read it too
    (tmp_path / "bad.toml").write_text("[colours]\nred = 1\n")
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "bad.toml"), *args])
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert str(tmp_path / "bad.toml") in line and "unknown section [colours]" in line
