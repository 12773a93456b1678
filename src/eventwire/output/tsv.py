"""CAMEO TSV in the Phoenix event data column order (one event per line, tab-separated).

Phoenix fields without an eventwire counterpart (GoldsteinScore, Issues) are left empty; actor
"full" codes are the country code followed by the PLOVER sector (``IRQMIL``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from eventwire.model import Actor, Record, event_of
from eventwire.output.plover import source_docs

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


def _actor(actors: list[Actor]) -> tuple[str, str, str, str]:
    if not actors:
        return "", "", "", ""
    a = actors[0]
    code, sector = a.code or "", a.sector or ""
    return f"{code}{sector}", code, sector, a.identifier_text or a.entity_text or ""


def phoenix_row(record: Record) -> list[str]:
    ev = event_of(record)
    day = ev.date.date.isoformat() if ev.date.date else ""
    y, m, dd = (day.split("-") + ["", "", ""])[:3] if day else ("", "", "")
    loc = ev.event_loc
    cameo = ev.cameo or ""
    sentence = ev.sentence
    row = [
        ev.id, day.replace("-", ""), y, m, dd,
        *_actor(ev.actor), *_actor(ev.recipient),
        cameo, cameo[:2], ev.quad_code, "", "",
        loc.lat if loc else None, loc.lon if loc else None,
        (loc.resolved_place or loc.extracted_place) if loc else None,
        loc.province if loc else None, loc.country_code if loc else None,
        f"{ev.doc_id}-{sentence.index}" if sentence is not None else "",
        "", ";".join(source_docs(record)),
    ]  # fmt: skip
    return [_clean(v) for v in row]


def write_tsv(events: Iterable[Record], fp: IO[str], header: bool = True) -> int:
    """Write events as Phoenix-ordered CAMEO TSV; returns the number written."""
    if header:
        fp.write("\t".join(PHOENIX_COLUMNS) + "\n")
    n = 0
    for ev in events:
        fp.write("\t".join(phoenix_row(ev)) + "\n")
        n += 1
    return n
