"""The hierarchy side of the analysis: level order and hidden hotspots (issues 5, 18).

A hidden hotspot is compared with its nearest ancestor *that has a value*: statistics
offices publish official intermediate levels without data (Berlin's Bezirksregionen
between Bezirk and Planungsraum, Prognoseräume), and comparing with the direct parent
only would hide every hotspot below such a level (issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zyklus.files.tables import AreaTable
from zyklus.needs.results import Class, HiddenHotspot, IndicatorInfo

Classes = dict[str, tuple[float | None, Class | None]]


@dataclass
class Judged:
    """Values and classes of one indicator at its analysed period."""

    values: dict[str, float]
    classes: Classes
    city_value: float | None
    sds: dict[str, float | None] = field(default_factory=dict)  # zscore/index: SD per level


def level_order(areas: AreaTable) -> list[str]:
    """Level names ordered from the top of the hierarchy down (linear: depths memoised)."""
    depth: dict[str, int] = {}
    for area in areas.areas.values():
        d = areas.depth(area.id)
        depth[area.level] = min(d, depth.get(area.level, d))
    return sorted(depth, key=lambda lvl: (depth[lvl], lvl))


def _not_worse(class_: Class | None, direction: str) -> bool:
    good = "above" if direction == "higher_is_better" else "below"
    return class_ in ("at", good)


def hidden_hotspots(
    info: IndicatorInfo,
    areas: AreaTable,
    judged: Judged,
    members: list[str],
    city: str | None,
    every_level: bool,
) -> tuple[list[HiddenHotspot], list[HiddenHotspot]]:
    """Hidden hotspots against the nearest ancestor with a value, and (``every_level``)
    against each ancestor level with a value; the city is never the ancestor compared."""
    assert info.period is not None
    values, classes = judged.values, judged.classes
    nearest: list[HiddenHotspot] = []
    every: list[HiddenHotspot] = []
    standard = info.kind in ("zscore", "index")
    for area in members:
        number, class_ = classes.get(area, (None, None))
        if class_ != "hotspot" or number is None:
            continue
        skipped: list[str] = []
        first = True
        for above in areas.ancestors(area):
            if above == city:
                break
            if above not in values:
                level = areas.areas[above].level if above in areas.areas else ""
                if level not in skipped:
                    skipped.append(level)
                continue
            above_class = classes[above][1]
            if above_class is not None and _not_worse(above_class, info.direction):
                found = _entry(info, areas, judged, area, above, tuple(skipped), standard)
                if first:
                    nearest.append(found)
                if every_level:
                    every.append(found)
            first = False
            if not every_level:
                break
    return nearest, every


def _entry(
    info: IndicatorInfo,
    areas: AreaTable,
    judged: Judged,
    area: str,
    above: str,
    skipped: tuple[str, ...],
    standard: bool,
) -> HiddenHotspot:
    assert info.period is not None
    number = judged.classes[area][0]
    assert number is not None
    ratio = None if standard else round(number, 4)
    units = round(number, 4) if standard else None
    own = (area, areas.name(area), areas.areas[area].level, judged.values[area], ratio)
    above_class = judged.classes[above][1]
    assert above_class is not None
    up = (above, areas.name(above), judged.values[above], above_class, areas.areas[above].level)
    return HiddenHotspot(info.id, info.period, *own, *up, skipped, units)
