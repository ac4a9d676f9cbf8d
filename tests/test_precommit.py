"""The real pre-commit refuses a broken card and lets a good one through."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import MINIMAL_AREAS, MINIMAL_CARD, MINIMAL_CONFIG, REPO, build_file_tree, tool

# the running environment's pre-commit (a dev dependency), PATH or not (issue 12)
PRE_COMMIT = tool("pre-commit")
GIT = shutil.which("git")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(GIT is None, reason="git is not installed (Debian package git)"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.invalid",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.invalid",
            "PATH": str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        }
    )
    env.pop("ZYKLUS_WORKSPACE", None)
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_commit_of_a_broken_card_is_refused(tmp_path: Path) -> None:
    env = _env(tmp_path)
    ws = tmp_path / "ws"
    init = _run([sys.executable, "-m", "zyklus", "init", str(ws)], tmp_path, env)
    assert init.returncode == 0, init.stderr
    build_file_tree(ws, {"zyklus.yaml": MINIMAL_CONFIG, "data/areas.csv": MINIMAL_AREAS})
    assert _run(["git", "init", "-q"], ws, env).returncode == 0
    installed = _run(["pre-commit", "install"], ws, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    build_file_tree(ws, {"projects/jobcenter-im-quartier.yaml": MINIMAL_CARD})
    _run(["git", "add", "-A"], ws, env)
    good = _run(["git", "commit", "-qm", "gute Karte"], ws, env)
    assert good.returncode == 0, good.stdout + good.stderr

    build_file_tree(
        ws,
        {
            "projects/jobcenter-im-quartier.yaml": MINIMAL_CARD
            + "resources:\n  budget_eur: 12.500\n"
        },
    )
    _run(["git", "add", "-A"], ws, env)
    bad = _run(["git", "commit", "-qm", "kaputte Karte"], ws, env)
    assert bad.returncode != 0
    output = bad.stdout + bad.stderr
    assert re.search(r"projects/jobcenter-im-quartier\.yaml:6:15: S-AMBIGUOUS-NUMBER", output), (
        output
    )
    log = _run(["git", "log", "--oneline"], ws, env).stdout
    assert "kaputte Karte" not in log


def test_hook_definition_matches_the_workspace_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "zyklus-validate"
    assert hook["require_serial"] is True
    pattern = re.compile(hook["files"])
    for path in (
        "projects/a.yaml",
        "cycles/2027.yaml",
        "offers/kaoa.yaml",
        "zyklus.yaml",
        "data/areas.csv",
        "data/indicators.csv",
    ):
        assert pattern.search(path), path
    for path in ("README.md", "src/zyklus/models.py", "reports/x.yaml", "data/README.md"):
        assert not pattern.search(path), path
