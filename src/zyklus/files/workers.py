"""Forked worker processes for work that is independent once the workspace is read
(issue 21: the report renders its formats side by side and shapes its needs section
while it shapes the projects). The workers inherit everything by ``fork``; only their
results (and errors, see :class:`zyklus.errors.ZyklusError`) are pickled back.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from typing import Any


def available(wanted: int) -> int:
    """Processes to use for ``wanted`` independent tasks: one per CPU (``ZYKLUS_JOBS``
    overrides, as for ``validate``), and 1 where ``fork`` is not safe (not Linux)."""
    if wanted < 2 or sys.platform != "linux":
        return 1
    given = os.environ.get("ZYKLUS_JOBS", "")
    cpus = int(given) if given.isascii() and given.isdigit() else len(os.sched_getaffinity(0))
    return max(1, min(cpus, wanted))


@contextlib.contextmanager
def forked(processes: int) -> Iterator[Any]:
    """A pool of forked workers that ignore Ctrl-C; it is terminated however the run ends.

    A terminal sends SIGINT to the whole process group: workers that took it would each
    print a traceback. They ignore it, and SIGINT stays blocked while they are forked, so
    one that was just born cannot take it either (as ``validate``'s, issue 19). The main
    process gets the KeyboardInterrupt, and leaving this block ends the workers at once.
    """
    import multiprocessing

    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = multiprocessing.get_context("fork").Pool(processes, initializer=_ignore_interrupt)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _ignore_interrupt() -> None:
    """In a worker: Ctrl-C is the main process's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
