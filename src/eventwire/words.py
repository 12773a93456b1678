"""Word lists as data: ``eventwire/data/words/NAME.txt``, one word (or phrase) a line, and word
maps, ``NAME.tsv``, a word and its value a line (``word_map``).

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
from typing import TypeVar

log = logging.getLogger(__name__)

_NAME = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
_LOCK = threading.Lock()
_LOADED: dict[str, WordList | WordMap] = {}
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


class WordMap(dict[str, str]):
    """A word list whose words each have a value (``data/words/NAME.tsv``: word TAB value),
    reloaded in place by ``use_folder``; its order is the file's."""

    __slots__ = ("name", "source")

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.source = ""


def word_list(name: str) -> WordList:
    """The list ``name`` (``modality.future_aux`` is ``data/words/modality.future_aux.txt``)."""
    return _loaded(name, WordList, ("word list", "word map (word_map)"))


def word_map(name: str) -> WordMap:
    """The map ``name`` (``coder.weapon_modes`` is ``data/words/coder.weapon_modes.tsv``)."""
    return _loaded(name, WordMap, ("word map", "word list (word_list)"))


_K = TypeVar("_K", WordList, WordMap)


def _loaded(name: str, kind: type[_K], words: tuple[str, str]) -> _K:
    """The loaded list or map ``name`` of ``kind``, read on first use; ``words`` name the kind
    asked for and the other one in errors."""
    if not _NAME.match(name):
        raise WordListError(f"{words[0]} {name!r}: names are lower-case words joined by dots")
    with _LOCK:
        found = _LOADED.get(name)
        if found is None:
            found = kind(name)
            _fill(found)
            _LOADED[name] = found
        if not isinstance(found, kind):
            raise WordListError(f"{words[0]} {name!r} is a {words[1]}")
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
    """The names of the shipped lists and maps."""
    root = resources.files("eventwire").joinpath("data/words")
    return sorted(p.name.rsplit(".", 1)[0] for p in root.iterdir() if p.name.endswith((".txt", ".tsv")))


def _fill(wl: WordList | WordMap) -> None:
    ext = "txt" if isinstance(wl, WordList) else "tsv"
    path = _folder / f"{wl.name}.{ext}" if _folder is not None else None
    if path is not None and path.is_file():
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise WordListError(f"word list {path}: cannot read it ({exc})") from exc
        source = str(path)
    else:
        ref = resources.files("eventwire").joinpath(f"data/words/{wl.name}.{ext}")
        try:
            text = ref.read_text("utf-8")
        except FileNotFoundError:
            raise WordListError(f"word list {wl.name!r}: no file data/words/{wl.name}.{ext}") from None
        source = f"eventwire:{wl.name}"
    if isinstance(wl, WordList):
        words = parse(text)
        wl.clear()
        wl.update(words)
    else:
        pairs = parse_map(text, source)
        wl.clear()
        wl.update(pairs)
    wl.source = source
    log.debug("word list %s: %d words from %s", wl.name, len(wl), source)


def parse(text: str) -> set[str]:
    """The words of a list file: one a line (spaces at either end dropped), lines that start
    with ``#`` and blank lines skipped."""
    out: set[str] = set()
    for line in text.splitlines():
        word = line.strip()
        if word and not word.startswith("#"):
            out.add(word)
    return out


def parse_map(text: str, source: str = "word map") -> dict[str, str]:
    """The words and values of a map file: ``word TAB value`` a line, ``#`` lines and blank lines
    skipped; a line without a value is an error."""
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word, sep, value = line.partition("\t")
        if not sep or not word.strip() or not value.strip():
            raise WordListError(f"{source} line {number}: expected 'word<TAB>value', got {line!r}")
        out[word.strip()] = value.strip()
    return out
