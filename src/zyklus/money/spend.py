"""``zyklus record spend``: money spent on a project, in the cycle file like actuals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from zyklus import models, values
from zyklus.amounts import AmountError, parse_amount
from zyklus.cycle import valid_card, with_project
from zyklus.errors import Problem, StateError, UsageError
from zyklus.files.cycles import cycle_year, update_cycle
from zyklus.files.workspace import Workspace
from zyklus.suggest import unknown


def parse_amount_arg(text: str) -> Decimal:
    """AMOUNT on the command line: ``12500`` or ``12500.50``; ``12.500`` and ``1,5`` refused."""
    try:
        return parse_amount(text)
    except AmountError as exc:
        params = {"text": exc.text}
        if exc.code == "S-AMBIGUOUS-NUMBER":  # the value's readings (issue 12)
            params["readings"] = values.number_readings(exc.text)
        raise UsageError([Problem(exc.code, params=params)]) from None


def add_spend(state: models.ProjectState, spend: models.Spend) -> models.ProjectState:
    """Kept in date order; the very same entry twice is refused (a command run twice)."""
    if spend in state.spend:
        params = {"amount": spend.amount, "date": spend.date}
        raise StateError([Problem("M-SPEND-EXISTS", params=params)])
    entries = sorted([*state.spend, spend], key=lambda s: s.date)
    return state.model_copy(update={"spend": entries})


def record_spend(
    ws: Workspace,
    project_id: str,
    amount: Decimal,
    on: date,
    *,
    funder: str | None = None,
    note: str | None = None,
    allow_future: bool = False,
    year: int | None = None,
    today: date | None = None,
) -> models.Spend:
    """Append one spending entry under the cycle file's lock; a refusal writes nothing."""
    year = cycle_year(ws, year)
    valid_card(ws, project_id)
    funders = {f.id for f in ws.config.funders}
    if funder is not None and funder not in funders:
        raise UsageError([unknown("M-FUNDER-UNKNOWN", funder, funders, path="zyklus.yaml")])
    if not allow_future and on > (today or date.today()):
        raise StateError([Problem("CY-FUTURE-DATE", params={"date": on})])
    spend = models.Spend(amount=amount, date=on, funder=funder, note=note or None)
    shown = ws.display(ws.cycle_path(year))

    def change(cycle: models.CycleState) -> models.CycleState:
        state = cycle.projects.get(project_id)
        if state is None:
            params = {"id": project_id, "year": cycle.cycle}
            raise StateError([Problem("CY-NOT-IN-CYCLE", path=shown, params=params)])
        try:
            return with_project(cycle, project_id, add_spend(state, spend))
        except StateError as exc:
            located = [Problem(p.code, path=shown, params=p.params) for p in exc.problems]
            raise StateError(located) from None

    update_cycle(ws, year, change)
    return spend
