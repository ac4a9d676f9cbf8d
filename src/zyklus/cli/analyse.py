"""``zyklus analyse``: the small-area analysis as tables, Markdown or JSON (issue 5)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zyklus.cli._common import (
    LangOption,
    WorkspaceOption,
    complete_indicator,
    in_workspace,
    output_format,
)


def analyse(
    indicator: Annotated[
        str | None,
        typer.Option(
            "--indicator",
            help="Only this indicator (id from zyklus.yaml).",
            autocompletion=complete_indicator,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Period (2023-12-31 or 31.12.2023); default: the latest."),
    ] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="Only this level of data/areas.csv.")
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="table, json or md.", metavar="table|json|md")
    ] = "table",
    small: Annotated[
        bool,
        typer.Option("--small", help="Also rank areas below an indicator's min_base (flagged)."),
    ] = False,
    every_level: Annotated[
        bool,
        typer.Option(
            "--every-level", help="Also list hidden hotspots against every ancestor level."
        ),
    ] = False,
    since: Annotated[
        int | None,
        typer.Option(
            "--since",
            help="Re-check the needs of the projects of this cycle against the newest data.",
            metavar="YEAR",
        ),
    ] = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Show where the needs are: rankings, hidden hotspots, coverage, gaps, duplicates.

    Each area is compared with the city value; hotspots inside areas that look average,
    the projects that reach each hotspot and possible duplicate structures are listed.

    Example: zyklus analyse --indicator arbeitslosenanteil --level ba-distrikt
    """
    from zyklus.files.workers import collector_paused

    output = output_format("analyse", output, lang)
    # The indicator table is half a million values in dictionaries of tuples that hold no
    # cycles: the collector would walk them again each time the heap grows by a quarter,
    # a third of the run at 10 000 areas × 10 periods (issue 18); peak memory is the same.
    with collector_paused():
        _analyse(indicator, period, level, output, small, every_level, since, lang, workspace)


def _analyse(
    indicator: str | None,
    period: str | None,
    level: str | None,
    output: str,
    small: bool,
    every_level: bool,
    since: int | None,
    lang: str | None,
    workspace: Path | None,
) -> None:
    from zyklus.errors import UsageError
    from zyklus.files.tables import parse_period
    from zyklus.needs.analysis import analyse as run

    if since is not None:  # the needs re-check of the next cycle (issue 14)
        from zyklus.cli.loop import print_recheck
        from zyklus.needs.recheck import as_dict, recheck_since

        with in_workspace(lang, workspace) as (ws, language):
            checked = recheck_since(ws, since)
        if output == "json":
            from zyklus.cli.terminal import write_json

            write_json(as_dict(checked))
        else:
            print_recheck(checked, since, language)
        return
    with in_workspace(lang, workspace) as (ws, language):
        when = None
        if period is not None:
            when = parse_period(period.strip())
            if when is None:
                raise UsageError.single("A-PERIOD-FORMAT", text=period)
        result = run(
            ws,
            indicator=indicator,
            period=when,
            level=level,
            include_small=small,
            every_level=every_level,
        )
        config = ws.config
    if output == "json":
        from zyklus.cli.terminal import write_json

        write_json(result)  # streamed: 2 million values must not become one string
        return
    from zyklus.report.tables import build_sections, markdown

    sections = build_sections(result, config, language)
    if output == "md":
        sys.stdout.write(markdown(sections))
        return
    from zyklus.cli.terminal import print_line, print_table

    for title, columns, rows in sections:
        if columns:
            print_table(title, columns, rows)
        else:
            print_line(title)
        sys.stdout.write("\n")


def register(app: typer.Typer) -> None:
    app.command()(analyse)
