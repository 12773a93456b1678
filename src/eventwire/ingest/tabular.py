"""CSV and TSV files of articles, one per row, with a mapping of columns to document fields.

The columns are found by their headers (``text``/``body``/``content``..., ``publication_date``/
``date``/``published``..., see ``COLUMN_NAMES``), or named with a mapping
(``--columns text=story,publication_date=day``).  A row without a usable text or date is an
``IngestError`` naming ``file:row``; the other rows are read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import IO

from eventwire.ingest.limits import MAX_DOCUMENT_CHARS
from eventwire.ingest.readers import IngestError, document_from_record
from eventwire.ingest.urls import document_id, normalize_url
from eventwire.model import Document

FIELDS = ("id", "text", "publication_date", "title", "url", "source", "author")
# header names recognised for each field, in order of preference (compared case-insensitively)
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "document_id", "article_id", "guid", "uid"),
    "text": ("text", "body", "content", "article", "story", "full_text", "maintext"),
    "publication_date": ("publication_date", "pub_date", "pubdate", "published", "publish_date",
                         "date_published", "date", "datetime"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "source_url", "article_url"),
    "source": ("source", "outlet", "publisher", "media", "site", "domain"),
    "author": ("author", "authors", "byline"),
}  # fmt: skip
MAX_CSV_FIELD = MAX_DOCUMENT_CHARS + 1
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\udc80-\udcff]")


class ColumnMappingError(ValueError):
    """A ``--columns`` value that is not ``field=column,...`` of known fields."""


def parse_columns(spec: str | None) -> dict[str, str]:
    """``"text=story,publication_date=day"`` as ``{"text": "story", ...}``."""
    if not spec:
        return {}
    out: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        fld, sep, col = part.partition("=")
        fld, col = fld.strip(), col.strip()
        if not sep or not col:
            raise ColumnMappingError(f"{part.strip()!r} is not FIELD=COLUMN")
        if fld not in FIELDS:
            raise ColumnMappingError(f"{fld!r} is not a document field ({', '.join(FIELDS)})")
        out[fld] = col
    return out


def parse_loose_date(value: str) -> date | None:
    """Dates as CSV exports write them: ISO dates and datetimes, ``YYYYMMDD``, RFC 2822.
    ``None`` for empty; ``ValueError`` for anything else (day/month order is never guessed)."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{8}", value):
        return datetime.strptime(value, "%Y%m%d").date()
    if re.match(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value[:10])
    if re.search(r"[A-Za-z]{3},? \d{1,2} [A-Za-z]{3} \d{4}", value):
        try:
            return parsedate_to_datetime(value).date()
        except (TypeError, ValueError):
            pass
    raise ValueError(f"publication_date {value!r} is not a YYYY-MM-DD date")


def _resolve_columns(header: list[str], mapping: Mapping[str, str]) -> dict[str, int] | str:
    """Column index per field, or the problem with the header."""
    lowered = [h.strip().lower() for h in header]
    cols: dict[str, int] = {}
    for fld, col in mapping.items():
        if col.strip().lower() not in lowered:
            return f"no column {col!r} (columns: {', '.join(' '.join(h.split()) for h in header)[:300]})"
        cols[fld] = lowered.index(col.strip().lower())
    for fld, names in COLUMN_NAMES.items():
        if fld in cols:
            continue
        for n in names:
            if n in lowered:
                cols[fld] = lowered.index(n)
                break
    if "text" not in cols:
        return f"no text column (name one with --columns text=COLUMN; columns: {', '.join(' '.join(h.split()) for h in header)[:300]})"
    return cols


def read_csv(
    stream: IO[bytes],
    name: str,
    columns: Mapping[str, str] | None = None,
    publication_date: date | None = None,
    delimiter: str | None = None,
) -> Iterator[Document | IngestError]:
    """Documents from the rows of a CSV (or, with ``delimiter="\\t"``, TSV) byte stream."""
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_FIELD))
    # bytes that are not UTF-8 become lone surrogates, so that one bad row costs only itself
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        yield from _read_rows(text, name, columns, publication_date, delimiter)
    finally:
        text.detach()  # the caller closes its own stream


def _read_rows(
    text: io.TextIOWrapper,
    name: str,
    columns: Mapping[str, str] | None,
    publication_date: date | None,
    delimiter: str | None,
) -> Iterator[Document | IngestError]:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] or "csv"
    head = text.read(16384)
    if not head.strip():
        yield IngestError(name, "empty input")
        return
    first_line = head.split("\n", 1)[0]
    if "\x00" in first_line:
        # (a NUL inside one row's text is that row's business: it is replaced like any other)
        yield IngestError(name, "binary file (contains NUL bytes), expected CSV")
        return
    # many control characters or undecodable bytes say "binary" only where the header is no CSV
    # header either: behind a header that names the columns, each row answers for itself
    binary = len(head) >= 256 and len(_BINARY_CHARS.findall(head)) * 10 > len(head)
    binary_error = IngestError(name, "binary file (control characters or bytes that are not UTF-8), expected CSV")
    if _UNDECODABLE.search(first_line):
        yield binary_error if binary else IngestError(name, "invalid UTF-8 in the header row")
        return
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(head.split("\n", 1)[0], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rest = _chain(head, text)
    reader = csv.reader(rest, delimiter=delimiter)
    try:
        header = next(reader)
    except (csv.Error, UnicodeDecodeError, StopIteration) as exc:
        yield binary_error if binary else IngestError(name, f"unreadable CSV header ({type(exc).__name__})")
        return
    cols = _resolve_columns(header, columns or {})
    if isinstance(cols, str):
        yield binary_error if binary else IngestError(name, cols)
        return
    rows = 0
    while True:
        where = f"{name}:{reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader starts afresh on the next line
            yield IngestError(where, f"malformed CSV ({exc})")
            if f"{name}:{reader.line_num + 1}" == where:
                return  # nothing was consumed: the rest cannot be read
            continue
        if not any(cell.strip() for cell in row):
            continue
        if any(_UNDECODABLE.search(cell) for cell in row):
            rows += 1
            yield IngestError(where, "invalid UTF-8")
            continue
        rows += 1
        yield _row_document(row, cols, where, stem, rows, publication_date)
    if rows == 0:
        yield IngestError(name, "no rows after the header")


def _chain(head: str, rest: IO[str]) -> Iterator[str]:
    """Lines of ``head`` followed by the rest of the stream (the sniffed part is not lost)."""
    buf = io.StringIO(head + rest.readline())
    yield from buf
    yield from rest


def _row_document(
    row: list[str], cols: dict[str, int], where: str, stem: str, n: int, publication_date: date | None
) -> Document | IngestError:
    def cell(fld: str) -> str | None:
        i = cols.get(fld)
        if i is None or i >= len(row):
            return None
        value = row[i].strip()
        return value or None

    url = normalize_url(cell("url"))
    doc_id = cell("id") or (document_id(url) if url else f"{stem}-{n}")
    raw_date = cell("publication_date")
    try:
        pub = parse_loose_date(raw_date) if raw_date else publication_date
    except ValueError as exc:
        return IngestError(where, f"document {doc_id}: {exc}")
    record = {"id": doc_id, "text": cell("text") or "", "publication_date": pub.isoformat() if pub else None,
              "title": cell("title"), "url": url, "source": cell("source")}  # fmt: skip
    doc = document_from_record(record, where)
    if isinstance(doc, Document):
        doc.author = cell("author")
    return doc
