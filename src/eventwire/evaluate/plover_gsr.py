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

Fields of reviewed sets (``eventwire export-gold``), counted only when the set's gold carries
them, so that other sets score as before: ``date`` (the event's date, exact; where gold events
have a ``date`` key), ``place`` (the same GeoNames id, or within ``PLACE_KM`` where either has
none; where gold places have coordinates or ids), ``injured`` and ``arrested`` (like ``dead``;
where gold events have them under ``size``).  A gold record may list ``unreviewed`` events: the
coder's events no one has reviewed.  Output events that align with one of them (after the
alignment with the gold events) are left out of the counts (``ignored_events``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from eventwire.evaluate.gold import GoldEvent, PloverGold, gold_events
from eventwire.evaluate.matching import (
    NONE,
    PLOVER_TYPES,
    EntityKey,
    Loc,
    dead,
    entity_items,
    entity_values,
    event_countries,
    event_date,
    greedy_align,
    location,
    modes,
    primary_type,
    role,
    set_counts,
    size_count,
)
from eventwire.evaluate.metrics import PRF, haversine_km, macro_f1
from eventwire.model import Event

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
EXTRA_FIELDS = ("date", "place", "injured", "arrested")
PLACE_KM = 25.0
_WORD = re.compile(r"[a-z]{3,}")


@dataclass(slots=True)
class PloverReport:
    documents: int = 0
    gold_events: int = 0
    pred_events: int = 0
    aligned_pairs: int = 0
    ignored_events: int = 0  # output events aligned with unreviewed ones
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
            "ignored_events": self.ignored_events,
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


def _words(value: object) -> set[str]:
    texts = [value] if isinstance(value, str) else [t for t in value if isinstance(t, str)] if isinstance(value, list) else []
    return {w for t in texts for w in _WORD.findall(t.lower())}


def alignment_score(gold: GoldEvent, pred: Event) -> float:
    score = 4.0 if primary_type(gold) == primary_type(pred) else 0.0
    g, p = event_countries(gold), event_countries(pred)
    if g | p:
        score += 2.0 * len(g & p) / len(g | p)
    if _words(gold.get("event_text")) & _words(pred.event_text):
        score += 1.0
    return score


def _counts(gv: object, pv: object, same: bool) -> tuple[int, int, int]:
    """(tp, fp, fn) of a single-valued field: ``same`` when both are given and agree."""
    if gv is not None and same:
        return (1, 0, 0)
    return (0, int(pv is not None), int(gv is not None))


Role = Literal["actor", "recipient"]
ROLES: tuple[Role, ...] = ("actor", "recipient")
KEYS: tuple[EntityKey, ...] = ("code", "sector")
Place = tuple[object, Loc | None]  # (GeoNames id, location) of an event's place


def _gold_place(ev: GoldEvent) -> Place | None:
    loc = ev.get("event_loc")
    if not isinstance(loc, dict):
        return None
    where = location(ev)
    return (loc.get("geonameid"), where) if loc.get("geonameid") is not None or where is not None else None


def _pred_place(ev: Event) -> Place | None:
    loc = ev.event_loc
    if loc is None:
        return None
    where = location(ev)
    return (loc.geonameid, where) if loc.geonameid is not None or where is not None else None


def _same_place(g: Place, p: Place) -> bool:
    if g[0] is not None and p[0] is not None:
        return bool(g[0] == p[0])
    gl, pl = g[1], p[1]
    if gl is None or pl is None or not gl.has_point or not pl.has_point:
        return False
    return haversine_km(gl.lat, gl.lon, pl.lat, pl.lon) <= PLACE_KM  # type: ignore[arg-type]


def _has_size(e: GoldEvent, kind: str) -> bool:
    size = e.get("size")
    return isinstance(size, dict) and kind in size


def extra_fields(gold_records: Sequence[PloverGold]) -> tuple[str, ...]:
    """The fields of ``EXTRA_FIELDS`` this set's gold carries."""
    events = [e for rec in gold_records for e in gold_events(rec.get("events"))]
    has = {
        "date": any("date" in e for e in events),
        "place": any(isinstance(loc := e.get("event_loc"), dict) and ("lat" in loc or "geonameid" in loc)
                     for e in events),
        "injured": any(_has_size(e, "injured") for e in events),
        "arrested": any(_has_size(e, "arrested") for e in events),
    }  # fmt: skip
    return tuple(f for f in EXTRA_FIELDS if has[f])


def _roles(gold: GoldEvent | None, pred: Event | None) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) of the actor and recipient codes and sectors."""
    out: dict[str, tuple[int, int, int]] = {}
    if gold is not None and gold.get("reciprocal"):
        both = role(gold, "actor") + role(gold, "recipient")
        pboth = role(pred, "actor") + role(pred, "recipient") if pred is not None else []
        for key in KEYS:
            out[f"actor_{key}"] = set_counts(entity_items(both, key), entity_values(pboth, key))
            out[f"recipient_{key}"] = (0, 0, 0)
        return out
    for name in ROLES:
        gents = role(gold, name) if gold is not None else []
        pents = role(pred, name) if pred is not None else []
        for key in KEYS:
            out[f"{name}_{key}"] = set_counts(entity_items(gents, key), entity_values(pents, key))
    return out


def compare(
    gold: GoldEvent | None, pred: Event | None, extras: tuple[str, ...] = ()
) -> dict[str, tuple[int, int, int]]:
    """(tp, fp, fn) per field for an aligned pair, a missed gold event (``pred`` None) or a
    spurious predicted event (``gold`` None); ``extras``: the fields of ``EXTRA_FIELDS`` to
    count too."""
    out: dict[str, tuple[int, int, int]] = {}
    gt = primary_type(gold) if gold is not None else None
    pt = primary_type(pred) if pred is not None else None
    if gt is not None and gt == pt:
        out["event_type"] = (1, 0, 0)
    else:
        out["event_type"] = (0, int(pt is not None), int(gt is not None))
    gmodes = modes(gold) if gold is not None else set()
    out["mode"] = set_counts([frozenset({m}) for m in sorted(gmodes)], modes(pred) if pred is not None else set())
    out.update(_roles(gold, pred))
    gl = location(gold) if gold is not None else None
    pl = location(pred) if pred is not None else None
    gold_loc = [gl.countries] if gl and gl.countries else []
    pred_loc = set(sorted(pl.countries)[:1]) if pl and pl.countries else set()
    out["location_country"] = set_counts(gold_loc, pred_loc)
    gd = dead(gold) if gold is not None else None
    pd = dead(pred) if pred is not None else None
    if gd is not None and gd == pd:
        out["dead"] = (1, 0, 0)
    else:
        out["dead"] = (0, int(pd is not None), int(gd is not None))
    if "date" in extras:
        gdate = event_date(gold) if gold is not None else None
        pdate = event_date(pred) if pred is not None else None
        out["date"] = _counts(gdate, pdate, gdate == pdate)
    if "place" in extras:
        gp = _gold_place(gold) if gold is not None else None
        pp = _pred_place(pred) if pred is not None else None
        out["place"] = _counts(gp, pp, gp is not None and pp is not None and _same_place(gp, pp))
    for kind in ("injured", "arrested"):
        if kind in extras:
            gv = size_count(gold, kind) if gold is not None else None
            pv = size_count(pred, kind) if pred is not None else None
            out[kind] = _counts(gv, pv, gv == pv)
    return out


def evaluate_plover(
    gold_records: Sequence[PloverGold], predictions: Mapping[str, Sequence[Event]]
) -> PloverReport:
    """Score predicted events against PLOVER gold records (one per document, with ``events``)."""
    report = PloverReport()
    extras = extra_fields(gold_records)
    for name in extras:
        report.fields[name] = PRF()
        report.aligned[name] = PRF()
    for rec in gold_records:
        gold = gold_events(rec.get("events"))
        pred = list(predictions.get(str(rec.get("doc_id")), []))
        report.documents += 1
        report.gold_events += len(gold)
        pairs = greedy_align(gold, pred, alignment_score)
        report.aligned_pairs += len(pairs)
        gi = {i for i, _ in pairs}
        pj = {j for _, j in pairs}
        unreviewed = gold_events(rec.get("unreviewed"))
        if unreviewed:  # output events no one has judged: neither right nor wrong
            rest = [j for j in range(len(pred)) if j not in pj]
            for _, k in greedy_align(unreviewed, [pred[j] for j in rest], alignment_score):
                pj.add(rest[k])
                report.ignored_events += 1
        report.pred_events += len(pred) - (len(pj) - len(pairs))
        items: list[tuple[GoldEvent | None, Event | None]] = [(gold[i], pred[j]) for i, j in pairs]
        items += [(g, None) for i, g in enumerate(gold) if i not in gi]
        items += [(None, p) for j, p in enumerate(pred) if j not in pj]
        for g, p in items:
            counts = compare(g, p, extras)
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
