"""The real pre-commit refuses a broken card and lets a good one through: with the
repository hook that installs zyklus itself, and with the offline hook on PATH."""

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
from zyklus import __version__
from zyklus.files.hooks import HOOK_FILES, ZYKLUS_REPOSITORY, revision

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
    """The offline hook (``--zyklus-repo local``): the zyklus on PATH, at commit time."""
    env = _env(tmp_path)
    ws = tmp_path / "ws"
    init = _run(
        [sys.executable, "-m", "zyklus", "init", str(ws), "--zyklus-repo", "local"], tmp_path, env
    )
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


def test_hook_files_are_the_ones_init_writes_and_the_repository_url_is_the_projects() -> None:
    import tomllib

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["files"] == HOOK_FILES and hook["language"] == "python"
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Repository"] == ZYKLUS_REPOSITORY


# What the repository hook is built from: the package as it is in this tree (committed or
# not), which is what a release tag holds.
_SOURCE = ("src", "templates", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml")


@pytest.fixture(scope="module")
def zyklus_repository(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A git repository of zyklus tagged ``v<version>``, as the hook's ``repo:`` names it."""
    root = tmp_path_factory.mktemp("zyklus-git")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in _SOURCE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy(source, root / name)
    env = _env(root)
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-qm", "zyklus"],
        ["git", "tag", revision()],
    ):
        done = _run(args, root, env)
        assert done.returncode == 0, done.stdout + done.stderr
    return root.as_uri()


def _without_zyklus(tmp_path: Path) -> dict[str, str]:
    """A GUI client's environment: no venv on PATH, so no zyklus and no pre-commit there."""
    env = _env(tmp_path)
    env["PATH"] = os.pathsep.join(
        {str(Path(found).parent): None for found in (GIT, "/usr/bin/env") if found}
    )
    env.pop("VIRTUAL_ENV", None)
    assert shutil.which("zyklus", path=env["PATH"]) is None
    return env


ZYKLUS_INIT = [sys.executable, "-m", "zyklus", "init"]
BROKEN = MINIMAL_CARD + "resources:\n  budget_eur: 12.500\n"


def test_the_repository_hook_installs_zyklus_itself(tmp_path: Path, zyklus_repository: str) -> None:
    """``init`` writes ``repo: URL, rev: v<version>``; pre-commit clones the tag, installs
    zyklus into its own environment and runs it, with no zyklus on PATH (issue 19). A
    workspace in a subfolder gets the file at the repository's top, naming the folder."""
    env = _without_zyklus(tmp_path)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--files"]
    for top, prefix in ((tmp_path / "top", ""), (tmp_path / "sub", "planung/")):
        top.mkdir()
        assert _run(["git", "init", "-q"], top, env).returncode == 0
        folder = top / prefix
        init = _run(
            [*ZYKLUS_INIT, str(folder), "--force", "--zyklus-repo", zyklus_repository],
            tmp_path,
            env,
        )
        assert init.returncode == 0, init.stdout + init.stderr
        config = yaml.safe_load((top / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
        (repo,) = config["repos"]
        assert (repo["repo"], repo["rev"]) == (zyklus_repository, f"v{__version__}")
        build_file_tree(folder, {"zyklus.yaml": MINIMAL_CONFIG, "data/areas.csv": MINIMAL_AREAS})
        card = f"{prefix}projects/jobcenter-im-quartier.yaml"
        build_file_tree(top, {card: MINIMAL_CARD})
        _run(["git", "add", "-A"], top, env)
        good = _run([*pre_commit, card], top, env)
        assert good.returncode == 0, good.stdout + good.stderr
        build_file_tree(top, {card: BROKEN})
        bad = _run([*pre_commit, card], top, env)
        assert bad.returncode == 1, bad.stdout + bad.stderr
        # named as in the workspace, as every zyklus message does
        named = re.escape(card.removeprefix(prefix))
        assert re.search(rf"(?m)^{named}:6:15: S-AMBIGUOUS-NUMBER", bad.stdout), bad.stdout
