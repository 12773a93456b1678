"""The event store: documents, evidence, events, actors, places and merged canonical events.

One code path for SQLite (the default, a single file in WAL mode) and PostgreSQL (psycopg 3).
Every document is written in one transaction together with its merge updates, so a run killed
at any moment leaves each document either complete or absent; re-ingesting the same document
(same id and content hash) changes nothing, and a changed document replaces its own rows.
"""

from __future__ import annotations

from eventwire.store._connection import (
    StoreError,
    StoreStats,
    database_url,
    default_db,
    default_db_path,
    redact,
)
from eventwire.store._reads import ReadingStore, StoreSummary
from eventwire.store._rows import IngestOutcome
from eventwire.store._writes import CodedDocument, WritingStore
from eventwire.store.query import EventFilter

__all__ = [
    "CodedDocument",
    "EventFilter",
    "IngestOutcome",
    "Store",
    "StoreError",
    "StoreStats",
    "StoreSummary",
    "database_url",
    "default_db",
    "default_db_path",
    "redact",
]


class Store(WritingStore, ReadingStore):
    """The store at ``db`` (URL or SQLite path; None: ``default_db``).

    Opened for writing (the default), a missing store is created and an older schema migrated.
    Opened with ``read_only=True`` (what every command that only reads uses), nothing is ever
    created, migrated or written: a missing SQLite file, a database without eventwire's schema
    or with another schema revision is a ``StoreError``; SQLite is opened with ``mode=ro``
    (``immutable`` where even the WAL index cannot be created: a store on read-only media) and
    PostgreSQL sessions are read-only transactions."""
