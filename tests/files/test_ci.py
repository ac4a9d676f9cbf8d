"""CI templates for GitHub and GitLab, checked against the platforms' schemas (issue 19)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from zyklus import __version__
from zyklus.cli import app
from zyklus.errors import UsageError
from zyklus.files.ci import add_ci, ci_file
from zyklus.files.hooks import ZYKLUS_REPOSITORY

SCHEMAS = {"github": "vendor.github-workflows", "gitlab": "vendor.gitlab-ci"}


def check_jsonschema() -> list[str]:
    """The check-jsonschema of the running environment (a dev dependency), not PATH's."""
    return [sys.executable, "-m", "check_jsonschema"]


@pytest.mark.parametrize("folder", [".", "planung/bochum"])
@pytest.mark.parametrize("platform", ["github", "gitlab"])
def test_the_written_file_validates_against_the_platform_schema(
    platform: str, folder: str, tmp_path: Path
) -> None:
    workspace = tmp_path / folder
    workspace.mkdir(parents=True, exist_ok=True)
    ci = ci_file(platform, tmp_path, workspace)  # type: ignore[arg-type]
    target = tmp_path / "ci.yml"
    target.write_text(ci.text, encoding="utf-8")
    done = subprocess.run(
        [*check_jsonschema(), "--builtin-schema", SCHEMAS[platform], str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    data = yaml.safe_load(ci.text)
    text = yaml.safe_dump(data)
    assert "zyklus validate --format" in text and "zyklus site --out public" in text
    if folder != ".":
        assert folder in text
    # zyklus is on no package index: the jobs install the tag of this version from git
    assert f'pip install "zyklus @ git+{ZYKLUS_REPOSITORY}@v{__version__}"' in ci.text


def test_an_unsafe_workspace_folder_is_refused(tmp_path: Path) -> None:
    workspace = tmp_path / "a b;rm"
    workspace.mkdir()
    with pytest.raises(UsageError):
        ci_file("github", tmp_path, workspace)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_with_ci_in_a_repository_writes_the_file_and_installs_the_driver(
    tmp_path: Path, runner: CliRunner
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "sozialplanung"
    result = runner.invoke(app, ["init", str(folder), "--ci", "gitlab", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / ".gitlab-ci.yml").is_file()
    assert (folder / ".gitattributes").read_text() == "cycles/*.yaml merge=zyklus\n"
    assert (
        "CI file written" in result.output
        and "merge driver for cycle files installed" in result.output
    )
    (tmp_path / ".gitlab-ci.yml").write_text("# mine\n", encoding="utf-8")
    assert add_ci("gitlab", folder) == (tmp_path / ".gitlab-ci.yml", False)
    assert (tmp_path / ".gitlab-ci.yml").read_text() == "# mine\n"  # the user's file stays
