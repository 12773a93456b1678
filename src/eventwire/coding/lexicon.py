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

from spacy.tokens import Token

VERB_POS = frozenset({"VERB"})
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

    @property
    def conditional(self) -> bool:
        return bool(self.condition)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    token: Token  # the head of the trigger
    extra: tuple[Token, ...]  # the dependent that satisfied the condition, if any
    entry: LexEntry

    @property
    def nominal(self) -> bool:
        return self.token.pos_ in NOUN_POS

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tuple(sorted((self.token, *self.extra), key=lambda t: t.i))


class Lexicon:
    def __init__(self, entries: list[LexEntry], version: str = "") -> None:
        self.version = version
        self._by_key: dict[tuple[str, str], list[LexEntry]] = {}
        for e in entries:
            for pos in (e.pos,) if e.pos else ("v", "n"):
                self._by_key.setdefault((pos, e.lemma), []).append(e)
        for lst in self._by_key.values():
            lst.sort(key=lambda e: not e.conditional)  # conditional entries first

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_key.values())

    def match(self, token: Token) -> TriggerMatch | None:
        if token.pos_ in VERB_POS:
            pos = "v"
        elif token.pos_ in NOUN_POS:
            pos = "n"
        else:
            return None
        entries = self._by_key.get((pos, token.lemma_.lower()))
        if not entries:
            return None
        for entry in entries:
            if not entry.conditional:
                return TriggerMatch(token, (), entry)
            extra = _condition_token(token, entry.condition, pos)
            if extra is not None:
                if pos == "n" and token.dep_ == "compound" and extra.i == token.head.i:
                    return TriggerMatch(extra, (token,), entry)
                return TriggerMatch(token, (extra,), entry)
        return None


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


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("eventwire.coding").joinpath("data/triggers.tsv").read_text("utf-8")
    entries, version = _parse(text)
    return Lexicon(entries, version)
