"""Small-area analysis (issue 5): where the needs are, who reaches them, what is duplicated.

Needs are found on the smallest spatial level available, because averages hide them:
Querenburg is below Bochum's average (6,8 % vs 6,9 %), yet its BA districts 554 and 557
are among the worst places in the city (seed ch. 2.1, Table 2; ch. 6.1). The core returns
plain frozen dataclasses; ``zyklus analyse`` and the report render them, the needs → goals
gate reads :func:`duplicate_candidates`. Nothing here prints.

Public API (names are stable):

``analyse(ws, *, indicator=None, period=None, level=None) -> Analysis``
    ``Analysis`` holds ``rankings`` (:class:`Ranking` per indicator and level, rows
    :class:`RankRow`: area, name, level, parent, value, city_value, ratio, diff_pp, class_),
    ``hidden_hotspots`` (:class:`HiddenHotspot`), ``coverage`` (:class:`CoverageRow`: hotspot
    area × target group → :class:`Reach` project + how), ``gaps`` (:class:`Gap`),
    ``duplicates`` (:class:`DuplicateCandidate`), ``one_sided_synergies``, ``trends``
    (:class:`Trend`), ``notes`` (:class:`Note`, e.g. ``D-SUM-DIFF``), ``illustrative``.
    ``dataclasses.asdict`` gives JSON-ready data (dates: ``date.isoformat``).
``duplicate_candidates(ws) -> list[DuplicateCandidate]``
    One entry per (project, other) direction; ``acknowledged`` when the card lists the
    offer in ``existing_offers`` or the other project in ``synergies``.
``classify(value, city_value, direction, thresholds) -> (ratio, class_)``

Definitions (documented in the README):

* class: ``hotspot`` when value ≥ hotspot_ratio × city value (higher_is_worse) or
  value ≤ city value / hotspot_ratio (higher_is_better); else ``at`` within ± at_tolerance
  of the city value; else ``above``/``below`` (the value's side of the city value).
  Classes apply to ``share`` indicators; ``sum`` indicators are listed by value only.
* hidden hotspot: a hotspot whose parent (not the city itself) has a value and is at the
  city value or on its better side.
* reach: a project in phase needs … evaluation of the current cycle reaches a hotspot
  ``direct``\\ly, through a ``parent`` (any ancestor) or ``child`` (any descendant) area,
  or ``citywide``. A card not in the cycle counts as phase analysis.
* duplicate candidate: same target group, overlapping areas (citywide overlaps all,
  ancestors and descendants overlap), overlapping themes (case-insensitive). What a side
  leaves open (no themes; an offer without areas or target groups) cannot rule a
  duplicate out and counts as overlapping. Projects that ended (done, stopped) are no
  structure any more and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from zyklus import models
from zyklus.data import CITYWIDE, AreaTable, IndicatorTable
from zyklus.errors import Problem, UsageError
from zyklus.suggest import unknown

if TYPE_CHECKING:
    from zyklus.workspace import Workspace

Class = Literal["hotspot", "above", "at", "below"]
How = Literal["direct", "parent", "child", "citywide"]
HOW_ORDER: tuple[How, ...] = ("direct", "parent", "child", "citywide")
REACHING_PHASES = frozenset(("needs", "goals", "planning", "implementation", "evaluation"))
_EPS = 1e-9


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    label: dict[str, str]
    unit: str
    direction: str
    aggregation: str
    periods: tuple[date, ...]
    period: date | None  # the one analysed


@dataclass(frozen=True)
class RankRow:
    rank: int
    area: str
    name: str
    level: str
    parent: str | None
    parent_name: str | None
    value: float
    city_value: float | None
    ratio: float | None
    diff_pp: float | None
    class_: Class | None


@dataclass(frozen=True)
class Ranking:
    indicator: str
    unit: str
    direction: str
    aggregation: str
    period: date
    level: str
    city: str | None
    city_value: float | None
    rows: tuple[RankRow, ...]


@dataclass(frozen=True)
class HiddenHotspot:
    indicator: str
    period: date
    area: str
    name: str
    level: str
    value: float
    ratio: float
    parent: str
    parent_name: str
    parent_value: float
    parent_class: Class


@dataclass(frozen=True)
class Reach:
    project: str
    title: str
    phase: str
    how: How


@dataclass(frozen=True)
class CoverageRow:
    area: str
    name: str
    level: str
    indicators: tuple[str, ...]
    target_group: str
    projects: tuple[Reach, ...]


@dataclass(frozen=True)
class Gap:
    area: str
    name: str
    level: str
    indicators: tuple[str, ...]


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


@dataclass(frozen=True)
class Trend:
    indicator: str
    area: str
    name: str
    level: str
    period: date
    previous_period: date
    value: float
    previous_value: float
    change: float
    development: Literal["worse", "better", "same"]


@dataclass(frozen=True)
class Note:
    """A finding about the data that is no error, e.g. children not adding up to the parent."""

    code: str
    path: str
    line: int | None
    params: dict[str, Any]


@dataclass(frozen=True)
class Analysis:
    workspace: str
    city: str | None
    city_name: str | None
    illustrative: bool
    hotspot_ratio: float
    at_tolerance: float
    cycle: int | None
    indicators: tuple[IndicatorInfo, ...]
    rankings: tuple[Ranking, ...]
    hidden_hotspots: tuple[HiddenHotspot, ...]
    coverage: tuple[CoverageRow, ...]
    gaps: tuple[Gap, ...]
    duplicates: tuple[DuplicateCandidate, ...]
    one_sided_synergies: tuple[OneSidedSynergy, ...]
    trends: tuple[Trend, ...]
    notes: tuple[Note, ...]


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


# --- classification ------------------------------------------------------------------------


def classify(
    value: float, city_value: float | None, direction: str, thresholds: models.Thresholds
) -> tuple[float | None, Class | None]:
    """Ratio to the city value and the class; none when there is no positive city value."""
    if city_value is None or city_value <= 0:
        return None, None
    ratio = value / city_value
    if direction == "higher_is_better":
        hotspot = ratio <= 1 / thresholds.hotspot_ratio + _EPS
    else:
        hotspot = ratio >= thresholds.hotspot_ratio - _EPS
    if hotspot:
        return ratio, "hotspot"
    if abs(ratio - 1) <= thresholds.at_tolerance + _EPS:
        return ratio, "at"
    return ratio, "above" if ratio > 1 else "below"


def not_worse(class_: Class | None, direction: str) -> bool:
    """At the city value or on its better side."""
    good = "above" if direction == "higher_is_better" else "below"
    return class_ in ("at", good)


# --- entry points --------------------------------------------------------------------------


def analyse(
    ws: Workspace,
    *,
    indicator: str | None = None,
    period: date | None = None,
    level: str | None = None,
) -> Analysis:
    """Analyse the workspace's data, cards and offers; raises LoadError on bad data files."""
    config = ws.config
    areas, table = ws.areas, ws.indicators
    phases = current_phases(ws)
    broken = {p.path for p in [*ws.cards.problems, *ws.offers.problems] if p.severity == "error"}
    return compute(
        config,
        areas,
        table,
        structures(ws, phases),
        phases,
        indicator=indicator,
        period=period,
        level=level,
        notes=[Note("A-FILE-SKIPPED", path, None, {}) for path in sorted(broken)],
    )


def duplicate_candidates(ws: Workspace) -> list[DuplicateCandidate]:
    """Duplicate-structure candidates for the needs check, one per (project, other)."""
    city = ws.config.city
    return find_duplicates(structures(ws, current_phases(ws)), ws.areas, city)


def current_phases(ws: Workspace) -> dict[str, str]:
    """Phase per project in the current cycle file (absent file or project → analysis)."""
    from zyklus.validation import load_model

    year = ws.config.current_cycle
    if year is None:
        return {}
    path = ws.cycle_path(year)
    if not path.is_file():
        return {}
    cycle = load_model(path, models.CycleState, ws.display(path))
    return {pid: state.phase for pid, state in cycle.projects.items()}


def structures(ws: Workspace, phases: Mapping[str, str]) -> list[Structure]:
    """Valid cards that have not ended, then valid offers (broken files are skipped)."""
    out = [
        Structure(
            card.id,
            "project",
            card.title,
            tuple(card.areas),
            tuple(card.target_groups),
            tuple(card.themes),
            frozenset(card.synergies),
            frozenset(card.existing_offers),
        )
        for card in ws.cards.items.values()
        if phases.get(card.id, "analysis") not in models.END_STATES
    ]
    out += [
        Structure(
            offer.id,
            "offer",
            offer.title,
            tuple(offer.areas),
            tuple(offer.target_groups),
            tuple(offer.themes),
        )
        for offer in ws.offers.items.values()
    ]
    return out


# --- the analysis on loaded data -------------------------------------------------------------


def compute(
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    items: list[Structure],
    phases: Mapping[str, str],
    *,
    indicator: str | None = None,
    period: date | None = None,
    level: str | None = None,
    notes: list[Note] | None = None,
) -> Analysis:
    """:func:`analyse` on data already loaded (tests and callers holding it use this)."""
    notes = list(notes or [])
    declared = {i.id: i for i in config.indicators}
    if indicator is not None and indicator not in declared:
        raise UsageError([unknown("A-UNKNOWN-INDICATOR", indicator, declared)])
    levels = _levels(areas)
    if level is not None and level not in levels:
        raise UsageError([unknown("A-UNKNOWN-LEVEL", level, levels)])
    city = _city(config, areas)
    if city is None and areas.areas:
        notes.append(Note("A-NO-CITY", "", None, {"roots": ", ".join(areas.roots)}))
    selected = [declared[indicator]] if indicator is not None else list(declared.values())
    infos: list[IndicatorInfo] = []
    for ind in selected:
        periods = table.periods(ind.id)
        chosen: date | None
        if period is not None:
            chosen = period if period in periods else None
        else:
            chosen = periods[-1] if periods else None
        infos.append(
            IndicatorInfo(
                ind.id,
                {lang: models.local(ind.label, lang) for lang in models.LANGS},
                ind.unit,
                ind.direction,
                ind.aggregation,
                tuple(periods),
                chosen,
            )
        )
    if period is not None and not any(info.period for info in infos):
        available = sorted({p for info in infos for p in info.periods})
        raise UsageError(
            [Problem("A-NO-PERIOD", params={"period": period, "available": available or "–"})]
        )
    rankings: list[Ranking] = []
    hidden: list[HiddenHotspot] = []
    hotspots: dict[str, list[str]] = {}
    trends: list[Trend] = []
    for info in infos:
        if info.period is None:
            continue
        values = {a: v.value for a, v in table.at(info.id, info.period).items()}
        if city is not None and city not in values:
            notes.append(
                Note(
                    "A-NO-CITY-VALUE",
                    table.path,
                    None,
                    {"indicator": info.id, "period": info.period},
                )
            )
        city_value = values.get(city) if city is not None else None
        classes = {
            a: classify(v, city_value, info.direction, config.thresholds) for a, v in values.items()
        }
        share = info.aggregation == "share"
        for lvl in levels:
            if level is None or lvl == level:
                ranking = _ranking(info, lvl, areas, values, classes, city, city_value, share)
                if ranking.rows:
                    rankings.append(ranking)
        in_level = [
            a for a in values if a != city and (level is None or areas.areas[a].level == level)
        ]
        if share:
            for a in in_level:
                if classes[a][1] == "hotspot":
                    hotspots.setdefault(a, []).append(info.id)
                    found = _hidden(info, a, areas, values, classes, city)
                    if found is not None:
                        hidden.append(found)
        else:
            notes += _sum_notes(info, areas, table)
        trends += _trends(info, areas, table, [a for a in values if a == city or a in in_level])
    reaching = [s for s in items if s.kind == "project" and phases.get(s.id) in REACHING_PHASES]
    coverage, gaps = _coverage(config, areas, city, hotspots, reaching, phases)
    cards = {s.id: s for s in items if s.kind == "project"}
    return Analysis(
        workspace=config.name,
        city=city,
        city_name=areas.name(city) if city is not None else None,
        illustrative=config.illustrative,
        hotspot_ratio=config.thresholds.hotspot_ratio,
        at_tolerance=config.thresholds.at_tolerance,
        cycle=config.current_cycle,
        indicators=tuple(infos),
        rankings=tuple(rankings),
        hidden_hotspots=tuple(hidden),
        coverage=tuple(coverage),
        gaps=tuple(gaps),
        duplicates=tuple(find_duplicates(items, areas, city)),
        one_sided_synergies=tuple(_one_sided(cards)),
        trends=tuple(trends),
        notes=tuple(notes),
    )


def _levels(areas: AreaTable) -> list[str]:
    """Level names ordered from the top of the hierarchy down."""
    depth: dict[str, int] = {}
    for area in areas.areas.values():
        d = areas.depth(area.id)
        depth[area.level] = min(d, depth.get(area.level, d))
    return sorted(depth, key=lambda lvl: (depth[lvl], lvl))


def _city(config: models.Workspace, areas: AreaTable) -> str | None:
    if config.city is not None and config.city in areas:
        return config.city
    roots = areas.roots
    return roots[0] if len(roots) == 1 and config.city is None else None


def _ranking(
    info: IndicatorInfo,
    level: str,
    areas: AreaTable,
    values: dict[str, float],
    classes: dict[str, tuple[float | None, Class | None]],
    city: str | None,
    city_value: float | None,
    share: bool,
) -> Ranking:
    assert info.period is not None
    sign = 1 if info.direction == "higher_is_better" else -1
    members = sorted(
        (a for a in values if a != city and areas.areas[a].level == level),
        key=lambda a: (sign * values[a], areas.name(a), a),
    )
    rows = []
    for rank, a in enumerate(members, 1):
        parent = areas.areas[a].parent
        ratio, class_ = classes[a] if share else (None, None)
        diff = values[a] - city_value if share and city_value is not None else None
        rows.append(
            RankRow(
                rank,
                a,
                areas.name(a),
                level,
                parent,
                areas.name(parent) if parent is not None else None,
                values[a],
                city_value,
                None if ratio is None else round(ratio, 4),
                None if diff is None else round(diff, 6),
                class_,
            )
        )
    return Ranking(
        info.id,
        info.unit,
        info.direction,
        info.aggregation,
        info.period,
        level,
        city,
        city_value,
        tuple(rows),
    )


def _hidden(
    info: IndicatorInfo,
    area: str,
    areas: AreaTable,
    values: dict[str, float],
    classes: dict[str, tuple[float | None, Class | None]],
    city: str | None,
) -> HiddenHotspot | None:
    parent = areas.areas[area].parent
    if parent is None or parent == city or parent not in values:
        return None
    parent_class = classes[parent][1]
    ratio = classes[area][0]
    if parent_class is None or ratio is None or not not_worse(parent_class, info.direction):
        return None
    assert info.period is not None
    return HiddenHotspot(
        info.id,
        info.period,
        area,
        areas.name(area),
        areas.areas[area].level,
        values[area],
        round(ratio, 4),
        parent,
        areas.name(parent),
        values[parent],
        parent_class,
    )


def _sum_notes(info: IndicatorInfo, areas: AreaTable, table: IndicatorTable) -> list[Note]:
    """Parents whose value differs from the sum of their children (all children known)."""
    assert info.period is not None
    at = table.at(info.id, info.period)
    out = []
    for parent, value in at.items():
        children = areas.children.get(parent, [])
        if not children or any(c not in at for c in children):
            continue
        total = sum(at[c].value for c in children)
        if abs(total - value.value) > _EPS * max(1.0, abs(value.value)):
            params = {
                "area": parent,
                "name": areas.name(parent),
                "indicator": info.id,
                "value": value.value,
                "sum": total,
                "children": len(children),
                "diff": round(value.value - total, 6),
            }
            out.append(Note("D-SUM-DIFF", table.path, value.line, params))
    return out


def _trends(
    info: IndicatorInfo, areas: AreaTable, table: IndicatorTable, members: list[str]
) -> list[Trend]:
    """Change against the latest earlier period in which the same area has a value."""
    assert info.period is not None
    earlier = [p for p in info.periods if p < info.period][::-1]
    if not earlier:
        return []
    out = []
    for a in members:
        now = table.get(a, info.id, info.period)
        before = next((v for p in earlier if (v := table.get(a, info.id, p))), None)
        if now is None or before is None:
            continue
        change = round(now.value - before.value, 6)
        up_is_worse = info.direction != "higher_is_better"
        development: Literal["worse", "better", "same"] = (
            "same" if change == 0 else "worse" if (change > 0) == up_is_worse else "better"
        )
        out.append(
            Trend(
                info.id,
                a,
                areas.name(a),
                areas.areas[a].level,
                info.period,
                before.period,
                now.value,
                before.value,
                change,
                development,
            )
        )
    return out


# --- coverage ------------------------------------------------------------------------------


def _how(project: Structure, area: str, areas: AreaTable, city: str | None) -> How | None:
    above = set(areas.ancestors(area))
    found: set[How] = set()
    for own in project.areas:
        if own in (CITYWIDE, city):
            found.add("citywide")
        elif own == area:
            found.add("direct")
        elif own in above:
            found.add("parent")
        elif area in areas.ancestors(own):
            found.add("child")
    return next((h for h in HOW_ORDER if h in found), None)


def _coverage(
    config: models.Workspace,
    areas: AreaTable,
    city: str | None,
    hotspots: dict[str, list[str]],
    projects: list[Structure],
    phases: Mapping[str, str],
) -> tuple[list[CoverageRow], list[Gap]]:
    rows: list[CoverageRow] = []
    gaps: list[Gap] = []
    order = sorted(hotspots, key=lambda a: (areas.depth(a), areas.name(a), a))
    for area in order:
        meta = areas.areas[area]
        reached = False
        hows = {p.id: _how(p, area, areas, city) for p in projects}
        for group in config.target_groups:
            reach = tuple(
                Reach(p.id, p.title, phases.get(p.id, "analysis"), how)
                for p in sorted(projects, key=lambda p: p.id)
                if group.id in p.target_groups and (how := hows[p.id]) is not None
            )
            reached = reached or bool(reach)
            rows.append(
                CoverageRow(
                    area, areas.name(area), meta.level, tuple(hotspots[area]), group.id, reach
                )
            )
        if not reached:
            gaps.append(Gap(area, areas.name(area), meta.level, tuple(hotspots[area])))
    return rows, gaps


# --- duplicate structures (seed 6.2: „Abgleich mit den bereits vorhandenen Strukturen“) --------


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def find_duplicates(
    items: list[Structure], areas: AreaTable, city: str | None
) -> list[DuplicateCandidate]:
    """Every (project, other) with shared target group, overlapping areas and themes.

    Indexed by target group, so the work grows with the number of candidates found, not
    with the square of the number of projects and offers.
    """
    by_group: dict[str, list[Structure]] = {}
    open_group: list[Structure] = []
    for item in items:
        if not item.target_groups:
            open_group.append(item)
        for group in item.target_groups:
            by_group.setdefault(group, []).append(item)
    reach: dict[str, set[str]] = {}

    def near(area: str) -> set[str]:
        if area not in reach:
            reach[area] = {area, *areas.ancestors(area), *areas.descendants(area)}
        return reach[area]

    def citywide(item: Structure) -> bool:
        return not item.areas or any(a in (CITYWIDE, city) for a in item.areas)

    out: list[DuplicateCandidate] = []
    for project in (i for i in items if i.kind == "project"):
        seen: set[tuple[str, str]] = {(project.kind, project.id)}
        own_themes = {_norm(t): t for t in project.themes}
        for other in [
            *(o for g in project.target_groups for o in by_group.get(g, ())),
            *open_group,
        ]:
            key = (other.kind, other.id)
            if key in seen:
                continue
            seen.add(key)
            groups = tuple(
                g
                for g in project.target_groups
                if g in other.target_groups or not other.target_groups
            )
            if citywide(project) or citywide(other):
                shared_areas = project.areas
            else:
                targets = set(other.areas)
                shared_areas = tuple(a for a in project.areas if near(a) & targets)
            other_themes = {_norm(t) for t in other.themes}
            themes = tuple(t for n, t in own_themes.items() if n in other_themes)
            if not groups or not shared_areas or (own_themes and other_themes and not themes):
                continue
            out.append(
                DuplicateCandidate(
                    project.id,
                    other.id,
                    other.kind,
                    other.id
                    in (project.synergies if other.kind == "project" else project.existing_offers),
                    other.title,
                    groups,
                    shared_areas,
                    themes,
                )
            )
    out.sort(key=lambda d: (d.project, d.other_kind != "project", d.other))
    return out


def _one_sided(cards: Mapping[str, Structure]) -> list[OneSidedSynergy]:
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
