"""Small-area data: the spatial hierarchy (``data/areas.csv``) and indicator values.

Read once per command and indexed, so every cross-check is a dictionary look-up.
Bad rows are reported with file and line; a file with any error is not used at all
(nothing is half-loaded).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from zyklus.errors import LoadError, Problem
from zyklus.loader import decode

AREA_COLUMNS = ("id", "name", "level", "parent")


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    level: str
    parent: str | None
    line: int


@dataclass
class AreaTable:
    """The hierarchy city → Stadtbezirk → Ortsteil → BA-Distrikt (any depth)."""

    areas: dict[str, Area] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    def __contains__(self, area_id: object) -> bool:
        return area_id in self.areas

    @property
    def roots(self) -> list[str]:
        return [a.id for a in self.areas.values() if a.parent is None]

    def ancestors(self, area_id: str) -> list[str]:
        """Parent, grandparent, … up to the root (loop-safe)."""
        out: list[str] = []
        current = self.areas.get(area_id)
        while current is not None and current.parent is not None and current.parent not in out:
            out.append(current.parent)
            current = self.areas.get(current.parent)
        return out

    def descendants(self, area_id: str) -> list[str]:
        out: list[str] = []
        todo = list(self.children.get(area_id, ()))
        while todo:
            child = todo.pop()
            if child in out:
                continue
            out.append(child)
            todo.extend(self.children.get(child, ()))
        return out

    def depth(self, area_id: str) -> int:
        return len(self.ancestors(area_id))


def read_rows(path: Path, display: str) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as (line, row); comma or semicolon, UTF-8 with or without BOM."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError([Problem("Y-READ", path=display, params={"error": exc.strerror})]) from None
    text = decode(raw, display)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(reader.line_num, row) for row in reader]


def load_areas(path: Path, display: str) -> AreaTable:
    """Read ``areas.csv``; raise every problem at once (unknown parent, loop, duplicate)."""
    problems: list[Problem] = []
    table = AreaTable()
    rows = read_rows(path, display)
    for line, row in rows:
        area_id = (row.get("id") or "").strip()
        if not area_id:
            problems.append(Problem("D-AREA-ID", path=display, line=line))
            continue
        if area_id in table.areas:
            problems.append(
                Problem(
                    "D-AREA-DUPLICATE",
                    path=display,
                    line=line,
                    params={"id": area_id, "first": table.areas[area_id].line},
                )
            )
            continue
        parent = (row.get("parent") or "").strip() or None
        table.areas[area_id] = Area(
            area_id, (row.get("name") or "").strip(), (row.get("level") or "").strip(), parent, line
        )
    for area in table.areas.values():
        if area.parent is None:
            continue
        if area.parent not in table.areas:
            problems.append(
                Problem(
                    "D-AREA-PARENT",
                    path=display,
                    line=area.line,
                    params={"id": area.id, "parent": area.parent},
                )
            )
            continue
        table.children.setdefault(area.parent, []).append(area.id)
    for area in table.areas.values():
        if area.id in table.ancestors(area.id):
            problems.append(
                Problem("D-AREA-LOOP", path=display, line=area.line, params={"id": area.id})
            )
    if problems:
        raise LoadError(problems)
    return table
