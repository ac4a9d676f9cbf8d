"""Streaming CSV reading of the data files, every size bounded (issues 5, 8, 20).

A data file is read one line at a time and never whole: a line is at most
:data:`MAX_LINE_BYTES`, a quoted record at most :data:`MAX_RECORD_LINES` lines, a row at
most :data:`MAX_COLUMNS` fields, a file at most :data:`MAX_ROWS` rows and
:data:`MAX_DATA_BYTES` bytes. docs/reliability.md has the memory these caps allow.
Comma, semicolon or tab; UTF-8 with or without BOM; a byte that is no UTF-8 is named with
its line and position.
"""

from __future__ import annotations

import csv
import io
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
        """Blocks of whole lines, each checked and decoded at once (issue 18: 500 000 rows
        in well under a second); a line is at most :data:`MAX_LINE_BYTES` all the same."""
        limit = MAX_LINE_BYTES
        size = min(_BLOCK, limit)
        tail = b""
        while True:
            block = self.stream.read(size)
            if self.offset == 0 and not tail and block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]
                self.offset = self.base = 3
            if not block:
                lines, stop = self._whole(tail)
                yield from lines
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
            lines, stop = self._whole(whole)
            yield from lines
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

    def _whole(self, raw: bytes) -> tuple[list[str], Exception | None]:
        """The lines of ``raw`` (whole lines; the last may lack its newline), decoded, and
        what stops the reading after them (a byte that is no text, a conflict marker)."""
        start = self.base
        self.offset = self.base = start + len(raw)
        if self.offset > MAX_DATA_BYTES:  # the file grew while read
            raise _Stop(Problem("D-TOO-LARGE", self.display, params={"limit": MAX_DATA_BYTES}))
        conflict = _CONFLICT_LINE.search(raw) if b"<<<<<<<" in raw or b">>>>>>>" in raw else None
        end = len(raw) if conflict is None else conflict.start()
        try:
            lines = self._split(raw[:end].decode(self.codec))
        except UnicodeDecodeError as exc:
            first = raw.rfind(b"\n", 0, exc.start) + 1  # where the bad line starts
            lines = self._split(raw[:first].decode(self.codec))
            self.number += 1
            if self.encoding == "auto":
                return lines, _Fallback()
            where: dict[str, object] = {
                "byte": f"0x{raw[exc.start]:02X}",
                "offset": start + exc.start,
            }
            col = exc.start - first + 1
            return lines, _Stop(Problem("Y-ENCODING", self.display, self.number, col, params=where))
        if conflict is not None:  # an unresolved merge (issue 19)
            return lines, _Stop(Problem("Y-CONFLICT", self.display, self.number + 1, 1))
        return lines, None

    def _split(self, text: str) -> list[str]:
        if not self.spaced and _SPACE.search(text):
            self.spaced = True
        parts = text.split("\n")
        last = parts.pop()
        lines = [part + "\n" for part in parts]
        if last:
            lines.append(last)
        self.number += len(lines)
        return lines


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

    try:
        source: Iterator[str] = iter(lines)
        try:
            first = next(source, None)
        except _Fallback:
            source = decoded(0)
            first = next(source, None)
        if first is None:
            problems.append(_header_problem(display, 1, required, required, delimiter))
            return
        if delimiter == "auto":
            delimiter = detect_delimiter(first)

        def chained() -> Iterator[str]:
            yield first
            try:
                yield from source
            except _Fallback:
                yield from decoded(lines.number - 1)

        reader = csv.reader(chained(), delimiter=delimiter, strict=True)
        header: list[str] | None = None
        width = 0
        count = 0
        limit = MAX_ROWS if max_rows is None else max_rows
        start = 1  # the first line of the record being read
        try:
            for fields in reader:
                line, end = start, reader.line_num
                if end - line >= MAX_RECORD_LINES:
                    problems.append(_record_problem(display, line))
                    break
                start = lines.record_start = end + 1
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
                yield line, fields
        except csv.Error as exc:
            if reader.line_num - start >= MAX_RECORD_LINES:  # an open quote ran on
                problems.append(_record_problem(display, start))
            else:
                problems.append(Problem("D-CSV", display, start, params={"error": str(exc)}))
        if header is None and not problems:
            problems.append(_header_problem(display, 1, required, required, delimiter))
    except _Stop as stop:
        problems.append(stop.problem)
    finally:
        lines.close()


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
