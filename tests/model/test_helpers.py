"""The shared helpers: distance and dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.helpers import as_date, haversine_km, parse_date


def test_distances_between_known_places() -> None:
    assert haversine_km(33.3406, 44.4009, 33.3406, 44.4009) == 0.0
    # Baghdad to Basra, about 447 km by the great circle
    assert 440 < haversine_km(33.3406, 44.4009, 30.5085, 47.7804) < 455
    # a quarter of the meridian
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(10007.5, abs=1)
    # across the antimeridian the short way round
    assert haversine_km(0.0, 179.5, 0.0, -179.5) == pytest.approx(111.2, abs=0.5)


_lat, _lon = st.floats(-90, 90), st.floats(-180, 180)


@given(_lat, _lon, _lat, _lon)
def test_distance_is_symmetric_and_bounded(a: float, b: float, c: float, d: float) -> None:
    km = haversine_km(a, b, c, d)
    # to 10 m: near the antipode the arcsine magnifies the last bits of rounding
    assert km == pytest.approx(haversine_km(c, d, a, b), abs=0.01)
    assert 0.0 <= km <= 20016.0  # half the circumference


def test_dates_from_records() -> None:
    assert as_date(None) is None
    assert as_date(date(2020, 3, 11)) == date(2020, 3, 11)
    assert as_date(datetime(2020, 3, 11, 8, 30)) == date(2020, 3, 11)
    assert as_date("2020-03-11T08:00:00Z") == date(2020, 3, 11)
    with pytest.raises(ValueError):
        as_date("11 March 2020")
    assert parse_date("11 March 2020") is None and parse_date("") is None and parse_date(None) is None
    assert parse_date("2020-03-11") == date(2020, 3, 11)


@given(st.text(max_size=30) | st.integers() | st.none() | st.dates())
def test_parse_date_never_raises(value: object) -> None:
    got = parse_date(value)
    assert got is None or isinstance(got, date)
