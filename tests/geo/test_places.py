"""Toponym resolution through chains and cues, the event's own place and the document's focus:
sentences written for these tests, from many countries."""

from __future__ import annotations

import pytest

from eventwire.geo import Geoparser, document_focus, haversine_km
from eventwire.model import Dateline, Document


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser()


def _parse(geo, nlp, text, dateline=None):
    d = Document(id="t", text=text, dateline=dateline)
    doc = nlp(text)
    return d, doc, geo.geoparse(d, doc)


def _place(topos, text):
    hits = [t.place for t in topos if t.mention.text.startswith(text) and t.place is not None]
    assert hits, f"{text!r} not resolved in {[(t.mention.text, t.place) for t in topos]}"
    return hits[0]


@pytest.mark.parametrize("text,name,cc,province", [
    ("The storm flattened barns outside Paris, Texas, late on Sunday.", "Paris", "USA", "Texas"),
    ("Police in Springfield, Illinois, arrested three men on Friday.", "Springfield", "USA", "Illinois"),
    ("Rebels ambushed a convoy near Tripoli, Lebanon, on Monday.", "Tripoli", "LBN", None),
    ("A market fire gutted stalls in Hyderabad, Pakistan, overnight.", "Hyderabad", "PAK", None),
    ("Farmers blocked roads around Cordoba, Argentina, to protest export taxes.", "Cordoba", "ARG", None),
])
def test_place_named_with_its_country_or_province(geo, nlp, text, name, cc, province):
    _, _, tops = _parse(geo, nlp, text)
    p = _place(tops, name)
    assert p.country_code == cc and p.resolution == 4
    if province:
        assert p.province == province


@pytest.mark.parametrize("text,name,cc", [
    ("Shelling hit the Syrian city of Homs on Tuesday.", "Homs", "SYR"),
    ("Troops entered the Libyan town of Tripoli after a week of fighting.", "Tripoli", "LBY"),
    ("Floods cut roads in Kenya's Turkana County.", "Turkana County", "KEN"),
])
def test_country_named_before_the_place(geo, nlp, text, name, cc):
    _, _, tops = _parse(geo, nlp, text)
    assert _place(tops, name).country_code == cc


def test_town_cue_prefers_the_town_to_the_district(geo, nlp):
    _, _, tops = _parse(geo, nlp, "Gunmen stormed a checkpoint in the town of Muqdadiya on Monday.")
    p = _place(tops, "Muqdadiya")
    assert p.feature_class == "P" and p.country_code == "IRQ"


def test_rivers_lakes_and_regions_resolve_to_features(geo, nlp):
    _, _, tops = _parse(geo, nlp, "Barges were stranded on the Mississippi River as Lake Chad shrank and the Sahel dried.")
    river = _place(tops, "Mississippi River")
    assert river.feature_code == "STM" and river.country_code == "USA"
    assert _place(tops, "Lake Chad").feature_code == "LK"


def _tok(doc, word, after=0):
    return next(t for t in doc if t.text == word and t.idx >= after)


@pytest.mark.parametrize("text,trigger,where", [
    ("Protesters in Lahore marched towards Islamabad on Friday.", "marched", "Lahore"),
    ("Demonstrators gathered in Nairobi and marched to Mombasa Road.", "gathered", "Nairobi"),
    ("Thousands fled from Goma to Gisenyi as the fighting spread.", "fled", "Goma"),
    ("A rocket fired from Gaza hit Ashkelon on Tuesday.", "hit", "Ashkelon"),
])
def test_event_place_is_where_it_happened(geo, nlp, text, trigger, where):
    _, doc, tops = _parse(geo, nlp, text)
    loc = geo.event_location(doc, _tok(doc, trigger), tops)
    assert loc is not None and loc.extracted_place == where, loc


def test_village_with_its_division_and_district(geo, nlp):
    text = "Militiamen killed four herders in Karamoja village, Moroto district, Uganda, on Sunday."
    _, doc, tops = _parse(geo, nlp, text)
    loc = geo.event_location(doc, _tok(doc, "killed"), tops)
    assert loc is not None and loc.country_code == "UGA" and loc.resolution >= 3
    assert haversine_km(loc.lat, loc.lon, 2.53, 34.66) < 100


def test_country_fallback_only_when_nothing_better(geo, nlp):
    _, doc, tops = _parse(geo, nlp, "Soldiers shot dead two smugglers in Kasese on Monday.")
    loc = geo.event_location(doc, _tok(doc, "shot"), tops, fallback_countries=["COD"])
    assert loc.resolution == 4 and loc.country_code == "UGA"


def test_focus_is_where_the_story_happens_not_the_bureau(geo, nlp):
    text = ("BEIRUT (Reuters) - Government aircraft bombed Idlib and Maarat al-Numan on Sunday, "
            "residents said, and shelling hit villages near Hama.")
    dl = Dateline("BEIRUT", 0, 6)
    _, _, tops = _parse(geo, nlp, text, dateline=dl)
    focus = document_focus(tops, (dl.start, dl.end))
    assert focus.country == "SYR"
    # with nothing but the dateline, the dateline's country is all there is
    _, _, tops = _parse(geo, nlp, "NAIROBI (Reuters) - Police fired tear gas at protesters.", dateline=Dateline("NAIROBI", 0, 7))
    assert document_focus(tops, (0, 7)).country == "KEN"


def test_focus_province(geo, nlp):
    _, _, tops = _parse(geo, nlp, "Clashes broke out in Mosul and Tal Afar, and later near Sinjar, officials said.")
    f = document_focus(tops)
    assert f.country == "IRQ" and f.province
