"""What every command shares: the ``--lang`` and ``--workspace`` options, error handling."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

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
    if option is not None:
        if option not in ("de", "en"):
            raise typer.BadParameter("de | en", param_hint="--lang")
        return option
    if ws is not None:
        with contextlib.suppress(Exception):
            return ws.config.language
    return "de"


def output_format(command: str, value: str, lang: str | None) -> str:
    """``--format`` checked against the terminal's table, refused in ``--lang`` (or German)."""
    from zyklus.cli.terminal import choose_format

    with handle(resolve_lang(lang)):
        return choose_format(command, value)
    raise AssertionError("unreachable")  # pragma: no cover - handle() exits


def open_ws(path: Path | None) -> Workspace:
    from zyklus.files.workspace import open_workspace

    return open_workspace(path)


@contextlib.contextmanager
def handle(lang: str | Literal["auto"] = "de") -> Iterator[None]:
    """Turn a :class:`~zyklus.errors.ZyklusError` into located lines and its exit code."""
    from zyklus.errors import ZyklusError

    try:
        yield
    except ZyklusError as exc:
        from zyklus.cli.terminal import print_problems

        print_problems(exc.problems, lang)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:
        from zyklus.escape import terminal
        from zyklus.i18n import message

        where = f"{terminal(str(exc.filename))}: " if exc.filename else ""
        sys.stderr.write(f"{where}E-OS {message('E-OS', lang, error=exc.strerror or exc)}\n")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback, the shell's code (issue 19)
        from zyklus.i18n import message

        sys.stderr.write(f"\nE-INTERRUPTED {message('E-INTERRUPTED', lang)}\n")
        raise typer.Exit(130) from None


@contextlib.contextmanager
def in_workspace(lang: str | None, folder: Path | None) -> Iterator[tuple[Workspace, str]]:
    """Open the workspace; report any problem in its language (``--lang`` wins).

    Finding the workspace can fail before its language is known: that problem is told in
    ``--lang`` or German.
    """
    with handle(resolve_lang(lang)):
        ws = open_ws(folder)
    language = resolve_lang(lang, ws)
    from zyklus.cli.terminal import progress

    with handle(language), progress("progress-reading", language) as tick:
        ws.on_read = tick  # a bar while a big city's cards are read, on a terminal only
        yield ws, language


def internal_error_text(exc: BaseException) -> str:
    from zyklus.i18n import message

    return (
        message("E-INTERNAL", "de", error=f"{type(exc).__name__}: {exc}")
        + "\n"
        + message("E-INTERNAL", "en", error=f"{type(exc).__name__}: {exc}")
    )


def argument_encoding_text(position: int, arg: str) -> str:
    """Name the command-line argument that is not UTF-8 (e.g. typed in a Latin-1 terminal)."""
    from zyklus.i18n import message

    shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    lang = "en" if os.environ.get("LANG", "").startswith("en") else "de"
    return f"E-ARG-ENCODING {message('E-ARG-ENCODING', lang, position=position, arg=shown)}"


# --- the output streams (issue 20) ------------------------------------------------------------

# A full disk, a closed pipe (``| head``), a closed descriptor (``>&-``): the output could
# not be written. That is the environment's doing, not a bug: exit 1 with a line on stderr.
OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EPIPE, errno.EBADF, errno.EIO, errno.EDQUOT})


class _Closed(io.TextIOBase):
    """Stands in for a stream whose descriptor was closed (``zyklus status >&-``)."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def guard_streams() -> None:
    """Never crash on output: closed descriptors fail like writes; odd bytes are escaped.

    A file name that is not UTF-8 arrives as lone surrogates; written to a strict UTF-8
    stream it would raise ``UnicodeEncodeError``. It is shown as ``\\xff`` instead (what
    the escape rules show everywhere else).
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, _Closed())
        elif isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def output_failed(exc: OSError) -> int:
    """Say (on stderr, if it is still there) that the output was lost; the exit code."""
    from zyklus.files.output import silence
    from zyklus.i18n import message

    with contextlib.suppress(OSError, ValueError):
        silence(sys.stdout.fileno())  # nothing more to flush at shutdown
    if exc.errno != errno.EPIPE:  # a closed pipe means the reader has all it wanted
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"E-OUTPUT {message('E-OUTPUT', 'de', error=exc.strerror)}\n")
            sys.stderr.write(f"E-OUTPUT {message('E-OUTPUT', 'en', error=exc.strerror)}\n")
            sys.stderr.flush()
    return 1


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
