"""Cycle files on disk: a deterministic YAML emitter and atomic, locked read-modify-write.

``cycles/<year>.yaml`` is written only by zyklus, reviewed in merge requests and read by
people, so the file must (a) look the same for the same state, (b) change only the lines
of the project that changed, (c) never be half-written or lost to a race (issue 4).

(a, b) The emitter writes keys in model order, omits values equal to their default,
sorts projects by id, and double-quotes every string with JSON escaping, so no YAML trap
(``no``, ``1:30``, ``12.500``) can apply. A hand-written comment block at the top of the
file is kept. (c) Every change runs inside a lock on ``cycles/.<year>.yaml.lock``, reads
and validates the current file, writes a temporary file in the same folder, fsyncs it and
replaces the old file atomically; on any failure the old file stays as it was and the
temporary file is removed.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from zyklus import models
from zyklus.errors import LoadError, Problem, StateError, UsageError
from zyklus.files.loader import THOUSANDS, load_text
from zyklus.files.located import validate_document
from zyklus.files.workspace import Workspace
from zyklus.models import CycleState

HEADER = "# Written by zyklus (cycle state): change it with zyklus advance / record, not by hand."
LOCK_TIMEOUT = 15.0  # seconds; a change holds the lock for milliseconds
INDENT = "  "

# Characters JSON leaves raw that YAML would fold, refuse or read differently.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_PLAIN_KEY = re.compile(r"^[a-z][a-z0-9-]*\Z")
_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_MAX_PLAIN_INT = 10**15


# --- the emitter --------------------------------------------------------------------------


def quote(text: str) -> str:
    """A YAML double-quoted scalar: JSON escaping plus YAML's extra unsafe characters."""
    body = json.dumps(text, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", body)


def scalar(value: Any) -> str:
    """One value in the file's fixed vocabulary; anything else is a bug."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        if value.is_integer() and abs(value) < _MAX_PLAIN_INT:
            return str(int(value))
        text = repr(value)
        # 0.125 or 1.125 would read back as an ambiguous German number: 1.1250 cannot
        return f"{text}0" if THOUSANDS.match(text) else text
    if isinstance(value, Decimal):  # money: exact, as text, so no reader makes it a float
        if not value.is_finite():
            raise ValueError(f"not a finite amount: {value!r}")
        return quote(format(value, "f"))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"timestamp without timezone: {value!r}")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return quote(value)
    raise TypeError(f"cannot write {type(value).__name__} to a cycle file")


def _key(name: str) -> str:
    if _PLAIN_KEY.match(name) and name not in _YAML11_WORDS:
        return name
    return quote(name)


_NO_DEFAULT: Any = object()


@functools.cache
def _field_specs(cls: type[BaseModel]) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, key, default) per field of ``cls``, in model order; read once per class.

    Asking pydantic for each default on every value made dumping a cycle of 10 000
    projects take seconds (issue 9).
    """
    return tuple(
        (
            name,
            info.alias or name,
            _NO_DEFAULT if info.is_required() else info.get_default(call_default_factory=True),
        )
        for name, info in cls.model_fields.items()
    )


def _fields(model: BaseModel) -> Iterator[tuple[str, Any]]:
    """(key, value) in model order, leaving out what equals the field's default."""
    for name, key, default in _field_specs(type(model)):
        value = getattr(model, name)
        if default is not _NO_DEFAULT and value == default:
            continue
        yield key, value


def _is_scalar_list(value: list[Any]) -> bool:
    return not any(isinstance(item, (BaseModel, list, dict)) for item in value)


def _emit_mapping(model: BaseModel, depth: int, out: list[str]) -> None:
    pad = INDENT * depth
    for key, value in _fields(model):
        _emit_entry(pad, key, value, depth, out)


def _emit_entry(pad: str, key: str, value: Any, depth: int, out: list[str]) -> None:
    if isinstance(value, BaseModel):
        if any(True for _ in _fields(value)):
            out.append(f"{pad}{key}:")
            _emit_mapping(value, depth + 1, out)
        else:
            out.append(f"{pad}{key}: {{}}")
    elif isinstance(value, dict):
        if not value:
            out.append(f"{pad}{key}: {{}}")
            return
        out.append(f"{pad}{key}:")
        for sub in sorted(value):
            _emit_entry(pad + INDENT, _key(sub), value[sub], depth + 1, out)
    elif isinstance(value, list):
        if not value or _is_scalar_list(value):
            out.append(f"{pad}{key}: [{', '.join(scalar(v) for v in value)}]")
            return
        out.append(f"{pad}{key}:")
        for item in value:
            _emit_item(pad + INDENT, item, depth + 1, out)
    else:
        out.append(f"{pad}{key}: {scalar(value)}")


def _emit_item(pad: str, item: Any, depth: int, out: list[str]) -> None:
    """``- key: value`` with the following keys aligned under the first."""
    if not isinstance(item, BaseModel):
        out.append(f"{pad}- {scalar(item)}")
        return
    lines: list[str] = []
    _emit_mapping(item, depth + 1, lines)
    if not lines:
        out.append(f"{pad}- {{}}")
        return
    inner = INDENT * (depth + 1)
    out.append(f"{pad}- {lines[0][len(inner) :]}")
    out.extend(lines[1:])


def dump_cycle(state: CycleState, header: list[str] | None = None) -> str:
    """The text of ``cycles/<year>.yaml``: marker line, kept comments, then the data."""
    out = [HEADER, *(header or [])]
    _emit_mapping(state, 0, out)
    return "\n".join(out) + "\n"


def leading_comments(text: str) -> list[str]:
    """The comment block at the top of a file (without our marker line), kept on rewrite."""
    block: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            break
        block.append(line.rstrip())
    while block and not block[-1]:
        block.pop()
    return [line for line in block if line != HEADER]


# --- reading ------------------------------------------------------------------------------


# One way to read a cycle file (issue 13): through the workspace, which keeps what it
# parsed, so ``status``, ``report`` and the gates share one parse of each cycle.


def parse_cycle(text: str, shown: str) -> CycleState:
    return validate_document(load_text(text, shown), CycleState)


def read_cycle(ws: Workspace, year: int) -> CycleState:
    """Load ``cycles/<year>.yaml`` (located errors when it is invalid or missing)."""
    return _read(ws, year)[0]


def cycle_state(ws: Workspace, year: int) -> CycleState | None:
    """The cycle of ``year`` as its file says, without the checks of :func:`read_cycle`
    (none when the file is missing): what the duplicate check reads the phases from."""
    path = ws.cycle_path(year)
    if not path.is_file():
        return None
    return ws.load_one(path, CycleState)


def _read(ws: Workspace, year: int, *, fresh: bool = False) -> tuple[CycleState, list[str]]:
    path = ws.cycle_path(year)
    shown = ws.display(path)
    if not path.is_file():
        raise StateError([Problem("CY-NO-CYCLE", path=shown, params={"year": year})])
    if not ws.inside(path):
        raise LoadError([Problem("W-OUTSIDE", path=shown)])
    state, doc = ws.load_with_document(path, CycleState, fresh=fresh)
    if state.cycle != year:
        params = {"cycle": state.cycle, "year": year}
        raise StateError([Problem("CY-YEAR-MISMATCH", path=shown, line=1, params=params)])
    return state, leading_comments(doc.text)


def cycle_year(ws: Workspace, year: int | None) -> int:
    """``--cycle``, else ``current_cycle`` from zyklus.yaml, else the newest cycle file."""
    if year is not None:
        if not models.YEAR_MIN <= year <= models.YEAR_MAX:
            raise UsageError.single(
                "TR-YEAR-RANGE", year=year, min=models.YEAR_MIN, max=models.YEAR_MAX
            )
        return year
    if ws.config.current_cycle is not None:
        return ws.config.current_cycle
    years = ws.cycle_years()
    if not years:
        raise UsageError([Problem("CY-NO-CURRENT", path="zyklus.yaml")])
    return years[-1]


def earlier_cycles(ws: Workspace, year: int) -> list[CycleState]:
    """The cycles before ``year``, newest first (each parsed once per workspace)."""
    years = sorted((y for y in ws.cycle_years() if y < year), reverse=True)
    return [read_cycle(ws, y) for y in years]


# --- locked, atomic writing ---------------------------------------------------------------


def lock_path(ws: Workspace, year: int) -> Path:
    return ws.cycle_path(year).parent / f".{year}.yaml.lock"


@contextlib.contextmanager
def locked(ws: Workspace, year: int, timeout: float | None = None) -> Iterator[None]:
    """Hold the cycle's lock; a clear message when another zyklus holds it too long."""
    from filelock import FileLock, Timeout

    path = lock_path(ws, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        # A lock file that is a link (put there by a merge request) would let the lock
        # open, and an old filelock truncate, whatever it points at (issue 20). filelock
        # >= 3.20.1 opens with O_NOFOLLOW too; this check names the problem.
        raise StateError([Problem("TR-LOCK-SYMLINK", path=ws.display(path))])
    wait = LOCK_TIMEOUT if timeout is None else timeout
    lock = FileLock(str(path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise StateError(
            [Problem("CY-LOCKED", path=ws.display(path), params={"seconds": wait})]
        ) from None
    try:
        _remove_stale_temporaries(ws.cycle_path(year))
        yield
    finally:
        lock.release()


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files a killed writer left (``.2027.yaml.*.tmp``).

    Writers hold the lock while their temporary file exists, so under the lock any such
    file belongs to a process that died (kill -9, power loss) and can go.
    """
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def update_cycle(
    ws: Workspace,
    year: int,
    change: Callable[[CycleState], CycleState],
    *,
    timeout: float | None = None,
) -> CycleState:
    """Read, validate, change and atomically rewrite ``cycles/<year>.yaml`` under its lock.

    ``change`` is a pure function; when it raises, nothing is written. An unchanged state
    is not rewritten (the file stays byte-identical).
    """
    with locked(ws, year, timeout):
        state, header = _read(ws, year, fresh=True)  # what is on disk now, not what was kept
        new = change(state)
        if new != state:
            ws.forget(ws.cycle_path(year))
            write_cycle(ws.cycle_path(year), new, header, before=state)
        return new


def create_cycle(
    ws: Workspace,
    year: int,
    build: Callable[[], CycleState],
    *,
    timeout: float | None = None,
) -> CycleState:
    """Write a new cycle file under its lock; refuse when one exists already."""
    path = ws.cycle_path(year)
    with locked(ws, year, timeout):
        if path.exists() or path.is_symlink():
            raise StateError([Problem("CY-EXISTS", path=ws.display(path), params={"year": year})])
        state = build()
        ws.forget(path)
        write_cycle(path, state, [])
        return state


def write_cycle(
    path: Path, state: CycleState, header: list[str], before: CycleState | None = None
) -> None:
    """Dump, check the dump reads back as the same state, then write atomically.

    The check (the emitter's promise, kept at runtime) covers what changed since
    ``before``: the top-level fields and the projects that differ. Re-reading the whole
    file would double the time of ``advance`` on a cycle of 10 000 projects (issue 9);
    unchanged projects were just read from this very emitter's output.
    """
    text = dump_cycle(state, header)
    probe = state
    if before is not None:
        changed = {
            pid: project
            for pid, project in state.projects.items()
            if before.projects.get(pid) is not project and before.projects.get(pid) != project
        }
        probe = state.model_copy(update={"projects": changed})
    if parse_cycle(dump_cycle(probe) if probe is not state else text, path.name) != probe:
        raise RuntimeError(f"cycle file would not read back as written: {path.name}")
    write_atomic(path, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, ``os.replace``, fsync of the folder.

    On any failure the old file is untouched and the temporary file is gone.
    """
    tmp = stage(path, data)
    try:
        publish(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def reserve(path: Path) -> Path:
    """An empty temporary file next to ``path``, for :func:`stage` to fill later.

    Named before a forked worker fills it (issue 21), so the process that ends the worker
    can still remove it.
    """
    fd, tmp = _temporary(path)
    os.close(fd)
    return tmp


def _temporary(path: Path) -> tuple[int, Path]:
    """A new hidden file next to ``path`` (its name tells whose it is), open for writing."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    return fd, Path(name)


def stage(path: Path, data: bytes | Iterable[bytes], *, into: Path | None = None) -> Path:
    """``data`` in a temporary file next to ``path``, on disk (fsync): step one of a create.

    A full disk fails here, before anything a command reads exists (issue 20). ``data``
    may come in pieces (a report of 10 000 projects is streamed, issue 21). ``into`` is a
    file of :func:`reserve` to fill (never followed if it became a link).
    """
    if into is None:
        fd, tmp = _temporary(path)
    else:
        tmp = into
        fd = os.open(into, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0))
    try:
        with os.fdopen(fd, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            else:
                for piece in data:
                    stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        tmp.chmod(_mode_for(path))
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return tmp


def publish(tmp: Path, path: Path) -> None:
    """Put the staged file in the place of ``path`` in one step (a symlink there is
    replaced, never followed)."""
    os.replace(tmp, path)  # noqa: PTH105 - the one atomic step
    _fsync_dir(path.parent)


def publish_new(tmp: Path, path: Path) -> None:
    """Give the staged file its name in one step, never over an existing file.

    ``os.link`` fails with ``FileExistsError`` when ``path`` exists (a symlink too), so two
    ``new-project`` runs cannot both win; a kill -9 leaves either no card or a whole one.
    Where hard links are not supported, an exclusive check and ``os.replace`` stand in.
    """
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(tmp, path)  # noqa: PTH105 - the one atomic step
    _fsync_dir(path.parent)


def remove_stale(path: Path) -> None:
    """Temporary files a killed writer left next to ``path`` (``.x.yaml.*.tmp``)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
