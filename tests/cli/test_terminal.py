"""The terminal module: one table of output formats, one way to refuse and to write JSON."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from helpers import REPO
from zyklus.cli import app
from zyklus.cli.terminal import FORMATS

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
