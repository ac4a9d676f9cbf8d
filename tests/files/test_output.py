"""Generated output (files/output.py): every file staged, then named; side by side in
forked workers (issue 21) with the same bytes, errors and clean-up as in one process."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from zyklus.errors import LoadError, Problem
from zyklus.files import output

forked_only = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _pieces(text: str, pid_file: Path | None = None) -> Iterator[bytes]:
    if pid_file is not None:
        pid_file.write_text(str(os.getpid()), encoding="ascii")
    for word in text.split():
        yield word.encode() + b"\n"


def _broken(code: str) -> Iterator[bytes]:
    yield b"half"
    raise LoadError([Problem(code, path="templates/x.j2", line=3)])


@forked_only
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_files_staged_by_workers_are_the_ones_one_process_writes(tmp_path: Path, jobs: int) -> None:
    folder = tmp_path / "out"
    pids = tmp_path / "pids"
    pids.mkdir()
    files = {
        folder / f"{name}.txt": _pieces(f"{name} eins zwei drei", pids / name)
        for name in ("a", "b", "c")
    }
    assert output.write_files(folder, files, jobs=jobs) == list(files)
    for path in files:
        assert path.read_bytes() == f"{path.stem}\neins\nzwei\ndrei\n".encode()
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.txt", "c.txt"]  # no temp
    writers = {pids.joinpath(name).read_text(encoding="ascii") for name in ("a", "b", "c")}
    assert (len(writers) > 1) == (jobs > 1)  # the last file is always this process's
    assert pids.joinpath("c").read_text(encoding="ascii") == str(os.getpid())


@forked_only
@pytest.mark.parametrize("failing", [0, 1])
def test_a_failure_on_either_side_replaces_nothing_and_leaves_no_temporary_file(
    tmp_path: Path, failing: int
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    old = {folder / "a.md": b"old a", folder / "b.html": b"old b"}
    for path, data in old.items():
        path.write_bytes(data)
    files = {path: _pieces("neu") for path in old}
    files[list(old)[failing]] = _broken("T-ERROR")
    with pytest.raises(LoadError) as caught:
        output.write_files(folder, files, jobs=2)
    assert caught.value.problems[0].code == "T-ERROR"  # the worker's error, sent back whole
    assert caught.value.problems[0].where() == "templates/x.j2:3"
    assert {p: p.read_bytes() for p in folder.iterdir()} == old


@forked_only
def test_the_first_error_in_order_wins_as_in_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    files = {folder / "a": _broken("T-ERROR"), folder / "b": _broken("T-UNSAFE")}
    for jobs in (1, 2):
        with pytest.raises(LoadError) as caught:
            output.write_files(folder, files | {}, jobs=jobs)
        assert caught.value.problems[0].code == "T-ERROR"
        files = {folder / "a": _broken("T-ERROR"), folder / "b": _broken("T-UNSAFE")}
    assert list(folder.iterdir()) == []


@forked_only
def test_ctrl_c_while_a_worker_writes_ends_it_and_removes_its_file(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    started = tmp_path / "worker"

    def endless() -> Iterator[bytes]:
        told = started.with_suffix(".tmp")  # renamed: the pid is never seen half written
        told.write_text(str(os.getpid()), encoding="ascii")
        told.replace(started)
        while True:
            yield b"x" * 1024

    def interrupted() -> Iterator[bytes]:
        while not started.exists():
            yield b""
        raise KeyboardInterrupt

    files = {folder / "a": endless(), folder / "b": interrupted()}
    with pytest.raises(KeyboardInterrupt):
        output.write_files(folder, files, jobs=2)
    worker = int(started.read_text(encoding="ascii"))
    assert worker != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # ended and reaped
    assert list(folder.iterdir()) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # ours untouched
