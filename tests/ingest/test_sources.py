"""Inputs chosen by content, directories and glob patterns."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.ingest import IngestError, Skipped, read_documents
from eventwire.ingest.sources import sniff
from eventwire.model import Document
from support.webpages import ALEPPO, KIRKUK, MOGADISHU, MOSUL, article_html, rss, warc_bytes


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("crawl.dat", b"WARC/1.1\r\nWARC-Type: warcinfo", "warc"),
    ("crawl.warc.gz", gzip.compress(b"WARC/1.0\r\n", mtime=0), "warc"),
    ("feed.txt", b'<?xml version="1.0"?><rss version="2.0"><channel>', "feed"),
    ("x.atom", b"<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
    ("page", b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
    ("page.jsonl", b"<html><head>", "html"),
    ("rows.csv", b"id,text\n", "csv"),
    ("rows.tsv", b"id\ttext\n", "tsv"),
    ("batch.jsonl", b'{"id": "a"}', "jsonl"),
    ("notes", b"Gunmen attacked a checkpoint.", "txt"),
    ("export.dat", b'{"id": "a"}', "jsonl"),
    ("page.html.gz", gzip.compress(b"<!doctype html><html>", mtime=0), "gz:html"),
    ("scan.pdf", b"%PDF-1.7", None),
    ("image.jpg", b"\xff\xd8\xff\xe0", None),
    ("blob.bin", b"\x00\x01\x02", None),
])  # fmt: skip
def test_kind_by_content_then_name(name, head, kind):
    assert sniff(name, head) == kind


def _tree(tmp_path):
    root = tmp_path / "inbox"
    (root / "pages").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "pages" / "mosul.html").write_text(article_html(MOSUL), encoding="utf-8")
    (root / "pages" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (root / ".cache" / "junk.html").write_text(article_html(ALEPPO), encoding="utf-8")
    (root / "crawl.warc.gz").write_bytes(
        warc_bytes([("response", "https://courier.example/kirkuk", article_html(KIRKUK).encode(), "text/html")])
    )
    (root / "world.rss").write_text(rss([(MOGADISHU, "https://lantern.example/mogadishu")], full_text=True))
    return root


def test_a_directory_is_read_recursively_and_other_files_are_passed_over(tmp_path):
    root = _tree(tmp_path)
    items = list(read_documents([str(root)]))
    docs = [i for i in items if isinstance(i, Document)]
    assert sorted(d.title for d in docs) == sorted([MOSUL.title, KIRKUK.title, MOGADISHU.title])
    assert [i for i in items if isinstance(i, IngestError)] == []
    assert [s.source for s in items if isinstance(s, Skipped)] == [str(root / "pages" / "logo.png")]


def test_glob_patterns(tmp_path):
    root = _tree(tmp_path)
    items = list(read_documents([str(root / "**" / "*.html"), str(tmp_path / "none-*.warc")]))
    assert [i.title for i in items if isinstance(i, Document)] == [MOSUL.title]
    errs = [i for i in items if isinstance(i, IngestError)]
    assert len(errs) == 1 and errs[0].message == "no files match the pattern"


def test_an_explicit_file_of_an_unknown_kind_is_an_error(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(b"%PDF-1.7 ...")
    (err,) = read_documents([str(p)])
    assert isinstance(err, IngestError) and "unsupported file type" in err.message
    empty = tmp_path / "empty"
    empty.mkdir()
    (err,) = read_documents([str(empty)])
    assert isinstance(err, IngestError) and "no files" in err.message


def test_gzipped_pages_and_feeds(tmp_path):
    p = tmp_path / "saved.html.gz"
    p.write_bytes(gzip.compress(article_html(ALEPPO).encode()))
    (doc,) = read_documents([str(p)])
    assert isinstance(doc, Document) and doc.title == ALEPPO.title and doc.id == "saved"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=1500), st.sampled_from(["x.html", "x.warc", "x.warc.gz", "x.rss", "x.xml", "x.csv", "x.tsv",
                                                  "x.jsonl", "x.txt", "x", "x.dat", "x.html.gz"]),
       st.sampled_from([b"", b"WARC/1.0\r\n", b"<?xml version='1.0'?><rss>", b"<!DOCTYPE html>", b"\x1f\x8b", b"{", b"id,text\n"]))  # fmt: skip
def test_any_file_through_the_dispatch_never_raises(tmp_path, data, name, head):
    p = tmp_path / name
    p.write_bytes(head + data)
    for item in read_documents([str(p)]):
        assert isinstance(item, Document | IngestError | Skipped)


@given(st.text(max_size=300))
def test_normalize_url_never_raises(value):
    from eventwire.ingest.urls import normalize_url, url_key

    out = normalize_url(value)
    assert out is None or out.startswith(("http://", "https://"))
    url_key(value)
