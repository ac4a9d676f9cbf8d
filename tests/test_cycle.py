"""The cycle engine: every kind of move, records, cycle start, previous cycles (issue 4)."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from cycle_helpers import (
    AT,
    CONFIG,
    DRAFT_CARD,
    TODAY,
    build_ws,
    fresh,
    full_card,
    go,
    project,
)
from zyklus import cycle, models
from zyklus.errors import StateError, UsageError, ZyklusError
from zyklus.files.cycles import cycle_year, earlier_cycles, read_cycle
from zyklus.files.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(
        tmp_path,
        {"full": full_card(), "draft": DRAFT_CARD.format(id="draft")},
        {"full": "analysis", "draft": "analysis"},
    )


# --- forward moves --------------------------------------------------------------------------


def test_a_full_card_walks_through_all_six_phases(ws: Workspace) -> None:
    cycle.record_actual(fresh(ws), "full", "G1", 9.5, date(2027, 5, 31), today=TODAY)
    phases = ["needs", "goals", "planning", "implementation", "evaluation"]
    for phase in phases:
        result = go(ws, "full")
        assert result.to_phase == phase and result.kind == "forward"
        assert all(f.met for f in result.findings), result.findings
    cycle.record_evaluation(fresh(ws), "full", "complete", "wirkt", by="Ausschuss", today=TODAY)
    assert go(ws, "full").to_phase == "done"
    state = project(ws, "full")
    assert state.phase == "done"
    assert [(h.from_, h.to) for h in state.history] == [
        ("analysis", "needs"),
        ("needs", "goals"),
        ("goals", "planning"),
        ("planning", "implementation"),
        ("implementation", "evaluation"),
        ("evaluation", "done"),
    ]
    last = state.history[-1]
    assert (last.at, last.by, last.reason, last.forced, last.unmet) == (
        AT,
        "Planerin",
        None,
        False,
        [],
    )


def test_an_unmet_gate_refuses_with_every_criterion_and_writes_nothing(ws: Workspace) -> None:
    for _ in range(3):
        go(ws, "draft", force=True, reason="Entwurf")
    before = ws.cycle_path(2027).read_bytes()
    with pytest.raises(StateError) as caught:
        go(ws, "draft")
    codes = [p.code for p in caught.value.problems]
    assert codes == ["G-ACTORS", "G-STAFF", "G-BUDGET", "G-MILESTONES", "CY-GATE-REFUSED"]
    assert caught.value.problems[0].path == "projects/draft.yaml"
    assert ws.cycle_path(2027).read_bytes() == before


def test_force_records_the_reason_and_the_unmet_codes(ws: Workspace) -> None:
    result = go(ws, "draft", force=True, reason="AG-Entwurf, Belege folgen")
    assert result.to_phase == "needs"
    entry = project(ws, "draft").history[-1]
    assert (entry.forced, entry.unmet) == (False, [])  # analysis → needs: all met
    result = go(ws, "draft", force=True, reason="AG-Entwurf, Belege folgen")
    entry = project(ws, "draft").history[-1]
    assert (entry.from_, entry.to, entry.forced) == ("needs", "goals", True)
    assert entry.unmet == ["G-NEEDS-EVIDENCE", "G-OFFERS-CHECKED"]
    assert entry.reason == "AG-Entwurf, Belege folgen"


def test_force_without_reason_is_a_usage_error(ws: Workspace) -> None:
    with pytest.raises(UsageError) as caught:
        go(ws, "draft", force=True)
    assert [p.code for p in caught.value.problems] == ["CY-FORCE-REASON"]
    with pytest.raises(UsageError):
        go(ws, "draft", force=True, reason="   ")


def test_met_gate_with_force_is_not_recorded_as_forced(ws: Workspace) -> None:
    go(ws, "full", force=True, reason="sicher ist sicher")
    entry = project(ws, "full").history[-1]
    assert (entry.forced, entry.unmet, entry.reason) == (False, [], "sicher ist sicher")


def test_skipping_a_phase_and_staying_are_refused(ws: Workspace) -> None:
    with pytest.raises(UsageError) as caught:
        go(ws, "full", to="goals")
    assert caught.value.problems[0].code == "CY-MOVE-SKIP"
    assert caught.value.problems[0].params == {"from": "analysis", "next": "needs"}
    with pytest.raises(UsageError) as caught:
        go(ws, "full", to="analysis")
    assert caught.value.problems[0].code == "CY-SAME-PHASE"
    with pytest.raises(UsageError) as caught:
        go(ws, "full", to="done")
    assert caught.value.problems[0].code == "CY-MOVE-INVALID"


def test_dry_run_checks_but_writes_nothing(ws: Workspace) -> None:
    before = ws.cycle_path(2027).read_bytes()
    result = go(ws, "full", dry_run=True)
    assert (result.from_phase, result.to_phase, result.written) == ("analysis", "needs", False)
    assert ws.cycle_path(2027).read_bytes() == before


# --- moving back, stopping, end states --------------------------------------------------------


def test_moving_back_needs_a_reason_and_passes_no_gate(ws: Workspace) -> None:
    go(ws, "full")
    go(ws, "full")
    with pytest.raises(UsageError) as caught:
        go(ws, "full", to="analysis")
    assert caught.value.problems[0].code == "CY-REASON-NEEDED"
    result = go(ws, "full", to="analysis", reason="Daten neu prüfen")
    assert (result.kind, result.findings) == ("back", [])
    entry = project(ws, "full").history[-1]
    assert (entry.from_, entry.to, entry.reason, entry.forced) == (
        "goals",
        "analysis",
        "Daten neu prüfen",
        False,
    )


def test_stopping_early_needs_a_reason(ws: Workspace) -> None:
    with pytest.raises(UsageError):
        go(ws, "draft", to="stopped")
    result = go(ws, "draft", to="stopped", reason="Lenkungsgremium: kein Bedarf")
    assert (result.kind, project(ws, "draft").phase) == ("stop", "stopped")
    with pytest.raises(UsageError) as caught:
        go(ws, "draft")
    assert caught.value.problems[0].code == "CY-ENDED"


def _to_evaluation(ws: Workspace, verdict: models.Verdict | None) -> None:
    cycle.record_actual(fresh(ws), "full", "G1", 9.5, date(2027, 5, 31), today=TODAY)
    for _ in range(5):
        go(ws, "full")
    if verdict is not None:
        cycle.record_evaluation(fresh(ws), "full", verdict, "Befund", by="AG", today=TODAY)


@pytest.mark.parametrize(
    ("verdict", "to", "expected"),
    [
        ("continue", None, "implementation"),
        ("stop", None, "stopped"),
        ("complete", None, "done"),
        ("complete", "done", "done"),
        ("adjust", None, "planning"),
    ],
)
def test_leaving_evaluation_follows_the_verdict(
    ws: Workspace, verdict: models.Verdict, to: models.State | None, expected: str
) -> None:
    _to_evaluation(ws, verdict)
    result = go(ws, "full", to=to)
    assert (result.kind, result.to_phase) == ("exit", expected)
    entry = project(ws, "full").history[-1]
    assert (entry.from_, entry.to, entry.forced) == ("evaluation", expected, False)
    if expected == "planning":  # adjusting: the evaluation summary is the reason
        assert entry.reason == "Befund"


@pytest.mark.parametrize(("verdict", "to"), [("continue", "stopped"), ("adjust", "done")])
def test_a_verdict_that_does_not_fit_the_target_blocks(
    ws: Workspace, verdict: models.Verdict, to: models.State
) -> None:
    _to_evaluation(ws, verdict)
    with pytest.raises(StateError) as caught:
        go(ws, "full", to=to)
    assert [p.code for p in caught.value.problems] == ["G-VERDICT", "CY-GATE-REFUSED"]


def test_no_verdict_blocks_done_but_force_records_it(ws: Workspace) -> None:
    _to_evaluation(ws, None)
    with pytest.raises(StateError):
        go(ws, "full")
    go(ws, "full", force=True, reason="Gremium hat mündlich entschieden")
    entry = project(ws, "full").history[-1]
    assert (entry.to, entry.forced, entry.unmet) == ("done", True, ["G-VERDICT"])


def test_an_ended_project_reopens_only_with_a_reason(ws: Workspace) -> None:
    _to_evaluation(ws, "continue")
    go(ws, "full")
    with pytest.raises(UsageError):
        go(ws, "full", to="planning")
    go(ws, "full", to="planning", reason="zweites Quartier")
    assert project(ws, "full").phase == "planning"


# --- what blocks before any gate ---------------------------------------------------------------


def test_card_errors_block_every_move(ws: Workspace) -> None:
    ws.card_path("draft").write_text(DRAFT_CARD.format(id="draft") + "goals: 5\n")
    with pytest.raises(StateError) as caught:
        go(ws, "draft", force=True, reason="x")
    assert [p.code for p in caught.value.problems] == ["S-TYPE-LIST", "CY-CARD-INVALID"]
    assert caught.value.problems[0].line == 5
    ws.card_path("draft").write_text(DRAFT_CARD.format(id="draft").replace("[jugendliche]", "[x]"))
    with pytest.raises(StateError) as caught2:
        go(ws, "draft", force=True, reason="x")
    assert [p.code for p in caught2.value.problems] == ["X-TG-UNKNOWN", "CY-CARD-INVALID"]
    assert caught2.value.problems[0].line == 4


def test_unknown_project_gets_a_did_you_mean(ws: Workspace) -> None:
    with pytest.raises(UsageError) as caught:
        go(ws, "ful")
    problem = caught.value.problems[0]
    assert (problem.code, problem.params["hint"]) == ("W-UNKNOWN-PROJECT-HINT", "full")


def test_a_card_outside_the_cycle_is_named(tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {"full": full_card()}, {})
    with pytest.raises(StateError) as caught:
        go(ws, "full")
    assert caught.value.problems[0].code == "CY-NOT-IN-CYCLE"
    assert caught.value.problems[0].path == "cycles/2027.yaml"


def test_plan_move_pure() -> None:
    assert cycle.plan_move("goals", None, None) == ("planning", "forward")
    assert cycle.plan_move("goals", "needs", None) == ("needs", "back")
    assert cycle.plan_move("planning", "stopped", None) == ("stopped", "stop")
    assert cycle.plan_move("evaluation", None, None) == ("done", "exit")
    assert cycle.plan_move("done", "analysis", None) == ("analysis", "back")
    with pytest.raises(UsageError):
        cycle.plan_move("stopped", "done", None)


# --- records ----------------------------------------------------------------------------------


def test_record_actual_checks_goal_date_and_duplicates(ws: Workspace) -> None:
    record = cycle.record_actual
    record(fresh(ws), "full", "G1", 9.5, date(2027, 5, 31), note="Zählung", today=TODAY)
    with pytest.raises(StateError) as caught:
        record(fresh(ws), "full", "G1", 9, date(2027, 5, 31), today=TODAY)
    assert caught.value.problems[0].code == "CY-ACTUAL-EXISTS"
    assert caught.value.problems[0].path == "cycles/2027.yaml"
    record(fresh(ws), "full", "G1", 9, date(2027, 5, 31), replace=True, today=TODAY)
    record(fresh(ws), "full", "G1", 8, date(2027, 4, 30), today=TODAY)
    actuals = project(ws, "full").actuals
    assert [(a.value, a.date, a.note) for a in actuals] == [
        (8.0, date(2027, 4, 30), None),
        (9.0, date(2027, 5, 31), None),
    ]
    with pytest.raises(UsageError) as caught2:
        record(fresh(ws), "full", "G11", 1, date(2027, 5, 31), today=TODAY)
    assert (caught2.value.problems[0].code, caught2.value.problems[0].params["hint"]) == (
        "CY-GOAL-UNKNOWN-HINT",
        "G1",
    )


def test_future_dates_need_allow_future(ws: Workspace) -> None:
    later = TODAY + timedelta(days=1)
    with pytest.raises(StateError) as caught:
        cycle.record_actual(fresh(ws), "full", "G1", 1, later, today=TODAY)
    assert caught.value.problems[0].code == "CY-FUTURE-DATE"
    cycle.record_actual(fresh(ws), "full", "G1", 1, later, allow_future=True, today=TODAY)
    with pytest.raises(StateError):
        cycle.record_milestone(fresh(ws), "full", "M1", later, today=TODAY)
    cycle.record_milestone(fresh(ws), "full", "M1", later, allow_future=True, today=TODAY)
    assert project(ws, "full").milestones[0].done == later


def test_milestones_and_not_measured_are_recorded_once(ws: Workspace) -> None:
    cycle.record_milestone(fresh(ws), "full", "M2", date(2027, 6, 1), today=TODAY)
    cycle.record_milestone(fresh(ws), "full", "M1", date(2027, 3, 1), today=TODAY)
    assert [m.id for m in project(ws, "full").milestones] == ["M1", "M2"]
    with pytest.raises(StateError) as caught:
        cycle.record_milestone(fresh(ws), "full", "M1", date(2027, 3, 2), today=TODAY)
    assert caught.value.problems[0].code == "CY-MILESTONE-EXISTS"
    with pytest.raises(UsageError) as caught2:
        cycle.record_milestone(fresh(ws), "full", "M9", date(2027, 3, 2), today=TODAY)
    assert caught2.value.problems[0].code == "CY-MILESTONE-UNKNOWN"
    cycle.record_not_measured(fresh(ws), "full", "G1", "Daten kommen erst 2028")
    with pytest.raises(StateError):
        cycle.record_not_measured(fresh(ws), "full", "G1", "anders")
    cycle.record_not_measured(fresh(ws), "full", "G1", "anders", replace=True)
    assert project(ws, "full").not_measured == [models.NotMeasured(goal="G1", reason="anders")]


def test_evaluation_only_in_phase_evaluation_and_once(ws: Workspace) -> None:
    with pytest.raises(StateError) as caught:
        cycle.record_evaluation(fresh(ws), "full", "continue", "x", by="AG", today=TODAY)
    assert caught.value.problems[0].code == "CY-NOT-EVALUATING"
    _to_evaluation(ws, "adjust")
    with pytest.raises(StateError) as caught:
        cycle.record_evaluation(fresh(ws), "full", "continue", "x", by="AG", today=TODAY)
    assert caught.value.problems[0].code == "CY-EVALUATION-EXISTS"
    cycle.record_evaluation(
        fresh(ws), "full", "stop", "y", by="AG", replace=True, today=TODAY, at=AT
    )
    state = project(ws, "full")
    judged = state.actuals  # the round keeps the actuals it judged
    assert state.evaluation == models.Evaluation(
        verdict="stop", summary="y", date=TODAY, by="AG", at=AT, judged=judged
    )
    assert [e.verdict for e in state.evaluations] == ["adjust", "stop"]  # nothing is lost


@pytest.mark.parametrize("text", ["12.500", "1,5", "1.234,5", "-3,0"])
def test_german_numbers_are_refused_as_ambiguous(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        cycle.parse_number(text)
    assert caught.value.problems[0].code == "S-AMBIGUOUS-NUMBER"


@pytest.mark.parametrize(("text", "value"), [("12500", 12500), ("12.5", 12.5), ("-0.25", -0.25)])
def test_plain_numbers_are_read(text: str, value: float) -> None:
    assert cycle.parse_number(text) == value


@pytest.mark.parametrize("text", ["zwölf", "nan", "inf", "1e", ""])
def test_non_numbers_are_refused(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        cycle.parse_number(text)
    assert caught.value.problems[0].code == "CY-NOT-A-NUMBER"


def test_phase_and_date_parsing() -> None:
    assert cycle.parse_phase("planning") == "planning"
    with pytest.raises(UsageError) as caught:
        cycle.parse_phase("planing")
    assert caught.value.problems[0].params == {"id": "planing", "hint": "planning"}
    with pytest.raises(UsageError) as caught:
        cycle.parse_date("31.12.2027")
    assert caught.value.problems[0].code == "CY-DATE"


# --- cycle start, previous cycles, new projects --------------------------------------------------


def _two_cycles(tmp_path: Path) -> Workspace:
    cards = {pid: DRAFT_CARD.format(id=pid) for pid in ("a", "b", "c", "d", "e")}
    ws = build_ws(tmp_path, cards, None)
    (tmp_path / "cycles").mkdir()
    (tmp_path / "cycles/2024.yaml").write_text(
        textwrap.dedent(
            """\
            cycle: 2024
            opened: 2024-01-15T09:00:00+01:00
            projects:
              a: {phase: planning}
              b:
                phase: done
                evaluation: {verdict: continue, summary: gut, date: 2024-11-30, by: AG}
              c: {phase: stopped}
              gone: {phase: goals}
            """
        )
    )
    return ws


def test_cycle_start_carries_over_and_adds_new_cards(tmp_path: Path) -> None:
    ws = _two_cycles(tmp_path)
    result = cycle.start_cycle(ws, 2027, 2024, by="Koordination", at=AT, note="Fortschreibung")
    state = read_cycle(fresh(ws), 2027)
    assert (state.cycle, state.previous, state.opened, state.note) == (
        2027,
        2024,
        AT,
        "Fortschreibung",
    )
    assert {k: v.phase for k, v in state.projects.items()} == {
        "a": "planning",
        "d": "analysis",
        "e": "analysis",
    }
    assert state.projects["a"].history == []
    assert state.projects["d"].history == [
        models.HistoryEntry.model_validate(
            {"from": None, "to": "analysis", "at": AT, "by": "Koordination"}
        )
    ]
    assert (result.carried, result.joined, result.ended) == (["a"], ["d", "e"], ["b", "c"])


def test_previous_cycle_stays_readable(tmp_path: Path) -> None:
    ws = _two_cycles(tmp_path)
    cycle.start_cycle(ws, 2027, by="K", at=AT)
    chain = earlier_cycles(fresh(ws), 2027)
    assert [c.cycle for c in chain] == [2024]
    state = chain[0].projects["b"]
    assert state.evaluation is not None and state.evaluation.verdict == "continue"
    assert "d" not in chain[0].projects


def test_cycle_start_refuses_an_existing_cycle_and_a_bad_from(tmp_path: Path) -> None:
    ws = _two_cycles(tmp_path)
    cycle.start_cycle(ws, 2027, by="K", at=AT)
    before = ws.cycle_path(2027).read_bytes()
    with pytest.raises(StateError) as caught:
        cycle.start_cycle(fresh(ws), 2027, by="K", at=AT)
    assert caught.value.problems[0].code == "CY-EXISTS"
    assert ws.cycle_path(2027).read_bytes() == before
    with pytest.raises(UsageError):
        cycle.start_cycle(fresh(ws), 2030, 2031, by="K", at=AT)
    with pytest.raises(ZyklusError) as caught3:
        cycle.start_cycle(fresh(ws), 2030, 2025, by="K", at=AT)
    assert caught3.value.problems[0].code == "CY-NO-CYCLE"


def test_new_project_joins_the_current_cycle_if_it_exists(tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {"full": full_card()}, {"full": "planning"})
    ws.card_path("neu").write_text(DRAFT_CARD.format(id="neu"))
    cycle.register_new_project(fresh(ws), "neu")
    state = project(ws, "neu")
    assert state.phase == "analysis"
    assert (state.history[0].from_, state.history[0].to) == (None, "analysis")
    assert state.history[0].at.tzinfo is not None
    before = ws.cycle_path(2027).read_bytes()
    cycle.register_new_project(fresh(ws), "neu")  # twice: nothing changes
    assert ws.cycle_path(2027).read_bytes() == before


def test_new_project_without_cycle_file_leaves_it(tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {"full": full_card()}, None)
    cycle.register_new_project(ws, "full")
    assert not ws.cycle_path(2027).exists()


def test_cycle_year_falls_back_to_the_newest_file(tmp_path: Path) -> None:
    ws = build_ws(
        tmp_path, {}, None, extra={"zyklus.yaml": CONFIG.replace("current_cycle: 2027\n", "")}
    )
    with pytest.raises(UsageError) as caught:
        cycle_year(ws, None)
    assert caught.value.problems[0].code == "CY-NO-CURRENT"
    (tmp_path / "cycles").mkdir()
    (tmp_path / "cycles/2024.yaml").write_text("cycle: 2024\nopened: 2024-01-15T09:00:00+01:00\n")
    assert cycle_year(fresh(ws), None) == 2024
    assert cycle_year(fresh(ws), 2030) == 2030


def test_gate_facts_are_read_before_the_lock_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is held for the change only: the duplicate check (every card) runs before."""
    import contextlib

    import zyklus.rules.duplicates
    from helpers import copy_example
    from zyklus.files import cycles

    root = copy_example(tmp_path / "bochum")
    project = "beratung-ba-im-quartier"
    cycle.advance(Workspace(root), project, to="needs", reason="Belege", by="K", at=AT)
    held: list[bool] = []
    when: list[bool] = []
    lock = cycles.locked
    candidates = zyklus.rules.duplicates.duplicate_index

    @contextlib.contextmanager
    def watched(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        with lock(*args, **kwargs):  # type: ignore[arg-type]
            held.append(True)
            try:
                yield
            finally:
                held.pop()

    def counted(ws: Workspace, *scanned: object) -> object:
        when.append(bool(held))
        return candidates(ws, *scanned)  # type: ignore[arg-type]

    monkeypatch.setattr(cycles, "locked", watched)
    monkeypatch.setattr(zyklus.rules.duplicates, "duplicate_index", counted)
    with pytest.raises(StateError):  # the needs gate of this card is not met
        cycle.advance(Workspace(root), project, by="K", at=AT, as_of=TODAY)
    assert when == [False]  # read once, and not under the lock
