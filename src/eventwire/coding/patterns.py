"""Verb patterns derived from the PETRARCH2 CAMEO dictionary (``data/derived/verb_patterns.tsv``).

The table is made by ``scripts/build_lexicon.py`` from openly licensed training material (see its
header): verbs grouped in synonym blocks, each verb with a default CAMEO code, and per block the
patterns of words around the verb that give a more specific code ("agree" + "(to) ceasefire",
"call off" + "strike").  ``VerbPatterns.match`` reads a verb token's clause from the dependency
parse and returns the most specific pattern whose every requirement is met:

- a ``post`` requirement names words one of which must occur after the verb in its clause (its
  objects, particles, prepositional phrases and controlled verbs: "agreed to *hold talks*"), inside
  a prepositional phrase of the named preposition when one is given (``to:ceasefire``);
- a ``pre`` requirement names words one of which must occur in the verb's subject
  ("*gunmen* killed");
- words match a token's lower-cased form or lemma, plural and singular alike.

A pattern coded ``---`` says the verb is no event in that context ("killed in an accident").
Without a matching pattern the verb's own default code applies, where it has one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Token

# The verb's own clause: dependents that do not start another clause of their own.
CLAUSE_DEPS = frozenset(
    {"dobj", "obj", "prt", "prep", "pobj", "pcomp", "attr", "oprd", "acomp", "xcomp", "dative",
     "compound", "amod", "nmod", "npadvmod", "advmod", "neg", "nummod", "quantmod", "poss", "det",
     "agent", "nsubjpass", "appos", "case"}
)  # fmt: skip
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
MAX_DEPTH = 4


@dataclass(frozen=True, slots=True)
class Requirement:
    prep: str  # "" any position; otherwise the preposition heading the phrase
    words: frozenset[str]  # empty: the preposition itself is what is required


@dataclass(frozen=True, slots=True)
class Code:
    cameo: str  # "---": no event
    event: str
    mode: str | None
    context: str | None


@dataclass(frozen=True, slots=True)
class PatternEntry:
    pre: tuple[Requirement, ...]
    post: tuple[Requirement, ...]
    code: Code
    order: int

    @property
    def specificity(self) -> int:
        return len(self.pre) + len(self.post)


@dataclass(frozen=True, slots=True)
class VerbMatch:
    """The code a verb takes in its clause, the pattern that gave it (None: the verb's default)
    and the tokens that met the pattern's requirements."""

    code: Code
    pattern: PatternEntry | None
    tokens: tuple[Token, ...]
    particle: str = ""

    @property
    def is_event(self) -> bool:
        return self.code.cameo != "---" and bool(self.code.event)


def _forms(word: str) -> set[str]:
    out = {word}
    if len(word) > 3 and word.endswith("ies"):
        out.add(word[:-3] + "y")
    elif len(word) > 3 and word.endswith(("ses", "xes", "ches", "shes")):
        out.add(word[:-2])
    elif len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
    return out


class VerbPatterns:
    def __init__(self, text: str) -> None:
        self.version = ""
        sets: dict[str, frozenset[str]] = {}
        rows: list[list[str]] = []
        for line in text.splitlines():
            if not line or line.startswith("#"):
                if "input digest" in line:
                    self.version = line.split("input digest", 1)[1].split(";")[0].strip()
                continue
            cols = line.split("\t")
            if cols[0] == "S":
                sets[cols[1]] = frozenset(w for w in cols[2].split("|") if w)
            else:
                rows.append(cols)

        def req(text: str) -> Requirement:
            prep, _, words = text.rpartition(":") if ":" in text else ("", "", text)
            out: set[str] = set()
            for w in words.split("|"):
                if not w:
                    continue
                for x in sets.get(w[1:], frozenset()) if w.startswith("&") else (w,):
                    out |= _forms(x)
            return Requirement(prep, frozenset(out))

        def code(cols: list[str]) -> Code | None:
            cols = cols + [""] * 4
            cameo, event, mode, ctx = cols[:4]
            if not cameo:
                return None
            return Code(cameo, event, mode or None, ctx or None)

        self._verbs: dict[tuple[str, str], list[tuple[int, Code | None]]] = {}
        self._patterns: dict[int, list[PatternEntry]] = {}
        for n, cols in enumerate(rows):
            if cols[0] == "V":
                lemma, particle, block = cols[1], cols[2], int(cols[3])
                self._verbs.setdefault((lemma, particle), []).append((block, code(cols[4:])))
            elif cols[0] == "P":
                pre = tuple(req(r) for r in cols[1].split(";") if r)
                post = tuple(req(r) for r in cols[2].split(";") if r)
                c = code(cols[4:])
                if c is None or any(not r.words and not r.prep for r in pre + post):
                    continue
                self._patterns.setdefault(int(cols[3]), []).append(PatternEntry(pre, post, c, n))
        for lst in self._patterns.values():
            lst.sort(key=lambda p: (-p.specificity, p.order))
        self.particles = frozenset(p for (_, p) in self._verbs if p)

    def __len__(self) -> int:
        return sum(len(v) for v in self._patterns.values())

    def knows(self, lemma: str) -> bool:
        return (lemma, "") in self._verbs or any((lemma, p) in self._verbs for p in self.particles)

    def match(self, verb: Token) -> VerbMatch | None:
        """The most specific pattern (or default code) for ``verb`` in its clause, or None."""
        lemma = verb.lemma_.lower()
        particles = {c.lower_ for c in verb.children if c.dep_ in ("prt", "prep")}
        keys = [(lemma, p) for p in particles if (lemma, p) in self._verbs] + [(lemma, "")]
        post, pre = _clause_tokens(verb)
        best: VerbMatch | None = None
        default: VerbMatch | None = None
        for key in keys:
            for block, own in self._verbs.get(key, ()):
                for pat in self._patterns.get(block, ()):
                    if best is not None and pat.specificity <= (best.pattern.specificity if best.pattern else 0):
                        break
                    found = _meets(pat, pre, post)
                    if found is not None:
                        best = VerbMatch(pat.code, pat, found, key[1])
                        break
                if default is None and own is not None:
                    default = VerbMatch(own, None, (), key[1])
            if best is not None:
                break
        return best or default


def _clause_tokens(verb: Token) -> tuple[list[tuple[Token, str]], list[Token]]:
    """Tokens after the verb in its clause, each with the preposition whose phrase holds it
    (``""`` outside any), and the tokens of its subject."""
    post: list[tuple[Token, str]] = []
    stack: list[tuple[Token, str, int]] = [(c, "", 1) for c in verb.children if c.i > verb.i or c.dep_ == "prt"]
    while stack:
        tok, prep, depth = stack.pop()
        if tok.dep_ not in CLAUSE_DEPS or depth > MAX_DEPTH:
            continue
        here = tok.lower_ if tok.dep_ in ("prep", "agent", "prt") else prep
        post.append((tok, prep if tok.dep_ in ("prep", "agent") else here))
        stack.extend((c, here, depth + 1) for c in tok.children)
    pre: list[Token] = []
    for c in verb.children:
        if c.dep_ in SUBJECT_DEPS and c.i < verb.i:
            pre.extend(t for t in c.subtree if t.dep_ not in ("relcl", "acl"))
    if not pre and verb.dep_ in ("relcl", "acl") and verb.head.i < verb.i:
        pre.append(verb.head)  # "gunmen who killed": the noun the clause hangs on
    return post, pre


def _word_hit(tok: Token, words: frozenset[str]) -> bool:
    return tok.lower_ in words or tok.lemma_.lower() in words


def _meets(pat: PatternEntry, pre: list[Token], post: list[tuple[Token, str]]) -> tuple[Token, ...] | None:
    found: list[Token] = []
    for r in pat.post:
        hit = None
        for tok, prep in post:
            if r.words:
                if _word_hit(tok, r.words) and (not r.prep or prep == r.prep):
                    hit = tok
                    break
            elif tok.dep_ in ("prep", "prt", "agent") and tok.lower_ == r.prep:
                hit = tok
                break
        if hit is None:
            return None
        found.append(hit)
    for r in pat.pre:
        hit = next((t for t in pre if _word_hit(t, r.words)), None) if r.words else None
        if hit is None:
            return None
        found.append(hit)
    return tuple(found)


@functools.lru_cache(maxsize=1)
def load_verb_patterns() -> VerbPatterns:
    text = resources.files("eventwire.coding").joinpath("data/derived/verb_patterns.tsv").read_text("utf-8")
    return VerbPatterns(text)
