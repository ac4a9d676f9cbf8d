"""The money section of the report, from issue 15's budget tables (``zyklus.money.budget``).

By project (planned, requested, granted, own share, spent, open) and by funder, with the
totals of what is given and how many rows gave it; money per funder as a chart. A value
nobody gave stays ``None`` and reads "keine Angabe"; notes that name keys or options go to
the planners' annex. Without the money wing's data every value is simply not given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from zyklus import i18n, models
from zyklus.files.workspace import Workspace
from zyklus.money.budget import STRATEGY_KEY, BudgetRow, BudgetTable, budget
from zyklus.report.committee import Money


@dataclass(frozen=True)
class MoneyLine:
    key: str
    label: str
    values: tuple[Decimal | None, ...]
    illustrative: bool


@dataclass(frozen=True)
class MoneyTable:
    columns: tuple[str, ...]  # labels, in the report's language
    lines: list[MoneyLine]
    total: MoneyLine | None
    given: tuple[int, ...]  # per column: how many lines gave a value
    count: int


@dataclass
class MoneySection:
    by_project: MoneyTable | None = None
    by_funder: MoneyTable | None = None
    notes: list[str] = field(default_factory=list)  # for annex B: they name keys and options
    per_project: dict[str, Money] = field(default_factory=dict)


def shape_money(
    ws: Workspace, cycle: int, lang: models.Lang, *, skip_invalid: bool = False
) -> MoneySection:
    section = MoneySection()
    by_project = budget(ws, "project", cycle, skip_invalid=skip_invalid)
    by_funder = budget(ws, "funder", cycle, skip_invalid=skip_invalid)
    section.by_project = _table(by_project, lang)
    section.by_funder = _table(by_funder, lang) if by_funder.rows else None
    for table in (by_project, by_funder):
        for note in table.notes:
            text = i18n.message(note, lang, **note.params)
            if text not in section.notes:
                section.notes.append(text)
    for row in by_project.rows:
        if row.key != STRATEGY_KEY:
            section.per_project[row.key] = Money(
                planned=row.values.get("planned"),
                granted=row.values.get("granted"),
                spent=row.values.get("spent"),
            )
    return section


def _table(table: BudgetTable, lang: str) -> MoneyTable:
    columns = table.columns
    lines = [_line(row, columns, lang) for row in table.rows]
    if table.by == "project":  # the strategy's own row only when it holds a value
        lines = [
            line
            for line in lines
            if line.key != STRATEGY_KEY or any(v is not None for v in line.values)
        ]
    total = _line(table.total, columns, lang) if table.total is not None else None
    return MoneyTable(
        columns=tuple(i18n.message(f"money-col-{c}", lang) for c in columns),
        lines=lines,
        total=total,
        given=tuple(table.given.get(c, 0) for c in columns),
        count=len(table.rows),
    )


def _line(row: BudgetRow, columns: tuple[str, ...], lang: str) -> MoneyLine:
    if row.key == STRATEGY_KEY:
        label = i18n.message("cm-money-strategy", lang)
    elif row.key == "total":
        label = i18n.message("cm-total-given", lang)
    else:
        label = row.label
    return MoneyLine(row.key, label, tuple(row.values.get(c) for c in columns), row.illustrative)
