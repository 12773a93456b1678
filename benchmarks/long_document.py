"""Cost of one long document: a 900,000-character report against a 90,000-character one.

    .venv/bin/python benchmarks/long_document.py [--small 90000] [--factor 10] [--rounds 3] [--slices] [--bare] [--profile]

Builds both documents from the VOA corpus (../shared/corpus/voa_stories.jsonl: stories joined
by blank lines, repeated as needed) and codes them with the pipeline (``Pipeline.process``, what
``eventwire extract`` runs per document).  Linear cost gives a ratio long / short of about
``--factor``; the target is at most 10 for 10 times the text.

The machine is shared, so the baseline is measured in the same run and under the same load:
each round codes the short document ``--factor`` times, half before and half after the long one,
and compares the long document's time with the mean of the short ones (CPU seconds, steadier
than wall time on a loaded machine; wall time is printed too).  The same is done for the parse
alone (``eventwire.nlp.parse``, as the pipeline parses), and with ``--bare`` for spaCy's own
unchunked parse of the whole text (``nlp(text)``).  The median of the rounds is the result.
With ``--slices`` the short documents are instead the long one's own ``--factor`` slices (cut at
line starts), each coded once per round: the same text as one document and as ten, so that what
is left is the cost of length alone, not that the first 90,000 characters read faster or slower
than the rest.
``--profile`` instead profiles one short and one long run and lists the functions whose CPU time
grows most against ``--factor`` short runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.process_time() - c0, time.perf_counter() - t0


def slices(text: str, n: int) -> list[str]:
    """``text`` cut into ``n`` pieces of about the same length, each after a line break."""
    cuts = [0]
    for k in range(1, n):
        at = text.find("\n", k * len(text) // n)
        cuts.append(at + 1 if at != -1 else len(text))
    cuts.append(len(text))
    return [text[a:b] for a, b in itertools.pairwise(cuts) if b > a]


def one_round(short: list[Callable[[], Any]], long: Callable[[], Any]) -> tuple[float, float, float, float]:
    """(CPU short mean, CPU long, wall short mean, wall long): the short runs half before and
    half after the long one, so that both see the same load."""
    half = len(short) // 2
    runs = [timed(fn) for fn in short[:half]]
    long_cpu, long_wall = timed(long)
    runs += [timed(fn) for fn in short[half:]]
    return (statistics.fmean(c for c, _ in runs), long_cpu, statistics.fmean(w for _, w in runs), long_wall)


def profile(pipe: Any, short_doc: Any, long_doc: Any, factor: int) -> None:
    import cProfile
    import pstats

    stats = {}
    for label, doc in (("short", short_doc), ("long", long_doc)):
        prof = cProfile.Profile(time.process_time)
        prof.runcall(pipe.process, doc)
        stats[label] = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    s, rows = stats["short"], []
    for key, (_, calls, own, cum, _) in stats["long"].items():
        base = s.get(key)
        ratio = cum / base[3] if base and base[3] > 0 else float("inf")
        rows.append((cum, ratio, own, calls, base[1] if base else 0, key))
    rows.sort(key=lambda r: r[0], reverse=True)
    print(f"\nCPU seconds on the long document; ratio: long / short (linear: {factor})")
    print(f"{'cumul.':>8} {'ratio':>6} {'own':>7} {'calls long':>11} {'short':>9}  function")
    for cum, ratio, own, calls, calls_s, (path, line, name) in rows[:40]:
        where = path.split("site-packages/")[-1].split("src/")[-1]
        print(f"{cum:8.2f} {ratio:6.1f} {own:7.2f} {calls:11d} {calls_s:9d}  {where}:{line} {name}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--small", type=int, default=90_000)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--slices", action="store_true", help="short documents: the long one's own slices")
    ap.add_argument("--bare", action="store_true", help="also time spaCy's unchunked parse of each text")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args(argv)
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2

    from datetime import date

    from eventwire import nlp as nlp_stage
    from eventwire.model import Document
    from eventwire.nlp.truecase import for_parsing
    from eventwire.pipeline import Pipeline

    pipe = Pipeline()
    long = long_text(args.small * args.factor)
    shorts = slices(long, args.factor) if args.slices else [long_text(args.small)] * args.factor
    docs = [Document(f"short{i}", t, date(2025, 3, 14)) for i, t in enumerate(shorts)]
    long_doc = Document("long", long, date(2025, 3, 14))
    load0 = os.getloadavg()[0]
    for label, doc in (("short", docs[0]), ("long", long_doc)):  # warm up, and what each codes
        print(f"{label}: {len(doc.text):,} characters, {len(pipe.process(doc).events)} events", flush=True)
    if args.slices:
        print(f"short: the long document's {args.factor} slices, {min(map(len, shorts)):,} to "
              f"{max(map(len, shorts)):,} characters")
    if args.profile:
        profile(pipe, docs[0], long_doc, args.factor)
        return 0

    def each(fn: Callable[[str, Document], Any]) -> list[Callable[[], Any]]:
        return [lambda t=t, d=d: fn(t, d) for t, d in zip(shorts, docs, strict=True)]

    kinds: dict[str, tuple[list[Callable[[], Any]], Callable[[], Any]]] = {
        "pipeline": (each(lambda t, d: pipe.process(d)), lambda: pipe.process(long_doc)),
        "parse alone": (each(lambda t, d: nlp_stage.parse(pipe.nlp, for_parsing(t))),
                        lambda: nlp_stage.parse(pipe.nlp, for_parsing(long))),
    }
    if args.bare:
        kinds["bare spaCy parse"] = (each(lambda t, d: pipe.nlp(t)), lambda: pipe.nlp(long))
    ratios: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
    for r in range(1, args.rounds + 1):
        parts = []
        for kind, (short, long_run) in kinds.items():
            cs, cl, ws, wl = one_round(short, long_run)
            ratios[kind].append((cl / cs, wl / ws))
            parts.append(f"{kind} CPU {cs:.2f} s / {cl:.1f} s = {cl / cs:.2f} (wall {wl / ws:.2f})")
        print(f"round {r}: " + "; ".join(parts) + f"; load {os.getloadavg()[0]:.1f}", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = ", ".join(
        f"{kind} {statistics.median(c for c, _ in rs):.2f} (wall {statistics.median(w for _, w in rs):.2f})"
        for kind, rs in ratios.items()
    )
    print(f"ratio long/short for {args.factor}x the text, CPU seconds, median of {args.rounds} rounds: {summary}; "
          f"target <= {args.factor}")
    print(f"peak RSS {rss:.0f} MB; load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end, "
          f"on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
