"""Duplicate events: the indexed search finds exactly what comparing every pair finds."""

from __future__ import annotations

import copy
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.coding.discourse import _absorb, _info, _same_happening, merge_duplicates
from eventwire.model import Actor, Event, EventDate, EventLocation, Sentence, Size


def merge_pairwise(events: list[Event]) -> list[Event]:
    """The plain rule: each event against every kept event of its type, in order."""
    kept: list[Event] = []
    for ev in events:
        for k, other in enumerate(kept):
            if other.primary == ev.primary and _same_happening(ev, other):
                best, rest = (ev, other) if _info(ev) > _info(other) else (other, ev)
                _absorb(best, rest)
                if best.event_loc is None and rest.event_loc is not None:
                    best.event_loc = rest.event_loc
                kept[k] = best
                break
        else:
            kept.append(ev)
    return kept


_actor = st.builds(Actor, entity_text=st.just("x"), code=st.sampled_from(["USA", "USA", "IRQ", None]),
                   sector=st.sampled_from(["MIL", "MIL", "COP", None]))
# places on a fine grid straddling the index's latitude bands (0.25 degrees) and 25 km
_loc = st.builds(
    EventLocation, extracted_place=st.just("p"),
    lat=st.integers(-6, 6).map(lambda i: 60.0 + i * 0.11), lon=st.integers(0, 4).map(lambda i: i * 0.2),
    resolution=st.integers(1, 4),
)


@st.composite
def _event(draw: st.DrawFn) -> Event:
    index = draw(st.integers(0, 12) | st.integers(0, 400))  # near in the text, or far
    day = draw(st.sampled_from([None, date(2025, 3, 1), date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 9)]))
    return Event(
        doc_id="d",
        event=[draw(st.sampled_from(["ASSAULT", "ASSAULT", "PROTEST"]))],
        mode=draw(st.sampled_from([[], [], ["future"], ["negated"]])),
        actor=draw(st.lists(_actor, min_size=1, max_size=2)),
        recipient=draw(st.lists(_actor, max_size=1)),
        event_loc=draw(st.none() | _loc),
        date=EventDate(day, source=draw(st.sampled_from(["text", "publication"])) if day else None),
        size=Size(dead=draw(st.sampled_from([None, 1, 2]))),
        sentence=None if draw(st.integers(0, 9)) == 0 else Sentence(index, index * 10, index * 10 + 9, "s"),
        confidence=draw(st.sampled_from([0.3, 0.6])),
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(_event(), max_size=60))
def test_duplicates_are_found_as_by_comparing_every_pair(events: list[Event]) -> None:
    assert merge_duplicates(copy.deepcopy(events)) == merge_pairwise(copy.deepcopy(events))
