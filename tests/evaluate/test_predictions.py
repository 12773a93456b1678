"""Predictions files read into typed records: events (stored and merged ones too), place mentions."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from eventwire.evaluate import (
    DatasetError,
    Predictions,
    events_of,
    prediction_from_plover,
    read_predictions,
    toponyms_of,
)
from eventwire.model import CanonicalEvent, Event, Mention, Place, StoredEvent, Toponym
from support.eval_testdata import ent, pred, write_jsonl


def test_events_are_read_as_typed_records(tmp_path):
    coded = pred("d1", "ASSAULT", [ent("gunmen", None)], dead=3, date="2024-02-01", id="e1")
    stored = {**pred("d1", "PROTEST", id="e2"), "review": {"status": "confirmed"}, "canonical_id": "c1"}
    merged = {**pred("d2", "ASSAULT", id="c1"), "n_reports": 2, "reports": []}
    short = {"doc_id": "d2", "event": "COERCE", "dead": 1}  # a string type and a top-level count
    path = write_jsonl(tmp_path / "events.jsonl", [coded, stored, merged, short])
    got = read_predictions(path)
    assert [type(r) for r in got["d1"]] == [Event, StoredEvent]
    assert [type(r) for r in got["d2"]] == [CanonicalEvent, Event]
    events = events_of(got)
    assert [e.id for e in events["d1"]] == ["e1", "e2"]
    first = events["d1"][0]
    assert first.size.dead == 3 and first.date.date is not None and first.actor[0].entity_text == "gunmen"
    assert events["d2"][1].event == ["COERCE"] and events["d2"][1].size.dead == 1


def test_geoparse_records_are_read_as_toponyms(tmp_path):
    t = Toponym(Mention("Mosul", 10, 15), Place("Mosul", 36.34, 43.13, "IRQ", 99072, "P", "PPLA"))
    rows = [t.to_dict("g1"), {"doc_id": "g1", "text": "Nowhere", "start": 30, "end": 37, "lat": None, "lon": None}]
    got = read_predictions(write_jsonl(tmp_path / "places.jsonl", rows))
    places = toponyms_of(got)["g1"]
    assert places[0].place is not None and (places[0].place.lat, places[0].place.lon) == (36.34, 43.13)
    assert places[0].mention == Mention("Mosul", 10, 15) and places[0].precision == 4
    assert places[1].place is None
    assert events_of(got) == {"g1": []}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ({"doc_id": "d", "event": ["ASSAULT"], "date": "yesterday"}, "is not a date"),
        ({"doc_id": "d", "event": ["ASSAULT"], "mode": "negation"}, "mode must be a list of strings"),
        ({"doc_id": "d", "event": []}, "at least one type"),
        ({"doc_id": "d", "start": 1, "end": "x", "lat": 1.0}, "whole numbers"),
        ({"doc_id": "d"}, "not a PLOVER event or a geoparse record"),
    ],
)
def test_a_malformed_line_is_one_error_naming_file_and_line(tmp_path, line, problem):
    path = write_jsonl(tmp_path / "bad.jsonl", [pred("d", "ASSAULT"), line])
    with pytest.raises(DatasetError) as err:
        read_predictions(path)
    message = str(err.value)
    assert message.startswith(f"{path}:2: ") and problem in message and "\n" not in message


def test_prediction_from_plover_round_trips_the_coders_records():
    ev = prediction_from_plover(pred("d", "ASSAULT", [ent("police", "KEN", "COP")], dead=2, id="x"))
    assert isinstance(ev, Event)
    again = prediction_from_plover(ev.to_plover())
    assert again == ev
    preds: Predictions = {"d": [ev]}
    assert events_of(preds)["d"] == [ev]


_scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=5)
_json = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)
_keys = st.sampled_from([
    "event", "mode", "context", "actor", "recipient", "event_loc", "size", "dead", "date", "enddate",
    "text_info", "trigger_offsets", "evidence", "confidence", "review", "canonical_id", "n_reports", "reports",
    "start", "end", "lat", "lon", "resolved_place", "geonameid", "resolution", "id",
])  # fmt: skip
_line = st.builds(
    lambda fields, event: {"doc_id": "d", **({"event": event} if event is not None else {}), **fields},
    st.dictionaries(_keys, _json, max_size=6),
    st.none() | st.just("ASSAULT") | st.lists(st.text(max_size=8), max_size=2),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=_line)
@example(line={"doc_id": "d", "event": ["ASSAULT"], "review": [1]})
@example(line={"doc_id": "d", "event": ["ASSAULT"], "n_reports": [1]})
@example(line={"doc_id": "d", "event": ["ASSAULT"], "n_reports": 1, "reports": [1]})
@example(line={"doc_id": "d", "event": ["ASSAULT"], "text_info": [1]})
@example(line={"doc_id": "d", "start": 1, "end": 2, "lat": "north"})
def test_any_json_line_is_a_typed_record_or_one_error_naming_file_and_line(tmp_path, line):
    """Predictions files are other systems' output: every line is read into a typed record, or the
    file is refused with one line naming it and the line; nothing else is raised."""
    path = write_jsonl(tmp_path / "p.jsonl", [line])
    try:
        got = read_predictions(path)
    except DatasetError as exc:
        message = str(exc)
        assert message.startswith(f"{path}:1: ") and "\n" not in message
        return
    (record,) = got["d"]
    assert isinstance(record, Event | StoredEvent | CanonicalEvent | Toponym)
