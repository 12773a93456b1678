"""PLOVER JSON Lines: one event object per line, field names as in CONTRACT.md.  The object is the
record's own ``to_plover()`` (``eventwire.model``: the one place the shape is written)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from eventwire.model import CanonicalEvent, Event, Record, Review, StoredEvent


def review_of(record: Record) -> Review | None:
    """The review of a stored report; None for coded events and merged events."""
    return record.review if isinstance(record, StoredEvent) else None


def canonical_id_of(record: Record) -> str | None:
    return record.canonical_id if isinstance(record, StoredEvent) else None


def source_docs(record: Record) -> list[str]:
    """The documents behind a record: a merged event's reports', or the record's own."""
    if isinstance(record, CanonicalEvent):
        docs = sorted({r.doc_id for r in record.reports if r.doc_id})
        if docs:
            return docs
    ev = record if isinstance(record, Event) else record.event
    return [ev.doc_id] if ev.doc_id else []


def write_plover(events: Iterable[Record], fp: IO[str]) -> int:
    """Write events as JSON Lines; returns the number written."""
    n = 0
    for ev in events:
        fp.write(json.dumps(ev.to_plover(), ensure_ascii=False))
        fp.write("\n")
        n += 1
    return n
