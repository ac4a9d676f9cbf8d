"""Find a workspace and load its files: config, cards, offers, cycles, data.

Loading is lazy and cached per attribute, so a command reads only what it needs (the
pre-commit case reads one card and the config). Each loader returns what it could load
plus the problems it found, so ``validate`` can report every problem of every file at
once; commands that need valid input call :meth:`Workspace.require` to raise instead.

The workspace keeps what it parsed (issue 13): a file is read and parsed once per
command, whoever asks for it (a card for the cross-checks, the gate and the report), and
:meth:`Workspace.locate` finds a line in the text it kept instead of reading the file again.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from zyklus.errors import KeyPath, LoadError, Problem, UsageError, ZyklusError
from zyklus.files import stored, workers
from zyklus.files.digest_store import DigestStore, open_store
from zyklus.files.digest_store import signature as settled_signature
from zyklus.files.geometry import FILE as GEOMETRY_FILE
from zyklus.files.geometry import Geometries, load_geometries
from zyklus.files.loader import Document, load_file, read_text_bounded, unparsed
from zyklus.files.located import Model, is_cycle, load_model, max_bytes_for, validate_document
from zyklus.files.remembered import Signature, keep, recall, remembered, stamp
from zyklus.files.remembered import signature as file_signature
from zyklus.files.tables import (
    AreaTable,
    Crosswalk,
    IndicatorTable,
    load_areas,
    load_crosswalk,
    load_indicators,
)
from zyklus.values import ID_PATTERN

if TYPE_CHECKING:
    from pydantic import BaseModel

    from zyklus import models
    from zyklus.files.stored import StoredModel

CONFIG_FILE = "zyklus.yaml"
AREAS_FILE = "data/areas.csv"
INDICATORS_FILE = "data/indicators.csv"
CROSSWALK_FILE = "data/crosswalk.csv"
# what a table's check reads besides the table: the areas and the CSV convention
_TABLE_INPUTS = {
    INDICATORS_FILE: (INDICATORS_FILE, AREAS_FILE, CONFIG_FILE),
    CROSSWALK_FILE: (CROSSWALK_FILE, AREAS_FILE, CONFIG_FILE),
}
_ABSENT = "absent"
_PROJECT_ID = re.compile(ID_PATTERN)
M = TypeVar("M", bound="BaseModel")
T = TypeVar("T")


# The one rule for which files zyklus reads (issue 12): ``validate``, the pre-commit hook,
# every command and the report use it. YAML files end in ``.yaml``, one folder per kind;
# ``.yml`` or a sub-folder is not read, and ``validate`` says so for a file given by name.
YAML_SUFFIX = ".yaml"
YAML_FOLDERS = ("projects", "offers", "cycles", "funding")
DATA_FILES = ("data/areas.csv", "data/indicators.csv", "data/crosswalk.csv")


def is_workspace_yaml(name: str) -> bool:
    """A name the workspace reads as a card, an offer, a call or a cycle (issues 12, 13)."""
    return name.endswith(YAML_SUFFIX) and name != YAML_SUFFIX


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder (or a link to one); a broken link or a symlink loop is a file to report."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def find_root(start: Path | None = None, explicit: Path | None = None) -> Path:
    """The folder holding ``zyklus.yaml``: given, from ``ZYKLUS_WORKSPACE``, or upward."""
    if explicit is None and os.environ.get("ZYKLUS_WORKSPACE"):
        explicit = Path(os.environ["ZYKLUS_WORKSPACE"])
    if explicit is not None:
        if (explicit / CONFIG_FILE).is_file():
            return explicit
        raise UsageError.single("W-NO-WORKSPACE", path=str(explicit))
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise UsageError.single("W-NO-WORKSPACE", path=str(here))


@dataclass
class Loaded(Generic[T]):
    """Objects loaded from one folder, keyed by id, with the problems met on the way."""

    items: dict[str, T] = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def resolved(path: Path) -> Path:
    """``path.resolve()`` that survives a symlink loop (issue 20).

    Python before 3.13 raises ``RuntimeError`` on a loop; a looping link anywhere in
    ``projects/`` would then crash every command that resolves a path. A link that cannot be
    resolved stands for itself (absolute); reading it later reports ``Y-READ``.
    """
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(path))  # noqa: PTH100 (resolve() is what failed)


@dataclass(frozen=True)
class RememberedDigest(Generic[T]):
    """A digest (:meth:`Workspace.digested`) that is also remembered between runs while
    the file is unchanged (:mod:`.digest_store`): ``kind`` names it, ``inputs`` are the
    workspace files ``make`` depends on besides the file itself (``zyklus.yaml``)."""

    make: Callable[[Any], T]
    kind: str
    inputs: tuple[str, ...] = ()

    def __call__(self, item: Any) -> T:
        return self.make(item)


@dataclass
class _Parsed:
    """One file as this workspace parsed it: model and document, or the problems met."""

    model: Model[Any]
    item: Any
    document: Document | None
    problems: list[Problem] | None = None
    signature: Signature | None = None  # the file as it was before reading


# A file last changed this close to the moment it was read may change again within the
# same tick of the file system's clock without its timestamps showing it ("racy git").
_SETTLED_NS = 100_000_000


def _signature(path: Path) -> Signature | None:
    """The file as it is now (:func:`.remembered.signature`); none when it is too new."""
    return file_signature(path, _SETTLED_NS)


@dataclass
class Workspace:
    root: Path
    _config: models.Workspace | None = field(default=None, repr=False)
    # validate zyklus.yaml and the cards from the stored core schema, building no model
    # class (validate of given files: the pre-commit hook, issue 21), where it was made for
    # the pydantic installed; see files/stored.py
    stored: bool = field(default=False, repr=False, compare=False)
    _folders: dict[Path, Path] = field(default_factory=dict, repr=False, compare=False)
    _shown: dict[Path, str] = field(default_factory=dict, repr=False, compare=False)
    _parsed: dict[Path, _Parsed] = field(default_factory=dict, repr=False, compare=False)
    # told ``(done, total)`` after each card or offer read, for a progress bar (issue 19)
    on_read: Callable[[int, int], None] | None = field(default=None, repr=False, compare=False)
    # folder → (paths sent to the workers, their results in order), see :meth:`read_ahead`
    _ahead: dict[str, tuple[set[Path], Iterator[_Read]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # single files parsed in the workers (see :meth:`read_ahead`): model and result
    _pending: dict[Path, tuple[type[BaseModel], Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # data/indicators.csv being read by a worker meanwhile (issue 18), see :meth:`read_ahead`
    _table_ahead: Any = field(default=None, repr=False, compare=False)
    # the :func:`.remembered.stamp` of zyklus.yaml and data/areas.csv taken before each
    # was read ("absent", or None: too new to remember anything made from it; issue 21)
    _stamps: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    # folder → what its workers send instead of the model, see :meth:`digested`
    _digests: dict[str, Callable[[Any], Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # folder → its remembered digests (see :meth:`_recall`), looked up by :meth:`read_ahead`
    _recalled: dict[str, _Recalled] = field(default_factory=dict, repr=False, compare=False)

    # --- paths -----------------------------------------------------------------------

    @functools.cached_property
    def resolved_root(self) -> Path:
        return self.root.resolve()

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, each folder resolved once: one ``lstat`` per file (issue 9).

        A workspace of 10 000 cards would otherwise walk every path component of every
        file, twice per file (display and inside).
        """
        if path.name in ("", ".", "..") or path.is_symlink():
            return resolved(path)
        parent = path.parent
        folder = self._folders.get(parent)
        if folder is None:
            folder = self._folders[parent] = resolved(parent)
        return folder / path.name

    def display(self, path: Path) -> str:
        """A path as the user should read it: relative to the workspace where possible.

        The file itself is named as listed, not where a symlink leads, so a broken link
        is reported under its own name.
        """
        try:
            if path.name in ("", ".", ".."):
                return self.resolve(path).relative_to(self.resolved_root).as_posix()
            folder = self._shown.get(path.parent)  # one folder, one resolve (issue 21)
            if folder is None:
                listed = self.resolve(path.parent).relative_to(self.resolved_root).as_posix()
                folder = self._shown[path.parent] = "" if listed == "." else f"{listed}/"
            return folder + path.name
        except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop
            return str(path)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    def card_path(self, project_id: str) -> Path:
        return self.root / "projects" / f"{project_id}.yaml"

    def cycle_path(self, year: int) -> Path:
        return self.root / "cycles" / f"{year}.yaml"

    def yaml_files(self, folder: str) -> list[Path]:
        """``folder/*.yaml`` sorted by name; missing folder → none."""
        base = self.root / folder
        return [base / name for name in self.yaml_names(folder)]

    def yaml_names(self, folder: str) -> list[str]:
        """The names of ``folder/*.yaml``, sorted; no path built per file (issue 21)."""
        base = self.root / folder
        if not base.is_dir():
            return []
        try:  # file types come with the listing: no stat each, no call per name (issue 21)
            with os.scandir(base) as entries:
                names = [n for e in entries if is_workspace_yaml(n := e.name) and not e.is_dir()]
            return sorted(names)
        except OSError:  # a link that cannot be followed (a loop, no permission) is a file
            pass
        with os.scandir(base) as entries:
            return sorted(e.name for e in entries if is_workspace_yaml(e.name) and not _is_dir(e))

    def ids_by_look_up(self, folder: str) -> FileIds:
        """The ids of ``folder/*.yaml``, each looked up when asked (see :class:`FileIds`)."""
        return FileIds(self, folder)

    def ids(self, folder: str) -> set[str]:
        """The ids of ``folder/*.yaml`` from one listing: ids are file names (no parsing)."""
        cut = len(YAML_SUFFIX)
        return {name[:-cut] for name in self.yaml_names(folder)}

    def card_ids(self) -> set[str]:
        """Project ids known from file names alone (cheap: no parsing)."""
        return self.ids("projects")

    def offer_ids(self) -> set[str]:
        return self.ids("offers")

    def cycle_years(self) -> list[int]:
        return sorted(
            int(p.stem) for p in self.yaml_files("cycles") if p.stem.isascii() and p.stem.isdigit()
        )

    def inside(self, path: Path) -> bool:
        """True when ``path`` (after following links) lies inside the workspace."""
        try:
            self.resolve(path).relative_to(self.resolved_root)
        except (ValueError, OSError, RuntimeError):
            return False
        return True

    # --- loading ---------------------------------------------------------------------

    @property
    def config(self) -> models.Workspace:
        if self._config is None:
            self._stamps[CONFIG_FILE] = stamp(self.config_path)
            model = self._validated_as(stored.WORKSPACE)
            self._config = load_model(self.config_path, model, CONFIG_FILE)
        return self._config

    def _validated_as(self, light: StoredModel[M]) -> Model[M]:
        """The model of :mod:`zyklus.models` that ``light`` stands for, or ``light``
        itself: the stored schema, where :attr:`stored` asks for it and it was made for
        the pydantic installed (the models are then not even imported)."""
        if self.stored and stored.usable():
            return light
        from zyklus import models

        return getattr(models, light.__name__)  # type: ignore[no-any-return]

    @property
    def card_model(self) -> Model[models.Card]:
        """What a card is validated as: the model, or its stored schema (:attr:`stored`)."""
        return self._validated_as(stored.CARD)

    @property
    def offer_model(self) -> Model[models.Offer]:
        """What an offer is validated as (see :attr:`card_model`)."""
        return self._validated_as(stored.OFFER)

    @property
    def cycle_model(self) -> Model[models.CycleState]:
        """What a cycle file is validated as by ``validate`` (see :attr:`card_model`)."""
        return self._validated_as(stored.CYCLE)

    @property
    def call_model(self) -> Model[models.FundingCall]:
        """What a funding call is validated as by ``validate`` (see :attr:`card_model`)."""
        return self._validated_as(stored.CALL)

    def load_one(self, path: Path, model: Model[M]) -> M:
        """Load one file of the workspace; refuse links that lead outside it."""
        return self.load_with_document(path, model)[0]

    def load_with_document(
        self, path: Path, model: Model[M], *, keep: bool = True, fresh: bool = False
    ) -> tuple[M, Document]:
        """:meth:`load_one`, plus the document to locate later problems without re-reading.

        What was parsed is kept, so the next caller gets it without a second parse;
        ``keep=False`` streams (``validate`` of a whole city holds one file at a time);
        ``fresh=True`` gives what is on disk now (a cycle file under its lock): the kept
        parse only when the file is provably the one parsed (same inode, size and
        timestamps, and it had settled before it was read), else the file is read again.
        """
        pending = self._pending.pop(path, None)
        if pending is not None and pending[0] is model:  # parsed by a worker: take it
            self._keep(path, model, pending[1].get())
        cached = self._parsed.get(path)
        if fresh and cached is not None:
            unchanged = cached.signature is not None and cached.signature == _signature(path)
            cached = cached if unchanged else None
        if cached is not None and cached.model is model:
            if cached.problems is not None:
                raise LoadError(list(cached.problems))
            if cached.item is not None and cached.document is not None:
                return cached.item, cached.document
        signature = _signature(path) if keep else None
        try:
            item, doc = self._parse(path, model)
        except LoadError as exc:
            if keep:
                self._parsed[path] = _Parsed(model, None, None, list(exc.problems))
            raise
        doc.data = None  # the model holds it now; the text stays to locate problems
        if keep:
            self._parsed[path] = _Parsed(model, item, doc, signature=signature)
        else:
            self._parsed.pop(path, None)
        return item, doc

    def _parse(self, path: Path, model: Model[M]) -> tuple[M, Document]:
        shown = self.display(path)
        try:
            real = self.resolve(path)
        except (OSError, RuntimeError) as exc:  # a symlink loop
            error = getattr(exc, "strerror", None) or str(exc)
            raise LoadError([Problem("Y-READ", path=shown, params={"error": error})]) from None
        if not real.is_relative_to(self.resolved_root):
            raise LoadError([Problem("W-OUTSIDE", path=shown)])
        # a cycle file grows with the city: 13 MB at 10 000 projects (issue 21)
        with workers.collector_paused(freeze=is_cycle(model)):
            doc = load_file(path, shown, max_bytes=max_bytes_for(model))
            return validate_document(doc, model), doc

    def forget(self, path: Path) -> None:
        """Drop what was kept of ``path`` (zyklus has just written it)."""
        self._parsed.pop(path, None)

    def locate(
        self,
        path: Path,
        key_path: KeyPath,
        *,
        key: bool = False,
        document: Document | None = None,
    ) -> tuple[int | None, int | None]:
        """Line and column of ``key_path`` in ``path`` (of its key when ``key``).

        The one locator of the workspace (issue 13): it records marks in the text kept
        from the parse (or in ``document``, when the caller streams and holds it); a file
        not kept is read once more, never parsed twice. A file that cannot be read any
        more gives no line (the problem still names the file).
        """
        cached = self._parsed.get(path)
        doc = document or (cached.document if cached is not None else None)
        if doc is None:
            shown = self.display(path)
            limit = max_bytes_for(cached.model if cached is not None else None)
            try:
                doc = unparsed(read_text_bounded(path, shown, limit), shown)
                line, col = doc.locate(key_path, key=key)
            except LoadError:
                return None, None
            if cached is not None and cached.item is not None:
                cached.document = doc
            return line, col
        return doc.locate(key_path, key=key)

    def _load_folder(self, folder: str, model: Model[M]) -> Loaded[M]:
        if folder not in self._ahead and folder in _READ_AHEAD and _model_of(folder) is model:
            with self.read_ahead(folder):  # no-op in one process (few files, ZYKLUS_JOBS=1)
                return self._collect(folder, model)
        return self._collect(folder, model)

    def _collect(self, folder: str, model: Model[M]) -> Loaded[M]:
        paths = self.yaml_files(folder)
        with workers.collector_paused(freeze=len(paths) >= workers.PARALLEL_FROM):
            return self._kept(folder, model, paths)

    def _kept(self, folder: str, model: Model[M], paths: list[Path]) -> Loaded[M]:
        # the workers send digests, not models (:meth:`digested`): parsed here instead
        ahead = None if folder in self._digests else self._ahead.pop(folder, None)
        sent, results = ahead or (set(), iter(()))

        def one(path: Path) -> M:
            if path in sent:  # parsed by a worker: keep it as if parsed here
                self._keep(path, model, next(results))
            return self.load_one(path, model)

        return self._gathered(paths, one)

    def _gathered(self, paths: list[Path], one: Callable[[Path], T]) -> Loaded[T]:
        """``one(path)`` of each path by its id, the problems of those that raised, and
        progress told after each file."""
        loaded: Loaded[T] = Loaded()
        for done, path in enumerate(paths, 1):
            try:
                item = one(path)
            except LoadError as exc:
                loaded.problems.extend(exc.problems)
                continue
            finally:
                if self.on_read is not None:
                    self.on_read(done, len(paths))
            key = path.stem
            loaded.items[key] = item
            loaded.paths[key] = path
        return loaded

    def digested(self, folder: str, digest: Callable[[Any], T]) -> Loaded[T]:
        """Each card (``projects``) or offer (``offers``) reduced by ``digest``, in the
        listing's order, with the problems of those that did not load.

        Only the digests are kept: ``status`` of a big city needs a few fields of each
        card, and in a :meth:`read_ahead` block with the same ``digests`` the workers send
        those instead of the models, at a third of the cost (issue 21). A folder loaded
        already is reduced as it is; otherwise, in one process, each file is parsed here
        and dropped. A :class:`RememberedDigest` of an unchanged file is taken from the
        last run's (:mod:`.digest_store`), and the file is not read at all.
        """
        attribute = "cards" if folder == "projects" else "offers"
        loaded: Loaded[Any] | None = self.__dict__.get(attribute)
        if loaded is not None:
            items = {key: digest(item) for key, item in loaded.items.items()}
            return Loaded(items, dict(loaded.paths), list(loaded.problems))
        model = _model_of(folder)
        paths = self.yaml_files(folder)
        recalled = self._recalled.pop(folder, None) or self._recall(folder, digest, paths)
        ahead = self._ahead.pop(folder, None) if self._digests.get(folder) is digest else None
        sent, results = ahead or (set(), iter(()))

        def one(path: Path) -> T:
            if path in recalled.found:
                return recalled.found[path]  # type: ignore[no-any-return]
            if path in sent:
                value, _, problems, _ = next(results)
                if problems is not None:
                    raise LoadError(problems)
            else:
                value = digest(self.load_with_document(path, model, keep=False)[0])
            recalled.store.put(path.name, recalled.signatures.get(path), value)
            return value  # type: ignore[no-any-return]

        with workers.collector_paused(freeze=len(paths) >= workers.PARALLEL_FROM):
            digests = self._gathered(paths, one)
        recalled.store.save()
        return digests

    def _recall(self, folder: str, digest: Callable[[Any], Any], paths: list[Path]) -> _Recalled:
        """The digests of the unchanged files of ``folder`` remembered by the last run, and
        the signatures of the others, taken before they are read."""
        if not isinstance(digest, RememberedDigest):
            return _Recalled(DigestStore(None, b""), {}, {})
        inputs = [self._input_stamp(name) for name in digest.inputs]
        store = open_store(digest.kind, self.root / folder, self.root, inputs)
        found: dict[Path, Any] = {}
        signatures = {}
        for path in paths:
            signature = settled_signature(path) if store.path is not None else None
            known, value = store.get(path.name, signature)
            if known:
                found[path] = value
            else:
                signatures[path] = signature
        return _Recalled(store, found, signatures)

    def _input_stamp(self, relative: str) -> str | None:
        """The stamp of a file an answer depends on: as it was when it was read
        (zyklus.yaml, data/areas.csv), else as it is now (not read yet)."""
        if relative in self._stamps:
            return self._stamps[relative]
        found = self._present(relative)
        return _ABSENT if found is None else stamp(found)

    @contextlib.contextmanager
    def read_ahead(
        self,
        *folders: str,
        files: Iterable[tuple[Path, type[BaseModel]]] = (),
        digests: Mapping[str, Callable[[Any], Any]] | None = None,
    ) -> Iterator[None]:
        """Parse every card (``projects``) and offer (``offers``) in forked workers while
        the caller goes on: ``status`` parses the cycle file meanwhile (issue 21). With
        ``indicators``, one of the workers reads ``data/indicators.csv`` first, and
        :attr:`indicators` takes its table (or raises its error) when asked for:
        ``analyse`` reads the cycle file and collects the cards meanwhile (issue 18).

        ``files``: single files (the earlier cycle files) parsed in the workers first;
        :meth:`load_with_document` inside the block takes a worker's parse as its own.
        ``digests``: folder → what the workers send instead of each model, for
        :meth:`digested` (the function travels by ``fork``, it is never pickled).

        :attr:`cards` and :attr:`offers` inside the block collect what the workers
        parsed, in the listing's order, exactly as one process would have kept it (the
        same models, texts for :meth:`locate`, problems of a broken file, progress for
        each file). Leaving the block ends the workers, Ctrl-C included; what was not
        collected by then is dropped. In one process (few files, ``ZYKLUS_JOBS=1``, or
        inside a worker) nothing starts, and the files are parsed when asked for.
        """
        given = digests or {}
        listed = {
            folder: self.yaml_files(folder)
            for folder in folders
            if folder in _READ_AHEAD and folder not in self._ahead
        }
        todo: dict[str, list[Path]] = {}
        for folder, paths in listed.items():
            found: Mapping[Path, Any] = {}
            if isinstance(given.get(folder), RememberedDigest):  # not parsed again
                recalled = self._recalled[folder] = self._recall(folder, given[folder], paths)
                found = recalled.found
            todo[folder] = [p for p in paths if p not in self._parsed and p not in found]
        singles = [(path, model) for path, model in files if path not in self._parsed]
        count = workers.jobs(sum(len(paths) for paths in todo.values()) + len(singles))
        if count == 1:
            try:
                yield
            finally:
                for folder in todo:
                    self._recalled.pop(folder, None)
            return
        for folder in todo:
            _model_of(folder).model_rebuild()  # built once, not per worker
        for _, model in singles:
            model.model_rebuild()
        table = "indicators" in folders and "indicators" not in self.__dict__
        self._digests.update({folder: given[folder] for folder in todo if folder in given})
        try:
            with workers.collector_paused(freeze=True), workers.pool(count, self) as pool:
                if table:  # first, so that a worker starts on it at once
                    self._table_ahead = pool.apply_async(_indicators_shared)
                for path, model in singles:  # first: the caller asks for them last
                    self._pending[path] = (model, pool.apply_async(_read_one, ((model, path),)))
                for folder, paths in todo.items():
                    tasks = [(folder, path) for path in paths]
                    self._ahead[folder] = (set(paths), pool.imap(_read_shared, tasks, 16))
                yield
        finally:
            self._table_ahead = None
            for folder in todo:
                self._ahead.pop(folder, None)
                self._digests.pop(folder, None)
                self._recalled.pop(folder, None)
            for path, _ in singles:
                self._pending.pop(path, None)

    def _read(
        self, model: Model[Any], path: Path, digest: Callable[[Any], Any] | None = None
    ) -> _Read:
        """In a worker: one file parsed, as :meth:`_keep` takes it back (no data, text),
        or its ``digest`` alone (see :meth:`digested`; nothing of it is kept, so no
        signature is taken)."""
        signature = _signature(path) if digest is None else None
        try:
            item, doc = self._parse(path, model)
        except LoadError as exc:
            return None, None, list(exc.problems), signature
        if digest is not None:
            return digest(item), None, None, None
        return item, (doc.path, doc.text, doc.pure), None, signature

    def _keep(self, path: Path, model: Model[Any], read: _Read) -> None:
        """Keep what a worker parsed, as :meth:`load_with_document` keeps its own parse."""
        if path in self._parsed:  # parsed here meanwhile: that one stays
            return
        item, text, problems, signature = read
        if text is None:
            self._parsed[path] = _Parsed(model, None, None, problems)
            return
        doc = Document(path=text[0], data=None, text=text[1], pure=text[2])
        self._parsed[path] = _Parsed(model, item, doc, signature=signature)

    @functools.cached_property
    def cards(self) -> Loaded[models.Card]:
        from zyklus.models import Card

        return self._load_folder("projects", Card)

    @functools.cached_property
    def offers(self) -> Loaded[models.Offer]:
        from zyklus.models import Offer

        return self._load_folder("offers", Offer)

    def card(self, project_id: str) -> models.Card:
        """One card by id (raises located problems; unknown id → did-you-mean)."""
        path = self.card_path(project_id)
        if not _PROJECT_ID.match(project_id) or not path.is_file():  # '../zyklus' is no card
            from zyklus.suggest import unknown

            raise UsageError([unknown("W-UNKNOWN-PROJECT", project_id, self.card_ids())])
        from zyklus.models import Card

        return self.load_one(path, Card)

    @functools.cached_property
    def areas(self) -> AreaTable:
        """The area hierarchy; an absent ``data/areas.csv`` is an empty table."""
        path = self._present(AREAS_FILE)
        self._stamps[AREAS_FILE] = _ABSENT if path is None else stamp(path)
        if path is None:
            return AreaTable()
        return load_areas(path, self.display(path), self.config.data)

    def area_ids(self) -> set[str]:
        """The ids of ``data/areas.csv`` as :attr:`areas` has them, for a one-card run:
        remembered while the file is unchanged (:mod:`.remembered`, issue 21). A refused
        table raises its problems as :attr:`areas` does, every time."""
        path = self._present(AREAS_FILE)
        if path is None:
            return set()
        convention = self.config.data
        read_as = f"{convention.delimiter}\0{convention.encoding}" if convention else ""
        context = f"{read_as}\0{_code_stamp()}"  # an edited checker is a new question
        return set(remembered("areas", path, context, lambda: list(self.areas.areas)))

    def check_indicators(self) -> None:
        """Raise the problems of data/indicators.csv exactly as :attr:`indicators` does.

        ``validate`` of a whole workspace needs only whether the table loads, not the
        table: a table that loaded without problems is remembered as checked
        (:mod:`.remembered`) while it, data/areas.csv, zyklus.yaml and the code that
        checks them are all unchanged, each by the stamp taken before it was read
        (issue 21). A refused table is never remembered: it is read each time.
        """
        self._checked(INDICATORS_FILE, lambda: self.indicators)

    def check_crosswalk(self) -> None:
        """:meth:`check_indicators` for data/crosswalk.csv (:attr:`crosswalk`)."""
        self._checked(CROSSWALK_FILE, lambda: self.crosswalk)

    def indicator_areas(self) -> set[str]:
        """The areas with at least one value in data/indicators.csv, as :attr:`indicators`
        has them (none when it is missing): what the gate out of analysis asks of the
        table, remembered as :meth:`check_indicators` remembers the check (``status``,
        issue 21). A refused table raises its problems, every time."""

        def areas() -> list[str]:
            values = self.indicators.values.values()
            return sorted({area for by_area in values for area in by_area})

        return set(self._remembered_from(INDICATORS_FILE, "indicator-areas", areas))

    def _checked(self, relative: str, check: Callable[[], object]) -> None:
        attribute = relative.removeprefix("data/").removesuffix(".csv")

        def checked() -> list[str]:
            check()  # raises a refused table's problems: nothing is kept then
            return []

        self._remembered_from(relative, attribute, checked)

    def _remembered_from(
        self, relative: str, kind: str, make: Callable[[], list[str]]
    ) -> list[str]:
        """``make()``, or what it gave for the same table last time: while the table,
        data/areas.csv, zyklus.yaml and the code that checks them are unchanged."""
        attribute = relative.removeprefix("data/").removesuffix(".csv")
        path = self._present(relative)  # W-OUTSIDE is told each time, as by ``check``
        if path is None or attribute in self.__dict__ or self._table_ahead is not None:
            return make()
        self.config  # noqa: B018 (read first: its stamp is of the text it was read from)
        before = stamp(path)

        def key() -> str | None:
            """The stamps of every input, each taken before it was read; None when one is
            too new (or could not be taken): nothing is remembered or recalled then."""
            parts = (before, self._input_stamp(AREAS_FILE), self._input_stamp(CONFIG_FILE))
            return None if None in parts else " | ".join(map(str, parts))

        question = "\0".join(
            (*(str(resolved(self.root / name)) for name in _TABLE_INPUTS[relative]), _code_stamp())
        )
        found = key()
        if found is not None and (kept := recall(kind, question, found)) is not None:
            return kept
        answer = make()
        found = key()
        if found is not None:
            keep(kind, question, found, answer)
        return answer

    def links(self, folder: str) -> set[str]:
        """The names of the symlinks in ``folder``, remembered while the folder is
        unchanged (a link is made, removed or renamed only by changing its folder)."""
        base = self.root / folder

        def listed() -> list[str]:
            with os.scandir(base) as entries:
                return [e.name for e in entries if e.is_symlink()]

        return set(remembered("links", base, "", listed))

    @functools.cached_property
    def indicators(self) -> IndicatorTable:
        """Indicator values, checked against the config and areas; absent file → empty."""
        ahead, self._table_ahead = self._table_ahead, None
        if ahead is not None:  # read by a worker meanwhile (see :meth:`read_ahead`)
            table, error = ahead.get()
            if error is not None:
                raise error
            return table  # type: ignore[no-any-return]
        path = self._present("data/indicators.csv")
        if path is None:
            return IndicatorTable()
        config = self.config
        return load_indicators(path, self.display(path), config.indicators, self.areas, config.data)

    @functools.cached_property
    def crosswalk(self) -> Crosswalk:
        """The declared crosswalk between boundary versions; absent file → none (issue 18)."""
        path = self._present("data/crosswalk.csv")
        if path is None:
            return Crosswalk()
        return load_crosswalk(path, self.display(path), self.areas, self.config.data)

    @functools.cached_property
    def geometries(self) -> Geometries:
        """Area shapes for the report's map; an absent ``data/areas.geojson`` is none (issue 16)."""
        path = self._present(GEOMETRY_FILE)
        if path is None:
            return Geometries()
        return load_geometries(path, self.display(path))

    def _present(self, relative: str | Path) -> Path | None:
        """The optional file ``relative`` when it is there (inside the workspace, else
        W-OUTSIDE), None when it is not."""
        path = self.root / relative
        if not path.is_file():
            return None
        if not self.inside(path):
            raise LoadError([Problem("W-OUTSIDE", path=self.display(path))])
        return path

    def require(self, *loaded: Loaded[models.Card] | Loaded[models.Offer]) -> None:
        """Raise when any of ``loaded`` had an error (warnings pass)."""
        errors = [p for item in loaded for p in item.problems if p.severity == "error"]
        if errors:
            raise LoadError(errors)


@dataclass(frozen=True)
class _Recalled:
    """A folder's digests remembered by the last run (by path), the signatures of its
    other files (taken before they are read), and the store to keep this run's in."""

    store: DigestStore
    found: dict[Path, Any]
    signatures: dict[Path, Signature | None]


# What a worker sends back for one file: the model, (shown name, text, pure) and no
# problems, or no model and the problems; and the file's signature before it was read.
_Read = tuple[Any, "tuple[str, str, bool] | None", "list[Problem] | None", Any]
_READ_AHEAD = ("projects", "offers")


def _model_of(folder: str) -> type[BaseModel]:
    """The model of a folder read ahead (the models are imported when first read, issue 21)."""
    from zyklus import models

    return models.Card if folder == "projects" else models.Offer


def _read_shared(task: tuple[str, Path]) -> _Read:
    """In a worker: parse one file of the workspace being read ahead."""
    folder, path = task
    reading: Workspace = workers.inherited()
    return reading._read(_model_of(folder), path, reading._digests.get(folder))


def _read_one(task: tuple[type[BaseModel], Path]) -> _Read:
    """In a worker: parse one single file of the workspace being read ahead."""
    model, path = task
    reading: Workspace = workers.inherited()
    return reading._read(model, path)


# the code that reads and checks zyklus.yaml and the data tables, relative to the package
_CHECKERS = (
    "files/tables.py",
    "files/csvfile.py",
    "files/numbers.py",
    "files/periods.py",
    "files/encoding.py",
    "files/loader.py",
    "files/located.py",
    "files/stored.py",
    "files/_stored_schema.py",
    "files/workspace.py",
    "models.py",
    "values.py",
    "amounts.py",
)


@functools.cache
def _code_stamp() -> str:
    """When the code that checks zyklus.yaml and the tables last changed, and which Python
    runs it (a development install keeps its version number while its checks change)."""
    import sys

    package = os.path.dirname(os.path.dirname(__file__))  # noqa: PTH120 (one call per file)
    stamps = [sys.version]
    for name in _CHECKERS:
        try:
            found = os.stat(os.path.join(package, name))  # noqa: PTH116, PTH118
            stamps.append(f"{found.st_mtime_ns}:{found.st_size}")
        except OSError:
            stamps.append("")
    return " ".join(stamps)


def _indicators_shared() -> tuple[IndicatorTable | None, ZyklusError | None]:
    """In a worker: the workspace's indicator table, or the error that reading it raised."""
    reading: Workspace = workers.inherited()
    reading._table_ahead = None
    try:
        return reading.indicators, None
    except ZyklusError as exc:
        return None, exc


def open_workspace(explicit: Path | None = None) -> Workspace:
    return Workspace(find_root(explicit=explicit))


class FileIds(Set[str]):
    """The ids of ``folder/*.yaml`` (ids are file names), each looked up when asked.

    A one-card run (the pre-commit hook) asks for a handful of ids; listing 10 000 cards
    for them cost more than checking the card itself (issue 21). A look-up answers what
    the listing answers: a name it reads (a file, or a link that is no folder, broken or
    looping links included). The listing is made only when something iterates, for a
    did-you-mean, and on a file system that ignores case, where a look-up could not tell
    ``Foo.yaml`` from ``foo.yaml``.
    """

    def __init__(self, ws: Workspace, folder: str) -> None:
        self._ws = ws
        self._folder = folder
        self._listed: frozenset[str] | None = None

    def _listing(self) -> frozenset[str]:
        if self._listed is None:
            self._listed = frozenset(self._ws.ids(self._folder))
        return self._listed

    def __contains__(self, value: object) -> bool:
        if self._listed is not None:
            return value in self._listed
        if not isinstance(value, str) or not value or "\0" in value or "/" in value:
            return False
        if os.sep in value or (os.altsep is not None and os.altsep in value):
            return False
        path = self._ws.root / self._folder / f"{value}{YAML_SUFFIX}"
        try:
            found = path.stat()
        except (OSError, ValueError):  # absent, or a broken or looping link (a file to it)
            return path.is_symlink()
        if stat.S_ISDIR(found.st_mode):
            return False
        other = value.swapcase()
        if other != value and path.with_name(f"{other}{YAML_SUFFIX}").exists():
            return value in self._listing()  # the file system ignores case: ask the listing
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._listing()))

    def __len__(self) -> int:
        return len(self._listing())
