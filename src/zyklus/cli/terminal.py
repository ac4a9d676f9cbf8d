"""Terminal output: problem lists and tables. The only module that imports rich.

Problem lines are plain text on stderr (``path:line:col: CODE message``) so editors,
pre-commit and CI logs can read them; tables use rich when stdout is a terminal and fall
back to plain text otherwise.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from zyklus.errors import Problem, UsageError
from zyklus.i18n import message


def print_problems(problems: Iterable[Problem], lang: str) -> None:
    for problem in problems:
        sys.stderr.write(problem.render(lang) + "\n")


# The output formats of every command, in one table (issue 13): ``--format`` is checked
# against it the same way everywhere, with a message in the user's language.
FORMATS: dict[str, tuple[str, ...]] = {
    "validate": ("text", "json", "github", "gitlab"),
    "status": ("table", "json", "csv"),
    "gates": ("table", "markdown"),
    "analyse": ("table", "json", "md"),
    "report": ("md", "html", "pdf", "all"),
    "log": ("table", "json"),
    "partners": ("table", "json"),
    "budget": ("table", "json", "csv"),
    "funding": ("table", "json"),
}


def choose_format(command: str, value: str) -> str:
    """``value`` when ``command`` writes that format; else a usage error (exit 2)."""
    choices = FORMATS[command]
    if value in choices:
        return value
    raise UsageError([Problem("E-FORMAT", params={"value": value, "choices": list(choices)})])


def write_json(data: Any) -> None:
    """JSON on stdout, the one way: UTF-8 as is, indented, dates as ISO text.

    Written as it is encoded (``json.dump``): an analysis of 2 million values must not
    become one string in memory (issue 20). Dataclasses are written as their fields.
    """
    import json  # only for --format json: every start counts (issue 9)

    from zyklus.escape import json_value

    json.dump(
        json_value(data),
        sys.stdout,
        ensure_ascii=False,
        indent=2,
        allow_nan=False,  # never NaN or Infinity: non-finite numbers are null (issue 20)
        default=_json_value,
    )
    sys.stdout.write("\n")


def _json_value(value: object) -> object:
    from zyklus.escape import json_value

    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return json_value({name: getattr(value, name) for name in fields})
    return str(value)


def problems_json(problems: Iterable[Problem], lang: str, **summary: Any) -> dict[str, Any]:
    return {"problems": [p.as_dict(lang) for p in problems], **summary}


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


# --- progress of long runs (issue 19) -----------------------------------------------------

PROGRESS_FROM = 100  # files: fewer are done before a bar could be read (and rich imported)
_PROGRESS_EVERY = 0.1  # seconds between redraws


@contextlib.contextmanager
def progress(msg_id: str, lang: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr while the block runs, when stderr is a terminal.

    Yields the callback a core function takes (``done, total``), or None when stderr is
    piped or redirected: then nothing is written and nothing is imported. rich is
    imported only once a run has :data:`PROGRESS_FROM` files, so the one-card pre-commit
    run never pays for it. The bar redraws from the callback, without a thread of its own
    (workers are forked while it runs), and is wiped when the block ends, however it ends.
    """
    if not sys.stderr.isatty():
        yield None
        return
    shown: list[Any] = []  # the rich Progress and its task, once there is one
    last = [0.0]

    def tick(done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        now = time.monotonic()
        if shown and done < total and now - last[0] < _PROGRESS_EVERY:
            return
        last[0] = now
        if not shown:
            shown.extend(_start_bar(message(msg_id, lang), total))
        bar, task = shown
        bar.update(task, completed=done, total=total)
        bar.refresh()

    try:
        yield tick
    finally:
        if shown:
            shown[0].stop()


def _start_bar(label: str, total: int) -> tuple[Any, Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}", markup=False),  # our catalog's words, as text
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),
        transient=True,
        auto_refresh=False,  # no thread: workers are forked while the bar is shown
        redirect_stdout=False,
        redirect_stderr=False,
    )
    bar.start()
    return bar, bar.add_task(label, total=total)
