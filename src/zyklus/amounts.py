"""Money as exact decimals in EUR: the type the models use, parsing, sums, text (issue 15).

A budget is read by a committee and checked against a Bescheid, so amounts are
:class:`~decimal.Decimal` from the file to the table: no float ever enters a sum
(0.10 + 0.20 is 0.30, not 0.30000000000000004). An amount is written in YAML as a number
(``12500``, ``12500.5``) or a string (``"12500.50"``); German forms like ``12.500`` or
``1,5`` are refused as ambiguous, as everywhere in zyklus. ``None`` means "not given"
(keine Angabe) and is never read as 0; 0 is a value.

Part of the vocabulary: imports no wing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from zyklus.models import FundingLine, Resources

# At most a thousand billion euros with cents: 14 significant digits, which a YAML float
# carries exactly (its shortest repr has up to 15), so a number in a file is exact too.
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")
# German number forms, refused where a number belongs (``12.500``, ``1,5``): the one rule
# of amounts, the models, the CLI and the CSV reader (the YAML loader resolves its own).
GERMAN_THOUSANDS = r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 12.500 / 12.500,5
GERMAN_NUMBER = re.compile(rf"^{GERMAN_THOUSANDS}\Z|^[+-]?\d+,\d+\Z")
_PLAIN = re.compile(r"^\d{1,12}(?:\.\d{1,2})?\Z")
_PERCENT = re.compile(r"^\d{1,3}(?:\.\d{1,2})?\Z")
AMOUNT_PATTERN = r"^\d{1,12}(\.\d{1,2})?$"


class AmountError(ValueError):
    """Why a text is no amount: ``code`` is a message id (S-AMBIGUOUS-NUMBER, M-AMOUNT)."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(code)
        self.code = code
        self.text = text


def parse_amount(text: str) -> Decimal:
    """``"12500.50"`` → Decimal; ``12.500``, ``1,5``, ``-3``, ``1e3``, ``12.505`` refused."""
    cleaned = text.strip()
    if GERMAN_NUMBER.match(cleaned) and not _PLAIN.match(cleaned):
        raise AmountError("S-AMBIGUOUS-NUMBER", cleaned)
    if not _PLAIN.match(cleaned):
        raise AmountError("M-AMOUNT", cleaned)
    return Decimal(cleaned)


def to_amount(value: Any) -> Any:
    """The models' amount: Decimal from int, float (via its shortest repr) or plain text.

    ``12.500`` written as a YAML number arrives as the loader's AmbiguousNumber (a str)
    and is refused like the same text in quotes.
    """
    if isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, bool):
        raise PydanticCustomError(
            "amount", "expected an amount in EUR, got {text!r}", {"text": value}
        )
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        # the shortest text that reads back as this float: what the file said, for every
        # amount below MAX_AMOUNT; 1e20, inf and nan stay text that is refused below
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        raise PydanticCustomError(
            "amount", "expected an amount in EUR, got {text!r}", {"text": type(value).__name__}
        )
    try:
        return parse_amount(text)
    except AmountError as exc:
        if exc.code == "S-AMBIGUOUS-NUMBER":
            raise PydanticCustomError(
                "ambiguous_number",
                "ambiguous number {text!r}: write 12500 or 12.5 (no thousands separator, "
                "decimal point)",
                {"text": exc.text},
            ) from None
        raise PydanticCustomError(
            "amount",
            'expected an amount in EUR like 12500 or "12500.50" (at most 2 decimals, '
            "not negative), got {text!r}",
            {"text": exc.text},
        ) from None


def to_percent(value: Any) -> Any:
    text = repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, bool) or not _PERCENT.match(text.strip()) or Decimal(text) > 100:
        raise PydanticCustomError(
            "percent", "expected a share in percent from 0 to 100, got {text!r}", {"text": value}
        )
    return Decimal(text.strip())


AMOUNT_JSON_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT), "multipleOf": 0.01},
        {"type": "string", "pattern": AMOUNT_PATTERN},
    ],
    "description": 'EUR, exact: 12500, 12500.5 or "12500.50" (no 12.500, no 1,5); 0 is a value',
}


def total(values: Iterable[Decimal | None]) -> Decimal | None:
    """The exact sum of the given values; ``None`` when none was given (not 0)."""
    given = [v for v in values if v is not None]
    if not given:
        return None
    return sum(given, Decimal(0))


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def format_eur(value: Decimal | None, lang: str, *, unit: bool = True) -> str:
    """de ``12.500,50 €``, en ``€12,500.50``; ``None`` → "keine Angabe" / "not given"."""
    from zyklus.i18n import message

    if value is None:
        return message("money-not-given", lang)
    text = f"{cents(value):,.2f}"
    if lang == "de":
        text = text.translate(str.maketrans(",.", ".,"))
        return f"{text} €" if unit else text
    return f"€{text}" if unit else text


def plain(value: Decimal | None) -> str | None:
    """For JSON and CSV: ``"12500.50"``, or ``None`` when not given."""
    return None if value is None else format(cents(value), "f")


def from_float(value: float | int) -> Decimal:
    """A number the loader read (``budget_eur``) as the decimal the file wrote: ``0.1`` → 0.1."""
    return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def planned_cost(resources: Resources) -> Decimal | None:
    """``budget_eur`` when given, else the sum of ``cost_per_year``; None: not given."""
    if resources.budget_eur is not None:
        return from_float(resources.budget_eur)
    return total(resources.cost_per_year.values())


# Which lines cover the planned cost, per setting of ``budget.coverage_gate``.
COVERING: dict[str, frozenset[str]] = {
    "planned": frozenset({"planned", "applied", "granted"}),
    "granted": frozenset({"granted"}),
}


def line_value(line: FundingLine) -> Decimal | None:
    """What a line brings: the funder's amount plus the own share; None if neither is given."""
    return total((line.amount, line.own_share))


def covered(lines: Iterable[FundingLine], mode: str) -> Decimal | None:
    """The sum of what the lines counting under ``mode`` bring (None: no amount given)."""
    statuses = COVERING[mode]
    return total(line_value(line) for line in lines if line.status in statuses)
