"""Forked workers: how many, and the collector paused while files become objects (issue 21)."""

from __future__ import annotations

import gc
import os
import signal
import sys
import time

import pytest

from zyklus.files import workers


def test_workers_one_per_cpu_bounded_by_the_files_and_zyklus_jobs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZYKLUS_JOBS", "3")
    assert workers.jobs(workers.PARALLEL_FROM - 1) == 1  # few files: no workers
    assert workers.jobs(10_000) == (3 if workers.sys.platform == "linux" else 1)
    assert workers.jobs(10_000, parallel_from=20_000) == 1
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    assert workers.jobs(10_000) == 1  # the single-process path


@pytest.mark.skipif(workers.sys.platform != "linux", reason="workers are forked on Linux only")
def test_no_pool_is_forked_while_another_one_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZYKLUS_JOBS", "2")
    assert workers.jobs(10_000) == 2
    with workers.pool(2) as running:
        assert workers.jobs(10_000) == 1  # read in this process instead
        assert running.apply_async(abs, (-3,)).get() == 3
    assert workers.jobs(10_000) == 2


@pytest.mark.skipif(workers.sys.platform != "linux", reason="workers are forked on Linux only")
def test_workers_inherit_what_their_pool_shares_and_it_is_gone_after() -> None:
    unpicklable = (lambda: "the workspace", [1, 2])  # inherited by fork, never sent
    with workers.pool(1, shared=unpicklable) as pool:
        assert pool.apply_async(_shared_list_length).get() == 2
    assert workers._shared is None
    with pytest.raises(AssertionError):
        workers.inherited()


def _shared_list_length() -> int:
    return len(workers.inherited()[1])


def test_the_collector_is_paused_in_the_block_and_runs_again_after_it() -> None:
    assert gc.isenabled()
    with workers.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), workers.collector_paused():
        raise KeyError("a broken file")
    assert gc.isenabled()
    gc.disable()
    try:
        with workers.collector_paused():
            pass
        assert not gc.isenabled()  # what it found is what it leaves
    finally:
        gc.enable()


def test_what_was_read_can_be_kept_out_of_later_collections() -> None:
    before = gc.get_freeze_count()
    try:
        with workers.collector_paused(freeze=True):
            # lists are always tracked (a dict of atoms is not), whatever ran before
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()


def _worker_state() -> tuple[int, object]:
    return os.getpid(), signal.getsignal(signal.SIGINT)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_worker_ignores_ctrl_c_and_is_ended_with_the_block() -> None:
    with workers.pool(1) as started:
        pid, handler = started.apply_async(_worker_state).get()
    assert pid != os.getpid() and handler == signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == set()  # nothing left blocked
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer ends a worker


def _first_killed(item: int) -> int:
    if item == 0:
        _killed()
    return item


def _hung(signum: int, frame: object) -> None:
    raise AssertionError("still waiting for the dead worker's answer")


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_dead_worker_ends_the_wait_for_its_answer_with_a_message() -> None:
    before = signal.signal(signal.SIGALRM, _hung)  # fails instead of hanging without the fix
    signal.alarm(30)
    try:
        _wait_for_dead_workers()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def _big_answer(size: int) -> bytes:
    return b"x" * size


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_pool_left_while_big_answers_are_sent_ends_at_once() -> None:
    """An answer larger than a pipe is half sent for a while: ending its worker then left
    the executor's thread waiting for the rest forever."""
    before = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(60)
    try:
        for _ in range(5):
            with workers.pool(2) as started:
                started.apply_async(_big_answer, (50_000_000,))
                started.apply_async(_big_answer, (50_000_000,))
                time.sleep(0.3)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    assert workers.jobs(10_000) >= 1 and not workers._running


def _wait_for_dead_workers() -> None:
    with pytest.raises(workers.WorkerLost) as lost, workers.pool(2) as started:
        started.apply_async(_killed).get()
    assert [p.code for p in lost.value.problems] == ["E-WORKER-LOST"]
    with pytest.raises(workers.WorkerLost), workers.pool(2) as started:
        list(started.imap(_first_killed, range(100), 4))  # without the watch: waits forever


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_answers_and_errors_of_living_workers_come_back_as_before() -> None:
    with workers.pool(2) as started:
        assert list(started.imap(abs, range(-50, 0), 8)) == list(range(50, 0, -1))
        assert started.apply_async(abs, (-4,)).get() == 4
        with pytest.raises(TypeError):
            started.apply_async(abs, ("not a number",)).get()
