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


def test_a_number_formatted_once_reads_as_formatted_alone() -> None:
    """Issue 18: each number of an indicator is formatted once and reused; −0.0 (equal to
    0.0 as a key) and the same number of another indicator keep their own text."""
    from dataclasses import replace
    from datetime import date

    from zyklus.needs.results import Trend

    ws = Workspace(REPO)
    result = analyse(ws)
    share = next(i.id for i in result.indicators if i.unit.strip() == "%")
    count = next(i.id for i in result.indicators if i.unit.strip() != "%")
    now, before = date(2023, 12, 31), date(2022, 12, 31)

    def trend(indicator: str, value: float, change: float) -> Trend:
        series = ((before, value - change), (now, value))
        return Trend(
            indicator, "x", "X", "stadtteil", now, before, value, value - change, change,
            "same", before, value - change, change, "same", series,
        )  # fmt: skip

    made = [
        trend(share, -0.0, -0.0),
        trend(share, 0.0, 0.0),
        trend(count, 12.5, 2.0),
        trend(share, 12.5, 2.0),
        trend(count, 12.5, 2.0),
    ]

    def rows(trends: list[Trend]) -> list[list[str]]:
        sections = build_sections(replace(result, trends=tuple(trends)), ws.config, "de")
        return [row for _, _, found in sections for row in found if "X" in row]

    together = rows(made)
    assert together == [row for one in made for row in rows([one])]
    assert together[0][3] != together[1][3]  # "-0 %" stays as it was written before
    assert together[2][3] != together[3][3] and together[2] == together[4]
