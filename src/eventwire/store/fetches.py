"""What ``eventwire watch`` has fetched, kept in the store beside the documents (table
``fetches``): each feed with its ``ETag`` / ``Last-Modified``, and each article link with what
became of it (``ok``: stored; ``skipped``: not an article, not HTML, disallowed; ``retry``: a
transient failure, tried again from ``retry_at``; ``failed``: given up).

A link's row is written only after its document is committed, and a feed's validators only
after all its new items are settled, so a run killed at any moment refetches at most what was in
flight and loses nothing; a document already stored under a link's URL counts as fetched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select

from eventwire.ingest import FetchRecord, url_key, url_lookup_key
from eventwire.store import schema as S

if TYPE_CHECKING:
    from eventwire.store.store import Store

FINAL = ("ok", "skipped", "failed")
CHUNK = 500


def fetch_key(url: str) -> str:
    """The row key of a URL: a hash of its normalised form (``urls.url_key``)."""
    return hashlib.sha1((url_key(url) or url).encode("utf-8")).hexdigest()


def _row(r: FetchRecord) -> dict[str, Any]:
    return {
        "url_key": fetch_key(r.url), "url": r.url, "kind": r.kind, "status": r.status,
        "http_status": r.http_status, "etag": r.etag, "last_modified": r.last_modified,
        "doc_id": r.doc_id, "attempts": r.attempts, "retry_at": r.retry_at, "item": r.item,
        "message": (r.message or "")[:1000] or None, "fetched_at": r.fetched_at or datetime.now(UTC),
    }  # fmt: skip


def _record(row: Any) -> FetchRecord:
    return FetchRecord(
        url=row.url, kind=row.kind, status=row.status, http_status=row.http_status, etag=row.etag,
        last_modified=row.last_modified, doc_id=row.doc_id, attempts=row.attempts, retry_at=_aware(row.retry_at),
        item=row.item, message=row.message, fetched_at=_aware(row.fetched_at),
    )  # fmt: skip


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite returns naive datetimes (stored in UTC)
        return value.replace(tzinfo=UTC)
    return value


class FetchLog:
    """The ``fetches`` table of a ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        # BEGIN IMMEDIATE on SQLite: the writer process writes at the same time
        with self.store.engine.connect() as conn:
            conn.execution_options(sqlite_begin="BEGIN IMMEDIATE")
            with conn.begin():
                yield conn

    def get(self, url: str) -> FetchRecord | None:
        f = S.fetches.c
        with self.store.engine.connect() as conn:
            row = conn.execute(select(S.fetches).where(f.url_key == fetch_key(url))).first()
        return _record(row) if row is not None else None

    def records(self, urls: Iterable[str]) -> dict[str, FetchRecord]:
        """The rows of ``urls``, by URL as given."""
        by_key = {fetch_key(u): u for u in urls}
        out: dict[str, FetchRecord] = {}
        keys = sorted(by_key)
        f = S.fetches.c
        with self.store.engine.connect() as conn:
            for lo in range(0, len(keys), CHUNK):
                for row in conn.execute(select(S.fetches).where(f.url_key.in_(keys[lo : lo + CHUNK]))):
                    out[by_key[row.url_key]] = _record(row)
        return out

    def stored_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` under which a document is stored (its URL or canonical URL)."""
        by_key: dict[int, list[str]] = {}
        for u in urls:
            k = url_lookup_key(u)
            if k is not None:
                by_key.setdefault(k, []).append(u)
        keys = sorted(by_key)
        found: set[str] = set()
        k_ = S.document_keys.c
        with self.store.engine.connect() as conn:
            for lo in range(0, len(keys), CHUNK):
                stmt = select(k_.key).where(k_.key.in_(keys[lo : lo + CHUNK]), k_.kind == "url")
                for (key,) in conn.execute(stmt):
                    found.update(by_key.get(key, ()))
        return found

    def settled(self, urls: Sequence[str]) -> set[str]:
        """Links with a row: settled, or waiting for a retry (``due``)."""
        return {u for u, r in self.records(urls).items() if r.status in FINAL or r.status == "retry"}

    def record(self, records: Sequence[FetchRecord]) -> None:
        """Write (replace) the rows of ``records`` in one transaction."""
        if not records:
            return
        rows = {fetch_key(r.url): _row(r) for r in records}
        keys = sorted(rows)
        with self._write() as conn:
            for lo in range(0, len(keys), CHUNK):
                conn.execute(delete(S.fetches).where(S.fetches.c.url_key.in_(keys[lo : lo + CHUNK])))
            conn.execute(insert(S.fetches), list(rows.values()))

    def due(self, now: datetime | None = None, limit: int = 200) -> list[FetchRecord]:
        """Links whose retry time has come, oldest first."""
        f = S.fetches.c
        now = now or datetime.now(UTC)
        with self.store.engine.connect() as conn:
            rows = conn.execute(
                select(S.fetches).where(f.status == "retry", f.retry_at <= now).order_by(f.retry_at).limit(limit)
            ).all()
        return [_record(r) for r in rows]

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        f = S.fetches.c
        with self.store.engine.connect() as conn:
            return {f"{k}:{s}": n for k, s, n in conn.execute(select(f.kind, f.status, func.count()).group_by(f.kind, f.status))}
