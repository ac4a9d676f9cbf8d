"""The map section of the report: which maps, which areas, which tones (issue 16).

One choropleth per share indicator and area level that has geometries: each area in the
class the analysis gave it against the city value (hotspot, above, around, below), its
value printed, the areas hiding a hidden hotspot outlined. One more map shows where the
projects work. :mod:`zyklus.report.geo` draws; this module only decides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from zyklus import i18n, models
from zyklus.files.geometry import Geometries, Shape
from zyklus.files.tables import CITYWIDE, AreaTable
from zyklus.i18n import message
from zyklus.models import END_STATES
from zyklus.needs import analysis
from zyklus.report.geo import Drawn, LegendEntry, MapArea, choropleth

WIDTH = 640.0


@dataclass(frozen=True)
class MapBlock:
    title: str
    svg: Markup
    key: tuple[tuple[int, str], ...]
    missing: tuple[str, ...]


@dataclass
class Maps:
    available: bool
    blocks: list[MapBlock] = field(default_factory=list)
    reach: MapBlock | None = None


def shape_maps(
    geometries: Geometries,
    areas: AreaTable,
    result: analysis.Analysis,
    cards: dict[str, models.Card],
    phases: Mapping[str, str | None],
    *,
    lang: models.Lang,
) -> Maps:
    if not geometries:
        return Maps(available=False)
    t = _t(lang)
    shapes = geometries.shapes
    blocks: list[MapBlock] = []
    for info in result.indicators:
        if info.aggregation != "share" or info.period is None:
            continue
        label = info.label.get(lang) or info.label.get("de") or info.id
        hidden = [h for h in result.hidden_hotspots if h.indicator == info.id]
        for ranking in result.rankings:
            if ranking.indicator != info.id or ranking.city_value is None:
                continue
            level_ids = [a.id for a in areas.areas.values() if a.level == ranking.level]
            if not any(i in shapes for i in level_ids):
                continue
            by_area = {row.area: row for row in ranking.rows}
            outlined = {_at_level(areas, h.area, ranking.level) for h in hidden} - {None}
            entries = []
            for area_id in level_ids:
                row = by_area.get(area_id)
                entries.append(
                    MapArea(
                        area_id,
                        areas.areas[area_id].name or area_id,
                        (row.class_ or "none") if row is not None else "none",
                        _value(row.value, info.unit, lang) if row is not None else "",
                        outlined=area_id in outlined,
                    )
                )
            threshold = _value(ranking.city_value * result.hotspot_ratio, info.unit, lang)
            legend = [
                LegendEntry("hotspot", t("geo-class-hotspot", threshold=threshold)),
                LegendEntry("above", t("geo-class-above")),
                LegendEntry("at", t("geo-class-at")),
                LegendEntry("below", t("geo-class-below")),
            ]
            if any(e.tone == "none" for e in entries):
                legend.append(LegendEntry("none", t("geo-class-none")))
            if outlined:
                names = sorted({h.name for h in hidden}, key=str.casefold)
                legend.append(
                    LegendEntry("none", t("geo-hidden-outline", areas=", ".join(names)), True)
                )
            level = _level(ranking.level, lang)
            title = t("geo-map-title", indicator=label, level=level, period=info.period)
            note = t(
                "geo-city-value",
                city=result.city_name or "",
                value=_value(ranking.city_value, info.unit, lang),
            )
            drawn = choropleth(shapes, entries, legend, title=title, note=note, width=WIDTH)
            blocks.append(_block(title, drawn))
    return Maps(True, blocks, _reach(shapes, areas, cards, phases, lang))


def _reach(
    shapes: dict[str, Shape],
    areas: AreaTable,
    cards: dict[str, models.Card],
    phases: Mapping[str, str | None],
    lang: models.Lang,
) -> MapBlock | None:
    """Where the running projects work, on the level with the most shapes."""
    t = _t(lang)
    counts: dict[str, int] = {}
    for a in areas.areas.values():
        if a.id in shapes:
            counts[a.level] = counts.get(a.level, 0) + 1
    if not counts:
        return None
    level = max(sorted(counts), key=lambda k: counts[k])
    level_ids = [a.id for a in areas.areas.values() if a.level == level and a.id in shapes]
    direct: dict[str, list[str]] = {i: [] for i in level_ids}
    within: dict[str, list[str]] = {i: [] for i in level_ids}
    citywide = 0
    for card in sorted(cards.values(), key=lambda c: (c.title.casefold(), c.id)):
        if phases.get(card.id) in END_STATES:
            continue
        if CITYWIDE in card.areas:
            citywide += 1
            continue
        for area_id in level_ids:
            line = [area_id, *areas.ancestors(area_id)]
            if any(a in line for a in card.areas):
                direct[area_id].append(card.title)
            elif any(area_id in areas.ancestors(a) for a in card.areas if a in areas):
                within[area_id].append(card.title)
    entries = []
    for area_id in level_ids:
        name = areas.areas[area_id].name or area_id
        here, inside = direct[area_id], within[area_id]
        if here:
            tone = f"reach-{min(len(here), 3)}"
            text = t("geo-reach-count", count=len(here))
            hover = f"{name}: " + "; ".join(here)
        elif inside:
            tone, text = "reach-within", t("geo-reach-within")
            hover = f"{name}: " + "; ".join(inside)
        else:
            tone, text, hover = "none", "", f"{name}: {t('geo-reach-none')}"
        entries.append(MapArea(area_id, name, tone, text, title=hover))
    legend = [
        LegendEntry("reach-1", t("geo-reach-count", count=1)),
        LegendEntry("reach-2", t("geo-reach-count", count=2)),
        LegendEntry("reach-3", t("geo-reach-count", count="3+")),
        LegendEntry("reach-within", t("geo-reach-within")),
        LegendEntry("none", t("geo-reach-none")),
    ]
    note = t("geo-reach-citywide", count=citywide) if citywide else ""
    title = t("geo-reach-title")
    drawn = choropleth(shapes, entries, legend, title=title, note=note, width=WIDTH)
    return _block(title, drawn)


def _block(title: str, drawn: Drawn) -> MapBlock:
    return MapBlock(title, drawn.svg, drawn.key, drawn.missing)


def _at_level(areas: AreaTable, area_id: str, level: str) -> str | None:
    """The area itself when it is of ``level``, else its ancestor of that level."""
    for candidate in (area_id, *areas.ancestors(area_id)):
        found = areas.areas.get(candidate)
        if found is not None and found.level == level:
            return candidate
    return None


def _value(value: float, unit: str, lang: str) -> str:
    if unit == "%":
        return i18n.format_percent(value, lang)
    number = i18n.format_number(value, lang)
    return f"{number} {unit}" if unit else number


def _level(level: str, lang: str) -> str:
    msg_id = f"report-area-level-{level}"
    return message(msg_id, lang) if i18n.has_message(msg_id) else level


def _t(lang: str) -> Callable[..., str]:
    def t(msg_id: str, **params: object) -> str:
        return message(msg_id, lang, **params)

    return t
