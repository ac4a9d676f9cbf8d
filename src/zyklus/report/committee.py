"""The first pages of the report: what the Lenkungsgremium decides on (issue 16).

Three sentences generated from the data, the *Entscheidungsbedarf* (what waits for the
committee, each item with its project and what is asked — first the approvals a body has
to give, issue 14's ``pending_decisions``) and one overview row per project
with a traffic light and its reasons. Everything is said in words: gate codes, key paths
and commands go to the planners' annex (:class:`PlannerNote`), never here.

The traffic-light rules are data (``traffic_light`` in zyklus.yaml, defaults in
:class:`zyklus.models.TrafficLight`) and are printed in the annex with their values:

- **red** when a goal was not reached by its target date, a milestone is overdue by at
  least ``overdue_red_days`` days, or the project has been in its phase for at least
  ``stuck_red_days`` days;
- **amber** when a milestone is overdue, the project has been in its phase for at least
  ``stuck_days`` days, it reached its phase with criteria still open (a forced pass), or
  staff or money is not given from planning on;
- **green** when none of these applies; **no light** for a project that is done or stopped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from zyklus import i18n, models
from zyklus.i18n import message
from zyklus.models import END_STATES
from zyklus.report.pending import PendingDecision
from zyklus.report.rows import HistoryRow, ProjectReport, Ref

Color = Literal["red", "amber", "green", "none"]
# phases from which staff and money belong on the card (the planning gate asks for them)
NEEDS_RESOURCES = ("planning", "implementation", "evaluation")


@dataclass(frozen=True)
class Light:
    color: Color
    label: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Money:
    """Planned, granted and spent euros of one project; ``None`` is "not given", never 0."""

    planned: Decimal | float | None
    granted: Decimal | float | None = None
    spent: Decimal | float | None = None


@dataclass(frozen=True)
class OverviewRow:
    ref: Ref
    phase: str | None
    days: int | None
    light: Light
    goals: int
    measured: int
    on_track: int
    money: Money
    card_valid: bool = True


@dataclass(frozen=True)
class Ask:
    """One point of the Entscheidungsbedarf: which project, what is the matter, what is asked."""

    kind: str
    kind_label: str
    project: Ref
    matter: str
    question: str


@dataclass(frozen=True)
class PlannerNote:
    """The same point for the planners: the code, where it is written and what to run."""

    project: Ref
    text: str
    code: str
    path: str
    command: str


@dataclass(frozen=True)
class RuleRow:
    color: Color
    label: str
    text: str


@dataclass
class Committee:
    sentences: list[str]
    asks: list[Ask]
    overview: list[OverviewRow]
    since: date | None
    rules: list[RuleRow]
    planner_notes: list[PlannerNote] = field(default_factory=list)
    lights: dict[str, int] = field(default_factory=dict)


ASK_KINDS = ("decision", "stuck", "forced", "resources", "overdue")


class Judge:
    """Shapes the committee pages from the project rows the report already built."""

    def __init__(
        self,
        rules: models.TrafficLight,
        *,
        lang: models.Lang,
        as_of: date,
        since: date | None,
        cycle: int,
        money: dict[str, Money] | None = None,
    ) -> None:
        self.money = money or {}
        self.rules = rules
        self.lang = lang
        self.as_of = as_of
        self.since = since
        self.cycle = cycle

    def t(self, msg_id: str, **params: object) -> str:
        return message(msg_id, self.lang, **params)

    def n(self, value: float) -> str:
        return i18n.format_number(value, self.lang)

    # --- the traffic light ----------------------------------------------------------------

    def light(self, p: ProjectReport) -> Light:
        if p.phase in END_STATES:
            return Light("none", self.t("cm-light-none"), (self.t(f"cm-reason-ended-{p.phase}"),))
        red: list[str] = []
        amber: list[str] = []
        late = [g for g in p.goals if g.status == "not_met"]
        if late:
            red.append(self.t("cm-reason-goal-not-met", count=len(late)))
        overdue = [m for m in p.milestones if m.status == "overdue"]
        worst = max((m.days_overdue for m in overdue), default=0)
        if overdue and worst >= self.rules.overdue_red_days:
            red.append(self.t("cm-reason-overdue-long", count=len(overdue), days=self.n(worst)))
        elif overdue:
            amber.append(self.t("cm-reason-overdue", count=len(overdue), days=self.n(worst)))
        phase = self.t(f"report-phase-{p.phase}") if p.phase else ""
        if p.days is not None and p.days >= self.rules.stuck_red_days:
            red.append(self.t("cm-reason-stuck", phase=phase, days=self.n(p.days)))
        elif p.days is not None and p.days >= self.rules.stuck_days:
            amber.append(self.t("cm-reason-stuck", phase=phase, days=self.n(p.days)))
        arrival = _arrival(p)
        if arrival is not None and arrival.forced:
            amber.append(self.t("cm-reason-forced", phase=phase, date=arrival.at))
        missing = self.missing_resources(p)
        if missing:
            amber.append(self.t(f"cm-reason-missing-{missing}"))
        if red:
            return Light("red", self.t("cm-light-red"), tuple(red + amber))
        if amber:
            return Light("amber", self.t("cm-light-amber"), tuple(amber))
        return Light("green", self.t("cm-light-green"), (self.t("cm-reason-green"),))

    def missing_resources(self, p: ProjectReport) -> str:
        """``staff``, ``money``, ``both`` or "" for a project that should have them."""
        if p.phase not in NEEDS_RESOURCES:
            return ""
        planned = self.money[p.ref.id].planned if p.ref.id in self.money else p.eur
        staff, money = p.fte is None, planned is None
        return "both" if staff and money else "staff" if staff else "money" if money else ""

    # --- Entscheidungsbedarf ------------------------------------------------------------------

    def asks(
        self, projects: list[ProjectReport], pending: Sequence[PendingDecision] = ()
    ) -> list[Ask]:
        out: list[Ask] = []
        refs = {p.ref.id: p.ref for p in projects}
        for wait in pending:  # issue 14: a body's approval the next move needs
            ref = refs.get(wait.project)
            if ref is None:
                continue
            params = {
                "body": wait.body_label,
                "source": self.t(f"report-phase-{wait.phase}"),
                "target": self.t(f"report-phase-{wait.to}"),
            }
            if wait.status == "deferred" and wait.date is not None:
                matter = self.t(
                    "cm-ask-pending-deferred", date=wait.date, ref=wait.ref or "–", **params
                )
            else:
                matter = self.t("cm-ask-pending", **params)
            out.append(self.ask("decision", ref, matter, self.t("cm-ask-pending-q", **params)))
        for p in projects:
            if p.phase in END_STATES or p.phase is None:
                continue
            phase = self.t(f"report-phase-{p.phase}")
            if p.phase == "evaluation":
                if p.evaluation is not None:
                    matter = self.t(
                        "cm-ask-verdict", verdict=p.evaluation.verdict_label, date=p.evaluation.date
                    )
                    question = self.t(f"cm-ask-verdict-{p.evaluation.verdict}")
                else:
                    matter = self.t("cm-ask-no-verdict")
                    question = self.t("cm-ask-no-verdict-q")
                out.append(self.ask("decision", p.ref, matter, question))
            if p.days is not None and p.days >= self.rules.stuck_days:
                out.append(
                    self.ask(
                        "stuck",
                        p.ref,
                        self.t("cm-ask-stuck", phase=phase, days=self.n(p.days), since=p.since),
                        self.t("cm-ask-stuck-q"),
                    )
                )
            for h in p.history:
                if h.forced and (self.since is None or h.at >= self.since):
                    out.append(
                        self.ask(
                            "forced",
                            p.ref,
                            self.t(
                                "cm-ask-forced",
                                date=h.at,
                                source=h.from_label or "–",
                                target=h.to_label,
                                open=self.criteria(h.unmet),
                            ),
                            self.t("cm-ask-forced-q"),
                        )
                    )
            missing = self.missing_resources(p)
            if missing:
                text = self.t(f"cm-ask-missing-{missing}", phase=phase)
                decision = next(
                    (i for i, a in enumerate(out) if a.kind == "decision" and a.project == p.ref),
                    None,
                )
                if decision is not None:  # one row per decision: the gap is part of it
                    a = out[decision]
                    out[decision] = Ask(
                        a.kind, a.kind_label, a.project, f"{a.matter} {text}", a.question
                    )
                else:
                    out.append(self.ask("resources", p.ref, text, self.t("cm-ask-missing-q")))
            for m in p.milestones:
                if m.status == "overdue":
                    out.append(
                        self.ask(
                            "overdue",
                            p.ref,
                            self.t(
                                "cm-ask-overdue",
                                title=m.title,
                                due=m.due,
                                days=self.n(m.days_overdue),
                            ),
                            self.t("cm-ask-overdue-q"),
                        )
                    )
        order = {k: i for i, k in enumerate(ASK_KINDS)}
        return sorted(out, key=lambda a: (order[a.kind], a.project.title.casefold(), a.project.id))

    def ask(self, kind: str, ref: Ref, matter: str, question: str) -> Ask:
        return Ask(kind, self.t(f"cm-kind-{kind}"), ref, matter, question)

    def criteria(self, codes: tuple[str, ...]) -> str:
        """Unmet gate criteria in words (the codes are in the planners' annex)."""
        words = [
            self.t(
                f"cm-criterion-{c}"
                if i18n.has_message(f"cm-criterion-{c}")
                else "cm-criterion-other"
            )
            for c in codes
        ]
        return "; ".join(words) if words else self.t("cm-criteria-none")

    # --- the rest -------------------------------------------------------------------------

    def overview(self, projects: list[ProjectReport], money: dict[str, Money]) -> list[OverviewRow]:
        rows = []
        for p in projects:
            measured = sum(g.actual is not None for g in p.goals)
            on_track = sum(g.status in ("met", "open") for g in p.goals)
            rows.append(
                OverviewRow(
                    ref=p.ref,
                    phase=p.phase,
                    days=p.days,
                    light=self.light(p),
                    goals=len(p.goals),
                    measured=measured,
                    on_track=on_track,
                    money=money.get(p.ref.id, Money(p.eur)),
                )
            )
        return rows

    def sentences(
        self, projects: list[ProjectReport], asks: list[Ask], rows: list[OverviewRow]
    ) -> list[str]:
        active = [p for p in projects if p.phase not in END_STATES]
        phases = []
        for phase in (*models.PHASES, *END_STATES):
            count = sum(p.phase == phase for p in projects)
            if count:
                phases.append(f"{self.n(count)} {self.t(f'cm-in-phase-{phase}')}")
        first = self.t(
            "cm-sentence-projects",
            cycle=self.cycle,
            count=self.n(len(projects)),
            phases=", ".join(phases) or "–",
        )
        goals = [g for p in projects for g in p.goals]
        measured = sum(g.actual is not None for g in goals)
        met = sum(g.status == "met" for g in goals)
        if not goals:
            second = self.t("cm-sentence-no-goals")
        elif not measured:
            second = self.t("cm-sentence-goals-unmeasured", total=self.n(len(goals)))
        else:
            second = self.t(
                "cm-sentence-goals",
                total=self.n(len(goals)),
                measured=self.n(measured),
                met=self.n(met),
            )
        red = sum(r.light.color == "red" for r in rows)
        amber = sum(r.light.color == "amber" for r in rows)
        staff = sum(p.fte is not None for p in active)
        budget = sum(p.eur is not None for p in active)
        third = self.t(
            "cm-sentence-asks",
            asks=self.n(len(asks)),
            red=self.n(red),
            amber=self.n(amber),
            staff=self.n(staff),
            budget=self.n(budget),
            active=self.n(len(active)),
        )
        return [first, second, third]

    def rule_rows(self) -> list[RuleRow]:
        r = self.rules
        params = {
            "stuck": self.n(r.stuck_days),
            "stuck_red": self.n(r.stuck_red_days),
            "overdue_red": self.n(r.overdue_red_days),
        }
        return [
            RuleRow("red", self.t("cm-light-red"), self.t("cm-rule-red", **params)),
            RuleRow("amber", self.t("cm-light-amber"), self.t("cm-rule-amber", **params)),
            RuleRow("green", self.t("cm-light-green"), self.t("cm-rule-green")),
            RuleRow("none", self.t("cm-light-none"), self.t("cm-rule-none")),
        ]

    def planner_notes(self, projects: list[ProjectReport]) -> list[PlannerNote]:
        """Open criteria of each project's next gate with code, key and command."""
        out = []
        for p in projects:
            if p.gate is None:
                continue
            for c in p.gate.unmet:
                out.append(
                    PlannerNote(
                        p.ref,
                        c.text,
                        c.code,
                        f"projects/{p.ref.id}.yaml",
                        self.t(f"cm-command-{c.code}", project=p.ref.id)
                        if i18n.has_message(f"cm-command-{c.code}")
                        else self.t("cm-command-advance", project=p.ref.id),
                    )
                )
            for h in p.history:
                if h.forced:
                    out.append(
                        PlannerNote(
                            p.ref,
                            self.t(
                                "cm-note-forced",
                                date=h.at,
                                source=h.from_label or "–",
                                target=h.to_label,
                            ),
                            ", ".join(h.unmet) or "–",
                            f"cycles/{h.cycle}.yaml",
                            self.t("cm-command-log", project=p.ref.id),
                        )
                    )
        return out


def _arrival(p: ProjectReport) -> HistoryRow | None:
    """The move that brought the project into its current phase (any cycle)."""
    for h in reversed(p.history):
        if h.to_label == p.ref.phase_label:
            return h
    return None


def committee(
    projects: list[ProjectReport],
    rules: models.TrafficLight,
    *,
    lang: models.Lang,
    as_of: date,
    since: date | None,
    cycle: int,
    money: dict[str, Money] | None = None,
    pending: Sequence[PendingDecision] = (),
) -> Committee:
    judge = Judge(rules, lang=lang, as_of=as_of, since=since, cycle=cycle, money=money)
    asks = judge.asks(projects, pending)
    rows = judge.overview(projects, money or {})
    lights = {c: sum(r.light.color == c for r in rows) for c in ("red", "amber", "green", "none")}
    return Committee(
        sentences=judge.sentences(projects, asks, rows),
        asks=asks,
        overview=rows,
        since=since,
        rules=judge.rule_rows(),
        planner_notes=judge.planner_notes(projects),
        lights=lights,
    )
