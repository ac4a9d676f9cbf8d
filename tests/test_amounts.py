"""Money is exact: Decimal from the file to the total, German forms refused (issue 15)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyklus import models
from zyklus.amounts import AmountError, covered, format_eur, parse_amount, planned_cost, total
from zyklus.files.loader import load_text
from zyklus.files.located import validate_document

CENTS = st.integers(min_value=0, max_value=10**11)  # up to a thousand million euros


def _line(amount: object, **more: object) -> models.FundingLine:
    return models.FundingLine.model_validate(
        {"funder": "x", "status": "granted", "amount": amount, **more}
    )


@given(st.lists(CENTS, min_size=1, max_size=40))
def test_totals_are_exact_to_the_cent_where_float_is_not(cents: list[int]) -> None:
    """Amounts written as YAML numbers and as strings add up to the integer sum of cents."""
    texts = [f"{c // 100}.{c % 100:02d}" for c in cents]
    doc = "funding:\n" + "".join(
        f"  - {{funder: x, status: granted, amount: {t if i % 2 else repr(t)}}}\n"
        for i, t in enumerate(texts)
    )
    card = validate_document(
        load_text("id: p\ntitle: P\nareas: [a]\ntarget_groups: [g]\n" + doc, "p.yaml"), models.Card
    )
    expected = Decimal(sum(cents)) / 100
    assert total(line.amount for line in card.funding) == expected
    assert covered(card.funding, "granted") == expected


def test_float_would_get_these_wrong() -> None:
    assert 0.1 + 0.2 != 0.3  # the reason for all of this
    assert total([_line(0.1).amount, _line("0.20").amount]) == Decimal("0.30")
    assert total([_line(1234.56).amount, _line(0.01).amount]) == Decimal("1234.57")


def test_zero_is_a_value_and_nothing_given_is_none() -> None:
    assert total([Decimal(0)]) == Decimal(0)
    assert total([]) is None
    assert total([None, None]) is None
    assert format_eur(None, "de") == "keine Angabe"
    assert format_eur(None, "en") == "not given"
    assert format_eur(Decimal(0), "de") == "0,00 €"
    assert format_eur(Decimal("12500.5"), "de") == "12.500,50 €"
    assert format_eur(Decimal("12500.5"), "en") == "€12,500.50"


@pytest.mark.parametrize("text", ["12.500", "1,5", "12.500,00", "1.234.567"])
def test_german_forms_are_ambiguous(text: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.code == "S-AMBIGUOUS-NUMBER"


@pytest.mark.parametrize("text", ["-3", "1e3", "12.505x", "€ 12", "", "1234567890123"])
def test_no_amount(text: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.code in ("M-AMOUNT", "S-AMBIGUOUS-NUMBER")


@pytest.mark.parametrize(
    ("yaml_value", "code"),
    [
        ("12.500", "S-AMBIGUOUS-NUMBER"),
        ('"12.500"', "S-AMBIGUOUS-NUMBER"),
        ('"1,5"', "S-AMBIGUOUS-NUMBER"),
        ("-5", "M-AMOUNT"),
        ('"abc"', "M-AMOUNT"),
        ("true", "M-AMOUNT"),
    ],
)
def test_amounts_in_files_are_located(yaml_value: str, code: str) -> None:
    text = f"id: p\ntitle: P\nareas: [a]\ntarget_groups: [g]\nfunding:\n  - funder: x\n    status: planned\n    amount: {yaml_value}\n"
    from zyklus.errors import LoadError

    with pytest.raises(LoadError) as caught:
        validate_document(load_text(text, "p.yaml"), models.Card)
    problem = caught.value.problems[0]
    assert (problem.code, problem.line) == (code, 8)
    assert problem.key_path == ("funding", 0, "amount")


def test_planned_cost_from_budget_or_years() -> None:
    assert planned_cost(models.Resources(budget_eur=0.1)) == Decimal("0.1")
    years = models.Resources.model_validate({"cost_per_year": {2027: "0.10", 2028: 0.2}})
    assert planned_cost(years) == Decimal("0.30")
    assert planned_cost(models.Resources()) is None


def test_coverage_counts_own_shares_and_skips_rejected() -> None:
    lines = [
        _line("100", own_share="10"),
        _line("50", status="applied"),
        _line("1000", status="rejected"),
    ]
    assert covered(lines, "granted") == Decimal("110")
    assert covered(lines, "planned") == Decimal("160")
