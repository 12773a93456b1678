import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.size import parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("two", 2),
        ("1,200", 1200),
        ("a hundred", 100),
        ("dozens", 12),
        ("scores", 20),
        ("hundreds", 100),
        ("a dozen", 12),
        ("at least 156", 156),
        ("more than a hundred", 100),
        ("between 10 and 15", 10),
        ("10-15", 10),
        ("two or three", 2),
        ("twenty-five", 25),
        ("two hundred and five", 205),
        ("tens of thousands", 10000),
        ("1.5 million", 1_500_000),
        ("no", 0),
        ("no one", 0),
    ],
)
def test_parse_count(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["several", "many", "a few", "46th", "Resolution", "", "12,5"])
def test_parse_count_without_number(text):
    assert parse_count(text) is None


@given(st.text(max_size=200))
def test_parse_count_never_raises(text):
    value = parse_count(text)
    assert value is None or (isinstance(value, int) and value >= 0)
