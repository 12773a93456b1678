"""Tiny gold and prediction files written by the tests themselves (nothing from shared gold)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ent(text: str, code: str | None, sector: Any = None) -> dict[str, Any]:
    return {"entity_text": text, "code": code, "sector": sector}


def pred(doc_id: str, event: str, actor=(), recipient=(), **extra: Any) -> dict[str, Any]:
    out = {
        "doc_id": doc_id,
        "event": [event],
        "mode": extra.pop("mode", []),
        "actor": list(actor),
        "recipient": list(recipient),
        "event_loc": extra.pop("event_loc", None),
        "size": {"dead": extra.pop("dead", None), "injured": None, "arrested": None},
    }
    out.update(extra)
    return out


def typed(value: Any) -> Any:
    """The typed records the evaluators take, from the PLOVER dicts a test writes: one record, a
    list of them, or lists by document id (read as ``eventwire evaluate --predictions`` reads them)."""
    from eventwire.evaluate import prediction_from_plover

    if isinstance(value, dict) and "event" in value:
        return prediction_from_plover(value)
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    return [typed(v) for v in value]
