"""Places named with the areas they lie in, places outside the gazetteer, names inside longer names,
and the place of a short report: sentences written for these tests, from many countries."""

from __future__ import annotations

import pytest

from eventwire.geo import Geoparser, haversine_km, load_gazetteer, locate_fields
from eventwire.model import Document


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser()


def _tops(geo, nlp, text):
    return geo.geoparse(Document(id="t", text=text), nlp(text))


def _top(tops, text):
    hits = [t for t in tops if t.mention.text.startswith(text)]
    assert hits, f"{text!r} not found in {[(t.mention.text, t.place and t.place.name) for t in tops]}"
    return hits[0]


@pytest.mark.parametrize("text,name,cc,area,resolution", [
    # a village the gazetteer lacks stands at its division or district ...
    ("Raiders torched huts in Kipsoen village, Molo division, Nakuru district, on Tuesday.",
     "Kipsoen", "KEN", "Molo", 3),
    # ... the newer style's "X (district, province)"
    ("Gunmen abducted 40 villagers from Tunkubaru (Tsafe, Zamfara) overnight.", "Tunkubaru", "NGA", "Tsafe", 3),
    ("Soldiers burned Zeegonbin village (Pakokku, Magway) after residents fled.", "Zeegonbin", "MMR", "Pakokku", 3),
    ("A drone struck a camp near Tindiguel (Douentza, Mopti).", "Tindiguel", "MLI", "Douentza", 3),
    ("Rebels overran Lalogi, Omoro district, Uganda.", "Lalogi", "UGA", "Omoro", 3),
    # only a province known: a province's precision
    ("Insurgents attacked Nangade town (Nangadi, Cabo Delgado) at dawn.", "Nangade", "MOZ", "Cabo Delgado", 2),
])
def test_place_outside_the_gazetteer_falls_back_to_its_area(geo, nlp, text, name, cc, area, resolution):
    t = _top(_tops(geo, nlp, text), name)
    assert t.place is not None and t.place.country_code == cc
    assert area.lower() in t.place.name.lower()
    assert t.precision == resolution and t.resolution == resolution


@pytest.mark.parametrize("text,name,cc", [
    # a name the gazetteer has elsewhere, named with areas it is not in: not that far-away place
    ("Herders clashed at Likoma, Njoro division, Nakuru district.", "Likoma", "KEN"),
    ("Police dispersed traders at Kibuye market, Kisumu, on Friday.", "Kibuye", "KEN"),
    ("Shops were burned in Palma town (Palma, Cabo Delgado).", "Palma", "MOZ"),
])
def test_homonym_abroad_gives_way_to_the_named_area(geo, nlp, text, name, cc):
    t = _top(_tops(geo, nlp, text), name)
    assert t.place is not None and t.place.country_code == cc


@pytest.mark.parametrize("text,name,cc,province", [
    ("A mob attacked a healer in San Luis (San Luis, Peten).", "San Luis", "GTM", None),
    ("Protesters marched in Buenos Aires (Buenos Aires, Buenos Aires) on Sunday.", "Buenos Aires", "ARG", None),
    ("Mobs attacked shops in Digana (Kandy, Central) on Monday.", "Kandy", "LKA", None),
    ("Gunmen killed two farmers in Kajuru (Kajuru, Kaduna).", "Kajuru", "NGA", "Kaduna"),
])
def test_chain_in_brackets_settles_the_country(geo, nlp, text, name, cc, province):
    t = _top(_tops(geo, nlp, text), name)
    assert t.place is not None and t.place.country_code == cc
    if province:
        assert t.place.province == province


def test_a_list_is_not_a_chain(geo, nlp):
    tops = _tops(geo, nlp, "Cases were reported in Greece, Bulgaria, Italy and Austria.")
    assert [t.place.country_code for t in tops if t.place] == ["GRC", "BGR", "ITA", "AUT"]
    tops = _tops(geo, nlp, "Outbreaks hit Arizona, Arkansas and Colorado this year.")
    assert [t.place.country_code for t in tops if t.place] == ["USA", "USA", "USA"]
    tops = _tops(geo, nlp, "He flew to Atlanta, Georgia, on Monday.")
    assert _top(tops, "Atlanta").place.country_code == "USA"


@pytest.mark.parametrize("text,whole,not_part", [
    ("Raiders struck Shika Adabu, Likoni division, Mombasa district.", "Shika Adabu", "Shika"),
    ("Fighting spread to Mo So village (Loikaw, Kayah).", "Mo So", "Mo"),
    ("Gunmen ambushed a bus near Archer's Post, Samburu district.", "Archer's Post", "Archer"),
])
def test_a_word_of_a_longer_name_is_not_a_place_by_itself(geo, nlp, text, whole, not_part):
    tops = _tops(geo, nlp, text)
    assert not any(t.mention.text == not_part for t in tops)
    t = _top(tops, whole)
    assert t.mention.text == whole and t.place is not None


def test_strong_names_inside_longer_names_stay(geo, nlp):
    tops = _tops(geo, nlp, "Officials of the California Department of Public Health met at Seoul City Hall.")
    assert _top(tops, "California").place.country_code == "USA"
    assert _top(tops, "Seoul").place.country_code == "KOR"


def test_gold_fields_are_located_through_the_chain():
    gaz = load_gazetteer()
    got = locate_fields(gaz, "Kajuru", "Kajuru", "Kaduna", "NGA")
    assert got is not None and got.level == "place" and got.place.country_code == "NGA"
    # a village the gazetteer lacks: its district's town, then its province
    got = locate_fields(gaz, "Kipsoen", "Molo", "Nakuru", "KEN")
    assert got is not None and got.level == "admin2" and "Molo" in got.place.name
    got = locate_fields(gaz, "Tunkubaru", None, "Zamfara", "NGA")
    assert got is not None and got.level == "admin1" and haversine_km(got.place.lat, got.place.lon, 12.1, 6.2) < 150
    assert locate_fields(gaz, "Nowhere-in-particular", None, None, "NGA") is None


@pytest.fixture(scope="module")
def pipe():
    from eventwire.pipeline import Pipeline

    return Pipeline()


@pytest.mark.parametrize("text,cc,near", [
    # the event's clause names no place; the report's place is where it happened
    ("On 3 May 2021, traders in Lira town, Lira district, marched to the district offices. "
     "Police fired tear gas to disperse them.", "UGA", (2.25, 32.9)),
    ("On 9 June 2019, elders meeting at Moyale town, Marsabit district, agreed to end the raids.",
     "KEN", (3.52, 39.05)),
    ("On 12 April 2022, soldiers burned Zeegonbin village (Pakokku, Magway). Nobody was hurt.",
     "MMR", (21.33, 95.08)),
    ("On 2 March 2020, protesters rallied in Cochabamba (Cercado, Cochabamba) against fuel prices.",
     "BOL", (-17.39, -66.16)),
])
def test_short_report_events_take_the_report_place(pipe, text, cc, near):
    res = pipe.process(Document(id="r", text=text))
    assert res.events
    for ev in res.events:
        loc = ev.event_loc
        assert loc is not None and loc.country_code == cc and (loc.resolution or 0) >= 3, loc
        assert haversine_km(loc.lat, loc.lon, *near) < 60


def test_report_origin_is_not_its_place(pipe):
    text = ("On 6 December 2021, farmers from Punjab and Haryana began a sit-in at Tikri (West, Delhi) "
            "against new farm laws.")
    res = pipe.process(Document(id="r", text=text))
    assert res.events
    assert all(ev.event_loc is not None and ev.event_loc.province != "Punjab" for ev in res.events)


@pytest.mark.parametrize("text,name,cc", [
    # a capital or a city of millions is not given up for an ambiguous chain after it
    ("Officers arrested an aide at his home in Caracas (Libertador, Capital District).", "Caracas", "VEN"),
    # a name found in many countries ("North") weighs less than the place named before it
    ("Residents of Bsharri (Bcharre, North) set fire to homes.", "Bsharri", "LBN"),
    ("Gunmen shot two traders in Mansehra (Mansehra, Khyber Pakhtunkhwa).", "Mansehra", "PAK"),
])
def test_chain_does_not_override_a_clear_place(geo, nlp, text, name, cc):
    t = _top(_tops(geo, nlp, text), name)
    assert t.place is not None and t.place.country_code == cc and t.resolution is None


def test_a_street_named_after_a_town_is_not_the_town(geo, nlp):
    tops = _tops(geo, nlp, "Protesters marched on Paulista Avenue in Sao Paulo (Sao Paulo, Sao Paulo).")
    assert not any(t.mention.text == "Paulista" for t in tops)
    assert _top(tops, "Sao Paulo").place.country_code == "BRA"


def test_gold_fields_prefer_the_town_to_the_unit_of_its_name():
    gaz = load_gazetteer()
    for record, code in [(("Buenos Aires", "Buenos Aires", "Buenos Aires", "ARG"), "PPLC"),
                         (("Kampala", None, "Kampala", "UGA"), "PPLC"),
                         (("Caracas", "Libertador", "Capital District", "VEN"), "PPLC")]:
        got = locate_fields(gaz, *record)
        assert got is not None and got.level == "place" and got.place.feature_code == code, record
