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
from datetime import date
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

    Written as it is encoded: an analysis of 2 million values must not become one string in
    memory (issue 20). Dataclasses are written as their fields, a non-finite number as
    ``null`` (never NaN), a lone surrogate shown escaped. The text is exactly what
    ``json.dump(..., indent=2, ensure_ascii=False)`` writes, but each container of plain
    values (a ranking's row, a point of a series) goes through the stdlib's C encoder at
    once (issue 18: 93 MB of analysis in seconds, not minutes).
    """
    out: list[str] = []

    def flush() -> None:
        sys.stdout.write("".join(out))
        out.clear()

    _json_into(data, 0, out, flush)
    out.append("\n")
    flush()


_FLAT: dict[int, Any] = {}  # depth → the C encoder, items on their lines at that depth


def _flat_encoder(depth: int) -> Any:
    """``encode(value)``: the text of a container of plain values (or a plain value) as
    ``json.dump(indent=2)`` writes it at ``depth``, but for the brackets' own lines."""
    encode = _FLAT.get(depth)
    if encode is None:
        import json  # only for --format json: every start counts (issue 9)
        from json import encoder as stdlib

        separators = (",\n" + "  " * (depth + 1), ": ")

        def refuse(value: object) -> object:
            raise TypeError(f"{type(value).__name__} is not JSON")

        make = getattr(stdlib, "c_make_encoder", None)
        if make is not None:  # CPython: one C call per container
            c_encode = make(
                None, refuse, stdlib.encode_basestring, None, ": ", separators[0],
                False, False, False,
            )  # fmt: skip

            def encode(value: object) -> str:
                if isinstance(value, str):
                    return str(stdlib.encode_basestring(value))
                return "".join(c_encode(value, 0))

        else:  # pragma: no cover - other Pythons
            encode = json.JSONEncoder(
                ensure_ascii=False, allow_nan=False, check_circular=False,
                separators=separators, default=refuse,
            ).encode  # fmt: skip
        _FLAT[depth] = encode
    return encode


def _json_plain(value: Any) -> tuple[Any, bool]:
    """``value`` as JSON can take it, and whether it is a container (to walk)."""
    kind = type(value)
    if kind is str:
        if value.isascii():
            return value, False
        from zyklus.escape import json_value

        return json_value(value), False
    if kind is float:
        return (value if value - value == 0 else None), False  # inf - inf and nan are nan
    if kind is int or value is None or kind is bool:
        return value, False
    if kind is dict or kind is list or kind is tuple:
        return value, True
    if kind is date:
        return value.isoformat(), False
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: getattr(value, name) for name in fields}, True
    if isinstance(value, (dict, list, tuple)):
        return value, True
    from zyklus.escape import json_value

    if isinstance(value, (str, int, float)):  # subclasses: Count, Msg, MdSafe
        return json_value(value), False
    plain = json_value(value)  # a date, a Decimal (money) …: its text, as json's default
    return (plain if plain is None else str(plain)), False


def _json_into(value: Any, depth: int, out: list[str], flush: Callable[[], None]) -> None:
    """The text of ``value`` at ``depth`` onto ``out``: runs of plain items in one C call;
    ``flush`` writes what is there from time to time (streamed, issue 20)."""
    value, container = _json_plain(value)
    encode = _flat_encoder(depth)
    if not container:
        out.append(encode(value))
        return
    mapping = isinstance(value, dict)
    if not value:
        out.append("{}" if mapping else "[]")
        return
    inner = "\n" + "  " * (depth + 1)
    separator = inner
    run: Any = {} if mapping else []
    out.append("{" if mapping else "[")
    for item in value.items() if mapping else value:
        if mapping:
            key, item = item
            if type(key) is not str or not key.isascii():
                key = _json_key(key)
        kind = type(item)  # the common plain values without a call (issue 18)
        plain = (kind is str and item.isascii()) or kind is int or item is None or kind is bool
        if plain or (kind is float and item - item == 0):
            part, nested = item, False
        else:
            part, nested = _json_plain(item)
        if (nested and part) or (mapping and key in run):
            if run:
                out.append(separator + encode(run)[1:-1])
                separator = "," + inner
                run = {} if mapping else []
            if not nested:
                run[key] = part  # the same key twice (1 and "1"): both written, as json does
                continue
            out.append(separator + (encode(key) + ": " if mapping else ""))
            flat = _flat_list(part)
            if flat is not None:  # a point of a series: no call of its own
                text = _flat_encoder(depth + 1)(flat)
                out.append("[" + inner + "  " + text[1:-1] + inner + "]")
            else:
                _json_into(part, depth + 1, out, flush)
            separator = "," + inner
            if len(out) > 4096:
                flush()
        elif mapping:
            run[key] = part
        else:
            run.append(part)
    if run:
        out.append(separator + encode(run)[1:-1])
    out.append("\n" + "  " * depth + ("}" if mapping else "]"))


def _flat_list(value: Any) -> list[Any] | None:
    """A list or tuple of plain values as plain values; None for anything else."""
    if type(value) is not tuple and type(value) is not list:
        return None
    out = []
    for item in value:
        kind = type(item)
        if kind is float:
            out.append(item if item - item == 0 else None)
        elif kind is int or (kind is str and item.isascii()):
            out.append(item)
        elif kind is date:
            out.append(item.isoformat())
        else:
            part, nested = _json_plain(item)
            if nested and part:
                return None
            out.append(part)
    return out


def _json_key(key: Any) -> str:
    """A key as ``json`` writes it: text, or a number, ``true``/``false``/``null`` as text."""
    if type(key) is str and key.isascii():
        return key
    from zyklus.escape import json_value

    if isinstance(key, str):
        return str(json_value(key))
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, float):
        return repr(key) if key - key == 0 else "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


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

    rows = [_cells(row, terminal) for row in rows]
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


def _cells(row: Sequence[Any], terminal: Callable[[str], str]) -> list[str]:
    """A row's cells as text through the terminal rule; a row that is all printable (the
    common case) is checked at once, not cell by cell (issue 18: 50 000 rows)."""
    if isinstance(row, list):
        try:  # a row of texts (what the analysis tables give) is taken as it is
            if " ".join(row).isprintable():
                return row
        except TypeError:  # a cell that is no text
            pass
    cells = ["" if cell is None else str(cell) for cell in row]
    if " ".join(cells).isprintable():
        return cells
    return [terminal(cell) for cell in cells]


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
    (workers are forked while it runs), and is wiped when the count is complete or the
    block ends, however it ends; a later count (the offers after the cards) gets its own.
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
        if done >= total:  # wiped at once: what the command prints next starts clean
            bar.stop()
            shown.clear()

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
