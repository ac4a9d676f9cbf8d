"""Funding calls and the drafts that fit them (seed Kap. 9.3).

„Förderaufrufe der einschlägigen Fördermittelgeber … bieten ebenso einen Anlass, … bereits
vorhandene Projektentwürfe für eine Antragsstellung zu verwenden.“ A project fits an open
call when it shares a target group, its themes and areas overlap the call's, and it has no
granted funding yet; each match says why. A call whose deadline has passed is not open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zyklus import models
from zyklus.amounts import planned_cost
from zyklus.errors import LoadError
from zyklus.files.cycles import read_cycle
from zyklus.files.funding import load_calls
from zyklus.files.tables import AreaTable
from zyklus.files.workspace import CITYWIDE, Workspace
from zyklus.i18n import Msg


@dataclass(frozen=True)
class CallMatch:
    project: str
    title: str
    phase: str | None
    reasons: list[Msg]
    cost: Decimal | None = None


@dataclass(frozen=True)
class CallView:
    call: models.FundingCall
    funder: str  # the funder's name
    days_left: int
    matches: list[CallMatch] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _area_overlap(
    card_areas: list[str], call_areas: list[str], table: AreaTable
) -> list[Msg] | None:
    """Why the areas overlap (a reason per pair), or None when they do not."""
    if not call_areas or CITYWIDE in call_areas:
        return [Msg("money-reason-area-any")]
    reasons: list[Msg] = []
    for area in card_areas:
        if area == CITYWIDE:
            reasons.append(Msg("money-reason-area-citywide"))
            continue
        ancestors = set(table.ancestors(area)) if area in table else set()
        for other in call_areas:
            if other == area:
                reasons.append(Msg("money-reason-area-same", area=area))
            elif other in ancestors:
                reasons.append(Msg("money-reason-area-within", area=area, other=other))
            elif other in table and area in set(table.ancestors(other)):
                reasons.append(Msg("money-reason-area-contains", area=area, other=other))
    return reasons or None


def match(
    call: models.FundingCall, card: models.Card, table: AreaTable, phase: str | None
) -> CallMatch | None:
    """The match of one card with one call, with its reasons; None when it does not fit."""
    if phase in models.END_STATES:
        return None
    if any(line.status == "granted" for line in card.funding):
        return None
    reasons: list[Msg] = []
    if call.target_groups:
        shared = [g for g in card.target_groups if g in call.target_groups]
        if not shared:
            return None
        reasons.append(Msg("money-reason-target-groups", ids=shared))
    if call.themes and card.themes:
        wanted = {_norm(t) for t in call.themes}
        themes = [t for t in card.themes if _norm(t) in wanted]
        if not themes:
            return None
        reasons.append(Msg("money-reason-themes", themes=themes))
    elif call.themes:
        return None  # a card without themes cannot show that it fits a themed call
    areas = _area_overlap(list(card.areas), list(call.areas), table)
    if areas is None:
        return None
    reasons.extend(areas)
    reasons.append(Msg("money-reason-no-grant"))
    return CallMatch(card.id, card.title, phase, reasons, planned_cost(card.resources))


def funding_calls(
    ws: Workspace, as_of: date, year: int | None, *, include_closed: bool = False
) -> list[CallView]:
    """Open calls by deadline (then id), each with the projects that fit it."""
    loaded = load_calls(ws)
    ws.require(ws.cards)
    if loaded.problems:
        raise LoadError(loaded.problems)
    try:
        table = ws.areas
    except LoadError:
        table = AreaTable()
    phases: dict[str, str] = {}
    if year is not None and year in ws.cycle_years():
        phases = {pid: s.phase for pid, s in read_cycle(ws, year).projects.items()}
    names = {f.id: f.name for f in ws.config.funders}
    calls = sorted(loaded.items.values(), key=lambda c: (c.deadline, c.id))
    cards = sorted(ws.cards.items.values(), key=lambda c: c.id)
    out = []
    for call in calls:
        if call.deadline < as_of and not include_closed:
            continue
        matches = []
        if call.deadline >= as_of:
            for card in cards:
                found = match(call, card, table, phases.get(card.id))
                if found is not None:
                    matches.append(found)
        out.append(
            CallView(
                call, names.get(call.funder, call.funder), (call.deadline - as_of).days, matches
            )
        )
    return out
