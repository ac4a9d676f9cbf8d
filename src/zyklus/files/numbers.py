"""Numbers in data files as Excel writes them, never guessed (issue 5).

``1.340`` is 1340 to a German and 1.34 to everyone else, so unless ``zyklus.yaml``
declares the convention (``data: {decimal: ","}``) such a number is an error; a file
learns its convention from unambiguous values and may not mix them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from zyklus.amounts import GERMAN_THOUSANDS
from zyklus.errors import Problem

if TYPE_CHECKING:
    from zyklus.models import Indicator

Decimal = Literal[".", ","]

# Number forms. Thousands separators only in the German form (dot); an English comma
# separator is never accepted, because with a comma delimiter it cannot be told apart.
_INT = re.compile(r"^[+-]?\d+$")
_POINT = re.compile(r"^[+-]?\d*\.\d+$")
_COMMA = re.compile(r"^[+-]?\d*,\d+$")
_GERMAN = re.compile(rf"^{GERMAN_THOUSANDS}$")
_TWO_WAYS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")  # 1.340 / 1,340
_PERCENT_SIGN = re.compile(r"\s*%$")


class _NumberError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params


@dataclass
class Decimals:
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


def read_number(
    text: str,
    indicator: Indicator | None,
    decimals: Decimals,
    display: str,
    line: int,
    problems: list[Problem],
) -> float | None:
    percent = indicator is not None and indicator.unit.strip() == "%"
    bare = _PERCENT_SIGN.sub("", text) if text.endswith("%") else text
    if bare != text and indicator is not None and not percent:
        params = {"text": text, "indicator": indicator.id, "unit": indicator.unit}
        problems.append(Problem("D-PERCENT-SIGN", display, line, params=params))
        return None
    try:
        number = decimals.parse(bare, line)
    except _NumberError as exc:
        problems.append(Problem(exc.code, path=display, line=line, params=exc.params))
        return None
    if not math.isfinite(number):
        problems.append(Problem("D-NUMBER", display, line, params={"text": text, "decimal": "."}))
        return None
    if percent and not 0 <= number <= 100:
        params = {"text": text, "indicator": indicator.id if indicator else ""}
        problems.append(Problem("D-PERCENT-RANGE", display, line, params=params))
        return None
    return number
