"""PLOVER gold-standard evaluation: per-field precision, recall and F1 and an event-type confusion.

Alignment. Within each document, gold and predicted events are paired one-to-one, greedily by
descending score: 4 if the primary types are equal, plus 2 x the Jaccard overlap of their
actor+recipient codes, plus 1 if the gold ``event_text`` and a predicted trigger share a word.
Pairs scoring 0 stay unaligned: an unaligned gold event is *missed*, an unaligned predicted event
is *spurious*.

Counting. Every field is counted over aligned pairs, missed events (their gold values are false
negatives) and spurious events (their predicted values are false positives), so a field's recall
also pays for events that were not found (``fields``).  The same counts over aligned pairs only
are reported as ``aligned`` (how well the arguments of found events are coded).

- ``event_type``: the primary type; TP when an aligned pair has the same primary type, otherwise
  FP for the predicted type and FN for the gold type (missed: FN; spurious: FP).  Per-type counts
  give ``per_type`` and ``macro_f1`` (mean F1 over the 16 PLOVER types that occur in gold or
  output).  The confusion table counts (gold type, predicted type) with ``NONE`` for missed /
  spurious events.
- ``mode``: the set of PLOVER modes, auxiliary modes (historical, future, hypothetical,
  negation) left out; TP = |gold & pred|, FP = |pred - gold|, FN = |gold - pred|.
- ``actor_code``, ``recipient_code``: the set of entity codes per role, counted like modes.
- ``actor_sector``, ``recipient_sector``: the set of sectors per role; a gold entity whose
  ``sector`` is a list accepts any of its codes; entities without a gold sector add nothing to
  the gold side, so a predicted sector for them is a false positive.
- ``reciprocal: true`` gold has no direction: the union of actor and recipient codes (sectors)
  is compared with the union of the predicted ones under ``actor_*``; ``recipient_*`` counts
  nothing for that pair.
- ``location_country``: the ``event_loc`` country: TP when the predicted ``country_code`` is one
  of the gold ``country_codes``; a predicted location where the gold has none is a FP.
- ``dead``: the number killed: TP when equal; a wrong number is FP and FN; a number where the gold
  has none is FP; no number where the gold has one is FN.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from eventwire.evaluate.matching import (
    NONE,
    PLOVER_TYPES,
    dead,
    entity_items,
    entity_values,
    event_countries,
    greedy_align,
    location,
    modes,
    primary_type,
    set_counts,
)
from eventwire.evaluate.metrics import PRF, macro_f1

FIELDS = (
    "event_type",
    "mode",
    "actor_code",
    "actor_sector",
    "recipient_code",
    "recipient_sector",
    "location_country",
    "dead",
)
Event = dict[str, Any]
_WORD = re.compile(r"[a-z]{3,}")


@dataclass(slots=True)
class PloverReport:
    documents: int = 0
    gold_events: int = 0
    pred_events: int = 0
    aligned_pairs: int = 0
    fields: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in FIELDS})
    aligned: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in FIELDS})
    per_type: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in PLOVER_TYPES})
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.per_type[t] for t in PLOVER_TYPES)

    def to_dict(self) -> dict[str, Any]:
        labels = sorted({g for g, _ in self.confusion} | {p for _, p in self.confusion})
        mf1 = self.macro_f1
        return {
            "evaluator": "plover_gsr",
            "documents": self.documents,
            "gold_events": self.gold_events,
            "pred_events": self.pred_events,
            "aligned_pairs": self.aligned_pairs,
            "event_type_macro_f1": None if mf1 is None else round(mf1, 4),
            "fields": {k: v.to_dict() for k, v in self.fields.items()},
            "aligned": {k: v.to_dict() for k, v in self.aligned.items()},
            "per_type": {k: v.to_dict() for k, v in self.per_type.items() if v.tp + v.fp + v.fn},
            "confusion": {
                g: {p: self.confusion[(g, p)] for p in labels if self.confusion[(g, p)]}
                for g in labels
                if any(self.confusion[(g, p)] for p in labels)
            },
        }


def _words(value: Any) -> set[str]:
    texts = [value] if isinstance(value, str) else [t for t in value or [] if isinstance(t, str)]
    return {w for t in texts for w in _WORD.findall(t.lower())}


def alignment_score(gold: Event, pred: Event) -> float:
    score = 4.0 if primary_type(gold) == primary_type(pred) else 0.0
    g, p = event_countries(gold), event_countries(pred)
    if g | p:
        score += 2.0 * len(g & p) / len(g | p)
    if _words(gold.get("event_text")) & _words(pred.get("event_text")):
        score += 1.0
    return score


def compare(gold: Event | None, pred: Event | None) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) per field for an aligned pair, a missed gold event (``pred`` None) or a
    spurious predicted event (``gold`` None)."""
    g: Event = gold or {}
    p: Event = pred or {}
    out: dict[str, tuple[int, int, int]] = {}
    gt = primary_type(g) if gold is not None else None
    pt = primary_type(p) if pred is not None else None
    if gt is not None and gt == pt:
        out["event_type"] = (1, 0, 0)
    else:
        out["event_type"] = (0, int(pt is not None), int(gt is not None))
    out["mode"] = set_counts([frozenset({m}) for m in sorted(modes(g))], modes(p))
    if g.get("reciprocal"):
        both = (g.get("actor") or []) + (g.get("recipient") or [])
        pboth = (p.get("actor") or []) + (p.get("recipient") or [])
        for key in ("code", "sector"):
            out[f"actor_{key}"] = set_counts(entity_items(both, key), entity_values(pboth, key))
            out[f"recipient_{key}"] = (0, 0, 0)
    else:
        for role in ("actor", "recipient"):
            for key in ("code", "sector"):
                out[f"{role}_{key}"] = set_counts(
                    entity_items(g.get(role), key), entity_values(p.get(role), key)
                )
    gl, pl = location(g), location(p)
    gold_loc = [gl.countries] if gl and gl.countries else []
    pred_loc = set(sorted(pl.countries)[:1]) if pl and pl.countries else set()
    out["location_country"] = set_counts(gold_loc, pred_loc)
    gd, pd = dead(g), dead(p)
    if gd is not None and gd == pd:
        out["dead"] = (1, 0, 0)
    else:
        out["dead"] = (0, int(pd is not None), int(gd is not None))
    return out


def evaluate_plover(
    gold_records: list[dict[str, Any]], predictions: dict[str, list[Event]]
) -> PloverReport:
    """Score predicted events against PLOVER gold records (one per document, with ``events``)."""
    report = PloverReport()
    for rec in gold_records:
        gold = [e for e in rec.get("events") or [] if isinstance(e, dict)]
        pred = list(predictions.get(str(rec.get("doc_id")), []))
        report.documents += 1
        report.gold_events += len(gold)
        report.pred_events += len(pred)
        pairs = greedy_align(gold, pred, alignment_score)
        report.aligned_pairs += len(pairs)
        gi = {i for i, _ in pairs}
        pj = {j for _, j in pairs}
        items: list[tuple[Event | None, Event | None]] = [(gold[i], pred[j]) for i, j in pairs]
        items += [(g, None) for i, g in enumerate(gold) if i not in gi]
        items += [(None, p) for j, p in enumerate(pred) if j not in pj]
        for g, p in items:
            counts = compare(g, p)
            for name, (tp, fp, fn) in counts.items():
                report.fields[name].add(tp, fp, fn)
                if g is not None and p is not None:
                    report.aligned[name].add(tp, fp, fn)
            gt = primary_type(g) if g is not None else NONE
            pt = primary_type(p) if p is not None else NONE
            report.confusion[(gt, pt)] += 1
            if gt == pt:
                report.per_type.setdefault(gt, PRF()).add(tp=1)
            else:
                if pt != NONE:
                    report.per_type.setdefault(pt, PRF()).add(fp=1)
                if gt != NONE:
                    report.per_type.setdefault(gt, PRF()).add(fn=1)
    return report
