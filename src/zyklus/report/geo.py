"""Choropleth maps as inline SVG, from ``data/areas.geojson`` (issue 16).

*Projection*: equirectangular around the mean latitude of the drawn areas (x = longitude ×
cos(latitude₀)). Over a city of 20 km the scale error is far below a pixel, and unlike Web
Mercator it needs no reference to a tile scheme. *Fit*: the bounding box fills ``width``
with the aspect kept. *Simplification*: Douglas–Peucker in pixel space with a tolerance of
:data:`TOLERANCE` px, so a detailed boundary file gives a map of a few kilobytes; a ring
keeps at least its four extreme points. *Determinism*: areas sorted by id, coordinates
rounded to 0.1 px (``charts.num``) — the same file gives the same bytes.

This module knows no language and no analysis: callers pass the areas with their tone,
their printed value and whether to outline them, and the legend entries.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from zyklus.files.geometry import Ring, Shape
from zyklus.report.charts import FONT, INK, MUTED, num, text_width

TOLERANCE = 0.6  # px; below what a printed map at 160 mm width can show
MAX_AREAS = 2_000  # areas drawn on one map (a city's BA-Distrikte fit; issue 9's bound)
LABEL_SIZE = 9.5
NO_DATA = "#eef1f4"
# tones of the analysis classes, colour-blind safe and still apart in grey print
TONES = {
    "hotspot": "#b2432f",
    "above": "#e59a6b",
    "at": "#d9dee3",
    "below": "#8fb9a8",
    "none": NO_DATA,
    "reach-1": "#a9c4dd",
    "reach-2": "#5f8fbd",
    "reach-3": "#24507f",
    "reach-within": "#dbe6f0",
}
OUTLINE = "#1f2933"


@dataclass(frozen=True)
class MapArea:
    id: str
    name: str
    tone: str
    value: str  # printed under the name; "" for none
    outlined: bool = False
    title: str = ""  # the hover text; defaults to name and value


@dataclass(frozen=True)
class LegendEntry:
    tone: str
    text: str
    outlined: bool = False


@dataclass(frozen=True)
class Drawn:
    svg: Markup
    key: tuple[tuple[int, str], ...]  # number on the map → label, for areas too small to name
    missing: tuple[str, ...]  # areas asked for that have no shape


Point = tuple[float, float]


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker (iterative, so a ring of a million points cannot exhaust the stack)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        norm = dx * dx + dy * dy
        worst, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                dist = (px - ax) ** 2 + (py - ay) ** 2
            else:
                cross = (px - ax) * dy - (py - ay) * dx
                dist = cross * cross / norm
            if dist > worst:
                worst, index = dist, i
        if index >= 0 and worst > limit:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify_ring(ring: list[Point], tolerance: float) -> list[Point]:
    """A closed ring: split at the point farthest from the start so both halves simplify."""
    if len(ring) <= 4:
        return ring
    start = ring[0]
    far = max(
        range(len(ring)), key=lambda i: (ring[i][0] - start[0]) ** 2 + (ring[i][1] - start[1]) ** 2
    )
    one = simplify(ring[: far + 1], tolerance)
    two = simplify(ring[far:], tolerance)
    out = one[:-1] + two
    if len(out) < 4:  # keep a visible shape: the four extreme points
        xs = sorted(set(ring))
        out = [min(xs), min(xs, key=lambda p: p[1]), max(xs), max(xs, key=lambda p: p[1])]
        out.append(out[0])
    return out


@dataclass(frozen=True)
class Frame:
    """Longitude/latitude → pixel of one map."""

    lon0: float
    lat0: float
    cos0: float
    scale: float
    pad: float
    height: float

    def __call__(self, lon: float, lat: float) -> Point:
        x = (lon - self.lon0) * self.cos0 * self.scale + self.pad
        y = self.height - self.pad - (lat - self.lat0) * self.scale
        return x, y


def frame(shapes: Sequence[Shape], width: float, pad: float = 6.0) -> Frame:
    lons = [p[0] for s in shapes for poly in s.polygons for p in poly[0]]
    lats = [p[1] for s in shapes for poly in s.polygons for p in poly[0]]
    lat_mid = (min(lats) + max(lats)) / 2
    cos0 = math.cos(math.radians(lat_mid))
    span_x = max((max(lons) - min(lons)) * cos0, 1e-9)
    span_y = max(max(lats) - min(lats), 1e-9)
    scale = (width - 2 * pad) / span_x
    height = span_y * scale + 2 * pad
    return Frame(min(lons), min(lats), cos0, scale, pad, height)


def _path(rings: list[list[Point]]) -> str:
    parts = []
    for ring in rings:
        head, *rest = ring
        parts.append(
            "M"
            + num(head[0])
            + " "
            + num(head[1])
            + "".join(f"L{num(x)} {num(y)}" for x, y in rest[:-1])
            + "Z"
        )
    return "".join(parts)


def _area_and_centroid(ring: list[Point]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def _projected(shape: Shape, to_px: Frame) -> list[list[list[Point]]]:
    out = []
    for polygon in shape.polygons:
        rings = []
        for ring in polygon:
            projected = _dedupe([to_px(lon, lat) for lon, lat in ring])
            if len(projected) >= 4:
                rings.append(_simplify_ring(projected, TOLERANCE))
        if rings:
            out.append(rings)
    return out


def _dedupe(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for p in points:
        q = (round(p[0], 1), round(p[1], 1))
        if not out or out[-1] != q:
            out.append(q)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def choropleth(
    shapes: dict[str, Shape],
    areas: Sequence[MapArea],
    legend: Sequence[LegendEntry],
    *,
    title: str,
    note: str = "",
    width: float = 640.0,
) -> Drawn:
    """One map: every area filled with its tone, named (or numbered) and valued."""
    wanted = sorted(areas, key=lambda a: a.id)[:MAX_AREAS]
    missing = tuple(a.name for a in wanted if a.id not in shapes)
    present = [a for a in wanted if a.id in shapes]
    if not present:
        return Drawn(Markup(""), (), missing)
    to_px = frame([shapes[a.id] for a in present], width)
    body: list[str] = []
    outlines: list[str] = []
    labels: list[str] = []
    key: list[tuple[int, str]] = []
    for area in present:
        polygons = _projected(shapes[area.id], to_px)
        rings = [ring for polygon in polygons for ring in polygon]
        if not rings:
            continue
        path = _path(rings)
        hover = area.title or (f"{area.name}: {area.value}" if area.value else area.name)
        fill = TONES.get(area.tone, NO_DATA)
        body.append(
            f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" '
            f'stroke-width="0.8"><title>{escape(hover)}</title></path>'
        )
        if area.outlined:
            outlines.append(
                f'<path d="{path}" fill="none" stroke="{OUTLINE}" stroke-width="2.4" '
                f'stroke-dasharray="5 2.5" fill-rule="evenodd"/>'
            )
        outer = [polygon[0] for polygon in polygons]
        size, (cx, cy) = max((_area_and_centroid(r) for r in outer), key=lambda t: t[0])
        xs = [p[0] for r in outer for p in r]
        room = max(xs) - min(xs)
        dark = area.tone in ("hotspot", "reach-3", "reach-2")
        colour = "#ffffff" if dark else INK
        name_fits = text_width(area.name, LABEL_SIZE) <= room * 0.92 and size > 600
        if name_fits:
            labels.append(_label(cx, cy - (2 if area.value else -3), area.name, colour, 600))
            if area.value:
                labels.append(_label(cx, cy + LABEL_SIZE + 1, area.value, colour, 400))
        else:
            number = len(key) + 1
            key.append((number, f"{area.name}{': ' + area.value if area.value else ''}"))
            labels.append(_label(cx, cy + 3, str(number), colour, 600))
    legend_svg, legend_height = _legend(legend, width, to_px.height + 8)
    note_y = to_px.height + 8 + legend_height + 4
    extra = []
    if note:
        extra.append(
            f'<text x="{num(6)}" y="{num(note_y + FONT)}" fill="{MUTED}">{escape(note)}</text>'
        )
        note_y += FONT + 6
    height = note_y + 4
    head = (
        f'<svg class="chart map" role="img" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" font-family="inherit" '
        f'font-size="{num(FONT)}" fill="{INK}"><title>{escape(title)}</title>'
    )
    svg = head + "".join(body) + "".join(outlines) + "".join(labels) + legend_svg + "".join(extra)
    return Drawn(Markup(svg + "</svg>"), tuple(key), missing)


def _label(x: float, y: float, text: str, colour: str, weight: int) -> str:
    return (
        f'<text x="{num(x)}" y="{num(y)}" text-anchor="middle" font-size="{num(LABEL_SIZE)}" '
        f'font-weight="{weight}" fill="{colour}">{escape(text)}</text>'
    )


def _legend(entries: Sequence[LegendEntry], width: float, top: float) -> tuple[str, float]:
    """Swatches in rows that wrap at ``width``."""
    out = []
    x, y = 6.0, top
    row = FONT + 8
    for entry in entries:
        room = 18 + text_width(entry.text) + 16
        if x + room > width and x > 6:
            x, y = 6.0, y + row
        stroke = (
            f' stroke="{OUTLINE}" stroke-width="2" stroke-dasharray="4 2"'
            if entry.outlined
            else ' stroke="#9aa5b1" stroke-width="0.6"'
        )
        fill = "none" if entry.outlined else TONES.get(entry.tone, NO_DATA)
        out.append(
            f'<rect x="{num(x)}" y="{num(y)}" width="12" height="12" fill="{fill}"{stroke}/>'
            f'<text x="{num(x + 17)}" y="{num(y + 10)}">{escape(entry.text)}</text>'
        )
        x += room
    return "".join(out), (y - top) + row


def rings_of(shape: Shape) -> list[Ring]:
    """Every ring of a shape (for tests and the size check)."""
    return [ring for polygon in shape.polygons for ring in polygon]
