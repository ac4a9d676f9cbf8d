"""Which text encoding a data file is in: UTF-8, or cp1252 when declared or unambiguous (issue 17).

German Excel's default "CSV (Trennzeichen-getrennt)" is cp1252. Refusing it made every
planner's first import fail; guessing would turn a cp850 or MacRoman file into wrong
letters without a word. So cp1252 is taken when ``zyklus.yaml`` says ``data: {encoding:
cp1252}``, or when the bytes can be read no other sensible way (:func:`decode_data`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from zyklus.errors import LoadError, Problem
from zyklus.files.loader import read_bytes_bounded, refuse_conflict_markers

Encoding = Literal["auto", "utf-8", "cp1252"]

# What German (and Western European) text in cp1252 consists of beyond ASCII. A byte that
# decodes to anything else means the file is in another encoding (cp850, MacRoman, …):
# MacRoman's ä ö ü are cp1252's Š š Ÿ, so those are left out.
_LETTERS = frozenset("ÄÖÜäöüßÀÁÂÃÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕØÙÚÛÝàáâãåæçèéêëìíîïñòóôõøùúûýÿ")
_SIGNS = frozenset("€–—„“”‚‘’…°§²³µ½¼¾·×«»\xa0")
# cp850 writes ä, ö, é as the bytes of „ ” ‚ in cp1252: such a quote inside a word is a letter
# of another encoding (a dash or an apostrophe there is ordinary: „Nord–Süd“, „geht’s“).
_QUOTES = frozenset("„“”‚‘")


def decode_data(raw: bytes, display: str, encoding: Encoding = "auto") -> str:
    """The text of a data file: UTF-8 (BOM ok), or cp1252 declared or unambiguous.

    ``auto`` takes UTF-8 when the bytes are UTF-8. Otherwise it takes cp1252 only when every
    byte beyond ASCII is a letter or a common sign of German text and no sign stands inside
    a word (in cp850, ä is the byte of „ in cp1252: ``M„nner`` is refused, not guessed).
    A refusal names the file, the byte and its line and column, and how to declare it.
    """
    if encoding != "cp1252":
        body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            failure = exc
        if encoding == "auto":
            text = _cp1252_if_unambiguous(raw)
            if text is not None:
                return text
        code = "D-ENCODING" if encoding == "auto" else "D-ENCODING-UTF8"
        raise LoadError([_encoding_problem(raw, failure.start, display, code)])
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:  # the five bytes cp1252 leaves undefined
        raise LoadError([_encoding_problem(raw, exc.start, display, "D-ENCODING-CP1252")]) from None


def _cp1252_if_unambiguous(raw: bytes) -> str | None:
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    for i, char in enumerate(text):
        if char.isascii():
            continue
        if char in _LETTERS:
            continue
        if char not in _SIGNS:
            return None
        if char not in _QUOTES:
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalpha() and after.isalpha():
            return None
    return text


def _encoding_problem(raw: bytes, offset: int, display: str, code: str) -> Problem:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    params = {"byte": f"0x{raw[offset]:02X}", "offset": offset}
    return Problem(code, path=display, line=line, col=col, params=params)


def read_data_text(path: Path, display: str, max_bytes: int, encoding: Encoding = "auto") -> str:
    """A data file's text, bounded and decoded by :func:`decode_data`; no merge conflict."""
    text = decode_data(read_bytes_bounded(path, display, max_bytes), display, encoding)
    refuse_conflict_markers(text, display)
    return text
