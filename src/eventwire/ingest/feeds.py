"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds (feedparser): each item's link, title, date, author and
its text when the feed carries it.

``parse_feed`` gives the items (what ``eventwire watch`` follows); ``read_feed`` makes documents of
the items whose text is in the feed, for ``eventwire ingest`` of a saved feed.  An item that only
links to its article, or gives a one-line teaser, is ``Skipped``: its text is on the page.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, Any

from eventwire.ingest.html import MIN_PROSE_WORDS, _prose_words, html_fragment_text
from eventwire.ingest.limits import MAX_DOCUMENT_CHARS
from eventwire.ingest.readers import IngestError, document_from_text
from eventwire.ingest.skipped import Skipped
from eventwire.ingest.urls import document_id, normalize_url
from eventwire.model import Document

log = logging.getLogger(__name__)

MAX_FEED_BYTES = 20_000_000
MAX_ITEMS = 10_000
# A feed item's text is its article when the item's content (content:encoded, atom:content) has
# prose, as a page must (html.MIN_PROSE_WORDS); a summary (description) only when it has several
# lines and this many words of prose: a teaser of a sentence or two is not the article.
MIN_SUMMARY_PROSE_WORDS = 60
MIN_SUMMARY_LINES = 2


@dataclass(slots=True)
class FeedItem:
    """One entry of a feed."""

    link: str | None  # normalised; None when the item has no usable link
    title: str | None = None
    published: date | None = None
    author: str | None = None
    guid: str | None = None
    text: str | None = None  # plain text of the item's content (or summary), lines for blocks
    full: bool = False  # the text is the item's content, not a summary

    @property
    def has_article(self) -> bool:
        if not self.text:
            return False
        if self.full:
            return _prose_words(self.text) >= MIN_PROSE_WORDS
        lines = [ln for ln in self.text.splitlines() if ln.strip()]
        return len(lines) >= MIN_SUMMARY_LINES and _prose_words(self.text) >= MIN_SUMMARY_PROSE_WORDS


@dataclass(slots=True)
class Feed:
    title: str | None = None
    link: str | None = None
    kind: str = ""  # feedparser's version: rss20, atom10, rss10...
    items: list[FeedItem] = field(default_factory=list)
    problem: str | None = None  # set when the feed was malformed but items could be read


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a file are an RSS, RDF or Atom document."""
    probe = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith(b"<?xml"):
        probe = probe[:2048]
        return any(tag in probe for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel"))
    return probe.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def _struct_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC).date()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text_of(entry: Any) -> tuple[str | None, bool]:
    """The fullest text an entry carries, and whether it is its content (else its summary)."""
    best = ""
    for part in entry.get("content") or []:
        value = part.get("value") if isinstance(part, dict) else None
        if isinstance(value, str) and len(value) > len(best):
            best = value
    full = bool(best.strip())
    summary = entry.get("summary")
    if not full and isinstance(summary, str):
        best = summary
    if not best.strip():
        return None, False
    return html_fragment_text(best) or None, full


def _clean(value: Any, limit: int = 500) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:limit] or None


def parse_feed(
    raw: bytes, name: str, base_url: str | None = None, content_type: str | None = None
) -> Feed | IngestError:
    """The items of a feed; an ``IngestError`` when ``raw`` is not a feed at all.  ``base_url``
    resolves relative links; ``content_type`` is the server's (its charset is a hint)."""
    import feedparser

    if len(raw) > MAX_FEED_BYTES:
        return IngestError(name, f"feed larger than {MAX_FEED_BYTES // 1_000_000} MB")
    if not raw.strip():
        return IngestError(name, "empty feed")
    headers = {"content-type": content_type or "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    try:
        # a stream, never a string: feedparser opens strings that look like paths or URLs
        parsed = feedparser.parse(io.BytesIO(raw), response_headers=headers, sanitize_html=True)
    except Exception as exc:  # noqa: BLE001 - feedparser on hostile input
        return IngestError(name, f"unreadable feed ({type(exc).__name__})")
    problem = None
    if parsed.get("bozo"):
        why = parsed.get("bozo_exception")
        problem = " ".join(f"{type(why).__name__}: {why}".split())[:200] if why else "malformed"
    if not parsed.get("version") and not parsed.entries:
        return IngestError(name, f"not an RSS or Atom feed ({problem or 'no feed elements'})")
    meta = parsed.get("feed") or {}
    feed = Feed(title=_clean(meta.get("title")), link=normalize_url(meta.get("link")),
                kind=parsed.get("version") or "", problem=problem)  # fmt: skip
    for entry in parsed.entries[:MAX_ITEMS]:
        _entry_items(entry, base_url, feed)
    if problem and feed.items:
        log.info("%s: malformed feed, %d items read anyway (%s)", name, len(feed.items), problem)
    return feed


def _entry_items(entry: Any, base_url: str | None, feed: Feed) -> None:
    with warnings.catch_warnings():  # feedparser warns about its updated/published fallback
        warnings.simplefilter("ignore", DeprecationWarning)
        published = _struct_date(entry.get("published_parsed") or entry.get("updated_parsed"))
    link = normalize_url(entry.get("link"), base=base_url)
    guid = _clean(entry.get("id"), 1000)
    if link is None and guid:
        link = normalize_url(guid, base=base_url)
    text, full = _text_of(entry)
    feed.items.append(
        FeedItem(link=link, title=_clean(entry.get("title")), published=published,
                 author=_clean(entry.get("author")), guid=guid, text=text, full=full)
    )  # fmt: skip


def item_document(item: FeedItem, feed: Feed, fallback_id: str) -> Document | None:
    """A document of a feed item that carries its article's text (``None`` when it does not)."""
    if not item.has_article or item.text is None:
        return None
    text = item.text if not item.title or item.text.startswith(item.title) else f"{item.title}\n{item.text}"
    if len(text) > MAX_DOCUMENT_CHARS:
        return None
    doc_id = document_id(item.link) if item.link else fallback_id
    doc = document_from_text(text, doc_id, item.published, source=feed.title)
    doc.title = item.title or doc.title
    doc.url = item.link
    doc.author = item.author
    return doc


def read_feed(stream: IO[bytes], name: str, publication_date: date | None = None) -> Iterator[Document | IngestError | Skipped]:
    """Documents of the items of a saved feed that carry their text; the others ``Skipped``."""
    raw = stream.read(MAX_FEED_BYTES + 1)
    feed = parse_feed(raw, name)
    if isinstance(feed, IngestError):
        yield feed
        return
    if not feed.items:
        yield Skipped(name, "feed has no items")
        return
    for i, item in enumerate(feed.items, 1):
        where = f"{name}#{i}" + (f" ({item.link})" if item.link else "")
        key = item.guid or item.title or str(i)
        fallback = f"feed-{hashlib.sha1(f'{name}|{key}'.encode()).hexdigest()[:20]}"
        doc = item_document(item, feed, fallback)
        if doc is None:
            yield Skipped(where, "the feed gives no article text for this item (eventwire watch fetches its page)")
            continue
        if doc.publication_date is None and publication_date is not None:
            doc.publication_date = publication_date
        yield doc
