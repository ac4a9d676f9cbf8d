"""``zyklus merge-driver`` in a real repository: two branches merged by git (issue 19)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cycle_helpers import AT, build_ws, full_card, go
from helpers import subprocess_env
from zyklus import cycle
from zyklus.cli import app
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Planerin", "-c", "user.email=p@example.org", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env=subprocess_env(),
    )


@pytest.fixture
def repo(tmp_path: Path, runner: CliRunner) -> Path:
    ws = build_ws(
        tmp_path,
        {"alpha": full_card("alpha"), "beta": full_card("beta")},
        {"alpha": "analysis", "beta": "analysis"},
    )
    git(ws.root, "init", "-q", "-b", "main")
    result = runner.invoke(app, ["merge-driver", "install", "-C", str(ws.root)])
    assert result.exit_code == 0, result.output
    git(ws.root, "add", "-A")
    git(ws.root, "commit", "-qm", "base")
    return ws.root


def add_project(root: Path, project_id: str) -> None:
    (root / "projects" / f"{project_id}.yaml").write_text(full_card(project_id), encoding="utf-8")
    cycle.register_new_project(Workspace(root), project_id)


def commit_on(root: Path, branch: str, *changes: tuple[str, str]) -> None:
    """On a new branch from main: add projects ("add", id) and advance ("go", id)."""
    assert git(root, "checkout", "-q", "-b", branch, "main").returncode == 0
    for kind, project_id in changes:
        if kind == "add":
            add_project(root, project_id)
        else:
            go(Workspace(root), project_id, at=AT + timedelta(hours=len(branch)))
    git(root, "add", "-A")
    assert git(root, "commit", "-qm", branch).returncode == 0


def test_install_registers_the_driver_and_the_attribute_once(repo: Path, runner: CliRunner) -> None:
    runner.invoke(app, ["merge-driver", "install", "-C", str(repo)])
    assert (repo / ".gitattributes").read_text() == "cycles/*.yaml merge=zyklus\n"
    driver = git(repo, "config", "merge.zyklus.driver").stdout
    assert "-m zyklus merge-driver merge %O %A %B --path %P" in driver


def test_install_names_paths_relative_to_the_repository(tmp_path: Path, runner: CliRunner) -> None:
    """The same line on every machine (issue 19): no absolute path of .git/config."""
    ws = build_ws(tmp_path / "planung", {"alpha": full_card("alpha")}, {"alpha": "analysis"})
    git(tmp_path, "init", "-q", "-b", "main")
    result = runner.invoke(app, ["merge-driver", "install", "-C", str(ws.root), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "merge driver for cycle files installed: .git/config and planung/.gitattributes\n"
    )


def test_two_branches_adding_adjacent_ids_and_moving_projects_merge_cleanly(repo: Path) -> None:
    commit_on(repo, "one", ("add", "gamma-1"), ("go", "alpha"))
    commit_on(repo, "two", ("add", "gamma-2"), ("go", "beta"))
    assert git(repo, "checkout", "-q", "one").returncode == 0
    merged = git(repo, "merge", "--no-edit", "two")
    assert merged.returncode == 0, merged.stdout + merged.stderr
    state = read_cycle(Workspace(repo), 2027)
    assert sorted(state.projects) == ["alpha", "beta", "gamma-1", "gamma-2"]
    assert (state.projects["alpha"].phase, state.projects["beta"].phase) == ("needs", "needs")
    assert len(state.projects["alpha"].history) == len(state.projects["beta"].history) == 1


def test_a_real_conflict_is_confined_to_its_block_and_validate_names_it(
    repo: Path, runner: CliRunner
) -> None:
    commit_on(repo, "one", ("go", "alpha"), ("add", "gamma-1"))
    commit_on(repo, "three", ("go", "alpha"), ("add", "gamma-2"))
    git(repo, "checkout", "-q", "one")
    merged = git(repo, "merge", "--no-edit", "three")
    assert merged.returncode != 0
    text = (repo / "cycles" / "2027.yaml").read_text()
    lines = text.splitlines()
    start, end = lines.index("<<<<<<< ours"), lines.index(">>>>>>> theirs")
    assert lines[start - 1] == "  alpha:"
    assert all(not line.startswith("  ") or line.startswith("    ") for line in lines[start:end])
    assert "  gamma-1:" in lines and "  gamma-2:" in lines  # merged outside the conflict
    result = runner.invoke(app, ["validate", "-C", str(repo), "--lang", "en"])
    assert result.exit_code == 1
    assert f"cycles/2027.yaml:{start + 1}:1: Y-CONFLICT unresolved merge conflict" in result.output
