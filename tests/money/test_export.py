"""Budget tables as JSON and CSV: exact text amounts, null for not given, no formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from money_helpers import FUNDED, money_ws
from zyklus.money.budget import budget
from zyklus.money.export import csv_cell, table_csv, table_data


def test_json_data_has_exact_text_and_null(tmp_path: Path) -> None:
    data = table_data(budget(money_ws(tmp_path), "project", 2027), "de")
    funded = next(r for r in data["rows"] if r["key"] == "funded")
    assert funded["planned"] == "1000.30" and funded["own_share"] == "0.20"
    assert funded["spent"] is None
    assert data["total"]["requested"] == "500.30"


def test_csv_neutralises_formulas_in_titles(tmp_path: Path) -> None:
    card = FUNDED.replace("title: Funded project", 'title: "=HYPERLINK(\\"http://x\\")"')
    text = table_csv(budget(money_ws(tmp_path, {"funded": card}), "project", 2027), "en")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["key", "label", "phase"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][3] == "1000.30"


@given(st.text(max_size=20))
def test_no_cell_starts_a_formula(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell.startswith("'")
    if cell.startswith("-"):
        assert cell.lstrip("-").replace(".", "", 1).isdigit()
    assert csv_cell("-500.00") == "-500.00"


def test_every_view_as_plain_data_for_the_report(tmp_path: Path) -> None:
    from zyklus.money.export import budget_tables

    tables = budget_tables(money_ws(tmp_path), 2027, "de")
    assert list(tables) == ["project", "funder", "target-group", "year"]
    assert tables["funder"]["total"]["granted"] == "0.10"
    assert tables["target-group"]["total"] is None
    assert tables["project"]["notes"][0].startswith("offen = geplante Kosten")
