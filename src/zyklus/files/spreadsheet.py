"""Spreadsheets on disk: .xlsx and .csv read as rows of cells, written with typed cells (issue 17).

Planners get small-area data as Excel workbooks or as the CSV German Excel writes
("CSV (Trennzeichen-getrennt)": cp1252, semicolons) and hand lists on as spreadsheets. This
module only reads and writes; what the cells mean is :mod:`zyklus.sheets`'s business.

- Reading streams: workbooks are opened in openpyxl's read-only mode (one row in memory at
  a time), CSV text is decoded once and split lazily. Sizes are bounded before parsing (the
  file, and the unpacked size of the workbook's parts: an xlsx is a zip).
- Text encodings: UTF-8 (with or without BOM), cp1252 when ``zyklus.yaml`` declares it, or
  when the bytes can be nothing else (:func:`decode_data`); anything else is refused with
  the byte's position, never guessed.
- Writing: a whole file is built in memory and replaced atomically; a text cell a
  spreadsheet would run as a formula is neutralised (:func:`zyklus.escape.spreadsheet_cell`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Literal

from zyklus.errors import LoadError, Problem
from zyklus.escape import spreadsheet_cell
from zyklus.files.cycles import write_atomic
from zyklus.files.encoding import Encoding, read_data_text

# A statistics office's workbook of a big city is a few MiB; the unpacked parts of an
# xlsx are XML, about ten times the zip. The caps only stop what cannot be a data table.
MAX_SHEET_BYTES = 256 << 20
MAX_UNPACKED_BYTES = 2 << 30
LOCK_TIMEOUT = 15.0

Cell = str | int | float | Decimal | date | datetime | bool | None


class PercentCell(float):
    """A number from a cell formatted as a percentage: Excel stores 12,1 % as 0.121."""

    __slots__ = ()


# --- reading tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRows:
    """The rows of one table: (row number as the spreadsheet shows it, cells)."""

    sheet: str | None  # the worksheet's name (xlsx), None for CSV
    sheets: tuple[str, ...]  # every worksheet of the workbook
    rows: Iterator[tuple[int, tuple[Cell, ...]]]


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


@contextlib.contextmanager
def open_table(
    path: Path,
    display: str,
    *,
    sheet: str | None = None,
    encoding: Encoding = "auto",
    delimiter: str = "auto",
) -> Iterator[SheetRows]:
    """The rows of an .xlsx worksheet or a .csv file, streamed; closed on exit."""
    if is_workbook(path):
        with _open_workbook(path, display, sheet) as rows:
            yield rows
        return
    if path.suffix.lower() not in (".csv", ".txt"):
        raise LoadError([Problem("D-SHEET-KIND", path=display, params={"suffix": path.suffix})])
    text = read_data_text(path, display, MAX_SHEET_BYTES, encoding)
    yield SheetRows(None, (), _csv_rows(text, display, delimiter))


def _csv_rows(text: str, display: str, delimiter: str) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    if delimiter == "auto":
        delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise LoadError(
                [Problem("D-CSV", path=display, line=line, params={"error": str(exc)})]
            ) from None
        yield line, tuple(f.strip() or None for f in fields)


def detect_delimiter(text: str) -> str:
    """``;``, tab or ``,``: the one most frequent in the busiest of the first 50 lines.

    Title rows above a table have few delimiters; the header and data rows have many.
    """
    best, best_count = ",", 0
    for line in text.splitlines()[:50]:
        for candidate in (";", "\t", ","):
            count = line.count(candidate)
            if count > best_count:
                best, best_count = candidate, count
    return best


@contextlib.contextmanager
def _open_workbook(path: Path, display: str, sheet: str | None) -> Iterator[SheetRows]:
    import openpyxl  # only here: zyklus starts without it (issue 9)

    _check_workbook_size(path, display)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise LoadError(
            [Problem("D-SHEET-UNREADABLE", path=display, params={"error": _short(exc)})]
        ) from None
    try:
        names = tuple(book.sheetnames)
        if sheet is None:
            chosen = names[0]
        elif sheet in names:
            chosen = sheet
        elif sheet.isdigit() and 1 <= int(sheet) <= len(names):
            chosen = names[int(sheet) - 1]
        else:
            from zyklus.suggest import unknown

            problem = unknown("D-SHEET-UNKNOWN", sheet, names)
            params = {**problem.params, "sheets": ", ".join(names)}
            raise LoadError([Problem(problem.code, path=display, params=params)])
        yield SheetRows(chosen, names, _workbook_rows(book[chosen], display))
    finally:
        book.close()


def _workbook_rows(worksheet: object, display: str) -> Iterator[tuple[int, tuple[Cell, ...]]]:
    try:
        for number, row in enumerate(worksheet.iter_rows(), start=1):  # type: ignore[attr-defined]
            yield number, tuple(_cell_value(cell) for cell in row)
    except LoadError:
        raise
    except Exception as exc:
        raise LoadError(
            [Problem("D-SHEET-UNREADABLE", path=display, params={"error": _short(exc)})]
        ) from None


def _cell_value(cell: object) -> Cell:
    value = getattr(cell, "value", None)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number_format = getattr(cell, "number_format", "") or ""
        if "%" in number_format:
            return PercentCell(value)
    return value


def _check_workbook_size(path: Path, display: str) -> None:
    try:
        size = path.stat().st_size
        if size > MAX_SHEET_BYTES:
            raise LoadError(
                [Problem("D-SHEET-TOO-LARGE", path=display, params={"limit": MAX_SHEET_BYTES})]
            )
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise LoadError(
            [Problem("D-SHEET-UNREADABLE", path=display, params={"error": _short(exc)})]
        ) from None
    except OSError as exc:
        raise LoadError(
            [Problem("Y-READ", path=display, params={"error": exc.strerror or exc})]
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise LoadError(
            [Problem("D-SHEET-TOO-LARGE", path=display, params={"limit": MAX_UNPACKED_BYTES})]
        )


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


# --- writing tables ------------------------------------------------------------------------

Kind = Literal["text", "int", "number", "date", "bool"]


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    width: int | None = None  # characters; None: from the content
    number_format: str | None = None  # xlsx, e.g. '0.0' or '#,##0.00 "€"'


@dataclass(frozen=True)
class Table:
    """One sheet: a name, typed columns, rows of plain values (None: empty cell)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    key: str = ""  # a stable id (file names of CSV parts); the name is in the user's language


# Characters XML 1.0 cannot hold; openpyxl refuses them (a hostile title must not crash).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\\/*?:\[\]]")


def _xml_text(text: str) -> str:
    return _ILLEGAL_XML.sub("\ufffd", text)


def workbook_bytes(tables: Sequence[Table], *, date_format: str, bools: tuple[str, str]) -> bytes:
    """An .xlsx with one sheet per table: bold header row, frozen panes, column widths,
    numbers as numbers and dates as dates; text that looks like a formula stays text."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, used))
        bold = Font(bold=True)
        for col, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=col)
            _text_cell(cell, column.header)
            cell.font = bold
        for r, row in enumerate(table.rows, start=2):
            for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=col)
                if isinstance(value, bool):
                    _text_cell(cell, bools[0] if value else bools[1])
                elif isinstance(value, (int, float, Decimal)):
                    cell.value = value
                    if column.number_format:
                        cell.number_format = column.number_format
                elif isinstance(value, (date, datetime)):
                    cell.value = value
                    cell.number_format = date_format
                else:
                    _text_cell(cell, str(value))
        sheet.freeze_panes = "A2"
        for col in range(1, len(table.columns) + 1):
            sheet.column_dimensions[get_column_letter(col)].width = _width(table, col - 1)
        if table.columns:
            last = get_column_letter(len(table.columns))
            sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(cell: object, text: str) -> None:
    """A text cell that is never a formula: string type, and Excel's quote prefix (what
    typing a leading apostrophe does) where :func:`spreadsheet_cell` would neutralise it."""
    text = _xml_text(text)
    cell.value = text  # type: ignore[attr-defined]
    cell.data_type = "s"  # type: ignore[attr-defined]  # openpyxl took '=…' for a formula
    if spreadsheet_cell(text) != text:
        cell.quotePrefix = True  # type: ignore[attr-defined]


def _width(table: Table, index: int) -> float:
    column = table.columns[index]
    if column.width is not None:
        return column.width
    longest = len(column.header)
    for row in table.rows[:1000]:
        value = row[index]
        if value is None:
            continue
        text = value.isoformat()[:10] if isinstance(value, (date, datetime)) else str(value)
        longest = max(longest, len(text))
    return min(60, max(8, longest + 2))


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of ``\\/*?:[]``, unique (any case)."""
    base = _SHEET_NAME_BAD.sub("-", _xml_text(name)).strip("'")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{base[: 31 - len(str(n)) - 1]}-{n}"
    used.add(candidate.casefold())
    return candidate


def csv_text(
    table: Table,
    *,
    delimiter: str,
    decimal: str,
    date_format: Literal["iso", "german"],
    bools: tuple[str, str],
    header: bool = True,
) -> str:
    """One table as CSV text; text cells neutralised against formula injection."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow([spreadsheet_cell(c.header) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v, decimal, date_format, bools) for v in row])
    return out.getvalue()


def _csv_cell(value: Cell, decimal: str, date_format: str, bools: tuple[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return bools[0] if value else bools[1]
    if isinstance(value, (int, float, Decimal)):
        text = number_text(value)
        return text.replace(".", decimal) if decimal != "." else text
    if isinstance(value, (date, datetime)):
        day = value.date() if isinstance(value, datetime) else value
        if date_format == "german":
            return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
        return day.isoformat()
    return spreadsheet_cell(str(value))


def number_text(value: int | float | Decimal) -> str:
    """A number without thousands separators, exponent or trailing ``.0``: ``1340``, ``12.1``."""
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        text = str(int(value))
    elif isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
    else:
        text = str(value)
    return text


def write_file(path: Path, data: bytes) -> None:
    """Write an export atomically (the folder is made when missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


@contextlib.contextmanager
def locked_file(path: Path, display: str, timeout: float | None = None) -> Iterator[None]:
    """Hold ``.<name>.lock`` next to ``path`` while it is read, changed and rewritten."""
    from filelock import FileLock, Timeout

    lock_path = path.parent / f".{path.name}.lock"
    wait = LOCK_TIMEOUT if timeout is None else timeout
    lock = FileLock(str(lock_path), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise LoadError([Problem("D-LOCKED", path=display, params={"seconds": wait})]) from None
    try:
        yield
    finally:
        lock.release()


def write_indicators(
    path: Path,
    rows: Sequence[tuple[str, str, str, str]],
    *,
    delimiter: str,
    encoding: Encoding,
) -> None:
    """Rewrite ``data/indicators.csv`` atomically: header ``area,indicator,period,value``,
    then ``rows`` (area, indicator, period, value as text, in the order given)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(("area", "indicator", "period", "value"))
    writer.writerows(rows)
    write_atomic(path, out.getvalue().encode("cp1252" if encoding == "cp1252" else "utf-8"))
