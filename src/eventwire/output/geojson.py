"""GeoJSON FeatureCollection, streamed: one Point feature per event (null geometry when the
event has no coordinates); the properties are the PLOVER record."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Literal, TypedDict

from eventwire.model import PloverEvent, Record, event_of


class Point(TypedDict):
    type: Literal["Point"]
    coordinates: list[float]  # [lon, lat]


class Feature(TypedDict):
    type: Literal["Feature"]
    id: str
    geometry: Point | None
    properties: PloverEvent


def feature(record: Record) -> Feature:
    loc = event_of(record).event_loc
    geom: Point | None = None
    if loc is not None and loc.lat is not None and loc.lon is not None:
        geom = {"type": "Point", "coordinates": [loc.lon, loc.lat]}
    return {"type": "Feature", "id": record.id, "geometry": geom, "properties": record.to_plover()}


def write_geojson(events: Iterable[Record], fp: IO[str]) -> int:
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
