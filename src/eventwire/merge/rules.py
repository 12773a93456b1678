"""The merge rules: when two reports describe one event, and how their fields are reconciled."""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from eventwire.helpers import as_date, haversine_km
from eventwire.ontology import family as ontology_family

# Largest distance between two reports' places, by the coarser place's PLOVER resolution.
DISTANCE_KM: dict[int, float] = {5: 5.0, 4: 25.0, 3: 100.0, 2: 250.0}
RESOLUTION_NAMES = {5: "sub-city", 4: "city", 3: "district", 2: "province", 1: "country"}
PUBLICATION_LOOKBACK = timedelta(days=3)
DAY_TOLERANCE = timedelta(days=1)


def family(event_type: str) -> str:
    """Types that reports of one happening are coded with interchangeably (``eventwire.ontology``)."""
    return ontology_family(event_type)


def date_window(record: Mapping[str, Any]) -> tuple[date, date] | None:
    """The period the report says the event happened in (no tolerance); None when undated."""
    start = as_date(record.get("date"))
    if start is None:
        return None
    end = as_date(record.get("enddate"))
    precision = record.get("date_precision") or "day"
    if record.get("date_source") == "publication":
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


def match_window(record: Mapping[str, Any]) -> tuple[date, date] | None:
    """``date_window`` widened by a day either side for day-precise text dates."""
    w = date_window(record)
    if w is None:
        return None
    if record.get("date_source") == "text" and (record.get("date_precision") or "day") == "day":
        return w[0] - DAY_TOLERANCE, w[1] + DAY_TOLERANCE
    return w


def match_summary(record: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a canonical record that ``compare`` reads: type, dates, actor and recipient
    codes, place, and the documents already behind it."""
    loc = record.get("event_loc") or {}
    return {
        "event": list(record.get("event") or []),
        **{k: record.get(k) for k in ("date", "enddate", "date_precision", "date_source", "doc_id")},
        "actor": [{"code": a.get("code")} for a in record.get("actor") or () if a.get("code")],
        "recipient": [{"code": a.get("code")} for a in record.get("recipient") or () if a.get("code")],
        "event_loc": {k: loc.get(k) for k in (
            "lat", "lon", "country_code", "resolution", "resolved_place", "extracted_place")} if loc else None,
        "reports": [{"doc_id": r.get("doc_id")} for r in record.get("reports") or ()],
    }  # fmt: skip


def _codes(actors: Sequence[Mapping[str, Any]] | None) -> set[str]:
    return {a["code"] for a in actors or () if a.get("code")}


@dataclass(slots=True)
class MatchResult:
    """The outcome of comparing a report with a canonical event: the checks, in words."""

    same: bool
    score: float = 0.0
    checks: dict[str, str] = field(default_factory=dict)

    def as_reason(self) -> dict[str, Any]:
        return {"rule": "merged", "score": round(self.score, 3), "checks": dict(self.checks)}


def compare(report: Mapping[str, Any], canonical: Mapping[str, Any]) -> MatchResult:
    """Whether ``report`` describes the event ``canonical`` (a reconciled record) describes."""
    checks: dict[str, str] = {}
    rt, ct = report["event"][0], canonical["event"][0]
    if family(rt) != family(ct):
        return MatchResult(False, checks={"type": f"{rt} and {ct} are different type families"})
    checks["type"] = f"{rt} and {ct}: same type family {family(rt)}"
    own_docs = {r.get("doc_id") for r in canonical.get("reports") or ()} | {canonical.get("doc_id")}
    if report.get("doc_id") is not None and report.get("doc_id") in own_docs:
        # the coder already decided, reading the whole report, that these are different events
        return MatchResult(False, checks={**checks, "document": "already reported by the same document"})

    rw, cw = match_window(report), match_window(canonical)
    if rw is None or cw is None:
        return MatchResult(False, checks={**checks, "date": "undated report"})
    if rw[0] > cw[1] or cw[0] > rw[1]:
        return MatchResult(False, checks={**checks, "date": f"{_w(rw)} does not overlap {_w(cw)}"})
    score = 1.0 if date_window(report) == date_window(canonical) else 0.5
    checks["date"] = f"report {_w(rw)} overlaps event {_w(cw)} (precision {report.get('date_precision')})"

    ra, ca = _codes(report.get("actor")), _codes(canonical.get("actor"))
    rr, cr = _codes(report.get("recipient")), _codes(canonical.get("recipient"))
    if ra and ca and not ra & ca:
        return MatchResult(False, checks={**checks, "actors": f"actors {sorted(ra)} vs {sorted(ca)} contradict"})
    if rr and cr and not rr & cr:
        return MatchResult(
            False, checks={**checks, "actors": f"recipients {sorted(rr)} vs {sorted(cr)} contradict"}
        )
    shared = (ra | rr) & (ca | cr)
    checks["actors"] = f"shared codes {', '.join(sorted(shared))}" if shared else "no contradicting codes"
    score += 0.5 * len(shared)

    rl, cl = report.get("event_loc") or {}, canonical.get("event_loc") or {}
    r_cc, c_cc = rl.get("country_code"), cl.get("country_code")
    if r_cc and c_cc and r_cc != c_cc:
        return MatchResult(False, checks={**checks, "place": f"different countries {r_cc} and {c_cc}"})
    if rl.get("lat") is None or cl.get("lat") is None:
        if not shared:
            return MatchResult(
                False, checks={**checks, "place": "a place is unknown and no actor code is shared"}
            )
        checks["place"] = "a place is unknown; same actors instead"
        return MatchResult(True, score, checks)
    res = min(int(rl.get("resolution") or 1), int(cl.get("resolution") or 1))
    names = f"{rl.get('resolved_place') or rl.get('extracted_place')} and {cl.get('resolved_place') or cl.get('extracted_place')}"
    if res <= 1:
        if r_cc != c_cc or not r_cc:
            return MatchResult(False, checks={**checks, "place": f"{names}: country-level, not the same country"})
        checks["place"] = f"{names}: same country {r_cc} (country-level place)"
        return MatchResult(True, score, checks)
    dist = haversine_km(rl["lat"], rl["lon"], cl["lat"], cl["lon"])
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


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _count_into(entries: dict[str, list[Any]], items: Sequence[Any]) -> None:
    """Count ``items`` into ``entries`` (key -> [item, count]), keeping first-seen order."""
    for item in items:
        k = _key(item)
        if k in entries:
            entries[k][1] += 1
        else:
            entries[k] = [item, 1]


def _by_count(entries: dict[str, list[Any]]) -> list[Any]:
    """The items most frequent first, ties in the order they were first seen."""
    return [item for item, _ in sorted(entries.values(), key=lambda e: -e[1])]


def _actor_key(a: Mapping[str, Any]) -> list[Any]:
    return [a.get("code"), a.get("sector"), (a.get("identifier_text") or a.get("entity_text") or "").lower()]


def _count_actors(entries: dict[str, list[Any]], actors: Sequence[Mapping[str, Any]]) -> None:
    for a in actors:
        k = _key(_actor_key(a))
        if k in entries:
            entries[k][1] += 1
        else:
            entries[k] = [dict(a), 1]


def new_tally() -> dict[str, Any]:
    """An empty tally: what ``reconcile`` needs to know of the reports behind a canonical event,
    kept so that a new report updates it without reading the others again (``add_report``).
    JSON-ready; the store keeps it next to the reconciled record."""
    return {
        "n": 0, "doc_id": None, "types": {}, "events": {}, "modes": {}, "contexts": {},
        "event_text": {}, "actors": {}, "recipients": {}, "loc": None, "keep": 1.0,
        "dates": {"text": {}, "other": {}}, "size": {}, "reciprocal": False, "reports": [],
        "match": None,
    }  # fmt: skip


def add_report(tally: dict[str, Any] | None, report: Mapping[str, Any]) -> dict[str, Any]:
    """Fold one report into ``tally`` (updated in place and returned; None starts a new one)."""
    t = tally if tally is not None else new_tally()
    index = t["n"]
    t["n"] += 1
    if index == 0:
        t["doc_id"] = report.get("doc_id")
    conf = float(report.get("confidence") or 0)
    primary = report["event"][0]
    best = {k: report.get(k) for k in ("text_info", "cameo", "acled_event_type", "acled_sub_event_type", "quad_code")}
    # per type: [reports, best confidence, index of the first report with it, its fields]
    slot = t["types"].get(primary)
    if slot is None:
        t["types"][primary] = [1, conf, index, best]
    else:
        slot[0] += 1
        if conf > slot[1]:  # ties keep the earlier report
            slot[1], slot[2], slot[3] = conf, index, best
    _count_into(t["events"], report["event"])
    _count_into(t["modes"], report.get("mode") or [])
    _count_into(t["contexts"], report.get("context") or [])
    _count_into(t["event_text"], report.get("event_text") or [])
    _count_actors(t["actors"], report.get("actor") or [])
    _count_actors(t["recipients"], report.get("recipient") or [])
    loc = report.get("event_loc")
    if loc:
        res = int(loc.get("resolution") or 0)
        if t["loc"] is None or res > t["loc"]["res"]:
            t["loc"] = {"res": res, "places": {}}
        if res == t["loc"]["res"]:
            k = _key(loc.get("geonameid"))
            place = t["loc"]["places"].get(k)
            if place is None:
                t["loc"]["places"][k] = [1, conf, index, dict(loc)]
            else:
                place[0] += 1
                if conf > place[1]:
                    place[1], place[2], place[3] = conf, index, dict(loc)
    t["keep"] *= 1.0 - conf
    w = date_window(report)
    if w is not None:
        bucket = t["dates"]["text" if report.get("date_source") == "text" else "other"]
        k = f"{w[0].isoformat()}/{w[1].isoformat()}"
        if k in bucket:
            bucket[k][1] += 1
        else:
            rep = {f: report.get(f) for f in ("date", "enddate", "date_precision", "date_source")}
            bucket[k] = [[w[0].isoformat(), w[1].isoformat()], 1, {f: str(v) if isinstance(v, date) else v for f, v in rep.items()}]
    mw = match_window(report)
    if mw is not None:
        lo, hi = mw[0].isoformat(), mw[1].isoformat()
        t["match"] = [lo, hi] if t["match"] is None else [min(t["match"][0], lo), max(t["match"][1], hi)]
    pub = (as_date(report.get("publication_date")) or date.min).isoformat()
    for kind in ("dead", "injured", "arrested"):
        value = (report.get("size") or {}).get(kind)
        if value is None:
            continue
        held = t["size"].get(kind)
        if held is None or pub > held[0]:
            t["size"][kind] = [pub, value]
        elif pub == held[0]:
            held[1] = max(held[1], value)
    t["reciprocal"] = t["reciprocal"] or bool(report.get("reciprocal"))
    t["reports"].append({
        "doc_id": report.get("doc_id"),
        "event_id": report.get("id"),
        "publication_date": str(report["publication_date"]) if report.get("publication_date") else None,
        "text_info": report.get("text_info"),
        "event_text": report.get("event_text"),
    })  # fmt: skip
    return t


def _reconcile_dates(t: Mapping[str, Any]) -> dict[str, Any]:
    windows = list(t["dates"]["text"].values()) or list(t["dates"]["other"].values())
    if not windows:
        return {"date": None, "enddate": None, "date_precision": None, "date_source": None}

    def span(e: list[Any]) -> tuple[date, date]:
        return date.fromisoformat(e[0][0]), date.fromisoformat(e[0][1])

    lo = max(span(e)[0] for e in windows)
    hi = min(span(e)[1] for e in windows)
    if lo <= hi:  # the narrowest window consistent with every text-dated report
        narrow = min(windows, key=lambda e: span(e)[1] - span(e)[0])
        rep = narrow[2]
        if lo == hi:
            return {"date": lo, "enddate": None, "date_precision": "day", "date_source": rep["date_source"]}
        if (lo, hi) == span(narrow):
            return {"date": as_date(rep["date"]), "enddate": as_date(rep["enddate"]),
                    "date_precision": rep["date_precision"], "date_source": rep["date_source"]}  # fmt: skip
        return {"date": lo, "enddate": hi, "date_precision": rep["date_precision"], "date_source": rep["date_source"]}
    # inconsistent (e.g. one day apart): the finest window most reports give, earliest first
    best = min(windows, key=lambda e: (span(e)[1] - span(e)[0], -e[1], span(e)[0]))
    rep = best[2]
    return {"date": as_date(rep["date"]), "enddate": as_date(rep["enddate"]),
            "date_precision": rep["date_precision"], "date_source": rep["date_source"]}  # fmt: skip


def finish(canonical_id: str, tally: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical record (PLOVER field names) of the reports folded into ``tally``; the rules
    are those of ``reconcile``."""
    if not tally["n"]:
        raise ValueError("a canonical event needs at least one report")
    types = tally["types"]
    top = max(v[0] for v in types.values())
    # the most frequent type; ties: the type of the most confident report (earliest first)
    primary = max((t for t in types if types[t][0] == top), key=lambda t: (types[t][1], -types[t][2]))
    best = types[primary][3]
    events = [e for e in _by_count(tally["events"]) if e != primary]
    loc = None
    if tally["loc"] is not None:
        places = tally["loc"]["places"].values()
        votes = max(p[0] for p in places)
        loc = dict(max((p for p in places if p[0] == votes), key=lambda p: (p[1], -p[2]))[3])
    d = _reconcile_dates(tally)
    size = {kind: (tally["size"][kind][1] if kind in tally["size"] else None) for kind in ("dead", "injured", "arrested")}
    return {
        "id": canonical_id,
        "doc_id": tally["doc_id"],
        "date": d["date"].isoformat() if d["date"] else None,
        "enddate": d["enddate"].isoformat() if d["enddate"] else None,
        "date_precision": d["date_precision"],
        "date_source": d["date_source"],
        "event": [primary, *events],
        "mode": _by_count(tally["modes"]),
        "context": _by_count(tally["contexts"]),
        "actor": _by_count(tally["actors"]),
        "recipient": _by_count(tally["recipients"]),
        "event_loc": loc,
        "size": size,
        "event_text": _by_count(tally["event_text"]),
        "text_info": best.get("text_info"),
        "cameo": best.get("cameo"),
        "acled_event_type": best.get("acled_event_type"),
        "acled_sub_event_type": best.get("acled_sub_event_type"),
        "quad_code": best.get("quad_code"),
        "confidence": round(1.0 - tally["keep"], 3),
        "reciprocal": tally["reciprocal"],
        "n_reports": tally["n"],
        "reports": list(tally["reports"]),
    }


def reconcile(canonical_id: str, reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The canonical record of an event from all its reports (PLOVER field names).

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
    same record comes from folding the reports one at a time (``add_report``, ``finish``): the
    store keeps the tally and does not read an event's reports again when one more arrives.
    """
    if not reports:
        raise ValueError("a canonical event needs at least one report")
    return finish(canonical_id, tally_reports(reports))


def tally_reports(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The tally of ``reports``, folded in order (``add_report``)."""
    tally = new_tally()
    for r in reports:
        add_report(tally, r)
    return tally
