"""Duplicate structures (seed 6.2: „Abgleich mit den bereits vorhandenen Strukturen“).

Before a new offer is planned, the needs check compares it with what already exists:
other projects and the existing offers of ``offers/``. A pair is a candidate when it
shares a target group, overlapping areas and overlapping themes; the planner decides.
Candidates are ranked by how much they overlap (issue 18): the share of the project's target
groups the other serves, how specific the shared area is (the same area 1, one above or
below 0.6, citywide against local 0.25, citywide against citywide 0.5), the share of
shared themes, and whether their times overlap; an open side (no target group, no themes,
no dates) counts as partly overlapping. The strongest :data:`TOP` per project are listed
with their reasons, every acknowledged one too, and the rest is counted.
A rule of the needs gate; :mod:`zyklus.needs.analysis` re-exports these names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, NamedTuple

from zyklus import models
from zyklus.files import workers
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
    start: date | None = None  # of a card: when it runs (issue 18); None = open
    end: date | None = None


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
    # issue 18: how much the two overlap (0–1, product of the parts) and why
    score: float = 1.0
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class DuplicateRest:
    """Candidates of a project that are not listed: weaker ones, and those not compared."""

    project: str
    more: int  # compared, weaker than the ones listed
    unchecked: int  # at most this many structures beyond the comparison cap


@dataclass(frozen=True)
class OneSidedSynergy:
    project: str
    other: str


# The strongest few per project are listed (issue 18: 18 candidates for one project are
# noise); at most SCAN others are compared per project, nearest first (issue 20).
TOP = 5
SCAN = 60
# Area specificity: a citywide offer overlaps a local project less than a local one does.
_SAME, _NEAR, _WIDE_LOCAL, _WIDE_WIDE = 1.0, 0.6, 0.25, 0.5
_OPEN = 0.5  # a side that names no target group or no theme: cannot be ruled out
_TIME_OPEN = 0.8


def structures(ws: Workspace, phases: Mapping[str, str]) -> list[Structure]:
    """Valid cards that have not ended, then valid offers (broken files are skipped)."""
    cards = [card_structure(c) for c in ws.cards.items.values()]
    return still_open(cards, phases) + [offer_structure(o) for o in ws.offers.items.values()]


def card_structure(card: models.Card) -> Structure:
    """A card as the duplicate check compares it (made where it was parsed: ``status``)."""
    scope = (tuple(card.areas), tuple(card.target_groups), tuple(card.themes))
    named = (frozenset(card.synergies), frozenset(card.existing_offers))
    return Structure(card.id, "project", card.title, *scope, *named, card.start, card.end)


def offer_structure(offer: models.Offer) -> Structure:
    scope = (tuple(offer.areas), tuple(offer.target_groups), tuple(offer.themes))
    return Structure(offer.id, "offer", offer.title, *scope)


def still_open(cards: Iterable[Structure], phases: Mapping[str, str]) -> list[Structure]:
    """The cards whose project has not ended (absent from the cycle: analysis)."""
    return [c for c in cards if phases.get(c.id, "analysis") not in models.END_STATES]


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def find_duplicates(
    items: list[Structure], areas: AreaTable, city: str | None, *, top: int | None = TOP
) -> list[DuplicateCandidate]:
    """Per project the strongest candidates (``top``; None = all compared) and every
    acknowledged one; :func:`find_duplicates_counted` also says how many were left out."""
    return find_duplicates_counted(items, areas, city, top=top)[0]


def find_duplicates_counted(
    items: list[Structure], areas: AreaTable, city: str | None, *, top: int | None = TOP
) -> tuple[list[DuplicateCandidate], list[DuplicateRest]]:
    """Candidates (shared target group, overlapping areas and themes, overlapping time)
    of every project, through one :class:`DuplicateIndex`."""
    index = DuplicateIndex(items, areas, city)
    out: list[DuplicateCandidate] = []
    rest: list[DuplicateRest] = []
    for found, left in search_many(index, index.projects, top=top):
        out += found
        if left is not None:
            rest.append(left)
    out.sort(key=lambda d: (d.project, d.other_kind != "project", d.other))
    return out, rest


class DuplicateIndex:
    """The structures indexed by (area, target group), built once; :meth:`search` compares
    one project with its neighbours.

    Each project meets the structures of its own areas first, then those of the areas above
    and below it, then the citywide ones, and compares at most :data:`SCAN` of them (issue
    20: near-linear however many share a bucket). A project's search depends on the index
    only, so a gate asks for the few projects it checks (issue 21: ``status`` of 10 000
    projects searched every project to warn about the ones in *needs*).
    """

    def __init__(self, items: list[Structure], areas: AreaTable, city: str | None) -> None:
        self.areas = areas
        self.projects = [i for i in items if i.kind == "project"]
        self.by_id: dict[str, list[Structure]] = {}
        for item in self.projects:
            self.by_id.setdefault(item.id, []).append(item)

        def is_wide(item: Structure) -> bool:
            return not item.areas or any(a in (CITYWIDE, city) for a in item.areas)

        self.wide: set[tuple[str, str]] = {(i.kind, i.id) for i in items if is_wide(i)}
        self.by_place: dict[tuple[str, str], list[Structure]] = {}  # group "" = open
        self.wide_by_group: dict[str, list[Structure]] = {}
        self.local_by_group: dict[str, list[Structure]] = {}
        for item in items:
            key = (item.kind, item.id)
            for group in item.target_groups or ("",):
                if key in self.wide:
                    self.wide_by_group.setdefault(group, []).append(item)
                    continue
                self.local_by_group.setdefault(group, []).append(item)
                for area in item.areas:
                    self.by_place.setdefault((area, group), []).append(item)
        self.placed = {area for area, _ in self.by_place}
        self._near: dict[str, list[str]] = {}
        self._around_sizes: dict[tuple[str, str], int] = {}
        self._around_found: dict[tuple[str, tuple[str, ...]], list[list[Structure]]] = {}
        # what a comparison reads of each structure, worked out once, not once per pair
        # (issue 21: a search compares up to SCAN others, the report searches every project)
        self._prepared: dict[int, _Prepared] = {}  # by id(): each when first compared
        self._related: dict[str, frozenset[str]] = {}

    def _around(self, area: str) -> list[str]:
        """Areas above and below ``area`` that hold a structure, nearest first."""
        if area not in self._near:
            up = self.areas.ancestors(area)
            down = [a for a in self.areas.descendants(area) if a in self.placed]
            self._near[area] = [a for a in up if a in self.placed] + down
        return self._near[area]

    def _prepare(self, item: Structure) -> _Prepared:
        found = self._prepared.get(id(item))
        if found is not None and found.item is item:
            return found
        return _prepare(item, self.wide)  # not compared yet, or from outside the index

    def _related_to(self, area: str) -> frozenset[str]:
        """The areas above and below ``area``: where a near candidate may stand."""
        related = self._related.get(area)
        if related is None:
            areas = self.areas
            related = self._related[area] = frozenset(
                (*areas.ancestors(area), *areas.descendants(area))
            )
        return related

    def _bucket_sizes(self, project: Structure) -> int:
        """How many structures :meth:`_buckets` holds for ``project``, in all (issue 21:
        160 buckets per project at 10 000, walked only to count what was not compared)."""
        groups = (*project.target_groups, "")
        if (project.kind, project.id) in self.wide:
            everywhere = (self.wide_by_group, self.local_by_group)
            return sum(len(by_group.get(g, ())) for by_group in everywhere for g in groups)
        by_place = self.by_place
        total = sum(len(by_place.get((a, g), ())) for a in project.areas for g in groups)
        total += sum(self._around_size(a, g) for a in project.areas for g in groups)
        return total + sum(len(self.wide_by_group.get(g, ())) for g in groups)

    def _around_size(self, area: str, group: str) -> int:
        """The structures of ``group`` in the areas above and below ``area``."""
        size = self._around_sizes.get((area, group))
        if size is None:
            size = sum(len(self.by_place.get((x, group), ())) for x in self._around(area))
            self._around_sizes[(area, group)] = size
        return size

    def _around_buckets(self, area: str, groups: tuple[str, ...]) -> list[list[Structure]]:
        """The buckets of ``groups`` in the areas above and below ``area``, nearest first,
        the empty ones left out (kept: most of them are, and a search met 150)."""
        key = (area, groups)
        found = self._around_found.get(key)
        if found is None:
            by_place = self.by_place
            nearby = (by_place.get((x, g)) for x in self._around(area) for g in groups)
            found = self._around_found[key] = [bucket for bucket in nearby if bucket]
        return found

    def _buckets(self, project: Structure) -> Iterator[list[Structure]]:
        groups = (*project.target_groups, "")
        if (project.kind, project.id) in self.wide:
            yield from (self.wide_by_group.get(g, []) for g in groups)
            yield from (self.local_by_group.get(g, []) for g in groups)
            return
        by_place = self.by_place
        yield from (by_place.get((a, g), []) for a in project.areas for g in groups)
        for area in project.areas:
            yield from self._around_buckets(area, groups)
        yield from (self.wide_by_group.get(g, []) for g in groups)

    def search(
        self, project: Structure, *, top: int | None = TOP
    ) -> tuple[list[DuplicateCandidate], DuplicateRest | None]:
        """The project's acknowledged candidates, then its strongest ``top`` others (None:
        all compared), and what was left out."""
        mine = self._prepare(project)
        prepared = self._prepared
        seen: set[tuple[str, str]] = {mine.key}
        found: list[DuplicateCandidate] = []
        unchecked = 0
        compared = 0
        visited = 0  # structures met in the buckets, compared or seen before
        own = mine.themes.keys()
        for bucket in self._buckets(project):
            if compared >= SCAN:
                break
            for other in bucket:
                if compared >= SCAN:
                    break
                visited += 1
                theirs = prepared.get(id(other))
                if theirs is None:
                    theirs = prepared[id(other)] = _prepare(other, self.wide)
                if theirs.key in seen:
                    continue
                seen.add(theirs.key)
                compared += 1
                if own and theirs.themes and own.isdisjoint(theirs.themes):
                    continue  # themes named on both sides and none shared: no candidate
                candidate = _candidate(project, other, mine, theirs, self._related_to)
                if candidate is not None:
                    found.append(candidate)
        if compared >= SCAN:  # the rest of the buckets, counted without walking them
            unchecked = self._bucket_sizes(project) - visited
        named = [d for d in found if d.acknowledged]
        ranked = sorted(
            (d for d in found if not d.acknowledged),
            key=lambda d: (-d.score, d.other_kind != "project", d.other),
        )
        shown = ranked if top is None else ranked[:top]
        rest = None
        if len(ranked) > len(shown) or unchecked:
            rest = DuplicateRest(project.id, len(ranked) - len(shown), unchecked)
        return named + shown, rest


Search = tuple[list[DuplicateCandidate], "DuplicateRest | None"]
PARALLEL_FROM = 400  # searches; below this, forking the workers costs more than it saves


def search_many(
    index: DuplicateIndex, projects: Sequence[Structure], *, top: int | None = TOP
) -> list[Search]:
    """:meth:`DuplicateIndex.search` of each project, in their order.

    Many searches are shared out to forked workers, which inherit the index built here and
    send back only what they found (issue 21: ``status`` searches the projects in *needs*
    after every card is read, the one part of its work that nothing else overlaps).
    """
    count = workers.jobs(len(projects), PARALLEL_FROM)
    if count == 1:
        return [index.search(project, top=top) for project in projects]
    shared = (index, projects, top)
    with workers.collector_paused(freeze=True), workers.pool(count, shared) as pool:
        return list(pool.imap(_search_shared, range(len(projects)), 32))


def _search_shared(position: int) -> Search:
    """In a worker: the search of one of the projects its pool was forked with."""
    index, projects, top = workers.inherited()
    return index.search(projects[position], top=top)  # type: ignore[no-any-return]


class _Prepared(NamedTuple):
    """What :func:`_candidate` reads of one structure, worked out once per index."""

    item: Structure
    key: tuple[str, str]
    wide: bool
    themes: dict[str, str]  # normalised → as written (the last of equal ones)
    areas: frozenset[str]


def _prepare(item: Structure, wide: set[tuple[str, str]]) -> _Prepared:
    key = (item.kind, item.id)
    themes = {_norm(t): t for t in item.themes}
    return _Prepared(item, key, key in wide, themes, frozenset(item.areas))


def _candidate(
    project: Structure,
    other: Structure,
    mine: _Prepared,
    theirs: _Prepared,
    related: Callable[[str], frozenset[str]],
) -> DuplicateCandidate | None:
    """The pair as a candidate, or None. Pairs whose themes are both named and disjoint
    never get here: :meth:`DuplicateIndex.search` rules them out first (three of four
    pairs, issue 21)."""
    own = mine.themes
    their_themes = theirs.themes
    tgs = other.target_groups
    groups = tuple(g for g in project.target_groups if not tgs or g in tgs)
    if not groups:
        return None
    project_wide = mine.wide
    other_wide = theirs.wide
    reasons: list[str] = []
    if project_wide or other_wide:
        shared_areas = project.areas
        specificity = _WIDE_WIDE if project_wide and other_wide else _WIDE_LOCAL
        reasons.append("dup-area-citywide")
    else:
        theirs_areas = theirs.areas
        same = tuple(a for a in project.areas if a in theirs_areas)
        if same:
            shared_areas, specificity = same, _SAME
            reasons.append("dup-area-same")
        else:
            shared_areas = tuple(
                a for a in project.areas if not theirs_areas.isdisjoint(related(a))
            )
            specificity = _NEAR
            reasons.append("dup-area-near")
    if not shared_areas:
        return None
    themes = tuple(t for n, t in own.items() if n in their_themes)
    when = _time(project, other)
    if when == 0.0:
        return None
    share = len(groups) / len(project.target_groups) if tgs else _OPEN
    reasons.insert(0, "dup-group-shared" if tgs else "dup-group-open")
    if own and their_themes:
        theme_score = len(themes) / len(own.keys() | their_themes.keys())
        reasons.append("dup-themes-shared")
    else:
        theme_score = _OPEN
        reasons.append("dup-themes-open")
    reasons.append("dup-time-overlap" if when == 1.0 else "dup-time-open")
    score = round(share * specificity * theme_score * when, 3)
    named = project.synergies if other.kind == "project" else project.existing_offers
    shared = (groups, shared_areas, themes)
    return DuplicateCandidate(
        project.id,
        other.id,
        other.kind,
        other.id in named,
        other.title,
        *shared,
        score,
        tuple(reasons),
    )


def _time(a: Structure, b: Structure) -> float:
    """1 when both name when they run and the times overlap, 0 when they do not, else open."""
    if (a.start is None and a.end is None) or (b.start is None and b.end is None):
        return _TIME_OPEN
    a_from, a_to = a.start or date.min, a.end or date.max
    b_from, b_to = b.start or date.min, b.end or date.max
    return 1.0 if a_from <= b_to and b_from <= a_to else 0.0


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


def duplicate_index(
    ws: Workspace, scanned: tuple[Iterable[Structure], Iterable[Structure]] | None = None
) -> DuplicateIndex:
    """The index the needs gate searches, one project at a time (phases of the current
    cycle, as :func:`duplicate_candidates`). ``scanned``: the structures of the cards and
    of the offers, made where they were parsed (else made here from the models)."""
    phases = current_phases(ws)
    if scanned is None:
        items = structures(ws, phases)
    else:
        items = still_open(scanned[0], phases) + list(scanned[1])
    return DuplicateIndex(items, ws.areas, ws.config.city)


def current_phases(ws: Workspace) -> dict[str, str]:
    """Phase per project in the current cycle file (absent file or project → analysis)."""
    from zyklus.files.cycles import cycle_state

    year = ws.config.current_cycle
    cycle = cycle_state(ws, year) if year is not None else None
    if cycle is None:
        return {}
    return {pid: state.phase for pid, state in cycle.projects.items()}
