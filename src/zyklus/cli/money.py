"""Commands of partners and money: ``partners``, ``budget``, ``funding``, ``record spend``.

Each parses options, calls one function of :mod:`zyklus.money` and renders its plain data.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from zyklus.cli._common import (
    LangOption,
    TableOrJsonOption,
    WorkspaceOption,
    in_workspace,
    output_format,
)

if TYPE_CHECKING:
    from zyklus.money.budget import BudgetTable
    from zyklus.money.calls import CallView
    from zyklus.money.partners import PartnerView

CycleOption = Annotated[
    int | None,
    typer.Option("--cycle", help="The cycle year (default: current_cycle in zyklus.yaml)."),
]


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def partners(
    partner_id: Annotated[
        str | None, typer.Argument(help="One partner id (default: every partner).")
    ] = None,
    output: TableOrJsonOption = "table",
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Per Bündnis partner: the projects it takes part in (role, phase) and its offers.

    Example: zyklus partners jobcenter
    """
    from zyklus.files.cycles import cycle_year
    from zyklus.money.partners import partner_overview

    output = output_format("partners", output, lang)
    with in_workspace(lang, workspace) as (ws, language):
        views = partner_overview(ws, cycle_year(ws, cycle), partner_id)
    if output == "json":
        from zyklus.cli.terminal import write_json

        write_json([_partner_data(v) for v in views])
        return
    _partners_table(views, language)


def _partner_data(view: PartnerView) -> dict[str, object]:
    p = view.partner
    return {
        "id": p.id,
        "name": p.name,
        "kind": p.kind,
        "level": list(p.level),
        "contact": p.contact,
        "projects": [vars(i) for i in view.projects],
        "offers": [{k: v for k, v in vars(i).items() if k != "phase"} for i in view.offers],
        "funders": view.funders,
        "sources": [vars(i) for i in view.sources],
    }


def _partners_table(views: list[PartnerView], language: str) -> None:
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import message, one_line

    rows = []
    for view in views:
        p = view.partner
        kind = message(f"money-kind-{p.kind}", language)
        level = ", ".join(p.level)
        head = [p.id, p.name, kind, level]
        items = [
            *(
                (message("money-in-project", language), i.id, i.role or "", i.phase or "")
                for i in view.projects
            ),
            *((message("money-in-offer", language), i.id, i.role or "", "") for i in view.offers),
            *((message("money-in-funder", language), f, "", "") for f in view.funders),
            *(
                (message("money-in-source", language), i.id, i.role or "", i.phase or "")
                for i in view.sources
            ),
        ]
        if not items:
            rows.append([one_line(c) for c in (*head, message("money-none", language), "", "", "")])
        for n, item in enumerate(items):
            rows.append([one_line(c) for c in (*(head if n == 0 else ["", "", "", ""]), *item)])
    columns = ["partner", "name", "kind", "level", "where", "id", "role", "phase"]
    print_table(
        message("money-partners-title", language),
        [message(f"money-col-{c}", language) for c in columns],
        rows,
    )


def budget(
    by: Annotated[
        str,
        typer.Option("--by", help="project, funder, target-group or year.", metavar="VIEW"),
    ] = "project",
    output: Annotated[
        str, typer.Option("--format", help="table, json or csv.", metavar="table|json|csv")
    ] = "table",
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Planned cost, requested and granted funding, own share, spent and open, in EUR.

    Example: zyklus budget --by funder --format csv
    """
    from zyklus.files.cycles import cycle_year
    from zyklus.money.budget import budget as budget_table
    from zyklus.money.budget import parse_view

    output = output_format("budget", output, lang)
    with in_workspace(lang, workspace) as (ws, language):
        table = budget_table(ws, parse_view(by), cycle_year(ws, cycle))
    if output == "json":
        from zyklus.cli.terminal import write_json
        from zyklus.money.export import table_data

        write_json(table_data(table, language))
    elif output == "csv":
        from zyklus.money.export import table_csv

        sys.stdout.write(table_csv(table, language))
    else:
        _budget_table(table, language)


def _budget_table(table: BudgetTable, language: str) -> None:
    from zyklus.amounts import format_eur
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import message, one_line
    from zyklus.money.export import text

    marker = message("money-illustrative-marker", language)

    def cells(row: object) -> list[str]:
        from zyklus.money.budget import BudgetRow

        assert isinstance(row, BudgetRow)
        label = one_line(text(row.label, language)) + (f" {marker}" if row.illustrative else "")
        head = [row.key, label] + ([row.phase or ""] if table.by == "project" else [])
        return head + [format_eur(row.values.get(c), language) for c in table.columns]

    rows = [cells(r) for r in table.rows]
    if table.total is not None:
        total = cells(table.total)
        total[1] = text(table.total.label, language)
        rows.append(total)
    first = ["key", "label"] + (["phase"] if table.by == "project" else [])
    print_table(
        message(
            "money-budget-title",
            language,
            view=message(f"money-view-{table.by}", language),
            year=table.cycle,
        ),
        [message(f"money-col-{c}", language) for c in [*first, *table.columns]],
        rows,
    )
    given = ", ".join(
        message(
            "money-given",
            language,
            column=message(f"money-col-{c}", language),
            count=table.given[c],
            rows=len(table.rows),
        )
        for c in table.columns
    )
    _out(message("money-given-line", language, given=given))
    for note in table.notes:
        _out(text(note, language))
    if table.illustrative:
        _out(message("money-illustrative-note", language, marker=marker))


def funding(
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge deadlines as of this day (YYYY-MM-DD).")
    ] = None,
    include_closed: Annotated[
        bool, typer.Option("--all", help="List calls past their deadline too.")
    ] = False,
    output: TableOrJsonOption = "table",
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Open funding calls (funding/*.yaml) by deadline, each with the projects that fit.

    Example: zyklus funding --as-of 2027-01-15
    """
    from datetime import date

    from zyklus.cycle import parse_date
    from zyklus.files.cycles import cycle_year
    from zyklus.money.calls import funding_calls

    output = output_format("funding", output, lang)
    with in_workspace(lang, workspace) as (ws, language):
        day = parse_date(as_of, "--as-of") if as_of else date.today()
        views = funding_calls(ws, day, cycle_year(ws, cycle), include_closed=include_closed)
    if output == "json":
        from zyklus.cli.terminal import write_json

        write_json([_call_data(v, language) for v in views])
        return
    _calls_text(views, day, language)


def _call_data(view: CallView, language: str) -> dict[str, object]:
    from zyklus.amounts import plain
    from zyklus.money.export import text

    call = view.call
    return {
        "id": call.id,
        "title": call.title,
        "funder": call.funder,
        "deadline": call.deadline.isoformat(),
        "days_left": view.days_left,
        "max_amount": plain(call.max_amount),
        "own_share_percent": None
        if call.own_share_percent is None
        else format(call.own_share_percent, "f"),
        "illustrative": call.illustrative,
        "matches": [
            {
                "project": m.project,
                "title": m.title,
                "phase": m.phase,
                "cost": plain(m.cost),
                "reasons": [text(r, language) for r in m.reasons],
            }
            for m in view.matches
        ],
    }


def _calls_text(views: list[CallView], day: object, language: str) -> None:
    from zyklus.amounts import format_eur
    from zyklus.i18n import message, one_line

    _out(message("money-calls-title", language, as_of=day))
    if not views:
        _out(message("money-calls-none", language))
    marker = message("money-illustrative-marker", language)
    for view in views:
        call = view.call
        share = (
            message("money-none", language)
            if call.own_share_percent is None
            else f"{call.own_share_percent} %"
        )
        _out("")
        _out(
            message(
                "money-call-head",
                language,
                id=call.id,
                title=one_line(call.title),
                marker=f" {marker}" if call.illustrative else "",
                funder=one_line(view.funder),
                deadline=call.deadline,
                days=view.days_left,
                max=format_eur(call.max_amount, language),
                share=share,
            )
        )
        if view.days_left < 0:
            _out("  " + message("money-call-closed", language))
            continue
        if not view.matches:
            _out("  " + message("money-call-no-match", language))
        for m in view.matches:
            from zyklus.money.export import text

            reasons = "; ".join(text(r, language) for r in m.reasons)
            _out(f"  {m.project} ({m.phase or '–'}): {reasons}")


def record_spend(
    project_id: Annotated[str, typer.Argument(help="The project id.")],
    amount: Annotated[str, typer.Argument(help="EUR: 12500 or 12500.50 (no 12.500, no 1,5).")],
    on: Annotated[str, typer.Option("--date", help="When it was spent (YYYY-MM-DD).")],
    funder: Annotated[
        str | None, typer.Option("--funder", help="Whose money (a funder id from zyklus.yaml).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What for; invoice, voucher.")] = None,
    allow_future: Annotated[
        bool, typer.Option("--allow-future", help="Accept a date after today.")
    ] = False,
    cycle: CycleOption = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record money spent on a project in the cycle file (atomically, under its lock).

    Example: zyklus record spend jobcenter-im-quartier 1250.50 --date 2027-03-31 --funder kommune
    """
    from zyklus.amounts import format_eur
    from zyklus.cycle import parse_date
    from zyklus.files.cycles import cycle_year
    from zyklus.i18n import message
    from zyklus.money.spend import parse_amount_arg
    from zyklus.money.spend import record_spend as record

    with in_workspace(lang, workspace) as (ws, language):
        year = cycle_year(ws, cycle)
        spend = record(
            ws,
            project_id,
            parse_amount_arg(amount),
            parse_date(on),
            funder=funder,
            note=note,
            allow_future=allow_future,
            year=year,
        )
    _out(
        message(
            "money-spend-recorded",
            language,
            id=project_id,
            amount=format_eur(spend.amount, language),
            date=spend.date,
            year=year,
        )
    )


def register(app: typer.Typer) -> None:
    from zyklus.cli.cycle import record_app

    record_app.command("spend")(record_spend)
    app.command()(partners)
    app.command()(budget)
    app.command()(funding)
