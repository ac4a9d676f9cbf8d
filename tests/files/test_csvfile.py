"""Tests of files/csvfile.py: streamed reading with bounded lines, rows and columns (issue 20)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import grows_linearly, work_ratio
from zyklus.errors import LoadError
from zyklus.files import csvfile
from zyklus.files.csvfile import read_rows


def _codes(path: Path) -> list[tuple[int | None, str]]:
    with pytest.raises(LoadError) as info:
        read_rows(path, "data/indicators.csv")
    return [(p.line, p.code) for p in info.value.problems]


def test_a_header_of_five_million_columns_is_refused_without_reading_it(tmp_path: Path) -> None:
    """10 MB of commas in one line: refused at the line cap, in little memory (issue 20)."""
    path = tmp_path / "wide.csv"
    path.write_bytes(b"area" + b"," * 5_000_000 + b"\n")
    tracemalloc.start()
    try:
        assert _codes(path) == [(1, "D-LINE-TOO-LONG")]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * csvfile.MAX_LINE_BYTES


def test_too_many_columns_within_the_line_cap(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("a" + ",b" * 100 + "\n1\n", encoding="utf-8")
    assert _codes(path) == [(1, "D-TOO-MANY-COLUMNS")]


def test_an_unclosed_quote_stops_after_a_few_lines(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('area,value\n"a,1\n' + "b,2\n" * 1000, encoding="utf-8")
    assert _codes(path) == [(2, "D-RECORD-TOO-LONG")]


def test_row_and_byte_caps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("area,value\n" + "a,1\n" * 11, encoding="utf-8")
    monkeypatch.setattr(csvfile, "MAX_ROWS", 10)
    assert _codes(path) == [(12, "D-TOO-MANY-ROWS")]
    monkeypatch.setattr(csvfile, "MAX_DATA_BYTES", 20)
    assert _codes(path) == [(None, "D-TOO-LARGE")]


def test_encoding_error_names_line_and_column(tmp_path: Path) -> None:
    """A byte that neither UTF-8 nor cp1252 explains (issue 17 decides on the whole file)."""
    path = tmp_path / "latin.csv"
    path.write_bytes(b"area,name\nx,S\x81d\n")
    with pytest.raises(LoadError) as info:
        read_rows(path, "data/areas.csv")
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("D-ENCODING", 2, 4)


def test_cp1252_is_read_when_unambiguous(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"area;name\n" + "x;Süd\n".encode("cp1252") * 3)
    assert [row["name"] for _, row in read_rows(path, "data/areas.csv")] == ["Süd"] * 3


def test_conflict_markers_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "merged.csv"
    path.write_text("area,value\n<<<<<<< HEAD\na,1\n=======\na,2\n>>>>>>> main\n", "utf-8")
    assert _codes(path) == [(2, "Y-CONFLICT")]


def test_reading_is_linear(tmp_path: Path) -> None:
    """n and 10·n rows: 10× the Python work (counted, not timed: issue 18), and no more
    than ~30× the time (what happens inside csv and the decoder is not counted)."""
    for n in (2_000, 20_000):
        text = "area;value\n" + "".join(f"a{i};{i}\n" for i in range(n))
        (tmp_path / f"r{n}.csv").write_text(text, "utf-8")

    def run(n: int) -> object:
        return read_rows(tmp_path / f"r{n}.csv", "x.csv")

    assert work_ratio(run, 2_000) <= 11
    assert grows_linearly(run, 2_000, limit=30) <= 30


def test_blocks_keep_every_line_and_its_number(tmp_path: Path) -> None:
    """Lines across the blocks the file is read in (issue 18): none lost, none split, and
    each row keeps its line; a quoted field with a line break stays one record."""
    rows = [f"a{i};{'x' * (i % 97)}" for i in range(6_000)]  # ~300 KiB: several blocks
    rows[4_000] = 'q;"zwei\nZeilen"'
    path = tmp_path / "big.csv"
    path.write_text("area;value\n" + "\n".join(rows), "utf-8")  # no newline at the end
    found = read_rows(path, "x.csv")
    assert len(found) == 6_000
    assert found[0] == (2, {"area": "a0", "value": ""})
    assert found[4_000] == (4_002, {"area": "q", "value": "zwei\nZeilen"})
    assert found[4_001][0] == 4_004  # after the record of two lines
    assert found[-1] == (6_002, {"area": "a5999", "value": "x" * (5_999 % 97)})


def test_fields_are_trimmed_from_the_first_block_with_white_space(tmp_path: Path) -> None:
    """Blocks without white space skip the trimming (issue 18); a later block with it, and
    a cp1252 file read whole, are trimmed as before."""
    path = tmp_path / "late.csv"
    path.write_text("area;value\n" + "a;1\n" * 30_000 + " b ;\t2 \n", "utf-8")
    assert read_rows(path, "x.csv")[-1] == (30_002, {"area": "b", "value": "2"})
    excel = tmp_path / "excel.csv"
    excel.write_bytes("area;name\n x ; Süd \n".encode("cp1252"))
    assert read_rows(excel, "x.csv") == [(2, {"area": "x", "name": "Süd"})]


_cell = st.text(alphabet=st.sampled_from(list('ab ;"\nÄß1,.\t')), max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(_cell, min_size=3, max_size=3), min_size=1, max_size=12),
    st.integers(1, 40),
    st.booleans(),
)
def test_blocks_of_any_size_read_what_csv_reads_line_by_line(
    tmp_path_factory: pytest.TempPathFactory, table: list[list[str]], block: int, crlf: bool
) -> None:
    """Whatever the block size (here a few bytes: lines and UTF-8 letters cut anywhere),
    the rows and their first lines are those of the csv module reading the text at once
    (issue 18)."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n" if crlf else "\n").writerows(
        [["h1", "h2", "h3"], *table]
    )
    text = out.getvalue()
    path = tmp_path_factory.mktemp("blocks") / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    expected, start = [], 1
    for fields in reader:
        line, start = start, reader.line_num + 1
        fields = [f.strip() for f in fields]
        if any(fields) and line > 1:
            expected.append((line, dict(zip(["h1", "h2", "h3"], fields, strict=True))))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfile, "_BLOCK", block)
        assert read_rows(path, "t.csv", ";") == expected


@given(
    st.text(alphabet=st.sampled_from(list('ab1,;"\n\r\t \x0b\x0c\x1c\x1f\xa0\u2028Ä')), max_size=30)
)
def test_the_quick_white_space_check_is_the_pattern(text: str) -> None:
    """Issue 18: ASCII blocks are searched letter by letter, others by the pattern; both
    find what str.strip could take off a field, or a quote."""
    assert csvfile._spaced(text) == (csvfile._SPACE.search(text) is not None)
