"""Event store: documents, evidence spans, events, actors, places and merged canonical events,
in SQLite (default: one file in WAL mode at ``default_db_path()``) or PostgreSQL (``--db
postgresql://user@host/dbname``), same schema and code; Alembic migrations run when a store is
opened for writing.  ``Store(db, read_only=True)`` is for readers (commands, the HTTP API): it
never creates, migrates or writes a store."""

from eventwire.ingest import FetchRecord
from eventwire.store._reads import ExplainedReport, Explanation
from eventwire.store.fetches import FetchLog
from eventwire.store.query import (
    Cursor,
    DocumentDetail,
    EventCounts,
    EventDetail,
    EventPage,
    ReportDetail,
)
from eventwire.store.reviewing import (
    GoldDocument,
    QueueCursor,
    ReviewCounts,
    ReviewHistory,
    ReviewResult,
    Reviews,
    ReviewState,
)
from eventwire.store.reviews import FIELDS as REVIEW_FIELDS
from eventwire.store.reviews import STATUSES as REVIEW_STATUSES
from eventwire.store.reviews import ReviewChange, ReviewError, change_from_json
from eventwire.store.store import (
    CodedDocument,
    EventFilter,
    IngestOutcome,
    Store,
    StoreError,
    database_url,
    default_db,
    default_db_path,
    redact,
)
from eventwire.store.users import ROLES as USER_ROLES
from eventwire.store.users import User, UserError, Users

__all__ = [
    "REVIEW_FIELDS",
    "REVIEW_STATUSES",
    "USER_ROLES",
    "CodedDocument",
    "Cursor",
    "DocumentDetail",
    "EventCounts",
    "EventDetail",
    "EventFilter",
    "EventPage",
    "ExplainedReport",
    "Explanation",
    "FetchLog",
    "FetchRecord",
    "GoldDocument",
    "IngestOutcome",
    "QueueCursor",
    "ReportDetail",
    "ReviewChange",
    "ReviewCounts",
    "ReviewError",
    "ReviewHistory",
    "ReviewResult",
    "ReviewState",
    "Reviews",
    "Store",
    "StoreError",
    "User",
    "UserError",
    "Users",
    "change_from_json",
    "database_url",
    "default_db",
    "default_db_path",
    "redact",
]
