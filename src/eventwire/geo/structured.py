"""Places given as fields, not text: a place name with its second- and first-order admin units
and its country, the way ACLED-style event records and gazetteer exports write them
("Mauche | Njoro | Nakuru | KEN").

``locate_fields`` resolves such a record through the gazetteer's chain: the place by its name
inside the country, preferring the candidate whose province and district are the ones named,
else the candidate nearest the named unit; when the place itself is not in the gazetteer, the
named district, then the named province, stand for it (``Located.level`` says which).
"""

from __future__ import annotations

from dataclasses import dataclass

from eventwire.geo.gazetteer import Gazetteer
from eventwire.geo.normalize import admin_key, name_key
from eventwire.helpers import haversine_km
from eventwire.model import Place

NEAR_UNIT_KM = 150.0


@dataclass(slots=True, frozen=True)
class Located:
    """Where a structured place record lies: the gazetteer place and the level it was found at
    (``place``: the named place itself; ``admin2`` / ``admin1``: only its district or province)."""

    place: Place
    level: str


def _units(gaz: Gazetteer, name: str | None, country: str | None, level: str) -> list[int]:
    """Admin units of ``country`` called ``name`` at ``level`` (ADM1 or ADM2), by any alias."""
    if not name or not name.strip():
        return []
    ids = set(gaz.ids(admin_key(name))) | set(gaz.ids(name_key(name)))
    out = [i for i in ids if gaz.fcode[i] == level and (country is None or gaz.cc[i] == country)]
    return sorted(out, key=lambda i: -gaz.pop[i])


def _in_country(gaz: Gazetteer, name: str, country: str | None) -> list[int]:
    ids = set(gaz.lookup(name)) | set(gaz.ids(admin_key(name)))
    return [i for i in ids if (country is None or gaz.cc[i] == country) and not gaz.is_country(i)
            and gaz.lat[i] == gaz.lat[i]]


def locate_fields(
    gaz: Gazetteer,
    location: str | None,
    admin2: str | None = None,
    admin1: str | None = None,
    country: str | None = None,
) -> Located | None:
    """The gazetteer place of a record ``location`` / ``admin2`` / ``admin1`` / ``country``
    (ISO alpha-3), or None when neither it nor its admin units can be found."""
    country = country.upper() if country else None
    # a record's first-order unit may be filed a level lower by GeoNames (Uganda's districts)
    prov_units = _units(gaz, admin1, country, "ADM1") or _units(gaz, admin1, country, "ADM2")
    dist_units = _units(gaz, admin2, country, "ADM2")
    prov_names = {admin_key(gaz.names[u]) for u in prov_units} | ({admin_key(admin1)} if admin1 else set())
    dist_names = {admin_key(gaz.names[u]) for u in dist_units} | ({admin_key(admin2)} if admin2 else set())
    prov_names.discard("")
    dist_names.discard("")
    if location and location.strip():
        cands = _in_country(gaz, location, country)
        if cands:

            def inside(i: int) -> int:
                """How many of the named units hold it (a unit does not hold itself)."""
                dist = gaz.district[i] if gaz.fcode[i] != "ADM2" else ""
                prov = gaz.prov[i] if gaz.fcode[i] != "ADM1" else ""
                return 2 * (admin_key(dist) in dist_names) + (admin_key(prov) in prov_names)

            def own(i: int) -> bool:
                """A unit named as the record names its unit ("Buenos Aires | Buenos Aires")."""
                return gaz.fclass[i] == "A" and admin_key(gaz.names[i]) in dist_names | prov_names

            # the place itself before a unit of its name, a populated place before a unit
            best = max(cands, key=lambda i: (inside(i) > 0, gaz.fclass[i] == "P", own(i), inside(i), gaz.pop[i]))
            towns = [i for i in cands if gaz.fclass[i] == "P"]
            if inside(best) > 0 or own(best) or not (prov_units or dist_units) or towns == [best]:
                # (the country's only populated place of that name is the one meant)
                return Located(gaz.place(best), "place")
            # named under units the gazetteer files it differently: the candidate nearest them
            unit = (dist_units or prov_units)[0]
            near = min(cands, key=lambda i: (  # a populated place before a unit, within reach
                haversine_km(gaz.lat[i], gaz.lon[i], gaz.lat[unit], gaz.lon[unit]) > NEAR_UNIT_KM,
                gaz.fclass[i] != "P", haversine_km(gaz.lat[i], gaz.lon[i], gaz.lat[unit], gaz.lon[unit])))
            if haversine_km(gaz.lat[near], gaz.lon[near], gaz.lat[unit], gaz.lon[unit]) <= NEAR_UNIT_KM:
                return Located(gaz.place(near), "place")
    for level, name, units in (("admin2", admin2, dist_units), ("admin1", admin1, prov_units)):
        if units:
            return Located(gaz.place(units[0]), level)
        if name and name.strip() and level == "admin2":
            # a division named after its town ("Njoro division"): the town in the named province
            towns = [i for i in _in_country(gaz, name, country) if gaz.fclass[i] == "P"]
            if prov_names:
                towns = [i for i in towns if admin_key(gaz.prov[i]) in prov_names]
            if towns:
                return Located(gaz.place(max(towns, key=lambda i: gaz.pop[i])), level)
    return None
