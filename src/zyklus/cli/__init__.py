"""The ``zyklus`` command line: the console entry point and its exit codes.

The Typer app is in :mod:`zyklus.cli.commands` (``zyklus.cli.app`` names it here too).
The pre-commit hook's command line (``zyklus validate [FILE…]``) is run by
:mod:`zyklus.cli.hook` without building the app or importing Typer; every other command
line goes to Typer (issue 21).

Exit codes: 0 success, 1 invalid input or refused change, 2 usage error, 3 internal error
(a bug: please report), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from zyklus.cli import _plain


def main() -> None:
    """Console entry point: run the app; turn a bug into exit 3 with a short note."""
    for position, arg in enumerate(sys.argv[1:], start=1):
        if any("\udc80" <= c <= "\udcff" for c in arg):  # bytes that were not UTF-8
            sys.stderr.write(_plain.argument_encoding_text(position, arg) + "\n")
            sys.exit(2)
    # zyklus uses no pydantic plugin: skip pydantic's scan of every installed package for
    # one (documented: PYDANTIC_DISABLE_PLUGINS; set it empty to load plugins) (issue 21).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _no_plugin_loader()
    _plain.guard_streams()
    try:
        try:
            _run(sys.argv[1:])
        except SystemExit:
            sys.stdout.flush()  # a full disk shows here, not as a shutdown warning
            raise
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(130)
    except SystemExit:
        raise
    except OSError as exc:
        if exc.errno not in _plain.OUTPUT_ERRORS:
            _internal(exc)
        sys.exit(_plain.output_failed(exc))
    except Exception as exc:  # a bug, not bad input: bad input raises ZyklusError
        _internal(exc)


def _run(args: list[str]) -> None:
    """The hook's command line by the fast path, anything else by Typer."""
    if args[:1] == ["validate"]:
        from zyklus.cli import hook

        call = hook.parse(args, os.environ)
        if call is not None:
            sys.exit(hook.run(call))
    from zyklus.cli.commands import _for_one_command

    _for_one_command(args[:1])()


def __getattr__(name: str) -> Any:
    """``zyklus.cli.app`` and the app's helpers, imported on first use (PEP 562).

    A submodule's name is not forwarded: ``from zyklus.cli import hook`` asks for it
    before importing it, and must not build the app on the way.
    """
    if name.startswith("__") or (_HERE / f"{name}.py").is_file():
        raise AttributeError(name)
    import importlib

    value = getattr(importlib.import_module("zyklus.cli.commands"), name)
    globals()[name] = value
    return value


_HERE = Path(__file__).parent


_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"


def _no_plugin_loader() -> None:
    """With plugins off, pydantic's plugin loader is not even imported (issue 21).

    Importing it imports ``importlib.metadata`` (and ``email``, ``zipfile``, ``csv``, …)
    for a scan that the switch then skips: a tenth of a one-card run. A stand-in answers
    "no plugins" while the switch is off, and hands over to the real loader for anything
    else (the switch turned on later, another name asked for).
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _PLUGINS_OFF or _LOADER in sys.modules:
        return
    import types

    def real() -> types.ModuleType:
        import importlib

        if sys.modules.get(_LOADER) is stand_in:
            del sys.modules[_LOADER]
        return importlib.import_module(_LOADER)

    def get_plugins() -> Any:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
            return ()
        return real().get_plugins()

    def __getattr__(name: str) -> Any:  # the stand-in module's attribute hook
        if name.startswith("__"):  # the import system asks for __path__, __spec__, …
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in = types.ModuleType(_LOADER, "zyklus: pydantic's plugin loader, not needed yet")
    vars(stand_in).update(get_plugins=get_plugins, __getattr__=__getattr__)
    sys.modules[_LOADER] = stand_in


def _internal(exc: Exception) -> NoReturn:
    if os.environ.get("ZYKLUS_DEBUG"):
        raise exc
    sys.stderr.write(_plain.internal_error_text(exc) + "\n")
    sys.exit(3)
