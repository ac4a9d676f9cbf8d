"""Budget tables as JSON and CSV: amounts as exact text (``"12500.50"``), not given as null.

CSV opened in a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or
carriage return as a formula; project titles come from merge requests, so such a cell gets
a leading apostrophe (OWASP's advice). ``zyklus/escape.py`` (issue 20) was not on main
when this was written; :func:`csv_cell` is the one small function to replace by it.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from zyklus.amounts import plain
from zyklus.files.workspace import Workspace
from zyklus.i18n import Msg, message
from zyklus.money.budget import VIEWS, BudgetRow, BudgetTable, budget

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def csv_cell(value: object) -> str:
    """A cell no spreadsheet runs as a formula; our own numbers (``-500.00``) stay numbers."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def text(value: str, lang: str) -> str:
    """A label that may be a message id (:class:`Msg`) in ``lang``."""
    return message(value, lang, **value.params) if isinstance(value, Msg) else value


def _row(row: BudgetRow, table: BudgetTable, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row.key, "label": text(row.label, lang)}
    if table.by == "project":
        out["phase"] = row.phase
    for column in table.columns:
        value: Decimal | None = row.values.get(column)
        out[column] = plain(value)
    if table.by in ("funder", "target-group"):
        out["projects"] = list(row.projects)
    out["illustrative"] = row.illustrative
    return out


def table_data(table: BudgetTable, lang: str) -> dict[str, Any]:
    """The plain data of a budget table (for JSON, and for the report)."""
    return {
        "by": table.by,
        "cycle": table.cycle,
        "currency": "EUR",
        "columns": list(table.columns),
        "rows": [_row(r, table, lang) for r in table.rows],
        "total": _row(table.total, table, lang) if table.total is not None else None,
        "given": {c: table.given[c] for c in table.columns},
        "notes": [text(n, lang) for n in table.notes],
    }


def table_csv(table: BudgetTable, lang: str) -> str:
    data = table_data(table, lang)
    rows = [*data["rows"], *([data["total"]] if data["total"] is not None else [])]
    fields = list(rows[0]) if rows else ["key", "label", *table.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([csv_cell(" ".join(v) if isinstance(v, list) else v) for v in row.values()])
    return buffer.getvalue()


def budget_tables(ws: Workspace, year: int, lang: str) -> dict[str, dict[str, Any]]:
    """Every view's table as plain data, for the committee report (issue 16 renders them).

    Keys are the views (project, funder, target-group, year); values as :func:`table_data`,
    so amounts are exact text (``"12500.50"``) and not given is ``None``.
    """
    return {view: table_data(budget(ws, view, year), lang) for view in VIEWS}
