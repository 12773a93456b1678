"""Police actions reported by single sentences (``police_sentences`` sets).

Gold records carry ``labels``, a subset of ``kill`` (police killed someone), ``arrest`` (police
arrested or detained someone), ``force`` (police used force, killing included) and ``fail``
(police failed to act).  The predicted labels of a sentence are those of the table
``data/police_labels.tsv`` (format: ``eventwire.evaluate.labelrules``) that match any of its output
events.  ``fail`` is read off negated events, so predictions must hold *all* events: the evaluation
runner codes these sets with every event, and a predictions file for them should come from
``eventwire extract --all-events``.

Reported: per label precision, recall and F1; ``macro_f1`` over the four labels; ``micro_f1``;
``exact_set_accuracy`` (the predicted set equals the gold set, both empty included);
``none_right`` (of the sentences whose gold has no label, the share with none predicted).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.gold import PoliceGold
from eventwire.evaluate.labelrules import all_labels, load_rules
from eventwire.evaluate.metrics import PRF, Rate, macro_f1
from eventwire.model import Event

LABELS = ("kill", "arrest", "force", "fail")
RULES = "police_labels"


def predicted_labels(events: Sequence[Event]) -> set[str]:
    """The police-action labels of a sentence's output events (module docstring)."""
    return all_labels(events, load_rules(RULES)) & set(LABELS)


@dataclass(slots=True)
class PoliceReport:
    documents: int = 0
    exact: int = 0
    none_right: Rate = field(default_factory=Rate)
    per_label: dict[str, PRF] = field(default_factory=lambda: {lab: PRF() for lab in LABELS})
    unknown_gold: Counter[str] = field(default_factory=Counter)

    @property
    def macro_f1(self) -> float | None:
        # every label is scored, also one that neither gold nor output has (then it is undefined
        # and left out, as metrics.macro_f1 does)
        return macro_f1(self.per_label[lab] for lab in LABELS)

    @property
    def micro(self) -> PRF:
        total = PRF()
        for s in self.per_label.values():
            total.merge(s)
        return total

    def to_dict(self) -> dict[str, Any]:
        mf1, micro = self.macro_f1, self.micro
        return {
            "evaluator": "police_sentences",
            "documents": self.documents,
            "macro_f1": None if mf1 is None else round(mf1, 4),
            "micro_f1": None if micro.f1 is None else round(micro.f1, 4),
            "exact_set_accuracy": Rate(self.exact, self.documents).to_dict(),
            "none_right": self.none_right.to_dict(),
            "per_label": {lab: {**s.to_dict(), "support": s.support} for lab, s in self.per_label.items()},
            "unknown_gold_labels": dict(sorted(self.unknown_gold.items())),
        }


def evaluate_police(
    gold_records: Sequence[PoliceGold], predictions: Mapping[str, Sequence[Event]]
) -> PoliceReport:
    """Score the predicted label set of each sentence against its gold ``labels``."""
    report = PoliceReport()
    for rec in gold_records:
        raw = rec.get("labels")
        given = {x.strip().lower() for x in raw if isinstance(x, str)} if isinstance(raw, list) else set()
        gold = given & set(LABELS)
        report.unknown_gold.update(given - gold)
        pred = predicted_labels(predictions.get(str(rec.get("doc_id")), []))
        report.documents += 1
        report.exact += int(pred == gold)
        if not gold:
            report.none_right.add(not pred)
        for lab in LABELS:
            report.per_label[lab].add(
                tp=int(lab in gold and lab in pred),
                fp=int(lab in pred and lab not in gold),
                fn=int(lab in gold and lab not in pred),
            )
    return report
