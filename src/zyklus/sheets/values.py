"""Cells of an imported table as numbers, periods and names (issue 17).

Statistics offices write numbers as German Excel shows them (``12,1``, ``1.340``,
``12,1 %``) and mark secret or missing values with ``.``, ``*``, ``x``, ``–`` instead of a
number. A suppressed cell is missing, never 0 and never an error; a number that could be
read two ways (``1.340``) is refused unless the convention is given, as for data files.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from zyklus.files.spreadsheet import Cell, PercentCell
from zyklus.files.tables import parse_period

# How statistics offices mark a value they do not publish (Zeichenerklärung of the
# Statistisches Bundesamt and the BA): secret, not available, too small, unknown.
SUPPRESSED = frozenset(
    {".", "*", "x", "X", "–", "—", "-", "/", "...", "…", "()", "k.A.", "k. A.", "n.v.", "#NV"}
)

_INT = re.compile(r"^[+-]?\d+$")
_POINT = re.compile(r"^[+-]?\d*\.\d+$")
_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_GERMAN = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_TWO_WAYS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
_PERCENT = re.compile(r"\s*%$")
_SPACE = re.compile(r"\s+")
_FOOTNOTE = re.compile(r"(?:\s*(?:\*+|\d\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+))+$")


class CellError(Exception):
    """A cell that is no value of its kind; ``code`` and ``params`` make the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def is_suppressed(cell: Cell) -> bool:
    """Empty, or one of the marks statistics offices print for an unpublished value."""
    return cell is None or (isinstance(cell, str) and cell.strip() in SUPPRESSED)


def number(cell: Cell, *, decimal: str, percent: bool) -> float:
    """The value of a cell; ``percent``: the indicator is in % (``12,1 %`` → 12.1).

    A cell Excel formats as a percentage holds the fraction (0.121); for a % indicator
    it is scaled to 12.1.
    """
    if isinstance(cell, (bool, date, datetime)):
        raise CellError("D-IMPORT-NUMBER", text=str(cell))
    if isinstance(cell, PercentCell):
        # exact decimal scaling: 0.041 × 100 is 4.1, not 4.1000000000000005
        return float(Decimal(repr(float(cell))) * 100) if percent else float(cell)
    if isinstance(cell, (int, float, Decimal)):
        return float(cell)
    text = str(cell).strip().replace("\u2212", "-").replace("\xa0", "").replace(" ", "")
    if text.endswith("%"):
        if not percent:
            raise CellError("D-IMPORT-PERCENT-SIGN", text=str(cell))
        text = _PERCENT.sub("", text)
    if _INT.match(text):
        return float(text)
    if decimal == "." and _POINT.match(text):
        return float(text)
    if decimal == "," and (_COMMA.match(text) or _GERMAN.match(text)):
        return float(text.replace(".", "").replace(",", "."))
    if decimal == "auto":
        if _TWO_WAYS.match(text):
            raise CellError("D-IMPORT-AMBIGUOUS", text=str(cell))
        if _POINT.match(text):
            return float(text)
        if _COMMA.match(text) or _GERMAN.match(text):
            return float(text.replace(".", "").replace(",", "."))
    raise CellError("D-IMPORT-NUMBER", text=str(cell))


def period(cell: Cell) -> date:
    """A period cell: an Excel date, ``2023-12-31`` or ``31.12.2023``."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    found = parse_period(str(cell).strip()) if cell is not None else None
    if found is None:
        raise CellError("D-IMPORT-PERIOD", text="" if cell is None else str(cell))
    return found


def text(cell: Cell) -> str:
    """A cell as one line of text: whitespace runs and line breaks as one space.

    Integers stay integers (an area numbered 554 in Excel is the number 554.0 or 554).
    """
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (date, datetime)):
        return cell.isoformat()[:10]
    return _SPACE.sub(" ", str(cell)).strip()


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(name: str) -> str:
    """The normalised form names are compared in when they are not equal as written.

    Case, umlauts (``ü`` = ``ue``), accents, punctuation, runs of spaces and trailing
    footnote marks (``*``, ``1)``, ``¹``) do not count: ``Südinnenstadt¹`` ~
    ``SUEDINNENSTADT`` ~ ``Sued-Innenstadt``.
    """
    name = _FOOTNOTE.sub("", text(name)).casefold().translate(_FOLD)
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name if c.isalnum())
