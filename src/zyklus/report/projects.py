"""Shape a cycle's data into what the committee report shows: plain, sorted, labelled rows.

Every decision of the report is made here (towncrier style: sort and group in Python), so
the templates only lay out and the numbers are testable without rendering. Values that
come from cycle entries marked ``illustrative`` carry that flag up to the page (issue 6:
honest about example data). Labels are message ids of ``messages/report.yaml`` rendered
in the report's language; the numbers stay numbers (templates format them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from zyklus import models
from zyklus.files.workspace import Workspace
from zyklus.i18n import message
from zyklus.models import CITYWIDE, END_STATES, PHASES, local
from zyklus.money.partners import actor_label, need_text
from zyklus.report.charts import Segment
from zyklus.report.rows import (
    GOAL_STATUSES,
    ActualRow,
    Changes,
    Count,
    Criterion,
    EvaluationRow,
    GateRow,
    GoalRow,
    HistoryRow,
    LevelGroup,
    MilestoneRow,
    Move,
    ProjectReport,
    Ref,
    Rollup,
    Summary,
    Synergy,
    VerdictRow,
    goal_status,
)
from zyklus.report.status import entered
from zyklus.rules import gates

STATES: tuple[str, ...] = models.STATES


# --- the build ------------------------------------------------------------------------


class CycleShaper:
    """Turns one workspace and cycle into report rows; holds the indexes it needs once."""

    def __init__(
        self,
        ws: Workspace,
        state: models.CycleState,
        chain: list[models.CycleState],
        *,
        as_of: date,
        lang: models.Lang,
    ) -> None:
        self.ws = ws
        self.config = ws.config
        self.state = state
        self.chain = chain  # earlier cycles, newest first (files.cycles.earlier_cycles)
        self.as_of = as_of
        self.lang = lang
        self.cards = dict(sorted(ws.cards.items.items()))
        self.groups = {g.id: local(g.label, lang) for g in self.config.target_groups}
        self.goals_by_id = {g.id: local(g.title, lang) for g in self.config.strategic_goals}
        self.indicators = {i.id: local(i.label, lang) for i in self.config.indicators}
        self.offers = {k: o.title for k, o in ws.offers.items.items()}
        self.facts = gates.Facts(ws)  # one set of workspace facts for every project's gate
        self.partners = {p.id: p for p in self.config.partners}  # issue 15
        self._labels: dict[str, str] = {}

    def t(self, msg_id: str, **params: object) -> str:
        """A message; labels without parameters are looked up once (issue 21: a phase's
        label was formatted 200 000 times at 10 000 projects)."""
        if params:
            return message(msg_id, self.lang, **params)
        label = self._labels.get(msg_id)
        if label is None:
            label = self._labels[msg_id] = message(msg_id, self.lang)
        return label

    def phase_label(self, phase: str | None) -> str:
        return self.t(f"report-phase-{phase}" if phase else "report-phase-none")

    def area_name(self, area_id: str) -> str:
        if area_id == CITYWIDE:
            return self.t("report-citywide")
        area = self.ws.areas.areas.get(area_id)
        return area.name if area is not None and area.name else area_id

    def project_ids(self) -> list[str]:
        """Every card of the workspace, sorted by title then id (the report's order)."""
        return sorted(self.cards, key=lambda i: (self.cards[i].title.casefold(), i))

    def ref(self, project_id: str) -> Ref:
        card = self.cards.get(project_id)
        entry = self.state.projects.get(project_id)
        return Ref(
            project_id,
            card.title if card is not None else project_id,
            self.phase_label(entry.phase if entry is not None else None),
        )

    # --- one project -------------------------------------------------------------------

    def history(self, project_id: str) -> list[tuple[int, models.HistoryEntry]]:
        """Entries of this and the previous cycles, oldest first (stable within a cycle)."""
        rows: list[tuple[int, models.HistoryEntry]] = []
        for cycle in [*reversed(self.chain), self.state]:
            entry = cycle.projects.get(project_id)
            if entry is not None:
                rows.extend((cycle.cycle, h) for h in entry.history)
        return sorted(rows, key=lambda r: r[1].at)

    def project(self, project_id: str) -> ProjectReport:
        card = self.cards[project_id]
        entry = self.state.projects.get(project_id)
        phase = entry.phase if entry is not None else None
        ref = self.ref(project_id)
        history = self.history(project_id)
        arrival = next((h for _, h in reversed(history) if h.to == phase), None)
        # the same date and day count as ``zyklus status`` (issue 4's helper)
        since = entered(self.chain, project_id, entry) if entry else None
        days = (self.as_of - since).days if since is not None and since <= self.as_of else None
        return ProjectReport(
            ref=ref,
            phase=phase,
            phase_illustrative=bool(arrival and arrival.illustrative),
            since=since,
            days=days,
            areas=[self.area_name(a) for a in card.areas],
            target_groups=[self.groups.get(g, g) for g in card.target_groups],
            target_group_ids=list(card.target_groups),
            themes=list(card.themes),
            duration=card.duration or "",
            description=(card.description or "").strip(),
            audience=(card.audience or "").strip(),
            needs=[need_text(n, self.partners, self.lang) for n in card.needs],
            offers=[self.offers.get(o, o) for o in card.existing_offers],
            needs_check_note=(card.needs_check_note or "").strip(),
            gate=self.gate(card, entry),
            history=[self.history_row(cycle, h) for cycle, h in history],
            segments=self.segments(history),
            goals=self.goal_rows(ref, card, entry),
            milestones=self.milestone_rows(ref, card, entry),
            fte=card.resources.staff_fte,
            eur=card.resources.budget_eur,
            resource_notes=(card.resources.notes or "").strip(),
            actors=[actor_label(a, self.partners) for a in card.actors],
            synergies=[
                Synergy(
                    self.cards[s].title if s in self.cards else s, s if s in self.cards else None
                )
                for s in card.synergies
            ],
            evaluation=self.evaluation(entry.evaluation if entry is not None else None),
        )

    def history_row(self, cycle: int, entry: models.HistoryEntry) -> HistoryRow:
        return HistoryRow(
            cycle=cycle,
            at=entry.at.date(),
            from_label=self.phase_label(entry.from_) if entry.from_ else "",
            to_label=self.phase_label(entry.to),
            by=entry.by,
            reason=(entry.reason or "").strip(),
            forced=entry.forced,
            unmet=tuple(entry.unmet),
            illustrative=entry.illustrative,
        )

    def segments(self, history: list[tuple[int, models.HistoryEntry]]) -> list[Segment]:
        """Stretches between moves, the last one up to the report date."""
        out: list[Segment] = []
        for index, (_, entry) in enumerate(history):
            start = entry.at.date()
            end = history[index + 1][1].at.date() if index + 1 < len(history) else self.as_of
            end = max(end, start)
            label = self.phase_label(entry.to)
            detail = self.t(
                "report-timeline-segment",
                phase=label,
                start=start,
                end=end,
                days=(end - start).days,
            )
            out.append(Segment(entry.to, label, detail, start, end))
        return out

    def gate(self, card: models.Card, entry: models.ProjectState | None) -> GateRow | None:
        """The criteria of the next gate on the project's natural way (issue 4's gates)."""
        if entry is None or entry.phase not in PHASES:
            return None
        target = gates.natural_next(entry.phase, entry.evaluation)
        # Only the criteria's messages are shown, never a line: no card is read again for
        # one (issue 21).
        findings = gates.next_gate(self.ws, card, entry, self.as_of, locate=False, facts=self.facts)
        unmet = tuple(
            Criterion(
                f.code,
                f.problem.message(self.lang) if f.problem else f.code,
                f.severity == "warning",
            )
            for f in findings
            if not f.met
        )
        return GateRow(self.phase_label(target), unmet, len(findings) - len(unmet), len(findings))

    def goal_rows(
        self, ref: Ref, card: models.Card, entry: models.ProjectState | None
    ) -> list[GoalRow]:
        latest: dict[str, models.Actual] = {}
        reasons: dict[str, str] = {}
        for cycle in [*reversed(self.chain), self.state]:
            state = cycle.projects.get(card.id)
            if state is None:
                continue
            for actual in sorted(state.actuals, key=lambda a: a.date):
                latest[actual.goal] = actual
            for skip in state.not_measured:
                reasons[skip.goal] = skip.reason
        return [
            self.goal_row(ref, goal, latest.get(goal.id), reasons.get(goal.id, ""))
            for goal in card.goals
        ]

    def goal_row(
        self, ref: Ref, goal: models.Goal, actual: models.Actual | None, reason: str
    ) -> GoalRow:
        status, achievement = goal_status(goal, actual, self.as_of)
        level_label = self.t(f"report-level-{goal.level}") if goal.level else ""
        return GoalRow(
            project=ref,
            id=goal.id,
            statement=goal.statement.strip(),
            indicator=self.indicators.get(goal.indicator, goal.indicator) if goal.indicator else "",
            unit=goal.unit or "",
            baseline=goal.baseline,
            target=goal.target,
            actual=ActualRow(
                actual.value, actual.date, (actual.note or "").strip(), actual.illustrative
            )
            if actual is not None
            else None,
            achievement=achievement,
            status=status,
            status_label=self.t(f"report-goal-{status}"),
            not_measured=reason,
            level=goal.level,
            level_label=level_label,
            contributes_to=tuple(self.goals_by_id.get(g, g) for g in goal.contributes_to),
            contributes_ids=tuple(goal.contributes_to),
        )

    def milestone_rows(
        self, ref: Ref, card: models.Card, entry: models.ProjectState | None
    ) -> list[MilestoneRow]:
        done: dict[str, models.MilestoneDone] = {}
        for cycle in [*reversed(self.chain), self.state]:
            state = cycle.projects.get(card.id)
            if state is not None:
                done.update((m.id, m) for m in state.milestones)
        ended = entry is not None and entry.phase in END_STATES
        rows = []
        for milestone in card.milestones:
            record = done.get(milestone.id)
            if record is not None:
                status, overdue = "done", 0
            elif milestone.due is None:
                status, overdue = "undated", 0
            elif milestone.due < self.as_of and not ended:
                status, overdue = "overdue", (self.as_of - milestone.due).days
            else:
                status, overdue = "due", 0
            rows.append(
                MilestoneRow(
                    project=ref,
                    id=milestone.id,
                    title=milestone.title,
                    due=milestone.due,
                    done=record.done if record is not None else None,
                    status=status,
                    status_label=self.t(f"report-milestone-{status}"),
                    days_overdue=overdue,
                    illustrative=bool(record and record.illustrative),
                )
            )
        return rows

    def evaluation(self, evaluation: models.Evaluation | None) -> EvaluationRow | None:
        if evaluation is None:
            return None
        return EvaluationRow(
            verdict=evaluation.verdict,
            verdict_label=self.t(f"report-verdict-{evaluation.verdict}"),
            summary=evaluation.summary.strip(),
            date=evaluation.date,
            by=evaluation.by,
            illustrative=evaluation.illustrative,
        )

    # --- the whole cycle ---------------------------------------------------------------

    def summary(self, projects: list[ProjectReport]) -> Summary:
        phases = []
        keys: list[str | None] = list(STATES)
        if any(p.phase is None for p in projects):
            keys.append(None)
        for phase in keys:
            members = [p for p in projects if p.phase == phase]
            if phase in END_STATES and not members:
                continue
            phases.append(
                Count(
                    phase or "none",
                    self.phase_label(phase),
                    len(members),
                    sum(p.phase_illustrative for p in members),
                )
            )
        goals = [g for p in projects for g in p.goals]
        goal_counts = [
            Count(
                status,
                self.t(f"report-goal-{status}"),
                sum(g.status == status for g in goals),
                sum(g.status == status and bool(g.actual and g.actual.illustrative) for g in goals),
            )
            for status in GOAL_STATUSES
        ]
        active = [p for p in projects if p.phase not in END_STATES]
        overdue = sorted(
            (m for p in active for m in p.milestones if m.status == "overdue"),
            key=lambda m: (m.due or self.as_of, m.project.title.casefold(), m.id),
        )
        return Summary(
            projects=len(projects),
            phases=phases,
            goals=goal_counts,
            goals_total=len(goals),
            goals_met=sum(g.status == "met" for g in goals),
            overdue=overdue,
            undated=sum(m.status == "undated" for p in active for m in p.milestones),
            fte=known_sum((p.fte for p in active), 6),
            fte_projects=sum(p.fte is not None for p in active),
            eur=known_sum((p.eur for p in active), 2),
            eur_projects=sum(p.eur is not None for p in active),
            active=len(active),
        )

    def rollups(self, projects: list[ProjectReport]) -> tuple[list[Rollup], list[Rollup]]:
        """Per target group (projects) and per strategic goal (project goals by level).

        Only active projects count: one that is done or stopped serves nobody any more.
        """
        projects = [p for p in projects if p.phase not in END_STATES]
        by_group: list[Rollup] = []
        for group in self.config.target_groups:
            label = local(group.label, self.lang)
            members = [p for p in projects if group.id in p.target_group_ids]
            by_group.append(self._rollup(group.id, label, "", members, []))
        by_goal: list[Rollup] = []
        goals = [g for p in projects for g in p.goals]
        for strategic in self.config.strategic_goals:
            title = local(strategic.title, self.lang)
            mine = [g for g in goals if strategic.id in g.contributes_ids]
            ids = {g.project.id for g in mine}
            members = [p for p in projects if p.ref.id in ids]
            by_goal.append(self._rollup(strategic.id, title, strategic.source or "", members, mine))
        loose = [g for g in goals if not g.contributes_to]
        if loose:
            ids = {g.project.id for g in loose}
            members = [p for p in projects if p.ref.id in ids]
            by_goal.append(self._rollup("", self.t("report-goal-unassigned"), "", members, loose))
        return by_group, by_goal

    def _rollup(
        self, key: str, label: str, note: str, members: list[ProjectReport], goals: list[GoalRow]
    ) -> Rollup:
        levels: list[LevelGroup] = []
        for level in (*range(1, 8), None):
            at_level = [g for g in goals if g.level == level]
            if at_level:
                text = self.t(f"report-level-{level}") if level else self.t("report-level-none")
                levels.append(LevelGroup(level, text, at_level))
        areas = sorted({a for p in members for a in p.areas}, key=str.casefold)
        return Rollup(
            id=key,
            label=label,
            note=note,
            projects=members,
            levels=levels,
            fte=known_sum((p.fte for p in members), 6),
            eur=known_sum((p.eur for p in members), 2),
            areas=areas,
        )

    def changes(self) -> Changes:
        if not self.chain:
            return Changes(previous=None)
        named = [c for c in self.chain if c.cycle == self.state.previous]
        before = named[0] if named else self.chain[0]
        now = self.state.projects
        then = before.projects
        known = set(self.project_ids())
        names = {i: self.ref(i) for i in sorted(set(now) | set(then))}

        def order(ids: Iterable[str]) -> list[str]:
            return sorted(ids, key=lambda i: (names[i].title.casefold(), i))

        added = [names[i] for i in order(set(now) - set(then)) if i in known]
        ended = [
            names[i]
            for i in order(set(then) | set(now))
            if (i in then and i not in now)
            or (
                i in now
                and now[i].phase in END_STATES
                and (i not in then or then[i].phase not in END_STATES)
            )
        ]
        moved = [
            Move(names[i], self.phase_label(then[i].phase), self.phase_label(now[i].phase))
            for i in order(set(now) & set(then))
            if now[i].phase != then[i].phase
        ]
        revised = [
            names[i]
            for i in order(now)
            if _replanned(now[i]) or (i in then and _verdict(then[i]) == "adjust")
        ]
        verdicts = [
            VerdictRow(names[i], row)
            for i in order(then)
            if (row := self.evaluation(then[i].evaluation)) is not None
        ]
        return Changes(before.cycle, added, ended, moved, revised, verdicts)


def known_sum(values: Iterable[float | None], digits: int) -> float | None:
    """The sum of the values given; ``None`` when none is given ("keine Angabe", never 0)."""
    given = [v for v in values if v is not None]
    return round(sum(given), digits) if given else None


def _verdict(entry: models.ProjectState) -> str | None:
    return entry.evaluation.verdict if entry.evaluation is not None else None


RANK = {state: index for index, state in enumerate(STATES)}


def _replanned(entry: models.ProjectState) -> bool:
    """Goals are up for revision when the project went back to goals or planning."""
    return any(
        h.from_ is not None and h.to in ("goals", "planning") and RANK[h.to] < RANK[h.from_]
        for h in entry.history
    )
