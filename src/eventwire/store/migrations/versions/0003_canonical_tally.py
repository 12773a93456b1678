"""canonical events keep the tally of their reports and say whether their window is long

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 11:40:00

A report joining a canonical event used to make the store read every report already behind it
to reconcile the fields again, a cost that grew with the event.  The ``tally`` column holds the
counts, maxima and first occurrences the reconciliation rules depend on (``merge.add_report``),
so one more report updates it directly.  Rows written before this revision have none; they are
tallied from their reports the first time a report joins them.

Looking up candidates by ``match_start <= report end`` alone read every older event of the
type.  Events whose match window is at most ``store.LOOKUP_SPAN`` long now are looked up in a
bounded range of ``match_start``; the others are flagged ``long_window`` and looked up apart.
The index leads with the flag.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOOKUP_SPAN = timedelta(days=40)  # store.LOOKUP_SPAN when this revision was written


def _d(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    # plain ALTER TABLE (no batch table rebuild: SQLite adds columns in place, and a rebuild would
    # have to drop a table that event_reports refers to)
    op.add_column("canonical_events", sa.Column("tally", sa.JSON(), nullable=True))
    op.add_column("canonical_events", sa.Column("long_window", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.drop_index("ix_canonical_match", table_name="canonical_events")
    op.create_index("ix_canonical_lookup", "canonical_events", ["family", "long_window", "match_start", "match_end"])
    conn = op.get_bind()
    table = sa.table(
        "canonical_events", sa.column("id", sa.String), sa.column("match_start", sa.Date),
        sa.column("match_end", sa.Date), sa.column("long_window", sa.Boolean),
    )  # fmt: skip
    rows = conn.execute(sa.select(table.c.id, table.c.match_start, table.c.match_end)).all()
    long_ids = [r.id for r in rows if _d(r.match_end) - _d(r.match_start) > LOOKUP_SPAN]
    for k in range(0, len(long_ids), 500):
        conn.execute(sa.update(table).where(table.c.id.in_(long_ids[k : k + 500])).values(long_window=True))


def downgrade() -> None:
    """On SQLite, run with foreign keys off (the column drops rebuild the table)."""
    op.drop_index("ix_canonical_lookup", table_name="canonical_events")
    op.create_index("ix_canonical_match", "canonical_events", ["family", "match_start", "match_end"])
    with op.batch_alter_table("canonical_events", schema=None) as batch_op:
        batch_op.drop_column("long_window")
        batch_op.drop_column("tally")
