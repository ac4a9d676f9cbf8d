"""zyklus.rules.references: a refused data file is reported once, as itself (issue 17)."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_example
from zyklus.files.workspace import Workspace
from zyklus.rules.references import validate_workspace


def test_a_refused_areas_csv_does_not_make_every_card_area_unknown(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    areas = root / "data" / "areas.csv"
    cp850 = areas.read_text(encoding="utf-8").encode("cp850")  # Süd as DOS writes it: refused
    areas.write_bytes(cp850)
    report = validate_workspace(Workspace(root))
    assert [(p.path, p.code) for p in report.problems] == [("data/areas.csv", "D-ENCODING")]


def test_cp1252_areas_from_german_excel_are_read(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    areas = root / "data" / "areas.csv"
    areas.write_bytes(areas.read_text(encoding="utf-8").encode("cp1252"))
    ws = Workspace(root)
    assert validate_workspace(ws).problems == []
    assert ws.areas.name("bezirk-sued") == "Süd"
