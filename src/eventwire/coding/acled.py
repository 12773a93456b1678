"""ACLED event types and sub-types, decided by ACLED's own distinctions.

ACLED types an event by who did what to whom with what: a battle is fought between two organised,
armed sides; violence against civilians targets people who are not armed (and detention by a
non-state group is an abduction); a riot is a crowd turning violent (a violent demonstration, or
mob violence where there is no demonstration); a protest is a demonstration that stays peaceful
(with intervention when the authorities act on it, excessive force when they use lethal force or
beat it); explosions and remote violence are told by the weapon; strategic developments are the
non-violent acts that change the conflict: arrests by the authorities, looting and destruction of
property, agreements, bases, changes to armed groups, weapons seized or defused, territory
changing hands without a fight.

The word classes these rules read are data (``data/acled_cues.tsv``).  ``input_for`` reads one
coded event candidate into an ``AcledInput``; ``classify`` types it.  Short reports are folded
afterwards by ``eventwire.coding.report``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from eventwire.model import Actor
from eventwire.nlp import sentence_entities
from eventwire.ontology import mode as ontology_mode
from eventwire.words import word_list

if TYPE_CHECKING:
    from spacy.tokens import Token

    from eventwire.coding.coder import EventCandidate

BATTLES = "Battles"
REMOTE = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

STATE_SECTORS = frozenset({"MIL", "COP", "SPY"})
ARMED_SECTORS = frozenset({"REB", "PRM", "UAF", "CRM", "IMG"})
RECIPROCAL_FIGHT = word_list("acled.reciprocal_fight")
PEOPLE_HARM = word_list("acled.people_harm")

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


def words_of(text: str) -> list[str]:
    """Lower-case words of a phrase with their singular forms."""
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


def side(actors: Sequence[Actor], target: bool = False) -> str | None:
    """What kind of party these actors are, in ACLED's terms: ``state`` forces, an organised
    ``armed`` group, ``protesters``, an unorganised ``crowd``, ``civilian`` people or places, or
    None when nothing is said.  As a ``target``, only a named crowd ("the crowd", "protesters")
    counts as a crowd; villagers are civilians."""
    if not actors:
        return None
    kinds = [side_of(a.entity_text, a.sector, target) for a in actors]
    for k in ("state", "armed", "protesters", "crowd", "civilian"):
        if k in kinds:
            return k
    return None


def side_of(text: str, sector: str | None, target: bool = False) -> str | None:
    words = words_of(text)
    head = words[-1] if words else ""
    if sector in STATE_SECTORS:
        return "state"
    if sector == "CRM" and not _has(words, "armed_nouns"):
        return "civilian"  # "suspected thieves", "a robber": criminals, not an armed group
    if sector in ARMED_SECTORS:
        return "armed"
    if _has(words, "armed_modifier") or (_has(words, "armed_nouns") and not _has([head], "civilian_targets")):
        if any(w in ("police", "policeman", "army", "soldier", "troop", "military") for w in words):
            return "state"
        return "armed"
    if _has(words, "protester"):
        return "protesters"
    if _has(words, "crowd_target" if target else "crowd"):
        return "crowd"
    if sector or _has(words, "civilian_targets"):
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
    subject: str = ""  # the subject phrase, when it resolved to no actor ("a mob")

    def subject_words(self) -> set[str]:
        out = set(words_of(self.subject))
        for a in self.actors:
            out.update(words_of(a.entity_text))
        return out


def classify(x: AcledInput) -> Acled:  # noqa: C901 - one rule per ACLED distinction
    """ACLED (event type, sub-type) of one event, or (None, None) where ACLED would not code it."""
    ev, mode = x.event, x.mode
    a_side = side(x.actors) or (side_of(x.subject, None) if x.subject else None)
    r_side = side(x.recipients, target=True) or (
        "civilian" if _has(x.objects, "civilian_targets") and not _has(x.objects, "military_targets") else None
    )
    words = x.sentence | x.clause
    if a_side == "crowd" and x.ethnic:
        a_side = "armed"  # "Pokot youths", "Kikuyu warriors": an identity militia, organised and armed
    if r_side == "crowd" and x.ethnic:
        r_side = "armed"
    fight = bool(x.clause & RECIPROCAL_FIGHT)
    if ev == "PROTEST":
        if (mode or "").startswith("riot") or (a_side in ("crowd", "protesters") and _violent_crowd(x.clause)):
            return RIOTS, "Violent demonstration"
        return PROTESTS, "Peaceful protest"
    if a_side == "state" and ev in ("ASSAULT", "COERCE") and _has(words, "protest_demo") and r_side in (None, "crowd", "protesters"):
        # the authorities acting on a demonstration
        if _violent_crowd(words - x.clause) or words & {"rioter", "rioting", "riot"}:
            return RIOTS, "Violent demonstration"
        if mode == "arrest" and not _has(x.clause - {"arrest", "detain", "arrested", "detained"}, "intervention"):
            return STRATEGIC, "Arrests"
        if (x.dead or 0) > 0 or _has(x.clause, "lethal") or mode == "beat":
            return PROTESTS, "Excessive force against protesters"
        return PROTESTS, "Protest with intervention"
    if x.territory and ev == "ASSAULT":
        if _has(words, "peaceful_transfer") and not (x.dead or 0) and not (words & RECIPROCAL_FIGHT) and "fire" not in words:
            return STRATEGIC, "Non-violent transfer of territory"
        return BATTLES, "Government regains territory" if a_side == "state" else "Non-state actor overtakes territory"
    if ev == "ASSAULT" or (ev == "COERCE" and mode in ("abduct", "destroy")):
        if mode == "crowd-control" and a_side in ("state", None):
            return PROTESTS, "Protest with intervention"
        decided = ontology_mode("ASSAULT", mode)
        if decided is not None and decided.acled_type:  # the weapon or the act decides it
            return decided.acled_type, decided.acled_sub_type
        if _has(x.clause, "sexual"):
            return VAC, "Sexual violence"
        if a_side in ("crowd", "protesters"):
            if a_side == "protesters" or (_has(words, "protest_context") and not fight):
                return RIOTS, "Violent demonstration"
            return RIOTS, "Mob violence"
        if a_side == "state" and r_side in ("crowd", "protesters"):
            if (x.dead or 0) > 0 or _has(x.clause, "lethal"):
                return PROTESTS, "Excessive force against protesters"
            return PROTESTS, "Protest with intervention"
        if (mode == "destroy" or _property_only(x)) and not (x.dead or 0):
            return STRATEGIC, "Looting/property destruction"
        if fight and len(x.actors) >= 2 and r_side is None:
            return BATTLES, "Armed clash"  # "Pokomo and Orma militias fought"
        if r_side == "civilian":
            return VAC, "Attack"
        if r_side in ("state", "armed", "crowd", "protesters"):
            return BATTLES, "Armed clash"
        if fight:
            return BATTLES, "Armed clash"
        if a_side in ("state", "armed"):
            if (x.dead or 0) > 0 and _has(x.clause - x.subject_words(), "civilian_targets"):
                return VAC, "Attack"
            return BATTLES, "Armed clash"
        return (VAC, "Attack") if (x.dead or 0) > 0 else NONE
    if ev == "COERCE":
        if mode == "arrest":
            if a_side == "armed":
                return VAC, "Abduction/forced disappearance"  # a non-state group's "detention"
            return STRATEGIC, "Arrests"
        if _has(x.objects, "weapon_objects") and _has(x.clause, "disrupt_acts"):
            return STRATEGIC, "Disrupted weapons use"
        if mode == "seize" and r_side == "civilian" and not _has(x.objects, "property_objects") and not _has(x.objects, "territory_places"):
            return VAC, "Abduction/forced disappearance"  # "gunmen seized a pilot"
        if mode == "seize" and _has(x.objects, "territory_places") and a_side in ("state", "armed"):
            if _has(words, "peaceful_transfer"):
                return STRATEGIC, "Non-violent transfer of territory"
            return BATTLES, "Government regains territory" if a_side == "state" else "Non-state actor overtakes territory"
        if mode in ("seize", "destroy") and _has(x.objects | x.clause, "property_objects"):
            if a_side in ("crowd", "protesters"):
                return RIOTS, "Violent demonstration" if _has(words, "protest_context") else "Mob violence"
            return STRATEGIC, "Looting/property destruction"
        return NONE
    if ev in ("AGREE", "COOPERATE", "SUPPORT", "RETREAT", "CONCEDE") and _has(x.clause, "conflict_agreement"):
        return STRATEGIC, "Agreement"  # ceasefires, truces, peace deals, prisoner exchanges
    if ev in ("AGREE", "COOPERATE", "SUPPORT") and _has(x.clause, "agreement_words") and (
        a_side in ("state", "armed") or _has(words, "armed_nouns")
    ):
        return STRATEGIC, "Agreement"
    if ev == "AGREE" and len(x.actors) >= 2 and (x.ethnic or a_side == "armed" or _has(words, "armed_nouns")):
        return STRATEGIC, "Agreement"  # two communities' or armed groups' elders agree
    if ev in ("COOPERATE", "REJECT") and _has(x.clause, "group_change") and (
        a_side == "armed" or _has(words, "group_nouns")
    ):
        return STRATEGIC, "Change to group/activity"
    if ev == "RETREAT":
        if mode == "ceasefire":
            return STRATEGIC, "Agreement"
        if _has(x.objects | x.clause, "territory_places") and _has(words, "peaceful_transfer") and a_side in ("state", "armed"):
            return STRATEGIC, "Non-violent transfer of territory"
        if a_side == "armed" or (mode == "disarm" and a_side in ("state", "armed", None)):
            return STRATEGIC, "Change to group/activity"
        return NONE
    if ev == "MOBILIZE" and a_side in ("armed", "state", None) and _has(x.objects, "base_words"):
        return STRATEGIC, "Headquarters or base established"
    return NONE


def _violent_crowd(words: set[str]) -> bool:
    return _has(words - {"set", "block", "attack"}, "riot_acts")


def _property_only(x: AcledInput) -> bool:
    """Violence against things, not people: "burned 60 houses", "set fire to the fields"."""
    if not _has(x.objects, "property_objects") or _has(x.objects, "military_targets"):
        return False
    people = [r for r in x.recipients if side_of(r.entity_text, r.sector, True) not in ("civilian", None)]
    return not people and not (x.clause & PEOPLE_HARM)


# -- reading a candidate -------------------------------------------------------------------------
def input_for(cand: EventCandidate, dead: int | None) -> AcledInput:
    """The ACLED view of a coded event candidate (its parse is still at hand)."""
    subject = ""
    if not cand.actor:
        for t in cand.match.tokens:
            subj = [c for c in t.children if c.dep_ in ("nsubj", "agent")]
            if subj:
                head = subj[0] if subj[0].dep_ == "nsubj" else next((g for g in subj[0].children if g.dep_ == "pobj"), subj[0])
                subject = " ".join(x.text for x in head.subtree if x.dep_ not in ("relcl", "acl"))
                break
    return AcledInput(
        cand.event,
        cand.mode,
        cand.actor,
        cand.recipient,
        clause=_clause_words(cand),
        sentence=_words(cand.sentence),
        dead=dead,
        territory=cand.territory,
        ethnic=_ethnic_party(cand),
        objects=_object_words(cand),
        subject=subject,
    )


def _words(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(t.lemma_.lower())
    return out


def _clause_words(cand: EventCandidate) -> set[str]:
    """Words of the trigger's own clause: its subtree, and the verb it hangs on for a noun."""
    toks: list[Token] = []
    for t in cand.match.tokens:
        toks.extend(t.subtree)
        if t.pos_ in ("NOUN", "PROPN") and t.head.pos_ == "VERB":
            toks.append(t.head)
            toks.extend(c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "prt"))
    return _words(toks)


def _object_words(cand: EventCandidate) -> set[str]:
    """Words of the act's objects: what was hit, burned or taken."""
    toks: list[Token] = []
    for t in cand.match.tokens:
        for c in t.children:
            if c.dep_ in ("dobj", "nsubjpass", "attr"):
                toks.extend(c.subtree)
            elif c.dep_ == "prep" and c.lower_ in ("to", "on", "at", "against", "into", "of"):
                toks.extend(c.subtree)
    return _words(toks)


def _ethnic_party(cand: EventCandidate) -> bool:
    """An ethnic or communal group is named as a party ("Pokot raiders", "Kikuyu youths")."""
    spans = [(a.start, a.end) for a in (*cand.actor, *cand.recipient) if a.start is not None and a.end is not None]
    for ent in sentence_entities(cand.sentence):
        if ent.label_ == "NORP" and any(s <= ent.start_char and ent.end_char <= e for s, e in spans):
            return True
    return False
