"""Coding stage: PLOVER event types, modes and contexts, CAMEO and ACLED codes, actors, and the
assembly of coded candidates into events (dates, places, casualties, one event per happening)."""

from eventwire.coding.assembly import (
    AssemblySettings,
    EventAssembler,
    Locator,
    dateline_header_end,
    drop_dateline_actors,
)
from eventwire.coding.coder import EventCandidate, EventCoder, noun_phrase
from eventwire.coding.lexicon import Lexicon, load_lexicon

__all__ = [
    "AssemblySettings",
    "EventAssembler",
    "EventCandidate",
    "EventCoder",
    "Lexicon",
    "Locator",
    "dateline_header_end",
    "drop_dateline_actors",
    "load_lexicon",
    "noun_phrase",
]
