"""Escaping rules per output format (issue 17 needs the spreadsheet one; issue 20 adds the rest).

A workspace may come from a merge request, so every title, area name and note is untrusted.

- :func:`spreadsheet_cell` — a CSV or xlsx text cell: a value that a spreadsheet would run
  as a formula (OWASP "CSV injection": ``=``, ``+``, ``-``, ``@``, tab, CR first) gets a
  leading apostrophe.
"""

from __future__ import annotations

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
