from __future__ import annotations

import pytest

from eventwire.geo import Geoparser, haversine_km
from eventwire.model import Dateline, Document
from support.shared import shared_path


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser()


def _parse(geo, nlp, text, dateline=None):
    d = Document(id="t", text=text, dateline=dateline)
    doc = nlp(text)
    return d, doc, geo.geoparse(d, doc)


def _place(topos, text):
    hits = [t.place for t in topos if t.mention.text == text and t.place is not None]
    assert hits, f"{text!r} not found in {[t.mention.text for t in topos]}"
    return hits[0]


def test_georgia_by_context(geo, nlp):
    _, _, us = _parse(geo, nlp, "Voters lined up in Atlanta and Savannah as Georgia held its primary election.")
    assert _place(us, "Georgia").country_code == "USA"
    _, _, ge = _parse(geo, nlp, "Russian troops moved closer to Tbilisi, the capital of Georgia, officials said.")
    assert _place(ge, "Georgia").country_code == "GEO"


def test_tripoli_by_context(geo, nlp):
    _, _, ly = _parse(geo, nlp, "Fighting broke out in Tripoli, where rival Libyan militias clashed near Misrata road.")
    assert _place(ly, "Tripoli").country_code == "LBY"
    _, _, lb = _parse(geo, nlp, "Clashes in Tripoli killed two people, Lebanese officials in Beirut said.")
    assert _place(lb, "Tripoli").country_code == "LBN"


def test_kirkuk_governorate_is_the_province(geo, nlp):
    _, _, tops = _parse(geo, nlp, "Militants attacked a village in Kirkuk Governorate on Sunday.")
    p = _place(tops, "Kirkuk Governorate")
    assert p.feature_code == "ADM1" and p.resolution == 2 and p.country_code == "IRQ"
    _, _, city = _parse(geo, nlp, "A car bomb exploded in Kirkuk on Sunday.")
    assert _place(city, "Kirkuk").resolution == 4


def test_countries_never_resolve_to_towns_or_buildings(geo, nlp):
    _, _, tops = _parse(geo, nlp, "China and Jordan signed a trade deal in Lebanon.")
    for name in ("China", "Jordan", "Lebanon"):
        assert _place(tops, name).resolution == 1


def test_person_names_are_not_places(geo, nlp):
    _, _, tops = _parse(geo, nlp, "Pompeo spoke with Adil Abdul-Mahdi about Jackson Smith's visit.")
    assert [t.mention.text for t in tops if t.place] == []


def test_resolve_name_and_country_place(geo):
    assert geo.resolve_name("Tripoli", country_hint=["LBN"]).country_code == "LBN"
    assert geo.country_place("IRQ").resolution == 1
    assert geo.country_place("XXX") is None


def test_dateline(geo):
    text = "ERBIL, Kurdistan Region – Officials said on Monday."
    d = Document(id="d", text=text, dateline=Dateline("ERBIL", 0, 5, region="Kurdistan Region"))
    p = geo.resolve_dateline(d)
    assert p is not None and p.name == "Erbil" and p.resolution == 4


@pytest.fixture(scope="module")
def seed(geo, nlp):
    text = shared_path("seed", "article.txt").read_text(encoding="utf-8")
    start = text.index("ERBIL")
    d = Document(id="seed", text=text, dateline=Dateline("ERBIL", start, start + 5, region="Kurdistan Region"))
    doc = nlp(text)
    return d, doc, geo.geoparse(d, doc)


@pytest.mark.parametrize("name,lat,lon", [("Babil", 32.47, 44.42), ("Karbala", 32.62, 44.02),
                                          ("Taji", 33.52, 44.26), ("Al Qaim", 34.37, 41.09)])
def test_seed_places(seed, name, lat, lon):
    _, _, tops = seed
    p = next(t.place for t in tops if name in t.mention.text and t.place)
    assert p.country_code == "IRQ" and haversine_km(p.lat, p.lon, lat, lon) < 50


def test_seed_dateline_is_erbil(seed, geo):
    d, _, tops = seed
    assert geo.resolve_dateline(d).name == "Erbil"
    assert any(t.mention.label == "DATELINE" and t.place.name == "Erbil" for t in tops)


def _tok(doc, word, after=0):
    return next(t for t in doc if t.text == word and t.idx >= after)


def test_event_location_of_the_taji_attack(seed, geo):
    d, doc, tops = seed
    s = d.text.index("US warplanes launched")
    strikes, attack = _tok(doc, "strikes", s), _tok(doc, "attack", s)
    loc = geo.event_location(doc, attack, tops, other_triggers=[strikes])
    assert loc is not None and loc.extracted_place == "Taji" and loc.resolution == 4
    assert loc.province == "Baghdad"
    # Taji is the attack's place, not the strike's
    strike_loc = geo.event_location(doc, strikes, tops, other_triggers=[attack], fallback_countries=["IRQ"])
    assert strike_loc is not None and strike_loc.resolution == 1


def test_event_location_fronted_and_prepositional(seed, geo):
    d, doc, tops = seed
    killed = _tok(doc, "killed", d.text.index("Meanwhile in Karbala"))
    assert geo.event_location(doc, killed, tops).extracted_place == "Karbala"
    killed = _tok(doc, "killed", d.text.index("Three Iraqi soldiers"))
    loc = geo.event_location(doc, killed, tops)
    assert loc.extracted_place == "Babil" and loc.resolution == 2


def test_event_location_country_fallback_and_none(geo, nlp):
    text = "Iran fired missiles at bases hosting US forces."
    _d, doc, tops = _parse(geo, nlp, text)
    fired = _tok(doc, "fired")
    loc = geo.event_location(doc, fired, tops, fallback_countries=["IRQ"])
    assert loc.country_code == "IRQ" and loc.resolution == 1
    assert geo.event_location(doc, fired, tops) is None


def test_demonym_capital_is_the_capital_city(geo, nlp):
    _, _, tops = _parse(geo, nlp, "A wave of bombings killed 40 people in the Iraqi capital on Sunday.")
    assert _place(tops, "Iraqi capital").name == "Baghdad"
    _, _, tops = _parse(geo, nlp, "Kenya's capital was calm on Monday.")
    assert _place(tops, "Kenya's capital").name == "Nairobi"
