"""Small-area data: the spatial hierarchy (``data/areas.csv``) and indicator values.

Read once per command and indexed, so every cross-check is a dictionary look-up.
Bad rows are reported with file and line; a file with any error is not used at all
(nothing is half-loaded).

Planners keep these files in Excel, so besides plain UTF-8 CSV we read what German Excel
writes: semicolons, decimal comma, thousands dot (``1.340`` = 1340), a ``%`` sign on
formatted cells, dates as ``31.12.2023``. What could be read two ways is never guessed
(issue 5): ``1.340`` is 1340 to a German and 1.34 to everyone else, so unless
``zyklus.yaml`` declares the convention (``data: {decimal: ","}``) it is an error.

Statistics offices' tables (issue 18): a suppressed cell (``.``, ``*``) is "geheim", a
missing one (``x``, ``–``, empty) "keine Angabe" — both are kept as marks, never as 0 and
never as an error; periods may be years, half-years or quarters (:mod:`.periods`); an
area may have versions (``valid_from``/``valid_to``) when a boundary reform reuses its id;
a categorical indicator holds text (a status class).

Untrusted input (issue 20): the files are streamed line by line, never read whole; a line
is at most :data:`MAX_LINE_BYTES`, a row at most :data:`MAX_COLUMNS` fields, a file at most
:data:`MAX_ROWS` rows and :data:`MAX_DATA_BYTES` bytes. docs/reliability.md has the memory
these caps allow.
"""

from __future__ import annotations

import itertools
import operator
import re
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from zyklus.errors import LoadError, Problem
from zyklus.files.csvfile import MAX_COLUMNS as MAX_COLUMNS
from zyklus.files.csvfile import MAX_DATA_BYTES as MAX_DATA_BYTES
from zyklus.files.csvfile import MAX_LINE_BYTES as MAX_LINE_BYTES
from zyklus.files.csvfile import MAX_ROWS as MAX_ROWS
from zyklus.files.csvfile import read_rows as read_rows
from zyklus.files.csvfile import row_batches as _row_batches
from zyklus.files.csvfile import rows as _rows
from zyklus.files.encoding import Encoding as Encoding
from zyklus.files.numbers import Decimals, read_number
from zyklus.files.periods import parse_period as parse_period
from zyklus.suggest import closest

if TYPE_CHECKING:  # the models are imported where a default is made (issue 21)
    from zyklus.models import CsvConvention, Indicator

MAX_TEXT = 200  # characters of a name kept
MAX_AREAS = 200_000  # rows of areas.csv (a city's blocks, not a country's addresses)
MAX_PERIODS = 500  # distinct periods of indicators.csv (50 years of quarters)
MAX_LABELS = 200  # distinct classes of categorical indicators
MAX_LABEL_TEXT = 80
MAX_PROBLEMS = 1_000  # problems collected before reading stops
_REMEMBERED = 100_000  # number texts kept to be read once (a few MiB)
_UNSEEN: Any = object()
INDICATOR_COLUMNS = ("area", "indicator", "period", "value")

MarkKind = Literal["secret", "missing"]

_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True)
class Area:
    id: str
    name: str
    level: str
    parent: str | None
    line: int
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_at(self, when: date) -> bool:
        return (self.valid_from is None or self.valid_from <= when) and (
            self.valid_to is None or when <= self.valid_to
        )


@dataclass
class AreaTable:
    """The hierarchy city → Stadtbezirk → Ortsteil → BA-Distrikt (any depth).

    ``areas`` holds the current version of each area (the one valid last); ``versions``
    every version of the areas that have more than one, oldest first (issue 18).
    """

    areas: dict[str, Area] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    versions: dict[str, tuple[Area, ...]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    _depth: dict[str, int] = field(default_factory=dict, repr=False)

    def __contains__(self, area_id: object) -> bool:
        return area_id in self.areas

    @property
    def roots(self) -> list[str]:
        return [a.id for a in self.areas.values() if a.parent is None]

    def ancestors(self, area_id: str) -> list[str]:
        """Parent, grandparent, … up to the root (loop-safe, linear in the depth)."""
        out: list[str] = []
        seen = {area_id}
        current = self.areas.get(area_id)
        while current is not None and current.parent is not None and current.parent not in seen:
            out.append(current.parent)
            seen.add(current.parent)
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
        """Steps to the root; memoised, so all depths of a 10 000-deep chain are linear."""
        known = self._depth
        if area_id in known:
            return known[area_id]
        chain: list[str] = []
        seen: set[str] = set()
        current: str | None = area_id
        while current in self.areas and current not in known and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.areas[current].parent
        depth = known[current] if current is not None and current in known else -1
        for item in reversed(chain):
            depth += 1
            known[item] = depth
        return known.get(area_id, 0)

    def name(self, area_id: str) -> str:
        area = self.areas.get(area_id)
        return area.name if area is not None and area.name else area_id

    def version(self, area_id: str, when: date) -> Area | None:
        """The version of ``area_id`` valid at ``when`` (the area itself if unversioned)."""
        versions = self.versions.get(area_id)
        if versions is None:
            area = self.areas.get(area_id)
            return area if area is not None and area.valid_at(when) else None
        return next((v for v in versions if v.valid_at(when)), None)


class Mark(NamedTuple):
    """A cell without a number: ``secret`` (suppressed, „geheim“) or ``missing``."""

    area: str
    indicator: str
    period: date
    kind: MarkKind
    text: str
    line: int


class Label(NamedTuple):
    """A value of a categorical indicator (a status class such as „sehr niedrig“)."""

    area: str
    indicator: str
    period: date
    text: str
    line: int


@dataclass
class IndicatorTable:
    """``data/indicators.csv`` indexed by (indicator, period) → area → number.

    Columnar (issue 18: 500 000 values): a value is a float in its column, with no object
    of its own; the line it came from is kept in an array in the column's order and looked
    up by :meth:`line` (for notes and problems that point at it).
    """

    path: str = ""
    values: dict[tuple[str, date], dict[str, float]] = field(default_factory=dict)
    lines: dict[tuple[str, date], array[int]] = field(default_factory=dict)
    marks: dict[tuple[str, date], dict[str, Mark]] = field(default_factory=dict)
    labels: dict[tuple[str, date], dict[str, Label]] = field(default_factory=dict)
    # (indicator, period) → area → position in the column, made when a line is asked for
    _positions: dict[tuple[str, date], dict[str, int]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __len__(self) -> int:
        return sum(len(by_area) for by_area in self.values.values())

    def add(self, area: str, indicator: str, period: date, value: float, line: int) -> None:
        """One value (the caller has checked that the cell is new)."""
        key = (indicator, period)
        cells = self.values.get(key)
        if cells is None:
            cells = self.values[key] = {}
            self.lines[key] = array("i")
        cells[area] = value
        self.lines[key].append(line)

    def get(self, area: str, indicator: str, period: date) -> float | None:
        return self.values.get((indicator, period), {}).get(area)

    def line(self, area: str, indicator: str, period: date) -> int | None:
        """The line of the cell of ``area`` (a value, mark or label), None if there is none."""
        key = (indicator, period)
        cells = self.values.get(key)
        if cells is not None and area in cells:
            index = self._positions.get(key)
            if index is None or len(index) != len(cells):  # a column only grows
                index = self._positions[key] = dict(zip(cells, itertools.count()))
            return self.lines[key][index[area]]
        for other in (self.marks, self.labels):
            found = other.get(key, {}).get(area)
            if found is not None:
                return found.line
        return None

    def periods(self, indicator: str) -> list[date]:
        """The periods with any cell for ``indicator`` (value, mark or label), oldest first."""
        cells = (self.values, self.marks, self.labels)
        found = {p for table in cells for (i, p) in table if i == indicator}
        return sorted(found, key=lambda p: (p.toordinal(), p.isoformat()))

    def at(self, indicator: str, period: date) -> dict[str, float]:
        """The column: area → number (the table's own dict: read it, never change it)."""
        return self.values.get((indicator, period), {})

    def marks_at(self, indicator: str, period: date) -> dict[str, Mark]:
        return self.marks.get((indicator, period), {})

    def labels_at(self, indicator: str, period: date) -> dict[str, Label]:
        return self.labels.get((indicator, period), {})


def clean_text(text: str) -> str:
    """Whitespace runs and line breaks as one space, trimmed, at most :data:`MAX_TEXT`."""
    return " ".join(text.split())[:MAX_TEXT]


# --- areas.csv -----------------------------------------------------------------------------


def load_areas(path: Path, display: str, convention: CsvConvention | None = None) -> AreaTable:
    """Read ``areas.csv``; raise every problem at once (unknown parent, loop, duplicate).

    Optional columns ``valid_from``/``valid_to`` give an area's versions: the same id may
    repeat when the ranges do not overlap (a boundary reform that reuses the id).

    The rows are read in batches and checked a column at a time where they can be (issue
    21: 10 000 areas cost a third of validating 1 000 cards): every id given and unique,
    every parent an id, no versions, every name clean. Any other table gets every check
    row by row, as before; the table and the problems are the same either way (tests).
    """
    delimiter = convention.delimiter if convention is not None else "auto"
    problems: list[Problem] = []
    header: list[str] = []
    required = ("id", "parent")
    encoding = convention.encoding if convention is not None else "auto"
    batches = list(
        _row_batches(path, display, delimiter, required, problems, header, MAX_AREAS, encoding)
    )
    if problems:  # the file as such is refused: read it row by row, as before
        return _load_area_rows(path, display, convention)
    table = _plain_areas(header, batches)
    if table is not None:
        return table
    found = (
        (line, fields)
        for first, batch in batches
        for line, fields in zip(itertools.count(first), batch)
    )
    return _check_area_rows(found, header, display, [])


def _plain_areas(header: list[str], batches: list[tuple[int, list[list[str]]]]) -> AreaTable | None:
    """The table of rows that pass every check without a row being looked at alone: ids
    given and unique, parents among them, no validity column filled, names clean; the
    loops are found as for any table. None when any of these does not hold."""
    rows = [fields for _, batch in batches for fields in batch]
    if not rows or len(set(header)) != len(header):
        return None
    columns = list(zip(*rows, strict=True))

    def column(name: str) -> tuple[str, ...] | None:
        return columns[header.index(name)] if name in header else None

    ids = column("id")
    parents = column("parent")
    assert ids is not None and parents is not None  # required columns
    if not all(ids) or len(set(ids)) != len(ids):
        return None
    known = set(ids)
    if not known.issuperset(filter(None, parents)):
        return None
    for name in ("valid_from", "valid_to"):
        bounds = column(name)
        if bounds is not None and any(bounds):
            return None
    names = column("name") or ("",) * len(rows)
    joined = "\0".join(names)  # every name at once; NUL stands between two names only
    if (
        joined.count("\0") != len(names) - 1
        or _SPACE_RUN.search(joined)
        or joined.startswith(" ")
        or joined.endswith(" ")
        or "\0 " in joined
        or " \0" in joined
        or max(map(len, names)) > MAX_TEXT
    ):
        return None
    levels = column("level")
    level_texts = [text[:MAX_TEXT] for text in levels] if levels is not None else [""] * len(rows)
    lines = [line for first, batch in batches for line in range(first, first + len(batch))]
    table = AreaTable()
    areas = table.areas
    children = table.children
    for area_id, name, level, parent, line in zip(
        ids, names, level_texts, parents, lines, strict=True
    ):
        areas[area_id] = Area(area_id, name, level, parent or None, line)
        if parent:
            children.setdefault(parent, []).append(area_id)
    loops = _on_loops(table)
    if loops:
        return None
    return table


def _load_area_rows(path: Path, display: str, convention: CsvConvention | None) -> AreaTable:
    """Read ``areas.csv`` and check it row by row (every problem, with its line)."""
    delimiter = convention.delimiter if convention is not None else "auto"
    problems: list[Problem] = []
    header: list[str] = []
    required = ("id", "parent")
    encoding = convention.encoding if convention is not None else "auto"
    found = _rows(path, display, delimiter, required, problems, header, MAX_AREAS, encoding)
    return _check_area_rows(found, header, display, problems)


def _check_area_rows(
    found: Iterable[tuple[int, list[str]]], header: list[str], display: str, problems: list[Problem]
) -> AreaTable:
    """Every check of the rows of ``areas.csv``, one row at a time."""
    table = AreaTable()
    all_versions: dict[str, list[Area]] = {}
    for line, fields in found:
        row = dict(zip(header, fields, strict=True))
        area_id = row.get("id", "")
        if not area_id:
            problems.append(Problem("D-AREA-ID", path=display, line=line))
            continue
        bounds = _validity(row, display, line, problems)
        if bounds is None:
            continue
        name = row.get("name", "")
        if _SPACE_RUN.search(name) or name != name.strip() or len(name) > MAX_TEXT:
            cleaned = clean_text(name)
            params = {"id": area_id, "name": cleaned}
            table.warnings.append(
                Problem("D-NAME-SPACE", display, line, params=params, severity="warning")
            )
            name = cleaned
        parent = row.get("parent") or None
        area = Area(area_id, name, row.get("level", "")[:MAX_TEXT], parent, line, *bounds)
        earlier = all_versions.get(area_id)
        if earlier is not None:
            clash = next((e for e in earlier if _overlap(e, area)), None)
            if clash is not None:
                first: dict[str, object] = {"id": area_id, "first": clash.line}
                problems.append(Problem("D-AREA-DUPLICATE", display, line, params=first))
                continue
            earlier.append(area)
        else:
            all_versions[area_id] = [area]
    for area_id, versions in all_versions.items():
        versions.sort(key=lambda v: v.valid_from or date.min)
        table.areas[area_id] = versions[-1]
        if len(versions) > 1 or versions[0].valid_from or versions[0].valid_to:
            table.versions[area_id] = tuple(versions)
    for area in table.areas.values():
        if area.parent is None:
            continue
        if area.parent not in table.areas:
            params = {"id": area.id, "parent": area.parent}
            problems.append(Problem("D-AREA-PARENT", display, area.line, params=params))
            continue
        table.children.setdefault(area.parent, []).append(area.id)
    problems += [
        Problem("D-AREA-LOOP", path=display, line=table.areas[a].line, params={"id": a})
        for a in _on_loops(table)
    ]
    if problems:
        raise LoadError(sorted(problems, key=lambda p: p.line or 0))
    return table


def _validity(
    row: dict[str, str], display: str, line: int, problems: list[Problem]
) -> tuple[date | None, date | None] | None:
    out: list[date | None] = []
    for column in ("valid_from", "valid_to"):
        text = row.get(column, "")
        when = parse_period(text) if text else None
        if text and when is None:
            params = {"column": column, "text": text}
            problems.append(Problem("D-AREA-VALID", display, line, params=params))
            return None
        out.append(when)
    if out[0] is not None and out[1] is not None and out[1] < out[0]:
        params = {"column": "valid_to", "text": row.get("valid_to", "")}
        problems.append(Problem("D-AREA-VALID", display, line, params=params))
        return None
    return out[0], out[1]


def _overlap(a: Area, b: Area) -> bool:
    a_from, b_from = a.valid_from or date.min, b.valid_from or date.min
    a_to, b_to = a.valid_to or date.max, b.valid_to or date.max
    return a_from <= b_to and b_from <= a_to


def _on_loops(table: AreaTable) -> list[str]:
    """Areas that are their own ancestor, in one pass (each area is walked once, issue 20)."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = done
    out: list[str] = []
    for start in table.areas:
        if start in state:
            continue
        walk: list[str] = []
        position: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in table.areas and current not in state:
            state[current] = 1
            position[current] = len(walk)
            walk.append(current)
            current = table.areas[current].parent
        if current is not None and state.get(current) == 1:
            out += walk[position[current] :]
        for item in walk:
            state[item] = 2
    return out


# --- indicators.csv ------------------------------------------------------------------------


def load_indicators(
    path: Path,
    display: str,
    indicators: Iterable[Indicator],
    areas: AreaTable,
    convention: CsvConvention | None = None,
) -> IndicatorTable:
    """Read ``indicators.csv`` (long format); raise every problem at once.

    Checked per row: the fields are there, the indicator is declared in ``zyklus.yaml``,
    the area is in ``areas.csv`` (and valid at the period, when it has versions), the
    period is a date, year, half-year or quarter, the value a number in the file's
    convention (a percentage within 0–100), a mark of a suppressed or missing cell, or a
    class of a categorical indicator, and no (area, indicator, period) repeats.
    """
    if convention is None:
        from zyklus.models import CsvConvention

        convention = CsvConvention()
    declared = {i.id: i for i in indicators}
    problems: list[Problem] = []
    header: list[str] = []
    rows = _row_batches(
        path,
        display,
        convention.delimiter,
        INDICATOR_COLUMNS,
        problems,
        header,
        None,
        convention.encoding,
    )
    periods: dict[str, date | None] = {}
    decimals = Decimals(None if convention.decimal == "auto" else convention.decimal)
    table = IndicatorTable(path=display)
    hints: dict[tuple[str, str], str | None] = {}
    secret = frozenset(convention.suppressed)
    missing = frozenset(convention.missing)
    kinds: dict[str, MarkKind] = {}
    for text in missing:
        kinds[text] = "missing"
    for text in secret:
        kinds[text] = "secret"
    mark_texts = {m: m for m in kinds}
    label_texts: dict[str, str] = {}
    # one str object per area and indicator, however many rows name it (memory, issue 20)
    known_areas = {a: a for a in areas.areas}
    known_indicators = {i: i for i in declared}

    def unknown(code: str, word: str, known: Iterable[str], line: int) -> Problem:
        key = (code, word)
        if key not in hints:
            hints[key] = closest(word, known)
        hint = hints[key]
        params = {"id": word} if hint is None else {"id": word, "hint": hint}
        return Problem(
            code if hint is None else f"{code}-HINT", path=display, line=line, params=params
        )

    columns: list[int] = []
    pick: Any = None
    # A statistics office's values repeat (counts, shares with one decimal): each text is
    # read once per indicator (issue 18: 500 000 rows). Exact, since a text that was read
    # once reads the same again (:class:`Decimals` only ever refuses the other convention).
    numbers: dict[str, dict[str, float]] = {i: {} for i in declared}
    remembered = 0
    values, marks, labels = table.values, table.marks, table.labels
    versions = areas.versions
    fast = frozenset(i.id for i in declared.values() if i.kind != "category")
    # (indicator, period text) → (key, the key's cells, their lines): a plain row is two
    # look-ups
    cells_of: dict[str, dict[str, tuple[tuple[str, date], dict[str, float], array[int]]]] = {
        i: {} for i in declared
    }
    # a repeated value's first line is looked up once the file is read (a column's
    # positions are made once, not once per repeat)
    repeats: list[tuple[dict[str, object], tuple[str, date], str]] = []

    def one(line: int, fields: list[str]) -> bool:
        """Read one row with every check; True when reading must stop."""
        nonlocal remembered
        area_text, indicator_text, period_text, text = pick(fields)
        if not (area_text and indicator_text and period_text):
            empty = next(
                c for c, i in zip(INDICATOR_COLUMNS, columns, strict=True) if not fields[i]
            )
            problems.append(Problem("D-FIELD-EMPTY", display, line, params={"field": empty}))
            return False
        indicator = declared.get(indicator_text)
        if indicator is None:
            problems.append(unknown("D-INDICATOR-UNKNOWN", indicator_text, declared, line))
        area_id = known_areas.get(area_text)
        if area_id is None:
            problems.append(unknown("D-AREA-UNKNOWN", area_text, known_areas, line))
        if problems and len(problems) >= MAX_PROBLEMS:  # 2 million bad rows, not 2 million problems
            problems.append(
                Problem("D-TOO-MANY-PROBLEMS", display, line, params={"limit": MAX_PROBLEMS})
            )
            return True
        period = periods.get(period_text, _UNSEEN)
        if period is _UNSEEN:
            if len(periods) >= MAX_PERIODS:
                params: dict[str, object] = {"limit": MAX_PERIODS}
                problems.append(Problem("D-TOO-MANY-PERIODS", display, line, params=params))
                return True
            period = periods[period_text] = parse_period(period_text)
        if period is None:
            problems.append(Problem("D-PERIOD", display, line, params={"text": period_text}))
        elif area_id is not None and area_id in versions and areas.version(area_id, period) is None:
            params = {"id": area_id, "period": period}
            problems.append(Problem("D-AREA-NOT-VALID", display, line, params=params))
            return False
        mark = kinds.get(text)
        category = indicator is not None and indicator.kind == "category"
        number = None
        if mark is None and not category:
            read = numbers.get(indicator_text)
            number = read.get(text) if read is not None else None
            if number is None:
                number = read_number(text, indicator, decimals, display, line, problems)
                if number is None:
                    return False
                if read is not None and remembered < _REMEMBERED:
                    read[text] = number
                    remembered += 1
        elif (
            mark is None
            and indicator is not None
            and indicator.categories
            and text not in indicator.categories
        ):
            params = {
                "text": text,
                "indicator": indicator.id,
                "known": ", ".join(indicator.categories),
            }
            problems.append(Problem("D-CATEGORY-UNKNOWN", display, line, params=params))
            return False
        if indicator is None or area_id is None or period is None:
            return False
        key = (known_indicators[indicator_text], period)
        cells = values.get(key)
        if (
            (cells is not None and area_id in cells)
            or (marks and area_id in marks.get(key, ()))
            or (labels and area_id in labels.get(key, ()))
        ):
            params = {"area": area_id, "indicator": indicator.id, "period": period, "first": None}
            problems.append(Problem("D-DUPLICATE", display, line, params=params))
            repeats.append((params, key, area_id))
            return False
        if mark is not None:
            marks.setdefault(key, {})[area_id] = Mark(
                area_id, key[0], period, mark, mark_texts[text], line
            )
        elif category:
            if text not in label_texts:
                if len(label_texts) >= MAX_LABELS:
                    params = {"limit": MAX_LABELS, "indicator": indicator.id}
                    problems.append(Problem("D-TOO-MANY-LABELS", display, line, params=params))
                    return True
                label_texts[text] = clean_text(text)[:MAX_LABEL_TEXT]
            labels.setdefault(key, {})[area_id] = Label(
                area_id, key[0], period, label_texts[text], line
            )
        else:
            assert number is not None
            table.add(area_id, key[0], period, number, line)
            cells_of[indicator_text].setdefault(period_text, (key, values[key], table.lines[key]))
        return False

    for first, batch in rows:
        if pick is None:
            columns = [header.index(c) for c in INDICATOR_COLUMNS]
            pick = operator.itemgetter(*columns)
        plain = None
        if len(batch) > 1 and len(problems) < MAX_PROBLEMS:
            plain = _plain_columns(batch, columns, fast, known_areas, versions, periods, kinds)
        if plain is None:
            stop = any(one(line, fields) for line, fields in zip(itertools.count(first), batch))
            if stop:
                break
            continue
        # A block of plain rows (issue 18): every indicator, area and period is known and
        # valid, and no value is a mark: a row is a number, a duplicate check and a value.
        # A row that is not that simple (a number not read before, a repeat) gets every
        # check of one().
        stop = full = False
        for line, area_text, indicator_text, period_text, text in zip(
            itertools.count(first), *plain
        ):
            number = numbers[indicator_text].get(text)
            held = cells_of[indicator_text].get(period_text)
            if (
                number is None
                or held is None
                or area_text in held[1]
                or (marks and area_text in marks.get(held[0], ()))
                or (labels and area_text in labels.get(held[0], ()))
                or full
            ):
                if one(line, batch[line - first]):
                    stop = True
                    break
                full = len(problems) >= MAX_PROBLEMS  # only one() adds problems
                continue
            key, cells, lines = held
            cells[known_areas[area_text]] = number
            lines.append(line)
        if stop:
            break
    for params, key, area_id in repeats:
        params["first"] = table.line(area_id, *key)
    if problems:
        raise LoadError(sorted(problems, key=lambda p: p.line or 0))
    return table


def _plain_columns(
    batch: list[list[str]],
    columns: list[int],
    fast: frozenset[str],
    known_areas: dict[str, str],
    versions: dict[str, tuple[Area, ...]],
    periods: dict[str, date | None],
    kinds: dict[str, MarkKind],
) -> list[tuple[str, ...]] | None:
    """The area, indicator, period and value columns of a batch of rows when every
    indicator is declared and not categorical, every area known and unversioned, every
    period valid (new ones are read here, within :data:`MAX_PERIODS`) and no value a
    mark; else None, and each row gets every check (issue 18)."""
    every = list(zip(*batch, strict=True))
    plain = [every[i] for i in columns]
    area_texts, indicator_texts, period_texts, value_texts = map(frozenset, plain)
    if not indicator_texts <= fast or not area_texts <= known_areas.keys():
        return None
    if versions and not area_texts.isdisjoint(versions):
        return None
    if kinds and not value_texts.isdisjoint(kinds):
        return None
    new = [text for text in period_texts if text not in periods]
    if len(periods) + len(new) > MAX_PERIODS:
        return None
    for text in new:
        periods[text] = parse_period(text)
    if any(periods[text] is None for text in period_texts):
        return None
    return plain


# --- crosswalk.csv (issue 18) --------------------------------------------------------------

CROSSWALK_COLUMNS = ("old_area", "new_area", "weight")
_WEIGHT_SUM_TOLERANCE = 0.001  # weights are often rounded to three places


@dataclass(frozen=True)
class Crosswalk:
    """A declared crosswalk between boundary versions (``data/crosswalk.csv``, issue 18).

    A row ``old_area,new_area,weight`` says that ``weight`` of what ``old_area`` counted
    before a boundary reform lies in ``new_area``'s current boundary. ``into`` maps each
    new area to its (old area, weight) pairs, in file order; an old area's weights add up
    to 1, so counts carried through the crosswalk are conserved.
    """

    path: str = ""
    into: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.into)


def load_crosswalk(
    path: Path, display: str, areas: AreaTable, convention: CsvConvention | None = None
) -> Crosswalk:
    """Read ``crosswalk.csv``; raise every problem at once, each with its line.

    Checked: both ids are in ``areas.csv`` (with a did-you-mean), the weight is a number
    above 0 and at most 1 (in the file's decimal convention), no pair repeats, and the
    weights of each old area add up to 1 (±0.001).
    """
    if convention is None:
        from zyklus.models import CsvConvention

        convention = CsvConvention()
    problems: list[Problem] = []
    header: list[str] = []
    found = _rows(
        path,
        display,
        convention.delimiter,
        CROSSWALK_COLUMNS,
        problems,
        header,
        MAX_AREAS,
        convention.encoding,
    )
    decimals = Decimals(None if convention.decimal == "auto" else convention.decimal)
    into: dict[str, list[tuple[str, float]]] = {}
    seen: dict[tuple[str, str], int] = {}
    sums: dict[str, tuple[float, int]] = {}  # old area → (sum of weights, first line)
    refused: set[str] = set()  # old areas with a bad row: their sum would mislead
    for line, fields in found:
        row = dict(zip(header, fields, strict=True))
        old, new, text = (row[c] for c in CROSSWALK_COLUMNS)
        bad = False
        for column, area_id in (("old_area", old), ("new_area", new)):
            if not area_id:
                problems.append(Problem("D-FIELD-EMPTY", display, line, params={"field": column}))
                bad = True
            elif area_id not in areas:
                hint = closest(area_id, areas.areas)
                code = "D-AREA-UNKNOWN" if hint is None else "D-AREA-UNKNOWN-HINT"
                where: dict[str, object] = {"id": area_id}
                if hint is not None:
                    where["hint"] = hint
                problems.append(Problem(code, display, line, params=where))
                bad = True
        weight = read_number(text, None, decimals, display, line, problems) if text else None
        if text and weight is not None and not 0 < weight <= 1:
            problems.append(Problem("D-CROSSWALK-WEIGHT", display, line, params={"text": text}))
            weight = None
        elif not text:
            problems.append(Problem("D-FIELD-EMPTY", display, line, params={"field": "weight"}))
        if bad or weight is None:
            refused.add(old)
            continue
        if (old, new) in seen:
            params: dict[str, object] = {"old": old, "new": new, "first": seen[(old, new)]}
            problems.append(Problem("D-CROSSWALK-DUPLICATE", display, line, params=params))
            continue
        seen[(old, new)] = line
        into.setdefault(new, []).append((old, weight))
        total, first = sums.get(old, (0.0, line))
        sums[old] = (total + weight, first)
        if len(problems) >= MAX_PROBLEMS:
            break
    for old, (total, first) in sums.items():
        if old not in refused and abs(total - 1) > _WEIGHT_SUM_TOLERANCE:
            params = {"id": old, "sum": round(total, 6)}
            problems.append(Problem("D-CROSSWALK-SUM", display, first, params=params))
    if problems:
        raise LoadError(sorted(problems, key=lambda p: p.line or 0))
    return Crosswalk(display, {new: tuple(pairs) for new, pairs in into.items()})
