"""Geoparsing benchmark on the GED Iraq dev headlines.

Reports gazetteer load time (target < 1 s), the resident memory the index adds (after the run,
rows and keys read on demand are cached), per-document geoparse time against the bare spaCy parse
of the same texts (the baseline, measured in the same run; target <= 0.20), and a quick accuracy
check: the most specific
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


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


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

    load_gazetteer.cache_clear()
    load_gazetteer()  # make sure the index exists before timing a cold open
    load_gazetteer.cache_clear()
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    gaz = Gazetteer.read(default_path())
    gaz.lookup("Baghdad")
    load_s = time.perf_counter() - t0
    rss_open = _rss_mb() - rss0
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

    rss_after = _rss_mb() - rss0
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
    print(f"gazetteer load: {load_s:.3f} s ({len(gaz)} places, {gaz.key_count()} keys, "
          f"{default_path().stat().st_size / 1e6:.1f} MB on disk); target < 1 s")
    print(f"index resident memory: {rss_open:.1f} MB after opening; cached rows and keys after the run: "
          f"{len(gaz._rows)} rows, {len(gaz._keys)} keys (RSS growth of the whole run incl. spaCy: {rss_after:.0f} MB)")
    print(f"spaCy parse (baseline): {parse_s / n * 1000:.2f} ms/doc")
    print(f"geoparse: {geo_s / n * 1000:.2f} ms/doc; ratio geoparse/parse = {geo_s / parse_s:.3f} (target <= 0.20)")
    print(f"best toponym within 50 km (where_prec <= 2): {near}/{n_fine} = {near / max(1, n_fine):.3f}")
    print(f"best toponym in the gold country (Iraq): {country_ok}/{n_country} = {country_ok / max(1, n_country):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
