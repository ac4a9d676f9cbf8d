"""CI templates for the hosting platforms: validate every merge request, publish on main.

``zyklus init --ci github|gitlab`` writes one file; it is the user's from then on
(written once, never rewritten, like a card). The workspace may be a subfolder of the
repository: the jobs change into it (issue 19, part 3).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from zyklus.errors import UsageError
from zyklus.files.cycles import write_atomic
from zyklus.files.hooks import ZYKLUS_REPOSITORY, check_repository, pip_requirement
from zyklus.files.templates import render

Platform = Literal["github", "gitlab"]
PLATFORMS: tuple[Platform, ...] = ("github", "gitlab")
_TARGET = {"github": ".github/workflows/zyklus.yml", "gitlab": ".gitlab-ci.yml"}
_SAFE_FOLDER = re.compile(r"[A-Za-z0-9._/-]+\Z")  # goes into YAML and shell unquoted


@dataclass(frozen=True)
class CiFile:
    path: Path  # where it goes: in the repository's top folder
    text: str


def repository_folder(repository: Path, workspace: Path) -> str:
    """The workspace's folder in the repository (``.``: its top), safe to write unquoted
    into YAML, a shell line and a regular expression's prefix."""
    folder = workspace.resolve().relative_to(repository.resolve()).as_posix() or "."
    if not _SAFE_FOLDER.match(folder):
        raise UsageError.single("M-CI-FOLDER", folder=folder)
    return folder


def ci_file(
    platform: Platform,
    repository: Path,
    workspace: Path,
    *,
    branch: str = "main",
    zyklus_repo: str = ZYKLUS_REPOSITORY,
) -> CiFile:
    """The CI file of ``platform`` for the workspace at ``workspace`` in ``repository``;
    the jobs install zyklus from ``zyklus_repo`` at this version's tag."""
    folder = repository_folder(repository, workspace)
    requirement = json.dumps(pip_requirement(check_repository(zyklus_repo)))
    text = render(
        workspace,
        f"ci-{platform}.yml.j2",
        folder=folder,
        branch=branch,
        requirement=requirement,
    )
    return CiFile(repository / _TARGET[platform], text)


def write_ci(ci: CiFile) -> bool:
    """Write the file once; an existing one is the user's and stays (returns False)."""
    if ci.path.exists():
        return False
    ci.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(ci.path, ci.text.encode("utf-8"))
    return True


def add_ci(
    platform: Platform, workspace: Path, zyklus_repo: str = ZYKLUS_REPOSITORY
) -> tuple[Path, bool]:
    """``init --ci``: the platform's file in the repository around ``workspace``."""
    from zyklus.files.git import repository_root

    ci = ci_file(platform, repository_root(workspace), workspace, zyklus_repo=zyklus_repo)
    return ci.path, write_ci(ci)
