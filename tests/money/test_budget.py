"""Budget views: exact totals, "not given" is not 0, one row per project, funder, group, year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from cycle_helpers import fresh
from helpers import grows_linearly_in_calls
from money_helpers import money_ws
from zyklus.errors import UsageError
from zyklus.money.budget import budget, parse_view
from zyklus.money.spend import record_spend

D = Decimal


def _rows(table: object) -> dict[str, dict[str, Decimal | None]]:
    return {r.key: r.values for r in table.rows}  # type: ignore[attr-defined]


def test_by_project(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    record_spend(ws, "funded", D("0.10"), date(2027, 3, 1), today=date(2027, 7, 1))
    record_spend(fresh(ws), "funded", D("0.20"), date(2027, 3, 2), today=date(2027, 7, 1))
    table = budget(fresh(ws), "project", 2027)
    rows = _rows(table)
    assert rows["funded"] == {
        "planned": D("1000.3"),
        "requested": D("500.10"),  # the rejected line counts nowhere
        "granted": D("0.1"),
        "own_share": D("0.20"),
        "spent": D("0.30"),  # 0.1 + 0.2 exactly
        "open": D("1000.00"),
    }
    assert rows["other"] == dict.fromkeys(rows["other"], None)  # nothing given is not 0
    assert rows["draft"]["requested"] == D("0.20") and rows["draft"]["open"] is None
    assert table.total is not None
    assert table.total.values["requested"] == D("500.30")
    assert table.given["planned"] == 1 and table.given["requested"] == 2


def test_by_funder_year_and_target_group(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    record_spend(ws, "draft", D("7"), date(2027, 3, 1), funder="kommune", today=date(2027, 7, 1))
    funders = _rows(budget(fresh(ws), "funder", 2027))
    assert funders["esf-plus"] == {
        "requested": None,
        "granted": D("0.1"),
        "own_share": D("0.20"),
        "spent": None,
    }
    assert funders["kommune"]["requested"] == D("500.30") and funders["kommune"]["spent"] == D(7)
    years = budget(fresh(ws), "year", 2027)
    assert [r.key for r in years.rows] == ["2027", "2028", "–"]
    assert _rows(years)["2028"]["requested"] == D("0.20")
    assert _rows(years)["–"]["planned"] == D("1000.3")
    groups = budget(fresh(ws), "target-group", 2027)
    assert groups.total is None  # a project of two groups would count twice
    assert _rows(groups)["jugendliche"]["planned"] is None


def test_unknown_view_gets_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        parse_view("funders")
    assert caught.value.problems[0].code == "M-VIEW-UNKNOWN-HINT"
    assert parse_view("target-group") == "target-group"


def test_growth_is_linear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """n vs 10·n projects: the views are one pass each. Calls are counted in one process
    (``ZYKLUS_JOBS=1``: work done in forked workers would not be counted)."""
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    card = "id: p{i}\ntitle: P\nareas: [querenburg]\ntarget_groups: [langzeitarbeitslose]\nfunding:\n  - {{funder: kommune, amount: 1.01, status: granted}}\n"
    workspaces = {
        n: money_ws(tmp_path / str(n), {f"p{i}": card.format(i=i) for i in range(n)})
        for n in (30, 60, 330)
    }

    def views(n: int) -> None:
        for view in ("project", "funder", "target-group", "year"):
            table = budget(fresh(workspaces[n]), view, 2027)  # type: ignore[arg-type]
        assert table.total is not None and table.total.values["granted"] == D("1.01") * n

    assert grows_linearly_in_calls(views, (30, 60, 330)) <= 12
