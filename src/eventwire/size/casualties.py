"""Casualty counts from the dependency parse: who was killed, injured or arrested, and how many.

``find_casualties`` walks each casualty word of a sentence (a verb such as "killed", an adjective
such as "dead", a noun such as "deaths" or "death toll") to the phrase naming its victims and
reads the count from that phrase's number modifiers ("three Iraqi soldiers and two police
officers" = 5, "No Americans" = 0, "a civilian worker" = 1). Numbers are only read where the
syntax makes them a count of people: ordinals, ages, years, money and troop strengths elsewhere
in the sentence never become casualties. ``size_for_trigger`` gives each casualty report to the
event trigger nearest to it in the parse tree, so a sentence that mentions two events keeps the
counts apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Literal

from spacy.tokens import Span, Token

from eventwire.model import CasualtyMention, Mention, Size
from eventwire.size.numbers import VAGUE, ZERO, parse_count
from eventwire.words import word_list

Kind = Literal["dead", "injured", "arrested"]

DEAD_VERBS = word_list("casualties.dead_verbs")
INJURED_VERBS = word_list("casualties.injured_verbs")
ARREST_VERBS = word_list("casualties.arrest_verbs")
DEAD_NOUNS = word_list("casualties.dead_nouns")
INJURED_NOUNS = word_list("casualties.injured_nouns")
ARREST_NOUNS = word_list("casualties.arrest_nouns")
ADJECTIVES: dict[str, Kind] = {"dead": "dead", "injured": "injured", "wounded": "injured", "hurt": "injured"}
TOLL_VERBS_PREPS = ("to", "at", "of")
LIFE_VERBS = word_list("casualties.life_verbs")
SUFFER_VERBS = word_list("casualties.suffer_verbs")
LEAVE_VERBS = word_list("casualties.leave_verbs")
INTRANSITIVE = word_list("casualties.intransitive")
RELATIVE = word_list("casualties.relative")
SINGULAR_PRONOUNS = word_list("casualties.singular_pronouns")
ONE_WORDS = word_list("casualties.one_words")
VAGUE_NONE = word_list("casualties.vague_none")
COLLECTIVE = word_list("casualties.collective")
MASS_NOUNS = word_list("casualties.mass_nouns")
NON_PERSON_ENTS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"})
BAD_NUMBER_ENTS = frozenset({"MONEY", "PERCENT", "TIME", "ORDINAL"})
NUMBER_DEPS = frozenset({"nummod", "quantmod"})
DATE_WORDS = word_list("casualties.date_words")
HEDGE_WORDS = word_list("casualties.hedge_words")


def casualty_kind(tok: Token) -> Kind | None:
    """The kind of casualty ``tok`` reports, when it is a casualty word."""
    lemma = tok.lemma_.lower()
    lower = tok.lower_
    if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        if lemma in DEAD_VERBS or lower in ("killed", "killing", "died"):
            return "dead"
        if lemma in INJURED_VERBS or lower in ("wounded", "injured", "hurt"):
            return "injured"
        if lemma in ARREST_VERBS or (lemma == "round" and any(c.lower_ == "up" for c in tok.children)):
            return "arrested"
        if lemma == "shoot" and any(c.lower_ == "dead" for c in tok.children):
            return "dead"
        return None
    if tok.pos_ == "ADJ" and lower in ADJECTIVES:
        return ADJECTIVES[lower]
    if tok.pos_ in ("NOUN", "PROPN", "ADJ"):
        if lemma in DEAD_NOUNS or lower in DEAD_NOUNS:
            return "dead"
        if lemma in INJURED_NOUNS or lower in INJURED_NOUNS:
            return "injured"
        if lemma in ARREST_NOUNS:
            return "arrested"
        if lemma == "toll" and not any(c.lower_ in ("road", "booth") for c in tok.children):
            return "dead"
        if lemma == "life" and tok.head.lemma_.lower() in LIFE_VERBS:
            return "dead"
    return None


def _is_number(tok: Token) -> bool:
    return tok.like_num or tok.tag_ == "CD" or tok.lower_ in VAGUE


def _bad_number(tok: Token) -> bool:
    """Numbers that are not counts of people: ordinals, years, money, ages, percentages."""
    text = tok.text
    if tok.ent_type_ in BAD_NUMBER_ENTS:
        return True
    if text[-2:].lower() in ("st", "nd", "rd", "th") and text[:1].isdigit():
        return True
    if text.isdigit() and len(text) == 4 and 1800 <= int(text) <= 2100:
        return True  # a year
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if (nxt is not None and nxt.text in ("-", "%")) or (nxt is not None and nxt.lower_ in ("year", "years", "percent", "%")):
        return True  # "35-year-old", "5 %"
    return tok.ent_type_ == "DATE" and any(
        t.ent_type_ == "DATE" and t.lower_ in DATE_WORDS for t in tok.doc[max(tok.i - 2, 0) : tok.i + 3]
    )


def _number_phrase(tokens: Iterable[Token]) -> tuple[int | None, Span | None]:
    """Count and span of the number phrase formed by ``tokens`` (hedges included)."""
    toks = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    toks = [t for t in toks if t.dep_ != "punct" or t.text in ("-",)]
    if not toks:
        return None, None
    doc = toks[0].doc
    span = doc[toks[0].i : toks[-1].i + 1]
    if any(_is_number(t) and _bad_number(t) for t in span):
        return None, None
    return parse_count(span.text), span


def _count_modifiers(noun: Token) -> list[Token]:
    """The number-phrase tokens that modify ``noun`` ("at least 156", "more than a hundred")."""
    out: list[Token] = []
    for c in noun.children:
        if c.i > noun.i:
            continue
        if c.dep_ in NUMBER_DEPS or (c.dep_ in ("amod", "advmod", "compound", "det") and _is_number(c)):
            out.extend(c.subtree)
        elif c.dep_ in ("amod", "advmod") and c.lower_ in HEDGE_WORDS and any(
            d.dep_ in NUMBER_DEPS for d in noun.children
        ):
            out.extend(c.subtree)
    return out


def _headline_number(noun: Token) -> Token | None:
    """A number just before ``noun``'s phrase that a misparse detached ("Some 70 IS fighters")."""
    k = noun.left_edge.i - 1
    steps = 0
    doc = noun.doc
    sent_start = noun.sent.start
    while k >= sent_start and steps < 3:
        t = doc[k]
        if _is_number(t) and t.tag_ == "CD":
            return None if _bad_number(t) else t
        if (t.pos_ not in ("PROPN", "NOUN", "ADJ") and not t.is_upper) or (t.dep_ in ("nsubj", "dobj", "pobj") and t.head.i > noun.i):
            return None
        k -= 1
        steps += 1
    return None


def _count_one(noun: Token) -> tuple[int | None, Span | None]:
    """Count stated by one victim phrase headed by ``noun`` (no conjuncts)."""
    doc = noun.doc
    if noun.lower_ in ZERO or noun.lower_ in ("nobody", "none"):
        return 0, doc[noun.i : noun.i + 1]
    if _is_number(noun) and noun.lower_ not in VAGUE_NONE:
        if _bad_number(noun):
            return None, None
        mods = [noun]
        for c in noun.children:
            if c.i < noun.i and c.dep_ in ("quantmod", "advmod", "amod", "compound", "nummod", "det"):
                mods.extend(c.subtree)
            elif c.dep_ in ("cc", "conj") and c.i > noun.i and _is_number(c) and any(
                q.lower_ == "between" for q in noun.children
            ):
                mods.extend(c.subtree)  # "between 10 and 15"
        return _number_phrase(mods)
    mods = _count_modifiers(noun)
    if mods:
        count, span = _number_phrase(mods)
        if span is not None:
            return count, span
    for c in noun.children:
        if c.dep_ == "det" and c.lower_ in ZERO:
            return 0, doc[c.i : c.i + 1]
    if noun.lower_ == "one" and any(c.lower_ == "no" for c in noun.children):
        return 0, doc[noun.i : noun.i + 1]
    if noun.lower_ in ONE_WORDS:
        return 1, doc[noun.i : noun.i + 1]
    if noun.lower_ in VAGUE_NONE or any(c.lower_ in VAGUE_NONE for c in noun.children if c.i < noun.i):
        return None, None
    if noun.lower_ in SINGULAR_PRONOUNS:
        return 1, doc[noun.i : noun.i + 1]
    if noun.tag_ in ("NN", "NNP") and noun.lemma_.lower() not in COLLECTIVE:
        if noun.tag_ == "NNP" and noun.ent_type_ in NON_PERSON_ENTS:
            return None, None
        if noun.tag_ == "NN" and noun.lemma_.lower() in MASS_NOUNS:
            return None, None  # "killed hope", "detained equipment"
        det = next((c for c in noun.children if c.dep_ == "det"), None)
        return 1, doc[det.i : det.i + 1] if det is not None else doc[noun.i : noun.i + 1]
    if noun.tag_ in ("NNS", "NNPS"):
        num = _headline_number(noun)
        if num is not None:
            return parse_count(num.text), doc[num.i : num.i + 1]
    return None, None


def _victim_text(noun: Token, number: Span | None) -> str:
    skip = set(range(number.start, number.end)) if number is not None else set()
    toks = [
        t
        for t in noun.subtree
        if (t.i <= noun.i and t.i not in skip and t.dep_ not in ("det", "punct", "quantmod")) or t.i == noun.i
    ]
    if noun.i < len(noun.doc) - 1:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                toks.extend(c.subtree)
    toks.sort(key=lambda t: t.i)
    return " ".join(t.text for t in toks)


def _victims(tok: Token) -> list[Token]:
    """The heads of the victim phrases of casualty word ``tok``."""
    deps = {c.dep_ for c in tok.children}
    kids = list(tok.children)
    lemma = tok.lemma_.lower()
    if tok.pos_ in ("NOUN", "PROPN") or (tok.pos_ == "ADJ" and tok.dep_ in ("nsubj", "dobj", "pobj")):
        return _noun_victims(tok)
    if "dobj" in deps and "auxpass" not in deps:
        return [next(c for c in kids if c.dep_ == "dobj")]  # "kill 12: officials": the first
    if "nsubjpass" in deps:
        return [c.head.head if c.lower_ in RELATIVE and tok.dep_ == "relcl" else c for c in kids if c.dep_ == "nsubjpass"]
    subs = [c for c in kids if c.dep_ == "nsubj"]
    if subs and (tok.tag_ in ("VBN", "JJ") or lemma in INTRANSITIVE or tok.pos_ == "ADJ" or _is_number(subs[0])):
        return [tok.head if c.lower_ in RELATIVE and tok.dep_ == "relcl" else c for c in subs]
    if tok.dep_ in ("acl", "amod") and tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        return [tok.head]
    if tok.dep_ in ("oprd", "ccomp", "xcomp", "acomp") and tok.head.lemma_.lower() in LEAVE_VERBS:
        return [c for c in tok.head.children if c.dep_ == "dobj"]
    more = [c for c in kids if c.dep_ in ("advmod", "npadvmod", "dobj", "attr") and c.i < tok.i and c.lower_ in ("more", "others", "another", "other")]
    if more:
        return more
    nums = [c for c in kids if c.dep_ in ("nummod", "npadvmod") and _is_number(c)]
    if nums:
        return nums
    if tok.dep_ == "conj" and tok.tag_ == "VBN" and casualty_kind(tok.head) is None:
        return _victims(tok.head) if tok.head.pos_ in ("VERB", "AUX") else []
    return []


def _noun_victims(tok: Token) -> list[Token]:
    """Victims of a casualty noun: "three deaths", "the killing of 12", "the death toll rose to 20"."""
    if tok.lemma_.lower() == "toll":
        return _toll_number(tok)
    nums = [c for c in tok.children if c.dep_ in ("nummod",) and _is_number(c)]
    if nums or any(c.dep_ == "det" and c.lower_ in ZERO for c in tok.children):
        return [tok]
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            objs = [p for p in c.children if p.dep_ == "pobj"]
            if objs:
                return objs
    first = tok
    while first.dep_ == "conj" and first.head != first:
        first = first.head  # "suffered concussions and other injuries"
    head = first.head
    if first.dep_ == "dobj" and head.lemma_.lower() in SUFFER_VERBS:
        return [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if tok.lemma_.lower() == "dead" or tok.lemma_.lower() == "life":
        return [tok]
    return []


def _toll_number(toll: Token) -> list[Token]:
    """The figure a death toll is given ("rose to 20", "a toll of 12", "pushed the toll to 45")."""
    places: list[Token] = [toll]
    if toll.dep_ in ("nsubj", "dobj", "nsubjpass"):
        places.append(toll.head)
    best: list[Token] = []
    for place in places:
        for c in place.children:
            if c.dep_ == "prep" and c.lower_ in TOLL_VERBS_PREPS:
                best.extend(p for p in c.children if p.dep_ == "pobj" and _is_number(p))
            elif place is not toll and c.dep_ in ("dobj", "attr") and c is not toll and _is_number(c):
                best.append(c)
            elif place is toll and c.dep_ in ("appos", "nummod") and _is_number(c):
                best.append(c)
    return best[-1:]  # "from 10 to 20": the latest figure


def _mention(span: Span, label: str) -> Mention:
    return Mention(span.text, span.start_char, span.end_char, label)


def _casualties_of(tok: Token, kind: Kind) -> CasualtyMention | None:
    doc = tok.doc
    victims = _victims(tok)
    if not victims:
        if any(c.dep_ == "neg" for c in tok.children):
            return CasualtyMention(kind, 0, _mention(doc[tok.i : tok.i + 1], kind), _mention(doc[tok.i : tok.i + 1], "verb"))
        return None
    total: int | None = None
    number_spans: list[Span] = []
    heads: list[Token] = []
    for victim in victims:
        v = victim
        if v.lower_ in RELATIVE and v.dep_ in ("nsubj", "nsubjpass") and v.head.dep_ == "relcl":
            v = v.head.head
        if v.dep_ == "pobj" and v.head.lower_ == "of" and _is_number(v.head.head):
            v = v.head.head  # "dozens of soldiers killed"
        group = [v, *sorted(v.conjuncts, key=lambda t: t.i)]
        if _breakdown(group):
            group = [v]  # "three members, two Americans and a Briton, were killed": 3, not 6
        for part in group:
            if part.pos_ not in ("NOUN", "PROPN", "NUM", "PRON", "DET", "ADJ", "ADV") and not _is_number(part):
                continue
            heads.append(part)
    seen: set[int] = set()
    for part in heads:
        if part.i in seen:
            continue
        seen.add(part.i)
        count, span = _count_one(part)  # the casualty noun itself in "three deaths"
        if count is not None:
            total = (total or 0) + count
            if span is not None:
                number_spans.append(span)
    if any(c.dep_ == "neg" for c in tok.children):
        total = 0
    if total is None and kind == "arrested" and not any(h.tag_ in ("NNS", "NNPS", "PRP") for h in heads):
        return None  # "captured the town": no people reported
    if total is None and not heads:
        return None
    if number_spans:
        start = min(s.start for s in number_spans)
        end = max(s.end for s in number_spans)
        mention = _mention(doc[start:end], kind)
    else:
        mention = _mention(doc[heads[0].i : heads[0].i + 1] if heads else doc[tok.i : tok.i + 1], kind)
    victim_text = " and ".join(
        _victim_text(h, next((s for s in number_spans if s.start <= h.i < s.end or s.end <= h.i), None))
        for h in heads
        if h.i != tok.i
    )
    return CasualtyMention(kind, total, mention, _mention(doc[tok.i : tok.i + 1], "verb"), victim_text)


def _breakdown(group: list[Token]) -> bool:
    """True when the conjuncts after the first are set off by commas and add up to its count:
    an apposition that breaks the first figure down, not further victims."""
    if len(group) < 2:
        return False
    first, rest = group[0], group[1:]
    doc = first.doc
    before = doc[rest[0].left_edge.i - 1] if rest[0].left_edge.i > 0 else None
    last_end = rest[-1].right_edge.i + 1
    after = doc[last_end] if last_end < len(doc) else None
    if before is None or before.text != "," or after is None or after.text not in (",", "–", "—", ")"):
        return False
    head_count, _ = _count_one(first)
    counts = [_count_one(t)[0] for t in rest]
    # "a Briton": one person
    counts = [
        1 if c is None and t.tag_ in ("NN", "NNP") and any(d.lower_ in ("a", "an", "one") for d in t.children) else c
        for c, t in zip(counts, rest, strict=True)
    ]
    if head_count is None or any(c is None for c in counts):
        return False
    return sum(counts) == head_count  # type: ignore[arg-type]


# Totals stated apart from any clause, as conflict-event notes and wire reports end: "Fatalities: 8",
# "[fatalities: 3]", "No casualties were reported", "dozens of fatalities".
_STATED_TOTAL = re.compile(r"(?i)\b(fatalities|deaths|dead|killed)\s*[:=]\s*(\d[\d,]*)")
_STATED_NONE = re.compile(
    r"(?i)\b(?:no|zero|nil)\s+(?:fatalities|casualties|deaths|dead|loss(?:es)? of life|one\s+(?:was|were|has been)\s+(?:killed|hurt|injured))\b"
    r"|\bfatalities\s*[:=]\s*(?:none|nil|0)\b|\bwithout\s+(?:any\s+)?(?:casualties|fatalities)\b"
)
_STATED_VAGUE = re.compile(r"(?i)\b(dozens|scores|hundreds)\s+of\s+(?:fatalities|deaths|casualties)\b")


def _stated_totals(sent: Span) -> list[CasualtyMention]:
    """Death tolls stated as a figure rather than a clause (see the patterns above)."""
    text = sent.text
    found: list[tuple[int | None, int, int]] = [
        (parse_count(m.group(2)), m.start(2), m.end(2)) for m in _STATED_TOTAL.finditer(text)
    ]
    found.extend((0, m.start(), m.end()) for m in _STATED_NONE.finditer(text))
    found.extend((VAGUE[m.group(1).lower()], m.start(1), m.end(1)) for m in _STATED_VAGUE.finditer(text))
    out = []
    for count, a, b in found:
        span: Span | None = sent.char_span(a, b, alignment_mode="expand")  # None where no token is there
        if span is None:
            continue
        out.append(CasualtyMention("dead", count, _mention(span, "dead"), _mention(span, "verb")))
    return out


def find_casualties(sent: Span) -> list[CasualtyMention]:
    """Every casualty report in a parsed sentence, in text order."""
    out: list[CasualtyMention] = []
    for tok in sent:
        kind = casualty_kind(tok)
        if kind is None:
            continue
        if tok.lower_ in ("dead", "wounded", "injured") and tok.dep_ in ("oprd", "acomp", "advmod") and casualty_kind(tok.head) is not None:
            continue  # "shot dead": the verb reports it
        if _either_or(tok, kind):
            continue  # "20 people were killed or wounded": no count of either
        m = _casualties_of(tok, kind)
        if m is not None:
            out.append(m)
    if not any(m.kind == "dead" for m in out):
        out.extend(_stated_totals(sent))
    return out


def _either_or(tok: Token, kind: Kind) -> bool:
    """True for one of two casualty words joined by "or" ("killed or wounded", "dead or missing")."""
    partners = [*tok.conjuncts]
    if not partners:
        return False
    lo = min(t.i for t in (tok, *partners))
    hi = max(t.i for t in (tok, *partners))
    between = tok.doc[lo:hi]
    return any(t.lower_ == "or" and t.dep_ == "cc" for t in between) and any(
        casualty_kind(p) is not None or p.lower_ in ("missing", "captured") for p in partners
    )


def _token_at(sent: Span, start: int) -> Token | None:
    for t in sent:
        if t.idx == start:
            return t
    return None


def _distance(a: Token, b: Token) -> int:
    anc_a = [a, *a.ancestors]
    pos_b = {t.i: k for k, t in enumerate([b, *b.ancestors])}
    for k, t in enumerate(anc_a):
        if t.i in pos_b:
            return k + pos_b[t.i]
    return 99


def size_for_trigger(
    trigger: Token, casualties: list[CasualtyMention], other_triggers: Sequence[Token] = ()
) -> Size:
    """The dead, injured and arrested counts that belong to the event ``trigger`` denotes.

    Each casualty report in the trigger's sentence goes to the trigger nearest to its casualty word
    in the parse tree (a casualty verb that is itself a trigger keeps its own counts); reports of
    one kind are added up when they come from coordinated clauses and otherwise taken once
    (the largest), so the same casualties told twice are not counted twice.
    """
    sent = trigger.sent
    candidates = [trigger] + [o for o in other_triggers if o.doc is trigger.doc and o.sent.start == sent.start and o.i != trigger.i]
    owned: dict[str, list[tuple[Token, CasualtyMention]]] = {}
    for m in casualties:
        if not (sent.start_char <= m.verb.start < sent.end_char):
            continue
        found_verb = _token_at(sent, m.verb.start)
        if found_verb is None:
            continue
        verb: Token = found_verb
        # a trigger that is itself a casualty word of another kind ("arresting") owns only its own
        fitting = [c for c in candidates if c.i == verb.i or casualty_kind(c) in (None, m.kind)] or candidates
        owner = min(fitting, key=lambda c: (0 if c.i == verb.i else 1, _distance(verb, c), abs(c.i - verb.i)))
        if owner.i != trigger.i:
            continue
        owned.setdefault(m.kind, []).append((verb, m))
    values: dict[str, int | None] = {"dead": None, "injured": None, "arrested": None}
    for kind, items in owned.items():
        counted = [(v, m) for v, m in items if m.count is not None]
        if not counted:
            continue
        total = counted[0][1].count or 0
        for k in range(1, len(counted)):
            verb, m = counted[k]
            prev = [v for v, _ in counted[:k]]
            coordinated = any(verb.i in {c.i for c in p.conjuncts} for p in prev)
            total = total + (m.count or 0) if coordinated else max(total, m.count or 0)
        values[kind] = total
    return Size(values["dead"], values["injured"], values["arrested"])
