from __future__ import annotations

from eventwire.evaluate import evaluate_articles, matches
from support.eval_testdata import ent, pred, typed


def gev(key, event, required=True, date=None, actor=(), recipient=(), place=None, country=None,
        dead=None, acled=None):
    return {"key": key, "required": required, "event": event, "mode": [], "date": date,
            "actor": list(actor), "recipient": list(recipient), "place": place,
            "country_iso3": country, "dead": dead, "injured": None, "acled_event_type": acled,
            "acled_sub_event_type": None, "evidence": "..."}


def loc(place, country):
    return {"extracted_place": place, "resolved_place": place, "country_code": country}


RAID = gev("E1", "ASSAULT", date="2019-07-02", actor=[ent("gunmen", None, "UAF")],
           recipient=[ent("herders", "MLI", "CVL")], place="Doulo", country="MLI", dead=4,
           acled="Violence against civilians")
TALKS = gev("E2", "CONSULT", date="2019-07-03", actor=[ent("mediators", "IGO", "GOV")],
            recipient=[ent("government", "MLI", "GOV")])
RALLY = gev("E3", "PROTEST", required=False, place="Bamako", country="MLI")


def test_place_by_name_or_country():
    raid = pred("a1", "ASSAULT", [ent("attackers", None)], [ent("villagers", "MLI", "CVL")],
                date="2019-07-02", event_loc=loc("Doulo village", "MLI"))
    assert matches(RAID, typed(raid), place_by_name=True)
    # another place in the same country still matches: the gold has no coordinates
    assert matches(RAID, typed({**raid, "event_loc": loc("Mopti", "MLI")}), place_by_name=True)
    assert not matches(RAID, typed({**raid, "event_loc": loc("Djibo", "BFA")}), place_by_name=True)
    assert matches(RAID, typed({**raid, "event_loc": loc("Doulo", "BFA")}), place_by_name=True)  # by name
    assert not matches(RAID, typed({**raid, "recipient": []}), place_by_name=True)  # no country in common
    assert not matches(RAID, typed({**raid, "event_loc": None}), place_by_name=True)
    assert matches(RAID, typed({**raid, "event_loc": None}))  # the seed's rule: no place check without a point
    assert not matches(RAID, typed({**raid, "date": "2019-07-04"}), place_by_name=True)
    # no place, no country in the gold: no place check
    assert matches(TALKS, typed(pred("a1", "CONSULT", [ent("envoys", "IGO")], date="2019-07-03")), place_by_name=True)


def test_articles_add_up():
    golds = [
        {"doc_id": "a1", "publication_date": "2019-07-03", "events": [RAID, TALKS, RALLY]},
        {"doc_id": "a2", "publication_date": "2020-01-10", "events": [
            gev("E1", "COERCE", date="2020-01-09", actor=[ent("police", "SEN", "COP")], country="SEN",
                place="Dakar", dead=0)]},
        {"doc_id": "a3", "events": []},
    ]
    preds = {
        "a1": [
            pred("a1", "ASSAULT", [ent("gunmen", None)], [ent("herders", "MLI", "CVL")], id="p1",
                 date="2019-07-02", dead=4, event_loc=loc("Doulo", "MLI"),
                 acled_event_type="Violence against civilians"),
            pred("a1", "PROTEST", [], [], id="p2", event_loc=loc("Bamako", "MLI")),
            pred("a1", "THREATEN", [ent("junta", "MLI", "MIL")], id="p3"),
        ],
        "a2": [pred("a2", "COERCE", [ent("police", "SEN", "COP")], id="q1", date="2020-01-08",
                    event_loc=loc("Dakar", "SEN"))],
        "a3": [pred("a3", "AGREE", [ent("parties", "GIN")], id="r1")],
    }
    d = evaluate_articles(golds, typed(preds)).to_dict()
    assert d["evaluator"] == "articles" and d["documents"] == 3
    assert d["required_recall"] == {"hits": 2, "total": 3, "rate": 0.6667}
    assert d["acceptable_found"] == {"hits": 1, "total": 1, "rate": 1.0}
    assert d["precision"] == {"hits": 3, "total": 5, "rate": 0.6}  # p1, p2, q1 of 5 outputs
    assert d["dates_exact"] == {"hits": 1, "total": 3, "rate": 0.3333}  # E1 exact, q1 a day off, E2 unfound
    assert d["dead_exact"] == {"hits": 1, "total": 2, "rate": 0.5}  # 4 = 4; none != 0
    assert d["acled_exact"] == {"hits": 1, "total": 1, "rate": 1.0}
    per = {a["doc_id"]: a for a in d["articles"]}
    assert per["a1"]["required_missed"] == ["E2"] and per["a3"]["precision"] == 0.0
    assert per["a1"]["unmatched_outputs"] == ["p3 THREATEN"]


def test_article_without_predictions():
    d = evaluate_articles([{"doc_id": "z", "events": [RAID]}], typed({})).to_dict()
    assert d["required_recall"]["hits"] == 0 and d["precision"]["total"] == 0
    assert d["precision"]["rate"] is None


def test_places_exact_counts_required_events_whose_place_is_named():
    other = gev("E4", "ASSAULT", date="2019-07-05", recipient=[ent("soldiers", "MLI", "MIL")],
                place="Sevare", country="MLI")
    gold = {"doc_id": "a1", "events": [RAID, TALKS, RALLY, other]}
    raid = pred("a1", "ASSAULT", [ent("attackers", None)], [ent("villagers", "MLI", "CVL")],
                date="2019-07-02", event_loc=loc("Doulo village", "MLI"))
    attack = pred("a1", "ASSAULT", [ent("jihadists", None)], [ent("troops", "MLI", "MIL")],
                  date="2019-07-05", event_loc=loc("Mopti", "MLI"))  # the same country, not the place
    d = evaluate_articles([gold], typed({"a1": [raid, attack]})).to_dict()
    # TALKS names no place (not counted); the raid's place is named, the attack's is not
    assert d["places_exact"] == {"hits": 1, "total": 2, "rate": 0.5}
