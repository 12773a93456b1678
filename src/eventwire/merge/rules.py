"""The merge rules: when two reports describe one event, and how their fields are reconciled.

Everything here speaks the core model's typed records: a report is a coded ``Event`` with the
publication date of its document (``Report``), a merged event is a ``CanonicalEvent``.  Two
records are JSON on purpose, because the store keeps them next to each canonical event: the
``MatchSummary`` (what ``compare`` reads of a canonical event) and the ``Tally`` (what
reconciling needs of its reports); each has ``to_json``/``from_json`` and nothing else of the
module sees their JSON.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypedDict

from eventwire.helpers import as_date, haversine_km
from eventwire.model import (
    Actor,
    CanonicalEvent,
    Event,
    EventDate,
    EventLocation,
    ReportRef,
    Sentence,
    Size,
)
from eventwire.ontology import family as ontology_family

# Largest distance between two reports' places, by the coarser place's PLOVER resolution.
DISTANCE_KM: dict[int, float] = {5: 5.0, 4: 25.0, 3: 100.0, 2: 250.0}
RESOLUTION_NAMES = {5: "sub-city", 4: "city", 3: "district", 2: "province", 1: "country"}
PUBLICATION_LOOKBACK = timedelta(days=3)
DAY_TOLERANCE = timedelta(days=1)
_PLACE_KEYS = ("lat", "lon", "country_code", "resolution", "resolved_place", "extracted_place")


def family(event_type: str) -> str:
    """Types that reports of one happening are coded with interchangeably (``eventwire.ontology``)."""
    return ontology_family(event_type)


@dataclass(frozen=True, slots=True)
class Report:
    """One report as merging reads it: the coded event and its document's publication date
    (casualty figures of later reports supersede earlier ones)."""

    event: Event
    publication_date: date | None = None


def date_window(when: EventDate) -> tuple[date, date] | None:
    """The period a record says the event happened in (no tolerance); None when undated."""
    start = when.date
    if start is None:
        return None
    end = when.enddate
    precision = when.precision or "day"
    if when.source == "publication":
        return start - PUBLICATION_LOOKBACK, start
    if end is None:
        if precision == "week":
            end = start + timedelta(days=6)
        elif precision == "month":
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        elif precision == "year":
            end = start.replace(month=12, day=31)
        else:
            end = start
    return (start, end) if start <= end else (end, start)


def match_window(when: EventDate) -> tuple[date, date] | None:
    """``date_window`` widened by a day either side for day-precise text dates."""
    w = date_window(when)
    if w is None:
        return None
    if when.source == "text" and (when.precision or "day") == "day":
        return w[0] - DAY_TOLERANCE, w[1] + DAY_TOLERANCE
    return w


def _codes(actors: Iterable[Actor]) -> frozenset[str]:
    return frozenset(a.code for a in actors if a.code)


@dataclass(frozen=True, slots=True)
class MatchSummary:
    """What ``compare`` reads of a canonical event: its types, date, actor and recipient codes,
    place and the documents already behind it.  The store keeps it as JSON (``to_json``) in the
    canonical event's row, so that finding a report's event reads no reports."""

    types: tuple[str, ...]
    when: EventDate
    doc_ids: frozenset[str]
    actor_codes: frozenset[str] = frozenset()
    recipient_codes: frozenset[str] = frozenset()
    place: EventLocation | None = None

    @classmethod
    def of(cls, canonical: CanonicalEvent) -> MatchSummary:
        ev = canonical.event
        docs = {r.doc_id for r in canonical.reports if r.doc_id} | ({ev.doc_id} if ev.doc_id else set())
        return cls(tuple(ev.event), ev.date, frozenset(docs), _codes(ev.actor), _codes(ev.recipient), ev.event_loc)

    def to_json(self) -> dict[str, Any]:
        w = self.when
        loc = self.place
        return {
            "event": list(self.types),
            "date": w.date.isoformat() if w.date else None, "enddate": w.enddate.isoformat() if w.enddate else None,
            "date_precision": w.precision, "date_source": w.source,
            "actor": [{"code": c} for c in sorted(self.actor_codes)],
            "recipient": [{"code": c} for c in sorted(self.recipient_codes)],
            "event_loc": {k: getattr(loc, k) for k in _PLACE_KEYS} if loc else None,
            "reports": [{"doc_id": d} for d in sorted(self.doc_ids)],
        }  # fmt: skip

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> MatchSummary:
        """A summary ``to_json`` wrote, or the full record of a canonical event stored before
        summaries were kept (the keys read are the same)."""
        docs = {r.get("doc_id") for r in d.get("reports") or ()} | {d.get("doc_id")}
        loc = d.get("event_loc")
        return cls(
            tuple(d["event"]),
            EventDate(as_date(d.get("date")), as_date(d.get("enddate")), d.get("date_precision"), d.get("date_source")),
            frozenset(x for x in docs if x),
            frozenset(a["code"] for a in d.get("actor") or () if a.get("code")),
            frozenset(a["code"] for a in d.get("recipient") or () if a.get("code")),
            EventLocation.from_plover(loc) if loc else None,
        )  # fmt: skip


class MergeReason(TypedDict):
    """Why a report joined its merged event, as the store keeps it: ``rule`` "merged" (the
    checks of ``compare`` and a score), "reviewer" (a reviewer's link) or "first report"."""

    rule: str
    score: float | None
    checks: dict[str, str]


@dataclass(slots=True)
class MatchResult:
    """The outcome of comparing a report with a canonical event: the checks, in words."""

    same: bool
    score: float = 0.0
    checks: dict[str, str] = field(default_factory=dict)

    def as_reason(self) -> MergeReason:
        """The JSON the store keeps as the reason a report joined its event."""
        return {"rule": "merged", "score": round(self.score, 3), "checks": dict(self.checks)}


def _place_name(loc: EventLocation) -> str | None:
    return loc.resolved_place or loc.extracted_place or None


def compare(report: Event, canonical: MatchSummary) -> MatchResult:
    """Whether ``report`` describes the event ``canonical`` summarises."""
    checks: dict[str, str] = {}
    rt, ct = report.event[0], canonical.types[0]
    if family(rt) != family(ct):
        return MatchResult(False, checks={"type": f"{rt} and {ct} are different type families"})
    checks["type"] = f"{rt} and {ct}: same type family {family(rt)}"
    if report.doc_id and report.doc_id in canonical.doc_ids:
        # the coder already decided, reading the whole report, that these are different events
        return MatchResult(False, checks={**checks, "document": "already reported by the same document"})

    rw, cw = match_window(report.date), match_window(canonical.when)
    if rw is None or cw is None:
        return MatchResult(False, checks={**checks, "date": "undated report"})
    if rw[0] > cw[1] or cw[0] > rw[1]:
        return MatchResult(False, checks={**checks, "date": f"{_w(rw)} does not overlap {_w(cw)}"})
    score = 1.0 if date_window(report.date) == date_window(canonical.when) else 0.5
    checks["date"] = f"report {_w(rw)} overlaps event {_w(cw)} (precision {report.date.precision})"

    ra, ca = _codes(report.actor), canonical.actor_codes
    rr, cr = _codes(report.recipient), canonical.recipient_codes
    if ra and ca and not ra & ca:
        return MatchResult(False, checks={**checks, "actors": f"actors {sorted(ra)} vs {sorted(ca)} contradict"})
    if rr and cr and not rr & cr:
        return MatchResult(
            False, checks={**checks, "actors": f"recipients {sorted(rr)} vs {sorted(cr)} contradict"}
        )
    shared = (ra | rr) & (ca | cr)
    checks["actors"] = f"shared codes {', '.join(sorted(shared))}" if shared else "no contradicting codes"
    score += 0.5 * len(shared)
    return _compare_places(report.event_loc, canonical.place, shared, score, checks)


def _compare_places(
    rl: EventLocation | None, cl: EventLocation | None, shared: frozenset[str], score: float, checks: dict[str, str]
) -> MatchResult:
    r_cc, c_cc = rl.country_code if rl else None, cl.country_code if cl else None
    if r_cc and c_cc and r_cc != c_cc:
        return MatchResult(False, checks={**checks, "place": f"different countries {r_cc} and {c_cc}"})
    if rl is None or cl is None or rl.lat is None or rl.lon is None or cl.lat is None or cl.lon is None:
        if not shared:
            return MatchResult(
                False, checks={**checks, "place": "a place is unknown and no actor code is shared"}
            )
        checks["place"] = "a place is unknown; same actors instead"
        return MatchResult(True, score, checks)
    res = min(int(rl.resolution or 1), int(cl.resolution or 1))
    names = f"{_place_name(rl)} and {_place_name(cl)}"
    if res <= 1:
        if r_cc != c_cc or not r_cc:
            return MatchResult(False, checks={**checks, "place": f"{names}: country-level, not the same country"})
        checks["place"] = f"{names}: same country {r_cc} (country-level place)"
        return MatchResult(True, score, checks)
    dist = haversine_km(rl.lat, rl.lon, cl.lat, cl.lon)
    limit = DISTANCE_KM[res]
    if dist > limit:
        return MatchResult(
            False,
            checks={**checks, "place": f"{names} {dist:.1f} km apart, over {limit:g} km for {RESOLUTION_NAMES[res]} places"},
        )
    checks["place"] = f"{names} {dist:.1f} km apart, within {limit:g} km for {RESOLUTION_NAMES[res]} places"
    score += 1.0 - dist / limit
    return MatchResult(True, score, checks)


def _w(w: tuple[date, date]) -> str:
    return w[0].isoformat() if w[0] == w[1] else f"{w[0].isoformat()}..{w[1].isoformat()}"


def _key(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _count_into(entries: dict[str, list[Any]], items: Iterable[object]) -> None:
    """Count ``items`` into ``entries`` (key -> [item, count]), keeping first-seen order."""
    for item in items:
        k = _key(item)
        if k in entries:
            entries[k][1] += 1
        else:
            entries[k] = [item, 1]


def _by_count(entries: Mapping[str, list[Any]]) -> list[Any]:
    """The items most frequent first, ties in the order they were first seen."""
    return [item for item, _ in sorted(entries.values(), key=lambda e: -e[1])]


def _count_actors(entries: dict[str, list[Any]], actors: Iterable[Actor]) -> None:
    for a in actors:
        k = _key([a.code, a.sector, (a.identifier_text or a.entity_text or "").lower()])
        if k in entries:
            entries[k][1] += 1
        else:
            entries[k] = [a.to_plover(), 1]


def _text_info(ev: Event) -> dict[str, int | None]:
    s = ev.sentence
    return {"sequence": s.index if s else None, "start": s.start if s else None, "end": s.end if s else None}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


class Tally:
    """What reconciling needs to know of the reports behind a canonical event (counts, maxima,
    first occurrences), so that one more report updates it without reading the others again
    (``add``) and ``canonical`` gives the record ``reconcile`` gives for all of them.  The store
    keeps it as JSON (``to_json``/``from_json``) next to the canonical event."""

    __slots__ = ("_t",)

    def __init__(self) -> None:
        self._t: dict[str, Any] = {
            "n": 0, "doc_id": None, "types": {}, "events": {}, "modes": {}, "contexts": {},
            "event_text": {}, "actors": {}, "recipients": {}, "loc": None, "keep": 1.0,
            "dates": {"text": {}, "other": {}}, "size": {}, "reciprocal": False, "reports": [],
            "match": None,
        }  # fmt: skip

    @classmethod
    def of(cls, reports: Iterable[Report]) -> Tally:
        """The tally of ``reports``, folded in order."""
        tally = cls()
        for r in reports:
            tally.add(r)
        return tally

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tally:
        """The tally ``to_json`` gave (taken over, not copied: it is updated in place)."""
        tally = cls.__new__(cls)
        tally._t = data
        return tally

    def to_json(self) -> dict[str, Any]:
        return self._t

    @property
    def n(self) -> int:
        """How many reports are folded in."""
        return int(self._t["n"])

    @property
    def match_window(self) -> tuple[date, date] | None:
        """The union of the reports' ``match_window``s (None when none is dated)."""
        w = self._t["match"]
        return (date.fromisoformat(w[0]), date.fromisoformat(w[1])) if w else None

    def add(self, report: Report) -> Tally:
        """Fold one more report in (in place; returns the tally)."""
        t, ev = self._t, report.event
        index = t["n"]
        t["n"] += 1
        if index == 0:
            t["doc_id"] = ev.doc_id
        conf = round(ev.confidence, 3)
        info = _text_info(ev)
        best = {"text_info": info, "cameo": ev.cameo, "acled_event_type": ev.acled_event_type,
                "acled_sub_event_type": ev.acled_sub_event_type, "quad_code": ev.quad_code}  # fmt: skip
        # per type: [reports, best confidence, index of the first report with it, its fields]
        slot = t["types"].get(ev.primary)
        if slot is None:
            t["types"][ev.primary] = [1, conf, index, best]
        else:
            slot[0] += 1
            if conf > slot[1]:  # ties keep the earlier report
                slot[1], slot[2], slot[3] = conf, index, best
        _count_into(t["events"], ev.event)
        _count_into(t["modes"], ev.mode)
        _count_into(t["contexts"], ev.context)
        _count_into(t["event_text"], ev.event_text)
        _count_actors(t["actors"], ev.actor)
        _count_actors(t["recipients"], ev.recipient)
        if ev.event_loc is not None:
            self._add_place(ev.event_loc, conf, index)
        t["keep"] *= 1.0 - conf
        self._add_dates(ev.date)
        pub = (report.publication_date or date.min).isoformat()
        for kind in ("dead", "injured", "arrested"):
            value = getattr(ev.size, kind)
            if value is None:
                continue
            held = t["size"].get(kind)
            if held is None or pub > held[0]:
                t["size"][kind] = [pub, value]
            elif pub == held[0]:
                held[1] = max(held[1], value)
        t["reciprocal"] = t["reciprocal"] or ev.reciprocal
        t["reports"].append({
            "doc_id": ev.doc_id, "event_id": ev.id, "publication_date": _iso(report.publication_date),
            "text_info": info, "event_text": list(ev.event_text),
        })  # fmt: skip
        return self

    def _add_place(self, loc: EventLocation, conf: float, index: int) -> None:
        t = self._t
        res = int(loc.resolution or 0)
        if t["loc"] is None or res > t["loc"]["res"]:
            t["loc"] = {"res": res, "places": {}}
        if res == t["loc"]["res"]:
            k = _key(loc.geonameid)
            place = t["loc"]["places"].get(k)
            if place is None:
                t["loc"]["places"][k] = [1, conf, index, loc.to_plover()]
            else:
                place[0] += 1
                if conf > place[1]:
                    place[1], place[2], place[3] = conf, index, loc.to_plover()

    def _add_dates(self, when: EventDate) -> None:
        t = self._t
        w = date_window(when)
        if w is not None:
            bucket = t["dates"]["text" if when.source == "text" else "other"]
            k = f"{w[0].isoformat()}/{w[1].isoformat()}"
            if k in bucket:
                bucket[k][1] += 1
            else:
                rep = {"date": _iso(when.date), "enddate": _iso(when.enddate),
                       "date_precision": when.precision, "date_source": when.source}  # fmt: skip
                bucket[k] = [[w[0].isoformat(), w[1].isoformat()], 1, rep]
        mw = match_window(when)
        if mw is not None:
            lo, hi = mw[0].isoformat(), mw[1].isoformat()
            t["match"] = [lo, hi] if t["match"] is None else [min(t["match"][0], lo), max(t["match"][1], hi)]

    def canonical(self, canonical_id: str) -> CanonicalEvent:
        """The canonical event of the reports folded in; the rules are ``reconcile``'s."""
        t = self._t
        if not t["n"]:
            raise ValueError("a canonical event needs at least one report")
        types = t["types"]
        top = max(v[0] for v in types.values())
        # the most frequent type; ties: the type of the most confident report (earliest first)
        primary = max((k for k in types if types[k][0] == top), key=lambda k: (types[k][1], -types[k][2]))
        best = types[primary][3]
        loc = None
        if t["loc"] is not None:
            places = t["loc"]["places"].values()
            votes = max(p[0] for p in places)
            loc = max((p for p in places if p[0] == votes), key=lambda p: (p[1], -p[2]))[3]
        info = best.get("text_info") or {}
        seq, start, end = info.get("sequence"), info.get("start"), info.get("end")
        sentence = None
        if seq is not None and start is not None and end is not None:
            sentence = Sentence(int(seq), int(start), int(end), "")
        size = {kind: (t["size"][kind][1] if kind in t["size"] else None) for kind in ("dead", "injured", "arrested")}
        event = Event(
            doc_id=t["doc_id"] or "",
            event=[primary, *(e for e in _by_count(t["events"]) if e != primary)],
            mode=_by_count(t["modes"]),
            context=_by_count(t["contexts"]),
            actor=[Actor.from_plover(a) for a in _by_count(t["actors"])],
            recipient=[Actor.from_plover(a) for a in _by_count(t["recipients"])],
            event_loc=EventLocation.from_plover(loc) if loc else None,
            date=_reconcile_dates(t),
            size=Size(size["dead"], size["injured"], size["arrested"]),
            event_text=_by_count(t["event_text"]),
            sentence=sentence,
            cameo=best.get("cameo"),
            acled_event_type=best.get("acled_event_type"),
            acled_sub_event_type=best.get("acled_sub_event_type"),
            quad_code=best.get("quad_code"),
            confidence=round(1.0 - t["keep"], 3),
            reciprocal=bool(t["reciprocal"]),
            id=canonical_id,
        )
        return CanonicalEvent(event, t["n"], [ReportRef.from_plover(r) for r in t["reports"]])


def _reconcile_dates(t: Mapping[str, Any]) -> EventDate:
    windows = list(t["dates"]["text"].values()) or list(t["dates"]["other"].values())
    if not windows:
        return EventDate()

    def span(e: list[Any]) -> tuple[date, date]:
        return date.fromisoformat(e[0][0]), date.fromisoformat(e[0][1])

    def as_reported(rep: Mapping[str, Any]) -> EventDate:
        return EventDate(as_date(rep["date"]), as_date(rep["enddate"]), rep["date_precision"], rep["date_source"])

    lo = max(span(e)[0] for e in windows)
    hi = min(span(e)[1] for e in windows)
    if lo <= hi:  # the narrowest window consistent with every text-dated report
        narrow = min(windows, key=lambda e: span(e)[1] - span(e)[0])
        rep = narrow[2]
        if lo == hi:
            return EventDate(lo, None, "day", rep["date_source"])
        if (lo, hi) == span(narrow):
            return as_reported(rep)
        return EventDate(lo, hi, rep["date_precision"], rep["date_source"])
    # inconsistent (e.g. one day apart): the finest window most reports give, earliest first
    best = min(windows, key=lambda e: (span(e)[1] - span(e)[0], -e[1], span(e)[0]))
    return as_reported(best[2])


def reconcile(canonical_id: str, reports: Sequence[Report]) -> CanonicalEvent:
    """The canonical event of all its reports.

    * type: the primary type most reports give (ties: the most confident report's);
      ``event``, ``mode``, ``context``, ``event_text``: the union, most frequent first;
    * date: the narrowest window consistent with every report dated by the text (reports dated
      only by their publication date do not narrow it); when text dates disagree, the finest
      window most reports give;
    * place: the finest resolution any report gives (ties: the place most reports name, then
      the most confident report's);
    * actors, recipients: the union, deduplicated on code, sector and name;
    * casualties (dead, injured, arrested, each separately): never the sum; the largest figure
      among the most recently published reports that give one, since tolls are revised upward
      as bodies are counted and later reports supersede earlier ones;
    * cameo, ACLED types, quad code: from the most confident report of the primary type;
    * confidence: 1 - prod(1 - c) over the reports (independent reports raise it).

    Every rule depends on the reports only through counts, maxima and first occurrences, so the
    same record comes from folding the reports one at a time (``Tally``): the store keeps the
    tally and does not read an event's reports again when one more arrives.
    """
    if not reports:
        raise ValueError("a canonical event needs at least one report")
    return Tally.of(reports).canonical(canonical_id)
