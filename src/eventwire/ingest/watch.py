"""Following feeds: the documents of their new items (``eventwire watch``).

``Watcher.documents(feeds)`` polls each feed (a conditional GET with the validators of the last
poll), and for each item whose link it has not settled before fetches the article page and
yields its document (the page's text and metadata; the feed's date, title and text fill what the
page lacks, and stand in for a page that cannot be had).  Links whose retry time has come are
tried again.  It yields ``Document`` records only: what is skipped or failed is logged, counted
and written to the fetch log at once.

The caller stores the documents (``pipeline.ingest_into``) and hands every resulting step to
``Watcher.settle``, which writes the link's row only then; a feed's validators are written once
all of its new items are settled.  So a poll killed at any moment has stored complete documents,
refetches at most what was in flight, and loses nothing; the next poll resumes.

Log records (logger ``eventwire.watch``) carry an ``ew`` dict (``event``: feed, fetched,
skipped, failed, stored, duplicate, poll) that ``--log-format json`` prints as one JSON object.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from eventwire.ingest.feeds import Feed, FeedItem, item_document, parse_feed
from eventwire.ingest.fetch import Fetcher, is_private_host
from eventwire.ingest.fetchlog import FetchLogLike, FetchRecord
from eventwire.ingest.html import charset_of, document_from_html
from eventwire.ingest.readers import IngestError
from eventwire.ingest.skipped import Skipped
from eventwire.ingest.urls import normalize_url
from eventwire.model import Document

log = logging.getLogger("eventwire.watch")

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
MAX_ATTEMPTS = 5  # polls that try a failing link before it is given up
RETRY_BASE = timedelta(minutes=5)  # doubled after each failed poll
MAX_FEED_BYTES = 20_000_000
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(slots=True)
class WatchCounts:
    feeds: int = 0
    fetched: int = 0  # responses with a body (feeds and pages)
    skipped: int = 0  # not modified, already had, not an article, not HTML, disallowed
    duplicate: int = 0  # stored before with the same content, or stored as a copy
    failed: int = 0  # could not be fetched or coded (retried later when transient)
    stored: int = 0  # new documents coded and stored
    events: int = 0
    feed_errors: int = 0  # feeds that could not be read at all

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(slots=True)
class _Pending:
    """A document handed to the caller, waiting for its store step."""

    links: list[tuple[str, str | None, dict[str, Any] | None, int]]  # (link, feed url, item, attempts)
    doc: Document
    http_status: int | None = None


@dataclass(slots=True)
class _FeedState:
    url: str
    etag: str | None
    last_modified: str | None
    waiting: set[str] = field(default_factory=set)  # doc ids not yet settled
    done: bool = False  # all its items handed out
    http_status: int | None = None


def _emit(level: int, message: str, **fields: Any) -> None:
    log.log(level, message, extra={"ew": fields})


def _item_record(item: FeedItem, feed: Feed) -> dict[str, Any]:
    return {"link": item.link, "title": item.title, "published": item.published.isoformat() if item.published else None,
            "author": item.author, "text": item.text, "full": item.full, "feed_title": feed.title}  # fmt: skip


def _item_from_record(rec: dict[str, Any]) -> tuple[FeedItem, Feed]:
    pub = None
    if rec.get("published"):
        try:
            pub = date.fromisoformat(rec["published"])
        except ValueError:
            pub = None
    item = FeedItem(link=rec.get("link"), title=rec.get("title"), published=pub, author=rec.get("author"),
                    text=rec.get("text"), full=bool(rec.get("full")))  # fmt: skip
    return item, Feed(title=rec.get("feed_title"))


class Watcher:
    """Polls feeds through ``fetcher`` and keeps its state in ``fetch_log``."""

    def __init__(self, fetcher: Fetcher, fetch_log: FetchLogLike, *, now: Any = None) -> None:
        self.fetcher = fetcher
        self.fetch_log = fetch_log
        self.counts = WatchCounts()
        self._now = now or (lambda: datetime.now(UTC))
        self._pending: dict[str, _Pending] = {}
        self._feeds: dict[str, _FeedState] = {}

    # -- the poll -----------------------------------------------------------------------------
    def documents(self, feeds: Iterable[str]) -> Iterator[Document]:
        """The documents of the new items of ``feeds`` and of links due for a retry."""
        for feed_url in feeds:
            yield from self._poll_feed(feed_url)
        yield from self._retries()

    def _poll_feed(self, feed_url: str) -> Iterator[Document]:
        self.counts.feeds += 1
        prev = self.fetch_log.get(feed_url)
        res = self.fetcher.get(
            feed_url, etag=prev.etag if prev else None, last_modified=prev.last_modified if prev else None,
            max_bytes=MAX_FEED_BYTES, accept=FEED_ACCEPT,
        )  # fmt: skip
        if res.not_modified:
            self.counts.skipped += 1
            _emit(logging.INFO, f"feed {feed_url}: not modified", event="feed", url=feed_url, status=304)
            return
        if not res.ok or res.body is None:
            self.counts.feed_errors += 1
            _emit(logging.WARNING, f"feed {feed_url}: {res.error}", event="failed", url=feed_url, kind="feed",
                  reason=res.error, status=res.status)  # fmt: skip
            return
        self.counts.fetched += 1
        feed = parse_feed(res.body, feed_url, base_url=res.final_url, content_type=res.content_type)
        if isinstance(feed, IngestError):
            self.counts.feed_errors += 1
            _emit(logging.WARNING, f"feed {feed_url}: {feed.message}", event="failed", url=feed_url, kind="feed",
                  reason=feed.message, status=res.status)  # fmt: skip
            return
        items: dict[str, FeedItem] = {}
        for item in feed.items:
            if item.link and item.link not in items:
                items[item.link] = item
        settled = self.fetch_log.settled(list(items))
        # a document stored under the link (by a run killed before it wrote the link's row, by a
        # backfill, from another feed): nothing to fetch; its row is written now
        stored = self.fetch_log.stored_urls([u for u in items if u not in settled])
        if stored:
            self.fetch_log.record([self._page_record(u, "ok", None, "stored before", None, 0) for u in sorted(stored)])
        known = settled | stored
        new = [i for link, i in items.items() if link not in known]
        self.counts.skipped += len(items) - len(new)
        _emit(logging.INFO, f"feed {feed_url}: {len(items)} items, {len(new)} new", event="feed", url=feed_url,
              status=res.status, items=len(items), new=len(new), problem=feed.problem)  # fmt: skip
        state = _FeedState(feed_url, res.etag, res.last_modified, http_status=res.status)
        self._feeds[feed_url] = state
        private = is_private_host(urlsplit(res.final_url).hostname)
        for item in new:
            doc = self._fetch_item(item, feed, feed_url, attempts=0, allow_private=private)
            if doc is not None:
                state.waiting.add(doc.id)
                yield doc
        state.done = True
        self._maybe_finish_feed(state)

    def _retries(self) -> Iterator[Document]:
        for rec in self.fetch_log.due(self._now()):
            if rec.kind != "page" or not rec.item:
                continue
            item, feed = _item_from_record(rec.item)
            item.link = item.link or rec.url
            feed_url = (rec.item or {}).get("feed_url")
            private = is_private_host(urlsplit(feed_url).hostname) if feed_url else False
            doc = self._fetch_item(item, feed, feed_url, attempts=rec.attempts, allow_private=private)
            if doc is not None:
                yield doc

    # -- one item ----------------------------------------------------------------------------
    def _fetch_item(
        self, item: FeedItem, feed: Feed, feed_url: str | None, *, attempts: int, allow_private: bool
    ) -> Document | None:
        link = item.link
        assert link is not None
        record = _item_record(item, feed) | {"feed_url": feed_url}
        res = self.fetcher.get(link, allow_private=allow_private)
        doc: Document | IngestError | Skipped | None = None
        if res.ok and res.body is not None:
            self.counts.fetched += 1
            ctype = (res.content_type or "").split(";", 1)[0].strip().lower()
            _emit(logging.DEBUG, f"fetched {link} ({res.status}, {len(res.body):,} bytes)", event="fetched",
                  url=link, final_url=res.final_url, status=res.status, bytes=len(res.body))  # fmt: skip
            if ctype and ctype not in HTML_TYPES and not ctype.endswith("+xml"):
                doc = Skipped(link, f"not an HTML page ({ctype})")
            else:
                doc = document_from_html(
                    res.body, link, url=res.final_url, declared_charset=charset_of(res.content_type),
                    publication_date=item.published, title=item.title, source=feed.title, skip_non_articles=True,
                )  # fmt: skip
        failure = res.error
        if res.refused:
            doc = Skipped(link, res.error or "refused")
        if not isinstance(doc, Document):
            # the page gave nothing: the feed's own text of the item, when it carries the article
            fallback = item_document(item, feed, fallback_id=link)
            if fallback is not None:
                if failure:
                    _emit(logging.INFO, f"{link}: {failure}; using the feed's text", event="fetched", url=link,
                          reason=failure, source="feed")  # fmt: skip
                doc, failure = fallback, None
        if isinstance(doc, Document):
            if doc.author is None:
                doc.author = item.author
            prev = self._pending.get(doc.id)
            if prev is not None:  # two links to one page in this poll: settle both with it
                prev.links.append((link, feed_url, record, attempts))
                return None
            self._pending[doc.id] = _Pending([(link, feed_url, record, attempts)], doc, res.status)
            return doc
        if isinstance(doc, Skipped | IngestError):
            reason = doc.reason if isinstance(doc, Skipped) else doc.message
            self.counts.skipped += 1
            _emit(logging.INFO, f"skipped {link}: {reason}", event="skipped", url=link, reason=reason)
            self.fetch_log.record([self._page_record(link, "skipped", res.status, reason, record, attempts + 1)])
            return None
        self._fail(link, failure or "no page", res.status, record, attempts + 1, transient=res.transient)
        return None

    def _page_record(
        self, link: str, status: str, http_status: int | None, message: str | None, item: dict[str, Any] | None,
        attempts: int, doc_id: str | None = None,
    ) -> FetchRecord:
        retry_at = None
        if status == "retry":
            retry_at = self._now() + RETRY_BASE * (2 ** max(0, attempts - 1))
        return FetchRecord(url=link, kind="page", status=status, http_status=http_status, doc_id=doc_id,
                           attempts=attempts, retry_at=retry_at, item=item if status == "retry" else None,
                           message=message)  # fmt: skip

    def _fail(self, link: str, reason: str, http_status: int | None, item: dict[str, Any] | None, attempts: int,
              *, transient: bool) -> None:  # fmt: skip
        self.counts.failed += 1
        status = "retry" if transient and attempts < MAX_ATTEMPTS else "failed"
        rec = self._page_record(link, status, http_status, reason, item, attempts)
        when = f", retry after {rec.retry_at:%Y-%m-%d %H:%M}Z" if rec.retry_at else ", given up"
        _emit(logging.WARNING, f"failed {link}: {reason}{when}", event="failed", url=link, reason=reason,
              status=http_status, attempts=attempts, retry_at=rec.retry_at.isoformat() if rec.retry_at else None)  # fmt: skip
        self.fetch_log.record([rec])

    # -- settling -----------------------------------------------------------------------------
    def settle(self, step: Any) -> None:
        """Record what became of a document handed out (a ``pipeline.IngestStep``)."""
        pending = self._pending.pop(step.source, None)
        if pending is None:
            return
        doc = pending.doc
        records = []
        if step.kind in ("stored", "unchanged"):
            outcome = step.outcome
            copy_of = getattr(outcome, "copy_of", None)
            if step.kind == "unchanged" or copy_of:
                self.counts.duplicate += 1
                what = f"a copy of {copy_of}" if copy_of else "stored before"
                _emit(logging.INFO, f"duplicate {doc.url or doc.id}: {what}", event="duplicate", url=doc.url,
                      doc_id=doc.id, copy_of=copy_of)  # fmt: skip
            else:
                self.counts.stored += 1
                self.counts.events += outcome.n_events
                _emit(logging.INFO, f"stored {doc.url or doc.id}: {outcome.n_events} events", event="stored",
                      url=doc.url, doc_id=doc.id, events=outcome.n_events, publication_date=str(doc.publication_date))  # fmt: skip
            for link, _feed, _item, attempts in pending.links:
                records.append(self._page_record(link, "ok", pending.http_status, None, None, attempts + 1, doc.id))
            self.fetch_log.record(records)
        else:  # failed (coding), unstored (store)
            for link, _feed, item, attempts in pending.links:
                self._fail(link, f"{step.kind}: {step.message}", pending.http_status, item, attempts + 1,
                           transient=step.kind == "unstored")  # fmt: skip
        for _link, feed_url, _item, _a in pending.links:
            state = self._feeds.get(feed_url or "")
            if state is not None:
                state.waiting.discard(doc.id)
                self._maybe_finish_feed(state)

    def _maybe_finish_feed(self, state: _FeedState) -> None:
        """A feed whose new items are all settled: keep its validators for the next poll."""
        if not state.done or state.waiting:
            return
        self.fetch_log.record([FetchRecord(url=state.url, kind="feed", status="ok", http_status=state.http_status,
                                           etag=state.etag, last_modified=state.last_modified)])  # fmt: skip
        self._feeds.pop(state.url, None)

    def finish(self) -> WatchCounts:
        """End of a poll (after every document was settled): the counts, logged."""
        c = self.counts
        _emit(logging.INFO, f"poll: {c.feeds} feeds, {c.fetched} fetched, {c.stored} stored ({c.events} events), "
              f"{c.duplicate} duplicate, {c.skipped} skipped, {c.failed} failed", event="poll", **c.as_dict())  # fmt: skip
        return c


def read_feed_list(value: str) -> list[str] | str:
    """Feed URLs from a ``FEED_OR_LIST`` argument: a feed URL, or a file of URLs (one a line,
    ``#`` comments) or an OPML subscription list.  A string: the problem."""
    if value.startswith(("http://", "https://")):
        url = normalize_url(value)
        return [url] if url else f"{value!r} is not a valid feed URL"
    from pathlib import Path

    p = Path(value)
    if not p.is_file():
        return f"{value}: not a feed URL and no such file"
    try:
        raw = p.read_bytes()[:5_000_000]
    except OSError as exc:
        return f"{value}: cannot read ({exc.strerror})"
    text = raw.decode("utf-8", errors="replace")
    urls: list[str] = []
    if "<opml" in text[:2000].lower():
        import re

        urls = re.findall(r"""xmlUrl\s*=\s*["']([^"']+)["']""", text, flags=re.IGNORECASE)
        from html import unescape

        urls = [unescape(u) for u in urls]
    else:
        for entry in text.splitlines():
            line = entry.split("#", 1)[0].strip()
            if line:
                urls.append(line)
    good: list[str] = []
    bad: list[str] = []
    for u in urls:
        n = normalize_url(u)
        (good if n else bad).append(n or u)
    if bad:
        return f"{value}: not feed URLs: {', '.join(bad[:5])}"
    if not good:
        return f"{value}: no feed URLs in the file"
    return list(dict.fromkeys(good))
