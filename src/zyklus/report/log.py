"""``zyklus log``: what happened to a project, across all cycles, newest first (issue 14).

Every move (forced ones with the unmet criteria in words and the bodies whose decision
was missing), every committee decision and every evaluation round. Decisions and rounds
carried into a later cycle are shown once, from the cycle they were recorded in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from zyklus import models
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace
from zyklus.i18n import message

Kind = Literal["joined", "move", "forced", "decision", "evaluation"]
_Day = date
_KIND_ORDER: dict[str, int] = {"joined": 0, "decision": 1, "evaluation": 2, "move": 3, "forced": 3}


@dataclass(frozen=True)
class LogEvent:
    date: date
    cycle: int
    project: str
    kind: Kind
    by: str
    at: datetime | None = None
    from_phase: str | None = None
    to_phase: str | None = None
    reason: str | None = None
    unmet: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()  # the unmet criteria in words
    without_decision: tuple[str, ...] = ()
    body: str | None = None
    body_label: str | None = None
    decision: str | None = None
    ref: str | None = None
    note: str | None = None
    verdict: str | None = None
    summary: str | None = None
    judged: tuple[tuple[str, float, _Day], ...] = ()
    illustrative: bool = False
    order: int = field(default=0, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in vars(self).items():
            if name == "order":
                continue
            if isinstance(value, (date, datetime)):
                value = value.isoformat()
            elif name == "judged":
                value = [{"goal": g, "value": v, "date": d.isoformat()} for g, v, d in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


def criterion_words(code: str, lang: str) -> str:
    """``G-STAFF`` → "Personal angegeben": the rule's head, before its colon."""
    text = message(f"gate-rule-{code}", lang)
    if text.startswith("gate-rule-"):
        return code
    return text.split(":", 1)[0].strip()


def project_log(ws: Workspace, project: str | None, lang: str) -> list[LogEvent]:
    """All events of ``project`` (or of every project), newest first."""
    cycles = [read_cycle(ws, y) for y in ws.cycle_years()]
    present = {(c.cycle, pid) for c in cycles for pid in c.projects}
    lang_key: models.Lang = "en" if lang == "en" else "de"
    labels = {b.id: models.local(b.label, lang_key) for b in ws.config.decision_bodies}
    if project is not None and project not in {pid for _, pid in present}:
        ws.card(project)  # unknown id → did-you-mean (a card never in a cycle: no events)
    events: list[LogEvent] = []
    for cycle in cycles:
        for pid, state in cycle.projects.items():
            if project is not None and pid != project:
                continue
            events += _events(cycle.cycle, pid, state, present, lang, labels)
    events.sort(
        key=lambda e: (
            e.date,
            e.at.timestamp() if e.at is not None else float("-inf"),
            e.cycle,
            _KIND_ORDER[e.kind],
            e.order,
        ),
        reverse=True,
    )
    return events


def _events(
    year: int,
    pid: str,
    state: models.ProjectState,
    present: set[tuple[int, str]],
    lang: str,
    labels: dict[str, str],
) -> list[LogEvent]:
    out: list[LogEvent] = []
    for index, h in enumerate(state.history):
        kind: Kind = "joined" if h.from_ is None else ("forced" if h.forced else "move")
        out.append(
            LogEvent(
                date=h.at.date(),
                cycle=year,
                project=pid,
                kind=kind,
                by=h.by,
                at=h.at,
                from_phase=h.from_,
                to_phase=h.to,
                reason=h.reason,
                unmet=tuple(h.unmet),
                criteria=tuple(criterion_words(c, lang) for c in h.unmet),
                without_decision=tuple(h.without_decision),
                illustrative=h.illustrative,
                order=index,
            )
        )
    for index, d in enumerate(state.decisions):
        origin = d.cycle if d.cycle is not None else year
        if d.cycle is not None and (d.cycle, pid) in present:
            continue  # shown from the cycle it was taken in
        out.append(
            LogEvent(
                date=d.date,
                cycle=origin,
                project=pid,
                kind="decision",
                by=d.by,
                at=d.at,
                body=d.body,
                body_label=labels.get(d.body, d.body),
                decision=d.decision,
                ref=d.ref,
                note=d.note,
                illustrative=d.illustrative,
                order=index,
            )
        )
    for index, e in enumerate(state.evaluations):
        origin = e.cycle if e.cycle is not None else year
        if e.cycle is not None and (e.cycle, pid) in present:
            continue
        out.append(
            LogEvent(
                date=e.date,
                cycle=origin,
                project=pid,
                kind="evaluation",
                by=e.by,
                at=e.at,
                verdict=e.verdict,
                summary=e.summary,
                judged=tuple((a.goal, a.value, a.date) for a in e.judged),
                illustrative=e.illustrative,
                order=index,
            )
        )
    return out
