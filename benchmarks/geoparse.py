"""Geoparsing benchmark on the GED Iraq dev headlines.

Reports gazetteer load time, per-document geoparse time against the bare spaCy parse of the same
texts (the baseline, measured in the same run), and a quick accuracy check: the most specific
resolved toponym within 50 km of the gold point (where_prec <= 2) and its country (Iraq).

    .venv/bin/python benchmarks/geoparse.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from eventwire import nlp as ew_nlp
from eventwire.geo import Geoparser, haversine_km, load_gazetteer
from eventwire.geo.gazetteer import Gazetteer, default_path
from eventwire.model import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    docs_p, gold_p = SHARED / "data" / "ged_iraq.docs.jsonl", SHARED / "data" / "ged_iraq.gold.jsonl"
    if not docs_p.exists():
        print(f"{docs_p}: not found (set EVENTWIRE_SHARED)", file=sys.stderr)
        return 2
    docs = [json.loads(line) for line in docs_p.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {g["doc_id"]: g for g in map(json.loads, gold_p.read_text(encoding="utf-8").splitlines())}
    if args.limit:
        docs = docs[: args.limit]

    load_gazetteer()  # make sure the cache exists before timing a cold read
    t0 = time.perf_counter()
    gaz = Gazetteer.read(default_path())
    load_s = time.perf_counter() - t0
    geo = Geoparser(gaz)
    nlp = ew_nlp.load()
    texts = [d["text"] for d in docs]
    nlp(texts[0])  # warm-up
    t0 = time.perf_counter()
    parsed = [nlp(t) for t in texts]
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = [geo.geoparse(Document(id=d["id"], text=d["text"]), p) for d, p in zip(docs, parsed, strict=True)]
    geo_s = time.perf_counter() - t0

    n_fine = near = 0
    n_country = country_ok = 0
    for d, tops in zip(docs, results, strict=True):
        g = gold.get(d["id"])
        if g is None:
            continue
        places = [t.place for t in tops if t.place is not None and t.place.lat is not None]
        best = max(places, key=lambda p: (p.resolution, p.population), default=None)
        n_country += 1
        country_ok += bool(best and best.country_code == "IRQ")
        if g["where_prec"] <= 2:
            n_fine += 1
            if best is not None and haversine_km(best.lat, best.lon, g["latitude"], g["longitude"]) <= 50:
                near += 1
    n = len(docs)
    print(f"documents: {n}")
    print(f"gazetteer load: {load_s:.3f} s ({len(gaz)} places, {gaz.key_count()} keys)")
    print(f"spaCy parse (baseline): {parse_s / n * 1000:.2f} ms/doc")
    print(f"geoparse: {geo_s / n * 1000:.2f} ms/doc; ratio geoparse/parse = {geo_s / parse_s:.3f}")
    print(f"best toponym within 50 km (where_prec <= 2): {near}/{n_fine} = {near / max(1, n_fine):.3f}")
    print(f"best toponym in the gold country (Iraq): {country_ok}/{n_country} = {country_ok / max(1, n_country):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
