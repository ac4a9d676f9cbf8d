"""The analysis as titled tables (what ``zyklus analyse`` lays out), without the CLI."""

from __future__ import annotations

from helpers import REPO
from zyklus.files.workspace import Workspace
from zyklus.needs.analysis import analyse
from zyklus.report.tables import build_sections, markdown


def test_sections_in_both_languages_and_as_markdown() -> None:
    ws = Workspace(REPO)
    result = analyse(ws)
    german = build_sections(result, ws.config, "de")
    english = build_sections(result, ws.config, "en")
    assert len(german) == len(english) > 3
    title, columns, rows = next(s for s in german if s[1])
    assert title
    assert columns and rows and all(len(r) == len(columns) for r in rows)
    assert any("%" in cell for _, _, rows in german for row in rows for cell in row)
    text = markdown([("T", [], []), ("Tabelle", ["a|b", "c"], [["x\ny", "1"]])])
    assert (
        text == "# T\n\n## Tabelle\n\n| a\\|b | c |\n|---|---|\n| x<br>y | 1 |\n"
    )  # the one Markdown rule (zyklus.escape)
