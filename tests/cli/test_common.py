"""German names, --version and shell completion (issue 12)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import REPO, subprocess_env, tool
from zyklus import cycle, models
from zyklus.cli import _common, app
from zyklus.errors import UsageError


@pytest.mark.parametrize(
    ("text", "phase"),
    [("Planung", "planning"), ("umsetzung", "implementation"), ("Analyse", "analysis"),
     ("Bedarfsfeststellung", "needs"), ("abgeschlossen", "done"), ("planning", "planning")],
)  # fmt: skip
def test_phases_are_accepted_in_german(text: str, phase: str) -> None:
    assert cycle.parse_phase(text) == phase


@pytest.mark.parametrize(
    ("text", "verdict"),
    [("fortsetzen", "continue"), ("Anpassen", "adjust"), ("beenden", "stop"), ("stop", "stop")],
)
def test_verdicts_are_accepted_in_german(text: str, verdict: str) -> None:
    assert cycle.parse_verdict(text) == verdict


def test_a_misspelt_german_verdict_gets_a_did_you_mean() -> None:
    with pytest.raises(UsageError) as info:
        cycle.parse_verdict("fortsetzn")
    assert info.value.problems[0].params["hint"] == "fortsetzen"


def test_every_german_name_names_a_real_id() -> None:
    known = {*models.PHASES, *models.END_STATES, *models.VERDICTS, *models.DECISIONS}
    assert set(models.GERMAN.values()) <= known
    assert all(k == k.lower() for k in models.GERMAN)


def test_every_report_phase_label_is_accepted() -> None:
    """What the report and status show is what a planner may type."""
    from zyklus.i18n import message

    for state in (*models.PHASES, *models.END_STATES):
        assert cycle.parse_phase(message(f"report-phase-{state}", "de")) == state


def test_status_shows_the_phase_names_of_the_report(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["status", "--phase", "Planung", "--as-of", "2027-09-30", "-C", str(REPO)]
    )
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()[2:]
    assert rows and all(row.split("\t")[1] == "Planung" for row in rows)


def test_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"zyklus {version('zyklus')}\n"


def test_completion_offers_the_workspaces_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("ZYKLUS_WORKSPACE", raising=False)
    assert _common.complete_project("jo") == ["jobcenter-im-quartier"]
    assert _common.complete_indicator("arbeitslosena") == ["arbeitslosenanteil"]
    assert "2027" in _common.complete_cycle("20")


def test_completion_outside_a_workspace_offers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ZYKLUS_WORKSPACE", raising=False)
    assert _common.complete_project("") == []
    assert _common.complete_cycle("") == []


@pytest.mark.slow
def test_bash_completion_through_the_command() -> None:
    env = subprocess_env() | {
        "_ZYKLUS_COMPLETE": "complete_bash",
        "COMP_WORDS": "zyklus advance jo",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [tool("zyklus")], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.split() == ["jobcenter-im-quartier"], done.stderr


def test_help_shows_words_not_python_types() -> None:
    """No ``<str>``, ``<list[Path]>`` or ``{project_id}`` in any command's help (issue 12)."""
    import re

    runner = CliRunner()
    commands = [["advance"], ["record", "actual"], ["record", "milestone"],
                ["record", "evaluation"], ["cycle", "start"], ["cycle", "add"], ["status"],
                ["analyse"], ["report"], ["validate"], ["init"], ["new-project"], ["schema"]]  # fmt: skip
    for words in commands:
        text = runner.invoke(app, [*words, "--help"]).output
        usage_and_options = "\n".join(
            line for line in text.splitlines() if line.startswith(("Usage:", "  -", "  [A-Z"))
        )
        assert not re.search(r"(?:--[\w-]+|\b[\w-]+) <[a-z]", usage_and_options), (words, text)
        assert not re.search(r"\{[a-z_]+\}", text.splitlines()[0]), (words, text)
    usage = runner.invoke(app, ["record", "actual", "--help"]).output.splitlines()[0]
    assert usage == "Usage: zyklus record actual [OPTIONS] PROJECT GOAL [VALUE]"
