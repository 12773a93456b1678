"""The PLOVER records (``to_plover()``) of the typed records the store reads back, for tests that
compare them with what the CLI and the API print."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventwire.model import CanonicalEvent, StoredEvent


def plover(records: Iterable[StoredEvent | CanonicalEvent]) -> list[dict[str, Any]]:
    return [r.to_plover() for r in records]


def one(record: StoredEvent | None) -> dict[str, Any]:
    assert record is not None
    return record.to_plover()
