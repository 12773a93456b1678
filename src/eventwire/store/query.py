"""The store's read side for programs that page through it (the HTTP API, the web page): the
filter conditions shared with ``Store.iter_events``, newest-first keyset pages, an event with its
reports and their evidence, a document with the offsets of every field's evidence, and counts
by type, country and day under the same filters.

Every value from outside reaches the database as a bound parameter; no SQL is built from text.
"""

from __future__ import annotations

import base64
import binascii
import functools
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Literal, TypedDict, TypeVar, overload

import orjson
from sqlalchemy import (
    BindParameter,
    Connection,
    Date,
    RowMapping,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    type_coerce,
)

from eventwire.helpers import as_date
from eventwire.merge import MergeReason
from eventwire.model import CanonicalEvent, PloverEvent, StoredEvent
from eventwire.store import schema as S
from eventwire.store._rows import row_to_plover


@dataclass(slots=True)
class EventFilter:
    """Filters for ``Store.iter_events``; every given filter must hold."""

    since: date | None = None
    until: date | None = None
    country: str | None = None  # alpha-3
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None  # a code (IRQ, USA, IGO...) or part of a name
    bbox: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat
    include_modal: bool = False
    min_confidence: float | None = None
    event_types: tuple[str, ...] = ()  # any of these PLOVER types (with event_type: and)
    countries: tuple[str, ...] = ()  # any of these alpha-3 codes (with country: and)
    # reports only: any of these review statuses (unreviewed, confirmed, corrected, rejected);
    # none given: every status but rejected
    review: tuple[str, ...] = ()
    flagged: bool = False  # reports only: those a reviewer should look at again



@functools.cache
def event_select(canonical: bool, json_dialect: str | None = None) -> Any:
    """The rows behind PLOVER records: canonical records, or event rows with their canonical id.

    With ``json_dialect`` (``sqlite`` or ``postgresql``) the database writes each record as JSON
    text itself (column ``json``, beside ``date`` and ``id``): the same record ``record_of``
    builds, at a fraction of the cost of building it in Python."""
    if canonical:
        c = S.canonical_events.c
        if json_dialect is not None:
            text = cast(c.record, Text) if json_dialect == "postgresql" else type_coerce(c.record, Text)
            return select(text.label("json"), c.date, c.id)
        return select(c.record, c.date, c.id)
    joined = S.events.outerjoin(S.event_reports, S.event_reports.c.event_id == S.events.c.id)
    if json_dialect is not None:
        return select(_record_json(json_dialect).label("json"), S.events.c.date, S.events.c.id).select_from(joined)
    return select(S.events, S.event_reports.c.canonical_id).select_from(joined)


# The PLOVER record of an event row (``store.row_to_plover`` plus ``canonical_id``), field by
# field: (key, kind, column) with kind str, num, json (a JSON column), bool, or a nested object.
_RECORD: list[tuple[str, str, Any]] = [
    ("id", "str", "id"), ("doc_id", "str", "doc_id"), ("date", "str", "date"), ("enddate", "str", "enddate"),
    ("date_precision", "str", "date_precision"), ("date_source", "str", "date_source"),
    ("event", "json", "event"), ("mode", "json", "mode"), ("context", "json", "context"), ("actor", "json", "actor"),
    ("recipient", "json", "recipient"), ("event_loc", "json", "event_loc"),
    ("size", "obj", [("dead", "num", "dead"), ("injured", "num", "injured"), ("arrested", "num", "arrested")]),
    ("event_text", "json", "event_text"),
    ("text_info", "obj", [("sequence", "num", "sentence_seq"), ("start", "num", "evidence_start"),
                          ("end", "num", "evidence_end")]),
    ("trigger_offsets", "json", "trigger_offsets"), ("cameo", "str", "cameo"),
    ("acled_event_type", "str", "acled_event_type"), ("acled_sub_event_type", "str", "acled_sub_event_type"),
    ("quad_code", "num", "quad_code"), ("confidence", "num", "confidence"), ("reciprocal", "bool", "reciprocal"),
    ("evidence", "evidence", "evidence"), ("canonical_id", "str", "event_reports.canonical_id"),
    ("review", "review", "review_status"),
]  # fmt: skip


@functools.cache
def _record_json(dialect: str) -> Any:
    """The record of an event row as JSON text, written by the database.  SQLite: the text is
    concatenated from the stored JSON columns as they are (no JSON parsing: as cheap as reading
    the plain columns); PostgreSQL: json_build_object."""
    if dialect == "sqlite":
        return literal_column(_sqlite_record(_RECORD), Text)
    if dialect != "postgresql":
        raise ValueError(f"no JSON records from {dialect} databases")
    e = S.events.c

    def col(name: str) -> Any:
        return S.event_reports.c.canonical_id if name == "event_reports.canonical_id" else e[name]

    def build(spec: list[tuple[str, str, Any]]) -> Any:
        args: list[Any] = []
        for key, kind, name in spec:
            if kind == "obj":
                value = build(name)
            elif kind == "evidence":
                value = func.coalesce(e.evidence, func.json_build_object(literal_column("'event'"), e.trigger_offsets))
            elif kind == "review":
                value = func.json_build_object(
                    literal_column("'status'"), func.coalesce(e.review_status, literal_column("'unreviewed'")),
                    literal_column("'by'"), e.reviewed_by, literal_column("'at'"), e.reviewed_at,
                    literal_column("'flag'"), e.review_flag,
                )  # fmt: skip
            else:
                value = col(name)
            args += [literal_column(f"'{key}'"), value]  # keys: constants written here, not parameters
        return func.json_build_object(*args)

    return cast(build(_RECORD), Text)


def _sqlite_record(spec: list[tuple[str, str, Any]]) -> str:
    """SQLite expression concatenating the JSON text of ``spec`` (static: written from the
    constants above only)."""
    parts = []
    for i, (key, kind, name) in enumerate(spec):
        col = name if "." in str(name) else f"events.{name}"
        if kind == "str":
            value = f"json_quote({col})"  # null for NULL
        elif kind == "num":
            value = f"coalesce(json_quote({col}), 'null')"
        elif kind == "json":
            value = f"coalesce({col}, 'null')"  # stored JSON text, as written by the store
        elif kind == "bool":
            value = f"(CASE WHEN {col} THEN 'true' ELSE 'false' END)"
        elif kind == "evidence":
            value = "coalesce(events.evidence, '{\"event\":' || events.trigger_offsets || '}')"
        elif kind == "review":
            value = ("json_object('status', coalesce(events.review_status, 'unreviewed'), 'by', events.reviewed_by,"
                     " 'at', events.reviewed_at, 'flag', events.review_flag)")  # fmt: skip
        else:
            value = _sqlite_record(name)
        parts.append(f"'{'{' if i == 0 else ','}\"{key}\":' || {value}")
    return "(" + " || ".join(parts) + " || '}')"


def filter_shape(f: EventFilter) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Which filters ``f`` sets (its shape: the statement depends on nothing else) and the
    values of their bound parameters."""
    shape: list[str] = []
    p: dict[str, Any] = {}
    if f.since:
        shape.append("since")
        p["since"] = f.since
    if f.until:
        shape.append("until")
        p["until"] = f.until
    countries = sorted({c.upper() for c in f.countries})
    if f.country:  # both given: events in both
        countries = [f.country.upper()] if not countries or f.country.upper() in countries else []
        if not countries:
            shape.append("none")
    if len(countries) == 1:  # an equality, which the (country, date, id) index serves in order
        shape.append("country")
        p["country"] = countries[0]
    elif countries:
        shape.append("countries")
        p["countries"] = countries
    if f.admin1:
        shape.append("admin1")
        p["admin1"] = f.admin1.lower()
    types = sorted({x.upper() for x in f.event_types})
    if f.event_type:
        types = [f.event_type.upper()] if not types or f.event_type.upper() in types else []
        if not types:
            shape.append("none")
    if len(types) == 1:
        shape.append("type")
        p["type"] = types[0]
    elif types:
        shape.append("types")
        p["types"] = types
    if f.bbox:
        shape.append("bbox")
        p.update(zip(("minlon", "minlat", "maxlon", "maxlat"), (float(x) for x in f.bbox), strict=True))
    if f.min_confidence is not None:
        shape.append("min_confidence")
        p["min_confidence"] = float(f.min_confidence)
    if f.actor:
        shape.append("actor")
        p["actor_code"] = f.actor.upper()
        # a part of a name: % and _ typed by the user are the characters themselves
        literal = f.actor.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
        p["actor_like"] = f"%{literal}%"
    if f.include_modal:
        shape.append("modal")
    statuses = sorted({x.lower() for x in f.review})
    if statuses:  # reports only: canonical events are reviewed through their reports
        stored = [x for x in statuses if x != "unreviewed"]
        if "unreviewed" in statuses:
            shape.append("unreviewed")
        if stored:
            shape.append("review")
            p["review"] = stored
    if f.flagged:
        shape.append("flagged")
    return tuple(shape), p


@functools.lru_cache(maxsize=512)
def shape_conditions(shape: tuple[str, ...], canonical: bool) -> tuple[Any, ...]:
    """The WHERE conditions of a filter shape, with bound parameters named as in
    ``filter_shape`` (built once per shape: building them costs more than running them)."""
    t = S.canonical_events if canonical else S.events
    conds: list[Any] = []
    has = set(shape)
    if "none" in has:
        conds.append(false())
    if "since" in has:
        conds.append(func.coalesce(t.c.enddate, t.c.date) >= bindparam("since", type_=Date))
    if "until" in has:
        conds.append(t.c.date <= bindparam("until", type_=Date))
    if "country" in has:
        conds.append(t.c.country_code == bindparam("country"))
    if "countries" in has:
        conds.append(t.c.country_code.in_(bindparam("countries", expanding=True)))
    if "admin1" in has:
        conds.append(func.lower(t.c.province) == bindparam("admin1"))
    if "type" in has:
        conds.append(t.c.primary_type == bindparam("type"))
    if "types" in has:
        conds.append(t.c.primary_type.in_(bindparam("types", expanding=True)))
    if "bbox" in has:
        conds.append(and_(t.c.lon >= bindparam("minlon"), t.c.lon <= bindparam("maxlon"),
                          t.c.lat >= bindparam("minlat"), t.c.lat <= bindparam("maxlat")))  # fmt: skip
    if "min_confidence" in has:
        conds.append(t.c.confidence >= bindparam("min_confidence"))
    if "actor" in has:
        a = S.actors.c
        needle: BindParameter[str] = bindparam("actor_like")
        match = or_(
            a.code == bindparam("actor_code"),
            func.lower(a.entity_text).like(needle, escape="/"),
            func.lower(a.identifier_text).like(needle, escape="/"),
        )
        if canonical:
            r = S.event_reports.c
            conds.append(
                exists(select(1).select_from(S.event_reports.join(S.actors, a.event_id == r.event_id))
                       .where(r.canonical_id == t.c.id, match))
            )  # fmt: skip
        else:
            conds.append(exists(select(1).where(a.event_id == t.c.id, match)))
    if not canonical and "modal" not in has:
        conds.append(t.c.modal.is_(False))
    if not canonical:
        status = t.c.review_status
        if "review" in has and "unreviewed" in has:
            conds.append(or_(status.is_(None), status.in_(bindparam("review", expanding=True))))
        elif "review" in has:
            conds.append(status.in_(bindparam("review", expanding=True)))
        elif "unreviewed" in has:
            conds.append(status.is_(None))
        else:  # events a reviewer rejected are left out unless asked for
            conds.append(or_(status.is_(None), status != literal_column("'rejected'")))
        if "flagged" in has:
            conds.append(t.c.review_flag.is_not(None))
    return tuple(conds)


def event_conditions(f: EventFilter, canonical: bool) -> tuple[list[Any], dict[str, Any]]:
    """The WHERE conditions of ``f`` on events (or canonical events) and the values of their
    bound parameters, to pass to ``execute``."""
    shape, params = filter_shape(f)
    return list(shape_conditions(shape, canonical)), params


def record_of(row: Mapping[str, Any] | RowMapping, canonical: bool) -> PloverEvent:
    """The PLOVER record of a row of ``event_select`` (the store wrote it from a typed record)."""
    if "json" in row:
        return typing.cast(PloverEvent, orjson.loads(row["json"]))
    if canonical:
        return typing.cast(PloverEvent, dict(row["record"]))
    rec = row_to_plover(row)
    rec["canonical_id"] = row["canonical_id"]
    return typing.cast(PloverEvent, rec)


# The JSON views the HTTP API and the web page serve (``Store.event_detail`` and others).


class DocumentRef(TypedDict):
    id: str
    title: str | None
    url: str | None
    source: str | None
    publication_date: str | None


class ReportDetail(TypedDict):
    event: PloverEvent
    document: DocumentRef
    evidence_text: str | None
    reason: MergeReason | None
    added_at: str | None


class EventDetail(TypedDict):
    event: PloverEvent  # the event asked for (a report, or the merged event)
    canonical_id: str | None
    canonical: PloverEvent | None  # the merged event (None: never merged, as modal events)
    reports: list[ReportDetail]


class ToponymDetail(TypedDict):
    start: int
    end: int
    text: str
    geonameid: int | None
    resolved_place: str | None
    lat: float | None
    lon: float | None
    country_code: str | None
    feature_code: str | None


class DocumentDetail(TypedDict):
    id: str
    title: str | None
    url: str | None
    source: str | None
    canonical_url: str | None
    author: str | None
    copy_of: str | None
    publication_date: str | None
    ingested_at: str | None
    text: str
    sentences: list[list[int]]
    toponyms: list[ToponymDetail]
    events: list[PloverEvent]


class EventCounts(TypedDict):
    total: int
    by_type: list[tuple[str, int]]  # (type, events), most first
    by_country: list[tuple[str | None, int]]  # (alpha-3 or null, events)
    by_day: list[tuple[str, int]]  # (YYYY-MM-DD, events), in date order
    undated: int
    first_day: str | None
    last_day: str | None


def typed_record_of(row: Mapping[str, Any] | RowMapping, canonical: bool) -> StoredEvent | CanonicalEvent:
    """The typed record of a row of ``event_select``: a merged event, or a report with its review
    and canonical id."""
    if canonical:
        return CanonicalEvent.from_plover(orjson.loads(row["json"]) if "json" in row else row["record"])
    return stored_event_of(row)


def stored_event_of(row: Mapping[str, Any] | RowMapping) -> StoredEvent:
    """The report of a row of ``event_select(False)``, with its review and canonical id."""
    return StoredEvent.from_plover(orjson.loads(row["json"]) if "json" in row else record_of(row, False))


@dataclass(frozen=True, slots=True)
class Cursor:
    """A keyset position in a newest-first listing: the (date, id) of the last event of a page.
    Encoded as an opaque URL-safe token."""

    date: date | None
    id: str

    def encode(self) -> str:
        raw = orjson.dumps([self.date.isoformat() if self.date else None, self.id])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """The cursor of ``token``; ValueError when it is not one this store gave out."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            value = orjson.loads(raw)
            day, ident = value
            if not isinstance(ident, str) or not (day is None or isinstance(day, str)):
                raise ValueError
            return cls(date.fromisoformat(day) if day else None, ident)
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
            raise ValueError(f"not a page cursor: {token[:40]!r}") from None


T = TypeVar("T")


@dataclass(slots=True)
class EventPage(Generic[T]):
    events: list[T]  # typed records, or their PLOVER JSON text (``as_json``)
    next: Cursor | None  # where the next page starts; None on the last page


@overload
def page_events(
    conn: Connection, f: EventFilter, *, canonical: bool = False, after: Cursor | None = None, limit: int = 100,
    as_json: Literal[False] = False,
) -> EventPage[StoredEvent | CanonicalEvent]: ...
@overload
def page_events(
    conn: Connection, f: EventFilter, *, canonical: bool = False, after: Cursor | None = None, limit: int = 100,
    as_json: Literal[True],
) -> EventPage[str]: ...
def page_events(
    conn: Connection, f: EventFilter, *, canonical: bool = False, after: Cursor | None = None, limit: int = 100,
    as_json: bool = False,
) -> EventPage[StoredEvent | CanonicalEvent] | EventPage[str]:
    """One page of events matching ``f``, newest first (date descending, then id descending;
    undated events last), starting after ``after``: typed records (merged events with
    ``canonical``, else stored reports), or with ``as_json`` each PLOVER record as JSON text
    written by the database."""
    rows, nxt = _page_rows(conn, f, canonical, after, limit, conn.dialect.name if as_json else "rows")
    if as_json:
        return EventPage([r["json"] for r in rows], nxt)
    return EventPage([typed_record_of(r, canonical) for r in rows], nxt)


def _page_rows(
    conn: Connection, f: EventFilter, canonical: bool, after: Cursor | None, limit: int, what: str
) -> tuple[list[Any], Cursor | None]:
    """The rows of one page and the cursor of the next.  Dated events are read through the
    (date, id) index in order; the undated ones in a second statement once the dated ones run
    out.  ``what``: ``keys`` ((date, id) only), ``rows`` or a dialect name (JSON records)."""
    shape, params = filter_shape(f)
    rows: list[Any] = []
    if after is None or after.date is not None:
        stmt = _page_statement(canonical, what, shape, "dated", after is not None)
        p = {**params, "n": limit + 1}
        if after is not None:
            p.update(after_date=after.date, after_id=after.id)
        rows = list(conn.execute(stmt, p).mappings())
    if len(rows) <= limit:
        stmt = _page_statement(canonical, what, shape, "undated", after is not None and after.date is None)
        p = {**params, "n": limit + 1 - len(rows)}
        if after is not None and after.date is None:
            p["after_id"] = after.id
        rows += list(conn.execute(stmt, p).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = None
    if more:
        last = rows[-1]
        nxt = Cursor(as_date(last["date"]), last["id"])
    return rows, nxt


@functools.lru_cache(maxsize=1024)
def _page_statement(canonical: bool, what: str, shape: tuple[str, ...], part: str, keyed: bool) -> Any:
    """The statement of one part (dated or undated events) of a page, built once per shape:
    ``what`` is ``keys`` (date and id), ``rows`` or a dialect name (JSON records); ``keyed``:
    it starts after a cursor (parameters ``after_date``, ``after_id``); ``n``: the row limit."""
    t = S.canonical_events if canonical else S.events
    if what == "keys":
        stmt = select(t.c.date, t.c.id)
    else:
        stmt = event_select(canonical, None if what == "rows" else what)
    stmt = stmt.where(*shape_conditions(shape, canonical))
    if part == "dated":
        stmt = stmt.where(t.c.date.is_not(None))
        if keyed:
            stmt = stmt.where(tuple_(t.c.date, t.c.id) < tuple_(bindparam("after_date", type_=Date), bindparam("after_id")))
        stmt = stmt.order_by(t.c.date.desc(), t.c.id.desc())
    else:
        stmt = stmt.where(t.c.date.is_(None))
        if keyed:
            stmt = stmt.where(t.c.id < bindparam("after_id"))
        stmt = stmt.order_by(t.c.id.desc())
    return stmt.limit(bindparam("n"))


def listing_end(
    conn: Connection, f: EventFilter, *, canonical: bool = False, after: Cursor | None = None, limit: int = 1000,
    chunk: int = 10_000,
) -> Cursor | None:
    """Where a listing of ``limit`` events after ``after`` ends when more events follow (the
    cursor to continue from), else None; reads keys only, ``chunk`` at a time."""
    remaining, cur = limit, after
    while True:
        rows, nxt = _page_rows(conn, f, canonical, cur, min(chunk, remaining), "keys")
        remaining -= len(rows)
        if nxt is None or remaining <= 0:
            return nxt
        cur = nxt


def event_detail(conn: Connection, event_id: str) -> EventDetail | None:
    """An event (a report's id or a canonical id) with every report of its canonical event: each
    report's record (with its evidence offsets), its document's metadata, its evidence sentence
    and the reason it was merged.  ``canonical`` is the merged record (None for an event that
    was never merged: negated, hypothetical and historical ones)."""
    r, c, e = S.event_reports.c, S.canonical_events.c, S.events.c
    requested: PloverEvent | None = None
    if event_id.startswith("ewc-"):
        cid: str | None = event_id
    else:
        row = conn.execute(event_select(False).where(e.id == event_id)).mappings().first()
        if row is None:
            return None
        requested = record_of(row, False)
        cid = row["canonical_id"]
    canonical = conn.execute(select(c.record).where(c.id == cid)).scalar() if cid else None
    if canonical is None and requested is None:
        return None
    d = S.documents.c
    stmt = (
        select(S.events, r.reason, r.added_at, d.title, d.url, d.source, d.publication_date,
               func.substr(d.text, e.evidence_start + 1, e.evidence_end - e.evidence_start).label("evidence_text"))
        .join(S.documents, d.id == e.doc_id)
    )  # fmt: skip
    if canonical is not None:
        stmt = stmt.join(S.event_reports, r.event_id == e.id).where(r.canonical_id == cid)
        stmt = stmt.order_by(r.added_at, e.id)
    else:
        stmt = stmt.outerjoin(S.event_reports, r.event_id == e.id).where(e.id == event_id)
    reports: list[ReportDetail] = []
    for row in conn.execute(stmt).mappings():
        rec = row_to_plover(row)
        rec["canonical_id"] = cid if canonical is not None else None
        reports.append({
            "event": typing.cast(PloverEvent, rec),
            "document": {"id": row["doc_id"], "title": row["title"], "url": row["url"], "source": row["source"],
                         "publication_date": _iso(row["publication_date"])},
            "evidence_text": row["evidence_text"],
            "reason": row["reason"],
            "added_at": row["added_at"].isoformat() if row["added_at"] is not None else None,
        })  # fmt: skip
    merged = typing.cast(PloverEvent, dict(canonical)) if canonical is not None else None
    return {
        "event": requested if requested is not None else typing.cast(PloverEvent, merged),
        "canonical_id": cid if canonical is not None else None,
        "canonical": merged,
        "reports": reports,
    }


def document_detail(conn: Connection, doc_id: str) -> DocumentDetail | None:
    """A stored document: its metadata and text, its sentences, its place mentions (with the
    places they resolved to) and all its events (modal ones included), each with the offsets of
    the words behind its fields."""
    d = S.documents.c
    doc = conn.execute(select(S.documents).where(d.id == doc_id)).mappings().first()
    if doc is None:
        return None
    s, tp, p, e = S.sentences.c, S.toponyms.c, S.places.c, S.events.c
    sentences = [[x.start, x.end] for x in conn.execute(select(s.start, s.end).where(s.doc_id == doc_id).order_by(s.seq))]
    toponyms = [
        typing.cast(ToponymDetail, dict(x)) for x in conn.execute(
            select(tp.start, tp.end, tp.text, tp.geonameid, p.name.label("resolved_place"), p.lat, p.lon,
                   p.country_code, p.feature_code)
            .outerjoin(S.places, p.geonameid == tp.geonameid).where(tp.doc_id == doc_id).order_by(tp.start)
        ).mappings()
    ]  # fmt: skip
    events = [
        record_of(row, False)
        for row in conn.execute(event_select(False).where(e.doc_id == doc_id).order_by(e.seq)).mappings()
    ]
    return {
        "id": doc["id"], "title": doc["title"], "url": doc["url"], "source": doc["source"],
        "canonical_url": doc.get("canonical_url"), "author": doc.get("author"), "copy_of": doc.get("copy_of"),
        "publication_date": _iso(doc["publication_date"]),
        "ingested_at": doc["ingested_at"].isoformat() if doc["ingested_at"] is not None else None,
        "text": doc["text"], "sentences": sentences, "toponyms": toponyms, "events": events,
    }  # fmt: skip


def event_counts(conn: Connection, f: EventFilter, *, canonical: bool = False, top: int = 50) -> EventCounts:
    """How many events match ``f``: in all, by primary type, by country (the ``top`` most
    frequent) and by day (every day with an event), and the first and last day."""
    t = S.canonical_events if canonical else S.events
    conds, params = event_conditions(f, canonical)

    def grouped(col: Any, limit: int | None = None, by_count: bool = True) -> list[tuple[Any, int]]:
        q = select(col, func.count()).select_from(t).where(*conds).group_by(col)
        q = q.order_by(func.count().desc(), col) if by_count else q.order_by(col)
        if limit is not None:
            q = q.limit(limit)
        return [(_iso(k) if isinstance(k, date) else k, int(n)) for k, n in conn.execute(q, params)]

    by_day = grouped(t.c.date, by_count=False)
    dated = [k for k, _ in by_day if k is not None]
    return {
        "total": sum(n for _, n in by_day),
        "by_type": grouped(t.c.primary_type),
        "by_country": grouped(t.c.country_code, top),
        "by_day": [(k, n) for k, n in by_day if k is not None],
        "undated": sum(n for k, n in by_day if k is None),
        "first_day": dated[0] if dated else None,
        "last_day": dated[-1] if dated else None,
    }


def _iso(value: Any) -> str | None:
    v = as_date(value)
    return v.isoformat() if v else None
