"""Small helpers that several stages need, kept in one place: the great-circle distance between
two points, and dates read from records (ISO text, a datetime's date, or a date as it is).

A leaf of the import graph, like ``eventwire.model`` and ``eventwire.ontology``: it imports no
stage, and every stage may import it.
"""

from __future__ import annotations

import math
import os
from datetime import date, datetime

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG), the one every distance here uses


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points (decimal degrees)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def as_date(value: object) -> date | None:
    """The date of ``value``: None stays None, a date stays itself (a datetime gives its date), text
    is read as ISO 8601 from its first ten characters (``2020-03-11``, ``2020-03-11T08:00:00Z``).
    Raises ``ValueError`` for text that is not such a date: for values the store or the coder
    wrote, where anything else is a bug."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def parse_date(value: object) -> date | None:
    """``as_date`` for values from outside (gold files, other systems' output): None for what does
    not hold an ISO 8601 date, instead of an error."""
    if value is None or value == "":
        return None
    try:
        return as_date(value)
    except ValueError:
        return None


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # elsewhere: read it by setting it, then put it back
    os.umask(mask)
    return mask
