"""Terminal output: problem lists and tables. The only module that imports rich.

Problem lines are plain text on stderr (``path:line:col: CODE message``) so editors,
pre-commit and CI logs can read them; tables use rich when stdout is a terminal and fall
back to plain text otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import Any

from zyklus.errors import Problem
from zyklus.i18n import message


def print_problems(problems: Iterable[Problem], lang: str) -> None:
    for problem in problems:
        sys.stderr.write(problem.render(lang) + "\n")


def problems_json(problems: Iterable[Problem], lang: str, **summary: Any) -> str:
    from zyklus.escape import json_text

    return json_text({"problems": [p.as_dict(lang) for p in problems], **summary}, default=str)


def print_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, plain: bool | None = None
) -> None:
    """A table on stdout: rich in a terminal, tab-separated text otherwise.

    Every cell goes through the terminal rule (control characters and escape sequences
    shown escaped), and rich gets plain ``Text``: ``[red]`` in an area name is not markup.
    """
    from zyklus.escape import terminal

    rows = [["" if cell is None else terminal(str(cell)) for cell in row] for row in rows]
    title = terminal(title)
    columns = [terminal(column) for column in columns]
    if plain is None:
        plain = not sys.stdout.isatty()
    if plain:  # one write: tables of 10 000 areas are common (issue 9)
        lines = [title] if title else []
        lines.append("\t".join(columns))
        lines.extend("\t".join(row) for row in rows)
        sys.stdout.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=False)
    for column in columns:
        table.add_column(Text(column))
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    Console().print(table)


def print_line(text: str) -> None:
    """One line of text on stdout, through the terminal rule."""
    from zyklus.escape import terminal

    sys.stdout.write(terminal(text) + "\n")


def summary_line(msg_id: str, lang: str, **params: Any) -> str:
    return message(msg_id, lang, **params)
