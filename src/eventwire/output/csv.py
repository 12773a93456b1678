"""ACLED-like CSV: one row per event with ACLED's column names where ACLED has one."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

from eventwire.model import Actor, Record, event_of
from eventwire.output.plover import review_of

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "country", "admin1", "admin2", "location", "latitude", "longitude",
    "geo_precision", "source", "notes", "fatalities", "injuries", "arrests",
    "plover_event", "plover_mode", "cameo", "quad_code", "confidence", "doc_id", "evidence_start",
    "evidence_end", "date_source", "review_status", "reviewed_by", "reviewed_at",
)  # fmt: skip

# ACLED's actor type codes ("inter") from PLOVER sectors.
INTER = {"GOV": 1, "MIL": 1, "COP": 1, "JUD": 1, "LEG": 1, "SPY": 1, "REB": 2, "PRM": 3, "UAF": 3,
         "OPP": 5, "CVL": 7, "REF": 7, "JRN": 7, "EDU": 7, "LAB": 6, "IGO": 8, "NGO": 8, "REL": 4}  # fmt: skip
TIME_PRECISION = {"day": 1, "week": 2, "month": 2, "year": 3}
DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def _actor_name(actors: list[Actor], idx: int) -> str:
    if len(actors) <= idx:
        return ""
    a = actors[idx]
    label = a.identifier_text or a.entity_text or ""
    return f"{label} ({a.code})" if a.code else label


def _blank(value: Any) -> Any:
    return "" if value is None else value


def acled_row(record: Record) -> dict[str, str | int | float]:
    ev = event_of(record)
    actors, recips = ev.actor, ev.recipient
    loc = ev.event_loc
    inter1 = INTER.get((actors[0].sector if actors else None) or "", "")
    inter2 = INTER.get((recips[0].sector if recips else None) or "", "")
    sentence = ev.sentence
    review = review_of(record)
    status = review.status if review is not None else None
    res = loc.resolution if loc else None
    geo_precision = {5: 1, 4: 1, 3: 2, 2: 3, 1: 3}.get(res, "") if res else ""
    return {
        "event_id_cnty": ev.id,
        "event_date": ev.date.date.isoformat() if ev.date.date else "",
        "time_precision": TIME_PRECISION.get(ev.date.precision or "", ""),
        "disorder_type": DISORDER.get(ev.acled_event_type or "", ""),
        "event_type": ev.acled_event_type or "",
        "sub_event_type": ev.acled_sub_event_type or "",
        "actor1": _actor_name(actors, 0),
        "assoc_actor_1": "; ".join(_actor_name(actors, i) for i in range(1, len(actors))),
        "inter1": inter1,
        "actor2": _actor_name(recips, 0),
        "assoc_actor_2": "; ".join(_actor_name(recips, i) for i in range(1, len(recips))),
        "inter2": inter2,
        "interaction": f"{inter1}{inter2}" if inter1 != "" and inter2 != "" else "",
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": (loc.country_code if loc else None) or "",
        "country": (loc.country if loc else None) or "",
        "admin1": (loc.province if loc else None) or "",
        "admin2": (loc.district if loc else None) or "",
        "location": (loc.resolved_place or loc.extracted_place if loc else None) or "",
        "latitude": _blank(loc.lat if loc else None),
        "longitude": _blank(loc.lon if loc else None),
        "geo_precision": geo_precision,
        "source": ev.doc_id,
        "notes": " | ".join(ev.event_text),
        "fatalities": _blank(ev.size.dead),
        "injuries": _blank(ev.size.injured),
        "arrests": _blank(ev.size.arrested),
        "plover_event": (ev.event or [""])[0],
        "plover_mode": ";".join(ev.mode),
        "cameo": ev.cameo or "",
        "quad_code": ev.quad_code or "",
        "confidence": round(ev.confidence, 3),
        "doc_id": ev.doc_id,
        "evidence_start": sentence.start if sentence else None,
        "evidence_end": sentence.end if sentence else None,
        "date_source": ev.date.source or "",
        # from the store only: empty for events no one reviewed (and for extract's output)
        "review_status": status if status not in (None, "unreviewed") else "",
        "reviewed_by": (review.by if review else None) or "",
        "reviewed_at": (review.at if review else None) or "",
    }


def write_csv(events: Iterable[Record], fp: IO[str]) -> int:
    writer = csv.DictWriter(fp, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for ev in events:
        writer.writerow(acled_row(ev))
        n += 1
    return n
