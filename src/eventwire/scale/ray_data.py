"""The pipeline on a Ray cluster: ``eventwire extract --engine ray`` (``pip install eventwire[ray]``).

One Ray Data job, no scheduler of ours:

1. ``read_binary_files`` reads the input shards (local paths on a single machine; on a cluster,
   paths every node sees: a shared filesystem, or ``s3://``/``gs://``/``hdfs://`` URIs, which
   Ray opens through pyarrow).  Each shard becomes documents on a worker with eventwire's own
   readers (``ingest.read_path``: JSONL, WARC/WARC.gz, HTML, feeds, CSV, chosen by content), or,
   for Parquet, from the columns of the contract's input shape (``id``, ``text``,
   ``publication_date``, ``title``, ``url``, ``source``); unreadable inputs travel on as errors.
2. The documents are cut into blocks of ``batch_size`` so that every actor gets some.
3. ``map_batches(CodeBatch, compute=ActorPoolStrategy(min_size=1, max_size=workers))``: a
   class-based map whose actors each build the ``Pipeline`` once and code every batch with
   ``pipeline.code_batch``, the function the local workers use, so the events are the same.
4. The rows (one per document: its PLOVER events as JSON text, or its error) come back to the
   driver in input order, or are written by the workers as Parquet files in the contract's shape
   (``output.parquet.SCHEMA``, the schema of ``eventwire events --format parquet``).

``address``: ``"auto"`` or ``ray://host:10001`` joins an existing cluster; ``None`` starts a
local one for the run (and stops it afterwards).  See docs/scale.md.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from eventwire.model import Document, Event
from eventwire.pipeline import CodingFailure, DocumentResult, code_batch

log = logging.getLogger(__name__)

PARQUET_MAGIC = b"PAR1"


class RayNotInstalledError(RuntimeError):
    pass


def _ray() -> Any:
    # local runs: no token prompt, no usage reporting (the machine may have no network)
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    try:
        import ray
        import ray.data
    except ImportError:
        raise RayNotInstalledError(
            "--engine ray needs Ray Data: pip install 'eventwire[ray]' "
            "(or pip install --require-hashes -r requirements-ray.lock)"
        ) from None
    return ray


# -- stage 1: shards to documents (on the workers) -------------------------------------------
def _row(source: str, item: Any) -> dict[str, Any]:
    from eventwire.ingest import IngestError, Skipped

    # no nulls: every block has the same column types ("" and b"" stand for none)
    if isinstance(item, Document):
        return {"source": source, "doc": pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL), "error": "",
                "skipped": ""}  # fmt: skip
    if isinstance(item, Skipped):
        return {"source": item.source, "doc": b"", "error": "", "skipped": item.reason}
    assert isinstance(item, IngestError)
    return {"source": item.source, "doc": b"", "error": item.message, "skipped": ""}


def documents_of_shard(
    path: str, data: bytes, publication_date: date | None = None, any_language: bool = False
) -> list[dict[str, Any]]:
    """The documents (or errors) of one input shard, as rows of the job; documents not in
    English are errors unless ``any_language``, as in a local run."""
    rows = _read_shard(path, data, publication_date)
    if any_language:
        return rows
    from eventwire.ingest import english_only

    docs = [pickle.loads(r["doc"]) if r["doc"] else None for r in rows]
    checked = iter(english_only([d for d in docs if d is not None]))
    out = []
    for row, doc in zip(rows, docs, strict=True):
        out.append(row if doc is None else _row(doc.id, next(checked)))
    return out


def _read_shard(path: str, data: bytes, publication_date: date | None) -> list[dict[str, Any]]:
    from eventwire.ingest import document_from_record, read_path

    if data[:4] == PARQUET_MAGIC:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            records = pq.read_table(pa.BufferReader(data)).to_pylist()
        except Exception as exc:  # noqa: BLE001 - a broken shard is one error, the job goes on
            return [{"source": path, "doc": b"", "error": f"unreadable Parquet ({exc})", "skipped": ""}]
        out = []
        for n, rec in enumerate(records, 1):
            item: Any = document_from_record(rec, f"{path}#{n}")
            if isinstance(item, Document) and item.publication_date is None:
                item.publication_date = publication_date
            out.append(_row(item.id if isinstance(item, Document) else f"{path}#{n}", item))
        return out
    # every other kind through the readers of the local run, from a file of the same name
    # (a .txt document's id is its file's stem)
    with tempfile.TemporaryDirectory(prefix="eventwire-shard-") as tmp:
        local = Path(tmp) / (Path(path).name or "shard")
        local.write_bytes(data)
        rows = []
        for item in read_path(str(local), publication_date):
            row = _row(getattr(item, "id", path), item)
            if isinstance(row["source"], str) and row["source"].startswith(str(local)):
                row["source"] = path + row["source"][len(str(local)) :]  # name the shard, not the copy
            rows.append(row)
        return rows


# -- stage 3: the class-based map (one pipeline per actor) -----------------------------------
def _coded_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("source", pa.string()), ("doc_id", pa.string()), ("error", pa.string()),
                      ("skipped", pa.string()), ("events", pa.list_(pa.string()))])  # fmt: skip


class CodeBatch:
    """Ray Data callable class: builds the ``Pipeline`` once per actor, codes batches."""

    def __init__(self, model: str | None = None, all_events: bool = False, min_confidence: float = 0.0) -> None:
        from eventwire.pipeline import Pipeline

        self.pipe = Pipeline(model)
        self.all_events = all_events
        self.min_confidence = min_confidence

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        cols = batch.to_pydict()
        docs = [pickle.loads(d) if d else None for d in cols["doc"]]
        coded = iter(code_batch(self.pipe, [d for d in docs if d is not None]))
        out: dict[str, list[Any]] = {"source": [], "doc_id": [], "error": [], "skipped": [], "events": []}
        for source, doc, read_error, skipped in zip(cols["source"], docs, cols["error"], cols["skipped"], strict=True):
            events: list[str] = []
            error = read_error
            if doc is not None:
                got = next(coded)
                if isinstance(got, CodingFailure):
                    error = f"could not be coded ({got.message})"
                else:
                    assert isinstance(got, DocumentResult)
                    chosen = got.events if self.all_events else got.asserted_events
                    events = [json.dumps(e.to_plover(), ensure_ascii=False) for e in chosen
                              if e.confidence >= self.min_confidence]  # fmt: skip
            out["source"].append(source)
            out["doc_id"].append(doc.id if doc is not None else "")
            out["error"].append(error)
            out["skipped"].append(skipped)
            out["events"].append(events)
        return pa.Table.from_pydict(out, schema=_coded_schema())


def _configured(model: str | None, all_events: bool, min_confidence: float) -> type[CodeBatch]:
    """``CodeBatch`` with its options built in (constructor arguments would sit in the object
    store, and Ray warns that a restarted actor might not find them)."""

    class ConfiguredCodeBatch(CodeBatch):
        def __init__(self) -> None:
            super().__init__(model, all_events, min_confidence)

    return ConfiguredCodeBatch


def _contract_rows(batch: Any) -> Any:
    """Parquet rows in the contract's shape (``output.parquet.SCHEMA``) of a batch of coded
    documents."""
    import pyarrow as pa

    from eventwire.output.parquet import SCHEMA, parquet_row

    rows = [parquet_row(Event.from_plover(json.loads(s))) for events in batch.column("events").to_pylist() for s in events]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


# -- the driver ------------------------------------------------------------------------------
@dataclass
class DocumentOutcome:
    """What the job made of one input: its events (PLOVER dicts) or why there are none."""

    source: str
    doc_id: str | None
    events: list[dict[str, Any]]
    error: str | None = None
    skipped: str | None = None


@dataclass
class RayJob:
    paths: Sequence[str]
    model: str | None = None
    workers: int = 2
    address: str | None = None
    publication_date: date | None = None
    all_events: bool = False
    any_language: bool = False
    min_confidence: float = 0.0
    batch_size: int = 8

    def _dataset(self) -> Any:
        ray = _ray()
        from ray.data import ActorPoolStrategy, DataContext

        logging.getLogger("ray").setLevel(logging.WARNING)  # not a line per stage on the terminal
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        if not ray.is_initialized():
            if self.address is None:
                ray.init(num_cpus=max(2, self.workers), include_dashboard=False, log_to_driver=False,
                         logging_level=logging.WARNING)  # fmt: skip
            else:
                ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
        ctx = DataContext.get_current()
        ctx.execution_options.preserve_order = True  # output in input order, as the local run
        ctx.enable_progress_bars = False
        pub, any_language = self.publication_date, self.any_language
        ds = ray.data.read_binary_files(list(self.paths), include_paths=True)
        ds = ds.flat_map(lambda r: documents_of_shard(r["path"], r["bytes"], pub, any_language))
        ds = ds.repartition(target_num_rows_per_block=self.batch_size)
        return ds.map_batches(
            _configured(self.model, self.all_events, self.min_confidence),
            batch_size=self.batch_size,
            compute=ActorPoolStrategy(min_size=1, max_size=self.workers),
            num_cpus=1,
            batch_format="pyarrow",
        )

    def outcomes(self) -> Iterator[DocumentOutcome]:
        """Every input's outcome, in input order, streamed to the driver."""
        try:
            for row in self._dataset().iter_rows():
                yield DocumentOutcome(
                    row["source"], row["doc_id"] or None, [json.loads(s) for s in row["events"]],
                    row["error"] or None, row["skipped"] or None,
                )  # fmt: skip
        finally:
            self.shutdown()

    def write_parquet(self, directory: str) -> list[DocumentOutcome]:
        """Events written by the workers as Parquet files under ``directory`` (contract shape);
        returns the inputs that were rejected, failed or skipped."""
        try:
            ds = self._dataset().materialize()
            problems = [
                DocumentOutcome(r["source"], r["doc_id"] or None, [], r["error"] or None, r["skipped"] or None)
                for r in ds.select_columns(["source", "doc_id", "error", "skipped"]).iter_rows()
                if r["error"] or r["skipped"]
            ]
            ds.map_batches(_contract_rows, batch_format="pyarrow").write_parquet(directory)
            return problems
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        ray = _ray()
        if self.address is None and ray.is_initialized():
            ray.shutdown()  # the local cluster of this run; an existing cluster is left alone
