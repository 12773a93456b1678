"""Word lists as data: ``eventwire/data/words/NAME.txt``, one word (or phrase) a line.

Each file starts with comment lines (``#``) that say what the list is for, its source and its
licence; blank lines and comments are skipped.  The stages read their lists once, at import::

    FUTURE_AUX = word_list("modality.future_aux")

A folder of the user's own lists (``[words] folder`` in the config, ``eventwire.config``) takes
the place of the shipped files it holds, list by list (``modality.future_aux.txt``); lists it does
not hold stay as shipped.  ``use_folder`` reloads every list already read in place, so the
constants that hold them see the new words; it is called by ``Pipeline`` with the configured
folder.
"""

from __future__ import annotations

import logging
import re
import threading
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_LOCK = threading.Lock()
_LOADED: dict[str, WordList] = {}
_folder: Path | None = None


class WordListError(ValueError):
    """A word list that cannot be read: the message names the file and the problem."""


class WordList(set[str]):
    """The words of one list (a set: ``word in LIST``), reloaded in place by ``use_folder``."""

    __slots__ = ("name", "source")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.source = ""


def word_list(name: str) -> WordList:
    """The list ``name`` (``modality.future_aux`` is ``data/words/modality.future_aux.txt``)."""
    if not _NAME.match(name):
        raise WordListError(f"word list {name!r}: names are lower-case words joined by dots")
    with _LOCK:
        found = _LOADED.get(name)
        if found is None:
            found = WordList(name)
            _fill(found)
            _LOADED[name] = found
        return found


def use_folder(folder: str | Path | None) -> None:
    """Read lists from ``folder`` where it has them (None: the shipped lists only), reloading in
    place every list already read."""
    global _folder
    new = Path(folder) if folder else None
    if new is not None and not new.is_dir():
        raise WordListError(f"word-list folder {new}: no such folder")
    with _LOCK:
        if new == _folder:
            return
        old, _folder = _folder, new
        try:
            for wl in _LOADED.values():
                _fill(wl)
        except WordListError:
            _folder = old  # a list of the new folder cannot be read: keep the lists as they were
            for wl in _LOADED.values():
                _fill(wl)
            raise


def folder() -> Path | None:
    """The user's folder of lists in use (None: the shipped lists)."""
    return _folder


def shipped_names() -> list[str]:
    """The names of the shipped lists."""
    root = resources.files("eventwire").joinpath("data/words")
    return sorted(p.name[: -len(".txt")] for p in root.iterdir() if p.name.endswith(".txt"))


def _fill(wl: WordList) -> None:
    path = _folder / f"{wl.name}.txt" if _folder is not None else None
    if path is not None and path.is_file():
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WordListError(f"word list {path}: cannot read it ({exc})") from exc
        source = str(path)
    else:
        ref = resources.files("eventwire").joinpath(f"data/words/{wl.name}.txt")
        try:
            text = ref.read_text("utf-8")
        except FileNotFoundError:
            raise WordListError(f"word list {wl.name!r}: no file data/words/{wl.name}.txt") from None
        source = f"eventwire:{wl.name}"
    words = parse(text)
    wl.clear()
    wl.update(words)
    wl.source = source
    log.debug("word list %s: %d words from %s", wl.name, len(words), source)


def parse(text: str) -> set[str]:
    """The words of a list file: one a line (spaces at either end dropped), lines that start
    with ``#`` and blank lines skipped."""
    out: set[str] = set()
    for line in text.splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            out.add(word)
    return out
