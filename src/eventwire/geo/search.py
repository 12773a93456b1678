"""Places by name, for a person: the gazetteer's candidates for a name a reviewer types ("Taji",
"Baghdad, Iraq", "Camp Taji, IRQ"), most likely first, as PLOVER ``event_loc`` objects."""

from __future__ import annotations

from typing import Any

from eventwire.geo.gazetteer import Gazetteer, load_gazetteer
from eventwire.model import EventLocation, Place, PloverPlace

# feature classes in the order a person usually means them: towns, admin units, the rest
_CLASS_ORDER = {"P": 0, "A": 1, "S": 2, "L": 3, "T": 4, "H": 5, "V": 6, "R": 7, "U": 8}


def _country_code(text: str) -> str | None:
    import pycountry

    try:
        return str(pycountry.countries.lookup(text.strip()).alpha_3)
    except LookupError:
        return None


def find_places(query: str, country: str | None = None, limit: int = 10, gazetteer: Gazetteer | None = None) -> list[Place]:
    """Places called ``query``, most likely first: those in ``country`` (alpha-3, or named after
    a comma: "Taji, Iraq") first, then towns before admin units before other features, then by
    population.  Empty when the gazetteer knows no such name."""
    gaz = gazetteer or load_gazetteer()
    name = " ".join(query.split())
    if "," in name:
        head, _, tail = name.rpartition(",")
        cc = _country_code(tail)
        if cc is not None and head.strip():
            name, country = head.strip(), cc
    if not name or len(name) > 200:
        return []
    seen: set[Any] = set()
    places: list[Place] = []
    for i in gaz.lookup(name):
        p = gaz.place(i)
        key = p.geonameid if p.geonameid is not None else (p.name, p.country_code, p.lat, p.lon)
        if key in seen:
            continue
        seen.add(key)
        places.append(p)
    places.sort(key=lambda p: (
        0 if country and p.country_code == country else 1,
        _CLASS_ORDER.get(p.feature_class or "", 9),
        -(p.population or 0),
        p.name,
    ))  # fmt: skip
    return places[: max(1, limit)]


def event_location(place: Place, extracted: str | None = None) -> PloverPlace:
    """The PLOVER ``event_loc`` object of ``place``."""
    return EventLocation.from_place(extracted or place.name, place).to_plover()
