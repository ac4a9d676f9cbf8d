"""The ``zyklus`` command line: Typer app, command registration and exit codes.

Each command lives in a module of this package by concept and does three things: parse
options, call one core function, hand the result to a renderer. Core modules are imported
inside the command functions so that ``zyklus --help`` stays fast (issue 9).

Exit codes: 0 success, 1 invalid input or refused change, 2 usage error, 3 internal error
(a bug: please report), 130 interrupted.
"""

from __future__ import annotations

import os
import sys

import typer

from zyklus.cli import _common

app = typer.Typer(
    name="zyklus",
    help=(
        "Run the social planning cycle (Zyklus der Sozialplanung) from a git repository.\n\n"
        "Example: zyklus validate && zyklus status && zyklus report --cycle 2027"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register() -> None:
    from zyklus.cli import foundation

    foundation.register(app)
    for name in ("cycle", "analyse", "report"):
        try:
            module = __import__(f"zyklus.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:  # a command group not built yet
            if exc.name != f"zyklus.cli.{name}":
                raise
            continue
        module.register(app)


_register()


def main() -> None:
    """Console entry point: run the app; turn a bug into exit 3 with a short note."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # a bug, not bad input: bad input raises ZyklusError
        if os.environ.get("ZYKLUS_DEBUG"):
            raise
        sys.stderr.write(_common.internal_error_text(exc) + "\n")
        sys.exit(3)
