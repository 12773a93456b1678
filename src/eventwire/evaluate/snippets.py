"""Fine-grained event classes of short news snippets (``event_snippets`` sets).

Gold records carry one ``label`` per snippet: an ACLED sub-event type or one of a few classes ACLED
does not code (natural and man-made disasters, organized crime, diplomatic events, attribution of
responsibility), and the ``acled_event_type`` of that sub-type (null for the others).

The predicted class of a snippet is the ``acled_sub_event_type`` of its picked event (the most
confident asserted event with an ACLED event type, ties in text order;
``matching.pick_acled_event``) when it has one; otherwise the first rule of the table
``data/snippet_classes.tsv`` (format: ``eventwire.evaluate.labelrules``) that matches one of its
asserted events, tried most confident first; otherwise ``NONE`` (no class, always wrong).

Reported: ``accuracy``; per gold class precision, recall and F1; ``weighted_f1`` (F1 averaged
over the gold classes weighted by their number of snippets) and ``macro_f1`` (unweighted, over the
classes that occur in the gold); ``acled_type_accuracy`` (the picked event's ACLED event type is
the gold one, no ACLED-typed event being right only where the gold has none); ``no_event`` (share
of snippets without any asserted event); and the confusion of gold and predicted classes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.gold import SnippetGold
from eventwire.evaluate.labelrules import first_label, load_rules
from eventwire.evaluate.matching import by_confidence, pick_acled_event
from eventwire.evaluate.metrics import PRF, Rate
from eventwire.model import Event

NONE = "NONE"
RULES = "snippet_classes"


def _norm(label: str) -> str:
    return " ".join(label.casefold().split())


def predicted_class(events: Sequence[Event]) -> str:
    """The class of a snippet from its output events (module docstring)."""
    picked = pick_acled_event(events)
    sub = picked.acled_sub_event_type if picked is not None else None
    if isinstance(sub, str) and sub.strip():
        return sub.strip()
    return first_label(by_confidence(events), load_rules(RULES)) or NONE


@dataclass(slots=True)
class SnippetReport:
    documents: int = 0
    correct: int = 0
    no_event: int = 0
    acled_type: Rate = field(default_factory=Rate)
    per_class: dict[str, PRF] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.documents if self.documents else None

    def _gold_classes(self) -> list[tuple[str, PRF]]:
        return [(c, s) for c, s in sorted(self.per_class.items()) if s.support]

    @property
    def weighted_f1(self) -> float | None:
        classes = self._gold_classes()
        total = sum(s.support for _, s in classes)
        return sum(s.support * (s.f1 or 0.0) for _, s in classes) / total if total else None

    @property
    def macro_f1(self) -> float | None:
        classes = self._gold_classes()
        return sum(s.f1 or 0.0 for _, s in classes) / len(classes) if classes else None

    def to_dict(self) -> dict[str, Any]:
        labels = sorted({g for g, _ in self.confusion} | {p for _, p in self.confusion})
        wf1, mf1 = self.weighted_f1, self.macro_f1
        return {
            "evaluator": "event_snippets",
            "documents": self.documents,
            "accuracy": Rate(self.correct, self.documents).to_dict(),
            "weighted_f1": None if wf1 is None else round(wf1, 4),
            "macro_f1": None if mf1 is None else round(mf1, 4),
            "acled_type_accuracy": self.acled_type.to_dict(),
            "no_event": Rate(self.no_event, self.documents).to_dict(),
            "per_class": {
                c: {**s.to_dict(), "support": s.support} for c, s in sorted(self.per_class.items())
            },
            "confusion": {
                g: {p: self.confusion[(g, p)] for p in labels if self.confusion[(g, p)]}
                for g in labels
                if any(self.confusion[(g, p)] for p in labels)
            },
        }


def evaluate_snippets(
    gold_records: Sequence[SnippetGold], predictions: Mapping[str, Sequence[Event]]
) -> SnippetReport:
    """Score the predicted class of each snippet against its gold ``label``."""
    report = SnippetReport()
    spelling: dict[str, str] = {}  # the gold's spelling of each class, by normalised name
    for rec in gold_records:
        label = rec.get("label")
        if isinstance(label, str) and label.strip():
            spelling.setdefault(_norm(label), label.strip())
    for rec in gold_records:
        events = predictions.get(str(rec.get("doc_id")), [])
        gold = spelling.get(_norm(str(rec.get("label") or "")), NONE)
        raw = predicted_class(events)
        pred = spelling.get(_norm(raw), raw)
        report.documents += 1
        report.no_event += int(not by_confidence(events))
        report.confusion[(gold, pred)] += 1
        if pred == gold:
            report.correct += 1
            report.per_class.setdefault(gold, PRF()).add(tp=1)
        else:
            report.per_class.setdefault(gold, PRF()).add(fn=1)
            if pred != NONE:
                report.per_class.setdefault(pred, PRF()).add(fp=1)
        picked = pick_acled_event(events)
        gtype = rec.get("acled_event_type") if "acled_event_type" in rec else False
        if gtype is not False:
            ptype = picked.acled_event_type if picked is not None else None
            report.acled_type.add((ptype or None) == (gtype or None))
    return report
