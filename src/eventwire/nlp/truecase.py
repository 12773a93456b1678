"""Case restored to lower-cased text before it is parsed.

Some corpora ship their text in lower case ("police arrested 12 people in kisumu on monday"); the
tagger, the parser and the recogniser then miss every name and place.  ``truecase`` writes each
word the way it is written in running news text (a table built from cased training text by
``scripts/build_truecase.py``), capitalises sentence starts and "I", and reads the months that are
also common words ("march", "may") as months only next to a day or a year.  Only letter case
changes, never length, so every character offset into the original text stays valid.
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

from eventwire.words import word_list

_WORD = re.compile(r"[^\W\d_][\w'’.-]*[^\W_]|[^\W\d_]")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)([^\W\d_])")
_MONTH_WORDS = word_list("shared.month_homographs")
_MONTH_CONTEXT = re.compile(r"^\s*\d|^\s*,?\s*\d{4}")
_BEFORE_MONTH = word_list("truecase.before_month")
MIN_LETTERS = 40
MAX_UPPER_SHARE = 0.01


@functools.lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    raw = resources.files("eventwire.nlp").joinpath("data/truecase.tsv.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        low, cased = line.split("\t")[:2]
        out[low] = cased
    return out


def is_lower_cased(text: str) -> bool:
    """True for text written (almost) entirely in lower case."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return False
    return sum(c.isupper() for c in letters) <= MAX_UPPER_SHARE * len(letters)


def truecase(text: str) -> str:
    """``text`` with names, sentence starts and "I" capitalised (same length, same offsets)."""
    table = _table()
    chars = list(text)
    prev = ""
    for m in _WORD.finditer(text):
        word = m.group(0)
        low = word.lower()
        cased = table.get(low)
        if cased is None and low in _MONTH_WORDS:
            after = text[m.end() : m.end() + 8]
            if _MONTH_CONTEXT.match(after) or (prev in _BEFORE_MONTH and re.match(r"^\s+\d", text[m.end() : m.end() + 4])) or re.search(r"\d\s+$", text[max(0, m.start() - 4) : m.start()]):
                cased = low.capitalize()
        elif low == "i":
            cased = "I"
        if cased is not None and len(cased) == len(word) and cased.lower() == low and word == low:
            chars[m.start() : m.end()] = cased
        prev = low
    for m in _SENTENCE_START.finditer(text):
        k = m.start(1)
        chars[k] = chars[k].upper() if len(chars[k].upper()) == 1 else chars[k]
    return "".join(chars)


def _all_caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and len(line.split()) >= 3 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def for_parsing(text: str) -> str:
    """The text the parser should see: restored case for lower-cased text and for headlines in
    capitals ("INDIA SENDS WHEAT TO AFGHANISTAN"), else the text itself."""
    if is_lower_cased(text):
        return truecase(text)
    if not any(_all_caps(line) for line in text.splitlines()):
        return text
    lines = text.split("\n")
    return "\n".join(truecase(line.lower()) if _all_caps(line) else line for line in lines)
