"""Geoparsing gold: toponyms with character offsets and coordinates (GeoVirus-style XML).

The file is read where it lies (``../shared/train/geovirus/GeoVirus.xml``); nothing from it is
stored in the package.  Predictions are ``eventwire geoparse`` records (CONTRACT.md: ``doc_id``,
``start``, ``end``, ``lat``, ``lon``...).  Scored the way geoparsers are usually compared:

- a gold toponym is *recognised* when a predicted place mention with coordinates overlaps it;
- ``within_161km``: the share of recognised toponyms resolved within 161 km (100 miles);
- ``recall``: recognised / all gold toponyms; ``precision``: predicted mentions with coordinates
  that overlap a gold toponym / all such predictions;
- ``median_km``, ``mean_km``: error over the recognised toponyms.
"""

from __future__ import annotations

import statistics
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.evaluate.metrics import haversine_km
from eventwire.model import Document, Toponym

WITHIN_KM = 161.0


@dataclass(slots=True, frozen=True)
class GoldToponym:
    text: str
    start: int
    end: int
    lat: float
    lon: float


@dataclass(slots=True)
class ToponymDoc:
    document: Document
    toponyms: list[GoldToponym]


def toponym_file(p: Path) -> Path | None:
    """The toponym gold file ``p`` is or holds (``GeoVirus.xml``-style), else None."""
    if p.is_dir():
        found = sorted(p.glob("*.xml"))
        p = found[0] if len(found) == 1 else p
    if p.is_file() and p.suffix == ".xml":
        with open(p, encoding="utf-8", errors="replace") as f:
            if "<articles" in f.read(2000):
                return p
    return None


def read_geovirus(path: str | Path) -> list[ToponymDoc]:
    """The articles of a GeoVirus-style XML file, ids ``geovirus-N`` in file order."""
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except (OSError, ET.ParseError) as exc:
        raise ValueError(f"{p}: cannot read toponym gold ({exc})") from None
    out: list[ToponymDoc] = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        tops: list[GoldToponym] = []
        for loc in art.iter("location"):
            try:
                tops.append(GoldToponym(
                    loc.findtext("name") or "", int(loc.findtext("start") or -1), int(loc.findtext("end") or -1),
                    float(loc.findtext("lat") or "nan"), float(loc.findtext("lon") or "nan"),
                ))
            except ValueError:
                continue
        out.append(ToponymDoc(Document(id=f"geovirus-{n}", text=text), tops))
    return out


@dataclass(slots=True)
class ToponymReport:
    gold: int = 0
    predicted: int = 0
    recognised: int = 0
    correct_predictions: int = 0
    within: int = 0
    errors_km: list[float] = field(default_factory=list)

    @property
    def within_161km(self) -> float | None:
        return self.within / self.recognised if self.recognised else None

    @property
    def recall(self) -> float | None:
        return self.recognised / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct_predictions / self.predicted if self.predicted else None

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "gold_toponyms": self.gold,
            "predicted_toponyms": self.predicted,
            "recognised": self.recognised,
            "within_161km": r(self.within_161km),
            "recall": r(self.recall),
            "precision": r(self.precision),
            "median_km": r(statistics.median(self.errors_km)) if self.errors_km else None,
            "mean_km": r(statistics.fmean(self.errors_km)) if self.errors_km else None,
        }


def _point(t: Toponym) -> tuple[int, int, float, float] | None:
    """(start, end, lat, lon) of a place mention resolved to coordinates."""
    p = t.place
    if p is None or p.lat is None or p.lon is None:
        return None
    return t.mention.start, t.mention.end, float(p.lat), float(p.lon)


def evaluate_toponyms(gold: Sequence[ToponymDoc], predictions: Mapping[str, Sequence[Toponym]]) -> ToponymReport:
    """Score place mentions (``eventwire geoparse``'s, by ``doc_id``) against the gold toponyms."""
    rep = ToponymReport()
    for gd in gold:
        preds = [pt for t in predictions.get(gd.document.id, []) if (pt := _point(t)) is not None]
        rep.gold += len(gd.toponyms)
        rep.predicted += len(preds)
        used: set[int] = set()
        for g in gd.toponyms:
            hits = [k for k, p in enumerate(preds) if p[0] < g.end and g.start < p[1]]
            if not hits:
                continue
            k = min(hits, key=lambda k: abs(preds[k][0] - g.start) + abs(preds[k][1] - g.end))
            used.update(hits)
            rep.recognised += 1
            d = haversine_km(g.lat, g.lon, preds[k][2], preds[k][3])
            rep.errors_km.append(d)
            rep.within += d <= WITHIN_KM
        rep.correct_predictions += len(used)
    return rep
