"""Strict, bounded YAML loading with locations.

Cards are written by people and arrive through merge requests, so YAML's traps must not
bite silently and no file may exhaust the machine. Instead of PyYAML's composer and
constructor we build plain Python data directly from the parser's event stream, in one
pass with an explicit stack. That lets us:

* bound the work: file size, nesting depth, alias count and alias expansion are checked
  while parsing, before anything large exists (an alias bomb stops after a few events);
* reject what a card never needs: tags, merge keys ``<<``, several documents;
* resolve scalars by a small YAML 1.2-style schema of our own, identically with libyaml
  and the pure-Python parser: ``no``/``on``/``y`` stay strings, ``01234`` and ``1:30``
  stay strings, ``12.500`` becomes :class:`AmbiguousNumber` for the models to refuse;
* report duplicate keys with both lines.

Line maps (key path → line, column) cost time, so they are built only when a problem
needs a location: :meth:`Document.locate` parses the text once more, recording marks.
"""

from __future__ import annotations

import functools
import math
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from zyklus.errors import KeyPath, LoadError, Problem

MAX_BYTES = 1 << 20  # 1 MiB: a card, an offer or zyklus.yaml is a few KiB
MAX_CYCLE_BYTES = 64 << 20  # a cycle file grows with the city: 10 000 projects ≈ 20 MiB
MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_ALIAS_NODES = 10_000  # nodes reachable through aliases, counted with repetition
MAX_NUMBER_DIGITS = 30
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)

# libyaml's parser. PyYAML exports it only inside CBaseLoader (``yaml.CParser`` does not
# exist), and CBaseLoader adds nothing we use: we read its events, not its nodes.
_C_PARSER: Any = getattr(yaml, "CBaseLoader", None)


def libyaml_available() -> bool:
    return _C_PARSER is not None


class AmbiguousNumber(str):
    """A scalar like ``12.500``: 12.5 to YAML, twelve thousand five hundred to a German.

    It stays text; the models refuse it where a number belongs, so the planner decides.
    """

    __slots__ = ()


@dataclass
class Document:
    """A loaded YAML file: its data, plus a lazily built map of where each key stands."""

    path: str
    data: Any
    text: str = field(repr=False)
    pure: bool = False
    _marks: dict[KeyPath, tuple[int, int]] | None = field(default=None, repr=False)
    _key_marks: dict[KeyPath, tuple[int, int]] | None = field(default=None, repr=False)

    def locate(self, key_path: KeyPath, *, key: bool = False) -> tuple[int | None, int | None]:
        """1-based (line, column) of the value at ``key_path``, or of its key when ``key``.

        Falls back to the nearest enclosing node that exists (a missing key is reported at
        the mapping that should hold it).
        """
        if self._marks is None:
            builder = _Builder(self.path, record=True)
            builder.run(self.text, pure=self.pure)
            self._marks, self._key_marks = builder.marks, builder.key_marks
        assert self._marks is not None and self._key_marks is not None
        path = tuple(key_path)
        if key and path in self._key_marks:
            return self._key_marks[path]
        while path:
            if path in self._marks:
                return self._marks[path]
            path = path[:-1]
        return self._marks.get((), (1, 1))


def load_file(
    path: Path,
    display: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    pure: bool | None = None,
) -> Document:
    """Read and parse ``path``; raise :class:`LoadError` with a located problem."""
    name = display if display is not None else str(path)
    text = read_text_bounded(path, name, max_bytes)
    return load_text(text, name, pure=pure)


def read_text_bounded(path: Path, name: str, max_bytes: int) -> str:
    """The text of a regular file of at most ``max_bytes``, decoded as UTF-8 (BOM ok).

    Non-blocking open, then only regular files: a FIFO named x.yaml must not hang
    validate, and /dev/zero must not be read (issue 8). Used for data files too.
    """
    text = decode(read_bytes_bounded(path, name, max_bytes), name)  # bytes go first (issue 9)
    refuse_conflict_markers(text, name)
    return text


def read_bytes_bounded(path: Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes`` (see :func:`read_text_bounded`)."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise LoadError([Problem("Y-NOT-FILE", path=name)])
            # A buffer of the file's size, not of the limit: a 4 KiB card must not cost a
            # 1 MiB allocation (issue 21). A file longer than it said is read on, bounded;
            # no file object is made: a card is one read.
            raw = os.read(descriptor, min(info.st_size, max_bytes) + 1)
            if raw and len(raw) <= max_bytes:
                chunks = [raw]
                size = len(raw)
                while size <= max_bytes and (chunk := os.read(descriptor, max_bytes + 1 - size)):
                    chunks.append(chunk)
                    size += len(chunk)
                raw = b"".join(chunks) if len(chunks) > 1 else raw
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise LoadError(
            [Problem("Y-READ", path=name, params={"error": exc.strerror or exc})]
        ) from None
    if len(raw) > max_bytes:
        raise LoadError([Problem("Y-TOO-LARGE", path=name, params={"limit": max_bytes})])
    return raw


_CONFLICT_MARKER = re.compile(r"^(?:<{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)


def refuse_conflict_markers(text: str, name: str) -> None:
    """A file left with git's conflict markers is an unresolved merge, not a syntax error.

    Checked before parsing: inside a block scalar the markers would even parse (issue 19).
    The substring test keeps the common case to one pass in C.
    """
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return
    found = _CONFLICT_MARKER.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    raise LoadError([Problem("Y-CONFLICT", path=name, line=line, col=1)])


def dropped_comments(text: str) -> list[int]:
    """Lines (1-based) of a cycle file with a comment that zyklus's next write of it
    would drop (issue 20).

    Only the block at the top is kept; a comment further down (a line of its own, or after
    a value) is lost when zyklus rewrites the file. ``validate`` warns, so a note can move
    to the top block or into ``note:`` before it silently disappears.
    """
    lines = text.splitlines()
    start = 0
    while start < len(lines) and (
        not lines[start].strip() or lines[start].lstrip().startswith("#")
    ):
        start += 1
    # only lines with a '#' can hold a comment: a cycle file of 10 000 projects (13 MB)
    # has a few, and the scan by character cost a second there (issue 21)
    return [n + 1 for n in range(start, len(lines)) if "#" in lines[n] and _has_comment(lines[n])]


def _has_comment(line: str) -> bool:
    """A ``#`` that starts a comment: at the line's start or after a space, outside quotes."""
    quote = ""
    previous = " "
    for char in line:
        if quote:
            if char == quote and previous != "\\":
                quote = ""
        elif char in "\"'" and previous in " :[{,-":
            quote = char
        elif char == "#" and previous in " \t":
            return True
        previous = char
    return False


def decode(raw: bytes, name: str) -> str:
    """UTF-8 with or without BOM; anything else is refused with the byte's position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            [
                Problem(
                    "Y-ENCODING",
                    path=name,
                    line=line,
                    col=col,
                    params={"byte": f"0x{raw[exc.start]:02X}", "offset": exc.start},
                )
            ]
        ) from None


def load_text(text: str, name: str, *, pure: bool | None = None) -> Document:
    refuse_conflict_markers(text, name)
    document = unparsed(text, name, pure=pure)
    document.data = _Builder(name, record=False).run(text, pure=document.pure)
    return document


def unparsed(text: str, name: str, *, pure: bool | None = None) -> Document:
    """A document of ``text`` not parsed yet: :meth:`Document.locate` parses it when asked."""
    if pure is None:
        pure = not libyaml_available() or os.environ.get("ZYKLUS_PURE_YAML") == "1"
    return Document(path=name, data=None, text=text, pure=pure)


# --- scalar resolution ------------------------------------------------------------------

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(
    r"[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z"
    r"|[-+]?(?:0|[1-9][0-9]*)[eE][-+]?[0-9]+\Z"
)
# 12.500: a German thousands point or a decimal point? Refused either way (AmbiguousNumber)
THOUSANDS = re.compile(r"[-+]?[0-9]{1,3}(?:\.[0-9]{3})+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r" ?(?:[Zz]|[-+][0-9]{2}(?::?[0-9]{2})?)?\Z"
)
_CONSTANTS: dict[str, Any] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_NUMERIC_START = frozenset("0123456789+-.")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BAD_ESCAPE = "found invalid Unicode character escape code"
# libyaml's words for its own nesting limit (0.2.6: "exceeded maximum nesting depth")
_LIBYAML_DEPTH = "maximum nesting depth"


class _Stop(Exception):
    """Raised inside the builder to abort with one problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _NeedsMarks(Exception):
    """A duplicate key met without marks: parse again, recording, to name the first line."""


class _Builder:
    """Turns parser events into plain data; see the module docstring for the rules."""

    def __init__(self, name: str, *, record: bool) -> None:
        self.name = name
        self.record = record
        self.marks: dict[KeyPath, tuple[int, int]] = {}
        self.key_marks: dict[KeyPath, tuple[int, int]] = {}

    def fail(self, code: str, mark: Any, **params: Any) -> _Stop:
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        return _Stop(Problem(code, path=self.name, line=line, col=col, params=params))

    def run(self, text: str, *, pure: bool) -> Any:
        try:
            parser = self._parser(text, pure)
            return self._build(parser) if self.record else self._data(parser)
        except _NeedsMarks:
            return _Builder(self.name, record=True).run(text, pure=pure)
        except _Stop as stop:
            raise LoadError([stop.problem]) from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            if not pure and _LIBYAML_DEPTH in (exc.problem or ""):
                # libyaml 0.2.6 (PyYAML 6.0.3+) stops at its own 1 000 levels while scanning
                # ahead, before our builder sees level MAX_DEPTH. The pure parser has no such
                # limit, so it reaches ours at the same place for every release (issue 12).
                self._depth_again(text, mark)
            problem = " ".join(x for x in (exc.context, exc.problem) if x) or str(exc)
            raise LoadError(
                [
                    Problem(
                        "Y-SYNTAX",
                        path=self.name,
                        line=mark.line + 1 if mark else None,
                        col=mark.column + 1 if mark else None,
                        params={"problem": problem},
                    )
                ]
            ) from None
        except (yaml.YAMLError, UnicodeEncodeError) as exc:  # a character YAML does not allow
            # ReaderError, or libyaml's UTF-8 encoding failing on a lone surrogate (text made
            # from a command line in a non-UTF-8 terminal): the same problem, located
            position = getattr(exc, "position", getattr(exc, "start", None))
            line = col = None
            if isinstance(position, int):
                if not pure and _C_PARSER is not None and isinstance(exc, yaml.YAMLError):
                    # libyaml counts UTF-8 bytes
                    position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
                line = text.count("\n", 0, position) + 1
                col = position - (text.rfind("\n", 0, position) + 1) + 1
            if isinstance(exc, UnicodeEncodeError):
                reason = "special characters are not allowed"
            else:
                reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
            raise LoadError(
                [
                    Problem(
                        "Y-SYNTAX",
                        path=self.name,
                        line=line,
                        col=col,
                        params={"problem": reason},
                    )
                ]
            ) from None
        except RecursionError:  # defensive: the builder itself never recurses
            raise LoadError(
                [Problem("Y-DEPTH", path=self.name, params={"limit": MAX_DEPTH})]
            ) from None

    def _depth_again(self, text: str, mark: Any) -> None:
        """Raise Y-DEPTH where the pure parser meets MAX_DEPTH (at libyaml's mark if not)."""
        _Builder(self.name, record=self.record).run(text, pure=True)
        raise LoadError([self.fail("Y-DEPTH", mark, limit=MAX_DEPTH).problem])

    @staticmethod
    def _parser(text: str, pure: bool) -> Any:
        if pure or _C_PARSER is None:
            return yaml.SafeLoader(text)
        return _C_PARSER(text)

    def _data(self, parser: Any) -> Any:
        """The data of the events alone: the loop every file goes through (issues 9, 21).

        It decides exactly as :meth:`_build` (a test runs both on the whole yaml-test-suite),
        with less work per event: the open container, whether it is a mapping and its
        pending key live in locals, not in a frame list; the parents wait on a stack; the
        size of an anchored node is counted only when an alias uses it; a duplicate key
        hands over to :meth:`_build`, which names both lines.
        """
        fail, plain, refused = self.fail, _plain, _Refused
        constants, numeric = _CONSTANTS, _NUMERIC_START
        no_key = _NO_KEY
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
        get_event = parser.get_event
        documents = aliases = alias_nodes = 0
        anchors: dict[str, Any] = {}
        sizes: dict[str, int] = {}  # nodes of an anchored value, once an alias counted them
        root: list[Any] = []  # the document's value lands here, as in a sequence
        # the open container, whether it is a mapping, its pending key; parents on the stack
        # with the anchor of the container they wait for
        container: Any = root
        is_mapping = False
        key: Any = no_key
        stack: list[tuple[Any, bool, Any, str | None]] = []
        try:
            while True:
                event = get_event()
                kind = type(event)
                if kind is scalar_event:
                    if event.tag is not None:
                        raise fail("Y-TAG", event.start_mark, tag=_short_tag(event.tag))
                    value = text = event.value
                    style = event.style
                    if not style:
                        if text in constants:
                            value = constants[text]
                        elif text[0] in numeric:
                            value = plain(text)
                            if type(value) is refused:
                                raise fail(value.code, event.start_mark, **value.params)
                    elif style == '"' and _SURROGATE.search(text):
                        raise fail("Y-SYNTAX", event.start_mark, problem=_BAD_ESCAPE)
                    if event.anchor is not None:
                        anchors[event.anchor] = value
                        sizes[event.anchor] = 1
                    if not is_mapping:
                        container.append(value)
                    elif key is no_key:
                        if text == "<<" and not style:
                            raise fail("Y-MERGE", event.start_mark)
                        if text in container:
                            raise _NeedsMarks
                        key = text
                    else:
                        container[key] = value
                        key = no_key
                    continue
                if kind is mapping_start or kind is sequence_start:
                    if event.tag is not None:
                        raise fail("Y-TAG", event.start_mark, tag=_short_tag(event.tag))
                    if len(stack) >= MAX_DEPTH:
                        raise fail("Y-DEPTH", event.start_mark, limit=MAX_DEPTH)
                    if is_mapping and key is no_key:
                        raise fail("Y-KEY-TYPE", event.start_mark)
                    stack.append((container, is_mapping, key, event.anchor))
                    is_mapping = kind is mapping_start
                    container = {} if is_mapping else []
                    key = no_key
                    continue
                if kind is mapping_end or kind is sequence_end:
                    value = container
                    container, is_mapping, key, anchor = stack.pop()
                    if anchor is not None:
                        anchors[anchor] = value
                        sizes.pop(anchor, None)  # counted when an alias needs it
                elif kind is alias_event:
                    aliases += 1
                    if aliases > MAX_ALIASES:
                        raise fail("Y-ALIASES", event.start_mark, limit=MAX_ALIASES)
                    anchor = event.anchor
                    if anchor not in anchors:
                        raise fail("Y-SYNTAX", event.start_mark, problem="unknown alias")
                    value = anchors[anchor]
                    budget = MAX_ALIAS_NODES - alias_nodes
                    size = sizes.get(anchor)
                    if size is None:
                        size = _nodes(value, budget + 1)
                        if size <= budget:
                            sizes[anchor] = size
                    alias_nodes += size
                    if alias_nodes > MAX_ALIAS_NODES:
                        raise fail("Y-ALIASES", event.start_mark, limit=MAX_ALIASES)
                    if is_mapping and key is no_key:
                        raise fail("Y-KEY-TYPE", event.start_mark)
                else:
                    if kind is document_start:
                        documents += 1
                        if documents > 1:
                            raise fail("Y-MULTIDOC", event.start_mark)
                    elif kind is stream_end:
                        return root[0] if root else None
                    continue
                # a collection or an alias is complete: put it into its parent
                if not is_mapping:
                    container.append(value)
                else:
                    container[key] = value
                    key = no_key
        finally:
            parser.dispose()

    def _build(self, parser: Any) -> Any:
        """One pass over the parser's events with an explicit stack, recording marks.

        :meth:`_data` is the same without marks; this one runs when a problem needs a
        location (or a duplicate key its first line).
        """
        record, marks, key_marks, fail = self.record, self.marks, self.key_marks, self.fail
        resolve, constants, numeric, no_key = self._scalar, _CONSTANTS, _NUMERIC_START, _NO_KEY
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        get_event = parser.get_event
        documents = aliases = alias_nodes = 0
        result: Any = None
        anchors: dict[str, tuple[Any, int]] = {}
        # A frame: [container, path, pending key, key mark, anchor, seen keys, size, is mapping]
        stack: list[list[Any]] = []
        top: list[Any] | None = None  # stack[-1]
        try:
            while (event := get_event()) is not None:
                kind = type(event)
                if kind is scalar_event:
                    if event.tag is not None:
                        raise fail("Y-TAG", event.start_mark, tag=_short_tag(event.tag))
                    value = text = event.value
                    if not event.style:
                        if text in constants:
                            value = constants[text]
                        elif text[0] in numeric:
                            value = resolve(event)
                    elif event.style == '"' and _SURROGATE.search(text):
                        # "\udce9" is refused by libyaml; without this the pure parser would
                        # read a file that CI cannot (issue 8)
                        raise fail("Y-SYNTAX", event.start_mark, problem=_BAD_ESCAPE)
                    if event.anchor is not None:
                        anchors[event.anchor] = (value, 1)
                    size, is_scalar = 1, True
                elif kind is mapping_start or kind is sequence_start:
                    if event.tag is not None:
                        raise fail("Y-TAG", event.start_mark, tag=_short_tag(event.tag))
                    if len(stack) >= MAX_DEPTH:
                        raise fail("Y-DEPTH", event.start_mark, limit=MAX_DEPTH)
                    if top is not None and top[7] and top[2] is no_key:
                        raise fail("Y-KEY-TYPE", event.start_mark)
                    path: KeyPath = ()  # key paths are for marks only
                    if record:
                        if top is not None:
                            path = (*top[1], top[2] if top[7] else len(top[0]))
                        marks[path] = (event.start_mark.line + 1, event.start_mark.column + 1)
                    is_mapping = kind is mapping_start
                    container: Any = {} if is_mapping else []
                    seen: dict[str, int] | None = {} if record and is_mapping else None
                    top = [container, path, no_key, None, event.anchor, seen, 1, is_mapping]
                    stack.append(top)
                    continue
                elif kind is mapping_end or kind is sequence_end:
                    frame = stack.pop()
                    top = stack[-1] if stack else None
                    value, size, is_scalar = frame[0], frame[6], False
                    if frame[4] is not None:
                        anchors[frame[4]] = (value, size)
                elif kind is alias_event:
                    aliases += 1
                    if aliases > MAX_ALIASES:
                        raise fail("Y-ALIASES", event.start_mark, limit=MAX_ALIASES)
                    if event.anchor not in anchors:
                        raise fail("Y-SYNTAX", event.start_mark, problem="unknown alias")
                    value, size = anchors[event.anchor]
                    alias_nodes += size
                    if alias_nodes > MAX_ALIAS_NODES:
                        raise fail("Y-ALIASES", event.start_mark, limit=MAX_ALIASES)
                    is_scalar = False
                else:
                    if kind is yaml.DocumentStartEvent:
                        documents += 1
                        if documents > 1:
                            raise fail("Y-MULTIDOC", event.start_mark)
                    continue

                # the value is complete: put it into its parent
                if top is None:
                    result = value
                    continue
                top[6] += size
                if not top[7]:  # an item of a sequence
                    if record and is_scalar:
                        mark = event.start_mark
                        marks[(*top[1], len(top[0]))] = (mark.line + 1, mark.column + 1)
                    top[0].append(value)
                elif top[2] is no_key:  # a key of a mapping
                    if not is_scalar:
                        raise fail("Y-KEY-TYPE", event.start_mark)
                    key = event.value
                    if key == "<<" and not event.style:
                        raise fail("Y-MERGE", event.start_mark)
                    top[2] = key
                    if not record:  # the keys so far are all in the mapping already
                        if key in top[0]:
                            raise _NeedsMarks
                        continue
                    mark = event.start_mark
                    seen = top[5]
                    if key in seen:
                        raise fail("Y-DUPKEY", mark, key=shown(key), first=seen[key])
                    seen[key] = mark.line + 1
                    top[3] = mark
                    key_marks[(*top[1], key)] = (mark.line + 1, mark.column + 1)
                else:  # the value of the pending key
                    key = top[2]
                    if record:
                        at = (*top[1], key)
                        if is_scalar:
                            mark = event.start_mark
                            marks[at] = (mark.line + 1, mark.column + 1)
                        elif at not in marks:
                            mark = top[3]
                            marks[at] = (mark.line + 1, mark.column + 1)
                    top[0][key] = value
                    top[2] = no_key
            return result
        finally:
            parser.dispose()

    def _scalar(self, event: Any) -> Any:
        """Resolve a plain scalar (see :func:`_plain`), raising what it refuses."""
        value = _plain(event.value)
        if type(value) is _Refused:
            raise self.fail(value.code, event.start_mark, **value.params)
        return value


@dataclass(frozen=True)
class _Refused:
    """A plain scalar the loader refuses: the problem's code and parameters."""

    code: str
    params: dict[str, Any]


@functools.lru_cache(maxsize=4096)
def _plain(text: str) -> Any:
    """A plain scalar's value: null, bool, int, float, date, datetime, else text.

    Or :class:`_Refused`: an over-long number, a date that does not exist. Kept for the
    texts met last: dates and numbers repeat from card to card, and one look-up is a
    fraction of the five patterns a date goes through (issue 21). Every value is immutable.
    """
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if not text or text[0] not in _NUMERIC_START:
        return text
    if _INT.match(text):
        if len(text) > MAX_NUMBER_DIGITS:
            return _Refused("Y-NUMBER-TOO-LONG", {"limit": MAX_NUMBER_DIGITS})
        return int(text)
    if THOUSANDS.match(text):
        return AmbiguousNumber(text)
    if _FLOAT.match(text):
        if len(text) > MAX_NUMBER_DIGITS:
            return _Refused("Y-NUMBER-TOO-LONG", {"limit": MAX_NUMBER_DIGITS})
        number = float(text)
        return text if math.isinf(number) else number  # 1e999 is no amount: keep text
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return _Refused("Y-DATE", {"text": text})
    if _DATETIME.match(text):
        try:
            return datetime.fromisoformat(text.replace(" ", "T", 1).replace("z", "Z"))
        except ValueError:
            return _Refused("Y-DATE", {"text": text})
    return text


def _nodes(value: Any, limit: int) -> int:
    """The nodes of ``value`` as the parser met them, keys included; stops past ``limit``.

    What an alias costs: an alias bomb is refused after at most ``limit`` steps.
    """
    count = 0
    todo = [value]
    while todo and count < limit:
        item = todo.pop()
        count += 1
        if type(item) is dict:
            count += len(item)  # the keys: scalars
            todo.extend(item.values())
        elif type(item) is list:
            todo.extend(item)
    return count


def _short_tag(tag: str) -> str:
    """Show a tag as it was written: ``tag:yaml.org,2002:str`` → ``!!str``."""
    prefix = "tag:yaml.org,2002:"
    return shown("!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag)


def shown(text: object, limit: int = 80) -> str:
    """User text as a message parameter: on one line (control characters escaped), short.

    A problem is one line ``path:line:col: CODE message``; a key or value with a newline
    in it, or a pasted page of text, must not break that line (issue 8).
    """
    from zyklus.i18n import one_line

    value = one_line(str(text))
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()
