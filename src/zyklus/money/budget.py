"""Budget views: planned, requested, granted, own share, spent and open, exact to the cent.

One table per view — by project, funder, target group or year — as plain data for
``zyklus budget`` and the committee report. A value nobody gave stays ``None`` ("keine
Angabe"), never 0; a total is the exact sum of the values given and says how many rows
gave one. ``open`` is what neither a granted line nor its own share covers:
planned − granted − own share of the granted lines, where the planned cost is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from zyklus import models
from zyklus.amounts import planned_cost, total
from zyklus.errors import LoadError, UsageError
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace
from zyklus.i18n import Msg
from zyklus.suggest import unknown

View = Literal["project", "funder", "target-group", "year"]
VIEWS: tuple[View, ...] = ("project", "funder", "target-group", "year")
COLUMNS = ("planned", "requested", "granted", "own_share", "spent", "open")
STRATEGY_KEY = "zyklus.yaml"  # the row of lines that fund the strategy itself
NO_YEAR = "–"


@dataclass(frozen=True)
class BudgetRow:
    key: str
    label: str
    values: dict[str, Decimal | None]
    phase: str | None = None
    projects: tuple[str, ...] = ()
    illustrative: bool = False


@dataclass(frozen=True)
class BudgetTable:
    by: View
    cycle: int
    columns: tuple[str, ...]
    rows: list[BudgetRow]
    total: BudgetRow | None
    given: dict[str, int]  # per column: how many rows gave a value
    notes: list[Msg] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return any(r.illustrative for r in self.rows)


@dataclass(frozen=True)
class _Project:
    """What the views need of one project: its card, phase and spending."""

    card: models.Card
    phase: str | None
    spend: tuple[models.Spend, ...]


def parse_view(text: str) -> View:
    for view in VIEWS:
        if text == view:
            return view
    raise UsageError([unknown("M-VIEW-UNKNOWN", text, VIEWS)])


def _status_sum(
    lines: Iterable[models.FundingLine], statuses: frozenset[str], attr: str
) -> Decimal | None:
    return total(getattr(line, attr) for line in lines if line.status in statuses)


_REQUESTED = frozenset({"planned", "applied"})
_GRANTED = frozenset({"granted"})


def _line_values(lines: list[models.FundingLine]) -> dict[str, Decimal | None]:
    return {
        "requested": _status_sum(lines, _REQUESTED, "amount"),
        "granted": _status_sum(lines, _GRANTED, "amount"),
        "own_share": _status_sum(lines, _GRANTED, "own_share"),
    }


def _open(planned: Decimal | None, granted: Decimal | None, own: Decimal | None) -> Decimal | None:
    if planned is None:
        return None
    return planned - (granted or 0) - (own or 0)


def _values(
    planned: Decimal | None, lines: list[models.FundingLine], spend: Iterable[models.Spend]
) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {"planned": planned, **_line_values(lines)}
    out["spent"] = total(s.amount for s in spend)
    out["open"] = _open(planned, out["granted"], out["own_share"])
    return out


def _projects(ws: Workspace, year: int, *, skip_invalid: bool = False) -> list[_Project]:
    if not skip_invalid:  # the report lists invalid cards instead (issue 12)
        ws.require(ws.cards)
    states: dict[str, models.ProjectState] = {}
    spend: dict[str, list[models.Spend]] = {}
    for cycle_year in ws.cycle_years():
        if cycle_year > year:
            continue
        try:
            cycle = read_cycle(ws, cycle_year)
        except LoadError:
            if cycle_year == year:
                raise
            continue
        for pid, state in cycle.projects.items():
            spend.setdefault(pid, []).extend(state.spend)
            if cycle_year == year:
                states[pid] = state
    return [
        _Project(card, states[pid].phase if pid in states else None, tuple(spend.get(pid, ())))
        for pid, card in sorted(ws.cards.items.items())
    ]


def _illustrative(card: models.Card, spend: Iterable[models.Spend]) -> bool:
    return any(line.illustrative for line in card.funding) or any(s.illustrative for s in spend)


def _totals(rows: list[BudgetRow], label: str) -> tuple[BudgetRow, dict[str, int]]:
    values = {c: total(r.values.get(c) for r in rows) for c in COLUMNS}
    given = {c: sum(r.values.get(c) is not None for r in rows) for c in COLUMNS}
    return BudgetRow("total", label, values, illustrative=any(r.illustrative for r in rows)), given


def budget(ws: Workspace, by: View, year: int, *, skip_invalid: bool = False) -> BudgetTable:
    """The budget table of cycle ``year`` in the view ``by``."""
    projects = _projects(ws, year, skip_invalid=skip_invalid)
    config = ws.config
    if by == "project":
        rows = [
            BudgetRow(
                p.card.id,
                p.card.title,
                _values(planned_cost(p.card.resources), list(p.card.funding), p.spend),
                p.phase,
                (p.card.id,),
                _illustrative(p.card, p.spend),
            )
            for p in projects
        ]
        if config.funding:
            rows.append(
                BudgetRow(
                    STRATEGY_KEY,
                    Msg("money-strategy-row"),
                    _values(None, list(config.funding), ()),
                    illustrative=any(line.illustrative for line in config.funding),
                )
            )
        notes = [Msg("money-note-open")]
    elif by == "funder":
        rows = _by_funder(config, projects)
        notes = [Msg("money-note-funder")]
    elif by == "target-group":
        rows = _by_target_group(config, projects)
        notes = [Msg("money-note-target-group")]
    else:
        rows = _by_year(config, projects)
        notes = [Msg("money-note-year")]
    row, given = _totals(rows, Msg("money-total"))
    columns = COLUMNS if by != "funder" else ("requested", "granted", "own_share", "spent")
    shown_total = None if by == "target-group" else row
    return BudgetTable(by, year, columns, rows, shown_total, given, notes)


def _by_funder(config: models.Workspace, projects: list[_Project]) -> list[BudgetRow]:
    lines: dict[str, list[models.FundingLine]] = {}
    spend: dict[str, list[models.Spend]] = {}
    who: dict[str, set[str]] = {}
    illustrative: dict[str, bool] = {}
    for p in projects:
        for line in p.card.funding:
            lines.setdefault(line.funder, []).append(line)
            who.setdefault(line.funder, set()).add(p.card.id)
            illustrative[line.funder] = illustrative.get(line.funder, False) or line.illustrative
        for s in p.spend:
            if s.funder is not None:
                spend.setdefault(s.funder, []).append(s)
                illustrative[s.funder] = illustrative.get(s.funder, False) or s.illustrative
    for line in config.funding:
        lines.setdefault(line.funder, []).append(line)
        who.setdefault(line.funder, set()).add(STRATEGY_KEY)
        illustrative[line.funder] = illustrative.get(line.funder, False) or line.illustrative
    names = {f.id: f.name for f in config.funders}
    order = [f.id for f in config.funders] + sorted(set(lines) - set(names))
    rows = []
    for funder in order:
        if funder not in lines and funder not in spend:
            continue
        values = _values(None, lines.get(funder, []), spend.get(funder, []))
        values.pop("planned")
        values.pop("open")
        rows.append(
            BudgetRow(
                funder,
                names.get(funder, funder),
                values,
                projects=tuple(sorted(who.get(funder, ()))),
                illustrative=illustrative.get(funder, False),
            )
        )
    return rows


def _by_target_group(config: models.Workspace, projects: list[_Project]) -> list[BudgetRow]:
    rows = []
    for group in config.target_groups:
        members = [p for p in projects if group.id in p.card.target_groups]
        per = [
            _values(planned_cost(p.card.resources), list(p.card.funding), p.spend) for p in members
        ]
        values = {c: total(v[c] for v in per) for c in COLUMNS}
        rows.append(
            BudgetRow(
                group.id,
                models.local(group.label, config.language),
                values,
                projects=tuple(p.card.id for p in members),
                illustrative=any(_illustrative(p.card, p.spend) for p in members),
            )
        )
    return rows


def _line_year(line: models.FundingLine) -> str:
    if line.period is not None and line.period.from_ is not None:
        return str(line.period.from_.year)
    return NO_YEAR


def _by_year(config: models.Workspace, projects: list[_Project]) -> list[BudgetRow]:
    planned: dict[str, list[Decimal]] = {}
    lines: dict[str, list[models.FundingLine]] = {}
    spend: dict[str, list[models.Spend]] = {}
    illustrative: dict[str, bool] = {}
    for p in projects:
        resources = p.card.resources
        if resources.cost_per_year:
            for y, amount in resources.cost_per_year.items():
                planned.setdefault(str(y), []).append(amount)
        else:
            cost = planned_cost(resources)
            if cost is not None:
                planned.setdefault(NO_YEAR, []).append(cost)
        for line in p.card.funding:
            key = _line_year(line)
            lines.setdefault(key, []).append(line)
            illustrative[key] = illustrative.get(key, False) or line.illustrative
        for s in p.spend:
            spend.setdefault(str(s.date.year), []).append(s)
            illustrative[str(s.date.year)] = illustrative.get(str(s.date.year), False) or (
                s.illustrative
            )
    years = sorted(set(planned) | set(lines) | set(spend), key=lambda y: (y == NO_YEAR, y))
    return [
        BudgetRow(
            y,
            y,
            _values(total(planned.get(y, [])), lines.get(y, []), spend.get(y, [])),
            illustrative=illustrative.get(y, False),
        )
        for y in years
    ]
