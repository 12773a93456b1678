"""Train the toponym ranker (``src/eventwire/geo/data/ranker.json``) from openly licensed text.

    .venv/bin/python scripts/train_ranker.py [--shared ../shared] [--limit N]
    .venv/bin/python scripts/check_ranker.py            # then: the GeoVirus development check

Labels come from the text itself (``Geoparser.labelled_examples``): a place named with its
country or the areas it lies in ("Paris, Texas", "the Iraqi town of X", "X (Y, Z)", "X, a village
in Y province") is labelled with the one candidate there, or "none" when the gazetteer has no
candidate there; a name shown to be a person (a title before it, its full name earlier) is
labelled "none"; other mentions of a settled name in the same document share its label.  The
settling words are hidden from the features.  Text: the training side of the RAMS passages (CC
BY-SA 4.0) and of the NGEC synthetic stories (MIT), the ECB+ documents (CC BY 3.0) and the VOA
stories (public domain, ``../shared/corpus``).  GeoVirus is never read here (it is GPL and a
development check only).

The model is a softmax over each mention's candidates and "none of these" (L2-regularised, fit
with L-BFGS; no randomness).  Two rounds, so the features that depend on the other places of a
document are computed with a trained model.  Documents are split by a hash of their id: every
fifth is held out, and the learned model is compared there with the hand scoring
(``ranker.HAND_WEIGHTS``) and the most-populous baseline; the final weights are fit on all labels.
Parses are cached under ``.eventwire/parses``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
L2 = 1.0  # 0.5 * L2 * |weights|^2 added to the summed log loss


def _texts(shared: Path, limit: int) -> list[tuple[str, str, str]]:
    """(source, id, text) of the training documents."""
    from eventwire.evaluate.trainsets import detokenize, read_rams, read_synthetic

    out: list[tuple[str, str, str]] = []
    train = shared / "train"
    for d in read_rams(train / "rams", split="train"):
        out.append(("rams", d.document.id, d.document.text))
    for f in sorted((train / "ecbplus").glob("*/*.xml")):
        root = ET.parse(f).getroot()
        text, _ = detokenize([t.text or "" for t in root.iter("token")])
        out.append(("ecbplus", f.stem, text))
    for d in read_synthetic(train / "ngec_synthetic", split="train"):
        out.append(("ngec_synthetic", d.document.id, d.document.text))
    voa = shared / "corpus" / "voa_stories.jsonl"
    if voa.exists():
        for line in voa.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            out.append(("voa", f"voa-{rec['id']}", rec["text"]))
    # only documents where a place may be settled by the words around it, or a person by a title
    out = [d for d in out if _SETTLING.search(d[2])]
    if limit:
        out = out[:limit]
    return out


_SETTLING = re.compile(
    r"\b[A-Z][\w'’-]+,\s+(?:in\s+)?[A-Z][a-z]|\b(?:city|town|village|province|district|region)\s+of\s+[A-Z]"
    r"|\b[A-Z][\w'’-]+\s+(?:village|district|province|county|division)\b|\b[A-Z][a-z]+,?\s+in\s+(?:the\s+)?"
    r"(?:north|south|east|west|central)\w*\s+[A-Z][a-z]+|\([A-Z][\w'’-]+,\s+[A-Z]"
    r"|\b(?:Mr|Mrs|Ms|Dr|President|Gen|Sen|Gov|Minister|Judge|Col|Capt|Rev|Sheikh|King|Prince|Mayor)\.?\s+[A-Z]"
)


def _examples(geo, parsed):
    from eventwire.model import Document

    out = []
    for (src, did, text), sdoc in parsed:
        for ex in geo.labelled_examples(Document(id=did, text=text), sdoc):
            out.append((src, did, ex))
    return out


def _fit(examples):
    """Weights (candidate, none) of the softmax over each example's alternatives."""
    import numpy as np
    from scipy.optimize import minimize

    from eventwire.geo.ranker import FEATURES, NONE_FEATURES

    nf, nz = len(FEATURES), len(NONE_FEATURES)
    # places the gazetteer lacks look, once their settling words are hidden, just like the places
    # it has (a name with a locative before it): taught as "none" they make the model doubt real
    # places (on held-out labels: 20 of 150 places answered "none", against 3 without them).  The
    # chain of areas named with such a place settles it at run time; they are only scored here.
    examples = [e for e in examples if e[2].kind != "outside"]
    # persons settled by a title are many and easy: together they weigh at most half as much as
    # the places, so that "none" is not learned as the answer to every doubt
    kinds = Counter(ex.kind for _, _, ex in examples)
    places = kinds["place"] + kinds["area"]
    person_w = min(1.0, 0.5 * places / kinds["person"]) if kinds["person"] else 1.0
    data = [(np.asarray(ex.rows, dtype=float), np.asarray(ex.none_row, dtype=float), ex.gold,
             person_w if ex.kind == "person" else 1.0) for _, _, ex in examples]

    def loss(theta):
        w, v = theta[:nf], theta[nf:]
        total = 0.5 * L2 * float(theta @ theta)
        grad = L2 * theta.copy()
        for x, z, gold, weight in data:
            s = np.append(x @ w, z @ v)
            top = s.max()
            p = np.exp(s - top)
            p /= p.sum()
            total += weight * (top + np.log(np.exp(s - top).sum()) - s[gold])
            p[gold] -= 1.0
            p *= weight
            grad[:nf] += x.T @ p[:-1]
            grad[nf:] += z * p[-1]
        return total, grad

    res = minimize(loss, np.zeros(nf + nz), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return [float(t) for t in res.x[:nf]], [float(t) for t in res.x[nf:]]


def _choose(ranker, ex) -> int:
    scores = [ranker.score(r) for r in ex.rows]
    none = ranker.none_score(ex.none_row)
    best = max(range(len(scores)), key=lambda k: scores[k])
    return len(scores) if none > scores[best] else best


def _accuracy(ranker, examples) -> dict[str, object]:
    by_kind: dict[str, list[int]] = {}
    for _, _, ex in examples:
        by_kind.setdefault(ex.kind, []).append(int(_choose(ranker, ex) == ex.gold))
    allk = [v for vs in by_kind.values() for v in vs]
    places = by_kind.get("place", []) + by_kind.get("area", [])
    by_kind["places"] = places  # the labels with a place to find (hand scoring never says none)
    out: dict[str, object] = {k: {"right": sum(v), "of": len(v), "rate": round(sum(v) / len(v), 4)}
                              for k, v in sorted(by_kind.items())}
    out["all"] = {"right": sum(allk), "of": len(allk), "rate": round(sum(allk) / max(1, len(allk)), 4)}
    return out


def _most_populous(examples) -> float:
    from eventwire.geo.ranker import FEATURES

    k = FEATURES.index("log_pop")
    places = [ex for _, _, ex in examples if ex.kind == "place"]
    ok = sum(max(range(len(ex.rows)), key=lambda j: ex.rows[j][k]) == ex.gold for ex in places)
    return round(ok / max(1, len(places)), 4)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents (a quick check)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dump", type=Path, help="write the last round's labelled examples here (pickle)")
    args = ap.parse_args()
    from _corpus import model_key, parse_cached

    from eventwire import nlp as ew_nlp
    from eventwire.geo import Geoparser
    from eventwire.geo.ranker import FEATURES, NONE_FEATURES, WEIGHTS, Ranker

    t0 = time.perf_counter()
    docs = _texts(args.shared, args.limit)
    if not docs:
        print(f"{args.shared}: no training text found", file=sys.stderr)
        return 2
    nlp = ew_nlp.load()
    print(f"{len(docs)} documents ({', '.join(f'{k}: {n}' for k, n in sorted(Counter(d[0] for d in docs).items()))})",
          flush=True)
    parsed = list(zip(docs, parse_cached(nlp, [t for _, _, t in docs], model_key(nlp)), strict=True))
    print(f"parsed in {time.perf_counter() - t0:.0f} s", flush=True)
    ranker = Ranker.hand()
    hand = Ranker.hand()
    report: dict[str, object] = {}
    for rnd in range(args.rounds):
        examples = _examples(Geoparser(ranker=ranker), parsed)
        if args.dump:
            import pickle

            args.dump.write_bytes(pickle.dumps(examples))
        held = [e for e in examples if zlib.crc32(e[1].encode()) % 5 == 0]
        train = [e for e in examples if zlib.crc32(e[1].encode()) % 5 != 0]
        w, v = _fit(train)
        trial = Ranker(tuple(w), tuple(v), "learned")
        report = {
            "labels": {k: n for k, n in sorted(Counter(e[2].kind for e in examples).items())},
            "by_source": {k: n for k, n in sorted(Counter(e[0] for e in examples).items())},
            "held_out_mentions": len(held),
            "held_out_learned": _accuracy(trial, held),
            "held_out_hand": _accuracy(hand, held),
            "held_out_most_populous_places": _most_populous(held),
        }
        print(f"round {rnd + 1}: {json.dumps(report)}", flush=True)
        w, v = _fit(examples)  # the final weights from every label
        ranker = Ranker(tuple(w), tuple(v), "learned")
    learned, handed = report["held_out_learned"], report["held_out_hand"]
    beats = (learned["places"]["rate"] > handed["places"]["rate"]  # type: ignore[index]
             and learned["all"]["rate"] > handed["all"]["rate"])  # type: ignore[index]
    old = json.loads(WEIGHTS.read_text(encoding="utf-8")) if WEIGHTS.exists() else {}
    payload = {
        "selected": "hand",  # scripts/check_ranker.py decides, with the GeoVirus check
        "learned": {
            "features": list(FEATURES),
            "weights": [round(x, 5) for x in ranker.weights],
            "none_features": list(NONE_FEATURES),
            "none_weights": [round(x, 5) for x in (ranker.none_weights or ())],
            "l2": L2,
        },
        "training": report,
        "learned_beats_hand_on_held_out": beats,
        "geovirus_check": old.get("geovirus_check") if (old.get("geovirus_check") or {}).get("weights") == [
            round(x, 5) for x in ranker.weights] else None,
        "derived_from": {
            "rams": "RAMS (Ebner et al. 2020), training side, CC BY-SA 4.0",
            "ecbplus": "ECB+ (Cybulska and Vossen 2014), CC BY 3.0",
            "ngec_synthetic": "NGEC synthetic stories (Halterman 2023), training side, MIT",
            "voa": "Voice of America staff stories (voanews.com), public domain",
        },
    }
    WEIGHTS.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS} in {time.perf_counter() - t0:.0f} s; learned beats hand on held-out labels: {beats}")
    for f, x in zip(FEATURES, ranker.weights, strict=True):
        print(f"  {f:20s} {x:+.3f}")
    for f, x in zip(NONE_FEATURES, ranker.none_weights or (), strict=True):
        print(f"  {f:20s} {x:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
