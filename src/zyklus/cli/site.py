"""``zyklus site``: the static site of the workspace for partners and the public (issue 19)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zyklus.cli._common import LangOption, WorkspaceOption, in_workspace


def site(
    cycle: Annotated[
        int | None,
        typer.Option("--cycle", help="Cycle year (default: current_cycle).", metavar="YEAR"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the site (default: reports/site).", metavar="DIR"),
    ] = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write a static, multi-page site of the cycle: projects, areas, offers, target groups.

    No server and no JavaScript needed; cards with `visibility: internal` and every card's
    `internal:` notes are never published.

    Example: zyklus site --out public
    """
    from zyklus.files.output import write_tree
    from zyklus.i18n import message
    from zyklus.report.build import output_dir
    from zyklus.site.build import build_site
    from zyklus.site.render import render_site

    with in_workspace(lang, workspace) as (ws, language):
        built = build_site(ws, cycle, "en" if language == "en" else "de")
        pages = render_site(ws, built)
        folder = (
            output_dir(ws, built.cycle, out) if out is not None else ws.root / "reports" / "site"
        )
        write_tree(folder, pages)
    typer.echo(
        message(
            "site-written",
            language,
            count=len(pages),
            path=ws.display(folder),
            hidden=built.hidden,
        )
    )


def register(app: typer.Typer) -> None:
    app.command()(site)
