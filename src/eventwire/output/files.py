"""The one way eventwire writes an output file (``-o``, exports, the gazetteer index).

``open_output(path)`` decides by what ``path`` is:

- ``None`` or ``-``: standard output (not closed afterwards);
- anything that exists and is not a regular file (a FIFO, ``/dev/stdout``, ``/dev/null``, a
  terminal, a socket), directly or through symbolic links: opened and written in place, never
  replaced;
- a regular file, or nothing yet: written to a temporary file in the same folder that replaces
  the target only when the whole output is written (``os.replace``), so a failed run leaves the
  old file as it was.  A symbolic link to a regular file stays a link: its target is replaced.
  A new file gets the mode ``0666`` less the user's umask, a replaced one keeps its mode (and,
  where permitted, its owner), as a plain ``open(path, "w")`` would.  Where the folder cannot
  take a temporary file but the file itself is writable, the file is written in place.

Problems become ``OutputError`` with one readable line naming the path: before anything is
written (``when="open"``: a missing folder, a folder given as the file, no permission) or while
writing (``when="write"``: a full disk, a closed pipe).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, cast, overload

from eventwire.helpers import current_umask


class OutputError(Exception):
    """An output that cannot be opened (``when="open"``) or written (``when="write"``)."""

    def __init__(self, target: str, message: str, when: str = "write", errno_: int | None = None) -> None:
        super().__init__(f"{target}: {message}")
        self.target = target
        self.message = message
        self.when = when
        self.errno = errno_


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


class _Guarded:
    """A file object whose write errors become ``OutputError`` naming the output."""

    def __init__(self, fh: IO[Any], label: str) -> None:
        self._fh = fh
        self._label = label

    def _fail(self, exc: OSError) -> OutputError:
        return OutputError(self._label, f"cannot write ({_reason(exc)})", "write", exc.errno)

    def write(self, data: Any) -> int:
        try:
            return self._fh.write(data)
        except OSError as exc:
            raise self._fail(exc) from None

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._fh.flush()
        except OSError as exc:
            raise self._fail(exc) from None

    def isatty(self) -> bool:
        try:
            return self._fh.isatty()
        except (OSError, ValueError):
            return False

    @property
    def closed(self) -> bool:
        return bool(self._fh.closed)

    def close(self) -> None:  # the context manager closes (and renames) the file
        self.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, fileno, tell, seekable, mode, ...
        return getattr(self._fh, name)


def _is_special(path: str) -> bool:
    """Whether ``path`` (following links) names something other than a regular file or a
    folder: a device, FIFO, socket, or a process's open file (``/dev/stdout``, ``/dev/fd/1``,
    which must be written through, never replaced)."""
    real = os.path.realpath(path)
    if real.startswith(("/proc/", "/dev/")) or path.startswith(("/proc/", "/dev/fd/")):
        return True
    try:
        st = os.stat(path)
    except OSError:
        return False
    return not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode))


@overload
def open_output(
    path: str | os.PathLike[str] | None, *, binary: Literal[False] = False
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def open_output(
    path: str | os.PathLike[str] | None, *, binary: Literal[True]
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
@overload
def open_output(  # binary decided at run time (by the output format): the caller writes the right kind
    path: str | os.PathLike[str] | None, *, binary: bool
) -> contextlib.AbstractContextManager[IO[Any]]: ...
def open_output(
    path: str | os.PathLike[str] | None, *, binary: bool = False
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """A writable file object for ``path`` (see the module's docstring); text mode writes UTF-8
    with ``\\n`` line ends untranslated (the CSV writer chooses its own).  What it yields wraps the
    file (a failed write is an ``OutputError`` naming the output) and behaves as one."""
    opened = _open_output(path, binary=binary)
    if binary:
        return cast("contextlib.AbstractContextManager[IO[bytes]]", opened)
    return cast("contextlib.AbstractContextManager[IO[str]]", opened)


@contextlib.contextmanager
def _open_output(path: str | os.PathLike[str] | None, *, binary: bool = False) -> Iterator[_Guarded]:
    if path is None or str(path) == "-":
        if sys.stdout is None:
            raise OutputError("<stdout>", "standard output is closed", "open")
        stream = sys.stdout.buffer if binary else sys.stdout
        guarded = _Guarded(stream, "<stdout>")
        yield guarded
        guarded.flush()
        return
    given = os.fspath(path)
    label = given
    expanded = os.path.expanduser(given)
    if os.path.isdir(expanded):
        raise OutputError(label, "is a folder (give a file name)", "open")
    mode = "wb" if binary else "w"
    kw: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    if _is_special(expanded):
        try:
            fh = open(expanded, mode, **kw)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise OutputError(label, f"cannot open ({_reason(exc)})", "open", exc.errno) from None
        guarded = _Guarded(fh, label)
        try:
            yield guarded
            guarded.flush()
        finally:
            with contextlib.suppress(OSError):
                fh.close()
        return
    target = Path(os.path.realpath(expanded))  # a link to a regular file: replace its target
    folder = target.parent
    if not folder.exists():
        raise OutputError(label, f"folder {folder} does not exist", "open")
    if not folder.is_dir():
        raise OutputError(label, f"{folder} is not a folder", "open")
    try:
        old: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise OutputError(label, f"cannot open ({_reason(exc)})", "open", exc.errno) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        if old is not None and os.access(target, os.W_OK) and exc.errno in (errno.EACCES, errno.EPERM):
            # a writable file in a folder we may not add to: written in place, as a shell would
            yield from _in_place(target, label, mode, kw)
            return
        raise OutputError(label, f"cannot write in {folder} ({_reason(exc)})", "open", exc.errno) from None
    try:
        if old is not None:
            os.fchmod(fd, stat.S_IMODE(old.st_mode))
            with contextlib.suppress(OSError):
                os.fchown(fd, old.st_uid, old.st_gid)
        else:
            os.fchmod(fd, 0o666 & ~current_umask())
        fh = os.fdopen(fd, mode, **kw)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    guarded = _Guarded(fh, label)
    try:
        try:
            yield guarded
            guarded.flush()
            try:
                os.fsync(fh.fileno())
            except OSError as exc:
                raise guarded._fail(exc) from None
        finally:
            with contextlib.suppress(OSError):
                fh.close()
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(label, f"cannot replace ({_reason(exc)})", "write", exc.errno) from None
        _sync_folder(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _in_place(target: Path, label: str, mode: str, kw: dict[str, Any]) -> Iterator[Any]:
    try:
        fh = open(target, mode, **kw)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise OutputError(label, f"cannot open ({_reason(exc)})", "open", exc.errno) from None
    guarded = _Guarded(fh, label)
    try:
        yield guarded
        guarded.flush()
    finally:
        with contextlib.suppress(OSError):
            fh.close()


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through ``open_output`` (atomically for a regular file)."""
    with open_output(path, binary=True) as fh:
        fh.write(data)
