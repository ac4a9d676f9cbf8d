"""Area geometries for the report's map: ``data/areas.geojson`` (issue 16).

The format is plain GeoJSON (RFC 7946) as a city's open-data portal exports it: one
``FeatureCollection`` whose features are ``Polygon`` or ``MultiPolygon`` in longitude /
latitude (WGS 84). A feature's ``id`` — or, when a portal cannot write ids, its
``properties.id`` — is the area id of ``data/areas.csv``. Other properties are ignored.

The file is untrusted (a workspace may arrive by merge request): its size, the number of
features and of points are capped, every coordinate must be a finite number in range, and a
problem names the feature it is in. Nothing here projects or simplifies; that is the map's
job (:mod:`zyklus.report.geo`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from zyklus.errors import LoadError, Problem
from zyklus.files.loader import read_text_bounded

MAX_BYTES = 64 << 20  # a city's Ortsteile at full detail are a few MiB
MAX_FEATURES = 20_000
MAX_POINTS = 4_000_000
FILE = Path("data") / "areas.geojson"

Ring = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Shape:
    """One area: its polygons, each an outer ring followed by its holes (lon, lat)."""

    id: str
    polygons: tuple[tuple[Ring, ...], ...]


@dataclass
class Geometries:
    shapes: dict[str, Shape] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.shapes)


def load_geometries(path: Path, name: str) -> Geometries:
    """Parse and check ``path``; any problem raises :class:`LoadError` (nothing half-read)."""
    import json  # a one-card validate reads no geometry (issue 21)

    text = read_text_bounded(path, name, MAX_BYTES)
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise LoadError(
            [Problem("GEO-JSON", path=name, line=line, col=col, params={"error": str(exc)})]
        ) from None
    return parse(data, name)


def _no_constant(value: str) -> float:
    raise ValueError(f"{value} is not a number")


def parse(data: object, name: str) -> Geometries:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise LoadError([Problem("GEO-NOT-COLLECTION", path=name)])
    features = data.get("features")
    if not isinstance(features, list):
        raise LoadError([Problem("GEO-NOT-COLLECTION", path=name)])
    if len(features) > MAX_FEATURES:
        raise LoadError([Problem("GEO-TOO-MANY", path=name, params={"limit": MAX_FEATURES})])
    problems: list[Problem] = []
    shapes: dict[str, Shape] = {}
    points = 0
    for index, feature in enumerate(features):
        where = f"features[{index}]"
        if not isinstance(feature, dict):
            problems.append(Problem("GEO-FEATURE", path=name, params={"where": where}))
            continue
        area = _feature_id(feature)
        if area is None:
            problems.append(Problem("GEO-NO-ID", path=name, params={"where": where}))
            continue
        if area in shapes:
            problems.append(Problem("GEO-DUPLICATE", path=name, params={"id": area}))
            continue
        polygons = _polygons(feature.get("geometry"))
        if polygons is None:
            problems.append(Problem("GEO-GEOMETRY", path=name, params={"id": area}))
            continue
        points += sum(len(ring) for polygon in polygons for ring in polygon)
        if points > MAX_POINTS:
            raise LoadError([Problem("GEO-TOO-MANY", path=name, params={"limit": MAX_POINTS})])
        shapes[area] = Shape(area, polygons)
    if problems:
        raise LoadError(problems)
    return Geometries(dict(sorted(shapes.items())))


def _feature_id(feature: dict[str, object]) -> str | None:
    value = feature.get("id")
    properties = feature.get("properties")
    if value is None and isinstance(properties, dict):
        value = properties.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text if text and len(text) <= 200 and text.isprintable() else None


def _polygons(geometry: object) -> tuple[tuple[Ring, ...], ...] | None:
    if not isinstance(geometry, dict):
        return None
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return None
    raw = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
    if raw is None:
        return None
    out = []
    for polygon in raw:
        if not isinstance(polygon, list) or not polygon:
            return None
        rings = []
        for ring in polygon:
            checked = _ring(ring)
            if checked is None:
                return None
            rings.append(checked)
        out.append(tuple(rings))
    return tuple(out) if out else None


def _ring(ring: object) -> Ring | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return None
    points = []
    for point in ring:
        if not isinstance(point, list) or len(point) < 2:
            return None
        lon, lat = point[0], point[1]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lon, lat)):
            return None
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return None
        points.append((float(lon), float(lat)))
    return tuple(points)
