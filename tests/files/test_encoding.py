"""zyklus.files.encoding: UTF-8, cp1252 declared or unambiguous, the rest refused (issue 17)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyklus.errors import LoadError
from zyklus.files.encoding import decode_data

GERMAN = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzäöüÄÖÜß ;,.-0123456789€–\n"), max_size=200
)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@given(GERMAN)
def test_german_text_in_cp1252_reads_back_exactly(text: str) -> None:
    raw = text.encode("cp1252")
    assert decode_data(raw, "d.csv", "cp1252") == text  # declared: always
    # detected: unless the bytes are also UTF-8 (ä, Ä before – or „ with no space between:
    # "Ä–" is the UTF-8 of "Ė"), which UTF-8 wins; declare cp1252 for such files
    if text.isascii() or not _is_utf8(raw):
        assert decode_data(raw, "d.csv") == text


@given(GERMAN)
def test_utf8_with_and_without_bom_wins(text: str) -> None:
    assert decode_data(text.encode("utf-8"), "d.csv") == text
    assert decode_data(b"\xef\xbb\xbf" + text.encode("utf-8"), "d.csv", "utf-8") == text


def test_what_is_not_clearly_cp1252_is_refused_with_its_position() -> None:
    # cp850 (DOS) writes ä as 0x84, which cp1252 reads as „ inside a word
    with pytest.raises(LoadError) as info:
        decode_data("id;name\nx;Männer\n".encode("cp850"), "a.csv")
    (problem,) = info.value.problems
    assert (problem.code, problem.path, problem.line, problem.col) == ("D-ENCODING", "a.csv", 2, 4)
    assert problem.params == {"byte": "0x84", "offset": 11}
    with pytest.raises(LoadError) as info:  # declared utf-8: no second reading
        decode_data("Süd".encode("cp1252"), "a.csv", "utf-8")
    assert info.value.problems[0].code == "D-ENCODING-UTF8"
    with pytest.raises(LoadError) as info:  # 0x81 does not exist in cp1252
        decode_data(b"S\x81d", "a.csv", "cp1252")
    assert info.value.problems[0].code == "D-ENCODING-CP1252"
