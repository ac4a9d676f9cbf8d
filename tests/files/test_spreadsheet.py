"""zyklus.files.spreadsheet: reading workbooks and CSV, writing typed sheets (issue 17)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from zyklus.errors import LoadError
from zyklus.files.spreadsheet import (
    Column,
    Table,
    csv_text,
    detect_delimiter,
    number_text,
    open_table,
    workbook_bytes,
)


def test_csv_rows_keep_their_line_numbers_and_the_delimiter_is_found(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("Tabelle 1\r\n\r\nGebiet;Wert\r\nSüd;1,5\r\n".encode("cp1252"))
    with open_table(path, "t.csv") as table:
        assert list(table.rows) == [
            (1, ("Tabelle 1",)),
            (2, ()),
            (3, ("Gebiet", "Wert")),
            (4, ("Süd", "1,5")),
        ]
    assert detect_delimiter("a,b\nx\ty\tz\tw\n") == "\t"


def test_workbooks_unknown_sheets_and_broken_files(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.title = "Daten"
    book.active.append(["a", 1])
    book.create_sheet("Zweites").append(["b"])
    path = tmp_path / "b.xlsx"
    book.save(path)
    with open_table(path, "b.xlsx", sheet="2") as table:
        assert (table.sheet, table.sheets) == ("Zweites", ("Daten", "Zweites"))
        assert list(table.rows) == [(1, ("b",))]
    with pytest.raises(LoadError) as info, open_table(path, "b.xlsx", sheet="Datne"):
        pass
    assert info.value.problems[0].code == "D-SHEET-UNKNOWN-HINT"
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError) as info, open_table(broken, "x.xlsx"):
        pass
    assert info.value.problems[0].code == "D-SHEET-UNREADABLE"
    with pytest.raises(LoadError) as info, open_table(tmp_path / "t.xls", "t.xls"):
        pass
    assert info.value.problems[0].code == "D-SHEET-KIND"


def test_written_cells_keep_their_types_and_formulas_stay_text() -> None:
    table = Table(
        "Liste: [1]/2",  # characters Excel forbids in sheet names
        (Column("Text"), Column("Zahl", "number", number_format="0.00"), Column("Tag", "date")),
        (("=1+1", 2.5, date(2023, 12, 31)), ("-Anfang", None, None), ("+49 234", 3, None)),
    )
    book = openpyxl.load_workbook(
        io.BytesIO(workbook_bytes([table], date_format="dd.mm.yyyy", bools=("ja", "nein")))
    )
    sheet = book["Liste- -1--2"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["B2"].value == 2.5 and sheet["B2"].number_format == "0.00"
    assert sheet["C2"].is_date and sheet["C2"].value.date() == date(2023, 12, 31)
    assert sheet["B3"].value is None and sheet["A4"].quotePrefix
    text = csv_text(table, delimiter=";", decimal=",", date_format="german", bools=("ja", "nein"))
    assert text.splitlines() == [
        "Text;Zahl;Tag",
        "'=1+1;2,5;31.12.2023",
        "'-Anfang;;",
        "'+49 234;3;",
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [(16797.0, "16797"), (6.9, "6.9"), (1e-7, "0.0000001"), (3, "3"), (0.15, "0.15")],
)
def test_numbers_are_written_without_exponent_or_trailing_zero(value: float, text: str) -> None:
    assert number_text(value) == text
