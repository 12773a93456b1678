"""Number phrases in casualty reports: "two", "1,200", "a hundred", "dozens", "between 10 and 15".

Vague quantities follow ACLED's conservative conventions ("dozens" 12, "scores" 20, "hundreds"
100, "thousands" 1000); a range gives its lowest figure; hedges ("at least", "more than",
"some", "nearly") are dropped; "several", "many", "a few" carry no number (``None``).
"""

from __future__ import annotations

import re

from eventwire.words import word_list

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# vague plurals: ACLED's conservative readings
VAGUE = {
    "dozen": 12, "dozens": 12, "score": 20, "scores": 20, "hundreds": 100, "thousands": 1000,
    "millions": 1_000_000, "tens": 10, "couple": 2, "pair": 2, "both": 2, "twin": 2,
}
ZERO = word_list("numbers.zero")
RANGE_WORDS = word_list("numbers.range_words")  # "10 to 15", "two or three"
MAX_COUNT = 10_000_000

_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?|[A-Za-z]+|[-–—]")


def _digits(tok: str) -> float | None:
    if tok[-2:].lower() in ("st", "nd", "rd", "th"):
        return None  # an ordinal: "the 46th Brigade"
    if "," in tok:
        groups = tok.split(",")
        if any(len(g) != 3 for g in groups[1:]) or not groups[0]:
            return None
        tok = "".join(groups)
    try:
        return float(tok)
    except ValueError:
        return None


def _numbers(words: list[str]) -> list[int]:  # noqa: C901 - a number-word state machine, one case per word kind
    """Every number the word list states, in order (a range gives several)."""
    out: list[int] = []
    total = 0.0
    current = 0.0
    active = False  # inside a number

    def flush() -> None:
        nonlocal total, current, active
        if active:
            val = int(total + current)
            if 0 <= val <= MAX_COUNT:
                out.append(val)
        total, current, active = 0.0, 0.0, False

    n = len(words)
    for i, w in enumerate(words):
        lw = w.lower()
        nxt = words[i + 1].lower() if i + 1 < n else ""
        if lw[:1].isdigit():
            val = _digits(lw)
            if active:
                flush()  # "10 15": two numbers
            if val is None:
                continue
            current, active = val, True
        elif lw == "one" and i > 0 and words[i - 1].lower() == "no":
            continue  # "no one"
        elif lw in UNITS:
            val = UNITS[lw]
            rest = current % 100
            compound = current == 0 or (rest == 0 and val < 100) or (rest >= 20 and rest % 10 == 0 and val < 10)
            if active and not compound:
                flush()  # "two three": a new number
            current += val
            active = True
        elif lw in SCALES:
            scale = SCALES[lw]
            if scale == 100:
                current = (current if active and current else 1) * 100
            else:
                total += (current if active and current else 1) * scale
                current = 0
            active = True
        elif lw in VAGUE:
            if lw == "dozen" and active:  # "two dozen"
                current *= 12
            elif lw in ("thousands", "millions") and active:  # "tens of thousands"
                current *= VAGUE[lw]
            else:
                flush()
                current, active = VAGUE[lw], True
        elif lw in ZERO:
            flush()
            out.append(0)
        elif lw in ("-", "\u2013", "\u2014") and active and current % 10 == 0 and current % 100 >= 20 and nxt in UNITS:
            continue  # "twenty-five"
        elif lw == "and" and active and current >= 100 and nxt in UNITS:
            continue  # "two hundred and five"
        elif lw == "of" and active and nxt in ("thousands", "millions"):
            continue  # "tens of thousands"
        elif lw in ("a", "an"):
            continue
        else:
            flush()
    flush()
    return out


def parse_count(text: str) -> int | None:
    """The count a number phrase states, or ``None`` when it states none.

    ``parse_count("at least 156") == 156``; ``"more than a hundred"`` gives 100; ``"dozens"``
    12; ``"between 10 and 15"`` 10 (the lowest figure of a range); ``"no"`` 0; ``"several"`` None.
    Never raises.
    """
    if not isinstance(text, str) or not text:
        return None
    words = _TOKEN.findall(text[:500].replace("\u2019", "'"))
    if not words:
        return None
    nums = _numbers(words)
    if not nums:
        return None
    lowered = {w.lower() for w in words}
    if len(nums) > 1 and (lowered & RANGE_WORDS or "between" in lowered):
        return min(nums)
    return nums[0]
