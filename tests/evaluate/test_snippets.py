from __future__ import annotations

from eventwire.evaluate import evaluate_snippets, predicted_class
from support.eval_testdata import ent, pred, typed


def acled(doc_id, etype, sub, conf=0.5, **kw):
    return pred(doc_id, "ASSAULT", acled_event_type=etype, acled_sub_event_type=sub,
                confidence=conf, **kw)


def test_acled_sub_type_of_the_picked_event_wins():
    events = [
        pred("s", "CONSULT", [ent("Kenya", "KEN", "GOV")], [ent("Uganda", "UGA", "GOV")], confidence=0.95),
        acled("s", "Battles", "Armed clash", conf=0.6),
        acled("s", "Explosions/Remote violence", "Air/drone strike", conf=0.8),
    ]
    assert predicted_class(typed(events)) == "Air/drone strike"


def test_rules_for_events_without_acled_type():
    states = pred("s", "CONSULT", [ent("Kenyan president", "KEN", "GOV")], [ent("Tanzania", "TZA")])
    assert predicted_class(typed([states])) == "Diplomatic event"
    one_state = pred("s", "CONSULT", [ent("minister", "KEN", "GOV")], [ent("union", "KEN", "LAB")])
    assert predicted_class(typed([one_state])) == "NONE"
    un = pred("s", "SUPPORT", [ent("UN envoy", "UNO", "GOV")], [ent("Chad", "TCD", "GOV")])
    assert predicted_class(typed([un])) == "Diplomatic event"
    claim = pred("s", "ACCUSE", [ent("militants", None, "REB")], event_text=["claimed"])
    assert predicted_class(typed([claim])) == "Attribution of responsibility"
    blame = pred("s", "ACCUSE", [ent("army", "NGA", "MIL")], [ent("rebels", "NGA", "REB")],
                 event_text=["blamed"])
    assert predicted_class(typed([blame])) == "Attribution of responsibility"
    gang = pred("s", "COERCE", [ent("cartel", "MEX", "CRM")], [ent("traders", "MEX", "BUS")])
    assert predicted_class(typed([gang])) == "Organized crime"
    quake = pred("s", "AID", [ent("Red Cross", "NGO", "NGO")], context=["disaster"],
                 event_text=["earthquake relief"])
    assert predicted_class(typed([quake])) == "Natural disaster"
    fire = pred("s", "AID", [ent("firemen", None, "GOV")], context=["disaster"], event_text=["blaze"])
    assert predicted_class(typed([fire])) == "Man-made disaster"
    assert predicted_class(typed([])) == "NONE"
    # events are tried most confident first: the crime event outranks the diplomatic one
    assert predicted_class(typed([{**states, "confidence": 0.3}, {**gang, "confidence": 0.9}])) == "Organized crime"
    # a negated event is not one
    assert predicted_class(typed([{**gang, "mode": ["negation"]}])) == "NONE"


def test_accuracy_weighted_and_macro_f1():
    golds = [
        {"doc_id": "1", "label": "Armed clash", "acled_event_type": "Battles"},
        {"doc_id": "2", "label": "Armed clash", "acled_event_type": "Battles"},
        {"doc_id": "3", "label": "Armed clash", "acled_event_type": "Battles"},
        {"doc_id": "4", "label": "Diplomatic event", "acled_event_type": None},
        {"doc_id": "5", "label": "Grenade", "acled_event_type": "Explosions/Remote violence"},
    ]
    preds = {
        "1": [acled("1", "Battles", "Armed clash")],
        "2": [acled("2", "Battles", "armed  clash")],  # spelling differences are not errors
        "3": [acled("3", "Violence against civilians", "Attack")],
        "4": [pred("4", "CONSULT", [ent("Peru", "PER", "GOV")], [ent("Chile", "CHL", "GOV")])],
        # doc 5 has no event: NONE
    }
    rep = evaluate_snippets(golds, typed(preds))
    d = rep.to_dict()
    assert d["accuracy"] == {"hits": 3, "total": 5, "rate": 0.6}
    # Armed clash P=1 R=2/3 F1=0.8 (3 gold); Diplomatic F1=1 (1); Grenade F1=0 (1);
    # Attack has no gold item and does not enter the averages
    assert d["per_class"]["Armed clash"]["f1"] == 0.8 and d["per_class"]["Attack"]["fp"] == 1
    assert abs(rep.weighted_f1 - (3 * 0.8 + 1.0 + 0.0) / 5) < 1e-9
    assert abs(rep.macro_f1 - (0.8 + 1.0 + 0.0) / 3) < 1e-9
    assert d["confusion"]["Grenade"] == {"NONE": 1}
    assert d["no_event"]["hits"] == 1
    # ACLED type: 1, 2 right; 3 wrong; 4 right (none where the gold has none); 5 wrong
    assert d["acled_type_accuracy"] == {"hits": 3, "total": 5, "rate": 0.6}
