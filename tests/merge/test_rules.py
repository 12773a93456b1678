"""Merge rules on typed records: when reports are one event, and how fields are reconciled."""

from __future__ import annotations

import itertools
from datetime import date

from eventwire.merge import (
    MatchSummary,
    Report,
    Tally,
    compare,
    date_window,
    haversine_km,
    reconcile,
)
from eventwire.model import Event

_DOCS = itertools.count(1)


def summary(report: Report) -> MatchSummary:
    """What ``compare`` reads of the canonical event of one report."""
    return MatchSummary.of(reconcile("ewc-" + report.event.id, [report]))


def same(a: Report, b: Report):
    return compare(a.event, summary(b))


def rec(**kw) -> Report:
    """A report from PLOVER fields (the record shape extract writes), defaults filled in."""
    n = next(_DOCS)
    base = {
        "id": f"ew-{n}", "doc_id": f"d{n}", "event": ["ASSAULT"], "mode": [], "context": [],
        "actor": [], "recipient": [{"entity_text": "US troops", "code": "USA", "sector": "MIL"}],
        "event_loc": {"resolved_place": "Taji", "lat": 33.52, "lon": 44.27, "country_code": "IRQ",
                      "resolution": 4, "geonameid": 1},
        "date": "2020-03-11", "enddate": None, "date_precision": "day", "date_source": "text",
        "size": {"dead": None, "injured": None, "arrested": None}, "event_text": ["hit"],
        "confidence": 0.6, "publication_date": "2020-03-12",
    }  # fmt: skip
    base.update(kw)
    pub = base.pop("publication_date")
    return Report(Event.from_plover(base), date.fromisoformat(pub) if pub else None)


def test_same_attack_matches_with_reasons():
    r = same(rec(event=["COERCE"]), rec())
    assert not r.same and "type" in r.checks
    r = same(rec(date="2020-03-12"), rec())  # a day apart: within day tolerance
    assert r.same and set(r.checks) == {"type", "date", "actors", "place"}


def test_distance_depends_on_resolution():
    far = {"resolved_place": "Baghdad", "lat": 33.34, "lon": 44.40, "country_code": "IRQ", "resolution": 4}
    assert haversine_km(33.52, 44.27, 33.34, 44.40) > 20
    assert same(rec(event_loc=far), rec()).same  # 23 km, city-level: 25 km allowed
    sub = dict(far, resolution=5)
    taji = {"resolved_place": "Taji", "lat": 33.52, "lon": 44.27, "country_code": "IRQ", "resolution": 5}
    assert not same(rec(event_loc=sub), rec(event_loc=taji)).same


def test_dates_and_actors_must_be_compatible():
    assert not same(rec(date="2020-03-20"), rec()).same
    month = rec(date="2020-03-01", date_precision="month")
    assert date_window(month.event.date)[1].day == 31 and same(month, rec()).same
    assert not same(rec(recipient=[{"entity_text": "Iraqi army", "code": "IRQ"}]), rec()).same
    assert not same(rec(event_loc=None, recipient=[]), rec()).same  # no place, nothing shared
    assert same(rec(event_loc=None), rec()).same  # no place, same recipient


def test_reconcile_latest_figure_narrowest_date_finest_place():
    a = rec(id="a", size={"dead": 2}, publication_date="2020-03-12", date="2020-03-01", date_precision="month")
    b = rec(id="b", size={"dead": 5, "injured": 3}, publication_date="2020-03-13",
            event_loc={"resolved_place": "Camp Taji", "lat": 33.53, "lon": 44.25, "resolution": 5})
    c = rec(id="c", size={"dead": 4}, publication_date="2020-03-13", date_source="publication")
    merged = reconcile("ewc-x", [a, b, c])
    out = merged.to_plover()
    assert out["size"] == {"dead": 5, "injured": 3, "arrested": None}  # not the sum
    assert out["date"] == "2020-03-11" and out["date_precision"] == "day"
    assert out["event_loc"]["resolved_place"] == "Camp Taji"
    assert out["n_reports"] == 3 and [r["event_id"] for r in out["reports"]] == ["a", "b", "c"]
    assert out["confidence"] > 0.9
    assert merged.event.size.dead == 5 and merged.id == "ewc-x"


def test_two_events_of_one_document_never_merge():
    a = rec()
    b = rec(id="ew-other", doc_id=a.event.doc_id)
    res = same(b, a)
    assert not res.same and "same document" in res.checks["document"]


def test_match_summary_compares_the_same_through_json():
    """The store keeps the summary as JSON; canonical events stored before summaries existed
    are compared through their full record, which ``from_json`` reads too."""
    canonical = reconcile("ewc-1", [rec(), rec(date="2020-03-12", date_precision="day")])
    direct = MatchSummary.of(canonical)
    for stored in (direct.to_json(), canonical.to_plover()):
        again = MatchSummary.from_json(stored)
        for report in (rec(), rec(date="2020-03-20"), rec(recipient=[{"entity_text": "x", "code": "GBR"}])):
            assert compare(report.event, again) == compare(report.event, direct)
    assert compare(rec(doc_id=canonical.reports[1].doc_id).event, direct).checks["document"]


def test_the_stored_tally_reconciles_like_all_the_reports():
    """One report at a time, through JSON as the store keeps it, gives the record that all the
    reports at once give; ties (type, place) go to the most confident, then earliest, report."""
    import json
    import random

    rng = random.Random(7)
    for _ in range(300):
        reports = []
        for _k in range(rng.randint(1, 7)):
            reports.append(rec(
                event=[rng.choice(["ASSAULT", "COERCE"])] + rng.sample(["ASSAULT", "MOBILIZE"], rng.randint(0, 2)),
                mode=rng.sample(["aerial", "firearms"], rng.randint(0, 2)),
                actor=[{"entity_text": "gunmen", "code": rng.choice(["IRQ", None]), "sector": "REB"}][: rng.randint(0, 1)],
                event_loc=rng.choice([None, {"geonameid": rng.choice([1, 2]), "resolution": rng.choice([2, 4, 5]),
                                             "lat": 33.5, "lon": 44.3, "country_code": "IRQ"}]),
                date=rng.choice([None, "2020-03-10", "2020-03-11", "2020-03-01"]),
                date_precision=rng.choice(["day", "month"]), date_source=rng.choice(["text", "publication"]),
                size={"dead": rng.choice([None, 2, 5]), "injured": None, "arrested": None},
                confidence=rng.choice([0.5, 0.7, 0.9]), publication_date=rng.choice(["2020-03-12", "2020-03-13"]),
            ))  # fmt: skip
        tally = Tally()
        for r in reports:
            tally = Tally.from_json(json.loads(json.dumps(tally.add(r).to_json())))
        assert tally.canonical("ewc-x") == reconcile("ewc-x", reports)
