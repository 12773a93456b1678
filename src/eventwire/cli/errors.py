"""The one error handler every ``eventwire`` command exits through.

``EventwireGroup.main`` runs a command and turns whatever ends it into one line on stderr and a
documented exit code (README, docs/reliability.md):

====  =====================================================================================
0     success
1     some inputs were rejected (each named on its own line, the rest processed), or the run
      stopped early on a failure outside the inputs (a full disk, a store that went away)
2     usage error: a bad option value, an ``--db``/``-o``/``--model`` that cannot be used
3     internal error (a bug): one line, the traceback with ``--debug``
130   interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM); what was stored stays complete
141   the reader of standard output went away (``| head``): stops quietly, as tools killed by
      SIGPIPE do
====  =====================================================================================

No traceback reaches the terminal unless ``--debug`` (anywhere on the command line before
``--``) or ``EVENTWIRE_DEBUG=1`` asks for it.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from typing import Any

from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup
from typer.exceptions import Abort, Exit

from eventwire.cli.terminal import err_console, plain_line

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
EXIT_TERMINATED = 128 + signal.SIGTERM

log = logging.getLogger("eventwire")
_debug = False


def debugging() -> bool:
    return _debug


class CliError(Exception):
    """A failure the command explains in one line, with its exit code."""

    exit_code = EXIT_REJECTED

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(CliError):
    """A bad option value or an input the command cannot use at all (exit 2)."""

    exit_code = EXIT_USAGE


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived.  A BaseException, so that ``except Exception`` around one
    document never swallows it; ``finally`` blocks (the store writer's) still run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_interrupted(signum: int, _frame: Any) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in old:
        signal.signal(s, _raise_interrupted)
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _take_debug(args: Sequence[str]) -> tuple[list[str], bool]:
    """``--debug`` anywhere before ``--`` (it is global), removed from the arguments."""
    out, debug, rest = [], False, False
    for a in args:
        if not rest and a == "--debug":
            debug = True
            continue
        rest = rest or a == "--"
        out.append(a)
    return out, debug


def _say(*parts: Any) -> None:
    err_console.print(plain_line("eventwire: ", *parts), soft_wrap=True)


def _usage_hint(exc: ClickUsageError) -> str:
    ctx = exc.ctx
    if ctx is None:
        return ""
    return f" (see: {ctx.command_path} --help)"


def _redacted(message: str) -> str:
    from eventwire.store import redact

    return redact(message)


def exit_code_for(exc: BaseException) -> int:
    """Report ``exc`` (one line, traceback only when debugging) and return the exit code."""
    from eventwire.config import ConfigError
    from eventwire.nlp import ModelNotFoundError
    from eventwire.output import OutputError
    from eventwire.store import StoreError

    if isinstance(exc, SystemExit):
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_REJECTED)
    if isinstance(exc, Exit):
        return exc.exit_code
    show_trace = _debug
    if isinstance(exc, Interrupted):
        _say("terminated" if exc.signum == signal.SIGTERM else "interrupted")
        code = EXIT_TERMINATED if exc.signum == signal.SIGTERM else EXIT_INTERRUPTED
    elif isinstance(exc, KeyboardInterrupt):
        _say("interrupted")
        code = EXIT_INTERRUPTED
    elif isinstance(exc, CliError):
        _say(exc.message)
        code = exc.exit_code
    elif isinstance(exc, OutputError):
        if exc.errno == errno.EPIPE:
            _silence_stdout()
            return EXIT_BROKEN_PIPE
        _say("-o " if exc.target != "<stdout>" else "", exc.target, ": ", exc.message)
        code = EXIT_USAGE if exc.when == "open" else EXIT_REJECTED
    elif isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE):
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    elif isinstance(exc, StoreError):
        _say("store: ", _redacted(str(exc)))
        code = EXIT_REJECTED
    elif isinstance(exc, ModelNotFoundError):
        _say("--model: ", str(exc))
        code = EXIT_USAGE
    elif isinstance(exc, ConfigError):
        _say(str(exc))
        code = EXIT_USAGE
    elif isinstance(exc, NoArgsIsHelpError):
        err_console.print(exc.format_message(), markup=False, highlight=False)
        code = EXIT_USAGE
    elif isinstance(exc, ClickUsageError):
        _say(exc.format_message(), _usage_hint(exc))
        code = exc.exit_code
    elif isinstance(exc, ClickException):
        _say(exc.format_message())
        code = exc.exit_code
    elif isinstance(exc, Abort):
        _say("aborted")
        code = EXIT_REJECTED
    elif isinstance(exc, MemoryError):
        _say("out of memory")
        code = EXIT_REJECTED
    elif _is_database_error(exc):
        _say("store: ", _redacted(_first_line(exc)))
        code = EXIT_REJECTED
    elif isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS):
        _say(f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror}")
        code = EXIT_REJECTED
    else:
        _say(f"internal error: {type(exc).__name__}: ", _first_line(exc),
             "" if _debug else " (run again with --debug for the traceback, and please report it)")  # fmt: skip
        code = EXIT_INTERNAL
    if show_trace:
        traceback.print_exception(exc, file=sys.stderr)
    return code


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _is_database_error(exc: BaseException) -> bool:
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, SQLAlchemyError)


def _silence_stdout() -> None:
    """The reader of stdout is gone: point the descriptor at /dev/null so that Python's final
    flush does not print an error of its own."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _flush_stdout() -> None:
    from eventwire.output import OutputError

    if sys.stdout is None:
        return
    try:
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise OutputError("<stdout>", f"cannot write ({exc.strerror})", "write", exc.errno) from None


def _setup_logging(debug: bool) -> None:
    """Library warnings as ``eventwire: warning: ...`` lines (``cli.logs``); everything with
    ``--debug``.  Commands may switch the format for their length (``--log-format json``)."""
    from eventwire.cli.logs import setup_logging

    setup_logging("text", verbose=debug)
    if not debug:
        logging.getLogger("eventwire").setLevel(logging.WARNING)


class EventwireGroup(TyperGroup):
    """The command group: every run of every command ends in ``exit_code_for``."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        global _debug
        argv, debug = _take_debug(sys.argv[1:] if args is None else args)
        _debug = debug or os.environ.get("EVENTWIRE_DEBUG", "") not in ("", "0")
        _setup_logging(_debug)
        try:
            with _signals_as_exceptions():
                try:
                    rv = super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
                    code = rv if isinstance(rv, int) else EXIT_OK
                    _flush_stdout()
                except BaseException as exc:  # noqa: BLE001 - this is the one handler
                    code = exit_code_for(exc)
        except BaseException as exc:  # noqa: BLE001 - a second signal while reporting the first
            code = exit_code_for(exc)
        if standalone_mode:
            sys.exit(code)
        return code
