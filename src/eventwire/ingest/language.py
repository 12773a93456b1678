"""Which documents are not in English: eventwire's coding (lexicons, dictionaries, the spaCy
pipeline) is English only, so a report in another language would silently yield no events.
Until multilingual coding exists, such documents are reported instead of coded.

A document is taken as not English when most of its letters are not Latin script (Arabic,
Cyrillic, CJK...), or when py3langid gives another language a probability of at least
``THRESHOLD``.  Text with few letters (a number table, a one-word headline) is never flagged.
Text in which English function words that no other language spells the same way ("the",
"that", "which", "were") make up at least ``ENGLISH_WORD_SHARE`` of the words is English without
asking py3langid: loading its model costs about 0.6 s of CPU, as much as the parse of four news
articles, in every process that checks a document (each of the 89 VOA stories has 10-20% of
them; a text in another language almost none).
Checked on the project's English material (4,400 texts: the VOA corpus, the dev gold headlines
and sentences, the examples, synthetic training stories): none flagged.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from eventwire.model import Document

if TYPE_CHECKING:
    from eventwire.ingest.readers import IngestError

_Item = TypeVar("_Item")

log = logging.getLogger(__name__)
THRESHOLD = 0.9
SAMPLE_CHARS = 5000
MIN_LETTERS = 10
ENGLISH_WORD_SHARE = 0.08
ENGLISH_WORDS_MIN = 4
# English function words spelled differently in the other Latin-script languages ("is", "was",
# "of", "to", "in" are words of Dutch, German, Polish... too)
ENGLISH_WORDS = frozenset(
    "the and that with which said were from have been they their would this there these".split()
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class LanguageCheck:
    language: str  # ISO 639-1 code from py3langid ("en", "fr"), "und" when too little text
    probability: float  # py3langid's; 1.0 for text that its function words show to be English
    english: bool

    @property
    def name(self) -> str:
        return language_name(self.language)


@functools.cache
def _identifier() -> Any:
    """py3langid's identifier, or None where its model cannot be loaded (it unpacks the model
    through a temporary file, which fails on a full disk): then no document is held back."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    try:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    except (OSError, ValueError, MemoryError) as exc:
        log.warning("language check skipped: cannot load py3langid's model (%s)", getattr(exc, "strerror", None) or exc)
        return None


@functools.cache
def language_name(code: str) -> str:
    try:
        import pycountry

        lang = pycountry.languages.get(alpha_2=code)
    except (ImportError, KeyError, LookupError):
        lang = None
    return lang.name if lang is not None else code


def detect(text: str) -> LanguageCheck:
    """The language of ``text`` (its first ``SAMPLE_CHARS`` characters) and whether it is English
    as far as eventwire's coding is concerned."""
    sample = text[:SAMPLE_CHARS]
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < MIN_LETTERS:
        return LanguageCheck("und", 0.0, True)
    latin = sum(1 for ch in letters if ch < "\u0250")
    if latin * 2 >= len(letters) and _english_words(sample):
        return LanguageCheck("en", 1.0, True)
    ident = _identifier()
    lang, prob = ident.classify(sample) if ident is not None else ("und", 0.0)
    if latin * 2 < len(letters):
        return LanguageCheck(lang if lang != "en" else "und", float(prob), False)
    return LanguageCheck(lang, float(prob), lang == "en" or prob < THRESHOLD)


def _english_words(sample: str) -> bool:
    """Whether English function words make up at least ``ENGLISH_WORD_SHARE`` of the words."""
    words = _WORD.findall(sample.lower())
    hits = sum(1 for w in words if w in ENGLISH_WORDS)
    return hits >= ENGLISH_WORDS_MIN and hits >= ENGLISH_WORD_SHARE * len(words)


def english_only(items: Iterable[_Item]) -> Iterator[_Item | IngestError]:
    """``items`` (documents and reader errors) with every document that is not in English
    replaced by an ``IngestError`` saying so."""
    from eventwire.ingest.readers import IngestError

    for item in items:
        if isinstance(item, Document):
            check = detect(item.text)
            if not check.english:
                yield IngestError(
                    item.id,
                    f"written in {check.name} ({check.language}, p={check.probability:.2f}), not English:"
                    " eventwire codes English only; skipped (--any-language codes it anyway)",
                )
                continue
        yield item
