"""Forked workers (files/workers.py, issue 21): how many, and that Ctrl-C is the main
process's to handle."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from zyklus.files import workers


def _worker_state() -> tuple[int, object]:
    return os.getpid(), signal.getsignal(signal.SIGINT)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_processes_follow_the_cpus_the_tasks_and_zyklus_jobs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZYKLUS_JOBS", "8")
    assert workers.available(1) == 1 and workers.available(3) == 3
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    assert workers.available(3) == 1
    monkeypatch.setenv("ZYKLUS_JOBS", "zwei")  # not a number: the CPUs count
    assert workers.available(2) == min(2, len(os.sched_getaffinity(0)))
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("ZYKLUS_JOBS", "8")
    assert workers.available(3) == 1


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_worker_ignores_ctrl_c_and_is_ended_with_the_block() -> None:
    with workers.forked(1) as pool:
        pid, handler = pool.apply(_worker_state)
    assert pid != os.getpid() and handler == signal.SIG_IGN
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.pthread_sigmask(signal.SIG_BLOCK, set()) == set()  # nothing left blocked
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
