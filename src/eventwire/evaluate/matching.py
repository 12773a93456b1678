"""Reading gold and predicted events and matching them.

Predicted events are ``eventwire.model.Event`` records; gold events are the gold files' objects in
the PLOVER shape of ``CONTRACT.md`` (``gold.GoldEvent``).  The readers here take either, and
accept the small variations of the gold files (``event`` as a string or a list, ``dead`` at
the top level or under ``size``, ``sector`` as a code or a list of accepted codes, ``event_loc``
with ``country_code`` or ``country_codes``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

from eventwire.evaluate.gold import GoldEvent
from eventwire.helpers import parse_date
from eventwire.model import Actor, Event
from eventwire.ontology import AUXILIARY_MODES as _AUX
from eventwire.ontology import EVENT_TYPES, MODAL_MODES

AUXILIARY_MODES = frozenset(_AUX)
PLOVER_TYPES = EVENT_TYPES
NONE = "NONE"


@dataclass(slots=True, frozen=True)
class Loc:
    """The comparable part of an ``event_loc``: countries (alpha-3) and coordinates."""

    countries: frozenset[str]
    lat: float | None = None
    lon: float | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None


def event_types(ev: GoldEvent | Event) -> list[str]:
    if isinstance(ev, Event):
        return list(ev.event)
    value = ev.get("event")
    if isinstance(value, str):
        return [value]
    return [t for t in _items(value) if isinstance(t, str)]


def primary_type(ev: GoldEvent | Event) -> str:
    types = event_types(ev)
    return types[0] if types else NONE


def modes(ev: GoldEvent | Event) -> set[str]:
    """PLOVER modes without the auxiliary ones (historical, future, hypothetical, negation)."""
    values = ev.mode if isinstance(ev, Event) else _items(ev.get("mode"))
    return {m for m in values if isinstance(m, str) and m not in AUXILIARY_MODES}


def _items(value: object) -> list[object]:
    """A gold value read as a list: a list is itself, anything else has no items."""
    return value if isinstance(value, list) else []


def _alternatives(value: object) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    if isinstance(value, list | tuple):
        return frozenset(v for v in value if isinstance(v, str) and v)
    return frozenset()


EntityKey = Literal["code", "sector"]


def _entity_value(entity: object, key: EntityKey) -> object:
    if isinstance(entity, Actor):
        return entity.code if key == "code" else entity.sector
    return entity.get(key) if isinstance(entity, dict) else None


def entity_items(actors: object, key: EntityKey) -> list[frozenset[str]]:
    """Per entity (``Actor`` records, or a gold value holding entity objects), the set of accepted
    values of ``key`` (``code`` or ``sector``); empty ones dropped, duplicates merged."""
    out: list[frozenset[str]] = []
    for a in _items(actors):
        alts = _alternatives(_entity_value(a, key))
        if alts and alts not in out:
            out.append(alts)
    return out


def entity_values(actors: object, key: EntityKey) -> set[str]:
    """The predicted values of ``key`` (a list of values counts each of them)."""
    return {v for alts in entity_items(actors, key) for v in alts}


def role(ev: GoldEvent | Event, name: Literal["actor", "recipient"]) -> list[object]:
    """The entities of one role: ``Actor`` records of an output event, the gold's entity objects."""
    if isinstance(ev, Event):
        return list(ev.actor if name == "actor" else ev.recipient)
    return _items(ev.get(name))


# PLOVER's codes for intergovernmental bodies: coders write "IGO" for any of them or the body's own
# code ("UNO" for the UN, "EUR" for the EU); the evaluators count them as one.
IGO_CODES = frozenset({"IGO", "UNO", "EUR", "AFR", "ASA", "NAF", "WST", "SAM", "CAS"})


def event_countries(ev: GoldEvent | Event) -> set[str]:
    """Every actor and recipient code of an event (intergovernmental codes as "IGO")."""
    codes = entity_values(role(ev, "actor"), "code") | entity_values(role(ev, "recipient"), "code")
    return {"IGO" if c in IGO_CODES else c for c in codes}


def _loc(countries: frozenset[str], lat: object, lon: object) -> Loc | None:
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        lat = lon = None
    if not countries and lat is None:
        return None
    return Loc(countries, lat, lon)


def location(ev: GoldEvent | Event) -> Loc | None:
    if isinstance(ev, Event):
        pl = ev.event_loc
        return None if pl is None else _loc(_alternatives(pl.country_code), pl.lat, pl.lon)
    loc = ev.get("event_loc")
    if not isinstance(loc, dict):
        return None
    countries = _alternatives(loc.get("country_codes")) | _alternatives(loc.get("country_code"))
    return _loc(countries, loc.get("lat"), loc.get("lon"))


def _count(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def size_count(ev: GoldEvent | Event, kind: Literal["dead", "injured", "arrested"]) -> int | None:
    """The number killed, injured or arrested (gold: under ``size`` or, in older files, at the top
    level); None where not a whole number."""
    if isinstance(ev, Event):
        return _count(getattr(ev.size, kind))
    size = ev.get("size")
    return _count(size.get(kind) if isinstance(size, dict) else ev.get(kind))


def dead(ev: GoldEvent | Event) -> int | None:
    return size_count(ev, "dead")


def event_date(ev: GoldEvent | Event) -> date | None:
    if isinstance(ev, Event):
        return ev.date.date
    value = ev.get("date")
    return parse_date(value) if isinstance(value, str) else None


def set_counts(gold: Sequence[frozenset[str]], pred: set[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of a predicted value set against gold items that each accept any of a set of
    values: each gold item is satisfied by at most one unused predicted value, each predicted
    value satisfies at most one gold item."""
    unused = set(pred)
    tp = 0
    for alts in sorted(gold, key=len):
        hit = sorted(alts & unused)
        if hit:
            unused.discard(hit[0])
            tp += 1
    return tp, len(unused), len(gold) - tp


G = TypeVar("G")
P = TypeVar("P")


def greedy_align(gold: Sequence[G], pred: Sequence[P], score: Callable[[G, P], float]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index) taken greedily by descending score (ties by
    position); pairs scoring 0 or less are never aligned."""
    cands = [
        (s, i, j)
        for i, g in enumerate(gold)
        for j, p in enumerate(pred)
        if (s := score(g, p)) > 0
    ]
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def max_matching(edges: Sequence[Sequence[int]], order: Sequence[int] | None = None) -> dict[int, int]:
    """A maximum one-to-one matching {left: right} in a bipartite graph (augmenting paths).

    ``edges[i]`` lists the right vertices left vertex ``i`` may take.  Left vertices are added in
    ``order``; since augmenting never unmatches a left vertex, the ones first in ``order`` keep
    the largest possible matching among themselves.
    """
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in order if order is not None else range(len(edges)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


# -- one event per document ----------------------------------------------------------------------


def is_modal(ev: Event) -> bool:
    """Negated, hypothetical or historical: not reported as having happened (the pipeline leaves
    these out of its default output; a predictions file made with ``--all-events`` has them)."""
    return bool(MODAL_MODES & set(ev.mode))


def text_position(ev: Event) -> tuple[float, float]:
    """Where an event stands in its document: (evidence sentence start, first trigger start);
    unknown positions sort last."""
    start = float(ev.sentence.start) if ev.sentence is not None else math.inf
    first = float(ev.triggers[0].start) if ev.triggers else math.inf
    return start, first


def confidence(ev: Event) -> float:
    """The event's confidence as output (3 decimals), so that scoring a predictions file and scoring
    the pipeline's own events rank events alike."""
    return round(ev.confidence, 3)


def by_confidence(events: Sequence[Event]) -> list[Event]:
    """Asserted events, most confident first; ties in text order, then in file order."""
    order = sorted(
        (i for i, e in enumerate(events) if not is_modal(e)),
        key=lambda i: (-confidence(events[i]), text_position(events[i]), i),
    )
    return [events[i] for i in order]


def pick_acled_event(events: Sequence[Event]) -> Event | None:
    """THE output event of a one-event document: the most confident asserted event that has an
    ``acled_event_type`` (ties: the first in text order); ``None`` when no event has one."""
    for ev in by_confidence(events):
        if ev.acled_event_type:
            return ev
    return None


GENERIC_PLACE_WORDS = frozenset(
    "the of and near outskirts area village town city district division county province region "
    "state municipality locality sub county subcounty ward camp settlement market".split()
)


def place_words(text: object) -> set[str]:
    """The distinctive words of a place name: lower-cased, accents stripped, generic words such as
    'village' or 'district' left out."""
    if not isinstance(text, str) or not text:
        return set()
    from unidecode import unidecode

    return {w for w in re.findall(r"[a-z0-9]+", unidecode(text).lower()) if w not in GENERIC_PLACE_WORDS}


def loc_words(ev: Event) -> set[str]:
    """Words of an output event's ``event_loc`` place (``extracted_place`` and ``resolved_place``)."""
    loc = ev.event_loc
    if loc is None:
        return set()
    return place_words(loc.extracted_place) | place_words(loc.resolved_place)


def place_named(gold_place: object, ev: Event | None) -> bool:
    """Every distinctive word of the gold place name (its part before any comma or parenthesis:
    'Kitale' of 'Kitale, Kwanza division') is in the event's ``event_loc`` place."""
    head = re.split(r"[,(]", gold_place, maxsplit=1)[0] if isinstance(gold_place, str) else None
    want = place_words(head)
    return bool(want) and ev is not None and want <= loc_words(ev)


def loc_country(ev: Event | None) -> str | None:
    code = ev.event_loc.country_code if ev is not None and ev.event_loc is not None else None
    return code if isinstance(code, str) and code else None


def gold_place(ev: GoldEvent) -> tuple[str | None, frozenset[str]]:
    """A gold event's place name and countries: from its ``event_loc`` (``extracted_place``,
    ``country_code(s)``) or from the flat ``place`` and ``country_iso3`` of article gold."""
    raw = ev.get("event_loc")
    loc: dict[str, object] = raw if isinstance(raw, dict) else {}
    name = loc.get("extracted_place") or loc.get("resolved_place") or ev.get("place")
    countries = (
        _alternatives(loc.get("country_codes"))
        | _alternatives(loc.get("country_code"))
        | _alternatives(ev.get("country_iso3"))
    )
    return (name if isinstance(name, str) and name.strip() else None), countries
