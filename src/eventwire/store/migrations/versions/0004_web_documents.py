"""web documents: canonical URL, author and copies; dedup keys; what watch has fetched

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 12:00:00

Documents read from HTML pages, WARC archives and feeds keep their canonical URL and author.  A
document that is a copy of another (the same page under another URL, a syndicated copy of the
same text) is stored with ``copy_of`` and no events, so it is never coded twice nor counted as
another report of an event.  ``document_keys`` holds what finding copies looks up (one key per
normalised URL and per MinHash band, ``eventwire.ingest.dedup``) and ``document_signatures`` the
signature that confirms a band match.  Documents stored before this revision are fingerprinted
here (about 2 ms each), so later copies of them are found too.  ``fetches`` is what
``eventwire watch`` has fetched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    # plain ALTER TABLE: SQLite adds columns in place (a batch rebuild would have to drop a
    # table that other tables refer to)
    op.add_column("documents", sa.Column("canonical_url", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("author", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("copy_of", sa.String(length=512), nullable=True))
    op.add_column("documents", sa.Column("copy_reason", sa.Text(), nullable=True))
    op.create_index("ix_documents_copy_of", "documents", ["copy_of"])
    op.create_table(
        "document_keys",
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("doc_id", sa.String(length=512), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("key", "doc_id"),
    )
    op.create_index("ix_document_keys_doc", "document_keys", ["doc_id"])
    op.create_table(
        "document_signatures",
        sa.Column("doc_id", sa.String(length=512), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"]),
        sa.PrimaryKeyConstraint("doc_id"),
    )
    op.create_table(
        "fetches",
        sa.Column("url_key", sa.String(length=40), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("doc_id", sa.String(length=512), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("item", sa.JSON(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("url_key"),
    )
    op.create_index("ix_fetches_retry", "fetches", ["status", "retry_at"])
    _fingerprint_stored_documents()


def _fingerprint_stored_documents() -> None:
    from eventwire.ingest import fingerprint
    from eventwire.model import Document

    conn = op.get_bind()
    docs = sa.table("documents", sa.column("id", sa.String), sa.column("text", sa.Text), sa.column("url", sa.Text))
    keys = sa.table("document_keys", sa.column("key", sa.BigInteger), sa.column("doc_id", sa.String),
                    sa.column("kind", sa.String))  # fmt: skip
    sigs = sa.table("document_signatures", sa.column("doc_id", sa.String), sa.column("signature", sa.LargeBinary))
    last = ""
    while True:
        rows = conn.execute(
            sa.select(docs.c.id, docs.c.text, docs.c.url).where(docs.c.id > last).order_by(docs.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        key_rows, sig_rows = [], []
        for doc_id, text, url in rows:
            fp = fingerprint(Document(doc_id, text or "", url=url))
            key_rows += [{"key": k, "doc_id": doc_id, "kind": "url"} for k in fp.url_keys]
            key_rows += [{"key": k, "doc_id": doc_id, "kind": "band"} for k in sorted(set(fp.band_keys))]
            if fp.signature is not None:
                sig_rows.append({"doc_id": doc_id, "signature": fp.signature})
        if key_rows:
            conn.execute(sa.insert(keys), key_rows)
        if sig_rows:
            conn.execute(sa.insert(sigs), sig_rows)
        last = rows[-1][0]


def downgrade() -> None:
    """On SQLite, run with foreign keys off (the column drops rebuild the table)."""
    op.drop_index("ix_fetches_retry", table_name="fetches")
    op.drop_table("fetches")
    op.drop_table("document_signatures")
    op.drop_index("ix_document_keys_doc", table_name="document_keys")
    op.drop_table("document_keys")
    op.drop_index("ix_documents_copy_of", table_name="documents")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("copy_reason")
        batch_op.drop_column("copy_of")
        batch_op.drop_column("author")
        batch_op.drop_column("canonical_url")
