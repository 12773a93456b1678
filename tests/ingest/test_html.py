"""HTML pages to documents: main text, metadata, charsets, pages that are not articles."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.ingest import IngestError, Skipped
from eventwire.ingest.html import decode_html, document_from_html
from eventwire.model import Document
from support.webpages import (
    ALEPPO,
    BOILERPLATE_WORDS,
    KIRKUK,
    MOSUL,
    article_html,
    section_front_html,
)


def test_main_text_title_author_source_and_date_from_the_page():
    html = article_html(MOSUL, canonical="https://lantern.example/world/mosul-checkpoint?utm_source=rss")
    doc = document_from_html(html.encode(), "page.html", url="https://www.lantern.example/world/mosul-checkpoint?utm_medium=x#top")
    assert isinstance(doc, Document)
    assert doc.title == MOSUL.title
    assert doc.author == MOSUL.author
    assert doc.source == "The Lantern"
    assert doc.publication_date == MOSUL.published
    assert doc.url == "https://www.lantern.example/world/mosul-checkpoint"
    assert doc.canonical_url == "https://lantern.example/world/mosul-checkpoint"
    assert doc.id.startswith("web-")
    # the headline is the first line, then the paragraphs; no navigation, promos, comments, footer
    assert doc.text.splitlines()[0] == MOSUL.title
    for p in MOSUL.paragraphs:
        assert p in doc.text
    for junk in (*BOILERPLATE_WORDS, "Politics", "Most read story number"):
        assert junk not in doc.text


@pytest.mark.parametrize("style", ["og", "jsonld", "time", "meta"])
def test_publication_date_from_each_kind_of_metadata(style):
    doc = document_from_html(article_html(KIRKUK, date_style=style).encode(), "k.html", fallback_id="k")
    assert isinstance(doc, Document)
    assert doc.publication_date == KIRKUK.published


def test_metadata_date_wins_over_the_fallback_and_the_fallback_over_nothing():
    page = article_html(KIRKUK, date_style="og").encode()
    assert document_from_html(page, "k", fallback_id="k", publication_date=date(2001, 1, 1)).publication_date == KIRKUK.published
    bare = article_html(KIRKUK, date_style="none").encode()
    assert document_from_html(bare, "k", fallback_id="k", publication_date=date(2023, 6, 20)).publication_date == date(2023, 6, 20)


def test_the_same_page_under_tracking_parameters_has_one_id():
    page = article_html(ALEPPO).encode()
    a = document_from_html(page, "a", url="https://lantern.example/a?utm_source=twitter")
    b = document_from_html(page, "b", url="http://www.lantern.example/a/?fbclid=123")
    assert a.id == b.id


def test_a_saved_page_without_url_takes_its_canonical_url_or_the_file_name():
    with_canonical = document_from_html(article_html(ALEPPO, canonical="https://x.example/a").encode(), "p", fallback_id="p")
    assert with_canonical.url == "https://x.example/a" and with_canonical.id.startswith("web-")
    without = document_from_html(article_html(ALEPPO).encode(), "saved.html", fallback_id="saved")
    assert without.id == "saved" and without.url is None


def test_a_page_that_is_not_an_article_is_an_error_or_skipped():
    page = section_front_html().encode()
    err = document_from_html(page, "front.html", url="https://lantern.example/world")
    assert isinstance(err, IngestError) and "not an article" in err.message
    skipped = document_from_html(page, "front.html", url="https://lantern.example/world", skip_non_articles=True)
    assert isinstance(skipped, Skipped)


def test_empty_and_huge_pages():
    assert "empty" in document_from_html(b"  \n", "e.html").message
    huge = b"<html><body>" + b"<p>word </p>" * 1_000_000 + b"</body></html>"
    assert "larger than" in document_from_html(huge, "huge.html").message


def test_wrong_charset_labels():
    text = "Troops entered Maʿarrat al-Nu‘man on Friday, residents said."
    utf8 = text.encode("utf-8")
    assert decode_html(utf8, "iso-8859-1") == text  # labelled latin-1, is UTF-8
    latin = "Le café de la place a été touché, a déclaré le maire.".encode("cp1252")
    assert decode_html(latin, "utf-8") == "Le café de la place a été touché, a déclaré le maire."  # labelled UTF-8, is not
    meta = b'<html><head><meta charset="windows-1251"></head><body>' + "Киев".encode("cp1251") + b"</body></html>"
    assert "Киев" in decode_html(meta, None)
    assert decode_html(b"\xef\xbb\xbfabc", "latin-1") == "abc"


def test_a_page_in_a_legacy_charset_is_read_right():
    page = article_html(MOSUL, charset="iso-8859-1").replace("Militants attacked", "Militants («armed men») attacked")
    doc = document_from_html(page.encode("cp1252"), "m.html", url="https://lantern.example/m", declared_charset="iso-8859-1")
    assert isinstance(doc, Document)
    assert "«armed men»" in doc.text


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_never_raise(data):
    item = document_from_html(data, "fuzz.html", url="https://fuzz.example/p")
    assert isinstance(item, Document | IngestError | Skipped)
    if isinstance(item, IngestError):
        assert item.source == "fuzz.html" and "\n" not in item.message


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<article>", "<h1>", "<meta charset='x'>", "<script>",
                                 "Gunmen killed two people in Basra on Monday, police said. ", "&amp;", "<!--",
                                 "<html>", "<body>", "<title>", "\x00", "é"]), max_size=60))
def test_arbitrary_markup_never_raises(parts):
    item = document_from_html("".join(parts).encode("utf-8"), "fuzz.html", fallback_id="fuzz")
    assert isinstance(item, Document | IngestError | Skipped)
