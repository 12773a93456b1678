"""Reading PLOVER-shaped event dicts (gold or predicted) and matching them.

Gold and predicted events are plain dicts in the PLOVER shape of ``CONTRACT.md``; the readers
here accept the small variations of the gold files (``event`` as a string or a list, ``dead`` at
the top level or under ``size``, ``sector`` as a code or a list of accepted codes, ``event_loc``
with ``country_code`` or ``country_codes``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventwire.helpers import parse_date
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


def event_types(ev: dict[str, Any]) -> list[str]:
    value = ev.get("event")
    if isinstance(value, str):
        return [value]
    return [t for t in value or [] if isinstance(t, str)]


def primary_type(ev: dict[str, Any]) -> str:
    types = event_types(ev)
    return types[0] if types else NONE


def modes(ev: dict[str, Any]) -> set[str]:
    """PLOVER modes without the auxiliary ones (historical, future, hypothetical, negation)."""
    return {m for m in ev.get("mode") or [] if isinstance(m, str) and m not in AUXILIARY_MODES}


def _alternatives(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value}) if value else frozenset()
    if isinstance(value, list | tuple):
        return frozenset(v for v in value if isinstance(v, str) and v)
    return frozenset()


def entity_items(actors: Iterable[object] | None, key: str) -> list[frozenset[str]]:
    """Per entity, the set of accepted values of ``key`` (``code`` or ``sector``); empty ones dropped,
    duplicates merged."""
    out: list[frozenset[str]] = []
    for a in actors or []:
        if not isinstance(a, dict):
            continue
        alts = _alternatives(a.get(key))
        if alts and alts not in out:
            out.append(alts)
    return out


def entity_values(actors: Iterable[dict[str, Any]] | None, key: str) -> set[str]:
    """The predicted values of ``key`` (a list of values counts each of them)."""
    return {v for alts in entity_items(actors, key) for v in alts}


# PLOVER's codes for intergovernmental bodies: coders write "IGO" for any of them or the body's own
# code ("UNO" for the UN, "EUR" for the EU); the evaluators count them as one.
IGO_CODES = frozenset({"IGO", "UNO", "EUR", "AFR", "ASA", "NAF", "WST", "SAM", "CAS"})


def event_countries(ev: dict[str, Any]) -> set[str]:
    """Every actor and recipient code of an event (intergovernmental codes as "IGO")."""
    codes = entity_values(ev.get("actor"), "code") | entity_values(ev.get("recipient"), "code")
    return {"IGO" if c in IGO_CODES else c for c in codes}


def location(ev: dict[str, Any]) -> Loc | None:
    loc = ev.get("event_loc")
    if not isinstance(loc, dict):
        return None
    countries = _alternatives(loc.get("country_codes")) | _alternatives(loc.get("country_code"))
    lat, lon = loc.get("lat"), loc.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        lat = lon = None
    if not countries and lat is None:
        return None
    return Loc(countries, lat, lon)


def dead(ev: dict[str, Any]) -> int | None:
    size = ev.get("size")
    value = size.get("dead") if isinstance(size, dict) else ev.get("dead")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def event_date(ev: dict[str, Any]) -> date | None:
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


def greedy_align(
    gold: Sequence[Any], pred: Sequence[Any], score: Callable[[Any, Any], float]
) -> list[tuple[int, int]]:
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


def is_modal(ev: dict[str, Any]) -> bool:
    """Negated, hypothetical or historical: not reported as having happened (the pipeline leaves
    these out of its default output; a predictions file made with ``--all-events`` has them)."""
    return bool(MODAL_MODES & {m for m in ev.get("mode") or [] if isinstance(m, str)})


def text_position(ev: dict[str, Any]) -> tuple[float, float]:
    """Where an event stands in its document: (evidence sentence start, first trigger start);
    unknown positions sort last."""
    raw = ev.get("text_info")
    info: dict[str, Any] = raw if isinstance(raw, dict) else {}
    start = info.get("start")
    if not isinstance(start, int | float):
        seq = info.get("sequence")
        start = seq if isinstance(seq, int | float) else None
    offsets = ev.get("trigger_offsets") or []
    first = offsets[0][0] if offsets and isinstance(offsets[0], list | tuple) and offsets[0] else None
    return (
        float(start) if isinstance(start, int | float) else math.inf,
        float(first) if isinstance(first, int | float) else math.inf,
    )


def confidence(ev: dict[str, Any]) -> float:
    value = ev.get("confidence")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def by_confidence(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Asserted events, most confident first; ties in text order, then in file order."""
    order = sorted(
        (i for i, e in enumerate(events) if not is_modal(e)),
        key=lambda i: (-confidence(events[i]), text_position(events[i]), i),
    )
    return [events[i] for i in order]


def pick_acled_event(events: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """THE output event of a one-event document: the most confident asserted event that has an
    ``acled_event_type`` (ties: the first in text order); ``None`` when no event has one."""
    for ev in by_confidence(events):
        if isinstance(ev.get("acled_event_type"), str) and ev["acled_event_type"]:
            return ev
    return None


GENERIC_PLACE_WORDS = frozenset(
    "the of and near outskirts area village town city district division county province region "
    "state municipality locality sub county subcounty ward camp settlement market".split()
)


def place_words(text: Any) -> set[str]:
    """The distinctive words of a place name: lower-cased, accents stripped, generic words such as
    'village' or 'district' left out."""
    if not isinstance(text, str) or not text:
        return set()
    from unidecode import unidecode

    return {w for w in re.findall(r"[a-z0-9]+", unidecode(text).lower()) if w not in GENERIC_PLACE_WORDS}


def loc_words(ev: dict[str, Any]) -> set[str]:
    """Words of an output event's ``event_loc`` place (``extracted_place`` and ``resolved_place``)."""
    loc = ev.get("event_loc")
    if not isinstance(loc, dict):
        return set()
    return place_words(loc.get("extracted_place")) | place_words(loc.get("resolved_place"))


def place_named(gold_place: Any, ev: dict[str, Any] | None) -> bool:
    """Every distinctive word of the gold place name (its part before any comma or parenthesis:
    'Kitale' of 'Kitale, Kwanza division') is in the event's ``event_loc`` place."""
    head = re.split(r"[,(]", gold_place, maxsplit=1)[0] if isinstance(gold_place, str) else None
    want = place_words(head)
    return bool(want) and ev is not None and want <= loc_words(ev)


def loc_country(ev: dict[str, Any] | None) -> str | None:
    loc = ev.get("event_loc") if ev is not None else None
    code = loc.get("country_code") if isinstance(loc, dict) else None
    return code if isinstance(code, str) and code else None


def gold_place(ev: dict[str, Any]) -> tuple[str | None, frozenset[str]]:
    """A gold event's place name and countries: from its ``event_loc`` (``extracted_place``,
    ``country_code(s)``) or from the flat ``place`` and ``country_iso3`` of article gold."""
    raw = ev.get("event_loc")
    loc: dict[str, Any] = raw if isinstance(raw, dict) else {}
    name = loc.get("extracted_place") or loc.get("resolved_place") or ev.get("place")
    countries = (
        _alternatives(loc.get("country_codes"))
        | _alternatives(loc.get("country_code"))
        | _alternatives(ev.get("country_iso3"))
    )
    return (name if isinstance(name, str) and name.strip() else None), countries
