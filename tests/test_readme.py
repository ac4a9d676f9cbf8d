"""Every console block of README.md shows what zyklus really prints (issue 12).

Each fenced block tagged ``console`` with lines ``$ zyklus …`` is run on a fresh copy of the
example workspace (in process, through Typer's runner, in the workspace folder), and what
the commands print (stdout and stderr, in order) must equal the lines under each command,
modulo dates and timestamps. A line ``…`` in the README stands for any number of lines.

Markers, in an HTML comment on the line right above the opening fence (invisible on
GitHub), several joined by ``;``:

``<!-- readme-test: setup NAME -->``
    change the copy first with ``SETUPS[NAME]`` from ``tests/readme_setups.py`` (what the
    README's text around the block says was done, e.g. "two rows added").
``<!-- readme-test: continue -->``
    run in the workspace the previous block left (a walk-through in several blocks).
``<!-- readme-test: skip REASON -->``
    not run, only when the block truly cannot run here (it shows a PDF, a browser, a
    remote service); the reason is required and the test lists the skipped blocks.

Blocks tagged ``sh`` or ``yaml`` are not console blocks and are not run.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import REPO
from readme_setups import SETUPS
from zyklus.cli import app

README = REPO / "README.md"
EXAMPLE = ("zyklus.yaml", "projects", "cycles", "offers", "data", "schema")
_MARKER = re.compile(r"^<!--\s*readme-test:\s*(.*?)\s*-->$")


@dataclass
class Step:
    command: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    line: int
    steps: list[Step]
    setups: list[str] = field(default_factory=list)
    cont: bool = False
    skip: str | None = None


def console_blocks(text: str) -> list[Block]:
    """The README's ``console`` blocks that run zyklus, with their markers."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i])
            i += 1
        steps: list[Step] = []
        for line in body:
            if line.startswith("$ "):
                steps.append(Step(line[2:]))
            elif steps:
                steps[-1].expected.append(line)
        if not steps or not all(s.command.startswith("zyklus") for s in steps):
            continue
        block = Block(start + 1, steps)
        above = lines[start - 1].strip() if start else ""
        marker = _MARKER.match(above)
        for part in marker.group(1).split(";") if marker else ():
            word, _, rest = part.strip().partition(" ")
            if word == "setup":
                block.setups.append(rest.strip())
            elif word == "continue":
                block.cont = True
            elif word == "skip":
                block.skip = rest.strip()
            else:
                raise AssertionError(f"README.md:{start}: unknown readme-test marker {word!r}")
        blocks.append(block)
    return blocks


RECORDED = datetime(2026, 12, 1, 10, 0).astimezone()  # the day the README's examples show
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}\.\d{2}\.\d{4}\b")


def normal(line: str) -> str:
    """A line modulo dates and timestamps (the README was recorded on another day)."""
    return _DATE.sub("<DATE>", _TIMESTAMP.sub("<TIME>", line)).rstrip()


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line modulo dates; a README line ``…`` takes any number of lines."""
    pattern = "".join(
        r"(?:[^\n]*\n)*?" if line.strip() == "…" else re.escape(normal(line) + "\n")
        for line in expected
    )
    return re.fullmatch(pattern, "".join(normal(a) + "\n" for a in actual)) is not None


def copy_example(target: Path) -> Path:
    target.mkdir()
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    return target


BLOCKS = console_blocks(README.read_text(encoding="utf-8"))


def test_the_readme_has_console_blocks_and_markers_are_known() -> None:
    assert len(BLOCKS) >= 5
    for block in BLOCKS:
        assert all(name in SETUPS for name in block.setups), block.setups
        assert block.skip != "", f"README.md:{block.line}: skip needs a reason"
    assert not BLOCKS[0].cont, "the first block has no block to continue from"


def test_the_parser_reads_markers_steps_and_ellipses() -> None:
    text = (
        "<!-- readme-test: continue; setup hostile -->\n```console\n$ zyklus validate\n"
        "a\n…\n$ zyklus status\nb\n```\n```console\n$ ls\n```\n"
    )
    (block,) = console_blocks(text)
    assert (block.cont, block.setups, [s.command for s in block.steps]) == (
        True,
        ["hostile"],
        ["zyklus validate", "zyklus status"],
    )
    assert matches(["a", "…", "z"], ["a", "x", "y", "z"])
    assert matches(["am 27.11.2026"], ["am 01.12.2026"])
    assert not matches(["a"], ["b"])


@pytest.mark.slow
def test_every_console_block_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zyklus import cycle

    monkeypatch.delenv("ZYKLUS_WORKSPACE", raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    # what the engine records happens on the day the README was recorded: the examples
    # move a project and then ask for days in its phase by a fixed --as-of
    monkeypatch.setattr(cycle, "now", lambda: RECORDED)
    runner = CliRunner()
    failures: list[str] = []
    ws: Path | None = None
    for n, block in enumerate(BLOCKS):
        if block.skip:
            continue
        if ws is None or not block.cont:
            ws = copy_example(tmp_path / f"block-{n}")
        for name in block.setups:
            SETUPS[name](ws)
        monkeypatch.chdir(ws)
        for step in block.steps:
            args = shlex.split(step.command, comments=True)[1:]
            result = runner.invoke(app, args, catch_exceptions=False)
            actual = result.output.splitlines()
            if not matches(step.expected, actual):
                failures.append(
                    f"README.md:{block.line}: $ {step.command}\n--- README\n"
                    + "\n".join(step.expected)
                    + "\n--- zyklus\n"
                    + "\n".join(actual)
                )
    assert not failures, "\n\n".join(failures)


def test_the_first_section_is_what_a_newcomer_types() -> None:
    """The venv step, the Python version of pyproject.toml, then the two commands."""
    import tomllib

    text = README.read_text(encoding="utf-8")
    first = text.split("\n## ", 1)[0]
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    assert f"Python {requires.removeprefix('>=')} or newer" in first
    commands = [line.split("#")[0].strip() for line in first.splitlines()]
    venv = commands.index("python3 -m venv .venv && . .venv/bin/activate")
    report = commands.index("pip install -e '.[dev]' && zyklus report --cycle 2027")
    tests = commands.index("pip install -e '.[dev]' && pytest")
    assert venv < report < tests
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m venv" in ci and "pip install -q -e '.[dev]'" in ci


def test_no_test_or_doc_names_a_fixed_absolute_path() -> None:
    """Data next to the repository is found relative to it (``../shared``), on any machine."""
    fixed = re.compile(r"[\"'`(]/work/")
    files = [*(REPO / "tests").rglob("*.py"), REPO / "data" / "README.md", README]
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if fixed.search(line) and "fixed = re.compile" not in line
    ]
    assert offenders == []
