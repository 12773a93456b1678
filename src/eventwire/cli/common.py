"""Helpers shared by CLI commands: error lines, progress bars, atomic output files."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

err_console = Console(stderr=True, highlight=False)


def error_line(source: str, message: str) -> None:
    """One line on stderr naming the input and the problem."""
    err_console.print(f"eventwire: {source}: {message}", markup=False, soft_wrap=True)


def usage_error(message: str) -> typer.Exit:
    err_console.print(f"eventwire: {message}", markup=False, soft_wrap=True)
    return typer.Exit(2)


def parse_date_option(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise usage_error(f"{option} {value!r} is not a YYYY-MM-DD date") from None


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
        disable=(total is not None and total <= 1),
    )


@contextlib.contextmanager
def output_stream(path: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a file that appears only when the command succeeds (no half-written
    file is left behind by a failed run)."""
    if path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
