"""canonical events carry a compact match summary

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:35:00

Merging compares each new report with the canonical events it might join.  Reading their full
reconciled records (with every report behind them) made that cost grow with the store; the
``match`` column holds only what the comparison reads.  Rows written before this revision have
none and are compared on their full record.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("canonical_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("match", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("canonical_events", schema=None) as batch_op:
        batch_op.drop_column("match")
