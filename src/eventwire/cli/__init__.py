"""The ``eventwire`` command line: a Typer app whose commands live in one module per concern.

Each command module defines ``register(app: typer.Typer) -> None``; this package imports them in
``COMMAND_MODULES`` order.  The CLI only parses options and prints; the work is done through the
public Python API of the stages.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import typer

from eventwire import __version__
from eventwire.cli.errors import EventwireGroup

# every command exits through EventwireGroup.main: one line per error, documented exit codes
app = typer.Typer(
    name="eventwire",
    help="Structured, verifiable event data (PLOVER, CAMEO, ACLED) from news reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=EventwireGroup,
)

COMMAND_MODULES = (
    "eventwire.cli.extract",
    "eventwire.cli.evaluate",
    "eventwire.cli.store",
    "eventwire.cli.watch",
    "eventwire.cli.serve",
    "eventwire.cli.train",
    "eventwire.cli.review",
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"eventwire {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version."
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Print the traceback of an error (may also follow the command)."
    ),
    config: Path | None = typer.Option(
        None,
        "--config",
        help="A TOML file overriding the shipped configuration (model, lexicons, word lists, gazetteer, "
        "stages and thresholds); the same as setting EVENTWIRE_CONFIG.",
    ),
) -> None:
    """eventwire: who did what to whom, where, when, with what casualties, and which words say so."""
    if config is not None:
        from eventwire.config import ENV_VAR, load_config

        path = config.resolve()
        load_config(path)  # a bad file fails here, once, with its name and its problem
        os.environ[ENV_VAR] = str(path)  # read by every pipeline this command builds, workers included


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()
