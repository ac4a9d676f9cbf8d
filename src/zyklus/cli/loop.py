"""Commands of the closed loop (issue 14): ``record decision``, ``log``, and the renderers
of ``status --pending-decisions`` and the needs re-check (``cycle start``, ``analyse --since``).

Each parses options, calls one core function and prints; user text in tables is put on
one line with control characters escaped.
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
    from zyklus.needs.recheck import Recheck
    from zyklus.report.log import LogEvent
    from zyklus.report.pending import PendingDecision


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def record_decision(
    project_id: Annotated[str, typer.Argument(help="The project id.")],
    body: Annotated[
        str, typer.Option("--body", help="The deciding body, declared in zyklus.yaml.")
    ],
    decision: Annotated[
        str,
        typer.Option(
            "--decision",
            help="approve, reject or defer (zustimmen, ablehnen, vertagen).",
            metavar="DECISION",
        ),
    ],
    on: Annotated[str, typer.Option("--date", help="Date of the meeting (YYYY-MM-DD).")],
    ref: Annotated[
        str, typer.Option("--ref", help="Meeting and agenda item, e.g. 'Sitzung 2/2027, TOP 4'.")
    ],
    note: Annotated[str | None, typer.Option("--note", help="What was decided, in words.")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who records it (default: git config user.name).")
    ] = None,
    allow_future: Annotated[
        bool, typer.Option("--allow-future", help="Accept a date after today.")
    ] = False,
    cycle: Annotated[
        int | None, typer.Option("--cycle", help="The cycle year (default: current_cycle).")
    ] = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a decision of a body (Lenkungsgremium) on a project.

    Example: zyklus record decision jobcenter-im-quartier --body lenkungsgremium
    --decision approve --date 2027-03-14 --ref "Sitzung 2/2027, TOP 4"
    """
    from zyklus import cycle as engine
    from zyklus.files import cycles
    from zyklus.i18n import message
    from zyklus.models import local

    with in_workspace(lang, workspace) as (ws, language):
        year = cycles.cycle_year(ws, cycle)
        entry = engine.record_decision(
            ws,
            project_id,
            body,
            engine.parse_decision(decision),
            engine.parse_date(on),
            ref,
            note=note,
            by=by,
            allow_future=allow_future,
            year=year,
        )
        label = next(
            local(b.label, "en" if language == "en" else "de")
            for b in ws.config.decision_bodies
            if b.id == entry.body
        )
    _out(
        message(
            "loop-recorded-decision",
            language,
            id=project_id,
            decision=message(f"loop-decision-{entry.decision}", language),
            body=label,
            date=entry.date,
            ref=entry.ref,
            year=year,
        )
    )


def log(
    project_id: Annotated[
        str | None, typer.Argument(help="The project id (default: every project).")
    ] = None,
    output: TableOrJsonOption = "table",
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Every move, forced pass, decision and evaluation round of a project across all
    cycles, newest first.

    Example: zyklus log jobcenter-im-quartier --format json
    """
    from zyklus.report.log import project_log

    output = output_format("log", output, lang)
    with in_workspace(lang, workspace) as (ws, language):
        events = project_log(ws, project_id, language)
    if output == "json":
        from zyklus.cli.terminal import write_json

        write_json([e.as_dict() for e in events])
        return
    print_log(events, project_id, language)


def print_log(events: list[LogEvent], project_id: str | None, lang: str) -> None:
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import message, one_line

    rows = []
    for e in events:
        rows.append(
            [
                _day(e.date, lang),
                e.cycle,
                e.project,
                message(f"loop-event-{e.kind}", lang),
                one_line(_detail(e, lang))
                + (message("loop-illustrative", lang) if e.illustrative else ""),
                one_line(e.by),
            ]
        )
    columns = ["date", "cycle", "project", "event", "detail"]
    shown = f" {project_id}" if project_id else ""
    print_table(
        message("loop-log-title", lang, project=shown),
        [*(message(f"loop-col-{c}", lang) for c in columns), message("loop-col-by", lang)],
        rows,
    )
    if not events:
        sys.stderr.write(message("loop-log-empty", lang) + "\n")


def _day(value: object, lang: str) -> str:
    from datetime import date

    from zyklus.i18n import format_date

    return format_date(value, lang) if isinstance(value, date) else str(value)


def _detail(e: LogEvent, lang: str) -> str:
    from zyklus.i18n import format_number, message

    if e.kind in ("joined", "move", "forced"):
        reason = f": {e.reason}" if e.reason else ""
        text = message(
            "loop-detail-move", lang, **{"from": e.from_phase or "–"}, to=e.to_phase, reason=reason
        )
        if e.kind == "forced":
            criteria = ", ".join(f"{c} ({w})" for c, w in zip(e.unmet, e.criteria, strict=True))
            text += message("loop-detail-forced", lang, criteria=criteria)
        if e.without_decision:
            text += message("loop-detail-without", lang, bodies=", ".join(e.without_decision))
        return text
    if e.kind == "decision":
        return message(
            "loop-detail-decision",
            lang,
            body=e.body_label or e.body,
            decision=message(f"loop-decision-{e.decision}", lang),
            ref=e.ref,
            note=f" – {e.note}" if e.note else "",
        )
    judged = ", ".join(
        f"{goal} = {format_number(value, lang)} ({_day(day, lang)})"
        for goal, value, day in e.judged
    )
    return message(
        "loop-detail-round",
        lang,
        verdict=message(f"loop-verdict-{e.verdict}", lang),
        summary=e.summary,
        judged=judged or message("loop-recheck-none", lang),
    )


# --- renderers used by the cycle and analyse commands ----------------------------------------


def print_pending(items: list[PendingDecision], year: int, lang: str, output: str) -> None:
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import message, one_line

    if output == "json":
        from zyklus.cli.terminal import write_json

        write_json([p.as_dict() for p in items])
        return
    if output == "csv":
        import csv

        fields = list(PendingDecisionFields)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
        for p in items:
            plain = p.as_dict()
            writer.writerow([_csv_cell(plain[f]) for f in fields])
        return
    rows = [
        [
            p.body_label,
            p.project,
            one_line(p.title),
            f"{p.phase} → {p.to}",
            one_line(message(f"loop-status-{p.status}", lang, date=p.date or "", ref=p.ref or "")),
        ]
        for p in items
    ]
    columns = ["body", "project", "title", "move", "status"]
    print_table(
        message("loop-pending-title", lang, year=year),
        [message(f"loop-col-{c}", lang) for c in columns],
        rows,
    )
    if not items:
        sys.stderr.write(message("loop-pending-empty", lang) + "\n")


PendingDecisionFields = (
    "body",
    "body_label",
    "project",
    "title",
    "phase",
    "to",
    "status",
    "date",
    "ref",
)


def _csv_cell(value: object) -> str:
    """No cell starts a spreadsheet formula (a title may come from a merge request)."""
    from zyklus.escape import spreadsheet_cell

    return spreadsheet_cell("" if value is None else str(value))  # the one rule (issue 20)


def recheck_summary(result: Recheck, since: int, lang: str) -> str:
    from zyklus.i18n import message

    return message(
        "loop-start-recheck",
        lang,
        period=result.newest or "–",
        resolved=len(result.resolved),
        worse=len(result.worse),
        new=len(result.open_hotspots),
        since=since,
    )


def print_recheck(result: Recheck, since: int, lang: str) -> None:
    """The three lists of the needs re-check as tables (``analyse --since``)."""
    from zyklus.cli.terminal import print_table
    from zyklus.i18n import format_number, format_percent, message, one_line

    none = message("loop-recheck-none", lang)
    _out(message("loop-recheck-title", lang, since=since, period=result.newest or "–"))

    def value(number: float | None, unit: str) -> str:
        if number is None:
            return "–"
        if unit == "%":
            return format_percent(number, lang, 1)
        return format_number(number, lang, 1) + (f" {unit}" if unit else "")

    columns = ["project", "need", "area", "cited", "newest", "class"]
    for key, checks in (("resolved", result.resolved), ("worse", result.worse)):
        _out("")
        rows = [
            [
                c.project,
                one_line(c.statement),
                one_line(c.area_name),
                message(
                    "loop-cited-value",
                    lang,
                    value=value(c.cited_value, c.unit),
                    period=c.cited_period,
                ),
                message(
                    "loop-cited-value",
                    lang,
                    value=value(c.newest_value, c.unit),
                    period=c.newest_period or "–",
                ),
                message(f"analysis-class-{c.newest_class}", lang) if c.newest_class else "–",
            ]
            for c in checks
        ]
        print_table(
            message(f"loop-recheck-{key}", lang),
            [message(f"loop-col-{c}", lang) for c in columns],
            rows or [[none, "", "", "", "", ""]],
        )
    _out("")
    rows = [
        [
            one_line(h.name),
            h.level,
            h.indicator,
            message("loop-cited-value", lang, value=value(h.value, h.unit), period=h.period),
            format_number(h.ratio, lang, 2) if h.ratio is not None else "–",
            "–" if h.new is None else message("loop-yes" if h.new else "loop-no", lang),
            ", ".join(h.citywide) or none,
        ]
        for h in result.open_hotspots
    ]
    print_table(
        message("loop-recheck-new", lang),
        [
            message("loop-col-area", lang),
            message("analysis-col-level", lang),
            message("loop-col-indicator", lang),
            message("loop-col-newest", lang),
            message("loop-col-ratio", lang),
            message("loop-col-new", lang),
            message("loop-col-citywide", lang),
        ],
        rows or [[none, "", "", "", "", "", ""]],
    )
    _out("")
    _out(message("loop-recheck-stale-count", lang, count=len(result.having("stale"))))


def register(app: typer.Typer, record_app: typer.Typer) -> None:
    record_app.command("decision")(record_decision)
    app.command()(log)
