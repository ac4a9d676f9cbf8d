"""zyklus.sheets.importing: BA-shaped workbooks, long CSVs, the round trip (issue 17)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from helpers import ba_workbook, copy_example
from zyklus.errors import LoadError, UsageError
from zyklus.files.workspace import Workspace
from zyklus.sheets.export import Spec, indicators_table
from zyklus.sheets.importing import ImportOptions, import_table
from zyklus.sheets.writers import render

HEADER = ["Gebiet", "Arbeitslose absolut", "Arbeitslosenanteil in %", "Veränderung zum Vorjahr"]
P2024 = ImportOptions(period=date(2024, 12, 31))


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(copy_example(tmp_path / "ws"))


def _data(ws: Workspace) -> str:
    return (ws.root / "data" / "indicators.csv").read_text(encoding="utf-8")


def _fresh(ws: Workspace) -> Workspace:
    return Workspace(ws.root)


def test_a_ba_table_with_title_rows_suppressed_cells_total_and_footnote(
    ws: Workspace, tmp_path: Path
) -> None:
    book = ba_workbook(
        tmp_path / "ba.xlsx",
        [
            HEADER,
            ["Stadt Bochum", 16900, 7.0, "+0,6"],
            ["Grumme", 360, "4,1", "+0,1"],
            ["Sued-Innenstadt¹", 1200, "9,5 %", "."],  # normalised: ü = ue, footnote mark
            ["Hamme", ".", "*", None],
            ["Kruppwerke", "x", "–", None],
            ["Insgesamt", 18460, None, None],
        ],
    )
    before = _data(ws)
    result = import_table(_fresh(ws), book, P2024)
    assert result.layout.header_row == 4 and result.layout.sheet == "Arbeitslose"
    assert dict(result.layout.indicators) == {1: "arbeitslose", 2: "arbeitslosenanteil"}
    assert result.layout.ignored == ("Veränderung zum Vorjahr",)
    assert (len(result.added), len(result.changed), result.unchanged) == (6, 0, 0)
    assert result.suppressed == 4
    assert [(s.row, s.reason) for s in result.skipped] == [(10, "total"), (12, "note")]
    assert result.written
    table = _fresh(ws).indicators
    day = date(2024, 12, 31)
    assert table.get("suedinnenstadt", "arbeitslosenanteil", day) == 9.5
    assert table.get("grumme", "arbeitslosenanteil", day) == 4.1
    assert table.get("hamme", "arbeitslose", day) is None  # suppressed: missing, never 0
    after = _data(ws)
    assert set(before.splitlines()) <= set(after.splitlines())  # old rows kept as written
    lines = after.splitlines()
    assert lines.index("bochum,arbeitslosenanteil,2024-12-31,7") == 4  # sorted like areas.csv
    again = import_table(_fresh(ws), book, P2024)
    assert (len(again.added), len(again.changed), again.unchanged) == (0, 0, 6)
    assert not again.written and _data(ws) == after


def test_unknown_area_names_get_a_did_you_mean_and_nothing_is_written(
    ws: Workspace, tmp_path: Path
) -> None:
    book = ba_workbook(tmp_path / "t.xlsx", [HEADER, ["Grummme", 360, 4.1], ["Nirgendwo", 1, 1.0]])
    before = _data(ws)
    with pytest.raises(LoadError) as info:
        import_table(_fresh(ws), book, P2024)
    assert [(p.code, p.line, p.col, p.params.get("hint")) for p in info.value.problems] == [
        ("D-IMPORT-AREA-UNKNOWN-HINT", 5, 1, "Grumme"),
        ("D-IMPORT-AREA-UNKNOWN", 6, 1, None),
    ]
    assert _data(ws) == before
    mapped = ImportOptions(
        period=date(2024, 12, 31), areas={"Grummme": "grumme", "Nirgendwo": "hamme"}
    )
    assert len(import_table(_fresh(ws), book, mapped).added) == 4


def test_a_name_two_areas_share_is_refused_not_guessed(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    areas = root / "data" / "areas.csv"
    areas.write_text(
        areas.read_text(encoding="utf-8") + "zweites-grumme,Grumme,ortsteil,bezirk-nord\n",
        encoding="utf-8",
    )
    book = ba_workbook(tmp_path / "t.xlsx", [HEADER, ["Grumme", 360, 4.1]])
    with pytest.raises(LoadError) as info:
        import_table(Workspace(root), book, P2024)
    (problem,) = info.value.problems
    assert problem.code == "D-IMPORT-AREA-AMBIGUOUS"
    assert problem.params["ids"] == ("grumme", "zweites-grumme")


def test_percent_formatted_cells_hold_fractions(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["area", "arbeitslosenanteil", "period"])
    sheet.append(["grumme", 0.041, date(2024, 12, 31)])
    sheet["B2"].number_format = "0.0%"
    book.save(path)
    result = import_table(_fresh(ws), path, ImportOptions())
    assert [(c.area, c.new, c.period) for c in result.added] == [
        ("grumme", 4.1, date(2024, 12, 31))
    ]


def test_long_csv_in_cp1252_with_semicolons_and_decimal_comma(
    ws: Workspace, tmp_path: Path
) -> None:
    text = "Gebiet;Kennzahl;Stichtag;Wert\r\nSüdinnenstadt;Arbeitslosenanteil in %;31.12.2024;8,1\r\nGrumme;arbeitslose;31.12.2024;1.340\r\n"
    path = tmp_path / "long.csv"
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(LoadError) as info:  # 1.340: thousands or decimal? never guessed
        import_table(_fresh(ws), path, ImportOptions())
    assert [p.code for p in info.value.problems] == ["D-IMPORT-AMBIGUOUS"]
    result = import_table(_fresh(ws), path, ImportOptions(decimal=","))
    assert result.layout.long
    assert sorted((c.area, c.indicator, c.new) for c in result.added) == [
        ("grumme", "arbeitslose", 1340.0),
        ("suedinnenstadt", "arbeitslosenanteil", 8.1),
    ]


def test_bad_cells_are_located_and_the_dry_run_writes_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    book = ba_workbook(
        tmp_path / "t.xlsx", [HEADER, ["Grumme", "viele", 104.0], ["Grumme", 3, 4.0]]
    )
    with pytest.raises(LoadError) as info:
        import_table(_fresh(ws), book, P2024)
    assert [(p.code, p.line, p.col) for p in info.value.problems] == [
        ("D-IMPORT-NUMBER", 5, 2),
        ("D-PERCENT-RANGE", 5, 3),
        ("D-IMPORT-AREA-TWICE", 6, 1),
    ]
    good = ba_workbook(tmp_path / "g.xlsx", [HEADER, ["Grumme", 353, 4.5]])
    before = _data(ws)
    result = import_table(_fresh(ws), good, ImportOptions(period=date(2023, 12, 31)), dry_run=True)
    assert [(c.area, c.indicator, c.old, c.new) for c in result.changed] == [
        ("grumme", "arbeitslosenanteil", 4.0, 4.5)
    ]
    assert result.unchanged == 1 and not result.written and _data(ws) == before


def test_missing_period_header_row_and_columns_are_usage_errors(
    ws: Workspace, tmp_path: Path
) -> None:
    book = ba_workbook(tmp_path / "t.xlsx", [HEADER, ["Grumme", 353, 4.0]])
    with pytest.raises(UsageError) as info:
        import_table(_fresh(ws), book, ImportOptions())
    assert info.value.problems[0].code == "D-IMPORT-NO-PERIOD"
    with pytest.raises(UsageError) as info:
        import_table(_fresh(ws), book, ImportOptions(period=date(2024, 1, 1), area_column="Gebeit"))
    assert info.value.problems[0].code == "D-IMPORT-COLUMN-UNKNOWN-HINT"
    with pytest.raises(UsageError) as info:
        import_table(
            _fresh(ws), book, ImportOptions(period=date(2024, 1, 1), columns={"x": "arbeitslos"})
        )
    assert info.value.problems[0].code == "D-IMPORT-INDICATOR-UNKNOWN-HINT"
    nothing = ba_workbook(tmp_path / "n.xlsx", [["Gebiet", "Einwohner"], ["Grumme", 3]])
    with pytest.raises(LoadError) as info:
        import_table(_fresh(ws), nothing, P2024)
    assert info.value.problems[0].code == "D-IMPORT-NO-HEADER"
    mapped = ImportOptions(
        period=date(2024, 12, 31), header_row=4, columns={"Einwohner": "arbeitslose"}
    )
    assert len(import_table(_fresh(ws), nothing, mapped).added) == 1


def test_round_trip_changes_exactly_the_edited_cells(ws: Workspace, tmp_path: Path) -> None:
    """Export the indicator sheet, edit two cells as a planner would, import: two changes."""
    (output,) = render(indicators_table(ws, Spec("de", False)), "xlsx", "de", plain=False)
    path = tmp_path / "kennzahlen.xlsx"
    path.write_bytes(output.data)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers == [
        "Gebiets-ID",
        "Gebiet",
        "Stichtag",
        "Arbeitslose absolut",
        "Arbeitslosenanteil in %",
    ]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    rows["grumme"][3].value = 360  # was 353
    rows["556"][4].value = 2.5  # was 2.4
    book.save(path)
    before = _data(ws).splitlines()
    result = import_table(_fresh(ws), path, ImportOptions())
    assert sorted((c.area, c.indicator, c.old, c.new) for c in result.changed) == [
        ("556", "arbeitslosenanteil", 2.4, 2.5),
        ("grumme", "arbeitslose", 353.0, 360.0),
    ]
    assert (len(result.added), result.unchanged) == (0, 81)
    after = _data(ws).splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("grumme,arbeitslose,2023-12-31,353", "grumme,arbeitslose,2023-12-31,360"),
        ("556,arbeitslosenanteil,2023-12-31,2.4", "556,arbeitslosenanteil,2023-12-31,2.5"),
    ]
