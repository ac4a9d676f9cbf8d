"""``zyklus cycle add``: a card written by hand or merged from a branch joins the cycle.

Kept apart from :mod:`zyklus.cli.cycle` so the cycle loop can grow there (issue 12).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from zyklus.cli._common import LangOption, WorkspaceOption, complete_project, in_workspace
from zyklus.cli.cycle import ByOption, CycleOption, cycle_app


def cycle_add(
    project_ids: Annotated[
        list[str] | None,
        typer.Argument(
            help="Project ids (file names of their cards).",
            metavar="ID…",
            autocompletion=complete_project,
        ),
    ] = None,
    all_new: Annotated[
        bool, typer.Option("--all-new", help="Every card that is in no cycle yet.")
    ] = False,
    cycle: CycleOption = None,
    by: ByOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Add cards to a running cycle; they join at analysis.

    \b
    Example: zyklus cycle add bewerbungscafe-im-quartier
    Example: zyklus cycle add --all-new
    """
    from zyklus.cycle import add_to_cycle
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        result = add_to_cycle(ws, project_ids or [], all_new=all_new, year=cycle, by=by)
    for project_id in result.added:
        sys.stdout.write(message("cycle-added", language, id=project_id, year=result.year) + "\n")
    for project_id in result.already:
        sys.stdout.write(
            message("cycle-add-already", language, id=project_id, year=result.year) + "\n"
        )


def register(app: typer.Typer) -> None:
    cycle_app.command("add")(cycle_add)
