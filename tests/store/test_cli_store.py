"""End to end through the CLI: ingest the bundled example twice, query, export, explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_ingest_twice_query_explain(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(ROOT / "examples" / "seed.jsonl"), str(bad), "--db", db])
    assert first.exit_code == 1, first.output  # the bad file is rejected, the rest stored
    assert "bad.jsonl" in first.output
    out1 = runner.invoke(app, ["events", "--db", db, "--format", "plover"]).output
    again = runner.invoke(app, ["ingest", str(ROOT / "examples" / "seed.jsonl"), "--db", db])
    assert again.exit_code == 0 and "1 unchanged" in again.output
    assert runner.invoke(app, ["events", "--db", db, "--format", "plover"]).output == out1
    events = [json.loads(line) for line in out1.splitlines()]
    assert events and all(e["canonical_id"] for e in events)
    res = runner.invoke(app, ["explain", events[0]["id"], "--db", db])
    assert res.exit_code == 0 and "report 1" in res.output
    assert runner.invoke(app, ["events", "--db", db, "--bbox", "1,2,3"]).exit_code == 2


@pytest.mark.slow
def test_two_wordings_of_the_taji_attack_merge_through_the_pipeline(tmp_path):
    db = str(tmp_path / "taji.sqlite")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(ROOT / "examples" / "reports.jsonl"), "--db", db])
    assert res.exit_code == 0, res.output
    out = runner.invoke(app, ["events", "--db", db, "--canonical", "--format", "plover"]).output
    events = [json.loads(line) for line in out.splitlines()]
    taji = [e for e in events if e["event"][0] == "ASSAULT" and "Taji" in (e["event_loc"] or {}).get("extracted_place", "")]
    assert len(taji) == 1, [e["event_loc"] for e in events]
    docs = {r["doc_id"] for r in taji[0]["reports"]}
    assert docs == {"example-taji-1", "example-taji-2"}
    assert taji[0]["size"]["dead"] == 3  # the most reliable figure, not the sum
