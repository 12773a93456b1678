"""A faster stand-in for spaCy's ``attribute_ruler`` that sets exactly the same attributes.

In the English pipelines the attribute ruler maps each fine-grained tag to its coarse part of
speech and morphology and fixes a few hundred exceptions (179 rules in en_core_web_sm 3.8).  It
runs spaCy's ``Matcher`` with all of them over every token and builds a ``Span`` per match: about
15% of the whole parse of a news article, for what is a table lookup.

``FastAttributeRuler`` takes the rules of the model's own ruler and:

- for the rules of one token (all but a few), evaluates them once per distinct
  (tag, lower-case form, dependency, is-space) combination and caches the attributes they set,
  merged in rule order (later rules win, as in spaCy: matches are applied sorted by rule); a new
  combination is tested only against the rules that ask for its tag or for none (an index by
  tag: a news article brings hundreds of new combinations, and all 179 rules for each cost more
  than the stock component);
- runs a ``Matcher`` with only the rules of several tokens ("gon na", "there is"), and where
  one matches, applies every rule of that token one by one in rule order.

Rules are read before any attribute is set, as in spaCy.  ``build`` refuses a ruler whose rules
use a token attribute or an operator not handled here (the stock component then stays); the
tests compare every token attribute with the stock component's on real text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

NAME = "eventwire_attribute_ruler"
_TOKEN_ATTRS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}  # positions in a token's key

Key = tuple[str, str, str, bool]
Predicate = Callable[[Key], bool]


class UnsupportedRule(ValueError):
    pass


def _value_test(pos: int, spec: Any) -> Predicate:
    if isinstance(spec, dict):
        if len(spec) != 1:
            raise UnsupportedRule(f"several operators in {spec!r}")
        ((op, arg),) = spec.items()
        if op == "IN":
            members = frozenset(arg)
            return lambda k: k[pos] in members
        if op == "NOT_IN":
            members = frozenset(arg)
            return lambda k: k[pos] not in members
        if op == "REGEX" and pos != 3:
            rx = re.compile(arg)
            return lambda k: rx.search(k[pos]) is not None
        raise UnsupportedRule(f"operator {op!r}")
    if isinstance(spec, bool) != (pos == 3):
        raise UnsupportedRule(f"value {spec!r}")
    return lambda k: k[pos] == spec


def _tags(token_pattern: dict[str, Any]) -> frozenset[str] | None:
    """The tags a token must have to match ``token_pattern`` (None: any tag)."""
    spec = token_pattern.get("TAG")
    if isinstance(spec, str):
        return frozenset((spec,))
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return frozenset(spec["IN"])
    return None


def _token_test(token_pattern: dict[str, Any]) -> Predicate:
    tests = []
    for attr, spec in token_pattern.items():
        if attr not in _TOKEN_ATTRS:
            raise UnsupportedRule(f"token attribute {attr!r}")
        tests.append(_value_test(_TOKEN_ATTRS[attr], spec))
    return lambda k: all(t(k) for t in tests)


class FastAttributeRuler:
    """Sets what ``ruler`` sets (see the module docstring)."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        # the one-token rules' alternatives (rule id, test) by the tag they require (None: any
        # tag), so that a new key is tested against a handful of rules rather than all of them
        self.by_tag: dict[str | None, list[tuple[int, Predicate]]] = {}
        self.attrs: list[dict[int, Any]] = []
        self.indices: list[int] = []
        self.multi = Matcher(vocab)
        self.has_multi = False
        self._cache: dict[Key, dict[int, Any]] = {}
        self._singles_of: dict[Key, list[int]] = {}

    def build(self, ruler: AttributeRuler) -> FastAttributeRuler:
        for rule_id, rule in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = rule["patterns"]  # type: ignore[assignment]
            index: int = rule.get("index", 0)  # type: ignore[assignment]
            self.attrs.append(ruler.attrs[rule_id])
            self.indices.append(index)
            if all(len(p) == 1 for p in patterns):
                if index not in (0, -1):
                    raise UnsupportedRule(f"index {index} of a one-token rule")
                for p in patterns:
                    test = _token_test(p[0])
                    for tag in _tags(p[0]) or (None,):
                        self.by_tag.setdefault(tag, []).append((rule_id, test))
            else:
                for p in patterns:
                    for tok in p:
                        _token_test(tok)  # the attributes and operators are the same for these
                self.multi.add(str(rule_id), patterns)
                self.has_multi = True
        return self

    def _singles(self, key: Key) -> list[int]:
        got = self._singles_of.get(key)
        if got is None:
            tests = self.by_tag.get(key[0], []) + self.by_tag.get(None, [])
            got = sorted({rid for rid, test in tests if test(key)})
            self._singles_of[key] = got
        return got

    def _merged(self, key: Key) -> dict[int, Any]:
        got = self._cache.get(key)
        if got is None:
            got = {}
            for rid in self._singles(key):
                got.update(self.attrs[rid])
            self._cache[key] = got
        return got

    def __call__(self, doc: Doc) -> Doc:
        extra: dict[int, list[int]] = {}
        if self.has_multi:
            for match_id, start, end in self.multi(doc, allow_missing=True):
                rid = int(self.vocab.strings[match_id])
                i = (start if self.indices[rid] >= 0 else end) + self.indices[rid]
                if not start <= i < end:
                    raise ValueError(f"attribute rule {rid}: index {self.indices[rid]} outside its match")
                extra.setdefault(i, []).append(rid)
        keys = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]  # read everything before setting
        for tok, key in zip(doc, keys, strict=True):
            if tok.i in extra:
                for rid in sorted(self._singles(key) + extra[tok.i]):
                    set_token_attrs(tok, self.attrs[rid])
            else:
                attrs = self._merged(key)
                if attrs:
                    set_token_attrs(tok, attrs)
        return doc


@Language.factory(NAME)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab)


def use_fast_attribute_ruler(nlp: Language) -> bool:
    """Put ``FastAttributeRuler`` in the place of ``nlp``'s ``attribute_ruler``; False (and
    the stock component kept) where its rules are not all supported."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe("attribute_ruler")
    if not isinstance(stock, AttributeRuler):
        return False
    try:
        fast = FastAttributeRuler(nlp.vocab).build(stock)
    except UnsupportedRule:
        return False
    comp = nlp.add_pipe(NAME, before="attribute_ruler")
    comp.__dict__.update(fast.__dict__)
    nlp.remove_pipe("attribute_ruler")
    return True
