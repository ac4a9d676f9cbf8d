"""Periods of indicator values: a day (Stichtag), a year, a half-year or a quarter (issue 18).

Statistics offices publish year-end stocks (``31.12.2023``), yearly averages (``2023``),
half-years and quarters. A day stays a plain :class:`datetime.date`, so everything written
before keeps its shape; the others are a :class:`Period`, a ``date`` on the period's last day
(so series sort by time) that remembers its kind and prints as written: ``2023``,
``2023-H1``, ``2023-Q3``. A year 2023 and the day 2023-12-31 are different periods.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

Kind = Literal["year", "half", "quarter"]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})[-/ ]?H([12])$|^H([12])[-/ ](\d{4})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})[-/ ]?Q([1-4])$|^Q([1-4])[-/ ](\d{4})$", re.IGNORECASE)
_FIRST_YEAR, _LAST_YEAR = 1900, 2200
_LAST_DAY = {3: 31, 6: 30, 9: 30, 12: 31}


class Period(date):
    """A year, half-year or quarter, ordered by its last day."""

    __slots__ = ("index", "kind")
    kind: Kind
    index: int  # 1–2 for a half-year, 1–4 for a quarter, 0 for a year

    def __new__(cls, year: int, kind: Kind, index: int = 0) -> Period:
        months = {"year": 12, "half": 6 * index, "quarter": 3 * index}[kind]
        self = super().__new__(cls, year, months, _LAST_DAY[months])
        self.kind = kind
        self.index = index
        return self

    def __reduce__(self) -> Any:  # copy, deepcopy and pickle rebuild the same period
        return (Period, (self.year, self.kind, self.index))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Period):
            return self.kind == other.kind and date.__eq__(self, other)
        if isinstance(other, date):
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((date.__hash__(self), self.kind))

    def isoformat(self) -> str:
        if self.kind == "year":
            return f"{self.year:04d}"
        letter = "H" if self.kind == "half" else "Q"
        return f"{self.year:04d}-{letter}{self.index}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"Period({self.isoformat()!r})"


def parse_period(text: str) -> date | None:
    """``2023-12-31``, ``31.12.2023``, ``2023``, ``2023-H1``, ``2023-Q3`` (also ``Q3/2023``)."""
    text = text.strip()
    try:
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if match := _GERMAN_DATE.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    if match := _YEAR.match(text):
        return _make(match[1], "year", 0)
    if match := _HALF.match(text):
        return _make(match[1] or match[4], "half", int(match[2] or match[3]))
    if match := _QUARTER.match(text):
        return _make(match[1] or match[4], "quarter", int(match[2] or match[3]))
    return None


def _make(year: str, kind: Kind, index: int) -> Period | None:
    number = int(year)
    if not _FIRST_YEAR <= number <= _LAST_YEAR:
        return None
    return Period(number, kind, index)
