"""Lower-cased input: case restored for the parser, offsets unchanged."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from eventwire.nlp.truecase import for_parsing, is_lower_cased, truecase


def test_names_places_months_and_sentence_starts_get_their_case_back():
    text = "on 3 march 2019, police in kisumu arrested 12 opposition supporters. the un condemned it."
    out = truecase(text)
    assert out.startswith("On 3 March 2019, police in Kisumu arrested")
    assert "The UN condemned" in out


def test_a_month_that_is_also_a_verb_stays_a_verb():
    out = truecase("teachers will march to the ministry on friday, and may strike next week.")
    assert "will march to" in out and " may strike" in out and "Friday" in out


def test_cased_text_is_left_alone():
    text = "Police in Kisumu arrested 12 people on Monday after clashes with soldiers near the border."
    assert not is_lower_cased(text)
    assert for_parsing(text) is text


@given(st.text(max_size=300))
def test_truecasing_never_changes_length_or_letters(text):
    out = truecase(text)
    assert len(out) == len(text)
    assert all(a == b or a == b.upper() or a.lower() == b for a, b in zip(out, text, strict=True))


def test_lower_cased_report_is_coded_like_the_cased_one(pipeline):
    from eventwire.ingest import document_from_text

    cased = "On 12 June 2021, Al-Shabaab militants attacked a police station in Mandera, Kenya, killing three officers."
    ev_cased = pipeline.process(document_from_text(cased, "c", date(2021, 6, 13))).events
    ev_lower = pipeline.process(document_from_text(cased.lower(), "l", date(2021, 6, 13))).events
    assert [e.event for e in ev_lower] == [e.event for e in ev_cased]
    assert ev_lower[0].actor and ev_lower[0].actor[0].sector == "REB"
    assert ev_lower[0].event_loc is not None and ev_lower[0].event_loc.country_code == "KEN"
    assert ev_lower[0].size.dead == 3


def test_headlines_in_capitals_are_parsed_in_ordinary_case():
    text = "CHAD SENDS TROOPS TO THE BORDER WITH SUDAN\nThe army moved two battalions on Monday."
    out = for_parsing(text)
    assert out.startswith("Chad sends troops to the border with Sudan\n")
    assert out.endswith("The army moved two battalions on Monday.")
    assert len(out) == len(text)


def test_aid_and_cooperation_verbs(nlp):
    from eventwire.coding import EventCoder

    coder = EventCoder()
    kinds = {c.event for c in coder.code(nlp("Relief agencies distributed food and blankets to families in Kassala on Friday."))}
    assert "AID" in kinds
    kinds = {c.event for c in coder.code(nlp("Kazakhstan resumed grain exports to Afghanistan on Monday after a two-month halt."))}
    assert "COOPERATE" in kinds


def test_a_long_document_is_parsed_in_pieces_with_the_same_text(nlp):
    from eventwire.nlp import CHUNK_CHARS, parse

    para = "Soldiers clashed with rebels near the border on Monday, officials said.\n\n"
    text = para * (3 * CHUNK_CHARS // len(para))
    doc = parse(nlp, text)
    assert doc.text == text
    assert len(list(doc.sents)) >= text.count("officials said")
