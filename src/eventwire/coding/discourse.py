"""Document-level event coreference: one event per real happening.

News reports open with a summary ("US warplanes launched strikes ... early on Friday") and then
give details sentence by sentence ("Three soldiers were killed in Babil", "a civilian was killed
in a US airstrike in Karbala").  Two rules turn those mentions into events:

* **Elaboration.**  An event that lacks its own date or actor and follows, within a few
  sentences, a main-clause event of the same type inherits that event's date, actor and mode.  If
  the follower has a place of its own the summary event is replaced by its elaborations (one per
  place); if it has neither place, actor nor date it is only a further casualty report of the
  antecedent and is folded into it.
* **Duplicates.**  Two events of the same type whose dates agree within a day, whose places and
  actors do not contradict and which share an actor or recipient country are one event; the one
  with more facts of its own is kept and the other's evidence is added to it.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

from eventwire.helpers import haversine_km
from eventwire.model import Actor, Event, EventLocation
from eventwire.ontology import modal_modes, types_with, weapon_modes

ELABORATION_TYPES = types_with("elaborates")
ELABORATION_WINDOW = 5  # sentences
WEAPON_MODES = frozenset(weapon_modes())
SUPPRESSING_MODES = modal_modes()
NEAR_SENTENCES = 3  # events further apart in the story are one happening only at one place
SAME_PLACE_KM = 25.0
# Latitude bands of the duplicate finder's place index: two places within SAME_PLACE_KM (0.225
# degrees of latitude) lie in the same or neighbouring bands, since a great circle is never
# shorter than its change of latitude.
_BAND_DEGREES = 0.25


@dataclass
class Mentioned:
    """An event with what the coder knew about its mention."""

    event: Event
    main_clause: bool
    own_actor: bool
    sentence_index: int
    own_date: bool | None = None  # dated by its own sentence (None: judge by the date's source)


def _specific(loc: EventLocation | None) -> bool:
    return loc is not None and (loc.resolution or 0) >= 2


def _km(a: EventLocation, b: EventLocation) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _codes(actors: list[Actor]) -> set[str]:
    return {a.code for a in actors if a.code}


def _asserted(ev: Event) -> bool:
    return not (set(ev.mode) & SUPPRESSING_MODES)


def resolve_elaborations(items: list[Mentioned]) -> list[Event]:
    removed: set[int] = set()
    generalized: set[int] = set()
    for i, cur in enumerate(items):
        ev = cur.event
        if ev.primary not in ELABORATION_TYPES or not _asserted(ev):
            continue
        own_date = ev.date.source == "text" if cur.own_date is None else cur.own_date
        if own_date and cur.own_actor:
            continue
        ante_idx = None
        for j in range(i - 1, -1, -1):
            prev = items[j]
            if cur.sentence_index - prev.sentence_index > ELABORATION_WINDOW:
                break
            if j in removed or not prev.main_clause or prev.event.primary != ev.primary:
                continue
            if prev.event.date.source != "text" or not _asserted(prev.event):
                continue
            if cur.own_actor and prev.event.actor and not (_codes(prev.event.actor) & _codes(ev.actor)):
                continue
            ante_idx = j
            break
        if ante_idx is None:
            continue
        ante = items[ante_idx].event
        if own_date and ante.date.date != ev.date.date:
            continue  # dated differently by its own words: another happening ("last Wednesday's attack")
        if not own_date:
            ev.date = copy.copy(ante.date)
        if not ev.actor and ante.actor:
            ev.actor = list(ante.actor)
        if not (set(ev.mode) & WEAPON_MODES):
            weapon = [m for m in ante.mode if m in WEAPON_MODES]
            ev.mode = weapon + [m for m in ev.mode if m not in WEAPON_MODES]
            if weapon and ante.acled_event_type:
                ev.acled_event_type = ante.acled_event_type
                ev.acled_sub_event_type = ante.acled_sub_event_type
                ev.cameo = ante.cameo
        if _specific(ev.event_loc):
            if not _specific(ante.event_loc):
                generalized.add(ante_idx)
            ev.confidence = max(ev.confidence, ante.confidence)
        elif not cur.own_actor and not own_date:
            _absorb(ante, ev)
            removed.add(i)
    return [it.event for k, it in enumerate(items) if k not in removed and k not in generalized]


def _absorb(target: Event, other: Event) -> None:
    for attr in ("dead", "injured", "arrested"):
        if getattr(target.size, attr) is None and getattr(other.size, attr) is not None:
            setattr(target.size, attr, getattr(other.size, attr))
    target.event_text += [t for t in other.event_text if t not in target.event_text]
    target.triggers += other.triggers
    known = _codes(target.recipient)
    target.recipient += [r for r in other.recipient if r.code and r.code not in known]
    if not target.actor and other.actor:
        target.actor = list(other.actor)


def _info(ev: Event) -> tuple[bool, bool, bool, bool, float]:
    return (
        ev.date.source == "text",
        _specific(ev.event_loc),
        len(_codes(ev.actor)) > 0,
        len(_codes(ev.recipient)) > 0,
        ev.confidence,
    )


def _same_happening(a: Event, b: Event) -> bool:
    if a.primary != b.primary or _asserted(a) != _asserted(b):
        return False
    if ("future" in a.mode) != ("future" in b.mode):
        return False  # "will relocate" is not the transfer that was done
    if a.date.date and b.date.date and abs((a.date.date - b.date.date).days) > 1:
        return False
    if a.date.source == b.date.source == "text" and a.date.date != b.date.date:
        return False  # each dated by its own words, to different days
    same_place = False
    if a.event_loc and b.event_loc and _specific(a.event_loc) and _specific(b.event_loc):
        km = _km(a.event_loc, b.event_loc)
        if km is None or km > SAME_PLACE_KM:
            return False
        same_place = True
    if not same_place and not _near(a, b, NEAR_SENTENCES):
        return False  # far apart in the story and not tied to one place: another happening
    sa, sb = _sectors(a.actor), _sectors(b.actor)
    if sa and sb and not (sa & sb):
        return False  # the police firing and the protesters stoning are two acts
    aa, ba = _codes(a.actor), _codes(b.actor)
    ar, br = _codes(a.recipient), _codes(b.recipient)
    if aa and ba and not (aa & ba):
        return False
    if ar and br and not (ar & br):
        return False
    if a.size.dead is not None and b.size.dead is not None and a.size.dead != b.size.dead:
        return False
    if (aa & ba) or (ar & br) or (aa & br) or (ar & ba):
        return True
    # neighbouring sentences telling one act by an actor named once with and once without its
    # country ("the coalition conducted a transfer ..." / "the task force conducted a transfer")
    return (
        _near(a, b, 2)
        and a.date.date is not None
        and a.date.date == b.date.date
        and bool(_sectors(a.actor) & _sectors(b.actor))
        and not (aa and ba)
    )


def _sectors(actors: list[Actor]) -> set[str]:
    return {a.sector for a in actors if a.sector}


def _near(a: Event, b: Event, window: int) -> bool:
    if a.sentence is None or b.sentence is None:
        return False
    return abs(a.sentence.index - b.sentence.index) <= window


def _band(ev: Event) -> int | None:
    loc = ev.event_loc
    if loc is None or not _specific(loc) or loc.lat is None or loc.lon is None:
        return None
    return math.floor(loc.lat / _BAND_DEGREES)


def merge_duplicates(events: list[Event]) -> list[Event]:
    """Fold each event into the first kept event that tells the same happening, else keep it.

    Only events of one type, within ``NEAR_SENTENCES`` of each other or with specific places
    within ``SAME_PLACE_KM`` of each other, can be one happening (``_same_happening``), so each
    event is compared only with the kept events of its type near it in the text or on the map
    (indexed by sentence and by latitude band), in their order: a long document has thousands of
    events."""
    kept: list[Event] = []
    by_sentence: dict[tuple[str, int], set[int]] = {}
    by_band: dict[tuple[str, int], set[int]] = {}
    keys: list[tuple[tuple[str, int] | None, tuple[str, int] | None]] = []

    def index(k: int) -> None:
        ev = kept[k]
        band = _band(ev)
        skey = (ev.primary, ev.sentence.index) if ev.sentence is not None else None
        bkey = (ev.primary, band) if band is not None else None
        if skey is not None:
            by_sentence.setdefault(skey, set()).add(k)
        if bkey is not None:
            by_band.setdefault(bkey, set()).add(k)
        if k == len(keys):
            keys.append((skey, bkey))
        else:
            keys[k] = (skey, bkey)

    def unindex(k: int) -> None:
        skey, bkey = keys[k]
        if skey is not None:
            by_sentence[skey].discard(k)
        if bkey is not None:
            by_band[bkey].discard(k)

    for ev in events:
        near: set[int] = set()
        if ev.sentence is not None:
            for d in range(-NEAR_SENTENCES, NEAR_SENTENCES + 1):
                near |= by_sentence.get((ev.primary, ev.sentence.index + d), set())
        band = _band(ev)
        if band is not None:
            for d in (-1, 0, 1):
                near |= by_band.get((ev.primary, band + d), set())
        for k in sorted(near):
            other = kept[k]
            if _same_happening(ev, other):
                best, rest = (ev, other) if _info(ev) > _info(other) else (other, ev)
                _absorb(best, rest)
                if best.event_loc is None and rest.event_loc is not None:
                    best.event_loc = rest.event_loc
                unindex(k)
                kept[k] = best
                index(k)
                break
        else:
            kept.append(ev)
            index(len(kept) - 1)
    return kept


def consolidate(items: list[Mentioned]) -> list[Event]:
    """Apply both rules, in document order."""
    items = sorted(items, key=lambda it: (it.sentence_index, it.event.triggers[0].start if it.event.triggers else 0))
    return merge_duplicates(resolve_elaborations(items))
