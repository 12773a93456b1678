"""Cost of one long document: a 900,000-character report against a 90,000-character one.

    .venv/bin/python benchmarks/long_document.py [--small 90000] [--factor 10] [--profile]

Builds both documents from the VOA corpus (../shared/corpus/voa_stories.jsonl: stories joined
by blank lines, repeated as needed), codes each with the pipeline (``Pipeline.process``, what
``eventwire extract`` runs per document) and prints the time of each, the ratio long / short
(linear cost gives about ``--factor``; the target is at most 10 for 10 times the text) and the
same ratio for the bare spaCy parse, with the peak RSS.  ``--profile`` prints the functions
that took longest on the long document.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "voa_stories.jsonl"


def long_text(chars: int) -> str:
    stories = [json.loads(line)["text"] for line in CORPUS.open(encoding="utf-8")]
    parts: list[str] = []
    size = 0
    i = 0
    while size < chars:
        s = stories[i % len(stories)]
        parts.append(s)
        size += len(s) + 2
        i += 1
    return "\n\n".join(parts)[:chars]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=int, default=90_000)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2

    from datetime import date

    from eventwire.model import Document
    from eventwire.pipeline import Pipeline

    pipe = Pipeline()
    pipe.process(Document("warm", "Gunmen killed two police officers in Kirkuk on Monday.", date(2025, 3, 14)))
    results = {}
    cpu: dict[str, tuple[float, float]] = {}  # CPU seconds: steadier than wall time on a shared machine
    for label, n in (("short", args.small), ("long", args.small * args.factor)):
        text = long_text(n)
        doc = Document(label, text, date(2025, 3, 14))
        t0, c0 = time.perf_counter(), time.process_time()
        parsed = pipe.nlp(text)
        parse_s, parse_cpu = time.perf_counter() - t0, time.process_time() - c0
        del parsed
        t0, c0 = time.perf_counter(), time.process_time()
        if args.profile and label == "long":
            import cProfile
            import pstats

            prof = cProfile.Profile()
            result = prof.runcall(pipe.process, doc)
        else:
            result = pipe.process(doc)
        total_s, total_cpu = time.perf_counter() - t0, time.process_time() - c0
        results[label] = (len(text), parse_s, total_s, len(result.events))
        cpu[label] = (parse_cpu, total_cpu)
        print(f"{label}: {len(text):,} characters, parse {parse_s:.1f} s (CPU {parse_cpu:.1f} s), "
              f"pipeline {total_s:.1f} s (CPU {total_cpu:.1f} s), {len(result.events)} events", flush=True)
        if args.profile and label == "long":
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    (n_s, p_s, t_s, _), (n_l, p_l, t_l, _) = results["short"], results["long"]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ratio long/short for {n_l / n_s:.0f}x the text: pipeline {t_l / t_s:.1f} (target <= {args.factor}), "
          f"parse alone {p_l / p_s:.1f}; peak RSS {rss:.0f} MB")
    (pc_s, tc_s), (pc_l, tc_l) = cpu["short"], cpu["long"]
    print(f"same in CPU seconds: pipeline {tc_l / tc_s:.1f}, parse alone {pc_l / pc_s:.1f}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
