"""The index of a document's places answers the distance features as comparing every point does."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.geo.parser import _Points
from eventwire.helpers import haversine_km

# points on a coarse grid, so that many lie within 50, 200 and 500 km of each other, some near
# the poles and across the date line
_lat = st.sampled_from([-89.0, -70.5, -10.0, 0.0, 0.3, 1.0, 2.5, 4.9, 5.1, 33.0, 33.4, 61.0, 74.0, 80.0])
_lon = st.sampled_from([-179.9, -100.0, -0.2, 0.0, 0.4, 1.5, 3.0, 4.9, 5.2, 44.0, 44.3, 179.8])
_point = st.tuples(_lat, _lon)


def _bands(km: float) -> tuple[bool, bool, bool]:
    return km < 50, km < 200, km < 500


@settings(max_examples=300, deadline=None)
@given(st.lists(_point, max_size=30), st.lists(_point, max_size=5), st.lists(_point, min_size=1, max_size=5))
def test_near_place_features_match_every_pair(places, own, queries):
    counts = Counter(places + own)
    points = _Points(counts).without(Counter(own))
    left = [p for p, n in (counts - Counter(own)).items() if n > 0]
    for lat, lon in queries:
        brute = min((haversine_km(lat, lon, a, b) for a, b in left), default=1e9)
        got = points.near_km(lat, lon)
        assert _bands(got) == _bands(brute if brute <= 500 else 1e9)
        assert got == brute or (got < 50 and brute < 50) or brute > 500
