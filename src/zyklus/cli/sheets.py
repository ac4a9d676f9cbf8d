"""Commands for spreadsheets: ``data import`` and ``export`` (issue 17).

Each parses options, calls one function of :mod:`zyklus.sheets` and prints a summary.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from zyklus.cli._common import LangOption, WorkspaceOption, in_workspace

if TYPE_CHECKING:
    from zyklus.sheets.importing import ImportResult

data_app = typer.Typer(
    help=(
        "Small-area data: import spreadsheets into data/indicators.csv.\n\n"
        "Example: zyklus data import arbeitslose.xlsx --period 2023-12-31 --dry-run"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        name, sep, target = item.rpartition("=")
        if not sep or not name.strip() or not target.strip():
            raise typer.BadParameter("NAME=ID", param_hint=option)
        out[name.strip()] = target.strip()
    return out


def data_import(
    file: Annotated[Path, typer.Argument(help="An .xlsx or .csv file.", metavar="FILE")],
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Worksheet by name or number (default: the first)."),
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row", min=1, help="Row of the column headers (default: found).", metavar="N"
        ),
    ] = None,
    area_column: Annotated[
        str | None,
        typer.Option(
            "--area-column", help="Column with the areas: header, letter or number.", metavar="COL"
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Period of every value (YYYY-MM-DD), for wide tables."),
    ] = None,
    period_column: Annotated[
        str | None,
        typer.Option("--period-column", help="Column with the period of each row.", metavar="COL"),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", help="Map a header to an indicator id (repeatable).", metavar="HEADER=ID"
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(
            "--area", help="Map a name in the file to an area id (repeatable).", metavar="NAME=ID"
        ),
    ] = None,
    decimal: Annotated[
        str,
        typer.Option("--decimal", help="Decimal separator of text cells.", metavar="auto|,|."),
    ] = "auto",
    encoding: Annotated[
        str,
        typer.Option(
            "--encoding", help="Text encoding of a CSV file.", metavar="auto|utf-8|cp1252"
        ),
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Import a wide table (areas × indicators) or a long one into data/indicators.csv.

    Area names are matched to ids exactly, then normalised; the rest is refused with a
    did-you-mean. Suppressed cells (. * x –) are missing. The same file twice changes nothing.

    \b
    Example: zyklus data import arbeitslose.xlsx --period 2023-12-31 --dry-run
    Example: zyklus data import export.csv --column "Arbeitslose insgesamt=arbeitslose"
    """
    from zyklus import cycle as engine
    from zyklus.sheets.importing import ImportOptions, import_table

    if decimal not in ("auto", ",", "."):
        raise typer.BadParameter("auto | , | .", param_hint="--decimal")
    if encoding not in ("auto", "utf-8", "cp1252"):
        raise typer.BadParameter("auto | utf-8 | cp1252", param_hint="--encoding")
    columns, areas = _pairs(column, "--column"), _pairs(area, "--area")
    with in_workspace(lang, workspace) as (ws, language):
        options = ImportOptions(
            sheet=sheet,
            header_row=header_row,
            area_column=area_column,
            period=engine.parse_date(period, "--period") if period is not None else None,
            period_column=period_column,
            columns=columns,
            areas=areas,
            decimal=decimal,  # type: ignore[arg-type]
            encoding=encoding,  # type: ignore[arg-type]
        )
        result = import_table(ws, file, options, dry_run=dry_run)
    _print_import(result, language)


def _print_import(result: ImportResult, lang: str) -> None:
    from zyklus.i18n import format_number, message
    from zyklus.sheets.importing import changes_preview

    layout = result.layout
    out: list[str] = []
    where = message("sheets-import-sheet", lang, sheet=layout.sheet) if layout.sheet else ""
    out.append(
        message(
            "sheets-import-layout",
            lang,
            file=result.file,
            sheet=where,
            row=layout.header_row,
            area=layout.header(layout.area_column) or "–",
        )
    )
    if layout.long:
        out.append(
            message(
                "sheets-import-long",
                lang,
                indicator=layout.header(layout.indicator_column),
                value=layout.header(layout.value_column),
            )
        )
    else:
        pairs = [f"{layout.header(c)} → {i}" for c, i in layout.indicators.items()]
        out.append(message("sheets-import-columns", lang, columns=", ".join(pairs)))
    if layout.ignored:
        out.append(message("sheets-import-ignored", lang, columns=", ".join(layout.ignored)))
    for skipped in result.skipped:
        out.append(
            message(
                f"sheets-import-skipped-{skipped.reason}", lang, row=skipped.row, text=skipped.text
            )
        )
    if result.dry_run:
        for change in changes_preview(result):
            if change.old is None:
                out.append(
                    message(
                        "sheets-import-would-add",
                        lang,
                        area=change.area,
                        indicator=change.indicator,
                        period=change.period,
                        new=format_number(change.new, lang),
                    )
                )
            else:
                out.append(
                    message(
                        "sheets-import-would-change",
                        lang,
                        area=change.area,
                        indicator=change.indicator,
                        period=change.period,
                        old=format_number(change.old, lang),
                        new=format_number(change.new, lang),
                    )
                )
    summary = (
        "sheets-import-dry-run"
        if result.dry_run
        else ("sheets-import-written" if result.written else "sheets-import-nothing")
    )
    out.append(
        message(
            summary,
            lang,
            target=result.target,
            added=len(result.added),
            changed=len(result.changed),
            unchanged=result.unchanged,
            suppressed=result.suppressed,
        )
    )
    sys.stdout.write("\n".join(out) + "\n")


def export(
    what: Annotated[
        str,
        typer.Argument(
            help="projects, status, goals, analysis, indicators, budget or all.", metavar="WHAT"
        ),
    ],
    output: Annotated[
        str, typer.Option("--format", help="xlsx or csv.", metavar="xlsx|csv")
    ] = "xlsx",
    plain: Annotated[
        bool,
        typer.Option("--plain", help="CSV for scripts: ',' '.' no BOM, ids as headers."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="File to write (default: reports/export/WHAT.xlsx|csv); '-' for stdout (csv).",
            metavar="FILE",
        ),
    ] = None,
    cycle: Annotated[
        int | None,
        typer.Option("--cycle", help="The cycle year (default: current_cycle in zyklus.yaml)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Judge due dates as of this day (YYYY-MM-DD).")
    ] = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export a list as a spreadsheet: .xlsx, CSV for Excel, or plain CSV (--plain).

    \b
    Example: zyklus export projects --format xlsx
    Example: zyklus export status --format csv --out status.csv
    """
    from zyklus import cycle as engine
    from zyklus.files.spreadsheet import write_file
    from zyklus.i18n import message
    from zyklus.sheets.export import Spec, export_tables
    from zyklus.sheets.writers import render

    if output not in ("xlsx", "csv"):
        raise typer.BadParameter("xlsx | csv", param_hint="--format")
    if plain and output != "csv":
        raise typer.BadParameter("--plain: only with --format csv", param_hint="--plain")
    with in_workspace(lang, workspace) as (ws, language):
        day = engine.parse_date(as_of, "--as-of") if as_of else None
        spec = Spec(language, plain, year=cycle, as_of=day)
        tables = export_tables(ws, what, spec)
        files = render(tables, output, language, plain=plain)  # type: ignore[arg-type]
        if out is not None and str(out) == "-":
            if len(files) != 1 or output != "csv":
                raise typer.BadParameter("'-' only for one CSV table", param_hint="--out")
            sys.stdout.buffer.write(files[0].data)
            return
        target = out if out is not None else ws.root / "reports" / "export" / f"{what}.{output}"
        for item in files:
            part = item.part.removeprefix(f"-{what}") if item.part != f"-{what}" else item.part
            path = target.with_name(target.stem + part + target.suffix)  # budget-project.csv
            write_file(path, item.data)
            sys.stdout.write(
                message("sheets-export-written", language, path=ws.display(path)) + "\n"
            )


def register(app: typer.Typer) -> None:
    data_app.command("import")(data_import)
    app.add_typer(data_app, name="data")
    app.command()(export)
