"""Which documents are not in English: eventwire's coding (lexicons, dictionaries, the spaCy
pipeline) is English only, so a report in another language would silently yield no events.
Until multilingual coding exists, such documents are reported instead of coded.

A document is taken as not English when most of its letters are not Latin script (Arabic,
Cyrillic, CJK...), or when py3langid gives another language a probability of at least
``THRESHOLD``.  Text with few letters (a number table, a one-word headline) is never flagged.
Checked on the project's English material (4,400 texts: the VOA corpus, the dev gold headlines
and sentences, the examples, synthetic training stories): none flagged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from eventwire.model import Document

log = logging.getLogger(__name__)
THRESHOLD = 0.9
SAMPLE_CHARS = 5000
MIN_LETTERS = 10


@dataclass(frozen=True, slots=True)
class LanguageCheck:
    language: str  # ISO 639-1 code from py3langid ("en", "fr"), "und" when too little text
    probability: float
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
    ident = _identifier()
    lang, prob = ident.classify(sample) if ident is not None else ("und", 0.0)
    if latin * 2 < len(letters):
        return LanguageCheck(lang if lang != "en" else "und", float(prob), False)
    return LanguageCheck(lang, float(prob), lang == "en" or prob < THRESHOLD)


def english_only(items: Iterable[Any]) -> Iterator[Any]:
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
