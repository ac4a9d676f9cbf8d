"""zyklus.sheets.values: German numbers, suppressed marks, periods (issue 17)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyklus.files.spreadsheet import PercentCell
from zyklus.i18n import format_number
from zyklus.sheets.values import CellError, is_suppressed, number, period


@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False))
def test_german_numbers_as_excel_shows_them_read_back(value: Decimal) -> None:
    text = format_number(float(value), "de", 2)  # 1.234.567,89
    assert number(text, decimal=",", percent=False) == float(value)


@pytest.mark.parametrize("mark", [".", "*", "x", "X", "–", "-", "/", "…", None, "k.A."])
def test_suppressed_marks(mark: str | None) -> None:
    assert is_suppressed(mark)


def test_numbers_percent_and_refusals() -> None:
    assert number("12,1 %", decimal="auto", percent=True) == 12.1
    assert number(PercentCell(0.121), decimal="auto", percent=True) == 12.1
    assert number("−3", decimal="auto", percent=False) == -3.0  # the minus sign Word writes
    for bad, code in (
        ("1.340", "D-IMPORT-AMBIGUOUS"),
        ("12 %", "D-IMPORT-PERCENT-SIGN"),
        ("viele", "D-IMPORT-NUMBER"),
    ):
        with pytest.raises(CellError) as info:
            number(bad, decimal="auto", percent=False)
        assert info.value.code == code
    assert number("1.340", decimal=",", percent=False) == 1340.0
    assert number("1.340", decimal=".", percent=False) == 1.34


def test_periods() -> None:
    assert period(datetime(2023, 12, 31, 0, 0)) == date(2023, 12, 31)
    assert period("31.12.2023") == period("2023-12-31") == date(2023, 12, 31)
    with pytest.raises(CellError):
        period("Dezember")
