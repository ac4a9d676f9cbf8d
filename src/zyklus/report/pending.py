"""What waits for which body: the agenda of the next meeting (issue 14).

A project waits for a decision when its next move on its natural way goes into a phase
that ``zyklus.yaml`` reserves for a body (``decision_bodies.required_for``) and the body
has not approved it yet: not discussed, or deferred. A rejected project does not wait.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zyklus import models
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace
from zyklus.rules import gates, loop


@dataclass(frozen=True)
class PendingDecision:
    body: str
    body_label: str
    project: str
    title: str
    phase: str
    to: str
    status: loop.DecisionStatus  # missing or deferred
    date: date | None
    ref: str | None

    def as_dict(self) -> dict[str, Any]:
        out = dict(vars(self))
        out["date"] = self.date.isoformat() if self.date is not None else None
        return out


def pending_decisions(ws: Workspace, year: int, lang: models.Lang) -> list[PendingDecision]:
    """Every (body, project) pair that waits, sorted by body as declared, then project."""
    config = ws.config
    if not config.decision_bodies:
        return []
    state = read_cycle(ws, year)
    order = {b.id: i for i, b in enumerate(config.decision_bodies)}
    out: list[PendingDecision] = []
    for project_id, project in sorted(state.projects.items()):
        if project.phase in models.END_STATES:
            continue
        target = gates.natural_next(project.phase, loop.open_round(project))
        if target is None or (project.phase == "evaluation" and target == "implementation"):
            continue
        card = ws.cards.items.get(project_id)
        for need in loop.required(config, project, target):
            if need.status not in ("missing", "deferred"):
                continue
            decision = need.decision
            out.append(
                PendingDecision(
                    body=need.body.id,
                    body_label=models.local(need.body.label, lang),
                    project=project_id,
                    title=card.title if card is not None else project_id,
                    phase=project.phase,
                    to=target,
                    status=need.status,
                    date=decision.date if decision is not None else None,
                    ref=decision.ref if decision is not None else None,
                )
            )
    out.sort(key=lambda p: (order.get(p.body, len(order)), p.project))
    return out
