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
from eventwire.ingest.readers import (
    IngestError,
    Reader,
    ReadOptions,
    has_json_object_line,
    register_reader,
)
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
    if _SUFFIX_KINDS.get(suffix) == "jsonl" and has_json_object_line(head):
        return "jsonl"  # named JSON Lines and holding them: a stray markup line is one bad line
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
    """Documents of one file of ``kind`` (as ``sniff`` says; ``gz:KIND`` is read through gzip)
    with the reader registered for it (``readers.register_reader``)."""
    from eventwire.ingest.readers import ReadOptions, read_stream

    compressed = kind.startswith("gz:")
    kind = kind.removeprefix("gz:")
    try:
        # warcio reads gzip itself
        # closed by the `with` below (a cast gives both openers one type)
        opened = gzip.open(path, "rb") if compressed and kind != "warc" else open(path, "rb")  # noqa: SIM115
        with cast(IO[bytes], opened) as fh:
            yield from read_stream(kind, fh, path, ReadOptions(publication_date, columns))
    except (OSError, EOFError, zlib.error) as exc:
        yield IngestError(path, f"cannot read ({getattr(exc, 'strerror', None) or type(exc).__name__})")


# -- the readers of the web formats, in the one table of readers -----------------------------
def _read_warc(fh: IO[bytes], name: str, options: ReadOptions) -> Iterator[Document | IngestError | Skipped]:
    from eventwire.ingest.warc import read_warc

    return read_warc(fh, name, options.publication_date)


def _read_html(fh: IO[bytes], name: str, options: ReadOptions) -> Iterator[Document | IngestError | Skipped]:
    from eventwire.ingest.html import MAX_HTML_BYTES, document_from_html

    stem = Path(name).name.split(".")[0] or "page"
    yield document_from_html(fh.read(MAX_HTML_BYTES + 1), name, fallback_id=stem,
                             publication_date=options.publication_date)  # fmt: skip


def _read_feed(fh: IO[bytes], name: str, options: ReadOptions) -> Iterator[Document | IngestError | Skipped]:
    from eventwire.ingest.feeds import read_feed

    return read_feed(fh, name, options.publication_date)


def _read_csv(delimiter: str | None) -> Reader:
    def read(fh: IO[bytes], name: str, options: ReadOptions) -> Iterator[Document | IngestError | Skipped]:
        from eventwire.ingest.tabular import read_csv

        return read_csv(fh, name, options.columns, options.publication_date, delimiter)

    return read


register_reader("warc", _read_warc)
register_reader("html", _read_html)
register_reader("feed", _read_feed)
register_reader("csv", _read_csv(None))
register_reader("tsv", _read_csv("\t"))
