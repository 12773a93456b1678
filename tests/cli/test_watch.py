"""``eventwire watch`` against a real HTTP server on 127.0.0.1 serving pages and feeds written
for these tests: redirects, gzip, a wrong charset, 404/500, a timeout, a page that is not an
article, robots.txt, a huge page, a syndicated copy; a second run fetches nothing new; a run
killed mid-poll loses and duplicates nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from eventwire.cli import app
from eventwire.store import FetchLog, Store
from support.webpages import (
    ALEPPO,
    KIRKUK,
    MOGADISHU,
    MOSUL,
    MOSUL_SYNDICATED,
    Article,
    article_html,
    atom,
    rss,
    section_front_html,
)
from support.webserver import Route

FAST = ["--delay", "0", "--timeout", "1", "--retries", "1"]


def _serve_world(site, etag='"w1"'):
    """The feed and pages of the main scenario; returns the feed URL."""
    r = site.routes
    r["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    r["/world/mosul"] = Route(article_html(MOSUL).encode())
    r["/r/kirkuk"] = Route(status=301, location="/world/kirkuk")
    r["/world/kirkuk"] = Route(article_html(KIRKUK, date_style="jsonld").encode())
    r["/world/mogadishu"] = Route(article_html(MOGADISHU, date_style="time").encode(), gzip=True)
    aleppo = article_html(ALEPPO, charset=None).replace("a bakery", "a bakery called Café Noor")
    r["/world/aleppo"] = Route(aleppo.encode("cp1252"), content_type="text/html; charset=utf-8")  # wrong label
    r["/partners/mosul-police"] = Route(article_html(MOSUL_SYNDICATED, site="Partner Wire").encode())
    r["/world/flaky"] = Route(b"", fail_times=1000)
    r["/world/slow"] = Route(article_html(KIRKUK).encode(), delay=2.5)
    r["/world/front"] = Route(section_front_html().encode())
    r["/private/leak"] = Route(article_html(ALEPPO).encode())
    r["/world/huge"] = Route(b"<html><body>" + b"<p>" + b"word " * 400_000 + b"</p></body></html>")
    r["/world/report.pdf"] = Route(b"%PDF-1.7 ...", content_type="application/pdf")
    teaser = Article("t", "Teaser", ("A short teaser of a story that is not in the feed.",), date(2023, 6, 14), "x")
    items = [(MOSUL, "/world/mosul?utm_source=rss"), (KIRKUK, "/r/kirkuk"), (MOGADISHU, "/world/mogadishu"),
             (ALEPPO, "/world/aleppo"), (MOSUL_SYNDICATED, "/partners/mosul-police"), (teaser, "/world/missing"),
             (teaser, "/world/flaky"), (teaser, "/world/slow"), (teaser, "/world/front"), (teaser, "/private/leak"),
             (teaser, "/world/huge"), (teaser, "/world/report.pdf")]  # fmt: skip
    r["/feed.xml"] = Route(rss([(a, site.url(p)) for a, p in items]).encode(), content_type="application/rss+xml",
                           etag=etag)  # fmt: skip
    return site.url("/feed.xml")


def _documents(db):
    with Store(db) as s, s.engine.connect() as c:
        return {r.url: r for r in c.execute(text("SELECT * FROM documents")).mappings()}


@pytest.mark.slow
def test_watch_once_twice_stores_each_article_once_and_fetches_nothing_new(site, tmp_path):
    feed = _serve_world(site)
    db = str(tmp_path / "watch.sqlite")
    runner = CliRunner()
    first = runner.invoke(app, ["watch", feed, "--once", "--db", db, "--max-bytes", "1000000", *FAST])
    assert first.exit_code == 0, first.output
    docs = _documents(db)
    u = site.url
    assert set(docs) == {u("/world/mosul"), u("/world/kirkuk"), u("/world/mogadishu"), u("/world/aleppo"),
                         u("/partners/mosul-police")}  # fmt: skip
    assert str(docs[u("/world/kirkuk")]["publication_date"]) == str(KIRKUK.published)  # after the redirect, from JSON-LD
    assert str(docs[u("/world/mogadishu")]["publication_date"]) == str(MOGADISHU.published)  # gzip, <time>
    assert "Café Noor" in docs[u("/world/aleppo")]["text"]  # labelled UTF-8, sent as windows-1252
    assert docs[u("/partners/mosul-police")]["copy_of"] == docs[u("/world/mosul")]["id"]
    assert site.hits["/private/leak"] == 0
    assert "4 stored" in first.output and "1 duplicate" in first.output
    with Store(db) as s:
        log = FetchLog(s)
        assert log.get(u("/world/missing")).status == "failed"  # a 404: given up
        assert log.get(u("/world/flaky")).status == "retry"  # a 500: tried again on a later poll
        assert log.get(u("/world/slow")).status == "retry"  # a timeout
        assert log.get(u("/world/front")).status == "skipped"  # not an article
        assert log.get(u("/private/leak")).status == "skipped"  # robots.txt
        assert log.get(u("/world/report.pdf")).status == "skipped"
        assert log.get(u("/world/huge")).status == "failed"
        assert log.get(feed).etag == '"w1"'
        n_events = s.counts()["events"]
    pages = {p: n for p, n in site.hits.items() if p not in ("/feed.xml", "/robots.txt")}

    second = runner.invoke(app, ["watch", feed, "--once", "--db", db, *FAST])
    assert second.exit_code == 0, second.output
    assert "0 stored" in second.output and "not modified" in second.output
    assert {p: n for p, n in site.hits.items() if p not in ("/feed.xml", "/robots.txt")} == pages
    with Store(db) as s:
        assert s.counts()["events"] == n_events and s.counts()["documents"] == 5

    # the feed changes (no validators this time): only the new item is fetched
    site.routes["/feed.xml"] = Route(rss([(MOSUL, u("/world/mosul")), (KIRKUK, u("/world/kirkuk-2"))]).encode(),
                                     content_type="application/rss+xml")  # fmt: skip
    site.routes["/world/kirkuk-2"] = Route(article_html(KIRKUK).encode())
    third = runner.invoke(app, ["watch", feed, "--once", "--db", db, *FAST])
    assert third.exit_code == 0, third.output
    assert site.hits["/world/mosul"] == pages["/world/mosul"] and site.hits["/world/kirkuk-2"] == 1
    assert "1 duplicate" in third.output  # the same text under a new URL: a copy


@pytest.mark.slow
def test_json_logs_feed_lists_and_unreadable_feeds(site, tmp_path):
    site.routes["/atom.xml"] = Route(atom([(ALEPPO, site.url("/c/aleppo"))]).encode(), content_type="application/atom+xml")
    site.routes["/c/aleppo"] = Route(status=404)  # the entry carries its text: stored from the feed
    site.routes["/not-a-feed"] = Route(b"<html><body><p>Hello</p></body></html>")
    site.routes["/broken.xml"] = Route(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</titl',
                                       content_type="application/rss+xml")  # fmt: skip
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# world\n{site.url('/atom.xml')}\n{site.url('/not-a-feed')}  # wrong\n{site.url('/broken.xml')}\n")
    db = str(tmp_path / "j.sqlite")
    res = CliRunner().invoke(app, ["watch", str(feeds), "--once", "--db", db, "--log-format", "json", *FAST])
    assert res.exit_code == 1, res.output  # a feed could not be read
    lines = [json.loads(x) for x in res.output.splitlines() if x.strip()]
    events = [x["event"] for x in lines]
    assert "stored" in events and "failed" in events and events[-1] == "poll"
    assert lines[-1]["stored"] == 1 and lines[-1]["feed_errors"] >= 1
    assert all({"ts", "level", "message"} <= set(x) for x in lines)
    opml = tmp_path / "subs.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body><outline text="a" xmlUrl="{site.url("/atom.xml")}"/></body></opml>')
    again = CliRunner().invoke(app, ["watch", str(opml), "--once", "--db", db, *FAST])
    assert again.exit_code == 0, again.output
    bad = CliRunner().invoke(app, ["watch", str(tmp_path / "missing.txt"), "--once", "--db", db])
    assert bad.exit_code == 2
    assert CliRunner().invoke(app, ["watch", site.url("/atom.xml"), "--interval", "soon", "--db", db]).exit_code == 2


def _burst_article(i: int) -> Article:
    places = ["Kirkuk", "Mosul", "Basra", "Ramadi", "Tikrit", "Samarra", "Baqubah", "Fallujah", "Najaf", "Karbala"]
    return Article(
        f"b{i}", f"Clash number {i} near {places[i % 10]}",
        (f"Gunmen attacked an army post near {places[i % 10]} on Monday, killing {i % 5 + 2} soldiers, officials said.",
         f"The attack was the {i + 1}th reported in the province this year, a spokesman told reporters on Tuesday."),
        date(2023, 7, 4), "Desk",
    )  # fmt: skip


@pytest.mark.slow
def test_a_watch_killed_mid_poll_resumes_without_losing_or_duplicating(site, tmp_path):
    n = 24
    items = []
    for i in range(n):
        a = _burst_article(i)
        site.routes[f"/b/{i}"] = Route(article_html(a).encode(), delay=0.15)
        items.append((a, site.url(f"/b/{i}")))
    feed = site.url("/burst.xml")
    site.routes["/burst.xml"] = Route(rss(items).encode(), content_type="application/rss+xml", etag='"b1"')
    db = str(tmp_path / "kill.sqlite")
    cmd = [sys.executable, "-c", "from eventwire.cli import main; main()", "watch", feed, "--once", "--db", db,
           "--batch-size", "4", *FAST]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored, deadline = 0, time.time() + 120
    while time.time() < deadline and stored < 8 and proc.poll() is None:
        time.sleep(0.3)
        try:
            with Store(db) as s:
                stored = s.counts()["documents"]
        except Exception:  # noqa: BLE001 - not created yet
            stored = 0
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 8 <= stored < n, "the watch was not killed mid-poll"
    hits_before = sum(site.hits[f"/b/{i}"] for i in range(n))
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db) as s, s.engine.connect() as c:
        assert s.counts()["documents"] == n
        urls = [u for (u,) in c.execute(text("SELECT url FROM documents"))]
        assert sorted(urls) == sorted(site.url(f"/b/{i}") for i in range(n))
        bad = c.execute(text("SELECT d.id FROM documents d LEFT JOIN events e ON e.doc_id = d.id "
                             "GROUP BY d.id, d.n_events HAVING COUNT(e.id) != d.n_events")).all()  # fmt: skip
        assert bad == []
        log = FetchLog(s)
        assert all(log.get(site.url(f"/b/{i}")).status == "ok" for i in range(n))
        assert log.get(feed).etag == '"b1"'
    refetched = sum(site.hits[f"/b/{i}"] for i in range(n)) - n
    assert refetched <= 8, f"{refetched} pages fetched twice"  # at most what was in flight (two batches)
    assert hits_before >= stored
