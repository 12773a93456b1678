"""The write path: documents, their evidence, events, actors and places, each document with its
merge updates in one transaction (``MergingStore``), batches rolled back and redone one document
at a time when one of them fails."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import (
    Connection,
    delete,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from eventwire.ingest import CopyMatch, Fingerprint, fingerprint, id_problem
from eventwire.model import Document, Event, Sentence, Toponym
from eventwire.store import schema as S
from eventwire.store._connection import StoreError, error_reason, store_down
from eventwire.store._merging import MergingStore
from eventwire.store._rows import IngestOutcome, Item, check_document, document_rows, records_of
from eventwire.store.copies import find_copies
from eventwire.store.reviews import reattach, reviewed_texts


class CodedDocument(Protocol):
    """What the store writes of a coded document: a pipeline ``DocumentResult`` or a writer's
    ``StoreItem`` (their ``sentences``, ``toponyms`` and ``fingerprint`` are read when present)."""

    @property
    def document(self) -> Document: ...

    @property
    def events(self) -> Sequence[Event]: ...


class WritingStore(MergingStore):
    """Writing documents and their events."""

    def document_status(self, document: Document) -> str:
        """``new``, ``unchanged`` (same id and content hash) or ``changed``."""
        return self.document_statuses([document])[document.id]

    def document_statuses(self, documents: Sequence[Document]) -> dict[str, str]:
        """``document_status`` of several documents with one query, by document id."""
        d = S.documents.c
        ids = {x.id for x in documents if id_problem(x.id) is None}
        try:
            with self.engine.connect() as conn:
                stored = dict(conn.execute(select(d.id, d.content_hash).where(d.id.in_(ids))).all()) if ids else {}
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {self.label}: {error_reason(exc)}") from exc
        return {
            x.id: "new" if x.id not in stored else "unchanged" if stored[x.id] == x.content_hash else "changed"
            for x in documents
        }

    def find_copies(self, fingerprints: Sequence[Fingerprint]) -> dict[str, CopyMatch]:
        """The stored (or earlier in ``fingerprints``) original of each document that is a copy
        (``ingest.dedup``), by document id; the write path decides again in its transaction."""
        with self.engine.connect() as conn:
            return find_copies(conn, fingerprints)

    def add_result(self, result: CodedDocument, *, recode: bool = False) -> IngestOutcome:
        """Store a pipeline ``DocumentResult`` (document, events, toponyms, sentences)."""
        return self.add_document(
            result.document, result.events, getattr(result, "sentences", ()), getattr(result, "toponyms", ()),
            recode=recode,
        )

    def add_document(
        self,
        document: Document,
        events: Iterable[Event],
        sentences: Sequence[Sentence] = (),
        toponyms: Sequence[Toponym] = (),
        *,
        recode: bool = False,
    ) -> IngestOutcome:
        """Write one document and its events in one transaction and merge its events
        (``recode``: replace its events even when the document is unchanged)."""
        t0 = time.perf_counter()
        self._writable()
        check_document(document)
        item = Item(document, records_of(document, events), sentences, toponyms)
        with self._write() as conn:
            (outcome,), merge_s = self._add_batch(conn, [item], recode)
        self.stats.merge_s += merge_s
        self.stats.write_s += time.perf_counter() - t0 - merge_s
        if outcome.status != "unchanged":
            self.stats.documents += 1
        return outcome

    def add_results(self, results: Sequence[CodedDocument], *, recode: bool = False) -> list[IngestOutcome | Exception]:
        """Store several pipeline results in one transaction (much cheaper per document than one
        transaction each).  If any of them fails, the batch is rolled back and redone one
        document per transaction, so one bad document costs only itself: its slot in the
        returned list holds the exception.  ``recode``: documents stored with the same content
        are replaced too (their events coded again; reviews are attached to the events found
        again, ``store.reviews``)."""
        t0 = time.perf_counter()
        self._writable()
        try:
            prepared = []
            for r in results:
                check_document(r.document)
                prepared.append(
                    Item(r.document, records_of(r.document, r.events), getattr(r, "sentences", ()),
                          getattr(r, "toponyms", ()), getattr(r, "fingerprint", None))
                )  # fmt: skip
            with self._write() as conn:
                outcomes, merge_total = self._add_batch(conn, prepared, recode)
        except Exception as exc:
            if store_down(exc):  # no single document is to blame: stop instead of failing each
                raise StoreError(f"cannot write to the store {self.label}: {error_reason(exc)}") from exc
            one_by_one: list[IngestOutcome | Exception] = []
            for r in results:
                try:
                    one_by_one.append(self.add_result(r, recode=recode))
                except Exception as exc:
                    if store_down(exc):
                        raise StoreError(f"cannot write to the store {self.label}: {error_reason(exc)}") from exc
                    one_by_one.append(exc)
            return one_by_one
        self.stats.merge_s += merge_total
        self.stats.write_s += time.perf_counter() - t0 - merge_total
        self.stats.documents += sum(1 for o in outcomes if o.status != "unchanged")
        self._maybe_analyze()
        return list(outcomes)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.label} was opened read-only")

    def _maybe_analyze(self) -> None:
        """Refresh PostgreSQL's planner statistics each time this session has doubled what it
        wrote (512, 1024, ... documents).  A store that starts empty otherwise keeps the plans
        of a tiny table: sequential scans for every lookup by id, a cost that grows with the
        store until autovacuum happens to analyse it."""
        if self.dialect != "postgresql" or self.stats.documents < self._analyze_at:
            return
        self._analyze_at = 2 * self.stats.documents
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("ANALYZE " + ", ".join(t.name for t in S.metadata.sorted_tables)))

    def _add_batch(
        self, conn: Connection, items: list[Item], recode: bool = False
    ) -> tuple[list[IngestOutcome], float]:
        """Write documents in one transaction: one hash query, one insert per table, then the
        merges of all their reports (``_merge_batch``).  A replaced document's reviews are
        attached to its events found again before they are written (``reviews.reattach``)."""
        ids = [it.document.id for it in items]
        if len(set(ids)) != len(ids):  # the same document twice: each must see the one before
            outcomes: list[IngestOutcome] = []
            total = 0.0
            for it in items:
                (outcome,), merge_s = self._add_batch(conn, [it], recode)
                outcomes.append(outcome)
                total += merge_s
            return outcomes, total
        d = S.documents.c
        stored = dict(conn.execute(select(d.id, d.content_hash).where(d.id.in_(ids))).all())
        # copies (same URL, near-identical text) are decided here, in the write transaction,
        # against everything stored and the batch's earlier documents; they keep no events
        fresh = [it for it in items if recode or stored.get(it.document.id) != it.document.content_hash]
        for it in fresh:
            if it.fingerprint is None:
                it.fingerprint = fingerprint(it.document)
        copies = find_copies(conn, [it.fingerprint for it in fresh if it.fingerprint is not None])
        # the text and content hash each reviewed document had, to find its events again
        reviewed = reviewed_texts(conn, [it.document.id for it in fresh if it.document.id in stored])
        outcomes = []
        todo: list[tuple[Document, list[dict[str, Any]]]] = []
        affected: set[str] = set()  # canonical events that lose the reports of replaced documents
        rows = []
        for it in items:
            doc, chash = it.document, it.document.content_hash
            if stored.get(doc.id) == chash and not recode:
                outcomes.append(IngestOutcome(doc.id, "unchanged"))
                continue
            match = copies.get(doc.id)
            if match is not None:
                doc.copy_of = match.original
            if doc.copy_of:  # found here, or before parsing by ingest_into
                it.records, it.sentences, it.toponyms = [], (), ()
            replaced = doc.id in stored
            if replaced:
                before = reviewed.get(doc.id)
                affected |= self._delete_document(conn, doc.id)
                if before is not None:  # the coder's new output keeps the reviewers' judgements
                    reattach(conn, doc, it.records, *before)
            reason = match.describe() if match is not None else "found before parsing" if doc.copy_of else None
            rows.append(document_rows(doc, chash, it.records, it.sentences, it.toponyms, it.fingerprint, reason))
            todo.append((doc, it.records))
            outcomes.append(IngestOutcome(doc.id, "replaced" if replaced else "added", len(it.records),
                                          copy_of=doc.copy_of))  # fmt: skip
        if rows:
            self._insert_rows(conn, rows)
        tm = time.perf_counter()
        # events that lost the reports of replaced documents first, so that merging compares
        # with, and adds to, what is left of them
        for cid in sorted(affected):
            self._refresh_canonical(conn, cid)
        merged_by_doc, _ = self._merge_batch(conn, todo)
        for o in outcomes:
            o.merged = merged_by_doc.get(o.doc_id, 0)
        return outcomes, time.perf_counter() - tm

    def _insert_rows(self, conn: Connection, batch: list[dict[str, list[dict[str, Any]]]]) -> None:
        """Insert the rows of several documents with one statement per table."""
        places: dict[int, dict[str, Any]] = {}
        for rows in batch:
            for row in rows["places"]:
                places.setdefault(row["geonameid"], row)
        for table, key in (
            (S.documents, "documents"), (S.sentences, "sentences"),
            (S.document_keys, "document_keys"), (S.document_signatures, "document_signatures"),
        ):  # fmt: skip
            flat = [row for rows in batch for row in rows[key]]
            if flat:
                self._bulk_insert(conn, table, flat)
        if places:
            conn.execute(self._insert_ignore(S.places), list(places.values()))
        for table, key in ((S.toponyms, "toponyms"), (S.events, "events"), (S.actors, "actors")):
            flat = [row for rows in batch for row in rows[key]]
            if flat:
                self._bulk_insert(conn, table, flat)


    def _delete_document(self, conn: Connection, doc_id: str) -> set[str]:
        """Remove a document and everything it owns; the canonical events it reported."""
        affected = set(
            conn.execute(
                select(S.event_reports.c.canonical_id).where(S.event_reports.c.doc_id == doc_id)
            ).scalars()
        )
        ev_ids = select(S.events.c.id).where(S.events.c.doc_id == doc_id)
        conn.execute(delete(S.event_reports).where(S.event_reports.c.doc_id == doc_id))
        conn.execute(delete(S.actors).where(S.actors.c.event_id.in_(ev_ids)))
        for table in (S.events, S.toponyms, S.sentences, S.document_keys, S.document_signatures):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        conn.execute(delete(S.documents).where(S.documents.c.id == doc_id))
        return affected
