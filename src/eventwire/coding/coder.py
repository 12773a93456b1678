"""Sentence-level event coding over the dependency parse.

For every sentence the coder finds trigger words (``lexicon``), decides which of them denote an
event of their own (a verb that governs another trigger, "agreed to hold talks", keeps the event;
a casualty verb attached to an attack noun, "an attack which killed two", is that attack's
casualty report, not a second event; an anaphoric noun, "the airstrikes", is a reference to an
event already reported), applies the governing verb's meaning (intent, refusal, denial, reported
speech) and picks actor and recipient phrases from the syntax (subject, agent of a passive,
object, prepositional objects, possessives and nationality modifiers of event nouns).

The result is a list of ``EventCandidate`` records holding the trigger tokens; the pipeline
attaches dates, places and casualty counts through the time, geo and size stages, and the
discourse step merges candidates that describe one happening.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from eventwire.coding import modality
from eventwire.coding.actors import ActorResolver, DocActors, expand_conjuncts
from eventwire.coding.lexicon import (
    LexEntry,
    Lexicon,
    TriggerMatch,
    lemma_is_support_verb,
    load_lexicon,
)
from eventwire.coding.modality import auxiliary_modes
from eventwire.model import Actor
from eventwire.nlp import sentence_entities
from eventwire.ontology import event_type, ontology, types_with, weapon_modes
from eventwire.words import word_list, word_map

# Word lists: eventwire/data/words/coder.*.txt (eventwire.words).  "warn" is a speech verb for
# modality, but for the coder a warning is the THREATEN event itself (not in coder.speech_verbs).
SPEECH_VERBS = word_list("coder.speech_verbs")
TRANSPARENT_VERBS = word_list("coder.transparent_verbs")
INTENT_VERBS = word_list("coder.intent_verbs")
HYPOTHETICAL_VERBS = word_list("coder.hypothetical_verbs")
NEGATING_VERBS = word_list("coder.negating_verbs")
CASUALTY_LEMMAS = word_list("coder.casualty_lemmas")
ANAPHORIC_DETS = word_list("coder.anaphoric_dets")
# Heads of quantity phrases that the parser may take for the root of a whole sentence ("Hundreds of
# teachers protested": "protested" becomes a modifier of "Hundreds").
QUANTITY_NOUNS = word_list("coder.quantity_nouns")
MOTIVE_NOUNS = word_list("coder.motive_nouns")
SUBORDINATING_PREPS = word_list("coder.subordinating_preps")
# what each type does (eventwire.ontology, data/ontology_types.tsv)
COOPERATIVE_TYPES = types_with("cooperative")
CONFLICT_MATERIAL_TYPES = types_with("conflict")
GROUP_MODIFIERS = word_list("coder.group_modifiers")
ORGANIZING_VERBS = word_list("coder.organizing_verbs")
# Intransitive verbs that report an event noun as having happened: "clashes erupted", "fighting
# raged", "explosions rocked Kirkuk".
OCCURRENCE_VERBS = word_list("coder.occurrence_verbs")
DOCUMENT_NOUNS = word_list("coder.document_nouns")
STANCE_PASSIVES = word_list("coder.stance_passives")
REFUSABLE_TYPES = types_with("refusable")
RECIPROCAL_TYPES = types_with("reciprocal")
PRONOUNS = word_list("coder.pronouns")
RECIPIENT_PREPS = {t: ontology().types[t].recipient_preps for t in ontology().types}
WEAPON_MODES = word_map("coder.weapon_modes")
MODE_PRIORITY = weapon_modes("ASSAULT")
TERRITORY_WORDS = word_list("coder.territory_words")


@dataclass
class EventCandidate:
    """A trigger judged to denote an event, with its syntactic arguments."""

    match: TriggerMatch
    event: str
    mode: str | None
    cameo: str | None
    context: list[str]
    actor: list[Actor]
    recipient: list[Actor]
    aux_modes: list[str] = field(default_factory=list)
    speaker: Actor | None = None
    reciprocal: bool = False
    territory: bool = False
    anchor_tokens: list[Token] = field(default_factory=list)  # tokens that say the same thing
    confidence: float = 0.5

    @property
    def trigger(self) -> Token:
        return self.match.token

    @property
    def sentence(self) -> Span:
        return self.match.token.sent

    @property
    def main_clause(self) -> bool:
        """True unless the trigger sits in a subordinate phrase ("in response to X", "following X")."""
        tok = self.trigger
        for _ in range(8):
            if tok.dep_ in ("ROOT",):
                return True
            if tok.lemma_.lower() in MOTIVE_NOUNS and tok is not self.trigger:
                return False  # "in retaliation for Sunday's attack": the motive, told in passing
            if tok.dep_ == "pobj" and tok.head.lower_ in SUBORDINATING_PREPS | {"to"}:
                return False
            if tok.dep_ in ("relcl", "acl", "advcl", "poss") and self.match.nominal:
                return False
            tok = tok.head
        return True

    def text(self) -> list[str]:
        return [" ".join(t.text for t in self.match.tokens)]


class EventCoder:
    """Codes the events of a parsed document, sentence by sentence."""

    def __init__(self, lexicon: Lexicon | None = None, actors: ActorResolver | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.actors = actors or ActorResolver()

    # -- public API ---------------------------------------------------------------------------
    def code(self, doc: Doc, default_country: str | None = None) -> list[EventCandidate]:
        """Events of a parsed document.  ``default_country`` (alpha-3), where the caller knows
        where the report is set (its dateline, its places), codes unnamed local actors
        ("police officers"); without it the country the text names most often is used."""
        context = DocActors.from_doc(doc, self.actors)
        if default_country:
            context.default_code = default_country
        out: list[EventCandidate] = []
        for sent in doc.sents:
            out.extend(self.code_sentence(sent, context))
        return out

    def code_sentence(self, sent: Span, context: DocActors | None = None) -> list[EventCandidate]:
        context = context if context is not None else DocActors()
        self._observe_actors(sent, context)
        matches = self._matches(sent)
        if not any(not m.nominal for m in matches):
            headline = self._headline_events(sent, context)
            if headline:
                return headline
        if not matches:
            fallback = self._casualty_report(sent, context)
            return [fallback] if fallback is not None else []
        by_token = {m.token.i: m for m in matches}
        candidates: list[EventCandidate] = []
        subsumed: dict[int, list[TriggerMatch]] = {}
        for m in matches:
            gov = self._governor(m, by_token)
            if gov is not None:
                subsumed.setdefault(gov.token.i, []).append(m)
        for m in matches:
            if _issues_document_that_acts(m, by_token):
                continue  # "passed a motion demanding ...": the demand is the event
            if any(m in lst for lst in subsumed.values()):
                continue
            if _conditional_clause(m.token):
                continue  # "... if they do not disarm": a condition, not a report
            if m.nominal and not self._substantive_noun(m, by_token):
                continue
            if m.token.lemma_.lower() in CASUALTY_LEMMAS and self._linked_to_attack(m, matches):
                continue
            cand = self._candidate(m, by_token, subsumed.get(m.token.i, []), context)
            if cand is not None:
                candidates.append(cand)
        if not any(c.event == "ASSAULT" for c in candidates):
            fallback = self._casualty_report(sent, context)
            if fallback is not None:
                candidates.append(fallback)
        candidates.extend(self._inaction(sent, context, candidates))
        return candidates

    # -- the authorities failing to act --------------------------------------------------------------
    def _inaction(self, sent: Span, context: DocActors, found: list[EventCandidate]) -> list[EventCandidate]:
        """Security forces reported as not acting: "police failed to stop the arson", "officers did
        nothing", "took no action", "refused to register complaints", "stood by as the mob looted".
        Coded as their coercion with the auxiliary mode ``negation`` (an act that did not happen),
        so that what the authorities failed to do is on record beside what others did."""
        out: list[EventCandidate] = []
        violence_by_others = any(
            c.event in ("ASSAULT", "PROTEST") or c.mode in ("destroy", "seize") for c in found
        )
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX"):
                continue
            lemma = tok.lemma_.lower()
            kids = list(tok.children)
            neg = any(c.dep_ == "neg" for c in kids) or any(
                c.dep_ == "dobj" and any(g.lower_ in ("no", "nothing") or g.dep_ == "neg" for g in (c, *c.children))
                for c in kids
            )
            inaction = False
            if lemma in ("fail", "refuse", "decline") and any(
                c.dep_ == "xcomp" and c.lemma_.lower() in INACTION_ACTS for c in kids
            ):
                inaction = True  # "failed to stop", "refused to register"
            elif lemma in ("do", "take") and neg:
                inaction = True  # "did nothing", "took no action"
            elif lemma in INACTION_ACTS and neg and tok.dep_ in ("ROOT", "conj", "ccomp", "advcl"):
                inaction = True  # "did not intervene"
            elif lemma in ("stand", "look") and any(c.dep_ in ("prt", "prep", "advmod") and c.lower_ in ("by", "on") and not list(c.children) for c in kids):
                inaction = violence_by_others or any(c.dep_ == "advcl" for c in kids)  # "stood by as the mob ..."
            elif lemma in ("watch", "flee", "wait") and (violence_by_others or any(c.dep_ == "advcl" for c in kids)):
                inaction = tok.dep_ in ("ROOT", "advcl", "conj")
            if not inaction:
                continue
            subj = _subjects(tok)
            actors = [a for a in self._resolve_all(subj, context, subject=True) if a.sector in ("COP", "MIL", "GOV", "SPY")]
            if not actors:
                continue
            entry = LexEntry("v", lemma, frozenset(), "COERCE", None, "17", "crime", "rule")
            out.append(
                EventCandidate(
                    match=TriggerMatch(tok, (), entry), event="COERCE", mode=None, cameo="17",
                    context=["crime"], actor=actors, recipient=[], aux_modes=["negation"], confidence=0.5,
                )
            )
        return out

    # -- casualty reports the parser could not read ----------------------------------------------
    def _casualty_report(self, sent: Span, context: DocActors) -> EventCandidate | None:
        """An ASSAULT read from the words alone when the parse is unusable, as it often is in
        headlines ("IS kills at least 23 tribesmen near Ramadi", "Some 70 fighters killed, 35
        injured"): a casualty word with a count or a victim noun next to it."""
        toks = list(sent)
        for k, tok in enumerate(toks):
            word = tok.lower_
            if word not in ACTIVE_CASUALTY_WORDS and word not in PASSIVE_CASUALTY_WORDS:
                continue
            left = _phrase_before(toks, k, skip_aux=word in PASSIVE_CASUALTY_WORDS)
            right = _phrase_after(toks, k + 1)
            if any(t.lower_ in ("no", "not", "never", "deny", "denied", "denies") for t in toks[max(0, k - 4) : k]):
                return None  # "no one was killed", "denied killing"
            if any(t.lower_ in ("if", "could", "would", "may", "might", "will", "threatens", "threatened") for t in toks[max(0, k - 5) : k]):
                return None
            actor_toks: list[Token] = []
            victim_toks: list[Token] = []
            if word in ACTIVE_CASUALTY_WORDS:
                actor_toks, victim_toks = left, right
            else:
                victim_toks = left
                if k + 1 < len(toks) and toks[k + 1].lower_ == "by":
                    actor_toks = _phrase_after(toks, k + 2)
            counted = any(t.like_num or t.ent_type_ == "CARDINAL" or t.lower_ in COUNT_WORDS for t in victim_toks)
            if not counted and not any(t.pos_ in ("NOUN", "PROPN") for t in victim_toks):
                continue
            actor = self._span_actor(actor_toks, context)
            victim = self._span_actor(victim_toks, context)
            lemmas = {t.lemma_.lower() for t in toks} | {t.lower_ for t in toks}
            armed = {a.sector for a in (actor, victim) if a is not None} & ARMED_SECTORS_FALLBACK
            if not (lemmas & VIOLENCE_CUES or lemmas & WEAPON_MODES.keys() or armed):
                return None  # "Iraq's oldest man dead at 112", "flu kills 12"
            entry = LexEntry("v", "kill", frozenset(), "ASSAULT", None, "190", "military")
            m = TriggerMatch(tok, (), entry)
            actors = [actor] if actor is not None and (actor.code or actor.sector) else []
            recipients = [victim] if victim is not None and (victim.code or victim.sector) else []
            words = [t.lemma_.lower() for t in toks] + [t.lower_ for t in toks]
            found = {WEAPON_MODES[w] for w in words if w in WEAPON_MODES}
            if "suicide" in words:
                found.add("suicide-attack")
            mode = next((c for c in MODE_PRIORITY if c in found), None)
            return EventCandidate(
                match=m, event="ASSAULT", mode=mode, cameo="190", context=["military"],
                actor=actors, recipient=recipients, confidence=0.45,
            )
        return None

    def _headline_events(self, sent: Span, context: DocActors) -> list[EventCandidate]:
        """A verbless headline whose verb the tagger read as a noun ("Libyan army shells militia
        positions outside Sirte", "Gunmen kidnap 9 teachers in Mandera: police"): a lower-case word
        in a verb's present-tense form between two noun phrases is the verb, the phrase before it
        the actor and the phrase after it the recipient."""
        toks = list(sent)
        if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in toks):
            return []
        for k, tok in enumerate(toks):
            if k == 0 or not tok.is_lower or not tok.is_alpha or tok.ent_type_:
                continue
            entry = self.lexicon.verb_entry(tok.lower_)
            if entry is None:
                continue
            left = _phrase_before(toks, k, skip_aux=False)
            right = _phrase_after(toks, k + 1)
            if not left or not right or not any(t.pos_ in ("NOUN", "PROPN", "NUM") for t in right):
                continue
            actor = self._span_actor(left, context)
            victim = self._span_actor(right, context)
            actors = [actor] if actor is not None and (actor.code or actor.sector) else []
            recipients = [victim] if victim is not None and (victim.code or victim.sector) else []
            if not actors and not recipients:
                continue
            mode = entry.mode
            if entry.event == "ASSAULT":
                words = [t.lemma_.lower() for t in toks] + [t.lower_ for t in toks]
                found = {WEAPON_MODES[w] for w in words if w in WEAPON_MODES}
                mode = next((c for c in MODE_PRIORITY if c in found), mode)
            m = TriggerMatch(tok, (), entry, headline_verb=True)
            return [
                EventCandidate(
                    match=m, event=entry.event, mode=mode, cameo=entry.cameo,
                    context=[entry.context] if entry.context else [],
                    actor=actors, recipient=recipients, confidence=0.5,
                )
            ]
        return []

    def _span_actor(self, toks: list[Token], context: DocActors) -> Actor | None:
        if not toks:
            return None
        doc = toks[0].doc
        span = doc[toks[0].i : toks[-1].i + 1]
        return self.actors.resolve(span, context)

    # -- trigger selection --------------------------------------------------------------------
    def _matches(self, sent: Span) -> list[TriggerMatch]:
        found: list[TriggerMatch] = []
        for tok in sent:
            m = self.lexicon.match(tok)
            if m is None or not self._usable_trigger(m):
                continue
            found.append(m)
        extras = {t.i for m in found for t in m.extra}
        heads: dict[int, TriggerMatch] = {}
        for m in found:
            if m.token.i in extras and not m.extra:
                continue  # the object of a light verb: "launched strikes" is one trigger
            if m.token.i in heads:
                continue
            heads[m.token.i] = m
        return list(heads.values())

    @staticmethod
    def _usable_trigger(m: TriggerMatch) -> bool:
        tok = m.token
        for x in m.extra:
            if x.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("this", "that", "these", "those") for c in x.children):
                return False  # "carried out this attack": a reference to an event already told
        if tok.dep_ in ("amod", "compound") and not m.nominal:
            return False  # "Iran-backed"
        if (
            not m.nominal
            and tok.dep_ == "acl"
            and not any(c.dep_.startswith("nsubj") for c in tok.children)
            and tok.head.lemma_.lower() not in DOCUMENT_NOUNS
            and not (
                tok.tag_ in ("VBD", "VBN") and tok.head.dep_ == "ROOT" and tok.head.lemma_.lower() in QUANTITY_NOUNS
                and not any(t.pos_ in ("VERB", "AUX") and t.i != tok.i and t.dep_ != "acl" for t in tok.sent)
            )
        ):
            return False  # participial modifier: "bases hosting US forces" (but "a resolution demanding")
        if not m.nominal and tok.tag_ == "VBN" and tok.dep_ == "amod":
            return False
        # not "attack helicopter", "strike force"
        return not (m.nominal and tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN") and not m.extra)

    def _governor(self, m: TriggerMatch, by_token: dict[int, TriggerMatch]) -> TriggerMatch | None:
        """The trigger that dominates ``m`` through a complement clause, if any."""
        tok = m.token
        # a purpose clause of the same kind: "met ... to discuss water sharing" is one meeting
        if tok.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            head_match = by_token.get(tok.head.i)
            if head_match is not None and head_match.entry.event == m.entry.event:
                return head_match
            # "staged street demonstrations to demand better pay": the demand is the protest's
            if head_match is not None and m.entry.event == "REQUEST" and head_match.entry.event == "PROTEST":
                return head_match
            # "appealed for 140 million dollars to support refugees": what is asked for
            if head_match is not None and head_match.entry.event in ("REQUEST", "THREATEN", "AGREE", "REJECT"):
                return head_match
            # "staged demonstrations to demand reforms": the demand is what the protest is about
            if m.entry.event == "REQUEST":
                for c in tok.head.children:
                    obj = by_token.get(c.i)
                    if c.dep_ == "dobj" and obj is not None and obj.entry.event == "PROTEST":
                        return obj
        # "the union accused the ministry of breaking the wage deal": one accusation
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.i in by_token:
            gov = by_token[tok.head.head.i]
            if gov.entry.event == m.entry.event and gov is not m:
                return gov
        for _ in range(4):
            if tok.dep_ not in ("xcomp", "ccomp", "pcomp", "conj_", "dobj") or tok.head == tok:
                return None
            head = tok.head
            if head.i in by_token and head.i != m.token.i:
                gov = by_token[head.i]
                if tok.dep_ == "dobj" and not m.nominal:
                    return None
                if tok.dep_ == "dobj" and gov.entry.event == m.entry.event:
                    return gov
                if tok.dep_ == "dobj":
                    return None
                return gov
            if head.lemma_.lower() in TRANSPARENT_VERBS | INTENT_VERBS | NEGATING_VERBS:
                tok = head
                continue
            if tok.dep_ == "dobj" and m.nominal and lemma_is_support_verb(head):
                tok = head  # "agreed to open negotiations": the talks are what was agreed
                continue
            return None
        return None

    def _substantive_noun(self, m: TriggerMatch, by_token: dict[int, TriggerMatch]) -> bool:
        """An event noun is coded only when it carries facts of its own, not as a bare reference."""
        tok = m.token
        if m.extra and any(t.pos_ == "VERB" for t in m.extra):
            return True
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "in" and tok.lower_ in ("protest", "retaliation", "response"):
            return False  # "a strike in protest of the arrests": the motive of another event
        # subject of a copula or of a reporting verb: "US attacks are a hostile act"
        if tok.dep_ == "nsubj" and head.lemma_ == "be":
            return False
        has_date = any(t.ent_type_ in ("DATE", "TIME") for t in tok.subtree)
        has_casualty_clause = any(
            c.dep_ in ("relcl", "acl") and c.lemma_.lower() in CASUALTY_LEMMAS for c in tok.children
        )
        subj_of_casualty = tok.dep_ == "nsubj" and head.lemma_.lower() in CASUALTY_LEMMAS
        in_casualty_pp = (
            tok.dep_ == "pobj"
            and head.dep_ in ("prep", "agent")
            and head.lower_ in ("in", "by", "during")
            and head.head.lemma_.lower() in CASUALTY_LEMMAS | {"die", "hurt"}
        )
        det = next((c.lower_ for c in tok.children if c.dep_ in ("det", "poss")), None)
        indefinite = det in ("a", "an", "another") or (det is None and tok.tag_ == "NN")
        has_agent = any(
            (c.dep_ in ("poss", "amod", "compound") and (c.ent_type_ in ("GPE", "NORP", "ORG")))
            or (c.dep_ == "prep" and c.lower_ == "by")
            for c in tok.children
        )
        has_target = any(c.dep_ == "prep" and c.lower_ in ("on", "against", "of", "at") for c in tok.children)
        if tok.dep_ == "dobj" and head.lemma_.lower() == "claim" and det not in ANAPHORIC_DETS:
            return True  # "IS claims attack on training camp": the claimed attack happened
        if (
            tok.dep_ == "nsubj"
            and tok.tag_ == "NNS"
            and det is None
            and any(t.lower_ in ("toll", "dead", "killed", "casualties") for t in tok.sent)
        ):
            return True  # headline: "Fresh market bombings raise weekend toll to 19"
        if tok.dep_ == "dobj" and _lemma_in(head, ORGANIZING_VERBS) and det not in ANAPHORIC_DETS:
            return True  # "staged mass demonstrations", "launched an offensive"
        if has_casualty_clause or subj_of_casualty:
            return True
        if in_casualty_pp:
            return True
        # "killed 29 PKK militants in air strikes" (the prepositional phrase hangs on the victims)
        if (
            tok.dep_ == "pobj" and head.dep_ == "prep" and head.head.dep_ == "dobj"
            and head.head.head.pos_ == "VERB" and head.head.head.lemma_.lower() in CASUALTY_LEMMAS
        ):  # fmt: skip
            return True
        if tok.dep_ == "nsubj" and head.pos_ == "VERB" and head.lemma_.lower() in OCCURRENCE_VERBS:
            return True  # "clashes erupted in west Iraq", "explosions rocked Kirkuk"
        if det in ANAPHORIC_DETS and not has_date:
            return False
        if has_date and (has_agent or has_target or m.entry.event != "ASSAULT"):
            return True
        if has_date and det not in ANAPHORIC_DETS and tok.tag_ == "NN":
            return True
        return bool(indefinite and has_agent and has_target)

    def _linked_to_attack(self, m: TriggerMatch, matches: list[TriggerMatch]) -> bool:
        """A casualty verb that reports the toll of another attack trigger in the sentence."""
        kill = m.token
        others = [
            o for o in matches
            if o is not m and o.entry.event == "ASSAULT" and o.token.lemma_.lower() not in CASUALTY_LEMMAS
        ]
        head = kill.head
        if kill.dep_ == "conj" and head.lemma_.lower() in CASUALTY_LEMMAS:
            return True  # "killed and wounded": one report, coded once at the first verb
        if not others:
            return False
        other_tokens = {o.token.i for o in others}
        # "attack on the base, which killed": relative clause inside the attack's phrase
        if kill.dep_ in ("relcl", "acl", "advcl"):
            for o in others:
                if kill.head.i == o.token.i or (kill.head in o.token.subtree and _distance(o.token, kill) <= 4):
                    return True
        # "the attack killed", "killed in an airstrike", "killed by a bomb" (but not "killed
        # the commanders over an attack": the motive is another event)
        for sub in kill.subtree:
            if sub.i in other_tokens and _distance(kill, sub) <= 3 and not any(
                a.dep_ == "prep" and a.lower_ in SUBORDINATING_PREPS
                for a in sub.ancestors
                if a.i != kill.i and kill in a.ancestors
            ):
                return True
        # coordinated casualty verbs of one report: "were killed and injured in an airstrike"
        for conj in kill.conjuncts:
            for sub in conj.subtree:
                if sub.i in other_tokens:
                    return True
        return False

    # -- arguments -----------------------------------------------------------------------------
    def _candidate(  # noqa: C901 - one filter per kind of false trigger, each with its example
        self,
        m: TriggerMatch,
        by_token: dict[int, TriggerMatch],
        subsumed: list[TriggerMatch],
        context: DocActors,
    ) -> EventCandidate | None:
        entry = m.entry
        tok = m.token
        event = entry.event
        mode = entry.mode
        aux = list(auxiliary_modes(tok)) if not m.nominal else _noun_modes(tok)
        chain = _governing_chain(tok)
        speaker_tok = next((h for h in chain if h.lemma_.lower() in SPEECH_VERBS), None)
        control = _control_chain(tok)
        intent = any(h.lemma_.lower() in INTENT_VERBS for h in control)
        if any(h.lemma_.lower() in HYPOTHETICAL_VERBS for h in control) and "hypothetical" not in aux:
            aux.append("hypothetical")
        if any(h.lemma_.lower() in NEGATING_VERBS for h in control) and "negation" not in aux:
            aux.append("negation")
        if intent and "future" not in aux:
            aux.append("future")

        if m.nominal:
            actors, recipients = self._noun_arguments(m, context)
        else:
            actors, recipients = self._verb_arguments(m, event, context)
        actors = [a for a in actors if a.code or a.sector]
        pair_subject = not actors and any(_PAIR_RE.match(noun_phrase(t).text) for t in _subjects(tok))
        if pair_subject and context.last_pair:
            actors = [copy.copy(a) for a in context.last_pair]  # "the two sides agreed"
        speaker = None
        if speaker_tok is not None:
            speaker = self._first_actor(_subjects(speaker_tok), context)
        if not actors and speaker is not None and (
            event in ("ACCUSE", "THREATEN", "REQUEST", "REJECT")
            or any(t.lower_ in PRONOUNS for t in _subjects(tok))
        ):
            actors = [speaker]  # "Hungary said it will support ...": the speaker is the actor
        if not recipients:
            for sub in subsumed:
                if sub.nominal:
                    _, recipients = self._noun_arguments(sub, context)
                else:
                    _, recipients = self._verb_arguments(sub, event, context)
                if recipients:
                    break

        # a verb known only from the derived dictionary's default code ("serve", "conduct") is an
        # event only between two named parties, as in the dictionary's own coder; a pattern
        # match needs one party
        if entry.origin == "default" and not (actors and recipients):
            return None
        if entry.origin == "pattern" and not (actors or recipients):
            return None
        if entry.origin in ("default", "pattern") and not _reported_act(tok, aux):
            return None  # "troops assisting Iraqi forces", "the US leads the coalition": a state of affairs
        if m.token.lemma_.lower() == "take" and event == "THREATEN" and "future" not in aux:
            return None  # "took action": whatever was done is told elsewhere
        # "X said Y must reach an agreement": X demands it of Y
        if (
            speaker is not None
            and event not in ("REQUEST", "THREATEN", "ACCUSE")
            and _obliged(tok)
            and "negation" not in aux
        ):
            recipients = [a for a in actors if a is not speaker] or recipients
            actors = [speaker]
            event, mode = "REQUEST", None
            aux = [a for a in aux if a not in ("future", "hypothetical")]
        # "will not accept refugees", "refused ... did not allow": a refusal, not a negated deal
        if (
            event in REFUSABLE_TYPES
            and not m.nominal
            and any(c.dep_ == "neg" for c in tok.children)
            and not any(h.lemma_.lower() in NEGATING_VERBS for h in control)
        ):
            event, mode = "REJECT", None
            aux = [a for a in aux if a not in ("negation", "future", "hypothetical")]
        # a future/intended act of cooperation is AGREE; of material conflict, THREATEN
        if ("future" in aux or "hypothetical" in aux) and not _conditional_clause(tok):
            converted = False
            if _has_unless_clause(tok) and event not in ("AGREE", "REQUEST", "THREATEN"):
                # "will withdraw its troops unless ...": an act held over the other side
                event, mode, converted = "THREATEN", _threat_mode(event), True
            elif event in COOPERATIVE_TYPES:
                event, mode, converted = "AGREE", None, True
            elif event in CONFLICT_MATERIAL_TYPES and "negation" not in aux:
                event, mode, converted = "THREATEN", _threat_mode(event), True
            if converted:  # the promise or threat itself is what happened
                aux = [a for a in aux if a not in ("future", "hypothetical")]
        if event == "THREATEN":  # a threat speaks of the future by nature; the threat is now
            aux = [a for a in aux if a not in ("future", "hypothetical")]

        if event == "ASSAULT" and not m.nominal:
            victims = self._resolve_all(_casualty_victims(tok), context, deep=True)
            victims = [v for v in victims if v.code or v.sector]
            if victims:
                recipients = victims  # the people killed, rather than the base that was hit
        territory = event == "ASSAULT" and _takes_territory(m)
        if event == "ASSAULT":
            # a place taken is told by who holds it, not by a weapon the lexicon assumes
            mode = self._weapon_mode(m, actors, None if territory else mode)

        if event == "COERCE" and mode in (None, "restrict", "martial-law") and _lemma_in(tok, BLOCKADE_WORDS) and any(
            a.sector in ("CVL", "EDU", "LAB", "AGR", "BUS", "OPP") for a in actors
        ):
            event, mode = "PROTEST", "obstruct"  # "protesters kept up road blockades"
        if event == "COERCE" and mode in ("restrict", "ban") and _foreign_imposition(actors, recipients):
            event, mode = "SANCTION", None  # "the EU imposed travel bans on Belarusian officials"

        # a party is not its own target ("guerrillas who overran it": "it" is the village)
        spans = {(a.start, a.end) for a in actors if a.start is not None}
        recipients = [r for r in recipients if r.start is None or (r.start, r.end) not in spans]
        reciprocal = False
        if event in RECIPROCAL_TYPES and len(actors) >= 2 and not recipients:
            reciprocal = True
        if event in RECIPROCAL_TYPES and actors and (recipients or len(actors) >= 2):
            context.last_pair = [*actors, *recipients][:4]

        conf = 0.55
        if m.extra:
            conf += 0.15
        if not m.nominal:
            conf += 0.05
        if any(a.code for a in actors):
            conf += 0.1
        if any(a.code for a in recipients):
            conf += 0.05
        if aux:
            conf -= 0.05
        contexts = [entry.context] if entry.context else []
        return EventCandidate(
            match=m,
            event=event,
            mode=mode,
            cameo=entry.cameo,
            context=contexts,
            actor=actors,
            recipient=recipients,
            aux_modes=aux,
            speaker=speaker,
            reciprocal=reciprocal,
            territory=territory,
            confidence=min(conf, 0.95),
        )

    def _verb_arguments(
        self, m: TriggerMatch, event: str, context: DocActors
    ) -> tuple[list[Actor], list[Actor]]:
        tok = m.token
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        actor_toks: list[Token] = []
        recip_toks: list[Token] = []
        if passive and tok.lemma_.lower() in STANCE_PASSIVES and not any(c.dep_ == "agent" for c in tok.children):
            passive = False  # "Vietnam is committed to opening up": a stance of the subject
            actor_toks = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if passive:
            for c in tok.children:
                if c.dep_ == "agent":
                    actor_toks += [g for g in c.children if g.dep_ == "pobj"]
                elif c.dep_ == "nsubjpass":
                    recip_toks.append(c)
            if not recip_toks and tok.dep_ == "conj":
                recip_toks += [c for c in tok.head.children if c.dep_ == "nsubjpass"]
        else:
            actor_toks = actor_toks or _subjects(tok)
            objects = ("dobj", "dative", "obj", "appos") if m.headline_verb else ("dobj", "dative", "obj")
            # a headline's source after a colon or dash is not an object: "...: residents"
            stop = min((c.i for c in tok.rights if c.dep_ == "punct" and c.text in (":", "-", "--", "—")), default=len(tok.doc))
            for c in tok.children:
                if c.dep_ in objects and tok.i < c.i < stop and c.lemma_.lower() not in m.entry.condition:
                    recip_toks.append(c)
        preps = RECIPIENT_PREPS.get(event, ())
        prep_objs = []
        for c in list(tok.children) + [x for x in m.extra if x.dep_ in ("dobj", "pobj")]:
            if c.dep_ == "prep" and c.lower_ in preps:
                prep_objs += [g for g in c.children if g.dep_ == "pobj"]
                # "fired on farmers marching to ...": the gerund clause's subject is the object
                prep_objs += [s for g in c.children if g.dep_ == "pcomp" for s in g.children if s.dep_ == "nsubj"]
            elif c.dep_ in ("dobj", "pobj") and c in m.extra:
                for cc in c.children:
                    if cc.dep_ == "prep" and cc.lower_ in preps:
                        prep_objs += [g for g in cc.children if g.dep_ == "pobj"]
        actors = self._resolve_all(actor_toks, context, subject=True)
        recipients = self._resolve_all(recip_toks, context)
        if not [r for r in recipients if r.code or r.sector]:
            recipients = self._resolve_all(prep_objs, context, deep=True) or recipients
        recipients = [r for r in recipients if r.code or r.sector]
        return actors, recipients

    def _noun_arguments(self, m: TriggerMatch, context: DocActors) -> tuple[list[Actor], list[Actor]]:
        tok = m.token
        actor_toks: list[Token] = []
        recip_toks: list[Token] = []
        for c in tok.children:
            if c.dep_ == "poss" and c.ent_type_ not in ("DATE", "TIME") and c.lower_ not in PRONOUNS:
                actor_toks.append(c)
            elif c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in ("NORP", "GPE", "ORG"):
                actor_toks.append(c)
            elif c.dep_ in ("compound", "nmod") and c.pos_ in ("NOUN", "PROPN") and c.lower_ in GROUP_MODIFIERS:
                actor_toks.append(c)  # "coalition air strikes", "army shelling", "police raid"
            elif c.dep_ == "prep" and c.lower_ == "by":
                actor_toks += [g for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ == "prep" and c.lower_ in ("on", "against", "at", "of", "targeting"):
                recip_toks += [g for g in c.children if g.dep_ == "pobj"]
        victims = [
            g
            for sub in tok.subtree
            if sub.dep_ in ("relcl", "acl") and sub.lemma_.lower() in CASUALTY_LEMMAS and _distance(tok, sub) <= 4
            for g in sub.children
            if g.dep_ in ("dobj", "nsubjpass")
        ]
        if victims:
            recip_toks = victims
        head = tok.head
        # "killed in an airstrike": the casualty verb's victims are the attack's recipients
        if tok.dep_ == "pobj" and head.head.lemma_.lower() in CASUALTY_LEMMAS | {"die", "hurt"}:
            verb = head.head
            recip_toks += [c for c in verb.children if c.dep_ == "nsubjpass"]
            if not any(c.dep_ == "nsubjpass" for c in verb.children) and verb.dep_ == "conj":
                recip_toks += [c for c in verb.head.children if c.dep_ == "nsubjpass"]
            if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
                recip_toks.append(verb.head)  # headline: "Ten soldiers killed in IS attack"
        if tok.dep_ == "nsubj" and head.lemma_.lower() in CASUALTY_LEMMAS:
            recip_toks += [c for c in head.children if c.dep_ == "dobj"]
        if tok.dep_ == "dobj" and (_lemma_in(head, ORGANIZING_VERBS) or head.lemma_.lower() == "claim") and not actor_toks:
            actor_toks += _subjects(head)  # "Sidhoum staged a hunger strike"
        # "Serb forces killed three villagers in a gunbattle": the killers and the killed
        if tok.dep_ == "pobj" and head.head.lemma_.lower() in CASUALTY_LEMMAS and not any(
            c.dep_ in ("nsubjpass", "auxpass") for c in head.head.children
        ):
            verb = head.head
            if not actor_toks:
                actor_toks += _subjects(verb)
            recip_toks += [c for c in verb.children if c.dep_ == "dobj"]
        # "killed 29 militants in air strikes": the phrase hangs on the victims, not the verb
        victim = head.head
        if tok.dep_ == "pobj" and victim.dep_ == "dobj" and victim.head.lemma_.lower() in CASUALTY_LEMMAS:
            actor_toks = _subjects(victim.head) or actor_toks
            recip_toks.append(victim)
        actors = self._resolve_all(actor_toks, context)
        recipients = [r for r in self._resolve_all(recip_toks, context, deep=True) if r.code or r.sector]
        return [a for a in actors if a.code or a.sector], recipients

    def _resolve_all(
        self, toks: Iterable[Token], context: DocActors, subject: bool = False, deep: bool = False
    ) -> list[Actor]:
        out: list[Actor] = []
        seen: set[int] = set()
        for t in toks:
            for member in (t, *t.conjuncts):
                if member.i in seen:
                    continue
                seen.add(member.i)
                split = self._split_modifiers(member, context)
                if split:
                    out.extend(split)  # "US and Iraqi officials": two actors
                    continue
                actor = self._resolve_token(member, context, deep=deep)
                if actor is not None:
                    out.append(actor)
        return out

    def _split_modifiers(self, tok: Token, context: DocActors) -> list[Actor]:
        """Actors of a head noun with coordinated modifiers ("US and Iraqi officials")."""
        if tok.lower_ in PRONOUNS or not any(
            c.dep_ in ("amod", "compound", "nmod") and c.conjuncts for c in tok.children
        ):
            return []
        parts = expand_conjuncts(noun_phrase(tok))
        if len(parts) < 2:
            return []
        resolved = [self.actors.resolve(p, context) for p in parts]
        actors = [a for a in resolved if a is not None and (a.code or a.sector)]
        return actors if len(actors) >= 2 else []

    def _resolve_token(self, tok: Token, context: DocActors, deep: bool = False) -> Actor | None:
        if tok.lower_ in PRONOUNS:
            if tok.lower_ in ("who", "which", "that") and tok.head.dep_ in ("relcl", "acl"):
                return self._resolve_token(tok.head.head, context, deep)
            return context.last_actor(tok.lower_) if hasattr(context, "last_actor") else None
        span = noun_phrase(tok)
        actor = self.actors.resolve(span, context)
        if actor is not None and actor.sector and (actor.code is None or actor.code == context.default_code):
            # "Shiite blocs in the Iraqi parliament", "elders from Kenya": the phrase says where
            for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("in", "from", "of")):
                for obj in (g for g in prep.children if g.dep_ == "pobj"):
                    where = self.actors.resolve(noun_phrase(obj), None)
                    if where is not None and where.code and len(where.code) == 3 and where.code.isalpha():
                        actor.code = where.code
                        break
        if actor is not None and (actor.code or actor.sector):
            return actor
        for appos in (c for c in tok.children if c.dep_ == "appos"):
            # "Kenzo Oshima, the UN relief coordinator, demanded": the apposition says who
            described = self.actors.resolve(noun_phrase(appos), context)
            if described is not None and (described.code or described.sector):
                described.entity_text = span.text
                described.start, described.end = span.start_char, span.end_char
                return described
        if deep:
            for sub in _descendants(tok, 3):
                if sub.pos_ in ("NOUN", "PROPN") and sub != tok:
                    inner = self.actors.resolve(noun_phrase(sub), context)
                    if inner is not None and inner.code:
                        return inner
        return actor

    def _first_actor(self, toks: list[Token], context: DocActors) -> Actor | None:
        for a in self._resolve_all(toks, context):
            if a.code or a.sector:
                return a
        return None

    def _observe_actors(self, sent: Span, context: DocActors) -> None:
        """Let the in-document actor memory see titled names ("Secretary of State Mike Pompeo")."""
        observe = getattr(context, "observe", None)
        if observe is None:
            return
        for ent in sentence_entities(sent):
            if ent.label_ == "PERSON":
                observe(noun_phrase(ent.root), self.actors)

    @staticmethod
    def _weapon_mode(m: TriggerMatch, actors: list[Actor], mode: str | None) -> str | None:
        if mode == "crowd-control":
            return mode  # "fired in the air to disperse them": riot control, whatever the words
        words: list[str] = []
        tok = m.token
        for t in (tok, *m.extra):
            words.append(t.lemma_.lower())
            for c in t.children:
                if c.dep_ in ("compound", "amod", "dobj", "nmod"):
                    words += [x.lemma_.lower() for x in c.subtree]
                elif c.dep_ == "prep" and c.lower_ in ("with", "by", "using", "of"):
                    words += [x.lemma_.lower() for x in c.subtree]
                elif c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in ("use", "fire"):
                    words += [x.lemma_.lower() for x in c.subtree]
                elif c.dep_ in ("nsubj", "nsubjpass", "agent"):
                    words += [x.lemma_.lower() for x in c.subtree]
        for a in actors:
            words += a.entity_text.lower().split()
        for subj in _subjects(tok):  # "a roadside bomb struck ..., killing two policemen"
            words += [x.lemma_.lower() for x in subj.subtree]
        if "tear" in words or "teargas" in words:  # tear gas is riot control, not a chemical weapon
            words = [w for w in words if w not in ("gas", "chemical")]
        found = {WEAPON_MODES[w] for w in words if w in WEAPON_MODES}
        if "suicide" in words:
            found.add("suicide-attack")
        for candidate in MODE_PRIORITY:
            if candidate in found:
                return candidate
        return mode


# What the authorities are reported not to have done: "failed to stop", "did not intervene".
INACTION_ACTS = word_list("coder.inaction_acts")
CONDITION_MARKERS = word_list("coder.condition_markers")
_PAIR_RE = re.compile(
    r"(?i)^(?:the\s+)?(?:two|both)\s+(?:sides|countries|leaders|governments|parties|nations|ministers|delegations|men|presidents)\b"
)


TERRITORY_VERBS = word_list("coder.territory_verbs")


def _takes_territory(m: TriggerMatch) -> bool:
    """An act that takes a place: "captured the town", "took control of Kismayo", "regained
    control of the airport", "overran the base"."""
    tok = m.token
    lemma = tok.lemma_.lower()
    if lemma == "take" and not any(t.lemma_.lower() in ("control", "over") for t in m.extra):
        return False
    if lemma not in TERRITORY_VERBS | {"take"}:
        return False
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    for o in list(objs):
        if o.lemma_.lower() == "control":  # "control of X"
            objs += [g for p in o.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    if lemma == "take":
        objs += [g for p in tok.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj"]
    for o in objs:
        if o.ent_type_ in ("GPE", "LOC", "FAC") or o.lemma_.lower() in TERRITORY_WORDS:
            return True
        if o.pos_ == "PROPN" and o.lemma_.lower() not in ("control",):
            return True
    return False


BLOCKADE_WORDS = word_list("coder.blockade_words")


def _foreign_imposition(actors: list[Actor], recipients: list[Actor]) -> bool:
    """A state or bloc acting on another country's people: coercion across a border is a sanction."""
    a_codes = {a.code for a in actors if a.code and a.sector not in ("CVL", "REB", "UAF")}
    r_codes = {r.code for r in recipients if r.code}
    return bool(a_codes and r_codes and not (a_codes & r_codes))


def _issues_document_that_acts(m: TriggerMatch, by_token: dict[int, TriggerMatch]) -> bool:
    """A verb whose object is a document that itself demands, condemns or calls for something
    ("passed a motion demanding", "issued a statement condemning"): the document's act is the
    event, the passing or issuing is not another one."""
    for obj in (c for c in m.token.children if c.dep_ == "dobj" and c.lemma_.lower() in DOCUMENT_NOUNS):
        if any(c.dep_ in ("acl", "relcl") and c.i in by_token for c in obj.children):
            return True
    return False


def _reported_act(tok: Token, aux: list[str]) -> bool:
    """A verb that reports an act rather than describing a state of affairs: a past or perfect
    tense, a passive, or a future or intended act ("will withdraw") - not a progressive, a habitual
    present or a participle modifying a noun (except in a headline, whose present tense is past)."""
    if tok.lemma_.lower() in modality.SPEECH_VERBS:
        return False  # "it added that ...", "noted": a statement, not the act the dictionary codes
    verbs = [tok, tok.head] if tok.dep_ == "conj" else [tok]
    if any(c.dep_ == "prep" and c.lower_ == "since" for v in verbs for c in v.children):
        return False  # "have increased attacks since May": a trend, not one event
    if "future" in aux or tok.tag_ in ("VBD",):
        return True
    if tok.tag_ == "VBN":
        return tok.dep_ not in ("amod", "acl") or any(c.dep_.startswith("nsubj") for c in tok.children)
    if tok.tag_ in ("VBZ", "VBP"):
        # a headline's present tense tells a past act; a sentence's tells a state of affairs
        sent = tok.sent
        headline = not any(t.text in (".", "!", "?") for t in sent[-2:])
        return headline and tok.dep_ == "ROOT" and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    if tok.tag_ == "VB":
        return any(c.lower_ in ("will", "to", "would", "'ll") for c in tok.children)
    return False


def _conditional_clause(tok: Token) -> bool:
    """True when ``tok`` heads (or sits directly in) an "if"/"unless" clause."""
    cur = tok
    for _ in range(3):
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKERS for c in cur.children):
            return True
        if cur.dep_ in ("xcomp", "conj") and cur.head != cur:
            cur = cur.head
            continue
        return False
    return False


VIOLENCE_CUES = word_list("coder.violence_cues")
ARMED_SECTORS_FALLBACK = frozenset({"MIL", "REB", "PRM", "COP", "IMG", "UAF", "SPY"})
ACTIVE_CASUALTY_WORDS = word_list("coder.active_casualty_words")
PASSIVE_CASUALTY_WORDS = word_list("coder.passive_casualty_words")
COUNT_WORDS = word_list("coder.count_words")
PHRASE_POS = frozenset({"NOUN", "PROPN", "ADJ", "NUM", "DET"})
PHRASE_WORDS = word_list("coder.phrase_words")


def _phrase_before(toks: list[Token], k: int, skip_aux: bool = True) -> list[Token]:
    """The noun phrase ending just before position ``k`` (skipping "reportedly", "were")."""
    j = k - 1
    while j >= 0 and (
        toks[j].pos_ == "ADV"
        or toks[j].is_quote
        or (skip_aux and (toks[j].pos_ == "AUX" or toks[j].lower_ in ("were", "was", "are", "been", "have", "has")))
    ):
        j -= 1
    end = j
    while j >= 0 and (
        toks[j].pos_ in PHRASE_POS or toks[j].lower_ in PHRASE_WORDS or toks[j].ent_type_ or toks[j].is_upper
    ) and toks[j].lower_ not in ("as", "and"):
        j -= 1
    return toks[j + 1 : end + 1] if end > j else []


def _phrase_after(toks: list[Token], k: int) -> list[Token]:
    """The noun phrase starting at position ``k``, up to a preposition other than "of"; a
    closing quote first is skipped (headlines quote the claim: Iraqi forces 'kill' six)."""
    while k < len(toks) and toks[k].is_quote:
        k += 1
    j = k
    while j < len(toks) and (
        toks[j].pos_ in PHRASE_POS
        or toks[j].lower_ in PHRASE_WORDS
        or (toks[j].ent_type_ and toks[j].pos_ != "ADP")
        or (toks[j].is_upper and toks[j].is_alpha)  # "IS", "PKK" mis-tagged as verbs
    ) and toks[j].lower_ not in ("in", "near", "on", "as", "and", "after"):
        j += 1
    return toks[k:j]


def _casualty_victims(tok: Token) -> list[Token]:
    """Victims named by a casualty verb tied to an attack verb: "..., killing two soldiers",
    "two soldiers were killed when rockets hit the base"."""
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ in ("advcl", "conj", "xcomp") and c.lemma_.lower() in CASUALTY_LEMMAS:
            out += [g for g in c.children if g.dep_ in ("dobj", "nsubjpass")]
    if tok.dep_ == "advcl" and tok.head.lemma_.lower() in CASUALTY_LEMMAS:
        out += [g for g in tok.head.children if g.dep_ == "nsubjpass"]
    return out


def _lemma_in(tok: Token, vocab: AbstractSet[str]) -> bool:
    """``tok``'s lemma is in ``vocab``, also where the tagger's lemma is off ("staged" -> "stag")."""
    if tok.lemma_.lower() in vocab:
        return True
    w = tok.lower_
    stems = {w[:-1], w[:-2], w[:-3], w[:-3] + "e", w[:-2] + "e"} if len(w) > 4 else set()
    return bool(stems & vocab)


def _obliged(tok: Token) -> bool:
    """True when "must"/"should" governs ``tok``'s clause ("must reach", "must be ready to mediate")."""
    cur = tok
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in cur.children):
            return True
        if cur.dep_ not in ("xcomp", "acomp") or cur.head == cur:
            return False
        cur = cur.head
    return False


def _has_unless_clause(tok: Token) -> bool:
    """True when ``tok`` (or the clause it heads) carries an "unless ..." condition."""
    return any(
        c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless" for g in c.children)
        for c in tok.children
    )


def _threat_mode(event: str) -> str | None:
    t = event_type(event)
    return t.threat_mode if t else None


def _noun_modes(tok: Token) -> list[str]:
    return [
        "hypothetical" if c.lower_ != "future" else "future"
        for c in tok.children
        if c.dep_ == "amod" and c.lower_ in ("potential", "possible", "planned", "alleged", "future")
    ]


CHAIN_DEPS = frozenset(
    {"xcomp", "ccomp", "advcl", "pcomp", "conj", "parataxis", "dobj", "pobj", "prep", "nsubj",
     "nsubjpass", "relcl", "attr", "acomp", "oprd"}
)


def _control_chain(tok: Token) -> list[Token]:
    """The verbs whose complement ``tok`` is ("planned to strike", "denied carrying out")."""
    chain: list[Token] = []
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("xcomp", "ccomp", "pcomp") and cur.head != cur:
            cur = cur.head
            if cur.dep_ == "prep":  # "accused of planning", "denied involvement in"
                cur = cur.head
            chain.append(cur)
            continue
        break
    return chain


def _governing_chain(tok: Token) -> list[Token]:
    """The verbs above ``tok`` through complement clauses (closest first)."""
    chain: list[Token] = []
    cur = tok
    for _ in range(6):
        if cur.dep_ in ("ROOT",) or cur.head == cur:
            break
        if cur.dep_ in CHAIN_DEPS:
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                chain.append(cur)
            continue
        break
    return chain


def _subjects(verb: Token) -> list[Token]:
    """Subjects of ``verb``, inherited through control, coordination and 'by doing' phrases."""
    cur = verb
    for _ in range(5):
        subs = [c for c in cur.children if c.dep_ in ("nsubj", "csubj")]
        if not subs and _lemma_in(cur, STANCE_PASSIVES):
            subs = [c for c in cur.children if c.dep_ == "nsubjpass"]  # "Cuba is committed to ..."
        if subs:
            return subs
        if (
            cur.dep_ == "ccomp" and cur.pos_ == "VERB" and cur.i == cur.head.i + 1
            and cur.head.lemma_.lower() in ("say", "claim", "announce")
            and not any(c.dep_ in ("nsubjpass", "auxpass", "expl") for c in cur.children)
        ):  # fmt: skip
            cur = cur.head  # headline ellipsis: "Turkish army says killed 29 militants"
            continue
        if cur.pos_ in ("NOUN", "PROPN") and cur.dep_ == "ROOT":
            # a headline verb read as a noun: its subject was attached as a modifier
            return [c for c in cur.lefts if c.dep_ in ("compound", "nmod")][-1:]
        if cur.dep_ in ("xcomp", "conj", "advcl", "acomp") and cur.head != cur:
            cur = cur.head  # "is prepared to impose": the subject of "is"
            continue
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep":
            if cur.head.lower_ == "of":  # "accuses IS of executing 163 civilians": IS executes
                owner = cur.head.head
                objs = [owner] if owner.dep_ == "dobj" else [c for c in owner.children if c.dep_ == "dobj"]
                if objs:
                    return objs
            cur = cur.head.head
            continue
        if cur.dep_ == "acl" and cur.head.lemma_.lower() in DOCUMENT_NOUNS and cur.head.head != cur.head:
            cur = cur.head.head  # "X passed a resolution demanding ...": X demands
            continue
        if cur.dep_ in ("relcl", "acl") and cur.head != cur:
            return [cur.head]
        break
    return []


def _descendants(tok: Token, depth: int) -> Iterable[Token]:
    frontier = [tok]
    for _ in range(depth):
        nxt = []
        for t in frontier:
            for c in t.children:
                if c.dep_ in ("punct", "cc", "det"):
                    continue
                yield c
                nxt.append(c)
        frontier = nxt


def _distance(a: Token, b: Token) -> int:
    """Tree distance (edges) between two tokens of one sentence."""
    anc_a = [a, *a.ancestors]
    anc_b = [b, *b.ancestors]
    pos_b = {t.i: k for k, t in enumerate(anc_b)}
    for k, t in enumerate(anc_a):
        if t.i in pos_b:
            return k + pos_b[t.i]
    return 99


NP_DROP_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "appos", "parataxis", "dep"})


def noun_phrase(tok: Token) -> Span:
    """The noun phrase headed by ``tok``, without relative clauses, appositions, conjuncts and
    prepositional phrases other than *of* ("Ministry of Foreign Affairs")."""
    keep = [tok]
    stack = [c for c in tok.children]
    while stack:
        c = stack.pop()
        if c.dep_ in NP_DROP_DEPS:
            continue
        if c.dep_ == "prep" and c.lower_ != "of":
            continue
        if c.dep_ == "det" and c.i == c.head.left_edge.i and c.lower_ in ("the", "a", "an"):
            continue
        keep.append(c)
        stack.extend(c.children)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    return tok.doc[lo : hi + 1]
