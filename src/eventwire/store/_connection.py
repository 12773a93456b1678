"""The store's connection: where a store is (``--db`` values, URLs, the default file), the
engine for SQLite (WAL, explicit transactions; read-only opening) or PostgreSQL, the schema check
and Alembic migrations, transactions, bulk inserts, and the errors that say the store as a whole
cannot be used."""

from __future__ import annotations

import os
import re
import sqlite3
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import orjson
from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    create_engine,
    event,
    insert,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.pool import NullPool


def default_db_path() -> Path:
    """``$EVENTWIRE_DB`` if set to a path, else ``$XDG_DATA_HOME/eventwire/eventwire.sqlite``
    (``~/.local/share/eventwire/eventwire.sqlite``)."""
    env = os.environ.get("EVENTWIRE_DB")
    if env and "://" not in env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "eventwire" / "eventwire.sqlite"


def default_db() -> str:
    """The store used when none is named: ``$EVENTWIRE_DB`` (a path or a URL), else the default
    SQLite file (``default_db_path``)."""
    return os.environ.get("EVENTWIRE_DB") or str(default_db_path())


SUPPORTED = "a SQLite file path or a postgresql://user@host/dbname URL"
_PASSWORD_IN_URL = re.compile(r"(?P<head>\b[a-zA-Z][\w+.-]*://[^:/@\s]*:)(?P<pw>[^@\s]*)(?P<tail>@)")
_PASSWORD_FIELD = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'[^']*'|\S+)", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with the passwords of database URLs (``user:SECRET@host``) and connection
    strings (``password=SECRET``) replaced by ``***``."""
    text = _PASSWORD_IN_URL.sub(lambda m: f"{m['head']}***{m['tail']}" if m["pw"] else m[0], text)
    return _PASSWORD_FIELD.sub(lambda m: f"{m['head']}***", text)


def _store_url(db: str | Path | URL | None, *, create_folder: bool) -> URL:
    """The SQLAlchemy URL of a ``--db`` value (see ``database_url``)."""
    if isinstance(db, URL):
        url = db
    else:
        text = (default_db() if db is None else os.fspath(db)).strip()
        if not text:
            raise StoreError("empty store location; give " + SUPPORTED)
        if "\x00" in text:
            raise StoreError("store location contains a NUL byte")
        if "://" not in text:
            return _sqlite_url(Path(text).expanduser(), create_folder)
        scheme = text.split("://", 1)[0].lower()
        if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
            text = "postgresql+psycopg://" + text.split("://", 1)[1]
        elif scheme != "sqlite":
            raise StoreError(f"unsupported database {scheme!r} in {redact(text)}: eventwire stores in {SUPPORTED}")
        try:
            url = make_url(text)
        except Exception as exc:  # noqa: BLE001 - SQLAlchemy's parse errors have no common base
            raise StoreError(f"{redact(text)} is not a database URL ({type(exc).__name__})") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if database in ("", ":memory:") or database.startswith("file::memory:") or "mode=memory" in database:
            raise StoreError(
                "an in-memory SQLite database keeps nothing once the command ends; give a file path"
            )
        return _sqlite_url(Path(database).expanduser(), create_folder)
    if backend != "postgresql" or url.get_driver_name() != "psycopg":
        raise StoreError(f"unsupported database {url.drivername!r}: eventwire stores in {SUPPORTED}")
    if not url.database:
        raise StoreError(f"{url.render_as_string(hide_password=True)} names no database (postgresql://user@host/dbname)")
    return url


def _sqlite_url(path: Path, create_folder: bool) -> URL:
    if path.is_dir():
        raise StoreError(f"{path} is a folder; give the SQLite store a file name inside it")
    if create_folder and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder {path.parent} for the store ({exc.strerror})") from None
    return URL.create("sqlite", database=str(path))


def database_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from a ``--db`` value: a URL (``postgresql://...`` uses psycopg 3,
    ``sqlite:///path``), or a path to a SQLite file; None for the default
    (``$EVENTWIRE_DB``, path or URL, else ``default_db_path``).  Raises ``StoreError`` for what
    cannot be a store: other databases, an in-memory SQLite database, a folder."""
    return _store_url(db, create_folder=False).render_as_string(hide_password=False)


class StoreError(Exception):
    """The store cannot be opened or used (bad URL, unreachable server, newer schema, full disk)."""



@dataclass
class StoreStats:
    """Time spent by the store (seconds), for benchmarks."""

    write_s: float = 0.0
    merge_s: float = 0.0
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)



def json_dumps(value: Any) -> str:
    """JSON columns are written with orjson (records, tallies and summaries are most of what the
    store writes); non-string keys become strings, as the standard library does."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()



_LOCK_KEY = zlib.crc32(b"eventwire-ingest")


class StoreBase:
    """What every part of ``Store`` stands on: the engine, its dialect, transactions, the schema
    (checked or migrated on opening) and bulk inserts."""

    def __init__(self, db: str | Path | URL | None = None, *, read_only: bool = False, echo: bool = False) -> None:
        url = _store_url(db, create_folder=not read_only)
        self.read_only = read_only
        self.url = url.render_as_string(hide_password=False)
        self.label = url.render_as_string(hide_password=True).replace("postgresql+psycopg://", "postgresql://", 1)
        self.dialect = url.get_backend_name()
        self.stats = StoreStats()
        self._analyze_at = 512  # documents written before PostgreSQL's statistics are refreshed
        json_io: dict[str, Any] = {"json_serializer": json_dumps, "json_deserializer": orjson.loads}
        if self.dialect == "sqlite":
            path = Path(url.database or "")
            if read_only:
                if not path.is_file():
                    raise StoreError(f"no store at {path} (eventwire ingest creates one)")
                self.engine: Engine = create_engine(
                    "sqlite://", creator=_sqlite_read_only(path), poolclass=NullPool, echo=echo, **json_io
                )
            else:
                self.engine = create_engine(url, echo=echo, **json_io)
            _sqlite_setup(self.engine, read_only=read_only)
        else:
            args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
            self.engine = create_engine(url, echo=echo, pool_pre_ping=True, connect_args=args, **json_io)
        try:
            if read_only:
                self._check_schema()
            else:
                self._migrate()
        except StoreError:
            self.engine.dispose()
            raise
        except Exception as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open store {self.label}: {error_reason(exc)}") from exc

    # -- lifecycle ---------------------------------------------------------------------------
    @staticmethod
    def _scripts() -> Any:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        return cfg, ScriptDirectory.from_config(cfg)

    def _check_revision(self, current: str | None, scripts: Any) -> None:
        head = scripts.get_current_head()
        if current is None or current == head:
            return
        known = {rev.revision for rev in scripts.walk_revisions()}
        if current not in known:
            raise StoreError(
                f"the store {self.label} has schema revision {current}, newer than this eventwire knows"
                f" ({head}); upgrade eventwire to use it"
            )

    def _check_schema(self) -> None:
        from alembic.runtime.migration import MigrationContext

        _, scripts = self._scripts()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        if current is None:
            raise StoreError(f"{self.label} is not an eventwire store (no schema); eventwire ingest creates one")
        self._check_revision(current, scripts)
        if current != scripts.get_current_head():
            raise StoreError(
                f"the store {self.label} has an older schema ({current}); run `eventwire migrate` on it"
                " once to upgrade it"
            )

    def _migrate(self) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext

        cfg, scripts = self._scripts()
        head = scripts.get_current_head()
        with self._write() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return
            self._check_revision(current, scripts)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def schema_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection for the read side's short statements: on SQLite without an explicit
        transaction (each statement reads a consistent snapshot of its own)."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="")
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: a writers' lock, so
        concurrent ingests merge one document at a time)."""
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
                yield conn

    def _bulk_insert(self, conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` into ``table`` in the current transaction: an executemany INSERT, or
        on PostgreSQL a COPY (a third cheaper than one INSERT per row, measured on the ingest
        benchmark's rows).  Rows carry every column but scalar defaults."""
        if self.dialect != "postgresql":
            conn.execute(insert(table), rows)
            return
        getters: list[Callable[[dict[str, Any]], Any]] = []
        for c in table.columns:
            if isinstance(c.type, JSON):
                getters.append(_json_column(c.name))
            elif c.default is not None and c.default.is_scalar:
                getters.append(_column(c.name, c.default.arg))
            else:
                getters.append(_column(c.name, None))
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        driver = conn.connection.driver_connection
        if driver is None:
            raise StoreError("the PostgreSQL connection was closed during a write")
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([get(row) for get in getters])

    def _insert_ignore(self, table: Any) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table).on_conflict_do_nothing()
        if self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table).on_conflict_do_nothing()
        raise StoreError(f"unsupported database {self.dialect}")


def _json_column(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: None if row.get(name) is None else json_dumps(row[name])


def _column(name: str, default: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name, default)


def _sqlite_setup(engine: Engine, read_only: bool = False) -> None:
    """WAL journal (readers never block the writer), foreign keys, explicit transactions; a
    read-only store only waits for locks and refuses writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        if read_only:
            cur.execute("PRAGMA query_only=1")
        else:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # durable against process crashes in WAL mode
            cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        begin = conn.get_execution_options().get("sqlite_begin", "BEGIN")
        if begin:  # "": a reader's single statements, each its own implicit transaction
            conn.exec_driver_sql(begin)


def _sqlite_read_only(path: Path) -> Any:
    """A connection factory for a SQLite store that is never written: ``mode=ro``, or, where the
    WAL index cannot be created (read-only folder or media), ``immutable=1``."""
    base = "file:" + urllib.parse.quote(str(path.absolute()))

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(base + "?mode=ro", uri=True, check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            if "unable to open" not in str(exc) and "readonly" not in str(exc):
                raise
        return sqlite3.connect(base + "?immutable=1", uri=True, check_same_thread=False)

    return connect



def store_down(exc: BaseException) -> bool:
    """Whether ``exc`` says the store as a whole cannot be written (disk full, read-only file,
    the server gone, a lock held too long) rather than that one document is bad."""
    if isinstance(exc, StoreError | OSError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def error_reason(exc: BaseException) -> str:
    """The first line of a database error, without SQL, parameters or passwords."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return redact(text[0]) if text else type(orig).__name__

