"""The Typer app of the ``zyklus`` command line: registration, help pages, metavars.

Each command lives in a module of this package by concept and does three things: parse
options, call one core function, hand the result to a renderer. Core modules are imported
inside the command functions so that ``zyklus --help`` stays fast (issue 9). The console
entry point (:func:`zyklus.cli.main`) imports this module only when the pre-commit hook's
fast path (:mod:`zyklus.cli.hook`) does not take the command (issue 21).
"""

from __future__ import annotations

import copy
import os
from typing import Any

import typer
import typer.core

from zyklus.cli import _common

# Placeholders in help and usage lines: words a planner reads, not Python types (issue 12)
_METAVARS = {
    "project_id": "PROJECT",
    "project_ids": "PROJECT…",
    "year": "YEAR",
    "cycle": "YEAR",
    "from_year": "YEAR",
    "as_of": "DATE",
    "date": "DATE",
    "done": "DATE",
    "due": "DATE",
    "goal": "GOAL",
    "milestone": "MILESTONE",
    "value": "VALUE",
    "by": "NAME",
    "reason": "TEXT",
    "note": "TEXT",
    "summary": "TEXT",
    "not_measured": "REASON",
    "phase": "PHASE",
    "area": "AREA",
    "target_group": "GROUP",
    "indicator": "INDICATOR",
    "period": "DATE",
    "level": "LEVEL",
    "out": "DIR",
}


def _name_metavars(command: Any) -> None:
    """Give every parameter without a metavar a word instead of ``<str>`` or ``{name}``."""
    for param in command.params:
        if param.metavar is None and not getattr(param, "is_flag", False) and param.name:
            param.metavar = _METAVARS.get(param.name, param.name.upper().replace("_", "-"))
        if param.param_type_name == "argument":
            word = param.metavar or ""
            shown = word if param.required else f"[{word}]"
            # the word alone: no "<str>" after it, no "{…}" around it in the usage line
            vars(param)["display_type_rich"] = lambda ctx: None
            vars(param)["_usage_display_name"] = lambda shown=shown: shown
    for sub in getattr(command, "commands", {}).values():  # typer's groups: no click.Group
        _name_metavars(sub)


class _Group(typer.core.TyperGroup):
    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _name_metavars(command)
        return command


app = typer.Typer(
    name="zyklus",
    cls=_Group,
    help=(
        "Run the social planning cycle (Zyklus der Sozialplanung) from a git repository.\n\n"
        "Example: zyklus validate && zyklus status && zyklus report --cycle 2027"
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (issue 12)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _register() -> None:
    from zyklus.cli import (
        analyse,
        cycle,
        cycle_add,
        foundation,
        git,
        money,
        report,
        sheets,
        site,
    )

    for module in (foundation, cycle, cycle_add, analyse, report, site, git, money, sheets):
        module.register(app)


_register()


def _for_one_command(args: list[str]) -> typer.Typer:
    """The app with only the command being run (issue 9).

    Typer reads the signature of every registered command on each start; the pre-commit
    hook runs one. ``zyklus``, ``zyklus --help`` and unknown names get the whole app, so
    help lists every command and a typo gets its did-you-mean.
    """
    completing = any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ)
    if not completing and (not args or args[0] in ("-h", "--help")):
        return _listing(app)
    if not args or args[0].startswith("-"):
        return app
    name = args[0]
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if len(commands) + len(groups) != 1:
        return app
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    lean.callback()(_group)  # a group still, as with all commands: `zyklus NAME …`
    return lean


def _listing(group: typer.Typer) -> typer.Typer:
    """``group`` for its help page: every command by name and help, none of their options.

    The page lists each command's name and first line of help, nothing of its parameters;
    Typer would still read every command's signature and type hints to build them (two
    thirds of ``zyklus --help``, issue 21). Here each command keeps its name, help and
    panel but gets a callback without parameters; the group's own options stay.
    """
    lean = copy.copy(group)
    lean.registered_commands = [_unparametrized(c) for c in group.registered_commands]
    lean.registered_groups = []
    for info in group.registered_groups:
        sub = copy.copy(info)
        if info.typer_instance is not None:
            sub.typer_instance = _listing(info.typer_instance)
        lean.registered_groups.append(sub)
    return lean


def _unparametrized(info: typer.models.CommandInfo) -> typer.models.CommandInfo:
    lean = copy.copy(info)
    if info.callback is not None:
        original = info.callback

        def listed() -> None:
            raise AssertionError("a command of the help page is never run")  # pragma: no cover

        listed.__name__ = original.__name__
        listed.__qualname__ = original.__qualname__
        listed.__doc__ = original.__doc__
        listed.__module__ = original.__module__
        lean.callback = listed
    return lean


def _command_name(info: typer.models.CommandInfo) -> str | None:
    if info.name:
        return info.name
    return None if info.callback is None else typer.main.get_command_name(info.callback.__name__)


@app.callback()
def _group(version: _common.VersionOption = False) -> None:
    """Nothing to do before a command but ``--version``."""
