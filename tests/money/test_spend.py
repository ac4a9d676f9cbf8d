"""``record spend`` writes the cycle file like actuals: atomic, under the lock (issue 15)."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cycle_helpers import fresh, project
from money_helpers import money_ws
from zyklus.errors import StateError, UsageError
from zyklus.files import cycles
from zyklus.money.spend import parse_amount_arg, record_spend

TODAY = date(2027, 7, 1)


def test_spend_is_recorded_in_date_order_and_reads_back_exactly(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    record_spend(ws, "funded", Decimal("0.10"), date(2027, 5, 1), funder="kommune", today=TODAY)
    record_spend(
        fresh(ws), "funded", Decimal("0.20"), date(2027, 4, 1), note="Rechnung 7", today=TODAY
    )
    spend = project(ws, "funded").spend
    assert [(s.amount, s.date, s.funder, s.note) for s in spend] == [
        (Decimal("0.20"), date(2027, 4, 1), None, "Rechnung 7"),
        (Decimal("0.10"), date(2027, 5, 1), "kommune", None),
    ]
    text = ws.cycle_path(2027).read_text(encoding="utf-8")
    assert '- amount: "0.20"' in text and 'funder: "kommune"' in text
    assert sum(s.amount for s in spend) == Decimal("0.30")


def test_a_refused_spend_writes_nothing(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    path = ws.cycle_path(2027)
    record_spend(ws, "funded", Decimal(5), date(2027, 5, 1), today=TODAY)
    before = path.read_bytes()
    cases = [
        ({"amount": Decimal(5), "on": date(2027, 5, 1)}, StateError, "M-SPEND-EXISTS"),
        ({"amount": Decimal(5), "on": date(2027, 8, 1)}, StateError, "CY-FUTURE-DATE"),
        (
            {"amount": Decimal(5), "on": date(2027, 5, 2), "funder": "esf"},
            UsageError,
            "M-FUNDER-UNKNOWN",
        ),
        (
            {"amount": Decimal(5), "on": date(2027, 5, 2), "funder": "komune"},
            UsageError,
            "M-FUNDER-UNKNOWN-HINT",
        ),
    ]
    for options, error, code in cases:
        with pytest.raises(error) as caught:
            record_spend(fresh(ws), "funded", today=TODAY, **options)  # type: ignore[arg-type]
        assert caught.value.problems[0].code == code
        assert path.read_bytes() == before
    with pytest.raises(UsageError) as unknown:
        record_spend(fresh(ws), "fundet", Decimal(1), date(2027, 5, 1), today=TODAY)
    assert unknown.value.problems[0].code == "W-UNKNOWN-PROJECT-HINT"
    assert path.read_bytes() == before


def test_a_failing_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = money_ws(tmp_path)
    path = ws.cycle_path(2027)
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        record_spend(ws, "funded", Decimal(5), date(2027, 5, 1), today=TODAY)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_held_lock_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    ws = money_ws(tmp_path)
    before = ws.cycle_path(2027).read_bytes()
    monkeypatch.setattr(cycles, "LOCK_TIMEOUT", 0.2)
    with FileLock(str(cycles.lock_path(ws, 2027))), pytest.raises(StateError) as caught:
        record_spend(ws, "funded", Decimal(5), date(2027, 5, 1), today=TODAY)
    assert caught.value.problems[0].code == "CY-LOCKED"
    assert ws.cycle_path(2027).read_bytes() == before


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("12.500", "S-AMBIGUOUS-NUMBER"),
        ("1,5", "S-AMBIGUOUS-NUMBER"),
        ("-1", "M-AMOUNT"),
        ("zwölf", "M-AMOUNT"),
    ],
)
def test_the_amount_argument(text: str, code: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_amount_arg(text)
    assert caught.value.problems[0].code == code
    assert parse_amount_arg(" 12500.50 ") == Decimal("12500.50")
    assert parse_amount_arg("0") == 0


def test_spending_on_two_branches_merges_without_conflict(tmp_path: Path) -> None:
    """Issue 19's merge driver keeps both branches' spending (it merges by field)."""
    from zyklus.files.cycles import read_cycle
    from zyklus.files.merge import merge_cycle_texts

    ours_ws = money_ws(tmp_path / "ours")
    theirs_ws = money_ws(tmp_path / "theirs")
    base = ours_ws.cycle_path(2027).read_text(encoding="utf-8")
    record_spend(ours_ws, "funded", Decimal("0.10"), date(2027, 5, 1), today=TODAY)
    record_spend(theirs_ws, "funded", Decimal("0.20"), date(2027, 5, 2), today=TODAY)
    result = merge_cycle_texts(
        base,
        ours_ws.cycle_path(2027).read_text(encoding="utf-8"),
        theirs_ws.cycle_path(2027).read_text(encoding="utf-8"),
        "cycles/2027.yaml",
    )
    assert result.conflicts == ()
    ours_ws.cycle_path(2027).write_text(result.text, encoding="utf-8")
    spend = read_cycle(fresh(ours_ws), 2027).projects["funded"].spend
    assert sum(s.amount for s in spend) == Decimal("0.30")
