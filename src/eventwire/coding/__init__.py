"""Coding stage: PLOVER event types, modes and contexts, CAMEO and ACLED codes, actors."""

from eventwire.coding.coder import EventCandidate, EventCoder, noun_phrase
from eventwire.coding.lexicon import Lexicon, load_lexicon

__all__ = ["EventCandidate", "EventCoder", "Lexicon", "load_lexicon", "noun_phrase"]
