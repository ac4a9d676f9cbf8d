"""The terminal module: one table of output formats, one way to refuse and to write JSON."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import REPO, ZYKLUS, subprocess_env, with_many_cards
from zyklus.cli import app
from zyklus.cli.terminal import FORMATS, PROGRESS_FROM, progress

COMMANDS = {
    "log": ["log", "jobcenter-im-quartier"],
    "partners": ["partners"],
    "budget": ["budget"],
    "funding": ["funding"],
    "validate": ["validate"],
    "status": ["status"],
    "gates": ["gates"],
    "analyse": ["analyse"],
    "report": ["report", "--as-of", "2027-09-30"],
}


def test_every_command_with_a_format_is_in_the_table() -> None:
    assert set(FORMATS) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_format_is_refused_one_way_in_the_users_language(command: str) -> None:
    runner = CliRunner()
    args = [*COMMANDS[command], "--format", "docx"]
    if command != "gates":
        args += ["-C", str(REPO)]
    choices = ", ".join(FORMATS[command])
    german = runner.invoke(app, args)
    assert german.exit_code == 2
    assert german.stdout == ""
    assert f"E-FORMAT unbekanntes Format „docx“; möglich: {choices}\n" in german.stderr
    english = runner.invoke(app, [*args, "--lang", "en"])
    assert english.exit_code == 2
    assert f"E-FORMAT unknown format 'docx'; choose one of {choices}\n" in english.stderr


def test_json_is_written_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    from zyklus.cli.terminal import write_json

    write_json({"ä": date(2027, 1, 2), "n": [1]})
    assert capsys.readouterr().out == '{\n  "ä": "2027-01-02",\n  "n": [\n    1\n  ]\n}\n'


# --- progress on a terminal (issue 19) ------------------------------------------------------


def _run_with_stderr_on_a_pty(args: list[str], cwd: Path) -> tuple[int, str, bytes]:
    """Run ``args`` with stderr on a pseudo-terminal: exit code, stdout, what the pty got."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        args,
        cwd=cwd,
        env={**subprocess_env(), "TERM": "xterm", "COLUMNS": "100", "ZYKLUS_JOBS": "1"},
        stdout=subprocess.PIPE,
        stderr=follower,
    )
    os.close(follower)
    seen = bytearray()
    while True:  # read while it runs: a full pty would block the bar's writes
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=60)
    os.close(leader)
    return proc.returncode, out.decode("utf-8"), bytes(seen)


@pytest.mark.slow
def test_validate_shows_progress_on_a_terminal_and_nothing_when_piped(tmp_path: Path) -> None:
    root = with_many_cards(tmp_path / "ws", PROGRESS_FROM + 50)
    command = [*ZYKLUS, "validate", "--lang", "en"]
    code, out, terminal = _run_with_stderr_on_a_pty(command, root)
    assert code == 0, terminal
    assert b"Checking files" in terminal
    assert re.search(rb"\b\d+/\d+\b", terminal.split(b"Checking files", 1)[1])  # done/total
    assert "files checked" in out  # the summary stays on stdout, unchanged
    piped = subprocess.run(
        command, cwd=root, env=subprocess_env(), capture_output=True, check=False
    )
    assert piped.returncode == 0
    assert piped.stdout.decode("utf-8") == out
    assert b"Checking files" not in piped.stderr and b"\x1b" not in piped.stderr


@pytest.mark.slow
def test_commands_that_read_every_card_show_progress_and_print_unchanged(tmp_path: Path) -> None:
    """status, report, site, budget … read the cards through one place: one bar for all."""
    root = with_many_cards(tmp_path / "ws", PROGRESS_FROM + 50)
    command = [*ZYKLUS, "status", "--lang", "en"]
    code, out, terminal = _run_with_stderr_on_a_pty(command, root)
    assert code == 0, terminal
    assert b"Reading files" in terminal
    piped = subprocess.run(
        command, cwd=root, env=subprocess_env(), capture_output=True, check=False
    )
    assert piped.returncode == 0
    assert piped.stdout.decode("utf-8") == out  # the table is the same, the bar is on stderr
    assert b"Reading files" not in piped.stderr and b"\x1b" not in piped.stderr


def test_a_short_run_on_a_terminal_does_not_import_rich(tmp_path: Path) -> None:
    """The one-card pre-commit run must not pay for rich's import (issue 21's start-up)."""
    script = (
        "import sys\n"
        "from zyklus.cli import main\n"
        "sys.argv = ['zyklus', 'validate', 'projects/jobcenter-im-quartier.yaml']\n"
        "try:\n    main()\n"
        "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "print('rich' in sys.modules)\n"
    )
    code, out, terminal = _run_with_stderr_on_a_pty([sys.executable, "-c", script], REPO)
    assert code == 0, terminal
    assert out.splitlines()[-1] == "False"


def test_progress_is_none_when_stderr_is_no_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("progress-validate", "de") as tick:
        assert tick is None
    assert capsys.readouterr().err == ""


_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.dates()
    | st.decimals(allow_nan=True, allow_infinity=True, places=2)
)
_data = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_data)
def test_json_is_the_text_of_json_dump(data: object) -> None:
    """Containers go through the stdlib's C encoder (issue 18), but the text is exactly
    what ``json.dump(indent=2)`` of the escaped value writes: never NaN, dates as text,
    money as text, lone surrogates shown escaped."""
    import contextlib
    import io
    import json

    from zyklus.cli.terminal import write_json
    from zyklus.escape import json_value

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write_json(data)
    expected = json.dumps(
        json_value(data), ensure_ascii=False, indent=2, allow_nan=False, default=str
    )
    assert out.getvalue() == expected + "\n"

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    json.loads(out.getvalue(), parse_constant=refuse)  # strict: no NaN, no Infinity


def test_json_of_dataclasses_and_a_lone_surrogate(capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import dataclass

    from zyklus.cli.terminal import write_json

    @dataclass
    class Row:
        name: str
        value: float
        series: tuple[tuple[int, float], ...]

    write_json([Row("S\udcfcd", float("inf"), ((1, 2.5),))])
    assert capsys.readouterr().out == (
        '[\n  {\n    "name": "S\\\\xfcd",\n    "value": null,\n    "series": [\n'
        "      [\n        1,\n        2.5\n      ]\n    ]\n  }\n]\n"
    )


def test_plain_table_rows_of_text_and_of_other_values(capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 18: a row of texts is taken as it is when printable; numbers, None and
    control characters are shown as before."""
    from zyklus.cli.terminal import print_table

    rows = [["a", "b"], ["x\x1b[31m", "y"], [1, None], ("t", "u")]
    print_table("T", ["c1", "c2"], rows, plain=True)
    out = capsys.readouterr().out
    assert out.splitlines() == ["T", "c1\tc2", "a\tb", "x\\x1b[31m\ty", "1\t", "t\tu"]
