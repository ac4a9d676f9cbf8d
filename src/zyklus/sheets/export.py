"""``zyklus export``: the workspace's lists as tables for spreadsheets (issue 17).

Each table is plain data (:class:`zyklus.files.spreadsheet.Table`) with typed columns:
numbers stay numbers, dates stay dates, and headers are in the user's language — or the
stable ids (``plain``), for scripts. :mod:`zyklus.sheets.writers` turns them into .xlsx
or .csv. What can be exported is :data:`WHAT`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from zyklus import models
from zyklus.errors import UsageError
from zyklus.files.cycles import cycle_year, read_cycle
from zyklus.files.spreadsheet import Cell, Column, Kind, Table
from zyklus.files.workspace import Workspace
from zyklus.i18n import message
from zyklus.report.rows import goal_status
from zyklus.report.status import StatusRow, status_rows
from zyklus.suggest import unknown

WHAT = ("projects", "status", "goals", "analysis", "indicators", "budget", "all")


@dataclass(frozen=True)
class Spec:
    """How tables are labelled: language, or ids for ``--plain``."""

    lang: str
    plain: bool
    year: int | None = None
    as_of: date | None = None

    def header(self, column_id: str) -> str:
        return column_id if self.plain else message(f"sheets-col-{column_id}", self.lang)

    def label(self, msg_id: str, value: str) -> str:
        """A value shown by label (a phase, a status), or its id for ``--plain``."""
        return value if self.plain else message(msg_id, self.lang)

    def sheet(self, name: str) -> str:
        return name if self.plain else message(f"sheets-sheet-{name}", self.lang)


ColumnSpec = tuple[str, Kind] | tuple[str, Kind, str]


def _table(
    spec: Spec, name: str, columns: Sequence[ColumnSpec], rows: list[tuple[Cell, ...]]
) -> Table:
    cols = tuple(
        Column(spec.header(c[0]), c[1], number_format=c[2] if len(c) == 3 else None)
        for c in columns
    )
    return Table(spec.sheet(name), cols, tuple(rows), key=name)


def export_tables(ws: Workspace, what: str, spec: Spec) -> list[Table]:
    """The tables of ``what`` (``all``: every one, one sheet each)."""
    builders: dict[str, Callable[[Workspace, Spec], list[Table]]] = {
        "projects": projects_table,
        "status": status_table,
        "goals": goals_table,
        "analysis": analysis_tables,
        "indicators": indicators_table,
        "budget": budget_tables,
    }
    if what == "all":
        return [t for build in builders.values() for t in build(ws, spec)]
    build = builders.get(what)
    if build is None:
        raise UsageError([unknown("SH-EXPORT-UNKNOWN", what, WHAT)])
    return build(ws, spec)


def _join(items: Sequence[str]) -> str | None:
    return ", ".join(items) if items else None


def _cycle(ws: Workspace, spec: Spec) -> tuple[int, models.CycleState]:
    year = cycle_year(ws, spec.year)
    return year, read_cycle(ws, year)


# --- projects -------------------------------------------------------------------------------


def projects_table(ws: Workspace, spec: Spec) -> list[Table]:
    """One row per project: phase, areas, target groups, goals, money, milestones."""
    _, cycle = _cycle(ws, spec)
    ws.require(ws.cards)
    from zyklus.money.partners import actor_label

    groups = {g.id: g for g in ws.config.target_groups}
    partners = {p.id: p for p in ws.config.partners}
    names = ws.areas
    rows: list[tuple[Cell, ...]] = []
    for project_id, card in sorted(ws.cards.items.items()):
        state = cycle.projects.get(project_id)
        phase = state.phase if state is not None else None
        dues = sorted(m.due for m in card.milestones if m.due is not None)
        done = {m.id for m in state.milestones} if state is not None else set()
        open_dues = sorted(m.due for m in card.milestones if m.due and m.id not in done)
        rows.append(
            (
                project_id,
                card.title,
                spec.label(f"report-phase-{phase}", phase) if phase else None,
                _join([a if spec.plain else names.name(a) for a in card.areas]),
                _join([_group(groups.get(g), g, spec) for g in card.target_groups]),
                len(card.goals),
                "; ".join(f"{g.id}: {g.statement}" for g in card.goals) or None,
                card.resources.staff_fte,
                card.resources.budget_eur,
                len(card.milestones),
                len(done & {m.id for m in card.milestones}),
                open_dues[0] if open_dues else None,
                dues[-1] if dues else None,
                _join([actor_label(a, partners) for a in card.actors]),
            )
        )
    columns: list[ColumnSpec] = [
        ("project", "text"),
        ("title", "text"),
        ("phase", "text"),
        ("areas", "text"),
        ("target_groups", "text"),
        ("goals", "int"),
        ("goal_statements", "text"),
        ("staff_fte", "number", "0.00"),
        ("budget_eur", "number", '#,##0.00 "€"'),
        ("milestones", "int"),
        ("milestones_done", "int"),
        ("next_due", "date"),
        ("last_due", "date"),
        ("actors", "text"),
    ]
    return [_table(spec, "projects", columns, rows)]


def _group(group: models.TargetGroup | None, group_id: str, spec: Spec) -> str:
    if group is None or spec.plain:
        return group_id
    label = group.label
    if isinstance(label, str):
        return label
    return label.get(spec.lang) or next(iter(label.values()), group_id)  # type: ignore[call-overload]


# --- status ---------------------------------------------------------------------------------


def status_table(ws: Workspace, spec: Spec) -> list[Table]:
    """The rows of ``zyklus status``."""
    year = cycle_year(ws, spec.year)
    return [status_sheet(status_rows(ws, year, as_of=spec.as_of), spec)]


def status_sheet(rows: Sequence[StatusRow], spec: Spec) -> Table:
    """Status rows as a table (``zyklus status --format csv`` uses it too)."""
    cells: list[tuple[Cell, ...]] = [
        (
            r.project,
            r.title,
            spec.label(f"report-phase-{r.phase}", r.phase),
            r.since,
            r.days_in_phase,
            _join(r.unmet),
            _join(r.warnings),
            _join(r.overdue),
            r.goals,
            r.goals_with_actuals,
            r.card_valid,
        )
        for r in rows
    ]
    columns: list[ColumnSpec] = [
        ("project", "text"),
        ("title", "text"),
        ("phase", "text"),
        ("since", "date"),
        ("days_in_phase", "int"),
        ("unmet", "text"),
        ("warnings", "text"),
        ("overdue", "text"),
        ("goals", "int"),
        ("goals_with_actuals", "int"),
        ("card_valid", "bool"),
    ]
    return _table(spec, "status", columns, cells)


# --- goals with actuals ---------------------------------------------------------------------


def goals_table(ws: Workspace, spec: Spec) -> list[Table]:
    """One row per goal: baseline, target, the latest actual, achievement and status."""
    _, cycle = _cycle(ws, spec)
    ws.require(ws.cards)
    day = spec.as_of or date.today()
    rows: list[tuple[Cell, ...]] = []
    for project_id, card in sorted(ws.cards.items.items()):
        state = cycle.projects.get(project_id)
        actuals = state.actuals if state is not None else []
        for goal in card.goals:
            mine = [a for a in actuals if a.goal == goal.id]
            latest = max(mine, key=lambda a: a.date) if mine else None
            status, achievement = goal_status(goal, latest, day)
            rows.append(
                (
                    project_id,
                    goal.id,
                    goal.statement,
                    goal.indicator,
                    goal.unit,
                    goal.area,
                    goal.level,
                    goal.baseline.value if goal.baseline else None,
                    goal.baseline.date if goal.baseline else None,
                    goal.target.value if goal.target else None,
                    goal.target.date if goal.target else None,
                    latest.value if latest else None,
                    latest.date if latest else None,
                    round(achievement, 1) if achievement is not None else None,
                    spec.label(f"report-goal-{status}", status),
                    latest.illustrative if latest else None,
                )
            )
    columns: list[ColumnSpec] = [
        ("project", "text"),
        ("goal", "text"),
        ("statement", "text"),
        ("indicator", "text"),
        ("unit", "text"),
        ("area", "text"),
        ("level", "int"),
        ("baseline", "number"),
        ("baseline_date", "date"),
        ("target", "number"),
        ("target_date", "date"),
        ("actual", "number"),
        ("actual_date", "date"),
        ("achievement_pct", "number", "0.0"),
        ("goal_status", "text"),
        ("illustrative", "bool"),
    ]
    return [_table(spec, "goals", columns, rows)]


# --- the analysis ---------------------------------------------------------------------------


def analysis_tables(ws: Workspace, spec: Spec) -> list[Table]:
    """Rankings, hidden hotspots, coverage of hotspots and gaps: one sheet each."""
    from zyklus.needs.analysis import analyse

    result = analyse(ws)
    ranking: list[tuple[Cell, ...]] = [
        (
            r.indicator,
            r.period,
            r.level,
            row.rank,
            row.area,
            row.name,
            row.parent_name,
            row.value,
            row.city_value,
            round(row.ratio, 4) if row.ratio is not None else None,
            round(row.diff_pp, 4) if row.diff_pp is not None else None,
            _class(row.class_, spec),
        )
        for r in result.rankings
        for row in r.rows
    ]
    hidden: list[tuple[Cell, ...]] = [
        (
            h.indicator,
            h.period,
            h.area,
            h.name,
            h.value,
            None if h.ratio is None else round(h.ratio, 4),
            h.parent_name,
            h.parent_value,
            _class(h.parent_class, spec),
        )
        for h in result.hidden_hotspots
    ]
    coverage: list[tuple[Cell, ...]] = [
        (
            c.area,
            c.name,
            c.level,
            _join(c.indicators),
            c.target_group,
            _join([f"{p.project} ({p.how})" for p in c.projects]),
        )
        for c in result.coverage
    ]
    gaps: list[tuple[Cell, ...]] = [
        (g.area, g.name, g.level, _join(g.indicators)) for g in result.gaps
    ]
    return [
        _table(
            spec,
            "ranking",
            [
                ("indicator", "text"),
                ("period", "date"),
                ("level", "text"),
                ("rank", "int"),
                ("area", "text"),
                ("name", "text"),
                ("parent", "text"),
                ("value", "number"),
                ("city_value", "number"),
                ("ratio", "number", "0.00"),
                ("diff_pp", "number", "0.0"),
                ("class", "text"),
            ],
            ranking,
        ),
        _table(
            spec,
            "hidden",
            [
                ("indicator", "text"),
                ("period", "date"),
                ("area", "text"),
                ("name", "text"),
                ("value", "number"),
                ("ratio", "number", "0.00"),
                ("parent", "text"),
                ("parent_value", "number"),
                ("parent_class", "text"),
            ],
            hidden,
        ),
        _table(
            spec,
            "coverage",
            [
                ("area", "text"),
                ("name", "text"),
                ("level", "text"),
                ("indicators", "text"),
                ("target_group", "text"),
                ("projects", "text"),
            ],
            coverage,
        ),
        _table(
            spec,
            "gaps",
            [("area", "text"), ("name", "text"), ("level", "text"), ("indicators", "text")],
            gaps,
        ),
    ]


def _class(value: str | None, spec: Spec) -> str | None:
    if value is None:
        return None
    return spec.label(f"sheets-class-{value}", value)


# --- indicator values (the round trip) ------------------------------------------------------


def indicators_table(ws: Workspace, spec: Spec) -> list[Table]:
    """The data as a wide table: one row per area and period, one column per indicator.

    ``zyklus data import`` reads this very sheet back (area ids in the first column,
    indicator labels or ids as headers), so an edited copy changes exactly the edited cells.
    """
    config = ws.config
    table = ws.indicators
    areas = ws.areas
    declared = list(config.indicators)
    order = {a: i for i, a in enumerate(areas.areas)}
    keys = sorted(
        {(a, p) for (_, p), by_area in table.values.items() for a in by_area},
        key=lambda k: (order.get(k[0], len(order)), k[0], k[1]),
    )
    rows: list[tuple[Cell, ...]] = []
    for area, day in keys:
        values = [table.get(area, ind.id, day) for ind in declared]
        rows.append((area, areas.name(area), day, *values))
    columns = (
        Column(spec.header("area"), "text"),
        Column(spec.header("name"), "text"),
        Column(spec.header("period"), "date"),
        *(
            Column(ind.id if spec.plain else _indicator_label(ind, spec.lang), "number")
            for ind in declared
        ),
    )
    return [Table(spec.sheet("indicators"), columns, tuple(rows), key="indicators")]


def _indicator_label(indicator: models.Indicator, lang: str) -> str:
    label = indicator.label
    if isinstance(label, str):
        return label
    return label.get(lang) or next(iter(label.values()), indicator.id)  # type: ignore[call-overload]


# --- the budget (zyklus.money, issue 15) ----------------------------------------------------


def budget_tables(ws: Workspace, spec: Spec) -> list[Table]:
    """The budget by project, funder, target group and year: one sheet each, exact amounts
    (Decimal: to the cent), a value nobody gave empty, the total as the last row."""
    from zyklus.money.budget import VIEWS, budget
    from zyklus.money.export import text as label_text

    year = cycle_year(ws, spec.year)
    out: list[Table] = []
    for view in VIEWS:
        table = budget(ws, view, year)
        with_phase = table.by == "project"
        with_projects = table.by in ("funder", "target-group")
        columns: list[ColumnSpec] = [("key", "text"), ("label", "text")]
        columns += [("phase", "text")] if with_phase else []
        columns += [(c, "number", '#,##0.00 "€"') for c in table.columns]
        columns += [("projects", "text")] if with_projects else []
        columns += [("illustrative", "bool")]
        rows: list[tuple[Cell, ...]] = []
        for row in [*table.rows, *([table.total] if table.total is not None else [])]:
            cells: list[Cell] = [row.key, label_text(row.label, spec.lang)]
            if with_phase:
                cells.append(
                    spec.label(f"report-phase-{row.phase}", row.phase) if row.phase else None
                )
            cells += [row.values.get(c) for c in table.columns]
            if with_projects:
                cells.append(_join(row.projects))
            cells.append(row.illustrative)
            rows.append(tuple(cells))
        out.append(_table(spec, f"budget-{view}", columns, rows))
    return out
