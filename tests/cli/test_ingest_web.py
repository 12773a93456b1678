"""``eventwire ingest`` of a folder holding an HTML page, a WARC.gz archive and an RSS feed (all
written for this test): the articles are coded with publication dates from their metadata,
running again adds nothing, a syndicated copy is stored as a copy, and a CSV with a column
mapping is read."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.store import Store
from support.webpages import (
    ALEPPO,
    KIRKUK,
    MOGADISHU,
    MOSUL,
    MOSUL_SYNDICATED,
    article_html,
    rss,
    section_front_html,
    warc_bytes,
)


def _inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "a-mosul.html").write_text(  # read first (files in name order): the original
        article_html(MOSUL, canonical="https://lantern.example/world/mosul-checkpoint"), encoding="utf-8"
    )
    (inbox / "crawl.warc.gz").write_bytes(warc_bytes([
        ("response", "https://courier.example/world/kirkuk-protest", article_html(KIRKUK, site="Courier", date_style="jsonld").encode(), "text/html"),
        ("response", "https://courier.example/world", section_front_html("Courier").encode(), "text/html"),
        ("response", "https://wire.example/2023/06/13/police-killed", article_html(MOSUL_SYNDICATED, site="Wire").encode(), "text/html; charset=utf-8"),
    ]))  # fmt: skip
    (inbox / "world.rss").write_text(rss([(MOGADISHU, "https://lantern.example/world/mogadishu-market?utm_source=rss")],
                                         full_text=True), encoding="utf-8")  # fmt: skip
    return inbox


@pytest.mark.slow
def test_ingest_a_folder_of_web_documents_twice(tmp_path):
    db = str(tmp_path / "web.sqlite")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(_inbox(tmp_path)), "--db", db])
    assert first.exit_code == 0, first.output
    assert "4 added (1 as copies of other documents)" in first.output and "1 skipped" in first.output
    with Store(db) as s, s.engine.connect() as c:
        rows = {r.title: r for r in c.execute(text("SELECT * FROM documents")).mappings()}
        events = c.execute(text("SELECT doc_id, date, date_source FROM events WHERE modal = 0")).all()
    assert set(rows) == {MOSUL.title, KIRKUK.title, MOGADISHU.title, MOSUL_SYNDICATED.title}
    for a in (MOSUL, KIRKUK, MOGADISHU):
        assert str(rows[a.title]["publication_date"]) == a.published.isoformat()  # from the page / feed metadata
    assert rows[MOSUL.title]["url"] == "https://lantern.example/world/mosul-checkpoint"
    assert rows[MOSUL.title]["author"] == MOSUL.author
    assert rows[MOGADISHU.title]["url"] == "https://lantern.example/world/mogadishu-market"
    copy = rows[MOSUL_SYNDICATED.title]
    assert copy["copy_of"] == rows[MOSUL.title]["id"] and copy["n_events"] == 0
    coded = {doc_id for doc_id, _, _ in events}
    assert {rows[a.title]["id"] for a in (MOSUL, KIRKUK, MOGADISHU)} <= coded
    assert copy["id"] not in coded
    # Mosul's attack was on Tuesday 13 June: dated from the page's publication date
    assert any(d == rows[MOSUL.title]["id"] and str(day) == "2023-06-13" for d, day, _ in events)
    out1 = runner.invoke(app, ["events", "--db", db, "--format", "plover"]).output

    again = runner.invoke(app, ["ingest", str(_inbox(tmp_path / "again")), "--db", db])
    assert again.exit_code == 0, again.output
    assert "0 added" in again.output and "4 unchanged" in again.output
    assert runner.invoke(app, ["events", "--db", db, "--format", "plover"]).output == out1
    canonical = [json.loads(x) for x in runner.invoke(app, ["events", "--db", db, "--canonical", "--format", "plover"]).output.splitlines()]
    assert all(len(e["reports"]) == len({r["doc_id"] for r in e["reports"]}) for e in canonical)
    assert all(r["doc_id"] != copy["id"] for e in canonical for r in e["reports"])


@pytest.mark.slow
def test_ingest_csv_with_a_column_mapping_and_bad_options(tmp_path):
    p = tmp_path / "export.csv"
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["story_id", "story", "day"])
        w.writerow(["a1", f"{ALEPPO.title}\n{ALEPPO.body}", "2023-06-15"])
    db = str(tmp_path / "csv.sqlite")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(p), "--db", db, "--columns", "id=story_id,text=story,publication_date=day"])
    assert res.exit_code == 0, res.output
    with Store(db) as s:
        assert s.counts()["documents"] == 1 and s.counts()["events"] >= 1
    bad = runner.invoke(app, ["ingest", str(p), "--db", db, "--columns", "body"])
    assert bad.exit_code == 2 and "--columns" in bad.output


@pytest.mark.slow
def test_ingest_json_log_lines(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"")
    feed = tmp_path / "teasers.rss"
    feed.write_text(rss([(MOGADISHU, "https://lantern.example/m")]), encoding="utf-8")
    res = CliRunner().invoke(app, ["ingest", str(bad), str(feed), "--db", str(tmp_path / "j.sqlite"), "--log-format", "json"])
    assert res.exit_code == 1
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert [x["event"] for x in lines] == ["rejected", "summary"]
    assert lines[0]["source"] == str(bad) and lines[1]["skipped"] == 1 and lines[1]["rejected"] == 1
