"""``zyklus validate [FILE…]`` as the pre-commit hook and CI run it, without Typer (issue 21).

Here is validate's body, one core call and the renderer, used by the Typer command
(:func:`zyklus.cli.foundation.validate`) and by the console entry point's fast path. A
command line of exactly the hook's shape runs it directly: ``validate``, any files (none:
the whole workspace), and only ``--strict``, ``--format X``, ``--lang de|en`` and
``--workspace``/``-C`` naming a readable folder, each value one Typer would take as it is.
Anything else (help, an unknown or malformed option, a value Typer refuses or converts,
shell completion) is not taken: Typer runs it, unchanged. Building the app and Typer's
parameter adapters cost more than the check of one card; tests/cli/test_hook.py shows on
generated command lines that both ways write the same stdout and stderr and exit the same.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from zyklus.cli._plain import LANGS, Exit, handled, language, opened

FORMATS = ("text", "json", "github", "gitlab")  # validate's, as cli/terminal.py lists them
WORKSPACE_ENV = "ZYKLUS_WORKSPACE"  # the --workspace option's variable (cli/_common.py)


@dataclass(frozen=True)
class Call:
    """The options of one ``zyklus validate``, as the Typer command receives them."""

    paths: list[Path] = field(default_factory=list)
    strict: bool = False
    output: str = "text"
    lang: str | None = None
    workspace: Path | None = None


def parse(args: list[str], environ: Mapping[str, str]) -> Call | None:
    """``args`` (after the program name) as a :class:`Call`, or None: Typer's to run."""
    if not args or args[0] != "validate":
        return None
    if any(k.startswith("_") and k.endswith("_COMPLETE") for k in environ):
        return None  # shell completion
    paths: list[Path] = []
    strict, output, lang = False, "text", None
    workspace = environ.get(WORKSPACE_ENV)
    if workspace is not None and not _folder(workspace):
        return None
    rest = iter(args[1:])
    for arg in rest:
        name, eq, attached = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg == "--strict":
            strict = True
        elif name in ("--format", "--lang", "--workspace", "-C"):
            value = attached if eq else next(rest, None)
            if value is None or value == "" or value.startswith("-") or "\0" in value:
                return None
            if name == "--format":
                output = value
            elif name == "--lang":
                if value not in LANGS:
                    return None
                lang = value
            elif not _folder(value):
                return None
            else:
                workspace = value
        elif arg.startswith("-") or arg == "" or "\0" in arg:
            return None
        else:
            paths.append(Path(arg))
    if output not in FORMATS:
        return None
    return Call(paths, strict, output, lang, None if workspace is None else Path(workspace))


def _folder(value: str) -> bool:
    """A value Typer's ``--workspace`` takes as it is: a readable folder."""
    return value != "" and "\0" not in value and Path(value).is_dir() and os.access(value, os.R_OK)


def run(call: Call) -> int:
    """The fast path: validate's body; the exit code."""
    try:
        return validate_files(call)
    except Exit as exc:
        return exc.code


def validate_files(call: Call) -> int:
    """Check the files (all of the workspace when none are given), print what was found.

    Returns 1 when there are errors (or warnings, with ``strict``), else 0; raises
    :class:`~zyklus.cli._plain.Exit` for a problem that stops the run (no workspace, a
    ``--format`` validate does not write).
    """
    from zyklus.cli.terminal import (
        choose_format,
        print_problems,
        problems_json,
        progress,
        summary_line,
        write_json,
    )
    from zyklus.rules.references import validate_workspace

    with handled(language(call.lang)):
        output = choose_format("validate", call.output)
    with (
        # zyklus.yaml, cards, offers and cycle files from the stored schema: no model
        # class is built (issue 21)
        opened(call.lang, call.workspace, stored=True) as (ws, lang),
        progress("progress-validate", lang) as tick,
    ):
        report = validate_workspace(ws, call.paths or None, progress=tick)
    failed = report.errors > 0 or (call.strict and report.warnings > 0)
    if output == "github":
        from zyklus.cli.annotations import github_annotations
        from zyklus.files.git import repository_prefix

        prefix = repository_prefix(ws.root)
        sys.stdout.write(github_annotations(report.problems, lang, prefix))
    elif output == "gitlab":
        from zyklus.cli.annotations import gitlab_code_quality
        from zyklus.files.git import repository_prefix

        write_json(gitlab_code_quality(report.problems, lang, repository_prefix(ws.root)))
    elif output == "json":
        write_json(
            problems_json(
                report.problems,
                lang,
                files=report.files,
                errors=report.errors,
                warnings=report.warnings,
                ok=not failed,
            )
        )
    else:
        print_problems(report.problems, lang)
        line = summary_line(
            "validate-summary",
            lang,
            files=report.files,
            errors=report.errors,
            warnings=report.warnings,
        )
        (sys.stderr if failed else sys.stdout).write(line + "\n")
    return 1 if failed else 0
