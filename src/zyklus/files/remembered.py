"""What a one-card run needs from a big file or folder, remembered between runs (issue 21).

The pre-commit hook checks one card; to know that the card's areas exist it needed every
row of ``data/areas.csv`` (10 000 areas cost more than the card), and to know which links
of ``projects/`` lead to the card it listed the folder. Both answers are kept in the
user's cache folder (``$XDG_CACHE_HOME/zyklus``, else ``~/.cache/zyklus``), never in the
workspace, and used again only while the file or folder is unchanged. ``validate`` of a
whole workspace keeps the same way that ``data/indicators.csv`` and ``data/crosswalk.csv``
were checked without problems (:func:`recall`, :func:`keep`): an answer made from several
files is kept under the stamps of all of them.

Why a remembered answer can never pass a broken card: it is kept with the identity and
times of what it was made from — device, inode, size, mtime and ctime in nanoseconds —
taken *before* reading, and used only when all five are the same now. Any write to a
file, and any entry made, removed or renamed in a folder, sets its ctime to the clock's
now; no program can set a ctime back (``utime`` sets mtime only, and moves ctime forward
too). So what changed after the answer was made no longer matches it. A write in the
same tick of a coarse file-system clock (FAT counts in 2 s, HFS+ in 1 s) could keep the
times; an answer is therefore kept only for what has been still for :data:`SETTLED_NS`.
An answer is kept only for a table that loaded without problems: a refused table is read
again each time, so its problems are reported as before. A cache that cannot be read or
written is no error: the answer is then made as without one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

SETTLED_NS = 3_000_000_000  # longer than the coarsest file-system clock (FAT: 2 s)
_FORMAT = "zyklus-remembered 1"
_MAX_BYTES = 64 << 20  # 200 000 area ids of any sensible length


def folder() -> Path | None:
    """The cache folder of zyklus, or None when there is no home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME")
    if base and Path(base).is_absolute():
        return Path(base) / "zyklus"
    try:
        return Path.home() / ".cache" / "zyklus"
    except (RuntimeError, KeyError):  # no home directory
        return None


Signature = tuple[int, int, int, int, int]


def signature(path: Path, settled_ns: int, *, regular: bool = False) -> Signature | None:
    """(device, inode, size, mtime, ctime) of ``path`` (links followed): what any change
    to it changes. None when it cannot be read or changed less than ``settled_ns`` ago,
    when a change within the same tick of the file system's clock could still hide.
    ``regular``: of a regular file itself, None for a symlink (whose own times do not
    change when its target does) or anything else."""
    try:
        st = os.lstat(path) if regular else path.stat()
    except OSError:
        return None
    if regular and not stat.S_ISREG(st.st_mode):
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < settled_ns:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def stamp(path: Path) -> str | None:
    """:func:`signature` after :data:`SETTLED_NS`, as text: one part of an answer's key."""
    found = signature(path, SETTLED_NS)
    return None if found is None else " ".join(map(str, found))


def remembered(kind: str, path: Path, context: str, make: Callable[[], list[str]]) -> list[str]:
    """``make()``, or what it gave last time for ``path`` unchanged (and ``context``).

    ``kind`` names the question (areas, links), ``context`` whatever else its answer
    depends on (the CSV convention). ``make`` may raise; then nothing is kept.
    """
    key = stamp(path)
    if key is None or folder() is None:
        return make()
    try:
        real = str(path.resolve())
    except (OSError, RuntimeError):
        return make()
    question = f"{real}\0{context}"
    kept = recall(kind, question, key)
    if kept is not None:
        return kept
    answer = make()
    keep(kind, question, key, answer)
    return answer


def recall(kind: str, question: str, key: str) -> list[str] | None:
    """What :func:`keep` kept for ``question`` under ``key``, or None.

    ``key`` is made of the :func:`stamp` of every file the answer was made from, each
    taken before that file was read (see the module's docstring); ``question`` names
    those files (their real paths) and whatever else the answer depends on.
    """
    base = folder()
    if base is None:
        return None
    store, header = _where(base, kind, question, key)
    return _read(store, header)


def keep(kind: str, question: str, key: str, answer: list[str]) -> None:
    """Keep ``answer`` for :func:`recall` (nothing is kept when an item holds a NUL)."""
    base = folder()
    if base is None or any("\0" in item for item in answer):
        return
    store, header = _where(base, kind, question, key)
    _write(store, "\0".join((header, *answer)))


def _where(base: Path, kind: str, question: str, key: str) -> tuple[Path, str]:
    """The file an answer is kept in, and the header it starts with."""
    asked = "\0".join((_FORMAT, _version(), kind, question))
    # the name only spreads the answers; the question itself is the first line checked
    digest = hashlib.sha256(asked.encode("utf-8", "surrogatepass")).hexdigest()
    return base / f"{kind}-{digest[:32]}", f"{asked}\0{key}"


def _version() -> str:
    from zyklus import __version__

    return __version__


def owned(found: os.stat_result) -> bool:
    """Whether a kept answer may be read: this user wrote it and no one else may change it,
    so a cache folder that others can write to cannot slip an answer of theirs in."""
    getuid = getattr(os, "getuid", None)
    owner = getuid is None or found.st_uid == getuid()
    return owner and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(store: Path, header: str) -> list[str] | None:
    try:
        with store.open("rb") as stream:
            if not owned(os.fstat(stream.fileno())):
                return None
            data = stream.read(_MAX_BYTES + 1)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if len(data) > _MAX_BYTES or not (text == header or text.startswith(header + "\0")):
        return None
    return text[len(header) + 1 :].split("\0") if text != header else []


def _write(store: Path, text: str) -> None:
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    write_atomically(store, data)


def write_atomically(store: Path, data: bytes) -> bool:
    """``data`` in one step: written beside its place, then renamed (a run reading it at
    the same time sees the old answer or the new, never half of one). A cache that cannot
    be written is no error: False then."""
    import tempfile  # only when an answer is new

    base = store.parent
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, name = tempfile.mkstemp(dir=base, prefix=f".{store.name}.")
    except OSError:
        return False
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        tmp.replace(store)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True
