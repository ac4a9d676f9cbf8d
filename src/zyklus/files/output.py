"""Generated output below one folder: every file written atomically, none outside it."""

from __future__ import annotations

from pathlib import Path

from zyklus.errors import UsageError
from zyklus.files.cycles import write_atomic


def write_tree(folder: Path, files: dict[str, str]) -> list[Path]:
    """Write ``files`` (relative posix path → text) below ``folder``.

    A subfolder that is a symlink, or that resolves outside ``folder``, is refused before
    anything is written there: a workspace from a merge request could otherwise point
    ``reports/site/projects`` anywhere on the machine. Files themselves are replaced,
    never followed (:func:`write_atomic`).
    """
    root = folder.resolve()
    written = []
    for relative in sorted(files):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        parent = target.parent
        if parent.is_symlink() or not parent.resolve().is_relative_to(root):
            raise UsageError.single("R-OUT-NOT-DIR", path=str(parent))
        write_atomic(target, files[relative].encode("utf-8"))
        written.append(target)
    return written
