"""A long text is parsed piece by piece with the same result as one parse of the whole text."""

from __future__ import annotations

import pytest
from spacy import attrs

import eventwire.nlp as nlp_stage

ATTRS = [getattr(attrs, a) for a in ("ORTH", "SPACY", "TAG", "POS", "DEP", "HEAD", "ENT_IOB", "ENT_TYPE", "LEMMA", "NORM", "SENT_START", "MORPH")]

PARAGRAPHS = [
    "KANDAHAR, Afghanistan (Wire) - Two police officers were killed on Monday when gunmen attacked "
    "a checkpoint near the city, a provincial spokesman said.",
    "Residents said the fighting lasted for hours.  The Interior Ministry in Kabul blamed the Taliban, "
    "which did not comment.",
    "  Indented: the United Nations Assistance Mission said 14 civilians were wounded in Helmand province.",
    "BAGHDAD - Iraqi forces shelled IS positions west of Ramadi on Tuesday, the army said in a statement.",
    "Protesters marched through Nairobi on Wednesday, demanding the release of opposition leader "
    "John Kamau.\nPolice fired tear gas.",
    "Officials in Geneva said talks would resume next week. \"We are hopeful,\" said Maria Lopez of the "
    "International Committee of the Red Cross.",
]


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of a few paragraphs, so that a short text is cut many times."""
    monkeypatch.setattr(nlp_stage, "CHUNK_CHARS", 1_500)
    monkeypatch.setattr(nlp_stage, "CONTEXT_CHARS", 300)


def _text(n: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(n))


def test_pieces_give_the_same_tokens_and_annotation_as_one_parse(nlp, small_pieces):
    text = _text(60)
    cuts = nlp_stage._cuts(text)
    assert cuts is not None and len(cuts) >= 3
    whole = nlp(text)
    pieces = nlp_stage.parse(nlp, text)
    assert pieces.text == text
    assert [t.idx for t in pieces] == [t.idx for t in whole]
    assert (pieces.to_array(ATTRS) == whole.to_array(ATTRS)).all()
    assert [(e.start, e.end, e.label_) for e in pieces.ents] == [(e.start, e.end, e.label_) for e in whole.ents]


def test_a_dateline_header_counts_only_at_the_start_of_the_text(nlp, small_pieces):
    text = _text(40)
    pieces = nlp_stage.parse(nlp, text)
    whole = nlp(text)
    header_ends = [t.i for t in whole if t.text == "-" and t.i < 12]
    assert header_ends and pieces[header_ends[0] + 1].is_sent_start  # "Two police officers ..." starts
    mid = text.index("BAGHDAD -", 2_000)  # a header further down is an ordinary line
    tok = next(t for t in pieces if t.idx == mid)
    assert [t.is_sent_start for t in pieces[tok.i : tok.i + 4]] == [t.is_sent_start for t in whole[tok.i : tok.i + 4]]


def test_short_texts_and_texts_without_line_breaks_are_parsed_whole(small_pieces):
    assert nlp_stage._cuts(_text(2)) is None
    assert nlp_stage._cuts("word " * 2_000) is None
