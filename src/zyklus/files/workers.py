"""Forked worker processes for reading many files at once (issues 9, 19, 21).

``validate`` checks a city's files in them, and every command that reads all the cards
(:meth:`zyklus.files.workspace.Workspace.read_ahead`) parses them there. One rule for both:
how many workers, that Ctrl-C stops them at once without a traceback from each, and that
a worker that dies (the kernel's out-of-memory killer, a crash) ends the run with a message
instead of leaving it waiting for an answer that never comes.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from zyklus.errors import ZyklusError

PARALLEL_FROM = 200  # files; below this, starting workers costs more than it saves
_running = 0  # pools of this process that are running now
_shared: Any = None  # what the workers of the pool being forked inherit (see :func:`pool`)
SEND_WAIT = 5.0  # seconds an answer being sent may take to arrive when the pool ends


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


class WorkerLost(ZyklusError):
    """A worker ended while the run waited for it: killed (often for want of memory) or
    crashed. Nothing was written; one process (``ZYKLUS_JOBS=1``) needs no worker."""


@contextlib.contextmanager
def pool(count: int, shared: Any = None) -> Iterator[Workers]:
    """A pool of ``count`` forked workers that ignore Ctrl-C; terminated however it ends.

    ``shared`` is what the workers' tasks need besides their arguments (the workspace, a
    stream): they inherit it by ``fork`` and read it with :func:`inherited`, so it is never
    pickled.

    A terminal sends SIGINT to the whole process group: workers that took it would each
    print a traceback. They ignore it, and SIGINT stays blocked while they are forked, so
    one that was just born cannot take it either (issue 19). The main process gets the
    KeyboardInterrupt, and leaving this block terminates the workers at once.

    A worker that dies (killed for want of memory, crashed) raises :class:`WorkerLost` in
    whoever waits for an answer. ``multiprocessing.Pool`` would replace it and wait
    forever for the task it had, or for a lock it held (a killed ``validate`` hung); the
    executor of ``concurrent.futures`` is built to give up instead.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _running, _shared
    context = multiprocessing.get_context("fork")
    before, _shared = _shared, shared
    others = set(multiprocessing.active_children())
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    executor: ProcessPoolExecutor | None = None
    _running += 1
    try:
        executor = ProcessPoolExecutor(count, mp_context=context, initializer=_start)
        executor.submit(int)  # with fork, the first task forks every worker: now
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a Ctrl-C held back comes here
        yield Workers(executor)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        _running -= 1
        _shared = before
        if executor is not None:
            _end(executor, set(multiprocessing.active_children()) - others)


def _end(executor: Any, workers: set[Any]) -> None:
    """End the workers at once, and the executor with them.

    A worker ended in the middle of sending an answer (a big one fills the pipe and waits
    for the executor's thread to read it) would leave that thread waiting for the rest
    forever, and this process with it. So the lock that every answer is sent under is
    taken first, as ``multiprocessing.Pool`` does when it terminates: then no answer is
    half sent. Only if it is not free within :data:`SEND_WAIT` seconds (a worker was
    killed while sending: the lock is never freed) are the workers ended without it.
    """
    lock = executor._result_queue._wlock  # None where sending takes no lock (Windows)
    taken = lock is not None and lock.acquire(timeout=SEND_WAIT)
    try:
        for worker in workers:
            worker.terminate()
        executor.shutdown(wait=taken or lock is None, cancel_futures=True)
    finally:
        if taken:
            lock.release()


class Workers:
    """A running pool, as its users call it; a lost worker is :class:`WorkerLost`."""

    def __init__(self, executor: Any) -> None:
        self._executor = executor

    def apply_async(self, task: Callable[..., Any], args: tuple[Any, ...] = ()) -> Answer:
        """``task(*args)`` started in a worker; :meth:`Answer.get` waits for it."""
        with _lost():
            return Answer(self._executor.submit(task, *args))

    def imap(
        self, task: Callable[[Any], Any], items: Iterable[Any], chunksize: int = 1
    ) -> Iterator[Any]:
        """``task(item)`` for each item, in the workers; the results in the items' order.

        All items are handed over at once; the workers take them ``chunksize`` at a time.
        """
        with _lost():
            results = self._executor.map(task, items, chunksize=chunksize)
        return _told(results)


class Answer:
    """The answer of one task started with :meth:`Workers.apply_async`."""

    def __init__(self, future: Any) -> None:
        self._future = future

    def get(self) -> Any:
        """The task's result (or its exception) once it is there."""
        with _lost():
            return self._future.result()


def _told(results: Iterator[Any]) -> Iterator[Any]:
    """``results`` as they come."""
    with _lost():
        yield from results


@contextlib.contextmanager
def _lost() -> Iterator[None]:
    """The executor's word for a lost worker (when waiting, or when handing over more
    work to a pool that lost one) becomes :class:`WorkerLost`."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        yield
    except BrokenProcessPool:
        raise WorkerLost.single("E-WORKER-LOST") from None


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
