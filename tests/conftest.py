from __future__ import annotations

import os

import pytest

# The suite codes in-process unless a test asks for workers (tests/scale): a pool per CLI call
# would load the model again in every worker.
os.environ.setdefault("EVENTWIRE_WORKERS", "1")

from support.shared import shared_path


@pytest.fixture(scope="session")
def nlp():
    from eventwire import nlp as ew_nlp

    return ew_nlp.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "article.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def web_server():
    """A real HTTP server on 127.0.0.1 serving what each test puts in ``routes``."""
    from support.webserver import WebServer

    server = WebServer()
    yield server
    server.close()


@pytest.fixture
def site(web_server):
    """The module's test server, emptied for this test."""
    web_server.reset()
    return web_server


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory):
    """A store holding examples/seed.jsonl, ingested once per session by the real CLI."""
    from support.served import ingest_seed

    return ingest_seed(tmp_path_factory.mktemp("seed-store") / "seed.sqlite")


@pytest.fixture(scope="session")
def live_server(seed_db):
    """A read-only ``eventwire serve`` on 127.0.0.1 over the seed store (one per session)."""
    from support.served import Server

    server = Server(seed_db)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pipeline():
    """The whole pipeline, loaded once per test session."""
    from eventwire.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(autouse=True, scope="session")
def _no_traceback_in_cli_runs():
    """Every in-process CLI run of the suite: no traceback on stderr unless ``--debug``
    (``support.cli.check_stderr``; subprocess runs go through ``support.cli.run_process``)."""
    from typer.testing import CliRunner

    from support.cli import check_stderr

    invoke = CliRunner.invoke

    def checked(self, app, args=None, *a, **kw):
        result = invoke(self, app, args, *a, **kw)
        check_stderr(args, result.stderr)
        return result

    CliRunner.invoke = checked
    yield
    CliRunner.invoke = invoke
