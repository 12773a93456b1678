"""Limits on what eventwire accepts as a document, checked where documents come in (the
readers) and again where they are kept (the store), so that both back ends accept the same
documents and nothing past these limits reaches spaCy or the database.

- a document's text: at most ``MAX_DOCUMENT_CHARS`` characters (spaCy's own limit for one
  parse; its memory grows with the length), NUL bytes and unpaired surrogate escapes replaced by
  U+FFFD (one character for one, so evidence offsets are unchanged; PostgreSQL cannot store
  NUL and neither UTF-8 nor the store can hold a lone surrogate);
- a document id: 1 to ``MAX_ID_CHARS`` characters (the store's key column), no control
  characters (NUL, escape sequences, line breaks), no unpaired surrogates;
- one JSON Lines line: at most ``MAX_LINE_BYTES`` bytes, JSON nested at most
  ``MAX_JSON_DEPTH`` deep (a deeper line is rejected before it is parsed);
- a publication date between ``EARLIEST_DATE`` and ``LATEST_DATE``.
"""

from __future__ import annotations

import re
from datetime import date

MAX_DOCUMENT_CHARS = 1_000_000
MAX_ID_CHARS = 512
# a line holds one document plus its fields; JSON escapes can take up to 12 bytes a character
# ("\ud83d\ude00") but real text rarely more than 3, so a line of a document at the text limit
# fits easily; a longer line is skipped without being read into memory whole
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_JSON_DEPTH = 512
EARLIEST_DATE = date(1800, 1, 1)
LATEST_DATE = date(2199, 12, 31)

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def id_problem(doc_id: object) -> str | None:
    """Why ``doc_id`` cannot be a document id, or ``None`` if it can."""
    if not isinstance(doc_id, str):
        return f"id must be a string, got {type(doc_id).__name__}"
    if not doc_id.strip():
        return "empty id"
    if len(doc_id) > MAX_ID_CHARS:
        return f"id longer than {MAX_ID_CHARS} characters ({len(doc_id)})"
    if _CONTROL.search(doc_id):
        return "id contains control characters (NUL, escape, line break...)"
    if _SURROGATE.search(doc_id):
        return "id contains an unpaired surrogate escape"
    return None


def clean_text(text: str) -> str:
    """``text`` with NUL bytes and unpaired surrogates replaced by U+FFFD (same length)."""
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATE.sub("\ufffd", text)
    return text


def date_problem(value: date) -> str | None:
    """Why ``value`` cannot be a publication date, or ``None`` if it can."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        return f"{value.isoformat()} is outside {EARLIEST_DATE.year}-{LATEST_DATE.year}"
    return None


def json_depth_exceeds(line: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the brackets of a JSON text nest deeper than ``limit`` (strings skipped), so that
    a hostile line never reaches the recursive parser."""
    if isinstance(line, bytes):
        if line.count(b"[") + line.count(b"{") <= limit:
            return False
        text = line.decode("utf-8", "replace")
    else:
        if line.count("[") + line.count("{") <= limit:
            return False
        text = line
    depth = 0
    # strings (with their escapes) and everything that is not a bracket are skipped by the regex
    for tok in _JSON_TOKENS.finditer(text):
        t = tok.group()
        if t in "[{":
            depth += 1
            if depth > limit:
                return True
        elif t in "]}":
            depth -= 1
    return False


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]')
