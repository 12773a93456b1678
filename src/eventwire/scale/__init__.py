"""Scale-out: the pipeline's per-document function on every core, then on a cluster.

- ``WorkerPool`` / ``default_workers`` (``eventwire.scale.workers``): local worker processes,
  each loading the pipeline once (``--workers N`` of ``extract``, ``geoparse``, ``ingest`` and
  ``watch``).
- ``eventwire.scale.ray_data`` (needs ``pip install eventwire[ray]``): the same function as a
  class-based map on Ray Data, reading JSONL, WARC or Parquet shards and writing Parquet in the
  contract's shape (``extract --engine ray``).  Imported on demand only.

Both code through ``pipeline.code_batch``, so every engine gives the same events.
"""

from eventwire.scale.workers import WorkerPool, WorkerStartError, default_workers

__all__ = ["WorkerPool", "WorkerStartError", "default_workers"]
