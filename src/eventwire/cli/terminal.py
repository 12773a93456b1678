"""What reaches the terminal: every string that comes from outside (article text, ids, file
names, database messages) goes through ``safe`` (control characters shown as escapes) and is
given to Rich as ``Text`` (never parsed as markup or emoji codes)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

err_console = Console(stderr=True, highlight=False, emoji=False)

# C0 and C1 control characters and DEL (ANSI escape sequences start with ESC or CSI), and the
# bidirectional overrides that can make a line read differently from what it contains
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_LINE = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _UNSAFE}
_LINE[0x09], _LINE[0x0A], _LINE[0x0D] = "\\t", "\\n", "\\r"
_LINE_TABLE = str.maketrans(_LINE)
_BLOCK_TABLE = str.maketrans({c: v for c, v in _LINE.items() if c not in (0x09, 0x0A)})


def safe(value: Any, *, keep_newlines: bool = False) -> str:
    """``value`` as text that cannot move the cursor, recolour the terminal or reorder a line:
    control characters become visible escapes (``\\x1b``); line breaks too, unless
    ``keep_newlines`` (a block of text rather than one line)."""
    text = value if isinstance(value, str) else str(value)
    return text.translate(_BLOCK_TABLE if keep_newlines else _LINE_TABLE)


def cell(value: Any) -> Text:
    """A table cell or printed fragment made from untrusted data (no markup, no emoji codes)."""
    return Text("" if value is None else safe(value))


def plain_line(*parts: Any) -> Text:
    """One line joined from trusted labels and untrusted values, all printed literally."""
    return Text("".join(safe(p) for p in parts))
