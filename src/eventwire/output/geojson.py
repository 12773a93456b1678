"""GeoJSON FeatureCollection, streamed: one Point feature per event (null geometry when the
event has no coordinates); the properties are the PLOVER record."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from eventwire.model import Event
from eventwire.output.plover import event_dict


def feature(event: Event | Mapping[str, Any]) -> dict[str, Any]:
    d = event_dict(event)
    loc = d.get("event_loc") or {}
    geom = None
    if loc.get("lat") is not None and loc.get("lon") is not None:
        geom = {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]}
    return {"type": "Feature", "id": d.get("id"), "geometry": geom, "properties": d}


def write_geojson(events: Iterable[Event | Mapping[str, Any]], fp: IO[str]) -> int:
    """Write a FeatureCollection without holding the events in memory; returns the count."""
    fp.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for ev in events:
        if n:
            fp.write(",\n")
        fp.write(json.dumps(feature(ev), ensure_ascii=False, default=str))
        n += 1
    fp.write("\n]}\n")
    return n
