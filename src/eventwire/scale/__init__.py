"""Scale-out: the pipeline's per-document function on every core, then on a cluster.

- ``WorkerPool`` / ``default_workers`` (``eventwire.scale.workers``): local worker processes,
  each loading the pipeline once (``--workers N`` of ``extract``, ``geoparse``, ``ingest`` and
  ``watch``).
- ``eventwire.scale.ray_data`` (needs ``pip install eventwire[ray]``): the same function as a
  class-based map on Ray Data, reading JSONL, WARC or Parquet shards and writing Parquet in the
  contract's shape (``extract --engine ray``).  Imported on demand only.

Both code through ``pipeline.code_batch``, so every engine gives the same events.

``default_workers`` and ``start_fork_server`` (``eventwire.scale.cores``) import neither spaCy nor
the stages; ``WorkerPool`` imports them on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from eventwire.scale.cores import default_workers, start_fork_server

if TYPE_CHECKING:
    from eventwire.scale.workers import WorkerPool, WorkerStartError

__all__ = ["WorkerPool", "WorkerStartError", "default_workers", "start_fork_server"]


def __getattr__(name: str) -> Any:
    if name in ("WorkerPool", "WorkerStartError"):
        from eventwire.scale import workers

        return getattr(workers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
