"""Duplicate structures (seed 6.2: „Abgleich mit den bereits vorhandenen Strukturen“).

Before a new offer is planned, the needs check compares it with what already exists:
other projects and the existing offers of ``offers/``. A pair is a candidate when it
shares a target group, overlapping areas and overlapping themes; the planner decides.
A rule of the needs gate; :mod:`zyklus.needs.analysis` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from zyklus import models
from zyklus.files.tables import AreaTable
from zyklus.models import CITYWIDE

if TYPE_CHECKING:
    from zyklus.files.workspace import Workspace


@dataclass(frozen=True)
class Structure:
    """A project or an existing offer, reduced to what the duplicate check compares."""

    id: str
    kind: Literal["project", "offer"]
    title: str
    areas: tuple[str, ...]  # () = open (an offer that names no area)
    target_groups: tuple[str, ...]  # () = open
    themes: tuple[str, ...]  # () = open
    synergies: frozenset[str] = frozenset()  # of a card: other projects named
    existing_offers: frozenset[str] = frozenset()  # of a card: offers checked


@dataclass(frozen=True)
class DuplicateCandidate:
    project: str
    other: str
    other_kind: Literal["project", "offer"]
    acknowledged: bool
    other_title: str
    shared_target_groups: tuple[str, ...]
    shared_areas: tuple[str, ...]
    shared_themes: tuple[str, ...]


@dataclass(frozen=True)
class OneSidedSynergy:
    project: str
    other: str


def structures(ws: Workspace, phases: Mapping[str, str]) -> list[Structure]:
    """Valid cards that have not ended, then valid offers (broken files are skipped)."""
    out = []
    for c in ws.cards.items.values():
        if phases.get(c.id, "analysis") not in models.END_STATES:
            scope = (tuple(c.areas), tuple(c.target_groups), tuple(c.themes))
            named = (frozenset(c.synergies), frozenset(c.existing_offers))
            out.append(Structure(c.id, "project", c.title, *scope, *named))
    for o in ws.offers.items.values():
        scope = (tuple(o.areas), tuple(o.target_groups), tuple(o.themes))
        out.append(Structure(o.id, "offer", o.title, *scope))
    return out


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def find_duplicates(
    items: list[Structure], areas: AreaTable, city: str | None
) -> list[DuplicateCandidate]:
    """Every (project, other) with shared target group, overlapping areas and themes.

    Indexed by area and target group, so each project meets only the structures near it
    in the hierarchy or citywide ones of its groups, not every other structure (issue 9).
    """
    near: dict[str, set[str]] = {}

    def around(area: str) -> set[str]:
        if area not in near:
            near[area] = {area, *areas.ancestors(area), *areas.descendants(area)}
        return near[area]

    def is_wide(item: Structure) -> bool:
        return not item.areas or any(a in (CITYWIDE, city) for a in item.areas)

    wide: set[tuple[str, str]] = {(i.kind, i.id) for i in items if is_wide(i)}
    by_group: dict[str, list[Structure]] = {}  # "" = no target group named: open
    wide_by_group: dict[str, list[Structure]] = {}
    by_area: dict[str, list[Structure]] = {}
    for item in items:
        for group in item.target_groups or ("",):
            by_group.setdefault(group, []).append(item)
            if (item.kind, item.id) in wide:
                wide_by_group.setdefault(group, []).append(item)
        for area in item.areas if (item.kind, item.id) not in wide else ():
            by_area.setdefault(area, []).append(item)
    out: list[DuplicateCandidate] = []
    for project in (i for i in items if i.kind == "project"):
        keys = (*project.target_groups, "")
        pool: list[Structure] = [o for g in keys for o in wide_by_group.get(g, ())]
        if (project.kind, project.id) in wide:
            pool += [o for g in keys for o in by_group.get(g, ())]
        else:
            closure = set().union(*(around(a) for a in project.areas))
            pool += [o for place in closure for o in by_area.get(place, ())]
        seen: set[tuple[str, str]] = {(project.kind, project.id)}
        for other in pool:
            if (other.kind, other.id) in seen:
                continue
            seen.add((other.kind, other.id))
            found = _candidate(project, other, wide, around)
            if found is not None:
                out.append(found)
    out.sort(key=lambda d: (d.project, d.other_kind != "project", d.other))
    return out


def _candidate(
    project: Structure, other: Structure, wide: set[tuple[str, str]], around: Any
) -> DuplicateCandidate | None:
    tgs = other.target_groups
    groups = tuple(g for g in project.target_groups if not tgs or g in tgs)
    if (project.kind, project.id) in wide or (other.kind, other.id) in wide:
        shared_areas = project.areas
    else:
        shared_areas = tuple(a for a in project.areas if around(a) & set(other.areas))
    own = {_norm(t): t for t in project.themes}
    theirs = {_norm(t) for t in other.themes}
    themes = tuple(t for n, t in own.items() if n in theirs)
    if not groups or not shared_areas or (own and theirs and not themes):
        return None
    named = project.synergies if other.kind == "project" else project.existing_offers
    shared = (groups, shared_areas, themes)
    return DuplicateCandidate(
        project.id, other.id, other.kind, other.id in named, other.title, *shared
    )


def one_sided(cards: Mapping[str, Structure]) -> list[OneSidedSynergy]:
    """Synergies with another project that the other project does not list back."""
    return sorted(
        (
            OneSidedSynergy(card.id, other)
            for card in cards.values()
            for other in sorted(card.synergies)
            if other in cards and other != card.id and card.id not in cards[other].synergies
        ),
        key=lambda s: (s.project, s.other),
    )


def duplicate_candidates(ws: Workspace) -> list[DuplicateCandidate]:
    """Duplicate-structure candidates for the needs check, one per (project, other)."""
    return find_duplicates(structures(ws, current_phases(ws)), ws.areas, ws.config.city)


def current_phases(ws: Workspace) -> dict[str, str]:
    """Phase per project in the current cycle file (absent file or project → analysis)."""
    from zyklus.files.cycles import cycle_state

    year = ws.config.current_cycle
    cycle = cycle_state(ws, year) if year is not None else None
    if cycle is None:
        return {}
    return {pid: state.phase for pid, state in cycle.projects.items()}
