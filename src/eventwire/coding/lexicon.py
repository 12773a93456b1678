"""The trigger lexicon: which words (and word + dependent pairs) denote which PLOVER event.

Loaded from ``data/triggers.tsv`` (written for eventwire).  Matching uses the dependency parse: a
pattern ``v:launch +strike|raid`` matches the verb *launch* when one of its objects, particles or
prepositional objects is *strike* or *raid*; ``n:air +strike`` matches the noun pair in either
direction of the compound relation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.tokens import Token

from eventwire.coding.patterns import VerbMatch, VerbPatterns, load_verb_patterns
from eventwire.words import word_list

VERB_POS = frozenset({"VERB"})
MONTH_NAMES = word_list("shared.month_homographs")
NOUN_POS = frozenset({"NOUN", "PROPN"})
# Dependents through which a verb's condition word may be reached.
VERB_COND_DEPS = frozenset(
    {"dobj", "prt", "prep", "attr", "oprd", "acomp", "xcomp", "ccomp", "npadvmod", "advmod", "dative",
     "nsubjpass", "pcomp", "advcl", "obj"}
)  # fmt: skip
NOUN_COND_DEPS = frozenset({"compound", "amod", "nmod", "prep"})


@dataclass(frozen=True, slots=True)
class LexEntry:
    pos: str  # "v", "n" or "" (any)
    lemma: str
    condition: frozenset[str]
    event: str
    mode: str | None
    cameo: str | None
    context: str | None
    origin: str = "hand"  # "hand" (triggers.tsv), "pattern" or "default" (derived verb table)

    @property
    def conditional(self) -> bool:
        return bool(self.condition)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    token: Token  # the head of the trigger
    extra: tuple[Token, ...]  # the dependent that satisfied the condition, if any
    entry: LexEntry
    headline_verb: bool = False  # a headline's verb that the tagger read as a noun

    @property
    def nominal(self) -> bool:
        return self.token.pos_ in NOUN_POS and not self.headline_verb

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(sorted((self.token, *self.extra), key=lambda t: t.i))


PATTERN_FIRST = False
SUPPRESS = True


class Lexicon:
    """The hand-written trigger entries, backed by the derived verb patterns.

    For a verb, the order is: a hand entry with a condition ("launch" + "strike"), then a derived
    pattern with requirements of its own (a pattern coded as no event suppresses the verb), then
    a bare hand entry, then the derived verb's default code."""

    def __init__(
        self, entries: list[LexEntry], version: str = "", patterns: VerbPatterns | None = None
    ) -> None:
        self.version = version
        self.patterns = patterns
        self._by_key: dict[tuple[str, str], list[LexEntry]] = {}
        for e in entries:
            for pos in (e.pos,) if e.pos else ("v", "n"):
                self._by_key.setdefault((pos, e.lemma), []).append(e)
        for lst in self._by_key.values():
            lst.sort(key=lambda e: not e.conditional)  # conditional entries first

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def match(self, token: Token) -> TriggerMatch | None:
        if token.ent_type_ in ("DATE", "TIME") or (token.is_title and token.lower_ in MONTH_NAMES):
            return None  # "5 March", "Strike Day": dates, not events
        headline_verb = False
        if token.pos_ in VERB_POS:
            pos = "v"
        elif token.pos_ in NOUN_POS:
            pos = "n"
            if is_headline_verb(token) and (pos, token.lemma_.lower()) in self._verb_keys:
                pos, headline_verb = "v", True
        else:
            return None
        entries = self._entries(pos, token)
        for entry in entries:
            if not entry.conditional:
                break
            extra = _condition_token(token, entry.condition, pos)
            if extra is not None:
                if pos == "n" and token.dep_ == "compound" and extra.i == token.head.i:
                    return TriggerMatch(extra, (token,), entry)
                return TriggerMatch(token, (extra,), entry, headline_verb)
        derived = self.patterns.match(token) if self.patterns is not None and pos == "v" else None
        if PATTERN_FIRST is False:
            if derived is not None and derived.pattern is not None and not derived.is_event and SUPPRESS:
                return None
            for entry in entries:
                if not entry.conditional:
                    return TriggerMatch(token, (), entry, headline_verb)
        if derived is not None and derived.pattern is not None:
            if not derived.is_event:
                return None
            if lemma_is_support_verb(token) and self._object_is_event(token):
                return None  # "began a dialogue", "held talks": the noun tells the event
            return TriggerMatch(token, _evidence(token, derived.tokens), _entry(token, derived, "pattern"), headline_verb)
        for entry in entries:
            if not entry.conditional:
                return TriggerMatch(token, (), entry, headline_verb)
        if derived is not None and derived.is_event:
            return TriggerMatch(token, (), _entry(token, derived, "default"), headline_verb)
        return None

    def _object_is_event(self, verb: Token) -> bool:
        """The verb's direct object is itself an event noun of the lexicon."""
        return any(
            c.dep_ in ("dobj", "obj") and any(not e.conditional for e in self._entries("n", c))
            for c in verb.children
        )

    def _entries(self, pos: str, token: Token) -> list[LexEntry]:
        """Entries for the token's lemma, or for the base form its spelling gives when the
        lemmatiser went wrong ("raped" lemmatised as "rap")."""
        lemma = token.lemma_.lower()
        found = self._by_key.get((pos, lemma))
        if found:
            return found
        for base in base_forms(token.lower_):
            if base != lemma and (pos, base) in self._by_key:
                return self._by_key[(pos, base)]
        return []

    def verb_entry(self, word: str) -> LexEntry | None:
        """The hand lexicon's unconditional entry for a verb written as ``word`` (any inflection)."""
        for base in (word, *base_forms(word)):
            for e in self._by_key.get(("v", base), ()):
                if not e.conditional and e.origin == "hand":
                    return e
        return None

    @functools.cached_property
    def _verb_keys(self) -> frozenset[tuple[str, str]]:
        return frozenset(("n", lemma) for pos, lemma in self._by_key if pos == "v")


# Verbs that only carry the event their object names: "began talks", "held a meeting".
SUPPORT_VERBS = word_list("lexicon.support_verbs")


def lemma_is_support_verb(token: Token) -> bool:
    return token.lemma_.lower() in SUPPORT_VERBS


def base_forms(word: str) -> list[str]:
    """Base forms an inflected English word may have: "raped" -> rape, rap; "shelled" -> shell."""
    out: list[str] = []
    if word.endswith("ied") and len(word) > 4:
        out.append(word[:-3] + "y")
    elif word.endswith("ed") and len(word) > 4:
        out += [word[:-1], word[:-2]]
        if word[-3] == word[-4]:
            out.append(word[:-3])  # "kidnapped"
    elif word.endswith("ing") and len(word) > 5:
        out += [word[:-3] + "e", word[:-3]]
        if word[-4] == word[-5]:
            out.append(word[:-4])
    elif word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    elif word.endswith("es") and len(word) > 4:
        out += [word[:-1], word[:-2]]
    elif word.endswith("s") and len(word) > 3:
        out.append(word[:-1])
    return out


def _entry(token: Token, m: VerbMatch, origin: str) -> LexEntry:
    words = frozenset(t.lemma_.lower() for t in m.tokens) | frozenset(t.lower_ for t in m.tokens)
    return LexEntry(
        "v", token.lemma_.lower(), words, m.code.event, m.code.mode, m.code.cameo, m.code.context, origin
    )


def _evidence(verb: Token, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """The pattern's words that belong with the trigger (objects and phrases after the verb, not
    the subject that selected the pattern)."""
    return tuple(t for t in tokens if t.i > verb.i and t.dep_ not in ("nsubj", "nsubjpass"))[:2]


def is_headline_verb(token: Token) -> bool:
    """Whether a noun-tagged word is the verb of a verbless headline: "Iraqi army shells IS
    positions", "Iraqi forces storm Mosul airport".  The parser gives such a word a subject or an
    object of its own, or a name before it and the victims after it ("Islamic State kidnaps 40
    men"); its form is a verb's bare or third-person form; nothing else in the line is a verb;
    and it is written in lower case (Title Case Headlines say nothing about word classes)."""
    if token.dep_ != "ROOT" or not token.is_lower or not token.is_alpha:
        return False
    lemma = token.lemma_.lower()
    if token.lower_ not in (lemma, lemma + "s", lemma + "es") and not (
        lemma.endswith("y") and token.lower_ == lemma[:-1] + "ies"
    ):
        return False
    sent = token.sent
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in sent):
        return False
    left = [c for c in token.lefts if c.dep_ in ("nsubj", "compound", "nmod", "amod")]
    right = [c for c in token.rights if c.dep_ in ("dobj", "appos", "attr") and c.pos_ in NOUN_POS | {"NUM"}]
    has_subject = any(c.dep_ == "nsubj" for c in left)
    has_name = any(c.dep_ in ("compound", "nmod") and (c.ent_type_ or c.pos_ == "PROPN" or c.is_title or c.is_upper) for c in left)
    return bool(right) and (has_subject or has_name or any(c.dep_ == "compound" for c in left))


def _lemma(t: Token) -> str:
    return t.lemma_.lower()


def _condition_token(token: Token, cond: frozenset[str], pos: str) -> Token | None:
    if pos == "v":
        for child in token.children:
            if child.dep_ not in VERB_COND_DEPS:
                continue
            if _lemma(child) in cond or child.lower_ in cond:
                return child
            # one level further: a preposition's object, an object's compound/prep object
            for grand in child.children:
                if grand.dep_ in ("pobj", "compound", "amod", "prep", "dobj") and _lemma(grand) in cond:
                    return grand
                if grand.dep_ == "prep":
                    for g3 in grand.children:
                        if g3.dep_ == "pobj" and _lemma(g3) in cond:
                            return g3
        return None
    for child in token.children:
        if child.dep_ in NOUN_COND_DEPS and _lemma(child) in cond:
            return child
    if token.dep_ in ("compound", "amod"):
        if _lemma(token.head) in cond:
            return token.head
        for sib in token.head.children:
            if sib != token and sib.dep_ in ("compound", "amod") and _lemma(sib) in cond:
                return sib
    return None


def _parse(text: str) -> tuple[list[LexEntry], str]:
    entries: list[LexEntry] = []
    version = ""
    for raw in text.splitlines():
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        if line.startswith("#"):
            if "version" in line and not version:
                version = line.split("version", 1)[1].strip().split()[0].rstrip(".")
            continue
        cols = line.split("\t")
        cols += [""] * (5 - len(cols))
        pattern, event, mode, cameo, context = (c.strip() for c in cols[:5])
        head, _, cond = pattern.partition(" +")
        pos, _, lemma = head.rpartition(":")
        entries.append(
            LexEntry(
                pos=pos,
                lemma=lemma.strip().lower(),
                condition=frozenset(c.strip().lower() for c in cond.split("|") if c.strip()),
                event=event,
                mode=mode or None,
                cameo=cameo or None,
                context=context or None,
            )
        )
    return entries, version


def load_hand_entries() -> list[LexEntry]:
    """The hand-written trigger entries (``data/triggers.tsv``)."""
    text = resources.files("eventwire.coding").joinpath("data/triggers.tsv").read_text("utf-8")
    return _parse(text)[0]


def load_derived_nouns() -> list[LexEntry]:
    """Event nouns derived from the verb tables and the training text (``data/derived/event_nouns.tsv``,
    made by ``scripts/build_lexicon.py``)."""
    text = resources.files("eventwire.coding").joinpath("data/derived/event_nouns.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 5
        lemma, event, mode, cameo, context = (c.strip() for c in cols[:5])
        out.append(LexEntry("n", lemma, frozenset(), event, mode or None, cameo or None, context or None, "noun"))
    return out


@functools.lru_cache(maxsize=4)
def load_lexicon(triggers: Path | None = None) -> Lexicon:
    """The trigger lexicon: the hand-written entries (``triggers``, a TSV file like the shipped
    ``data/triggers.tsv``, which is the default), the derived event nouns and the verb patterns."""
    if triggers is not None:
        text = Path(triggers).read_text("utf-8")
    else:
        text = resources.files("eventwire.coding").joinpath("data/triggers.tsv").read_text("utf-8")
    entries, version = _parse(text)
    patterns = load_verb_patterns()
    return Lexicon(entries + load_derived_nouns(), f"{version}+petrarch.{patterns.version}", patterns)
