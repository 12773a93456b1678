"""Running the ``eventwire`` command in tests, in process (``CliRunner``) or as a real
subprocess, with one check on every run: no traceback on stderr unless the run asked for one
with ``--debug``.  ``tests/conftest.py`` puts the same check on every ``CliRunner.invoke`` of
the suite, so no test, whoever wrote it, lets a traceback through.

With ``EVENTWIRE_CLI_STDERR_DIR`` set, each run's stderr is also kept there (one file per run,
named by test and run) so that ``grep -rl Traceback $EVENTWIRE_CLI_STDERR_DIR`` can be run over
a whole suite run."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_counter = itertools.count()


def wants_debug(args: Sequence[str] | str | None) -> bool:
    argv = shlex.split(args) if isinstance(args, str) else list(args or [])
    rest = argv[: argv.index("--")] if "--" in argv else argv
    return "--debug" in rest


def keep_stderr(args: Sequence[str] | str | None, stderr: str) -> None:
    folder = os.environ.get("EVENTWIRE_CLI_STDERR_DIR")
    if not folder:
        return
    test = re.sub(r"[^\w.-]+", "_", os.environ.get("PYTEST_CURRENT_TEST", "unknown").split(" ")[0])[-150:]
    debug = "debug-" if wants_debug(args) else ""
    path = Path(folder) / f"{debug}{test}.{os.getpid()}.{next(_counter)}.stderr"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(stderr, encoding="utf-8", errors="replace")


def check_stderr(args: Sequence[str] | str | None, stderr: str) -> None:
    keep_stderr(args, stderr)
    if not wants_debug(args):
        assert "Traceback" not in stderr, f"traceback on stderr of eventwire {args}:\n{stderr}"


EVENTWIRE = [sys.executable, "-c", "from eventwire.cli import main; main()"]


def run_process(*args: str, input: bytes | str | None = None, timeout: float = 300, **kw: Any) -> subprocess.CompletedProcess:
    """``eventwire ARGS`` as a real process (text stdout/stderr), checked for tracebacks."""
    text = not isinstance(input, bytes)
    proc = subprocess.run([*EVENTWIRE, *args], input=input, capture_output=True, text=text, timeout=timeout, **kw)
    err = proc.stderr if text else proc.stderr.decode("utf-8", "replace")
    check_stderr(list(args), err)
    return proc


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Any:
    """``eventwire ARGS`` in process (``CliRunner``); the result has exit_code, stdout, stderr."""
    from typer.testing import CliRunner

    from eventwire.cli import app

    return CliRunner().invoke(app, list(args), input=input, env=env)
