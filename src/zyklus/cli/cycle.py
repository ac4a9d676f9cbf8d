"""Commands of the cycle engine: ``cycle start``, ``advance``, ``record``, ``status``, ``gates``.

Each parses options, calls one function of :mod:`zyklus.cycle` (or :mod:`zyklus.report.status`,
:mod:`zyklus.rules.gates`) and prints the result; refusals come back as located problems.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from zyklus.cli._common import (
    LangOption,
    WorkspaceOption,
    complete_cycle,
    complete_project,
    in_workspace,
    output_format,
    resolve_lang,
)

if TYPE_CHECKING:
    from datetime import date

    from zyklus.report.status import StatusRow

cycle_app = typer.Typer(
    help="Open a planning cycle.\n\nExample: zyklus cycle start 2027 --from 2024",
    no_args_is_help=True,
    rich_markup_mode=None,
)
record_app = typer.Typer(
    help=(
        "Record what happened: actuals of goals, milestones done, the evaluation.\n\n"
        "Example: zyklus record milestone jobcenter-im-quartier M1 --done 2027-02-03"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

CycleOption = Annotated[
    int | None,
    typer.Option(
        "--cycle",
        help="The cycle year (default: current_cycle in zyklus.yaml).",
        autocompletion=complete_cycle,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who acts (default: git config user.name, else the login name)."),
]
ReplaceOption = Annotated[bool, typer.Option("--replace", help="Replace what is recorded already.")]
FutureOption = Annotated[bool, typer.Option("--allow-future", help="Accept a date after today.")]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cycle_start(
    year: Annotated[int, typer.Argument(help="The year of the new cycle, e.g. 2027.")],
    from_year: Annotated[
        int | None,
        typer.Option("--from", help="The cycle to carry over from (default: the newest before)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note on the cycle.")] = None,
    by: ByOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Open cycles/<year>.yaml: projects carry over with their phase (except done and
    stopped); cards never in a cycle join at analysis.

    Example: zyklus cycle start 2027 --from 2024
    """
    from zyklus.cycle import start_cycle
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        result = start_cycle(ws, year, from_year, by=by, note=note)
        current = ws.config.current_cycle
        recheck = None
        if result.state.previous is not None:
            from zyklus.errors import ZyklusError
            from zyklus.needs.recheck import recheck as recheck_needs

            try:
                recheck = recheck_needs(ws, result.state)
            except ZyklusError:  # bad data files: validate names them; the cycle is open
                recheck = None
    none = message("gate-none", language)
    _out(message("cycle-started", language, year=year, path=ws.display(ws.cycle_path(year))))
    _out(
        message(
            "cycle-started-counts",
            language,
            previous=result.state.previous or none,
            carried=result.carried or none,
            joined=result.joined or none,
            ended=result.ended or none,
        )
    )
    rounds = sum(len(s.evaluations) for s in result.state.projects.values())
    decisions = sum(len(s.decisions) for s in result.state.projects.values())
    if rounds or decisions:
        _out(message("loop-carried-rounds", language, rounds=rounds, decisions=decisions))
    if recheck is not None and result.state.previous is not None:
        from zyklus.cli.loop import recheck_summary

        _out(recheck_summary(recheck, result.state.previous, language))
    if current != year:
        _out(message("cycle-started-hint", language, current=current or none, year=year))


def advance(
    project_id: Annotated[
        str,
        typer.Argument(
            help="The project id (file name of its card).", autocompletion=complete_project
        ),
    ],
    to: Annotated[
        str | None,
        typer.Option("--to", help="Target phase (default: the next one).", metavar="PHASE"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Move although criteria are unmet (needs --reason).")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why; needed with --force and to move back.")
    ] = None,
    by: ByOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and show the move; write nothing.")
    ] = False,
    cycle: CycleOption = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge due dates as of this day (YYYY-MM-DD).")
    ] = None,
    as_offer: Annotated[
        bool,
        typer.Option("--as-offer", help="Completing: write offers/<id>.yaml from the card."),
    ] = False,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Move a project to its next phase when the gate's criteria are met; print every
    unmet criterion with the card's file and line otherwise.

    Example: zyklus advance jobcenter-im-quartier --to implementation
    """
    from zyklus import cycle as engine
    from zyklus.cli.terminal import print_problems
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        result = engine.advance(
            ws,
            project_id,
            to=engine.parse_phase(to) if to is not None else None,
            force=force,
            reason=reason,
            by=by,
            dry_run=dry_run,
            year=cycle,
            as_of=engine.parse_date(as_of, "--as-of") if as_of else None,
            as_offer=as_offer,
        )
        offer_path = ws.display(ws.root / "offers" / f"{result.offer}.yaml") if result.offer else ""
    warnings = [f.problem for f in result.findings if not f.met and f.severity == "warning"]
    print_problems([p for p in warnings if p is not None], language)
    params = {"id": project_id, "from": result.from_phase, "to": result.to_phase}
    _out(
        message(
            "cycle-moved-dry" if dry_run else "cycle-moved", language, **params, year=result.year
        )
    )
    if result.entry.forced:
        _out(
            message("cycle-forced", language, reason=result.entry.reason, codes=result.entry.unmet)
        )
    if result.entry.without_decision:
        bodies = ", ".join(result.entry.without_decision)
        _out(message("loop-without-decision", language, bodies=bodies))
    if result.offer and not dry_run:
        _out(message("loop-offer-written", language, path=offer_path))


def record_actual(
    project_id: Annotated[
        str, typer.Argument(help="The project id.", autocompletion=complete_project)
    ],
    goal: Annotated[str, typer.Argument(help="The goal id from the card, e.g. G1.")],
    value: Annotated[
        str | None,
        typer.Argument(help="The value in the goal's unit: 12500 or 12.5 (no 12.500, no 1,5)."),
    ] = None,
    on: Annotated[
        str | None, typer.Option("--date", help="When it was measured (YYYY-MM-DD).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Where the value comes from.")] = None,
    not_measured: Annotated[
        str | None,
        typer.Option("--not-measured", help="Record instead why the goal was not measured."),
    ] = None,
    replace: ReplaceOption = False,
    allow_future: FutureOption = False,
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record the actual value of a goal (or why it was not measured).

    Example: zyklus record actual jobcenter-im-quartier G2 9 --date 2027-05-31
    """
    from zyklus import cycle as engine
    from zyklus.errors import Problem, UsageError
    from zyklus.files.cycles import cycle_year
    from zyklus.i18n import format_quantity, message

    with in_workspace(lang, workspace) as (ws, language):
        year = cycle_year(ws, cycle)
        if not_measured is not None and value is None and on is None:
            engine.record_not_measured(
                ws, project_id, goal, not_measured, replace=replace, year=year
            )
            _out(
                message(
                    "cycle-recorded-not-measured", language, id=project_id, goal=goal, year=year
                )
            )
            return
        if value is None or on is None or not_measured is not None:
            raise UsageError([Problem("CY-RECORD-ARGS")])
        recorded = engine.record_actual(
            ws,
            project_id,
            goal,
            engine.parse_number(value),
            engine.parse_date(on),
            note=note,
            replace=replace,
            allow_future=allow_future,
            year=year,
        )
    _out(
        message(
            "cycle-recorded-actual",
            language,
            id=project_id,
            goal=goal,
            value=format_quantity(recorded.actual.value, recorded.unit, language),
            date=recorded.actual.date,
            year=year,
        )
    )


def record_milestone(
    project_id: Annotated[
        str, typer.Argument(help="The project id.", autocompletion=complete_project)
    ],
    milestone: Annotated[str, typer.Argument(help="The milestone id from the card, e.g. M1.")],
    done: Annotated[str, typer.Option("--done", help="When it was done (YYYY-MM-DD).")],
    replace: ReplaceOption = False,
    allow_future: FutureOption = False,
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record that a milestone of the card is done.

    Example: zyklus record milestone jobcenter-im-quartier M1 --done 2027-02-03
    """
    from zyklus import cycle as engine
    from zyklus.files.cycles import cycle_year
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        year = cycle_year(ws, cycle)
        entry = engine.record_milestone(
            ws,
            project_id,
            milestone,
            engine.parse_date(done, "--done"),
            replace=replace,
            allow_future=allow_future,
            year=year,
        )
    _out(
        message(
            "cycle-recorded-milestone",
            language,
            id=project_id,
            milestone=milestone,
            date=entry.done,
            year=year,
        )
    )


def record_evaluation(
    project_id: Annotated[
        str, typer.Argument(help="The project id.", autocompletion=complete_project)
    ],
    verdict: Annotated[
        str,
        typer.Option(
            "--verdict",
            help="continue, adjust, stop or complete (fortsetzen, anpassen, beenden, abschließen).",
            metavar="VERDICT",
        ),
    ],
    summary: Annotated[str, typer.Option("--summary", help="What the evaluation found.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Date of the evaluation (default: today).")
    ] = None,
    by: ByOption = None,
    replace: ReplaceOption = False,
    allow_future: FutureOption = False,
    as_offer: Annotated[
        bool,
        typer.Option("--as-offer", help="With complete: the measure becomes an offer."),
    ] = False,
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record an evaluation round: continue (→ back to implementation, carried into the
    next cycle), adjust (→ back to planning), stop (→ stopped) or complete (→ done;
    with --as-offer it becomes an offer). Earlier rounds are kept.

    Example: zyklus record evaluation jobcenter-im-quartier --verdict fortsetzen
    --summary "Beratung wird angenommen"
    """
    from zyklus import cycle as engine
    from zyklus.files.cycles import cycle_year
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        year = cycle_year(ws, cycle)
        evaluation = engine.record_evaluation(
            ws,
            project_id,
            engine.parse_verdict(verdict),
            summary,
            on=engine.parse_date(on) if on else None,
            by=by,
            replace=replace,
            allow_future=allow_future,
            as_offer=as_offer,
            year=year,
        )
        from zyklus.files.cycles import read_cycle

        number = len(read_cycle(ws, year).projects[project_id].evaluations)
    _out(
        message(
            "loop-recorded-round",
            language,
            id=project_id,
            round=number,
            verdict=message(f"loop-verdict-{evaluation.verdict}", language),
            year=year,
        )
    )


def status(
    cycle: CycleOption = None,
    phase: Annotated[
        str | None, typer.Option("--phase", help="Only projects in this phase.")
    ] = None,
    area: Annotated[
        str | None, typer.Option("--area", help="Only projects in this area (or inside it).")
    ] = None,
    target_group: Annotated[
        str | None, typer.Option("--target-group", help="Only projects for this target group.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge due dates as of this day (YYYY-MM-DD).")
    ] = None,
    output: Annotated[
        str, typer.Option("--format", help="table, json or csv.", metavar="table|json|csv")
    ] = "table",
    plain: Annotated[
        bool,
        typer.Option("--plain", help="CSV for scripts: ',' '.' no BOM, ids as headers."),
    ] = False,
    pending_decisions: Annotated[
        bool,
        typer.Option(
            "--pending-decisions",
            help="List what waits for which body's decision (the next meeting's agenda); "
            "table, json or csv.",
        ),
    ] = False,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Where every project of the cycle stands: phase, days in it, what its next gate
    still misses, overdue milestones, goals with actuals.

    Example: zyklus status --phase planning --as-of 2027-06-30
    """
    from datetime import date

    from zyklus import cycle as engine
    from zyklus.files.cycles import cycle_year
    from zyklus.report.status import status_rows

    output = output_format("status", output, lang)
    if pending_decisions:
        from zyklus.cli.loop import print_pending
        from zyklus.report.pending import pending_decisions as pending

        with in_workspace(lang, workspace) as (ws, language):
            from zyklus.files.cycles import cycle_year

            year = cycle_year(ws, cycle)
            items = pending(ws, year, "en" if language == "en" else "de")
        print_pending(items, year, language, output)
        return
    with in_workspace(lang, workspace) as (ws, language):
        year = cycle_year(ws, cycle)
        day = engine.parse_date(as_of, "--as-of") if as_of else date.today()
        rows = status_rows(
            ws,
            year,
            phase=engine.parse_phase(phase) if phase is not None else None,
            area=area,
            target_group=target_group,
            as_of=day,
        )
    if output == "json":
        from zyklus.cli.terminal import write_json

        write_json([r.as_dict() for r in rows])
    elif output == "csv":
        _write_csv(rows, language, plain=plain)
    else:
        _status_table(rows, year, day, language)


def _write_csv(rows: list[StatusRow], language: str, *, plain: bool) -> None:
    """CSV for Excel in the user's language, or plain for scripts (issue 17)."""
    from zyklus.sheets.export import Spec, status_sheet
    from zyklus.sheets.writers import csv_bytes

    sys.stdout.flush()
    sys.stdout.buffer.write(
        csv_bytes(status_sheet(rows, Spec(language, plain)), language, plain=plain)
    )


def _status_table(rows: list[StatusRow], year: int, day: date, language: str) -> None:
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import message

    cells = []
    for row in rows:
        if not row.card_valid:
            unmet = message("cycle-card-invalid", language)
        elif row.phase in ("done", "stopped"):
            unmet = ""
        elif row.unmet or row.warnings:
            unmet = f"{len(row.unmet)}: {', '.join([*row.unmet, *row.warnings])}"
        else:
            unmet = "0"
        cells.append(
            [
                row.project,
                message(f"report-phase-{row.phase}", language),  # as the report names it
                row.days_in_phase,
                unmet,
                ", ".join(row.overdue),
                f"{row.goals_with_actuals}/{row.goals}",
            ]
        )
    columns = ["project", "phase", "days", "unmet", "overdue", "actuals"]
    print_table(
        message("cycle-status-title", language, year=year, as_of=day),
        [message(f"cycle-col-{c}", language) for c in columns],
        cells,
    )
    if not rows:
        sys.stderr.write(message("cycle-status-empty", language) + "\n")


def gates(
    output: Annotated[
        str, typer.Option("--format", help="table or markdown.", metavar="table|markdown")
    ] = "table",
    lang: LangOption = None,
) -> None:
    """Print every gate criterion: move, code, what it asks (docs/gates.md is made from it).

    Example: zyklus gates --lang en
    """
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import message
    from zyklus.rules import gates as gate_table

    output = output_format("gates", output, lang)
    language = resolve_lang(lang)
    if output == "markdown":
        sys.stdout.write(gate_table.markdown())
        return
    columns = ["move", "code", "severity", "criterion"]
    print_table(
        message("cycle-gates-title", language),
        [message(f"cycle-col-{c}", language) for c in columns],
        gate_table.table_rows(language),
    )


def register(app: typer.Typer) -> None:
    from zyklus.cli import loop

    cycle_app.command("start")(cycle_start)
    record_app.command("actual")(record_actual)
    record_app.command("milestone")(record_milestone)
    record_app.command("evaluation")(record_evaluation)
    loop.register(app, record_app)
    app.add_typer(cycle_app, name="cycle")
    app.add_typer(record_app, name="record")
    app.command()(advance)
    app.command()(status)
    app.command()(gates)
