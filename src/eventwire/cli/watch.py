"""``eventwire watch FEED_OR_LIST``: follow news feeds, fetch and code new articles, store them."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

    from eventwire.pipeline import Pipeline

from eventwire.cli.common import check_choice, err_console, open_store, usage_error
from eventwire.cli.errors import Interrupted
from eventwire.cli.extract import WORKERS_HELP, workers_option
from eventwire.cli.logs import LOG_FORMATS, log_event, logging_to_stderr
from eventwire.cli.store import DB_HELP, _stopping_on_store_error, worker_pool

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_interval(value: str) -> float:
    """``30s``, ``15m``, ``1h``, ``1d`` (a bare number is seconds) in seconds."""
    m = _INTERVAL.match(value)
    if not m or float(m.group(1)) <= 0:
        raise usage_error(f"--interval {value!r} is not a duration such as 30s, 15m or 1h")
    unit = m.group(2).lower() if m.group(2) else None
    return float(m.group(1)) * _UNIT[unit]


def register(app: typer.Typer) -> None:
    @app.command()
    def watch(
        feeds: str = typer.Argument(..., help="A feed URL (RSS or Atom), or a file of feed URLs (one a line, # comments) or an OPML list."),
        interval: str = typer.Option("15m", "--interval", help="Time between polls: 30s, 15m, 1h."),
        once: bool = typer.Option(False, "--once", help="Poll once and exit (for cron)."),
        db: str | None = typer.Option(None, "--db", help=DB_HELP),
        model: str | None = typer.Option(None, "--model", help="An installed spaCy pipeline to use."),
        batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles coded together (and at most this many refetched after a kill)."),
        delay: float = typer.Option(1.0, "--delay", min=0.0, help="Seconds between requests to one host (robots.txt Crawl-delay may ask for more)."),
        timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds to wait for a server to answer (60 s at most for a whole response)."),
        max_bytes: int = typer.Option(5_000_000, "--max-bytes", min=1000, help="Largest article page fetched, in bytes."),
        retries: int = typer.Option(3, "--retries", min=1, max=10, help="Tries for a request that times out or gets a 5xx/429 (with backoff); failed links are tried again on later polls."),
        user_agent: str | None = typer.Option(None, "--user-agent", help="User-Agent header (default: eventwire/VERSION with a contact URL)."),
        log_format: str = typer.Option("text", "--log-format", help="text, or json: one JSON object per line."),
        verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every fetch too."),
        workers: int | None = typer.Option(None, "--workers", "-w", help=WORKERS_HELP),
    ) -> None:
        """Poll feeds, fetch their new articles (politely: robots.txt, per-host delay, conditional
        requests), code and store them; resume after a restart without refetching.

        What is fetched is kept in the store, so a run killed at any moment loses and duplicates
        nothing: the next run stores what was in flight.  Exit code: 0, or 1 when a feed could not
        be read in the last poll."""
        from eventwire.ingest.fetch import USER_AGENT, FetchConfig, Fetcher
        from eventwire.ingest.watch import Watcher, read_feed_list
        from eventwire.pipeline import ingest_into
        from eventwire.store import FetchLog

        check_choice(log_format, LOG_FORMATS, "--log-format")
        seconds = parse_interval(interval)
        feed_urls = read_feed_list(feeds)
        if isinstance(feed_urls, str):
            raise usage_error(feed_urls)
        config = FetchConfig(user_agent=user_agent or USER_AGENT, read_timeout=timeout, connect_timeout=min(timeout, 10.0),
                             max_bytes=max_bytes, attempts=retries, delay=delay)  # fmt: skip
        store = open_store(db)
        coder = worker_pool(workers_option(workers), model)
        show_progress = log_format == "text" and err_console.is_terminal

        def pipeline() -> Pipeline:
            from eventwire.cli.extract import _pipeline

            return _pipeline(model)

        feed_errors = 0
        try:
            with logging_to_stderr(log_format, verbose), store, Fetcher(config) as fetcher, \
                    coder or contextlib.nullcontext():
                fetch_log = FetchLog(store)
                while True:
                    started = time.monotonic()
                    watcher = Watcher(fetcher, fetch_log)
                    # no lookahead: what was fetched is stored before more is fetched
                    steps = ingest_into(store, watcher.documents(feed_urls), pipeline, batch_size, coder=coder)
                    with _progress(show_progress) as bar:
                        task = bar.add_task("watch", total=None)
                        for step in _stopping_on_store_error(steps):
                            watcher.settle(step)
                            c = watcher.counts
                            bar.update(task, description=f"{c.stored} stored, {c.duplicate} duplicate, "
                                                         f"{c.skipped} skipped, {c.failed} failed")  # fmt: skip
                    counts = watcher.finish()
                    feed_errors = counts.feed_errors
                    if once:
                        break
                    pause = max(0.0, seconds - (time.monotonic() - started))  # polls start every interval
                    log_event(logging.INFO, f"next poll in {pause:.0f} s", event="sleep", seconds=round(pause, 1))
                    time.sleep(pause)
        except (KeyboardInterrupt, Interrupted):
            err_console.print("eventwire: watch stopped; the next run resumes", markup=False)
            raise  # the error handler says which signal, with its exit code (130, 143)
        raise typer.Exit(1 if feed_errors else 0)


def _progress(enabled: bool) -> Progress:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("[bold]watch[/bold] {task.description}"), TimeElapsedColumn(),
                    console=err_console, transient=True, disable=not enabled)  # fmt: skip
