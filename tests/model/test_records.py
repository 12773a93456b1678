"""The typed records and their PLOVER JSON codec: ``to_plover`` writes the shape, ``from_plover``
reads it back, for coded events, stored reports and merged events alike."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.model import (
    Actor,
    CanonicalEvent,
    Event,
    EventDate,
    EventLocation,
    Mention,
    ReportRef,
    Review,
    Sentence,
    Size,
    StoredEvent,
    record_from_plover,
)

_word = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_code = st.none() | st.sampled_from(["IRQ", "USA", "SYR", "UNO"])
_offset = st.integers(0, 5000)
_span = st.tuples(_offset, _offset)
_day = st.none() | st.dates(date(1900, 1, 1), date(2100, 12, 31))
_count = st.none() | st.integers(0, 10_000)


@st.composite
def events(draw: st.DrawFn) -> Event:
    def actor() -> Actor:
        start = draw(st.none() | _offset)
        return Actor(draw(_word), draw(_code), draw(st.none() | st.sampled_from(["MIL", "GOV", "CVL"])),
                     draw(st.none() | _word), start, None if start is None else start + 3)  # fmt: skip

    loc = None
    if draw(st.booleans()):
        loc = EventLocation(
            draw(_word), draw(st.none() | _word), draw(st.none() | st.integers(1, 10**8)),
            draw(st.none() | st.floats(-90, 90)), draw(st.none() | st.floats(-180, 180)), draw(st.none() | _word),
            draw(st.none() | _word), draw(st.none() | _word), draw(_code), draw(st.none() | st.sampled_from("PAH")),
            draw(st.none() | st.sampled_from(["PPL", "ADM1"])), draw(st.none() | st.integers(1, 5)),
        )  # fmt: skip
    expr = draw(st.none() | _span.map(lambda s: Mention("on Sunday", *s)))
    source = draw(st.none() | st.sampled_from(["text", "publication"]))
    ev = Event(
        doc_id=draw(_word.filter(bool)),
        event=draw(st.lists(st.sampled_from(["ASSAULT", "PROTEST", "COERCE", "AID"]), min_size=1, max_size=3)),
        mode=draw(st.lists(st.sampled_from(["firearms", "threaten", "demonstrate"]), max_size=2)),
        context=draw(st.lists(st.sampled_from(["election", "military"]), max_size=2)),
        actor=[actor() for _ in range(draw(st.integers(0, 3)))],
        recipient=[actor() for _ in range(draw(st.integers(0, 2)))],
        event_loc=loc,
        date=EventDate(draw(_day), draw(_day), draw(st.none() | st.sampled_from(["day", "month"])), source, expr),
        size=Size(draw(_count), draw(_count), draw(_count)),
        event_text=draw(st.lists(_word, max_size=3)),
        triggers=[Mention("w", s, e) for s, e in draw(st.lists(_span, max_size=3))],
        sentence=draw(st.none() | st.tuples(st.integers(0, 99), _offset, _offset).map(lambda t: Sentence(*t, "x"))),
        cameo=draw(st.none() | st.sampled_from(["190", "14"])),
        acled_event_type=draw(st.none() | st.just("Battles")),
        acled_sub_event_type=draw(st.none() | st.just("Armed clash")),
        quad_code=draw(st.none() | st.integers(1, 4)),
        confidence=draw(st.floats(0, 1)),
        reciprocal=draw(st.booleans()),
        spans={k: draw(st.lists(_span, min_size=1, max_size=2)) for k in draw(st.sets(st.sampled_from(["place", "dead"])))},
    )
    ev.assign_id()
    return ev


def _json(record: dict[str, object]) -> dict[str, object]:
    """The record as a reader of the JSON text gets it (tuples become lists)."""
    return json.loads(json.dumps(record))


@settings(max_examples=150, deadline=None)
@given(events())
def test_an_event_reads_back_as_the_record_it_wrote(ev: Event) -> None:
    record = _json(ev.to_plover())
    back = Event.from_plover(record)
    assert _json(back.to_plover()) == record
    assert back.primary == ev.primary and back.date.date == ev.date.date and back.event_loc == ev.event_loc


@settings(max_examples=50, deadline=None)
@given(events(), st.sampled_from(["unreviewed", "confirmed", "corrected"]), st.none() | st.text(max_size=8))
def test_stored_and_merged_records_read_back(ev: Event, status: str, cid: str | None) -> None:
    stored = StoredEvent(ev, Review(status, "alice", "2026-01-02T03:04:05+00:00", None), cid)  # type: ignore[arg-type]
    record = _json(stored.to_plover())
    back = record_from_plover(record)
    assert isinstance(back, StoredEvent) and _json(back.to_plover()) == record
    assert back.review.status == status and back.canonical_id == cid
    merged = CanonicalEvent(ev, 2, [ReportRef(ev.doc_id, ev.id, "2020-03-12", {"sequence": 0, "start": 1, "end": 9}, ["hit"])])
    record = _json(merged.to_plover())
    assert "evidence" not in record and "trigger_offsets" not in record and record["n_reports"] == 2
    back = record_from_plover(record)
    assert isinstance(back, CanonicalEvent) and _json(back.to_plover()) == record


@pytest.mark.parametrize(
    "record, words",
    [
        ({"id": "ew-1", "doc_id": "d"}, "ew-1: missing field 'event'"),
        ({"id": "ew-2", "event": "ASSAULT"}, "ew-2: event must be a list of strings"),
        ({"id": "ew-3", "event": []}, "ew-3: event must name at least one type"),
        ({"id": "ew-4", "event": ["ASSAULT"], "date": "last week"}, "ew-4: date 'last week' is not a date"),
        ({"event": ["ASSAULT"], "trigger_offsets": [["a", 2]]}, "(no id): trigger_offsets offsets must be whole"),
    ],
)
def test_a_malformed_record_is_refused_with_the_field_named(record: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Event.from_plover(record)


@pytest.mark.parametrize(
    "record, words",
    [
        ({"id": "ew-5", "event": ["ASSAULT"], "review": ["confirmed"]}, "ew-5: review must be an object"),
        ({"id": "ew-6", "event": ["ASSAULT"], "review": {"status": "maybe"}}, "ew-6: review status 'maybe' is not"),
        ({"id": "ewc-7", "event": ["ASSAULT"], "n_reports": "two"}, "ewc-7: invalid literal for int()"),
        ({"id": "ewc-8", "event": ["ASSAULT"], "n_reports": 2, "reports": {"a": 1}}, "ewc-8: reports must be a list"),
        ({"id": "ewc-9", "event": ["ASSAULT"], "n_reports": 1, "reports": ["x"]}, "ewc-9: reports must hold objects"),
    ],
)
def test_a_malformed_stored_or_merged_record_is_refused_with_the_field_named(
    record: dict[str, object], words: str
) -> None:
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        record_from_plover(record)


@settings(max_examples=25, deadline=None)
@given(events())
def test_the_api_response_model_describes_every_record(ev: Event) -> None:
    """The OpenAPI model of an event (``api.models.PloverEvent``) names every field the records
    write and accepts what they write."""
    from eventwire.api.models import PloverEvent

    records = [ev.to_plover(), StoredEvent(ev, Review("confirmed"), "ewc-1").to_plover(),
               CanonicalEvent(ev, 1, [ReportRef(ev.doc_id, ev.id)]).to_plover()]  # fmt: skip
    for record in records:
        assert set(record) <= set(PloverEvent.model_fields)
        PloverEvent.model_validate(_json(record))
