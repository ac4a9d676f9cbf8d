"""``zyklus merge-driver``: merge cycle files per project; register the driver (issue 19)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zyklus.cli._common import LangOption, WorkspaceOption, handle, in_workspace, resolve_lang

merge_driver = typer.Typer(
    name="merge-driver",
    help="A git merge driver for cycles/*.yaml: three-way merge per project block.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@merge_driver.command("merge")
def merge(
    base: Annotated[Path, typer.Argument(help="The merge base (git's %O).", metavar="BASE")],
    ours: Annotated[
        Path, typer.Argument(help="Our version; the result is written here (%A).", metavar="OURS")
    ],
    theirs: Annotated[Path, typer.Argument(help="Their version (%B).", metavar="THEIRS")],
    path: Annotated[
        str, typer.Option("--path", help="The file's path in the repository (%P).", metavar="PATH")
    ] = "cycles/?.yaml",
    lang: LangOption = None,
) -> None:
    """Merge three versions of a cycle file (git calls this; see `merge-driver install`).

    Exit 0: merged cleanly. Exit 1: a project both sides changed differently; its block
    (and only its block) carries conflict markers.

    Example: zyklus merge-driver merge base.yaml ours.yaml theirs.yaml --path cycles/2027.yaml
    """
    from zyklus.errors import LoadError
    from zyklus.files.git import read_side, write_result
    from zyklus.files.merge import merge_cycle_texts
    from zyklus.i18n import message

    language = resolve_lang(lang)
    with handle(language):
        texts = [read_side(p) for p in (base, ours, theirs)]
        try:
            result = merge_cycle_texts(texts[0], texts[1], texts[2], path)
        except LoadError as exc:
            from zyklus.cli.terminal import print_problems

            print_problems(exc.problems, language)
            sys.stderr.write(message("M-UNREADABLE", language, path=path) + "\n")
            raise typer.Exit(1) from None
        write_result(ours, result.text)
    if result.clean:
        sys.stderr.write(message("merge-driver-clean", language, path=path) + "\n")
        return
    for what in result.conflicts:
        sys.stderr.write(
            f"{path}: M-CONFLICT {message('M-CONFLICT', language, path=path, what=what)}\n"
        )
    raise typer.Exit(1)


@merge_driver.command("install")
def install(lang: LangOption = None, workspace: WorkspaceOption = None) -> None:
    """Register the merge driver in this repository and write the .gitattributes line.

    Example: zyklus merge-driver install
    """
    from zyklus.files.git import install_driver
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        done = install_driver(ws.root)
    typer.echo(
        message(
            "merge-driver-installed",
            language,
            config=done.shown(done.config),
            attributes=done.shown(done.attributes),
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(merge_driver)
