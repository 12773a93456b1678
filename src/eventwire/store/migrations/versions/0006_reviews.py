"""reviews: users with hashed tokens, per-event review status and corrections, their history,
and reviewers' same-event / different-event links

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09 10:00:00

``users``: reviewers and readers by name, with the SHA-256 digest of their token (never the
token).  ``reviews``: one row per reviewed event: its status (confirmed, rejected, corrected), the
corrections by field, the coder's own output for those fields, an anchor (document, content
hash, evidence offsets and text) that finds the event again when its document is coded again,
and a flag when it needs another look.  ``review_history`` is append-only: every change with who,
when, the field, the value before and after.  ``review_links`` hold "the same event" / "different
events" judgements between two reviewed events, which merging treats as binding.

``events`` gains a copy of its review's status, reviewer, time and flag (for filters and for the
records written by the database), and an index (review status, confidence, id) for the review
queue, lowest confidence first.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(64), nullable=True),
        sa.Column("doc_id", sa.String(512), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("corrections", sa.JSON(), nullable=False),
        sa.Column("coder", sa.JSON(), nullable=False),
        sa.Column("anchor", sa.JSON(), nullable=False),
        sa.Column("flag", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.String(200), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reviews_event", "reviews", ["event_id"], unique=True)
    op.create_index("ix_reviews_doc", "reviews", ["doc_id"])
    op.create_table(
        "review_history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("review_id", sa.Integer(), sa.ForeignKey("reviews.id"), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_review_history_review", "review_history", ["review_id", "id"])
    op.create_table(
        "review_links",
        sa.Column("review_a", sa.Integer(), sa.ForeignKey("reviews.id"), primary_key=True),
        sa.Column("review_b", sa.Integer(), sa.ForeignKey("reviews.id"), primary_key=True),
        sa.Column("relation", sa.String(9), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_links_b", "review_links", ["review_b"])
    # plain ALTER TABLE: SQLite adds columns in place (see 0003)
    op.add_column("events", sa.Column("review_status", sa.String(12), nullable=True))
    op.add_column("events", sa.Column("reviewed_by", sa.String(200), nullable=True))
    op.add_column("events", sa.Column("reviewed_at", sa.String(40), nullable=True))
    op.add_column("events", sa.Column("review_flag", sa.Text(), nullable=True))
    op.create_index("ix_events_review_queue", "events", ["review_status", "confidence", "id"])


def downgrade() -> None:
    """On SQLite, run with foreign keys off (the column drops rebuild the table)."""
    op.drop_index("ix_events_review_queue", table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        for name in ("review_flag", "reviewed_at", "reviewed_by", "review_status"):
            batch_op.drop_column(name)
    op.drop_index("ix_review_links_b", table_name="review_links")
    op.drop_table("review_links")
    op.drop_index("ix_review_history_review", table_name="review_history")
    op.drop_table("review_history")
    op.drop_index("ix_reviews_doc", table_name="reviews")
    op.drop_index("ix_reviews_event", table_name="reviews")
    op.drop_table("reviews")
    op.drop_table("users")
