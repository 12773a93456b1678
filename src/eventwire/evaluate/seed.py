"""Seed evaluation: the hand coding in ``seed/gold.json`` (required and acceptable events).

A gold event is *matched* by an output event with the same primary type, a date within one day
of the gold date (where the gold has one), at least one actor or recipient code in common (where
the gold has any), and a point within 50 km of the gold point (where the gold has coordinates).

Gold events are paired one-to-one with output events by a maximum matching, required events
first, so one output event never counts for two gold events; each gold event tries first the
matching output with the exact date, then the exact dead count, then the nearest place.  ``precision`` is the share of
output events that match any gold event (required or acceptable).  For each required event the
report gives the output event paired with it, whether its date is exact, whether its dead
count is exact (where the gold gives one), and whether its ACLED event type is the gold one (where
the gold gives one).

``place_by_name=True`` (the ``articles`` evaluator, whose gold names places without coordinates)
adds a place check for gold events without a point: where the gold names a place
(``event_loc.extracted_place`` or ``place``), the output event's ``event_loc`` must contain the
place's words or be in the place's country (``event_loc.country_code(s)`` or ``country_iso3``).  The seed coding keeps its rule (no place check without a point).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.gold import GoldEvent, SeedGold, gold_events
from eventwire.evaluate.matching import (
    dead,
    event_countries,
    event_date,
    gold_place,
    loc_country,
    location,
    max_matching,
    place_named,
    primary_type,
)
from eventwire.evaluate.metrics import haversine_km
from eventwire.model import Event

PLACE_KM = 50.0
DATE_DAYS = 1


def matches(gold: GoldEvent, pred: Event, place_by_name: bool = False) -> bool:
    """The seed's matching rule (module docstring)."""
    if primary_type(gold) != primary_type(pred):
        return False
    gdate = event_date(gold)
    if gdate is not None:
        pdate = event_date(pred)
        if pdate is None or abs((pdate - gdate).days) > DATE_DAYS:
            return False
    gcodes = event_countries(gold)
    if gcodes and not gcodes & event_countries(pred):
        return False
    gl = location(gold)
    if gl is not None and gl.has_point:
        pl = location(pred)
        if pl is None or not pl.has_point:
            return False
        if haversine_km(gl.lat, gl.lon, pl.lat, pl.lon) > PLACE_KM:  # type: ignore[arg-type]
            return False
    elif place_by_name:
        name, countries = gold_place(gold)
        # only where the gold names a place (a country alone is already checked through the actors)
        if name and not (place_named(name, pred) or loc_country(pred) in countries):
            return False
    return True


@dataclass(slots=True)
class SeedEventResult:
    key: str
    required: bool
    event: str
    matched: str | None = None  # id of the output event paired with it
    candidates: int = 0  # output events that satisfy the rule
    date_exact: bool | None = None
    dead_exact: bool | None = None
    acled_exact: bool | None = None
    place_exact: bool | None = None  # its place is named by the gold's place name (where it has one)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "required": self.required,
            "event": self.event,
            "found": self.matched is not None,
            "matched": self.matched,
            "candidates": self.candidates,
            "date_exact": self.date_exact,
            "dead_exact": self.dead_exact,
            "acled_exact": self.acled_exact,
            "place_exact": self.place_exact,
        }


@dataclass(slots=True)
class SeedReport:
    outputs: int = 0
    outputs_matching: int = 0
    events: list[SeedEventResult] = field(default_factory=list)
    unmatched_outputs: list[str] = field(default_factory=list)

    def _count(self, required: bool, found: bool | None = None) -> int:
        return sum(
            1
            for e in self.events
            if e.required == required and (found is None or (e.matched is not None) == found)
        )

    @property
    def precision(self) -> float | None:
        return self.outputs_matching / self.outputs if self.outputs else None

    def to_dict(self) -> dict[str, Any]:
        req = [e for e in self.events if e.required]
        return {
            "evaluator": "seed",
            "required_found": self._count(True, True),
            "required_total": self._count(True),
            "acceptable_found": self._count(False, True),
            "acceptable_total": self._count(False),
            "outputs": self.outputs,
            "outputs_matching": self.outputs_matching,
            "precision": None if self.precision is None else round(self.precision, 4),
            "dates_exact": sum(1 for e in req if e.date_exact),
            "dates_total": sum(1 for e in req if e.date_exact is not None),
            "dead_exact": sum(1 for e in req if e.dead_exact),
            "dead_total": sum(1 for e in req if e.dead_exact is not None),
            "acled_exact": sum(1 for e in req if e.acled_exact),
            "acled_total": sum(1 for e in req if e.acled_exact is not None),
            "places_exact": sum(1 for e in req if e.place_exact),
            "places_total": sum(1 for e in req if e.place_exact is not None),
            "events": [e.to_dict() for e in self.events],
            "unmatched_outputs": self.unmatched_outputs,
        }


def _closeness(gold: GoldEvent, pred: Event) -> tuple[int, int, float]:
    """Sort key among matching outputs: exact date, exact dead count, then nearest place."""
    gdate, gdead, gl, pl = event_date(gold), dead(gold), location(gold), location(pred)
    km = 0.0
    if gl is not None and gl.has_point and pl is not None and pl.has_point:
        km = haversine_km(gl.lat, gl.lon, pl.lat, pl.lon)  # type: ignore[arg-type]
    return (
        int(gdate is not None and event_date(pred) != gdate),
        int(gdead is not None and dead(pred) != gdead),
        km,
    )


def _label(ev: Event, index: int) -> str:
    return ev.id or f"#{index}"


def evaluate_seed(
    gold_record: SeedGold, predictions: Sequence[Event], place_by_name: bool = False
) -> SeedReport:
    """Score output events of the seed article (or of one article coded like it) against its gold
    coding."""
    gold = gold_events(gold_record.get("events"))
    def ranked(g: GoldEvent) -> list[int]:
        hits = [j for j, p in enumerate(predictions) if matches(g, p, place_by_name)]
        return sorted(hits, key=lambda j: (_closeness(g, predictions[j]), j))

    edges = [ranked(g) for g in gold]
    # required events are paired first and keep their pairing; the acceptable ones then take
    # only outputs left over, so they never push a required event onto a worse match
    required = [i for i in range(len(gold)) if gold[i].get("required", False)]
    pairing = max_matching([edges[i] if i in required else [] for i in range(len(gold))], required)
    taken = set(pairing.values())
    rest = [[j for j in edges[i] if j not in taken] if i not in required else [] for i in range(len(gold))]
    pairing.update({i: j for i, j in max_matching(rest).items() if i not in required})
    report = SeedReport(outputs=len(predictions))
    matching_outputs = {j for js in edges for j in js}
    report.outputs_matching = len(matching_outputs)
    report.unmatched_outputs = [
        f"{_label(p, j)} {primary_type(p)}"
        for j, p in enumerate(predictions)
        if j not in matching_outputs
    ]
    for i, g in enumerate(gold):
        res = SeedEventResult(
            key=str(g.get("key", f"#{i}")),
            required=bool(g.get("required", False)),
            event=primary_type(g),
            candidates=len(edges[i]),
        )
        raw_acled = g.get("acled_event_type")
        gacled = raw_acled if isinstance(raw_acled, str) else None
        gname = gold_place(g)[0] if place_by_name else None
        if gname is not None:
            res.place_exact = i in pairing and place_named(gname, predictions[pairing[i]])
        if i in pairing:
            p = predictions[pairing[i]]
            res.matched = _label(p, pairing[i])
            gdate = event_date(g)
            res.date_exact = None if gdate is None else event_date(p) == gdate
            gdead = dead(g)
            res.dead_exact = None if gdead is None else dead(p) == gdead
            res.acled_exact = None if gacled is None else p.acled_event_type == gacled
        else:
            if dead(g) is not None:
                res.dead_exact = False
            if gacled is not None:
                res.acled_exact = False
        if i not in pairing and event_date(g) is not None:
            res.date_exact = False
        report.events.append(res)
    return report
