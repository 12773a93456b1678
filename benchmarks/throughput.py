"""Throughput of ``eventwire extract`` against a bare spaCy parse of the same texts.

    python benchmarks/throughput.py [CORPUS.jsonl] [--limit N] [--model NAME]

Prints articles/s and words/s for both, their ratio (parse time / full pipeline time: 1.0 means
coding is free, 0.5 means coding costs as much as the parse) and the peak RSS.  Default corpus:
../shared/corpus/voa_stories.jsonl, else the bundled example.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = (ROOT.parent / "shared" / "corpus" / "voa_stories.jsonl", ROOT / "examples" / "seed.jsonl")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    corpus = args.corpus or next((p for p in DEFAULT_CORPORA if p.exists()), None)
    if corpus is None:
        print("no corpus found", file=sys.stderr)
        return 2

    from eventwire.ingest import read_documents
    from eventwire.model import Document
    from eventwire.pipeline import Pipeline

    docs = [d for d in read_documents([str(corpus)]) if isinstance(d, Document)]
    if args.limit:
        docs = docs[: args.limit]
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    pipe = Pipeline(args.model)
    # warm up both paths (lazy gazetteer and dictionary loading is not what we measure)
    pipe.process(docs[0])

    t0 = time.perf_counter()
    for _ in pipe.nlp.pipe(texts, batch_size=16):
        pass
    parse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_events = 0
    for result in pipe.pipe(docs, batch_size=16):
        n_events += len(result.events)
    full_s = time.perf_counter() - t0

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus           {corpus} ({len(docs)} articles, {words} words)")
    print(f"spaCy parse      {len(docs) / parse_s:8.2f} articles/s {words / parse_s:10.0f} words/s")
    print(f"eventwire        {len(docs) / full_s:8.2f} articles/s {words / full_s:10.0f} words/s  ({n_events} events)")
    print(f"coding overhead  {full_s - parse_s:8.2f} s  ({(full_s - parse_s) / len(docs) * 1000:.1f} ms/article)")
    print(f"ratio            {parse_s / full_s:8.3f}  (parse time / extract time; target >= 0.5)")
    print(f"peak RSS         {rss_mb:8.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
