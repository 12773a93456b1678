from __future__ import annotations

from eventwire.evaluate import evaluate_seed, matches
from support.eval_testdata import ent, pred, typed


def gev(key, event, required=True, date=None, actor=(), recipient=(), loc=None, dead=None):
    return {"key": key, "required": required, "event": event, "date": date, "actor": list(actor),
            "recipient": list(recipient), "event_loc": loc,
            "size": {} if dead is None else {"dead": dead}}


G1 = gev("G1", "ASSAULT", date="2021-05-04", actor=[ent("jets", "RUR", "MIL")],
         recipient=[ent("fighters", "FRD", ["REB", "PRM"])],
         loc={"country_code": "FRD", "lat": 10.0, "lon": 20.0, "resolution": 4}, dead=6)
G2 = gev("G2", "ACCUSE", date="2021-05-05", actor=[ent("ministry", "FRD", "GOV")],
         recipient=[ent("Ruritania", "RUR", "GOV")])
G3 = gev("G3", "REQUEST", required=False, actor=[ent("MPs", "FRD", "LEG")])
GOLD = {"doc_id": "s1", "events": [G1, G2, G3]}


def strike(**kw):
    args = {"id": "p-strike", "date": "2021-05-04", "dead": 6, "event_loc": {"lat": 10.1, "lon": 20.1, "country_code": "FRD"}}
    args.update(kw)
    return pred("s1", "ASSAULT", [ent("air force", "RUR", "MIL")], [], **args)


def test_matching_rule():
    assert matches(G1, typed(strike()))
    assert matches(G1, typed(strike(date="2021-05-05")))  # within one day
    assert not matches(G1, typed(strike(date="2021-05-06")))
    assert not matches(G1, typed(strike(date=None)))
    assert not matches(G1, typed(strike(event_loc={"lat": 10.6, "lon": 20.0, "country_code": "FRD"})))  # ~67 km
    assert not matches(G1, typed(strike(event_loc=None)))
    assert not matches(G1, typed(pred("s1", "ASSAULT", [ent("x", "ELB")], date="2021-05-04",
                                event_loc={"lat": 10.0, "lon": 20.0})))  # no country in common
    assert not matches(G1, typed({**strike(), "event": ["COERCE", "ASSAULT"]}))  # primary type differs
    assert matches(G3, typed(pred("s1", "REQUEST", [], [ent("parliament", "FRD")])))  # no date, no place


def test_seed_counts_precision_and_exactness():
    preds = [
        strike(dead=5),
        pred("s1", "ACCUSE", [ent("FM", "FRD", "GOV")], date="2021-05-04", id="p-accuse"),
        pred("s1", "THREATEN", [ent("FM", "FRD", "GOV")], date="2021-05-04", id="p-threat"),
    ]
    d = evaluate_seed(GOLD, typed(preds)).to_dict()
    assert (d["required_found"], d["required_total"]) == (2, 2)
    assert (d["acceptable_found"], d["acceptable_total"]) == (0, 1)
    assert (d["outputs_matching"], d["outputs"]) == (2, 3)
    assert abs(d["precision"] - 2 / 3) < 1e-3
    by_key = {e["key"]: e for e in d["events"]}
    assert by_key["G1"]["matched"] == "p-strike" and by_key["G1"]["dead_exact"] is False
    assert by_key["G1"]["date_exact"] is True
    assert by_key["G2"]["date_exact"] is False  # one day off still matches
    assert d["unmatched_outputs"] == ["p-threat THREATEN"]


def test_one_output_event_counts_for_one_gold_event():
    twin = gev("G1b", "ASSAULT", date="2021-05-04", actor=[ent("jets", "RUR", "MIL")],
               loc={"country_code": "FRD", "lat": 10.2, "lon": 20.2}, dead=1)
    gold = {"doc_id": "s1", "events": [G1, twin]}
    d = evaluate_seed(gold, typed([strike()])).to_dict()
    assert d["required_found"] == 1 and d["outputs_matching"] == 1
    d2 = evaluate_seed(gold, typed([strike(id="a"), strike(id="b", dead=1)])).to_dict()
    assert d2["required_found"] == 2 and d2["dead_exact"] == 2  # each takes its closest output


def test_empty_output():
    d = evaluate_seed(GOLD, typed([])).to_dict()
    assert d["required_found"] == 0 and d["precision"] is None and d["dates_exact"] == 0
