"""Phase gates as code: what a project must show before it may leave a phase (issue 4).

The criteria of DESIGN.md's gate table are data (:data:`CRITERIA`): a stable code, the
phase whose gate it belongs to, a severity and a small predicate over the card, the
project's cycle state and a few workspace facts. :func:`check` runs the gate and returns one
:class:`Finding` per criterion; an unmet one carries a located problem that points at the
line of the card to fix. ``zyklus gates`` and docs/gates.md are generated from the same data,
so the documentation cannot drift from what ``advance`` enforces.

Codes are fixed: cycle histories store them in ``unmet``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from zyklus import models
from zyklus.amounts import covered, planned_cost
from zyklus.errors import KeyPath, LoadError, Problem, ZyklusError
from zyklus.files.workspace import Workspace
from zyklus.i18n import Msg, message
from zyklus.models import CITYWIDE
from zyklus.rules import loop

if TYPE_CHECKING:
    from pathlib import Path

    from zyklus.files.tables import AreaTable
    from zyklus.rules.duplicates import DuplicateIndex, Structure

GateSeverity = Literal["error", "warning"]

# Which verdict allows which way out of evaluation (issue 14): continue goes back to
# implementation (and is carried into the next cycle), adjust back to planning, stop to
# stopped, complete to done.
VERDICTS_FOR: dict[models.State, tuple[models.Verdict, ...]] = {
    "implementation": ("continue",),
    "planning": ("adjust",),
    "stopped": ("stop",),
    "done": ("complete",),
}
EXIT_FOR_VERDICT: dict[models.Verdict, models.State] = {
    "continue": "implementation",
    "adjust": "planning",
    "stop": "stopped",
    "complete": "done",
}


@dataclass(frozen=True)
class Finding:
    """One criterion of one gate for one project: met or not, and where to fix it."""

    code: str
    met: bool
    severity: GateSeverity
    params: dict[str, Any] = field(default_factory=dict)
    problem: Problem | None = None


@dataclass(frozen=True)
class Unmet:
    """What a predicate returns when its criterion is not met."""

    key_path: KeyPath
    params: dict[str, Any] = field(default_factory=dict)


class Facts:
    """Workspace facts the predicates compare with: each read at most once, and only when
    a criterion asks (advancing one project out of planning reads no data).

    The caller builds them and passes them in: ``status`` and the report once for every
    project; ``advance`` before it takes the cycle's lock (:meth:`prepare`), so the lock is
    held for the change only, not for reading the workspace.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        # the structures of the cards and offers, when the caller made them where they were
        # parsed (``status``: in its workers); else the duplicate check makes them itself
        self.scanned: tuple[Iterable[Structure], Iterable[Structure]] | None = None
        self._searched: dict[str, list[tuple[str, str]]] = {}  # see :meth:`search_ahead`

    def prepare(self, from_phase: models.State) -> Facts:
        """Read now what the gate leaving ``from_phase`` will ask for."""
        for criterion in GATES.get(from_phase, ()):  # type: ignore[arg-type]
            for name in criterion.facts:
                getattr(self, name)
        return self

    @functools.cached_property
    def _areas(self) -> AreaTable | None:
        try:
            return self.ws.areas
        except LoadError:
            return None

    @functools.cached_property
    def areas(self) -> frozenset[str]:
        return frozenset(self._areas.areas) if self._areas is not None else frozenset()

    @functools.cached_property
    def target_groups(self) -> frozenset[str]:
        return frozenset(t.id for t in self.ws.config.target_groups)

    @property
    def city(self) -> str | None:
        return self.ws.config.city

    @functools.cached_property
    def areas_with_data(self) -> frozenset[str]:
        """Areas with indicator values, and every ancestor of one."""
        out: set[str] = set()
        for area in _indicator_areas(self.ws):
            out.add(area)
            if self._areas is not None:
                out.update(self._areas.ancestors(area))
        return frozenset(out)

    @functools.cached_property
    def duplicates(self) -> DuplicateIndex | None:
        """Every card and offer indexed for the duplicate check (none when a file it needs
        cannot be read: ``validate`` reports that, not a warning)."""
        from zyklus.rules.duplicates import duplicate_index

        try:
            return duplicate_index(self.ws, self.scanned)
        except ZyklusError:
            return None

    def duplicates_of(self, project_id: str) -> list[tuple[str, str]]:
        """The project's unacknowledged duplicate candidates (other id, kind), sorted.

        Searched for this project only (issue 21): ``status`` asks for the projects in
        *needs*, ``advance`` for one; the index is built once for all of them.
        """
        found = self._searched.get(project_id)
        if found is None:
            self.search_ahead([project_id])
            found = self._searched[project_id]
        return found

    def search_ahead(self, project_ids: Iterable[str]) -> None:
        """Search the duplicates of these projects now, all at once: many are shared out
        to workers (:func:`~zyklus.rules.duplicates.search_many`); :meth:`duplicates_of`
        then answers from what was found."""
        from zyklus.rules.duplicates import search_many

        wanted = [pid for pid in dict.fromkeys(project_ids) if pid not in self._searched]
        index = self.duplicates
        if index is None:
            self._searched.update((pid, []) for pid in wanted)
            return
        mine = [(pid, s) for pid in wanted for s in index.by_id.get(pid, ())]
        found: dict[str, set[tuple[str, str]]] = {pid: set() for pid in wanted}
        searched = search_many(index, [structure for _, structure in mine])
        for (pid, _), (candidates, _rest) in zip(mine, searched, strict=True):
            found[pid].update((d.other, d.other_kind) for d in candidates if not d.acknowledged)
        self._searched.update((pid, sorted(others)) for pid, others in found.items())


@dataclass(frozen=True)
class Item:
    """A goal or a milestone, as the criteria that compare a card with its cycle state
    see it."""

    id: str
    due: date | None = None


@dataclass(frozen=True)
class GateCard:
    """What a gate reads of a card, made once per card (:func:`gate_card`): the ids the
    criteria compare with the workspace and the cycle state, and the findings of the
    criteria on the card alone.

    Small on purpose: the workers that parse a big city's cards send this instead of the
    model, which costs several times as much to send (``status``, issue 21); and without
    ``__slots__``, which would make pickle call Python for every object.
    """

    id: str
    areas: tuple[str, ...]
    target_groups: tuple[str, ...]
    goals: tuple[Item, ...]
    milestones: tuple[Item, ...]
    unmet: dict[str, Unmet]  # the criteria on the card alone that it does not meet, by code


@dataclass(frozen=True, slots=True)
class OnCard:
    """What a criterion on the card alone may look at."""

    card: models.Card
    config: models.Workspace


@dataclass(frozen=True)
class Subject:
    """What a criterion that compares the card with its state or the workspace may look at."""

    card: GateCard
    state: models.ProjectState | None
    to_phase: models.State | None
    as_of: date
    facts: Facts


Predicate = Callable[[Subject], Unmet | None]
CardPredicate = Callable[[OnCard], Unmet | None]


@dataclass(frozen=True)
class Criterion:
    """One criterion: ``on_card`` looks at the card alone (checked once per card, where it
    was parsed), ``predicate`` at the card's ids, its state and the workspace."""

    code: str
    leaves: models.Phase | None  # None: part of every gate
    severity: GateSeverity
    predicate: Predicate | None = field(default=None, repr=False)
    facts: tuple[str, ...] = ()  # the :class:`Facts` the predicate reads
    on_card: CardPredicate | None = field(default=None, repr=False)


# --- predicates ---------------------------------------------------------------------------


def _first_missing(
    items: Sequence[Any], key: str, missing: Callable[[Any], bool], param: str, sub: str = ""
) -> Unmet | None:
    """Unmet at the first item where ``missing`` holds, naming all such items."""
    bad = [(i, item) for i, item in enumerate(items) if missing(item)]
    if not bad:
        return None
    path: KeyPath = (key, bad[0][0], sub) if sub else (key, bad[0][0])
    return Unmet(path, {param: [str(getattr(item, "id", item)) for _, item in bad]})


def _areas_known(s: Subject) -> Unmet | None:
    known = s.facts.areas
    return _first_missing(s.card.areas, "areas", lambda a: a != CITYWIDE and a not in known, "ids")


def _target_groups_known(s: Subject) -> Unmet | None:
    known = s.facts.target_groups
    return _first_missing(s.card.target_groups, "target_groups", lambda t: t not in known, "ids")


def _area_data(s: Subject) -> Unmet | None:
    facts = s.facts

    def no_data(area: str) -> bool:
        if area == CITYWIDE:
            if facts.city is None:
                return not facts.areas_with_data
            return facts.city not in facts.areas_with_data
        return area not in facts.areas_with_data

    return _first_missing(s.card.areas, "areas", no_data, "ids")


def _needs_evidence(s: OnCard) -> Unmet | None:
    if any(need.evidence for need in s.card.needs):
        return None
    return Unmet(("needs",), {"needs": len(s.card.needs)})


def _offers_checked(s: OnCard) -> Unmet | None:
    note = s.card.needs_check_note
    if s.card.existing_offers or (note and note.strip()):
        return None
    return Unmet(("existing_offers",))


def _no_duplicate_candidate(s: Subject) -> Unmet | None:
    others = s.facts.duplicates_of(s.card.id)
    if not others:
        return None
    key = "synergies" if others[0][1] == "project" else "existing_offers"
    return Unmet((key,), {"others": [other for other, _ in others]})


def _goals(s: OnCard) -> Unmet | None:
    return None if s.card.goals else Unmet(("goals",))


def _goal_has(attribute: str, sub: str) -> CardPredicate:
    def predicate(s: OnCard) -> Unmet | None:
        return _first_missing(
            s.card.goals, "goals", lambda g: getattr(g, attribute) is None, "goals", sub
        )

    return predicate


def _goal_due(s: OnCard) -> Unmet | None:
    return _first_missing(
        s.card.goals,
        "goals",
        lambda g: g.target is None or g.target.date is None,
        "goals",
        "target",
    )


def _actors(s: OnCard) -> Unmet | None:
    return None if s.card.actors else Unmet(("actors",))


def _staff(s: OnCard) -> Unmet | None:
    return None if s.card.resources.staff_fte is not None else Unmet(("resources", "staff_fte"))


def _budget(s: OnCard) -> Unmet | None:
    resources = s.card.resources
    if resources.budget_eur is not None or resources.cost_per_year:  # 0 is a value
        return None
    return Unmet(("resources", "budget_eur"))


def _funding_covered(s: OnCard) -> Unmet | None:
    """With ``budget.coverage_gate`` set, the planned cost is covered by funding lines.

    Unknown cost is G-BUDGET's finding, not this one's; a cost of 0 needs no line (issue 15).
    """
    mode = s.config.budget.coverage_gate
    cost = planned_cost(s.card.resources)
    if mode == "off" or cost is None or cost == 0:
        return None
    have = covered(s.card.funding, mode)
    if have is not None and have >= cost:
        return None
    key: KeyPath = ("funding",) if s.card.funding else ("resources",)
    return Unmet(
        key,
        {
            "cost": cost,
            "covered": have if have is not None else Msg("money-not-given"),
            "mode": Msg(f"money-coverage-{mode}"),
        },
    )


def _milestones(s: OnCard) -> Unmet | None:
    return None if s.card.milestones else Unmet(("milestones",))


def _milestone_due(s: OnCard) -> Unmet | None:
    return _first_missing(
        s.card.milestones, "milestones", lambda m: m.due is None, "milestones", "due"
    )


def _progress(s: Subject) -> Unmet | None:
    if s.state is not None and s.state.actuals:
        return None
    dated = [(m.due, i, m) for i, m in enumerate(s.card.milestones) if m.due is not None]
    if dated:
        due, index, last = max(dated, key=lambda item: (item[0], item[1]))
        if due <= s.as_of:
            return None
        last_due = Msg("gate-progress-last", id=last.id, due=due)
        return Unmet(("milestones", index, "due"), {"as_of": s.as_of, "last": last_due})
    return Unmet(("milestones",), {"as_of": s.as_of, "last": Msg("gate-progress-undated")})


def _new_actuals(s: Subject) -> Unmet | None:
    """After an evaluation round, the next one needs something new to judge (issue 14)."""
    last = loop.last_closed_round(s.state)
    if last is None or loop.actuals_since(s.state, last.date):
        return None
    return Unmet(("goals",), {"date": last.date, "verdict": Msg(f"loop-verdict-{last.verdict}")})


def _goal_actuals(s: Subject) -> Unmet | None:
    last = loop.last_closed_round(s.state)
    since = last.date if last is not None else None
    covered = {a.goal for a in loop.actuals_since(s.state, since)}
    covered |= {n.goal for n in loop.current_not_measured(s.state)}
    open_round = loop.open_round(s.state)
    if open_round is not None:
        covered |= {n.goal for n in open_round.not_measured}
    found = _first_missing(s.card.goals, "goals", lambda g: g.id not in covered, "goals")
    if found is None:
        return None
    after = Msg("gate-since-round", date=since) if since is not None else ""
    return Unmet(found.key_path, {**found.params, "since": after})


def _decision(s: Subject) -> Unmet | None:
    """A move the workspace reserves for a body's decision (zyklus.yaml: required_for)."""
    if s.state is not None and s.state.phase == "evaluation" and s.to_phase == "implementation":
        return None  # continuing: the approval of the measure still stands
    required = loop.required(s.facts.ws.config, s.state, s.to_phase)
    lacking = [r for r in required if r.status != "approved"]
    if not lacking:
        return None
    lang = s.facts.ws.config.language
    states = [
        Msg(
            f"gate-decision-{r.status}",
            body=models.local(r.body.label, lang),
            date=r.decision.date if r.decision is not None else "",
            ref=r.decision.ref if r.decision is not None else "",
        )
        for r in lacking
    ]
    return Unmet(
        ("id",),
        {"to": s.to_phase, "bodies": [r.body.id for r in lacking], "states": states},
    )


def _verdict(s: Subject) -> Unmet | None:
    evaluation = loop.open_round(s.state)
    verdict = evaluation.verdict if evaluation is not None else None
    to_phase = s.to_phase
    if to_phase is None or to_phase not in VERDICTS_FOR:
        to_phase = EXIT_FOR_VERDICT[verdict] if verdict is not None else "done"
    allowed = VERDICTS_FOR[to_phase]
    if verdict in allowed:
        return None
    return Unmet(
        ("id",),
        {
            "verdict": Msg("gate-verdict-given", verdict=verdict)
            if verdict is not None
            else Msg("gate-verdict-missing"),
            "to": to_phase,
            "allowed": list(allowed),
        },
    )


CRITERIA: tuple[Criterion, ...] = (
    Criterion("G-AREAS-KNOWN", "analysis", "error", _areas_known, ("areas",)),
    Criterion(
        "G-TARGET-GROUPS-KNOWN", "analysis", "error", _target_groups_known, ("target_groups",)
    ),
    Criterion("G-AREA-DATA", "analysis", "error", _area_data, ("city", "areas_with_data")),
    Criterion("G-NEEDS-EVIDENCE", "needs", "error", on_card=_needs_evidence),
    Criterion("G-OFFERS-CHECKED", "needs", "error", on_card=_offers_checked),
    Criterion(
        "G-DUPLICATE-CANDIDATE", "needs", "warning", _no_duplicate_candidate, ("duplicates",)
    ),
    Criterion("G-GOALS", "goals", "error", on_card=_goals),
    Criterion("G-GOAL-INDICATOR", "goals", "error", on_card=_goal_has("indicator", "indicator")),
    Criterion("G-GOAL-BASELINE", "goals", "error", on_card=_goal_has("baseline", "baseline")),
    Criterion("G-GOAL-TARGET", "goals", "error", on_card=_goal_has("target", "target")),
    Criterion("G-GOAL-DUE", "goals", "error", on_card=_goal_due),
    Criterion("G-ACTORS", "planning", "error", on_card=_actors),
    Criterion("G-STAFF", "planning", "error", on_card=_staff),
    Criterion("G-BUDGET", "planning", "error", on_card=_budget),
    Criterion("G-MILESTONES", "planning", "error", on_card=_milestones),
    Criterion("G-MILESTONE-DUE", "planning", "error", on_card=_milestone_due),
    Criterion("G-FUNDING-COVERED", "planning", "error", on_card=_funding_covered),
    Criterion("G-PROGRESS", "implementation", "error", _progress),
    Criterion("G-NEW-ACTUALS", "implementation", "error", _new_actuals),
    Criterion("G-GOAL-ACTUALS", "evaluation", "error", _goal_actuals),
    Criterion("G-VERDICT", "evaluation", "error", _verdict),
    Criterion("G-DECISION", None, "error", _decision),
)
GATES: dict[models.Phase, tuple[Criterion, ...]] = {
    phase: tuple(c for c in CRITERIA if c.leaves in (phase, None)) for phase in models.PHASES
}
CODES: frozenset[str] = frozenset(c.code for c in CRITERIA)


def gate_card(
    card: models.Card, config: models.Workspace, criteria: Iterable[Criterion] = CRITERIA
) -> GateCard:
    """The card as the gates read it, its criteria on the card alone checked now: those
    of every gate (for a row whose gate is not known yet), or of ``criteria`` (one gate's:
    :func:`check` of a card model does no more than that gate asks)."""
    subject = OnCard(card, config)
    unmet = {
        c.code: found
        for c in criteria
        if c.on_card is not None and (found := c.on_card(subject)) is not None
    }
    return GateCard(
        card.id,
        tuple(card.areas),
        tuple(card.target_groups),
        tuple(Item(g.id) for g in card.goals),
        tuple(Item(m.id, m.due) for m in card.milestones),
        unmet,
    )


def move_label(phase: models.Phase | None) -> str:
    """``analysis → needs``; evaluation leaves by its verdict; None: every move."""
    if phase is None:
        return "* → decision_bodies.required_for"
    if phase == "evaluation":
        return "evaluation → implementation / planning / stopped / done"
    return f"{phase} → {natural_next(phase, None)}"


def natural_next(phase: models.State, evaluation: models.Evaluation | None) -> models.State | None:
    """The phase ``advance`` goes to without ``--to``; none after an end state."""
    if phase in models.END_STATES:
        return None
    if phase == "evaluation":
        return EXIT_FOR_VERDICT[evaluation.verdict] if evaluation is not None else "done"
    return models.PHASES[models.ORDER[phase] + 1]


def gate_applies(from_phase: models.State, to_phase: models.State) -> bool:
    """Forward moves and every way out of evaluation pass a gate; moving back does not."""
    if from_phase in models.END_STATES:
        return False
    if from_phase == "evaluation":
        return to_phase in VERDICTS_FOR
    if to_phase not in models.PHASES:
        return False  # stopped before evaluation: a decision, recorded with its reason
    return models.ORDER[to_phase] > models.ORDER[from_phase]


# --- running a gate -----------------------------------------------------------------------


def check(
    ws: Workspace,
    card: models.Card | GateCard,
    from_phase: models.State,
    to_phase: models.State | None = None,
    *,
    as_of: date | None = None,
    state: models.ProjectState | None = None,
    locate: bool = True,
    facts: Facts | None = None,
) -> list[Finding]:
    """Every criterion of the gate leaving ``from_phase``, met or not (unmet ones located).

    Moving back, to ``stopped`` from before evaluation, or on from an end state passes no
    gate: the result is empty. ``locate=False`` leaves out line and column (no recording
    parse of the card), for overviews of many projects. ``facts``: the workspace facts
    the caller read already (else they are read here, as the criteria ask). ``card``: the
    model, or what :func:`gate_card` made of it where it was parsed.
    """
    if from_phase in models.END_STATES:
        return []
    target = to_phase or natural_next(from_phase, loop.open_round(state))
    if target is None or not gate_applies(from_phase, target):
        return []
    gate = GATES[from_phase]  # type: ignore[index]
    view = card if isinstance(card, GateCard) else gate_card(card, ws.config, gate)
    subject = Subject(view, state, target, as_of or date.today(), facts or Facts(ws))
    path: Path | None = None  # named when a criterion is unmet (status: 10 000 gates)
    shown = ""
    findings = []
    for criterion in gate:
        predicate = criterion.predicate
        unmet = view.unmet.get(criterion.code) if predicate is None else predicate(subject)
        if unmet is None:
            findings.append(Finding(criterion.code, True, criterion.severity))
            continue
        if path is None:
            path = ws.card_path(view.id)
            shown = ws.display(path)
        line, col = ws.locate(path, unmet.key_path, key=True) if locate else (None, None)
        problem = Problem(
            criterion.code,
            path=shown,
            line=line,
            col=col,
            key_path=unmet.key_path,
            params=unmet.params,
            severity=criterion.severity,
        )
        findings.append(
            Finding(criterion.code, False, criterion.severity, dict(unmet.params), problem)
        )
    return findings


def next_gate(
    ws: Workspace,
    card: models.Card | GateCard,
    state: models.ProjectState,
    as_of: date | None,
    *,
    locate: bool = True,
    facts: Facts | None = None,
) -> list[Finding]:
    """The gate the project meets next on its natural way (for status and reports)."""
    target = natural_next(state.phase, loop.open_round(state))
    return check(
        ws, card, state.phase, target, as_of=as_of, state=state, locate=locate, facts=facts
    )


def unmet(findings: Iterable[Finding], severity: GateSeverity = "error") -> list[Finding]:
    return [f for f in findings if not f.met and f.severity == severity]


# --- workspace facts ------------------------------------------------------------------------


def _indicator_areas(ws: Workspace) -> set[str]:
    """Areas with at least one value in data/indicators.csv (none when it is missing).

    A file with bad values is reported by ``validate``; here its readable rows still
    count, so the gate does not claim that data is missing when it is only malformed.
    """
    try:
        return ws.indicator_areas()  # remembered while the table is unchanged (issue 21)
    except LoadError:
        return _areas_in_rows(ws)


def _areas_in_rows(ws: Workspace) -> set[str]:
    from zyklus.files.tables import read_rows

    path = ws.root / "data" / "indicators.csv"
    try:
        rows = read_rows(path, ws.display(path), ws.config.data.delimiter)
    except LoadError:
        return set()
    return {(row.get("area") or "").strip() for _, row in rows} - {""}


# --- documentation --------------------------------------------------------------------------


def rule_text(code: str, lang: str) -> str:
    return message(f"gate-rule-{code}", lang)


def table_rows(lang: str) -> list[tuple[str, str, str, str]]:
    """(move, code, severity, rule) for every criterion, in gate order."""
    return [
        (
            move_label(c.leaves),
            c.code,
            message(f"gate-severity-{c.severity}", lang),
            rule_text(c.code, lang),
        )
        for c in CRITERIA
    ]


def markdown() -> str:
    """docs/gates.md: the table of all criteria in German and English."""
    lines = [
        "# Phase gates",
        "",
        "<!-- generated by `zyklus gates --format markdown`; do not edit by hand -->",
        "",
        "A project leaves a phase only when every criterion of that phase's gate is met",
        "(`zyklus advance`). Warnings never block. `--force --reason TEXT` passes anyway and",
        "records the reason and the unmet codes in the cycle file's history. Moving back",
        "(for example evaluation → planning to adjust) passes no gate but needs a reason.",
        "",
        "| move | code | severity | criterion (de) | criterion (en) |",
        "|---|---|---|---|---|",
    ]
    for c in CRITERIA:
        de, en = rule_text(c.code, "de"), rule_text(c.code, "en")
        lines.append(
            f"| {move_label(c.leaves)} | `{c.code}` | {c.severity} | {_md(de)} | {_md(en)} |"
        )
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")
