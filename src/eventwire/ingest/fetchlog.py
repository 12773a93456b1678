"""What the feed watcher (``ingest.watch``) records of each feed and link it fetched, and what it
needs of the log that keeps those records (the store's ``FetchLog`` is one)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(slots=True)
class FetchRecord:
    """A feed (with its validators) or an article link, and what became of it."""

    url: str
    kind: str  # feed | page
    status: str  # ok | skipped | retry | failed
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    doc_id: str | None = None
    attempts: int = 0
    retry_at: datetime | None = None
    item: dict[str, Any] | None = None  # the feed item, kept for a retry
    message: str | None = None
    fetched_at: datetime | None = None


class FetchLogLike(Protocol):
    """What the watcher needs of a fetch log (``eventwire.store.FetchLog``)."""

    def settled(self, urls: Sequence[str]) -> set[str]: ...
    def stored_urls(self, urls: Iterable[str]) -> set[str]: ...
    def get(self, url: str) -> FetchRecord | None: ...
    def record(self, records: Sequence[FetchRecord]) -> None: ...
    def due(self, now: datetime | None = None, limit: int = 200) -> list[FetchRecord]: ...
