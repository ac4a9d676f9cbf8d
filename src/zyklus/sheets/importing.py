"""``zyklus data import``: a spreadsheet's values into ``data/indicators.csv`` (issue 17).

Planners get small-area data as the Bundesagentur für Arbeit and the statistics offices
publish it: title rows above the table, one row per area and one column per indicator
(wide) — or one row per value (long) —, German numbers, suppressed cells, a total row and
footnotes below. This module finds the table in the sheet (:func:`find_layout`), reads
its values (:func:`read_values`) and merges them into the workspace's data
(:func:`import_table`): a summary of values added, changed and unchanged; the same file
imported twice changes nothing. Area names are matched by :mod:`zyklus.sheets.areas`.

Nothing is guessed silently: the header row, area column and period used are part of
the result, columns that name no declared indicator are listed, total and footnote rows
are counted as skipped, and any cell that cannot be read stops the import with its row
and column before anything is written.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from zyklus import models
from zyklus.errors import LoadError, Problem, UsageError
from zyklus.files.encoding import Encoding
from zyklus.files.spreadsheet import (
    Cell,
    delimiter_of,
    locked_file,
    number_text,
    open_table,
    write_indicators,
)
from zyklus.files.tables import parse_period, read_rows
from zyklus.files.workspace import Workspace
from zyklus.sheets.areas import AreaMatcher, is_total
from zyklus.sheets.values import CellError, fold, is_suppressed, number, period, text
from zyklus.suggest import closest

HEADER_SEARCH_ROWS = 50  # title rows above a table: a few; the header is within these
MAX_PROBLEMS = 100  # a file of 100 000 bad rows is told in its first problems and a count

# Headers (normalised by fold) that name a column's role.
_AREA_ID_HEADERS = ("areaid", "gebietsid", "gebietid", "raumid", "area", "id", "schluessel", "nr")
_AREA_HEADERS = (
    "gebiet",
    "raum",
    "name",
    "gebietsname",
    "ortsteil",
    "stadtteil",
    "stadtbezirk",
    "bezirk",
    "distrikt",
    "badistrikt",
    "sozialraum",
    "quartier",
    "planungsraum",
    "bezeichnung",
    "region",
)
_PERIOD_HEADERS = ("period", "stichtag", "datum", "date", "jahr", "year", "zeitraum")
_INDICATOR_HEADERS = ("indicator", "kennzahl", "indikator", "merkmal")
_VALUE_HEADERS = ("value", "wert")


@dataclass(frozen=True)
class ImportOptions:
    """What the user told about the file; everything else is found and reported."""

    sheet: str | None = None
    header_row: int | None = None
    area_column: str | None = None
    period: date | None = None
    period_column: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # header → indicator id
    areas: Mapping[str, str] = field(default_factory=dict)  # name in the file → area id
    decimal: Literal["auto", ".", ","] = "auto"
    encoding: Encoding = "auto"
    delimiter: str = "auto"


@dataclass(frozen=True)
class Layout:
    """Where the table is: found in the sheet, or as the options said."""

    sheet: str | None
    header_row: int
    area_column: int  # 0-based
    headers: tuple[str, ...]
    period_column: int | None
    indicator_column: int | None  # long format: the column naming the indicator
    value_column: int | None  # long format: the column with the value
    indicators: Mapping[int, str]  # wide format: column → indicator id
    ignored: tuple[str, ...]  # headers of columns not used

    @property
    def long(self) -> bool:
        return self.indicator_column is not None

    def header(self, column: int | None) -> str:
        if column is None:
            return ""
        named = self.headers[column] if column < len(self.headers) else ""
        return named or _letter(column)


@dataclass(frozen=True, slots=True)  # one per value added or changed: 100 000s (issue 17)
class Change:
    area: str
    indicator: str
    period: date
    old: float | None  # None: added
    new: float
    row: int


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: Literal["total", "note"]
    text: str


@dataclass
class ImportResult:
    file: str
    target: str
    layout: Layout
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    suppressed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False


# --- the entry point --------------------------------------------------------------------------


def import_table(
    ws: Workspace, path: Path, options: ImportOptions, *, dry_run: bool = False
) -> ImportResult:
    """Read ``path`` and merge its values into ``data/indicators.csv``.

    The file is read and checked completely first; then, under the data file's lock,
    the current data are read, compared and (unless ``dry_run`` or nothing changed)
    rewritten atomically, sorted like ``areas.csv`` and ``zyklus.yaml``.
    """
    display = str(path)
    if not path.is_file():
        raise UsageError([Problem("D-IMPORT-NO-FILE", path=display)])
    config = ws.config
    areas = ws.areas
    incoming, layout, skipped, suppressed = read_values(
        path, display, config, AreaMatcher(areas, options.areas), options
    )
    target = ws.root / "data" / "indicators.csv"
    shown = ws.display(target)
    result = ImportResult(display, shown, layout, skipped=skipped, suppressed=suppressed)
    result.dry_run = dry_run
    with locked_file(target, shown):
        table = ws.indicators
        for (indicator, day), by_area in incoming.items():
            for area, (value, row) in by_area.items():
                old = table.get(area, indicator, day)
                if old is None:
                    result.added.append(Change(area, indicator, day, None, value, row))
                elif number_text(old) != number_text(value):
                    result.changed.append(Change(area, indicator, day, old, value, row))
                else:
                    result.unchanged += 1
        if not dry_run and (result.added or result.changed):
            _rewrite(ws, target, shown, result)
            result.written = True
    return result


def _rewrite(ws: Workspace, target: Path, shown: str, result: ImportResult) -> None:
    config = ws.config
    convention = config.data
    delimiter: str = convention.delimiter
    if delimiter == "auto":
        delimiter = delimiter_of(target)
    comma = convention.decimal == ","

    def value_text(value: float) -> str:
        out = number_text(value)
        return out.replace(".", ",") if comma else out

    changed = {(c.area, c.indicator, c.period): value_text(c.new) for c in result.changed}
    rows: list[tuple[str, str, str, str]] = []
    keys: list[tuple[str, str, date]] = []
    if target.is_file():
        for _, row in read_rows(target, shown, delimiter):
            area, indicator, period_text = row["area"], row["indicator"], row["period"]
            day = parse_period(period_text)
            assert day is not None  # the file was just read and checked
            new = changed.get((area, indicator, day))
            rows.append((area, indicator, period_text, row["value"] if new is None else new))
            keys.append((area, indicator, day))
    for c in result.added:
        rows.append((c.area, c.indicator, c.period.isoformat(), value_text(c.new)))
        keys.append((c.area, c.indicator, c.period))
    area_order = {a: i for i, a in enumerate(ws.areas.areas)}
    indicator_order = {ind.id: i for i, ind in enumerate(config.indicators)}
    last = len(area_order) + len(indicator_order)

    def order(i: int) -> tuple[int, str, int, str, date]:
        area, indicator, day = keys[i]
        return (
            area_order.get(area, last),
            area,
            indicator_order.get(indicator, last),
            indicator,
            day,
        )

    ordered = [rows[i] for i in sorted(range(len(rows)), key=order)]
    write_indicators(target, ordered, delimiter=delimiter, encoding=convention.encoding)


# --- reading the table ------------------------------------------------------------------------

Values = dict[
    tuple[str, date], dict[str, tuple[float, int]]
]  # (indicator, period) → area → (value, row)


class _Problems:
    """Problems of one file, bounded: the first ``MAX_PROBLEMS`` and how many more."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.items: list[Problem] = []
        self.more = 0
        self.seen: set[tuple[str, str]] = set()

    def add(self, code: str, row: int | None, col: int | None = None, **params: object) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.items.append(Problem(code, path=self.display, line=row, col=col, params=params))

    def once(self, key: str, code: str, row: int, col: int | None = None, **params: object) -> None:
        """Report a name once (its first row), not in every row it appears in."""
        if (code, key) not in self.seen:
            self.seen.add((code, key))
            self.add(code, row, col, **params)

    def once_problem(self, key: str, problem: Problem) -> None:
        if (problem.code, key) in self.seen:
            return
        self.seen.add((problem.code, key))
        if len(self.items) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.items.append(problem)

    def raise_any(self) -> None:
        if self.items:
            extra = [Problem("D-IMPORT-MORE", path=self.display, params={"count": self.more})]
            raise LoadError(self.items + (extra if self.more else []))


def read_values(
    path: Path,
    display: str,
    config: models.Workspace,
    matcher: AreaMatcher,
    options: ImportOptions,
) -> tuple[Values, Layout, list[Skipped], int]:
    """The values of the file by (indicator, period) and area; raises every problem at once."""
    indicators = _IndicatorNames(config, options.columns)
    problems = _Problems(display)
    with open_table(
        path, display, sheet=options.sheet, encoding=options.encoding, delimiter=options.delimiter
    ) as table:
        rows = iter(table.rows)
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        layout = find_layout(head, table.sheet, indicators, options, display)
        after = (r for r in head if r[0] > layout.header_row)
        values, skipped, suppressed = _values(
            itertools.chain(after, rows), layout, config, matcher, indicators, options, problems
        )
    problems.raise_any()
    return values, layout, skipped, suppressed


class _IndicatorNames:
    """Column headers (or long-format cells) → declared indicator ids."""

    def __init__(self, config: models.Workspace, mapped: Mapping[str, str]) -> None:
        self.declared = {i.id: i for i in config.indicators}
        self.mapped = dict(mapped)
        self.folded: dict[str, str] = {}
        for ind in config.indicators:
            for name in (ind.id, *_labels(ind)):
                self.folded.setdefault(fold(name), ind.id)
        self.names = sorted({*self.declared, *(n for i in config.indicators for n in _labels(i))})

    def resolve(self, header: str) -> str | None:
        if not header:
            return None
        if header in self.mapped:
            return self.mapped[header]
        if header in self.declared:
            return header
        return self.folded.get(fold(header))

    def unit(self, indicator: str) -> str:
        return self.declared[indicator].unit.strip()


def find_layout(
    head: Sequence[tuple[int, tuple[Cell, ...]]],
    sheet: str | None,
    indicators: _IndicatorNames,
    options: ImportOptions,
    display: str,
) -> Layout:
    """The header row and the columns' roles, from the options or the first rows."""
    for target in options.columns.values():
        if target not in indicators.declared:
            raise UsageError([_unknown_indicator(target, indicators, display, None, None)])
    header_row: int | None = None
    cells: tuple[Cell, ...] = ()
    for number_, row in head:
        if options.header_row is not None:
            if number_ == options.header_row:
                header_row, cells = number_, row
                break
            continue
        texts = [text(c) for c in row]
        folded = {fold(t) for t in texts}
        wide = any(indicators.resolve(t) for t in texts)
        long = bool(folded & set(_INDICATOR_HEADERS)) and bool(folded & set(_VALUE_HEADERS))
        if wide or long:
            header_row, cells = number_, row
            break
    if header_row is None:
        if options.header_row is not None:
            raise UsageError(
                [Problem("D-IMPORT-HEADER-ROW", path=display, params={"row": options.header_row})]
            )
        known = ", ".join(sorted(indicators.declared))
        raise LoadError(
            [
                Problem(
                    "D-IMPORT-NO-HEADER",
                    path=display,
                    params={"rows": HEADER_SEARCH_ROWS, "indicators": known},
                )
            ]
        )
    headers = tuple(text(c) for c in cells)
    folded_headers = [fold(h) for h in headers]

    def find(names: Sequence[str]) -> int | None:
        for name in names:
            if name in folded_headers:
                return folded_headers.index(name)
        return None

    def named(option: str, what: str) -> int:
        column = _column_index(option, headers)
        if column is None:
            hint = closest(option, [h for h in headers if h])
            params = {"column": option, "what": what, "headers": ", ".join(h for h in headers if h)}
            code = "D-IMPORT-COLUMN-UNKNOWN"
            if hint is not None:
                params["hint"] = hint
                code += "-HINT"
            raise UsageError([Problem(code, path=display, line=header_row, params=params)])
        return column

    indicator_column = value_column = None
    mapped: dict[int, str] = {}
    if find(_INDICATOR_HEADERS) is not None and find(_VALUE_HEADERS) is not None:
        indicator_column, value_column = find(_INDICATOR_HEADERS), find(_VALUE_HEADERS)
    else:
        for i, header in enumerate(headers):
            found = indicators.resolve(header)
            if found is not None:
                mapped[i] = found
    if options.period_column is not None:
        period_column: int | None = named(options.period_column, "period")
    else:
        period_column = find(_PERIOD_HEADERS)
    if options.area_column is not None:
        area_column = named(options.area_column, "area")
    else:
        found_area = find(_AREA_ID_HEADERS)
        if found_area is None:
            found_area = find(_AREA_HEADERS)
        if found_area is None:  # BA tables: the area names under an empty header cell
            taken = {*mapped, period_column, indicator_column, value_column}
            first = min([*mapped, len(headers)])
            found_area = next((i for i in range(first) if i not in taken), None)
        if found_area is None:
            raise LoadError([Problem("D-IMPORT-NO-AREA-COLUMN", path=display, line=header_row)])
        area_column = found_area
    mapped.pop(area_column, None)
    if period_column is not None:
        mapped.pop(period_column, None)
    if indicator_column is None and not mapped:
        known = ", ".join(sorted(indicators.declared))
        raise LoadError(
            [
                Problem(
                    "D-IMPORT-NO-INDICATOR",
                    path=display,
                    line=header_row,
                    params={"indicators": known},
                )
            ]
        )
    if period_column is None and options.period is None:
        raise UsageError([Problem("D-IMPORT-NO-PERIOD", path=display, line=header_row)])
    used = {area_column, period_column, indicator_column, value_column, *mapped}
    ignored = tuple(h for i, h in enumerate(headers) if h and i not in used)
    return Layout(
        sheet,
        header_row,
        area_column,
        headers,
        period_column if options.period is None else None,
        indicator_column,
        value_column,
        mapped,
        ignored,
    )


def _labels(indicator: models.Indicator) -> tuple[str, ...]:
    label = indicator.label
    return (label,) if isinstance(label, str) else tuple(label.values())


def _column_index(option: str, headers: Sequence[str]) -> int | None:
    """A column by its header (as written or normalised), letter (``B``) or number (``2``)."""
    if option in headers:
        return headers.index(option)
    folded = [fold(h) for h in headers]
    if fold(option) in folded and fold(option):
        return folded.index(fold(option))
    if option.isdigit() and int(option) >= 1:
        return int(option) - 1
    if option.isalpha() and option.isupper() and len(option) <= 2:
        index = 0
        for char in option:
            index = index * 26 + ord(char) - ord("A") + 1
        return index - 1
    return None


def _letter(column: int) -> str:
    out = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _values(
    rows: Iterable[tuple[int, tuple[Cell, ...]]],
    layout: Layout,
    config: models.Workspace,
    matcher: AreaMatcher,
    indicators: _IndicatorNames,
    options: ImportOptions,
    problems: _Problems,
) -> tuple[Values, list[Skipped], int]:
    values: Values = {}
    skipped: list[Skipped] = []
    suppressed = 0
    value_columns = (
        [layout.value_column] if layout.value_column is not None else list(layout.indicators)
    )
    fixed_period = options.period
    rows_seen: dict[tuple[str, date], int] = {}
    for row_number, cells in rows:
        cell = _get(cells, layout.area_column)
        name = text(cell)
        has_values = any(not is_suppressed(_get(cells, c)) for c in value_columns)
        if not name:
            if has_values:
                problems.add("D-IMPORT-AREA-EMPTY", row_number, layout.area_column + 1)
            continue
        match = matcher.match(name)
        if match.area is None:
            if not has_values and not match.ambiguous:
                skipped.append(Skipped(row_number, "note", name))
                continue
            if is_total(name) and not match.ambiguous:
                skipped.append(Skipped(row_number, "total", name))
                continue
            col = layout.area_column + 1
            if match.ambiguous:
                problems.once(
                    name, "D-IMPORT-AREA-AMBIGUOUS", row_number, col, name=name, ids=match.ambiguous
                )
            elif match.hint is not None:
                problems.once(
                    name, "D-IMPORT-AREA-UNKNOWN-HINT", row_number, col, name=name, hint=match.hint
                )
            else:
                problems.once(name, "D-IMPORT-AREA-UNKNOWN", row_number, col, name=name)
            continue
        day = fixed_period
        if day is None and layout.period_column is not None:
            try:
                day = period(_get(cells, layout.period_column))
            except CellError as exc:
                problems.add(exc.code, row_number, layout.period_column + 1, **exc.params)
                continue
        assert day is not None
        if layout.indicator_column is None:  # wide: one row per area and period
            first = rows_seen.setdefault((match.area, day), row_number)
            if first != row_number:
                params = {"area": match.area, "period": day, "first": first}
                problems.add("D-IMPORT-AREA-TWICE", row_number, layout.area_column + 1, **params)
                continue
        for column in value_columns:
            value_cell = _get(cells, column)
            if layout.indicator_column is not None:
                label = text(_get(cells, layout.indicator_column))
                indicator = indicators.resolve(label)
                if indicator is None:
                    col = layout.indicator_column + 1
                    problems.once_problem(
                        label,
                        _unknown_indicator(label, indicators, problems.display, row_number, col),
                    )
                    continue
            else:
                indicator = layout.indicators[column]
            if is_suppressed(value_cell):
                suppressed += 1
                continue
            percent = indicators.unit(indicator) == "%"
            try:
                value = number(value_cell, decimal=options.decimal, percent=percent)
            except CellError as exc:
                problems.add(exc.code, row_number, column + 1, indicator=indicator, **exc.params)
                continue
            if not math.isfinite(value) or (percent and not 0 <= value <= 100):
                problems.add(
                    "D-PERCENT-RANGE",
                    row_number,
                    column + 1,
                    text=text(value_cell),
                    indicator=indicator,
                )
                continue
            by_area = values.setdefault((indicator, day), {})
            if match.area in by_area:
                problems.add(
                    "D-IMPORT-DUPLICATE",
                    row_number,
                    column + 1,
                    area=match.area,
                    indicator=indicator,
                    period=day,
                    first=by_area[match.area][1],
                )
                continue
            by_area[match.area] = (value, row_number)
    return values, skipped, suppressed


def _get(cells: tuple[Cell, ...], column: int | None) -> Cell:
    if column is None or column >= len(cells):
        return None
    return cells[column]


def _unknown_indicator(
    name: str,
    indicators: _IndicatorNames,
    display: str,
    row: int | None,
    col: int | None,
) -> Problem:
    hint = closest(name, indicators.names)
    params: dict[str, object] = {"id": name}
    code = "D-IMPORT-INDICATOR-UNKNOWN"
    if hint is not None:
        params["hint"] = hint
        code += "-HINT"
    return Problem(code, path=display, line=row, col=col, params=params)


def changes_preview(result: ImportResult, limit: int = 50) -> Iterator[Change]:
    """The first ``limit`` changes (added and changed), in the order of the file's rows."""
    both = sorted([*result.changed, *result.added], key=lambda c: (c.row, c.indicator))
    yield from both[:limit]
