"""``eventwire ingest``, ``events``, ``explain`` and ``summary``: the event store commands."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from eventwire.cli.common import (
    MAX_LIMIT,
    CliError,
    cell,
    check_choice,
    err_console,
    error_line,
    info_line,
    open_output,
    open_store,
    parse_date_option,
    usage_error,
)
from eventwire.cli.errors import Interrupted
from eventwire.cli.extract import ANY_LANGUAGE_HELP, WORKERS_HELP, workers_option
from eventwire.cli.terminal import plain_line
from eventwire.model import Actor, CanonicalEvent, StoredEvent

if TYPE_CHECKING:
    from eventwire.store import Explanation

EXPORT_FORMATS = ("table", "plover", "csv", "tsv", "parquet", "geojson")
DB_HELP = "Store: a SQLite file path or a database URL (postgresql://user@host/db). Default: $EVENTWIRE_DB (path or URL) or ~/.local/share/eventwire/eventwire.sqlite."


def _stopping_on_store_error(steps: Any) -> Any:
    """The steps; a store that fails as a whole (its writer gone, the server down, the disk
    full) ends the run with one line, keeping what was committed."""
    from eventwire.store import StoreError, redact

    try:
        yield from steps
    except StoreError as exc:
        raise CliError(f"ingest stopped: {redact(str(exc))}; what was stored before is complete") from None


def worker_pool(workers: int, model: str | None) -> Any:
    """Worker processes for ``ingest``/``watch`` (None: code in this process).  The workers
    start, and load the model, when the first document needs coding."""
    if workers <= 1:
        return None
    from eventwire.cli.extract import BATCH, check_model
    from eventwire.scale import WorkerPool

    check_model(model)
    return WorkerPool(workers, model, "code", batch_size=BATCH)


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = tuple(float(x) for x in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4 or parts[0] > parts[2] or parts[1] > parts[3]:
        raise usage_error(f"--bbox {value!r} is not minlon,minlat,maxlon,maxlat")
    return parts[0], parts[1], parts[2], parts[3]


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    import pycountry

    try:
        return pycountry.countries.lookup(value).alpha_3
    except LookupError:
        raise usage_error(f"--country {value!r} is not a country name or ISO code") from None


def _cell_actors(items: list[Actor], most: int = 3) -> str:
    """Up to ``most`` actors, one per country and sector, then how many more."""
    seen: set[tuple[str | None, str | None]] = set()
    cells = []
    for a in items:
        key = (a.code, a.sector)
        if key in seen:
            continue
        seen.add(key)
        cells.append(f"{a.entity_text} [{a.code or '-'}/{a.sector or '-'}]")
    extra = len(cells) - most
    return "; ".join(cells[:most]) + (f"; +{extra} more" if extra > 0 else "")


def records_table(records: Sequence[StoredEvent | CanonicalEvent], canonical: bool) -> Table:
    table = Table(title=f"{len(records)} {'merged ' if canonical else ''}events", expand=True)
    cols = ["id", "date", "event", "actor", "recipient", "place", "dead"]
    cols += ["reports"] if canonical else ["evidence"]
    for col in cols:
        table.add_column(col, overflow="fold", no_wrap=col in ("date", "event", "dead", "reports"))
    for rec in records:
        ev = rec.event
        loc = ev.event_loc
        place = (loc.resolved_place or loc.extracted_place or "") if loc else ""
        if loc and loc.province:
            place += f" ({loc.province})"
        dead = ev.size.dead
        last = str(rec.n_reports) if isinstance(rec, CanonicalEvent) else " | ".join(ev.event_text)
        table.add_row(
            cell(ev.id), cell(ev.date.date.isoformat() if ev.date.date else ""), cell(ev.event[0]),
            cell(_cell_actors(ev.actor)), cell(_cell_actors(ev.recipient)), cell(place),
            cell("" if dead is None else dead), cell(last),
        )  # fmt: skip
    return table


def register(app: typer.Typer) -> None:
    @app.command()
    def ingest(
        paths: list[str] = typer.Argument(
            ..., help="Input files, directories or glob patterns: .txt, .jsonl, HTML pages, WARC/WARC.gz "
                      "archives, RSS/Atom feeds, CSV/TSV (chosen by content); - for JSONL on stdin."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        publication_date: str | None = typer.Option(
            None, "--publication-date", help="YYYY-MM-DD for documents that do not give one."
        ),
        batch_size: int = typer.Option(32, "--batch-size", min=1, max=10_000, help="Documents parsed together."),
        columns: str | None = typer.Option(
            None, "--columns", help="CSV/TSV columns of document fields, e.g. text=story,publication_date=day "
                                    "(default: found by header names such as text/body, date/published, title/headline)."),
        any_language: bool = typer.Option(False, "--any-language", help=ANY_LANGUAGE_HELP),
        log_format: str = typer.Option("text", "--log-format", help="text, or json: one JSON object per line "
                                                                  "for each rejected input and the summary."),
        workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP),
    ) -> None:
        """Code documents and store them with their events; merge reports of the same event.

        Documents already stored with the same content are skipped, changed ones replaced.  A copy
        of a stored document (the same page under another URL, a syndicated copy of its text) is
        stored as a copy, not coded again.  A WARC file backfills with the same deduplication as
        ``eventwire watch``."""
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from eventwire.cli.extract import read_inputs
        from eventwire.cli.logs import LOG_FORMATS, log_event, logging_to_stderr
        from eventwire.ingest import ColumnMappingError, parse_columns
        from eventwire.pipeline import ingest_into

        check_choice(log_format, LOG_FORMATS, "--log-format")
        json_logs = log_format == "json"
        pub = parse_date_option(publication_date, "--publication-date")
        coder = worker_pool(workers_option(workers), model)
        try:
            mapping = parse_columns(columns)
        except ColumnMappingError as exc:
            raise usage_error(f"--columns: {exc}") from None
        store = open_store(db)
        tally = {"added": 0, "replaced": 0, "unchanged": 0, "rejected": 0, "events": 0, "merged": 0,
                 "copies": 0, "skipped": 0}  # fmt: skip
        bar = Progress(TextColumn("[bold]ingesting"), BarColumn(), TextColumn("{task.completed} documents"),
                       TimeElapsedColumn(), console=err_console, transient=True,
                       disable=json_logs or not err_console.is_terminal, redirect_stdout=False,
                       redirect_stderr=False)  # fmt: skip
        logs = logging_to_stderr("json") if json_logs else contextlib.nullcontext()

        def done() -> str:
            return (f"{tally['added']} added ({tally['copies']} as copies of other documents),"
                    f" {tally['replaced']} replaced, {tally['unchanged']} unchanged, {tally['skipped']} skipped,"
                    f" {tally['rejected']} rejected; {tally['events']} events ({tally['merged']} merged into"
                    " earlier reports)")  # fmt: skip

        with logs, store, bar, coder or contextlib.nullcontext():
            task = bar.add_task("ingest", total=None)

            def pipeline() -> Any:
                from eventwire.cli.extract import _pipeline

                return _pipeline(model)

            items = read_inputs(paths, pub, any_language, mapping)
            try:
                steps = ingest_into(store, items, pipeline, batch_size, coder=coder, lookahead=1 if coder else 0)
                for step in _stopping_on_store_error(steps):
                    if step.kind == "stored":
                        outcome = step.outcome
                        tally[outcome.status] += 1
                        tally["events"] += outcome.n_events
                        tally["merged"] += outcome.merged
                        tally["copies"] += bool(outcome.copy_of)
                    elif step.kind == "unchanged":
                        tally["unchanged"] += 1
                    elif step.kind == "skipped":
                        tally["skipped"] += 1
                    else:
                        what = {"failed": "could not be coded", "unstored": "could not be stored"}.get(step.kind)
                        message = f"{what} ({step.message})" if what else step.message
                        if json_logs:
                            log_event(logging.WARNING, f"{step.source}: {message}", event=step.kind,
                                      source=step.source, reason=message)  # fmt: skip
                        else:
                            error_line(step.source, message)
                        tally["rejected"] += 1
                        continue
                    bar.advance(task)
            except (Interrupted, CliError) as exc:
                bar.stop()
                if json_logs:
                    log_event(logging.WARNING, "ingest stopped", event="stopped", **tally,
                              reason=getattr(exc, "message", None) or str(exc))  # fmt: skip
                else:
                    info_line(f"{done()} before stopping; the stored documents are complete, run the same"
                              " command again to store the rest")  # fmt: skip
                raise
            counts = store.counts()
            if json_logs:
                log_event(logging.INFO, "ingest finished", event="summary", **tally,
                          store={k: counts[k] for k in ("documents", "events", "canonical_events")})  # fmt: skip
        if json_logs:
            raise typer.Exit(1 if tally["rejected"] else 0)
        info_line(
            f"{done()}; store: {counts['documents']} documents, {counts['events']} events,"
            f" {counts['canonical_events']} canonical events"
        )
        raise typer.Exit(1 if tally["rejected"] else 0)

    @app.command()
    def events(
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        since: str | None = typer.Option(None, "--since", help="Events on or after YYYY-MM-DD."),
        until: str | None = typer.Option(None, "--until", help="Events on or before YYYY-MM-DD."),
        country: str | None = typer.Option(None, "--country", help="Country of the event's place (name or ISO code)."),
        admin1: str | None = typer.Option(None, "--admin1", help="Province / first-order admin unit."),
        event_type: str | None = typer.Option(None, "--type", help="PLOVER event type (ASSAULT, PROTEST...)."),
        actor: str | None = typer.Option(None, "--actor", help="Actor or recipient code (IRQ, USA) or part of a name."),
        bbox: str | None = typer.Option(None, "--bbox", help="minlon,minlat,maxlon,maxlat"),
        canonical: bool = typer.Option(False, "--canonical", help="List merged events (one per real event)."),
        all_events: bool = typer.Option(False, "--all-events", help="Include negated, hypothetical, historical and future events."),
        min_confidence: float | None = typer.Option(
            None, "--min-confidence", min=0.0, max=1.0, help="Only events at least this confident (calibrated)."
        ),
        fmt: str = typer.Option("table", "--format", "-f", help="table, plover, csv, tsv, parquet or geojson."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
        limit: int | None = typer.Option(None, "--limit", min=1, max=MAX_LIMIT, help="At most this many events (table: 100)."),
        review: str | None = typer.Option(None, "--review", help="Review statuses, comma-separated: unreviewed, "
                                          "confirmed, corrected, rejected (default: all but rejected)."),
        flagged: bool = typer.Option(False, "--flagged", help="Only events a reviewer should look at again."),
    ) -> None:
        """Query the store and export events (streamed: any number in bounded memory).  Reviewed
        events carry their review (status, reviewer, time) and a reviewer's corrections."""
        from eventwire.ontology import EVENT_TYPES
        from eventwire.store import EventFilter

        check_choice(fmt, EXPORT_FORMATS, "--format")
        if event_type is not None and event_type.upper() not in EVENT_TYPES:
            raise usage_error(f"--type {event_type!r} is not a PLOVER event type ({', '.join(EVENT_TYPES)})")
        if fmt == "parquet" and output is None:
            raise usage_error("--format parquet needs --output FILE")
        filters = EventFilter(
            since=parse_date_option(since, "--since"), until=parse_date_option(until, "--until"),
            country=_country(country), admin1=admin1, event_type=event_type, actor=actor,
            bbox=_bbox(bbox), include_modal=all_events, min_confidence=min_confidence,
            review=_review(review, canonical), flagged=flagged,
        )  # fmt: skip
        if flagged and canonical:
            raise usage_error("--flagged lists reports (reviews are made on reports), not --canonical events")
        if fmt == "table" and limit is None:
            limit = 100
        store = open_store(db, read_only=True)
        with store, open_output(output, binary=fmt == "parquet") as fh:
            records = store.iter_events(filters, canonical=canonical, limit=limit)
            if fmt == "table":
                rows = list(records)
                Console(file=fh, width=160 if output else None, highlight=False, emoji=False).print(
                    records_table(rows, canonical)
                )
            elif fmt == "parquet":
                from eventwire.output.parquet import write_parquet

                write_parquet(records, fh)
            else:
                _writer(fmt)(records, fh)

    @app.command()
    def explain(
        event_id: str = typer.Argument(..., help="A canonical event id (ewc-...) or a report's event id."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        as_json: bool = typer.Option(False, "--json", help="Print the explanation as JSON."),
    ) -> None:
        """Show the merged event, every report behind it and why each was merged."""
        store = open_store(db, read_only=True)
        with store:
            info = store.explain(event_id)
        if info is None:
            raise CliError(f"{event_id}: no such event in the store")
        with open_output(None) as fh:
            if as_json:
                fh.write(json.dumps(info, ensure_ascii=False, default=str, indent=2) + "\n")
                return
            _print_explanation(Console(file=fh, highlight=False, emoji=False), info)

    @app.command()
    def summary(
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        top: int = typer.Option(10, "--top", min=1, max=MAX_LIMIT, help="How many merged events to list."),
    ) -> None:
        """Events in the store by type and country, and the events with the most reports."""
        store = open_store(db, read_only=True)
        with store:
            s = store.summary(top)
        with open_output(None) as fh:
            out = Console(file=fh, width=None if fh.isatty() else 150, highlight=False, emoji=False)
            t = Table(title="events by type and country")
            for col in ("type", "country", "events"):
                t.add_column(col)
            for typ, cc, n in s.by_type_country:
                t.add_row(cell(typ), cell(cc or "-"), cell(n))
            out.print(t)
            out.print(records_table(s.top_merged, canonical=True))
            c = s.counts
            out.print(plain_line(f"{c['documents']} documents, {c['events']} events, {c['canonical_events']} canonical events"))

    @app.command()
    def migrate(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """Create the store, or upgrade its schema to this eventwire's (ingest does this too)."""
        store = open_store(db)
        with store:
            info_line(f"store {store.label}: schema revision {store.schema_revision()}")


def _print_explanation(out: Console, info: Explanation) -> None:
    c = info["canonical"]
    loc = c["event_loc"]
    size = c["size"]
    place = (loc["resolved_place"] or loc["extracted_place"]) if loc is not None else None
    cc = loc["country_code"] if loc is not None else None
    head = Text(c["id"], style="bold")
    head.append(
        plain_line(
            f": {c['event'][0]} on {c['date'] or 'unknown date'}",
            f" to {c['enddate']}" if c["enddate"] else "",
            " at ", place or "unknown place",
            f" ({cc})" if cc else "",
            f"; dead {size['dead']}, injured {size['injured']}; {len(info['reports'])} report(s)",
        )
    )  # fmt: skip
    out.print(head)
    for i, r in enumerate(info["reports"], 1):
        reason = r["reason"]
        line = Text(f"\nreport {i}", style="bold")
        line.append(plain_line(f": {r['event_id']} in {r['doc_id']} [{r['evidence_start']}:{r['evidence_end']}]"))
        out.print(line)
        out.print(plain_line("  evidence: ", (r["evidence"] or "").strip()))
        if reason is None:
            continue
        if reason["rule"] == "first report":
            out.print(plain_line("  first report of this event"))
        elif reason["rule"] == "reviewer":
            out.print(plain_line("  merged by a reviewer's judgement: the same event as ",
                                 reason["checks"].get("same event as", "?")))
        else:
            out.print(plain_line(f"  merged (score {reason['score']}):"))
            for key, why in reason["checks"].items():
                out.print(plain_line(f"    {key}: ", why))


def _review(value: str | None, canonical: bool) -> tuple[str, ...]:
    from eventwire.store import REVIEW_STATUSES

    if value is None:
        return ()
    if canonical:
        raise usage_error("--review filters reports (reviews are made on reports), not --canonical events")
    items = tuple(x.strip().lower() for x in value.split(",") if x.strip())
    bad = [x for x in items if x not in REVIEW_STATUSES]
    if bad or not items:
        raise usage_error(f"--review {value!r}: give statuses from {', '.join(REVIEW_STATUSES)}")
    return items


def _writer(fmt: str) -> Any:
    if fmt == "plover":
        from eventwire.output import write_plover as w
    elif fmt == "csv":
        from eventwire.output import write_csv as w
    elif fmt == "tsv":
        from eventwire.output import write_tsv as w
    else:
        from eventwire.output import write_geojson as w
    return w
