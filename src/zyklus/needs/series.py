"""The time side of the analysis: trends over the whole series, and sums (issues 5, 18).

A statistics office's table has 10 or 14 yearly periods; a trend says how an area moved
over the whole series and in the last step, and carries the series for a sparkline. Areas
whose boundary was redrawn between two periods (``valid_from``/``valid_to`` in
data/areas.csv, the id reused) are compared only within the same boundary: "−26,4 Pp."
where only the boundary moved is not a trend (issue 18).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal, NamedTuple

from zyklus.files.tables import AreaTable, Crosswalk, IndicatorTable
from zyklus.needs.results import IndicatorInfo, Note, Trend, maker

_EPS = 1e-9
Development = Literal["worse", "better", "same"]
trend = maker(Trend)


def _development(change: float, up_is_worse: bool) -> Development:
    return "same" if change == 0 else "worse" if (change > 0) == up_is_worse else "better"


class Through(NamedTuple):
    """What the crosswalk did for one indicator's trends (issue 18)."""

    used: list[str]  # areas whose trend has values carried through the crosswalk
    refused: list[str]  # areas whose earlier values could only come through it, and cannot


def through_crosswalk(
    pairs: tuple[tuple[str, float], ...],
    column: Mapping[str, float],
    base: Mapping[str, float] | None,
    kind: str,
) -> float | None:
    """The value of a new area at an earlier period, from the old areas' values there.

    A count is the weighted sum of the old areas' counts; a share the weighted count over
    the weighted base (Σ w·share·base / Σ w·base); None when an old area (or its base) has
    no value at that period, or the base adds up to 0.
    """
    if kind == "count":
        total = 0.0
        for old, weight in pairs:
            cell = column.get(old)
            if cell is None:
                return None
            total += weight * cell
        return total
    if base is None:
        return None
    counted = weighed = 0.0
    for old, weight in pairs:
        cell, of = column.get(old), base.get(old)
        if cell is None or of is None:
            return None
        counted += weight * cell * of
        weighed += weight * of
    return counted / weighed if weighed > 0 else None


def trends(
    info: IndicatorInfo,
    areas: AreaTable,
    table: IndicatorTable,
    members: list[str],
    crosswalk: Crosswalk | None = None,
) -> tuple[list[Trend], list[str], Through]:
    """Trends of ``members`` up to the analysed period, the areas left out because their
    boundary changed (and no earlier value within the current boundary is left), and what
    went through the declared crosswalk (issue 18)."""
    assert info.period is not None
    through = Through([], [])
    periods = [p for p in info.periods if p <= info.period]
    if len(periods) < 2:
        return [], [], through
    columns = [table.at(info.id, p) for p in periods]
    up_is_worse = info.direction != "higher_is_better"
    out: list[Trend] = []
    boundary: list[str] = []
    pairs = list(zip(periods, columns, strict=True))
    last = columns[-1]
    into = crosswalk.into if crosswalk else {}
    usable = info.kind == "count" or (info.kind == "share" and info.base is not None)
    bases: dict[date, Mapping[str, float]] = {}
    whole = _whole_series(periods, columns, [a for a in members if a not in areas.versions])
    for a in members:
        now = last.get(a)
        if now is None:
            continue
        moved = False
        crossed: list[date] = []
        series: Sequence[tuple[date, float]] | None = whole.get(a)
        if series is not None:
            pass
        elif a not in areas.versions:  # one boundary: every period counts (one pass, issue 18)
            series = [(p, cell) for p, column in pairs if (cell := column.get(a)) is not None]
        else:
            current = areas.version(a, info.period)
            walk = into.get(a) if usable else None
            redrawn: list[tuple[date, float]] = []
            series = redrawn
            for period, column in pairs:
                cell = column.get(a)
                if areas.version(a, period) == current:
                    if cell is not None:
                        redrawn.append((period, cell))
                    continue
                if walk is not None:  # the old boundary's values, weighted (issue 18)
                    if info.base is not None and period not in bases:
                        bases[period] = table.at(info.base, period)
                    value = through_crosswalk(walk, column, bases.get(period), info.kind)
                    if value is not None:
                        redrawn.append((period, round(value, 6)))
                        crossed.append(period)
                elif cell is not None:
                    moved = True
                elif a in into and _has_old(into[a], column):
                    moved = True  # only the crosswalk could give a value, not for this kind
        if crossed and len(series) >= 2:
            through.used.append(a)
        if len(series) < 2:
            if moved:
                (through.refused if a in into else boundary).append(a)
            continue
        (first_p, first_v), (prev_p, prev_v) = series[0], series[-2]
        change = round(now - prev_v, 6)
        total = round(now - first_v, 6)
        where = (a, areas.name(a), areas.areas[a].level, info.period, prev_p)
        out.append(
            trend(
                info.id,
                *where,
                now,
                prev_v,
                change,
                _development(change, up_is_worse),
                first_p,
                first_v,
                total,
                _development(total, up_is_worse),
                tuple(series),
                tuple(crossed),
            )
        )
    return out, boundary, through


def _whole_series(
    periods: list[date], columns: Sequence[Mapping[str, float]], members: list[str]
) -> dict[str, tuple[tuple[date, float], ...]]:
    """The series of the members with a value in every period, a column at a time (issue
    18: 10 000 areas × 10 periods without a Python step per value)."""
    complete = set(members).intersection(*columns)
    if not complete:
        return {}
    chosen = [a for a in members if a in complete]
    numbers = [list(map(column.__getitem__, chosen)) for column in columns]
    rows = zip(*numbers, strict=True)
    return {a: tuple(zip(periods, row, strict=True)) for a, row in zip(chosen, rows, strict=True)}


def _has_old(pairs: tuple[tuple[str, float], ...], column: Mapping[str, float]) -> bool:
    return any(old in column for old, _ in pairs)


def sum_notes(info: IndicatorInfo, areas: AreaTable, table: IndicatorTable) -> list[Note]:
    """Parents whose value differs from the sum of their children (all children known)."""
    assert info.period is not None
    at = table.at(info.id, info.period)
    out = []
    for parent, value in at.items():
        children = areas.children.get(parent, [])
        if not children or any(c not in at for c in children):
            continue
        total = sum(at[c] for c in children)
        if abs(total - value) > _EPS * max(1.0, abs(value)):
            params: dict[str, Any] = {"area": parent, "name": areas.name(parent)}
            params.update(indicator=info.id)
            params.update(value=value, sum=total, children=len(children))
            params.update(diff=round(value - total, 6))
            line = table.line(parent, info.id, info.period)
            out.append(Note("D-SUM-DIFF", table.path, line, params))
    return out
