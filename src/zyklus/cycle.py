"""The cycle engine: moves and records as pure functions over the cycle-state models.

A cycle file holds, per project, its phase and everything that happened in this cycle
(issue 4). The functions in the first half take a state and return a new one; they never
touch files. The commands in the second half load the card, read the gate's workspace
facts, and hand a pure change to :func:`zyklus.files.cycles.update_cycle`, which applies
it atomically under the lock — so a refused change leaves every file as it was.
"""

from __future__ import annotations

import dataclasses
import getpass
import math
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import pydantic

from zyklus import models, values
from zyklus.amounts import GERMAN_NUMBER
from zyklus.errors import Problem, StateError, UsageError, ZyklusError
from zyklus.files.cycles import create_cycle, cycle_year, read_cycle, update_cycle
from zyklus.files.output import discard
from zyklus.files.workspace import Workspace
from zyklus.rules import gates, loop
from zyklus.suggest import unknown

MoveKind = Literal["forward", "exit", "back", "stop"]
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\Z")


# --- small helpers --------------------------------------------------------------------------


def now() -> datetime:
    """Timestamps in the local zone with its offset, to the second."""
    return datetime.now().astimezone().replace(microsecond=0)


def default_actor(ws: Workspace) -> str:
    """Who acts: git's user.name in the workspace, else the login name."""
    try:
        done = subprocess.run(
            ["git", "config", "user.name"],
            cwd=ws.root,
            capture_output=True,
            text=True,
            timeout=3,
            check=False,
        )
        if done.returncode == 0 and done.stdout.strip():
            return done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (containers without a passwd entry)
        return "unknown"


def parse_number(text: str) -> float:
    """A value in the goal's unit: ``12500`` or ``12.5``; ``12.500`` and ``1,5`` are refused."""
    cleaned = text.strip()
    if GERMAN_NUMBER.match(cleaned):
        readings = values.number_readings(cleaned)
        raise UsageError(
            [Problem("S-AMBIGUOUS-NUMBER", params={"text": cleaned, "readings": readings})]
        )
    if not _NUMBER.match(cleaned):
        raise UsageError([Problem("CY-NOT-A-NUMBER", params={"text": text})])
    value = float(cleaned)
    if not math.isfinite(value):  # 1e309 is "inf": no cycle file can hold it (issue 20)
        raise UsageError([Problem("TR-NOT-FINITE", params={"text": text})])
    return value


_M = TypeVar("_M", bound=pydantic.BaseModel)


def from_arguments(model: type[_M], options: dict[str, str], **values: Any) -> _M:
    """A model built from command-line values; a value it refuses is a usage error.

    ``options`` names the argument each field came from (``summary`` → ``--summary``), so
    ``--summary ''`` or an empty goal id says which argument to fix, exit 2 (issue 20).
    """
    for name, value in values.items():
        if isinstance(value, str) and name in options and not value.strip():
            raise UsageError([Problem("TR-ARG-EMPTY", params={"option": options[name]})])
    try:
        return model(**values)
    except pydantic.ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            name = str(error["loc"][0]) if error["loc"] else ""
            option = options.get(name, name)
            given = values.get(name, "")
            problems.append(
                Problem("TR-ARG-INVALID", params={"option": option, "value": str(given)})
            )
        raise UsageError(problems) from None


def parse_date(text: str, option: str = "--date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError([Problem("CY-DATE", params={"text": text, "option": option})]) from None


def parse_phase(text: str) -> models.State:
    """``planning`` or ``Planung``, ``implementation`` or ``Umsetzung``, … (issue 12)."""
    states: tuple[models.State, ...] = (*models.PHASES, *models.END_STATES)
    word = models.english(text)
    for state in states:
        if word in (state, state.capitalize()) or word.lower() == state:
            return state
    raise UsageError([unknown("CY-PHASE-UNKNOWN", text, _german_words(states))])


def _german_words(keys: tuple[str, ...]) -> list[str]:
    return [*keys, *(word for word, key in models.GERMAN.items() if key in keys)]


def parse_verdict(text: str) -> models.Verdict:
    """``continue`` or ``fortsetzen``, ``adjust`` or ``anpassen``, … (issue 14)."""
    word = models.english(text)
    for verdict in models.VERDICTS:
        if word == verdict:
            return verdict
    raise UsageError([unknown("CY-VERDICT-UNKNOWN", text, _german_words(models.VERDICTS))])


def parse_decision(text: str) -> models.DecisionKind:
    """``approve`` or ``zustimmen``, ``reject`` or ``ablehnen``, ``defer`` or ``vertagen``."""
    word = models.english(text)
    for kind in models.DECISIONS:
        if word == kind:
            return kind
    raise UsageError([unknown("CY-DECISION-UNKNOWN", text, _german_words(models.DECISIONS))])


# --- pure functions over the models ----------------------------------------------------------


def joined(at: datetime, by: str, reason: str | None = None) -> models.ProjectState:
    """A project entering a cycle for the first time: at analysis, from nowhere."""
    entry = models.HistoryEntry.model_validate(
        {"from": None, "to": "analysis", "at": at, "by": by, "reason": reason}
    )
    return models.ProjectState(phase="analysis", history=[entry])


def moved(state: models.ProjectState, entry: models.HistoryEntry) -> models.ProjectState:
    return state.model_copy(update={"phase": entry.to, "history": [*state.history, entry]})


def with_project(
    cycle: models.CycleState, project_id: str, state: models.ProjectState
) -> models.CycleState:
    return cycle.model_copy(update={"projects": {**cycle.projects, project_id: state}})


def plan_move(
    phase: models.State, to: models.State | None, evaluation: models.Evaluation | None
) -> tuple[models.State, MoveKind]:
    """Where ``advance`` goes and what kind of move it is; refuse what makes no sense."""
    target = to if to is not None else gates.natural_next(phase, evaluation)
    if target is None:
        raise UsageError([Problem("CY-ENDED", params={"phase": phase})])
    if target == phase:
        raise UsageError([Problem("CY-SAME-PHASE", params={"phase": phase})])
    if phase == "evaluation" and target in gates.VERDICTS_FOR:
        return target, "exit"
    if target == "stopped":
        return target, "stop"
    if target == "done" or (phase in models.END_STATES and target not in models.PHASES):
        raise UsageError([Problem("CY-MOVE-INVALID", params={"from": phase, "to": target})])
    if models.ORDER[target] < models.ORDER[phase]:
        return target, "back"
    if models.ORDER[target] > models.ORDER[phase] + 1:
        expected = gates.natural_next(phase, evaluation)
        raise UsageError([Problem("CY-MOVE-SKIP", params={"from": phase, "next": expected})])
    return target, "forward"


def add_actual(
    state: models.ProjectState, actual: models.Actual, *, replace: bool
) -> models.ProjectState:
    """One actual per goal and date; a second needs ``replace``. Kept sorted by goal, date."""
    same = [a for a in state.actuals if a.goal == actual.goal and a.date == actual.date]
    if same and not replace:
        raise StateError(
            [Problem("CY-ACTUAL-EXISTS", params={"goal": actual.goal, "date": actual.date})]
        )
    rest = [a for a in state.actuals if not (a.goal == actual.goal and a.date == actual.date)]
    actuals = sorted([*rest, actual], key=lambda a: (a.goal, a.date))
    return state.model_copy(update={"actuals": actuals})


def add_not_measured(
    state: models.ProjectState, entry: models.NotMeasured, *, replace: bool
) -> models.ProjectState:
    def same(n: models.NotMeasured) -> bool:
        return n.goal == entry.goal and n.round == entry.round

    if any(same(n) for n in state.not_measured) and not replace:
        raise StateError([Problem("CY-NOT-MEASURED-EXISTS", params={"goal": entry.goal})])
    rest = [n for n in state.not_measured if not same(n)]
    ordered = sorted([*rest, entry], key=lambda n: (n.round, n.goal))
    return state.model_copy(update={"not_measured": ordered})


def add_milestone(
    state: models.ProjectState, done: models.MilestoneDone, *, replace: bool
) -> models.ProjectState:
    previous = [m for m in state.milestones if m.id == done.id]
    if previous and not replace:
        raise StateError(
            [Problem("CY-MILESTONE-EXISTS", params={"id": done.id, "date": previous[0].done})]
        )
    rest = [m for m in state.milestones if m.id != done.id]
    return state.model_copy(update={"milestones": sorted([*rest, done], key=lambda m: m.id)})


def add_round(
    state: models.ProjectState, evaluation: models.Evaluation, *, replace: bool
) -> models.ProjectState:
    """A new evaluation round, with the actuals it judged; earlier rounds stay as they were.

    A second verdict in the same pass needs ``replace``: the first one stays in the list
    (superseded, not lost) and the newest decides.
    """
    if state.phase != "evaluation":
        raise StateError([Problem("CY-NOT-EVALUATING", params={"phase": state.phase})])
    current = loop.open_round(state)
    if current is not None and not replace:
        raise StateError([Problem("CY-EVALUATION-EXISTS", params={"verdict": current.verdict})])
    judged = loop.newest_actuals(state)
    reasons = loop.current_not_measured(state)
    held = evaluation.model_copy(update={"judged": judged, "not_measured": reasons})
    return state.model_copy(update={"evaluations": [*state.evaluations, held]})


def add_decision(state: models.ProjectState, decision: models.Decision) -> models.ProjectState:
    """Decisions are appended in the order they were recorded; the newest unused counts."""
    return state.model_copy(update={"decisions": [*state.decisions, decision]})


def carried(state: models.ProjectState, cycle: int) -> models.ProjectState:
    """A project going into the next cycle: its phase, evaluation rounds and decisions,
    each marked with the cycle it was recorded in (the old file keeps everything else)."""

    def stamp(items: list[models.Evaluation] | list[models.Decision]) -> list[Any]:
        return [i if i.cycle is not None else i.model_copy(update={"cycle": cycle}) for i in items]

    return models.ProjectState(
        phase=state.phase,
        evaluations=stamp(state.evaluations),
        decisions=stamp(state.decisions),
    )


def opened(
    year: int,
    previous: models.CycleState | None,
    card_ids: set[str],
    seen: set[str],
    *,
    at: datetime,
    by: str,
    note: str | None = None,
) -> models.CycleState:
    """A new cycle: carry over what is not done or stopped, add cards never in a cycle."""
    projects: dict[str, models.ProjectState] = {}
    if previous is not None:
        for project_id, state in previous.projects.items():
            if state.phase not in models.END_STATES and project_id in card_ids:
                projects[project_id] = carried(state, previous.cycle)
    for project_id in sorted(card_ids - seen - set(projects)):
        projects[project_id] = joined(at, by)
    return models.CycleState(
        cycle=year,
        previous=previous.cycle if previous is not None else None,
        opened=at,
        note=note,
        projects=projects,
    )


# --- commands: load, check, change atomically ----------------------------------------------


def valid_card(ws: Workspace, project_id: str) -> models.Card:
    """The card, refused when it has schema or cross-check errors (they block every move)."""
    from zyklus.rules.references import validate_workspace

    path = ws.card_path(project_id)
    if not path.is_file():
        raise UsageError([unknown("W-UNKNOWN-PROJECT", project_id, ws.card_ids())])
    report = validate_workspace(ws, [path])
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        raise StateError(
            [*errors, Problem("CY-CARD-INVALID", path=ws.display(path), params={"id": project_id})]
        )
    return ws.card(project_id)


def _project(cycle: models.CycleState, project_id: str, shown: str) -> models.ProjectState:
    state = cycle.projects.get(project_id)
    if state is None:
        raise StateError(
            [Problem("CY-NOT-IN-CYCLE", path=shown, params={"id": project_id, "year": cycle.cycle})]
        )
    return state


def _located(exc: ZyklusError, path: str) -> ZyklusError:
    """Give problems raised by the pure functions the file they are about."""
    problems = [
        p if p.path else Problem(p.code, path, p.line, p.col, p.key_path, p.params, p.severity)
        for p in exc.problems
    ]
    return type(exc)(problems)


@dataclass(frozen=True)
class AdvanceResult:
    project: str
    year: int
    from_phase: models.State
    to_phase: models.State
    kind: MoveKind
    entry: models.HistoryEntry
    findings: list[gates.Finding] = field(default_factory=list)
    written: bool = False
    offer: str | None = None  # the offer written from the card (Verstetigung)


def advance(
    ws: Workspace,
    project_id: str,
    *,
    to: models.State | None = None,
    force: bool = False,
    reason: str | None = None,
    by: str | None = None,
    dry_run: bool = False,
    year: int | None = None,
    as_of: date | None = None,
    at: datetime | None = None,
    as_offer: bool = False,
) -> AdvanceResult:
    """Move one project; refuse with every unmet criterion, or record a forced move.

    Leaving evaluation closes its round; a move a body had to approve uses the approval
    up; a move forced past a missing decision names the body in ``without_decision``.
    Completing with ``as_offer`` (here or in the round) writes ``offers/<id>.yaml``.
    """
    year = cycle_year(ws, year)
    reason = reason.strip() if reason and reason.strip() else None
    if force and reason is None:
        raise UsageError([Problem("CY-FORCE-REASON")])
    card = valid_card(ws, project_id)
    actor = by or default_actor(ws)
    stamp = at or now()
    shown = ws.display(ws.cycle_path(year))
    results: list[AdvanceResult] = []
    written: list[Path] = []
    # The gate's workspace facts are read before the lock is taken (issue 13): under the
    # lock only the cycle file is read again, in case another zyklus changed it.
    before = read_cycle(ws, year)
    facts = gates.Facts(ws)
    if project_id in before.projects:
        facts.prepare(before.projects[project_id].phase)

    def change(cycle: models.CycleState) -> models.CycleState:
        state = _project(cycle, project_id, shown)
        current = loop.open_round(state)
        target, kind = plan_move(state.phase, to, current)
        if as_offer and target != "done":
            raise UsageError([Problem("CY-AS-OFFER-DONE", params={"to": target})])
        findings = gates.check(ws, card, state.phase, target, as_of=as_of, state=state, facts=facts)
        blocking = gates.unmet(findings)
        if blocking and not force:
            raise StateError(
                [
                    *(f.problem for f in blocking if f.problem is not None),
                    Problem(
                        "CY-GATE-REFUSED",
                        path=ws.display(ws.card_path(project_id)),
                        params={"id": project_id, "count": len(blocking), "to": target},
                    ),
                ]
            )
        why = reason
        if why is None and kind == "exit" and target == "planning" and current is not None:
            why = current.summary  # adjusting: the evaluation says why
        if why is None and kind in ("back", "stop"):
            raise UsageError(
                [Problem("CY-REASON-NEEDED", params={"from": state.phase, "to": target})]
            )
        lacking = [b for f in blocking if f.code == "G-DECISION" for b in f.params["bodies"]]
        entry = models.HistoryEntry.model_validate(
            {
                "from": state.phase,
                "to": target,
                "at": stamp,
                "by": actor,
                "reason": why,
                "forced": bool(blocking),
                "unmet": [f.code for f in blocking],
                "without_decision": lacking,
            }
        )
        results.append(
            AdvanceResult(project_id, year, state.phase, target, kind, entry, findings, not dry_run)
        )
        after = moved(state, entry)
        if gates.gate_applies(state.phase, target):
            approved = [
                r.body.id for r in loop.required(ws.config, state, target) if r.status == "approved"
            ]
            after = loop.use_decisions(after, approved)
        if state.phase == "evaluation":
            after = loop.close_rounds(after)
        if target == "done" and (as_offer or (current is not None and current.as_offer)):
            if not dry_run:
                from zyklus.files.offers import create_offer, offer_from_card

                written.append(create_offer(ws, offer_from_card(card, year), year))
            results[-1] = dataclasses.replace(results[-1], offer=card.id)
        return with_project(cycle, project_id, after)

    if dry_run:
        change(before)
        return results[-1]
    try:
        update_cycle(ws, year, change)
    except BaseException:
        discard(written)  # a failed command changes nothing
        raise
    return results[-1]


def _record(
    ws: Workspace,
    project_id: str,
    year: int | None,
    apply: Callable[[models.ProjectState, models.Card], models.ProjectState],
) -> models.ProjectState:
    """Apply one record to one project's state, atomically; card problems block."""
    year = cycle_year(ws, year)
    card = valid_card(ws, project_id)
    shown = ws.display(ws.cycle_path(year))

    def change(cycle: models.CycleState) -> models.CycleState:
        state = _project(cycle, project_id, shown)
        try:
            return with_project(cycle, project_id, apply(state, card))
        except (StateError, UsageError) as exc:
            raise _located(exc, shown) from None

    return update_cycle(ws, year, change).projects[project_id]


def _check_goal(ws: Workspace, card: models.Card, goal: str) -> None:
    goals = [g.id for g in card.goals]
    if goal not in goals:
        problem = unknown("CY-GOAL-UNKNOWN", goal, goals, path=ws.display(ws.card_path(card.id)))
        raise UsageError([problem])


def _check_date(on: date, allow_future: bool, today: date | None) -> None:
    if not allow_future and on > (today or date.today()):
        raise StateError([Problem("CY-FUTURE-DATE", params={"date": on})])


def record_actual(
    ws: Workspace,
    project_id: str,
    goal: str,
    value: float,
    on: date,
    *,
    note: str | None = None,
    replace: bool = False,
    allow_future: bool = False,
    year: int | None = None,
    today: date | None = None,
) -> RecordedActual:
    """An actual value of a goal, in the goal's unit, measured on ``on``."""
    actual = from_arguments(
        models.Actual, {"goal": "GOAL"}, goal=goal, value=value, date=on, note=note or None
    )
    units: list[str] = []

    def apply(state: models.ProjectState, card: models.Card) -> models.ProjectState:
        _check_goal(ws, card, goal)
        _check_date(on, allow_future, today)
        units.extend(g.unit or "" for g in card.goals if g.id == goal)
        return add_actual(state, actual, replace=replace)

    _record(ws, project_id, year, apply)
    return RecordedActual(actual, units[0] if units else "")


@dataclass(frozen=True)
class RecordedActual:
    """What ``record actual`` wrote, and the goal's unit from the card (to say it back)."""

    actual: models.Actual
    unit: str


def record_not_measured(
    ws: Workspace,
    project_id: str,
    goal: str,
    reason: str,
    *,
    replace: bool = False,
    year: int | None = None,
) -> models.NotMeasured:
    """Why a goal has no actual: the evaluation gate accepts a recorded reason."""
    entries: list[models.NotMeasured] = []
    options = {"goal": "GOAL", "reason": "--not-measured"}

    def apply(state: models.ProjectState, card: models.Card) -> models.ProjectState:
        _check_goal(ws, card, goal)
        round_ = loop.round_number(state)
        entries.append(
            from_arguments(models.NotMeasured, options, goal=goal, reason=reason, round=round_)
        )
        return add_not_measured(state, entries[-1], replace=replace)

    _record(ws, project_id, year, apply)
    return entries[-1]


def record_milestone(
    ws: Workspace,
    project_id: str,
    milestone: str,
    done: date,
    *,
    replace: bool = False,
    allow_future: bool = False,
    year: int | None = None,
    today: date | None = None,
) -> models.MilestoneDone:
    entry = from_arguments(models.MilestoneDone, {"id": "MILESTONE"}, id=milestone, done=done)

    def apply(state: models.ProjectState, card: models.Card) -> models.ProjectState:
        ids = [m.id for m in card.milestones]
        if milestone not in ids:
            path = ws.display(ws.card_path(card.id))
            raise UsageError([unknown("CY-MILESTONE-UNKNOWN", milestone, ids, path=path)])
        _check_date(done, allow_future, today)
        return add_milestone(state, entry, replace=replace)

    _record(ws, project_id, year, apply)
    return entry


def record_evaluation(
    ws: Workspace,
    project_id: str,
    verdict: models.Verdict,
    summary: str,
    *,
    on: date | None = None,
    by: str | None = None,
    replace: bool = False,
    allow_future: bool = False,
    as_offer: bool = False,
    year: int | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> models.Evaluation:
    """A round of the evaluation: continue, adjust, stop or complete (issue 14)."""
    if as_offer and verdict != "complete":
        raise UsageError([Problem("CY-AS-OFFER-VERDICT", params={"verdict": verdict})])
    day = on or today or date.today()
    evaluation = from_arguments(
        models.Evaluation,
        {"summary": "--summary"},
        verdict=verdict,
        summary=summary,
        date=day,
        by=by or default_actor(ws),
        at=at or now(),
        as_offer=as_offer,
    )

    def apply(state: models.ProjectState, card: models.Card) -> models.ProjectState:
        _check_date(day, allow_future, today)
        return add_round(state, evaluation, replace=replace)

    return _record(ws, project_id, year, apply).evaluations[-1]


def record_decision(
    ws: Workspace,
    project_id: str,
    body: str,
    decision: models.DecisionKind,
    on: date,
    ref: str,
    *,
    note: str | None = None,
    by: str | None = None,
    allow_future: bool = False,
    year: int | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> models.Decision:
    """A decision of a body declared in zyklus.yaml, with meeting date and agenda item."""
    bodies = [b.id for b in ws.config.decision_bodies]
    if body not in bodies:
        raise UsageError([unknown("CY-BODY-UNKNOWN", body, bodies, path="zyklus.yaml")])
    if not ref.strip():
        raise UsageError([Problem("CY-DECISION-REF")])
    entry = models.Decision(
        body=body,
        decision=decision,
        date=on,
        ref=ref.strip(),
        note=(note or "").strip() or None,
        by=by or default_actor(ws),
        at=at or now(),
    )

    def apply(state: models.ProjectState, card: models.Card) -> models.ProjectState:
        _check_date(on, allow_future, today)
        return add_decision(state, entry)

    _record(ws, project_id, year, apply)
    return entry


@dataclass(frozen=True)
class StartResult:
    state: models.CycleState
    carried: list[str]
    joined: list[str]
    ended: list[str]  # done or stopped in the previous cycle: not carried over


def start_cycle(
    ws: Workspace,
    year: int,
    from_year: int | None = None,
    *,
    by: str | None = None,
    at: datetime | None = None,
    note: str | None = None,
) -> StartResult:
    """Open ``cycles/<year>.yaml`` from the previous cycle and the cards never in a cycle."""
    for given in (year, from_year):
        if given is not None and not models.YEAR_MIN <= given <= models.YEAR_MAX:
            raise UsageError.single(
                "TR-YEAR-RANGE", year=given, min=models.YEAR_MIN, max=models.YEAR_MAX
            )
    years = [y for y in ws.cycle_years() if y != year]
    if from_year is not None and from_year >= year:
        raise UsageError([Problem("CY-FROM-ORDER", params={"year": year, "from": from_year})])
    if from_year is None:
        earlier = [y for y in years if y < year]
        from_year = earlier[-1] if earlier else None
    previous = read_cycle(ws, from_year) if from_year is not None else None
    seen: set[str] = set()
    for other in years:
        seen.update(read_cycle(ws, other).projects)
    card_ids = ws.card_ids()
    actor = by or default_actor(ws)
    stamp = at or now()
    state = create_cycle(
        ws, year, lambda: opened(year, previous, card_ids, seen, at=stamp, by=actor, note=note)
    )
    before = previous.projects if previous is not None else {}
    return StartResult(
        state,
        carried=sorted(p for p in state.projects if p in before),
        joined=sorted(p for p in state.projects if p not in before),
        ended=sorted(p for p, s in before.items() if s.phase in models.END_STATES),
    )


def register_new_project(ws: Workspace, project_id: str) -> Callable[[], None] | None:
    """``new-project``: the card joins the current cycle, if that cycle has a file yet.

    Returns how to take the entry back (when the card could not be written), or ``None``
    when nothing was added.
    """
    year = ws.config.current_cycle
    if year is None or not ws.cycle_path(year).is_file():
        return None  # the card joins at ``cycle start``
    actor = default_actor(ws)
    stamp = now()
    entry = joined(stamp, actor)
    added = False

    def change(cycle: models.CycleState) -> models.CycleState:
        nonlocal added
        if project_id in cycle.projects:
            return cycle
        added = True
        return with_project(cycle, project_id, entry)

    update_cycle(ws, year, change)
    if not added:
        return None

    def undo() -> None:
        def remove(cycle: models.CycleState) -> models.CycleState:
            if cycle.projects.get(project_id) != entry:
                return cycle  # changed since: leave it
            rest = {k: v for k, v in cycle.projects.items() if k != project_id}
            return cycle.model_copy(update={"projects": rest})

        update_cycle(ws, year, remove)

    return undo


@dataclass(frozen=True)
class AddResult:
    """``cycle add``: which cards joined the cycle, which were in it already."""

    year: int
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)


def add_to_cycle(
    ws: Workspace,
    project_ids: list[str],
    *,
    all_new: bool = False,
    year: int | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> AddResult:
    """A card written by hand or merged from another branch joins a running cycle (issue 12).

    It joins at analysis, recorded in its history like a card at ``cycle start``.
    ``all_new`` adds every card that is in no cycle file yet. A card with errors is refused
    (it could not move anyway); the cycle file is written once, under the lock.
    """
    target = cycle_year(ws, year)
    path = ws.cycle_path(target)
    if not path.is_file():
        raise StateError([Problem("CY-NO-CYCLE", path=ws.display(path), params={"year": target})])
    wanted = list(dict.fromkeys(project_ids))
    if all_new:
        seen: set[str] = set()
        for other in ws.cycle_years():
            seen.update(read_cycle(ws, other).projects)
        wanted += sorted(ws.card_ids() - seen - set(wanted))
    if not wanted:
        raise UsageError([Problem("CY-ADD-NOTHING")])
    for project_id in wanted:
        valid_card(ws, project_id)
    actor = by or default_actor(ws)
    stamp = at or now()
    added: list[str] = []
    already: list[str] = []

    def change(cycle: models.CycleState) -> models.CycleState:
        added.clear()
        already.clear()
        for project_id in wanted:
            if project_id in cycle.projects:
                already.append(project_id)
            else:
                added.append(project_id)
                cycle = with_project(cycle, project_id, joined(stamp, actor))
        return cycle

    update_cycle(ws, target, change)
    return AddResult(target, added, already)
