"""find_time_expressions() and date_for_trigger() on parsed sentences (anchor: Tuesday 2020-03-17)."""

from datetime import date

import pytest

from eventwire.time import date_for_trigger, find_time_expressions

TUE = date(2020, 3, 17)


def _exprs(nlp, text: str, anchor: date | None = TUE):
    doc = nlp(text)
    return doc, find_time_expressions(doc, anchor)


def _tok(doc, word: str):
    return next(t for t in doc if t.text == word)


def _dated(nlp, text: str, trigger: str, others: tuple[str, ...] = ()) -> date | None:
    doc, exprs = _exprs(nlp, text)
    expr = date_for_trigger(_tok(doc, trigger), exprs, [_tok(doc, o) for o in others])
    return expr.date if expr else None


def test_offsets_point_into_the_doc_text(nlp) -> None:
    doc, exprs = _exprs(
        nlp, "Rebels shelled the town on Sunday and again in the early hours of Monday."
    )
    assert [e.mention.text for e in exprs] == ["Sunday", "in the early hours of Monday"]
    for e in exprs:
        assert doc.text[e.mention.start : e.mention.end] == e.mention.text
    assert [e.date for e in exprs] == [date(2020, 3, 15), date(2020, 3, 16)]


def test_split_entities_are_joined(nlp) -> None:
    _, exprs = _exprs(
        nlp, "In a statement on Thursday afternoon, the army said it had retaken the bridge."
    )
    assert [(e.mention.text, e.date) for e in exprs] == [("Thursday afternoon", date(2020, 3, 12))]


@pytest.mark.parametrize(
    "text",
    [
        "Two fighters of the 52nd Brigade were wounded near the airport.",
        "The council adopted Resolution 2417 after a long debate.",
        "There are about 4,000 foreign troops stationed in the province.",
        "A 34-year-old shopkeeper and his two sons were among the victims.",
        "The fund pledged $250 million to rebuild 1,200 homes.",
        "The siege lasted three weeks and left hundreds without water.",
    ],
)
def test_numbers_that_are_not_dates(nlp, text: str) -> None:
    _, exprs = _exprs(nlp, text)
    assert [e for e in exprs if e.date is not None] == []


def test_bare_year_after_a_name_is_not_a_date(nlp) -> None:
    _, exprs = _exprs(nlp, "Diplomats cited Resolution 1973 during the talks in 2011.")
    assert [e.mention.text for e in exprs] == ["2011"]


def test_since_is_kept_as_the_relation(nlp) -> None:
    _, exprs = _exprs(nlp, "Since June 2018, the militia has carried out dozens of raids.")
    assert len(exprs) == 1
    assert exprs[0].relation == "since" and exprs[0].date == date(2018, 6, 1)
    assert exprs[0].enddate == TUE


def test_future_clause_turns_a_weekday_forward(nlp) -> None:
    _, exprs = _exprs(nlp, "The foreign ministers will meet in Geneva on Friday.")
    assert exprs[0].date == date(2020, 3, 20)
    _, exprs = _exprs(nlp, "The foreign ministers met in Geneva on Friday.")
    assert exprs[0].date == date(2020, 3, 13)


def test_no_anchor_keeps_relative_expressions_unresolved(nlp) -> None:
    _, exprs = _exprs(nlp, "Militants attacked a checkpoint on Friday and on 2 March 2020.", None)
    assert [(e.mention.text, e.date) for e in exprs] == [
        ("Friday", None),
        ("2 March 2020", date(2020, 3, 2)),
    ]


def test_each_event_gets_its_own_date(nlp) -> None:
    text = (
        "Army helicopters bombed militant hideouts late on Saturday, two days after Thursday's "
        "ambush on a convoy near the border."
    )
    assert _dated(nlp, text, "bombed", ("ambush",)) == date(2020, 3, 14)
    assert _dated(nlp, text, "ambush", ("bombed",)) == date(2020, 3, 12)


def test_opening_date_dates_the_main_event(nlp) -> None:
    text = (
        "On 27 December 2019, militants fired rockets at a base near Kirkuk, killing a contractor."
    )
    assert _dated(nlp, text, "fired") == date(2019, 12, 27)


def test_trailing_date_dates_the_event(nlp) -> None:
    text = "Tehran answered the killing by launching missiles at two air bases on January 8."
    assert _dated(nlp, text, "launching", ("killing",)) == date(2020, 1, 8)


def test_meeting_with_weekday(nlp) -> None:
    text = "The defence minister spoke with his Turkish counterpart on Monday about the border."
    assert _dated(nlp, text, "spoke") == date(2020, 3, 16)


def test_reported_event_takes_its_own_date_not_the_report_date(nlp) -> None:
    text = "The ministry said on Monday that a roadside bomb exploded near a market on Saturday."
    assert _dated(nlp, text, "exploded") == date(2020, 3, 14)
    assert _dated(nlp, text, "said", ("exploded",)) == date(2020, 3, 16)


def test_report_date_used_when_the_event_has_none(nlp) -> None:
    text = "Gunmen killed three policemen at a checkpoint in Samarra, police said on Thursday."
    assert _dated(nlp, text, "killed") == date(2020, 3, 12)


def test_statement_and_ceremony_on_the_same_day(nlp) -> None:
    text = (
        "The coalition released a statement on Tuesday confirming their troops held a handover "
        "ceremony on Tuesday."
    )
    doc, exprs = _exprs(nlp, text)
    rel = date_for_trigger(_tok(doc, "released"), exprs, [_tok(doc, "held")])
    held = date_for_trigger(_tok(doc, "held"), exprs, [_tok(doc, "released")])
    assert rel is not None and held is not None
    assert rel.mention.start < held.mention.start
    assert rel.date == held.date == TUE


def test_no_expression_in_the_sentence(nlp) -> None:
    assert _dated(nlp, "Protesters blocked the main road into the city.", "blocked") is None


def test_rejects_non_spacy_input() -> None:
    with pytest.raises(TypeError, match="spaCy Doc or Span"):
        find_time_expressions("on Friday", TUE)  # type: ignore[arg-type]


def test_seed_article_dates(nlp, seed_text: str) -> None:
    doc = nlp(seed_text)
    exprs = find_time_expressions(doc, TUE)
    texts = {e.mention.text: e.date for e in exprs}
    assert date(2020, 3, 13) in texts.values()
    assert not any("46th" in t or "5,000" in t for t in texts)


def test_the_reporting_date_does_not_date_the_reported_event(nlp) -> None:
    text = "Kurdish forces said on Monday they had killed 20 militants near Makhmour on Saturday."
    assert _dated(nlp, text, "killed") == date(2020, 3, 14)
    text = "Police said on Tuesday that gunmen killed two guards at a checkpoint on Sunday."
    assert _dated(nlp, text, "killed") == date(2020, 3, 15)


@pytest.mark.parametrize(
    "text",
    [
        "Bombings kill 11 people in Kabul as the 2019 toll passes 3,000",
        "Militant attacks push the March death toll past 400",
        "Gunmen kill four soldiers, raising June's tally to 52",
    ],
)
def test_the_period_of_a_running_toll_does_not_date_the_event(nlp, text: str) -> None:
    assert _dated(nlp, text, text.split()[1]) is None


def test_a_month_that_dates_the_killing_still_does(nlp) -> None:
    assert _dated(nlp, "Car bombs killed 13 people across Kabul in May 2019.", "killed") == date(2019, 5, 1)


def test_a_date_inside_a_participle_clause_on_another_noun_dates_that_clause(nlp):
    from datetime import date as _d

    from eventwire.time import date_for_trigger, find_time_expressions

    doc = nlp("The UN urged Eritrea to free journalists held without trial since 2001.")
    urged = next(t for t in doc if t.lower_ == "urged")
    exprs = find_time_expressions(doc, _d(2021, 6, 1))
    assert date_for_trigger(urged, exprs) is None


def test_coordinated_acts_share_the_date_of_the_first(nlp):
    from datetime import date as _d

    from eventwire.time import date_for_trigger, find_time_expressions

    doc = nlp("Gunmen raided the village of Kiwanja on Monday and burned about 30 houses.")
    raided = next(t for t in doc if t.lower_ == "raided")
    burned = next(t for t in doc if t.lower_ == "burned")
    exprs = find_time_expressions(doc, _d(2022, 3, 10))
    assert date_for_trigger(burned, exprs, [raided]) is not None
