"""The lemmas of spaCy's rule lemmatizer, each worked out once per process.

spaCy's ``Lemmatizer`` in ``rule`` mode walks every token in Python and, for most of them (the
base forms, proper nouns), works its rules out again each time; a word it does look up is
searched for in a list of up to 57,528 lemmas (``lemma_index``), one by one: about 10% of the
parse of a news article.  A token's rule lemma depends only on its text, part of speech and morphology (the
English ``is_base_form`` reads those two), so ``CachedLemmatizer`` reads those columns of the
whole ``Doc`` at once, asks the model's own lemmatizer only for a combination it has not seen,
and writes the lemma column back at once; the lemmatizer it asks looks words up in sets of the
same lemmas.  As spaCy's, it leaves a lemma already set (by the
attribute ruler) alone unless the lemmatizer overwrites.  The tests compare every lemma with
the stock component's on real text.
"""

from __future__ import annotations

from typing import Any, cast

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

NAME = "eventwire_lemmatizer"


class CachedLemmatizer:
    """Sets what ``stock`` (a rule-mode ``Lemmatizer``) sets (see the module docstring)."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.stock: Lemmatizer | None = None
        self._lemma: dict[tuple[int, int, int], int] = {}  # (orth, pos, morph) -> lemma

    def __call__(self, doc: Doc) -> Doc:
        stock = self.stock
        assert stock is not None
        if not len(doc):
            return doc
        if not stock._validated:  # (the stock component checks its tables on first use too)
            stock._validate_tables()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()
        cache, strings, overwrite = self._lemma, self.vocab.strings, stock.overwrite
        lemmas = []
        for i, (orth, pos, morph, tagged) in enumerate(rows):
            lemma = tagged
            if overwrite or tagged == 0:
                key = (orth, pos, morph)
                lemma = cache.get(key, 0)
                if not lemma:
                    lemma = cache[key] = strings.add(stock.lemmatize(doc[i])[0])
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64))  # type: ignore[arg-type]  # thinc's Ints2d stands for any integer array
        return doc


@Language.factory(NAME)
def make_cached_lemmatizer(nlp: Language, name: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp.vocab)


def use_cached_lemmatizer(nlp: Language) -> bool:
    """Put ``CachedLemmatizer`` in the place of ``nlp``'s rule-mode ``lemmatizer``; False (and
    the stock component kept) for a lemmatizer of another mode or kind."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    stock = nlp.get_pipe("lemmatizer")
    if not isinstance(stock, Lemmatizer) or stock.mode != "rule":
        return False
    comp = cast(CachedLemmatizer, nlp.add_pipe(NAME, before="lemmatizer"))
    comp.stock = stock
    nlp.remove_pipe("lemmatizer")  # only ``comp`` holds it from now on
    if stock.lookups.has_table("lemma_index"):
        index = stock.lookups.get_table("lemma_index")
        for pos in list(index):
            index[pos] = frozenset(index[pos])  # only ever asked ``form in index``
    return True
