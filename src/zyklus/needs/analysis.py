"""Small-area analysis (issues 5, 18): where the needs are, who reaches them, what is duplicated.

Needs are found on the smallest spatial level available, because averages hide them:
Querenburg is below Bochum's average (6,8 % vs 6,9 %), yet its BA districts 554 and 557
are among the worst places in the city (seed ch. 2.1, Table 2; ch. 6.1). The core returns
plain frozen dataclasses (:mod:`zyklus.needs.results`); ``zyklus analyse`` and the report
render them, the needs → goals gate reads :func:`duplicate_candidates`. Nothing here prints.

Public API (names are stable):

``analyse(ws, *, indicator=None, period=None, level=None, include_small=False,
every_level=False) -> Analysis``
    ``Analysis`` holds ``rankings`` (:class:`Ranking` per indicator and level, rows
    :class:`RankRow`), ``hidden_hotspots`` (:class:`HiddenHotspot`; with ``every_level``
    also ``hidden_every_level``), ``coverage``, ``gaps``, ``duplicates`` (the strongest
    per project, ``duplicates_more`` counts the rest), ``one_sided_synergies``, ``trends``
    (:class:`Trend`: last step and whole series), ``categories`` (:class:`CategoryView`),
    ``notes`` (:class:`Note`), ``illustrative``. ``as_plain`` gives JSON-ready data.
``compute(config, areas, table, structures, phases, selection=(indicator, period, level),
notes=None, *, include_small=False, every_level=False, crosswalk=None)``
    The same on data already loaded, e.g. with the phases of another cycle.
``classify(value, city_value, direction, thresholds) -> (ratio, class_)``
``classify_sd(value, reference, sd, direction, thresholds) -> (units, class_)``
``duplicate_candidates``, ``structures``, ``find_duplicates``, ``Structure``, ``current_phases``
    Live in :mod:`zyklus.rules.duplicates` and are re-exported here.

Definitions (documented in the README):

* class of a share: ``hotspot`` when value ≥ hotspot_ratio × city value (higher_is_worse)
  or value ≤ city value / hotspot_ratio (higher_is_better); else ``at`` within
  ± at_tolerance of the city value; else ``above``/``below``. A ``sum`` indicator (count)
  is listed by value only.
* class of a ``zscore``/``index`` indicator: by standard deviations from the declared
  reference: ``hotspot`` at sd_hotspot SD or more on the worse side, ``at`` within
  ± sd_at SD, else ``above``/``below``. The SD is declared (z-values: 1) or computed on the
  level. A ``category`` indicator is held and shown, never ranked.
* small base („kleine Fallzahl“): the indicator's base (another indicator, or the value
  itself) is below ``min_base`` at the period, or the base is suppressed. Such areas are
  left out of rankings, hotspots, hidden hotspots, coverage and trends unless
  ``include_small``; then they are flagged.
* hidden hotspot: a hotspot whose nearest ancestor *with a value* (not the city) is at the
  reference or on its better side; ancestors without a value are skipped and their levels
  named. ``every_level`` also lists each ancestor level at which it hides, separately.
* trend: only periods in which the area has the same boundary (``valid_from``/``valid_to``)
  as in the analysed period, or whose value comes through the declared crosswalk
  (``data/crosswalk.csv``: counts as weighted sums, shares as weighted counts over the
  weighted base); the last step and the change over the whole series.
* reach, duplicate candidates: see :mod:`zyklus.rules.duplicates` and the README.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from zyklus import models
from zyklus.errors import Problem, UsageError, ZyklusError
from zyklus.files.tables import AreaTable, Crosswalk, IndicatorTable
from zyklus.models import CITYWIDE
from zyklus.needs.results import Analysis as Analysis
from zyklus.needs.results import CategoryRow as CategoryRow
from zyklus.needs.results import CategoryView as CategoryView
from zyklus.needs.results import Class as Class
from zyklus.needs.results import CoverageRow as CoverageRow
from zyklus.needs.results import Gap as Gap
from zyklus.needs.results import HiddenHotspot as HiddenHotspot
from zyklus.needs.results import How as How
from zyklus.needs.results import IndicatorInfo as IndicatorInfo
from zyklus.needs.results import Kind as Kind
from zyklus.needs.results import MarkRow as MarkRow
from zyklus.needs.results import Note as Note
from zyklus.needs.results import Ranking as Ranking
from zyklus.needs.results import RankRow as RankRow
from zyklus.needs.results import Reach as Reach
from zyklus.needs.results import Trend as Trend
from zyklus.needs.results import maker
from zyklus.needs.series import sum_notes, trends
from zyklus.needs.spatial import Judged, hidden_hotspots, level_order
from zyklus.rules.duplicates import DuplicateCandidate as DuplicateCandidate
from zyklus.rules.duplicates import DuplicateRest as DuplicateRest
from zyklus.rules.duplicates import OneSidedSynergy as OneSidedSynergy
from zyklus.rules.duplicates import Structure as Structure
from zyklus.rules.duplicates import current_phases as current_phases
from zyklus.rules.duplicates import duplicate_candidates as duplicate_candidates
from zyklus.rules.duplicates import find_duplicates as find_duplicates
from zyklus.rules.duplicates import find_duplicates_counted, one_sided
from zyklus.rules.duplicates import structures as structures
from zyklus.suggest import unknown

if TYPE_CHECKING:
    from zyklus.files.workspace import Workspace

REACHING_PHASES = frozenset(models.PHASES[1:])  # every phase after analysis
rank_row = maker(RankRow)
_EPS = 1e-9


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


def classify_sd(
    value: float, reference: float, sd: float | None, direction: str, thresholds: models.Thresholds
) -> tuple[float | None, Class | None]:
    """Standard deviations from the reference and the class (zscore/index, issue 18)."""
    if sd is None or not sd > 0:
        return None, None
    units = (value - reference) / sd
    worse = -units if direction == "higher_is_better" else units
    if worse >= thresholds.sd_hotspot - _EPS:
        return units, "hotspot"
    if abs(units) <= thresholds.sd_at + _EPS:
        return units, "at"
    return units, "above" if units > 0 else "below"


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
    include_small: bool = False,
    every_level: bool = False,
) -> Analysis:
    """Analyse the workspace's data, cards and offers; raises LoadError on bad data files."""
    # The cards, offers and indicator values are read in workers while this process
    # reads the cycle file, collects the cards and compares them for duplicates (issue
    # 18: 500 000 values; the workers of issue 21). A broken data file is reported before
    # a broken cycle file, as when each is read in turn. The workers inherit the areas.
    areas = ws.areas
    with ws.read_ahead("projects", "offers", "indicators"):
        try:
            phases = current_phases(ws)
        except ZyklusError:
            # every worker's answer is taken before the block is left (a worker ended in
            # the middle of an answer leaves the pool waiting for its end)
            ws.cards, ws.offers  # noqa: B018
            ws.indicators  # noqa: B018 (a broken data file is reported first)
            raise
        problems = [*ws.cards.problems, *ws.offers.problems]
        items = structures(ws, phases)
        duplicates = find_duplicates_counted(items, areas, _city(ws.config, areas))
        table = ws.indicators
    broken = {p.path for p in problems if p.severity == "error"}
    notes = [Note("A-FILE-SKIPPED", path, None, {}) for path in sorted(broken)]
    selection = (indicator, period, level)
    return compute(
        ws.config,
        areas,
        table,
        items,
        phases,
        selection,
        notes,
        include_small=include_small,
        every_level=every_level,
        crosswalk=ws.crosswalk,
        duplicates=duplicates,
    )


Selection = tuple[str | None, date | None, str | None]  # indicator, period, level


def compute(
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    items: list[Structure],
    phases: Mapping[str, str],
    selection: Selection = (None, None, None),
    notes: list[Note] | None = None,
    *,
    include_small: bool = False,
    every_level: bool = False,
    crosswalk: Crosswalk | None = None,
    duplicates: tuple[list[DuplicateCandidate], list[DuplicateRest]] | None = None,
) -> Analysis:
    """:func:`analyse` on data already loaded (tests and callers holding it use this);
    ``duplicates``: what :func:`find_duplicates_counted` gives for ``items``, if known."""
    indicator, period, level = selection
    notes = list(notes or [])
    notes += [Note(w.code, w.path, w.line, dict(w.params)) for w in areas.warnings]
    levels = level_order(areas)
    if level is not None and level not in levels:
        raise UsageError([unknown("A-UNKNOWN-LEVEL", level, levels)])
    declared = {i.id: i for i in config.indicators}
    infos = _indicators(config, table, indicator, period)
    city = _city(config, areas)
    if city is None and areas.areas:
        notes.append(Note("A-NO-CITY", "", None, {"roots": ", ".join(areas.roots)}))
    rankings: list[Ranking] = []
    hidden: list[HiddenHotspot] = []
    every: list[HiddenHotspot] = []
    categories: list[CategoryView] = []
    hotspots: dict[str, list[str]] = {}
    found_trends: list[Trend] = []
    meta = areas.areas
    for info in infos:
        if info.period is None:
            continue
        if info.kind == "category":
            categories += _categories(info, declared[info.id], areas, table, levels, level, city)
            continue
        small = _small_base(info, table, info.period)
        judged = _judge(info, config, areas, table, levels, city, notes)
        of_level: dict[str, list[str]] = {}  # the areas with a value, by level, in one pass
        for a in judged.values:
            if a != city:
                of_level.setdefault(meta[a].level, []).append(a)
        for lvl in levels if level is None else [level]:
            ranking = _ranking(
                info, lvl, of_level.get(lvl, []), areas, table, judged, city, small, include_small
            )
            if ranking.rows or ranking.marks or ranking.small:
                rankings.append(ranking)
        values = judged.values
        allowed = {a for a in values if include_small or a not in small}
        chosen = {a for a in allowed if a != city and level in (None, areas.areas[a].level)}
        if info.kind != "count":
            notes += _empty_levels(info, areas, table, levels, city)
            for a in (a for a in values if a in chosen):
                if judged.classes[a][1] == "hotspot":
                    hotspots.setdefault(a, []).append(info.id)
            in_order = [a for a in values if a in chosen]
            found, everywhere = hidden_hotspots(info, areas, judged, in_order, city, every_level)
            hidden += found
            every += everywhere
        else:
            notes += sum_notes(info, areas, table)
        members = [a for a in values if a == city or a in chosen]
        step, boundary, through = trends(info, areas, table, members, crosswalk)
        found_trends += step
        for code, found_areas in (
            ("A-TREND-BOUNDARY", boundary),
            ("A-TREND-CROSSWALK", through.used),
            (
                "A-CROSSWALK-NO-BASE" if info.kind == "share" else "A-CROSSWALK-KIND",
                through.refused,
            ),
        ):
            if found_areas:
                shown = ", ".join(areas.name(a) for a in found_areas[:5])
                params = {"indicator": info.id, "count": len(found_areas), "areas": shown}
                if code == "A-TREND-CROSSWALK" and crosswalk is not None:
                    params["path"] = crosswalk.path
                if code == "A-CROSSWALK-KIND":
                    params["kind"] = info.kind
                notes.append(Note(code, table.path, None, params))
    reaching = [s for s in items if s.kind == "project" and phases.get(s.id) in REACHING_PHASES]
    coverage, gaps = _coverage(config, areas, city, hotspots, reaching, phases)
    projects = {s.id: s for s in items if s.kind == "project"}
    candidates, rest = duplicates or find_duplicates_counted(items, areas, city)
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
        duplicates=tuple(candidates),
        one_sided_synergies=tuple(one_sided(projects)),
        trends=tuple(found_trends),
        notes=tuple(notes),
        hidden_every_level=tuple(every),
        categories=tuple(categories),
        duplicates_more=tuple(rest),
        include_small=include_small,
        every_level=every_level,
    )


def _kind(ind: models.Indicator) -> Kind:
    if ind.kind is not None:
        return ind.kind
    return "count" if ind.aggregation == "sum" else "share"


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
        kind = _kind(ind)
        reference = (
            ind.reference if ind.reference is not None else (0.0 if kind == "zscore" else None)
        )
        infos.append(
            IndicatorInfo(
                ind.id,
                label,
                ind.unit,
                ind.direction,
                ind.aggregation,
                tuple(periods),
                chosen,
                kind,
                reference,
                ind.base,
                ind.min_base,
            )
        )
    if period is not None and not any(info.period for info in infos):
        available = sorted({p for info in infos for p in info.periods}) or "–"
        raise UsageError(
            [Problem("A-NO-PERIOD", params={"period": period, "available": available})]
        )
    return infos


def _city(config: models.Workspace, areas: AreaTable) -> str | None:
    if config.city is not None and config.city in areas:
        return config.city
    roots = areas.roots
    return roots[0] if len(roots) == 1 and config.city is None else None


def _small_base(
    info: IndicatorInfo, table: IndicatorTable, period: date
) -> dict[str, float | None]:
    """Areas with a base below ``min_base`` (value) or a suppressed base (None)."""
    if info.min_base is None:
        return {}
    source = info.base or info.id
    values = table.at(source, period)
    if not values and info.base is not None:  # the base's latest period up to this one
        earlier = [p for p in table.periods(source) if p <= period]
        values = table.at(source, earlier[-1]) if earlier else {}
    out: dict[str, float | None] = {a: v for a, v in values.items() if v < info.min_base}
    out.update((a, None) for a, m in table.marks_at(source, period).items() if m.kind == "secret")
    return out


def _judge(
    info: IndicatorInfo,
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    levels: list[str],
    city: str | None,
    notes: list[Note],
) -> Judged:
    """Values and classes of every area at the analysed period."""
    assert info.period is not None
    values = table.at(info.id, info.period)
    city_value = values.get(city) if city is not None else None
    sds: dict[str, float | None] = {}
    if info.kind in ("share", "count"):
        if city is not None and city_value is None and info.kind == "share":
            params = {"indicator": info.id, "period": info.period}
            notes.append(Note("A-NO-CITY-VALUE", table.path, None, params))
        classes = {
            a: classify(v, city_value, info.direction, config.thresholds) for a, v in values.items()
        }
        return Judged(values, classes, city_value, sds)
    declared = next(i for i in config.indicators if i.id == info.id)
    reference = info.reference if info.reference is not None else 0.0
    for lvl in levels:
        members = [v for a, v in values.items() if a != city and areas.areas[a].level == lvl]
        sds[lvl] = declared.sd if declared.sd is not None else _sd(members, reference)
    classes = {
        a: classify_sd(
            v, reference, sds.get(areas.areas[a].level), info.direction, config.thresholds
        )
        for a, v in values.items()
    }
    return Judged(values, classes, city_value, sds)


def _sd(values: list[float], reference: float) -> float | None:
    """Root mean square deviation from the reference (the SD when the reference is the mean)."""
    if len(values) < 2:
        return None
    sd = math.sqrt(sum((v - reference) ** 2 for v in values) / len(values))
    return sd if sd > 0 else None


def _ranking(
    info: IndicatorInfo,
    level: str,
    of_level: list[str],
    areas: AreaTable,
    table: IndicatorTable,
    judged: Judged,
    city: str | None,
    small: dict[str, float | None],
    include_small: bool,
) -> Ranking:
    """Areas of ``level`` worst first; cells without a number listed apart, never as 0."""
    assert info.period is not None
    values, classes, city_value = judged.values, judged.classes, judged.city_value
    sign = 1 if info.direction == "higher_is_better" else -1
    meta = areas.areas
    left_out = tuple(sorted(a for a in of_level if a in small)) if not include_small else ()
    left = frozenset(left_out)
    names = {a: areas.name(a) for a in of_level if a not in left}
    parent_names: dict[str, str] = {}  # a parent has many children
    members = sorted(names, key=lambda a: (sign * values[a], names[a], a))
    share = info.kind == "share"
    standard = info.kind in ("zscore", "index")
    rows = []
    for rank, a in enumerate(members, 1):
        parent = meta[a].parent
        number, class_ = classes.get(a, (None, None)) if share or standard else (None, None)
        ratio = None if not share or number is None else round(number, 4)
        units = round(number, 4) if standard and number is not None else None
        if share:
            diff = None if city_value is None else round(values[a] - city_value, 6)
        elif standard and info.reference is not None:
            diff = round(values[a] - info.reference, 6)
        else:
            diff = None
        pname = None
        if parent is not None:
            pname = parent_names.get(parent)
            if pname is None:
                pname = parent_names[parent] = areas.name(parent)
        head = (rank, a, names[a], level, parent, pname, values[a], city_value, ratio, diff)
        base = small.get(a) if a in small else None
        rows.append(rank_row(*head, class_, a in small, base, units))
    marks = tuple(
        MarkRow(a, areas.name(a), m.kind, m.text)
        for a, m in sorted(table.marks_at(info.id, info.period).items())
        if a != city and a in meta and meta[a].level == level
    )
    head_ = (info.id, info.unit, info.direction, info.aggregation, info.period)
    sd = judged.sds.get(level)
    return Ranking(
        *head_, level, city, city_value, tuple(rows), info.kind, info.reference, sd, left_out, marks
    )


def _empty_levels(
    info: IndicatorInfo,
    areas: AreaTable,
    table: IndicatorTable,
    levels: list[str],
    city: str | None,
) -> list[Note]:
    """Levels above the deepest one with data that have no value at the period (issue 18:
    hidden hotspots are compared across them, and the note says so)."""
    assert info.period is not None
    with_value = {areas.areas[a].level for a in table.at(info.id, info.period) if a != city}
    if not with_value:
        return []
    deepest = max(levels.index(lvl) for lvl in with_value)
    city_level = areas.areas[city].level if city is not None else None
    # the levels between the top and the deepest level with data: the ones a hidden
    # hotspot is compared across
    empty = [lvl for lvl in levels[:deepest] if lvl not in with_value and lvl != city_level]
    if not empty:
        return []
    params = {"indicator": info.id, "period": info.period, "levels": ", ".join(empty)}
    return [Note("A-LEVEL-NO-DATA", table.path, None, params)]


def _categories(
    info: IndicatorInfo,
    declared: models.Indicator,
    areas: AreaTable,
    table: IndicatorTable,
    levels: list[str],
    level: str | None,
    city: str | None,
) -> list[CategoryView]:
    assert info.period is not None
    labels = table.labels_at(info.id, info.period)
    order = {c: i for i, c in enumerate(declared.categories or ())}
    out = []
    for lvl in levels if level is None else [level]:
        rows = tuple(
            CategoryRow(a, areas.name(a), lvl, labels[a].text)
            for a in sorted(labels, key=lambda a: (areas.name(a), a))
            if a != city and areas.areas[a].level == lvl
        )
        if not rows:
            continue
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.label] = counts.get(row.label, 0) + 1
        ordered = sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        out.append(CategoryView(info.id, info.period, lvl, rows, tuple(ordered)))
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
            ("child", [a for a in areas.descendants(area) if a in by_area]),
            ("parent", areas.ancestors(area)),
            ("direct", [area]),
        ]
        for way, places in ways:  # the closer way wins: later entries overwrite
            how.update((p.id, (way, p)) for place in places for p in by_area.get(place, ()))
        reached = [(reach(p, way), p) for _, (way, p) in sorted(how.items())]
        by_group: dict[str, list[Reach]] = {group.id: [] for group in config.target_groups}
        for r, p in reached:  # one walk, not one per target group (issue 21)
            for group_id in dict.fromkeys(p.target_groups):
                found = by_group.get(group_id)
                if found is not None:
                    found.append(r)
        for group in config.target_groups:
            rows.append(CoverageRow(*meta, group.id, tuple(by_group[group.id])))
        if not reached:
            gaps.append(Gap(*meta))
    return rows, gaps
