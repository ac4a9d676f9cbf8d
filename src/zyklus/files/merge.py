"""Three-way merge of cycle files, one project block at a time (issue 19).

Two planners who each add or advance a project on their own branch both change
``cycles/<year>.yaml``. A line-based merge conflicts whenever their projects sort next to
each other. Because zyklus writes the file deterministically (one block per project,
sorted), the file can be merged as data instead: per project, per field, three-way.

- A field changed on one side only takes that side.
- A list of records (actuals, milestones, evaluation rounds, spending …) that both sides
  extended keeps the base and both sides' new records (ours first, then theirs).
- The history of moves, the phase and single values that both sides changed differently
  are a real conflict: the project's block is written with conflict markers around the
  two versions, and only that block. Every other project is merged cleanly.

The merge works on the models only through their fields, so new kinds of records in
``ProjectState`` are merged without changes here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from zyklus.files.cycles import dump_cycle, leading_comments, parse_cycle
from zyklus.models import CycleState, ProjectState

# Fields whose parallel extension is a conflict, not a union: two branches that both
# moved a project wrote two different stories of it.
_NO_UNION = frozenset({"history"})
_MARK_OURS, _MARK_SPLIT, _MARK_THEIRS = "<<<<<<<", "=======", ">>>>>>>"


@dataclass(frozen=True)
class MergeResult:
    """The merged text and what stayed in conflict (project ids, top-level keys)."""

    text: str
    conflicts: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.conflicts


class _Conflict(Exception):
    """Both sides changed the same value differently."""


def _merge_value(base: Any, ours: Any, theirs: Any, *, union: bool = True) -> Any:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if union and isinstance(ours, list) and isinstance(theirs, list):
        start = list(base) if isinstance(base, list) else []
        if ours[: len(start)] == start and theirs[: len(start)] == start:
            added = ours[len(start) :]
            return ours + [item for item in theirs[len(start) :] if item not in added]
    raise _Conflict


def _merge_model(base: BaseModel | None, ours: BaseModel, theirs: BaseModel) -> BaseModel:
    """Field by field; raises :class:`_Conflict` on the first field both changed."""
    changes: dict[str, Any] = {}
    for name in type(ours).model_fields:
        mine, other = getattr(ours, name), getattr(theirs, name)
        old = getattr(base, name) if base is not None else type(ours).model_fields[name].default
        changes[name] = _merge_value(old, mine, other, union=name not in _NO_UNION)
    return ours.model_copy(update=changes)


def _merge_project(
    base: ProjectState | None, ours: ProjectState | None, theirs: ProjectState | None
) -> ProjectState | None:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if ours is None or theirs is None:  # removed on one side, changed on the other
        raise _Conflict
    merged = _merge_model(base, ours, theirs)
    assert isinstance(merged, ProjectState)
    return merged


@dataclass(frozen=True)
class _Version:
    state: CycleState | None
    header: list[str]


def _read(text: str, shown: str) -> _Version:
    """An empty side (the file did not exist in the merge base) has no state."""
    if not text.strip():
        return _Version(None, [])
    return _Version(parse_cycle(text, shown), leading_comments(text))


def merge_cycle_texts(
    base: str,
    ours: str,
    theirs: str,
    shown: str,
    labels: Sequence[str] = ("ours", "theirs"),
) -> MergeResult:
    """Merge three versions of one cycle file.

    Raises :class:`~zyklus.errors.LoadError` when a version is not a valid cycle file; git
    then keeps its own conflict (the caller reports the problem).
    """
    old, mine, other = _read(base, shown), _read(ours, shown), _read(theirs, shown)
    if mine.state is None or other.state is None:  # deleted on one side
        gone = ("(file)",) if (mine.state or other.state) != old.state else ()
        return MergeResult(ours, gone)
    conflicts: list[str] = []
    top: dict[str, Any] = {}
    for name in CycleState.model_fields:
        if name == "projects":
            continue
        values = [getattr(v.state, name) if v.state else None for v in (old, mine, other)]
        try:
            top[name] = _merge_value(*values, union=False)
        except _Conflict:
            conflicts.append(name)
            top[name] = values[1]
    projects_ours: dict[str, ProjectState] = {}
    projects_theirs: dict[str, ProjectState] = {}
    base_projects = old.state.projects if old.state else {}
    for pid in sorted({*base_projects, *mine.state.projects, *other.state.projects}):
        versions = (base_projects.get(pid), mine.state.projects.get(pid))
        theirs_version = other.state.projects.get(pid)
        try:
            merged = _merge_project(*versions, theirs_version)
        except _Conflict:
            conflicts.append(pid)
            if versions[1] is not None:
                projects_ours[pid] = versions[1]
            if theirs_version is not None:
                projects_theirs[pid] = theirs_version
            continue
        if merged is not None:
            projects_ours[pid] = projects_theirs[pid] = merged
    try:
        header = _merge_value(old.header, mine.header, other.header, union=False)
    except _Conflict:
        header = mine.header + [line for line in other.header if line not in mine.header]
    ours_state = mine.state.model_copy(update={**top, "projects": projects_ours})
    text = dump_cycle(ours_state, header)
    if not conflicts:
        return MergeResult(text, ())
    top_theirs = {name: getattr(other.state, name) for name in top if name in conflicts}
    theirs_state = mine.state.model_copy(update={**top, **top_theirs, "projects": projects_theirs})
    theirs_text = dump_cycle(theirs_state, header)
    return MergeResult(_with_markers(text, theirs_text, labels), tuple(conflicts))


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """The emitter's text cut into keyed blocks: each top-level key, each project.

    A block is a key line and the deeper lines under it; comment lines at the top form
    the block ``#``. Keys are compared as written by the emitter (the same on both sides).
    """
    blocks: list[tuple[str, list[str]]] = []
    in_projects = False
    for line in text.splitlines():
        if line.startswith("#") and not blocks:
            blocks.append(("#", [line]))
            continue
        if line.startswith("#") and blocks[-1][0] == "#":
            blocks[-1][1].append(line)
            continue
        if not line.startswith(" "):
            in_projects = line.startswith("projects:")
            blocks.append((line.split(":", 1)[0], [line]))
        elif in_projects and line.startswith("  ") and not line.startswith("   "):
            blocks.append(("projects." + line.strip().rstrip(":"), [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def _with_markers(ours: str, theirs: str, labels: Sequence[str]) -> str:
    """Both texts interleaved by block; blocks that differ get git's conflict markers."""
    ours_blocks, theirs_blocks = _blocks(ours), _blocks(theirs)
    for blocks in (ours_blocks, theirs_blocks):
        if all(key != "projects" for key, _ in blocks):  # no project left: the emitter
            blocks.append(("projects", ["projects:"]))  # omits the key; the markers need it
    mine, other = dict(ours_blocks), dict(theirs_blocks)
    order = [key for key, _ in ours_blocks]
    for key, _ in theirs_blocks:
        if key not in mine:
            # a project only theirs still has: after its neighbour in sort order
            before = [k for k in order if k.startswith("projects.") and k < key]
            anchor = order.index(before[-1]) + 1 if before else order.index("projects") + 1
            order.insert(anchor, key)
    out: list[str] = []
    for key in order:
        a, b = mine.get(key, []), other.get(key, [])
        if a == b:
            out.extend(a)
            continue
        shared_head = key.startswith("projects.") and a[:1] == b[:1] and a[:1]
        if shared_head:  # the project's key line stays outside the markers
            out.append(a[0])
            a, b = a[1:], b[1:]
        out.append(f"{_MARK_OURS} {labels[0]}")
        out.extend(a)
        out.append(_MARK_SPLIT)
        out.extend(b)
        out.append(f"{_MARK_THEIRS} {labels[1]}")
    return "\n".join(out) + "\n"
