"""``nlp.attributes.FastAttributeRuler`` sets exactly what the model's own attribute_ruler sets."""

from __future__ import annotations

import json

import pytest
import spacy

from eventwire.nlp import available_model
from eventwire.nlp.attributes import NAME, use_fast_attribute_ruler
from support.shared import shared_path

pytestmark = pytest.mark.slow

# written for this test: the rules of several tokens ("gon na", "y' all", "there is", "let 's"),
# negation, auxiliaries, pronoun case, determiners used as pronouns, spaces
EDGE_CASES = [
    "Y'all ain't gonna believe it, but there is nothin' left in the depot. Let's go, c'mon!",
    "He gets the message; she got it too. I'd have told them if they had asked me about it.",
    "Those who fled say that is not what happened, though nobody will say whether it's true.",
    "  Two  spaces\n\nand a blank line.  There were protests; there are more planned.",
    "THE MINISTRY SAID IT IS NOT AWARE OF ANY ARRESTS. Whose forces are these? Which did they hit?",
]


def _attrs(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


def test_the_same_attributes_as_the_stock_component():
    stock = spacy.load(available_model())
    fast = spacy.load(available_model())
    assert use_fast_attribute_ruler(fast)
    assert NAME in fast.pipe_names and "attribute_ruler" not in fast.pipe_names
    stories = shared_path("corpus", "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()
    texts = EDGE_CASES + [json.loads(line)["text"] for line in stories[:12]]
    tokens = 0
    for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        assert _attrs(a) == _attrs(b)
        tokens += len(a)
    assert tokens > 5000


def test_a_ruler_with_rules_it_does_not_know_is_left_alone():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": {">": 3}}]], {"POS": "NOUN"})  # an operator the fast ruler does not handle
    assert not use_fast_attribute_ruler(nlp)
    assert "attribute_ruler" in nlp.pipe_names
