"""Fixtures for the store tests: event factories and a real PostgreSQL server in a temp dir."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from eventwire.model import (
    Actor,
    Document,
    Event,
    EventDate,
    EventLocation,
    Mention,
    Sentence,
    Size,
)

PLACES = {
    "Taji": (33.5235, 44.2667, "Baghdad", 4),
    "Camp Taji": (33.5390, 44.2566, "Baghdad", 5),
    "Baghdad": (33.3406, 44.4009, "Baghdad", 4),
    "Basra": (30.5085, 47.7804, "Basra", 4),
}


def make_event(
    doc: Document,
    text: str,
    trigger: str,
    *,
    etype: str = "ASSAULT",
    place: str | None = "Taji",
    when: date | None = date(2020, 3, 11),
    precision: str = "day",
    dead: int | None = None,
    injured: int | None = None,
    actor: tuple[str, str | None, str | None] | None = None,
    recipient: tuple[str, str | None, str | None] | None = None,
    mode: list[str] | None = None,
) -> Event:
    """An event whose evidence is the sentence ``text`` inside ``doc.text``."""
    start = doc.text.index(text)
    t0 = doc.text.index(trigger, start)
    loc = None
    if place:
        lat, lon, prov, res = PLACES[place]
        loc = EventLocation(place, place, abs(hash(place)) % 10**6, lat, lon, None, prov, "Iraq", "IRQ", "P", "PPL", res)
    ev = Event(
        doc_id=doc.id,
        event=[etype],
        mode=mode or [],
        actor=[Actor(*actor)] if actor else [],
        recipient=[Actor(*recipient)] if recipient else [],
        event_loc=loc,
        date=EventDate(when, None, precision, "text") if when else EventDate(),
        size=Size(dead, injured),
        event_text=[trigger],
        triggers=[Mention(trigger, t0, t0 + len(trigger))],
        sentence=Sentence(0, start, start + len(text), text),
        confidence=0.7,
    )
    ev.assign_id()
    return ev


TAJI_A = Document(
    "wire-a",
    "Rockets slammed into Camp Taji north of Baghdad on Wednesday, killing two US soldiers and a "
    "British medic, officials said.",
    date(2020, 3, 12),
)
TAJI_B = Document(
    "wire-b",
    "At least 15 Katyusha rockets hit the Taji military base late on Wednesday. Three coalition "
    "personnel died and 12 were wounded in the attack, the coalition said on Thursday.",
    date(2020, 3, 13),
)
BASRA = Document(
    "wire-c",
    "Gunmen opened fire on protesters in Basra on Wednesday, killing four people.",
    date(2020, 3, 12),
)


def taji_a() -> tuple[Document, list[Event]]:
    text = TAJI_A.text
    return TAJI_A, [make_event(TAJI_A, text, "slammed", place="Camp Taji", dead=3,
                               recipient=("US soldiers", "USA", "MIL"))]  # fmt: skip


def taji_b() -> tuple[Document, list[Event]]:
    s1 = TAJI_B.text.split(". ")[0]
    return TAJI_B, [make_event(TAJI_B, s1, "hit", place="Taji", dead=3, injured=12,
                               recipient=("coalition personnel", "USA", "MIL"))]  # fmt: skip


def basra() -> tuple[Document, list[Event]]:
    return BASRA, [make_event(BASRA, BASRA.text, "opened fire", place="Basra", dead=4,
                              actor=("Gunmen", None, "UAF"), recipient=("protesters", "IRQ", "CVL"))]  # fmt: skip


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "store.sqlite")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres_user(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server tools as the `postgres` system user."""
    if os.geteuid() != 0:
        return cmd
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-c", " ".join(cmd)]


def _server_binaries() -> tuple[str, str] | None:
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        for v in ("17", "16", "15", "14", "13"):
            base = Path(f"/usr/lib/postgresql/{v}/bin")
            if (base / "initdb").exists():
                return str(base / "initdb"), str(base / "pg_ctl")
        return None
    return initdb, pg_ctl


@contextlib.contextmanager
def postgres_server() -> Iterator[tuple[str, Callable[[], None]]]:
    """A throwaway PostgreSQL server (initdb + pg_ctl on a temp dir and a free port): its URL
    (database ``eventwire_test``) and a function that stops it at once (``-m immediate``)."""
    found = _server_binaries()
    if found is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine; install Debian's postgresql")
    initdb, pg_ctl = found
    # not under pytest's basetemp: that is private to root, and the server runs as `postgres`
    root = Path(tempfile.mkdtemp(prefix="eventwire-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres")
    data = root / "data"
    port = _free_port()
    subprocess.run(_as_postgres_user([initdb, "-D", str(data), "-A", "trust", "-U", "eventwire",
                                      "--no-sync", "-E", "UTF8"]), check=True, capture_output=True)  # fmt: skip
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "start"]),
                   check=True, capture_output=True)  # fmt: skip

    def stop() -> None:
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)

    try:
        import psycopg

        deadline = time.time() + 20
        while True:
            try:
                with psycopg.connect(f"host=127.0.0.1 port={port} user=eventwire dbname=postgres", autocommit=True) as c:
                    c.execute("CREATE DATABASE eventwire_test")
                break
            except psycopg.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        yield f"postgresql://eventwire@127.0.0.1:{port}/eventwire_test", stop
    finally:
        stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url():
    """The session's PostgreSQL server (``postgres_server``)."""
    with postgres_server() as (url, _stop):
        yield url


@pytest.fixture
def fresh_postgres_url(postgres_url: str, request) -> str:
    """An empty database of its own on the session's PostgreSQL server."""
    import psycopg

    name = "ew_" + "".join(ch if ch.isalnum() else "_" for ch in request.node.name.lower())[:50]
    admin = postgres_url.rsplit("/", 1)[0].replace("postgresql://", "")
    user_host, port = admin.split("@")[1].split(":")
    with psycopg.connect(f"host={user_host} port={port} user=eventwire dbname=postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')
        c.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def ew():
    """The event factories above, for test modules (conftest modules are not importable)."""
    from types import SimpleNamespace

    return SimpleNamespace(make_event=make_event, taji_a=taji_a, taji_b=taji_b, basra=basra,
                           TAJI_A=TAJI_A, TAJI_B=TAJI_B, BASRA=BASRA, postgres_server=postgres_server)  # fmt: skip
