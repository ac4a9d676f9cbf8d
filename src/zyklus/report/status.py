"""Where every project of a cycle stands: the rows of ``zyklus status`` as plain data.

One row per project: phase, days in it, what the next gate still misses, overdue
milestones, goals with actuals. Reports reuse :func:`status_rows`; the CLI only lays the
rows out as a table, JSON or CSV (issue 4, part 6).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from zyklus import models
from zyklus.errors import LoadError, UsageError
from zyklus.files.cycles import cycle_year, earlier_cycles, read_cycle
from zyklus.files.workspace import CONFIG_FILE, RememberedDigest, Workspace
from zyklus.models import CITYWIDE
from zyklus.rules import gates
from zyklus.rules.duplicates import Structure, card_structure, offer_structure
from zyklus.suggest import unknown


@dataclass(frozen=True)
class StatusRow:
    project: str
    title: str
    phase: models.State
    since: date | None
    days_in_phase: int | None
    unmet: list[str] = field(default_factory=list)  # error criteria of the next gate
    warnings: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)  # milestone ids, due and not done
    goals: int = 0
    goals_with_actuals: int = 0
    card_valid: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {key: _plain(value) for key, value in asdict(self).items()}


def status_rows(
    ws: Workspace,
    year: int | None = None,
    *,
    phase: str | None = None,
    area: str | None = None,
    target_group: str | None = None,
    as_of: date | None = None,
) -> list[StatusRow]:
    """Rows sorted by project id; ``area`` also matches the areas inside it."""
    _check_filters(ws, area, target_group)
    year = cycle_year(ws, year)
    day = as_of or date.today()
    facts = gates.Facts(ws)  # one set of workspace facts for every project's gate
    config = ws.config

    def gate_digest(card: models.Card) -> _Card:  # in the worker that parsed the card
        return _Card(card.title, gates.gate_card(card, config), card_structure(card))

    # The cards and offers are parsed in workers while this process parses the cycle file
    # and reads the indicator values a gate out of analysis asks for; the workers send
    # what the rows need of a card, not the model, and what they sent is remembered
    # while the card (and zyklus.yaml) is unchanged: the next run parses none (issue 21).
    digest = RememberedDigest(gate_digest, "status-cards", (CONFIG_FILE,))
    offer = RememberedDigest(offer_structure, "status-offers")
    digests: dict[str, Callable[[Any], Any]] = {"projects": digest, "offers": offer}
    with ws.read_ahead("projects", "offers", digests=digests):
        cycle = read_cycle(ws, year)
        if phase in (None, "analysis") and any(
            s.phase == "analysis" for s in cycle.projects.values()
        ):
            facts.prepare("analysis")
        chain = _Earlier(ws, year)  # read only when a row looks back (issue 21)
        if any(_looks_back(s) for s in cycle.projects.values() if phase in (None, s.phase)):
            chain.cycles  # noqa: B018 (now, while the workers parse the cards, not after)
        cards = ws.digested("projects", digest).items
        offers = ws.digested("offers", offer).items
    facts.scanned = ([c.structure for c in cards.values()], offers.values())
    shown = []
    for project_id in sorted(cycle.projects):
        state = cycle.projects[project_id]
        if phase is not None and state.phase != phase:
            continue
        card = cards.get(project_id)
        if card is not None and not _matches(ws, card.gate, area, target_group):
            continue
        if card is None and (area is not None or target_group is not None):
            continue
        shown.append((project_id, state, card))
    # the needs gate's duplicate search, for every project in needs at once (in workers)
    facts.search_ahead(pid for pid, state, card in shown if state.phase == "needs" and card)
    return [_row(chain, facts, pid, state, card, day) for pid, state, card in shown]


def _check_filters(ws: Workspace, area: str | None, group: str | None) -> None:
    """An unknown ``--area`` or ``--target-group`` is a usage error, not an empty table."""
    problems = []
    groups = {t.id for t in ws.config.target_groups}
    if group is not None and group not in groups:
        problems.append(unknown("X-TG-UNKNOWN", group, groups))
    if area is not None and area != CITYWIDE:
        try:
            known = set(ws.areas.areas)
        except LoadError:
            known = set()  # validate names the broken table; the filter still works on ids
        if known and area not in known:
            problems.append(unknown("X-AREA-UNKNOWN", area, known | {CITYWIDE}))
    if problems:
        raise UsageError(problems)


@dataclass(frozen=True)
class _Card:
    """What a row needs of a card; made where the card was parsed."""

    title: str
    gate: gates.GateCard
    structure: Structure  # for the duplicate check of projects in *needs*


def _matches(ws: Workspace, card: gates.GateCard, area: str | None, group: str | None) -> bool:
    if group is not None and group not in card.target_groups:
        return False
    if area is None:
        return True
    try:
        table = ws.areas
    except LoadError:
        return area in card.areas or CITYWIDE in card.areas
    # as ``analyse`` counts who reaches an area: directly, citywide, through a parent area
    # or through an area inside it (issue 12)
    above = set(table.ancestors(area))
    return any(
        a in (area, CITYWIDE) or a in above or area in table.ancestors(a) for a in card.areas
    )


class _Earlier:
    """The cycles before ``year``, newest first, read when first asked for: a row looks
    back only when its own cycle does not say when the phase began or which milestones
    are done (at 10 000 projects the earlier cycle file is 7.6 MB)."""

    def __init__(self, ws: Workspace, year: int) -> None:
        self.ws = ws
        self.year = year

    @functools.cached_property
    def cycles(self) -> list[models.CycleState]:
        return earlier_cycles(self.ws, self.year)

    def __iter__(self) -> Iterator[models.CycleState]:
        return iter(self.cycles)


def _row(
    chain: Iterable[models.CycleState],
    facts: gates.Facts,
    project_id: str,
    state: models.ProjectState,
    card: _Card | None,
    day: date,
) -> StatusRow:
    since = entered(chain, project_id, state)
    days = (day - since).days if since is not None and since <= day else None
    if card is None:
        return StatusRow(project_id, project_id, state.phase, since, days, card_valid=False)
    findings = gates.next_gate(facts.ws, card.gate, state, day, locate=False, facts=facts)
    done = {m.id for m in state.milestones}
    due = [
        m
        for m in card.gate.milestones
        if m.due is not None
        and m.due < day
        and m.id not in done
        and state.phase not in models.END_STATES
    ]
    if due:  # done in an earlier cycle?
        for cycle in chain:
            earlier = cycle.projects.get(project_id)
            if earlier is not None:
                done.update(m.id for m in earlier.milestones)
    overdue = [m.id for m in due if m.id not in done]
    measured = {a.goal for a in state.actuals}
    return StatusRow(
        project=project_id,
        title=card.title,
        phase=state.phase,
        since=since,
        days_in_phase=days,
        unmet=[f.code for f in gates.unmet(findings)],
        warnings=[f.code for f in gates.unmet(findings, "warning")],
        overdue=overdue,
        goals=len(card.gate.goals),
        goals_with_actuals=sum(1 for g in card.gate.goals if g.id in measured),
    )


def _looks_back(state: models.ProjectState) -> bool:
    """True when this cycle does not say when the project entered its phase (a project
    carried over from the cycle before): :func:`entered` asks the earlier cycles."""
    return all(entry.to != state.phase for entry in state.history)


def entered(
    chain: Iterable[models.CycleState], project_id: str, state: models.ProjectState
) -> date | None:
    """When the project entered its current phase, looking back through earlier cycles
    (``chain``: the cycles before this one, newest first)."""
    for entry in reversed(state.history):
        if entry.to == state.phase:
            return entry.at.date()
    for cycle in chain:
        earlier = cycle.projects.get(project_id)
        if earlier is None or earlier.phase != state.phase:
            return None
        for entry in reversed(earlier.history):
            if entry.to == state.phase:
                return entry.at.date()
    return None


def _plain(value: Any) -> Any:
    """Dates as ISO text, for JSON and CSV."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
