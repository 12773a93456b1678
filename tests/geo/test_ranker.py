"""The toponym ranker: labels the text settles by itself, persons that look like places, "none of
these", and the weights file.  Sentences written for these tests, from many countries."""

from __future__ import annotations

import json
import math

import pytest

from eventwire.geo import Geoparser
from eventwire.geo.ranker import FEATURES, HAND_WEIGHTS, NONE_FEATURES, WEIGHTS, Ranker
from eventwire.model import Document


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser()


def _examples(geo, nlp, text):
    return geo.labelled_examples(Document(id="t", text=text), nlp(text))


def test_a_place_named_with_its_province_is_a_label_with_the_province_hidden(geo, nlp):
    text = "Storms flattened barns outside Paris, Texas, and the mayor of Paris asked for help."
    exs = _examples(geo, nlp, text)
    places = [e for e in exs if e.kind == "place"]
    assert len(places) == 2  # the settled mention and, one sense per discourse, the later one
    for e in places:
        assert 0 <= e.gold < len(e.rows) and len(e.rows) >= 2
        assert len(e.none_row) == len(NONE_FEATURES) and all(len(r) == len(FEATURES) for r in e.rows)
    # "Texas" settles it and is hidden: no example is made for it, and none holds a US province
    holds = FEATURES.index("holds_places")
    assert not any(e.kind == "area" for e in exs) and all(r[holds] == 0.0 for e in places for r in e.rows)


@pytest.mark.parametrize("text,kind", [
    ("Tamale, a town in the Northern Region of Ghana, was calm on Monday.", "place"),
    ("The Jordanian town of Ramtha was shelled overnight.", "place"),
    ("Fighting spread to Molo, Nakuru district, on Monday.", "place"),
    ("Gunmen raided Kipsoen village on Monday.", None),  # nothing settles it, and no candidates
])
def test_settled_by_the_words_around_it(geo, nlp, text, kind):
    kinds = {e.kind for e in _examples(geo, nlp, text)}
    assert (kind in kinds) if kind else ("place" not in kinds)


def test_persons_are_none_labels(geo, nlp):
    text = ("Senator Paul Kirby visited the flood zone. Kirby said the dam at Hope would hold. "
            "President Lincoln's statue stood nearby.")
    exs = _examples(geo, nlp, text)
    persons = [e for e in exs if e.kind == "person"]
    assert persons and all(e.gold == len(e.rows) for e in persons)


@pytest.mark.parametrize("text,person", [
    ("Mr Jordan said the talks in Amman had gone well.", "Jordan"),
    ("After Dana Houston spoke, Houston told reporters the vote was close.", "Houston"),
    ("Gen. Victoria ordered troops to the border.", "Victoria"),
])
def test_a_person_named_like_a_place_is_not_a_place(geo, nlp, text, person):
    tops = geo.geoparse(Document(id="t", text=text), nlp(text))
    assert not any(t.mention.text == person and t.place is not None for t in tops), tops


def test_a_person_rule_yields_to_words_that_settle_a_place(geo, nlp):
    text = "Mayor Paris said Paris, Texas, would rebuild."
    tops = geo.geoparse(Document(id="t", text=text), nlp(text))
    assert any(t.mention.text == "Paris" and t.place is not None and t.place.country_code == "USA" for t in tops)


def test_weights_file_says_which_scoring_is_used_and_why():
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    assert data["selected"] in ("learned", "hand")
    model = data["learned"]
    assert model["features"] == list(FEATURES) and model["none_features"] == list(NONE_FEATURES)
    assert "geovirus" not in json.dumps(data["derived_from"]).lower()
    training = data["training"]
    assert sum(training["labels"].values()) >= 1000
    assert training["held_out_learned"]["all"]["of"] >= 200
    check = data["geovirus_check"]
    assert check is not None and check["weights"] == model["weights"]
    beats = (data["learned_beats_hand_on_held_out"] and check["learned_beats_hand"])
    assert data["selected"] == ("learned" if beats else "hand")
    assert Ranker.load().kind == data["selected"]


def test_hand_scoring_never_says_none():
    hand = Ranker.hand()
    assert hand.none_score([1.0] * len(NONE_FEATURES)) == -math.inf
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("is_country")] = 1.0
    assert hand.score(x) == HAND_WEIGHTS["is_country"]


def test_learned_scoring_prefers_big_places_in_the_story_and_doubts_persons():
    r = Ranker.learned()
    base = [0.0] * len(FEATURES)
    big = list(base)
    big[FEATURES.index("log_pop")] = 6 / 7
    big[FEATURES.index("town_log_pop")] = 6 / 7
    home = list(base)
    home[FEATURES.index("country_share")] = 1.0
    assert r.score(big) > r.score(base) and r.score(home) > r.score(base)
    z = [0.0] * len(NONE_FEATURES)
    z[NONE_FEATURES.index("none_bias")] = 1.0
    person = list(z)
    person[NONE_FEATURES.index("none_person")] = 1.0
    assert r.none_score(person) > r.none_score(z)
