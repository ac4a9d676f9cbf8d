"""The report's "Fortschreibung" section (issue 14): the needs re-check of a new cycle.

A plain data object the templates ``_report_fortschreibung.{md,html}.j2`` lay out; the
comparison itself is :func:`zyklus.needs.recheck.recheck`. A cycle without a previous one
has no such section; unreadable data leaves it out (``validate`` names the problem).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from zyklus import models
from zyklus.errors import ZyklusError
from zyklus.files.workspace import Workspace
from zyklus.needs.analysis import Analysis
from zyklus.needs.recheck import NeedCheck, OpenHotspot, recheck


@dataclass(frozen=True)
class Fortschreibung:
    since: int
    period: date | None
    resolved: tuple[NeedCheck, ...]
    worse: tuple[NeedCheck, ...]
    open_hotspots: tuple[OpenHotspot, ...]
    checked: int  # pieces of evidence compared
    stale: int  # of which without newer data

    @property
    def has_new_data(self) -> bool:
        return self.checked > self.stale


def shape_fortschreibung(
    ws: Workspace, state: models.CycleState, analysis: Analysis | None = None
) -> Fortschreibung | None:
    """``analysis``: the needs section's analysis (the same phases), so it runs once."""
    if state.previous is None:
        return None
    try:
        result = recheck(ws, state, analysis=analysis)
    except ZyklusError:
        return None
    stale = len(result.having("stale"))
    return Fortschreibung(
        since=state.previous,
        period=result.newest,
        resolved=result.resolved,
        worse=result.worse,
        open_hotspots=result.open_hotspots,
        checked=len(result.checks),
        stale=stale,
    )
