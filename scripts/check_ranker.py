"""The GeoVirus development check of the toponym ranker: hand scoring against the learned one.

    .venv/bin/python scripts/check_ranker.py [--geovirus ../shared/train/geovirus]

Geoparses the GeoVirus articles twice, with the hand scoring (``ranker.HAND_WEIGHTS``) and with the
learned weights in ``src/eventwire/geo/data/ranker.json``, scores both (share of recognised
toponyms within 161 km, recall), and records the figures in ``ranker.json`` with the choice:
the learned scoring is ``selected`` only when it beats the hand one on the held-out training
labels (``scripts/train_ranker.py``) AND on this check (more recognised toponyms within 161 km,
recall at least 0.75).  GeoVirus (GPL-3.0) is read only here,
for this choice: nothing is trained or tuned on it, and nothing from it is stored but the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MIN_RECALL = 0.75
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--geovirus", type=Path, default=ROOT.parent / "shared" / "train" / "geovirus")
    args = ap.parse_args()
    from devscore import _parses

    from eventwire import nlp as nlp_stage
    from eventwire.evaluate import find_datasets
    from eventwire.evaluate.toponyms import ToponymDoc, evaluate_toponyms
    from eventwire.geo import Geoparser
    from eventwire.geo.ranker import WEIGHTS, Ranker

    (ds,) = find_datasets(args.geovirus)
    if ds.kind != "toponyms":
        print(f"{args.geovirus}: not toponym gold", file=sys.stderr)
        return 2
    nlp = nlp_stage.load()
    key = nlp_stage.available_model(None) + hashlib.sha256(inspect.getsource(nlp_stage).encode()).hexdigest()
    docs = [x.document for x in ds.items]
    parsed = _parses(nlp, key, docs)
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    figures = {}
    for name, ranker in (("hand", Ranker.hand()), ("learned", Ranker.learned())):
        geo = Geoparser(ranker=ranker)
        preds = {d.id: list(geo.geoparse(d, s)) for d, s in zip(docs, parsed, strict=True)}
        rep = evaluate_toponyms([x for x in ds.items if isinstance(x, ToponymDoc)], preds).to_dict()
        figures[name] = {k: rep[k] for k in ("within_161km", "recall", "precision", "median_km", "recognised")}
        print(f"{name:8s} {json.dumps(figures[name])}")
    # the headline measure of geoparsing: the share of recognised toponyms within 161 km, with
    # recall kept at the bar (a "none" answer leaves a toponym unrecognised)
    better = (figures["learned"]["within_161km"] or 0) > (figures["hand"]["within_161km"] or 0) and (
        figures["learned"]["recall"] or 0) >= MIN_RECALL
    data["geovirus_check"] = {**figures, "learned_beats_hand": better, "weights": data["learned"]["weights"]}
    data["selected"] = "learned" if better and data.get("learned_beats_hand_on_held_out") else "hand"
    WEIGHTS.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"selected: {data['selected']} (held-out labels: {data.get('learned_beats_hand_on_held_out')}, "
          f"GeoVirus: {better})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
