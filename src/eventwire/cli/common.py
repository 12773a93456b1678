"""Helpers shared by CLI commands: error lines, option checks, progress bars, the output file,
the store and the pipeline, each failing with one line through ``cli.errors``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from eventwire.cli.errors import CliError, UsageError
from eventwire.cli.terminal import cell, err_console, plain_line, safe
from eventwire.output import OutputError, open_output

if TYPE_CHECKING:
    from eventwire.pipeline import Pipeline
    from eventwire.store import Store

__all__ = [
    "CliError",
    "OutputError",
    "UsageError",
    "cell",
    "check_choice",
    "err_console",
    "error_line",
    "load_pipeline",
    "open_output",
    "open_store",
    "parse_date_option",
    "progress",
    "safe",
    "usage_error",
]

# the largest value a SQL LIMIT (a signed 64-bit integer) takes
MAX_LIMIT = 2**63 - 1


def error_line(source: str, message: str) -> None:
    """One line on stderr naming the input and the problem (both printed literally)."""
    err_console.print(plain_line("eventwire: ", source, ": ", message), soft_wrap=True)


def info_line(*parts: Any) -> None:
    err_console.print(plain_line("eventwire: ", *parts), soft_wrap=True)


def usage_error(message: str) -> UsageError:
    return UsageError(message)


def parse_date_option(value: str | None, option: str) -> date | None:
    from eventwire.ingest import parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise usage_error(f"{option} {value!r}: {str(exc).removeprefix('publication_date ')}") from None


def check_choice(value: str, choices: tuple[str, ...], option: str) -> str:
    if value not in choices:
        raise usage_error(f"{option} {value!r} is not one of {', '.join(choices)}")
    return value


def progress(total: int | None, label: str) -> Progress:
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal or (total is not None and total <= 1),
        redirect_stdout=False,
        redirect_stderr=False,
    )


def open_store(db: str | None, *, read_only: bool = False) -> Store:
    """The store named by ``--db`` (or the default); one that cannot be opened is a usage error.
    Commands that only read open it ``read_only``: nothing is created, migrated or written."""
    from eventwire.store import Store, StoreError, redact

    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        raise usage_error(f"--db: {redact(str(exc))}") from None


def load_pipeline(model: str | None) -> Pipeline:
    from eventwire.nlp import ModelNotFoundError
    from eventwire.pipeline import Pipeline

    try:
        return Pipeline(model)
    except ModelNotFoundError as exc:
        raise usage_error(f"--model: {exc}") from None
