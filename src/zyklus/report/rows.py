"""The rows of the committee report: plain, frozen data the templates lay out (issue 6).

:mod:`zyklus.report.projects` fills them from the workspace and the cycle; they hold numbers and
dates (formatted by the templates' filters) and labels already in the report's language.
Also here: how a goal's status and achievement follow from its latest actual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from zyklus import models
from zyklus.report.charts import Segment

# --- rows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A project as other sections name it: id (anchor), title and phase."""

    id: str
    title: str
    phase_label: str


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    illustrative: int = 0


@dataclass(frozen=True)
class HistoryRow:
    cycle: int
    at: date
    from_label: str
    to_label: str
    by: str
    reason: str
    forced: bool
    unmet: tuple[str, ...]
    illustrative: bool


@dataclass(frozen=True)
class ActualRow:
    value: float
    date: date
    note: str
    illustrative: bool


@dataclass(frozen=True)
class GoalRow:
    project: Ref
    id: str
    statement: str
    indicator: str
    unit: str
    baseline: models.Measurement | None
    target: models.Measurement | None
    actual: ActualRow | None
    achievement: float | None
    status: str
    status_label: str
    not_measured: str
    level: int | None
    level_label: str
    contributes_to: tuple[str, ...]
    contributes_ids: tuple[str, ...]


@dataclass(frozen=True)
class MilestoneRow:
    project: Ref
    id: str
    title: str
    due: date | None
    done: date | None
    status: str
    status_label: str
    days_overdue: int
    illustrative: bool


@dataclass(frozen=True)
class Synergy:
    text: str
    project_id: str | None  # set when the synergy names another project of the report


@dataclass(frozen=True)
class EvaluationRow:
    verdict: str
    verdict_label: str
    summary: str
    date: date
    by: str
    illustrative: bool


@dataclass(frozen=True)
class Criterion:
    code: str
    text: str
    warning: bool


@dataclass(frozen=True)
class GateRow:
    """The gate a project meets next: what it still lacks, and how much it has."""

    target_label: str
    unmet: tuple[Criterion, ...]
    met: int
    total: int


@dataclass
class ProjectReport:
    ref: Ref
    phase: str | None
    phase_illustrative: bool
    since: date | None
    days: int | None
    areas: list[str]
    target_groups: list[str]
    target_group_ids: list[str]
    themes: list[str]
    duration: str
    description: str
    audience: str
    needs: list[str]
    offers: list[str]
    needs_check_note: str
    gate: GateRow | None
    history: list[HistoryRow]
    segments: list[Segment]
    goals: list[GoalRow]
    milestones: list[MilestoneRow]
    fte: float | None
    eur: float | None
    resource_notes: str
    actors: list[str]
    synergies: list[Synergy]
    evaluation: EvaluationRow | None


@dataclass(frozen=True)
class Summary:
    projects: int
    phases: list[Count]
    goals: list[Count]
    goals_total: int
    goals_met: int
    overdue: list[MilestoneRow]
    undated: int
    fte: float | None  # None: no project gives it ("keine Angabe", issue 16)
    fte_projects: int
    eur: float | None
    eur_projects: int
    active: int


@dataclass(frozen=True)
class LevelGroup:
    level: int | None
    label: str
    goals: list[GoalRow]


@dataclass(frozen=True)
class Rollup:
    """Projects and goals serving one target group or one strategic goal."""

    id: str
    label: str
    note: str
    projects: list[ProjectReport]
    levels: list[LevelGroup]
    fte: float | None
    eur: float | None
    areas: list[str]


@dataclass(frozen=True)
class Move:
    project: Ref
    from_label: str
    to_label: str


@dataclass(frozen=True)
class VerdictRow:
    project: Ref
    evaluation: EvaluationRow


@dataclass(frozen=True)
class Changes:
    previous: int | None
    added: list[Ref] = field(default_factory=list)
    ended: list[Ref] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    revised: list[Ref] = field(default_factory=list)
    verdicts: list[VerdictRow] = field(default_factory=list)


GOAL_STATUSES = ("met", "not_met", "open", "not_measured", "no_target")


def goal_status(
    goal: models.Goal, actual: models.Actual | None, as_of: date
) -> tuple[str, float | None]:
    """(status, achievement in %) of a goal from its latest actual.

    Achievement is the share of the way from baseline to target (or of the target when
    there is no baseline). A goal is *met* when the actual reached the target in the
    target's direction (down when the target lies below the baseline); not reached before
    the target date is *open*, after it *not met*.
    """
    if actual is None:
        return "not_measured", None
    if goal.target is None:
        return "no_target", None
    target = goal.target.value
    base = goal.baseline.value if goal.baseline is not None else None
    downward = base is not None and target < base
    achievement: float | None = None
    if base is not None and target != base:
        achievement = (actual.value - base) / (target - base) * 100
    elif target != 0:
        achievement = actual.value / target * 100
    reached = actual.value <= target if downward else actual.value >= target
    if reached:
        return "met", achievement
    if goal.target.date > as_of:
        return "open", achievement
    return "not_met", achievement
