"""The store's tables (SQLAlchemy Core).  Changes to these go with a new Alembic migration in
``eventwire/store/migrations/versions``; the store runs pending migrations when it opens.

One document owns its sentences (evidence spans), toponyms, events and the events' actor rows.
``canonical_events`` are the merged real-world events; ``event_reports`` says which event
(report) belongs to which canonical event and why (the stored merge reason).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(512), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("publication_date", Date),
    Column("title", Text),
    Column("url", Text),
    Column("source", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("n_events", Integer, nullable=False, default=0),
    # web documents (migration 0004): the page's canonical URL and author; a copy (same URL,
    # or a near-identical syndicated text) names its original and is stored without events
    Column("canonical_url", Text),
    Column("author", Text),
    Column("copy_of", String(512)),
    Column("copy_reason", Text),
    Index("ix_documents_copy_of", "copy_of"),
)

# what finding copies looks up (ingest.dedup): one key per normalised URL and per MinHash band of
# every document, and the MinHash signature that confirms a band match
document_keys = Table(
    "document_keys",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("doc_id", String(512), ForeignKey("documents.id"), primary_key=True),
    Column("kind", String(4), nullable=False),  # url | band
    Index("ix_document_keys_doc", "doc_id"),
)

document_signatures = Table(
    "document_signatures",
    metadata,
    Column("doc_id", String(512), ForeignKey("documents.id"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),
)

# what ``eventwire watch`` has fetched: feeds with their validators (ETag, Last-Modified) and
# article pages with what became of them, so a restart refetches nothing it has
fetches = Table(
    "fetches",
    metadata,
    Column("url_key", String(40), primary_key=True),  # sha1 of ingest.urls.url_key
    Column("url", Text, nullable=False),
    Column("kind", String(8), nullable=False),  # feed | page
    Column("status", String(12), nullable=False),  # ok | skipped | retry | failed
    Column("http_status", Integer),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("doc_id", String(512)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
    Column("retry_at", DateTime(timezone=True)),
    Column("item", JSON),  # a feed item's link, title, date and text, to retry without the feed
    Column("message", Text),
    Index("ix_fetches_retry", "status", "retry_at"),
)

sentences = Table(
    "sentences",
    metadata,
    Column("doc_id", String(512), ForeignKey("documents.id"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
)

places = Table(
    "places",
    metadata,
    Column("geonameid", Integer, primary_key=True, autoincrement=False),
    Column("name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country_code", String(3)),
    Column("country", Text),
    Column("province", Text),
    Column("district", Text),
    Column("feature_class", String(1)),
    Column("feature_code", String(10)),
)

toponyms = Table(
    "toponyms",
    metadata,
    Column("doc_id", String(512), ForeignKey("documents.id"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("geonameid", Integer),
    Column("score", Float),
)

events = Table(
    "events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("doc_id", String(512), ForeignKey("documents.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("primary_type", String(16), nullable=False),
    Column("date", Date),
    Column("enddate", Date),
    Column("date_precision", String(8)),
    Column("date_source", String(12)),
    Column("event", JSON, nullable=False),
    Column("mode", JSON, nullable=False),
    Column("context", JSON, nullable=False),
    Column("actor", JSON, nullable=False),
    Column("recipient", JSON, nullable=False),
    Column("event_loc", JSON),
    Column("lat", Float),
    Column("lon", Float),
    Column("country_code", String(3)),
    Column("province", Text),
    Column("geonameid", Integer),
    Column("resolution", Integer),
    Column("dead", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("event_text", JSON, nullable=False),
    Column("sentence_seq", Integer),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("trigger_offsets", JSON, nullable=False),
    Column("cameo", String(4)),
    Column("acled_event_type", Text),
    Column("acled_sub_event_type", Text),
    Column("quad_code", Integer),
    Column("confidence", Float, nullable=False),
    Column("reciprocal", Boolean, nullable=False),
    Column("modal", Boolean, nullable=False),
    # offsets of the words behind each field: {"event": [[start, end]], "actor": ..., "place": ...}
    Column("evidence", JSON),
    # a copy of the event's review (migration 0006; ``reviews`` holds it in full): null status
    # is unreviewed; the time as ISO text, as records carry it
    Column("review_status", String(12)),
    Column("reviewed_by", String(200)),
    Column("reviewed_at", String(40)),
    Column("review_flag", Text),
    Index("ix_events_doc", "doc_id"),
    # newest-first pages (keyset on date, id), also within a country or a type
    Index("ix_events_date_id", "date", "id"),
    Index("ix_events_country_date", "country_code", "date", "id"),
    Index("ix_events_type_date", "primary_type", "date", "id"),
    Index("ix_events_review_queue", "review_status", "confidence", "id"),
)

actors = Table(
    "actors",
    metadata,
    Column("event_id", String(64), ForeignKey("events.id"), primary_key=True),
    Column("role", String(9), primary_key=True),  # actor | recipient
    Column("position", Integer, primary_key=True),
    Column("entity_text", Text, nullable=False),
    Column("code", String(8)),
    Column("sector", String(8)),
    Column("identifier_text", Text),
    Index("ix_actors_code", "code"),
)

canonical_events = Table(
    "canonical_events",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("family", String(16), nullable=False),
    Column("primary_type", String(16), nullable=False),
    Column("date", Date),
    Column("enddate", Date),
    # the window a new report's dates must overlap to be compared with this event
    Column("match_start", Date, nullable=False),
    Column("match_end", Date, nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("country_code", String(3)),
    Column("province", Text),
    Column("resolution", Integer),
    Column("dead", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("n_reports", Integer, nullable=False),
    Column("confidence", Float),  # the record's confidence, for filtering
    Column("record", JSON, nullable=False),  # the reconciled PLOVER record with its reports
    Column("match", JSON),  # what merging compares a new report with (merge.match_summary)
    Column("tally", JSON),  # what reconciling needs of its reports (merge.add_report)
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # match windows longer than store.LOOKUP_SPAN ("in 2019"), looked up apart
    Column("long_window", Boolean, nullable=False, server_default=false()),
    Index("ix_canonical_lookup", "family", "long_window", "match_start", "match_end"),
    Index("ix_canonical_date_id", "date", "id"),
    Index("ix_canonical_country_date", "country_code", "date", "id"),
)

event_reports = Table(
    "event_reports",
    metadata,
    Column("event_id", String(64), ForeignKey("events.id"), primary_key=True),
    Column("canonical_id", String(64), ForeignKey("canonical_events.id"), nullable=False),
    Column("doc_id", String(512), nullable=False),
    Column("evidence_start", Integer),
    Column("evidence_end", Integer),
    Column("reason", JSON, nullable=False),
    Column("added_at", DateTime(timezone=True), nullable=False),
    Index("ix_reports_canonical", "canonical_id"),
    Index("ix_reports_doc", "doc_id"),
)

# -- reviews (migration 0006) -------------------------------------------------------------------
# reviewers and readers; only the SHA-256 digest of a token is kept
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # reader | reviewer
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

# one row per reviewed event (``store.reviews``): no foreign key to ``events``, so that a review
# outlives the rows of a document coded again and is attached to the event found again
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64)),  # the event it applies to now; null: not found again
    Column("doc_id", String(512), nullable=False),
    Column("status", String(12), nullable=False),  # unreviewed | confirmed | rejected | corrected
    Column("corrections", JSON, nullable=False),  # field -> the reviewer's value
    Column("coder", JSON, nullable=False),  # field -> the coder's value (as last coded)
    Column("anchor", JSON, nullable=False),  # what finds the event again (store.reviews.anchor_of)
    Column("flag", Text),  # why it needs another look; null: it does not
    Column("reviewed_by", String(200)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False),  # changes made to it so far
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_reviews_event", "event_id", unique=True),
    Index("ix_reviews_doc", "doc_id"),
)

# append-only: every change to a review, who made it and when, the value before and after
review_history = Table(
    "review_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("review_id", Integer, ForeignKey("reviews.id"), nullable=False),
    Column("event_id", String(64)),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by", String(200), nullable=False),
    Column("action", String(16), nullable=False),  # status | correct | revert | recode | lost | link | unlink
    Column("field", String(32)),
    # values as JSON text (a JSON column of SQLite would read a number back as a number)
    Column("old", Text),
    Column("new", Text),
    Column("note", Text),
    Index("ix_review_history_review", "review_id", "id"),
)

# a reviewer's judgement that two events are the same real-world event, or different ones
# (review_a < review_b); merging keeps to it
review_links = Table(
    "review_links",
    metadata,
    Column("review_a", Integer, ForeignKey("reviews.id"), primary_key=True),
    Column("review_b", Integer, ForeignKey("reviews.id"), primary_key=True),
    Column("relation", String(9), nullable=False),  # same | different
    Column("by", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_review_links_b", "review_b"),
)
