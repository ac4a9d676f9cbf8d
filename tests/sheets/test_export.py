"""zyklus.sheets.export and writers: typed cells, German Excel CSV, formula injection (issue 17)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from helpers import copy_example
from zyklus.files.workspace import Workspace
from zyklus.sheets.export import Spec, export_tables
from zyklus.sheets.writers import render

AS_OF = date(2027, 9, 30)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(copy_example(tmp_path / "ws"))


def _book(ws: Workspace, what: str, lang: str = "de") -> openpyxl.Workbook:
    tables = export_tables(ws, what, Spec(lang, False, as_of=AS_OF))
    (output,) = render(tables, "xlsx", lang, plain=False)
    return openpyxl.load_workbook(io.BytesIO(output.data))


def test_xlsx_has_typed_cells_frozen_header_and_widths(ws: Workspace) -> None:
    book = _book(ws, "all")
    assert book.sheetnames == [
        "Projekte",
        "Stand",
        "Ziele",
        "Rangfolge",
        "Versteckte Schwerpunkte",
        "Abdeckung",
        "Lücken",
        "Kennzahlen",
        "Budget je Projekt",
        "Budget je Fördergeber",
        "Budget je Zielgruppe",
        "Budget je Jahr",
    ]
    projects = book["Projekte"]
    assert projects.freeze_panes == "A2"
    assert projects["A1"].value == "Projekt" and projects["A1"].font.b
    assert projects.column_dimensions["B"].width > 10
    rows = {r[0].value: r for r in projects.iter_rows(min_row=2)}
    jobcenter = rows["jobcenter-im-quartier"]
    headers = [c.value for c in projects[1]]
    cell = dict(zip(headers, jobcenter, strict=True))
    assert cell["Phase"].value == "Evaluation" and cell["Phase"].data_type == "s"
    assert cell["Personal (VZÄ)"].value == 0.15 and cell["Personal (VZÄ)"].data_type == "n"
    assert cell["Budget (EUR)"].value is None  # "/" in the source: unknown stays empty, never 0
    assert cell["Ziele"].value == 3 and isinstance(cell["Ziele"].value, int)
    ranking = book["Rangfolge"]
    first = list(ranking[2])
    assert isinstance(first[1].value, datetime) and first[1].is_date  # the period, a real date
    assert first[1].number_format == "dd.mm.yyyy"
    assert isinstance(first[7].value, (int, float)) and first[7].data_type == "n"
    status = book["Stand"]
    assert {c.value for c in status["K"][1:]} == {"ja"}


def test_goals_with_actuals_and_achievement(ws: Workspace) -> None:
    sheet = _book(ws, "goals", "en")["Goals"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Project", "Goal", "Statement"]
    measured = [
        dict(zip(headers, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    with_actual = [r for r in measured if r["Actual"] is not None]
    assert with_actual, "the example records actuals"
    assert all(isinstance(r["Actual date"], datetime) for r in with_actual)
    assert all(isinstance(r["Actual"], (int, float)) for r in with_actual)


def test_german_excel_csv_and_plain_csv(ws: Workspace) -> None:
    tables = export_tables(ws, "projects", Spec("de", False))
    (german,) = render(tables, "csv", "de", plain=False)
    assert german.data.startswith(b"\xef\xbb\xbfProjekt;Titel;Phase;")
    text = german.data.decode("utf-8-sig")
    line = next(x for x in text.splitlines() if x.startswith("jobcenter-im-quartier;"))
    assert ";0,15;;" in line  # decimal comma; the unknown budget stays empty
    plain_tables = export_tables(ws, "projects", Spec("de", True))
    (plain,) = render(plain_tables, "csv", "de", plain=True)
    assert plain.data.startswith(b"project,title,phase,areas,")
    assert b",0.15,," in plain.data and not plain.data.startswith(b"\xef\xbb\xbf")
    parts = render(export_tables(ws, "analysis", Spec("de", True)), "csv", "de", plain=True)
    assert [p.part for p in parts] == ["-ranking", "-hidden", "-coverage", "-gaps"]


def test_hostile_project_title_and_area_name_are_neutralised(ws: Workspace) -> None:
    card = ws.root / "projects" / "jobcenter-im-quartier.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(
        text.replace(
            "title: Jobcenter im Quartier", 'title: "=HYPERLINK(\\"http://x\\",\\"hi\\")\\a"'
        ),
        encoding="utf-8",
    )
    areas = ws.root / "data" / "areas.csv"
    areas.write_text(
        areas.read_text(encoding="utf-8").replace(",Grumme,", ",@SUM(1+1)*cmd|' /C calc'!A0,"),
        encoding="utf-8",
    )
    ws = Workspace(ws.root)
    book = _book(ws, "all")
    title = next(
        r[1] for r in book["Projekte"].iter_rows(min_row=2) if r[0].value == "jobcenter-im-quartier"
    )
    assert title.data_type == "s" and title.quotePrefix
    assert title.value == '=HYPERLINK("http://x","hi")\ufffd'  # bell replaced: XML cannot hold it
    name = next(r[1] for r in book["Kennzahlen"].iter_rows(min_row=2) if r[0].value == "grumme")
    assert name.data_type == "s" and name.quotePrefix and name.value.startswith("@SUM")
    for plain in (False, True):
        parts = render(export_tables(ws, "all", Spec("de", plain)), "csv", "de", plain=plain)
        text = b"".join(p.data for p in parts).decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'@SUM(1+1)" in text
        cells = [
            c.strip('"') for line in text.splitlines() for c in line.replace(";", ",").split(",")
        ]
        assert not [c for c in cells if c[:1] in ("=", "@")]


def test_budget_sheets_hold_exact_amounts_and_the_total(ws: Workspace) -> None:
    book = _book(ws, "budget")
    sheet = book["Budget je Projekt"]
    headers = [c.value for c in sheet[1]]
    rows = {r[0].value: dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=2)}
    spent = rows["ausbildungsberufe-im-quartier"]["Ausgegeben (EUR)"]
    assert spent.data_type == "n" and spent.value == 1600.3 and "€" in spent.number_format
    assert rows["beratung-ba-im-quartier"]["Geplant (EUR)"].value is None  # not given: empty
    assert rows["total"]["Bezeichnung"].value == "Summe"
    (plain,) = render(export_tables(ws, "budget", Spec("de", True))[:1], "csv", "de", plain=True)
    assert b",1600.30," in plain.data  # Decimal: to the cent, as given
