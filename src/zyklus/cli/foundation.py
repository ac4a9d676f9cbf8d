"""Commands of the foundation: ``validate``, ``schema``, ``init``, ``new-project``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zyklus.cli._common import (
    LangOption,
    WorkspaceOption,
    exits,
    handle,
    in_workspace,
    resolve_lang,
)


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files to check (default: the whole workspace).",
            show_default=False,
            metavar="FILE",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    output: Annotated[
        str,
        typer.Option(
            "--format",
            help="text, json, github (annotations) or gitlab (code-quality report).",
            metavar="text|json|github|gitlab",
        ),
    ] = "text",
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Check cards, cycles, offers and zyklus.yaml; print every problem with file:line:col.

    The pre-commit hook runs this on the changed files.

    \b
    Example: zyklus validate            (the whole workspace)
    Example: zyklus validate projects/jobcenter-im-quartier.yaml
    """
    # the body is shared with the hook's fast path, which runs it without Typer (issue 21)
    from zyklus.cli.hook import Call, validate_files

    resolve_lang(lang)  # a --lang that is neither de nor en: a usage error
    with exits():
        code = validate_files(Call(paths or [], strict, output, lang, workspace))
    if code:
        raise typer.Exit(code)


def schema(
    name: Annotated[
        str, typer.Argument(help="card, cycle, workspace or offer.", metavar="NAME")
    ] = "card",
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Write schema/*.json into the workspace (the cards' modeline)."
        ),
    ] = False,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Print the JSON Schema (draft 2020-12) of a file kind, for editors and check-jsonschema.

    \b
    Example: zyklus schema card > card.schema.json
    Example: zyklus schema --write     (schema/card.json, cycle.json, workspace.json, offer.json)
    """
    from zyklus.schema import json_schema

    if write:
        from zyklus.files.scaffold import write_schemas
        from zyklus.i18n import message

        with in_workspace(lang, workspace) as (ws, language):
            result = write_schemas(ws.root)
        for path in result.written:
            sys.stdout.write(message("schema-written", language, path=ws.display(path)) + "\n")
        for path in result.unchanged:
            sys.stdout.write(message("schema-current", language, path=ws.display(path)) + "\n")
        return
    with handle(resolve_lang(lang)):
        sys.stdout.write(json_schema(name) + "\n")


def init(
    folder: Annotated[
        Path, typer.Argument(help="Folder of the new workspace.", metavar="DIR")
    ] = Path(),
    name: Annotated[
        str, typer.Option("--name", help="Name of the workspace.", metavar="TEXT")
    ] = "Sozialplanung",
    force: Annotated[
        bool,
        typer.Option("--force", help="Also in a non-empty folder (existing files are kept)."),
    ] = False,
    ci: Annotated[
        str | None,
        typer.Option(
            "--ci",
            help="Also write a CI file: validate merge requests, publish report and site.",
            metavar="github|gitlab",
        ),
    ] = None,
    zyklus_repo: Annotated[
        str | None,
        typer.Option(
            "--zyklus-repo",
            help=(
                "Git repository the pre-commit hook and CI install zyklus from, at the tag "
                "of this version (default: the public repository); 'local': the hook runs "
                "the zyklus on PATH (offline)."
            ),
            metavar="URL|local",
            show_default=False,
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Create an empty workspace: zyklus.yaml, projects/, cycles/, offers/, data/, hooks.

    \b
    Example: zyklus init sozialplanung --name "Sozialplanung Musterstadt"
    Example: zyklus init sozialplanung --zyklus-repo https://git.example.org/mirror/zyklus
    """
    from zyklus.files.ci import PLATFORMS
    from zyklus.files.hooks import ZYKLUS_REPOSITORY
    from zyklus.files.scaffold import init_workspace
    from zyklus.i18n import message

    language = resolve_lang(lang)
    if ci is not None and ci not in PLATFORMS:
        raise typer.BadParameter(" | ".join(PLATFORMS), param_hint="--ci")
    with handle(language):
        result = init_workspace(
            folder, name, force=force, lang=language, zyklus_repo=zyklus_repo or ZYKLUS_REPOSITORY
        )
    for path in result.created:
        sys.stdout.write(message("init-created", language, path=path) + "\n")
    for path in result.kept:
        sys.stdout.write(message("init-kept", language, path=path) + "\n")
    from zyklus.files.git import set_up_repository

    with handle(language):
        setup = set_up_repository(folder, ci, zyklus_repo)
    if setup.driver is not None:
        driver = setup.driver
        line = message(
            "merge-driver-installed",
            language,
            config=driver.shown(driver.config),
            attributes=driver.shown(driver.attributes),
        )
        sys.stdout.write(line + "\n")
    if setup.ci is not None:
        key = "ci-written" if setup.ci_written else "ci-kept"
        sys.stdout.write(message(key, language, path=setup.ci) + "\n")
    sys.stdout.write(message("init-next", language, folder=folder) + "\n")


def new_project(
    title: Annotated[
        str,
        typer.Argument(help='Title of the project, e.g. "Jobcenter im Quartier".', metavar="TITLE"),
    ],
    area: Annotated[
        list[str],
        typer.Option(
            "--area",
            "-a",
            help="Area id from data/areas.csv, or citywide (repeatable).",
            metavar="AREA",
        ),
    ],
    target_group: Annotated[
        list[str],
        typer.Option(
            "--target-group",
            "-t",
            help="Target group id from zyklus.yaml (repeatable).",
            metavar="GROUP",
        ),
    ],
    project_id: Annotated[
        str | None,
        typer.Option("--id", help="The id (default: made from the title).", metavar="ID"),
    ] = None,
    lang: LangOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Create projects/<id>.yaml from the card template, with comments for every field.

    \b
    Example: zyklus new-project "Jobcenter im Quartier" --area querenburg \\
               --target-group langzeitarbeitslose
    """
    from zyklus.cycle import register_new_project
    from zyklus.files.scaffold import new_project as create
    from zyklus.i18n import message

    with in_workspace(lang, workspace) as (ws, language):
        created = create(ws, title, area, target_group, project_id, register=register_new_project)
    sys.stdout.write(message("new-project-created", language, path=ws.display(created.path)) + "\n")


def register(app: typer.Typer) -> None:
    app.command()(validate)
    app.command()(schema)
    app.command()(init)
    app.command("new-project")(new_project)
