"""A store writer in a process of its own, so that writing runs beside parsing.

``eventwire ingest`` parses one batch while the previous one is written.  In a thread of the same
process the two would take turns on the interpreter lock (the store's own Python work, building
rows and merging, is most of its cost); in a process of its own the writer uses another core.

The writer is ``python -m eventwire.store.writer LABEL``: it reads the database URL and then
pickled batches on its standard input (the URL never appears on a command line, where other
users could read its password) and answers each batch with the pickled outcomes on its standard
output (it imports the store and the core model only, never spaCy).  Each batch is one transaction of ``Store.add_results``, so a
crash of either process leaves every committed document complete and the rest absent; when the
parent dies, the writer's input ends and it stops.
"""

from __future__ import annotations

import contextlib
import pickle
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import make_url

from eventwire.ingest import Fingerprint
from eventwire.model import Document, Event, Sentence, Toponym
from eventwire.store.store import IngestOutcome, Store, StoreError, redact


@dataclass(slots=True)
class StoreItem:
    """What the store keeps of one coded document (a ``DocumentResult`` without the parse)."""

    document: Document
    events: list[Event]
    sentences: list[Sentence]
    toponyms: list[Toponym]
    fingerprint: Fingerprint | None = None  # ingest.dedup's, so the writer need not compute it


@dataclass(frozen=True, slots=True)
class _Failed:
    """An exception, as text (exceptions of database drivers do not all survive pickling)."""

    kind: str
    message: str


class WriteError(Exception):
    """A document of a batch could not be stored (the rest of the batch was)."""


class StoreWriter:
    """Writes batches of coded documents into the store at ``url`` from another process.

    ``submit`` hands over a batch; ``next_outcomes`` waits for the outcomes of the oldest batch
    not yet collected, one ``IngestOutcome`` or ``WriteError`` per document, in order; ``close``
    ends the process and returns the time it spent (``write_s``, ``merge_s``) and the documents
    it wrote."""

    def __init__(self, url: str) -> None:
        # the command line names the store without its password (it shows in process lists);
        # the URL itself goes over the pipe
        label = make_url(url).render_as_string(hide_password=True)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "eventwire.store.writer", label], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._send(url)

    def _send(self, obj: Any) -> None:
        assert self._proc.stdin is not None
        try:
            pickle.dump(obj, self._proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._proc.stdin.flush()
        except BrokenPipeError:
            raise StoreError(f"the store writer process ended (exit code {self._proc.wait()})") from None

    def _receive(self) -> Any:
        assert self._proc.stdout is not None
        try:
            msg = pickle.load(self._proc.stdout)
        except EOFError:
            raise StoreError(f"the store writer process ended (exit code {self._proc.wait()})") from None
        if isinstance(msg, _Failed):
            raise StoreError(msg.message)
        return msg

    def submit(self, items: Sequence[StoreItem]) -> None:
        self._send(list(items))

    def next_outcomes(self) -> list[IngestOutcome | WriteError]:
        return [WriteError(f"{o.kind}: {o.message}") if isinstance(o, _Failed) else o for o in self._receive()]

    def abort(self, timeout: float = 60.0) -> None:
        """Stop without waiting for answers (the parent was interrupted, possibly half-way through
        reading one): the writer finishes the batch it is writing, commits it and stops when it
        finds its input closed."""
        for pipe in (self._proc.stdin, self._proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()

    def close(self) -> dict[str, float]:
        """Stop the writer after the batches handed over; its time spent."""
        stats: dict[str, float] = {}
        if self._proc.poll() is None:
            try:
                self._send(None)
                stats = self._receive()
            except StoreError:
                pass  # it had stopped already (the error was raised to whoever waited on it)
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        self._proc.wait()
        return stats


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _serve(argv)
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback on the user's terminal
        print(f"eventwire: store writer: {type(exc).__name__}: {redact(str(exc))}", file=sys.stderr)
        return 1


def _serve(argv: Sequence[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m eventwire.store.writer LABEL  (the URL comes first on stdin)", file=sys.stderr)
        return 2
    # Ctrl-C at the terminal reaches the whole process group: the parent decides when to stop
    # (it closes our input after the batch being written), we never die half-way on our own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever is printed must not mix with the answers

    def answer(obj: Any) -> None:
        pickle.dump(obj, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        url = pickle.load(inp)
    except EOFError:
        return 0
    try:
        store = Store(url)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        answer(_Failed(type(exc).__name__, redact(str(exc))))
        return 1
    with store:
        while True:
            try:
                batch = pickle.load(inp)
            except EOFError:
                return 0  # the parent is gone: nothing more will come
            if batch is None:
                s = store.stats
                answer({"write_s": s.write_s, "merge_s": s.merge_s, "documents": s.documents})
                return 0
            try:
                outcomes = store.add_results(batch)
            except Exception as exc:  # noqa: BLE001 - the store as a whole failed: the parent stops
                with contextlib.suppress(BrokenPipeError):
                    answer(_Failed(type(exc).__name__, redact(str(exc))))
                return 1
            try:
                answer([_Failed(type(o).__name__, redact(str(o))) if isinstance(o, Exception) else o for o in outcomes])
            except BrokenPipeError:
                return 0  # the parent is gone; what was written is committed


if __name__ == "__main__":
    # run the module's own copy (not __main__'s), so that what it pickles names eventwire.store.writer
    from eventwire.store import writer  # noqa: PLW0406 - deliberate, see above

    sys.exit(writer.main())
