"""Every core, then a cluster: whole-command timings of ``eventwire extract``, ratios from one run.

    python benchmarks/scale.py [CORPUS.jsonl] [--repeat 3] [--workers N] [--no-ray]

Runs, interleaved so that a machine that slows down slows every variant alike:

- ``extract --workers 1`` and ``--workers 2`` (and ``--workers N`` where N > 2 cores): wall
  time, speed-up over one worker, and whether the output is byte-identical;
- ``extract --engine ray`` (a local Ray cluster started by the command) against the plain
  workers with as many workers (needs the ray extra; its start-up is part of the command);
- ``extract --workers 1`` against ``benchmarks/bare_parse.py`` (a bare spaCy parse of the same
  texts with the same model, as a whole process): the cost of everything eventwire adds;
- two bare parses of half the corpus each (by characters), run at once, against one bare parse
  of the whole: what two processes can gain on this machine at best, the bound of
  ``--workers 2`` (each of the two also imports spaCy and loads the model, as a worker does);
- documents per day projected per core (from the CPU seconds of the one-worker run) and the
  peak memory of one worker.

Prints medians with (min-max) over the repeats.  On a shared machine, quote the ratios.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "voa_stories.jsonl"
PY = sys.executable


def run(cmd: list[str], out: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the command and every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd + (["-o", str(out)] if out else []), check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"})  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_together(cmds: list[list[str]]) -> tuple[float, float]:
    """Wall and CPU seconds of several commands started at once (wall: until the last ends)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in cmds]
    for p in procs:
        p.wait()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} ({min(values):.2f}-{max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--no-ray", action="store_true")
    args = ap.parse_args(argv)
    from eventwire.ingest import read_documents
    from eventwire.model import Document

    docs = [d for d in read_documents([str(args.corpus)]) if isinstance(d, Document)]
    words = sum(len(d.text.split()) for d in docs)
    try:
        import ray  # noqa: F401

        have_ray = not args.no_ray
    except ImportError:
        have_ray = False
    counts = sorted({1, 2, args.workers})
    tmp = Path(tempfile.mkdtemp(prefix="eventwire-scale-"))
    extract = [PY, "-m", "eventwire", "extract", str(args.corpus)]
    variants: dict[str, tuple[list[str], Path | None]] = {
        f"workers {n}": (extract + ["--workers", str(n)], tmp / f"w{n}.jsonl") for n in counts
    }
    bare = [PY, str(ROOT / "benchmarks" / "bare_parse.py"), str(args.corpus)]
    variants["bare spaCy parse"] = (bare, None)
    halves = [bare + ["--part", f"{k}/2"] for k in (1, 2)]
    if have_ray:
        variants["ray local"] = (extract + ["--engine", "ray", "--workers", "2"], tmp / "ray.jsonl")
    together = "bare, 2 halves at once"
    wall: dict[str, list[float]] = {k: [] for k in [*variants, together]}
    cpu: dict[str, list[float]] = {k: [] for k in [*variants, together]}
    run([PY, "-m", "eventwire", "extract", str(args.corpus), "--workers", "1"], tmp / "warm.jsonl")  # warm caches
    for r in range(args.repeat):
        for name, (cmd, out) in variants.items():
            w, c = run(cmd, out)
            wall[name].append(w)
            cpu[name].append(c)
            print(f"  run {r + 1} {name:18s} wall {w:6.2f} s  cpu {c:6.2f} s", file=sys.stderr, flush=True)
        w, c = run_together(halves)
        wall[together].append(w)
        cpu[together].append(c)
        print(f"  run {r + 1} {together:18s} wall {w:6.2f} s  cpu {c:6.2f} s", file=sys.stderr, flush=True)

    print(f"corpus: {args.corpus} ({len(docs)} documents, {words} words); {args.repeat} runs each, "
          f"median (min-max); {len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'variant':22s} {'wall s':>22s} {'cpu s':>22s}")
    for name in [*variants, together]:
        print(f"{name:22s} {fmt(wall[name]):>22s} {fmt(cpu[name]):>22s}")
    one = wall["workers 1"]
    for n in counts[1:]:
        ratios = [a / b for a, b in zip(one, wall[f"workers {n}"], strict=True)]
        same = filecmp.cmp(tmp / "w1.jsonl", tmp / f"w{n}.jsonl", shallow=False)
        print(f"speed-up workers {n} / workers 1: {fmt(ratios)} (per pair of runs); output identical: {same}")
    bound = [a / b for a, b in zip(wall["bare spaCy parse"], wall[together], strict=True)]
    print(f"bound on this machine, bare parse / 2 halves at once (wall): {fmt(bound)}")
    if have_ray:
        ratios = [a / b for a, b in zip(wall["ray local"], wall["workers 2"], strict=True)]
        same = filecmp.cmp(tmp / "w1.jsonl", tmp / "ray.jsonl", shallow=False)
        print(f"ray local / workers 2 (wall): {fmt(ratios)}; output identical: {same}")
    cpu_ratio = [a / b for a, b in zip(cpu["workers 1"], cpu["bare spaCy parse"], strict=True)]
    wall_ratio = [a / b for a, b in zip(wall["workers 1"], wall["bare spaCy parse"], strict=True)]
    print(f"extract / bare parse, whole process: cpu {fmt(cpu_ratio)}  wall {fmt(wall_ratio)}")
    per_core = len(docs) / statistics.median(cpu["workers 1"]) * 86400
    print(f"projected per core: {per_core:,.0f} documents/day ({len(docs) / statistics.median(cpu['workers 1']):.2f}/s "
          f"of CPU, start-up included)")  # fmt: skip

    # Where other sessions keep the cores busy, the kernel's fair share per session (autogroup)
    # caps what a second worker can add to the wall time.  The CPU each worker used does not
    # depend on that: the busiest worker's CPU is the critical path on cores of one's own.
    from eventwire.scale import WorkerPool

    crit: dict[int, list[float]] = {n: [] for n in counts}
    walls: dict[int, list[float]] = {n: [] for n in counts}
    rss = 0.0
    for _ in range(args.repeat):
        for n in counts:
            t0 = time.perf_counter()
            with WorkerPool(n) as pool:
                for _doc in pool.map(docs):
                    pass
            walls[n].append(time.perf_counter() - t0)
            crit[n].append(max(pool.cpu_s.values()))
            rss = max(rss, pool.peak_rss_per_worker())
    for n in counts:
        print(f"pool of {n}: wall {fmt(walls[n])} s, busiest worker's CPU {fmt(crit[n])} s")
    for n in counts[1:]:
        est = [a / b for a, b in zip(crit[1], crit[n], strict=True)]
        print(f"speed-up on {n} free cores (CPU of one worker / CPU of the busiest of {n}): {fmt(est)}")
    print(f"peak RSS of one worker: {rss:.0f} MB (the parent holds no model)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
