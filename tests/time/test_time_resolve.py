"""resolve(): one date expression against the publication date (Tuesday 2020-03-17 here)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.time import ResolvedDate, resolve

TUE = date(2020, 3, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Friday", date(2020, 3, 13)),
        ("on Tuesday", date(2020, 3, 17)),
        ("on Monday", date(2020, 3, 16)),
        ("last Wednesday", date(2020, 3, 11)),
        ("last Wednesday's", date(2020, 3, 11)),
        ("last Tuesday", date(2020, 3, 10)),
        ("the early hours of Friday", date(2020, 3, 13)),
        ("in the early hours of Friday", date(2020, 3, 13)),
        ("Friday afternoon", date(2020, 3, 13)),
        ("late Sunday night", date(2020, 3, 15)),
        ("January 3", date(2020, 1, 3)),
        ("Jan. 8", date(2020, 1, 8)),
        ("Dec. 27", date(2019, 12, 27)),
        ("on 27 December 2019", date(2019, 12, 27)),
        ("the 4th of February", date(2020, 2, 4)),
        ("27/12/2019", date(2019, 12, 27)),
        ("12/27/2019", date(2019, 12, 27)),
        ("2020-03-17", date(2020, 3, 17)),
        ("March 17, 2020", date(2020, 3, 17)),
        ("Monday, March 16", date(2020, 3, 16)),
        ("yesterday", date(2020, 3, 16)),
        ("last night", date(2020, 3, 16)),
        ("today", date(2020, 3, 17)),
        ("this morning", date(2020, 3, 17)),
        ("three days ago", date(2020, 3, 14)),
    ],
)
def test_day_expressions(text: str, expected: date) -> None:
    r = resolve(text, TUE)
    assert r is not None
    assert (r.date, r.enddate, r.precision, r.relation) == (expected, None, "day", "at")
    assert not r.future


def test_last_week_is_the_previous_calendar_week() -> None:
    r = resolve("last week", TUE)
    assert r == ResolvedDate(date(2020, 3, 9), date(2020, 3, 15), "week")


def test_month_windows() -> None:
    early = resolve("in early March", TUE)
    assert early is not None and early.precision == "month"
    assert (early.date, early.enddate) == (date(2020, 3, 1), date(2020, 3, 10))
    late = resolve("late February", TUE)
    assert late is not None and (late.date, late.enddate) == (date(2020, 2, 21), date(2020, 2, 29))
    april = resolve("in April", TUE)  # the most recent past April
    assert april is not None and april.date == date(2019, 4, 1)


def test_since_runs_to_the_anchor() -> None:
    r = resolve("since May 2019", TUE)
    assert r == ResolvedDate(date(2019, 5, 1), TUE, "month", "since")


def test_year_and_decade() -> None:
    assert resolve("in 2014", TUE) == ResolvedDate(date(2014, 1, 1), date(2014, 12, 31), "year")
    r = resolve("the 1990s", None)
    assert r is not None and r.enddate == date(1999, 12, 31)


@pytest.mark.parametrize("text", ["the coming days", "in the coming days", "next week", "tomorrow"])
def test_future_expressions_are_flagged(text: str) -> None:
    r = resolve(text, TUE)
    assert r is not None and r.future and r.date > TUE


def test_coming_days_is_an_after_window() -> None:
    r = resolve("in the coming days", TUE)
    assert r is not None and r.relation == "after" and r.date == date(2020, 3, 18)


def test_weekday_in_a_future_statement_looks_forward() -> None:
    assert resolve("Friday", TUE, future=True) == ResolvedDate(
        date(2020, 3, 20), None, "day", future=True
    )
    r = resolve("March 20", TUE, future=True)
    assert r is not None and r.date == date(2020, 3, 20)


def test_ranges() -> None:
    r = resolve("3-5 March", TUE)
    assert r is not None and (r.date, r.enddate) == (date(2020, 3, 3), date(2020, 3, 5))
    r = resolve("from May to July 2019", TUE)
    assert r is not None and (r.date, r.enddate) == (date(2019, 5, 1), date(2019, 7, 31))


@pytest.mark.parametrize(
    "text",
    ["46th", "2334", "5,000", "three years", "25-year-old", "Three days", "two", "the Brigade",
     "may", "recently", "", "   ", "31/02/2020", "afternoon"],
)  # fmt: skip
def test_non_dates_do_not_resolve(text: str) -> None:
    assert resolve(text, TUE) is None


def test_without_anchor_only_absolute_dates_resolve() -> None:
    assert resolve("Friday", None) is None
    assert resolve("last week", None) is None
    assert resolve("January 3", None) is None
    assert resolve("27 December 2019", None) == ResolvedDate(date(2019, 12, 27), None, "day")


def test_anchor_on_a_sunday_and_year_boundary() -> None:
    sun = date(2021, 1, 3)
    assert resolve("on Sunday", sun) is not None and resolve("on Sunday", sun).date == sun  # type: ignore[union-attr]
    r = resolve("December 30", sun)
    assert r is not None and r.date == date(2020, 12, 30)


def test_bad_input_type_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="needs a str"):
        resolve(17, TUE)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.one_of(st.none(), st.dates()), st.booleans())
def test_resolve_never_raises(text: str, anchor: date | None, future: bool) -> None:
    r = resolve(text, anchor, future=future)
    if r is not None:
        assert r.enddate is None or r.enddate >= r.date or r.relation == "since"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["last ", "on ", "next ", "early ", ""]),
    st.sampled_from(["Monday", "Friday", "March 3", "3 March", "week", "May 2019", "Sunday night"]),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
)
def test_resolve_fuzzed_phrases(prefix: str, core: str, anchor: date) -> None:
    r = resolve(prefix + core, anchor)
    if r is not None and not r.future and r.relation == "at":
        assert r.date <= anchor


def test_impossible_day_of_month_is_no_date_and_no_crash():
    # "June 0" appears in scraped text (table cells, typos): no date, no exception
    assert resolve("June 0", date(2021, 3, 3)) is None
    assert resolve("on 0 May", date(2021, 3, 3), future=True) is None
