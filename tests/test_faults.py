"""Bad input never corrupts state: interrupted, concurrent and refused writes (issue 8).

The cycle engine writes ``cycles/<year>.yaml`` under a lock, to a temporary file that is
fsynced and moved into place with ``os.replace`` (src/zyklus/state.py). These tests are
the cross-cutting proof, through the commands people run: a write killed at any point
leaves the previous file intact and the next command works; twenty processes at once lose
nothing; a hand-broken cycle file is refused, byte for byte untouched; a read-only
folder or a full disk gives a clear message and no half-written file.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import MINIMAL_AREAS, MINIMAL_CONFIG, SRC, ZYKLUS, build_file_tree, subprocess_env
from zyklus import models
from zyklus.cli import app
from zyklus.files import cycles as state
from zyklus.files.workspace import Workspace

PAST = "2025-06-30"
OPENED = "2027-01-15T10:00:00+01:00"


def card(project_id: str) -> str:
    return textwrap.dedent(
        f"""\
        id: {project_id}
        title: Projekt {project_id}
        areas: [stadt]
        target_groups: [langzeitarbeitslose]
        goals:
          - id: G1
            statement: Beratung vor Ort
        milestones:
          - {{id: M1, title: Erste Beratung, due: 2025-03-01}}
        """
    )


def ids(count: int) -> list[str]:
    return [f"projekt-{i:02d}" for i in range(1, count + 1)]


def make_workspace(root: Path, count: int = 3) -> Path:
    files: dict[str, str] = {
        "zyklus.yaml": MINIMAL_CONFIG,
        "data/areas.csv": MINIMAL_AREAS,
        "data/indicators.csv": "area,indicator,period,value\nstadt,arbeitslosenanteil,2023-12-31,6.9\n",
        "cycles/2027.yaml": f"cycle: 2027\nopened: {OPENED}\nprojects:\n"
        + "".join(f"  {p}:\n    phase: analysis\n" for p in ids(count)),
    }
    files |= {f"projects/{p}.yaml": card(p) for p in ids(count)}
    return build_file_tree(root, files)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return make_workspace(tmp_path / "ws")


def cycle_file(ws: Path) -> Path:
    return ws / "cycles" / "2027.yaml"


def leftovers(ws: Path) -> list[str]:
    """Files in cycles/ besides the cycle file and its lock (temporary files, mostly)."""
    return sorted(
        p.name for p in (ws / "cycles").iterdir() if p.name not in ("2027.yaml", ".2027.yaml.lock")
    )


def read_state(ws: Path) -> models.CycleState:
    return state.read_cycle(Workspace(ws), 2027)


def invoke(runner: CliRunner, ws: Path, *args: str, catch: bool = False) -> Any:
    return runner.invoke(app, [*args, "--lang", "en", "-C", str(ws)], catch_exceptions=catch)


RECORD = ("record", "actual", "projekt-01", "G1", "5", "--date", PAST)


# --- 14. a write interrupted at any point ---------------------------------------------------


class _Boom(OSError):
    pass


def _fail_with(code: int) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code), "cycles")

    return fail


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("os.fsync", errno.EIO),  # the data is written, not yet durable: before os.replace
        ("os.replace", errno.EIO),  # the very step that would publish it
        ("tempfile.mkstemp", errno.EACCES),  # read-only folder
        ("tempfile.mkstemp", errno.EROFS),  # read-only file system
    ],
)
def test_failed_write_keeps_the_old_file(
    target: str, code: int, runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cycle_file(ws).read_bytes()
    monkeypatch.setattr(target, _fail_with(code))
    result = invoke(runner, ws, *RECORD)
    monkeypatch.undo()
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert f" E-OS file/system error: {os.strerror(code)}; nothing was changed" in line
    assert cycle_file(ws).read_bytes() == before
    assert leftovers(ws) == []
    # and the next command works
    assert invoke(runner, ws, *RECORD).exit_code == 0
    assert read_state(ws).projects["projekt-01"].actuals[0].value == 5


class _FullDisk:
    """A stream that takes half the data, then the disk is full."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.stream.name)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def test_full_disk_during_the_write_leaves_nothing_half_written(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cycle_file(ws).read_bytes()
    real = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real(fd, mode, *args, **kwargs)
        return _FullDisk(stream) if "w" in mode else stream

    monkeypatch.setattr(os, "fdopen", fdopen)
    result = invoke(runner, ws, *RECORD)
    monkeypatch.undo()
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "E-OS file/system error: No space left on device; nothing was changed" in line
    assert cycle_file(ws).read_bytes() == before
    assert leftovers(ws) == []


def test_failure_while_dumping_keeps_the_old_file(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in the emitter (here: a value it cannot write) must not touch the file either."""
    from zyklus import cycle

    before = cycle_file(ws).read_bytes()
    calls = 0
    real = state.scalar

    def scalar(value: Any) -> str:
        nonlocal calls
        calls += 1
        if calls > 3:
            raise TypeError("cannot write this")
        return real(value)

    monkeypatch.setattr(state, "scalar", scalar)
    with pytest.raises(TypeError):
        cycle.record_actual(Workspace(ws), "projekt-01", "G1", 5.0, date(2025, 6, 30))
    assert cycle_file(ws).read_bytes() == before
    assert leftovers(ws) == []


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root ignores file modes; test_read_only_workspace_as_root covers root",
)
def test_read_only_cycles_folder(runner: CliRunner, ws: Path) -> None:
    before = cycle_file(ws).read_bytes()
    folder = ws / "cycles"
    folder.chmod(0o555)
    try:
        result = invoke(runner, ws, *RECORD)
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 1
    assert "E-OS" in result.stderr
    assert cycle_file(ws).read_bytes() == before


def _read_only_mount_works(folder: Path) -> bool:
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind '{folder}' '{folder}' && "
         f"mount -o remount,bind,ro '{folder}'"],
        capture_output=True,
        timeout=30,
        check=False,
    )  # fmt: skip
    return probe.returncode == 0


@pytest.mark.skipif(os.name != "posix", reason="needs unshare and mount (Linux)")
def test_read_only_workspace_as_root(ws: Path) -> None:
    """A really read-only file system (a read-only bind mount in a private namespace).

    Root ignores file modes, so CI (which runs as root) proves this with a mount.
    """
    if not _read_only_mount_works(ws):
        pytest.skip("cannot make a private read-only mount here (needs root and unshare)")
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    command = " ".join(f"'{part}'" for part in (*ZYKLUS, *RECORD, "--workspace", str(ws)))
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount --bind '{ws}' '{ws}' && "
         f"mount -o remount,bind,ro '{ws}' && exec {command}"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "E-OS" in done.stderr and "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before


KILL_SCRIPT = r"""
import os, sys, time
from pathlib import Path
from zyklus.files import cycles as state
from zyklus.files.workspace import Workspace

root, point = Path(sys.argv[1]), sys.argv[2]
real_fdopen = os.fdopen


class Stalling:
    def __init__(self, stream):
        self.stream = stream
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self.stream.close()
    def __getattr__(self, name):
        return getattr(self.stream, name)
    def write(self, data):
        self.stream.write(data[: len(data) // 2])
        self.stream.flush()
        print("stalled", len(data), flush=True)
        time.sleep(600)


def fdopen(fd, mode="r", *args, **kwargs):
    stream = real_fdopen(fd, mode, *args, **kwargs)
    return Stalling(stream) if "w" in mode else stream


def replace(*args, **kwargs):
    print("stalled", flush=True)
    time.sleep(600)


if point == "mid-write":
    os.fdopen = fdopen
else:
    os.replace = replace
state.update_cycle(Workspace(root), 2027, lambda c: c.model_copy(update={"note": "changed"}))
print("not killed", flush=True)
"""


def big_cycle(ws: Path, filler: int) -> None:
    """A big cycle file: the real projects plus ``filler`` others with long reasons (~1 MB)."""
    at = datetime(2027, 1, 15, 10, tzinfo=UTC)
    reason = "Aus der Tagung übernommen, in der Arbeitsgruppe priorisiert. " * 50
    entry = models.HistoryEntry.model_validate(
        {"from": None, "to": "analysis", "at": at, "by": "Koordinierungsstelle", "reason": reason}
    )
    projects = {p: models.ProjectState(phase="analysis") for p in ids(3)}
    projects |= {
        f"weitere-{i:05d}": models.ProjectState(phase="analysis", history=[entry])
        for i in range(filler)
    }
    cycle = models.CycleState.model_validate({"cycle": 2027, "opened": at, "projects": projects})
    state.write_cycle(cycle_file(ws), cycle, [])


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL semantics")
@pytest.mark.parametrize("point", ["mid-write", "before-replace"])
def test_kill_9_during_a_large_write(point: str, ws: Path, tmp_path: Path) -> None:
    big_cycle(ws, filler=400)
    before = cycle_file(ws).read_bytes()
    assert len(before) > 1_000_000
    script = tmp_path / "writer.py"
    script.write_text(KILL_SCRIPT, encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, str(script), str(ws), point],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=subprocess_env(),
    ) as proc:
        try:
            line = _read_line(proc, timeout=60)
        finally:
            proc.kill()  # SIGKILL: no finally block, no cleanup in the writer runs
            proc.wait(timeout=30)
    assert line.startswith("stalled"), line
    assert proc.returncode == -9
    assert cycle_file(ws).read_bytes() == before  # the previous file, intact
    stale = leftovers(ws)
    if point == "mid-write":  # the half-written temporary file is there, but not as a .yaml
        assert len(stale) == 1 and stale[0].startswith(".2027.yaml.") and stale[0].endswith(".tmp")
    # the lock died with the process: the next command runs at once and works
    result = subprocess.run(
        [*ZYKLUS, *RECORD, "--lang", "en", "-C", str(ws)],
        capture_output=True,
        text=True,
        timeout=120,
        env=subprocess_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    after = read_state(ws)
    assert after.projects["projekt-01"].actuals[0].value == 5
    assert len(after.projects) == 3 + 400
    assert after.note is None  # the killed change never landed
    assert not [name for name in leftovers(ws) if name.endswith((".yaml", ".yml"))]
    assert Workspace(ws).cycle_years() == [2027]


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """One line of the child's stdout, or '' after ``timeout`` seconds."""
    out: list[str] = []
    reader = threading.Thread(
        target=lambda: out.append(proc.stdout.readline() if proc.stdout else "")
    )
    reader.daemon = True
    reader.start()
    reader.join(timeout)
    return out[0] if out else ""


# --- 15. many processes at once ---------------------------------------------------------------


def _spawn(ws: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*ZYKLUS, *args, "--lang", "en", "-C", str(ws)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[int, str]]:
    out = []
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        out.append((proc.returncode, err))
    return out


@pytest.mark.slow
def test_twenty_processes_on_different_projects_lose_nothing(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", count=20)
    projects = ids(20)
    procs = [_spawn(ws, "advance", p) for p in projects[:10]]
    procs += [
        _spawn(ws, "record", "actual", p, "G1", str(i), "--date", PAST)
        for i, p in enumerate(projects[10:], start=11)
    ]
    results = _finish(procs)
    assert [code for code, _ in results] == [0] * 20, [err for _, err in results if err]
    after = read_state(ws)
    for p in projects[:10]:
        assert after.projects[p].phase == "needs"
        assert [(h.from_, h.to) for h in after.projects[p].history] == [("analysis", "needs")]
    for i, p in enumerate(projects[10:], start=11):
        assert after.projects[p].phase == "analysis"
        assert [(a.goal, a.value) for a in after.projects[p].actuals] == [("G1", i)]
    assert leftovers(ws) == []
    check = subprocess.run(
        [*ZYKLUS, "validate", "-C", str(ws)],
        capture_output=True,
        timeout=60,
        env=subprocess_env(),
        check=False,
    )
    assert check.returncode == 0, check.stderr


@pytest.mark.slow
def test_two_processes_on_the_same_project_never_lose_an_update(ws: Path) -> None:
    # the same goal and date: one wins, the other is told so
    results = _finish(
        [
            _spawn(ws, "record", "actual", "projekt-01", "G1", "5", "--date", PAST),
            _spawn(ws, "record", "actual", "projekt-01", "G1", "7", "--date", PAST),
        ]
    )
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1], results
    winner = "5" if results[0][0] == 0 else "7"
    loser_err = results[1][1] if results[0][0] == 0 else results[0][1]
    assert "CY-ACTUAL-EXISTS" in loser_err
    (actual,) = read_state(ws).projects["projekt-01"].actuals
    assert actual.value == float(winner)
    # different dates on one project: serialised, both kept
    results = _finish(
        [
            _spawn(ws, "record", "actual", "projekt-02", "G1", "1", "--date", "2025-03-31"),
            _spawn(ws, "record", "actual", "projekt-02", "G1", "2", "--date", PAST),
            _spawn(ws, "advance", "projekt-02"),
        ]
    )
    assert [code for code, _ in results] == [0, 0, 0], results
    after = read_state(ws).projects["projekt-02"]
    assert [a.value for a in after.actuals] == [1, 2]
    assert after.phase == "needs"
    # the same move twice: one moves, the other finds it done (never a double entry)
    results = _finish([_spawn(ws, "advance", "projekt-03", "--to", "needs") for _ in range(2)])
    assert sorted(code for code, _ in results) == [0, 2], results
    assert len(read_state(ws).projects["projekt-03"].history) == 1


def test_lock_held_elsewhere_gives_a_clear_message(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    monkeypatch.setattr(state, "LOCK_TIMEOUT", 0.2)
    before = cycle_file(ws).read_bytes()
    with FileLock(str(state.lock_path(Workspace(ws), 2027))):
        thread_result: list[Any] = []
        worker = threading.Thread(target=lambda: thread_result.append(invoke(runner, ws, *RECORD)))
        worker.start()
        worker.join(30)
    (result,) = thread_result
    assert result.exit_code == 1
    assert " CY-LOCKED " in result.stderr
    assert cycle_file(ws).read_bytes() == before


# --- 16. a hand-broken cycle file: every writing command refuses, nothing changes -----------

BROKEN = {
    "duplicate-key": (
        "projects:\n  projekt-01:\n    phase: analysis\n    phase: needs\n",
        "cycles/2027.yaml:6:5: Y-DUPKEY",
    ),
    "syntax": ("projects:\n  projekt-01:\n    phase: [analysis\n", "cycles/2027.yaml:"),
    "schema": (
        "projects:\n  projekt-01:\n    phase: nirgendwo\n",
        "cycles/2027.yaml:5:12: S-CHOICE",
    ),
    "german-number": (
        "projects:\n  projekt-01:\n    phase: analysis\n    actuals:\n"
        "      - {goal: G1, value: 1.250, date: 2025-03-31}\n",
        "cycles/2027.yaml:7:27: S-AMBIGUOUS-NUMBER",
    ),
    "tag": (
        'note: !!python/object/apply:os.system ["touch pwned"]\nprojects: {}\n',
        "cycles/2027.yaml:3:7: Y-TAG",
    ),
}
WRITERS = [
    pytest.param(("advance", "projekt-01"), id="advance"),
    pytest.param(("advance", "projekt-01", "--force", "--reason", "Test"), id="advance-force"),
    pytest.param(RECORD, id="record-actual"),
    pytest.param(
        ("record", "actual", "projekt-01", "G1", "--not-measured", "keine Daten"),
        id="record-not-measured",
    ),
    pytest.param(
        ("record", "milestone", "projekt-01", "M1", "--done", PAST), id="record-milestone"
    ),
    pytest.param(
        ("record", "evaluation", "projekt-01", "--verdict", "continue", "--summary", "gut"),
        id="record-evaluation",
    ),
    pytest.param(("cycle", "start", "2030", "--from", "2027"), id="cycle-start"),
]


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_broken_cycle_file_is_refused_and_left_alone(
    broken: str, command: tuple[str, ...], runner: CliRunner, ws: Path, tmp_path: Path
) -> None:
    body, expected = BROKEN[broken]
    cycle_file(ws).write_text(f"cycle: 2027\nopened: {OPENED}\n{body}", encoding="utf-8")
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    result = invoke(runner, ws, *command)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(expected), lines
    after = {
        p: p.read_bytes() for p in ws.rglob("*") if p.is_file() and not p.name.endswith(".lock")
    }
    assert after == {p: b for p, b in before.items() if not p.name.endswith(".lock")}
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


@pytest.mark.parametrize("broken", ["latin1", "year-mismatch"])
def test_broken_cycle_file_other_ways(broken: str, runner: CliRunner, ws: Path) -> None:
    if broken == "latin1":
        cycle_file(ws).write_bytes(
            f"cycle: 2027\nopened: {OPENED}\nnote: Gr\xfc\xdfe\nprojects: {{}}\n".encode("latin-1")
        )
        expected = "cycles/2027.yaml:3:9: Y-ENCODING byte 0xFC"
    else:
        cycle_file(ws).write_text(
            cycle_file(ws).read_text(encoding="utf-8").replace("cycle: 2027", "cycle: 2026"),
            encoding="utf-8",
        )
        expected = "cycles/2027.yaml:1: CY-YEAR-MISMATCH"
    before = cycle_file(ws).read_bytes()
    result = invoke(runner, ws, *RECORD)
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr
    assert cycle_file(ws).read_bytes() == before


def test_new_project_with_a_broken_cycle_file_leaves_everything_as_it_was(
    runner: CliRunner, ws: Path
) -> None:
    body, _ = BROKEN["duplicate-key"]
    cycle_file(ws).write_text(f"cycle: 2027\nopened: {OPENED}\n{body}", encoding="utf-8")
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    result = invoke(
        runner,
        ws,
        *(
            "new-project",
            "Neues Projekt",
            "--area",
            "stadt",
            "--target-group",
            "langzeitarbeitslose",
        ),
    )
    assert result.exit_code == 1
    after = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    # the empty lock file stays by design (git-ignored; unlinking it would race other
    # processes); everything else is as it was
    lock = ws / "cycles" / ".2027.yaml.lock"
    assert after.pop(lock, b"") == b""
    assert after == before


def test_reading_commands_do_not_write(runner: CliRunner, ws: Path) -> None:
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    for command in (("validate",), ("status",), ("advance", "projekt-01", "--dry-run")):
        result = invoke(runner, ws, *command)
        assert result.exit_code == 0, (command, result.output)
    after = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file() and p.suffix != ".lock"}
    assert after == {p: b for p, b in before.items() if p.suffix != ".lock"}


def test_src_under_test(ws: Path) -> None:
    """The subprocesses above run this checkout's code, not an installed copy."""
    result = subprocess.run(
        [sys.executable, "-c", "import zyklus, sys; sys.stdout.write(zyklus.__file__)"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    )
    assert Path(result.stdout).resolve().is_relative_to(SRC)


# --- a command line from a non-UTF-8 terminal --------------------------------------------

LATIN1_ARG = "Caf\udce9"  # what Python makes of the byte 0xE9 in sys.argv under UTF-8


def test_non_utf8_note_is_refused_and_the_cycle_stays_readable(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cycle_file(ws).read_bytes()
    for pure_env in ("0", "1"):
        monkeypatch.setenv("ZYKLUS_PURE_YAML", pure_env)
        result = invoke(runner, ws, *RECORD, "--note", LATIN1_ARG)
        assert result.exit_code in (1, 2), result.output
        assert cycle_file(ws).read_bytes() == before
    monkeypatch.setenv("ZYKLUS_PURE_YAML", "0")
    assert invoke(runner, ws, "validate").exit_code == 0


def test_non_utf8_title_is_refused_without_a_traceback(runner: CliRunner, ws: Path) -> None:
    before = {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()}
    result = invoke(
        runner,
        ws,
        *("new-project", LATIN1_ARG, "--area", "stadt", "--target-group", "langzeitarbeitslose"),
    )
    assert result.exit_code in (1, 2), result.output
    assert {p: p.read_bytes() for p in ws.rglob("*") if p.is_file()} == before
