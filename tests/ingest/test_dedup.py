"""URL normalisation and near-identical texts: what makes two documents copies of one."""

from __future__ import annotations

import pytest

from eventwire.ingest.dedup import MIN_WORDS, DedupIndex, fingerprint, similarity
from eventwire.ingest.urls import document_id, is_site_root, normalize_url, url_key
from eventwire.model import Document
from support.webpages import ALEPPO, ARTICLES, KIRKUK, MOSUL, MOSUL_SYNDICATED


@pytest.mark.parametrize(("raw", "norm"), [
    ("https://Lantern.Example:443/world/a?utm_source=rss&utm_medium=feed&id=5#comments", "https://lantern.example/world/a?id=5"),
    ("https://x.example/a?smid=tw-share&cmpid=rss&fbclid=Iw1&gclid=2&page=2", "https://x.example/a?page=2"),
    ("http://x.example/a?b=2&a=1", "http://x.example/a?a=1&b=2"),
    ("https://x.example", "https://x.example/"),
    ("javascript:alert(1)", None), ("mailto:desk@x.example", None), ("/relative/path", None), ("", None),
    ("http://[::1", None), ("https://x.example/\x00", None),
])  # fmt: skip
def test_normalize_url(raw, norm):
    assert normalize_url(raw) == norm


def test_one_page_one_key_and_id():
    same = ["https://www.x.example/world/a/", "http://x.example/world/a?utm_campaign=z", "https://x.example/world/a#top"]
    assert len({url_key(u) for u in same}) == 1
    assert len({document_id(u) for u in same}) == 1
    assert document_id("https://x.example/world/b") != document_id(same[0])
    assert is_site_root("https://www.x.example/") and not is_site_root("https://x.example/a")


def _doc(doc_id: str, text: str, url: str | None = None, canonical: str | None = None) -> Document:
    return Document(doc_id, text, url=url, canonical_url=canonical)


def test_a_syndicated_copy_is_near_identical_and_other_reports_are_not():
    a = fingerprint(_doc("a", f"{MOSUL.title}\n{MOSUL.body}"))
    b = fingerprint(_doc("b", f"{MOSUL_SYNDICATED.title}\n{MOSUL_SYNDICATED.body}"))
    assert similarity(a.signature, b.signature) >= 0.8
    for other in ARTICLES[1:]:
        o = fingerprint(_doc(other.slug, f"{other.title}\n{other.body}"))
        assert similarity(a.signature, o.signature) < 0.3


def test_short_texts_are_never_compared():
    short = "Gunmen killed two police officers in Kirkuk on Monday, officials said."
    assert len(short.split()) < MIN_WORDS
    fp = fingerprint(_doc("s", short))
    assert fp.signature is None and fp.band_keys == []


def test_index_finds_url_and_text_copies_and_points_copies_of_copies_to_the_original():
    idx = DedupIndex()
    first = fingerprint(_doc("first", MOSUL.body, url="https://lantern.example/world/mosul"))
    assert idx.find(first) is None
    idx.add(first)
    by_url = fingerprint(_doc("amp", KIRKUK.body, url="https://lantern.example/amp/mosul",
                              canonical="https://www.lantern.example/world/mosul/?utm_source=amp"))  # fmt: skip
    m = idx.find(by_url)
    assert m is not None and m.original == "first" and m.reason == "url"
    idx.add(by_url, m.original)
    by_text = fingerprint(_doc("wire", MOSUL_SYNDICATED.body, url="https://courier.example/wire/123"))
    m2 = idx.find(by_text)
    assert m2 is not None and m2.original == "first" and m2.reason == "text" and m2.similarity >= 0.8
    unrelated = fingerprint(_doc("g", ALEPPO.body, url="https://courier.example/aleppo"))
    assert idx.find(unrelated) is None


def test_a_shared_home_page_canonical_is_no_evidence():
    idx = DedupIndex()
    idx.add(fingerprint(_doc("a", MOSUL.body, url="https://x.example/a", canonical="https://x.example/")))
    other = fingerprint(_doc("b", KIRKUK.body, url="https://x.example/b", canonical="https://x.example/"))
    assert idx.find(other) is None
