"""Forked worker processes for reading many files at once (issues 9, 19, 21).

``validate`` checks a city's files in them, and every command that reads all the cards
(:meth:`zyklus.files.workspace.Workspace.read_ahead`) parses them there. One rule for both:
how many workers, and that Ctrl-C stops them at once without a traceback from each.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Iterator
from typing import Any

PARALLEL_FROM = 200  # files; below this, starting workers costs more than it saves
_running = 0  # pools of this process that are running now
_shared: Any = None  # what the workers of the pool being forked inherit (see :func:`pool`)


def jobs(files: int, parallel_from: int | None = None) -> int:
    """Worker processes: one per CPU (``ZYKLUS_JOBS`` overrides), where ``fork`` is safe.

    A worker never starts workers of its own (a daemonic process may not have children),
    and no pool is forked while another one runs: its threads may hold a lock (the import
    lock while they unpickle) that the new workers would inherit held, and wait for.
    """
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    if files < parallel_from or sys.platform != "linux" or _running:
        return 1
    import multiprocessing

    if multiprocessing.current_process().daemon:
        return 1
    wanted = os.environ.get("ZYKLUS_JOBS", "")
    cpus = int(wanted) if wanted.isascii() and wanted.isdigit() else len(os.sched_getaffinity(0))
    return max(1, min(cpus, files // (parallel_from // 2)))


@contextlib.contextmanager
def pool(count: int, shared: Any = None) -> Iterator[Any]:
    """A pool of ``count`` forked workers that ignore Ctrl-C; terminated however it ends.

    ``shared`` is what the workers' tasks need besides their arguments (the workspace, a
    stream): they inherit it by ``fork`` and read it with :func:`inherited`, so it is never
    pickled.

    A terminal sends SIGINT to the whole process group: workers that took it would each
    print a traceback. They ignore it, and SIGINT stays blocked while they are forked, so
    one that was just born cannot take it either (issue 19). The main process gets the
    KeyboardInterrupt, and leaving this block terminates the workers at once.
    """
    import multiprocessing

    global _running, _shared
    context = multiprocessing.get_context("fork")
    before, _shared = _shared, shared
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        workers = context.Pool(count, initializer=_start)
    except BaseException:
        _shared = before
        raise
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    _running += 1
    try:
        yield workers
    finally:
        _running -= 1
        _shared = before
        workers.terminate()
        workers.join()


def inherited() -> Any:
    """In a worker: the ``shared`` of the :func:`pool` it belongs to."""
    assert _shared is not None, "not in a worker of a pool with something shared"
    return _shared


def _start() -> None:
    """In a worker: Ctrl-C is the main process's to handle; what it inherited stays put.

    The inherited objects are frozen: the collector never walks them (nor copies their
    pages by touching them), it only sees what the worker makes itself.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    gc.freeze()


@contextlib.contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic garbage collection while files are turned into objects (issue 21).

    Parsing makes hundreds of thousands of containers and no garbage cycles; each of them
    counts towards the next collection, and each full one walks every card read so far:
    about a third of the parse at 10 000 cards. Reference counting still frees everything;
    the collector runs again when the block is left. ``freeze``: what exists then is kept
    out of later collections (the cards of a city, a big cycle file), which would walk
    it again and again for nothing; it is still freed when no longer referenced.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if was:
            gc.enable()
