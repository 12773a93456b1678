"""Find date expressions in a parsed text and attach them to event triggers.

Candidates come from spaCy's DATE/TIME entities and from our own patterns for what the small
model misses or splits ("the early hours of Friday", "Friday afternoon", "27/12/2019").  Each
candidate is resolved on its own (one short span at a time); the longest resolvable candidate wins
where candidates overlap.  Numbers that are not dates (ordinals, counts, ages, resolution or unit
numbers) never resolve, and a bare year right after a noun ("Resolution 1973") is dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import date

from spacy.tokens import Doc, Span, Token

from eventwire.model import Mention, TimeExpression
from eventwire.time.resolve import ResolvedDate, resolve
from eventwire.words import word_list, word_map

# a fixed anchor that tells "is this a date expression at all" apart from "can it be resolved"
_PROBE_ANCHOR = date(2001, 6, 13)

_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s|’s)?"
_MON = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_TOD = r"(?:morning|afternoon|evening|night|midday|noon)"
_PATTERNS = [
    # the early hours of Friday / the morning of 3 January
    rf"(?:(?:in|during) )?the (?:early |late |small |wee )?(?:hours|morning|afternoon|evening|night)"
    rf" of (?:last |this )?(?:{_WD}|[0-3]?\d(?:st|nd|rd|th)? {_MON}|{_MON} [0-3]?\d)",
    # (last) Friday (afternoon), early/late Friday
    rf"(?:(?:early|late|last|this|next|this coming|coming) )?{_WD}(?:,? {_TOD})?",
    rf"(?:{_MON} [0-3]?\d(?:st|nd|rd|th)?(?:,? (?:19|20)\d\d)?)",
    rf"(?:[0-3]?\d(?:st|nd|rd|th)?(?: of)? {_MON}(?:,? (?:19|20)\d\d)?)",
    rf"(?:(?:early|mid|late|the end of|the beginning of|the start of)[- ])?{_MON}(?:,? (?:19|20)\d\d)?",
    r"(?:19|20)\d\d-[01]\d-[0-3]\d",
    r"[0-3]?\d/[0-3]?\d/(?:19|20)\d\d",
    r"(?:late |early |earlier )?(?:yesterday|today|tonight|tomorrow|last night|overnight)"
    r"(?: (?:morning|afternoon|evening|night))?",
    rf"this {_TOD}",
    r"(?:earlier |later |early |late )?(?:last|this|next) (?:week|month|year)",
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a few|several) "
    r"(?:day|week|month|year)s? ago",
    r"(?:in |over )?the (?:coming|next|past|last) (?:few )?(?:days|weeks|months)",
]
_CANDIDATE_RE = re.compile(r"\b(?:" + "|".join(_PATTERNS) + r")(?![\w-])", re.IGNORECASE)

_RELATION_WORDS = word_map("expressions.relation_words")
_FUTURE_AUX = word_list("modality.future_aux")  # one list of future auxiliaries, the coder's modality's
_FUTURE_LEMMAS = word_list("expressions.future_lemmas")


def _is_future(tokens: Span) -> bool:
    """Whether the clause the expression sits in speaks of the future ("will meet on Friday")."""
    tok: Token = tokens.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.dep_ == "ROOT":
            break
        if tok.head == tok:
            break
        tok = tok.head
    verbs = [tok]
    if tok.dep_ in ("xcomp",) and tok.head != tok:
        verbs.append(tok.head)
    for v in verbs:
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in v.children):
            return True
        if v != tok and v.lemma_ in _FUTURE_LEMMAS:
            return True
        if v.lemma_ == "go" and any(c.dep_ == "xcomp" for c in v.children) and v.tag_ == "VBG":
            return True
    return False


def _bare_year_after_noun(doc: Doc, start: int, end: int, full: str) -> bool:
    """'Resolution 1973', 'Route 2010', 'No. 2014': a number naming a thing, not a year.
    ``full`` is ``doc.text`` (which spaCy rebuilds from every token at each access)."""
    text = full[start:end].strip()
    if not re.fullmatch(r"(?:19|20)\d\d", text):
        return False
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    prev = doc[span.start - 1]
    return prev.pos_ in ("NOUN", "PROPN", "NUM") or prev.text in ("No.", "#", "no.")


def _candidates(span: Span | Doc, full: str) -> list[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    ents = span.ents
    for ent in ents:
        if ent.label_ in ("DATE", "TIME"):
            out.add((ent.start_char, ent.end_char))
    # merge adjacent DATE/TIME pieces the model split: "Friday" + "afternoon", "the early hours" of "Friday"
    for a, b in itertools.pairwise(ents):
        if a.label_ in ("DATE", "TIME") and b.label_ in ("DATE", "TIME"):
            gap = full[a.end_char : b.start_char]
            if re.fullmatch(r"\s*(?:of|,)?\s*", gap):
                out.add((a.start_char, b.end_char))
    base = span.start_char if isinstance(span, Span) else 0
    text = full[base : span.end_char] if isinstance(span, Span) else full
    for m in _CANDIDATE_RE.finditer(text):
        out.add((base + m.start(), base + m.end()))
    return sorted(out)


def _extend_relation(full: str, start: int, end: int) -> int:
    """Start offset including a preceding 'since'/'until'/... that governs the expression
    (``full``: the document's text)."""
    expr = full[start:end]
    possessive = re.search(r"['’]s$", expr) or re.match(r"['’]s\b", full[end : end + 3])
    if expr.lower().startswith(tuple(_RELATION_WORDS)) or possessive:
        return start
    before = full[max(0, start - 12) : start]
    m = re.search(r"\b(since|until|till|before|after|following)\s+$", before, re.IGNORECASE)
    return start - len(before) + m.start(1) if m else start


def find_time_expressions(span: Span | Doc, anchor: date | None) -> list[TimeExpression]:
    """Date expressions in ``span`` (a spaCy Doc or Span), resolved against ``anchor``.

    Offsets are character offsets into the document text.  Expressions that are dates but need
    an anchor that is missing are kept with ``date=None``.
    """
    if not isinstance(span, Doc | Span):
        raise TypeError(
            f"find_time_expressions() needs a spaCy Doc or Span, got {type(span).__name__}"
        )
    doc = span.doc if isinstance(span, Span) else span
    full = doc.text  # built from every token at each access: once per call
    scored: list[tuple[int, int, ResolvedDate | None]] = []
    for found_start, end in _candidates(span, full):
        start = _extend_relation(full, found_start, end)
        text = full[start:end]
        if _bare_year_after_noun(doc, start, end, full):
            continue
        if resolve(text, _PROBE_ANCHOR) is None:
            continue
        tokens = doc.char_span(start, end, alignment_mode="expand")
        future = bool(tokens is not None and _is_future(tokens))
        scored.append(
            (start, end, resolve(text, anchor, future=future) if anchor else resolve(text, None))
        )
    # longest first; keep those that do not overlap a longer one
    scored.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    kept: list[tuple[int, int, ResolvedDate | None]] = []
    for item in scored:
        if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
            kept.append(item)
    kept.sort(key=lambda x: x[0])
    out = []
    for start, end, r in kept:
        label = (
            "TIME"
            if re.search(r"morning|afternoon|evening|night|hours|noon", full[start:end], re.I)
            else "DATE"
        )
        mention = Mention(full[start:end], start, end, label)
        if r is None:
            out.append(TimeExpression(mention, None, None, None, "at"))
        else:
            out.append(TimeExpression(mention, r.date, r.enddate, r.precision, r.relation))
    return out


# -- attachment ------------------------------------------------------------------------------
def _path_to_root(tok: Token) -> list[Token]:
    path = [tok]
    seen = {tok.i}
    while tok.head != tok and tok.head.i not in seen:
        tok = tok.head
        seen.add(tok.i)
        path.append(tok)
    return path


def _tree_distance(a: Token, b: Token) -> int:
    pa, pb = _path_to_root(a), _path_to_root(b)
    ia = {t.i: n for n, t in enumerate(pa)}
    for n, t in enumerate(pb):
        if t.i in ia:
            return ia[t.i] + n
    return len(pa) + len(pb) + 10  # different sentences / broken tree


def _expr_root(doc: Doc, expr: TimeExpression) -> Token | None:
    span = doc.char_span(expr.mention.start, expr.mention.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


REPORTING_LEMMAS = word_list("expressions.reporting_lemmas")


def _dates_the_report(root: Token, trigger: Token) -> bool:
    """True when the expression at ``root`` hangs on a reporting verb that governs ``trigger``."""
    head = root.head
    while head.dep_ == "prep" or head.pos_ == "ADP":
        if head.head == head:
            break
        head = head.head
    if head.lemma_.lower() in REPORTING_LEMMAS and head.i != trigger.i and head.is_ancestor(trigger):
        return True
    # "said on Monday they had killed ...": parsed onto the reported verb, but it stands between
    # the reporting verb and the reported clause's subject
    rep = trigger.head
    if trigger.dep_ in ("ccomp", "parataxis") and rep.lemma_.lower() in REPORTING_LEMMAS and rep.i < root.i:
        subj = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subj is not None and root.i < subj.left_edge.i
    return False


def _governs(head: Token, tok: Token) -> bool:
    return head.i == tok.i or head.is_ancestor(tok)


AGGREGATE_NOUNS = word_list("expressions.aggregate_nouns")


def _names_a_toll(root: Token) -> bool:
    """Whether a month or year names the period of a running total: "the May death toll",
    "as 2013 toll tops 5,500", "June's tally"."""
    if root.head.lemma_.lower() in AGGREGATE_NOUNS and root.dep_ in ("compound", "nummod", "amod", "poss", "nmod"):
        return True
    after = [t for t in root.doc[root.i + 1 : root.i + 4] if t.lower_ != "'s" and not t.is_punct]
    if after and after[0].lower_ in ("death", "casualty", "civilian") and len(after) > 1:
        after = after[1:]
    return bool(after) and after[0].lemma_.lower() in AGGREGATE_NOUNS


def _coordinated_with(trigger: Token, other: Token) -> bool:
    """``other`` heads the chain of coordinated verbs ``trigger`` belongs to ("ambushed a bus,
    robbed the passengers and shot the driver")."""
    cur = trigger
    for _ in range(6):
        if cur.dep_ != "conj" or cur.head == cur:
            return False
        cur = cur.head
        if cur.i == other.i:
            return True
    return False


def _in_embedded_clause(root: Token, trigger: Token) -> bool:
    """True when ``root`` sits in a participial clause that modifies a noun below ``trigger``, whose
    time it gives."""
    cur = root.head
    for _ in range(12):
        if cur.i == trigger.i or cur.head == cur:
            return False
        if (
            cur.pos_ == "VERB" and cur.dep_ == "acl" and cur.tag_ == "VBN"
            and cur.head.pos_ in ("NOUN", "PROPN", "PRON") and cur.head.i != trigger.i
        ):
            return True  # a participle modifying another noun: "journalists held since 2001"
        if cur.pos_ == "VERB" and cur.dep_ == "pcomp" and cur.tag_ == "VBG" and cur.head.lower_ in ("for", "of", "over"):
            return True  # the act behind a charge: "sentenced for taking part in protests last August"
        cur = cur.head
    return False


def date_for_trigger(
    trigger: Token,
    expressions: list[TimeExpression],
    other_triggers: Sequence[Token] = (),
) -> TimeExpression | None:
    """The expression in the trigger's sentence that dates this event, or ``None``.

    Expressions inside the trigger's own phrase or clause come first, then the one closest in the
    dependency tree.  An expression governed by another trigger in ``other_triggers`` (and not
    by this one, or by this one only through the other) dates that one instead.  Ties go to the
    nearer in the text.
    """
    doc = trigger.doc
    sent = trigger.sent
    others = [t for t in other_triggers if t.i != trigger.i and t.sent.start == sent.start]
    best: tuple[tuple[int, int, int], TimeExpression] | None = None
    for expr in expressions:
        if not (sent.start_char <= expr.mention.start < sent.end_char):
            continue
        root = _expr_root(doc, expr)
        if root is None:
            continue
        if expr.precision == "year" and root.dep_ in ("compound", "nummod", "amod", "poss", "nmod") and (
            root.head.i != trigger.i
        ):
            continue  # "as the 2013 toll tops 5,500": the year qualifies another noun
        if expr.precision in ("month", "year") and root.head.i != trigger.i and _names_a_toll(root):
            continue  # "push May death toll past 600": the period of a running total
        dist = _tree_distance(trigger, root)
        mine = _governs(trigger, root)
        if mine and _in_embedded_clause(root, trigger):
            continue  # "urged Eritrea to free journalists held since 2001": the detention's date
        # another trigger owns the expression when it governs it and sits between us and it
        if any(
            _governs(o, root) and (not mine or trigger.is_ancestor(o))
            and not _coordinated_with(trigger, o)  # coordinated acts share a date
            for o in others
        ):
            continue
        # an expression inside the trigger's own phrase or clause beats one reached via its head;
        # one on the reporting verb above the trigger ("said on Monday they had killed ... on
        # Saturday") dates the report, so it comes last
        outside = 2 if _dates_the_report(root, trigger) else (0 if mine else 1)
        key = (outside, dist, abs(root.i - trigger.i))
        if best is None or key < best[0]:
            best = (key, expr)
    return best[1] if best else None
