from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.evaluate import (
    PRF,
    Rate,
    greedy_align,
    haversine_km,
    macro_f1,
    max_matching,
    set_counts,
)


def test_prf_arithmetic():
    s = PRF(tp=3, fp=1, fn=2)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert PRF().f1 is None and PRF().precision is None
    assert PRF(fn=2).f1 == 0 and PRF(fn=2).precision is None and PRF(fn=2).recall == 0


def test_macro_f1_skips_undefined_classes():
    assert macro_f1([PRF(tp=1), PRF(fp=1), PRF()]) == pytest.approx(0.5)
    assert macro_f1([PRF()]) is None


def test_rate():
    r = Rate()
    for hit in (True, False, True, True):
        r.add(hit)
    assert (r.hits, r.total, r.value) == (3, 4, 0.75)


def test_haversine_known_distance():
    # one degree of latitude is about 111.2 km; Baghdad to Erbil is about 320 km
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.1)
    assert 300 < haversine_km(33.31, 44.36, 36.19, 44.01) < 340


@given(st.floats(-89, 89), st.floats(-179, 179), st.floats(-89, 89), st.floats(-179, 179))
def test_haversine_symmetric_and_bounded(a, b, c, d):
    x = haversine_km(a, b, c, d)
    assert x == pytest.approx(haversine_km(c, d, a, b), abs=1e-6)
    assert 0 <= x <= math.pi * 6371.01 + 1e-6


def test_set_counts_with_alternatives():
    gold = [frozenset({"PRM", "REB"}), frozenset({"MIL"})]
    assert set_counts(gold, {"REB", "MIL"}) == (2, 0, 0)
    assert set_counts(gold, {"PRM", "REB"}) == (1, 1, 1)  # one item satisfied once only
    assert set_counts(gold, set()) == (0, 0, 2)
    assert set_counts([], {"GOV"}) == (0, 1, 0)


def test_greedy_align_prefers_best_score_and_drops_zero():
    gold = ["a", "b", "c"]
    pred = ["b", "x", "a"]
    pairs = greedy_align(gold, pred, lambda g, p: 1.0 if g == p else 0.0)
    assert pairs == [(0, 2), (1, 0)]


def test_max_matching_keeps_priority_vertices():
    # left 0 and 1 both want right 0; left 1 can also take right 1
    m = max_matching([[0], [0, 1], [1]], order=[0, 1, 2])
    assert m[0] == 0 and m[1] == 1 and 2 not in m
