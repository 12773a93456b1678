"""PLOVER JSON Lines: one event object per line, field names as in CONTRACT.md."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from eventwire.model import Event


def event_dict(event: Event | Mapping[str, Any]) -> dict[str, Any]:
    return event.to_plover() if isinstance(event, Event) else dict(event)


def write_plover(events: Iterable[Event | Mapping[str, Any]], fp: IO[str]) -> int:
    """Write events as JSON Lines; returns the number written."""
    n = 0
    for ev in events:
        fp.write(json.dumps(event_dict(ev), ensure_ascii=False))
        fp.write("\n")
        n += 1
    return n
