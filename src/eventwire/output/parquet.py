"""Parquet via pyarrow, written in row groups of ``batch_size`` events (bounded memory).

Flat columns for dates, place and sizes; lists of strings for types, modes, contexts and
trigger texts; lists of structs for actors, recipients and (canonical events) reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.model import Event
from eventwire.output.plover import event_dict

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


def _date(v: Any) -> date | None:
    return date.fromisoformat(v[:10]) if isinstance(v, str) and v else None


def _actors(items: list[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    return [{k: a.get(k) for k in ("entity_text", "code", "sector", "identifier_text")} for a in items or []]


def parquet_row(event: Event | Mapping[str, Any]) -> dict[str, Any]:
    d = event_dict(event)
    loc = d.get("event_loc") or {}
    size = d.get("size") or {}
    info = d.get("text_info") or {}
    reports = d.get("reports")
    review = d.get("review") or {}
    return {
        "id": d.get("id"), "doc_id": d.get("doc_id"), "canonical_id": d.get("canonical_id"),
        "date": _date(d.get("date")), "enddate": _date(d.get("enddate")),
        "date_precision": d.get("date_precision"), "date_source": d.get("date_source"),
        "event": d.get("event") or [], "mode": d.get("mode") or [], "context": d.get("context") or [],
        "actor": _actors(d.get("actor")), "recipient": _actors(d.get("recipient")),
        **{k: loc.get(k) for k in ("extracted_place", "resolved_place", "geonameid", "lat", "lon",
                                   "district", "province", "country", "country_code", "resolution")},
        "dead": size.get("dead"), "injured": size.get("injured"), "arrested": size.get("arrested"),
        "event_text": d.get("event_text") or [], "sentence": info.get("sequence"),
        "evidence_start": info.get("start"), "evidence_end": info.get("end"), "cameo": d.get("cameo"),
        "acled_event_type": d.get("acled_event_type"), "acled_sub_event_type": d.get("acled_sub_event_type"),
        "quad_code": d.get("quad_code"), "confidence": d.get("confidence"), "reciprocal": d.get("reciprocal"),
        "n_reports": d.get("n_reports"),
        "reports": None if reports is None else [
            {"doc_id": r.get("doc_id"), "event_id": r.get("event_id"),
             "start": (r.get("text_info") or {}).get("start"), "end": (r.get("text_info") or {}).get("end")}
            for r in reports
        ],
        "review_status": review.get("status"), "reviewed_by": review.get("by"), "reviewed_at": review.get("at"),
    }  # fmt: skip


def write_parquet(
    events: Iterable[Event | Mapping[str, Any]], where: str | Path | IO[bytes], batch_size: int = 10_000
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
