"""Reading PLOVER-shaped event dicts (gold or predicted) and matching them.

Gold and predicted events are plain dicts in the PLOVER shape of ``CONTRACT.md``; the readers
here accept the small variations of the gold files (``event`` as a string or a list, ``dead`` at
the top level or under ``size``, ``sector`` as a code or a list of accepted codes, ``event_loc``
with ``country_code`` or ``country_codes``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

AUXILIARY_MODES = frozenset({"historical", "future", "hypothetical", "negation"})
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
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


def entity_items(actors: Iterable[dict[str, Any]] | None, key: str) -> list[frozenset[str]]:
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


def event_countries(ev: dict[str, Any]) -> set[str]:
    """Every actor and recipient code of an event."""
    return entity_values(ev.get("actor"), "code") | entity_values(ev.get("recipient"), "code")


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
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


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
