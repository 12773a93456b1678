"""Which reader an input file needs, by its content first and its name second; directories and
glob patterns expanded to the files they hold.

Content decides when it is unambiguous (a WARC header, gzip, an RSS/Atom root, an HTML doctype),
so a crawl saved as ``.dat`` or a feed saved as ``.txt`` is still read right; the name decides
between the plain formats (``.csv``, ``.tsv``, ``.jsonl``, ``.txt``).
"""

from __future__ import annotations

import glob
import gzip
import os
import zlib
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import IO, cast

from eventwire.ingest.feeds import looks_like_feed
from eventwire.ingest.readers import IngestError
from eventwire.ingest.skipped import Skipped
from eventwire.model import Document

# kinds read here; "jsonl" and "txt" are read by ``readers``
WEB_KINDS = ("warc", "html", "feed", "csv", "tsv")
GLOB_CHARS = frozenset("*?[")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<meta", b"<title")
_SUFFIX_KINDS = {
    ".warc": "warc", ".arc": "warc", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".csv": "csv", ".tsv": "tsv",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt", ".text": "txt", "": "txt",
}  # fmt: skip
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"BZh", b"\xfd7zXZ")


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
    except zlib.error:
        return b""


def sniff(path: str | Path, head: bytes) -> str | None:
    """The kind of a file from its first bytes and its name: ``warc``, ``html``, ``feed``,
    ``csv``, ``tsv``, ``jsonl``, ``txt``, ``gz:KIND`` (gzip of a kind other than WARC), or
    ``None`` (a binary format eventwire does not read)."""
    name = Path(path).name.lower()
    stem, suffix = name, ""
    if name.endswith(".gz"):
        stem = name[:-3]
    suffix = Path(stem).suffix
    if head.startswith(b"\x1f\x8b"):
        inner = _gunzip_head(head)
        if inner.startswith((b"WARC/", b"filedesc://")):
            return "warc"
        kind = sniff(stem, inner) if inner else None
        return f"gz:{kind}" if kind and kind in ("html", "feed", "csv", "tsv", "jsonl", "txt") else None
    if head.startswith((b"WARC/", b"filedesc://")):
        return "warc"
    if head.startswith(_BINARY_MAGIC):
        return None
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024].lower()
    if looks_like_feed(head):
        return "feed"
    if probe.startswith(_HTML_STARTS) or (probe.startswith(b"<?xml") and b"<html" in probe):
        return "html"
    by_name = _SUFFIX_KINDS.get(suffix)
    if by_name is not None:
        return by_name
    if probe.startswith(b"{"):
        return "jsonl"
    return None


def expand(paths: list[str] | tuple[str, ...]) -> Iterator[tuple[str, bool] | IngestError]:
    """Every input file: ``(path, explicit)``, where ``explicit`` is False for files found inside
    a directory or by a glob pattern (those may be passed over when they are not documents)."""
    for path in paths:
        if path == "-":
            yield path, True
            continue
        p = Path(path)
        if p.is_dir():
            found = False
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        found = True
                        yield os.path.join(root, f), False
            if not found:
                yield IngestError(path, "directory holds no files")
            continue
        if not p.exists() and GLOB_CHARS & set(path):
            matches = sorted(m for m in glob.glob(path, recursive=True) if os.path.isfile(m))
            if not matches:
                yield IngestError(path, "no files match the pattern")
            for m in matches:
                yield m, False
            continue
        yield path, True


def read_file(
    path: str,
    kind: str,
    publication_date: date | None = None,
    columns: Mapping[str, str] | None = None,
) -> Iterator[Document | IngestError | Skipped]:
    """Documents of one file of a kind read here (``WEB_KINDS``, or ``gz:`` of them)."""
    from eventwire.ingest.feeds import read_feed
    from eventwire.ingest.html import MAX_HTML_BYTES, document_from_html
    from eventwire.ingest.tabular import read_csv
    from eventwire.ingest.warc import read_warc

    compressed = kind.startswith("gz:")
    kind = kind.removeprefix("gz:")
    try:
        if kind == "warc":
            with open(path, "rb") as fh:
                yield from read_warc(fh, path, publication_date)
            return
        opened = gzip.open(path, "rb") if compressed else open(path, "rb")
        with cast(IO[bytes], opened) as fh:
            if kind == "html":
                raw = fh.read(MAX_HTML_BYTES + 1)
                stem = Path(path).name.split(".")[0] or "page"
                yield document_from_html(raw, path, fallback_id=stem, publication_date=publication_date)
            elif kind == "feed":
                yield from read_feed(fh, path, publication_date)
            elif kind in ("csv", "tsv"):
                yield from read_csv(fh, path, columns, publication_date, "\t" if kind == "tsv" else None)
            elif kind == "jsonl":
                from eventwire.ingest.readers import read_jsonl

                yield from _default_date(read_jsonl(fh, path), publication_date)
            elif kind == "txt":
                yield from _text_file(fh.read(MAX_HTML_BYTES + 1), path, publication_date)
            else:
                yield IngestError(path, f"unsupported file type ({kind})")
    except (OSError, EOFError, zlib.error) as exc:
        yield IngestError(path, f"cannot read ({getattr(exc, 'strerror', None) or type(exc).__name__})")


def _default_date(
    items: Iterator[Document | IngestError], publication_date: date | None
) -> Iterator[Document | IngestError]:
    for item in items:
        if publication_date and isinstance(item, Document) and item.publication_date is None:
            item.publication_date = publication_date
        yield item


def _text_file(raw: bytes, path: str, publication_date: date | None) -> Iterator[Document | IngestError]:
    from eventwire.ingest.readers import MAX_DOCUMENT_CHARS, document_from_text

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield IngestError(path, f"invalid UTF-8 at byte {exc.start}")
        return
    if not text.strip():
        yield IngestError(path, "empty input")
    elif len(text) > MAX_DOCUMENT_CHARS:
        yield IngestError(path, f"text longer than {MAX_DOCUMENT_CHARS} characters")
    else:
        yield document_from_text(text, Path(path).name.split(".")[0], publication_date)
