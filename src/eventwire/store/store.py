"""The event store: documents, evidence, events, actors, places and merged canonical events.

One code path for SQLite (the default, a single file in WAL mode) and PostgreSQL (psycopg 3).
Every document is written in one transaction together with its merge updates, so a run killed
at any moment leaves each document either complete or absent; re-ingesting the same document
(same id and content hash) changes nothing, and a changed document replaces its own rows.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
import sqlite3
import time
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal, overload

import orjson
from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    true,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from eventwire.ingest.dedup import CopyMatch, Fingerprint, fingerprint
from eventwire.ingest.limits import clean_text, date_problem, id_problem
from eventwire.merge import (
    DISTANCE_KM,
    add_report,
    compare,
    family,
    finish,
    match_summary,
    match_window,
    tally_reports,
)
from eventwire.model import CanonicalEvent, Document, Event, Sentence, StoredEvent, Toponym
from eventwire.ontology import MODAL_MODES  # noqa: E402 - one definition for every stage
from eventwire.store import schema as S
from eventwire.store.copies import find_copies, key_rows
from eventwire.store.reviews import link_constraints, reattach, reviewed_texts

NO_DATE = date(1, 1, 1)
MAX_MERGE_KM = max(DISTANCE_KM.values())


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


@dataclass(slots=True)
class EventFilter:
    """Filters for ``Store.iter_events``; every given filter must hold."""

    since: date | None = None
    until: date | None = None
    country: str | None = None  # alpha-3
    admin1: str | None = None
    event_type: str | None = None
    actor: str | None = None  # a code (IRQ, USA, IGO...) or part of a name
    bbox: tuple[float, float, float, float] | None = None  # minlon, minlat, maxlon, maxlat
    include_modal: bool = False
    min_confidence: float | None = None
    event_types: tuple[str, ...] = ()  # any of these PLOVER types (with event_type: and)
    countries: tuple[str, ...] = ()  # any of these alpha-3 codes (with country: and)
    # reports only: any of these review statuses (unreviewed, confirmed, corrected, rejected);
    # none given: every status but rejected
    review: tuple[str, ...] = ()
    flagged: bool = False  # reports only: those a reviewer should look at again


@dataclass(slots=True)
class IngestOutcome:
    doc_id: str
    status: str  # added | replaced | unchanged
    n_events: int = 0
    merged: int = 0  # reports that joined an existing canonical event
    copy_of: str | None = None  # stored as a copy of this document (no events of its own)


@dataclass(slots=True)
class _Item:
    """One document to store: its record, PLOVER event dicts, sentences and toponyms."""

    document: Document
    records: list[dict[str, Any]]
    sentences: Sequence[Sentence] = ()
    toponyms: Sequence[Toponym] = ()
    fingerprint: Fingerprint | None = None  # ingest.dedup; computed here when not given


@dataclass(slots=True)
class StoreSummary:
    """``Store.summary``: reports by (type, country), the merged events with the most reports, and
    the rows in each table."""

    by_type_country: list[tuple[str, str | None, int]]
    top_merged: list[CanonicalEvent]
    counts: dict[str, int]


@dataclass
class StoreStats:
    """Time spent by the store (seconds), for benchmarks."""

    write_s: float = 0.0
    merge_s: float = 0.0
    documents: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(UTC)


def _d(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _json_dumps(value: Any) -> str:
    """JSON columns are written with orjson (records, tallies and summaries are most of what the
    store writes); non-string keys become strings, as the standard library does."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


class Store:
    """The store at ``db`` (URL or SQLite path; None: ``default_db``).

    Opened for writing (the default), a missing store is created and an older schema migrated.
    Opened with ``read_only=True`` (what every command that only reads uses), nothing is ever
    created, migrated or written: a missing SQLite file, a database without eventwire's schema
    or with another schema revision is a ``StoreError``; SQLite is opened with ``mode=ro``
    (``immutable`` where even the WAL index cannot be created: a store on read-only media) and
    PostgreSQL sessions are read-only transactions."""

    def __init__(self, db: str | Path | URL | None = None, *, read_only: bool = False, echo: bool = False) -> None:
        url = _store_url(db, create_folder=not read_only)
        self.read_only = read_only
        self.url = url.render_as_string(hide_password=False)
        self.label = url.render_as_string(hide_password=True).replace("postgresql+psycopg://", "postgresql://", 1)
        self.dialect = url.get_backend_name()
        self.stats = StoreStats()
        self._analyze_at = 512  # documents written before PostgreSQL's statistics are refreshed
        json_io: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
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
            raise StoreError(f"cannot open store {self.label}: {_reason(exc)}") from exc

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

    def __enter__(self) -> Store:
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

    # -- writing -----------------------------------------------------------------------------
    def document_status(self, document: Document) -> str:
        """``new``, ``unchanged`` (same id and content hash) or ``changed``."""
        return self.document_statuses([document])[document.id]

    def document_statuses(self, documents: Sequence[Document]) -> dict[str, str]:
        """``document_status`` of several documents with one query, by document id."""
        d = S.documents.c
        ids = {x.id for x in documents if id_problem(x.id) is None}
        try:
            with self.engine.connect() as conn:
                stored = dict(conn.execute(select(d.id, d.content_hash).where(d.id.in_(ids))).all()) if ids else {}
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {self.label}: {_reason(exc)}") from exc
        return {
            x.id: "new" if x.id not in stored else "unchanged" if stored[x.id] == x.content_hash else "changed"
            for x in documents
        }

    def find_copies(self, fingerprints: Sequence[Fingerprint]) -> dict[str, CopyMatch]:
        """The stored (or earlier in ``fingerprints``) original of each document that is a copy
        (``ingest.dedup``), by document id; the write path decides again in its transaction."""
        with self.engine.connect() as conn:
            return find_copies(conn, fingerprints)

    def add_result(self, result: Any, *, recode: bool = False) -> IngestOutcome:
        """Store a pipeline ``DocumentResult`` (document, events, toponyms, sentences)."""
        return self.add_document(
            result.document, result.events, getattr(result, "sentences", ()), getattr(result, "toponyms", ()),
            recode=recode,
        )

    def add_document(
        self,
        document: Document,
        events: Iterable[Event | Mapping[str, Any]],
        sentences: Sequence[Sentence] = (),
        toponyms: Sequence[Toponym] = (),
        *,
        recode: bool = False,
    ) -> IngestOutcome:
        """Write one document and its events in one transaction and merge its events
        (``recode``: replace its events even when the document is unchanged)."""
        t0 = time.perf_counter()
        self._writable()
        _check_document(document)
        item = _Item(document, _records(document, events), sentences, toponyms)
        with self._write() as conn:
            (outcome,), merge_s = self._add_batch(conn, [item], recode)
        self.stats.merge_s += merge_s
        self.stats.write_s += time.perf_counter() - t0 - merge_s
        if outcome.status != "unchanged":
            self.stats.documents += 1
        return outcome

    def add_results(self, results: Sequence[Any], *, recode: bool = False) -> list[IngestOutcome | Exception]:
        """Store several pipeline results in one transaction (much cheaper per document than one
        transaction each).  If any of them fails, the batch is rolled back and redone one
        document per transaction, so one bad document costs only itself: its slot in the
        returned list holds the exception.  ``recode``: documents stored with the same content
        are replaced too (their events coded again; reviews are attached to the events found
        again, ``store.reviews``)."""
        t0 = time.perf_counter()
        self._writable()
        try:
            prepared = []
            for r in results:
                _check_document(r.document)
                prepared.append(
                    _Item(r.document, _records(r.document, r.events), getattr(r, "sentences", ()),
                          getattr(r, "toponyms", ()), getattr(r, "fingerprint", None))
                )  # fmt: skip
            with self._write() as conn:
                outcomes, merge_total = self._add_batch(conn, prepared, recode)
        except Exception as exc:  # noqa: BLE001 - redo one by one to isolate the failing document
            if _store_down(exc):  # no single document is to blame: stop instead of failing each
                raise StoreError(f"cannot write to the store {self.label}: {_reason(exc)}") from exc
            outcomes = []
            for r in results:
                try:
                    outcomes.append(self.add_result(r, recode=recode))
                except Exception as exc:  # noqa: BLE001
                    if _store_down(exc):
                        raise StoreError(f"cannot write to the store {self.label}: {_reason(exc)}") from exc
                    outcomes.append(exc)
            return outcomes
        self.stats.merge_s += merge_total
        self.stats.write_s += time.perf_counter() - t0 - merge_total
        self.stats.documents += sum(1 for o in outcomes if isinstance(o, IngestOutcome) and o.status != "unchanged")
        self._maybe_analyze()
        return outcomes

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.label} was opened read-only")

    def _maybe_analyze(self) -> None:
        """Refresh PostgreSQL's planner statistics each time this session has doubled what it
        wrote (512, 1024, ... documents).  A store that starts empty otherwise keeps the plans
        of a tiny table: sequential scans for every lookup by id, a cost that grows with the
        store until autovacuum happens to analyse it."""
        if self.dialect != "postgresql" or self.stats.documents < self._analyze_at:
            return
        self._analyze_at = 2 * self.stats.documents
        with self.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("ANALYZE " + ", ".join(t.name for t in S.metadata.sorted_tables)))

    def _add_batch(
        self, conn: Connection, items: list[_Item], recode: bool = False
    ) -> tuple[list[IngestOutcome], float]:
        """Write documents in one transaction: one hash query, one insert per table, then the
        merges of all their reports (``_merge_batch``).  A replaced document's reviews are
        attached to its events found again before they are written (``reviews.reattach``)."""
        ids = [it.document.id for it in items]
        if len(set(ids)) != len(ids):  # the same document twice: each must see the one before
            outcomes: list[IngestOutcome] = []
            total = 0.0
            for it in items:
                (outcome,), merge_s = self._add_batch(conn, [it], recode)
                outcomes.append(outcome)
                total += merge_s
            return outcomes, total
        d = S.documents.c
        stored = dict(conn.execute(select(d.id, d.content_hash).where(d.id.in_(ids))).all())
        # copies (same URL, near-identical text) are decided here, in the write transaction,
        # against everything stored and the batch's earlier documents; they keep no events
        fresh = [it for it in items if recode or stored.get(it.document.id) != it.document.content_hash]
        for it in fresh:
            if it.fingerprint is None:
                it.fingerprint = fingerprint(it.document)
        copies = find_copies(conn, [it.fingerprint for it in fresh if it.fingerprint is not None])
        # the text and content hash each reviewed document had, to find its events again
        reviewed = reviewed_texts(conn, [it.document.id for it in fresh if it.document.id in stored])
        outcomes = []
        todo: list[tuple[Document, list[dict[str, Any]]]] = []
        affected: set[str] = set()  # canonical events that lose the reports of replaced documents
        rows = []
        for it in items:
            doc, chash = it.document, it.document.content_hash
            if stored.get(doc.id) == chash and not recode:
                outcomes.append(IngestOutcome(doc.id, "unchanged"))
                continue
            match = copies.get(doc.id)
            if match is not None:
                doc.copy_of = match.original
            if doc.copy_of:  # found here, or before parsing by ingest_into
                it.records, it.sentences, it.toponyms = [], (), ()
            replaced = doc.id in stored
            if replaced:
                before = reviewed.get(doc.id)
                affected |= self._delete_document(conn, doc.id)
                if before is not None:  # the coder's new output keeps the reviewers' judgements
                    reattach(conn, doc, it.records, *before)
            reason = match.describe() if match is not None else "found before parsing" if doc.copy_of else None
            rows.append(_document_rows(doc, chash, it.records, it.sentences, it.toponyms, it.fingerprint, reason))
            todo.append((doc, it.records))
            outcomes.append(IngestOutcome(doc.id, "replaced" if replaced else "added", len(it.records),
                                          copy_of=doc.copy_of))  # fmt: skip
        if rows:
            self._insert_rows(conn, rows)
        tm = time.perf_counter()
        # events that lost the reports of replaced documents first, so that merging compares
        # with, and adds to, what is left of them
        for cid in sorted(affected):
            self._refresh_canonical(conn, cid)
        merged_by_doc, _ = self._merge_batch(conn, todo)
        for o in outcomes:
            o.merged = merged_by_doc.get(o.doc_id, 0)
        return outcomes, time.perf_counter() - tm

    def _insert_rows(self, conn: Connection, batch: list[dict[str, list[dict[str, Any]]]]) -> None:
        """Insert the rows of several documents with one statement per table."""
        places: dict[int, dict[str, Any]] = {}
        for rows in batch:
            for row in rows["places"]:
                places.setdefault(row["geonameid"], row)
        for table, key in (
            (S.documents, "documents"), (S.sentences, "sentences"),
            (S.document_keys, "document_keys"), (S.document_signatures, "document_signatures"),
        ):  # fmt: skip
            flat = [row for rows in batch for row in rows[key]]
            if flat:
                self._bulk_insert(conn, table, flat)
        if places:
            conn.execute(self._insert_ignore(S.places), list(places.values()))
        for table, key in ((S.toponyms, "toponyms"), (S.events, "events"), (S.actors, "actors")):
            flat = [row for rows in batch for row in rows[key]]
            if flat:
                self._bulk_insert(conn, table, flat)

    def _bulk_insert(self, conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` into ``table`` in the current transaction: an executemany INSERT, or
        on PostgreSQL a COPY (a third cheaper than one INSERT per row, measured on the ingest
        benchmark's rows).  Rows carry every column but scalar defaults."""
        if self.dialect != "postgresql":
            conn.execute(insert(table), rows)
            return
        getters = []
        for c in table.columns:
            if isinstance(c.type, JSON):
                getters.append(lambda row, k=c.name: None if row.get(k) is None else _json_dumps(row[k]))
            elif c.default is not None and c.default.is_scalar:
                getters.append(lambda row, k=c.name, d=c.default.arg: row.get(k, d))
            else:
                getters.append(lambda row, k=c.name: row.get(k))
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        with conn.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([get(row) for get in getters])

    def _insert_ignore(self, table):
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            return pg_insert(table).on_conflict_do_nothing()
        if self.dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            return sqlite_insert(table).on_conflict_do_nothing()
        raise StoreError(f"unsupported database {self.dialect}")

    def _delete_document(self, conn: Connection, doc_id: str) -> set[str]:
        """Remove a document and everything it owns; the canonical events it reported."""
        affected = set(
            conn.execute(
                select(S.event_reports.c.canonical_id).where(S.event_reports.c.doc_id == doc_id)
            ).scalars()
        )
        ev_ids = select(S.events.c.id).where(S.events.c.doc_id == doc_id)
        conn.execute(delete(S.event_reports).where(S.event_reports.c.doc_id == doc_id))
        conn.execute(delete(S.actors).where(S.actors.c.event_id.in_(ev_ids)))
        for table in (S.events, S.toponyms, S.sentences, S.document_keys, S.document_signatures):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        conn.execute(delete(S.documents).where(S.documents.c.id == doc_id))
        return affected

    # -- merging -----------------------------------------------------------------------------
    def _merge_batch(
        self, conn: Connection, items: list[tuple[Document, list[dict[str, Any]]]]
    ) -> tuple[dict[str, int], set[str]]:
        """Attach each report of ``items`` (in input order) to the canonical event it describes,
        or start a new one.  A few statements in all: one fixed-shape candidate query per
        ``SLOTS`` reports, one read of the reports behind the stored events some report may join,
        decisions in memory (a report sees the events earlier reports of the batch created or
        changed), then bulk writes.  Returns the reports merged per document and the canonical
        events written."""
        reports: list[dict[str, Any]] = []
        for doc, records in items:
            for rec in records:
                if set(rec.get("mode") or ()) & MODAL_MODES or (rec.get("review") or {}).get("status") == "rejected":
                    continue  # modal events and those a reviewer rejected are no reports of anything
                reports.append({**rec, "publication_date": doc.publication_date})
        merged = {doc.id: 0 for doc, _ in items}
        if not reports:
            return merged, set()
        # candidates stored before this batch, per report: one fixed-shape statement per
        # slots reports (compiled once, whatever the reports look like)
        stored: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        slots = SLOTS[self.dialect]
        for lo in range(0, len(reports), slots):
            params: dict[str, Any] = {}
            for k in range(slots):
                i = lo + k
                params.update(_slot_params(reports[i] if i < len(reports) else None, k))
            for cid, record, slot in conn.execute(_slot_query(slots), params):
                stored.setdefault(lo + int(slot), []).append((cid, record))
        # the tallies (merge.add_report) of only those stored events some report of the batch
        # may join (the in-memory pass below compares a not-yet-changed stored event exactly as
        # here); events stored before tallies existed are tallied from their reports once
        cids = {
            cid for i, rows in stored.items() for cid, record in rows if compare(reports[i], record).same
        }
        tallies: dict[str, dict[str, Any]] = {}
        if cids:
            c = S.canonical_events.c
            for cid, tally in conn.execute(select(c.id, c.tally).where(c.id.in_(sorted(cids)))):
                if tally is not None:
                    tallies[cid] = tally
            for cid in sorted(cids - tallies.keys()):
                tallies[cid] = tally_reports(self._reports(conn, cid))
        live: dict[str, dict[str, Any]] = {}  # canonical events created or changed in this batch
        created: set[str] = set()
        report_rows = []
        # reviewers' "same event" / "different events" judgements bind (store.reviews)
        bound = link_constraints(conn, [rep["id"] for rep in reports])
        placed: dict[str, str] = {}  # report -> canonical event, in this batch
        for i, rep in enumerate(reports):
            forced, banned = self._bound_placement(conn, bound.get(rep["id"]), placed)
            shape = _candidate_params(rep)
            candidates = {cid: record for cid, record in stored.get(i, []) if cid not in live}
            candidates.update({cid: v["match"] for cid, v in live.items() if _may_join(shape, v)})
            best, best_cid = None, None
            for cid, record in candidates.items():
                if cid in banned:
                    continue
                res = compare(rep, record)
                if res.same and (best is None or res.score > best.score):
                    best, best_cid = res, cid
            if forced is not None:
                cid, reason = forced[0], forced[1]
                merged[rep["doc_id"]] = merged.get(rep["doc_id"], 0) + 1
                if cid not in tallies:
                    tallies[cid] = self._tally(conn, cid)
            elif best is not None and best_cid is not None:
                cid, reason = best_cid, best.as_reason()
                merged[rep["doc_id"]] = merged.get(rep["doc_id"], 0) + 1
            else:
                cid = "ewc-" + rep["id"].removeprefix("ew-")
                reason = {"rule": "first report", "score": None, "checks": {}}
                created.add(cid)
            tallies[cid] = add_report(tallies.get(cid), rep)
            live[cid] = _canonical_values(cid, tallies[cid])
            placed[rep["id"]] = cid
            info = rep.get("text_info") or {}
            report_rows.append({
                "event_id": rep["id"], "canonical_id": cid, "doc_id": rep["doc_id"],
                "evidence_start": info.get("start"), "evidence_end": info.get("end"), "reason": reason,
                "added_at": _now(),
            })  # fmt: skip
        self._rename_taken(conn, created, live, tallies, report_rows)
        new_rows = [{"id": cid, **v} for cid, v in live.items() if cid in created]
        changed = [{"cid_": cid, **v} for cid, v in live.items() if cid not in created]
        if new_rows:
            conn.execute(insert(S.canonical_events), new_rows)
        if changed:
            conn.execute(_UPDATE_CANONICAL, changed)
        self._bulk_insert(conn, S.event_reports, report_rows)
        return merged, set(live)

    def _bound_placement(
        self, conn: Connection, links: Mapping[str, set[str]] | None, placed: Mapping[str, str]
    ) -> tuple[tuple[str, dict[str, Any]] | None, set[str]]:
        """Where reviewers' links put a report: the canonical event of an event they said is the
        same one (with the reason to store), and the canonical events of events they said are
        different ones (which it may not join)."""
        if not links:
            return None, set()
        others = sorted(links.get("same", set()) | links.get("different", set()))
        where = {e: placed[e] for e in others if e in placed}
        rest = [e for e in others if e not in where]
        if rest:
            r = S.event_reports.c
            where.update(conn.execute(select(r.event_id, r.canonical_id).where(r.event_id.in_(rest))).all())
        banned = {where[e] for e in links.get("different", set()) if e in where}
        for e in sorted(links.get("same", set())):
            if e in where and where[e] not in banned:
                reason = {"rule": "reviewer", "score": None, "checks": {"same event as": e}}
                return (where[e], reason), banned
        return None, banned

    def _tally(self, conn: Connection, cid: str) -> dict[str, Any]:
        c = S.canonical_events.c
        tally = conn.execute(select(c.tally).where(c.id == cid)).scalar()
        return tally if tally is not None else tally_reports(self._reports(conn, cid))

    def _rename_taken(
        self, conn: Connection, created: set[str], live: dict[str, dict[str, Any]], tallies: dict[str, Any],
        report_rows: list[dict[str, Any]],
    ) -> None:
        """New canonical events are named after their first report; where that name is taken (the
        report's earlier version started an event that other reports keep), another is derived."""
        if not created:
            return
        c = S.canonical_events.c
        taken = set(conn.execute(select(c.id).where(c.id.in_(sorted(created)))).scalars())
        for old in sorted(taken):
            k = 1
            while True:
                new = "ewc-" + hashlib.sha1(f"{old}#{k}".encode()).hexdigest()[:16]
                if new not in live and not conn.execute(select(c.id).where(c.id == new)).first():
                    break
                k += 1
            created.discard(old)
            created.add(new)
            tallies[new] = tallies.pop(old)
            live.pop(old)
            live[new] = _canonical_values(new, tallies[new])
            for row in report_rows:
                if row["canonical_id"] == old:
                    row["canonical_id"] = new

    def _reports(self, conn: Connection, cid: str) -> list[dict[str, Any]]:
        out = []
        for row in conn.execute(_REPORTS_OF, {"cid": cid}).mappings():
            rec = row_to_plover(row)
            rec["publication_date"] = row["publication_date"]
            out.append(rec)
        return out

    def _refresh_canonical(self, conn: Connection, cid: str) -> None:
        """Recompute a canonical event from the reports it has left (none: delete it)."""
        reports = self._reports(conn, cid)
        if not reports:
            conn.execute(delete(S.canonical_events).where(S.canonical_events.c.id == cid))
            return
        conn.execute(_UPDATE_CANONICAL, {"cid_": cid, **_canonical_values(cid, tally_reports(reports))})

    # -- reading -----------------------------------------------------------------------------
    @overload
    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: Literal[False] = False, batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[StoredEvent]: ...

    @overload
    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: Literal[True], batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[CanonicalEvent]: ...

    @overload
    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: bool, batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[StoredEvent | CanonicalEvent]: ...

    def iter_events(
        self, filters: EventFilter | None = None, *, canonical: bool = False, batch_size: int = 1000,
        limit: int | None = None,
    ) -> Iterator[StoredEvent | CanonicalEvent]:
        """Stream the reports (``StoredEvent``) matching ``filters`` in bounded memory, ordered by
        date; ``canonical=True``: the merged events (``CanonicalEvent``) instead.  Their PLOVER
        records are ``to_plover()``."""
        from eventwire.store.query import event_conditions, event_select, typed_record_of

        t = S.canonical_events if canonical else S.events
        conds, params = event_conditions(filters or EventFilter(), canonical)
        stmt = event_select(canonical).where(*conds).order_by(t.c.date.asc().nulls_last(), t.c.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(stmt, params)
            for row in result.mappings():
                yield typed_record_of(row, canonical)

    def iter_documents(self, ids: Sequence[str] | None = None, batch_size: int = 100) -> Iterator[Document]:
        """Stored documents (all, or those of ``ids``) as ``Document`` records, in id order,
        ``batch_size`` at a time; copies of other documents are left out (they are not coded)."""
        d = S.documents.c
        cols = (d.id, d.text, d.publication_date, d.title, d.url, d.source, d.canonical_url, d.author)
        after: str | None = None
        wanted = sorted(set(ids)) if ids is not None else None
        while True:
            stmt = select(*cols).where(d.copy_of.is_(None)).order_by(d.id).limit(batch_size)
            if wanted is not None:
                chunk, wanted = wanted[:batch_size], wanted[batch_size:]
                if not chunk:
                    return
                stmt = stmt.where(d.id.in_(chunk))
            elif after is not None:
                stmt = stmt.where(d.id > after)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            for r in rows:
                yield Document(r.id, r.text, _d(r.publication_date), r.title, r.url, r.source,
                               canonical_url=r.canonical_url, author=r.author)  # fmt: skip
            if wanted is None:
                if len(rows) < batch_size:
                    return
                after = rows[-1].id

    def get_event(self, event_id: str) -> StoredEvent | None:
        """The stored report ``event_id`` (None: no such report), with its canonical event."""
        from eventwire.store.query import event_select, typed_record_of

        with self.engine.connect() as conn:
            row = conn.execute(event_select(False).where(S.events.c.id == event_id)).mappings().first()
        return typed_record_of(row, False) if row else None  # type: ignore[return-value]

    def page_events(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Any = None, limit: int = 100,
        as_json: bool = False,
    ) -> Any:
        """One newest-first page of events (``query.EventPage``: records and the cursor of the
        next page), starting after the ``query.Cursor`` ``after``; ``as_json``: each record as
        JSON text written by the database."""
        from eventwire.store.query import page_events

        with self._read() as conn:
            return page_events(conn, filters or EventFilter(), canonical=canonical, after=after, limit=limit,
                               as_json=as_json)  # fmt: skip

    def iter_json_pages(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Any = None,
        limit: int = 1000, chunk: int = 1000,
    ) -> Iterator[str]:
        """Up to ``limit`` events after ``after`` as JSON text written by the database, newest
        first, read ``chunk`` at a time (one short read per chunk: bounded memory, no read
        transaction held open for the whole listing)."""
        remaining, cur = limit, after
        while remaining > 0:
            page = self.page_events(filters, canonical=canonical, after=cur, limit=min(chunk, remaining), as_json=True)
            yield from page.events
            remaining -= len(page.events)
            if page.next is None:
                return
            cur = page.next

    def listing_end(
        self, filters: EventFilter | None = None, *, canonical: bool = False, after: Any = None, limit: int = 1000
    ) -> Any:
        """The cursor that continues a listing of ``limit`` events after ``after``; None when
        nothing follows (``query.listing_end``)."""
        from eventwire.store.query import listing_end

        with self._read() as conn:
            return listing_end(conn, filters or EventFilter(), canonical=canonical, after=after, limit=limit)

    def event_detail(self, event_id: str) -> dict[str, Any] | None:
        """An event (report or canonical id) with its reports, their documents and evidence."""
        from eventwire.store.query import event_detail

        with self.engine.connect() as conn:
            return event_detail(conn, event_id)

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        """A stored document with its text, sentences, place mentions and events (with the
        offsets of each field's evidence)."""
        from eventwire.store.query import document_detail

        with self.engine.connect() as conn:
            return document_detail(conn, doc_id)

    def event_counts(self, filters: EventFilter | None = None, *, canonical: bool = False) -> dict[str, Any]:
        """Events matching ``filters`` in all, by type, by country and by day."""
        from eventwire.store.query import event_counts

        with self.engine.connect() as conn:
            return event_counts(conn, filters or EventFilter(), canonical=canonical)

    def explain(self, event_id: str) -> dict[str, Any] | None:
        """The canonical event ``event_id`` (a canonical id, or one of its reports' ids) with
        each report, its evidence sentence and the stored reason it was merged."""
        r, d = S.event_reports.c, S.documents.c
        with self.engine.connect() as conn:
            cid = event_id
            if not event_id.startswith("ewc-"):
                cid = conn.execute(select(r.canonical_id).where(r.event_id == event_id)).scalar()
                if cid is None:
                    return None
            rec = conn.execute(
                select(S.canonical_events.c.record).where(S.canonical_events.c.id == cid)
            ).scalar()
            if rec is None:
                return None
            rows = conn.execute(
                select(r.event_id, r.doc_id, r.evidence_start, r.evidence_end, r.reason, r.added_at,
                       func.substr(d.text, r.evidence_start + 1, r.evidence_end - r.evidence_start).label("evidence"))
                .join(S.documents, S.documents.c.id == r.doc_id)
                .where(r.canonical_id == cid).order_by(r.added_at, r.event_id)
            ).mappings().all()  # fmt: skip
        return {"canonical": rec, "reports": [dict(x) for x in rows]}

    def ping(self) -> None:
        """Raise unless the database answers (one trivial query)."""
        with self._read() as conn:
            conn.execute(select(1)).scalar()

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (S.documents, S.sentences, S.toponyms, S.places, S.events, S.actors,
                          S.canonical_events, S.event_reports)
            }  # fmt: skip

    def summary(self, top: int = 10) -> StoreSummary:
        """Events by type and country, and the canonical events with the most reports."""
        e, c = S.events.c, S.canonical_events.c
        with self.engine.connect() as conn:
            by_type = conn.execute(
                select(e.primary_type, e.country_code, func.count())
                .where(e.modal.is_(False)).group_by(e.primary_type, e.country_code)
                .order_by(func.count().desc())
            ).all()  # fmt: skip
            merged = conn.execute(
                select(c.record).where(c.n_reports > 1).order_by(c.n_reports.desc(), c.id).limit(top)
            ).scalars().all()  # fmt: skip
        return StoreSummary(
            [(str(t), cc, int(n)) for t, cc, n in by_type], [CanonicalEvent.from_plover(r) for r in merged], self.counts()
        )


_LOCK_KEY = zlib.crc32(b"eventwire-ingest")
# statements built once: building a statement per call costs more than running it on SQLite
_REPORTS_OF = (
    select(S.events, S.documents.c.publication_date)
    .join(S.event_reports, S.event_reports.c.event_id == S.events.c.id)
    .join(S.documents, S.documents.c.id == S.events.c.doc_id)
    .where(S.event_reports.c.canonical_id == bindparam("cid"))
    .order_by(S.event_reports.c.added_at, S.events.c.id)
)
_UPDATE_CANONICAL = update(S.canonical_events).where(S.canonical_events.c.id == bindparam("cid_"))


def _canonical_values(cid: str, tally: dict[str, Any]) -> dict[str, Any]:
    """The canonical_events row (without its id) reconciled from the reports in ``tally``."""
    rec = finish(cid, tally)
    window = tally["match"]
    loc = rec.get("event_loc") or {}
    return {
        "family": family(rec["event"][0]), "primary_type": rec["event"][0],
        "date": _d(rec["date"]), "enddate": _d(rec["enddate"]),
        "match_start": date.fromisoformat(window[0]) if window else NO_DATE,
        "match_end": date.fromisoformat(window[1]) if window else NO_DATE,
        "lat": loc.get("lat"), "lon": loc.get("lon"), "country_code": loc.get("country_code"),
        "province": loc.get("province"), "resolution": loc.get("resolution"),
        "dead": rec["size"]["dead"], "injured": rec["size"]["injured"], "arrested": rec["size"]["arrested"],
        "long_window": bool(window) and date.fromisoformat(window[1]) - date.fromisoformat(window[0]) > LOOKUP_SPAN,
        "n_reports": tally["n"], "confidence": rec.get("confidence"), "record": rec, "match": match_summary(rec), "tally": tally, "updated_at": _now(),
    }  # fmt: skip


def _candidate_params(report: dict[str, Any]) -> tuple[bool, bool, dict[str, Any]] | None:
    """(with_country, spatial, parameters) of a report's candidate test; None if undated."""
    w = match_window(report)
    if w is None:
        return None
    loc = report.get("event_loc") or {}
    cc = loc.get("country_code")
    res = int(loc.get("resolution") or 1)
    spatial = res > 1 and loc.get("lat") is not None and loc.get("lon") is not None
    params: dict[str, Any] = {"fam": family(report["event"][0]), "w0": w[0], "w1": w[1], "cc": cc, "res": res}
    if spatial:
        params.update(_box_params("near", loc["lat"], loc["lon"], DISTANCE_KM[res]))
        params.update(_box_params("far", loc["lat"], loc["lon"], MAX_MERGE_KM))
    return bool(cc), spatial, params


# Reports per candidate statement.  psycopg caches the conversion of a statement with at most
# 50 parameters only (converting the 8-slot statement cost 2 ms a call); SQLite has no such limit.
SLOTS = {"postgresql": 3, "sqlite": 8}
# Canonical events whose match window is at most this long are found through a bounded range of
# ``match_start`` (it lies within LOOKUP_SPAN before the report's window); the few longer ones
# ("in 2019") are flagged ``long_window`` and looked up without the bound.
LOOKUP_SPAN = timedelta(days=40)


def _slot_params(report: dict[str, Any] | None, k: int) -> dict[str, Any]:
    """Parameters of slot ``k`` of ``_slot_query`` for ``report`` (None: a slot matching nothing)."""
    shape = _candidate_params(report) if report is not None else None
    p: dict[str, Any] = {"fam": "", "w0": NO_DATE, "w1": NO_DATE, "w0s": NO_DATE, "cc": "*", "res": 1}
    for box in ("near", "far"):
        p.update({f"{box}_lat0": 0.0, f"{box}_lat1": 0.0, f"{box}_lon0": 0.0, f"{box}_lon1": 0.0})
    if shape is not None:
        with_country, spatial, q = shape
        p.update(q)
        p["w0s"] = max(NO_DATE + LOOKUP_SPAN, q["w0"]) - LOOKUP_SPAN
        p["cc"] = q["cc"] if with_country else "*"
        p["res"] = q["res"] if spatial else 1
    return {f"{_SHORT.get(key, key)}{k}": v for key, v in p.items()}


# parameter names of _slot_query, short for the same reason as its table alias
_SHORT = {"fam": "f", "w0": "a", "w1": "b", "w0s": "s", "cc": "k", "res": "r"} | {
    f"{box}_{axis}{end}": f"{box[0]}{axis[1]}{end}" for box in ("near", "far") for axis in ("lat", "lon") for end in "01"
}


@functools.cache
def _slot_query(slots: int) -> Any:
    """``slots`` candidate queries in one UNION ALL; each row says which report (slot) it is for.
    A slot's "cc" of "*" accepts any country; a "res" of 1 switches the place test off.  Each
    slot reads short-window events through a bounded index range and long ones apart."""
    ce = S.canonical_events.alias("c")  # short SQL: psycopg caches statements under 4 KB only
    c = ce.c
    # what a candidate is compared on: the compact summary, or the full record of older rows
    record = type_coerce(func.coalesce(c.match, c.record), JSON).label("record")
    star, one = literal_column("'*'"), literal_column("1")
    selects = []
    for k in range(slots):

        def bp(name: str, k: int = k) -> Any:
            return bindparam(f"{_SHORT.get(name, name)}{k}")

        def box(name: str, bp: Any = bp) -> Any:
            return and_(
                c.lat.between(bp(f"{name}_lat0"), bp(f"{name}_lat1")),
                c.lon.between(bp(f"{name}_lon0"), bp(f"{name}_lon1")),
            )

        common = (
            c.family == bp("fam"), c.match_start <= bp("w1"), c.match_end >= bp("w0"),
            or_(bp("cc") == star, c.country_code.is_(None), c.country_code == bp("cc")),
            or_(
                bp("res") <= one, c.lat.is_(None), c.resolution <= one,
                and_(c.resolution >= bp("res"), box("near")),
                and_(c.resolution < bp("res"), box("far")),
            ),
        )  # fmt: skip
        slot = literal_column(str(k)).label("slot")
        selects.append(select(c.id, record, slot).where(c.long_window.is_(false()), c.match_start >= bp("w0s"), *common))
        selects.append(select(c.id, record, slot).where(c.long_window.is_(true()), *common))
    return union_all(*selects)


def _may_join(shape: tuple[bool, bool, dict[str, Any]] | None, values: dict[str, Any]) -> bool:
    """In Python, the same test ``_slot_query`` makes in SQL (for events held in memory);
    ``shape`` is ``_candidate_params`` of the report."""
    if shape is None:
        return False
    with_country, spatial, p = shape
    if values["family"] != p["fam"] or values["match_start"] > p["w1"] or values["match_end"] < p["w0"]:
        return False
    if with_country and values["country_code"] not in (None, p["cc"]):
        return False
    if not spatial:
        return True
    lat, lon, res_c = values["lat"], values["lon"], values["resolution"]
    if lat is None or (res_c is not None and res_c <= 1):
        return True
    if res_c is None:
        return False
    box = "near" if res_c >= p["res"] else "far"
    return p[f"{box}_lat0"] <= lat <= p[f"{box}_lat1"] and p[f"{box}_lon0"] <= lon <= p[f"{box}_lon1"]


def _box_params(name: str, lat: float, lon: float, km: float) -> dict[str, float]:
    """Bounds of a box ``km`` around (lat, lon), as parameters of ``_slot_query``."""
    dlat = km / 111.0
    dlon = min(180.0, km / (111.0 * max(0.05, math.cos(math.radians(lat)))))
    return {f"{name}_lat0": lat - dlat, f"{name}_lat1": lat + dlat, f"{name}_lon0": lon - dlon, f"{name}_lon1": lon + dlon}


def _document_rows(
    document: Document,
    chash: str,
    records: list[dict[str, Any]],
    sentences: Sequence[Sentence],
    toponyms: Sequence[Toponym],
    fp: Fingerprint | None = None,
    copy_reason: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The rows one document adds to each table."""
    places: dict[int, dict[str, Any]] = {}
    tops: dict[int, dict[str, Any]] = {}
    for t in toponyms:
        p = t.place
        if p is not None and p.geonameid is not None:
            places[p.geonameid] = {
                "geonameid": p.geonameid, "name": p.name, "lat": p.lat, "lon": p.lon,
                "country_code": p.country_code, "country": p.country, "province": p.province,
                "district": p.district, "feature_class": p.feature_class, "feature_code": p.feature_code,
            }  # fmt: skip
        tops[t.mention.start] = {
            "doc_id": document.id, "start": t.mention.start, "end": t.mention.end,
            "text": t.mention.text, "geonameid": p.geonameid if p else None, "score": t.score,
        }  # fmt: skip
    for d in records:
        loc = d.get("event_loc") or {}
        if loc.get("geonameid") is not None and loc["geonameid"] not in places:
            places[loc["geonameid"]] = place_row(loc)
    return {
        "documents": [
            {
                "id": document.id, "content_hash": chash, "text": clean_text(document.text),
                "publication_date": document.publication_date, "title": _clean(document.title),
                "url": _clean(document.url), "source": _clean(document.source), "ingested_at": _now(),
                "n_events": len(records), "canonical_url": _clean(document.canonical_url),
                "author": _clean(document.author), "copy_of": document.copy_of, "copy_reason": copy_reason,
            }
        ],
        "document_keys": key_rows(fp) if fp is not None else [],
        "document_signatures": (
            [{"doc_id": document.id, "signature": fp.signature}] if fp is not None and fp.signature else []
        ),
        "sentences": [
            {"doc_id": document.id, "seq": x.index, "start": x.start, "end": x.end} for x in sentences
        ],
        "places": list(places.values()),
        "toponyms": list(tops.values()),
        "events": [_event_row(i, d) for i, d in enumerate(records)],
        "actors": [row for d in records for row in actor_rows(d)],
    }


def place_row(loc: Mapping[str, Any]) -> dict[str, Any]:
    """The ``places`` row of an ``event_loc`` that has a GeoNames id."""
    return {
        "geonameid": loc["geonameid"], "name": loc.get("resolved_place"), "lat": loc.get("lat"),
        "lon": loc.get("lon"), "country_code": loc.get("country_code"), "country": loc.get("country"),
        "province": loc.get("province"), "district": loc.get("district"),
        "feature_class": loc.get("feature_class"), "feature_code": loc.get("feature_code"),
    }  # fmt: skip


def actor_rows(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``actors`` rows of a PLOVER record (its actors and recipients, in order)."""
    return [
        {
            "event_id": record["id"], "role": role, "position": i, "entity_text": a.get("entity_text") or "",
            "code": a.get("code"), "sector": a.get("sector"), "identifier_text": a.get("identifier_text"),
        }  # fmt: skip
        for role in ("actor", "recipient")
        for i, a in enumerate(record.get(role) or ())
    ]


def _records(document: Document, events: Iterable[Event | Mapping[str, Any]]) -> list[dict[str, Any]]:
    """PLOVER dicts of a document's events, each with an id, without repeats."""
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ev in events:
        d = ev.to_plover() if isinstance(ev, Event) else dict(ev)
        if not d.get("id"):
            if isinstance(ev, Event):
                d["id"] = ev.assign_id()
            else:
                raise ValueError(f"{document.id}: event without an id")
        if d["id"] in seen:
            continue
        seen.add(d["id"])
        records.append(d)
    return records


def _sqlite_setup(engine: Engine, read_only: bool = False) -> None:
    """WAL journal (readers never block the writer), foreign keys, explicit transactions; a
    read-only store only waits for locks and refuses writes."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
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
    def _on_begin(conn):  # noqa: ANN001
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


def _check_document(document: Document) -> None:
    """The same limits on both back ends (PostgreSQL refuses what SQLite would keep)."""
    problem = id_problem(document.id)
    if problem:
        raise ValueError(f"document {document.id!r:.80}: {problem}")
    if document.publication_date is not None and date_problem(document.publication_date):
        raise ValueError(f"document {document.id}: publication_date {date_problem(document.publication_date)}")


def _clean(value: str | None) -> str | None:
    return clean_text(value) if value else value


def _store_down(exc: BaseException) -> bool:
    """Whether ``exc`` says the store as a whole cannot be written (disk full, read-only file,
    the server gone, a lock held too long) rather than that one document is bad."""
    if isinstance(exc, StoreError | OSError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError)


def _reason(exc: BaseException) -> str:
    """The first line of a database error, without SQL, parameters or passwords."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return redact(text[0]) if text else type(orig).__name__


def _event_row(seq: int, d: Mapping[str, Any]) -> dict[str, Any]:
    loc = d.get("event_loc") or {}
    size = d.get("size") or {}
    info = d.get("text_info") or {}
    return {
        "id": d["id"], "doc_id": d["doc_id"], "seq": seq, "primary_type": d["event"][0],
        "date": _d(d.get("date")), "enddate": _d(d.get("enddate")),
        "date_precision": d.get("date_precision"), "date_source": d.get("date_source"),
        "event": list(d["event"]), "mode": list(d.get("mode") or []), "context": list(d.get("context") or []),
        "actor": list(d.get("actor") or []), "recipient": list(d.get("recipient") or []),
        "event_loc": dict(loc) if loc else None, "lat": loc.get("lat"), "lon": loc.get("lon"),
        "country_code": loc.get("country_code"), "province": loc.get("province"),
        "geonameid": loc.get("geonameid"), "resolution": loc.get("resolution"),
        "dead": size.get("dead"), "injured": size.get("injured"), "arrested": size.get("arrested"),
        "event_text": list(d.get("event_text") or []), "sentence_seq": info.get("sequence"),
        "evidence_start": info.get("start"), "evidence_end": info.get("end"),
        "trigger_offsets": list(d.get("trigger_offsets") or []), "cameo": d.get("cameo"),
        "acled_event_type": d.get("acled_event_type"), "acled_sub_event_type": d.get("acled_sub_event_type"),
        "quad_code": d.get("quad_code"), "confidence": float(d.get("confidence") or 0.0),
        "reciprocal": bool(d.get("reciprocal")), "modal": bool(set(d.get("mode") or ()) & MODAL_MODES),
        "evidence": d.get("evidence"),
        **_review_columns(d.get("review")),
    }  # fmt: skip


def _review_columns(review: Mapping[str, Any] | None) -> dict[str, Any]:
    """The ``events`` columns that copy a record's review (``store.reviews``)."""
    r = review or {}
    status = r.get("status")
    return {
        "review_status": None if status in (None, "unreviewed") else status, "reviewed_by": r.get("by"),
        "reviewed_at": r.get("at"), "review_flag": r.get("flag"),
    }  # fmt: skip


def row_to_plover(row: Mapping[str, Any]) -> dict[str, Any]:
    """An ``events`` row as the PLOVER record ``Event.to_plover()`` gives (CONTRACT.md)."""
    return {
        "id": row["id"], "doc_id": row["doc_id"], "date": _iso(_d(row["date"])),
        "enddate": _iso(_d(row["enddate"])), "date_precision": row["date_precision"],
        "date_source": row["date_source"], "event": row["event"], "mode": row["mode"],
        "context": row["context"], "actor": row["actor"], "recipient": row["recipient"],
        "event_loc": row["event_loc"],
        "size": {"dead": row["dead"], "injured": row["injured"], "arrested": row["arrested"]},
        "event_text": row["event_text"],
        "text_info": {"sequence": row["sentence_seq"], "start": row["evidence_start"], "end": row["evidence_end"]},
        "trigger_offsets": row["trigger_offsets"], "cameo": row["cameo"],
        "acled_event_type": row["acled_event_type"], "acled_sub_event_type": row["acled_sub_event_type"],
        "quad_code": row["quad_code"], "confidence": row["confidence"], "reciprocal": row["reciprocal"],
        # rows stored before evidence was kept: the triggers are all there is
        "evidence": row.get("evidence") or {"event": row["trigger_offsets"]},
        "review": {"status": row.get("review_status") or "unreviewed", "by": row.get("reviewed_by"),
                   "at": row.get("reviewed_at"), "flag": row.get("review_flag")},
    }  # fmt: skip
