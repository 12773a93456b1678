"""The same per-document function on a local Spark session, against the local workers.

    pip install pyspark==4.3.0          # not a dependency of eventwire: for this measurement only
    python benchmarks/spark_local.py [CORPUS.jsonl] [--workers 2]

Spark (``local[N]``, the image's Java 17) runs ``pipeline.code_batch`` in ``mapPartitions``,
one pipeline per Python worker (Spark reuses its Python workers); the events come back to the
driver and are compared with ``eventwire extract --workers N``.  Prints the wall time of both,
the Spark session's start-up, and whether the events are the same.  docs/scale.md says what the
figures mean for choosing an engine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "voa_stories.jsonl"
_PIPE: Any = None


def code_partition(rows: Iterable[tuple[int, str]]) -> Iterator[tuple[int, list[str]]]:
    """Spark's side: one pipeline per Python worker, then ``code_batch`` over the partition."""
    global _PIPE
    from eventwire.ingest import document_from_record
    from eventwire.pipeline import CodingFailure, Pipeline, code_batch

    if _PIPE is None:
        _PIPE = Pipeline()
    rows = list(rows)
    docs = [document_from_record(json.loads(line), f"line {i}") for i, line in rows]
    for (i, _), got in zip(rows, code_batch(_PIPE, docs), strict=True):
        events = [] if isinstance(got, CodingFailure) else got.asserted_events
        yield i, [json.dumps(e.to_plover(), ensure_ascii=False) for e in events]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args(argv)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print("pyspark is not installed (pip install pyspark==4.3.0)", file=sys.stderr)
        return 2
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    lines = [line for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]

    out = Path(tempfile.mkdtemp(prefix="eventwire-spark-")) / "local.jsonl"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "eventwire", "extract", str(args.corpus), "--workers", str(args.workers),
                    "-o", str(out)], check=True, stderr=subprocess.DEVNULL)  # fmt: skip
    local_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    spark = (SparkSession.builder.master(f"local[{args.workers}]").appName("eventwire")
             .config("spark.ui.enabled", "false").getOrCreate())  # fmt: skip
    spark.sparkContext.setLogLevel("ERROR")
    start_s = time.perf_counter() - t0
    rdd = spark.sparkContext.parallelize(list(enumerate(lines)), numSlices=max(1, -(-len(lines) // 8)))
    coded = sorted(rdd.mapPartitions(code_partition).collect())
    spark_s = time.perf_counter() - t0
    spark.stop()

    spark_lines = [e for _, events in coded for e in events]
    same = spark_lines == out.read_text(encoding="utf-8").splitlines()
    print(f"corpus {args.corpus} ({len(lines)} documents), {args.workers} workers, load average {os.getloadavg()[0]:.1f}")
    print(f"eventwire extract --workers {args.workers}: {local_s:6.1f} s (whole command)")
    print(f"Spark local[{args.workers}] mapPartitions:   {spark_s:6.1f} s (session start-up {start_s:.1f} s included; "
          f"the import of pyspark not)")  # fmt: skip
    print(f"ratio Spark / workers: {spark_s / local_s:.2f}; same events: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
