"""Merge candidates: attaching each new report to the canonical event it describes (the rules are
``eventwire.merge``'s), with a few fixed-shape statements per batch: candidates by type family,
date window, country and a box around the place; tallies kept so that merging never rereads
reports."""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    and_,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.sql.elements import ColumnClause, Label

from eventwire.helpers import as_date
from eventwire.merge import (
    DISTANCE_KM,
    MatchSummary,
    MergeReason,
    Report,
    Tally,
    compare,
    family,
    match_window,
)
from eventwire.model import Document, Event
from eventwire.ontology import MODAL_MODES  # one definition for every stage
from eventwire.store import schema as S
from eventwire.store._connection import StoreBase
from eventwire.store._rows import now_utc, row_to_plover
from eventwire.store.reviews import link_constraints

NO_DATE = date(1, 1, 1)
MAX_MERGE_KM = max(DISTANCE_KM.values())


class MergingStore(StoreBase):
    """The merge step of the write path."""

    def _merge_batch(
        self, conn: Connection, items: list[tuple[Document, list[dict[str, Any]]]]
    ) -> tuple[dict[str, int], set[str]]:
        """Attach each report of ``items`` (in input order) to the canonical event it describes,
        or start a new one.  A few statements in all: one fixed-shape candidate query per
        ``SLOTS`` reports, one read of the reports behind the stored events some report may join,
        decisions in memory (a report sees the events earlier reports of the batch created or
        changed), then bulk writes.  Returns the reports merged per document and the canonical
        events written."""
        reports: list[Report] = []
        for doc, records in items:
            for rec in records:
                if set(rec.get("mode") or ()) & MODAL_MODES or (rec.get("review") or {}).get("status") == "rejected":
                    continue  # modal events and those a reviewer rejected are no reports of anything
                reports.append(Report(Event.from_plover(rec), as_date(doc.publication_date)))
        merged = {doc.id: 0 for doc, _ in items}
        if not reports:
            return merged, set()
        # candidates stored before this batch, per report: one fixed-shape statement per
        # slots reports (compiled once, whatever the reports look like)
        stored: dict[int, list[tuple[str, MatchSummary]]] = {}
        slots = SLOTS[self.dialect]
        for lo in range(0, len(reports), slots):
            params: dict[str, Any] = {}
            for k in range(slots):
                i = lo + k
                params.update(_slot_params(reports[i].event if i < len(reports) else None, k))
            for cid, record, slot in conn.execute(_slot_query(slots), params):
                stored.setdefault(lo + int(slot), []).append((cid, MatchSummary.from_json(record)))
        # the tallies (merge.add_report) of only those stored events some report of the batch
        # may join (the in-memory pass below compares a not-yet-changed stored event exactly as
        # here); events stored before tallies existed are tallied from their reports once
        cids = {
            cid for i, rows in stored.items() for cid, summary in rows if compare(reports[i].event, summary).same
        }
        tallies: dict[str, Tally] = {}
        if cids:
            c = S.canonical_events.c
            tallies.update(
                (cid, Tally.from_json(tally))
                for cid, tally in conn.execute(select(c.id, c.tally).where(c.id.in_(sorted(cids))))
                if tally is not None
            )
            for cid in sorted(cids - tallies.keys()):
                tallies[cid] = Tally.of(self._reports(conn, cid))
        live: dict[str, dict[str, Any]] = {}  # rows of canonical events created or changed in this batch
        summaries: dict[str, MatchSummary] = {}  # what ``compare`` reads of them
        created: set[str] = set()
        report_rows = []
        # reviewers' "same event" / "different events" judgements bind (store.reviews)
        bound = link_constraints(conn, [rep.event.id for rep in reports])
        placed: dict[str, str] = {}  # report -> canonical event, in this batch
        for i, rep in enumerate(reports):
            ev = rep.event
            forced, banned = self._bound_placement(conn, bound.get(ev.id), placed)
            shape = _candidate_params(ev)
            candidates = {cid: summary for cid, summary in stored.get(i, []) if cid not in live}
            candidates.update({cid: summaries[cid] for cid, v in live.items() if _may_join(shape, v)})
            best, best_cid = None, None
            for cid, summary in candidates.items():
                if cid in banned:
                    continue
                res = compare(ev, summary)
                if res.same and (best is None or res.score > best.score):
                    best, best_cid = res, cid
            reason: MergeReason
            if forced is not None:
                cid, reason = forced[0], forced[1]
                merged[ev.doc_id] = merged.get(ev.doc_id, 0) + 1
                if cid not in tallies:
                    tallies[cid] = self._tally(conn, cid)
            elif best is not None and best_cid is not None:
                cid, reason = best_cid, best.as_reason()
                merged[ev.doc_id] = merged.get(ev.doc_id, 0) + 1
            else:
                cid = "ewc-" + ev.id.removeprefix("ew-")
                reason = {"rule": "first report", "score": None, "checks": {}}
                created.add(cid)
            tallies[cid] = tallies[cid].add(rep) if cid in tallies else Tally.of([rep])
            live[cid], summaries[cid] = _canonical_values(cid, tallies[cid])
            placed[ev.id] = cid
            report_rows.append({
                "event_id": ev.id, "canonical_id": cid, "doc_id": ev.doc_id,
                "evidence_start": ev.sentence.start if ev.sentence else None,
                "evidence_end": ev.sentence.end if ev.sentence else None, "reason": reason,
                "added_at": now_utc(),
            })  # fmt: skip
        self._rename_taken(conn, created, live, tallies, report_rows)
        new_rows = [{"id": cid, **v} for cid, v in live.items() if cid in created]
        changed = [{"cid_": cid, **v} for cid, v in live.items() if cid not in created]
        if new_rows:
            conn.execute(insert(S.canonical_events), new_rows)
        if changed:
            conn.execute(_UPDATE_CANONICAL, changed)
        self._bulk_insert(conn, S.event_reports, report_rows)
        return merged, set(live)

    def _bound_placement(
        self, conn: Connection, links: Mapping[str, set[str]] | None, placed: Mapping[str, str]
    ) -> tuple[tuple[str, MergeReason] | None, set[str]]:
        """Where reviewers' links put a report: the canonical event of an event they said is the
        same one (with the reason to store), and the canonical events of events they said are
        different ones (which it may not join)."""
        if not links:
            return None, set()
        others = sorted(links.get("same", set()) | links.get("different", set()))
        where = {e: placed[e] for e in others if e in placed}
        rest = [e for e in others if e not in where]
        if rest:
            r = S.event_reports.c
            where.update(conn.execute(select(r.event_id, r.canonical_id).where(r.event_id.in_(rest))).all())
        banned = {where[e] for e in links.get("different", set()) if e in where}
        for e in sorted(links.get("same", set())):
            if e in where and where[e] not in banned:
                reason: MergeReason = {"rule": "reviewer", "score": None, "checks": {"same event as": e}}
                return (where[e], reason), banned
        return None, banned

    def _tally(self, conn: Connection, cid: str) -> Tally:
        c = S.canonical_events.c
        tally = conn.execute(select(c.tally).where(c.id == cid)).scalar()
        return Tally.from_json(tally) if tally is not None else Tally.of(self._reports(conn, cid))

    def _rename_taken(
        self, conn: Connection, created: set[str], live: dict[str, dict[str, Any]], tallies: dict[str, Tally],
        report_rows: list[dict[str, Any]],
    ) -> None:
        """New canonical events are named after their first report; where that name is taken (the
        report's earlier version started an event that other reports keep), another is derived."""
        if not created:
            return
        c = S.canonical_events.c
        taken = set(conn.execute(select(c.id).where(c.id.in_(sorted(created)))).scalars())
        for old in sorted(taken):
            k = 1
            while True:
                new = "ewc-" + hashlib.sha1(f"{old}#{k}".encode()).hexdigest()[:16]
                if new not in live and not conn.execute(select(c.id).where(c.id == new)).first():
                    break
                k += 1
            created.discard(old)
            created.add(new)
            tallies[new] = tallies.pop(old)
            live.pop(old)
            live[new] = _canonical_values(new, tallies[new])[0]
            for row in report_rows:
                if row["canonical_id"] == old:
                    row["canonical_id"] = new

    def _reports(self, conn: Connection, cid: str) -> list[Report]:
        return [
            Report(Event.from_plover(row_to_plover(row)), as_date(row["publication_date"]))
            for row in conn.execute(_REPORTS_OF, {"cid": cid}).mappings()
        ]

    def _refresh_canonical(self, conn: Connection, cid: str) -> None:
        """Recompute a canonical event from the reports it has left (none: delete it)."""
        reports = self._reports(conn, cid)
        if not reports:
            conn.execute(delete(S.canonical_events).where(S.canonical_events.c.id == cid))
            return
        conn.execute(_UPDATE_CANONICAL, {"cid_": cid, **_canonical_values(cid, Tally.of(reports))[0]})


# statements built once: building a statement per call costs more than running it on SQLite
_REPORTS_OF = (
    select(S.events, S.documents.c.publication_date)
    .join(S.event_reports, S.event_reports.c.event_id == S.events.c.id)
    .join(S.documents, S.documents.c.id == S.events.c.doc_id)
    .where(S.event_reports.c.canonical_id == bindparam("cid"))
    .order_by(S.event_reports.c.added_at, S.events.c.id)
)
_UPDATE_CANONICAL = update(S.canonical_events).where(S.canonical_events.c.id == bindparam("cid_"))


def _canonical_values(cid: str, tally: Tally) -> tuple[dict[str, Any], MatchSummary]:
    """The canonical_events row (without its id) reconciled from the reports in ``tally``, and
    the summary ``compare`` reads of it."""
    canonical = tally.canonical(cid)
    ev = canonical.event
    summary = MatchSummary.of(canonical)
    window = tally.match_window
    loc = ev.event_loc
    return {
        "family": family(ev.primary), "primary_type": ev.primary,
        "date": ev.date.date, "enddate": ev.date.enddate,
        "match_start": window[0] if window else NO_DATE,
        "match_end": window[1] if window else NO_DATE,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "country_code": loc.country_code if loc else None,
        "province": loc.province if loc else None, "resolution": loc.resolution if loc else None,
        "dead": ev.size.dead, "injured": ev.size.injured, "arrested": ev.size.arrested,
        "long_window": bool(window) and window is not None and window[1] - window[0] > LOOKUP_SPAN,
        "n_reports": tally.n, "confidence": round(ev.confidence, 3), "record": canonical.to_plover(),
        "match": summary.to_json(), "tally": tally.to_json(), "updated_at": now_utc(),
    }, summary  # fmt: skip


def _candidate_params(report: Event) -> tuple[bool, bool, dict[str, Any]] | None:
    """(with_country, spatial, parameters) of a report's candidate test; None if undated."""
    w = match_window(report.date)
    if w is None:
        return None
    loc = report.event_loc
    cc = loc.country_code if loc else None
    res = int(loc.resolution or 1) if loc else 1
    params: dict[str, Any] = {"fam": family(report.primary), "w0": w[0], "w1": w[1], "cc": cc, "res": res}
    spatial = False
    if loc is not None and res > 1 and loc.lat is not None and loc.lon is not None:
        spatial = True
        params.update(_box_params("near", loc.lat, loc.lon, DISTANCE_KM[res]))
        params.update(_box_params("far", loc.lat, loc.lon, MAX_MERGE_KM))
    return bool(cc), spatial, params


# Reports per candidate statement.  psycopg caches the conversion of a statement with at most
# 50 parameters only (converting the 8-slot statement cost 2 ms a call); SQLite has no such limit.
SLOTS = {"postgresql": 3, "sqlite": 8}
# Canonical events whose match window is at most this long are found through a bounded range of
# ``match_start`` (it lies within LOOKUP_SPAN before the report's window); the few longer ones
# ("in 2019") are flagged ``long_window`` and looked up without the bound.
LOOKUP_SPAN = timedelta(days=40)


def _slot_params(report: Event | None, k: int) -> dict[str, Any]:
    """Parameters of slot ``k`` of ``_slot_query`` for ``report`` (None: a slot matching nothing)."""
    shape = _candidate_params(report) if report is not None else None
    p: dict[str, Any] = {"fam": "", "w0": NO_DATE, "w1": NO_DATE, "w0s": NO_DATE, "cc": "*", "res": 1}
    for box in ("near", "far"):
        p.update({f"{box}_lat0": 0.0, f"{box}_lat1": 0.0, f"{box}_lon0": 0.0, f"{box}_lon1": 0.0})
    if shape is not None:
        with_country, spatial, q = shape
        p.update(q)
        p["w0s"] = max(NO_DATE + LOOKUP_SPAN, q["w0"]) - LOOKUP_SPAN
        p["cc"] = q["cc"] if with_country else "*"
        p["res"] = q["res"] if spatial else 1
    return {f"{_SHORT.get(key, key)}{k}": v for key, v in p.items()}


# parameter names of _slot_query, short for the same reason as its table alias
_SHORT = {"fam": "f", "w0": "a", "w1": "b", "w0s": "s", "cc": "k", "res": "r"} | {
    f"{box}_{axis}{end}": f"{box[0]}{axis[1]}{end}" for box in ("near", "far") for axis in ("lat", "lon") for end in "01"
}


@functools.cache
def _slot_query(slots: int) -> Any:
    """``slots`` candidate queries in one UNION ALL; each row says which report (slot) it is for.
    A slot's "cc" of "*" accepts any country; a "res" of 1 switches the place test off.  Each
    slot reads short-window events through a bounded index range and long ones apart."""
    ce = S.canonical_events.alias("c")  # short SQL: psycopg caches statements under 4 KB only
    c = ce.c
    # what a candidate is compared on: the compact summary, or the full record of older rows
    record = type_coerce(func.coalesce(c.match, c.record), JSON).label("record")
    star: ColumnClause[str] = literal_column("'*'")
    one: ColumnClause[int] = literal_column("1")
    selects = []
    for k in range(slots):

        def bp(name: str, k: int = k) -> Any:
            return bindparam(f"{_SHORT.get(name, name)}{k}")

        def box(name: str, bp: Any = bp) -> Any:
            return and_(
                c.lat.between(bp(f"{name}_lat0"), bp(f"{name}_lat1")),
                c.lon.between(bp(f"{name}_lon0"), bp(f"{name}_lon1")),
            )

        common = (
            c.family == bp("fam"), c.match_start <= bp("w1"), c.match_end >= bp("w0"),
            or_(bp("cc") == star, c.country_code.is_(None), c.country_code == bp("cc")),
            or_(
                bp("res") <= one, c.lat.is_(None), c.resolution <= one,
                and_(c.resolution >= bp("res"), box("near")),
                and_(c.resolution < bp("res"), box("far")),
            ),
        )  # fmt: skip
        slot: Label[int] = literal_column(str(k)).label("slot")
        selects.append(select(c.id, record, slot).where(c.long_window.is_(false()), c.match_start >= bp("w0s"), *common))
        selects.append(select(c.id, record, slot).where(c.long_window.is_(true()), *common))
    return union_all(*selects)


def _may_join(shape: tuple[bool, bool, dict[str, Any]] | None, values: dict[str, Any]) -> bool:
    """In Python, the same test ``_slot_query`` makes in SQL (for events held in memory);
    ``shape`` is ``_candidate_params`` of the report."""
    if shape is None:
        return False
    with_country, spatial, p = shape
    if values["family"] != p["fam"] or values["match_start"] > p["w1"] or values["match_end"] < p["w0"]:
        return False
    if with_country and values["country_code"] not in (None, p["cc"]):
        return False
    if not spatial:
        return True
    lat, lon, res_c = values["lat"], values["lon"], values["resolution"]
    if lat is None or (res_c is not None and res_c <= 1):
        return True
    if res_c is None:
        return False
    box = "near" if res_c >= p["res"] else "far"
    return bool(p[f"{box}_lat0"] <= lat <= p[f"{box}_lat1"] and p[f"{box}_lon0"] <= lon <= p[f"{box}_lon1"])


def _box_params(name: str, lat: float, lon: float, km: float) -> dict[str, float]:
    """Bounds of a box ``km`` around (lat, lon), as parameters of ``_slot_query``."""
    dlat = km / 111.0
    dlon = min(180.0, km / (111.0 * max(0.05, math.cos(math.radians(lat)))))
    return {f"{name}_lat0": lat - dlat, f"{name}_lat1": lat + dlat, f"{name}_lon0": lon - dlon, f"{name}_lon1": lon + dlon}

