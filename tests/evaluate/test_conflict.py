from __future__ import annotations

from eventwire.evaluate import evaluate_conflict, pick_acled_event, place_named
from support.eval_testdata import pred, typed

BATTLES, VAC, PROT = "Battles", "Violence against civilians", "Protests"


def gold(doc_id, etype, sub, fatalities=0, style="older", day=True, date="2001-03-04",
         location="Kamuka", country="KEN"):
    return {"doc_id": doc_id, "style": style, "event_type": etype, "sub_event_type": sub,
            "event_date": date, "date_stated_day": day, "fatalities": fatalities,
            "location": location, "country_iso3": country, "actor1": None, "actor2": None}


def ev(doc_id, etype, sub, conf=0.5, start=0, dead=None, date="2001-03-04", place="Kamuka",
       country="KEN", event="ASSAULT", **kw):
    loc = None if place is None else {"extracted_place": place, "resolved_place": place,
                                      "country_code": country}
    return pred(doc_id, event, acled_event_type=etype, acled_sub_event_type=sub, confidence=conf,
                text_info={"sequence": 0, "start": start, "end": start + 10}, dead=dead,
                date=date, event_loc=loc, **kw)


def test_pick_most_confident_acled_event_ties_in_text_order():
    untyped = typed(ev("d", None, None, conf=0.99))
    late = typed(ev("d", VAC, "Attack", conf=0.7, start=50))
    early = typed(ev("d", BATTLES, "Armed clash", conf=0.7, start=5))
    weak = typed(ev("d", PROT, "Peaceful protest", conf=0.4, start=0))
    assert pick_acled_event([untyped, late, weak, early]) is early
    assert pick_acled_event([untyped]) is None
    assert pick_acled_event([]) is None
    # a negated event is not reported as having happened
    negated = typed(ev("d", BATTLES, "Armed clash", conf=0.9, mode=["negation"]))
    assert pick_acled_event([negated, weak]) is weak


def test_scores_overall_and_per_style():
    golds = [
        gold("a", BATTLES, "Armed clash", fatalities=3),
        gold("b", VAC, "Attack", fatalities=0, style="newer", day=False),
        gold("c", PROT, "Peaceful protest", fatalities=0, style="newer"),
        gold("d", BATTLES, "Armed clash", fatalities=2),
    ]
    preds = {
        "a": [ev("a", BATTLES, "Armed clash", dead=3)],
        # right type, wrong sub-type, no count (read as 0: right), undated day not scored
        "b": [ev("b", VAC, "Abduction/forced disappearance", dead=None, date=None)],
        # an event, but none with an ACLED type: wrong type, no event counted, dead read as 0
        "c": [pred("c", "PROTEST", confidence=0.9)],
        # wrong type, place in another country, named differently
        "d": [ev("d", VAC, "Attack", dead=2, place="Lodwar", country="UGA", date="2001-03-05")],
    }
    d = evaluate_conflict(golds, typed(preds)).to_dict()
    assert d["evaluator"] == "conflict_reports" and d["documents"] == 4
    assert d["acled_type_accuracy"] == {"hits": 2, "total": 4, "rate": 0.5}
    assert d["sub_type_accuracy"]["hits"] == 1
    assert d["with_acled_event"]["hits"] == 3
    assert d["dead_exact"]["hits"] == 4  # 3=3, none=0, no event=0, 2=2
    assert d["dead_exact_where_event"] == {"hits": 3, "total": 3, "rate": 1.0}
    assert d["date_exact"] == {"hits": 1, "total": 3, "rate": 0.3333}  # b states no day
    assert d["date_exact_where_event"] == {"hits": 1, "total": 2, "rate": 0.5}  # a right, d wrong
    assert d["country"]["hits"] == 2 and d["place_named"]["hits"] == 2
    older, newer = d["by_style"]["older"], d["by_style"]["newer"]
    assert older["acled_type_accuracy"]["hits"] == 1 and older["documents"] == 2
    assert newer["acled_type_accuracy"] == {"hits": 1, "total": 2, "rate": 0.5}
    assert d["confusion"][PROT] == {"NONE": 1}
    assert d["confusion"][BATTLES] == {BATTLES: 1, VAC: 1}
    assert d["sub_type_confusion"]["Attack>Abduction/forced disappearance"] == 1


def test_document_missing_from_predictions_counts_as_no_event():
    d = evaluate_conflict([gold("x", BATTLES, "Armed clash", fatalities=0)], typed({})).to_dict()
    assert d["acled_type_accuracy"]["hits"] == 0 and d["with_acled_event"]["hits"] == 0
    assert d["dead_exact"]["hits"] == 1  # nothing reported: 0, as ACLED codes it
    assert d["dead_exact_where_event"]["total"] == 0
    assert d["date_exact"] == {"hits": 0, "total": 1, "rate": 0.0}


def test_place_named_uses_distinctive_words():
    e = ev("d", BATTLES, "Armed clash", place="Kamuka village")
    assert place_named("Kamuka", typed(e))
    assert place_named("Kamuka, Ndovu division", typed(e))
    assert not place_named("Kamuka Hills", typed(e))
    assert not place_named("Kamuka", typed(pred("d", "ASSAULT")))
    assert place_named("São Tomé", typed(ev("d", BATTLES, "Armed clash", place="Sao Tome")))


def test_acled_strings_compare_without_case_or_spacing():
    d = evaluate_conflict([gold("a", BATTLES, "Armed clash")],
                          typed({"a": [ev("a", "battles", "armed  clash")]})).to_dict()
    assert d["acled_type_accuracy"]["hits"] == 1 and d["sub_type_accuracy"]["hits"] == 1
    assert d["confusion"] == {BATTLES: {BATTLES: 1}}


def test_within_161km_locates_the_gold_place_through_its_chain():
    def located_gold(doc_id, location, admin2, admin1, country, style="newer"):
        g = gold(doc_id, BATTLES, "Armed clash", style=style, location=location, country=country)
        g.update(admin2=admin2, admin1=admin1)
        return g

    def at(doc_id, lat, lon, country):
        e = ev(doc_id, BATTLES, "Armed clash", country=country)
        e["event_loc"].update(lat=lat, lon=lon)
        return e

    golds = [
        located_gold("near", "Kajuru", "Kajuru", "Kaduna", "NGA"),
        located_gold("far", "Kajuru", "Kajuru", "Kaduna", "NGA"),
        located_gold("district", "Kipsoen", "Molo", "Nakuru", "KEN", style="older"),
        located_gold("lost", "Nowhere-in-particular", None, None, "NGA"),
        located_gold("noloc", "Kajuru", "Kajuru", "Kaduna", "NGA"),
    ]
    preds = {
        "near": [at("near", 10.32, 7.68, "NGA")],   # the town itself
        "far": [at("far", 12.0, 8.52, "NGA")],      # Kano: another state
        "district": [at("district", -0.25, 35.73, "KEN")],
        "lost": [at("lost", 10.3, 7.7, "NGA")],
        "noloc": [ev("noloc", BATTLES, "Armed clash", country="NGA")],  # a place without coordinates
    }
    d = evaluate_conflict(golds, typed(preds)).to_dict()
    assert d["gold_located"] == {"place": 3, "admin2": 1, "admin1": 0, "none": 1}
    assert d["within_161km"] == {"hits": 2, "total": 4, "rate": 0.5}
    assert d["within_161km_place"] == {"hits": 1, "total": 3, "rate": 0.3333}
    assert d["by_style"]["older"]["within_161km"]["hits"] == 1
