"""Generated output below one folder (report, site): every file written atomically, none
outside it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from zyklus.errors import LoadError, Problem, UsageError
from zyklus.escape import utf8
from zyklus.files.cycles import publish, reserve, stage, write_atomic
from zyklus.files.workspace import resolved


def write_files(
    folder: Path, files: Mapping[Path, bytes | Iterable[bytes]], *, jobs: int = 1
) -> list[Path]:
    """Create ``folder`` when needed, stage every file, then give each its name.

    A file's content may be a stream of pieces (the report is rendered while it is written,
    issue 21: 240 MB at 10 000 projects); when any fails, no file is replaced. With
    ``jobs`` > 1 the files are staged side by side: every file but the last by a forked
    worker that inherits its stream (Linux only), the last one here.
    """
    folder.mkdir(parents=True, exist_ok=True)
    items = list(files.items())
    staged: list[Path] = []
    try:
        staged.extend(reserve(path) for path, _ in items)
        work = [(path, data, tmp) for (path, data), tmp in zip(items, staged, strict=True)]
        if jobs > 1 and len(work) > 1 and sys.platform == "linux":
            _stage_forked(work, jobs)
        else:
            for path, data, tmp in work:
                stage(path, data, into=tmp)
    except BaseException:
        discard(staged)
        raise
    for tmp, (path, _) in zip(staged, items, strict=True):
        publish(tmp, path)
    return [path for path, _ in items]


_Work = tuple[Path, "bytes | Iterable[bytes]", Path]  # target, content, its staged file


def _stage_forked(work: list[_Work], jobs: int) -> None:
    """Stage ``work``: all but the last in forked workers, the last in this process.

    The first error in the order of ``work`` is raised, as one process would; whatever
    ends this block ends the workers, and the caller removes their staged files.
    """
    from zyklus.files.workers import pool

    # the workers inherit the work: its streams are not sent
    with pool(min(jobs, len(work)) - 1, shared=work) as workers:
        pending = [workers.apply_async(_stage_shared, (i,)) for i in range(len(work) - 1)]
        own: Exception | None = None
        try:
            path, data, tmp = work[-1]
            stage(path, data, into=tmp)
        except Exception as exc:  # raised after the workers' errors, which come first
            own = exc
        for result in pending:
            result.get()
        if own is not None:
            raise own


def _stage_shared(index: int) -> None:
    from zyklus.files.workers import inherited

    work: list[_Work] = inherited()
    path, data, tmp = work[index]
    stage(path, data, into=tmp)


def check_inside(workspace_root: Path, folder: Path) -> None:
    """A folder named inside the workspace stays inside after following links (issue 20).

    A merge request can make ``reports/`` (or any folder on the way) a symlink to
    ``~/.ssh`` or ``/etc``; the report or site would then be written there. A ``--out``
    outside the workspace is the user's own choice and is kept.
    """
    root = Path(os.path.abspath(workspace_root))  # noqa: PTH100 (lexical: links not followed)
    named = Path(os.path.abspath(folder))  # noqa: PTH100
    if named.is_relative_to(root) and not resolved(folder).is_relative_to(resolved(root)):
        shown = named.relative_to(root).as_posix()
        raise LoadError([Problem("TR-OUT-OUTSIDE", params={"folder": shown})])


def write_tree(
    folder: Path, files: dict[str, str], *, workspace_root: Path | None = None
) -> list[Path]:
    """Write ``files`` (relative posix path → text) below ``folder``.

    A subfolder that is a symlink, or that resolves outside ``folder``, is refused before
    anything is written there: a workspace from a merge request could otherwise point
    ``reports/site/projects`` anywhere on the machine. Files themselves are replaced,
    never followed (:func:`write_atomic`).
    """
    if workspace_root is not None:
        check_inside(workspace_root, folder)
    root = folder.resolve()
    written = []
    for relative in sorted(files):
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        parent = target.parent
        if parent.is_symlink() or not parent.resolve().is_relative_to(root):
            raise UsageError.single("R-OUT-NOT-DIR", path=str(parent))
        write_atomic(target, utf8(files[relative]).encode("utf-8"))
        written.append(target)
    return written


def discard(paths: list[Path]) -> None:
    """Remove files this command wrote before it failed: a failed command changes nothing."""
    for path in paths:
        path.unlink(missing_ok=True)


def silence(descriptor: int) -> None:
    """Point an output descriptor at the null device: after a failed write (a full disk,
    a closed pipe) nothing is left to flush at shutdown, so no second error follows."""
    import contextlib

    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError):
        os.dup2(devnull, descriptor)
