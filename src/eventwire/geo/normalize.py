"""Name keys for gazetteer lookup: transliteration- and spelling-tolerant, so that
"al-Qaim", "Al Qa'im" and "Qaim" or "Falluja" and "Fallujah" share one key."""

from __future__ import annotations

import functools
import re

from unidecode import unidecode

_APOSTROPHES = re.compile(r"['’‘`ʿʾ´ʼ]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLE = re.compile(r"([a-z])\1+")
# Arabic and Berber article forms written as separate words or with a hyphen.
ARTICLES = frozenset("al el ad ar as an ash at az ath adh ed er es et ez en ul il".split())
# Words naming the kind of administrative unit, dropped from admin names ("Kirkuk Governorate").
ADMIN_WORDS = frozenset(
    "governorate province provinces state region oblast district county municipality prefecture "
    "department division territory emirate wilaya wilayah muhafazat muhafazah raion rayon "
    "autonomous republic city".split()
)


@functools.lru_cache(maxsize=1 << 16)  # pure, and asked again for the same names many times
def norm(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    s = unidecode(text).lower()
    s = _APOSTROPHES.sub("", s)
    return _NON_ALNUM.sub(" ", s).strip()


def _fold_word(w: str) -> str:
    w = _DOUBLE.sub(r"\1", w)
    if len(w) > 3 and w.endswith("h") and w[-2] in "aeiou":
        w = w[:-1]
    return w


@functools.lru_cache(maxsize=1 << 16)  # pure, and asked again for the same names many times
def name_key(text: str) -> str:
    """The lookup key: articles dropped, letters doubled or word-final vowel+h folded, no spaces."""
    words = norm(text).split()
    if not words:
        return ""
    kept = [w for w in words if w not in ARTICLES] or words
    return "".join(_fold_word(w) for w in kept)


@functools.lru_cache(maxsize=1 << 16)  # pure, and asked again for the same names many times
def admin_key(text: str) -> str:
    """Key of an administrative unit's name without its unit word ("Kirkuk Governorate")."""
    words = norm(text).split()
    kept = [w for w in words if w not in ADMIN_WORDS] or words
    return name_key(" ".join(kept))
