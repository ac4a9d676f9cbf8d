"""A command parses each file at most once (issue 13), counted per command.

Every YAML parse goes through the loader's builder; the test counts, per file, the plain
parses and the recording parses (the second pass that records lines, only when a line
must be shown). Allowed: one plain parse per file, one recording parse per file, and a
cycle file that is changed is read once more under its lock when it changed less than a
moment before (the lock protocol reads what is on disk; a settled file that is provably
the one parsed is not parsed again). The emitter's check that
its own output reads back (``2027.yaml``, not a file) is not a read of a file.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import copy_example
from zyklus.cli import app
from zyklus.files import loader

_EMITTER_CHECK = re.compile(r"^\d{4}\.yaml$")  # write_cycle's read-back of its own text


class Parses:
    def __init__(self) -> None:
        self.plain: Counter[str] = Counter()
        self.recording: Counter[str] = Counter()
        self.depth = 0

    def files(self) -> set[str]:
        return {n for n in [*self.plain, *self.recording] if not _EMITTER_CHECK.match(n)}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Parses]:
    seen = Parses()
    run = loader._Builder.run

    def counted(self: Any, text: str, *, pure: bool) -> Any:
        if seen.depth == 0:  # a first pass that needs marks restarts itself: one parse
            (seen.recording if self.record else seen.plain)[self.name] += 1
        seen.depth += 1
        try:
            return run(self, text, pure=pure)
        finally:
            seen.depth -= 1

    monkeypatch.setattr(loader._Builder, "run", counted)
    yield seen


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "bochum")


def _invoke(root: Path, *args: str) -> int:
    result = CliRunner().invoke(app, [*args, "-C", str(root)], catch_exceptions=False)
    return result.exit_code


def _assert_once(parses: Parses, *, locked: str | None = None) -> None:
    for name, count in parses.plain.items():
        if _EMITTER_CHECK.match(name):
            continue
        allowed = 2 if name == locked else 1
        assert count <= allowed, f"{name} parsed {count} times"
    for name, count in parses.recording.items():
        assert count <= 1, f"{name}: {count} recording parses"


def test_advance_out_of_needs_parses_each_file_once(example: Path, parses: Parses) -> None:
    project = "beratung-ba-im-quartier"
    assert _invoke(example, "advance", project, "--to", "needs", "--reason", "Belege") == 0
    time.sleep(0.15)  # settled: under the lock the kept parse is provably the file on disk
    parses.plain.clear()
    parses.recording.clear()
    code = _invoke(example, "advance", project, "--as-of", "2027-09-30")
    assert code == 1  # refused: the needs gate of the card is not met
    _assert_once(parses)
    assert parses.plain[f"projects/{project}.yaml"] == 1
    assert parses.recording[f"projects/{project}.yaml"] == 1  # the lines of the unmet criteria
    assert "projects/jobcenter-im-quartier.yaml" in parses.plain  # the duplicate check ran


def test_advance_dry_run_reads_the_cycle_once(example: Path, parses: Parses) -> None:
    code = _invoke(example, "advance", "jobcenter-im-quartier", "--to", "planning")
    assert code in (0, 1, 2)
    parses.plain.clear()
    code = _invoke(
        example,
        "advance",
        "beratung-ba-im-quartier",
        "--dry-run",
        "--force",
        "--reason",
        "Probe",
        "--as-of",
        "2027-09-30",
    )
    assert code == 0
    _assert_once(parses)
    assert parses.plain["cycles/2027.yaml"] == 1


def test_report_parses_each_file_once(example: Path, parses: Parses) -> None:
    assert _invoke(example, "report", "--as-of", "2027-09-30", "--out", str(example / "out")) == 0
    _assert_once(parses)
    cards = {f"projects/{p.name}" for p in (example / "projects").iterdir()}
    assert cards <= set(parses.plain)  # every card parsed, each once
    assert {"cycles/2027.yaml", "cycles/2024.yaml"} <= set(parses.plain)


def test_validate_parses_each_file_once(example: Path, parses: Parses) -> None:
    assert _invoke(example, "validate") == 0
    _assert_once(parses)
    files = {
        f"{d}/{p.name}"
        for d in ("projects", "offers", "cycles", "funding")
        for p in (example / d).iterdir()
    }
    assert files | {"zyklus.yaml"} == parses.files()


def test_record_actual_parses_each_file_once(example: Path, parses: Parses) -> None:
    code = _invoke(
        example,
        "record",
        "actual",
        "jobcenter-im-quartier",
        "G1",
        "7",
        "--date",
        "2027-06-30",
        "--allow-future",
        "--replace",
    )
    assert code == 0
    _assert_once(parses, locked="cycles/2027.yaml")
    assert parses.plain["projects/jobcenter-im-quartier.yaml"] == 1
