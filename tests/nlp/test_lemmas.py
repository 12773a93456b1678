"""``nlp.lemmas.CachedLemmatizer`` sets exactly the lemmas the model's own lemmatizer sets."""

from __future__ import annotations

import json

import pytest
import spacy

from eventwire.nlp import available_model
from eventwire.nlp.lemmas import NAME, use_cached_lemmatizer
from support.shared import shared_path

pytestmark = pytest.mark.slow

# written for this test: irregular and regular inflections, words out of the lemma lists,
# proper nouns, numbers, the same words twice with other parts of speech, spaces, an empty text
TEXTS = [
    "The mice were caught; geese flew over the burnt fields and the children's toys were broken.",
    "She flies to Kyiv on Mondays, he flew back; flies swarmed. Better days, the best of them, worse ones.",
    "Protesters rallied, rallying again at 3pm; the Zorblaxes zorbled 12,400 gleeps in 2024 and 1990s.",
    "  Two  spaces\n\nand a blank line.  Ran, running, runs; bought, buys; was, were, is, been, being.",
    "",
    "THE MINISTRY SAID ITS FORCES HAD WITHDRAWN FROM THE VILLAGES. Whose lives were spared?",
]


def _attrs(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc]


def test_the_same_lemmas_as_the_stock_component():
    stock = spacy.load(available_model())
    cached = spacy.load(available_model())
    assert use_cached_lemmatizer(cached)
    assert NAME in cached.pipe_names and "lemmatizer" not in cached.pipe_names
    stories = shared_path("corpus", "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()
    texts = TEXTS + [json.loads(line)["text"] for line in stories[:12]]
    tokens = 0
    for _ in range(2):  # a second pass answers from the cache
        for a, b in zip(stock.pipe(texts), cached.pipe(texts), strict=True):
            assert _attrs(a) == _attrs(b)
            tokens += len(a)
    assert tokens > 10000


def test_a_lemmatizer_of_another_mode_is_left_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not use_cached_lemmatizer(nlp)
    assert "lemmatizer" in nlp.pipe_names
