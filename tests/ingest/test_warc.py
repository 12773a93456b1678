"""WARC and WARC.gz archives: HTML response and resource records become documents."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.ingest import IngestError, Skipped
from eventwire.ingest.warc import read_warc
from eventwire.model import Document
from support.webpages import ALEPPO, KIRKUK, MOSUL, article_html, section_front_html, warc_bytes

HTML = "text/html; charset=utf-8"


def _archive(gz: bool = True) -> bytes:
    return warc_bytes([
        ("request", "https://lantern.example/world/mosul", b"", ""),
        ("response", "https://lantern.example/world/mosul?utm_source=feed", article_html(MOSUL).encode(), HTML),
        ("response", "https://lantern.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        ("redirect", "http://lantern.example/k", b"https://lantern.example/world/kirkuk", ""),
        ("response", "https://lantern.example/world", section_front_html().encode(), HTML),
        ("resource", "file:///saved/aleppo.html", article_html(ALEPPO).encode(), "text/html"),
        ("metadata", "https://lantern.example/world/mosul", b"outlinks: 3", "application/warc-fields"),
        ("response", "https://lantern.example/world/kirkuk", article_html(KIRKUK).encode("utf-8"), "text/html; charset=iso-8859-1"),
    ], gz=gz)  # fmt: skip


def _split(items):
    items = list(items)
    docs = [i for i in items if isinstance(i, Document)]
    return docs, [i for i in items if isinstance(i, IngestError)], [i for i in items if isinstance(i, Skipped)]


def test_html_records_become_documents_with_their_urls():
    for gz in (True, False):
        docs, errors, skipped = _split(read_warc(io.BytesIO(_archive(gz)), "crawl.warc.gz"))
        assert errors == []
        assert [d.title for d in docs] == [MOSUL.title, ALEPPO.title, KIRKUK.title]
        assert docs[0].url == "https://lantern.example/world/mosul"
        assert docs[0].publication_date == MOSUL.published
        assert docs[1].url is None and docs[1].id.startswith("crawl.warc.gz-")  # a file: URI is no web URL
        assert [s.source.split(" ")[0] for s in skipped] == ["crawl.warc.gz#6"]  # the section front


def test_a_truncated_archive_keeps_the_records_before_the_break():
    data = _archive(gz=True)
    items = list(read_warc(io.BytesIO(data[: len(data) - 300]), "cut.warc.gz"))
    docs, errors, _ = _split(items)
    assert [d.title for d in docs][:2] == [MOSUL.title, ALEPPO.title]
    assert len(errors) == 1 and errors[0].source.startswith("cut.warc.gz")


def test_not_an_archive():
    (err,) = list(read_warc(io.BytesIO(b"<html>not a warc</html>"), "x.warc"))
    assert isinstance(err, IngestError) and "not a readable WARC" in err.message
    (empty,) = list(read_warc(io.BytesIO(b""), "e.warc"))
    assert isinstance(empty, IngestError)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data):
    for item in read_warc(io.BytesIO(data), "fuzz.warc"):
        assert isinstance(item, Document | IngestError | Skipped)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=40))
def test_corrupted_archives_never_raise(at, junk):
    data = bytearray(_archive(gz=False))
    at = at % len(data)
    data[at : at + len(junk)] = junk
    for item in read_warc(io.BytesIO(bytes(data)), "bad.warc"):
        assert isinstance(item, Document | IngestError | Skipped)
