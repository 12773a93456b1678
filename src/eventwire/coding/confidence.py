"""Calibrated confidence: how likely an output event is to be right.

Each coded event is described by a few dozen features of how it was found (which lexicon gave its
trigger, a verb or a noun, main clause or subordinate, what its arguments and evidence are); a
logistic model over them, trained by ``eventwire train`` on labelled events (``eventwire.coding.
training``), gives the probability that an event like it is right.  The weights are data
(``data/confidence.json``: feature name -> weight, readable, no pickled code).  Calibration is
checked on held-out events: of the events output at confidence 0.8, about 80 % should be right.

Where no weights are installed, ``score`` falls back to the rule-based prior the coder computed.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.coding.coder import EventCandidate
    from eventwire.model import Event

WEIGHTS = "data/confidence.json"


def features(cand: EventCandidate, event: Event, *, sentence_index: int, report: bool) -> dict[str, float]:
    """The features of one coded event (all binary but for the bias)."""
    m = cand.match
    origin = m.entry.origin
    if m.headline_verb:
        origin = "headline"
    t = event.event[0]
    lemma = m.token.lemma_.lower()
    f: dict[str, float] = {
        "bias": 1.0,
        f"origin={origin}": 1.0,
        f"type={t}": 1.0,
        f"type|origin={t}|{origin}": 1.0,
        f"lemma={lemma}": 1.0,
        f"type|lemma={t}|{lemma}": 1.0,
        f"nominal={m.nominal}": 1.0,
        f"conditioned={bool(m.extra)}": 1.0,
        f"main_clause={cand.main_clause}": 1.0,
        f"actor={'code' if any(a.code for a in event.actor) else 'sector' if event.actor else 'none'}": 1.0,
        f"recipient={'yes' if event.recipient else 'no'}": 1.0,
        f"date={event.date.source}": 1.0,
        f"place={'yes' if event.event_loc is not None else 'no'}": 1.0,
        f"acled={'yes' if event.acled_event_type else 'no'}": 1.0,
        f"sentence={min(sentence_index, 5)}": 1.0,
        f"report={report}": 1.0,
        f"speaker={cand.speaker is not None}": 1.0,
        f"modal={bool(cand.aux_modes)}": 1.0,
        f"casualties={'yes' if not event.size.is_empty() else 'no'}": 1.0,
    }
    for a in event.actor[:2]:
        f[f"actor_sector={a.sector}"] = 1.0
    for mode in event.mode:
        f[f"mode={mode}"] = 1.0
    return f


@functools.lru_cache(maxsize=1)
def _weights() -> dict[str, float] | None:
    try:
        text = resources.files("eventwire.coding").joinpath(WEIGHTS).read_text("utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(text)
    return {str(k): float(v) for k, v in data["weights"].items()}


def model_info() -> Mapping[str, Any] | None:
    """The installed model's metadata (training data, calibration), or None."""
    try:
        text = resources.files("eventwire.coding").joinpath(WEIGHTS).read_text("utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(text)
    return {k: v for k, v in data.items() if k != "weights"}


def score(feats: Mapping[str, float], prior: float) -> float:
    """The probability that an event with these features is right (``prior`` without weights)."""
    w = _weights()
    if w is None:
        return prior
    z = sum(w.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
