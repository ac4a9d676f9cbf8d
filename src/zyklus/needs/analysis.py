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
``compute(config, areas, table, structures, phases, selection=(indicator, period, level))``
    The same on data already loaded, e.g. with the phases of another cycle; helpers
    ``structures(ws, phases)`` and ``current_phases(ws)`` give its inputs.
``classify(value, city_value, direction, thresholds) -> (ratio, class_)``
``structures``, ``find_duplicates``, ``Structure``, ``DuplicateCandidate``
    Live in :mod:`zyklus.rules.duplicates` and are re-exported here.
``as_plain(analysis)``
    Same as ``dataclasses.asdict``, faster on big workspaces.

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
from zyklus.errors import Problem, UsageError
from zyklus.files.tables import AreaTable, IndicatorTable
from zyklus.models import CITYWIDE
from zyklus.rules.duplicates import DuplicateCandidate as DuplicateCandidate
from zyklus.rules.duplicates import OneSidedSynergy as OneSidedSynergy
from zyklus.rules.duplicates import Structure as Structure
from zyklus.rules.duplicates import current_phases as current_phases
from zyklus.rules.duplicates import duplicate_candidates as duplicate_candidates
from zyklus.rules.duplicates import find_duplicates as find_duplicates
from zyklus.rules.duplicates import one_sided
from zyklus.rules.duplicates import structures as structures
from zyklus.suggest import unknown

if TYPE_CHECKING:
    from zyklus.files.workspace import Workspace

Class = Literal["hotspot", "above", "at", "below"]
How = Literal["direct", "parent", "child", "citywide"]
REACHING_PHASES = frozenset(models.PHASES[1:])  # every phase after analysis
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


def as_plain(value: Any) -> Any:
    """What ``dataclasses.asdict`` gives, without its deep copies (big workspaces, issue 9)."""
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: as_plain(getattr(value, name)) for name in fields}
    if isinstance(value, tuple):
        return tuple(as_plain(v) for v in value)
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    return value


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
    areas, table, phases = ws.areas, ws.indicators, current_phases(ws)
    broken = {p.path for p in [*ws.cards.problems, *ws.offers.problems] if p.severity == "error"}
    notes = [Note("A-FILE-SKIPPED", path, None, {}) for path in sorted(broken)]
    items = structures(ws, phases)
    selection = (indicator, period, level)
    return compute(ws.config, areas, table, items, phases, selection, notes)


# --- the analysis on loaded data -------------------------------------------------------------

Selection = tuple[str | None, date | None, str | None]  # indicator, period, level


def compute(
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    items: list[Structure],
    phases: Mapping[str, str],
    selection: Selection = (None, None, None),
    notes: list[Note] | None = None,
) -> Analysis:
    """:func:`analyse` on data already loaded (tests and callers holding it use this)."""
    indicator, period, level = selection
    notes = list(notes or [])
    levels = _levels(areas)
    if level is not None and level not in levels:
        raise UsageError([unknown("A-UNKNOWN-LEVEL", level, levels)])
    infos = _indicators(config, table, indicator, period)
    city = _city(config, areas)
    if city is None and areas.areas:
        notes.append(Note("A-NO-CITY", "", None, {"roots": ", ".join(areas.roots)}))
    rankings: list[Ranking] = []
    hidden: list[HiddenHotspot] = []
    hotspots: dict[str, list[str]] = {}
    trends: list[Trend] = []
    for info in infos:
        if info.period is None:
            continue
        values = {a: v.value for a, v in table.at(info.id, info.period).items()}
        city_value = values.get(city) if city is not None else None
        if city is not None and city_value is None:
            params = {"indicator": info.id, "period": info.period}
            notes.append(Note("A-NO-CITY-VALUE", table.path, None, params))
        classes = {
            a: classify(v, city_value, info.direction, config.thresholds) for a, v in values.items()
        }
        share = info.aggregation == "share"
        for lvl in levels if level is None else [level]:
            ranking = _ranking(info, lvl, areas, values, classes if share else {}, city, city_value)
            if ranking.rows:
                rankings.append(ranking)
        chosen = {a for a in values if a != city and level in (None, areas.areas[a].level)}
        for a in [a for a in values if a in chosen] if share else []:
            if classes[a][1] == "hotspot":
                hotspots.setdefault(a, []).append(info.id)
                found = _hidden(info, a, areas, values, classes, city)
                hidden += [found] if found is not None else []
        notes += [] if share else _sum_notes(info, areas, table)
        trends += _trends(info, areas, table, [a for a in values if a == city or a in chosen])
    reaching = [s for s in items if s.kind == "project" and phases.get(s.id) in REACHING_PHASES]
    coverage, gaps = _coverage(config, areas, city, hotspots, reaching, phases)
    projects = {s.id: s for s in items if s.kind == "project"}
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
        one_sided_synergies=tuple(one_sided(projects)),
        trends=tuple(trends),
        notes=tuple(notes),
    )


def _indicators(
    config: models.Workspace, table: IndicatorTable, indicator: str | None, period: date | None
) -> list[IndicatorInfo]:
    """The selected indicators with their periods; the analysed one is the latest or ``period``."""
    declared = {i.id: i for i in config.indicators}
    if indicator is not None and indicator not in declared:
        raise UsageError([unknown("A-UNKNOWN-INDICATOR", indicator, declared)])
    infos = []
    for ind in [declared[indicator]] if indicator is not None else declared.values():
        periods = table.periods(ind.id)
        if period is not None:
            chosen = period if period in periods else None
        else:
            chosen = periods[-1] if periods else None
        label: dict[str, str] = {lang: models.local(ind.label, lang) for lang in models.LANGS}
        infos.append(
            IndicatorInfo(
                ind.id, label, ind.unit, ind.direction, ind.aggregation, tuple(periods), chosen
            )
        )
    if period is not None and not any(info.period for info in infos):
        available = sorted({p for info in infos for p in info.periods}) or "–"
        raise UsageError(
            [Problem("A-NO-PERIOD", params={"period": period, "available": available})]
        )
    return infos


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


Classes = dict[str, tuple[float | None, Class | None]]


def _ranking(
    info: IndicatorInfo,
    level: str,
    areas: AreaTable,
    values: dict[str, float],
    classes: Classes,
    city: str | None,
    city_value: float | None,
) -> Ranking:
    """Areas of ``level`` worst first; classes only for share indicators (``classes``)."""
    assert info.period is not None
    sign = 1 if info.direction == "higher_is_better" else -1
    table = areas.areas
    names = {a: areas.name(a) for a in values if a != city and table[a].level == level}
    members = sorted(names, key=lambda a: (sign * values[a], names[a], a))
    rows = []
    for rank, a in enumerate(members, 1):
        parent = table[a].parent
        ratio, class_ = classes.get(a, (None, None))
        diff = None if not classes or city_value is None else round(values[a] - city_value, 6)
        ratio = None if ratio is None else round(ratio, 4)
        pname = areas.name(parent) if parent is not None else None
        row = (rank, a, names[a], level, parent, pname, values[a], city_value, ratio, diff)
        rows.append(RankRow(*row, class_))
    ind = (info.id, info.unit, info.direction, info.aggregation, info.period)
    return Ranking(*ind, level, city, city_value, tuple(rows))


def _hidden(
    info: IndicatorInfo,
    area: str,
    areas: AreaTable,
    values: dict[str, float],
    classes: Classes,
    city: str | None,
) -> HiddenHotspot | None:
    """``area`` (a hotspot) when its parent is not the city and at or better than it."""
    parent = areas.areas[area].parent
    if parent is None or parent == city or parent not in values:
        return None
    parent_class, ratio = classes[parent][1], classes[area][0]
    if parent_class is None or ratio is None or not not_worse(parent_class, info.direction):
        return None
    assert info.period is not None
    own = (area, areas.name(area), areas.areas[area].level, values[area], round(ratio, 4))
    above = (parent, areas.name(parent), values[parent], parent_class)
    return HiddenHotspot(info.id, info.period, *own, *above)


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
            params: dict[str, Any] = {"area": parent, "name": areas.name(parent)}
            params.update(indicator=info.id)
            params.update(value=value.value, sum=total, children=len(children))
            params.update(diff=round(value.value - total, 6))
            out.append(Note("D-SUM-DIFF", table.path, value.line, params))
    return out


def _trends(
    info: IndicatorInfo, areas: AreaTable, table: IndicatorTable, members: list[str]
) -> list[Trend]:
    """Change against the latest earlier period in which the same area has a value."""
    assert info.period is not None
    earlier = [p for p in info.periods if p < info.period][::-1]
    up_is_worse = info.direction != "higher_is_better"
    out = []
    now_values, before_values = (
        table.at(info.id, info.period),
        [table.at(info.id, p) for p in earlier],
    )
    for a in members if earlier else []:
        now = now_values.get(a)
        before = next((v for values in before_values if (v := values.get(a))), None)
        if now is None or before is None:
            continue
        change = round(now.value - before.value, 6)
        development: Literal["worse", "better", "same"] = (
            "same" if change == 0 else "worse" if (change > 0) == up_is_worse else "better"
        )
        where = (a, areas.name(a), areas.areas[a].level, info.period, before.period)
        out.append(Trend(info.id, *where, now.value, before.value, change, development))
    return out


# --- coverage ------------------------------------------------------------------------------


def _coverage(
    config: models.Workspace,
    areas: AreaTable,
    city: str | None,
    hotspots: dict[str, list[str]],
    projects: list[Structure],
    phases: Mapping[str, str],
) -> tuple[list[CoverageRow], list[Gap]]:
    """Per hotspot and target group the projects that reach it; unreached hotspots.

    Projects are indexed by area, so each hotspot looks only at its own ancestors and
    descendants (issue 9: linear in the size of the hierarchy, not areas × projects).
    """
    by_area: dict[str, list[Structure]] = {}
    wide: list[Structure] = []
    for p in sorted(projects, key=lambda p: p.id):
        if any(a in (CITYWIDE, city) for a in p.areas):
            wide.append(p)
        for a in p.areas:
            by_area.setdefault(a, []).append(p)
    made: dict[tuple[str, How], Reach] = {}

    def reach(p: Structure, way: How) -> Reach:
        if (p.id, way) not in made:
            made[(p.id, way)] = Reach(p.id, p.title, phases.get(p.id, "analysis"), way)
        return made[(p.id, way)]

    rows: list[CoverageRow] = []
    gaps: list[Gap] = []
    for area in sorted(hotspots, key=lambda a: (areas.depth(a), areas.name(a), a)):
        meta = (area, areas.name(area), areas.areas[area].level, tuple(hotspots[area]))
        how: dict[str, tuple[How, Structure]] = {p.id: ("citywide", p) for p in wide}
        ways: list[tuple[How, list[str]]] = [
            ("child", areas.descendants(area)),
            ("parent", areas.ancestors(area)),
            ("direct", [area]),
        ]
        for way, places in ways:  # the closer way wins: later entries overwrite
            how.update((p.id, (way, p)) for place in places for p in by_area.get(place, ()))
        reached = [(reach(p, way), p) for _, (way, p) in sorted(how.items())]
        for group in config.target_groups:
            found = tuple(r for r, p in reached if group.id in p.target_groups)
            rows.append(CoverageRow(*meta, group.id, found))
        if not reached:
            gaps.append(Gap(*meta))
    return rows, gaps
