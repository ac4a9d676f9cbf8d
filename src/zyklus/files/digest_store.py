"""What ``status`` keeps of each card, remembered between runs while the card is unchanged.

``status`` of a big city needs a few fields of each card (:meth:`.Workspace.digested`);
parsing 10 000 cards to get them again is most of a run's time, although a planner's cards
change rarely between two runs (issue 21). Each digest is kept in the user's cache folder
(:func:`.remembered.folder`, never in the workspace) under the file's name and signature,
and used again only while both are unchanged; a run parses only the cards changed since.

Why a remembered digest can never stand for a changed card, the argument of
:mod:`.remembered`: the signature (device, inode, size, mtime and ctime in nanoseconds) is
taken *before* the file is read, and any write sets its ctime to the clock's now, which no
program can set back. A file changed less than :data:`.remembered.SETTLED_NS` ago is never
remembered (a write in the same tick of a coarse clock could keep its times). Only regular
files are remembered: a symlink's own times do not change when its target does. A file
that did not load is never remembered, so its problems are reported each time.

Everything else a digest depends on is part of the store's question: the real paths of
the workspace and folder, the caller's ``inputs`` (the stamp of ``zyklus.yaml``, taken
before it was read), the code of zyklus (every module's size and mtime) and the versions
of Python, pydantic and PyYAML. Any change there is another store.

The store is pickled: it is written only by zyklus, into a folder only its user may write
(as Python's own bytecode cache is), and holds no object a workspace chose the type of
(titles and ids are text, dates are dates). A store is read only when the user running
zyklus owns it and no one else may write it. A store that cannot be read is no error; it
is then made anew.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zyklus.files import remembered, workers
from zyklus.files.remembered import Signature

_FORMAT = b"zyklus-digests 1\n"
_MAX_BYTES = 512 << 20  # 10 000 cards' digests take about 4 MiB


def signature(path: Path) -> Signature | None:
    """(device, inode, size, mtime, ctime) of a regular file settled for
    :data:`.remembered.SETTLED_NS`; None for a symlink, a file too new or unreadable."""
    return remembered.signature(path, remembered.SETTLED_NS, regular=True)


class DigestStore:
    """The digests of one folder's files, as one run found and left them.

    :meth:`get` answers from what the last run kept; :meth:`put` records what this run
    made; :meth:`save` keeps exactly the files met in this run (a card removed is
    forgotten), and writes only when something changed.
    """

    def __init__(self, path: Path | None, header: bytes) -> None:
        self.path = path
        self.header = header
        self.kept: dict[str, tuple[Signature, Any]] = _read(path, header) if path else {}
        self.now: dict[str, tuple[Signature, Any]] = {}

    def get(self, name: str, found: Signature | None) -> tuple[bool, Any]:
        """(True, the digest) when ``name`` was kept with signature ``found``."""
        entry = self.kept.get(name)
        if found is None or entry is None or entry[0] != found:
            return False, None
        self.now[name] = entry
        return True, entry[1]

    def put(self, name: str, found: Signature | None, digest: Any) -> None:
        """Remember ``digest`` of ``name`` as it was at ``found`` (None: do not)."""
        if found is not None:
            self.now[name] = (found, digest)

    def save(self) -> None:
        if self.path is None or self.now == self.kept:
            return
        try:
            data = pickle.dumps(self.now, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return  # a digest that cannot be kept: made anew next time
        if remembered.write_atomically(self.path, self.header + data):
            _forget_others(self.path)


def _forget_others(store: Path) -> None:
    """Remove the stores of the same kind and folder made for other inputs or code."""
    place = store.name.rsplit("-", 1)[0]
    with contextlib.suppress(OSError):
        for other in store.parent.glob(f"{place}-*"):
            if other.name != store.name:
                other.unlink(missing_ok=True)


def open_store(kind: str, folder: Path, root: Path, inputs: Iterable[str | None]) -> DigestStore:
    """The store of ``kind`` (``status-cards``) for ``folder`` of the workspace at ``root``;
    one that remembers nothing where there is no cache folder or an input is too new
    (None: its stamp could not be taken)."""
    base = remembered.folder()
    given = list(inputs)
    if base is None or None in given:
        return DigestStore(None, b"")
    try:
        places = [str(root.resolve()), str(folder.resolve())]
    except (OSError, RuntimeError):
        return DigestStore(None, b"")
    # one store per kind and folder: a store made for other inputs or other code is
    # replaced by the next one saved (see :meth:`DigestStore.save`)
    place = _hashed("\0".join((kind, *places)))
    question = _hashed("\0".join((kind, *places, *map(str, given), _code_stamp())))
    header = _FORMAT + question.encode("ascii") + b"\n"
    return DigestStore(base / f"{kind}-{place[:16]}-{question[:16]}", header)


def _hashed(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _read(path: Path, header: bytes) -> dict[str, tuple[Signature, Any]]:
    try:
        with path.open("rb") as stream:
            if not remembered.owned(os.fstat(stream.fileno())):
                return {}
            data = stream.read(_MAX_BYTES + 1)
    except OSError:
        return {}
    if len(data) > _MAX_BYTES or not data.startswith(header):
        return {}
    # written by zyklus alone (see above); without the collector, which would walk the
    # digests read so far again and again
    try:
        with workers.collector_paused(freeze=True):
            kept = pickle.loads(memoryview(data)[len(header) :])
    except Exception:  # any broken store is no store
        return {}
    return kept if isinstance(kept, dict) else {}


@functools.cache
def _code_stamp() -> str:
    """Python's, pydantic's and PyYAML's versions, and the size and mtime of every module
    of zyklus: a digest is made by the card model, the gates and the duplicate check, and
    a development install keeps its version number while they change."""
    import pydantic
    import yaml

    package = Path(__file__).resolve().parent.parent
    parts = [sys.version, pydantic.VERSION, yaml.__version__]
    for module in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            found = module.stat()
            parts.append(f"{module.relative_to(package)}:{found.st_size}:{found.st_mtime_ns}")
    return "\0".join(parts)
