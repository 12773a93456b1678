"""Parquet via pyarrow, written in row groups of ``batch_size`` events (bounded memory).

Flat columns for dates, place and sizes; lists of strings for types, modes, contexts and
trigger texts; lists of structs for actors, recipients and (canonical events) reports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.model import Actor, CanonicalEvent, Record, event_of
from eventwire.output.plover import canonical_id_of, review_of

_ACTOR = pa.struct(
    [("entity_text", pa.string()), ("code", pa.string()), ("sector", pa.string()), ("identifier_text", pa.string())]
)
_REPORT = pa.struct([("doc_id", pa.string()), ("event_id", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("doc_id", pa.string()), ("canonical_id", pa.string()),
        ("date", pa.date32()), ("enddate", pa.date32()), ("date_precision", pa.string()),
        ("date_source", pa.string()), ("event", pa.list_(pa.string())), ("mode", pa.list_(pa.string())),
        ("context", pa.list_(pa.string())), ("actor", pa.list_(_ACTOR)), ("recipient", pa.list_(_ACTOR)),
        ("extracted_place", pa.string()), ("resolved_place", pa.string()), ("geonameid", pa.int64()),
        ("lat", pa.float64()), ("lon", pa.float64()), ("district", pa.string()), ("province", pa.string()),
        ("country", pa.string()), ("country_code", pa.string()), ("resolution", pa.int8()),
        ("dead", pa.int64()), ("injured", pa.int64()), ("arrested", pa.int64()),
        ("event_text", pa.list_(pa.string())), ("sentence", pa.int64()), ("evidence_start", pa.int64()),
        ("evidence_end", pa.int64()), ("cameo", pa.string()), ("acled_event_type", pa.string()),
        ("acled_sub_event_type", pa.string()), ("quad_code", pa.int8()), ("confidence", pa.float64()),
        ("reciprocal", pa.bool_()), ("n_reports", pa.int64()), ("reports", pa.list_(_REPORT)),
        ("review_status", pa.string()), ("reviewed_by", pa.string()), ("reviewed_at", pa.string()),
    ]
)  # fmt: skip


def _actors(items: list[Actor]) -> list[dict[str, Any]]:
    return [
        {"entity_text": a.entity_text, "code": a.code, "sector": a.sector, "identifier_text": a.identifier_text or None}
        for a in items
    ]


_PLACE = ("extracted_place", "resolved_place", "geonameid", "lat", "lon", "district", "province", "country",
          "country_code", "resolution")  # fmt: skip


def parquet_row(record: Record) -> dict[str, Any]:
    ev = event_of(record)
    loc = ev.event_loc
    sentence = ev.sentence
    review = review_of(record)
    reports = None
    if isinstance(record, CanonicalEvent):
        reports = [
            {"doc_id": r.doc_id, "event_id": r.event_id,
             "start": (r.text_info or {}).get("start"), "end": (r.text_info or {}).get("end")}
            for r in record.reports
        ]  # fmt: skip
    return {
        "id": ev.id, "doc_id": ev.doc_id, "canonical_id": canonical_id_of(record),
        "date": ev.date.date, "enddate": ev.date.enddate,
        "date_precision": ev.date.precision, "date_source": ev.date.source,
        "event": list(ev.event), "mode": list(ev.mode), "context": list(ev.context),
        "actor": _actors(ev.actor), "recipient": _actors(ev.recipient),
        **{k: (getattr(loc, k) if loc is not None else None) for k in _PLACE},
        "dead": ev.size.dead, "injured": ev.size.injured, "arrested": ev.size.arrested,
        "event_text": list(ev.event_text), "sentence": sentence.index if sentence else None,
        "evidence_start": sentence.start if sentence else None, "evidence_end": sentence.end if sentence else None,
        "cameo": ev.cameo, "acled_event_type": ev.acled_event_type, "acled_sub_event_type": ev.acled_sub_event_type,
        "quad_code": ev.quad_code, "confidence": round(ev.confidence, 3), "reciprocal": ev.reciprocal,
        "n_reports": record.n_reports if isinstance(record, CanonicalEvent) else None,
        "reports": reports,
        "review_status": review.status if review else None, "reviewed_by": review.by if review else None,
        "reviewed_at": review.at if review else None,
    }  # fmt: skip


def write_parquet(
    events: Iterable[Record], where: str | Path | IO[bytes], batch_size: int = 10_000
) -> int:
    """Write events to a Parquet file (path or binary file object); returns the count."""
    n = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(where, SCHEMA, compression="zstd") as writer:
        for ev in events:
            batch.append(parquet_row(ev))
            if len(batch) >= batch_size:
                writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=SCHEMA))
            n += len(batch)
    return n
