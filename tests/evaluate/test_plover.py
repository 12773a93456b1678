from __future__ import annotations

import pytest

from eventwire.evaluate import evaluate_plover
from support.eval_testdata import ent, pred, typed


def gold_event(event, actor=(), recipient=(), **kw):
    return {
        "event": event,
        "mode": kw.get("mode", []),
        "context": [],
        "actor": list(actor),
        "recipient": list(recipient),
        "reciprocal": kw.get("reciprocal", False),
        "event_loc": kw.get("event_loc"),
        "dead": kw.get("dead"),
        "injured": None,
        "event_text": kw.get("event_text", ""),
    }


GOLD = [
    {"doc_id": "d1", "events": [gold_event("ASSAULT", [ent("rebels", "SDN", "REB")],
                                           [ent("villagers", "SDN", "CVL")], mode=["firearms"], dead=4,
                                           event_loc={"name": "Darfur", "country_codes": ["SDN"]})]},
    {"doc_id": "d2", "events": [gold_event("AGREE", [ent("Ruritania", "RUR"), ent("Freedonia", "FRD")],
                                           reciprocal=True)]},
    {"doc_id": "d3", "events": [gold_event("ACCUSE", [ent("minister", "FRD", "GOV")],
                                           [ent("Ruritania", "RUR")], mode=["disapprove"])]},
]


def perfect():
    return {
        "d1": [pred("d1", "ASSAULT", [ent("rebels", "SDN", "REB")], [ent("villagers", "SDN", "CVL")],
                    mode=["firearms"], dead=4, event_loc={"country_code": "SDN"})],
        "d2": [pred("d2", "AGREE", [ent("Freedonia", "FRD")], [ent("Ruritania", "RUR")])],
        "d3": [pred("d3", "ACCUSE", [ent("minister", "FRD", "GOV")], [ent("Ruritania", "RUR")],
                    mode=["disapprove", "future"])],
    }


def test_perfect_predictions_score_one():
    rep = evaluate_plover(GOLD, typed(perfect()))
    d = rep.to_dict()
    for name, s in d["fields"].items():
        assert s["fp"] == 0 and s["fn"] == 0, name
    assert d["fields"]["actor_code"]["tp"] == 4  # SDN, RUR+FRD (reciprocal union), FRD
    assert d["fields"]["recipient_code"]["tp"] == 2
    assert d["event_type_macro_f1"] == 1.0
    assert d["confusion"] == {"ACCUSE": {"ACCUSE": 1}, "AGREE": {"AGREE": 1}, "ASSAULT": {"ASSAULT": 1}}


def test_empty_predictions_are_all_false_negatives():
    rep = evaluate_plover(GOLD, typed({}))
    f = rep.fields
    assert (f["event_type"].tp, f["event_type"].fn, f["event_type"].fp) == (0, 3, 0)
    assert f["event_type"].recall == 0 and f["event_type"].precision is None
    assert f["dead"].fn == 1 and f["location_country"].fn == 1
    assert rep.confusion[("ASSAULT", "NONE")] == 1
    assert rep.macro_f1 == 0


def test_partial_and_wrong_fields():
    preds = perfect()
    preds["d1"] = [pred("d1", "ASSAULT", [ent("rebels", "SDN", "MIL")], [], dead=5,
                        event_loc={"country_code": "TCD"})]
    preds["d3"] = [pred("d3", "REJECT", [ent("minister", "FRD", "GOV")], [ent("Ruritania", "RUR")])]
    rep = evaluate_plover(GOLD, typed(preds))
    f = rep.fields
    assert (f["event_type"].tp, f["event_type"].fp, f["event_type"].fn) == (2, 1, 1)
    assert (f["actor_sector"].tp, f["actor_sector"].fp, f["actor_sector"].fn) == (1, 1, 1)
    assert (f["recipient_code"].tp, f["recipient_code"].fn) == (1, 1)
    assert (f["dead"].tp, f["dead"].fp, f["dead"].fn) == (0, 1, 1)
    assert (f["location_country"].fp, f["location_country"].fn) == (1, 1)
    assert (f["mode"].tp, f["mode"].fn) == (0, 2)
    assert rep.confusion[("ACCUSE", "REJECT")] == 1  # aligned by actors despite the type
    assert rep.per_type["ACCUSE"].fn == 1 and rep.per_type["REJECT"].fp == 1


def test_spurious_events_are_false_positives():
    preds = perfect()
    preds["d2"].append(pred("d2", "THREATEN", [ent("army", "RUR", "MIL")], dead=2,
                            event_loc={"country_code": "RUR"}))
    rep = evaluate_plover(GOLD, typed(preds))
    f = rep.fields
    assert (f["event_type"].tp, f["event_type"].fp, f["event_type"].fn) == (3, 1, 0)
    assert f["actor_sector"].fp == 1 and f["dead"].fp == 1 and f["location_country"].fp == 1
    assert rep.aligned["event_type"].fp == 0  # the aligned-only view ignores the spurious event
    assert rep.confusion[("NONE", "THREATEN")] == 1
    assert rep.per_type["THREATEN"].precision == 0
    assert rep.fields["event_type"].precision == pytest.approx(0.75)


def test_reciprocal_wrong_codes_counted_under_actor():
    preds = perfect()
    preds["d2"] = [pred("d2", "AGREE", [ent("Freedonia", "FRD")], [ent("Elbonia", "ELB")])]
    f = evaluate_plover(GOLD, typed(preds)).fields
    assert (f["actor_code"].tp, f["actor_code"].fp, f["actor_code"].fn) == (3, 1, 1)
