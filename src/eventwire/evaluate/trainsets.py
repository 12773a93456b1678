"""Scoring on the training material's held-out split: synthetic PLOVER stories and RAMS passages.

Rules, lexicons and models are decided on training material; figures are reported on data not
used to write them.  This module fixes that split once, by a hash, so that every script and
evaluation agrees on it without a file to keep in step:

- **NGEC synthetic stories** (``stories.jsonl``: one PLOVER type per story, often a mode) are
  split by their headline template (stories written from one template are near-paraphrases, so
  one template never sits on both sides).
- **RAMS passages** (``dev.jsonlines`` / ``test.jsonlines``: one annotated AIDA event per passage
  with its trigger and argument spans) are split by the outlet of the source URL, so the test side
  holds outlets never seen in training: cross-validation by source.

``split_of(key)`` puts 20 % of keys on the ``test`` side.  Training scripts read the ``train``
side only; ``eventwire evaluate ../shared/train/ngec_synthetic`` (or ``.../rams``) scores the
``test`` side by default.  Nothing from these files is stored in the package.

Two report kinds:

- ``doclabel`` (synthetic stories): the story's label against its main event (the most confident
  event of the first sentence with an event): accuracy, macro-F1 over the 16 types, the share of stories
  with any event of the label's type, the share with no event at all, and mode accuracy where the
  story has a mode.
- ``trigger`` (RAMS): for passages whose AIDA type maps to a PLOVER type (``data/aida_plover.tsv``)
  the share with an output event at the annotated trigger (offsets overlap), and of those the share
  with the right type; for passages whose type has no PLOVER event, the share where an event is
  output at the trigger anyway; argument roles: attacker/agent-like roles found among the event's
  actors, victim/target-like roles among its recipients, the place in ``event_loc`` (text overlap).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from eventwire.evaluate.matching import PLOVER_TYPES, confidence
from eventwire.evaluate.metrics import PRF, Rate, macro_f1
from eventwire.model import Document, Event

Split = Literal["train", "test", "all"]
TEST_PERCENT = 20
SYNTHETIC_FILE = "stories.jsonl"
RAMS_FILES = ("dev.jsonlines", "test.jsonlines")


def split_of(key: str) -> Literal["train", "test"]:
    """The fixed side of a split key: ``test`` for 20 % of keys, by a SHA-256 hash."""
    h = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16)
    return "test" if h % 100 < TEST_PERCENT else "train"


def _keep(key: str, split: Split) -> bool:
    return split == "all" or split_of(key) == split


# -- synthetic stories ---------------------------------------------------------------------------
@dataclass(slots=True)
class LabelledDoc:
    document: Document
    event: str
    mode: str | None = None


def read_synthetic(path: str | Path, split: Split = "test") -> list[LabelledDoc]:
    """Stories of the NGEC synthetic set on one side of the split (by headline template)."""
    p = Path(path)
    if p.is_dir():
        p = p / SYNTHETIC_FILE
    out: list[LabelledDoc] = []
    with p.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rec = json.loads(line)
            if not _keep(str(rec.get("title_template") or rec["id"]), split):
                continue
            mode = (rec.get("mode") or "").strip().lower() or None
            out.append(LabelledDoc(Document(str(rec["id"]), rec["text"]), str(rec["event"]), mode))
    return out


@dataclass(slots=True)
class DocLabelReport:
    documents: int = 0
    correct: int = 0
    any_of_label: int = 0
    no_event: int = 0
    mode_total: int = 0
    mode_correct: int = 0
    per_type: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in PLOVER_TYPES})
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.documents if self.documents else None

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.per_type[t] for t in PLOVER_TYPES)

    def to_dict(self) -> dict[str, Any]:
        mf1 = self.macro_f1
        return {
            "evaluator": "doclabel",
            "documents": self.documents,
            "accuracy": Rate(self.correct, self.documents).to_dict(),
            "macro_f1": None if mf1 is None else round(mf1, 4),
            "any_event_of_label": Rate(self.any_of_label, self.documents).to_dict(),
            "no_event": Rate(self.no_event, self.documents).to_dict(),
            "mode_accuracy": Rate(self.mode_correct, self.mode_total).to_dict(),
            "per_type": {k: v.to_dict() for k, v in self.per_type.items() if v.tp + v.fp + v.fn},
            "confusion": {f"{g}>{p}": n for (g, p), n in sorted(self.confusion.items()) if g != p},
        }


def main_event(events: Sequence[Event]) -> Event | None:
    """The event a one-event story is about: news tells it first, so the event of the first
    sentence that has one (the most confident of that sentence's events, then the first)."""
    def key(ev: Event) -> tuple[float, float]:
        return (float(ev.sentence.index) if ev.sentence is not None else 1e9, -confidence(ev))

    return min(events, key=key) if events else None


def _primary(ev: Event) -> str:
    return ev.event[0] if ev.event else "NONE"


def evaluate_doclabel(gold: Sequence[LabelledDoc], predictions: Mapping[str, Sequence[Event]]) -> DocLabelReport:
    rep = DocLabelReport()
    for g in gold:
        events = predictions.get(g.document.id, [])
        rep.documents += 1
        best = main_event(events)
        pred = _primary(best) if best else "NONE"
        rep.confusion[(g.event, pred)] += 1
        if not events:
            rep.no_event += 1
        if any(_primary(e) == g.event for e in events):
            rep.any_of_label += 1
        if pred == g.event:
            rep.correct += 1
            rep.per_type[g.event].add(tp=1)
        else:
            rep.per_type.setdefault(g.event, PRF()).add(fn=1)
            if pred != "NONE":
                rep.per_type.setdefault(pred, PRF()).add(fp=1)
        if g.mode and best is not None and pred == g.event:
            rep.mode_total += 1
            rep.mode_correct += int(g.mode in [str(m).lower() for m in best.mode])
        elif g.mode:
            rep.mode_total += 1
    return rep


# -- RAMS ----------------------------------------------------------------------------------------
ACTOR_ROLES = frozenset(
    "attacker killer injurer demonstrator yielder communicator participant investigator jailer "
    "giver preventer damagerdestroyer destroyer damager defendant prosecutor judgecourt imposer "
    "crashobject transporter detainee extraditer".split()
)
RECIPIENT_ROLES = frozenset("target victim recipient yieldee observedentity".split())
PLACE_ROLES = frozenset({"place"})


@dataclass(slots=True)
class Span:
    start: int
    end: int
    text: str
    role: str = ""


@dataclass(slots=True)
class TriggerDoc:
    document: Document
    aida: str
    event: str | None  # PLOVER type, "-" no PLOVER event, "?" undecidable
    mode: str | None
    trigger: Span
    arguments: list[Span]


@lru_cache(maxsize=1)
def aida_table() -> tuple[tuple[str, str, str | None], ...]:
    text = resources.files("eventwire.evaluate").joinpath("data/aida_plover.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", ""]
        rows.append((cols[0].strip(), cols[1].strip(), cols[2].strip() or None))
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def aida_to_plover(aida: str) -> tuple[str, str | None]:
    """(PLOVER type or '-' / '?', mode) for an AIDA type, by its longest listed prefix."""
    for prefix, plover, mode in aida_table():
        if aida == prefix or aida.startswith(prefix + "."):
            return plover, mode
    return "?", None


_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%'\"") | {"'s", "n't", "'re", "'ve", "'ll", "'d", "'m"}
_NO_SPACE_AFTER = frozenset("([{$")


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text from tokens with ordinary spacing, and each token's character offsets in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    prev = ""
    for tok in tokens:
        if parts and tok not in _NO_SPACE_BEFORE and prev not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(tok)))
        parts.append(tok)
        pos += len(tok)
        prev = tok
    return "".join(parts), offsets


def read_rams(path: str | Path, split: Split = "test") -> list[TriggerDoc]:
    """RAMS passages on one side of the split (by the source URL's outlet)."""
    p = Path(path)
    files = [p / f for f in RAMS_FILES if (p / f).is_file()] if p.is_dir() else [p]
    out: list[TriggerDoc] = []
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                rec = json.loads(line)
                outlet = urlparse(str(rec.get("source_url") or "")).netloc.lower().removeprefix("www.")
                if not _keep(outlet or str(rec["doc_key"]), split):
                    continue
                tokens = [t for s in rec["sentences"] for t in s]
                text, offs = detokenize(tokens)

                def span(a: int, b: int, role: str = "", offs: list[tuple[int, int]] = offs, text: str = text) -> Span:
                    s, e = offs[a][0], offs[b][1]
                    return Span(s, e, text[s:e], role)

                ts, te, labels = rec["evt_triggers"][0]
                aida = labels[0][0]
                plover, mode = aida_to_plover(aida)
                args = []
                for _trig, (a, b), role in rec.get("gold_evt_links") or []:
                    args.append(span(a, b, role[8:] if role.startswith("evt") else role))
                doc = Document(str(rec["doc_key"]), text, source=outlet or None)
                out.append(TriggerDoc(doc, aida, plover, mode, span(ts, te), args))
    return out


@dataclass(slots=True)
class TriggerReport:
    passages: int = 0
    mapped: int = 0
    trigger_found: int = 0
    type_right: int = 0
    unmapped: int = 0
    unmapped_coded: int = 0
    per_type: dict[str, PRF] = field(default_factory=lambda: {t: PRF() for t in PLOVER_TYPES})
    roles: dict[str, Rate] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def macro_f1(self) -> float | None:
        return macro_f1(self.per_type[t] for t in PLOVER_TYPES)

    def to_dict(self) -> dict[str, Any]:
        mf1 = self.macro_f1
        return {
            "evaluator": "trigger",
            "passages": self.passages,
            "mapped_passages": self.mapped,
            "trigger_found": Rate(self.trigger_found, self.mapped).to_dict(),
            "type_right_when_found": Rate(self.type_right, self.trigger_found).to_dict(),
            "type_recall": Rate(self.type_right, self.mapped).to_dict(),
            "macro_f1": None if mf1 is None else round(mf1, 4),
            "unmapped_passages_coded_at_trigger": Rate(self.unmapped_coded, self.unmapped).to_dict(),
            "roles": {k: v.to_dict() for k, v in sorted(self.roles.items())},
            "per_type": {k: v.to_dict() for k, v in self.per_type.items() if v.tp + v.fp + v.fn},
            "confusion": {f"{g}>{p}": n for (g, p), n in sorted(self.confusion.items()) if g != p},
        }


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def _at_trigger(ev: Event, trig: Span) -> bool:
    return any(_overlaps(t.start, t.end, trig.start, trig.end) for t in ev.triggers)


def _role_kind(role: str) -> str | None:
    name = "".join(ch for ch in role if ch.isalpha())
    for suffix in sorted(ACTOR_ROLES, key=len, reverse=True):
        if name.endswith(suffix):
            return "actor"
    for suffix in RECIPIENT_ROLES:
        if name.endswith(suffix):
            return "recipient"
    if name.endswith("place"):
        return "place"
    return None


def _words(text: str) -> set[str]:
    return {w for w in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(w) > 2}


def _argument_found(kind: str, arg: Span, ev: Event) -> bool:
    want = _words(arg.text)
    if not want:
        return False
    if kind == "place":
        loc = ev.event_loc
        if loc is None:
            return False
        got = _words(str(loc.extracted_place or "")) | _words(str(loc.resolved_place or ""))
        return bool(want & got)
    ents = ev.actor if kind == "actor" else ev.recipient if kind == "recipient" else []
    return any(want & _words(str(a.entity_text or "")) for a in ents)


def evaluate_trigger(gold: Sequence[TriggerDoc], predictions: Mapping[str, Sequence[Event]]) -> TriggerReport:
    rep = TriggerReport()
    for g in gold:
        rep.passages += 1
        events = [e for e in predictions.get(g.document.id, []) if _at_trigger(e, g.trigger)]
        if g.event == "?":
            continue
        if g.event == "-" or g.event is None:
            rep.unmapped += 1
            rep.unmapped_coded += int(bool(events))
            continue
        rep.mapped += 1
        pred = _primary(events[0]) if events else "NONE"
        typed = [e for e in events if _primary(e) == g.event]
        rep.confusion[(g.event, pred if not typed else g.event)] += 1
        if events:
            rep.trigger_found += 1
        if typed:
            rep.type_right += 1
            rep.per_type[g.event].add(tp=1)
        else:
            rep.per_type.setdefault(g.event, PRF()).add(fn=1)
            if pred != "NONE":
                rep.per_type.setdefault(pred, PRF()).add(fp=1)
        ev = typed[0] if typed else None
        for arg in g.arguments:
            kind = _role_kind(arg.role)
            if kind is None:
                continue
            rate = rep.roles.setdefault(kind, Rate())
            rate.total += 1
            rate.hits += int(ev is not None and _argument_found(kind, arg, ev))
    return rep


def is_synthetic_dir(p: Path) -> bool:
    return (p / SYNTHETIC_FILE).is_file() if p.is_dir() else p.name == SYNTHETIC_FILE


def is_rams_dir(p: Path) -> bool:
    return any((p / f).is_file() for f in RAMS_FILES) if p.is_dir() else p.suffix == ".jsonlines"
