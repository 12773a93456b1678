"""Event store: documents, evidence spans, events, actors, places and merged canonical events,
in SQLite (default: one file in WAL mode at ``default_db_path()``) or PostgreSQL (``--db
postgresql://user@host/dbname``), same schema and code; Alembic migrations run when a store is
opened for writing.  ``Store(db, read_only=True)`` is for readers (commands, the HTTP API): it
never creates, migrates or writes a store."""

from eventwire.store.fetches import FetchLog, FetchRecord
from eventwire.store.store import (
    EventFilter,
    IngestOutcome,
    Store,
    StoreError,
    database_url,
    default_db,
    default_db_path,
    redact,
    row_to_plover,
)

__all__ = [
    "EventFilter",
    "FetchLog",
    "FetchRecord",
    "IngestOutcome",
    "Store",
    "StoreError",
    "database_url",
    "default_db",
    "default_db_path",
    "redact",
    "row_to_plover",
]
