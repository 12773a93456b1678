"""Readers that turn input files into core ``Document`` records.

Every reader yields ``Document`` or ``IngestError``; a bad input (or a bad line of a JSONL batch)
becomes an ``IngestError`` naming it and the problem, and the other inputs are still read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from eventwire.ingest.skipped import Skipped
from eventwire.model import Document

MAX_DOCUMENT_CHARS = 2_000_000
SUPPORTED_SUFFIXES = (".txt", ".jsonl")


@dataclass(slots=True, frozen=True)
class IngestError:
    """An input (file, or file:line) that could not be read, and why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


def parse_date(value: Any) -> date | None:
    """A ``YYYY-MM-DD`` (or ISO datetime) string as a date; ``None`` for null/empty.

    Raises ``ValueError`` with a readable message on anything else.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"publication_date must be a YYYY-MM-DD string, got {type(value).__name__}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"publication_date {value!r} is not a YYYY-MM-DD date") from None


def _decode(raw: bytes, source: str) -> str | IngestError:
    if not raw.strip():
        return IngestError(source, "empty input")
    if b"\x00" in raw[:8192]:
        return IngestError(source, "binary file (contains NUL bytes), expected UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return IngestError(source, f"invalid UTF-8 at byte {exc.start}")
    return text


def _title_of(text: str) -> str | None:
    first, _, rest = text.partition("\n")
    first = first.strip()
    if rest.strip() and 0 < len(first) <= 200 and not first.endswith((".", ":", ";")):
        return first
    return None


def document_from_text(
    text: str, doc_id: str, publication_date: date | None = None, source: str | None = None
) -> Document:
    """A ``Document`` for plain text, finding its title, dateline and (if not given) date."""
    from eventwire.ingest.dateline import find_dateline, find_publication_date

    pub = publication_date or find_publication_date(text)
    doc = Document(id=doc_id, text=text, publication_date=pub, title=_title_of(text), source=source)
    doc.dateline = find_dateline(text)
    return doc


def document_from_record(record: Any, source: str) -> Document | IngestError:
    """A ``Document`` from one JSON object of the contract's input shape."""
    if not isinstance(record, dict):
        return IngestError(source, f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("id")
    text = record.get("text")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return IngestError(source, "missing 'id'")
    if not isinstance(doc_id, str | int):
        return IngestError(source, "'id' must be a string")
    if not isinstance(text, str):
        return IngestError(source, "missing or non-string 'text'")
    if not text.strip():
        return IngestError(source, f"document {doc_id}: empty 'text'")
    if len(text) > MAX_DOCUMENT_CHARS:
        return IngestError(source, f"document {doc_id}: text longer than {MAX_DOCUMENT_CHARS} characters")
    try:
        pub = parse_date(record.get("publication_date"))
    except ValueError as exc:
        return IngestError(source, f"document {doc_id}: {exc}")
    doc = document_from_text(text, str(doc_id), pub, source=_opt_str(record.get("source")))
    doc.title = _opt_str(record.get("title")) or doc.title
    doc.url = _opt_str(record.get("url"))
    return doc


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def read_jsonl(stream: IO[bytes], name: str) -> Iterator[Document | IngestError]:
    """Documents from a JSONL byte stream; each bad line is an error naming ``name:line``."""
    seen = False
    for lineno, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        seen = True
        where = f"{name}:{lineno}"
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield IngestError(where, f"invalid UTF-8 at byte {exc.start}")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield document_from_record(record, where)
    if not seen:
        yield IngestError(name, "empty input")


def read_path(
    path: str,
    publication_date: date | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    explicit: bool = True,
) -> Iterator[Document | IngestError | Skipped]:
    """Documents from one input: a ``.txt`` file, a ``.jsonl`` file, ``-`` (JSONL on stdin), or
    (chosen by content, see ``ingest.sources``) an HTML page, a WARC/WARC.gz archive, an RSS or
    Atom feed, a CSV/TSV file (``columns``: its mapping of fields to columns).  A file that is
    none of these is an error, or ``Skipped`` when not ``explicit`` (found in a directory)."""
    if path == "-":
        yield from _with_default_date(read_jsonl(sys.stdin.buffer, "<stdin>"), publication_date)
        return
    p = Path(path)
    if not p.exists():
        yield IngestError(path, "no such file")
        return
    if p.is_dir():
        yield IngestError(path, "is a directory (give the files inside it)")
        return
    from eventwire.ingest.sources import read_file, sniff

    try:
        with p.open("rb") as fh:
            kind = sniff(p, fh.read(8192))
    except OSError as exc:
        yield IngestError(path, f"cannot read ({exc.strerror})")
        return
    if kind is None:
        why = f"unsupported file type {p.suffix.lower()!r} (expected .txt, .jsonl, HTML, WARC, RSS/Atom, CSV or -)"
        yield IngestError(path, why) if explicit else Skipped(path, why)
        return
    if kind not in ("jsonl", "txt"):
        yield from read_file(path, kind, publication_date, columns)
        return
    suffix = ".jsonl" if kind == "jsonl" else ".txt"
    if suffix == ".jsonl":
        try:
            with p.open("rb") as fh:
                if _looks_binary(fh.read(8192)):
                    yield IngestError(path, "binary file (contains NUL bytes), expected JSON Lines")
                    return
                fh.seek(0)
                yield from _with_default_date(read_jsonl(fh, path), publication_date)
        except OSError as exc:
            yield IngestError(path, f"cannot read ({exc.strerror})")
        return
    if suffix not in (".txt", ".text", ""):
        yield IngestError(path, f"unsupported file type {suffix!r} (expected .txt, .jsonl or -)")
        return
    try:
        raw = p.read_bytes()
    except OSError as exc:
        yield IngestError(path, f"cannot read ({exc.strerror})")
        return
    text = _decode(raw, path)
    if isinstance(text, IngestError):
        yield text
        return
    if len(text) > MAX_DOCUMENT_CHARS:
        yield IngestError(path, f"text longer than {MAX_DOCUMENT_CHARS} characters")
        return
    yield document_from_text(text, p.stem, publication_date, source=None)


def _looks_binary(head: bytes) -> bool:
    return b"\x00" in head


def _with_default_date(
    items: Iterable[Document | IngestError], publication_date: date | None
) -> Iterator[Document | IngestError]:
    for item in items:
        if publication_date and isinstance(item, Document) and item.publication_date is None:
            item.publication_date = publication_date
        yield item


def read_documents(
    paths: Iterable[str], publication_date: date | None = None, columns: Mapping[str, str] | None = None
) -> Iterator[Document | IngestError | Skipped]:
    """Documents from every input path (directories and glob patterns expanded), in order;
    errors are yielded, never raised."""
    from eventwire.ingest.sources import expand

    for entry in expand(list(paths)):
        if isinstance(entry, IngestError):
            yield entry
        else:
            yield from read_path(entry[0], publication_date, columns=columns, explicit=entry[1])
