"""zyklus data import / zyklus export through the CLI (issue 17)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from helpers import ba_workbook, copy_example
from zyklus.cli import app


def _run(runner: CliRunner, root: Path, *args: str) -> object:
    return runner.invoke(app, [*args, "--workspace", str(root)], catch_exceptions=False)


def test_import_prints_what_it_found_and_the_summary(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    book = ba_workbook(
        tmp_path / "ba.xlsx",
        [
            ["", "Arbeitslose absolut", "Arbeitslosenanteil in %"],
            ["Grumme", 353, 4.2],
            ["Hamme", "*", "."],
            ["Insgesamt", 1, None],
        ],
    )
    args = ["data", "import", str(book), "--period", "2023-12-31", "--lang", "en"]
    dry = _run(runner, root, *args, "--dry-run")
    assert dry.exit_code == 0, dry.output  # type: ignore[attr-defined]
    assert dry.stdout.splitlines() == [  # type: ignore[attr-defined]
        f"{book}, sheet 'Arbeitslose': header row 4, areas in column 'A'",
        "columns: Arbeitslose absolut → arbeitslose, Arbeitslosenanteil in % → arbeitslosenanteil",
        "row 7 skipped: total row 'Insgesamt' (import it with --area \"Insgesamt=id\")",
        "row 9 skipped: no values ('* Werte unter 3 sind aus Datenschutzgründen anonymisiert. Quelle: Statistik der BA')",
        "  changed: grumme arbeitslosenanteil 2023-12-31: 4 → 4.2",
        "dry run, nothing written: 0 values added, 1 changed, 1 unchanged, 2 suppressed or empty cells passed over",
    ]
    done = _run(runner, root, *args)
    assert done.stdout.splitlines()[-1] == (  # type: ignore[attr-defined]
        "data/indicators.csv written: 0 values added, 1 changed, 1 unchanged, 2 suppressed or empty cells passed over"
    )
    again = _run(runner, root, *args)
    assert "data/indicators.csv unchanged: 0 values added, 0 changed, 2 unchanged" in again.stdout  # type: ignore[attr-defined]


def test_import_errors_are_located_and_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    book = ba_workbook(tmp_path / "ba.xlsx", [["Gebiet", "Arbeitslose absolut"], ["Gruume", 353]])
    result = _run(
        runner, root, "data", "import", str(book), "--period", "2023-12-31", "--lang", "en"
    )
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr == (  # type: ignore[attr-defined]
        f"{book}:5:1: D-IMPORT-AREA-UNKNOWN-HINT area 'Gruume' is not in data/areas.csv – did you mean 'Grumme'? "
        'Map it with --area "Gruume=id"\n'
    )
    missing = _run(runner, root, "data", "import", str(tmp_path / "nope.xlsx"))
    assert missing.exit_code == 2  # type: ignore[attr-defined]


def test_export_writes_files_and_refuses_bad_usage(runner: CliRunner, tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    result = _run(runner, root, "export", "projects", "--as-of", "2027-09-30")
    assert result.stdout == "geschrieben: reports/export/projects.xlsx\n"  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(root / "reports" / "export" / "projects.xlsx")
    assert book.sheetnames == ["Projekte"]
    out = tmp_path / "s.csv"
    csv = _run(runner, root, "export", "status", "--format", "csv", "--plain", "--out", str(out))
    assert csv.exit_code == 0 and out.read_bytes().startswith(b"project,title,phase")  # type: ignore[attr-defined]
    typo = _run(runner, root, "export", "projekts", "--lang", "en")
    assert typo.exit_code == 2  # type: ignore[attr-defined]
    assert (
        "SH-EXPORT-UNKNOWN-HINT 'projekts' cannot be exported – did you mean 'projects'?"
        in typo.stderr
    )  # type: ignore[attr-defined]
    assert _run(runner, root, "export", "status", "--plain").exit_code == 2  # type: ignore[attr-defined]


def test_the_readme_examples_change_nothing_in_the_example(
    runner: CliRunner, tmp_path: Path
) -> None:
    root = copy_example(tmp_path / "ws")
    table = Path(__file__).resolve().parents[2] / "docs" / "examples" / "tabelle-2-querenburg.csv"
    assert b"Kleinr\xe4umige" in table.read_bytes()  # ä as one byte: cp1252, as Excel saves
    result = _run(
        runner, root, "data", "import", str(table), "--period", "2023-12-31", "--lang", "en"
    )
    assert result.stdout.splitlines()[-1] == (  # type: ignore[attr-defined]
        "data/indicators.csv unchanged: 0 values added, 0 changed, 9 unchanged, 0 suppressed or empty cells passed over"
    )
    out = tmp_path / "kennzahlen.xlsx"
    _run(runner, root, "export", "indicators", "--out", str(out), "--lang", "en")
    again = _run(runner, root, "data", "import", str(out), "--lang", "en")
    assert "0 values added, 0 changed, 83 unchanged" in again.stdout  # type: ignore[attr-defined]
