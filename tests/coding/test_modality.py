import pytest

from eventwire.coding.modality import auxiliary_modes, governing_verb, is_reported_speech


def _tok(nlp, text, word):
    doc = nlp(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(
    ("text", "word", "modes"),
    [
        ("The militia denied carrying out the bombing of the bridge.", "bombing", ["negation"]),
        ("The rebels denied involvement in the ambush.", "ambush", ["negation"]),
        ("The navy did not attack the tanker.", "attack", ["negation"]),
        ("The army refused to withdraw from the province.", "withdraw", ["negation"]),
        ("Nobody was killed in the attack on the patrol.", "attack", []),
        ("The brigade will leave Mosul airport in the coming days.", "leave", ["future"]),
        ("The government plans to deploy troops to the border.", "deploy", ["future"]),
        ("The envoy is set to visit Damascus next week.", "visit", ["future"]),
        ("The president is expected to meet his counterpart.", "meet", ["future"]),
        ("The rebels are going to attack the town.", "attack", ["future"]),
        ("The troops depart in the coming days.", "depart", ["future"]),
        ("Tehran could strike American bases in the Gulf.", "strike", ["hypothetical"]),
        ("The militia may attack the embassy.", "attack", ["hypothetical"]),
        ("If the talks fail, the army would launch an offensive.", "launch", ["hypothetical"]),
        ("The group threatened to attack foreign embassies.", "attack", []),
        ("Jets bombed the depot on Friday.", "bombed", []),
        ("Officials said the army would not withdraw.", "withdraw", ["negation", "hypothetical"]),
    ],
)
def test_auxiliary_modes(nlp, text, word, modes):
    assert auxiliary_modes(_tok(nlp, text, word)) == modes


def test_potential_attack_noun(nlp):
    assert auxiliary_modes(_tok(nlp, "Officials warned of a potential attack.", "attack")) == ["hypothetical"]


@pytest.mark.parametrize(
    ("text", "word", "gov"),
    [
        ("The group threatened to attack foreign embassies.", "attack", "threatened"),
        ("The militia denied carrying out the bombing.", "bombing", "denied"),
        ("The government plans to deploy troops.", "deploy", "plans"),
        ("The rebels tried to storm the prison.", "storm", None),
        ("Jets bombed the depot on Friday.", "bombed", None),
    ],
)
def test_governing_verb(nlp, text, word, gov):
    found = governing_verb(_tok(nlp, text, word))
    assert (found.text if found is not None else None) == gov


@pytest.mark.parametrize(
    ("text", "word", "speech"),
    [
        ("Gunmen attacked the checkpoint on Monday, police said.", "attacked", "said"),
        ("According to police, gunmen attacked a checkpoint.", "attacked", "According"),
        ("The minister told reporters that the army will withdraw.", "withdraw", "told"),
        ("The ministry announced that troops had entered the town.", "entered", "announced"),
        ("Gunmen attacked the checkpoint on Monday.", "attacked", None),
    ],
)
def test_reported_speech(nlp, text, word, speech):
    found = is_reported_speech(_tok(nlp, text, word))
    assert (found.text if found is not None else None) == speech
