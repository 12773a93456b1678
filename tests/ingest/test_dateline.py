"""Datelines and stated publication dates at the head of a report."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.ingest.dateline import find_dateline, find_publication_date


@pytest.mark.parametrize(
    ("text", "place", "region", "agency"),
    [
        ("DUHOK, Kurdistan Region – Aid groups said on Sunday", "DUHOK", "Kurdistan Region", None),
        ("BASRA (Reuters) - A bomb exploded near an oil terminal", "BASRA", None, "Reuters"),
        ("ODESA, Ukraine — Drones struck the port overnight", "ODESA", "Ukraine", None),
        ("BEIRUT — The cabinet met again", "BEIRUT", None, None),
        ("Kirkuk, Iraq (AP) -- Gunmen opened fire", "Kirkuk", "Iraq", "AP"),
        ("Amman — Jordan's king received the envoy", "Amman", None, None),
        ("Fighting resumes near Raqqa\nRAQQA, Syria - Clashes resumed", "RAQQA", "Syria", None),
        ("SANAA, Jan 4 (Reuters) - Houthi forces said", "SANAA", None, "Reuters"),
    ],
)
def test_datelines(text: str, place: str, region: str | None, agency: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.region, found.agency) == (place, region, agency)
    assert text[found.start : found.end] == place


@pytest.mark.parametrize(
    "text",
    [
        "The army said the road was reopened - at least for now.",
        "However, Baghdad — the capital — stayed calm.",
        "Meanwhile, Iraq – which hosts the troops – protested.",
        "Police said on Monday that two men were arrested.",
        "UPDATE - casualty figures revised",
        "Title line of a story\nOfficials in the city said - according to a statement - that",
        "",
    ],
)
def test_no_dateline_in_ordinary_sentences(text: str) -> None:
    assert find_dateline(text) is None


def test_dateline_only_at_the_start() -> None:
    text = (
        "Headline\nFirst paragraph of the story.\nMore text.\nMOSUL, Iraq - This is not a dateline"
    )
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: April 2, 2021\nNAJAF - Pilgrims gathered", date(2021, 4, 2)),
        ("Headline here\n2 April 2021 10:45\nBody text.", date(2021, 4, 2)),
        ("2021-04-02\nBody text.", date(2021, 4, 2)),
        ("Headline\nBy A Reporter\nFriday, April 2, 2021\nBody.", date(2021, 4, 2)),
        ("Updated: 3 April 2021 | Published: 2 April 2021\nBody.", date(2021, 4, 2)),
        ("Headline\nPosted on 2021-04-02T08:30:00Z\nBody.", date(2021, 4, 2)),
    ],
)
def test_publication_dates(text: str, expected: date) -> None:
    assert find_publication_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The attack on April 2, 2021 killed five people in the market.",
        "Headline\nGunmen attacked a checkpoint on Friday.\nPolice said 2021-04-02 was quiet.",
        "Headline\nBody text without any date.",
        "On 2 April 2021 the council met.\n",
    ],
)
def test_no_publication_date_outside_the_header(text: str) -> None:
    assert find_publication_date(text) is None


def test_bad_input_type() -> None:
    with pytest.raises(TypeError, match="needs a str"):
        find_dateline(None)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_crash_and_offsets_valid(text: str) -> None:
    found = find_dateline(text)
    if found is not None:
        assert 0 <= found.start < found.end <= len(text)
        assert text[found.start : found.end] == found.place
    find_publication_date(text)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["", "A headline\n", "\n\n"]),
    st.from_regex(
        r"[A-Z]{3,10}(, [A-Z][a-z]{2,8})?( \((AP|AFP|Reuters)\))? [-–—] ", fullmatch=True
    ),
    st.text(max_size=80),
)
def test_generated_datelines(head: str, line: str, body: str) -> None:
    text = head + line + "Officials " + body
    found = find_dateline(text)
    assert found is not None
    assert text[found.start : found.end] == found.place
