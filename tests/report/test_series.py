"""Indicator time series of the hotspots (issue 16): drawn when the data has several periods."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from helpers import REPO
from zyklus.files.workspace import Workspace
from zyklus.report import build as report
from zyklus.report import charts

KOELN = REPO / "tests" / "report" / "fixtures" / "koeln"
AS_OF = date(2027, 9, 30)


def test_one_period_draws_no_series() -> None:
    built = report.build(Workspace(REPO), 2027, lang="de", as_of=AS_OF)
    assert built.needs is not None
    assert all(not block.series for block in built.needs.indicators)
    assert "Entwicklung der Schwerpunkte" not in report.render(Workspace(REPO), built, "html")


def test_several_periods_draw_the_city_and_the_hotspots(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(KOELN, root)
    values = root / "data" / "indicators.csv"
    lines = values.read_text(encoding="utf-8").splitlines()
    earlier = [line.replace("2023-12-31", "2020-12-31") for line in lines[1:]]
    earlier = [line.replace(",11.8", ",9.1") for line in earlier]
    values.write_text("\n".join([*lines, *earlier]) + "\n", encoding="utf-8")
    ws = Workspace(root)
    built = report.build(ws, 2027, lang="de", as_of=AS_OF)
    assert built.needs is not None
    (block,) = built.needs.indicators
    names = [s.name for s in block.series]
    assert names[0] == "Stadt Köln" and block.series[0].city
    assert names[1] == "Chorweiler"  # the worst hotspot first
    assert block.series[1].points == ((date(2020, 12, 31), 9.1), (date(2023, 12, 31), 11.8))
    html = report.render(ws, built, "html")
    assert "Arbeitslosenanteil in %: Entwicklung der Schwerpunkte" in html
    assert "Chorweiler 11,8 %" in html and "31.12.2020" in html


def test_line_chart_labels_every_line_and_is_stable() -> None:
    lines = [
        charts.Series("A", ((date(2020, 1, 1), 1.0), (date(2021, 1, 1), 2.0)), "2"),
        charts.Series("B", ((date(2020, 1, 1), 2.0), (date(2021, 1, 1), 2.0)), "2", dashed=True),
    ]

    def draw() -> str:
        return str(
            charts.line_chart(
                lines,
                title="t",
                axis_texts=[(date(2020, 1, 1), "2020")],
                low_text="1",
                high_text="2",
            )
        )

    svg = draw()
    assert svg.count("<polyline") == 2 and ">A 2</text>" in svg and ">B 2</text>" in svg
    assert 'stroke-dasharray="5 3"' in svg
    assert svg == draw()
