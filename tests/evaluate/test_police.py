from __future__ import annotations

import pytest

from eventwire.evaluate import evaluate_police, parse_rules, predicted_labels
from eventwire.evaluate.labelrules import load_rules
from support.eval_testdata import ent, pred, typed

POLICE = ent("police", "IND", "COP")
MOB = ent("mob", "IND", "CVL")


def ev(event, actor=(POLICE,), recipient=(MOB,), **kw):
    return pred("s", event, list(actor), list(recipient), **kw)


@pytest.mark.parametrize("events, labels", [
    ([ev("ASSAULT", dead=2)], {"kill", "force"}),
    ([ev("ASSAULT", mode=["assassinate"])], {"kill", "force"}),
    ([ev("ASSAULT", mode=["firearms"])], {"force"}),
    ([ev("ASSAULT", dead=0)], {"force"}),
    ([ev("ASSAULT", actor=[MOB], recipient=[POLICE], dead=3)], set()),  # the mob killed
    ([ev("COERCE", mode=["arrest"])], {"arrest"}),
    ([ev("COERCE", actor=[], cameo="173")], {"arrest"}),  # "were arrested": no actor named
    ([ev("COERCE", actor=[ent("villagers", "IND", "CVL")], mode=["arrest"])], set()),
    ([ev("COERCE", cameo="175")], {"force"}),  # tear gas, dispersal
    ([ev("COERCE", cameo="17")], {"force"}),
    ([ev("COERCE", mode=["ban"], cameo="172")], set()),  # a curfew is no force
    ([ev("COERCE", mode=["arrest"], cameo="173"), ev("ASSAULT", mode=["beat"])], {"arrest", "force"}),
    ([ev("COERCE", mode=["negation"])], {"fail"}),  # "did not intervene"
    ([ev("MOBILIZE", mode=["police", "negation"])], {"fail"}),
    ([ev("ASSAULT", mode=["firearms", "negation"])], {"fail"}),  # a denied firing is no force
    ([ev("COERCE", mode=["arrest", "future"])], set()),  # an arrest announced is not made
    ([ev("REQUEST", actor=[MOB], recipient=[POLICE])], set()),
    ([], set()),
])
def test_labels_from_events(events, labels):
    assert predicted_labels(typed(events)) == labels


def test_every_kill_is_force():
    rules = load_rules("police_labels")
    for rule in rules:
        if rule.label == "kill":
            assert {"type=ASSAULT", "actor=COP", "aux=-"} <= set(rule.conditions)
    assert any(r.label == "force" and r.conditions == ("type=ASSAULT", "actor=COP", "aux=-") for r in rules)


def test_per_label_macro_f1_and_exact_sets():
    golds = [
        {"doc_id": "1", "labels": ["kill", "force"]},
        {"doc_id": "2", "labels": ["arrest"]},
        {"doc_id": "3", "labels": []},
        {"doc_id": "4", "labels": ["fail"]},
        {"doc_id": "5", "labels": []},
    ]
    preds = {
        "1": [ev("ASSAULT", dead=1)],
        "2": [ev("COERCE", mode=["arrest"]), ev("ASSAULT")],  # arrest right, force spurious
        "3": [ev("COERCE", mode=["arrest"])],  # arrest spurious
        # 4: nothing found; 5: nothing, right
    }
    rep = evaluate_police(golds, typed(preds))
    d = rep.to_dict()
    assert d["exact_set_accuracy"] == {"hits": 2, "total": 5, "rate": 0.4}
    assert d["none_right"] == {"hits": 1, "total": 2, "rate": 0.5}
    lab = d["per_label"]
    assert (lab["kill"]["tp"], lab["kill"]["fp"], lab["kill"]["fn"]) == (1, 0, 0)
    assert (lab["arrest"]["tp"], lab["arrest"]["fp"]) == (1, 1) and lab["arrest"]["f1"] == 0.6667
    assert (lab["force"]["tp"], lab["force"]["fp"]) == (1, 1)
    assert (lab["fail"]["tp"], lab["fail"]["fn"], lab["fail"]["f1"]) == (0, 1, 0.0)
    assert d["macro_f1"] == round((1 + 2 / 3 + 2 / 3 + 0) / 4, 4)
    assert d["micro_f1"] == round(2 * 3 / (2 * 3 + 2 + 1), 4)


def test_unknown_gold_labels_are_reported_not_scored():
    d = evaluate_police([{"doc_id": "1", "labels": ["Kill", "detain"]}], typed({})).to_dict()
    assert d["per_label"]["kill"]["fn"] == 1 and d["unknown_gold_labels"] == {"detain": 1}


def test_rule_table_errors_name_the_line():
    with pytest.raises(ValueError, match=r"t.tsv:2: unknown condition colour=red"):
        parse_rules("kill\ttype=ASSAULT\nforce\tcolour=red\n", "t.tsv")
    with pytest.raises(ValueError, match=r"t.tsv:1: not a condition"):
        parse_rules("kill\tASSAULT\n", "t.tsv")
    with pytest.raises(ValueError, match=r"t.tsv:1:"):
        parse_rules("x\ttrigger~(\n", "t.tsv")
    rules = parse_rules("# comment\n\nkill\ttype=ASSAULT\tdead>1\n", "t.tsv")
    assert [r.label for r in rules] == ["kill"]
    assert rules[0].matches(typed(pred("s", "ASSAULT", dead=2))) and not rules[0].matches(typed(pred("s", "ASSAULT", dead=1)))
