"""Event store: documents, evidence spans, events, actors, places and merged canonical events,
in SQLite (default: one file in WAL mode at ``default_db_path()``) or PostgreSQL (``--db
postgresql://user@host/dbname``), same schema and code; Alembic migrations run on open."""

from eventwire.store.fetches import FetchLog, FetchRecord
from eventwire.store.store import (
    EventFilter,
    IngestOutcome,
    Store,
    StoreError,
    database_url,
    default_db_path,
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
    "default_db_path",
    "row_to_plover",
]
