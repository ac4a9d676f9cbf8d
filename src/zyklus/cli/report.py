"""``zyklus report``: the committee report of a cycle as Markdown and HTML (issue 6)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zyklus.cli._common import (
    LangOption,
    WorkspaceOption,
    in_workspace,
    output_format,
)


def report(
    cycle: Annotated[
        int | None,
        typer.Option("--cycle", help="Year of the cycle (default: current_cycle in zyklus.yaml)."),
    ] = None,
    output: Annotated[
        str,
        typer.Option(
            "--format",
            help="md, html, pdf (printed by headless Chromium) or all (md and html).",
            metavar="md|html|pdf|all",
        ),
    ] = "all",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Report date YYYY-MM-DD: overdue milestones, days in phase (default: today).",
            metavar="DATE",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder to write into (default: reports/<cycle>/).", file_okay=False
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option("--project", help="Only this project (files report-<id>.md/.html)."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Refuse when a card or offer has errors."),
    ] = False,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write the committee report of a cycle (Markdown, a self-contained HTML page, or PDF).

    It answers, in order: what the steering committee decides on (summary, decisions needed,
    one overview row per project with its traffic light), needs with map, target groups and
    strategic goals, goal attainment, money, evaluations, what changed since the previous
    cycle; then one page per project and the notes for the planners. Values from
    illustrative entries are marked.

    Example: zyklus report --cycle 2027 --as-of 2027-09-30
    """
    from datetime import date

    from zyklus.i18n import message
    from zyklus.report import build as core

    chosen = output_format("report", output, lang)
    with in_workspace(lang, workspace) as (ws, language):
        formats = core.parse_formats(chosen)
        day = core.parse_as_of(as_of)
        year = core.resolve_cycle(ws, cycle)
        built = core.build(
            ws, year, lang=language, as_of=day or date.today(), project=project, strict=strict
        )
        paths = core.write(ws, built, formats, out)
    if built.invalid:
        from zyklus.cli.terminal import print_problems

        print_problems(core.invalid_problems(ws), language)
    if day is None:
        sys.stderr.write(message("report-as-of-today", language, date=built.meta.as_of) + "\n")
    for path in paths:
        sys.stdout.write(message("report-written", language, path=ws.display(path)) + "\n")


def register(app: typer.Typer) -> None:
    app.command()(report)
