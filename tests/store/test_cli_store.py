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
