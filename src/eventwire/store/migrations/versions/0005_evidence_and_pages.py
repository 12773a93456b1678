"""events keep the offsets of the words behind each field; indexes for newest-first pages

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00

``events.evidence`` holds, per field (event, actor, recipient, date, place, dead, injured,
arrested), the character offsets in the document text of the words it was coded from, so that
a reader can be shown them.  Rows written before this revision have none; readers fall back to
the trigger offsets.

``canonical_events.confidence`` copies the reconciled record's confidence so that merged events
can be filtered on it with a bound parameter instead of reading every record.

Pages of events are read newest first with a keyset on (date, id): the single-column date
indexes become (date, id) indexes, and (country, date, id) and (type, date, id) ones serve the
commonest filters, so a page is one index range read in order instead of a sort of every match
(a country-and-type page of 100 on 100,000 events: 59 ms with the old indexes).  The
(country, province) index goes: provinces are matched without regard to case, which it could not
serve.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE: SQLite adds columns in place (see 0003)
    op.add_column("events", sa.Column("evidence", sa.JSON(), nullable=True))
    op.add_column("canonical_events", sa.Column("confidence", sa.Float(), nullable=True))
    op.drop_index("ix_events_date", table_name="events")
    op.drop_index("ix_events_country", table_name="events")
    op.create_index("ix_events_date_id", "events", ["date", "id"])
    op.create_index("ix_events_country_date", "events", ["country_code", "date", "id"])
    op.create_index("ix_events_type_date", "events", ["primary_type", "date", "id"])
    op.drop_index("ix_canonical_date", table_name="canonical_events")
    op.create_index("ix_canonical_date_id", "canonical_events", ["date", "id"])
    op.create_index("ix_canonical_country_date", "canonical_events", ["country_code", "date", "id"])
    conn = op.get_bind()
    table = sa.table("canonical_events", sa.column("id", sa.String), sa.column("record", sa.JSON),
                     sa.column("confidence", sa.Float))  # fmt: skip
    batch: list[dict[str, object]] = []
    stmt = sa.update(table).where(table.c.id == sa.bindparam("cid")).values(confidence=sa.bindparam("conf"))
    for cid, record in conn.execute(sa.select(table.c.id, table.c.record)):
        rec = json.loads(record) if isinstance(record, str) else record
        conf = (rec or {}).get("confidence")
        batch.append({"cid": cid, "conf": float(conf) if conf is not None else None})
    for k in range(0, len(batch), 1000):
        conn.execute(stmt, batch[k : k + 1000])


def downgrade() -> None:
    """On SQLite, run with foreign keys off (the column drops rebuild the tables)."""
    op.drop_index("ix_canonical_country_date", table_name="canonical_events")
    op.drop_index("ix_canonical_date_id", table_name="canonical_events")
    op.create_index("ix_canonical_date", "canonical_events", ["date"])
    op.drop_index("ix_events_type_date", table_name="events")
    op.drop_index("ix_events_country_date", table_name="events")
    op.drop_index("ix_events_date_id", table_name="events")
    op.create_index("ix_events_date", "events", ["date"])
    op.create_index("ix_events_country", "events", ["country_code", "province"])
    with op.batch_alter_table("canonical_events", schema=None) as batch_op:
        batch_op.drop_column("confidence")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("evidence")
