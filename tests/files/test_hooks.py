"""Where pre-commit and CI install zyklus from (issue 19): repository, tag, files pattern."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import REPO
from zyklus import __version__
from zyklus.cli import app
from zyklus.errors import UsageError
from zyklus.files.hooks import (
    HOOK_FILES,
    LOCAL,
    ZYKLUS_REPOSITORY,
    check_repository,
    folder_files,
    pip_requirement,
    revision,
)
from zyklus.files.scaffold import pre_commit_config


def test_the_revision_is_the_tag_of_the_installed_version() -> None:
    assert revision() == f"v{__version__}" and revision("1.2.0") == "v1.2.0"
    assert pip_requirement(ZYKLUS_REPOSITORY) == f"zyklus @ git+{ZYKLUS_REPOSITORY}@v{__version__}"
    assert pip_requirement(LOCAL) == pip_requirement(ZYKLUS_REPOSITORY)


@pytest.mark.parametrize(
    "url",
    ["https://git.example.org/stadt/zyklus.git", "ssh://git@host/zyklus", "file:///srv/zyklus"],
)
def test_clonable_urls_and_local_are_taken(url: str) -> None:
    assert check_repository(url) == url
    assert check_repository("local") == "local"


@pytest.mark.parametrize(
    "url",
    [
        "",
        "zyklus",
        "/srv/zyklus",  # pip needs git+file://
        "git@github.com:org/zyklus.git",  # pip needs ssh://
        "https://x.org/a b",
        'https://x.org/"a',
        "https://x.org/a#frag",
        "https://x.org/a\n  - repo: evil",
        "https://x.org/" + "a" * 600,
    ],
)
def test_urls_that_would_break_the_yaml_or_the_shell_line_are_refused(url: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_repository(url)
    assert caught.value.problems[0].code == "I-ZYKLUS-REPO"


@given(st.text(max_size=80))
def test_whatever_is_taken_renders_into_a_config_that_names_it(url: str) -> None:
    try:
        check_repository(url)
    except UsageError:
        return
    config = yaml.safe_load(pre_commit_config(url))
    assert config["repos"][0]["repo"] == url and len(config["repos"]) == 1


def test_a_subfolder_pattern_matches_only_the_subfolder() -> None:
    top, sub = re.compile(HOOK_FILES), re.compile(folder_files("planung/bochum-2"))
    for name in ("projects/a.yaml", "cycles/2027.yaml", "zyklus.yaml", "data/areas.csv"):
        assert top.search(name) and not sub.search(name)
        assert sub.search(f"planung/bochum-2/{name}") and not top.search(f"planung/bochum-2/{name}")
    assert not sub.search("planungxbochum-2/zyklus.yaml")  # the folder's "-" and "." are literal
    assert folder_files(".") == HOOK_FILES


@pytest.mark.parametrize("repo", [ZYKLUS_REPOSITORY, "local"])
@pytest.mark.parametrize("folder", [".", "planung"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_written_config_passes_pre_commits_own_schema(
    tmp_path: Path, repo: str, folder: str, lang: str
) -> None:
    from pre_commit.clientlib import load_config

    path = tmp_path / ".pre-commit-config.yaml"
    path.write_text(pre_commit_config(repo, folder, lang), encoding="utf-8")
    (entry,) = load_config(str(path))["repos"]
    (hook,) = entry["hooks"]
    assert hook["id"] == "zyklus-validate"
    if repo == "local":
        # pre-commit ≥ 4.4 reads the portable "system" as its new name "unsupported"
        assert "        language: system\n" in path.read_text(encoding="utf-8")
        assert hook["language"] in ("system", "unsupported")
        assert hook["entry"] == "zyklus validate" + ("" if folder == "." else " -C planung")
    else:
        assert (entry["repo"], entry["rev"]) == (repo, f"v{__version__}")
        assert hook.get("args", []) == ([] if folder == "." else ["-C", "planung"])
    if repo == "local" or folder != ".":
        assert hook["files"] == folder_files(folder)
    else:  # the manifest's pattern applies
        assert "files" not in hook


def test_the_hook_definition_installs_zyklus_as_python(tmp_path: Path) -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert (hook["language"], hook["entry"], hook["files"]) == (
        "python",
        "zyklus validate",
        HOOK_FILES,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_in_a_subfolder_of_a_repository_writes_the_hook_at_the_top(
    tmp_path: Path, runner: CliRunner
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = runner.invoke(app, ["init", str(tmp_path / "planung"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "planung" / ".pre-commit-config.yaml").exists()
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    assert hook["args"] == ["-C", "planung"] and hook["files"] == folder_files("planung")


def test_init_refuses_a_bad_repository_and_writes_nothing(
    tmp_path: Path, runner: CliRunner
) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "neu"), "--zyklus-repo", "x y"])
    assert result.exit_code == 2
    assert "I-ZYKLUS-REPO" in result.stderr
    assert not (tmp_path / "neu").exists()


def test_the_readme_shows_what_init_writes() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### As a pre-commit hook", 1)[1].split("\n### ", 1)[0]
    blocks = [yaml.safe_load(b.split("```", 1)[0]) for b in section.split("```yaml\n")[1:]]
    remote, local, sub = blocks
    assert remote == yaml.safe_load(pre_commit_config())
    assert local == yaml.safe_load(pre_commit_config("local"))
    assert sub == yaml.safe_load(pre_commit_config(folder="planung"))["repos"][0]["hooks"]
