"""Short wire reports written for these tests, in the style of the held-out gold (a report that
states its date and casualties, published a few days later): the event's date and toll."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app

REPORTS = Path(__file__).resolve().parents[1] / "data" / "wire_reports.jsonl"
# doc id: (event date, dead, injured, place mentioned)
EXPECTED = {
    "h1": ("2014-03-04", 12, None, "Baghdad"), "h2": ("2016-10-19", 17, None, "Tal Afar"),
    "h3": ("2015-05-17", 3, None, "Kirkuk"), "h4": ("2017-02-20", 9, 14, "Samarra"),
    "h5": ("2013-11-09", 3, 5, "Baquba"), "h6": ("2018-06-25", 6, None, None),
    "h7": ("2015-09-10", 12, None, "Baghdad"), "h8": ("2019-01-02", 4, None, None),
    "k1": ("2016-06-12", 25, None, "Qaim"), "k2": ("2014-08-09", 20, None, "Makhmour"),
    "k3": ("2015-01-26", 2, 3, "Tarmiyah"), "k4": ("2017-04-21", 7, None, "Mosul"),
    "k5": ("2013-07-22", 5, None, "Muqdadiya"), "k6": ("2014-11-27", 15, None, "Anbar"),
    "k7": ("2018-05-07", 1, None, "Baghdad"), "k8": ("2016-03-25", 29, 60, "Baghdad"),
}  # fmt: skip


@pytest.mark.slow
def test_wire_reports_dates_tolls_and_places():
    res = CliRunner().invoke(app, ["extract", str(REPORTS)])
    assert res.exit_code == 0, res.output
    events = [json.loads(x) for x in res.stdout.splitlines() if x.strip()]
    by_doc: dict[str, list[dict]] = {}
    for ev in events:
        by_doc.setdefault(ev["doc_id"], []).append(ev)
    for doc_id, (day, dead, injured, place) in EXPECTED.items():
        assaults = [e for e in by_doc.get(doc_id, []) if e["event"][0] == "ASSAULT"]
        assert len(assaults) == 1, (doc_id, assaults)
        ev = assaults[0]
        assert ev["date"] == day and ev["date_source"] == "text", (doc_id, ev["date"])
        assert (ev["size"]["dead"], ev["size"]["injured"]) == (dead, injured), (doc_id, ev["size"])
        if place:
            assert place.lower() in (ev["event_loc"] or {}).get("extracted_place", "").lower(), (doc_id, ev["event_loc"])
