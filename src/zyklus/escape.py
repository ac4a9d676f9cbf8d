"""One escaping rule per output format (issue 20): user text is data in every one of them.

A workspace may come from a merge request, so every title, area name, note and file name is
untrusted. Each format a command writes has exactly one function here, and every writer uses
it:

- :func:`html` — HTML text and attribute values (markupsafe, as Jinja's autoescape does);
- :func:`md_inline` / :func:`md_block` — Markdown: punctuation backslash-escaped, ``<>&``
  as entities, so no raw HTML, image, link or table break survives;
- :func:`spreadsheet_cell` — a CSV or xlsx cell: a value that a spreadsheet would run as a
  formula (OWASP "CSV injection": ``=``, ``+``, ``-``, ``@``, tab, CR first) gets a leading
  apostrophe;
- :func:`terminal` — one line of human-readable output (terminal, pre-commit, CI log):
  control characters and escape sequences are shown escaped (``\\x1b``, ``\\n``), so an area
  name cannot recolour the terminal and a file name cannot forge a problem line;
- :func:`json_value` — JSON (``cli.terminal.write_json``): a non-finite number (``inf``,
  ``nan``) becomes ``null``, since
  ``Infinity`` is not JSON and breaks every strict reader; a non-UTF-8 file name is shown
  escaped (``\\xff``) instead of failing to encode.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from markupsafe import Markup
from markupsafe import escape as _markup_escape

# --- HTML -----------------------------------------------------------------------------------


def html(value: object) -> Markup:
    """Text as HTML (``<`` → ``&lt;``, quotes too); :class:`Markup` is left alone."""
    return _markup_escape(value)


# --- Markdown -------------------------------------------------------------------------------


class MdSafe(str):
    """Markdown that is already escaped (or written by the template): left alone."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
_MD_ANY = re.compile(r"[\\`*_\[\]|#~&<>]")  # what md_inline changes in a printable line
_MD_BLOCK_START = re.compile(r"^(\s*)([>+=-]|\d+(?=[.)]))")


def md_inline(value: object) -> MdSafe:
    """Text for a Markdown table cell or a line: inert and on one line.

    Markdown punctuation is backslash-escaped (a ``|`` becomes ``\\|``), ``<``/``>``/``&``
    become entities so no HTML or autolink survives, and line breaks become ``<br>``.
    """
    if isinstance(value, MdSafe):
        return value
    text = str(value)
    if text.isprintable() and not _MD_ANY.search(text):
        # most cells: one line (no line break is printable), nothing to escape (issue 21:
        # 2 million cells in the report of 10 000 projects)
        return MdSafe(text.strip())
    return _md_escaped(text)


def _md_escaped(text: str) -> MdSafe:
    """:func:`md_inline`'s whole rule (its fast path gives the same for a plain line)."""
    text = terminal_controls(text, keep="\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    lines = [line.strip() for line in text.splitlines()]  # also \u2028, \x1e, …
    return MdSafe("<br>".join(line for line in lines if line))


def _escape_block_start(match: re.Match[str]) -> str:
    """``- x`` → ``\\- x``; ``1. x`` → ``1\\. x`` (only punctuation can be escaped)."""
    lead, mark = match.group(1), match.group(2)
    if mark.isdigit():
        return f"{lead}{mark}\\"
    return f"{lead}\\{mark}"


def md_block(value: object) -> MdSafe:
    """Text as Markdown paragraphs: escaped like :func:`md_inline`, blank lines kept.

    A line that would start a heading, quote or list is escaped too.
    """
    if isinstance(value, MdSafe):
        return value
    paragraphs = re.split(r"\n\s*\n", str(value).replace("\r\n", "\n").strip())
    out = []
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            escaped = str(md_inline(line.strip()))
            escaped = _MD_BLOCK_START.sub(_escape_block_start, escaped)
            if escaped:
                lines.append(escaped)
        if lines:
            out.append("\n".join(lines))
    return MdSafe("\n\n".join(out))


# --- spreadsheets ---------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs (OWASP CSV injection).

    A value that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed
    with an apostrophe, which Excel and LibreOffice hide and read as "this is text". Numbers
    are written by the caller as numbers; this is for text only.
    """
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


# --- terminal and logs ----------------------------------------------------------------------


def _shown(char: str) -> str:
    """``\x1b`` for ESC; a byte of a non-UTF-8 file name (a lone surrogate) as ``\xff``."""
    if "\udc80" <= char <= "\udcff":
        return f"\\x{ord(char) - 0xDC00:02x}"
    return repr(char)[1:-1]


def terminal_controls(text: str, keep: str = "") -> str:
    """Every non-printable character except those in ``keep`` as its Python escape."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in keep else _shown(c) for c in text)


def utf8(text: str) -> str:
    """``text`` that encodes as UTF-8: a lone surrogate (non-UTF-8 file name) shown escaped."""
    try:
        text.encode("utf-8")  # in C: a report of 10 000 projects is 240 MB (issue 21)
    except UnicodeEncodeError:
        pass
    else:
        return text
    return "".join(_shown(c) if "\ud800" <= c <= "\udfff" else c for c in text)


def terminal(text: str) -> str:
    """One line of human-readable output: control characters shown escaped.

    ``\\x1b[31m`` stays visible text instead of colouring the terminal; a newline in a file
    name is shown as ``\\n`` so it cannot start a line that looks like a problem of its own;
    bidirectional overrides (``\\u202e``) cannot reorder what the reader sees.
    """
    return terminal_controls(text)


# --- JSON -----------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """``value`` with every non-finite float (or Decimal) replaced by ``None``.

    ``json.dumps`` writes ``Infinity`` and ``NaN`` by default, which no strict JSON reader
    accepts; callers dump the result with ``allow_nan=False`` so a miss fails loudly.
    """
    if isinstance(value, str):
        return utf8(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, Mapping):
        return {json_value(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    return value
