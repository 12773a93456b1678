"""Datelines ("ERBIL, Kurdistan Region –", "BAGHDAD (Reuters) -") and stated publication dates.

A dateline is looked for only at the start of the body: the first non-empty line, or the line
after a title.  It must end in a dash and either be written in capitals, carry a news agency in
brackets, or name a region after a comma, so ordinary sentence starts never match.
"""

from __future__ import annotations

import re
from datetime import date

from eventwire.model import Dateline
from eventwire.time import resolve

_NAME = r"[A-Z][\w'’.\-]*(?:[ \-](?:(?:al|el|of|de|la|bin|ibn|an|ad|as|ar)-?|[A-Z][\w'’.\-]*))*"
_CAPS = r"[A-Z][A-Z'’.\-]*(?:[ \-][A-Z][A-Z'’.\-]*){0,3}"
_DATE_BIT = (
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?"
    r"|\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?: \d{4})?)"
)
_DATELINE_RE = re.compile(
    rf"^(?P<place>{_CAPS}|{_NAME})"
    rf"(?:,\s*(?P<region>(?!{_DATE_BIT}\b){_NAME}))?"
    rf"(?:,\s*(?P<date>{_DATE_BIT}))?"
    r"\s*(?:\((?P<agency>[A-Za-z][\w .&'\-]{0,30})\))?"
    r"\s*(?:-{1,2}|[–—]|:)\s*"
)
_MAX_WORDS = 4
_SENTENCE_ADVERBS = frozenset(
    "however meanwhile still yet now then also instead earlier later indeed separately elsewhere "
    "again today yesterday overall finally first second third last and but so thus".split()
)
_NOT_PLACES = frozenset(
    {"UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "ANALYSIS", "OPINION", "CORRECTED", "WATCH",
     "VIDEO", "PHOTOS", "LIVE", "NOTE", "EDITORS", "FACTBOX", "TIMELINE", "REFILE", "URGENT"}
)  # fmt: skip


def _body_lines(text: str, max_lines: int = 3) -> list[tuple[int, str]]:
    """The first non-empty lines with their start offsets."""
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, line.rstrip("\r\n").strip()))
            if len(out) >= max_lines:
                break
        pos += len(line)
    return out


def _match_dateline(line: str, offset: int) -> Dateline | None:
    m = _DATELINE_RE.match(line)
    if not m:
        return None
    place, region, agency = m["place"].strip(), m["region"], m["agency"]
    rest = line[m.end() :]
    if not rest or (not rest[0].isalnum() and rest[0] not in "\"“‘'"):
        return None
    if len(place.split()) > _MAX_WORDS or place.upper() in _NOT_PLACES:
        return None
    if region and len(region.split()) > _MAX_WORDS:
        return None
    sep = line[m.end("place") if not agency else m.end("agency") : m.end()]
    is_caps = place.isupper() and len(place) > 1
    # mixed case ("Mosul, Iraq --"): the body after the dash must start a new sentence
    if not is_caps and not agency and (
            not (rest[0].isupper() or rest[0].isdigit()) or place.lower() in _SENTENCE_ADVERBS):
        return None
    # mixed case without region or agency: only "Washington —" style with a real dash
    if not (is_caps or agency or region) and (not re.search(r"[–—]|--", sep) or len(place.split()) > 2):
        return None
    if ":" in sep and not is_caps:
        return None
    start = offset + m.start("place")
    return Dateline(
        place=place,
        start=start,
        end=start + len(place),
        region=region.strip() if region else None,
        agency=agency.strip() if agency else None,
    )


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of the body (or after a title line), or ``None``."""
    if not isinstance(text, str):
        raise TypeError(f"find_dateline() needs a str, got {type(text).__name__}")
    lines = _body_lines(text[:5000], 2)
    for n, (offset, line) in enumerate(lines):
        found = _match_dateline(line, offset)
        if found:
            return found
        if n == 0 and (line.endswith((".", "?", "!")) and len(line) > 200):
            return None  # the first line is already body text
    return None


_HEADER_LABEL = re.compile(
    r"^(?:(?:first\s+)?published|posted|date|dated|publication date|pubdate|released?)"
    r"(?:\s+on)?\s*[:\-–]?\s*(?P<date>.+)$",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    r"^(?:last\s+)?(?:updated|modified)(?:\s+on)?\s*[:\-–]?\s*(?P<date>.+)$", re.IGNORECASE
)
_DATE_LINE = re.compile(
    r"^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?P<date>.+?)"
    r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}|\s*(?:GMT|UTC)[+-]?\d*)?)?$",
    re.IGNORECASE,
)
_ISO_IN_LINE = re.compile(
    r"\b((?:19|20)\d\d-[01]\d-[0-3]\d)(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?\b"
)


def _absolute(text: str) -> date | None:
    r = resolve(text.strip(" .|,"), None)
    if r is None or r.precision != "day" or r.enddate is not None or r.relation != "at":
        return None
    return r.date


def find_publication_date(text: str) -> date | None:
    """A publication date stated in the header (first lines) of the text, or ``None``.

    Accepts a labelled date ("Published: March 17, 2020"), a line that is only a date (optionally
    with a time: "17 March 2020 10:45"), or an ISO date in a header line.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_publication_date() needs a str, got {type(text).__name__}")
    lines = _body_lines(text[:3000], 5)
    labelled: list[date] = []
    updated: list[date] = []
    bare: list[date] = []
    header: list[str] = []
    for _, line in lines:
        if len(line.split()) >= 5 and line.rstrip().endswith((".", "!", "?", "”", '"')):
            break  # the body has started: a date below this is not the publication date
        header.append(line)
    segments = [seg.strip() for line in header for seg in re.split(r"\s+[|•·]\s+", line)]
    for line in segments:
        if len(line) > 120 or not line:
            continue
        if mu := _UPDATED_LABEL.match(line):
            if (d := _absolute(mu["date"])) is not None:
                updated.append(d)
            continue
        m = _HEADER_LABEL.match(line)
        if m:
            d = _absolute(m["date"])
            if d is None:
                iso = _ISO_IN_LINE.search(m["date"])
                d = _absolute(iso.group(1)) if iso else None
            if d is not None:
                labelled.append(d)
            continue
        m = _DATE_LINE.match(line)
        if m and (d := _absolute(m["date"])) is not None:
            bare.append(d)
            continue
        iso = _ISO_IN_LINE.search(line)
        if iso and len(line) <= 60 and (d := _absolute(iso.group(1))) is not None:
            bare.append(d)
    for found in (labelled, bare, updated):
        if found:
            return found[0]
    return None
