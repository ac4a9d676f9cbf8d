"""The time side of the analysis: trends over the whole series, and sums (issues 5, 18).

A statistics office's table has 10 or 14 yearly periods; a trend says how an area moved
over the whole series and in the last step, and carries the series for a sparkline. Areas
whose boundary was redrawn between two periods (``valid_from``/``valid_to`` in
data/areas.csv, the id reused) are compared only within the same boundary: "−26,4 Pp."
where only the boundary moved is not a trend (issue 18).
"""

from __future__ import annotations

from typing import Any, Literal

from zyklus.files.tables import AreaTable, IndicatorTable
from zyklus.needs.results import IndicatorInfo, Note, Trend

_EPS = 1e-9
Development = Literal["worse", "better", "same"]


def _development(change: float, up_is_worse: bool) -> Development:
    return "same" if change == 0 else "worse" if (change > 0) == up_is_worse else "better"


def trends(
    info: IndicatorInfo, areas: AreaTable, table: IndicatorTable, members: list[str]
) -> tuple[list[Trend], list[str]]:
    """Trends of ``members`` up to the analysed period, and the areas left out because
    their boundary changed (and no earlier value within the current boundary is left)."""
    assert info.period is not None
    periods = [p for p in info.periods if p <= info.period]
    if len(periods) < 2:
        return [], []
    columns = [table.at(info.id, p) for p in periods]
    up_is_worse = info.direction != "higher_is_better"
    out: list[Trend] = []
    boundary: list[str] = []
    pairs = list(zip(periods, columns, strict=True))
    last = columns[-1]
    for a in members:
        now = last.get(a)
        if now is None:
            continue
        moved = False
        if a not in areas.versions:  # one boundary: every period counts (one pass, issue 18)
            series = [(p, cell.value) for p, column in pairs if (cell := column.get(a)) is not None]
        else:
            current = areas.version(a, info.period)
            series = []
            for period, column in pairs:
                cell = column.get(a)
                if cell is None:
                    continue
                if areas.version(a, period) != current:
                    moved = True
                    continue
                series.append((period, cell.value))
        if len(series) < 2:
            if moved:
                boundary.append(a)
            continue
        (first_p, first_v), (prev_p, prev_v) = series[0], series[-2]
        change = round(now.value - prev_v, 6)
        total = round(now.value - first_v, 6)
        where = (a, areas.name(a), areas.areas[a].level, info.period, prev_p)
        out.append(
            Trend(
                info.id,
                *where,
                now.value,
                prev_v,
                change,
                _development(change, up_is_worse),
                first_p,
                first_v,
                total,
                _development(total, up_is_worse),
                tuple(series),
            )
        )
    return out, boundary


def sum_notes(info: IndicatorInfo, areas: AreaTable, table: IndicatorTable) -> list[Note]:
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
