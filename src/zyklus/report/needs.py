"""Section 2 of the report, the needs: the small-area analysis of issue 5, shaped for the page.

The analysis itself is :mod:`zyklus.needs.analysis`; this module only picks, sorts and labels what
the committee reads: the hotspots against the city value (one chart per share indicator),
the hidden hotspots, which projects reach each hotspot per target group (gaps marked), and
the duplicate-structure candidates nobody has acknowledged yet. Reach is computed with the
phases of the *report's* cycle, so a report on an older cycle shows that cycle's coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zyklus import i18n, models
from zyklus.files.workspace import Workspace
from zyklus.i18n import message
from zyklus.models import local
from zyklus.needs import analysis

LOCAL_REACH = ("direct", "parent", "child")
# A committee reads the worst first; the full lists are ``zyklus analyse`` (issue 9: a city
# of 10 000 areas must not give a report of 10 MB).
LIMIT = 20  # rows of a hotspot, hidden-hotspot, gap, trend or note list
BARS = 15  # bars of a hotspot chart
OTHERS = 8  # similar structures named per project
SERIES = 6  # hotspots drawn over time per indicator (issue 16)


@dataclass(frozen=True)
class NeedBar:
    label: str
    value: float
    tone: str
    note: str


@dataclass(frozen=True)
class HotspotRow:
    area: str
    name: str
    level: str
    value: float
    ratio: float
    parent_name: str
    parent_value: float | None
    hidden: bool


@dataclass(frozen=True)
class AreaSeries:
    """The values of one area over every period of the data (oldest first)."""

    name: str
    points: tuple[tuple[date, float], ...]
    city: bool


@dataclass(frozen=True)
class LevelHotspots:
    """The hotspots of one area level: levels are never mixed in one ranking (issue 16)."""

    level: str
    label: str
    rows: list[HotspotRow]
    bars: list[NeedBar]
    more: int


@dataclass(frozen=True)
class IndicatorNeeds:
    """The hotspots of one share indicator at its latest (or chosen) period."""

    id: str
    label: str
    unit: str
    period: date
    city_name: str
    city_value: float
    threshold: float
    chart_title: str
    reference_label: str
    bars: list[NeedBar]
    hotspots: list[HotspotRow]  # the worst LIMIT
    more: int  # hotspots not listed
    hidden: list[HotspotRow]
    more_hidden: int
    levels: list[LevelHotspots] = field(default_factory=list)
    series: list[AreaSeries] = field(default_factory=list)  # when there are several periods


@dataclass(frozen=True)
class ReachCell:
    local: tuple[str, ...]  # titles of projects reaching the area itself or near it
    citywide: int
    gap: bool


@dataclass(frozen=True)
class CoverageLine:
    area: str
    name: str
    level: str
    cells: tuple[ReachCell, ...]
    gap: bool


@dataclass(frozen=True)
class DuplicateLine:
    project_id: str
    project: str
    others: tuple[str, ...]
    more: int


@dataclass(frozen=True)
class TrendLine:
    name: str
    indicator: str
    unit: str
    previous_period: date
    period: date
    previous_value: float
    value: float
    change: float
    development: str


@dataclass
class Needs:
    indicators: list[IndicatorNeeds]
    groups: list[str]  # column heads of the coverage table, in zyklus.yaml order
    coverage: list[CoverageLine]
    coverage_more: int
    gaps: list[str]
    gaps_more: int
    duplicates: list[DuplicateLine]
    one_sided: list[str]
    trends: list[TrendLine]
    trends_more: int
    notes: list[str]
    notes_more: int
    hotspot_ratio: float
    illustrative: bool


def shape_needs(
    ws: Workspace, lang: models.Lang, state: models.CycleState
) -> tuple[Needs, analysis.Analysis]:
    """Run the analysis with the report cycle's phases and shape it (issue 5's API); the
    analysis too, for the map and the re-check (issue 16)."""
    phases = {pid: entry.phase for pid, entry in state.projects.items()}
    result = analysis.compute(
        ws.config,
        ws.areas,
        ws.indicators,
        analysis.structures(ws, phases),
        phases,
        crosswalk=ws.crosswalk,  # issue 18
    )
    return NeedsShaper(ws, lang, result).needs(), result


class NeedsShaper:
    def __init__(self, ws: Workspace, lang: models.Lang, result: analysis.Analysis) -> None:
        self.ws = ws
        self.lang = lang
        self.result = result
        self.config = ws.config

    def t(self, msg_id: str, **params: object) -> str:
        return message(msg_id, self.lang, **params)

    def level(self, level: str) -> str:
        msg_id = f"report-area-level-{level}"
        return self.t(msg_id) if i18n.has_message(msg_id) else level

    def number(self, value: float, unit: str) -> str:
        return i18n.format_quantity(value, unit, self.lang)

    def needs(self) -> Needs:
        result = self.result
        blocks = [block for info in result.indicators if (block := self.indicator(info))]
        shown = {h.area for b in blocks for h in (*b.hotspots, *b.hidden)}
        coverage, coverage_more = self.coverage(shown)
        gaps = [f"{g.name} ({self.level(g.level)})" for g in result.gaps]
        trends, trends_more = self.trends()
        notes = [self.note(n) for n in result.notes]
        return Needs(
            indicators=blocks,
            groups=[local(g.label, self.lang) for g in self.config.target_groups],
            coverage=coverage,
            coverage_more=coverage_more,
            gaps=gaps[:LIMIT],
            gaps_more=max(len(gaps) - LIMIT, 0),
            duplicates=self.duplicates(),
            one_sided=self.one_sided(),
            trends=trends,
            trends_more=trends_more,
            notes=notes[:LIMIT],
            notes_more=max(len(notes) - LIMIT, 0),
            hotspot_ratio=result.hotspot_ratio,
            illustrative=result.illustrative,
        )

    def indicator(self, info: analysis.IndicatorInfo) -> IndicatorNeeds | None:
        if info.aggregation != "share" or info.period is None:
            return None
        rankings = [r for r in self.result.rankings if r.indicator == info.id]
        city_value = next((r.city_value for r in rankings if r.city_value is not None), None)
        if city_value is None:
            return None
        hidden = {h.area for h in self.result.hidden_hotspots if h.indicator == info.id}
        rows = [
            HotspotRow(
                row.area,
                row.name,
                self.level(row.level),
                row.value,
                row.ratio or 0.0,
                row.parent_name or "",
                city_value
                if row.parent == self.result.city
                else self.parent_value(rankings, row.parent),
                row.area in hidden,
            )
            for ranking in rankings
            for row in ranking.rows
            if row.class_ == "hotspot"
        ]
        worse_first = -1 if info.direction != "higher_is_better" else 1
        rows.sort(key=lambda r: (worse_first * r.value, r.name.casefold(), r.area))
        label = info.label.get(self.lang) or info.label.get("de") or info.id
        hidden_note = self.t("report-hidden-short")
        bars = [
            NeedBar(
                f"{r.name} ({r.level})",
                r.value,
                "hidden" if r.hidden else "hotspot",
                f"({hidden_note})" if r.hidden else "",
            )
            for r in rows[:BARS]
        ]
        hidden_rows = [r for r in rows if r.hidden]
        city_name = self.result.city_name or ""
        levels = []
        for ranking in rankings:  # the analysis orders the levels from the city down
            level_areas = {x.area for x in ranking.rows}  # once per level, not per row
            mine = [r for r in rows if r.area in level_areas]
            if not mine:
                continue
            levels.append(
                LevelHotspots(
                    ranking.level,
                    self.level(ranking.level),
                    mine[:LIMIT],
                    [
                        NeedBar(
                            r.name,
                            r.value,
                            "hidden" if r.hidden else "hotspot",
                            f"({hidden_note})" if r.hidden else "",
                        )
                        for r in mine[:BARS]
                    ],
                    max(len(mine) - LIMIT, 0),
                )
            )
        return IndicatorNeeds(
            id=info.id,
            label=label,
            unit=info.unit,
            period=info.period,
            city_name=city_name,
            city_value=city_value,
            threshold=round(city_value * self.result.hotspot_ratio, 6),
            chart_title=self.t(
                "report-chart-hotspots", indicator=label, period=info.period, city=city_name
            ),
            reference_label=self.t(
                "report-city-value", city=city_name, value=self.number(city_value, info.unit)
            ),
            bars=bars,
            hotspots=rows[:LIMIT],
            more=max(len(rows) - LIMIT, 0),
            hidden=hidden_rows[:LIMIT],
            more_hidden=max(len(hidden_rows) - LIMIT, 0),
            levels=levels,
            series=self.series(info.id, rows),
        )

    def series(self, indicator: str, rows: list[HotspotRow]) -> list[AreaSeries]:
        """The city and the worst hotspots over time; nothing when there is one period."""
        table = self.ws.indicators
        periods = table.periods(indicator)
        if len(periods) < 2:
            return []
        out = []
        city = self.result.city
        wanted = ([(city, self.result.city_name or city, True)] if city else []) + [
            (r.area, r.name, False) for r in rows[:SERIES]
        ]
        for area, name, is_city in wanted:
            points = tuple(
                (period, found)
                for period in periods
                if (found := table.get(area, indicator, period)) is not None
            )
            if len(points) >= 2:
                out.append(AreaSeries(name, points, is_city))
        return out

    def parent_value(self, rankings: list[analysis.Ranking], parent: str | None) -> float | None:
        for ranking in rankings:
            for row in ranking.rows:
                if row.area == parent:
                    return row.value
        return None

    def coverage(self, shown: set[str]) -> tuple[list[CoverageLine], int]:
        """Lines for the ``shown`` hotspots (analysis order) and how many are left out."""
        groups = [g.id for g in self.config.target_groups]
        by_area: dict[str, dict[str, analysis.CoverageRow]] = {}
        order: list[str] = []
        for row in self.result.coverage:
            if row.area not in shown:
                by_area.setdefault(row.area, {})
                continue
            if row.area not in by_area:
                order.append(row.area)
            by_area.setdefault(row.area, {})[row.target_group] = row
        gaps = {g.area for g in self.result.gaps}
        lines = []
        for area in order:
            rows = by_area[area]
            cells = []
            for group in groups:
                found = rows.get(group)
                reach = found.projects if found is not None else ()
                local_titles = tuple(
                    f"{r.title} ({self.t(f'report-reach-{r.how}')})"
                    for r in sorted(reach, key=lambda r: (r.title.casefold(), r.project))
                    if r.how in LOCAL_REACH
                )
                citywide = sum(r.how == "citywide" for r in reach)
                cells.append(ReachCell(local_titles, citywide, not reach))
            first = next(iter(rows.values()))
            lines.append(
                CoverageLine(area, first.name, self.level(first.level), tuple(cells), area in gaps)
            )
        return lines, len(by_area) - len(lines)

    def duplicates(self) -> list[DuplicateLine]:
        """Unacknowledged candidates per project; a pair of projects is named once."""
        titles = {card.id: card.title for card in self.ws.cards.items.values()}
        seen: set[frozenset[str]] = set()
        grouped: dict[str, list[str]] = {}
        for d in self.result.duplicates:
            if d.acknowledged:
                continue
            if d.other_kind == "project":
                pair = frozenset((d.project, d.other))
                if pair in seen:
                    continue
                seen.add(pair)
            kind = self.t(f"report-kind-{d.other_kind}")
            grouped.setdefault(d.project, []).append(f"{d.other_title} ({kind})")
        return [
            DuplicateLine(
                pid,
                titles.get(pid, pid),
                tuple(sorted(others, key=str.casefold)[:OTHERS]),
                max(len(others) - OTHERS, 0),
            )
            for pid, others in sorted(
                grouped.items(), key=lambda kv: (titles.get(kv[0], kv[0]).casefold(), kv[0])
            )
        ]

    def one_sided(self) -> list[str]:
        titles = {card.id: card.title for card in self.ws.cards.items.values()}
        return [
            self.t(
                "report-one-sided",
                project=titles.get(s.project, s.project),
                other=titles.get(s.other, s.other),
            )
            for s in self.result.one_sided_synergies
        ]

    def trends(self) -> tuple[list[TrendLine], int]:
        """Share indicators only, the strongest worsening first; the first LIMIT and the rest."""
        infos = {i.id: i for i in self.result.indicators if i.aggregation == "share"}
        ordered = sorted(
            (t for t in self.result.trends if t.indicator in infos),
            key=lambda t: (t.development != "worse", -abs(t.change), t.name.casefold(), t.area),
        )
        out = []
        for trend in ordered[:LIMIT]:
            info = infos[trend.indicator]
            out.append(
                TrendLine(
                    trend.name,
                    info.label.get(self.lang) or trend.indicator,
                    info.unit,
                    trend.previous_period,
                    trend.period,
                    trend.previous_value,
                    trend.value,
                    trend.change,
                    self.t(f"report-trend-{trend.development}"),
                )
            )
        return out, len(ordered) - len(out)

    def note(self, note: analysis.Note) -> str:
        params = {
            k: (i18n.format_number(v, self.lang) if isinstance(v, float) else v)
            for k, v in note.params.items()
        }
        text = self.t(note.code, **params)
        return f"{note.path}: {text}" if note.path else text
