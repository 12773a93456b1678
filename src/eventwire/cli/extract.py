"""``eventwire extract`` and ``eventwire geoparse``: code documents to events / place mentions."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from eventwire.cli.common import (
    cell,
    check_choice,
    error_line,
    load_pipeline,
    open_output,
    parse_date_option,
    progress,
    usage_error,
)
from eventwire.model import Actor, Event

FORMATS = ("plover", "csv", "table", "parquet")
ENGINES = ("local", "ray")
if TYPE_CHECKING:
    from eventwire.model import Document
    from eventwire.pipeline import Pipeline

ANY_LANGUAGE_HELP = "Code documents that are not in English too (the coding is English only: expect few events)."


def read_inputs(paths: list[str], pub: Any, any_language: bool, columns: Any = None) -> Any:
    """Documents, reader errors and skipped inputs; non-English documents are errors unless
    ``any_language``."""
    from eventwire.ingest import english_only, read_documents

    items = read_documents(paths, pub, columns)
    return items if any_language else english_only(items)


def _load_inputs(paths: list[str], pub: Any, any_language: bool = False) -> tuple[list[Any], int]:
    from eventwire.ingest import IngestError, Skipped

    documents, rejected = [], 0
    for item in read_inputs(paths, pub, any_language):
        if isinstance(item, IngestError):
            error_line(item.source, item.message)
            rejected += 1
        elif not isinstance(item, Skipped):  # a crawled page that is not an article: nothing to code
            documents.append(item)
    return documents, rejected


def _pipeline(model: str | None) -> Pipeline:
    return load_pipeline(model)


def check_model(model: str | None) -> None:
    """A model that is not installed is a usage error, before any worker starts."""
    from eventwire.nlp import ModelNotFoundError, available_model

    try:
        available_model(model)
    except ModelNotFoundError as exc:
        raise usage_error(f"--model: {exc}") from None


WORKERS_HELP = ("Worker processes, each loading the pipeline once (default: $EVENTWIRE_WORKERS, else the number of "
                "cores; 1 codes in this process).")
BATCH = 8  # documents coded together (nlp.pipe batch); the output does not depend on it


def workers_option(value: int | None) -> int:
    from eventwire.scale import default_workers

    if value is None:
        return default_workers()
    if value < 1:
        raise usage_error(f"--workers {value} must be at least 1")
    return value


def _start_workers(documents: list[Document], workers: int) -> None:
    """Where worker processes will code, start their fork server before this process imports
    spaCy and the stages, so that both import at once (about 0.6 s of CPU each)."""
    if min(workers, len(documents)) > 1:
        from eventwire.scale import start_fork_server

        start_fork_server()


def _run(
    documents: list[Document], model: str | None, workers: int, label: str, task: str = "code",
) -> Iterator[tuple[Document, Any]]:
    """Yield (document, outcome) in input order with a progress bar: a ``DocumentResult`` (a
    list of toponyms for geoparse), or a ``CodingFailure``.  With ``workers`` > 1 (and more
    than one document) worker processes code batches; else this process does."""
    from eventwire.pipeline import code_batch, geoparse_batch

    check_model(model)
    workers = min(workers, len(documents))
    with progress(len(documents), label) as bar:
        bar_task = bar.add_task(label, total=len(documents))
        if workers > 1:
            from eventwire.scale import WorkerPool

            with WorkerPool(workers, model, task, batch_size=BATCH) as pool:
                for doc, got in pool.map(documents):
                    yield doc, got
                    bar.advance(bar_task)
            logging.getLogger(__name__).info(
                "%d workers, peak RSS per worker %.0f MB", workers, pool.peak_rss_per_worker()
            )
            return
        pipe = _pipeline(model)
        fn = code_batch if task == "code" else geoparse_batch
        for i in range(0, len(documents), BATCH):
            batch = documents[i : i + BATCH]
            for doc, got in zip(batch, fn(pipe, batch), strict=True):
                yield doc, got
                bar.advance(bar_task)


def _extract_on_ray(paths: list[str], pub: Any, fmt: str, output: Path | None, model: str | None,
                    all_events: bool, workers: int, address: str | None, any_language: bool,
                    min_confidence: float = 0.0) -> None:
    """``extract --engine ray``: the same per-document function as a Ray Data job; exits."""
    from eventwire.output import write_csv, write_plover
    from eventwire.scale.ray_data import RayJob, RayNotInstalledError

    check_model(model)
    if "-" in paths:
        raise usage_error("--engine ray reads files (shards), not standard input")
    rejected = 0
    shards = []
    for path in paths:  # local paths are checked here; URIs (s3://...) by the cluster
        if "://" not in path and not Path(path).exists():
            error_line(path, "no such file")
            rejected += 1
        else:
            shards.append(path)
    if not shards:
        raise typer.Exit(1)
    job = RayJob(shards, model=model, workers=workers, address=address, publication_date=pub, all_events=all_events,
                 any_language=any_language, min_confidence=min_confidence)  # fmt: skip
    try:
        if fmt == "parquet":
            assert output is not None
            for p in job.write_parquet(str(output)):
                if p.error:
                    error_line(p.source, p.error)
                    rejected += 1
            raise typer.Exit(1 if rejected else 0)
        with open_output(output) as fh:
            events: list[Event] = []
            for outcome in job.outcomes():
                if outcome.error:
                    error_line(outcome.source, outcome.error)
                    rejected += 1
                events.extend(Event.from_plover(e) for e in outcome.events)
            if fmt == "table":
                Console(file=fh, width=160, highlight=False, emoji=False).print(events_table(events))
            else:
                (write_csv if fmt == "csv" else write_plover)(events, fh)
    except RayNotInstalledError as exc:
        raise usage_error(str(exc)) from None
    except (ConnectionError, RuntimeError) as exc:  # the cluster, or a shard URI it cannot open
        error_line("--engine ray", f"{type(exc).__name__}: {exc}")
        raise typer.Exit(1) from None
    raise typer.Exit(1 if rejected else 0)


def _actors(items: list[Actor]) -> str:
    return "; ".join(f"{a.entity_text} [{a.code or '-'}/{a.sector or '-'}]" for a in items)


def events_table(events: list[Event]) -> Table:
    table = Table(title=f"{len(events)} events", show_lines=False, expand=True)
    for col in ("date", "event", "mode", "actor", "recipient", "place", "dead", "evidence"):
        table.add_column(col, overflow="fold")
    for ev in events:
        day = ev.date.date.isoformat() if ev.date.date else ""
        loc = ev.event_loc
        place = ""
        if loc is not None:
            place = (loc.resolved_place or loc.extracted_place or "") + (f" ({loc.province})" if loc.province else "")
        table.add_row(
            cell(f"{day}{'' if ev.date.source == 'text' else ' (pub)'}"),
            cell(ev.primary),
            cell(", ".join(ev.mode)),
            cell(_actors(ev.actor)),
            cell(_actors(ev.recipient)),
            cell(place),
            cell("" if ev.size.dead is None else ev.size.dead),
            cell(" | ".join(ev.event_text)),
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        paths: list[str] = typer.Argument(..., help="Input files, directories or glob patterns (.txt, .jsonl, HTML, WARC, RSS/Atom, CSV/TSV), or - for JSONL on stdin."),
        publication_date: str | None = typer.Option(
            None, "--publication-date", help="YYYY-MM-DD for documents that do not give one."
        ),
        fmt: str = typer.Option("plover", "--format", "-f", help="plover (JSON Lines), csv (ACLED-like), table, or "
                                "parquet (contract columns; needs --output: a file, or a folder of files with --engine ray)."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        all_events: bool = typer.Option(
            False, "--all-events", help="Also output negated, hypothetical and historical events."
        ),
        min_confidence: float = typer.Option(
            0.0, "--min-confidence", min=0.0, max=1.0,
            help="Only events at least this confident (calibrated: of events at 0.8, about 80% are right).",
        ),
        workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP),
        any_language: bool = typer.Option(False, "--any-language", help=ANY_LANGUAGE_HELP),
        engine: str = typer.Option("local", "--engine", help="local (worker processes on this machine) or ray "
                                   "(a Ray cluster; pip install 'eventwire[ray]'; input paths must be visible to its nodes)."),
        address: str | None = typer.Option(None, "--address", help="With --engine ray: the cluster to join (auto, "
                                           "ray://HOST:10001); default: a local cluster for this run."),
    ) -> None:
        """Code news reports into PLOVER events (who did what to whom, where, when)."""
        from eventwire.output import write_csv, write_plover

        check_choice(fmt, FORMATS, "--format")
        check_choice(engine, ENGINES, "--engine")
        if fmt == "parquet" and output is None:
            raise usage_error("--format parquet needs --output")
        if address is not None and engine != "ray":
            raise usage_error("--address needs --engine ray")
        pub = parse_date_option(publication_date, "--publication-date")
        n_workers = workers_option(workers)
        if engine == "ray":
            _extract_on_ray(paths, pub, fmt, output, model, all_events, n_workers, address, any_language, min_confidence)
        # the output is opened first: a path that cannot be written fails before any work
        with open_output(output, binary=fmt == "parquet") as fh:
            documents, rejected = _load_inputs(paths, pub, any_language)
            _start_workers(documents, n_workers)
            from eventwire.pipeline import CodingFailure  # spaCy and every stage

            events: list[Event] = []
            if documents:
                for doc, result in _run(documents, model, n_workers, "coding"):
                    if isinstance(result, CodingFailure):
                        error_line(doc.id, f"could not be coded ({result.message})")
                        rejected += 1
                        continue
                    events.extend(
                        e for e in (result.events if all_events else result.asserted_events)
                        if e.confidence >= min_confidence
                    )
            if fmt == "table":
                Console(file=fh, width=160, highlight=False, emoji=False).print(events_table(events))
            elif fmt == "parquet":
                from eventwire.output.parquet import write_parquet  # pyarrow: 0.1-0.2 s to import

                write_parquet(events, fh)
            else:
                (write_csv if fmt == "csv" else write_plover)(events, fh)
        raise typer.Exit(1 if rejected else 0)

    @app.command()
    def geoparse(
        paths: list[str] = typer.Argument(..., help="Input files, directories or glob patterns (.txt, .jsonl, HTML, WARC, RSS/Atom, CSV/TSV), or - for JSONL on stdin."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP),
        any_language: bool = typer.Option(False, "--any-language", help=ANY_LANGUAGE_HELP),
    ) -> None:
        """List every place mention with the gazetteer entry it resolves to (JSON Lines)."""
        n_workers = workers_option(workers)
        with open_output(output) as fh:
            documents, rejected = _load_inputs(paths, None, any_language)
            _start_workers(documents, n_workers)
            from eventwire.pipeline import CodingFailure  # spaCy and every stage

            if documents:
                for doc, toponyms in _run(documents, model, n_workers, "geoparsing", task="geoparse"):
                    if isinstance(toponyms, CodingFailure):
                        error_line(doc.id, f"could not be geoparsed ({toponyms.message})")
                        rejected += 1
                        continue
                    for top in toponyms:
                        fh.write(json.dumps(top.to_dict(doc.id), ensure_ascii=False) + "\n")
        raise typer.Exit(1 if rejected else 0)
