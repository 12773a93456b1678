"""Every core of one machine: worker processes that each load the pipeline once and code batches.

``WorkerPool`` is a ``concurrent.futures.ProcessPoolExecutor`` over ``forkserver`` processes
(never ``fork``: the parent runs threads, for progress bars and the store writer's pipe).  Each
worker builds its ``Pipeline`` once, in the pool's initializer, and then codes whole batches
with ``pipeline.code_batch`` (or ``geoparse_batch``), the same function that codes in-process,
so that the output does not depend on the number of workers.  Results come back in input order.

A document that raises fails alone (``code_batch`` retries its batch one document at a time).
A document that kills its worker (a crash in compiled code, the kernel's OOM killer) breaks the
executor: the pool then starts a new one and codes the unfinished batches one document at a
time, so that only the document that kills a worker again is reported, as failed.

Each worker reports its peak resident memory (``peak_rss_mb``); on en_core_web_sm a worker
peaks at about 0.3 GB (see benchmarks/scale.py).
"""

from __future__ import annotations

import logging
import os
import resource
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Generic, Literal, TypeVar, cast, overload

from eventwire.model import Document
from eventwire.pipeline import (
    CodingFailure,
    CodingOutcome,
    GeoparseOutcome,
    code_batch,
    geoparse_batch,
)
from eventwire.scale.cores import default_workers, pool_context

__all__ = ["WorkerPool", "WorkerStartError", "default_workers"]

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from eventwire.pipeline import Pipeline

Outcome = TypeVar("Outcome")
# a task codes a batch of documents with the worker's pipeline: one outcome per document, in order
Task = Callable[["Pipeline", Sequence[Document]], Sequence[Outcome]]
AnyOutcome = CodingOutcome | GeoparseOutcome
# a batch done in a worker: its pid, peak RSS (MB) and CPU seconds so far, and the outcomes
_Done = tuple[int, tuple[float, float], list[Outcome]]

TASKS: dict[str, Task[CodingOutcome] | Task[GeoparseOutcome]] = {
    "code": code_batch,
    "geoparse": geoparse_batch,
}

# -- in the worker process -------------------------------------------------------------------
_PIPE: Pipeline | None = None
_TASK: Task[object] | None = None


def _init_worker(model: str | None, task: str | Task[object], parent: int) -> None:
    global _PIPE, _TASK
    from eventwire.pipeline import Pipeline

    # Ctrl-C reaches the whole process group: the parent stops the pool, workers do not die
    # half-way through a batch on their own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(parent)
    _PIPE = Pipeline(model)
    _TASK = TASKS[task] if isinstance(task, str) else task


def _run(documents: list[Document]) -> tuple[int, tuple[float, float], list[object]]:
    """Code one batch in a worker; also its pid, peak RSS (MB) and CPU seconds so far."""
    assert _TASK is not None and _PIPE is not None
    out = list(_TASK(_PIPE, documents))
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return os.getpid(), (ru.ru_maxrss / 1024, ru.ru_utime + ru.ru_stime), out


def _exit_with(parent: int) -> None:
    """End this worker when the process that started the pool ends, even by ``kill -9``
    (a worker's parent is the fork server, which itself waits for its workers to end)."""
    try:
        fd = os.pidfd_open(parent)
    except (AttributeError, OSError):  # pragma: no cover - not Linux >= 5.3

        def watch() -> None:
            while True:
                time.sleep(1.0)
                try:
                    os.kill(parent, 0)
                except ProcessLookupError:
                    os._exit(1)
    else:

        def watch() -> None:
            select.select([fd], [], [])  # readable once the parent has exited
            os._exit(1)

    threading.Thread(target=watch, name="eventwire-parent-watch", daemon=True).start()


def _ping() -> int:
    return os.getpid()


# -- in the parent ---------------------------------------------------------------------------
class WorkerStartError(RuntimeError):
    """The worker processes cannot start."""


class WorkerPool(Generic[Outcome]):
    """``workers`` processes coding batches of at most ``batch_size`` documents.

    It is a ``pipeline.Coder`` (``submit``/``close``, used by ``ingest_into``) and has ``map``
    for a whole stream (``eventwire extract``/``geoparse``).  Use it as a context manager.
    ``Outcome`` is what its task gives per document: ``CodingOutcome`` for "code",
    ``GeoparseOutcome`` for "geoparse"."""

    @overload
    def __init__(
        self: WorkerPool[CodingOutcome], workers: int, model: str | None = None, task: Literal["code"] = "code",
        batch_size: int = 8,
    ) -> None: ...
    @overload
    def __init__(
        self: WorkerPool[GeoparseOutcome], workers: int, model: str | None, task: Literal["geoparse"],
        batch_size: int = 8,
    ) -> None: ...
    @overload
    def __init__(
        self: WorkerPool[AnyOutcome], workers: int, model: str | None, task: str, batch_size: int = 8,
    ) -> None: ...
    @overload
    def __init__(
        self, workers: int, model: str | None = None, *, task: Task[Outcome], batch_size: int = 8,
    ) -> None: ...

    def __init__(
        self, workers: int, model: str | None = None, task: str | Task[Outcome] = "code", batch_size: int = 8
    ) -> None:
        """``task``: "code" (``code_batch``), "geoparse" (``geoparse_batch``) or a module-level
        function of the same shape (it is pickled by name)."""
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if isinstance(task, str) and task not in TASKS:
            raise ValueError(f"unknown task {task!r}")
        self.workers, self.model, self.task, self.batch_size = workers, model, task, batch_size
        self.peak_rss_mb: dict[int, float] = {}  # worker pid -> its peak RSS
        self.cpu_s: dict[int, float] = {}  # worker pid -> CPU seconds it used (model load included)
        self.restarts = 0
        # spaCy and the stages imported once, in the fork server; each worker then only loads the model
        self._ctx = pool_context()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers, mp_context=self._ctx, initializer=_init_worker,
            initargs=(self.model, self.task, os.getpid()),
        )

    def __enter__(self) -> WorkerPool[Outcome]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    # a batch in flight: its documents and the futures of its pieces
    def _pieces(self, documents: list[Document]) -> list[list[Document]]:
        """``documents`` in pieces of at most ``batch_size``, at least two per worker where
        there are enough, so that no worker idles at the end of a batch."""
        size = max(1, min(self.batch_size, -(-len(documents) // (2 * self.workers))))
        return [documents[i : i + size] for i in range(0, len(documents), size)]

    def _send(self, piece: list[Document]) -> Future[_Done[Outcome]]:
        try:
            fut = self._pool.submit(_run, piece)
        except BrokenProcessPool:
            self._restart()
            fut = self._pool.submit(_run, piece)
        # what comes back from the worker is what this pool's task gives (chosen in __init__)
        return cast("Future[_Done[Outcome]]", fut)

    def _restart(self) -> None:
        """A new executor after a worker died; it must answer a first call, else the workers
        cannot start at all (a model that does not load, a script that starts the pool without
        an ``if __name__ == "__main__":`` guard) and the error is raised, not retried."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.restarts += 1
        log.warning("a worker process died; starting the workers again")
        self._pool = self._start()
        try:
            self._pool.submit(_ping).result()
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise WorkerStartError(
                "the worker processes die as they start (is the pool started from a script without an "
                "'if __name__ == \"__main__\":' guard?)"
            ) from None

    def _collect(self, piece: list[Document], fut: Future[_Done[Outcome]]) -> list[Outcome]:
        try:
            pid, usage, out = fut.result()
        except BrokenProcessPool:
            return self._one_by_one(piece)
        self._account(pid, usage)
        return out

    def _account(self, pid: int, usage: tuple[float, float]) -> None:
        self.peak_rss_mb[pid] = max(usage[0], self.peak_rss_mb.get(pid, 0.0))
        self.cpu_s[pid] = max(usage[1], self.cpu_s.get(pid, 0.0))

    def _one_by_one(self, piece: list[Document]) -> list[Outcome]:
        """After a worker died: the piece again, one document at a time in fresh workers; a
        document that kills its worker again fails alone (every task's outcome may be a
        ``CodingFailure``)."""
        out: list[Outcome] = []
        for doc in piece:
            if self._pool_broken():
                self._restart()
            try:
                done = cast("Future[_Done[Outcome]]", self._pool.submit(_run, [doc]))
                pid, usage, (got,) = done.result()
                self._account(pid, usage)
            except BrokenProcessPool:
                got = cast(Outcome, CodingFailure("its worker process died while coding it"))
                self._restart()
            out.append(got)
        return out

    def _pool_broken(self) -> bool:
        return bool(getattr(self._pool, "_broken", False))

    def submit(self, documents: list[Document]) -> Callable[[], list[Outcome]]:
        """Hand over ``documents``; the function returned waits for their outcomes, in order."""
        sent = [(piece, self._send(piece)) for piece in self._pieces(list(documents))]

        def wait() -> list[Outcome]:
            return [x for piece, fut in sent for x in self._collect(piece, fut)]

        return wait

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, Outcome]]:
        """``(document, outcome)`` for every document, in input order, with at most a few
        batches per worker in flight (memory stays bounded on a long stream).  A list is cut
        into smaller batches as its end nears (at most its remaining length over twice the
        workers), so that every worker gets some and all finish at about the same time."""
        left = len(documents) if isinstance(documents, Sequence) else None
        window: deque[tuple[list[Document], Future[_Done[Outcome]]]] = deque()
        it = iter(documents)
        while True:
            while len(window) < 3 * self.workers:
                size = self.batch_size
                if left is not None:  # smaller pieces towards the end: no worker codes alone for long
                    size = max(1, min(size, -(-left // (2 * self.workers))))
                piece = [d for _, d in zip(range(size), it, strict=False)]
                if not piece:
                    break
                if left is not None:
                    left -= len(piece)
                window.append((piece, self._send(piece)))
            if not window:
                return
            piece, fut = window.popleft()
            yield from zip(piece, self._collect(piece, fut), strict=True)

    def peak_rss_per_worker(self) -> float:
        """The largest peak RSS (MB) any worker reported so far."""
        return max(self.peak_rss_mb.values(), default=0.0)
