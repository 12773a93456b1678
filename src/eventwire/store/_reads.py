"""The read side of ``Store``: typed records (``StoredEvent``, ``CanonicalEvent``) streamed under
filters, stored documents, pages and details for the API (``store.query``), counts and the
summary."""

from __future__ import annotations

import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, TypedDict, overload

from sqlalchemy import (
    func,
    select,
)

from eventwire.helpers import as_date
from eventwire.merge import MergeReason
from eventwire.model import CanonicalEvent, Document, PloverEvent, StoredEvent
from eventwire.store import schema as S
from eventwire.store._connection import StoreBase
from eventwire.store.query import (
    Cursor,
    DocumentDetail,
    EventCounts,
    EventDetail,
    EventFilter,
    EventPage,
    document_detail,
    event_conditions,
    event_counts,
    event_detail,
    event_select,
    listing_end,
    page_events,
    stored_event_of,
    typed_record_of,
)


class ExplainedReport(TypedDict):
    event_id: str
    doc_id: str
    evidence_start: int | None
    evidence_end: int | None
    reason: MergeReason | None
    added_at: datetime | None
    evidence: str | None  # the evidence sentence


class Explanation(TypedDict):
    """``Store.explain``: a merged event and each report behind it with why it was merged."""

    canonical: PloverEvent
    reports: list[ExplainedReport]


@dataclass(slots=True)
class StoreSummary:
    """``Store.summary``: reports by (type, country), the merged events with the most reports, and
    the rows in each table."""

    by_type_country: list[tuple[str, str | None, int]]
    top_merged: list[CanonicalEvent]
    counts: dict[str, int]



class ReadingStore(StoreBase):
    """Reading events, documents and counts."""

    @overload
    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: Literal[False] = False, batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[StoredEvent]: ...

    @overload
    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: Literal[True], batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[CanonicalEvent]: ...

    @overload
    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: bool, batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[StoredEvent | CanonicalEvent]: ...

    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: bool = False, batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[StoredEvent | CanonicalEvent]:
        """Stream the reports (``StoredEvent``) matching ``filters`` in bounded memory, ordered by
        date; ``canonical=True``: the merged events (``CanonicalEvent``) instead.  Their PLOVER
        records are ``to_plover()``."""
        t = S.canonical_events if canonical else S.events
        conds, params = event_conditions(filters or EventFilter(), canonical)
        stmt = event_select(canonical).where(*conds).order_by(t.c.date.asc().nulls_last(), t.c.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(stmt, params)
            for row in result.mappings():
                yield typed_record_of(row, canonical)

    def iter_documents(self, ids: Sequence[str] | None = None, batch_size: int = 100) -> Iterator[Document]:
        """Stored documents (all, or those of ``ids``) as ``Document`` records, in id order,
        ``batch_size`` at a time; copies of other documents are left out (they are not coded)."""
        d = S.documents.c
        cols = (d.id, d.text, d.publication_date, d.title, d.url, d.source, d.canonical_url, d.author)
        after: str | None = None
        wanted = sorted(set(ids)) if ids is not None else None
        while True:
            stmt = select(*cols).where(d.copy_of.is_(None)).order_by(d.id).limit(batch_size)
            if wanted is not None:
                chunk, wanted = wanted[:batch_size], wanted[batch_size:]
                if not chunk:
                    return
                stmt = stmt.where(d.id.in_(chunk))
            elif after is not None:
                stmt = stmt.where(d.id > after)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            for r in rows:
                yield Document(r.id, r.text, as_date(r.publication_date), r.title, r.url, r.source,
                               canonical_url=r.canonical_url, author=r.author)  # fmt: skip
            if wanted is None:
                if len(rows) < batch_size:
                    return
                after = rows[-1].id

    def get_event(self, event_id: str) -> StoredEvent | None:
        """The stored report ``event_id`` (None: no such report), with its canonical event."""
        with self.engine.connect() as conn:
            row = conn.execute(event_select(False).where(S.events.c.id == event_id)).mappings().first()
        return stored_event_of(row) if row else None

    @overload
    def page_events(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Cursor | None = None,
        limit: int = 100, as_json: Literal[False] = False,
    ) -> EventPage[StoredEvent | CanonicalEvent]: ...
    @overload
    def page_events(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Cursor | None = None,
        limit: int = 100, as_json: Literal[True],
    ) -> EventPage[str]: ...
    def page_events(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Cursor | None = None,
        limit: int = 100, as_json: bool = False,
    ) -> EventPage[StoredEvent | CanonicalEvent] | EventPage[str]:
        """One newest-first page of events (``query.EventPage``: records and the cursor of the
        next page), starting after the ``query.Cursor`` ``after``: typed records (merged events
        with ``canonical``), or with ``as_json`` each PLOVER record as JSON text written by the
        database."""
        with self._read() as conn:
            if as_json:
                return page_events(conn, filters or EventFilter(), canonical=canonical, after=after, limit=limit,
                                   as_json=True)  # fmt: skip
            return page_events(conn, filters or EventFilter(), canonical=canonical, after=after, limit=limit)

    def iter_json_pages(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Cursor | None = None,
        limit: int = 1000, chunk: int = 1000,
    ) -> Iterator[str]:
        """Up to ``limit`` events after ``after`` as JSON text written by the database, newest
        first, read ``chunk`` at a time (one short read per chunk: bounded memory, no read
        transaction held open for the whole listing)."""
        remaining, cur = limit, after
        while remaining > 0:
            page = self.page_events(filters, canonical=canonical, after=cur, limit=min(chunk, remaining), as_json=True)
            yield from page.events
            remaining -= len(page.events)
            if page.next is None:
                return
            cur = page.next

    def listing_end(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Cursor | None = None,
        limit: int = 1000,
    ) -> Cursor | None:
        """The cursor that continues a listing of ``limit`` events after ``after``; None when
        nothing follows (``query.listing_end``)."""
        with self._read() as conn:
            return listing_end(conn, filters or EventFilter(), canonical=canonical, after=after, limit=limit)

    def event_detail(self, event_id: str) -> EventDetail | None:
        """An event (report or canonical id) with its reports, their documents and evidence."""
        with self.engine.connect() as conn:
            return event_detail(conn, event_id)

    def get_document(self, doc_id: str) -> DocumentDetail | None:
        """A stored document with its text, sentences, place mentions and events (with the
        offsets of each field's evidence)."""
        with self.engine.connect() as conn:
            return document_detail(conn, doc_id)

    def event_counts(self, filters: EventFilter | None = None, *, canonical: bool = False) -> EventCounts:
        """Events matching ``filters`` in all, by type, by country and by day."""
        with self.engine.connect() as conn:
            return event_counts(conn, filters or EventFilter(), canonical=canonical)

    def explain(self, event_id: str) -> Explanation | None:
        """The canonical event ``event_id`` (a canonical id, or one of its reports' ids) with
        each report, its evidence sentence and the stored reason it was merged."""
        r, d = S.event_reports.c, S.documents.c
        with self.engine.connect() as conn:
            cid: str | None = event_id
            if not event_id.startswith("ewc-"):
                cid = conn.execute(select(r.canonical_id).where(r.event_id == event_id)).scalar()
                if cid is None:
                    return None
            rec = conn.execute(
                select(S.canonical_events.c.record).where(S.canonical_events.c.id == cid)
            ).scalar()
            if rec is None:
                return None
            rows = conn.execute(
                select(r.event_id, r.doc_id, r.evidence_start, r.evidence_end, r.reason, r.added_at,
                       func.substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start).label("evidence"))
                .join(S.documents, S.documents.c.id == r.doc_id)
                .where(r.canonical_id == cid).order_by(r.added_at, r.event_id)
            ).mappings().all()  # fmt: skip
        return {"canonical": rec, "reports": [typing.cast(ExplainedReport, dict(x)) for x in rows]}

    def ping(self) -> None:
        """Raise unless the database answers (one trivial query)."""
        with self._read() as conn:
            conn.execute(select(1)).scalar()

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (S.documents, S.sentences, S.toponyms, S.places, S.events, S.actors,
                          S.canonical_events, S.event_reports)
            }  # fmt: skip

    def summary(self, top: int = 10) -> StoreSummary:
        """Events by type and country, and the canonical events with the most reports."""
        e, c = S.events.c, S.canonical_events.c
        with self.engine.connect() as conn:
            by_type = conn.execute(
                select(e.primary_type, e.country_code, func.count())
                .where(e.modal.is_(False)).group_by(e.primary_type, e.country_code)
                .order_by(func.count().desc())
            ).all()  # fmt: skip
            merged = conn.execute(
                select(c.record).where(c.n_reports > 1).order_by(c.n_reports.desc(), c.id).limit(top)
            ).scalars().all()  # fmt: skip
        return StoreSummary(
            [(str(t), cc, int(n)) for t, cc, n in by_type], [CanonicalEvent.from_plover(r) for r in merged], self.counts()
        )

