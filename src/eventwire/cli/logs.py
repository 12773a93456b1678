"""Log lines of long-running commands: readable text (through the Rich console, so they print
above a progress bar), or one JSON object per line (``--log-format json``) for a service's log
collector.  Library code logs with ``extra={"ew": {...fields}}``; the fields become JSON keys."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from eventwire.cli.common import err_console
from eventwire.cli.terminal import plain_line

LOG_FORMATS = ("text", "json")


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "event", "message", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "ew", None)
        if isinstance(fields, dict):
            out["event"] = fields.get("event", "log")
            out["message"] = record.getMessage()
            out.update({k: v for k, v in fields.items() if k != "event" and v is not None})
        else:
            out["event"] = "log"
            out["message"] = record.getMessage()
        if record.exc_info:
            out["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(out, ensure_ascii=False, default=str)


class _CliHandler(logging.Handler):
    """A handler installed by a command (and removed when it ends)."""


class _ConsoleHandler(_CliHandler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = " ".join(record.getMessage().split())
            prefix = "" if record.levelno < logging.WARNING else f"{record.levelname.lower()}: "
            err_console.print(plain_line(f"eventwire: {prefix}", msg), soft_wrap=True)  # escaped
        except Exception:  # noqa: BLE001 - logging must never fail the command
            self.handleError(record)


class _JsonHandler(logging.StreamHandler, _CliHandler):  # type: ignore[type-arg]
    def emit(self, record: logging.LogRecord) -> None:
        import sys

        self.stream = sys.stderr  # the current stderr (tests swap it)
        super().emit(record)


@contextlib.contextmanager
def logging_to_stderr(fmt: str, verbose: bool = False) -> Iterator[logging.Handler]:
    """``setup_logging`` for the length of a command (tests run many commands in one process)."""
    root = logging.getLogger("eventwire")
    before = (root.level, root.propagate)
    handler = setup_logging(fmt, verbose)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(before[0])
        root.propagate = before[1]


def setup_logging(fmt: str, verbose: bool = False) -> logging.Handler:
    """Send eventwire's log records to stderr in ``fmt``; returns the handler (to remove)."""
    handler: logging.Handler
    if fmt == "json":
        handler = _JsonHandler()
        handler.setFormatter(JsonFormatter())
    else:
        handler = _ConsoleHandler()
    root = logging.getLogger("eventwire")
    for old in [h for h in root.handlers if isinstance(h, _CliHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    return handler


def log_event(level: int, message: str, **fields: Any) -> None:
    """One structured line from the CLI itself."""
    logging.getLogger("eventwire.cli").log(level, message, extra={"ew": fields})
