"""Coding posted documents for the write endpoints: one worker thread with the pipeline loaded
on first use, a bounded number of requests waiting (more: 429), a time limit per request (over
it: 503; the job finishes in the background and still counts as waiting until it does)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from eventwire.api.errors import ApiError

T = TypeVar("T")


class CodingWorker:
    def __init__(self, model: str | None = None, max_waiting: int = 4, timeout_s: float = 120.0) -> None:
        self.model = model
        self.max_waiting = max_waiting
        self.timeout_s = timeout_s
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eventwire-coder")
        self._busy = 0
        self._lock = threading.Lock()
        self._pipeline: Any = None

    def pipeline(self) -> Any:
        """The pipeline (loaded in the worker thread on first use)."""
        if self._pipeline is None:
            from eventwire.pipeline import Pipeline

            self._pipeline = Pipeline(self.model)
        return self._pipeline

    async def run(self, job: Callable[[], T]) -> T:
        with self._lock:
            if self._busy >= self.max_waiting:
                raise ApiError(429, f"the coder is busy ({self._busy} requests in hand); retry later",
                               {"Retry-After": "5"})  # fmt: skip
            self._busy += 1
        future = self._executor.submit(job)
        future.add_done_callback(self._done)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout_s)
        except TimeoutError:
            raise ApiError(503, f"coding took longer than {self.timeout_s:g} s; send fewer or shorter documents",
                           {"Retry-After": "30"}) from None  # fmt: skip

    def _done(self, _future: Any) -> None:
        with self._lock:
            self._busy -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
