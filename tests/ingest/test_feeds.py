"""RSS and Atom feeds: items with their link, title, date, author and text."""

from __future__ import annotations

import io
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.ingest import IngestError, Skipped
from eventwire.ingest.feeds import Feed, parse_feed, read_feed
from eventwire.ingest.urls import document_id
from eventwire.model import Document
from support.webpages import ALEPPO, KIRKUK, MOGADISHU, MOSUL, atom, rss


def _read(text: str, name: str = "feed.xml"):
    return list(read_feed(io.BytesIO(text.encode("utf-8")), name))


def test_rss_items_with_full_text_become_documents():
    items = [(MOSUL, "https://lantern.example/world/mosul?utm_source=rss"), (KIRKUK, "https://lantern.example/world/kirkuk")]
    docs = _read(rss(items, full_text=True))
    assert [d.title for d in docs] == [MOSUL.title, KIRKUK.title]
    m = docs[0]
    assert isinstance(m, Document)
    assert m.url == "https://lantern.example/world/mosul"
    assert m.id == document_id("https://lantern.example/world/mosul")  # the same id the page will have
    assert m.publication_date == MOSUL.published
    assert m.source == "The Lantern: World"
    assert m.text.splitlines()[0] == MOSUL.title and MOSUL.paragraphs[-1] in m.text


def test_teaser_only_items_are_skipped_with_their_link():
    out = _read(rss([(MOGADISHU, "https://lantern.example/m")], full_text=False))
    assert len(out) == 1 and isinstance(out[0], Skipped)
    assert "https://lantern.example/m" in out[0].source


def test_atom_entries():
    docs = _read(atom([(ALEPPO, "https://courier.example/aleppo")]), "courier.atom")
    (d,) = docs
    assert isinstance(d, Document)
    assert d.url == "https://courier.example/aleppo" and d.publication_date == ALEPPO.published
    assert d.author == ALEPPO.author and d.source == "Daily Courier"
    assert "<p>" not in d.text and ALEPPO.paragraphs[1] in d.text


def test_relative_links_are_resolved_against_the_feed_url():
    feed = parse_feed(rss([(KIRKUK, "/world/kirkuk")]).encode(), "f", base_url="https://lantern.example/feeds/world.xml")
    assert isinstance(feed, Feed)
    assert feed.items[0].link == "https://lantern.example/world/kirkuk"
    assert feed.items[0].published == date(2023, 6, 12)


def test_malformed_feeds():
    broken = rss([(MOSUL, "https://lantern.example/a"), (KIRKUK, "https://lantern.example/b")], full_text=True)
    broken = broken.replace("</channel></rss>", "<item><title>unclosed & bad</item>")
    feed = parse_feed(broken.encode(), "broken.xml")
    assert isinstance(feed, Feed) and feed.problem  # read anyway, the problem noted
    assert [i.link for i in feed.items][:2] == ["https://lantern.example/a", "https://lantern.example/b"]
    err = parse_feed(b"<html><body>Not found</body></html>", "nf.xml")
    assert isinstance(err, IngestError) and "not an RSS or Atom feed" in err.message
    (err2,) = _read("")
    assert isinstance(err2, IngestError)
    (none,) = _read('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    assert isinstance(none, Skipped)


def test_a_path_or_url_in_the_feed_body_is_never_opened(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text(rss([(MOSUL, "https://lantern.example/a")], full_text=True))
    out = list(read_feed(io.BytesIO(str(secret).encode()), "path.xml"))
    assert all(not isinstance(x, Document) for x in out)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data):
    for item in read_feed(io.BytesIO(data), "fuzz.xml"):
        assert isinstance(item, Document | IngestError | Skipped)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(['<?xml version="1.0"?>', "<rss version='2.0'>", "<channel>", "<item>", "</item>",
                                 "<title>", "</title>", "<link>", "https://x.example/a", "</link>", "<pubDate>",
                                 "Mon, 99 Foo 2023", "</pubDate>", "<description>", "&lt;p&gt;", "&bogus;",
                                 "<![CDATA[", "]]>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>",
                                 "<content type='html'>", "Troops shelled the town on Monday, killing two. " * 8]),
                max_size=40))
def test_arbitrary_feed_markup_never_raises(parts):
    for item in read_feed(io.BytesIO("".join(parts).encode()), "fuzz.xml"):
        assert isinstance(item, Document | IngestError | Skipped)
