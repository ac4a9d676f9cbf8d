"""The loop's rules as plain functions: evaluation rounds and committee decisions (issue 14).

A project's cycle state keeps every evaluation as a round and every decision of a body;
nothing is overwritten. Two markers tie them to the moves: a round is *closed* when the
project leaves evaluation after it, a decision is *used* when the move it approved has
happened. So "the verdict of this round" is the open round, "actuals newer than the last
round" compares with the newest closed one, and an approval counts for one move only
(after ``adjust`` the committee decides again on the new plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from zyklus import models

DecisionStatus = Literal["approved", "missing", "deferred", "rejected"]


# --- evaluation rounds ----------------------------------------------------------------------


def open_round(state: models.ProjectState | None) -> models.Evaluation | None:
    """The round of the current evaluation pass (recorded, the project not yet moved on)."""
    if state is None or state.phase != "evaluation" or not state.evaluations:
        return None
    last = state.evaluations[-1]
    return None if last.closed else last


def last_closed_round(state: models.ProjectState | None) -> models.Evaluation | None:
    """The newest round the project has left evaluation after: "the last round"."""
    if state is None:
        return None
    for evaluation in reversed(state.evaluations):
        if evaluation.closed:
            return evaluation
    return None


def round_number(state: models.ProjectState | None) -> int:
    """The number (1, 2, …) of the round being prepared or held now."""
    if state is None:
        return 1
    return 1 + sum(1 for e in state.evaluations if e.closed)


def actuals_since(state: models.ProjectState | None, day: date | None) -> list[models.Actual]:
    """Actuals measured after ``day`` (all of them when ``day`` is None)."""
    if state is None:
        return []
    return [a for a in state.actuals if day is None or a.date > day]


def newest_actuals(state: models.ProjectState) -> list[models.Actual]:
    """The newest actual of each goal, sorted by goal: what a round judges."""
    newest: dict[str, models.Actual] = {}
    for actual in state.actuals:
        seen = newest.get(actual.goal)
        if seen is None or actual.date >= seen.date:
            newest[actual.goal] = actual
    return [newest[goal] for goal in sorted(newest)]


def current_not_measured(state: models.ProjectState | None) -> list[models.NotMeasured]:
    """Reasons recorded for the round being prepared or held now."""
    if state is None:
        return []
    number = round_number(state)
    return [n for n in state.not_measured if n.round == number]


def close_rounds(state: models.ProjectState) -> models.ProjectState:
    """Leaving evaluation closes its open round(s) (a replaced round stays, closed too)."""
    if not any(not e.closed for e in state.evaluations):
        return state
    rounds = [e if e.closed else e.model_copy(update={"closed": True}) for e in state.evaluations]
    return state.model_copy(update={"evaluations": rounds})


# --- decisions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Required:
    """A body whose decision a move needs, and where the project stands with it."""

    body: models.DecisionBody
    status: DecisionStatus
    decision: models.Decision | None  # the newest unused decision of this body, if any


def bodies_for(
    config: models.Workspace, to_phase: models.State | None
) -> list[models.DecisionBody]:
    """Bodies whose ``approve`` a move into ``to_phase`` needs (zyklus.yaml)."""
    if to_phase is None:
        return []
    return [b for b in config.decision_bodies if to_phase in b.required_for]


def open_decision(state: models.ProjectState | None, body: str) -> models.Decision | None:
    """The newest decision of ``body`` on the project not used up by a move yet."""
    if state is None:
        return None
    for decision in reversed(state.decisions):
        if decision.body == body and not decision.used:
            return decision
    return None


def required(
    config: models.Workspace, state: models.ProjectState | None, to_phase: models.State | None
) -> list[Required]:
    """Every decision a move into ``to_phase`` needs, with its status."""
    out = []
    status: DecisionStatus
    for body in bodies_for(config, to_phase):
        decision = open_decision(state, body.id)
        if decision is None:
            status = "missing"
        elif decision.decision == "approve":
            status = "approved"
        else:
            status = "deferred" if decision.decision == "defer" else "rejected"
        out.append(Required(body, status, decision))
    return out


def use_decisions(state: models.ProjectState, bodies: list[str]) -> models.ProjectState:
    """A move that needed an approval uses it up: the next such move needs a new one."""
    if not bodies:
        return state
    decisions = list(state.decisions)
    for body in bodies:
        for index in range(len(decisions) - 1, -1, -1):
            decision = decisions[index]
            if decision.body == body and not decision.used:
                if decision.decision == "approve":
                    decisions[index] = decision.model_copy(update={"used": True})
                break
    return state.model_copy(update={"decisions": decisions})
