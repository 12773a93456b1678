"""Reviewing the store's events: ``Reviews(store)`` confirms, rejects and corrects events, links
events that are (or are not) the same real-world event, and reads reviews back: an event's review
and history, the review queue (lowest confidence first), all reviews, and reviewed documents as
gold data.  The rules of what may change and how reviews follow re-coding are in
``store.reviews``.

Every change runs in one write transaction: the review's row, its history (append-only), the
event's row (the coder's output with the corrections applied) and the merged events it belongs to
change together or not at all.  A correction of type, place, date or actors, a rejection (or its
withdrawal) and a link take the report out of its merged event and merge it again (a reviewer's
link binds); other corrections recompute its merged event.
"""

from __future__ import annotations

import base64
import binascii
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict

import orjson
from sqlalchemy import Connection, delete, func, insert, or_, select, tuple_, update

from eventwire.model import Document, PloverEvent
from eventwire.ontology import MODAL_MODES
from eventwire.store import schema as S
from eventwire.store._rows import actor_rows, event_row, place_row, row_to_plover
from eventwire.store.query import EventFilter
from eventwire.store.reviews import (
    FIELDS,
    MERGE_FIELDS,
    SYSTEM,
    ReviewChange,
    ReviewError,
    anchor_of,
    apply_corrections,
    coder_record,
    dump,
    field_values,
    iso,
    load,
    now,
    review_object,
    same_value,
)
from eventwire.store.store import Store


class ReviewLinkView(TypedDict):
    event_id: str | None  # the other event
    relation: str  # "same" or "different"
    by: str
    at: str | None


class ReviewState(TypedDict):
    """A review as the API shows it: status, who, when, flag, the corrections and the coder's own
    values of the reviewable fields, and the reviewer's links to other events."""

    review_id: int
    event_id: str | None
    doc_id: str
    status: str
    by: str | None
    at: str | None
    flag: str | None
    version: int
    corrected: list[str]
    corrections: dict[str, object]
    coder: dict[str, object]
    links: list[ReviewLinkView]


# one change of a review's history ("from" is a keyword: the functional form)
ReviewChangeView = TypedDict(
    "ReviewChangeView",
    {"at": str | None, "by": str, "action": str, "field": str | None, "from": object, "to": object,
     "note": str | None, "event_id": str | None},
)  # fmt: skip


class ReviewHistory(TypedDict):
    event_id: str | None
    review: ReviewState | None
    coder: dict[str, object]
    changes: list[ReviewChangeView]


class ReviewResult(TypedDict):
    """An event's record and its review after a change."""

    event: PloverEvent
    review: ReviewState | None


class ReviewCounts(TypedDict):
    reviewed: int
    confirmed: int
    corrected: int
    rejected: int
    flagged: int
    lost: int
    corrected_fields: dict[str, int]


class GoldEvents(TypedDict):
    doc_id: str
    events: list[dict[str, object]]  # confirmed and corrected events (``_GOLD_KEYS``)
    unreviewed: list[dict[str, object]]  # PLOVER records no one reviewed


class GoldDocument(TypedDict):
    """A reviewed document as gold data: the document (input shape), its gold events, the events
    no one reviewed, and the coder's own output (``Reviews.reviewed_documents``)."""

    document: dict[str, object]
    gold: GoldEvents
    coder: list[dict[str, object]]


@dataclass(frozen=True, slots=True)
class QueueCursor:
    """A keyset position in the review queue: the (confidence, id) of the last event of a page."""

    confidence: float
    id: str

    def encode(self) -> str:
        return base64.urlsafe_b64encode(orjson.dumps([self.confidence, self.id])).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> QueueCursor:
        try:
            conf, ident = orjson.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if not isinstance(ident, str) or isinstance(conf, bool) or not isinstance(conf, int | float):
                raise ValueError
            return cls(float(conf), ident)
        except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
            raise ValueError(f"not a queue cursor: {token[:40]!r}") from None


class Reviews:
    """Reviews of the events of ``store`` (an open, writable ``Store`` for changes)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- changing ------------------------------------------------------------------------------
    def apply(self, event_id: str, by: str, change: ReviewChange) -> ReviewResult:  # noqa: C901 - one step per kind of change, in one transaction
        """Apply ``change`` to the event ``event_id`` (a report, ``ew-...``) as ``by``; the
        event's record and its review afterwards.  LookupError: no such event; ReviewError:
        the change cannot be applied (nothing is changed)."""
        if not by:
            raise ReviewError("a review needs the reviewer's name")
        with self.store._write() as conn:
            at = now()
            row = self._event_row(conn, event_id)
            rv = self._review_of(conn, event_id) or self._create(conn, row, at)
            rec = row_to_plover(row)
            coder = {**rec, **rv["coder"]}
            coder_values = field_values(coder)
            before = field_values(rec)
            corrections = dict(rv["corrections"] or {})
            history: list[dict[str, Any]] = []

            def log(action: str, name: str | None = None, old: Any = None, new: Any = None,
                    note: str | None = None, review_id: int = rv["id"], ev: str = event_id) -> None:  # fmt: skip
                history.append({"review_id": review_id, "event_id": ev, "at": at, "by": by, "action": action,
                                "field": name, "old": old, "new": new, "note": note})  # fmt: skip

            reverting = list(change.revert)
            if change.status == "unreviewed":
                reverting = sorted(corrections)
            for name in reverting:
                if name in corrections:
                    log("revert", name, corrections.pop(name), coder_values[name])
            for name, value in change.corrections.items():
                if name in corrections and same_value(name, corrections[name], value):
                    continue
                if name not in corrections and same_value(name, coder_values[name], value):
                    continue  # the coder's own value: nothing to correct
                log("correct", name, before[name], value)
                corrections[name] = value
            old_status = rv["status"]
            status = old_status
            if change.status == "unreviewed":
                status = "unreviewed"
            elif change.status == "rejected":
                status = "rejected"
            elif change.status in ("confirmed", "corrected") or change.corrections or change.revert:
                if change.status == "corrected" and not corrections:
                    raise ReviewError("status 'corrected' needs corrections")
                status = "corrected" if corrections else "confirmed"
            reviewing = bool(change.status or change.corrections or change.revert)
            if change.status is not None or status != old_status:
                log("status", None, old_status, status)
            flag = rv["flag"]
            if reviewing and flag is not None:
                log("flag", None, flag, None)
                flag = None
            if change.note:
                log("note", None, None, None, change.note)
            reviewed_by, reviewed_at = (by, at) if reviewing else (rv["reviewed_by"], rv["reviewed_at"])
            if status == "unreviewed":
                reviewed_by = reviewed_at = None
            remerge: set[str] = set()
            changed_fields = {h["field"] for h in history if h["action"] in ("correct", "revert")}
            if changed_fields & MERGE_FIELDS or (status == "rejected") != (old_status == "rejected"):
                remerge.add(event_id)
            remerge |= self._links(conn, rv, event_id, change, at, by, log)
            if history:
                record = apply_corrections(coder, corrections) if status != "unreviewed" else dict(coder)
                record["review"] = review_object(status, reviewed_by, reviewed_at, flag)
                self._write_event(conn, row, record)
                conn.execute(update(S.reviews).where(S.reviews.c.id == rv["id"]).values(
                    status=status, corrections=corrections, flag=flag, reviewed_by=reviewed_by,
                    reviewed_at=reviewed_at, version=rv["version"] + 1, updated_at=at,
                ))  # fmt: skip
                conn.execute(insert(S.review_history), [{**h, "old": dump(h["old"]), "new": dump(h["new"])} for h in history])
                if remerge:
                    self._remerge(conn, sorted(remerge))
                elif changed_fields:
                    self._refresh(conn, event_id)
            return self._result(conn, event_id)

    def _event_row(self, conn: Connection, event_id: str) -> Any:
        row = conn.execute(select(S.events).where(S.events.c.id == event_id)).mappings().first()
        if row is None:
            if event_id.startswith("ewc-"):
                raise ReviewError(f"{event_id} is a merged event: review its reports (ew-...)")
            raise LookupError(f"no event {event_id!r} in the store")
        return row

    def _review_of(self, conn: Connection, event_id: str) -> dict[str, Any] | None:
        row = conn.execute(select(S.reviews).where(S.reviews.c.event_id == event_id)).mappings().first()
        return dict(row) if row is not None else None

    def _create(self, conn: Connection, row: Any, at: datetime) -> dict[str, Any]:
        """A review row for an unreviewed event: the coder's output and the anchor."""
        d = S.documents.c
        text, chash = conn.execute(select(d.text, d.content_hash).where(d.id == row["doc_id"])).one()
        rec = row_to_plover(row)
        values = {
            "event_id": row["id"], "doc_id": row["doc_id"], "status": "unreviewed", "corrections": {},
            "coder": coder_record(rec), "anchor": anchor_of(rec, text, chash), "flag": None,
            "reviewed_by": None, "reviewed_at": None, "version": 0, "created_at": at, "updated_at": at,
        }  # fmt: skip
        rid = conn.execute(insert(S.reviews).values(**values).returning(S.reviews.c.id)).scalar_one()
        return {"id": rid, **values}

    def _links(self, conn: Connection, rv: dict[str, Any], event_id: str, change: ReviewChange, at: datetime,
               by: str, log: Any) -> set[str]:  # fmt: skip
        """Record the change's links and withdrawals; the events to merge again."""
        lk = S.review_links.c
        touched: set[str] = set()
        wanted = [(x, "same") for x in change.same] + [(x, "different") for x in change.different]
        for other_id, relation in wanted + [(x, None) for x in change.unlink]:
            if other_id == event_id:
                raise ReviewError("an event cannot be linked to itself")
            other = self._review_of(conn, other_id)
            if other is None:
                try:
                    other_row = self._event_row(conn, other_id)
                except LookupError:
                    raise ReviewError(f"no event {other_id!r} in the store to link to") from None
                other = self._create(conn, other_row, at)
            a, b = sorted((rv["id"], other["id"]))
            held = conn.execute(select(lk.relation).where(lk.review_a == a, lk.review_b == b)).scalar()
            if held == relation:
                continue
            conn.execute(delete(S.review_links).where(lk.review_a == a, lk.review_b == b))
            if relation is None:
                if held is None:
                    continue
                log("unlink", held, other_id, None)
                log("unlink", held, event_id, None, review_id=other["id"], ev=other_id)
            else:
                conn.execute(insert(S.review_links).values(review_a=a, review_b=b, relation=relation, by=by, at=at))
                log("link", relation, held, other_id)
                log("link", relation, held, event_id, review_id=other["id"], ev=other_id)
            touched |= {event_id, other_id}
        if touched:  # the other side's review changed too
            others = [x for x in touched if x != event_id]
            conn.execute(update(S.reviews).where(S.reviews.c.event_id.in_(others))
                         .values(version=S.reviews.c.version + 1, updated_at=at))  # fmt: skip
        return touched

    def _write_event(self, conn: Connection, row: Any, record: dict[str, Any]) -> None:
        """The event's row (and its actor rows and place) from ``record``."""
        values = event_row(row["seq"], record)
        for key in ("id", "doc_id", "seq"):
            values.pop(key)
        conn.execute(update(S.events).where(S.events.c.id == row["id"]).values(**values))
        conn.execute(delete(S.actors).where(S.actors.c.event_id == row["id"]))
        rows = actor_rows({**record, "id": row["id"]})
        if rows:
            conn.execute(insert(S.actors), rows)
        loc = record.get("event_loc") or {}
        if loc.get("geonameid") is not None:
            conn.execute(self.store._insert_ignore(S.places), [place_row(loc)])

    def _refresh(self, conn: Connection, event_id: str) -> None:
        cid = conn.execute(select(S.event_reports.c.canonical_id).where(S.event_reports.c.event_id == event_id)).scalar()
        if cid is not None:
            self.store._refresh_canonical(conn, cid)

    def _remerge(self, conn: Connection, event_ids: Sequence[str]) -> None:
        """Take the reports out of their merged events and merge them again."""
        r = S.event_reports.c
        ids = sorted(set(event_ids))
        affected = set(conn.execute(select(r.canonical_id).where(r.event_id.in_(ids))).scalars())
        conn.execute(delete(S.event_reports).where(r.event_id.in_(ids)))
        for cid in sorted(affected):
            self.store._refresh_canonical(conn, cid)
        d = S.documents.c
        rows = conn.execute(
            select(S.events, d.publication_date).join(S.documents, d.id == S.events.c.doc_id)
            .where(S.events.c.id.in_(ids)).order_by(S.events.c.doc_id, S.events.c.seq)
        ).mappings().all()  # fmt: skip
        items: list[tuple[Document, list[dict[str, Any]]]] = []
        for row in rows:
            if not items or items[-1][0].id != row["doc_id"]:
                items.append((Document(row["doc_id"], "", row["publication_date"]), []))
            items[-1][1].append(row_to_plover(row))
        self.store._merge_batch(conn, items)

    def _result(self, conn: Connection, event_id: str) -> ReviewResult:
        row = self._event_row(conn, event_id)
        rec = row_to_plover(row)
        rec["canonical_id"] = conn.execute(
            select(S.event_reports.c.canonical_id).where(S.event_reports.c.event_id == event_id)).scalar()  # fmt: skip
        return {"event": typing.cast(PloverEvent, rec), "review": self._state(conn, event_id)}

    # -- reading -------------------------------------------------------------------------------
    def state(self, event_id: str) -> ReviewState | None:
        """The review of ``event_id`` (status, who, when, flag, corrections, the coder's values,
        links); None when it was never reviewed."""
        with self.store.engine.connect() as conn:
            return self._state(conn, event_id)

    def _state(self, conn: Connection, event_id: str) -> ReviewState | None:
        rv = self._review_of(conn, event_id)
        return self._describe(conn, rv) if rv is not None else None

    def _describe(self, conn: Connection, rv: dict[str, Any]) -> ReviewState:
        lk, r = S.review_links.c, S.reviews.c
        links: list[ReviewLinkView] = []
        for a, b, relation, by, at in conn.execute(
            select(lk.review_a, lk.review_b, lk.relation, lk.by, lk.at).where(
                or_(lk.review_a == rv["id"], lk.review_b == rv["id"])).order_by(lk.at)
        ):  # fmt: skip
            other = b if a == rv["id"] else a
            links.append({"event_id": conn.execute(select(r.event_id).where(r.id == other)).scalar(),
                          "relation": relation, "by": by, "at": iso(at)})  # fmt: skip
        coder = field_values(rv["coder"])
        return {
            "review_id": rv["id"], "event_id": rv["event_id"], "doc_id": rv["doc_id"], "status": rv["status"],
            "by": rv["reviewed_by"], "at": iso(rv["reviewed_at"]), "flag": rv["flag"], "version": rv["version"],
            "corrected": sorted(rv["corrections"] or {}, key=FIELDS.index),
            "corrections": dict(rv["corrections"] or {}), "coder": coder, "links": links,
        }  # fmt: skip

    def history(self, event_id: str) -> ReviewHistory | None:
        """The review of ``event_id`` with every change made to it, oldest first, and the coder's
        values; an event coded again is found under an id it had before.  None: no such event
        and no review ever made under that id."""
        r, h = S.reviews.c, S.review_history.c
        with self.store.engine.connect() as conn:
            rv = self._review_of(conn, event_id)
            if rv is None:
                rid = conn.execute(select(h.review_id).where(h.event_id == event_id).order_by(h.id.desc()).limit(1)).scalar()
                if rid is not None:
                    rv = dict(conn.execute(select(S.reviews).where(r.id == rid)).mappings().one())
            if rv is None:
                row = conn.execute(select(S.events).where(S.events.c.id == event_id)).mappings().first()
                if row is None:
                    return None
                return {"event_id": event_id, "review": None, "coder": field_values(row_to_plover(row)), "changes": []}
            changes: list[ReviewChangeView] = [
                {"at": iso(x["at"]), "by": x["by"], "action": x["action"], "field": x["field"], "from": load(x["old"]),
                 "to": load(x["new"]), "note": x["note"], "event_id": x["event_id"]}
                for x in conn.execute(select(S.review_history).where(h.review_id == rv["id"]).order_by(h.id)).mappings()
            ]  # fmt: skip
            state = self._describe(conn, rv)
        return {"event_id": state["event_id"], "review": state, "coder": state["coder"], "changes": changes}

    def queue(
        self, filters: EventFilter | None = None, *, after: QueueCursor | None = None, limit: int = 50
    ) -> tuple[list[PloverEvent], QueueCursor | None]:
        """Events to review, lowest confidence first (ties by id): unreviewed ones unless
        ``filters.review`` / ``filters.flagged`` say otherwise; a page and the next cursor."""
        from eventwire.store.query import filter_shape, record_of, shape_conditions

        f = filters or EventFilter()
        if not f.review and not f.flagged:
            f = EventFilter(**{**{k: getattr(f, k) for k in f.__slots__}, "review": ("unreviewed",)})
        shape, params = filter_shape(f)
        e = S.events.c
        stmt = select(S.events, S.event_reports.c.canonical_id).outerjoin(
            S.event_reports, S.event_reports.c.event_id == e.id).where(*shape_conditions(shape, False))  # fmt: skip
        if after is not None:
            stmt = stmt.where(tuple_(e.confidence, e.id) > tuple_(after.confidence, after.id))
        stmt = stmt.order_by(e.confidence, e.id).limit(limit + 1)
        with self.store._read() as conn:
            rows = conn.execute(stmt, params).mappings().all()
        records = [record_of(r, False) for r in rows[:limit]]
        nxt = QueueCursor(float(rows[limit - 1]["confidence"]), rows[limit - 1]["id"]) if len(rows) > limit else None
        return records, nxt

    def queue_size(self, filters: EventFilter | None = None) -> int:
        from eventwire.store.query import filter_shape, shape_conditions

        f = filters or EventFilter(review=("unreviewed",))
        shape, params = filter_shape(f)
        with self.store._read() as conn:
            stmt = select(func.count()).select_from(S.events).where(*shape_conditions(shape, False))
            return int(conn.execute(stmt, params).scalar_one())

    def list(
        self, *, status: Sequence[str] = (), flagged: bool = False, lost: bool = False, by: str | None = None,
        after: int | None = None, limit: int = 100,
    ) -> tuple[list[ReviewState], int | None]:
        """Reviews, most recently changed first (keyset on the review id, newest first); ``lost``:
        those whose event was not found again.  A page and the id to continue after."""
        r = S.reviews.c
        stmt = select(S.reviews).where(r.status != "unreviewed")
        if status:
            stmt = stmt.where(r.status.in_(list(status)))
        if flagged:
            stmt = stmt.where(r.flag.is_not(None))
        if lost:
            stmt = stmt.where(r.event_id.is_(None))
        if by:
            stmt = stmt.where(r.reviewed_by == by)
        if after is not None:
            stmt = stmt.where(r.id < after)
        stmt = stmt.order_by(r.id.desc()).limit(limit + 1)
        with self.store.engine.connect() as conn:
            rows = [dict(x) for x in conn.execute(stmt).mappings()]
            out = [self._describe(conn, rv) for rv in rows[:limit]]
        return out, (rows[limit - 1]["id"] if len(rows) > limit else None)

    def counts(self) -> ReviewCounts:
        """Reviews by status, flagged and lost ones, and corrections by field."""
        r = S.reviews.c
        with self.store.engine.connect() as conn:
            by_status: dict[str, int] = dict(conn.execute(select(r.status, func.count()).group_by(r.status)).all())
            flagged = conn.execute(select(func.count()).where(r.flag.is_not(None))).scalar_one()
            lost = conn.execute(select(func.count()).where(r.event_id.is_(None), r.status != "unreviewed")).scalar_one()
            fields: dict[str, int] = {}
            for (corr,) in conn.execute(select(r.corrections).where(r.status != "unreviewed")):
                for name in corr or {}:
                    fields[name] = fields.get(name, 0) + 1
        statuses = {s: int(by_status.get(s, 0)) for s in ("confirmed", "corrected", "rejected")}
        return {"reviewed": sum(statuses.values()), "confirmed": statuses["confirmed"],
                "corrected": statuses["corrected"], "rejected": statuses["rejected"], "flagged": int(flagged),
                "lost": int(lost), "corrected_fields": {f: fields[f] for f in FIELDS if f in fields}}  # fmt: skip

    # -- gold data -----------------------------------------------------------------------------
    def reviewed_documents(self) -> Iterator[GoldDocument]:
        """Each document with a review (confirmed, corrected or rejected), in id order: the
        document, its gold events (confirmed and corrected ones, with the corrections; rejected
        ones left out; those not found again after re-coding from their reviews), the events no
        one reviewed (``unreviewed``: neither right nor wrong when scored) and the coder's own
        output (``coder``: what it said before any correction)."""
        r, d, e = S.reviews.c, S.documents.c, S.events.c
        with self.store.engine.connect() as conn:
            doc_ids = list(conn.execute(
                select(r.doc_id).where(r.status.in_(["confirmed", "corrected", "rejected"])).distinct().order_by(r.doc_id)
            ).scalars())  # fmt: skip
            for k in range(0, len(doc_ids), 200):
                chunk = doc_ids[k : k + 200]
                docs = {x["id"]: dict(x) for x in conn.execute(
                    select(d.id, d.text, d.publication_date, d.title, d.url, d.source).where(d.id.in_(chunk))).mappings()}  # fmt: skip
                events: dict[str, list[dict[str, Any]]] = {}
                for row in conn.execute(select(S.events).where(e.doc_id.in_(chunk)).order_by(e.doc_id, e.seq)).mappings():
                    events.setdefault(row["doc_id"], []).append(row_to_plover(row))
                reviews: dict[str, list[dict[str, Any]]] = {}
                for rv in conn.execute(select(S.reviews).where(r.doc_id.in_(chunk)).order_by(r.id)).mappings():
                    reviews.setdefault(rv["doc_id"], []).append(dict(rv))
                for doc_id in chunk:
                    if doc_id in docs:
                        yield _gold_document(docs[doc_id], events.get(doc_id, []), reviews.get(doc_id, []))




def _gold_document(doc: dict[str, Any], events: list[dict[str, Any]], reviews: list[dict[str, Any]]) -> GoldDocument:
    by_event = {rv["event_id"]: rv for rv in reviews if rv["event_id"] is not None}
    gold, unreviewed, coder = [], [], []
    for rec in events:
        rv = by_event.get(rec["id"])
        status = rv["status"] if rv is not None else "unreviewed"
        modal = bool(set(rec.get("mode") or ()) & MODAL_MODES)
        original = {**rec, **rv["coder"]} if rv is not None else rec
        if not set(original.get("mode") or ()) & MODAL_MODES:
            coder.append(_plain(original))
        if status in ("confirmed", "corrected") and not modal:
            gold.append(_gold_event(rec))
        elif status == "unreviewed" and not modal:
            unreviewed.append(_plain(rec))
    for rv in reviews:  # reviewed events the coder no longer finds still happened
        if rv["event_id"] is None and rv["status"] in ("confirmed", "corrected"):
            rec = apply_corrections({**rv["coder"], "id": None, "doc_id": doc["id"],
                                     "event_text": rv["anchor"].get("event_text") or []}, rv["corrections"] or {})  # fmt: skip
            rec["review"] = review_object(rv["status"], rv["reviewed_by"], rv["reviewed_at"], rv["flag"])
            if not set(rec.get("mode") or ()) & MODAL_MODES:
                gold.append(_gold_event(rec))
    pub = doc["publication_date"]
    return {
        "document": {"id": doc["id"], "text": doc["text"],
                     "publication_date": pub.isoformat() if isinstance(pub, date) else pub,
                     "title": doc["title"], "url": doc["url"], "source": doc["source"]},
        "gold": {"doc_id": doc["id"], "events": gold, "unreviewed": unreviewed},
        "coder": coder,
    }  # fmt: skip


_GOLD_KEYS = (
    "id", "event", "mode", "context", "actor", "recipient", "reciprocal", "event_loc", "date", "enddate",
    "date_precision", "size", "acled_event_type", "acled_sub_event_type", "event_text", "review",
)  # fmt: skip


def _gold_event(rec: dict[str, Any]) -> dict[str, Any]:
    out = {k: rec.get(k) for k in _GOLD_KEYS}
    out["size"] = dict(rec.get("size") or {"dead": None, "injured": None, "arrested": None})
    out["context"] = list(rec.get("context") or [])
    out["reciprocal"] = bool(rec.get("reciprocal"))
    return out


def _plain(rec: dict[str, Any]) -> dict[str, Any]:
    """A record as PLOVER output (no review), for a predictions file."""
    return {k: v for k, v in rec.items() if k not in ("review", "canonical_id")}


__all__ = [
    "SYSTEM", "GoldDocument", "QueueCursor", "ReviewChange", "ReviewCounts", "ReviewError", "ReviewHistory",
    "ReviewResult", "ReviewState", "Reviews",
]  # fmt: skip
