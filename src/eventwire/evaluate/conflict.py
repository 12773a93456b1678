"""Short conflict reports coded ACLED-style: one event per report (``conflict_reports`` sets).

Gold records carry ``event_type`` and ``sub_event_type`` (ACLED's strings), ``fatalities`` (ACLED's
conservative count, 0 when none is stated), ``event_date`` with ``date_stated_day`` (whether the
text gives the exact day), ``location`` (the place as named), ``country_iso3`` and ``style``.

The output event of a report is the most confident asserted event with an ``acled_event_type``
(ties: the first in text order; ``matching.pick_acled_event``).  Measured over all reports and per
``style``:

- ``acled_type_accuracy``: its ACLED event type is the gold one (no ACLED-typed event: wrong);
- ``sub_type_accuracy``: its ACLED sub-event type is the gold one;
- ``with_acled_event``: the share of reports with an ACLED-typed event;
- ``dead_exact``: its ``size.dead`` equals ``fatalities``, a missing count (or no event) read as
  0 as ACLED codes it; ``dead_exact_where_event`` the same over reports with an event;
- ``date_exact``: its ``date`` is ``event_date``, over the reports with ``date_stated_day`` (no
  event: wrong); ``date_exact_where_event`` the same over those with an event;
- ``country``: its ``event_loc.country_code`` is ``country_iso3``;
- ``place_named``: the gold ``location``'s words are all in its ``event_loc`` place
  (``extracted_place`` or ``resolved_place``);
- ``within_161km``: its ``event_loc`` point lies within 161 km of the gold place, over the reports
  whose gold place could be located.  The gold has names, not coordinates, so this is a PROXY: the
  gold ``location`` / ``admin2`` / ``admin1`` / ``country_iso3`` are resolved through the
  gazetteer's chain (``eventwire.geo.locate_fields``: the place inside its named units, else its
  district, else its province); ``gold_located`` counts the reports by the level their gold place
  was found at (``place``, ``admin2``, ``admin1``, ``none``); ``within_161km_place`` is the same
  measure over the reports whose gold place itself was found;
- ``confusion``: gold event type against output event type (``NONE``: no ACLED-typed event), and
  the same for sub-types (``sub_type_confusion``, wrong cells only).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.gold import ConflictGold
from eventwire.evaluate.matching import (
    dead,
    event_date,
    loc_country,
    pick_acled_event,
    place_named,
)
from eventwire.evaluate.metrics import Rate, haversine_km
from eventwire.helpers import parse_date
from eventwire.model import Event

NONE = "NONE"
WITHIN_KM = 161.0


@dataclass(slots=True)
class ConflictScores:
    """The measures of one group of reports (all, or one style)."""

    documents: int = 0
    acled_type: Rate = field(default_factory=Rate)
    sub_type: Rate = field(default_factory=Rate)
    with_acled_event: Rate = field(default_factory=Rate)
    dead_exact: Rate = field(default_factory=Rate)
    dead_exact_where_event: Rate = field(default_factory=Rate)
    date_exact: Rate = field(default_factory=Rate)
    date_exact_where_event: Rate = field(default_factory=Rate)
    country: Rate = field(default_factory=Rate)
    place_named: Rate = field(default_factory=Rate)
    within_161km: Rate = field(default_factory=Rate)
    within_161km_place: Rate = field(default_factory=Rate)
    gold_located: Counter[str] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "acled_type_accuracy": self.acled_type.to_dict(),
            "sub_type_accuracy": self.sub_type.to_dict(),
            "with_acled_event": self.with_acled_event.to_dict(),
            "dead_exact": self.dead_exact.to_dict(),
            "dead_exact_where_event": self.dead_exact_where_event.to_dict(),
            "date_exact": self.date_exact.to_dict(),
            "date_exact_where_event": self.date_exact_where_event.to_dict(),
            "country": self.country.to_dict(),
            "place_named": self.place_named.to_dict(),
            "within_161km": self.within_161km.to_dict(),
            "within_161km_place": self.within_161km_place.to_dict(),
            "gold_located": {k: self.gold_located[k] for k in ("place", "admin2", "admin1", "none")},
        }


@dataclass(slots=True)
class ConflictReport:
    overall: ConflictScores = field(default_factory=ConflictScores)
    by_style: dict[str, ConflictScores] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    sub_type_confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def documents(self) -> int:
        return self.overall.documents

    def labels(self) -> list[str]:
        gold = sorted({g for g, _ in self.confusion})
        extra = sorted({p for _, p in self.confusion} - set(gold) - {NONE})
        return gold + extra + ([NONE] if any(p == NONE for _, p in self.confusion) else [])

    def to_dict(self) -> dict[str, Any]:
        labels = self.labels()
        return {
            "evaluator": "conflict_reports",
            **self.overall.to_dict(),
            "by_style": {k: v.to_dict() for k, v in sorted(self.by_style.items())},
            "confusion": {
                g: {p: self.confusion[(g, p)] for p in labels if self.confusion[(g, p)]}
                for g in labels
                if any(self.confusion[(g, p)] for p in labels)
            },
            "sub_type_confusion": {
                f"{g}>{p}": n for (g, p), n in sorted(self.sub_type_confusion.items()) if g != p
            },
        }


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _norm(value: object) -> str | None:
    """ACLED strings compared without case and spacing differences."""
    return " ".join(value.casefold().split()) or None if isinstance(value, str) else None


def _same(pred: object, gold: object) -> bool:
    return _norm(gold) is not None and _norm(pred) == _norm(gold)


def _event_point(ev: Event | None) -> tuple[float, float] | None:
    loc = ev.event_loc if ev is not None else None
    if loc is None:
        return None
    lat, lon = loc.lat, loc.lon
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return float(lat), float(lon)
    return None


def _score(
    s: ConflictScores, rec: ConflictGold, ev: Event | None, located: tuple[str, float, float] | None
) -> None:
    s.documents += 1
    s.with_acled_event.add(ev is not None)
    s.acled_type.add(ev is not None and _same(ev.acled_event_type, rec.get("event_type")))
    s.sub_type.add(ev is not None and _same(ev.acled_sub_event_type, rec.get("sub_event_type")))
    fatalities = rec.get("fatalities")
    if isinstance(fatalities, int) and not isinstance(fatalities, bool):
        n = (dead(ev) if ev is not None else None) or 0
        s.dead_exact.add(n == fatalities)
        if ev is not None:
            s.dead_exact_where_event.add(n == fatalities)
    if rec.get("date_stated_day") is True:
        stated = rec.get("event_date")
        gday = parse_date(stated) if isinstance(stated, str) else None
        if gday is not None:
            s.date_exact.add(ev is not None and event_date(ev) == gday)
            if ev is not None:
                s.date_exact_where_event.add(event_date(ev) == gday)
    country = _text(rec.get("country_iso3"))
    if country is not None:
        s.country.add(loc_country(ev) == country)
    if _text(rec.get("location")) is not None:
        s.place_named.add(place_named(rec.get("location"), ev))
    s.gold_located[located[0] if located else "none"] += 1
    if located is not None:
        point = _event_point(ev)
        near = point is not None and haversine_km(located[1], located[2], *point) <= WITHIN_KM
        s.within_161km.add(near)
        if located[0] == "place":
            s.within_161km_place.add(near)


def locate_gold(records: Sequence[ConflictGold]) -> dict[str, tuple[str, float, float]]:
    """Gold places by ``doc_id``: (level, lat, lon) through the gazetteer's chain (a proxy)."""
    from eventwire.geo import load_gazetteer, locate_fields

    gaz = load_gazetteer()
    out: dict[str, tuple[str, float, float]] = {}
    for rec in records:
        found = locate_fields(gaz, _text(rec.get("location")), _text(rec.get("admin2")),
                              _text(rec.get("admin1")), _text(rec.get("country_iso3")))
        if found is not None and found.place.lat is not None and found.place.lon is not None:
            out[str(rec.get("doc_id"))] = (found.level, found.place.lat, found.place.lon)
    return out


def evaluate_conflict(
    gold_records: Sequence[ConflictGold], predictions: Mapping[str, Sequence[Event]]
) -> ConflictReport:
    """Score the output event of each report against its ACLED-style gold record."""
    report = ConflictReport()
    # output strings are shown in the gold's spelling where they only differ in case or spacing
    spelling = {
        _norm(rec.get(key)): str(rec.get(key)).strip()
        for rec in gold_records
        for key in ("event_type", "sub_event_type")
        if _norm(rec.get(key)) is not None
    }

    def shown(value: object) -> str:
        key = _norm(value)
        return NONE if key is None else spelling.get(key, str(value).strip())

    located = locate_gold(gold_records)
    for rec in gold_records:
        ev = pick_acled_event(predictions.get(str(rec.get("doc_id")), []))
        style = _text(rec.get("style")) or "-"
        where = located.get(str(rec.get("doc_id")))
        _score(report.overall, rec, ev, where)
        _score(report.by_style.setdefault(style, ConflictScores()), rec, ev, where)
        pred_type = shown(ev.acled_event_type) if ev else NONE
        pred_sub = shown(ev.acled_sub_event_type) if ev else NONE
        report.confusion[(shown(rec.get("event_type")), pred_type)] += 1
        report.sub_type_confusion[(shown(rec.get("sub_event_type")), pred_sub)] += 1
    return report
