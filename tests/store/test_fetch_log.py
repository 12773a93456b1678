"""The watcher's bookkeeping against a real server and a real store, without the coder: what is
written when, retries coming due, the feed's text standing in for a missing page, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventwire.ingest.fetch import FetchConfig, Fetcher
from eventwire.ingest.watch import Watcher, read_feed_list
from eventwire.pipeline import IngestStep
from eventwire.store import FetchLog, Store
from eventwire.store.store import IngestOutcome
from support.webpages import ALEPPO, KIRKUK, MOSUL, article_html, atom, rss
from support.webserver import Route


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    url = str(tmp_path / "w.sqlite") if request.param == "sqlite" else request.getfixturevalue("fresh_postgres_url")
    with Store(url) as s:
        yield s


def _fetcher():
    return Fetcher(FetchConfig(delay=0, attempts=1, read_timeout=1, backoff=0.01), sleep=lambda s: None)


def _stored(doc, n_events=1):
    return IngestStep("stored", doc.id, outcome=IngestOutcome(doc.id, "added", n_events))


def test_validators_are_kept_only_after_every_new_item_is_settled(site, store):
    site.routes["/a"] = Route(article_html(MOSUL).encode())
    site.routes["/b"] = Route(article_html(KIRKUK).encode())
    site.routes["/feed"] = Route(rss([(MOSUL, site.url("/a")), (KIRKUK, site.url("/b"))]).encode(), etag='"e1"')
    log = FetchLog(store)
    w = Watcher(_fetcher(), log)
    docs = list(w.documents([site.url("/feed")]))
    assert [d.title for d in docs] == [MOSUL.title, KIRKUK.title]
    assert log.get(site.url("/feed")) is None  # nothing settled yet: a kill now refetches the feed
    w.settle(_stored(docs[0]))
    assert log.get(site.url("/a")).status == "ok" and log.get(site.url("/feed")) is None
    w.settle(_stored(docs[1]))
    assert log.get(site.url("/feed")).etag == '"e1"'
    # a new run: the feed is not modified, nothing is fetched
    hits = dict(site.hits)
    assert list(Watcher(_fetcher(), log).documents([site.url("/feed")])) == []
    assert site.hits["/a"] == hits["/a"] and site.hits["/feed"] == hits["/feed"] + 1


def test_a_transient_failure_is_retried_when_due_and_a_404_falls_back_to_the_feed_text(site, store):
    site.routes["/flaky"] = Route(article_html(MOSUL).encode(), fail_times=1)
    site.routes["/feed"] = Route(atom([(MOSUL, site.url("/flaky")), (ALEPPO, site.url("/gone"))]).encode())
    log = FetchLog(store)
    t0 = datetime.now(UTC)
    w = Watcher(_fetcher(), log, now=lambda: t0)
    docs = list(w.documents([site.url("/feed")]))
    # the atom entries carry their text: the 404 page is replaced by it, the 500 one too
    assert {d.url for d in docs} == {site.url("/gone"), site.url("/flaky")}
    for d in docs:
        w.settle(_stored(d))

    site.routes["/feed2"] = Route(rss([(KIRKUK, site.url("/k"))]).encode())  # teaser only
    site.routes["/k"] = Route(b"", fail_times=5)
    w2 = Watcher(_fetcher(), log, now=lambda: t0)
    assert list(w2.documents([site.url("/feed2")])) == []
    rec = log.get(site.url("/k"))
    assert rec.status == "retry" and rec.attempts == 1 and rec.retry_at > t0 and w2.counts.failed == 1
    assert list(Watcher(_fetcher(), log, now=lambda: t0 + timedelta(minutes=1)).documents([])) == []  # not due yet
    site.routes["/k"] = Route(article_html(KIRKUK).encode())
    w3 = Watcher(_fetcher(), log, now=lambda: t0 + timedelta(hours=1))
    (doc,) = w3.documents([])
    assert doc.title == KIRKUK.title and doc.publication_date == KIRKUK.published
    w3.settle(_stored(doc))
    assert log.get(site.url("/k")).status == "ok"


def test_a_coding_failure_is_final_and_a_store_failure_is_retried(site, store):
    site.routes["/a"] = Route(article_html(MOSUL).encode())
    site.routes["/b"] = Route(article_html(KIRKUK).encode())
    site.routes["/feed"] = Route(rss([(MOSUL, site.url("/a")), (KIRKUK, site.url("/b"))]).encode())
    log = FetchLog(store)
    w = Watcher(_fetcher(), log)
    a, b = w.documents([site.url("/feed")])
    w.settle(IngestStep("failed", a.id, "ValueError: bad"))
    w.settle(IngestStep("unstored", b.id, "database is locked"))
    assert log.get(site.url("/a")).status == "failed" and log.get(site.url("/b")).status == "retry"
    assert w.counts.failed == 2 and log.get(site.url("/feed")) is not None


def test_links_already_stored_are_not_fetched(site, store):
    from eventwire.ingest.html import document_from_html

    doc = document_from_html(article_html(MOSUL).encode(), "x", url=site.url("/a"))
    store.add_document(doc, [])  # e.g. from a WARC backfill
    site.routes["/a"] = Route(article_html(MOSUL).encode())
    site.routes["/feed"] = Route(rss([(MOSUL, site.url("/a?utm_source=rss"))]).encode())
    w = Watcher(_fetcher(), FetchLog(store))
    assert list(w.documents([site.url("/feed")])) == []
    assert site.hits["/a"] == 0 and w.counts.skipped == 1


def test_feed_lists(tmp_path):
    assert read_feed_list("https://x.example/rss?utm_source=a") == ["https://x.example/rss"]
    f = tmp_path / "feeds.txt"
    f.write_text("# mine\nhttps://a.example/rss\n\nhttps://a.example/rss  # twice\nhttps://b.example/atom\n")
    assert read_feed_list(str(f)) == ["https://a.example/rss", "https://b.example/atom"]
    f.write_text("not a url\n")
    assert "not feed URLs" in read_feed_list(str(f))
    o = tmp_path / "subs.opml"
    o.write_text('<opml version="2.0"><body><outline xmlUrl="https://a.example/rss?x=1&amp;y=2"/></body></opml>')
    assert read_feed_list(str(o)) == ["https://a.example/rss?x=1&y=2"]
    assert "no such file" in read_feed_list(str(tmp_path / "nope"))
