"""CAMEO TSV in the Phoenix event data column order (one event per line, tab-separated).

Phoenix fields without an eventwire counterpart (GoldsteinScore, Issues) are left empty; actor
"full" codes are the country code followed by the PLOVER sector (``IRQMIL``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, Any

from eventwire.model import Event
from eventwire.output.plover import event_dict

PHOENIX_COLUMNS = (
    "EventID", "Date", "Year", "Month", "Day", "SourceActorFull", "SourceActorEntity",
    "SourceActorRole", "SourceActorAttribute", "TargetActorFull", "TargetActorEntity",
    "TargetActorRole", "TargetActorAttribute", "EventCode", "EventRootCode", "QuadClass",
    "GoldsteinScore", "Issues", "Lat", "Lon", "LocationName", "StateName", "CountryCode",
    "SentenceID", "URLs", "NewsSources",
)  # fmt: skip


def _clean(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _actor(actors: list[Mapping[str, Any]]) -> tuple[str, str, str, str]:
    if not actors:
        return "", "", "", ""
    a = actors[0]
    code, sector = a.get("code") or "", a.get("sector") or ""
    return f"{code}{sector}", code, sector, a.get("identifier_text") or a.get("entity_text") or ""


def phoenix_row(event: Event | Mapping[str, Any]) -> list[str]:
    d = event_dict(event)
    day = d.get("date") or ""
    y, m, dd = (day.split("-") + ["", "", ""])[:3] if day else ("", "", "")
    loc = d.get("event_loc") or {}
    cameo = d.get("cameo") or ""
    info = d.get("text_info") or {}
    reports = d.get("reports") or []
    sources = sorted({r.get("doc_id") for r in reports if r.get("doc_id")}) or [d.get("doc_id")]
    row = [
        d.get("id"), day.replace("-", ""), y, m, dd,
        *_actor(d.get("actor") or []), *_actor(d.get("recipient") or []),
        cameo, cameo[:2], d.get("quad_code"), "", "",
        loc.get("lat"), loc.get("lon"), loc.get("resolved_place") or loc.get("extracted_place"),
        loc.get("province"), loc.get("country_code"),
        f"{d.get('doc_id')}-{info.get('sequence')}" if info.get("sequence") is not None else "",
        "", ";".join(s for s in sources if s),
    ]  # fmt: skip
    return [_clean(v) for v in row]


def write_tsv(events: Iterable[Event | Mapping[str, Any]], fp: IO[str], header: bool = True) -> int:
    """Write events as Phoenix-ordered CAMEO TSV; returns the number written."""
    if header:
        fp.write("\t".join(PHOENIX_COLUMNS) + "\n")
    n = 0
    for ev in events:
        fp.write("\t".join(phoenix_row(ev)) + "\n")
        n += 1
    return n
