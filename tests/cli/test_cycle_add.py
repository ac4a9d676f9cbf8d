"""``zyklus cycle add`` and validate's warning on a card in no open cycle (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cycle_helpers import AT, DRAFT_CARD, build_ws, full_card
from zyklus import cycle
from zyklus.cli import app
from zyklus.errors import StateError, UsageError
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A running cycle with 'full'; 'merged' and 'hand' are cards from a colleague's branch."""
    return build_ws(
        tmp_path,
        {
            "full": full_card(),
            "merged": DRAFT_CARD.format(id="merged"),
            "hand": DRAFT_CARD.format(id="hand"),
        },
        {"full": "planning"},
    )


def run(runner: CliRunner, ws: Workspace, *args: str) -> Result:
    return runner.invoke(app, [*args, "--workspace", str(ws.root)], catch_exceptions=False)


def test_a_merged_card_joins_the_running_cycle_at_analysis(ws: Workspace) -> None:
    result = cycle.add_to_cycle(ws, ["merged"], by="Planerin", at=AT)
    assert (result.year, result.added, result.already) == (2027, ["merged"], [])
    state = read_cycle(ws, 2027).projects["merged"]
    assert state.phase == "analysis"
    assert [(h.from_, h.to, h.by) for h in state.history] == [(None, "analysis", "Planerin")]


def test_all_new_adds_every_card_in_no_cycle(ws: Workspace) -> None:
    result = cycle.add_to_cycle(ws, [], all_new=True, by="x", at=AT)
    assert result.added == ["hand", "merged"]
    assert set(read_cycle(ws, 2027).projects) == {"full", "hand", "merged"}


def test_adding_twice_changes_nothing(ws: Workspace) -> None:
    cycle.add_to_cycle(ws, ["merged"], by="x", at=AT)
    before = ws.cycle_path(2027).read_bytes()
    result = cycle.add_to_cycle(ws, ["merged", "full"], by="x", at=AT)
    assert (result.added, result.already) == ([], ["merged", "full"])
    assert ws.cycle_path(2027).read_bytes() == before


def test_an_unknown_id_changes_nothing(ws: Workspace) -> None:
    before = ws.cycle_path(2027).read_bytes()
    with pytest.raises(UsageError) as info:
        cycle.add_to_cycle(ws, ["merged", "mergd"], by="x", at=AT)
    assert info.value.problems[0].code == "W-UNKNOWN-PROJECT-HINT"
    assert ws.cycle_path(2027).read_bytes() == before


def test_without_a_cycle_file_it_says_so(tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {"hand": DRAFT_CARD.format(id="hand")})
    with pytest.raises(StateError) as info:
        cycle.add_to_cycle(ws, ["hand"], by="x", at=AT)
    assert info.value.problems[0].code == "CY-NO-CYCLE"


def test_cli_prints_what_joined(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "cycle", "add", "merged", "full", "--by", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "merged: added to cycle 2027 (phase analysis)",
        "full: is in cycle 2027 already; nothing changed",
    ]
    assert run(runner, ws, "advance", "merged", "--dry-run").exit_code == 0


def test_cli_without_ids_is_a_usage_error(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "cycle", "add")
    assert result.exit_code == 2
    assert "CY-ADD-NOTHING" in result.stderr


def test_advance_points_at_cycle_add(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "advance", "merged")
    assert result.exit_code == 1
    assert "zyklus cycle add merged" in result.stderr


def test_validate_warns_about_a_card_in_no_open_cycle(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "validate")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "X-NOT-IN-CYCLE" in line]
    assert warnings == [
        "projects/hand.yaml:1:5: X-NOT-IN-CYCLE project 'hand' is in no open cycle and cannot"
        " move on; add it to cycle 2027 with 'zyklus cycle add hand' (at id)",
        "projects/merged.yaml:1:5: X-NOT-IN-CYCLE project 'merged' is in no open cycle and"
        " cannot move on; add it to cycle 2027 with 'zyklus cycle add merged' (at id)",
    ]
    assert run(runner, ws, "cycle", "add", "--all-new", "--by", "x").exit_code == 0
    assert "X-NOT-IN-CYCLE" not in run(runner, ws, "validate").output


def test_a_card_that_ended_is_not_warned_about(runner: CliRunner, tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {"full": full_card()}, {"full": "done"})
    assert "X-NOT-IN-CYCLE" not in run(runner, ws, "validate").output


def test_a_broken_card_in_no_cycle_does_not_hide_the_other_problems(
    runner: CliRunner, ws: Workspace
) -> None:
    (ws.root / "projects" / "kaputt.yaml").write_text("id: kaputt\ntitle: [x\n", encoding="utf-8")
    result = run(runner, ws, "validate")
    assert result.exit_code == 1
    assert "projects/kaputt.yaml:" in result.stderr
    assert "X-NOT-IN-CYCLE project 'hand'" in result.stderr
    assert "files checked: 1 error, 2 warnings" in result.stderr
