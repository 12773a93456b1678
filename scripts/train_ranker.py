"""Train the toponym ranker (``src/eventwire/geo/data/ranker.json``) from openly licensed text.

    .venv/bin/python scripts/train_ranker.py [--shared ../shared] [--limit N]

Labels come from the text itself: a place mention with candidates in several places, followed
by the country or admin areas that settle it ("Paris, Texas", "Hillah, Babil"), is labelled with
the one candidate there (``Geoparser.labelled_examples``; the settling words are hidden from the
features).  Text: the RAMS passages (CC BY-SA 4.0), the ECB+ documents (CC BY 3.0) and the NGEC
synthetic stories (MIT) in ``../shared/train``.  GeoVirus is never read here (it is GPL and a
development check only).  Logistic regression with a fixed seed; two rounds, so the features that
depend on the other places of a document are computed with the trained model.  A few minutes on
two cores; prints held-out accuracy (every fifth document) against the most-populous baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 13


def _texts(shared: Path, limit: int) -> list[tuple[str, str, str]]:
    """(source, id, text) of the training documents."""
    from eventwire.evaluate.trainsets import detokenize, read_rams, read_synthetic

    out: list[tuple[str, str, str]] = []
    train = shared / "train"
    for part in ("dev.jsonlines", "test.jsonlines"):
        p = train / "rams" / part
        if p.exists():
            for d in read_rams(p, split="all"):
                out.append(("rams", d.document.id, d.document.text))
    for f in sorted((train / "ecbplus").glob("*/*.xml")):
        root = ET.parse(f).getroot()
        toks = [t.text or "" for t in root.iter("token")]
        text, _ = detokenize(toks)
        out.append(("ecbplus", f.stem, text))
    p = train / "ngec_synthetic" / "stories.jsonl"
    if p.exists():
        for d in read_synthetic(p, split="all"):
            out.append(("ngec_synthetic", d.document.id, d.document.text))
    # only documents where a place may be settled by the words after it ("X, Y") or before it
    # ("the Iraqi city of X"): parsing the rest would label nothing
    out = [d for d in out if _SETTLING.search(d[2])]
    if limit:
        random.Random(SEED).shuffle(out)
        out = out[:limit]
    return out


_SETTLING = re.compile(
    r"\b[A-Z][\w'’-]+,\s+(?:in\s+)?[A-Z][a-z]|\b(?:city|town|village|province|district|region)\s+of\s+[A-Z]"
    r"|\b[A-Z][\w'’-]+\s+(?:village|district|province|county|division)\b|\b[A-Z][a-z]+,?\s+in\s+(?:the\s+)?"
    r"(?:north|south|east|west|central)\w*\s+[A-Z][a-z]+"
)


def _examples(geo, parsed):
    from eventwire.model import Document

    out = []
    for (src, did, text), sdoc in parsed:
        for rows, gold in geo.labelled_examples(Document(id=did, text=text), sdoc):
            out.append((src, did, rows, gold))
    return out


def _fit(examples):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for _, _, rows, gold in examples:
        for k, r in enumerate(rows):
            X.append(r)
            y.append(int(k == gold))
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED, class_weight="balanced")
    model.fit(np.asarray(X), np.asarray(y))
    return model


def _accuracy(weights, bias, examples) -> float:
    if not examples:
        return float("nan")
    ok = 0
    for _, _, rows, gold in examples:
        scores = [bias + sum(w * v for w, v in zip(weights, r, strict=True)) for r in rows]
        ok += max(range(len(rows)), key=lambda k: scores[k]) == gold
    return ok / len(examples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="use only N documents (a quick check)")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    from eventwire import nlp as ew_nlp
    from eventwire.geo import Geoparser
    from eventwire.geo.ranker import FEATURES, PRIOR_WEIGHTS, WEIGHTS, Ranker

    t0 = time.perf_counter()
    docs = _texts(args.shared, args.limit)
    if not docs:
        print(f"{args.shared}/train: no training text found", file=sys.stderr)
        return 2
    nlp = ew_nlp.load()
    print(f"{len(docs)} documents to parse", flush=True)
    with nlp.select_pipes(disable=[p for p in ("lemmatizer", "attribute_ruler") if p in nlp.pipe_names]):
        parsed = list(zip(docs, nlp.pipe([t for _, _, t in docs], batch_size=64), strict=True))
    print(f"parsed {len(docs)} documents in {time.perf_counter() - t0:.0f} s", flush=True)
    pop_k = FEATURES.index("log_pop")
    ranker = Ranker.load()
    for rnd in range(args.rounds):
        geo = Geoparser(ranker=ranker)
        examples = _examples(geo, parsed)
        held = [e for e in examples if zlib.crc32(e[1].encode()) % 5 == 0]  # every fifth document
        train = [e for e in examples if zlib.crc32(e[1].encode()) % 5 != 0]
        model = _fit(train)
        weights = [float(w) for w in model.coef_[0]]
        bias = float(model.intercept_[0])
        base = sum(max(range(len(r)), key=lambda k, r=r: r[k][pop_k]) == g for _, _, r, g in held) / max(1, len(held))
        acc = _accuracy(weights, bias, held)
        print(f"round {rnd + 1}: {len(examples)} labelled mentions from {len(docs)} documents "
              f"({', '.join(f'{s}: {sum(e[0] == s for e in examples)}' for s in ('rams', 'ecbplus', 'ngec_synthetic'))}); "
              f"held-out accuracy {acc:.3f} (most populous: {base:.3f}, {len(held)} mentions)", flush=True)
        model = _fit(examples)  # final weights from every example
        weights = [round(float(w), 5) for w in model.coef_[0]]
        seen = [any(r[k] for _, _, rows, _ in examples for r in rows) for k in range(len(FEATURES))]
        weights = [w if seen[k] else PRIOR_WEIGHTS.get(FEATURES[k], 0.0) for k, w in enumerate(weights)]
        bias = round(float(model.intercept_[0]), 5)
        ranker = Ranker(tuple(weights), bias, {})
    counts = {s: sum(e[0] == s for e in examples) for s in ("rams", "ecbplus", "ngec_synthetic")}
    payload = {
        "features": list(FEATURES),
        "weights": weights,
        "bias": bias,
        "trained": True,
        "seed": SEED,
        "examples": counts,
        "prior_weights_kept": [f for f, ok in zip(FEATURES, seen, strict=True) if not ok],
        "held_out_accuracy": round(acc, 4),
        "most_populous_accuracy": round(base, 4),
        "derived_from": {
            "rams": "RAMS (Ebner et al. 2020), CC BY-SA 4.0",
            "ecbplus": "ECB+ (Cybulska and Vossen 2014), CC BY 3.0",
            "ngec_synthetic": "NGEC synthetic stories (Halterman 2023), MIT",
        },
    }
    WEIGHTS.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS} in {time.perf_counter() - t0:.0f} s")
    for f, w in zip(FEATURES, weights, strict=True):
        print(f"  {f:20s} {w:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
