"""What every command shares: the ``--lang`` and ``--workspace`` options, error handling."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from zyklus.cli._plain import LANGS, Exit, handled, language, open_ws, opened

if TYPE_CHECKING:
    from zyklus.files.workspace import Workspace

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of messages and reports: de or en (default: the workspace's, else de).",
        metavar="de|en",
    ),
]
TableOrJsonOption = Annotated[
    str, typer.Option("--format", help="table or json.", metavar="table|json")
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-C",
        help="The workspace folder (default: the nearest folder above with a zyklus.yaml).",
        envvar="ZYKLUS_WORKSPACE",
        file_okay=False,
        metavar="DIR",
    ),
]


def resolve_lang(option: str | None, ws: Workspace | None = None) -> str:
    """``--lang`` wins; else the workspace's language when its config loads; else German."""
    if option is not None and option not in LANGS:
        raise typer.BadParameter("de | en", param_hint="--lang")
    return language(option, ws)


def output_format(command: str, value: str, lang: str | None) -> str:
    """``--format`` checked against the terminal's table, refused in ``--lang`` (or German)."""
    from zyklus.cli.terminal import choose_format

    with handle(resolve_lang(lang)):
        return choose_format(command, value)
    raise AssertionError("unreachable")  # pragma: no cover - handle() exits


@contextlib.contextmanager
def exits() -> Iterator[None]:
    """The Typer-free code's :class:`~zyklus.cli._plain.Exit` as ``typer.Exit``."""
    try:
        yield
    except Exit as exc:
        raise typer.Exit(exc.code) from None


@contextlib.contextmanager
def handle(lang: str | Literal["auto"] = "de") -> Iterator[None]:
    """Turn a :class:`~zyklus.errors.ZyklusError` into located lines and its exit code."""
    with exits(), handled(lang):
        yield


@contextlib.contextmanager
def in_workspace(lang: str | None, folder: Path | None) -> Iterator[tuple[Workspace, str]]:
    """Open the workspace; report any problem in its language (``--lang`` wins).

    Finding the workspace can fail before its language is known: that problem is told in
    ``--lang`` or German.
    """
    resolve_lang(lang)  # a --lang that is neither de nor en: a usage error
    with exits(), opened(lang, folder) as found:
        yield found


# --- shell completion (issue 12): ids of the workspace the shell is in ---------------------


def _completion_ws() -> Workspace | None:
    try:
        return open_ws(None)
    except Exception:  # no workspace here: nothing to offer, never an error in the shell
        return None


def complete_project(incomplete: str) -> list[str]:
    """Project ids (card file names) that start with what was typed."""
    ws = _completion_ws()
    return sorted(i for i in ws.card_ids() if i.startswith(incomplete)) if ws else []


def complete_indicator(incomplete: str) -> list[str]:
    ws = _completion_ws()
    try:
        ids = [i.id for i in ws.config.indicators] if ws else []
    except Exception:  # a broken zyklus.yaml: validate tells why
        ids = []
    return sorted(i for i in ids if i.startswith(incomplete))


def complete_cycle(incomplete: str) -> list[str]:
    ws = _completion_ws()
    years = [str(y) for y in ws.cycle_years()] if ws else []
    return [y for y in years if y.startswith(incomplete)]


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            sys.stdout.write(f"zyklus {version('zyklus')}\n")
        except PackageNotFoundError:  # run from a source tree that was never installed
            import zyklus

            sys.stdout.write(f"zyklus {getattr(zyklus, '__version__', 'unknown')}\n")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version", help="Show the version and exit.", is_eager=True, callback=version_callback
    ),
]
