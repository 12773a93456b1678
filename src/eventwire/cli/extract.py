"""``eventwire extract`` and ``eventwire geoparse``: code documents to events / place mentions."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from eventwire.cli.common import (
    check_choice,
    err_console,
    error_line,
    output_stream,
    parse_date_option,
    progress,
)

FORMATS = ("plover", "csv", "table")


def _load_inputs(paths: list[str], pub):
    from eventwire.ingest import IngestError, Skipped, read_documents

    documents, rejected = [], 0
    for item in read_documents(paths, pub):
        if isinstance(item, IngestError):
            error_line(item.source, item.message)
            rejected += 1
        elif not isinstance(item, Skipped):  # a crawled page that is not an article: nothing to code
            documents.append(item)
    return documents, rejected


def _pipeline(model: str | None):
    from eventwire.nlp import ModelNotFoundError
    from eventwire.pipeline import Pipeline

    try:
        return Pipeline(model)
    except ModelNotFoundError as exc:
        err_console.print(f"eventwire: --model: {exc}", markup=False)
        raise typer.Exit(2) from None


def _run(pipe, documents, label: str):
    """Yield (document, result or None) with a progress bar; a failing document is reported."""
    with progress(len(documents), label) as bar:
        task = bar.add_task(label, total=len(documents))
        for doc in documents:
            try:
                yield doc, pipe.process(doc)
            except Exception as exc:  # one bad document must not stop the batch
                error_line(doc.id, f"could not be coded ({type(exc).__name__}: {exc})")
                yield doc, None
            bar.advance(task)


def events_table(events) -> Table:
    table = Table(title=f"{len(events)} events", show_lines=False, expand=True)
    for col in ("date", "event", "mode", "actor", "recipient", "place", "dead", "evidence"):
        table.add_column(col, overflow="fold")
    for ev in events:
        d = ev.to_plover()
        loc = d["event_loc"] or {}
        table.add_row(
            f"{d['date'] or ''}{'' if d['date_source'] == 'text' else ' (pub)'}",
            d["event"][0],
            ", ".join(d["mode"]),
            "; ".join(f"{a['entity_text']} [{a['code'] or '-'}/{a['sector'] or '-'}]" for a in d["actor"]),
            "; ".join(f"{a['entity_text']} [{a['code'] or '-'}/{a['sector'] or '-'}]" for a in d["recipient"]),
            f"{loc.get('resolved_place') or loc.get('extracted_place') or ''}"
            + (f" ({loc.get('province')})" if loc.get("province") else ""),
            "" if d["size"]["dead"] is None else str(d["size"]["dead"]),
            " | ".join(d["event_text"]),
        )
    return table


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        paths: list[str] = typer.Argument(..., help="Input .txt or .jsonl files, or - for JSONL on stdin."),
        publication_date: str | None = typer.Option(
            None, "--publication-date", help="YYYY-MM-DD for documents that do not give one."
        ),
        fmt: str = typer.Option("plover", "--format", "-f", help="plover (JSON Lines), csv (ACLED-like) or table."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        all_events: bool = typer.Option(
            False, "--all-events", help="Also output negated, hypothetical and historical events."
        ),
    ) -> None:
        """Code news reports into PLOVER events (who did what to whom, where, when)."""
        from eventwire.output import write_csv, write_plover

        check_choice(fmt, FORMATS, "--format")
        pub = parse_date_option(publication_date, "--publication-date")
        documents, rejected = _load_inputs(paths, pub)
        events = []
        if documents:
            pipe = _pipeline(model)
            for _doc, result in _run(pipe, documents, "coding"):
                if result is None:
                    rejected += 1
                    continue
                events.extend(result.events if all_events else result.asserted_events)
        if fmt == "table":
            console = Console(width=160) if output is None else None
            if console is not None:
                console.print(events_table(events))
            else:
                with output_stream(output) as fh:
                    Console(file=fh, width=160).print(events_table(events))
        else:
            with output_stream(output) as fh:
                (write_csv if fmt == "csv" else write_plover)(events, fh)
        raise typer.Exit(1 if rejected else 0)

    @app.command()
    def geoparse(
        paths: list[str] = typer.Argument(..., help="Input .txt or .jsonl files, or - for JSONL on stdin."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
    ) -> None:
        """List every place mention with the gazetteer entry it resolves to (JSON Lines)."""
        documents, rejected = _load_inputs(paths, None)
        if documents:
            pipe = _pipeline(model)
            with output_stream(output) as fh, progress(len(documents), "geoparsing") as bar:
                task = bar.add_task("geoparsing", total=len(documents))
                for doc in documents:
                    try:
                        toponyms = pipe.geoparse(doc)
                    except Exception as exc:
                        error_line(doc.id, f"could not be geoparsed ({type(exc).__name__}: {exc})")
                        rejected += 1
                        continue
                    for top in toponyms:
                        fh.write(json.dumps(top.to_dict(doc.id), ensure_ascii=False) + "\n")
                    bar.advance(task)
        raise typer.Exit(1 if rejected else 0)
