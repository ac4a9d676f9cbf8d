"""Tests of files/periods.py: days, years, half-years and quarters (issue 18)."""

from __future__ import annotations

import copy
import pickle
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyklus import i18n
from zyklus.files.periods import Period, parse_period


@pytest.mark.parametrize(
    ("text", "shown", "last_day"),
    [
        ("2023", "2023", date(2023, 12, 31)),
        ("2023-H1", "2023-H1", date(2023, 6, 30)),
        ("2023h2", "2023-H2", date(2023, 12, 31)),
        ("H1/2023", "2023-H1", date(2023, 6, 30)),
        ("2023-Q3", "2023-Q3", date(2023, 9, 30)),
        ("Q1 2024", "2024-Q1", date(2024, 3, 31)),
    ],
)
def test_period_forms(text: str, shown: str, last_day: date) -> None:
    period = parse_period(text)
    assert isinstance(period, Period) and period.isoformat() == shown == str(period)
    assert date(period.year, period.month, period.day) == last_day


def test_a_day_stays_a_plain_date_and_bad_forms_are_refused() -> None:
    assert type(parse_period("31.12.2023")) is date
    for bad in ("2023-H3", "2023-Q5", "1899", "2201", "23", "2023-13", "Q3"):
        assert parse_period(bad) is None, bad


def test_a_year_is_not_its_last_day() -> None:
    year, day = parse_period("2023"), date(2023, 12, 31)
    assert year != day and day != year and len({year, day}) == 2
    assert {year: 1}[Period(2023, "year")] == 1
    assert sorted([year, parse_period("2023-Q1"), date(2023, 1, 1)]) == [
        date(2023, 1, 1),
        Period(2023, "quarter", 1),
        Period(2023, "year"),
    ]


def test_copies_and_pickles_keep_the_kind() -> None:
    half = Period(2021, "half", 1)
    assert copy.deepcopy(half) == half == pickle.loads(pickle.dumps(half))
    assert copy.deepcopy(half).kind == "half"


def test_periods_in_both_languages() -> None:
    assert i18n.format_date(Period(2023, "year"), "de") == "2023"
    assert i18n.format_date(Period(2023, "half", 1), "de") == "1. Hj. 2023"
    assert i18n.format_date(Period(2023, "quarter", 3), "de") == "3. Quartal 2023"
    assert i18n.format_date(Period(2023, "quarter", 3), "en") == "2023 Q3"
    assert i18n.format_date(date(2023, 12, 31), "de") == "31.12.2023"


@given(st.integers(1900, 2200), st.sampled_from(["year", "half", "quarter"]), st.integers(1, 4))
def test_what_is_printed_reads_back(year: int, kind: str, index: int) -> None:
    index = {"year": 0, "half": 1 + index % 2, "quarter": index}[kind]
    period = Period(year, kind, index)  # type: ignore[arg-type]
    assert parse_period(period.isoformat()) == period
