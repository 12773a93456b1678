import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.size import find_casualties, size_for_trigger


def _totals(nlp, text):
    doc = nlp(text)
    out = {}
    for sent in doc.sents:
        for m in find_casualties(sent):
            if m.count is not None:
                out[m.kind] = out.get(m.kind, 0) + m.count
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Four Kurdish soldiers and three militiamen were killed near the border on Sunday.", {"dead": 7}),
        ("A shepherd was killed and another wounded when a mine exploded.", {"dead": 1, "injured": 1}),
        ("The rocket attack on the airbase killed two Americans and one Australian.", {"dead": 3}),
        ("Militants killed dozens of villagers in the raid.", {"dead": 12}),
        ("Scores of protesters were injured in the clashes.", {"injured": 20}),
        ("Hundreds of students were detained by the police.", {"arrested": 100}),
        ("More than a hundred soldiers suffered concussions and other injuries.", {"injured": 100}),
        ("Gunmen stormed the market, killing at least 38 people.", {"dead": 38}),
        ("A dozen workers were hurt in the blast.", {"injured": 12}),
        ("No soldiers were killed in the barrage.", {"dead": 0}),
        ("The car bomb left 9 people dead and 20 wounded.", {"dead": 9, "injured": 20}),
        ("The death toll from the floods of violence rose to 27 on Tuesday.", {"dead": 27}),
        ("Between 20 and 30 fighters were killed in the ambush.", {"dead": 20}),
        ("Police raided the camp, killing two men and arresting 15.", {"dead": 2, "arrested": 15}),
        ("Car bomb kills 11 in Kirkuk", {"dead": 11}),
        ("23 dead as militants storm prison", {"dead": 23}),
        ("Six policemen hurt in grenade attack", {"injured": 6}),
        ("Security forces rounded up forty suspects overnight.", {"arrested": 40}),
        ("A 42-year-old farmer was killed by a stray shell.", {"dead": 1}),
    ],
)
def test_counts(nlp, text, expected):
    assert _totals(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "About 3,000 French troops are stationed in the country.",
        "Fighters of the 52nd Brigade took positions near the river.",
        "The council adopted Resolution 1701 in 2006.",
        "The ministry paid 5 million dollars to the families in 2019.",
        "Several soldiers were wounded in the shelling.",
        "Many residents were killed, witnesses said.",
    ],
)
def test_no_count(nlp, text):
    assert _totals(nlp, text) == {}


def test_mention_fields(nlp):
    doc = nlp("Three Iraqi soldiers and two police officers were killed in the raid.")
    (m,) = find_casualties(next(doc.sents))
    assert (m.kind, m.count, m.verb.text) == ("dead", 5, "killed")
    assert "soldiers" in m.victims and doc.text[m.mention.start : m.mention.end] == m.mention.text


def _tok(doc, text):
    return next(t for t in doc if t.text == text)


def test_counts_go_to_the_event_that_caused_them(nlp):
    doc = nlp(
        "Jets launched strikes on depots on Friday in response to Wednesday's rocket attack "
        "on the base, which killed two Americans and one Briton."
    )
    sent = next(doc.sents)
    cas = find_casualties(sent)
    strikes, attack = _tok(doc, "strikes"), _tok(doc, "attack")
    assert size_for_trigger(attack, cas, [strikes]).dead == 3
    assert size_for_trigger(strikes, cas, [attack]).is_empty()


def test_casualty_verb_trigger_keeps_its_own_counts(nlp):
    doc = nlp("Four soldiers were killed and several more injured in the shelling.")
    sent = next(doc.sents)
    size = size_for_trigger(_tok(doc, "killed"), find_casualties(sent))
    assert size.dead == 4 and size.injured is None


def test_same_casualties_told_twice_counted_once(nlp):
    doc = nlp("The bombing killed 14 people, bringing the death toll to 14.")
    sent = next(doc.sents)
    assert size_for_trigger(_tok(doc, "bombing"), find_casualties(sent)).dead == 14


def test_coordinated_reports_add_up(nlp):
    doc = nlp("The blast killed two soldiers and wounded five others.")
    sent = next(doc.sents)
    size = size_for_trigger(_tok(doc, "blast"), find_casualties(sent))
    assert (size.dead, size.injured) == (2, 5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_find_casualties_never_raises(nlp, text):
    doc = nlp(text)
    for sent in doc.sents:
        for m in find_casualties(sent):
            assert m.count is None or m.count >= 0
            trig = doc[sent.start]
            size_for_trigger(trig, find_casualties(sent), [doc[sent.end - 1]])


def test_killed_or_wounded_gives_no_count(nlp):
    sent = next(nlp("Officials said 20 people were killed or wounded in the raid.").sents)
    assert all(m.kind != "dead" or m.count is None for m in find_casualties(sent))


def test_deaths_go_to_the_violence_not_to_a_coordinated_arrest(nlp):
    doc = nlp("Police opened fire on demonstrators on Monday, killing one person and arresting 12, sources said.")
    sent = next(doc.sents)
    opened = next(t for t in doc if t.text == "opened")
    arresting = next(t for t in doc if t.text == "arresting")
    cas = find_casualties(sent)
    assert size_for_trigger(opened, cas, [arresting]).dead == 1
    assert size_for_trigger(arresting, cas, [opened]).dead is None
    assert size_for_trigger(arresting, cas, [opened]).arrested == 12
