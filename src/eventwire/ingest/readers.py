"""Readers that turn input files into core ``Document`` records.

Every reader yields ``Document``, ``IngestError`` or ``Skipped``, and never raises for anything
in its input: a bad input (or a bad line or row of a batch) becomes an ``IngestError`` naming it
and the problem, and the rest is still read.  ``limits`` says what a document may be.

Which reader reads a file is decided by ``ingest.sources.sniff`` (content first, then name); the
readers of every kind are in one table (``register_reader``): ``txt`` and ``jsonl`` here, HTML,
WARC, RSS/Atom and CSV/TSV in their own modules.  ``read_path`` and ``read_documents`` dispatch
through it, and every registered reader is put through the same property tests (arbitrary bytes
in, no exception out).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from eventwire.ingest.limits import (
    MAX_DOCUMENT_CHARS,
    MAX_JSON_DEPTH,
    MAX_LINE_BYTES,
    clean_text,
    date_problem,
    id_problem,
    json_depth_exceeds,
)
from eventwire.ingest.skipped import Skipped
from eventwire.model import Document


@dataclass(slots=True, frozen=True)
class IngestError:
    """An input (file, or file:line) that could not be read, and why."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


Item = Document | IngestError | Skipped


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What the command line adds to every input: a default publication date, and the CSV/TSV
    column mapping (``--columns``)."""

    publication_date: date | None = None
    columns: Mapping[str, str] | None = None


# a reader: (binary stream, the input's name as given, options) -> documents, errors, skips
Reader = Callable[[IO[bytes], str, ReadOptions], Iterator[Item]]


@dataclass(frozen=True, slots=True)
class ReaderInfo:
    kind: str
    read: Reader


_READERS: dict[str, ReaderInfo] = {}


def register_reader(kind: str, read: Reader) -> None:
    """Make ``read`` the reader of files of ``kind`` (a kind ``ingest.sources.sniff`` returns)."""
    _READERS[kind] = ReaderInfo(kind, read)


def registered_readers() -> list[ReaderInfo]:
    """Every registered reader (the property tests run over this list)."""
    import eventwire.ingest.sources  # noqa: F401 - registers the web formats

    return list(_READERS.values())


def read_stream(kind: str, stream: IO[bytes], name: str, options: ReadOptions | None = None) -> Iterator[Item]:
    """The items of one input of ``kind``; should its reader raise after all, the input is named
    and the other inputs are still read."""
    info = _READERS.get(kind)
    if info is None:
        yield IngestError(name, f"unsupported file type ({kind})")
        return
    try:
        yield from _with_default_date(info.read(stream, name, options or ReadOptions()),
                                      (options or ReadOptions()).publication_date)  # fmt: skip
    except OSError as exc:
        yield IngestError(name, f"cannot read ({exc.strerror or type(exc).__name__})")
    except Exception as exc:  # noqa: BLE001 - a reader bug must cost one input, not the run
        yield IngestError(name, f"could not be read ({kind} reader: {type(exc).__name__}: {exc})")


def parse_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` (or ISO datetime) string as a date; ``None`` for null/empty.

    Raises ``ValueError`` with a readable message on anything else, and on dates outside
    ``limits.EARLIEST_DATE`` .. ``limits.LATEST_DATE``.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        parsed = value
    elif not isinstance(value, str):
        raise ValueError(f"publication_date must be a YYYY-MM-DD string, got {type(value).__name__}")
    else:
        try:
            parsed = date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise ValueError(f"publication_date {_short(value)!r} is not a YYYY-MM-DD date") from None
    problem = date_problem(parsed)
    if problem:
        raise ValueError(f"publication_date {problem}")
    return parsed


def _short(value: str, most: int = 40) -> str:
    return value if len(value) <= most else value[:most] + "..."


def _title_of(text: str) -> str | None:
    first, _, rest = text[:2000].partition("\n")
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
    if pub is not None and date_problem(pub):
        pub = None
    doc = Document(id=doc_id, text=text, publication_date=pub, title=_title_of(text), source=source)
    doc.dateline = find_dateline(text)
    return doc


def document_from_record(record: object, source: str) -> Document | IngestError:
    """A ``Document`` from one record of the contract's input shape (a JSON object, a CSV row)."""
    if not isinstance(record, dict):
        return IngestError(source, f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get("id")
    text = record.get("text")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return IngestError(source, "missing 'id'")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int):
        return IngestError(source, "'id' must be a string")
    doc_id = str(doc_id)
    problem = id_problem(doc_id)
    if problem:
        return IngestError(source, problem)
    if not isinstance(text, str):
        return IngestError(source, f"document {doc_id}: missing or non-string 'text'")
    if not text.strip():
        return IngestError(source, f"document {doc_id}: empty 'text'")
    if len(text) > MAX_DOCUMENT_CHARS:
        return IngestError(
            source, f"document {doc_id}: text of {len(text)} characters is longer than {MAX_DOCUMENT_CHARS}"
        )
    try:
        pub = parse_date(record.get("publication_date"))
    except ValueError as exc:
        return IngestError(source, f"document {doc_id}: {exc}")
    doc = document_from_text(clean_text(text), doc_id, pub, source=_opt_str(record.get("source")))
    doc.title = _opt_str(record.get("title")) or doc.title
    doc.url = _opt_str(record.get("url"))
    return doc


def _opt_str(value: Any) -> str | None:
    return clean_text(value) if isinstance(value, str) and value.strip() else None


# -- JSON Lines ------------------------------------------------------------------------------
def _parse_int(digits: str) -> int | str:
    """Integers too long for Python's int conversion stay text (they can only be extra fields)."""
    return int(digits) if len(digits) <= 4000 else digits


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; ``None`` for a line longer than ``limit`` bytes, which
    is skipped without being held in memory."""
    lineno = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
            yield lineno, None
            continue
        yield lineno, raw


def read_jsonl(stream: IO[bytes], name: str, options: ReadOptions | None = None) -> Iterator[Item]:
    """Documents from a JSONL byte stream; each bad line is an error naming ``name:line``."""
    seen = False
    try:
        for lineno, raw in _lines(stream, MAX_LINE_BYTES):
            where = f"{name}:{lineno}"
            if raw is None:
                seen = True
                yield IngestError(where, f"line longer than {MAX_LINE_BYTES} bytes")
                continue
            if not raw.strip():
                continue
            seen = True
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield IngestError(where, f"invalid UTF-8 at byte {exc.start}")
                continue
            if json_depth_exceeds(line, MAX_JSON_DEPTH):
                yield IngestError(where, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
                continue
            try:
                record = json.loads(line, parse_int=_parse_int)
            except json.JSONDecodeError as exc:
                yield IngestError(where, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            except (ValueError, RecursionError) as exc:
                yield IngestError(where, f"invalid JSON ({type(exc).__name__})")
                continue
            yield document_from_record(record, where)
    except OSError as exc:
        yield IngestError(name, f"cannot read ({exc.strerror or exc})")
        return
    if not seen:
        yield IngestError(name, "empty input")


# -- plain text ------------------------------------------------------------------------------
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


def read_text(stream: IO[bytes], name: str, options: ReadOptions | None = None) -> Iterator[Item]:
    """One document from a UTF-8 text file; its id is the file's stem (``report`` for
    ``report.txt`` and ``report.txt.gz``)."""
    try:
        raw = stream.read(4 * MAX_DOCUMENT_CHARS + 4)
    except OSError as exc:
        yield IngestError(name, f"cannot read ({exc.strerror or exc})")
        return
    if len(raw) > 4 * MAX_DOCUMENT_CHARS:
        yield IngestError(name, f"text longer than {MAX_DOCUMENT_CHARS} characters")
        return
    text = _decode(raw, name)
    if isinstance(text, IngestError):
        yield text
        return
    if len(text) > MAX_DOCUMENT_CHARS:
        yield IngestError(name, f"text of {len(text)} characters is longer than {MAX_DOCUMENT_CHARS}")
        return
    doc_id = Path(name.removesuffix(".gz")).stem
    problem = id_problem(doc_id)
    if problem:
        yield IngestError(name, f"file name cannot be a document id: {problem}")
        return
    yield document_from_text(clean_text(text), doc_id, None, source=None)


# -- dispatch --------------------------------------------------------------------------------
register_reader("txt", read_text)
register_reader("jsonl", read_jsonl)


def read_path(
    path: str,
    publication_date: date | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    explicit: bool = True,
) -> Iterator[Item]:
    """Documents from one input: ``-`` (JSONL on stdin), or a file of any kind
    ``ingest.sources.sniff`` recognises (``.txt``, ``.jsonl``, HTML, WARC, RSS/Atom, CSV/TSV;
    ``columns``: the CSV/TSV mapping of fields to columns).  A file that is none of these is an
    error, or ``Skipped`` when not ``explicit`` (found in a directory)."""
    options = ReadOptions(publication_date, columns)
    if path == "-":
        stdin = sys.stdin.buffer if sys.stdin is not None else io.BytesIO()
        yield from read_stream("jsonl", stdin, "<stdin>", options)
        return
    p = Path(path)
    try:
        if not p.exists():
            yield IngestError(path, "no such file")
            return
        if p.is_dir():
            yield IngestError(path, "is a directory (give the files inside it)")
            return
    except (OSError, ValueError) as exc:  # a name too long, an embedded NUL
        yield IngestError(path, f"cannot read ({getattr(exc, 'strerror', None) or exc})")
        return
    from eventwire.ingest.sources import read_file, sniff

    try:
        with p.open("rb") as fh:
            head = fh.peek(8192)[:8192]
    except OSError as exc:
        yield IngestError(path, f"cannot read ({exc.strerror})")
        return
    kind = sniff(p, head)
    if kind is None:
        why = f"unsupported file type {p.suffix.lower()!r} (expected .txt, .jsonl, HTML, WARC, RSS/Atom, CSV or -)"
        yield IngestError(path, why) if explicit else Skipped(path, why)
        return
    if kind == "jsonl" and looks_binary(head):
        yield IngestError(path, "binary file (contains NUL bytes), expected JSON Lines")
        return
    yield from read_file(path, kind, publication_date, columns)


_BINARY_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


def looks_binary(head: bytes) -> bool:
    """Whether the first block of a file is binary data rather than text with a stray NUL: a NUL
    in its first line, or one byte in ten a control character, and no line of the block a JSON
    object (where there are such lines, a line holding a NUL or control bytes is just one bad
    line, and the documents around it are still read)."""
    suspicious = b"\x00" in head.split(b"\n", 1)[0] or (
        len(head) >= 256 and len(head) - len(head.translate(None, _BINARY_BYTES)) > len(head) // 10
    )
    return suspicious and not has_json_object_line(head)


def has_json_object_line(head: bytes) -> bool:
    """Whether a line of the block ``head`` looks like a JSON object (``{...}``)."""
    return any(line.strip().startswith(b"{") and line.strip().endswith(b"}") for line in head.split(b"\n")[:200])


def _with_default_date(items: Iterable[Item], publication_date: date | None) -> Iterator[Item]:
    for item in items:
        if publication_date and isinstance(item, Document) and item.publication_date is None:
            item.publication_date = publication_date
        yield item


def read_documents(
    paths: Iterable[str],
    publication_date: date | None = None,
    columns: Mapping[str, str] | None = None,
    *,
    unique: bool = True,
) -> Iterator[Item]:
    """Documents from every input path (directories and glob patterns expanded), in order;
    errors are yielded, never raised.

    With ``unique`` (the default), a document whose id was already read in this run is an
    error naming both inputs (it would otherwise silently replace the first one)."""
    from eventwire.ingest.sources import expand

    first: dict[str, str] = {}
    for entry in expand(list(paths)):
        if isinstance(entry, IngestError):
            yield entry
            continue
        path, explicit = entry
        for item in read_path(path, publication_date, columns=columns, explicit=explicit):
            if unique and isinstance(item, Document):
                where = "<stdin>" if path == "-" else path
                if item.id in first:
                    yield IngestError(where, f"document {item.id}: duplicate id (first read from {first[item.id]}); skipped")
                    continue
                first[item.id] = where
            yield item
