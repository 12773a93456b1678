"""What the worker pool needs before any stage is imported: how many workers by default, and
its fork server, which can be started early.

Kept free of spaCy and the stages, so that a command can ask for the number of workers and
start the fork server before it imports the pipeline itself: the fork server then imports spaCy
and the stages (about 0.6 s of CPU, ``_preload``) on the other core while the command does the
same, instead of after it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

log = logging.getLogger(__name__)

PRELOAD = ["eventwire.scale._preload"]


def default_workers() -> int:
    """``$EVENTWIRE_WORKERS`` if set, else the number of cores this process may run on (its CPU
    affinity, else the machine's)."""
    env = os.environ.get("EVENTWIRE_WORKERS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            log.warning("EVENTWIRE_WORKERS=%r is not a number; using every core", env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def pool_context() -> BaseContext:
    """The ``forkserver`` context of the pool, with spaCy and the stages imported once, in the
    fork server (each worker then only loads the model)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_fork_server() -> None:
    """Start the pool's fork server now, so that its imports overlap this process's own work
    (``eventwire extract`` calls it once it knows there are documents for several workers).  A
    pool started later uses it; it ends with this process."""
    pool_context()
    forkserver.ensure_running()
