"""One escaping rule per output format (issue 20)."""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zyklus import escape


def test_spreadsheet_cell_neutralises_every_formula_start() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert escape.spreadsheet_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert escape.spreadsheet_cell("Kita Nord") == "Kita Nord"
    assert escape.spreadsheet_cell("") == ""


@given(st.text())
def test_spreadsheet_cell_never_starts_a_formula(text: str) -> None:
    out = escape.spreadsheet_cell(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    buffer = io.StringIO()
    csv.writer(buffer).writerow([out])
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [out]


def test_terminal_shows_escape_sequences_and_newlines() -> None:
    assert escape.terminal("\x1b[31mrot\x1b[0m") == "\\x1b[31mrot\\x1b[0m"
    assert escape.terminal("a.yaml\nb.yaml:1: E-FAKE") == "a.yaml\\nb.yaml:1: E-FAKE"
    assert escape.terminal("\u202eevil") == "\\u202eevil"
    assert escape.terminal("Wattenscheid-Mitte") == "Wattenscheid-Mitte"


@given(st.text())
def test_terminal_is_one_printable_line(text: str) -> None:
    out = escape.terminal(text)
    assert out.isprintable()
    assert len(out.splitlines()) <= 1


def test_markdown_keeps_the_report_bytes() -> None:
    assert escape.md_inline("a|b") == "a\\|b"
    assert escape.md_inline("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape.md_inline("![x](javascript:alert(1))") == "!\\[x\\](javascript:alert(1))"
    assert escape.md_block("# h\n- l\n\n1. n") == "\\# h\n\\- l\n\n1\\. n"
    assert escape.md_inline("\x1b[2J") == "\\\\x1b\\[2J"


@given(st.text())
def test_markdown_inline_has_no_raw_html_link_or_line_break(text: str) -> None:
    out = escape.md_inline(text)
    assert "<" not in out.replace("<br>", "")
    assert ">" not in out.replace("<br>", "")
    assert "\n" not in out
    assert "](" not in out.replace("\\](", "")


@given(st.text() | st.text(alphabet=" \t\u00a0\u3000abcß|*_<&#~`[]\\\n\x85"))
def test_markdown_inline_fast_path_is_the_whole_rule(text: str) -> None:
    """Issue 21: a plain printable line skips the work, and nothing else changes."""
    assert escape.md_inline(text) == escape._md_escaped(text)
    assert escape.md_inline(f"  {text}  ") == escape._md_escaped(f"  {text}  ")


def test_utf8_shows_only_lone_surrogates() -> None:
    assert escape.utf8("Bochum-Süd") == "Bochum-Süd"
    assert escape.utf8("a\udcffb") == "a\\xffb"


def test_html_escapes_markup() -> None:
    assert str(escape.html('<a href="x">&')) == "&lt;a href=&#34;x&#34;&gt;&amp;"


def test_json_value_drops_non_finite_numbers() -> None:
    value = {"a": [math.inf, -math.inf, math.nan, 1.5], "b": Decimal("Infinity"), "c": "x"}
    assert json.dumps(escape.json_value(value), allow_nan=False, default=str) == (
        '{"a": [null, null, null, 1.5], "b": null, "c": "x"}'
    )
