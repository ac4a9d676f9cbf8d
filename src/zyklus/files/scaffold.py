"""Create things that did not exist: a workspace (``init``) and a project card.

Both only ever create files: an existing file is never overwritten, and a new card is
written with exclusive creation so two planners cannot race each other into one file.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zyklus.errors import LoadError, Problem, UsageError
from zyklus.files.cycles import publish_new, remove_stale, stage
from zyklus.files.hooks import ZYKLUS_REPOSITORY, check_repository, folder_files, revision
from zyklus.files.templates import render
from zyklus.files.workspace import Workspace
from zyklus.models import CITYWIDE
from zyklus.names import is_windows_reserved
from zyklus.suggest import unknown

_TRANSLITERATE = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ẞ": "ss"}
)
_ID = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?\Z")
MAX_ID = 60


def make_id(title: str) -> str:
    """``Jobcenter im Quartier`` → ``jobcenter-im-quartier``; ä→ae, ö→oe, ü→ue, ß→ss.

    NFC and NFD titles give the same id: umlauts are composed before transliteration,
    other accents are dropped after decomposition.
    """
    text = unicodedata.normalize("NFC", title).translate(_TRANSLITERATE).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > MAX_ID:
        text = text[:MAX_ID].rsplit("-", 1)[0] or text[:MAX_ID]
    return text.strip("-")


def check_id(project_id: str) -> str:
    if not project_id:
        raise UsageError.single("P-ID-EMPTY")
    if not _ID.match(project_id):
        raise UsageError.single("P-ID-INVALID", id=project_id)
    if is_windows_reserved(project_id):
        raise UsageError.single("P-ID-RESERVED", id=project_id)
    return project_id


@dataclass(frozen=True)
class NewProject:
    id: str
    path: Path


def new_project(
    ws: Workspace,
    title: str,
    areas: Sequence[str],
    target_groups: Sequence[str],
    project_id: str | None = None,
    register: Callable[[Workspace, str], Callable[[], None] | None] | None = None,
) -> NewProject:
    """Write ``projects/<id>.yaml`` from ``card.yaml.j2``; refuse unknown ids and clashes.

    ``register`` (the cycle engine's ``register_new_project``) runs once the card is on
    disk but before it has its name; it returns how to take the cycle entry back, which
    happens when the card cannot be given its name, so a failed command changes nothing.
    """
    project_id = check_id(project_id if project_id is not None else make_id(title))
    config = ws.config
    problems: list[Problem] = []
    known_areas = set(ws.areas.areas) | {CITYWIDE}
    problems += [unknown("X-AREA-UNKNOWN", a, known_areas) for a in areas if a not in known_areas]
    groups = {t.id for t in config.target_groups}
    problems += [unknown("X-TG-UNKNOWN", t, groups) for t in target_groups if t not in groups]
    if problems:
        raise UsageError(problems)
    path = ws.card_path(project_id)
    if path.exists() or path.is_symlink():
        raise UsageError.single("P-ID-TAKEN", ws.display(path), id=project_id)
    text = render(
        ws.root,
        card_template(config.language, ws.root),
        id=project_id,
        title=title,
        areas=list(areas),
        target_groups=list(target_groups),
    )
    _check_rendered(text, ws.display(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Atomic like the cycle writes (issue 20): the card is staged on disk first (a full
    # disk fails here, leaving nothing), the cycle learns of it, then the card gets its
    # name in one step. A kill -9 in between leaves a cycle entry without a card, which
    # running the same new-project again completes (registration is idempotent).
    remove_stale(path)
    tmp = stage(path, text.encode("utf-8"))
    try:
        undo = register(ws, project_id) if register is not None else None
        try:
            publish_new(tmp, path)
        except BaseException:
            if undo is not None:
                undo()
            raise
    except FileExistsError:
        raise UsageError.single("P-ID-TAKEN", ws.display(path), id=project_id) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return NewProject(project_id, path)


def card_template(lang: str, root: Path | None = None) -> str:
    """German cards from ``card.yaml.j2``, English ones from ``card.en.yaml.j2``; a city's
    own ``templates/card.yaml.j2`` wins over a packaged language variant."""
    if lang == "de":
        return "card.yaml.j2"
    own = root is not None and (root / "templates" / "card.yaml.j2").is_file()
    if own and root is not None and not (root / "templates" / f"card.{lang}.yaml.j2").is_file():
        return "card.yaml.j2"
    return f"card.{lang}.yaml.j2"


def config_template(lang: str) -> str:
    return "zyklus.yaml.j2" if lang == "de" else f"zyklus.{lang}.yaml.j2"


def _check_rendered(text: str, display: str) -> None:
    """A workspace may override the card template; refuse to write what would not load."""
    from zyklus.files.loader import load_text
    from zyklus.files.located import validate_document
    from zyklus.models import Card

    try:
        validate_document(load_text(text, display), Card)
    except LoadError as exc:
        raise UsageError([Problem("T-CARD-INVALID", path=display), *exc.problems]) from None


SCHEMA_FOLDER = "schema"


@dataclass(frozen=True)
class SchemaFiles:
    written: list[Path]
    unchanged: list[Path]


def write_schemas(root: Path) -> SchemaFiles:
    """``schema/<kind>.json`` for every file kind, the files the cards' modeline names
    (``# yaml-language-server: $schema=../schema/card.json``, issue 12).

    Generated from the models, so they are rewritten when zyklus changes; a file that is
    current is left alone (its mtime too).
    """
    from zyklus.models import SCHEMA_MODELS
    from zyklus.schema import json_schema

    folder = root / SCHEMA_FOLDER
    folder.mkdir(exist_ok=True)
    written: list[Path] = []
    unchanged: list[Path] = []
    for name in SCHEMA_MODELS:
        path = folder / f"{name}.json"
        text = json_schema(name) + "\n"
        if path.is_file() and not path.is_symlink() and path.read_text(encoding="utf-8") == text:
            unchanged.append(path)
            continue
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8", newline="\n")
        tmp.replace(path)
        written.append(path)
    return SchemaFiles(written, unchanged)


@dataclass(frozen=True)
class InitResult:
    created: list[Path]
    kept: list[Path]


def pre_commit_config(repo: str = ZYKLUS_REPOSITORY, folder: str = ".", lang: str = "de") -> str:
    """``.pre-commit-config.yaml`` with the repository hook of zyklus at this version's tag
    (``repo`` ``local``: the offline hook on PATH); ``folder`` is the workspace's place in
    the repository, which the hook's ``files:`` and ``-C`` then name (issue 19)."""
    return render(
        None,
        "pre-commit-config.yaml.j2" if lang == "de" else f"pre-commit-config.{lang}.yaml.j2",
        repo=check_repository(repo),
        rev=revision(),
        default_repo=ZYKLUS_REPOSITORY,
        folder=folder,
        files=folder_files(folder),
    )


def _hook_place(folder: Path) -> tuple[Path, str]:
    """Where ``.pre-commit-config.yaml`` goes: pre-commit reads it at the top of the
    repository, so a workspace in a subfolder of one gets it there, naming the folder."""
    from zyklus.files.ci import repository_folder
    from zyklus.files.git import repository_root

    existing = next(p for p in (folder.absolute(), *folder.absolute().parents) if p.is_dir())
    try:
        top = repository_root(existing)
    except UsageError:  # not in a repository (yet), or no git: the workspace is the top
        return folder, "."
    relative = repository_folder(top, folder)
    return (folder, ".") if relative == "." else (top, relative)


def init_workspace(
    folder: Path,
    name: str,
    *,
    force: bool = False,
    lang: str = "de",
    year: int | None = None,
    zyklus_repo: str = ZYKLUS_REPOSITORY,
) -> InitResult:
    """Create an empty workspace in ``folder``; never overwrite a file.

    ``zyklus.yaml`` says in comments, in ``lang``, in which order a new city sets up its
    workspace; ``current_cycle`` is this year unless ``year`` is given (issue 12). The hook
    installs zyklus from ``zyklus_repo`` (``local``: the zyklus on PATH).
    """
    import datetime as dt

    year = year if year is not None else dt.date.today().year
    if (folder / "zyklus.yaml").exists():
        raise UsageError.single("I-EXISTS", path=str(folder))
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError.single("I-NOT-EMPTY", path=str(folder))
    hook_top, hook_folder = _hook_place(folder)
    files: dict[Path, str] = {
        folder / "zyklus.yaml": render(None, config_template(lang), name=name, year=year),
        folder / ".gitignore": (
            "# generated reports (zyklus report)\nreports/\n"
            "# lock files of cycle writes (zyklus advance, record)\ncycles/.*.yaml.lock\n"
        ),
        hook_top / ".pre-commit-config.yaml": pre_commit_config(zyklus_repo, hook_folder, lang),
        folder / "data/areas.csv": "id,name,level,parent\n",
        folder / "data/indicators.csv": "area,indicator,period,value\n",
    }
    created: list[Path] = []
    kept: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("projects", "cycles", "offers", "data"):
        (folder / sub).mkdir(exist_ok=True)
        keep = folder / sub / ".gitkeep"
        if sub != "data" and not keep.exists():
            keep.touch()
    for path, text in files.items():
        try:
            with path.open("x", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            created.append(path)
        except FileExistsError:
            kept.append(path)
    schemas = write_schemas(folder)
    created += schemas.written
    kept += schemas.unchanged
    return InitResult(created, kept)
