"""Resolve one date expression ("last Wednesday", "in early March", "27/12/2019") to dates.

The resolver works on one short span at a time and is anchored on the publication date.  Our own
rules cover the forms news reports use (weekdays, month-day, relative words, numeric dates,
windows such as "early March" or "last week"); ``dateparser`` is only a guarded fallback for
other spellings of a single absolute date.  Relative expressions need an anchor; without one they
resolve to ``None`` while absolute ones still resolve.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from eventwire.model import DatePrecision, Day
from eventwire.words import word_list

Relation = Literal["at", "since", "until", "before", "after"]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2,
    "a few": 3, "few": 3, "several": 3,
}  # fmt: skip

_MONTH_RE = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY_RE = (
    r"(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|"
    r"thurs|thur|thu|fri|sat|sun)\.?(?:'s|’s)?"
)
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
_PART_RE = r"(?P<part>early|mid|middle|late|end|beginning|start)"

# words that may surround a date core without changing its meaning
_FILLER = word_list("resolve.filler")
_TIME_OF_DAY_RE = re.compile(r"^\d{1,2}(?::\d\d)?(?:am|pm|a\.m\.|p\.m\.|h)?$")

_LEAD_RELATIONS: tuple[tuple[str, Relation], ...] = (
    ("ever since ", "since"),
    ("since ", "since"),
    ("until ", "until"),
    ("till ", "until"),
    ("up to ", "until"),
    ("up until ", "until"),
    ("through ", "until"),
    ("prior to ", "before"),
    ("before ", "before"),
    ("after ", "after"),
    ("following ", "after"),
)


@dataclass(slots=True, frozen=True)
class ResolvedDate:
    """A resolved expression: first day, last day (None for a single day), precision, relation.

    ``future`` is true when the expression points after the anchor ("tomorrow", "next week",
    "in the coming days").
    """

    date: Day
    enddate: Day | None
    precision: DatePrecision
    relation: Relation = "at"
    future: bool = False


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _normalize(text: str) -> str:
    s = text.lower().replace("’", "'")
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    return re.sub(r"\s+", " ", s).strip(" ,;:!?\"'()[]")


def _only_filler(rest: str) -> bool:
    for w in re.split(r"[\s,]+", rest.strip()):
        if not w or w in _FILLER or _TIME_OF_DAY_RE.match(w):
            continue
        return False
    return True


def _part_window(part: str | None, y: int, m: int) -> tuple[date, date]:
    end = _month_end(y, m)
    if part == "early" or part in ("beginning", "start"):
        return date(y, m, 1), date(y, m, 10)
    if part in ("mid", "middle"):
        return date(y, m, 11), date(y, m, 20)
    if part in ("late", "end"):
        return date(y, m, 21), end
    return date(y, m, 1), end


def _past_year_for(m: int, d: int, anchor: date, future: bool) -> int:
    """The year of the most recent past (or, for future statements, next) month-day."""
    y = anchor.year
    cand = _safe_date(y, m, d) or _safe_date(y, m, min(max(d, 1), 28))
    if cand is None:  # no such month: the caller's own check rejects the date
        return y
    if future:
        return y if cand >= anchor else y + 1
    return y if cand <= anchor else y - 1


def _weekday(wd: int, mod: str, anchor: date, future: bool) -> date:
    back = (anchor.weekday() - wd) % 7
    ahead = (wd - anchor.weekday()) % 7
    if mod in ("next", "coming", "this coming"):
        return anchor + timedelta(days=ahead or 7)
    if mod in ("last", "past"):
        return anchor - timedelta(days=back or 7)
    if mod == "this" or future:
        # "this Friday"/a weekday in a future statement: the coming one (today counts)
        return anchor + timedelta(days=ahead) if future or mod == "this" else anchor
    return anchor - timedelta(days=back)


def _relative_unit(unit: str, offset: int, anchor: date) -> tuple[date, date, DatePrecision]:
    """The calendar week/month/year ``offset`` units from the anchor's (0 = the current one)."""
    if unit == "week":
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(days=6), "week"
    if unit == "month":
        idx = anchor.year * 12 + anchor.month - 1 + offset
        y, m = divmod(idx, 12)
        return date(y, m + 1, 1), _month_end(y, m + 1), "month"
    y = anchor.year + offset
    return date(y, 1, 1), date(y, 12, 31), "year"


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.](?P<m>[01]?\d)[-/.](?P<d>[0-3]?\d)(?:t[\d:.]+z?)?\b")
_NUMERIC = re.compile(r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)?\d\d)\b")
_DAY_MONTH = re.compile(rf"\b{_DAY_RE}(?: of)? {_MONTH_RE}(?:,? {_YEAR_RE})?\b")
_MONTH_DAY = re.compile(rf"\b{_MONTH_RE} {_DAY_RE}(?:,? {_YEAR_RE})?\b(?!:)")
_MONTH_ONLY = re.compile(rf"\b(?:{_PART_RE}[- ](?:of )?)?{_MONTH_RE}(?:,? {_YEAR_RE})?\b")
_WEEKDAY = re.compile(
    rf"\b(?:(?P<mod>last|past|next|this coming|coming|this) )?{_WEEKDAY_RE}(?=$|[\s,.;])"
)
_YEAR_ONLY = re.compile(
    r"^(?:the )?(?:(?P<part>early|mid|late|end of|beginning of|start of)[- ])?"
    r"(?:(?:the )?year )?(?P<year>(?:19|20)\d\d)$"
)
_DECADE = re.compile(r"^(?:the )?(?P<year>(?:19|20)\d0)'?s$")
_AGO = re.compile(
    r"^(?P<n>\d+|a couple of|couple of|a few|few|several|an|a|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve) (?P<unit>day|week|month|year)s? ago$"
)
_PAST_N = re.compile(
    r"^(?:(?:over|in|during|within|for) )?(?:the )?(?:past|last|previous) "
    r"(?:(?P<n>\d+|couple of|few|several|two|three|four|five|six|seven|eight|nine|ten) )?"
    r"(?P<unit>day|week|month|year)s?$"
)
_COMING = re.compile(
    r"^(?:(?:in|over|during|within) )?(?:the )?(?:coming|next|following) "
    r"(?:(?P<n>\d+|couple of|few|several|two|three|four|five|six|seven|eight|nine|ten) )?"
    r"(?P<unit>day|week|month|year)s?$"
)
_UNIT_REL = re.compile(
    r"^(?:(?P<part>early|earlier|late|later|end of|beginning of|start of)[- ](?:in )?)?"
    r"(?P<mod>last|this|next|previous|past|coming)[- ](?P<unit>week|month|year)(?:'s)?$"
)
_TODAY = re.compile(
    r"^(?:(?:earlier|later) )?(?:today|tonight|this (?:morning|afternoon|evening)|"
    r"(?:earlier|later) (?:on )?(?:today|this (?:morning|afternoon|evening)))$"
)
_YESTERDAY = re.compile(
    r"^(?:(?:late|early|earlier) )?(?:yesterday(?:'s)?(?: (?:morning|afternoon|evening|night))?|"
    r"last night|(?:late|early) last night)$"
)
_WEEKEND = re.compile(r"^(?:over )?(?:the |this |last |past |next |coming |this coming )?weekend$")
_TOMORROW = re.compile(r"^(?:tomorrow(?:'s)?(?: (?:morning|afternoon|evening|night))?)$")


def _core(s: str, anchor: date | None, future: bool) -> ResolvedDate | None:  # noqa: C901
    """Resolve a normalized expression without leading relation words."""
    s = re.sub(r"^(?:on|in|at|during|of|as of|around|about|by|from) ", "", s)
    # --- relative words -----------------------------------------------------------------
    if _TODAY.match(s):
        return ResolvedDate(anchor, None, "day") if anchor else None
    if _YESTERDAY.match(s):
        return ResolvedDate(anchor - timedelta(days=1), None, "day") if anchor else None
    if _WEEKEND.match(s):
        if not anchor:
            return None
        wd = anchor.weekday()
        if s.startswith(("next", "coming", "this coming")) or (future and wd < 5):
            sat = anchor + timedelta(days=(5 - wd) % 7 or 7)
        else:
            sat = anchor - timedelta(days=(wd - 5) % 7)
        return ResolvedDate(sat, sat + timedelta(days=1), "week", future=sat > anchor)
    if s in ("overnight", "the night"):
        return ResolvedDate(anchor - timedelta(days=1), anchor, "day") if anchor else None
    if _TOMORROW.match(s) or s == "the day after tomorrow":
        if not anchor:
            return None
        days = 2 if s.startswith("the day after") else 1
        return ResolvedDate(anchor + timedelta(days=days), None, "day", future=True)
    if m := _AGO.match(s):
        if not anchor:
            return None
        n = _count(m["n"]) or 1
        unit = m["unit"]
        if unit == "day":
            return ResolvedDate(anchor - timedelta(days=n), None, "day")
        a, b, prec = _relative_unit(unit, -n, anchor)
        return ResolvedDate(a, b, prec)
    if m := _PAST_N.match(s):
        if not anchor:
            return None
        n = _count(m["n"] or "1") or 1
        span = {"day": 1, "week": 7, "month": 30, "year": 365}[m["unit"]] * n
        prec = "day" if span <= 1 else "week" if span <= 14 else "month"
        if span > 180:
            prec = "year"
        if m["n"] is None and m["unit"] != "day" and not s.startswith(("over", "in", "during")):
            # bare "last week"/"past month": the previous calendar unit
            a, b, prec = _relative_unit(m["unit"], -1, anchor)
            return ResolvedDate(a, b, prec)
        return ResolvedDate(anchor - timedelta(days=span), anchor, prec)
    if m := _COMING.match(s):
        if not anchor:
            return None
        n = _count(m["n"] or "1") or 1
        if m["n"] is None and m["unit"] != "day" and "next" in s and "coming" not in s:
            a, b, prec = _relative_unit(m["unit"], 1, anchor)
            return ResolvedDate(a, b, prec, "at", future=True)
        span = {"day": 7 if m["n"] is None else 1, "week": 7, "month": 30, "year": 365}[m["unit"]]
        span *= n
        prec = "week" if span <= 14 else "month" if span <= 180 else "year"
        return ResolvedDate(
            anchor + timedelta(days=1), anchor + timedelta(days=span), prec, "after", future=True
        )
    if m := _UNIT_REL.match(s):
        if not anchor:
            return None
        mod, unit, part = m["mod"], m["unit"], m["part"] or ""
        offset = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[mod]
        a, b, prec = _relative_unit(unit, offset, anchor)
        if offset == 0 and part.startswith("earlier"):
            return ResolvedDate(a, max(a, anchor - timedelta(days=1)), prec)
        if offset == 0 and part.startswith("later"):
            return ResolvedDate(min(b, anchor + timedelta(days=1)), b, prec, future=True)
        if unit == "month" and part:
            a, b = _part_window(part.split()[0], a.year, a.month)
        if offset == 0 and not future and b > anchor:
            b = anchor
        return ResolvedDate(a, b, prec, future=offset > 0)
    # --- numeric dates --------------------------------------------------------------------
    if (m := _ISO.search(s)) and _only_filler(s[: m.start()] + s[m.end() :]):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return ResolvedDate(d, None, "day") if d else None
    if (m := _NUMERIC.search(s)) and _only_filler(s[: m.start()] + s[m.end() :]):
        first, second, year = int(m["a"]), int(m["b"]), int(m["y"])
        if year < 100:
            year += 2000
        day, month = (first, second) if second <= 12 else (second, first)  # day first unless impossible (US order)
        d = _safe_date(year, month, day)
        return ResolvedDate(d, None, "day") if d else None
    # --- month-day, month ------------------------------------------------------------------
    for rx in (_DAY_MONTH, _MONTH_DAY):
        m = rx.search(s)
        if m and _only_filler(s[: m.start()] + s[m.end() :]):
            month, day = MONTHS[m["month"]], int(m["day"])
            if m["year"]:
                d = _safe_date(int(m["year"]), month, day)
            elif anchor:
                d = _safe_date(_past_year_for(month, day, anchor, future), month, day)
            else:
                return None
            return ResolvedDate(d, None, "day") if d else None
    m = _MONTH_ONLY.search(s)
    if m and _only_filler(s[: m.start()] + s[m.end() :]):
        month = MONTHS[m["month"]]
        if m["year"]:
            y = int(m["year"])
        elif anchor:
            y = anchor.year
            if (month > anchor.month and not future) or (future and month < anchor.month):
                y += 1 if future else -1
        else:
            return None
        a, b = _part_window(m["part"], y, month)
        return ResolvedDate(a, b, "month", future=bool(anchor and a > anchor))
    # --- weekdays -------------------------------------------------------------------------
    m = _WEEKDAY.search(s)
    if m and _only_filler(s[: m.start()] + s[m.end() :]):
        if not anchor:
            return None
        d = _weekday(WEEKDAYS[m["weekday"]], m["mod"] or "", anchor, future)
        return ResolvedDate(d, None, "day", future=d > anchor)
    # --- years ----------------------------------------------------------------------------
    if m := _YEAR_ONLY.match(s):
        y = int(m["year"])
        a, b = date(y, 1, 1), date(y, 12, 31)
        part = (m["part"] or "").split(" ")[0]
        if part in ("early", "beginning", "start"):
            b = date(y, 4, 30)
        elif part == "mid":
            a, b = date(y, 5, 1), date(y, 8, 31)
        elif part in ("late", "end"):
            a = date(y, 9, 1)
        return ResolvedDate(a, b, "year", future=bool(anchor and a > anchor))
    if m := _DECADE.match(s):
        y = int(m["year"])
        return ResolvedDate(date(y, 1, 1), date(y + 9, 12, 31), "year")
    return None


_DP_HINT = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\b(?:19|20)\d\d\b"
)


@functools.lru_cache(maxsize=64)
def _date_data_parser(anchor: date | None) -> Any:
    """One dateparser parser per anchor (building one reads its settings and locale data; a
    story's date expressions share the story's anchor)."""
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "PARSERS": ["absolute-time"],
    }
    if anchor:
        settings["RELATIVE_BASE"] = datetime(anchor.year, anchor.month, anchor.day, 12)
    return DateDataParser(languages=["en"], settings=settings)


def _dateparser(s: str, anchor: date | None) -> ResolvedDate | None:
    """Guarded fallback: dateparser on one short span that names a month or a year."""
    if len(s) > 40 or not _DP_HINT.search(s) or not re.search(r"[a-z]", s):
        return None
    if anchor is None and not re.search(r"(?:19|20)\d\d", s):
        return None
    try:
        data = _date_data_parser(anchor).get_date_data(s)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors (ValueError, OverflowError, its own) on odd input: no date
        return None
    if data is None or data.date_obj is None:
        return None
    d = data.date_obj.date()
    period = data.period or "day"
    if period == "month":
        return ResolvedDate(d.replace(day=1), _month_end(d.year, d.month), "month")
    if period == "year":
        return ResolvedDate(date(d.year, 1, 1), date(d.year, 12, 31), "year")
    if period == "week":
        mon = d - timedelta(days=d.weekday())
        return ResolvedDate(mon, mon + timedelta(days=6), "week")
    return ResolvedDate(d, None, "day")


_DAY_NUM = re.compile(r"^(?:the )?([0-3]?\d)(?:st|nd|rd|th)?$")


def _range(s: str, anchor: date | None, future: bool) -> ResolvedDate | None:
    """'from May to July 2019', 'between 3 and 5 March', '3-5 March', 'March 3-5, 2020'."""
    m = re.match(r"^(?:from|between) (?P<a>.+?) (?:to|and|until|through|till) (?P<b>.+)$", s)
    if not m:
        m = re.match(r"^(?P<a>[0-3]?\d)-(?P<b>[0-3]?\d [a-z].*)$", s)
    if m:
        a_txt, b_txt = m["a"].strip(), m["b"].strip()
    else:
        m = re.match(rf"^{_MONTH_RE} (?P<d1>[0-3]?\d)-(?P<d2>[0-3]?\d)(?P<rest>,? {_YEAR_RE})?$", s)
        if not m:
            return None
        a_txt = f"{m['month']} {m['d1']}{m['rest'] or ''}"
        b_txt = f"{m['month']} {m['d2']}{m['rest'] or ''}"
    b = _core(b_txt, anchor, future)
    if b is None:
        return None
    a = _core(a_txt, anchor, future)
    if a is None and (dm := _DAY_NUM.match(a_txt)) and b.precision == "day":
        d = _safe_date(b.date.year, b.date.month, int(dm.group(1)))
        a = ResolvedDate(d, None, "day") if d else None
    if a is None:
        return None
    if a.date > b.date and not re.search(r"(?:19|20)\d\d", a_txt):
        d = _safe_date(b.date.year, a.date.month, a.date.day)
        a = ResolvedDate(d, None, a.precision) if d else a
    end = b.enddate or b.date
    if a.date > end:
        return None
    days = (end - a.date).days
    prec: DatePrecision = "day" if days <= 1 else "week" if days <= 14 else "month"
    if days > 180:
        prec = "year"
    return ResolvedDate(a.date, end, prec, "at", future=bool(anchor and a.date > anchor))


@functools.lru_cache(maxsize=8192)
def resolve(text: str, anchor: date | None, *, future: bool = False) -> ResolvedDate | None:
    """Resolve one date expression against ``anchor`` (the publication date).

    ``future`` says the expression sits in a statement about the future ("will meet on Friday"),
    which turns bare weekdays and month-days forward.  Returns ``None`` when the text is not a
    date (durations, ages, ordinals, counts) or is relative and there is no anchor.
    """
    if not isinstance(text, str):
        raise TypeError(f"resolve() needs a str, got {type(text).__name__}")
    if len(text) > 120 or text.strip() == "may":  # lower-case "may" is the modal verb
        return None
    s = _normalize(text)
    if not s or not re.search(r"[a-z0-9]", s):
        return None
    relation: Relation = "at"
    for lead, rel in _LEAD_RELATIONS:
        if s.startswith(lead):
            relation, s = rel, s[len(lead) :].strip()
            break
    try:
        r = _core(s, anchor, future) or _range(s, anchor, future) or _dateparser(s, anchor)
    except (ValueError, OverflowError):
        return None
    if r is None:
        return None
    if anchor and not r.future and r.date > anchor:
        r = ResolvedDate(r.date, r.enddate, r.precision, r.relation, True)
    if relation == "since":
        end = anchor if anchor and anchor >= r.date else None
        return ResolvedDate(r.date, end, r.precision, "since", r.future)
    if relation != "at":
        return ResolvedDate(r.date, r.enddate, r.precision, relation, r.future)
    return r
