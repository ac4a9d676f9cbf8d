"""Evaluation rounds and decisions as rules (issue 14): open and closed rounds, actuals
newer than the last round, approvals used up by the move they allowed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cycle_helpers import CONFIG, TODAY, build_ws, full_card
from zyklus import cycle, models
from zyklus.files.workspace import Workspace
from zyklus.rules import gates, loop

BODIES = """\
decision_bodies:
  - id: lenkungsgremium
    label: Lenkungsgremium
    required_for: [implementation, done]
"""
DAY = date(2027, 6, 30)


def rnd(verdict: models.Verdict, closed: bool, on: date = DAY) -> models.Evaluation:
    return models.Evaluation(verdict=verdict, summary="s", date=on, by="AG", closed=closed)


def decided(kind: models.DecisionKind, used: bool = False) -> models.Decision:
    return models.Decision(
        body="lenkungsgremium", decision=kind, date=DAY, ref="TOP 1", by="GS", used=used
    )


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(
        tmp_path,
        {"full": full_card()},
        {"full": "planning"},
        extra={"zyklus.yaml": CONFIG + BODIES},
    )


def check(
    ws: Workspace, state: models.ProjectState, code: str, to: models.State | None = None
) -> gates.Finding:
    found = gates.check(ws, ws.card("full"), state.phase, to, as_of=TODAY, state=state)
    return next(f for f in found if f.code == code)


def test_open_and_closed_rounds() -> None:
    state = models.ProjectState(phase="evaluation", evaluations=[rnd("continue", True)])
    assert loop.open_round(state) is None and loop.round_number(state) == 2
    assert loop.last_closed_round(state) == rnd("continue", True)
    held = state.model_copy(update={"evaluations": [*state.evaluations, rnd("adjust", False)]})
    assert loop.open_round(held) == rnd("adjust", False)
    assert loop.open_round(held.model_copy(update={"phase": "planning"})) is None
    closed = loop.close_rounds(held)
    assert [e.closed for e in closed.evaluations] == [True, True]
    assert [e.verdict for e in closed.evaluations] == ["continue", "adjust"]


def test_new_actuals_after_a_round(ws: Workspace) -> None:
    first = models.ProjectState(phase="implementation")
    assert check(ws, first, "G-NEW-ACTUALS").met  # no round yet: nothing to be newer than
    old = models.Actual(goal="G1", value=9, date=DAY)
    after = models.ProjectState(
        phase="implementation", actuals=[old], evaluations=[rnd("continue", True)]
    )
    unmet = check(ws, after, "G-NEW-ACTUALS")
    assert unmet.problem is not None and not unmet.met
    assert "since the last evaluation round (continue, 2027-06-30)" in unmet.problem.message("en")
    assert "(fortsetzen, 30.06.2027)" in unmet.problem.message("de")
    newer = models.Actual(goal="G1", value=8, date=DAY + timedelta(days=1))
    assert check(ws, after.model_copy(update={"actuals": [old, newer]}), "G-NEW-ACTUALS").met


def test_goal_actuals_newer_than_the_last_round_or_a_reason_for_this_round(
    ws: Workspace,
) -> None:
    old = models.Actual(goal="G1", value=9, date=DAY)
    state = models.ProjectState(
        phase="evaluation", actuals=[old], evaluations=[rnd("continue", True)]
    )
    unmet = check(ws, state, "G-GOAL-ACTUALS")
    assert unmet.problem is not None
    assert "goal without an actual since the last evaluation round (2027-06-30)" in (
        unmet.problem.message("en")
    )
    stale = models.NotMeasured(goal="G1", reason="x", round=1)  # for the first round
    assert not check(ws, state.model_copy(update={"not_measured": [stale]}), "G-GOAL-ACTUALS").met
    fresh_reason = models.NotMeasured(goal="G1", reason="x", round=2)
    assert check(
        ws, state.model_copy(update={"not_measured": [fresh_reason]}), "G-GOAL-ACTUALS"
    ).met


@pytest.mark.parametrize(
    ("decisions", "met", "words"),
    [
        ([], False, "Lenkungsgremium has not decided yet"),
        ([decided("defer")], False, "Lenkungsgremium deferred it on 2027-06-30 (TOP 1)"),
        ([decided("reject")], False, "Lenkungsgremium rejected it on 2027-06-30 (TOP 1)"),
        ([decided("approve")], True, ""),
        ([decided("approve", used=True)], False, "has not decided yet"),  # used up
        ([decided("approve"), decided("defer")], False, "deferred"),  # the newest counts
        ([decided("defer"), decided("approve")], True, ""),
    ],
)
def test_a_required_decision(
    ws: Workspace, decisions: list[models.Decision], met: bool, words: str
) -> None:
    state = models.ProjectState(phase="planning", decisions=decisions)
    found = check(ws, state, "G-DECISION")
    assert found.met is met
    if not met:
        assert found.problem is not None and words in found.problem.message("en")
        assert found.params["bodies"] == ["lenkungsgremium"]


def test_decisions_only_where_required(ws: Workspace) -> None:
    goals = models.ProjectState(phase="goals")
    assert check(ws, goals, "G-DECISION").met  # planning is not reserved
    done = models.ProjectState(phase="evaluation", evaluations=[rnd("complete", False)])
    assert not check(ws, done, "G-DECISION").met  # done is, in this workspace
    back = models.ProjectState(phase="evaluation", evaluations=[rnd("continue", False)])
    assert check(ws, back, "G-DECISION", "implementation").met  # continuing needs none


def test_use_decisions_marks_only_the_approval() -> None:
    state = models.ProjectState(phase="planning", decisions=[decided("defer"), decided("approve")])
    used = loop.use_decisions(state, ["lenkungsgremium"])
    assert [d.used for d in used.decisions] == [False, True]
    assert [d.decision for d in used.decisions] == ["defer", "approve"]
    assert loop.use_decisions(state, []) is state


VERDICTS = st.sampled_from(models.VERDICTS)


@given(st.lists(VERDICTS, min_size=1, max_size=12))
def test_rounds_are_only_ever_appended(verdicts: list[models.Verdict]) -> None:
    """Whatever the sequence of rounds and exits, every recorded round stays as it was."""
    state = models.ProjectState(phase="evaluation")
    seen: list[tuple[str, date]] = []
    for number, verdict in enumerate(verdicts):
        day = DAY + timedelta(days=number)
        state = cycle.add_round(state, rnd(verdict, False, day), replace=False)
        seen.append((verdict, day))
        assert loop.open_round(state) is not None
        state = loop.close_rounds(state).model_copy(update={"phase": "evaluation"})
        assert [(e.verdict, e.date) for e in state.evaluations] == seen
        assert loop.round_number(state) == number + 2
