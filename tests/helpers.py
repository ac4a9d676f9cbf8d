"""Shared test helpers: build workspaces on tmp_path, run the CLI as a subprocess."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import zyklus

REPO = Path(__file__).resolve().parents[1]
# Data the tests read besides the repository: a sibling folder, as in the seed (issue 12)
SHARED = REPO.parent / "shared"
SRC = Path(zyklus.__file__).resolve().parents[1]

MINIMAL_CONFIG = """\
name: Testarbeitsbereich
language: en
current_cycle: 2027
city: stadt
target_groups:
  - id: langzeitarbeitslose
    label: {de: Langzeitarbeitslose, en: Long-term unemployed}
  - id: jugendliche
    label: {de: Jugendliche, en: Young people}
strategic_goals:
  - id: ziel-langzeitarbeitslose
    title: {de: Ziel Langzeitarbeitslose, en: Goal long-term unemployed}
indicators:
  - id: arbeitslosenanteil
    label: {de: Arbeitslosenanteil, en: Unemployment share}
    unit: "%"
"""

MINIMAL_AREAS = """\
id,name,level,parent
stadt,Stadt,stadt,
nord,Nord,stadtbezirk,stadt
querenburg,Querenburg,ortsteil,nord
554,BA-Distrikt 554,ba-distrikt,querenburg
"""

MINIMAL_CARD = """\
id: jobcenter-im-quartier
title: Jobcenter im Quartier
areas: [querenburg]
target_groups: [langzeitarbeitslose]
"""


def build_file_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path → text, dedented) below ``root``."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def subprocess_env() -> dict[str, str]:
    """Environment for running ``python -m zyklus`` on the code under test."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("ZYKLUS_WORKSPACE", None)
    return env


ZYKLUS = [sys.executable, "-m", "zyklus"]


def tool(name: str) -> str:
    """A console script of the running environment (the venv's bin, whether or not it is on
    PATH), else from PATH; the name itself when neither has it, so the test fails saying
    what is missing instead of skipping (issue 12)."""
    import shutil

    here = Path(sys.executable).parent / name
    if here.is_file():
        return str(here)
    return shutil.which(name) or name


def grows_linearly(
    run: Callable[[int], object],
    n: int,
    *,
    limit: float = 12.0,
    baseline: Callable[[int], object] | None = None,
) -> float:
    """The CPU time of ``run(10·n)`` over ``run(n)`` (best of five each), at most four tries.

    A near-linear check stays under ``limit`` (~12×); a quadratic one needs ~100×, so the
    retries only absorb the noise of a shared machine, never a wrong algorithm (issue 20).
    With ``baseline`` (a plain linear pass over the same data) the ratio is scaled by 10 over
    the baseline's own growth, which takes out what the machine's caches add at 10·n.
    """
    import gc
    import time

    def best(work: Callable[[int], object], size: int) -> float:
        times = []
        for _ in range(5):
            gc.collect()
            start = time.process_time()
            work(size)
            times.append(time.process_time() - start)
        return max(min(times), 1e-4)

    run(n)  # warm caches and imports
    ratio = float("inf")
    for _ in range(4):
        measured = best(run, 10 * n) / best(run, n)
        if baseline is not None:
            measured *= 10 / max(best(baseline, 10 * n) / best(baseline, n), 1.0)
        ratio = min(ratio, measured)
        if ratio <= limit:
            break
    return ratio


def copy_example(root: Path) -> Path:
    """A copy of the Bochum example workspace (config, cards, cycles, offers, data)."""
    import shutil

    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "zyklus.yaml", root / "zyklus.yaml")
    for folder in ("projects", "cycles", "offers", "data", "funding"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def ba_workbook(path: Path, rows: list[list[object]], *, title: str = "Arbeitslose") -> Path:
    """An .xlsx in the shape the Bundesagentur für Arbeit and statistics offices publish:
    two title rows and a blank row above ``rows`` (header first), then a footnote row."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(["Arbeitsmarkt in Zahlen – Kleinräumige Daten"])
    sheet.append(["Stadt Bochum, Stichtag 31. Dezember 2023"])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(
        ["* Werte unter 3 sind aus Datenschutzgründen anonymisiert. Quelle: Statistik der BA"]
    )
    book.save(path)
    return path


def with_many_cards(root: Path, n: int) -> Path:
    """The Bochum example plus ``n`` copies of one of its cards (issue 19's long runs)."""
    root = copy_example(root)
    text = (root / "projects" / "jobcenter-im-quartier.yaml").read_text(encoding="utf-8")
    for i in range(n):
        name = f"kopie-{i:05d}"
        card = text.replace("id: jobcenter-im-quartier", f"id: {name}")
        (root / "projects" / f"{name}.yaml").write_text(card, encoding="utf-8")
    return root


def child_pids(pid: int) -> list[int]:
    """The direct child processes of ``pid`` (Linux; psutil is no dependency)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
        return [int(word) for word in text.split()]
    except OSError:
        return []


def signalled_with_workers(
    command: list[str], cwd: Path, *, one_worker: bool = False
) -> tuple[int, str, float, list[int]]:
    """Run ``command`` in its own process group with two workers and, once both exist,
    send a signal: SIGINT to the whole group (as a terminal does), or with ``one_worker``
    SIGKILL to the first worker only (as the out-of-memory killer does). Return (exit
    code, stderr, seconds from the signal to the end, the workers' pids)."""
    import contextlib
    import signal
    import subprocess
    import time

    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env={**subprocess_env(), "ZYKLUS_JOBS": "2"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell gives a job
    )
    deadline = time.monotonic() + 60
    while len(workers := child_pids(proc.pid)) < 2 and proc.poll() is None:
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.002)
    assert proc.poll() is None, "the command ended before its workers could be signalled"
    sent = time.monotonic()
    if one_worker:
        os.kill(workers[0], signal.SIGKILL)
    else:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=10)
    finally:
        with contextlib.suppress(ProcessLookupError):  # a failed run leaves nothing running
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, err.decode("utf-8"), time.monotonic() - sent, workers


def assert_interrupted_cleanly(command: list[str], cwd: Path) -> None:
    """Ctrl-C to ``command`` while its two workers run (:func:`signalled_with_workers`):
    it ends within a second with one line and exit 130, leaves no worker and writes nothing."""
    before = tree_state(cwd)
    code, stderr, took, workers = signalled_with_workers(command, cwd)
    assert code == 130, stderr
    assert took < 1.0, f"took {took:.2f} s after Ctrl-C"
    assert "Traceback" not in stderr and "ForkPoolWorker" not in stderr, stderr
    assert stderr.strip() == "E-INTERRUPTED interrupted (Ctrl-C); nothing incomplete was written"
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "workers left"
    assert tree_state(cwd) == before  # nothing written, nothing left behind


def assert_lost_worker_told(command: list[str], cwd: Path) -> None:
    """One of ``command``'s two workers is killed (:func:`signalled_with_workers`): the run
    ends within a second with one located line and exit 1, leaves no worker, writes nothing."""
    before = tree_state(cwd)
    code, stderr, took, workers = signalled_with_workers(command, cwd, one_worker=True)
    assert code == 1, stderr
    assert took < 1.0, f"took {took:.2f} s after the worker was killed"
    assert "Traceback" not in stderr, stderr
    assert stderr.strip().endswith(
        "E-WORKER-LOST a worker process of zyklus was ended, most often because"
        " memory ran out; nothing was written. With ZYKLUS_JOBS=1 zyklus works in a single"
        " process."
    ), stderr
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], "workers left"
    assert tree_state(cwd) == before


def counted_pools(monkeypatch: Any) -> list[int]:
    """The worker counts of every pool forked from now on (``files.workers.pool``)."""
    from zyklus.files import workers

    pools: list[int] = []
    pool = workers.pool

    def counted(count: int, shared: Any = None) -> Any:
        pools.append(count)
        return pool(count, shared)

    monkeypatch.setattr(workers, "pool", counted)
    return pools


def tree_state(root: Path) -> dict[str, tuple[int, int]]:
    """Every path below ``root`` with its size and modification time: "nothing written"."""
    return {
        str(path.relative_to(root)): (path.lstat().st_size, path.lstat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
    }


def bench_generator() -> ModuleType:
    """bench/generate.py (bench/ is no package), loaded by path once: it defines dataclasses."""
    import importlib.util

    name = "bench_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def python_calls(run: Callable[[], object]) -> int:
    """Python function calls ``run`` makes (cProfile's count: the same on a busy machine)."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    try:
        run()
    finally:
        profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def grows_linearly_in_calls(run: Callable[[int], object], sizes: tuple[int, int, int]) -> float:
    """How much more work the step ``a → c`` costs than ``a → b`` (``run(a)`` warms up first).

    Counting calls instead of timing keeps the check exact on a shared machine (issue 21);
    taking the differences takes out the fixed cost (imports, catalogs, templates) that
    hides a quadratic part at small sizes. Linear work gives ``(c - a) / (b - a)``.
    """
    a = sizes[0]
    run(a)
    first, second, third = (python_calls(lambda n=n: run(n)) for n in sizes)
    return (third - first) / max(second - first, 1)


def work_ratio(run: Callable[[int], object], n: int) -> float:
    """The Python work of ``run(10·n)`` over ``run(n)``: lines executed, counted with
    ``sys.settrace``, so the ratio does not depend on the machine's load (issue 18).

    A linear algorithm gives about 10, a pairwise one about 100. Work done inside C
    (``sorted``, ``csv``) is not counted; pair it with a loose time check where that matters.
    """
    import sys

    def count(size: int) -> int:
        events = 0

        def tracer(frame: object, event: str, arg: object) -> object:
            nonlocal events
            events += 1
            return tracer

        previous = sys.gettrace()
        sys.settrace(tracer)  # type: ignore[arg-type]
        try:
            run(size)
        finally:
            sys.settrace(previous)
        return events

    run(n)  # warm caches and imports
    return count(10 * n) / max(count(n), 1)
