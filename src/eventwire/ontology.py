"""The event ontology, from one source: PLOVER's types and modes with their codes and properties.

Every stage asks this module, and this module reads two tables (``data/ontology_types.tsv``,
``data/ontology_modes.tsv``), so adding a mode or changing what a type does is one data edit:

- per type: quad code, CAMEO root, merge family, the prepositions that introduce its recipient, and
  its behaviour flags (cooperative, conflict, refusable, reciprocal, place fallback, elaborates);
- per mode: its CAMEO code, the ACLED type and sub-type the mode alone decides (weapon modes),
  a weapon rank, and for the auxiliary modes whether they are kept out of what-happened output.

ACLED's own event types and sub-types are listed here too (``ACLED_SUB_EVENT_TYPES``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

AUXILIARY = "*"

ACLED_SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    ),
}  # fmt: skip

# PLOVER contexts (the 'why' of an event).
CONTEXTS: tuple[str, ...] = (
    "political", "military", "intelligence", "executive", "legislative", "election", "legal",
    "economic", "trade", "resource", "diplomatic", "international", "government", "rights",
    "migration", "refugee", "humanitarian", "health", "disaster", "environment", "terrorism",
    "crime", "cyber", "corruption", "protest", "gender", "religion", "ethnic", "kidnapping",
    "cbrn", "technology", "transportation", "infrastructure", "historical", "discrimination",
    "peacekeeping", "border",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: int
    cameo_root: str
    family: str
    recipient_preps: tuple[str, ...]
    flags: frozenset[str]
    threat_mode: str | None

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass(frozen=True, slots=True)
class Mode:
    type: str  # "*" for an auxiliary mode
    name: str
    cameo: str | None
    acled_type: str | None
    acled_sub_type: str | None
    weapon_rank: int | None
    modal: bool = False


@dataclass(frozen=True, slots=True)
class Ontology:
    types: dict[str, EventType]
    modes: dict[tuple[str, str], Mode] = field(default_factory=dict)

    @property
    def auxiliary(self) -> tuple[str, ...]:
        return tuple(m.name for (t, _), m in self.modes.items() if t == AUXILIARY)

    @property
    def modal(self) -> frozenset[str]:
        return frozenset(m.name for (t, _), m in self.modes.items() if t == AUXILIARY and m.modal)


def _rows(name: str) -> list[list[str]]:
    text = resources.files("eventwire").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rows.append(line.split("\t"))
    return rows[1:]  # the first row names the columns


@functools.lru_cache(maxsize=1)
def ontology() -> Ontology:
    """The ontology tables, read once."""
    types: dict[str, EventType] = {}
    for row in _rows("ontology_types.tsv"):
        cols = row + [""] * (7 - len(row))
        name, quad, root, fam, preps, flags, threat = (c.strip() for c in cols[:7])
        types[name] = EventType(
            name, int(quad), root, fam or name, tuple(p for p in preps.split(",") if p),
            frozenset(f for f in flags.split(",") if f), threat or None,
        )
    modes: dict[tuple[str, str], Mode] = {}
    for row in _rows("ontology_modes.tsv"):
        cols = row + [""] * (7 - len(row))
        t, name, cameo, at, ast, rank, modal = (c.strip() for c in cols[:7])
        if t != AUXILIARY and t not in types:
            raise ValueError(f"ontology_modes.tsv: mode {name!r} of unknown type {t!r}")
        modes[(t, name)] = Mode(t, name, cameo or None, at or None, ast or None, int(rank) if rank else None, modal == "yes")
    return Ontology(types, modes)


def event_types() -> tuple[str, ...]:
    return tuple(ontology().types)


def event_type(name: str) -> EventType | None:
    return ontology().types.get(name)


def types_with(flag: str) -> frozenset[str]:
    """The event types that carry a behaviour flag (``cooperative``, ``place_fallback``, ...)."""
    return frozenset(t.name for t in ontology().types.values() if t.has(flag))


def mode(event_type_name: str, name: str | None) -> Mode | None:
    if name is None:
        return None
    return ontology().modes.get((event_type_name, name))


def modal_modes() -> frozenset[str]:
    """Auxiliary modes whose events are kept out of what-happened output (negation, hypothetical,
    historical; a future act is announced, so it is output)."""
    return ontology().modal


def auxiliary_modes() -> tuple[str, ...]:
    return ontology().auxiliary


def is_modal(modes: list[str] | tuple[str, ...] | set[str] | frozenset[str]) -> bool:
    return bool(modal_modes() & set(modes))


def weapon_modes(event_type_name: str = "ASSAULT") -> tuple[str, ...]:
    """The weapon modes of a type, most decisive first (a suicide bombing is a suicide attack
    whatever else it used)."""
    ranked = [m for (t, _), m in ontology().modes.items() if t == event_type_name and m.weapon_rank is not None]
    return tuple(m.name for m in sorted(ranked, key=lambda m: (m.weapon_rank, m.name)))


def quad_code(event_type_name: str) -> int | None:
    t = event_type(event_type_name)
    return t.quad if t else None


def family(event_type_name: str) -> str:
    t = event_type(event_type_name)
    return t.family if t else event_type_name


def cameo_code(event_type_name: str, mode_name: str | None, lexicon_code: str | None) -> str | None:
    """The CAMEO code for a coded event: the lexicon's code when it agrees with the final type,
    else the code its mode gives, else the type's root."""
    t = event_type(event_type_name)
    if t is None:
        return lexicon_code
    m = mode(event_type_name, mode_name)
    if event_type_name == "ASSAULT":
        if m is not None and m.cameo:
            return m.cameo
        if lexicon_code and lexicon_code[:2] in ("18", "19", "20"):
            return lexicon_code
        return "190"
    if event_type_name == "THREATEN":
        return "138" if mode_name == "violence" else "13"
    if lexicon_code and lexicon_code.startswith(t.cameo_root[:2]):
        return lexicon_code
    if lexicon_code and event_type_name == "ACCUSE" and lexicon_code.startswith("09"):
        return lexicon_code
    if lexicon_code and event_type_name in ("RETREAT", "CONCEDE") and lexicon_code.startswith("08"):
        return lexicon_code
    if m is not None and m.cameo:
        return m.cameo
    return t.cameo_root


# Stable names for callers that read the tables as constants.
EVENT_TYPES: tuple[str, ...] = event_types()
QUAD_CODES: dict[str, int] = {t.name: t.quad for t in ontology().types.values()}
CAMEO_ROOTS: dict[str, str] = {t.name: t.cameo_root for t in ontology().types.values()}
AUXILIARY_MODES: tuple[str, ...] = auxiliary_modes()
MODAL_MODES: frozenset[str] = modal_modes()
