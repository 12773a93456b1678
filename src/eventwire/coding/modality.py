"""PLOVER auxiliary modes of an event trigger: did it happen (negation), will it (future), might it
(hypothetical); plus the verbs above the trigger that the coder reads (threats, denials, plans,
reported speech).

Everything is a walk over the dependency parse around the trigger: its own auxiliaries and
negation, the light verb that carries an event noun ("carried out an attack"), and the chain of
verbs whose complement the trigger is ("denied carrying out", "plans to withdraw"). A negative
word elsewhere in the sentence ("no one was killed") does not negate the event.
"""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.words import word_list, word_map

AUX_MODES = ("negation", "future", "hypothetical")
FUTURE_AUX = word_list("modality.future_aux")
HYPOTHETICAL_AUX = word_list("modality.hypothetical_aux")
NEGATING_GOVERNORS = word_list("modality.negating_governors")
FUTURE_GOVERNORS = word_list("modality.future_governors")
HYPOTHETICAL_GOVERNORS = word_list("modality.hypothetical_governors")
THREAT_GOVERNORS = word_list("modality.threat_governors")
SPEECH_VERBS = word_list("modality.speech_verbs")
TRANSPARENT = word_list("modality.transparent")
LIGHT_VERBS = word_list("modality.light_verbs")
FUTURE_TIME_WORDS = word_list("modality.future_time_words")
NOUN_MODES = word_map("modality.noun_modes")
COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "advcl"})


def _clause_verb(trigger: Token) -> Token:
    """The verb that carries an event noun ("carried out an attack" -> carried), else the trigger."""
    tok = trigger
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "nsubjpass", "nsubj", "attr"):
        head = tok.head
        if head.pos_ in ("VERB", "AUX") and (head.lemma_.lower() in LIGHT_VERBS or tok.dep_ != "dobj"):
            return head
    return tok


def _governors(verb: Token, limit: int = 5) -> list[Token]:
    """Verbs (or nouns: "threats to attack") whose complement ``verb`` is, closest first."""
    out: list[Token] = []
    cur = verb
    for _ in range(limit):
        if cur.head == cur:
            break
        if cur.dep_ in ("xcomp", "ccomp", "pcomp") or (cur.dep_ == "acl" and cur.head.pos_ == "NOUN"):
            cur = cur.head
            if cur.dep_ == "prep":  # "denied involvement in", "accused of planning"
                cur = cur.head
            out.append(cur)
            continue
        if cur.dep_ == "conj":  # shares its coordinate's governors
            cur = cur.head
            continue
        if cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.head.pos_ == "NOUN" and cur.head.head.dep_ == "dobj":
            cur = cur.head.head.head  # "denied involvement in the attack"
            out.append(cur)
            continue
        if cur.dep_ == "dobj" and cur.pos_ in ("NOUN", "VERB"):
            cur = cur.head
            if cur.pos_ not in ("VERB", "AUX"):
                break
            out.append(cur)
            continue
        break
    return out


def governing_verb(trigger: Token) -> Token | None:
    """The nearest non-transparent verb (or event noun) above ``trigger`` through complement
    clauses: "threatened" in "threatened to strike", "denied" in "denied carrying out the attack",
    "plans" in "plans to withdraw". ``None`` when the trigger heads its own clause."""
    for gov in _governors(_clause_verb(trigger)):
        if gov.lemma_.lower() in TRANSPARENT or gov.i == trigger.i:
            continue
        if gov.lemma_.lower() in LIGHT_VERBS and gov.i == _clause_verb(trigger).i:
            continue
        return gov
    return None


def is_reported_speech(trigger: Token) -> Token | None:
    """The speech verb ("said", "told", "announced") or "according" that governs the clause holding
    ``trigger``; ``None`` when the trigger is stated by the text itself."""
    cur = _clause_verb(trigger)
    prev = cur
    for _ in range(8):
        for c in cur.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                return c
        if cur is not trigger and cur.lemma_.lower() in SPEECH_VERBS and prev.dep_ in ("ccomp", "parataxis", "xcomp", "conj") and prev != cur:
            return cur
        if cur.head == cur:
            break
        prev, cur = cur, cur.head
    return None


def _own_aux(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


def _modal_source(verb: Token) -> Token:
    """The verb whose auxiliaries ``verb`` shares: a bare coordinate or a transparent complement."""
    cur = verb
    for _ in range(4):
        if cur.dep_ == "conj" and not _own_aux(cur) and cur.tag_ in ("VB", "VBN", "VBG") and cur.head.pos_ in ("VERB", "AUX"):
            cur = cur.head
            continue
        if cur.dep_ == "xcomp" and cur.head.lemma_.lower() in TRANSPARENT:
            cur = cur.head
            continue
        break
    return cur


def auxiliary_modes(trigger: Token) -> list[str]:  # noqa: C901 - one case per auxiliary construction
    """PLOVER auxiliary modes (``negation``, ``future``, ``hypothetical``) of the event ``trigger``
    denotes, in that order. Threat verbs above the trigger add no mode: the threat is the event
    (see ``governing_verb``)."""
    modes: set[str] = set()
    if trigger.pos_ in ("NOUN", "PROPN"):
        for c in trigger.children:
            if c.dep_ == "amod" and c.lower_ in NOUN_MODES:
                modes.add(NOUN_MODES[c.lower_])
            if c.dep_ == "det" and c.lower_ == "no":
                modes.add("negation")
    verb = _clause_verb(trigger)
    source = _modal_source(verb)
    aux = _own_aux(source) | _own_aux(verb)
    if any(c.dep_ == "neg" for c in (*verb.children, *source.children)):
        modes.add("negation")
    if aux & FUTURE_AUX:
        modes.add("future")
    if aux & HYPOTHETICAL_AUX:
        modes.add("hypothetical")
    # "is to visit", "is set to", "is expected to", "is going to"
    gov_chain = _governors(verb)
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "be":
        modes.add("future")
    # "if they attack" / "will strike if attacked"
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children):
        modes.add("hypothetical")
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children) for c in verb.children):
        modes.add("hypothetical")
    threat = False
    for gov in gov_chain:
        lemma = gov.lemma_.lower()
        if lemma == "go" and gov.tag_ == "VBG" and _own_aux(gov) & {"is", "are", "am", "was", "were", "'s", "'re", "be"}:
            modes.add("future")  # "are going to attack"
            break
        if lemma in TRANSPARENT:
            continue
        if lemma in THREAT_GOVERNORS or gov.lemma_.lower().startswith("threat"):
            threat = True
            break
        if lemma in NEGATING_GOVERNORS:
            modes.add("negation")
        elif lemma in FUTURE_GOVERNORS:
            modes.add("future")
        elif lemma in HYPOTHETICAL_GOVERNORS:
            modes.add("hypothetical")
        gaux = _own_aux(gov)
        if gaux & FUTURE_AUX:
            modes.add("future")
        if gaux & HYPOTHETICAL_AUX and lemma not in SPEECH_VERBS:
            modes.add("hypothetical")
        if any(c.dep_ == "neg" for c in gov.children) and lemma not in SPEECH_VERBS:
            modes.add("negation")
        break  # only the nearest meaningful governor
    if verb.tag_ != "VBD" and _future_time(verb):
        modes.add("future")
    if threat:
        modes.discard("hypothetical")
        modes.discard("future")
    return [m for m in AUX_MODES if m in modes]


def _future_time(verb: Token) -> bool:
    """A time modifier of ``verb`` pointing ahead: "tomorrow", "next week", "in the coming days"."""
    for c in verb.children:
        if c.dep_ == "npadvmod" and (c.lower_ == "tomorrow" or any(a.lower_ in ("next", "coming") for a in c.children)):
            return True
        if c.dep_ == "prep" and c.lower_ in ("in", "within", "over", "during"):
            for p in c.children:
                if p.dep_ == "pobj" and any(a.lower_ in ("coming", "next", "upcoming") for a in p.children):
                    return True
    return False
