"""Small-area data: the spatial hierarchy (``data/areas.csv``) and indicator values.

Read once per command and indexed, so every cross-check is a dictionary look-up.
Bad rows are reported with file and line; a file with any error is not used at all
(nothing is half-loaded).

Planners keep these files in Excel, so besides plain UTF-8 CSV we read what German Excel
writes: semicolons, decimal comma, thousands dot (``1.340`` = 1340), a ``%`` sign on
formatted cells, dates as ``31.12.2023``. What could be read two ways is never guessed
(issue 5): ``1.340`` is 1340 to a German and 1.34 to everyone else, so unless
``zyklus.yaml`` declares the convention (``data: {decimal: ","}``) it is an error.
"""

from __future__ import annotations

import csv
import io
import math
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, NamedTuple

from zyklus.errors import LoadError, Problem
from zyklus.files.encoding import Encoding, read_data_text
from zyklus.models import CsvConvention, Indicator
from zyklus.suggest import closest

# A city with 10 000 areas, 20 indicators and 10 periods writes about 100 MiB of CSV;
# the cap only stops a file that cannot be data (a disk image, /dev/zero) (issue 8).
MAX_DATA_BYTES = 512 << 20
AREA_COLUMNS = ("id", "name", "level", "parent")
INDICATOR_COLUMNS = ("area", "indicator", "period", "value")
CITYWIDE = "citywide"

Decimal = Literal[".", ","]

# Number forms. Thousands separators only in the German form (dot); an English comma
# separator is never accepted, because with a comma delimiter it cannot be told apart.
_INT = re.compile(r"^[+-]?\d+$")
_POINT = re.compile(r"^[+-]?\d*\.\d+$")
_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_GERMAN = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_TWO_WAYS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")  # 1.340 / 1,340
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_PERCENT_SIGN = re.compile(r"\s*%$")


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
        seen: set[str] = set()
        todo = list(self.children.get(area_id, ()))
        while todo:
            child = todo.pop()
            if child in seen:
                continue
            seen.add(child)
            out.append(child)
            todo.extend(self.children.get(child, ()))
        return out

    def depth(self, area_id: str) -> int:
        return len(self.ancestors(area_id))

    def name(self, area_id: str) -> str:
        area = self.areas.get(area_id)
        return area.name if area is not None and area.name else area_id


class Value(NamedTuple):
    """One indicator value with the line it came from (for notes that point at it)."""

    area: str
    indicator: str
    period: date
    value: float
    line: int


@dataclass
class IndicatorTable:
    """``data/indicators.csv`` indexed by (indicator, period) → area → value."""

    path: str = ""
    values: dict[tuple[str, date], dict[str, Value]] = field(default_factory=dict)

    def __len__(self) -> int:
        return sum(len(by_area) for by_area in self.values.values())

    def get(self, area: str, indicator: str, period: date) -> Value | None:
        return self.values.get((indicator, period), {}).get(area)

    def periods(self, indicator: str) -> list[date]:
        """The periods with any value for ``indicator``, oldest first."""
        return sorted(p for (i, p) in self.values if i == indicator)

    def at(self, indicator: str, period: date) -> dict[str, Value]:
        return self.values.get((indicator, period), {})


# --- CSV reading ---------------------------------------------------------------------------


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _header_problem(
    display: str, line: int, missing: Sequence[str], required: Sequence[str], delimiter: str
) -> Problem:
    shown = "Tab" if delimiter == "\t" else delimiter
    params = {
        "missing": ", ".join(missing),
        "expected": delimiter.join(required),
        "delimiter": shown,
    }
    return Problem("D-HEADER", path=display, line=line, params=params)


def _read(
    path: Path, display: str, delimiter: str, required: Sequence[str], encoding: Encoding = "auto"
) -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header, rows as (first line, stripped fields, one per header column), problems."""
    text = read_data_text(path, display, MAX_DATA_BYTES, encoding)  # cp1252 too (issue 17)
    if delimiter == "auto":
        delimiter = _detect_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems: list[Problem] = []
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    width = 0
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem("D-CSV", path=display, line=line, params={"error": str(exc)}))
            break
        fields = list(map(str.strip, fields))
        if not any(fields):
            continue  # blank lines and Excel's trailing ';;;' rows
        if header is None:
            header = [f.lower() for f in fields]
            width = len(header)
            missing = [c for c in required if c not in header]
            if missing:
                problems.append(_header_problem(display, line, missing, required, delimiter))
                break
            continue
        if len(fields) != width:
            if any(fields[width:]):
                params = {"found": len(fields), "expected": width}
                problems.append(Problem("D-ROW-FIELDS", path=display, line=line, params=params))
                continue
            fields = (fields + [""] * width)[:width]
        rows.append((line, fields))
    if header is None and not problems:
        problems.append(_header_problem(display, 1, required, required, delimiter))
    return header or [], rows, problems


def read_rows(
    path: Path, display: str, delimiter: str = "auto"
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as (line, row); comma, semicolon or tab, UTF-8 with or without BOM."""
    header, rows, problems = _read(path, display, delimiter, ())
    if problems:
        raise LoadError(problems)
    return [(line, dict(zip(header, fields, strict=True))) for line, fields in rows]


# --- areas.csv -----------------------------------------------------------------------------


def load_areas(path: Path, display: str, convention: CsvConvention | None = None) -> AreaTable:
    """Read ``areas.csv``; raise every problem at once (unknown parent, loop, duplicate)."""
    convention = convention or CsvConvention()
    header, rows, problems = _read(
        path, display, convention.delimiter, ("id", "parent"), convention.encoding
    )
    table = AreaTable()
    for line, fields in rows:
        row = dict(zip(header, fields, strict=True))
        area_id = row.get("id", "")
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
        parent = row.get("parent") or None
        table.areas[area_id] = Area(
            area_id, row.get("name", ""), row.get("level", ""), parent, line
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
        raise LoadError(sorted(problems, key=lambda p: p.line or 0))
    return table


# --- indicators.csv ------------------------------------------------------------------------


class _NumberError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params


@dataclass
class _Decimals:
    """The decimal convention of one file: declared, or learnt from unambiguous values."""

    declared: Decimal | None
    seen: dict[Decimal, int] = field(default_factory=dict)  # convention → first line

    def parse(self, text: str, line: int) -> float:
        if _INT.match(text):
            return float(text)
        if self.declared == ".":
            if _POINT.match(text):
                return float(text)
            raise _NumberError("D-NUMBER", text=text, decimal=".")
        if self.declared == ",":
            if _COMMA.match(text) or _GERMAN.match(text):
                return float(text.replace(".", "").replace(",", "."))
            raise _NumberError("D-NUMBER", text=text, decimal=",")
        if _TWO_WAYS.match(text):
            sep = "." if "." in text else ","
            whole, frac = text.lstrip("+").split(sep)
            raise _NumberError(
                "D-AMBIGUOUS-NUMBER",
                text=text,
                thousands=whole + frac,
                decimal=f"{whole}{sep}{frac.rstrip('0') or '0'}",
            )
        if _POINT.match(text):
            kind: Decimal = "."
            number = float(text)
        elif _COMMA.match(text) or _GERMAN.match(text):
            kind = ","
            number = float(text.replace(".", "").replace(",", "."))
        else:
            raise _NumberError("D-NUMBER", text=text, decimal=". / ,")
        other: Decimal = "," if kind == "." else "."
        if other in self.seen:
            raise _NumberError(
                "D-DECIMAL-MIXED", text=text, first=self.seen[other], decimal=kind, other=other
            )
        self.seen.setdefault(kind, line)
        return number


def parse_period(text: str) -> date | None:
    """``2023-12-31`` or ``31.12.2023`` (as German Excel writes dates); else None."""
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        match = _GERMAN_DATE.match(text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def load_indicators(
    path: Path,
    display: str,
    indicators: Iterable[Indicator],
    areas: AreaTable,
    convention: CsvConvention | None = None,
) -> IndicatorTable:
    """Read ``indicators.csv`` (long format); raise every problem at once.

    Checked per row: the fields are there, the indicator is declared in ``zyklus.yaml``,
    the area is in ``areas.csv``, the period is a date, the value a number in the file's
    convention (a percentage within 0–100), and no (area, indicator, period) repeats.
    """
    convention = convention or CsvConvention()
    declared = {i.id: i for i in indicators}
    header, rows, problems = _read(
        path, display, convention.delimiter, INDICATOR_COLUMNS, convention.encoding
    )
    complete = all(c in header for c in INDICATOR_COLUMNS)
    columns = [header.index(c) for c in INDICATOR_COLUMNS] if complete else []
    periods: dict[str, date | None] = {}
    decimals = _Decimals(None if convention.decimal == "auto" else convention.decimal)
    table = IndicatorTable(path=display)
    hints: dict[tuple[str, str], str | None] = {}

    def unknown(code: str, word: str, known: Iterable[str], line: int) -> Problem:
        key = (code, word)
        if key not in hints:
            hints[key] = closest(word, known)
        hint = hints[key]
        params = {"id": word} if hint is None else {"id": word, "hint": hint}
        return Problem(
            code if hint is None else f"{code}-HINT", path=display, line=line, params=params
        )

    pick = operator.itemgetter(*columns) if columns else None
    known_areas = areas.areas
    for line, fields in rows:
        area_id, indicator_id, period_text, text = pick(fields)  # type: ignore[misc]
        if not (area_id and indicator_id and period_text and text):
            empty = next(
                c for c, i in zip(INDICATOR_COLUMNS, columns, strict=True) if not fields[i]
            )
            problems.append(
                Problem("D-FIELD-EMPTY", path=display, line=line, params={"field": empty})
            )
            continue
        indicator = declared.get(indicator_id)
        if indicator is None:
            problems.append(unknown("D-INDICATOR-UNKNOWN", indicator_id, declared, line))
        if area_id not in known_areas:
            problems.append(unknown("D-AREA-UNKNOWN", area_id, known_areas, line))
        if period_text not in periods:
            periods[period_text] = parse_period(period_text)
        period = periods[period_text]
        if period is None:
            problems.append(
                Problem("D-PERIOD", path=display, line=line, params={"text": period_text})
            )
        number = _number(text, indicator, decimals, display, line, problems)
        if indicator is None or area_id not in known_areas or period is None or number is None:
            continue
        by_area = table.values.setdefault((indicator_id, period), {})
        if area_id in by_area:
            problems.append(
                Problem(
                    "D-DUPLICATE",
                    path=display,
                    line=line,
                    params={
                        "area": area_id,
                        "indicator": indicator_id,
                        "period": period,
                        "first": by_area[area_id].line,
                    },
                )
            )
            continue
        by_area[area_id] = Value(area_id, indicator_id, period, number, line)
    if problems:
        raise LoadError(sorted(problems, key=lambda p: p.line or 0))
    return table


def _number(
    text: str,
    indicator: Indicator | None,
    decimals: _Decimals,
    display: str,
    line: int,
    problems: list[Problem],
) -> float | None:
    percent = indicator is not None and indicator.unit.strip() == "%"
    bare = _PERCENT_SIGN.sub("", text) if text.endswith("%") else text
    if bare != text and indicator is not None and not percent:
        problems.append(
            Problem(
                "D-PERCENT-SIGN",
                path=display,
                line=line,
                params={"text": text, "indicator": indicator.id, "unit": indicator.unit},
            )
        )
        return None
    try:
        number = decimals.parse(bare, line)
    except _NumberError as exc:
        problems.append(Problem(exc.code, path=display, line=line, params=exc.params))
        return None
    if not math.isfinite(number):
        problems.append(
            Problem("D-NUMBER", path=display, line=line, params={"text": text, "decimal": "."})
        )
        return None
    if percent and not 0 <= number <= 100:
        problems.append(
            Problem(
                "D-PERCENT-RANGE",
                path=display,
                line=line,
                params={"text": text, "indicator": indicator.id if indicator else ""},
            )
        )
        return None
    return number
