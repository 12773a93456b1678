"""Rows and records: the rows a document and its events add to each table, and the PLOVER record
of an ``events`` row (what the reads decode into typed records, and what reviews and merging
read)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import RowMapping

from eventwire.helpers import as_date
from eventwire.ingest import Fingerprint, clean_text, date_problem, id_problem
from eventwire.model import Document, Event, Sentence, Toponym
from eventwire.ontology import MODAL_MODES  # one definition for every stage
from eventwire.store.copies import key_rows


@dataclass(slots=True)
class IngestOutcome:
    doc_id: str
    status: str  # added | replaced | unchanged
    n_events: int = 0
    merged: int = 0  # reports that joined an existing canonical event
    copy_of: str | None = None  # stored as a copy of this document (no events of its own)


@dataclass(slots=True)
class Item:
    """One document to store: its record, PLOVER event dicts, sentences and toponyms."""

    document: Document
    records: list[dict[str, Any]]
    sentences: Sequence[Sentence] = ()
    toponyms: Sequence[Toponym] = ()
    fingerprint: Fingerprint | None = None  # ingest.dedup; computed here when not given



def now_utc() -> datetime:
    return datetime.now(UTC)





def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value else None



def document_rows(
    document: Document,
    chash: str,
    records: list[dict[str, Any]],
    sentences: Sequence[Sentence],
    toponyms: Sequence[Toponym],
    fp: Fingerprint | None = None,
    copy_reason: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The rows one document adds to each table."""
    places: dict[int, dict[str, Any]] = {}
    tops: dict[int, dict[str, Any]] = {}
    for t in toponyms:
        p = t.place
        if p is not None and p.geonameid is not None:
            places[p.geonameid] = {
                "geonameid": p.geonameid, "name": p.name, "lat": p.lat, "lon": p.lon,
                "country_code": p.country_code, "country": p.country, "province": p.province,
                "district": p.district, "feature_class": p.feature_class, "feature_code": p.feature_code,
            }  # fmt: skip
        tops[t.mention.start] = {
            "doc_id": document.id, "start": t.mention.start, "end": t.mention.end,
            "text": t.mention.text, "geonameid": p.geonameid if p else None, "score": t.score,
        }  # fmt: skip
    for d in records:
        loc = d.get("event_loc") or {}
        if loc.get("geonameid") is not None and loc["geonameid"] not in places:
            places[loc["geonameid"]] = place_row(loc)
    return {
        "documents": [
            {
                "id": document.id, "content_hash": chash, "text": clean_text(document.text),
                "publication_date": document.publication_date, "title": clean_or_none(document.title),
                "url": clean_or_none(document.url), "source": clean_or_none(document.source), "ingested_at": now_utc(),
                "n_events": len(records), "canonical_url": clean_or_none(document.canonical_url),
                "author": clean_or_none(document.author), "copy_of": document.copy_of, "copy_reason": copy_reason,
            }
        ],
        "document_keys": key_rows(fp) if fp is not None else [],
        "document_signatures": (
            [{"doc_id": document.id, "signature": fp.signature}] if fp is not None and fp.signature else []
        ),
        "sentences": [
            {"doc_id": document.id, "seq": x.index, "start": x.start, "end": x.end} for x in sentences
        ],
        "places": list(places.values()),
        "toponyms": list(tops.values()),
        "events": [event_row(i, d) for i, d in enumerate(records)],
        "actors": [row for d in records for row in actor_rows(d)],
    }


def place_row(loc: Mapping[str, Any]) -> dict[str, Any]:
    """The ``places`` row of an ``event_loc`` that has a GeoNames id."""
    return {
        "geonameid": loc["geonameid"], "name": loc.get("resolved_place"), "lat": loc.get("lat"),
        "lon": loc.get("lon"), "country_code": loc.get("country_code"), "country": loc.get("country"),
        "province": loc.get("province"), "district": loc.get("district"),
        "feature_class": loc.get("feature_class"), "feature_code": loc.get("feature_code"),
    }  # fmt: skip


def actor_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``actors`` rows of a PLOVER record (its actors and recipients, in order)."""
    return [
        {
            "event_id": record["id"], "role": role, "position": i, "entity_text": a.get("entity_text") or "",
            "code": a.get("code"), "sector": a.get("sector"), "identifier_text": a.get("identifier_text"),
        }
        for role in ("actor", "recipient")
        for i, a in enumerate(record.get(role) or ())
    ]


def records_of(document: Document, events: Iterable[Event]) -> list[dict[str, Any]]:
    """The PLOVER records (``Event.to_plover``) of a document's events, each with an id (assigned
    here when the coder gave none), without repeats."""
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ev in events:
        if not ev.id:
            ev.assign_id()
        if ev.id in seen:
            continue
        seen.add(ev.id)
        records.append(dict(ev.to_plover()))  # the store edits records by field name (reviews)
    return records



def check_document(document: Document) -> None:
    """The same limits on both back ends (PostgreSQL refuses what SQLite would keep)."""
    problem = id_problem(document.id)
    if problem:
        raise ValueError(f"document {document.id!r:.80}: {problem}")
    if document.publication_date is not None and date_problem(document.publication_date):
        raise ValueError(f"document {document.id}: publication_date {date_problem(document.publication_date)}")


def clean_or_none(value: str | None) -> str | None:
    return clean_text(value) if value else value



def event_row(seq: int, d: Mapping[str, Any]) -> dict[str, Any]:
    loc = d.get("event_loc") or {}
    size = d.get("size") or {}
    info = d.get("text_info") or {}
    return {
        "id": d["id"], "doc_id": d["doc_id"], "seq": seq, "primary_type": d["event"][0],
        "date": as_date(d.get("date")), "enddate": as_date(d.get("enddate")),
        "date_precision": d.get("date_precision"), "date_source": d.get("date_source"),
        "event": list(d["event"]), "mode": list(d.get("mode") or []), "context": list(d.get("context") or []),
        "actor": list(d.get("actor") or []), "recipient": list(d.get("recipient") or []),
        "event_loc": dict(loc) if loc else None, "lat": loc.get("lat"), "lon": loc.get("lon"),
        "country_code": loc.get("country_code"), "province": loc.get("province"),
        "geonameid": loc.get("geonameid"), "resolution": loc.get("resolution"),
        "dead": size.get("dead"), "injured": size.get("injured"), "arrested": size.get("arrested"),
        "event_text": list(d.get("event_text") or []), "sentence_seq": info.get("sequence"),
        "evidence_start": info.get("start"), "evidence_end": info.get("end"),
        "trigger_offsets": list(d.get("trigger_offsets") or []), "cameo": d.get("cameo"),
        "acled_event_type": d.get("acled_event_type"), "acled_sub_event_type": d.get("acled_sub_event_type"),
        "quad_code": d.get("quad_code"), "confidence": float(d.get("confidence") or 0.0),
        "reciprocal": bool(d.get("reciprocal")), "modal": bool(set(d.get("mode") or ()) & MODAL_MODES),
        "evidence": d.get("evidence"),
        **review_columns(d.get("review")),
    }  # fmt: skip


def review_columns(review: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``events`` columns that copy a record's review (``store.reviews``)."""
    r = review or {}
    status = r.get("status")
    return {
        "review_status": None if status in (None, "unreviewed") else status, "reviewed_by": r.get("by"),
        "reviewed_at": r.get("at"), "review_flag": r.get("flag"),
    }  # fmt: skip


def row_to_plover(row: Mapping[str, Any] | RowMapping) -> dict[str, Any]:
    """An ``events`` row as the PLOVER record ``Event.to_plover()`` gives (CONTRACT.md)."""
    return {
        "id": row["id"], "doc_id": row["doc_id"], "date": iso_date(as_date(row["date"])),
        "enddate": iso_date(as_date(row["enddate"])), "date_precision": row["date_precision"],
        "date_source": row["date_source"], "event": row["event"], "mode": row["mode"],
        "context": row["context"], "actor": row["actor"], "recipient": row["recipient"],
        "event_loc": row["event_loc"],
        "size": {"dead": row["dead"], "injured": row["injured"], "arrested": row["arrested"]},
        "event_text": row["event_text"],
        "text_info": {"sequence": row["sentence_seq"], "start": row["evidence_start"], "end": row["evidence_end"]},
        "trigger_offsets": row["trigger_offsets"], "cameo": row["cameo"],
        "acled_event_type": row["acled_event_type"], "acled_sub_event_type": row["acled_sub_event_type"],
        "quad_code": row["quad_code"], "confidence": row["confidence"], "reciprocal": row["reciprocal"],
        # rows stored before evidence was kept: the triggers are all there is
        "evidence": row.get("evidence") or {"event": row["trigger_offsets"]},
        "review": {"status": row.get("review_status") or "unreviewed", "by": row.get("reviewed_by"),
                   "at": row.get("reviewed_at"), "flag": row.get("review_flag")},
    }  # fmt: skip

