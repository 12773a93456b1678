"""ACLED event types and sub-types, decided by ACLED's own distinctions.

ACLED types an event by who did what to whom with what: a battle is fought between two organised,
armed sides; violence against civilians targets people who are not armed; a riot is a crowd
turning violent (a violent demonstration, or mob violence where there is no demonstration); a
protest is a demonstration that stays peaceful (with intervention when the authorities act on it,
excessive force when they use lethal force or beat it); explosions and remote violence are told by
the weapon; strategic developments are the non-violent acts that change the conflict: arrests,
looting and destruction of property, agreements, bases, changes to armed groups, weapons seized
or defused, territory changing hands without a fight.

The word classes these rules read are data (``data/acled_cues.tsv``).  ``classify`` sees one
event with its arguments and the words around it; ``reconcile`` adjusts the events of one
document together (police acting on a demonstration reported in the sentence after it).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

from eventwire.model import Actor

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

REMOTE_BY_MODE = {
    "aerial": "Air/drone strike",
    "heavy-weapons": "Shelling/artillery/missile attack",
    "explosives": "Remote explosive/landmine/IED",
    "suicide-attack": "Suicide bomb",
    "grenade": "Grenade",
    "cbrn": "Chemical weapon",
}
STATE_SECTORS = frozenset({"MIL", "COP", "SPY"})
ARMED_SECTORS = frozenset({"REB", "PRM", "UAF", "CRM", "IMG"})
VIOLENT_TYPES = frozenset({"ASSAULT"})

Acled = tuple[str | None, str | None]
NONE: Acled = (None, None)


@functools.lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """The word classes of ``data/acled_cues.tsv``."""
    text = resources.files("eventwire.coding").joinpath("data/acled_cues.tsv").read_text("utf-8")
    out: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        out[cols[0]] = frozenset(w for w in cols[1].split("|") if w)
    return out


def _has(words: Iterable[str], cls: str) -> bool:
    c = cues()[cls]
    return any(w in c for w in words)


def _words(text: str) -> list[str]:
    out = []
    for w in "".join(ch.lower() if ch.isalnum() or ch == "-" else " " for ch in text).split():
        out.append(w)
        if len(w) > 3 and w.endswith("ies"):
            out.append(w[:-3] + "y")
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            out.append(w[:-1])
        if w.endswith("men"):
            out.append(w[:-3] + "man")
    return out


def side(actors: Sequence[Actor]) -> str | None:
    """What kind of party these actors are, in ACLED's terms: ``state`` forces, an organised
    ``armed`` group, ``protesters``, an unorganised ``crowd``, ``civilian`` people or places, or
    None when nothing is said."""
    if not actors:
        return None
    kinds = [_side_of(a) for a in actors]
    for k in ("state", "armed", "protesters", "crowd", "civilian"):
        if k in kinds:
            return k
    return None


def _side_of(a: Actor) -> str | None:
    words = _words(a.entity_text)
    head = words[-1] if words else ""
    if a.sector in STATE_SECTORS:
        return "state"
    if a.sector in ARMED_SECTORS:
        return "armed"
    if _has(words, "armed_modifier") or _has(words, "armed_nouns") and not _has([head], "civilian_targets"):
        if any(w in ("police", "policeman", "army", "soldier", "troop", "military") for w in words):
            return "state"
        return "armed"
    if _has(words, "protester"):
        return "protesters"
    if _has(words, "crowd") and (head.endswith("s") or head in cues()["crowd"] or len(words) > 1):
        return "crowd"
    if a.sector or _has(words, "civilian_targets"):
        return "civilian"
    return None


@dataclass(slots=True)
class AcledInput:
    """One event as the ACLED rules see it."""

    event: str
    mode: str | None
    actors: Sequence[Actor] = ()
    recipients: Sequence[Actor] = ()
    clause: set[str] = field(default_factory=set)  # words of the trigger's clause (lower case)
    sentence: set[str] = field(default_factory=set)  # words of its sentence
    dead: int | None = None
    territory: bool = False
    ethnic: bool = False  # an ethnic or communal group is named among the parties
    objects: set[str] = field(default_factory=set)  # words of the act's direct objects


def classify(x: AcledInput) -> Acled:
    """ACLED (event type, sub-type) of one event, or (None, None) where ACLED would not code it."""
    ev, mode = x.event, x.mode
    a_side, r_side = side(x.actors), side(x.recipients)
    words = x.sentence | x.clause
    if ev == "PROTEST":
        if (mode or "").startswith("riot") or (a_side in ("crowd", "protesters") and _violent_crowd(x.clause)):
            return RIOTS, "Violent demonstration"
        return PROTESTS, "Peaceful protest"
    if a_side == "crowd" and x.ethnic:
        a_side = "armed"  # "Pokot youths", "Kikuyu warriors": an identity militia, organised and armed
    if r_side == "crowd" and x.ethnic:
        r_side = "armed"
    if a_side == "state" and ev in ("ASSAULT", "COERCE") and _has(words, "protest_demo") and r_side in (None, "crowd", "protesters", "civilian"):
        # the authorities acting on a demonstration
        if _violent_crowd(words - x.clause) or "rioter" in words or "rioting" in words:
            return RIOTS, "Violent demonstration"
        if mode == "arrest" and not _has(x.clause - {"arrest", "detain", "arrested", "detained"}, "intervention"):
            return STRATEGIC, "Arrests"
        if (x.dead or 0) > 0 or _has(x.clause, "lethal") or mode == "beat":
            return PROTESTS, "Excessive force against protesters"
        return PROTESTS, "Protest with intervention"
    if x.territory and ev == "ASSAULT":
        if _has(words, "peaceful_transfer") and not (x.dead or 0) and "fighting" not in words:
            return STRATEGIC, "Non-violent transfer of territory"
        if a_side == "state":
            return BATTLES, "Government regains territory"
        return BATTLES, "Non-state actor overtakes territory"
    if ev == "ASSAULT" or (ev == "COERCE" and mode in ("abduct", "destroy")):
        if mode == "crowd-control" and a_side in ("state", None):
            return PROTESTS, "Protest with intervention"
        if mode in REMOTE_BY_MODE and ev == "ASSAULT":
            return REMOTE, REMOTE_BY_MODE[mode]
        if mode == "sexual" or _has(x.clause, "sexual"):
            return VAC, "Sexual violence"
        if mode == "abduct":
            return VAC, "Abduction/forced disappearance"
        if a_side in ("crowd", "protesters"):
            if a_side == "protesters" or _has(words, "protest_context"):
                return RIOTS, "Violent demonstration"
            return RIOTS, "Mob violence"
        if a_side == "state" and r_side in ("crowd", "protesters"):
            if _violent_crowd(words - x.clause) or "rioter" in words:
                return RIOTS, "Violent demonstration"
            if (x.dead or 0) > 0 or _has(x.clause, "lethal"):
                return PROTESTS, "Excessive force against protesters"
            return PROTESTS, "Protest with intervention"
        if (mode == "destroy" or _property_only(x)) and not (x.dead or 0):
            return STRATEGIC, "Looting/property destruction"
        if r_side == "civilian":
            return VAC, "Attack"
        if r_side in ("state", "armed"):
            return BATTLES, "Armed clash"
        if a_side in ("state", "armed"):
            if _has(x.clause, "civilian_targets") and not _has(x.clause, "military_targets"):
                return VAC, "Attack"
            return BATTLES, "Armed clash"
        if _has(x.clause, "civilian_targets") and not _has(x.clause, "military_targets"):
            return VAC, "Attack"
        if x.clause & {"clash", "fighting", "battle", "gunbattle", "firefight", "skirmish", "fight", "exchange"}:
            return BATTLES, "Armed clash"
        return (VAC, "Attack") if (x.dead or 0) > 0 else NONE
    if ev == "COERCE":
        if mode == "arrest":
            return STRATEGIC, "Arrests"
        if _has(x.clause, "weapon_objects") and _has(x.clause, "disrupt_acts"):
            return STRATEGIC, "Disrupted weapons use"
        if mode == "seize" and _has(x.clause, "territory_places") and a_side in ("state", "armed"):
            if _has(words, "peaceful_transfer"):
                return STRATEGIC, "Non-violent transfer of territory"
            return BATTLES, "Government regains territory" if a_side == "state" else "Non-state actor overtakes territory"
        if mode in ("seize", "destroy") and _has(x.clause, "property_objects"):
            if a_side in ("crowd", "protesters"):
                return RIOTS, "Violent demonstration" if _has(words, "protest_context") else "Mob violence"
            return STRATEGIC, "Looting/property destruction"
        return NONE
    if ev in ("AGREE", "COOPERATE", "SUPPORT", "RETREAT") and _has(x.clause, "conflict_agreement"):
        return STRATEGIC, "Agreement"  # ceasefires, truces, peace deals, prisoner exchanges
    if ev in ("AGREE", "COOPERATE", "SUPPORT") and _has(x.clause, "agreement_words") and (
        a_side in ("state", "armed") or _armed_words(words)
    ):
        if ev == "COOPERATE" and _has(x.clause, "group_change"):
            return STRATEGIC, "Change to group/activity"
        return STRATEGIC, "Agreement"
    if ev == "COOPERATE" and a_side == "armed" and _has(x.clause, "group_change"):
        return STRATEGIC, "Change to group/activity"
    if ev == "RETREAT":
        if mode == "ceasefire" or _has(x.clause, "agreement_words") and a_side in ("state", "armed"):
            return STRATEGIC, "Agreement"
        if _has(x.clause, "territory_places") and _has(words, "peaceful_transfer") and a_side in ("state", "armed"):
            return STRATEGIC, "Non-violent transfer of territory"
        if a_side == "armed" or mode in ("disarm",) and a_side in ("state", "armed", None):
            return STRATEGIC, "Change to group/activity"
        return NONE
    if ev == "MOBILIZE" and a_side in ("armed", "state") and _has(x.clause, "base_words"):
        return STRATEGIC, "Headquarters or base established"
    if ev == "REJECT" and a_side == "armed" and _has(x.clause, "group_change"):
        return STRATEGIC, "Change to group/activity"
    return NONE


def _violent_crowd(words: set[str]) -> bool:
    return _has(words, "riot_acts") and not words <= {"set", "block"}


def _armed_words(words: set[str]) -> bool:
    return _has(words, "armed_nouns")


def _property_only(x: AcledInput) -> bool:
    """Violence against things, not people: "burned 60 houses", "set fire to the fields"."""
    if not _has(x.objects, "property_objects") or _has(x.objects, "military_targets"):
        return False
    targets = [r for r in x.recipients if _side_of(r) in ("civilian", None)]
    people = [r for r in targets if not _has(_words(r.entity_text)[-1:], "property_objects")]
    return not people and not (x.clause & {"kill", "killed", "killing", "dead", "injure", "injured", "wound", "wounded"})
