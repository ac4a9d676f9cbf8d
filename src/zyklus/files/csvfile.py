"""Streaming CSV reading of the data files, every size bounded (issues 5, 8, 20).

A data file is read one line at a time and never whole: a line is at most
:data:`MAX_LINE_BYTES`, a quoted record at most :data:`MAX_RECORD_LINES` lines, a row at
most :data:`MAX_COLUMNS` fields, a file at most :data:`MAX_ROWS` rows and
:data:`MAX_DATA_BYTES` bytes. docs/reliability.md has the memory these caps allow.
Comma, semicolon or tab; UTF-8 with or without BOM; a byte that is no UTF-8 is named with
its line and position.
"""

from __future__ import annotations

import collections
import csv
import io
import itertools
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from zyklus.errors import LoadError, Problem

# Caps (issue 20): the largest file they admit is loaded in well under 1 GiB (measured in
# docs/reliability.md). 2 000 000 rows are 10 000 areas × 20 indicators × 10 periods.
MAX_DATA_BYTES = 160 << 20
MAX_ROWS = 2_000_000
MAX_LINE_BYTES = 64 << 10
MAX_COLUMNS = 64
MAX_RECORD_LINES = 32  # physical lines of one quoted record
_CONFLICT_LINE = re.compile(rb"^(<{7}|>{7})( |\r?\n|$)", re.MULTILINE)
# what str.strip could take off a field: white space other than a line end, or a quote (a
# quoted field may begin or end with a line break)
_SPACE = re.compile(r'[^\S\n]|"')
_ASCII_SPACE = (" ", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", '"')
_BLOCK = 64 << 10  # bytes read at once (never more than a line may have)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _header_problem(
    display: str, line: int, missing: Sequence[str], required: Sequence[str], delimiter: str
) -> Problem:
    shown = "Tab" if delimiter == "\t" else delimiter
    params = {
        "missing": ", ".join(missing),
        "expected": delimiter.join(required),
        "delimiter": shown,
    }
    return Problem("D-HEADER", path=display, line=line, params=params)


def _record_problem(display: str, line: int) -> Problem:
    params = {"limit": MAX_RECORD_LINES}
    return Problem("D-RECORD-TOO-LONG", display, line, params=params)


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Fallback(Exception):
    """Not UTF-8 under ``encoding: auto``: the whole (bounded) file decides (issue 17)."""


class _Lines:
    """Decoded lines of a data file, one at a time, each bounded (issue 20)."""

    def __init__(self, path: Path, display: str, encoding: str = "auto") -> None:
        self.display = display
        self.encoding = encoding
        self.number = 0  # physical lines handed out
        self.offset = 0  # bytes read
        self.base = 0  # the file offset of the next line
        self.codec = "cp1252" if encoding == "cp1252" else "utf-8"
        # whether any block so far had white space other than line ends (then rows() trims
        # each field; a statistics office's numbers and ids mostly have none, issue 18)
        self.spaced = False
        self.record_start = 1
        try:
            self.stream = os.fdopen(os.open(path, _READ_FLAGS), "rb")
        except OSError as exc:
            raise LoadError(
                [Problem("Y-READ", path=display, params={"error": exc.strerror or exc})]
            ) from None
        info = os.fstat(self.stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            self.stream.close()
            raise LoadError([Problem("Y-NOT-FILE", path=display)])
        if info.st_size > MAX_DATA_BYTES:
            self.stream.close()
            raise LoadError(
                [Problem("D-TOO-LARGE", path=display, params={"limit": MAX_DATA_BYTES})]
            )

    def close(self) -> None:
        self.stream.close()

    def __iter__(self) -> Iterator[str]:
        """Blocks of whole lines as text, each checked and decoded at once (issue 18: 500 000
        rows in well under a second); a line is at most :data:`MAX_LINE_BYTES` all the same.
        The last line of the file may lack its newline."""
        limit = MAX_LINE_BYTES
        size = min(_BLOCK, limit)
        tail = b""
        while True:
            block = self.stream.read(size)
            if self.offset == 0 and not tail and block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]
                self.offset = self.base = 3
            if not block:
                text, stop = self._whole(tail)
                if text:
                    yield text
                if stop is not None:
                    raise stop
                self._check_record()
                return
            cut = block.rfind(b"\n")
            if cut < 0:
                if len(tail) + len(block) > limit:
                    self._too_long()
                tail += block
                continue
            if len(tail) + block.find(b"\n") > limit:
                self._too_long()
            whole, tail = tail + block[: cut + 1], block[cut + 1 :]
            self._check_record()
            text, stop = self._whole(whole)
            if text:
                yield text
            if stop is not None:
                raise stop

    def _too_long(self) -> NoReturn:
        params = {"limit": MAX_LINE_BYTES}
        raise _Stop(Problem("D-LINE-TOO-LONG", self.display, self.number + 1, params=params))

    def _check_record(self) -> None:
        """A quoted record of more than :data:`MAX_RECORD_LINES` lines, seen between blocks
        (rows() checks each record it gets, too)."""
        if self.number - self.record_start >= MAX_RECORD_LINES:
            raise _Stop(_record_problem(self.display, self.record_start))

    def _whole(self, raw: bytes) -> tuple[str, Exception | None]:
        """The text of ``raw`` (whole lines; the last may lack its newline), decoded, and
        what stops the reading after it (a byte that is no text, a conflict marker)."""
        start = self.base
        self.offset = self.base = start + len(raw)
        if self.offset > MAX_DATA_BYTES:  # the file grew while read
            raise _Stop(Problem("D-TOO-LARGE", self.display, params={"limit": MAX_DATA_BYTES}))
        conflict = _CONFLICT_LINE.search(raw) if b"<<<<<<<" in raw or b">>>>>>>" in raw else None
        end = len(raw) if conflict is None else conflict.start()
        try:
            text = self._count(raw[:end].decode(self.codec))
        except UnicodeDecodeError as exc:
            first = raw.rfind(b"\n", 0, exc.start) + 1  # where the bad line starts
            text = self._count(raw[:first].decode(self.codec))
            self.number += 1
            if self.encoding == "auto":
                return text, _Fallback()
            where: dict[str, object] = {
                "byte": f"0x{raw[exc.start]:02X}",
                "offset": start + exc.start,
            }
            col = exc.start - first + 1
            return text, _Stop(Problem("Y-ENCODING", self.display, self.number, col, params=where))
        if conflict is not None:  # an unresolved merge (issue 19)
            return text, _Stop(Problem("Y-CONFLICT", self.display, self.number + 1, 1))
        return text, None

    def _count(self, text: str) -> str:
        self.number += text.count("\n") + (0 if not text or text.endswith("\n") else 1)
        return text


def _spaced(text: str) -> bool:
    """Whether ``text`` has what str.strip could take off a field (:data:`_SPACE`); ASCII
    text (a statistics office's table) is searched for each such letter at C speed."""
    if text.isascii():
        return any(letter in text for letter in _ASCII_SPACE)
    return _SPACE.search(text) is not None


def _lines_of(text: str) -> list[str]:
    """The lines of a text of whole lines, each with its newline (the last may lack it)."""
    parts = text.split("\n")
    last = parts.pop()
    lines = [part + "\n" for part in parts]
    if last:
        lines.append(last)
    return lines


class _Feed:
    """Lines for the csv module, taken from the blocks as it asks for them; ``count`` is
    the physical lines handed out, so each record knows its first line."""

    def __init__(self, texts: Iterator[str]) -> None:
        self.texts = texts
        self.pending: collections.deque[str] = collections.deque()
        self.count = 0

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if not self.pending:
            self.pending.extend(_lines_of(next(self.texts)))
        self.count += 1
        return self.pending.popleft()


def rows(
    path: Path,
    display: str,
    delimiter: str,
    required: Sequence[str],
    problems: list[Problem],
    header_out: list[str],
    max_rows: int | None = None,
    encoding: str = "auto",
) -> Iterator[tuple[int, list[str]]]:
    """Rows as (first line, stripped fields, one per header column); problems appended.

    ``header_out`` receives the header (lower case) before the first row is yielded.
    """
    batches = row_batches(
        path, display, delimiter, required, problems, header_out, max_rows, encoding
    )
    for first, batch in batches:
        yield from zip(itertools.count(first), batch)


def row_batches(
    path: Path,
    display: str,
    delimiter: str,
    required: Sequence[str],
    problems: list[Problem],
    header_out: list[str],
    max_rows: int | None = None,
    encoding: str = "auto",
) -> Iterator[tuple[int, list[list[str]]]]:
    """:func:`rows` in batches: (first line, rows of the lines from there on, one each).

    A block of plain lines (no quote, no white space, every line as wide as the header)
    is one batch, split at once (issue 18: 500 000 rows); any other block goes through
    the csv module record by record, each record a batch of its own.
    """
    lines = _Lines(path, display, encoding)

    def decoded(skip: int) -> Iterator[str]:
        """The rest of a file that is not UTF-8, as cp1252 if unambiguous (issue 17)."""
        from zyklus.files.encoding import read_data_text

        lines.spaced = True  # not seen block by block: every field is trimmed
        text = read_data_text(path, display, MAX_DATA_BYTES, encoding)  # type: ignore[arg-type]
        rest = io.StringIO(text, newline="")
        for _ in range(skip):
            next(rest, None)
        yield from rest

    def texts() -> Iterator[str]:
        """The blocks' texts; white space or a quote in one means fields are trimmed from
        then on (a statistics office's numbers and ids mostly have none, issue 18)."""
        try:
            for text in lines:
                if not lines.spaced and _spaced(text):
                    lines.spaced = True
                yield text
        except _Fallback:
            yield from decoded(lines.number - 1)

    try:
        source = texts()
        feed = _Feed(source)
        if delimiter == "auto":
            try:
                first = next(feed)
            except StopIteration:
                problems.append(_header_problem(display, 1, required, required, delimiter))
                return
            delimiter = detect_delimiter(first)
            feed.pending.appendleft(first)
            feed.count -= 1
        reader = csv.reader(feed, delimiter=delimiter, strict=True)
        header: list[str] | None = None
        width = 0
        count = 0
        limit = MAX_ROWS if max_rows is None else max_rows
        empty_row = ""  # the text of a line of empty fields (Excel's ';;;')
        try:
            while True:
                if not feed.pending:  # between records: the next block, plain or not
                    text = next(source, None)
                    if text is None:
                        break
                    # texts() marked the file spaced if this block has white space
                    plain = header is not None and (not lines.spaced or not _spaced(text))
                    if plain and "\0" not in text:
                        batch = _plain(text, delimiter, width, empty_row)
                        if batch is not None:
                            first_line = feed.count + 1
                            feed.count += len(batch)
                            lines.record_start = feed.count + 1
                            if count + len(batch) > limit:
                                yield first_line, batch[: limit - count]
                                params = {"limit": limit}
                                line = first_line + limit - count
                                problems.append(
                                    Problem("D-TOO-MANY-ROWS", display, line, params=params)
                                )
                                break
                            count += len(batch)
                            yield first_line, batch
                            continue
                    feed.pending.extend(_lines_of(text))
                line = feed.count + 1  # the first line of the record being read
                fields = next(reader)
                end = feed.count
                if end - line >= MAX_RECORD_LINES:
                    problems.append(_record_problem(display, line))
                    break
                lines.record_start = end + 1
                if len(fields) > MAX_COLUMNS:
                    params = {"found": len(fields), "limit": MAX_COLUMNS}
                    problems.append(Problem("D-TOO-MANY-COLUMNS", display, line, params=params))
                    break
                if lines.spaced:  # a block had white space: fields are trimmed from then on
                    fields = list(map(str.strip, fields))
                if (not fields or not fields[0]) and not any(fields):
                    continue  # blank lines and Excel's trailing ';;;' rows
                if header is None:
                    header = [f.lower() for f in fields]
                    header_out[:] = header
                    width = len(header)
                    empty_row = delimiter * (width - 1)
                    missing = [c for c in required if c not in header]
                    if missing:
                        problem = _header_problem(display, line, missing, required, delimiter)
                        problems.append(problem)
                        break
                    continue
                if len(fields) != width:
                    if any(fields[width:]):
                        params = {"found": len(fields), "expected": width}
                        problems.append(Problem("D-ROW-FIELDS", display, line, params=params))
                        continue
                    fields = (fields + [""] * width)[:width]
                count += 1
                if count > limit:
                    params = {"limit": limit}
                    problems.append(Problem("D-TOO-MANY-ROWS", display, line, params=params))
                    break
                yield line, [fields]
        except StopIteration:  # the data ended inside a record
            pass
        except csv.Error as exc:
            if feed.count - line >= MAX_RECORD_LINES:  # an open quote ran on
                problems.append(_record_problem(display, line))
            else:
                problems.append(Problem("D-CSV", display, line, params={"error": str(exc)}))
        if header is None and not problems:
            problems.append(_header_problem(display, 1, required, required, delimiter))
    except _Stop as stop:
        problems.append(stop.problem)
    finally:
        lines.close()


def _plain(text: str, delimiter: str, width: int, empty_row: str) -> list[list[str]] | None:
    """The rows of a block of plain lines, or None when any line is not a plain row of
    ``width`` fields (a blank line, a row of empty fields, a short or long row): then the
    csv module reads the block."""
    parts = text.split("\n")
    if not parts[-1]:
        parts.pop()
    if "" in parts or empty_row in parts:
        return None
    batch = [part.split(delimiter) for part in parts]
    if set(map(len, batch)) != {width}:
        return None
    return batch


def read_rows(
    path: Path, display: str, delimiter: str = "auto"
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as (line, row); comma, semicolon or tab, UTF-8 with or without BOM."""
    problems: list[Problem] = []
    header: list[str] = []
    found = list(rows(path, display, delimiter, (), problems, header))
    if problems:
        raise LoadError(problems)
    return [(line, dict(zip(header, fields, strict=True))) for line, fields in found]
