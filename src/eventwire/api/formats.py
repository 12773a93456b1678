"""Response formats of ``GET /api/events``: chosen by ``?format=`` or the Accept header, and
written as streams (a page never has to be held as Python objects to be sent)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

import orjson

from eventwire.api.errors import ApiError
from eventwire.model import record_from_plover

MEDIA_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}
# Accept media types understood, to format
ACCEPTED = {
    "application/json": "json",
    "application/x-ndjson": "ndjson",
    "application/ndjson": "ndjson",
    "application/jsonl": "ndjson",
    "application/jsonlines": "ndjson",
    "text/csv": "csv",
    "application/geo+json": "geojson",
    "application/vnd.geo+json": "geojson",
}
FORMATS = tuple(MEDIA_TYPES)


def negotiate(fmt: str | None, accept: str | None) -> str:
    """The format to answer in: ``fmt`` (``?format=``) when given, else the most preferred
    Accept type understood (ties: the order listed), else JSON when Accept allows anything; 406
    when Accept names only types not served."""
    if fmt:
        return fmt
    if not accept or not accept.strip():
        return "json"
    best: tuple[float, int, str] | None = None
    wildcard = False
    for i, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        q = 1.0
        for p in parts[1:]:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "application/*"):
            wildcard = True
            continue
        if media in ACCEPTED and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, ACCEPTED[media])
    if best is not None:
        return best[2]
    if wildcard:
        return "json"
    raise ApiError(406, f"cannot answer in {accept[:80]!r}: ask for {', '.join(ACCEPTED)} (or use ?format=)")


def json_page(records: list[str], next_token: str | None) -> bytes:
    """A page as ``{"events": [...], "next": ...}`` from records already JSON text."""
    head = b'{"events":['
    body = ",".join(records).encode("utf-8")
    return head + body + b'],"next":' + orjson.dumps(next_token) + b"}"


def ndjson_lines(records: Iterable[str]) -> Iterator[bytes]:
    for chunk in _chunks(records, 200):
        yield ("\n".join(chunk) + "\n").encode("utf-8")


def geojson_stream(records: Iterable[str]) -> Iterator[bytes]:
    from eventwire.output import feature

    yield b'{"type":"FeatureCollection","features":['
    first = True
    for chunk in _chunks(records, 200):
        out = [orjson.dumps(feature(record_from_plover(orjson.loads(r)))) for r in chunk]
        yield (b"" if first else b",") + b",".join(out)
        first = False
    yield b"]}\n"


def csv_stream(records: Iterable[str]) -> Iterator[bytes]:
    from eventwire.output import ACLED_COLUMNS, acled_row

    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for chunk in _chunks(records, 200):
        for r in chunk:
            writer.writerow(acled_row(record_from_plover(orjson.loads(r))))
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
