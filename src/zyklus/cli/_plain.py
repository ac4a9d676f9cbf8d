"""What the commands share that needs no Typer: streams, exit codes, the workspace.

The console entry point and the pre-commit hook's fast path (:mod:`zyklus.cli.hook`) use
this module without importing Typer (issue 21); :mod:`zyklus.cli._common` wraps it for the
Typer commands (``typer.Exit`` instead of :class:`Exit`, ``--lang`` checked as a usage
error).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from zyklus.files.workspace import Workspace

LANGS = ("de", "en")


class Exit(Exception):  # named as Typer's, which it stands for
    """Leave the command with ``code``; what was wrong has been written already."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def language(option: str | None, ws: Workspace | None = None) -> str:
    """``--lang`` (one of :data:`LANGS`, checked by the caller) wins; else the workspace's
    language when its config loads; else German."""
    if option is not None:
        assert option in LANGS, option
        return option
    if ws is not None:
        with contextlib.suppress(Exception):
            return ws.config.language
    return "de"


def open_ws(path: Path | None) -> Workspace:
    from zyklus.files.workspace import open_workspace

    return open_workspace(path)


@contextlib.contextmanager
def handled(lang: str | Literal["auto"] = "de") -> Iterator[None]:
    """Turn a :class:`~zyklus.errors.ZyklusError` into located lines and :class:`Exit`."""
    from zyklus.errors import ZyklusError

    try:
        yield
    except ZyklusError as exc:
        from zyklus.cli.terminal import print_problems

        print_problems(exc.problems, lang)
        raise Exit(exc.exit_code) from None
    except OSError as exc:
        from zyklus.escape import terminal
        from zyklus.i18n import message

        where = f"{terminal(str(exc.filename))}: " if exc.filename else ""
        sys.stderr.write(f"{where}E-OS {message('E-OS', lang, error=exc.strerror or exc)}\n")
        raise Exit(1) from None
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback, the shell's code (issue 19)
        from zyklus.i18n import message

        sys.stderr.write(f"\nE-INTERRUPTED {message('E-INTERRUPTED', lang)}\n")
        raise Exit(130) from None


@contextlib.contextmanager
def opened(
    lang: str | None, folder: Path | None, *, stored: bool = False
) -> Iterator[tuple[Workspace, str]]:
    """Open the workspace; report any problem in its language (``--lang`` wins).

    Finding the workspace can fail before its language is known: that problem is told in
    ``--lang`` or German. ``stored``: validate zyklus.yaml and cards from the stored core
    schema (:attr:`Workspace.stored`, the hook's files).
    """
    with handled(language(lang)):
        ws = open_ws(folder)
    ws.stored = stored
    lang_of_ws = language(lang, ws)
    from zyklus.cli.terminal import progress

    with handled(lang_of_ws), progress("progress-reading", lang_of_ws) as tick:
        ws.on_read = tick  # a bar while a big city's cards are read, on a terminal only
        yield ws, lang_of_ws


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
