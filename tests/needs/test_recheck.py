"""The needs re-check on the Bochum data plus a made-up second period (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cycle_helpers import NEW_PERIOD, bochum_with_second_period
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace
from zyklus.needs.recheck import recheck, recheck_since

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def bochum(tmp_path: Path) -> Workspace:
    return bochum_with_second_period(tmp_path)


def test_554_no_longer_holds_and_laer_is_a_new_open_hotspot(bochum: Workspace) -> None:
    result = recheck(bochum, read_cycle(bochum, 2027))
    assert result.newest.isoformat() == NEW_PERIOD
    resolved = [(c.project, c.area, c.cited_value, c.newest_value) for c in result.resolved]
    assert resolved == [("jobcenter-im-quartier", "554", 11.7, 6.5)]
    assert result.resolved[0].newest_class == "below"
    open_areas = {h.area: h for h in result.open_hotspots}
    assert open_areas["laer"].new is True  # 9.9 % against 6.9 %: hotspot now, not before
    assert open_areas["laer"].citywide  # reached citywide only
    assert open_areas["guennigfeld"].new is False  # a hotspot in both periods
    assert "554" not in open_areas and "557" not in open_areas  # reached in place


def test_a_need_that_got_worse(bochum: Workspace) -> None:
    path = bochum.root / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace(
        f"554,arbeitslosenanteil,{NEW_PERIOD},6.5", f"554,arbeitslosenanteil,{NEW_PERIOD},13.0"
    )
    path.write_text(text, encoding="utf-8")
    result = recheck_since(Workspace(bochum.root), 2027)
    assert [(c.area, c.newest_value) for c in result.worse] == [("554", 13.0)]
    assert result.resolved == ()


def test_without_newer_data_every_need_is_stale() -> None:
    result = recheck_since(Workspace(REPO), 2027)
    assert result.checks and {c.status for c in result.checks} == {"stale"}
    assert all(h.new is None for h in result.open_hotspots)  # one period: nothing to compare


def test_analyse_since_renders_both_findings(bochum: Workspace) -> None:
    from typer.testing import CliRunner

    from zyklus.cli import app

    args = ["analyse", "--since", "2027", "--lang", "en", "--workspace", str(bochum.root)]
    out = CliRunner().invoke(app, args, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "Needs that no longer hold (the area is no longer a hotspot)" in out.stdout
    row = next(line for line in out.stdout.splitlines() if line.startswith("jobcenter"))
    assert row.split("\t")[2:] == ["BA-Distrikt 554", "11.7% (2023-12-31)", "6.5% (2026-12-31)",
                                   "below average"]  # fmt: skip
    laer = next(line for line in out.stdout.splitlines() if line.startswith("Laer"))
    assert laer.split("\t")[:6] == ["Laer", "ortsteil", "arbeitslosenanteil",
                                    "9.9% (2026-12-31)", "1.43", "yes"]  # fmt: skip
    missing = CliRunner().invoke(app, [*args[:2], "2019", *args[3:]], catch_exceptions=False)
    assert missing.exit_code == 2 and "CY-SINCE-NO-CYCLE" in missing.stderr
