"""``validate --format github|gitlab``: findings as merge-request annotations (issue 19)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zyklus.cli import app
from zyklus.cli.annotations import github_annotations, gitlab_code_quality
from zyklus.errors import Problem


def broken(workspace: Path) -> Path:
    card = workspace / "projects" / "jobcenter-im-quartier.yaml"
    card.write_text(
        card.read_text(encoding="utf-8").replace("[querenburg]", "[quernburg]"), encoding="utf-8"
    )
    return card


def test_github_annotations_point_at_file_and_line(runner: CliRunner, workspace: Path) -> None:
    broken(workspace)
    result = runner.invoke(
        app, ["validate", "-C", str(workspace), "--format", "github", "--lang", "en"]
    )
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith(
        "::error file=projects/jobcenter-im-quartier.yaml,line=3,col=9,title=X-AREA-UNKNOWN-HINT::"
    )
    assert "quernburg" in line


def test_a_newline_in_a_file_name_cannot_forge_a_second_command() -> None:
    problem = Problem("Y-READ", path="a\n::error file=x::forged", params={"error": "x\ny"})
    text = github_annotations([problem], "en")
    assert text.count("\n") == 1 and text.count("::error") == 1
    assert "%0A" in text and "%3A%3Aerror" in text


def test_gitlab_code_quality_is_the_documented_shape_with_stable_fingerprints(
    runner: CliRunner, workspace: Path
) -> None:
    broken(workspace)
    args = ["validate", "-C", str(workspace), "--format", "gitlab", "--lang", "de"]
    first, second = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 1
    entries = json.loads(first.stdout)
    assert first.stdout == second.stdout
    assert entries[0]["location"] == {
        "path": "projects/jobcenter-im-quartier.yaml",
        "lines": {"begin": 3},
    }
    assert entries[0]["check_name"] == "X-AREA-UNKNOWN-HINT" and entries[0]["severity"] == "major"
    assert len(entries[0]["fingerprint"]) == 64


def test_no_problems_give_an_empty_report(runner: CliRunner, workspace: Path) -> None:
    assert gitlab_code_quality([], "de") == []
    assert github_annotations([], "de") == ""
    result = runner.invoke(app, ["validate", "-C", str(workspace), "--format", "gitlab"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []


def test_gitlab_report_goes_through_the_one_json_writer(
    runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No JSON string of its own (issue 19): the entries are handed to ``write_json``."""
    import zyklus.cli.terminal as terminal

    broken(workspace)
    args = ["validate", "-C", str(workspace), "--format", "gitlab", "--lang", "de"]
    written = runner.invoke(app, args).stdout
    handed: list[object] = []
    monkeypatch.setattr(terminal, "write_json", handed.append)
    assert runner.invoke(app, args).stdout == ""
    assert len(handed) == 1 and handed[0] == json.loads(written)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_workspace_in_a_subfolder_is_named_from_the_repository_top(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    """The platform knows files by their path in the repository (issue 19): the CI job
    runs in the workspace's folder, the annotation names ``planung/projects/…``."""
    top = tmp_path / "repo"
    shutil.copytree(workspace, top / "planung")
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    broken(top / "planung")
    args = ["validate", "-C", str(top / "planung"), "--lang", "en", "--format"]
    github = runner.invoke(app, [*args, "github"]).stdout
    assert github.startswith("::error file=planung/projects/jobcenter-im-quartier.yaml,line=3,")
    (entry,) = json.loads(runner.invoke(app, [*args, "gitlab"]).stdout)
    assert entry["location"]["path"] == "planung/projects/jobcenter-im-quartier.yaml"
    text = runner.invoke(app, args[:-1]).output  # the problem lines stay workspace-relative
    assert text.startswith("projects/jobcenter-im-quartier.yaml:3:9:")
