"""ACLED-like CSV: one row per event with ACLED's column names where ACLED has one."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

from eventwire.model import Event
from eventwire.output.plover import event_dict

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


def _actor_name(actors: list[dict[str, Any]], idx: int) -> str:
    if len(actors) <= idx:
        return ""
    a = actors[idx]
    label = a.get("identifier_text") or a.get("entity_text") or ""
    return f"{label} ({a['code']})" if a.get("code") else label


def acled_row(event: Event | Mapping[str, Any]) -> dict[str, Any]:
    d = event_dict(event)
    actors, recips = d.get("actor") or [], d.get("recipient") or []
    loc = d.get("event_loc") or {}
    size = d.get("size") or {}
    inter1 = INTER.get((actors[0].get("sector") if actors else None) or "", "")
    inter2 = INTER.get((recips[0].get("sector") if recips else None) or "", "")
    info = d.get("text_info") or {}
    review = d.get("review") or {}
    res = loc.get("resolution")
    geo_precision = {5: 1, 4: 1, 3: 2, 2: 3, 1: 3}.get(res, "") if res else ""
    return {
        "event_id_cnty": d.get("id"),
        "event_date": d.get("date") or "",
        "time_precision": TIME_PRECISION.get(d.get("date_precision") or "", ""),
        "disorder_type": DISORDER.get(d.get("acled_event_type") or "", ""),
        "event_type": d.get("acled_event_type") or "",
        "sub_event_type": d.get("acled_sub_event_type") or "",
        "actor1": _actor_name(actors, 0),
        "assoc_actor_1": "; ".join(_actor_name(actors, i) for i in range(1, len(actors))),
        "inter1": inter1,
        "actor2": _actor_name(recips, 0),
        "assoc_actor_2": "; ".join(_actor_name(recips, i) for i in range(1, len(recips))),
        "inter2": inter2,
        "interaction": f"{inter1}{inter2}" if inter1 != "" and inter2 != "" else "",
        "civilian_targeting": "Civilian targeting" if inter2 == 7 else "",
        "iso": loc.get("country_code") or "",
        "country": loc.get("country") or "",
        "admin1": loc.get("province") or "",
        "admin2": loc.get("district") or "",
        "location": loc.get("resolved_place") or loc.get("extracted_place") or "",
        "latitude": loc.get("lat") if loc.get("lat") is not None else "",
        "longitude": loc.get("lon") if loc.get("lon") is not None else "",
        "geo_precision": geo_precision,
        "source": d.get("doc_id"),
        "notes": " | ".join(d.get("event_text") or []),
        "fatalities": size.get("dead") if size.get("dead") is not None else "",
        "injuries": size.get("injured") if size.get("injured") is not None else "",
        "arrests": size.get("arrested") if size.get("arrested") is not None else "",
        "plover_event": (d.get("event") or [""])[0],
        "plover_mode": ";".join(d.get("mode") or []),
        "cameo": d.get("cameo") or "",
        "quad_code": d.get("quad_code") or "",
        "confidence": d.get("confidence"),
        "doc_id": d.get("doc_id"),
        "evidence_start": info.get("start"),
        "evidence_end": info.get("end"),
        "date_source": d.get("date_source") or "",
        # from the store only: empty for events no one reviewed (and for extract's output)
        "review_status": review.get("status") if review.get("status") not in (None, "unreviewed") else "",
        "reviewed_by": review.get("by") or "",
        "reviewed_at": review.get("at") or "",
    }


def write_csv(events: Iterable[Event | Mapping[str, Any]], fp: IO[str]) -> int:
    writer = csv.DictWriter(fp, fieldnames=list(ACLED_COLUMNS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for ev in events:
        writer.writerow(acled_row(ev))
        n += 1
    return n
