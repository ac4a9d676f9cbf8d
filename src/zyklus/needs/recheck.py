"""The next cycle re-checks the needs (issue 14; seed Kap. 8: "Mit der Überarbeitung der
statistischen Kennzahlen kann so die Bedarfslage neu festgestellt werden").

For every need's evidence of the projects in a cycle, the cited value is compared with the
newest period of ``data/indicators.csv``: a need no longer holds when its area is no longer
a hotspot, it got worse when the newest value is on the worse side of the cited one. Then
the hotspots of the newest data that no project reaches *in place* (directly, through a
parent or a sub-area) are listed; citywide projects are named with them but do not count,
because a citywide campaign does not answer a district that has just become a hotspot.

Plain data in, plain frozen dataclasses out; ``cycle start``, ``analyse --since`` and the
report's "Fortschreibung" section render the same :class:`Recheck`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from zyklus import models
from zyklus.models import CITYWIDE
from zyklus.needs.analysis import (
    REACHING_PHASES,
    Analysis,
    Class,
    Structure,
    classify,
    compute,
    structures,
)

if TYPE_CHECKING:
    from zyklus.files.tables import AreaTable, IndicatorTable
    from zyklus.files.workspace import Workspace

Status = Literal["resolved", "worse", "holds", "stale"]
_EPS = 1e-9


@dataclass(frozen=True)
class NeedCheck:
    """One piece of evidence of one need, then and now."""

    project: str
    title: str
    statement: str
    area: str
    area_name: str
    indicator: str
    unit: str
    cited_period: date
    cited_value: float | None  # None: the cited period is not in the data (any more)
    cited_class: Class | None
    newest_period: date | None
    newest_value: float | None
    newest_class: Class | None
    ratio: float | None
    status: Status


@dataclass(frozen=True)
class OpenHotspot:
    """A hotspot of the newest data that no project reaches in place."""

    area: str
    name: str
    level: str
    indicator: str
    unit: str
    period: date
    value: float
    ratio: float | None
    new: bool | None  # not a hotspot in the period before (None: no earlier period)
    citywide: tuple[str, ...]  # projects that reach it only citywide


@dataclass(frozen=True)
class Recheck:
    cycle: int
    periods: tuple[tuple[str, date], ...]  # newest period per indicator checked
    checks: tuple[NeedCheck, ...]
    open_hotspots: tuple[OpenHotspot, ...]

    def having(self, status: Status) -> tuple[NeedCheck, ...]:
        return tuple(c for c in self.checks if c.status == status)

    @property
    def resolved(self) -> tuple[NeedCheck, ...]:
        return self.having("resolved")

    @property
    def worse(self) -> tuple[NeedCheck, ...]:
        return self.having("worse")

    @property
    def newest(self) -> date | None:
        return max((p for _, p in self.periods), default=None)


def recheck(
    ws: Workspace, state: models.CycleState, *, analysis: Analysis | None = None
) -> Recheck:
    """The needs of the projects of ``state`` (not ended) against the newest data.

    ``analysis``: the analysis of this workspace with the phases of ``state``, when the
    caller ran it already (the report: issue 21, it is the costliest part at 10 000 projects).
    """
    phases = {pid: s.phase for pid, s in state.projects.items()}
    cards = [
        ws.cards.items[pid]
        for pid in sorted(phases)
        if pid in ws.cards.items and phases[pid] not in models.END_STATES
    ]
    items = structures(ws, phases)
    return compare(
        ws.config, ws.areas, ws.indicators, cards, items, phases, state.cycle, analysis=analysis
    )


def recheck_since(ws: Workspace, year: int) -> Recheck:
    """``analyse --since YEAR``: the needs of the projects of cycle ``year`` against the
    newest data."""
    from zyklus.errors import Problem, UsageError
    from zyklus.files.cycles import read_cycle

    if not ws.cycle_path(year).is_file():
        raise UsageError([Problem("CY-SINCE-NO-CYCLE", params={"year": year})])
    return recheck(ws, read_cycle(ws, year))


def as_dict(result: Recheck) -> dict[str, object]:
    """JSON-ready data (dates as ISO text), with the lists by status."""
    from zyklus.needs.analysis import as_plain

    def iso(value: object) -> object:
        if isinstance(value, dict):
            return {k: iso(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [iso(v) for v in value]
        return value.isoformat() if isinstance(value, date) else value

    plain = as_plain(result)
    out = iso(plain)
    assert isinstance(out, dict)
    out["resolved"] = [iso(as_plain(c)) for c in result.resolved]
    out["worse"] = [iso(as_plain(c)) for c in result.worse]
    return out


def compare(
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    cards: list[models.Card],
    items: list[Structure],
    phases: Mapping[str, str],
    cycle: int,
    *,
    analysis: Analysis | None = None,
) -> Recheck:
    """:func:`recheck` on loaded data: ``cards`` give the needs, ``items`` the reach."""
    indicators = {i.id: i for i in config.indicators}
    city = config.city
    checks: list[NeedCheck] = []
    used: dict[str, date] = {}
    for card in cards:
        for need in card.needs:
            for evidence in need.evidence:
                info = indicators.get(evidence.indicator)
                if info is None or info.aggregation != "share":
                    continue
                check = _check(config, areas, table, card, need, evidence, info, city)
                checks.append(check)
                if check.newest_period is not None:
                    used[info.id] = check.newest_period
    return Recheck(
        cycle=cycle,
        periods=tuple(sorted(used.items())),
        checks=tuple(checks),
        open_hotspots=tuple(_open_hotspots(config, areas, table, items, phases, analysis)),
    )


def _check(
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    card: models.Card,
    need: models.Need,
    evidence: models.Evidence,
    info: models.Indicator,
    city: str | None,
) -> NeedCheck:
    area = city if evidence.area == CITYWIDE and city else evidence.area
    periods = table.periods(info.id)
    newest = periods[-1] if periods else None
    cited = table.get(area, info.id, evidence.period)
    cited_city = table.get(city, info.id, evidence.period) if city else None
    _, cited_class = (
        classify(cited, cited_city, info.direction, config.thresholds)
        if cited is not None
        else (None, None)
    )
    value = table.get(area, info.id, newest) if newest is not None else None
    ratio: float | None = None
    now_class: Class | None = None
    if newest is not None and value is not None:
        city_now = table.get(city, info.id, newest) if city else None
        ratio, now_class = classify(value, city_now, info.direction, config.thresholds)
    status: Status
    if newest is None or value is None or newest <= evidence.period:
        status = "stale"
    elif now_class != "hotspot" and cited_class in ("hotspot", None) and now_class is not None:
        status = "resolved"
    elif cited is not None and _worse(value, cited, info.direction):
        status = "worse"
    else:
        status = "holds"
    return NeedCheck(
        project=card.id,
        title=card.title,
        statement=need.statement.strip(),
        area=evidence.area,
        area_name=areas.name(area),
        indicator=info.id,
        unit=info.unit,
        cited_period=evidence.period,
        cited_value=cited,
        cited_class=cited_class,
        newest_period=newest,
        newest_value=value,
        newest_class=now_class,
        ratio=ratio,
        status=status,
    )


def _worse(value: float, cited: float, direction: str) -> bool:
    if direction == "higher_is_better":
        return value < cited - _EPS
    return value > cited + _EPS


def _open_hotspots(
    config: models.Workspace,
    areas: AreaTable,
    table: IndicatorTable,
    items: list[Structure],
    phases: Mapping[str, str],
    analysis: Analysis | None = None,
) -> list[OpenHotspot]:
    """Hotspots of the newest data with no project in place (the analysis's coverage)."""
    if analysis is None:
        analysis = compute(config, areas, table, items, phases)
    infos = {i.id: i for i in analysis.indicators}
    by_area: dict[str, dict[str, set[str]]] = {}  # area → how → projects
    for covered in analysis.coverage:
        ways = by_area.setdefault(covered.area, {})
        for reach in covered.projects:
            if reach.phase in REACHING_PHASES:
                ways.setdefault(reach.how, set()).add(reach.project)
    units = {i.id: i.unit for i in config.indicators}
    out: list[OpenHotspot] = []
    for ranking in analysis.rankings:
        info = infos.get(ranking.indicator)
        if info is None or ranking.period != info.period:
            continue
        before = [p for p in info.periods if p < ranking.period]
        for row in ranking.rows:
            if row.class_ != "hotspot":
                continue
            ways = by_area.get(row.area, {})
            if any(ways.get(how) for how in ("direct", "parent", "child")):
                continue
            new: bool | None = None  # no earlier period: unknown
            old = table.get(row.area, ranking.indicator, before[-1]) if before else None
            if before and old is not None:
                city = ranking.city
                old_city = table.get(city, ranking.indicator, before[-1]) if city else None
                _, old_class = classify(old, old_city, info.direction, config.thresholds)
                new = old_class != "hotspot"
            out.append(
                OpenHotspot(
                    area=row.area,
                    name=row.name,
                    level=row.level,
                    indicator=ranking.indicator,
                    unit=units.get(ranking.indicator, ""),
                    period=ranking.period,
                    value=row.value,
                    ratio=row.ratio,
                    new=new,
                    citywide=tuple(sorted(ways.get("citywide", ()))),
                )
            )
    out.sort(key=lambda h: (h.indicator, -(h.ratio or 0), h.area))
    return out
