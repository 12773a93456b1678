"""The merge rules: when two reports describe one event, and how their fields are reconciled."""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# Types that reports of one happening are coded with interchangeably.
FAMILIES: dict[str, str] = {
    "ASSAULT": "ASSAULT",
    "COERCE": "COERCE",
    "PROTEST": "PROTEST",
    "MOBILIZE": "MOBILIZE",
    "SANCTION": "SANCTION",
    "THREATEN": "THREATEN",
    "ACCUSE": "ACCUSE",
    "REJECT": "ACCUSE",
    "REQUEST": "REQUEST",
    "AGREE": "AGREE",
    "CONSULT": "AGREE",
    "SUPPORT": "COOPERATE",
    "COOPERATE": "COOPERATE",
    "AID": "AID",
    "CONCEDE": "CONCEDE",
    "RETREAT": "CONCEDE",
}

# Largest distance between two reports' places, by the coarser place's PLOVER resolution.
DISTANCE_KM: dict[int, float] = {5: 5.0, 4: 25.0, 3: 100.0, 2: 250.0}
RESOLUTION_NAMES = {5: "sub-city", 4: "city", 3: "district", 2: "province", 1: "country"}
PUBLICATION_LOOKBACK = timedelta(days=3)
DAY_TOLERANCE = timedelta(days=1)


def family(event_type: str) -> str:
    return FAMILIES.get(event_type, event_type)


def _parse(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def date_window(record: Mapping[str, Any]) -> tuple[date, date] | None:
    """The period the report says the event happened in (no tolerance); None when undated."""
    start = _parse(record.get("date"))
    if start is None:
        return None
    end = _parse(record.get("enddate"))
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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


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


def _ordered_union(lists: Sequence[Sequence[Any]]) -> list[Any]:
    counts: Counter[Any] = Counter()
    first: dict[Any, int] = {}
    for seq in lists:
        for item in seq:
            counts[item] += 1
            first.setdefault(item, len(first))
    return sorted(counts, key=lambda k: (-counts[k], first[k]))


def _actor_key(a: Mapping[str, Any]) -> tuple[Any, ...]:
    return (a.get("code"), a.get("sector"), (a.get("identifier_text") or a.get("entity_text") or "").lower())


def _merge_actors(lists: Sequence[Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    counts: Counter[tuple[Any, ...]] = Counter()
    for seq in lists:
        for a in seq:
            k = _actor_key(a)
            counts[k] += 1
            seen.setdefault(k, dict(a))
    return [seen[k] for k in sorted(seen, key=lambda k: -counts[k])]


def _reconcile_dates(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    windows = [(r, date_window(r)) for r in reports]
    dated = [(r, w) for r, w in windows if w is not None]
    if not dated:
        return {"date": None, "enddate": None, "date_precision": None, "date_source": None}
    texts = [(r, w) for r, w in dated if r.get("date_source") == "text"] or dated
    lo = max(w[0] for _, w in texts)
    hi = min(w[1] for _, w in texts)
    if lo <= hi:  # the narrowest window consistent with every text-dated report
        narrow = min(texts, key=lambda rw: (rw[1][1] - rw[1][0]))
        source = narrow[0].get("date_source")
        if lo == hi:
            return {"date": lo, "enddate": None, "date_precision": "day", "date_source": source}
        if (lo, hi) == narrow[1]:
            r = narrow[0]
            return {"date": _parse(r.get("date")), "enddate": _parse(r.get("enddate")),
                    "date_precision": r.get("date_precision"), "date_source": source}  # fmt: skip
        return {"date": lo, "enddate": hi, "date_precision": narrow[0].get("date_precision"),
                "date_source": source}  # fmt: skip
    # inconsistent (e.g. one day apart): the finest window most reports give, earliest first
    votes = Counter(w for _, w in texts)
    best = min(votes, key=lambda w: (w[1] - w[0], -votes[w], w[0]))
    r = next(r for r, w in texts if w == best)
    return {"date": _parse(r.get("date")), "enddate": _parse(r.get("enddate")),
            "date_precision": r.get("date_precision"), "date_source": r.get("date_source")}  # fmt: skip


def _reconcile_size(reports: Sequence[Mapping[str, Any]]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for kind in ("dead", "injured", "arrested"):
        given = [r for r in reports if (r.get("size") or {}).get(kind) is not None]
        if not given:
            out[kind] = None
            continue
        latest = max((_parse(r.get("publication_date")) or date.min) for r in given)
        out[kind] = max(
            r["size"][kind] for r in given if (_parse(r.get("publication_date")) or date.min) == latest
        )
    return out


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
    """
    if not reports:
        raise ValueError("a canonical event needs at least one report")
    by_conf = sorted(reports, key=lambda r: -float(r.get("confidence") or 0))
    types = Counter(r["event"][0] for r in reports)
    top = max(types.values())
    primary = next(r["event"][0] for r in by_conf if types[r["event"][0]] == top)
    best = next(r for r in by_conf if r["event"][0] == primary)
    events = _ordered_union([r["event"] for r in reports])
    events.remove(primary)
    located = [r for r in reports if r.get("event_loc")]
    loc = None
    if located:
        finest = max(int(r["event_loc"].get("resolution") or 0) for r in located)
        cands = [r for r in by_conf if r.get("event_loc") and int(r["event_loc"].get("resolution") or 0) == finest]
        votes = Counter(c["event_loc"].get("geonameid") for c in cands)
        loc = dict(max(cands, key=lambda c: votes[c["event_loc"].get("geonameid")])["event_loc"])
    conf = 1.0
    for r in reports:
        conf *= 1.0 - float(r.get("confidence") or 0)
    d = _reconcile_dates(reports)
    return {
        "id": canonical_id,
        "doc_id": reports[0].get("doc_id"),
        "date": d["date"].isoformat() if d["date"] else None,
        "enddate": d["enddate"].isoformat() if d["enddate"] else None,
        "date_precision": d["date_precision"],
        "date_source": d["date_source"],
        "event": [primary, *events],
        "mode": _ordered_union([r.get("mode") or [] for r in reports]),
        "context": _ordered_union([r.get("context") or [] for r in reports]),
        "actor": _merge_actors([r.get("actor") or [] for r in reports]),
        "recipient": _merge_actors([r.get("recipient") or [] for r in reports]),
        "event_loc": loc,
        "size": _reconcile_size(reports),
        "event_text": _ordered_union([r.get("event_text") or [] for r in reports]),
        "text_info": best.get("text_info"),
        "cameo": best.get("cameo"),
        "acled_event_type": best.get("acled_event_type"),
        "acled_sub_event_type": best.get("acled_sub_event_type"),
        "quad_code": best.get("quad_code"),
        "confidence": round(1.0 - conf, 3),
        "reciprocal": any(r.get("reciprocal") for r in reports),
        "n_reports": len(reports),
        "reports": [
            {
                "doc_id": r.get("doc_id"),
                "event_id": r.get("id"),
                "publication_date": str(r["publication_date"]) if r.get("publication_date") else None,
                "text_info": r.get("text_info"),
                "event_text": r.get("event_text"),
            }
            for r in reports
        ],
    }
