"""The benchmark generator makes workspaces that zyklus accepts without a problem (issue 9)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner

from helpers import bench_generator
from zyklus.cli import app
from zyklus.files.loader import load_file


def _generator() -> ModuleType:
    return bench_generator()


def test_generated_workspace_is_valid(tmp_path: Path) -> None:
    ws = _generator().generate(tmp_path / "ws", projects=5, areas=40, periods_count=2)
    result = CliRunner().invoke(
        app, ["validate", "--lang", "en", "--workspace", str(ws)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    # config + 5 cards + 5 offers + 2 cycles
    assert "13 files checked: 0 errors, 0 warnings" in result.stdout


def test_generated_workspace_has_the_promised_shape(tmp_path: Path) -> None:
    ws = _generator().generate(tmp_path / "ws", projects=5, areas=40, periods_count=2)
    assert len(list((ws / "projects").glob("*.yaml"))) == 5
    levels = [line.split(",")[2] for line in (ws / "data/areas.csv").read_text().splitlines()[1:]]
    assert levels[0] == "stadt" and levels.count("stadt") == 1
    assert {"stadtbezirk", "ortsteil", "ba-distrikt"} <= set(levels)
    assert len(levels) == 40
    rows = (ws / "data/indicators.csv").read_text().splitlines()[1:]
    assert len(rows) == 40 * 5 * 2  # areas × indicators × periods
    cycle = load_file(ws / "cycles/2027.yaml").data
    assert len(cycle["projects"]) == 5
    assert all(state["history"][0]["from"] is None for state in cycle["projects"].values())
    card = load_file(next((ws / "projects").glob("*.yaml"))).data
    assert card["goals"] and card["milestones"] and card["resources"]["staff_fte"] > 0
    assert any(ch in card["description"] for ch in "äöüß")


def test_generator_is_deterministic(tmp_path: Path) -> None:
    gen = _generator()
    a = gen.generate(tmp_path / "a", projects=3, areas=20, periods_count=1)
    b = gen.generate(tmp_path / "b", projects=3, areas=20, periods_count=1)
    for path in sorted(a.rglob("*.*")):
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes()


def test_size_cap_is_per_file_kind(tmp_path: Path) -> None:
    """A big city's cycle file passes 1 MiB; a card that size is still refused (issue 9)."""
    from zyklus import models
    from zyklus.errors import LoadError
    from zyklus.files.loader import MAX_BYTES, MAX_CYCLE_BYTES
    from zyklus.files.located import load_model

    note = "Fortschreibung mit vielen Projekten. " * (MAX_BYTES // 30)
    cycle = tmp_path / "2027.yaml"
    cycle.write_text(f"cycle: 2027\nopened: 2027-01-11T09:00:00+01:00\nnote: {note}\n")
    assert MAX_BYTES < cycle.stat().st_size < MAX_CYCLE_BYTES
    assert load_model(cycle, models.CycleState).cycle == 2027
    card = tmp_path / "gross.yaml"
    card.write_text(
        f"id: gross\ntitle: Groß\nareas: [x]\ntarget_groups: [y]\ndescription: {note}\n"
    )
    try:
        load_model(card, models.Card)
    except LoadError as exc:
        assert [p.code for p in exc.problems] == ["Y-TOO-LARGE"]
    else:
        raise AssertionError("a card over 1 MiB must be refused")


def test_parallel_validate_reports_exactly_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers (issue 9) change the speed, never the problems or their order."""
    from zyklus.rules import references as checks

    ws = _generator().generate(tmp_path / "ws", projects=12, areas=40, periods_count=1)
    cards = sorted((ws / "projects").glob("*.yaml"))
    text = cards[3].read_text(encoding="utf-8")
    cards[3].write_text(text.replace("target_groups: [", "target_groups: [niemand, "), "utf-8")
    cards[7].write_text(cards[7].read_text(encoding="utf-8") + "milestone: []\n", "utf-8")
    (ws / "offers" / "kaputt.yaml").write_text("id: anders\ntitle: 12\n", "utf-8")
    monkeypatch.setattr(checks, "PARALLEL_FROM", 4)

    def run(jobs: str) -> tuple[int, str, str]:
        monkeypatch.setenv("ZYKLUS_JOBS", jobs)
        result = CliRunner().invoke(
            app, ["validate", "--lang", "en", "--workspace", str(ws)], catch_exceptions=False
        )
        return result.exit_code, result.stdout, result.stderr

    one, two = run("1"), run("2")
    assert checks._jobs(25) == 2  # ZYKLUS_JOBS=2 is still set: the second run had workers
    assert one == two
    assert one[0] == 1
    assert "X-TG-UNKNOWN" in one[2] and "S-UNKNOWN-KEY-HINT" in one[2] and "S-TYPE" in one[2]
