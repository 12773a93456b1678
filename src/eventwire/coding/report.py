"""Short reports: one happening told in a few sentences.

Conflict-event notes, wire briefs and a headline with its lead tell one event and then add to it
in the next sentence: the toll ("12 fatalities", "No one was killed"), or what the authorities did
("Police fired tear gas to disperse them").  ACLED codes such a report as one event whose type
takes everything told into account: a demonstration that police dispersed is a protest with
intervention, one that turned violent is a riot.  ``fold`` applies this to the events of a short
report after they are coded one by one.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from eventwire.coding.acled import PROTESTS, RIOTS, STRATEGIC, VAC, side
from eventwire.model import Actor, Event, Sentence

LOOTING = "Looting/property destruction"
ABDUCTION = "Abduction/forced disappearance"

REPORT_MAX_SENTENCES = 4
REPORT_MAX_WORDS = 140
PROTEST_SEVERITY = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Excessive force against protesters": 2,
}
VIOLENT_TYPES = frozenset(
    {"Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"}
)


def is_report(sentences: Sequence[Sentence]) -> bool:
    """A short report: a few sentences telling one happening."""
    if not sentences or len(sentences) > REPORT_MAX_SENTENCES:
        return False
    return sum(len(s.text.split()) for s in sentences) <= REPORT_MAX_WORDS


def fold(events: list[Event], stated_dead: dict[int, int]) -> None:
    """Fold the events of one short report (in place).

    ``stated_dead``: per sentence index, a death toll stated in a sentence that codes no event of
    its own ("9 people were killed." after the attack, "Fatalities: 3")."""
    if not events:
        return
    ordered = sorted(events, key=lambda e: (e.sentence.start if e.sentence else 0, e.triggers[0].start if e.triggers else 0))
    own = {e.sentence.index for e in events if e.sentence is not None}
    tolls = [n for i, n in sorted(stated_dead.items()) if i not in own]
    dated = next((e for e in ordered if e.date.source == "text" and e.date.date is not None), None)
    if dated is not None:
        for e in ordered:  # the report states one date for its happening
            if e.date.source != "text" and "historical" not in e.mode:
                e.date = copy.copy(dated.date)
    main = next((e for e in ordered if e.acled_event_type in VIOLENT_TYPES or e.acled_sub_event_type == LOOTING), None)
    if main is not None and main.size.dead is None and tolls:
        main.size.dead = max(tolls)
    for e in ordered:
        if e.acled_sub_event_type == LOOTING and (e.size.dead or 0) > 0:
            # houses burned and people killed: an attack (a riot when a crowd did it)
            e.acled_event_type, e.acled_sub_event_type = VAC, "Attack"
    _fold_killings(ordered)
    _fold_demonstrations(ordered)


def _fold_killings(events: list[Event]) -> None:
    """People seized and then killed by the same party are one attack ("detained 13 civilians
    and executed them", "abducted 11 miners and shot them dead")."""
    killings = [e for e in events if e.event[0] == "ASSAULT" and (e.size.dead or 0) > 0]
    seized = [e for e in events if e.acled_sub_event_type in (ABDUCTION, "Arrests")]
    for k in killings:
        for s in seized:
            if s is k or not _same_party(s.actor, k.actor):
                continue
            for e in (s, k):
                e.acled_event_type, e.acled_sub_event_type = VAC, "Attack"


def _same_party(a: Sequence[Actor], b: Sequence[Actor]) -> bool:
    if not a or not b:
        return not a or not b
    return any(x.entity_text == y.entity_text or (x.code == y.code and x.sector == y.sector) for x in a for y in b)


def _fold_demonstrations(events: list[Event]) -> None:
    protests = [e for e in events if e.acled_event_type == PROTESTS and e.event[0] == "PROTEST"]
    riots = [e for e in events if e.acled_event_type == RIOTS]
    responses = [
        e
        for e in events
        if e.event[0] in ("ASSAULT", "COERCE")
        and side(e.actor) in ("state", None)
        and (
            e.acled_event_type == PROTESTS
            or (e.acled_sub_event_type == "Arrests" and (protests or riots))
        )
    ]
    if riots:
        for e in responses:  # the authorities' response to a riot is part of the riot
            e.acled_event_type, e.acled_sub_event_type = RIOTS, "Violent demonstration"
        return
    if not protests or not responses:
        return
    worst = max(
        (e.acled_sub_event_type or "" for e in responses if e.acled_event_type == PROTESTS),
        key=lambda s: PROTEST_SEVERITY.get(s, 0),
        default="Protest with intervention",
    )
    if any((e.size.dead or 0) > 0 for e in responses):
        worst = "Excessive force against protesters"
    for e in (*protests, *responses):
        if e.acled_sub_event_type == "Arrests" and e.acled_event_type == STRATEGIC:
            continue  # ACLED keeps arrests of protesters as the protest's intervention, told once
        e.acled_event_type, e.acled_sub_event_type = PROTESTS, worst


# -- the keyword fallback ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class KeywordRow:
    acled_type: str
    acled_sub_type: str
    plover: str
    mode: str | None
    phrases: tuple[tuple[str, ...], ...]


_WORD = re.compile(r"[a-z][a-z'-]*")


@functools.lru_cache(maxsize=1)
def keyword_rows() -> tuple[KeywordRow, ...]:
    text = resources.files("eventwire.coding").joinpath("data/acled_keywords.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines()[1:]:
        if not line.strip() or line.startswith("#") or line.startswith("acled_type\t"):
            continue
        at, sub, plover, mode, words = (line.split("\t") + [""] * 5)[:5]
        phrases = tuple(tuple(p.split()) for p in words.split("|") if p)
        rows.append(KeywordRow(at, sub, plover, mode or None, phrases))
    return tuple(rows)


def keyword_reading(text: str) -> tuple[KeywordRow, int, int] | None:
    """The ACLED reading of a report by its words (the first row of ``data/acled_keywords.tsv``
    with a word in the text) and where that word is, or None."""
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    forms = [w for w, _, _ in words]
    for row in keyword_rows():
        best: tuple[int, int] | None = None
        for phrase in row.phrases:
            n = len(phrase)
            for i in range(len(forms) - n + 1):
                if tuple(forms[i : i + n]) == phrase:
                    if best is None or words[i][1] < best[0]:
                        best = (words[i][1], words[i + n - 1][2])
                    break
        if best is not None:
            return row, best[0], best[1]
    return None
