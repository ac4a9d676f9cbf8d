"""The repository around a workspace: git config and ``.gitattributes`` (issue 19).

zyklus is git-native; this module is the one place that asks git about the repository
and registers zyklus in it. Everything goes through ``git`` itself (no parsing of
``.git/config``), so worktrees, submodules and ``GIT_DIR`` work as git defines them.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from zyklus.errors import Problem, UsageError
from zyklus.files.cycles import write_atomic

DRIVER = "zyklus"
ATTRIBUTE_LINE = f"cycles/*.yaml merge={DRIVER}"
_GIT_TIMEOUT = 30.0


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("git")
    if exe is None:
        raise UsageError([Problem("M-GIT-MISSING")])
    return subprocess.run(
        [exe, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=_GIT_TIMEOUT,
    )


def repository_root(folder: Path) -> Path:
    """The top of the git work tree that holds ``folder``."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise UsageError([Problem("M-NOT-A-REPOSITORY", params={"path": str(folder)})])
    return Path(done.stdout.strip())


def repository_prefix(folder: Path) -> str:
    """Where ``folder`` lies in its repository, as the hosting platforms name files:
    ``planung/`` for a workspace in a subfolder, ``""`` at the top or outside git."""
    try:
        done = _git(["rev-parse", "--show-prefix"], folder)
    except (UsageError, OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def driver_command(python: str | None = None) -> str:
    """What git runs: this interpreter's zyklus, so a GUI client without the venv on PATH
    still finds it. ``%O %A %B %P`` are git's base, ours (the result), theirs and path."""
    exe = shlex.quote(python or sys.executable)
    return f"{exe} -m zyklus merge-driver merge %O %A %B --path %P"


@dataclass(frozen=True)
class Installed:
    config: Path
    attributes: Path
    changed: bool
    top: Path  # the repository's work tree

    def shown(self, path: Path) -> str:
        """``path`` as the user reads it: relative to the repository (``.git/config``,
        ``planung/.gitattributes``), so the line is the same on every machine; a path
        outside the work tree (a linked worktree's shared config) stays absolute."""
        try:
            return path.resolve().relative_to(self.top.resolve()).as_posix()
        except ValueError:
            return str(path)


def install_driver(workspace_root: Path) -> Installed:
    """Register the driver in the repository's config and name it in ``.gitattributes``.

    The attributes file sits in the workspace folder (a workspace may be a subfolder of
    the repository); the line is added once, and the file is otherwise left as it is.
    """
    top = repository_root(workspace_root)
    for key, value in (
        (f"merge.{DRIVER}.name", "zyklus: cycle files merged per project"),
        (f"merge.{DRIVER}.driver", driver_command()),
    ):
        done = _git(["config", "--local", key, value], workspace_root)
        if done.returncode != 0:
            raise UsageError([Problem("E-OS", params={"error": done.stderr.strip()})])
    attributes = workspace_root / ".gitattributes"
    old = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
    changed = ATTRIBUTE_LINE not in (line.strip() for line in old.splitlines())
    if changed:
        text = old + ("" if not old or old.endswith("\n") else "\n") + ATTRIBUTE_LINE + "\n"
        write_atomic(attributes, text.encode("utf-8"))
    config = Path(_git(["rev-parse", "--git-path", "config"], top).stdout.strip())
    return Installed(
        config=config if config.is_absolute() else top / config,
        attributes=attributes,
        changed=changed,
        top=top,
    )


def read_side(path: Path) -> str:
    """One side of a merge, as git hands it over (a temporary file)."""
    return path.read_bytes().decode("utf-8", "surrogateescape")


def write_result(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8", "surrogateescape"))


@dataclass(frozen=True)
class RepositorySetup:
    """What ``init`` did in the repository around a new workspace."""

    driver: Installed | None  # None: not in a git repository
    ci: Path | None = None
    ci_written: bool = False


def set_up_repository(
    workspace_root: Path, ci: str | None = None, zyklus_repo: str | None = None
) -> RepositorySetup:
    """``init``: the merge driver when the workspace lies in a git repository, and the CI
    file of ``ci`` (github or gitlab; that one needs the repository), which installs
    zyklus from ``zyklus_repo`` (default: the public repository)."""
    from zyklus.files.ci import add_ci
    from zyklus.files.hooks import ZYKLUS_REPOSITORY

    try:
        repository_root(workspace_root)
    except UsageError:
        if ci is None:
            return RepositorySetup(None)
        raise
    driver = install_driver(workspace_root)
    if ci is None:
        return RepositorySetup(driver)
    path, written = add_ci(
        "github" if ci == "github" else "gitlab", workspace_root, zyklus_repo or ZYKLUS_REPOSITORY
    )
    return RepositorySetup(driver, path, written)
