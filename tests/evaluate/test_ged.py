from __future__ import annotations

from datetime import date

import pytest

from eventwire.evaluate import DocInfo, choose_event, evaluate_ged
from eventwire.evaluate.ged import gold_countries
from support.eval_testdata import pred, typed


def gold(doc_id, lat, lon, start, end, low, best, where_prec=1, adm_1=""):
    return {"doc_id": doc_id, "latitude": lat, "longitude": lon, "date_start": start,
            "date_end": end, "where_prec": where_prec, "adm_1": adm_1, "low": low,
            "best": best, "high": best}


# Points near Mosul and Basra (Iraq), checked against the country of the nearest town.
GOLD = [
    gold("g1", 36.34, 43.13, "2015-03-01", "2015-03-02", 3, 4),
    gold("g2", 30.51, 47.78, "2015-04-10", "2015-04-10", 0, 0, where_prec=4),
]
DOCS = [DocInfo("g1", date(2015, 3, 2)), DocInfo("g2", date(2015, 4, 12))]


def test_perfect_ged_predictions():
    preds = {
        "g1": [pred("g1", "ASSAULT", date="2015-03-01", dead=3,
                    event_loc={"lat": 36.34, "lon": 43.13, "country_code": "IRQ"})],
        "g2": [pred("g2", "ASSAULT", date="2015-04-10",
                    event_loc={"lat": 30.51, "lon": 47.78, "country_code": "IRQ"})],
    }
    d = evaluate_ged(GOLD, typed(preds), DOCS).to_dict()
    assert d["location"]["within_25_km"]["rate"] == 1.0
    assert d["location"]["median_error_km"] == 0.0
    assert d["location_precise"]["within_25_km"]["total"] == 1
    assert d["country"]["rate"] == 1.0
    assert d["date_in_window"]["rate"] == 1.0
    assert d["date_publication_baseline"]["hits"] == 1
    assert d["dead_low"]["rate"] == 1.0 and d["dead_best"]["hits"] == 1  # None counts as 0
    assert d["event_found"]["rate"] == 1.0


def test_empty_ged_predictions():
    d = evaluate_ged(GOLD, typed({}), DOCS).to_dict()
    assert d["event_found"]["hits"] == 0
    assert d["location"]["within_161_km"]["hits"] == 0 and d["location"]["median_error_km"] is None
    assert d["country"]["hits"] == 0 and d["date_in_window"]["hits"] == 0
    assert d["dead_low"]["hits"] == 1  # gold low 0 and nothing output


def test_distance_thresholds_and_wrong_country():
    # about 100 km north of the gold point, in the wrong country by prediction
    preds = {"g1": [pred("g1", "ASSAULT", date="2015-02-20",
                         event_loc={"lat": 37.24, "lon": 43.13, "country_code": "TUR"})]}
    d = evaluate_ged(GOLD[:1], typed(preds), DOCS).to_dict()
    assert d["location"]["within_50_km"]["hits"] == 0
    assert d["location"]["within_161_km"]["hits"] == 1
    assert d["location"]["median_error_km"] == pytest.approx(100.1, abs=0.5)
    assert d["country"]["hits"] == 0 and d["date_in_window"]["hits"] == 0


def test_choose_event_prefers_located_assault():
    a = typed(pred("x", "ACCUSE", event_loc={"lat": 1.0, "lon": 1.0, "country_code": "IRQ"}))
    b = typed(pred("x", "ASSAULT"))
    c = typed(pred("x", "ASSAULT", event_loc={"lat": 1.0, "lon": 1.0, "country_code": "IRQ"}))
    assert choose_event([a, b, c]) is c
    assert choose_event([a, b]) is b
    assert choose_event([]) is None


def test_gold_country_from_admin1_and_explicit_code():
    assert gold_countries({"latitude": 36.34, "longitude": 43.13, "adm_1": "Nīnawá province"}) == {"IRQ"}
    assert gold_countries({"latitude": 48.86, "longitude": 2.35}) == {"FRA"}
    assert gold_countries({"country_code": "SYR", "latitude": 0, "longitude": 0}) == {"SYR"}


def test_date_slack_of_one_day():
    preds = {"g1": [pred("g1", "ASSAULT", date="2015-03-03")]}
    d = evaluate_ged(GOLD[:1], typed(preds), [DocInfo("g1", date(2015, 3, 4))]).to_dict()
    assert d["date_in_window"]["hits"] == 0 and d["date_within_1_day"]["hits"] == 1
    assert d["date_publication_baseline_1_day"]["hits"] == 0
