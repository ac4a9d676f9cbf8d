"""Tests of data.py: areas.csv and indicators.csv, plain and as German Excel writes them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zyklus import i18n, models
from zyklus.errors import LoadError, Problem
from zyklus.files.tables import AreaTable, load_areas, load_indicators, parse_period, read_rows
from zyklus.files.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]

AREAS = (
    "id,name,level,parent\nstadt,Stadt,stadt,\nnord,Nord,bezirk,stadt\n554,D 554,distrikt,nord\n"
)
INDICATORS = [
    models.Indicator(id="anteil", label="Anteil", unit="%"),
    models.Indicator(id="arbeitslose", label="Arbeitslose", unit="Personen", aggregation="sum"),
]


def _areas(tmp_path: Path, text: str = AREAS) -> AreaTable:
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    return load_areas(path, "data/areas.csv")


def _load(
    tmp_path: Path, content: str | bytes, decimal: str = "auto", delimiter: str = "auto"
) -> dict[tuple[str, str, date], float]:
    path = tmp_path / "indicators.csv"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    convention = models.CsvConvention(decimal=decimal, delimiter=delimiter)  # type: ignore[arg-type]
    table = load_indicators(path, "data/indicators.csv", INDICATORS, _areas(tmp_path), convention)
    return {
        (area, indicator, period): value
        for (indicator, period), by in table.values.items()
        for area, value in by.items()
    }


def _problems(
    tmp_path: Path, content: str | bytes, decimal: str = "auto"
) -> list[tuple[int | None, str]]:
    with pytest.raises(LoadError) as info:
        _load(tmp_path, content, decimal)
    assert all(p.path == "data/indicators.csv" for p in info.value.problems)
    return [(p.line, p.code) for p in info.value.problems]


def _codes(exc: LoadError) -> list[tuple[int | None, str, dict[str, object]]]:
    return [(p.line, p.code, dict(p.params)) for p in exc.problems]


# --- the Bochum example -----------------------------------------------------------------------


def test_example_data_loads_completely() -> None:
    ws = Workspace(REPO)
    assert len(ws.areas.areas) == 46
    assert len(ws.indicators) == 83
    q = ws.indicators.get("querenburg", "arbeitslosenanteil", date(2023, 12, 31))
    assert q == 6.8
    line = ws.indicators.line("querenburg", "arbeitslosenanteil", date(2023, 12, 31))
    assert line is not None and line > 1
    assert ws.indicators.get("554", "arbeitslosenanteil", date(2023, 12, 31)) == 11.7
    assert ws.indicators.periods("arbeitslose") == [date(2023, 12, 31)]
    assert sorted(ws.areas.children["querenburg"]) == [str(n) for n in range(551, 560)]


# --- German Excel -----------------------------------------------------------------------------

GERMAN_EXCEL = (
    "\ufeffarea;indicator;period;value\r\n"
    "stadt;arbeitslose;31.12.2023;16.797\r\n"
    "stadt;anteil;31.12.2023;6,9\r\n"
    "554;anteil;31.12.2023;11,7 %\r\n"
    "nord;arbeitslose;31.12.2023;1.234.567\r\n"
    ";;;\r\n"
)


def test_german_excel_csv_with_declared_convention() -> None:
    values = _load_tmp(GERMAN_EXCEL, decimal=",")
    day = date(2023, 12, 31)
    assert values == {
        ("stadt", "arbeitslose", day): 16797,
        ("stadt", "anteil", day): 6.9,
        ("554", "anteil", day): 11.7,
        ("nord", "arbeitslose", day): 1234567,
    }


def test_a_number_read_two_ways_is_an_error_unless_declared(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        _load(tmp_path, GERMAN_EXCEL)
    assert _codes(info.value) == [
        (
            2,
            "D-AMBIGUOUS-NUMBER",
            {
                "text": "16.797",
                "thousands": "16797",
                "decimal": "16.797",
            },
        )
    ]
    message = info.value.problems[0].render("de")
    assert message.startswith("data/indicators.csv:2: D-AMBIGUOUS-NUMBER „16.797“ ist mehrdeutig")
    assert 'data: decimal: ","' in message


def test_declared_decimal_point_refuses_german_numbers(tmp_path: Path) -> None:
    """The declaration wins: 16.797 is then 16.797; decimal commas are refused."""
    assert _problems(tmp_path, GERMAN_EXCEL, decimal=".") == [
        (3, "D-NUMBER"),
        (4, "D-NUMBER"),
        (5, "D-NUMBER"),
    ]
    text = "area,indicator,period,value\nstadt,arbeitslose,2023-12-31,16.797\n"
    assert _load(tmp_path, text, decimal=".") == {
        ("stadt", "arbeitslose", date(2023, 12, 31)): 16.797
    }


def test_auto_learns_nothing_from_mixed_conventions(tmp_path: Path) -> None:
    text = (
        'area,indicator,period,value\nstadt,anteil,2023-12-31,6.9\n554,anteil,2023-12-31,"11,7"\n'
    )
    with pytest.raises(LoadError) as info:
        _load(tmp_path, text)
    assert _codes(info.value) == [
        (3, "D-DECIMAL-MIXED", {"text": "11,7", "first": 2, "decimal": ",", "other": "."})
    ]


def test_auto_reads_unambiguous_forms(tmp_path: Path) -> None:
    text = "area;indicator;period;value\nstadt;anteil;2023-12-31;6,9\nnord;arbeitslose;2023-12-31;1.234.567\n"
    values = _load(tmp_path, text)
    assert values[("stadt", "anteil", date(2023, 12, 31))] == 6.9
    assert values[("nord", "arbeitslose", date(2023, 12, 31))] == 1234567


def test_tab_delimiter_is_detected_and_can_be_declared(tmp_path: Path) -> None:
    text = "area\tindicator\tperiod\tvalue\nstadt\tanteil\t2023-12-31\t6.9\n"
    assert _load(tmp_path, text) == {("stadt", "anteil", date(2023, 12, 31)): 6.9}
    assert _load(tmp_path, text, delimiter="\t") == {("stadt", "anteil", date(2023, 12, 31)): 6.9}
    with pytest.raises(LoadError) as info:
        _load(tmp_path, text, delimiter=";")
    assert [(p.line, p.code) for p in info.value.problems] == [(1, "D-HEADER")]


def test_latin1_bytes_are_named_with_their_position(tmp_path: Path) -> None:
    # cp1252 is read when the bytes allow no other reading (issue 17); a stray ‚ inside a
    # word (cp850's é) is not German text, so the file is refused with the byte's position
    content = "area;indicator;period;value\nstadt;anteil;2023-12-31;6,9 % – Süd\n".encode("cp1252")
    with pytest.raises(LoadError) as info:
        _load(tmp_path, content)
    (problem,) = info.value.problems
    assert (problem.code, problem.line) == ("D-NUMBER", 2)  # read as cp1252: the text is bad
    cp850 = "area;indicator;period;value\nst\x82dt;anteil;2023-12-31;6,9\n".encode("latin-1")
    with pytest.raises(LoadError) as info:
        _load(tmp_path, cp850)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("D-ENCODING", 2, 3)


@settings(max_examples=150, deadline=None)
@given(st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False))
def test_german_numbers_as_zyklus_writes_them_read_back(number: object) -> None:
    """i18n.format_number('de') output is read back exactly under the declared convention."""
    text = i18n.format_number(float(number), "de", 2)  # type: ignore[arg-type]
    from zyklus.files.numbers import Decimals

    assert Decimals(",").parse(text, 1) == pytest.approx(float(number))  # type: ignore[arg-type]
    english = i18n.format_number(float(number), "en", 2).replace(",", "")  # type: ignore[arg-type]
    assert Decimals(".").parse(english, 1) == pytest.approx(float(number))  # type: ignore[arg-type]


# --- validation of indicators.csv ---------------------------------------------------------------


def test_every_problem_of_the_file_at_once_with_lines(tmp_path: Path) -> None:
    text = (
        "area,indicator,period,value\n"
        "stadt,anteil,2023-12-31,6.9\n"  # 2 ok
        "stadt,antiel,2023-12-31,6.9\n"  # 3 unknown indicator (hint)
        "nordd,anteil,2023-12-31,6.9\n"  # 4 unknown area (hint)
        "stadt,anteil,2023-12-31,7.0\n"  # 5 duplicate of 2
        "554,anteil,2023-12-31,101\n"  # 6 percentage out of range
        "554,anteil,2023-13-31,10\n"  # 7 no date
        "554,anteil,,10\n"  # 8 empty field
        "nord,arbeitslose,2023-12-31,12 %\n"  # 9 % sign on a count
        "nord,anteil,2023-12-31,zwölf\n"  # 10 not a number
        "nord,anteil,2023-12-31,1,2\n"  # 11 too many fields
        "xyz,unbekannt,2023-12-31,1\n"  # 12 two problems in one row
    )
    with pytest.raises(LoadError) as info:
        _load(tmp_path, text)
    assert _codes(info.value) == [
        (3, "D-INDICATOR-UNKNOWN-HINT", {"id": "antiel", "hint": "anteil"}),
        (4, "D-AREA-UNKNOWN-HINT", {"id": "nordd", "hint": "nord"}),
        (
            5,
            "D-DUPLICATE",
            {"area": "stadt", "indicator": "anteil", "period": date(2023, 12, 31), "first": 2},
        ),
        (6, "D-PERCENT-RANGE", {"text": "101", "indicator": "anteil"}),
        (7, "D-PERIOD", {"text": "2023-13-31"}),
        (8, "D-FIELD-EMPTY", {"field": "period"}),
        (9, "D-PERCENT-SIGN", {"text": "12 %", "indicator": "arbeitslose", "unit": "Personen"}),
        (10, "D-NUMBER", {"text": "zwölf", "decimal": ". / ,"}),
        (11, "D-ROW-FIELDS", {"found": 5, "expected": 4}),
        (12, "D-INDICATOR-UNKNOWN", {"id": "unbekannt"}),
        (12, "D-AREA-UNKNOWN", {"id": "xyz"}),
    ]
    rendered = [p.render("en") for p in info.value.problems]
    assert rendered[1] == (
        "data/indicators.csv:4: D-AREA-UNKNOWN-HINT area 'nordd' is not in data/areas.csv"
        " – did you mean 'nord'?"
    )
    assert rendered[3] == (
        "data/indicators.csv:6: D-PERCENT-RANGE '101' is outside 0 to 100; "
        "indicator 'anteil' is a percentage"
    )


def test_header_without_required_columns(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        _load(tmp_path, "gebiet,indicator,period,wert\nstadt,anteil,2023-12-31,6.9\n")
    assert _codes(info.value) == [
        (
            1,
            "D-HEADER",
            {"missing": "area, value", "expected": "area,indicator,period,value", "delimiter": ","},
        )
    ]
    assert _problems(tmp_path, "") == [(1, "D-HEADER")]


def test_header_names_are_trimmed_and_case_insensitive_and_extra_columns_kept_out(
    tmp_path: Path,
) -> None:
    text = " Area ; Indicator ;Period;VALUE;Quelle\nstadt;anteil;2023-12-31;6,9;BA\n"
    assert _load(tmp_path, text) == {("stadt", "anteil", date(2023, 12, 31)): 6.9}


def test_csv_syntax_error_names_the_line(tmp_path: Path) -> None:
    content = (
        b'area,indicator,period,value\nstadt,anteil,2023-12-31,6.9\n"554"x,anteil,2023-12-31,1\n'
    )
    assert _problems(tmp_path, content) == [(3, "D-CSV")]


def test_periods_in_both_forms() -> None:
    assert parse_period("2023-12-31") == parse_period("31.12.2023") == date(2023, 12, 31)
    assert parse_period("1.2.2024") == date(2024, 2, 1)
    assert parse_period("31.02.2024") is None
    assert parse_period("2023/12") is None and parse_period("1899") is None


def _load_tmp(text: str, decimal: str) -> dict[tuple[str, str, date], float]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return _load(Path(folder), text, decimal)


# --- areas.csv ----------------------------------------------------------------------------------


def test_areas_hierarchy_helpers(tmp_path: Path) -> None:
    table = _areas(tmp_path)
    assert table.roots == ["stadt"]
    assert table.ancestors("554") == ["nord", "stadt"]
    assert table.descendants("stadt") == ["nord", "554"]
    assert table.depth("554") == 2
    assert table.name("554") == "D 554" and table.name("unbekannt") == "unbekannt"


def test_areas_problems_all_at_once(tmp_path: Path) -> None:
    text = (
        "id;name;level;parent\n"
        "stadt;Stadt;stadt;\n"
        "a;A;x;b\n"  # 3 loop a → b → a
        "b;B;x;a\n"  # 4
        "c;C;x;fehlt\n"  # 5 unknown parent
        "stadt;Doppelt;stadt;\n"  # 6 duplicate
        ";ohne id;x;stadt\n"  # 7 no id
    )
    with pytest.raises(LoadError) as info:
        _areas(tmp_path, text)
    assert [(p.line, p.code) for p in info.value.problems] == [
        (3, "D-AREA-LOOP"),
        (4, "D-AREA-LOOP"),
        (5, "D-AREA-PARENT"),
        (6, "D-AREA-DUPLICATE"),
        (7, "D-AREA-ID"),
    ]


def test_areas_header_is_checked(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        _areas(tmp_path, "name,level\nStadt,stadt\n")
    assert [(p.line, p.code, p.params["missing"]) for p in info.value.problems] == [
        (1, "D-HEADER", "id, parent")
    ]


def test_read_rows_keeps_working_for_existing_callers(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Area;Value\nstadt;1\n\nnord;2\n", encoding="utf-8")
    assert read_rows(path, "x.csv") == [
        (2, {"area": "stadt", "value": "1"}),
        (4, {"area": "nord", "value": "2"}),
    ]


def test_problem_lines_render_in_both_languages() -> None:
    problem = Problem(
        "D-DUPLICATE",
        "data/indicators.csv",
        5,
        params={"area": "a", "indicator": "i", "period": date(2023, 12, 31), "first": 2},
    )
    assert problem.render("de") == (
        "data/indicators.csv:5: D-DUPLICATE Wert für „a“, „i“, 31.12.2023 steht doppelt (zuerst in Zeile 2)"
    )
    assert problem.render("en") == (
        "data/indicators.csv:5: D-DUPLICATE value for 'a', 'i', 2023-12-31 appears twice (first at line 2)"
    )


def test_a_data_file_that_is_no_regular_file_is_refused(tmp_path: Path) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    pipe = tmp_path / "areas.csv"
    os.mkfifo(pipe)
    with pytest.raises(LoadError) as caught:
        load_areas(pipe, "data/areas.csv")  # must not hang
    assert [p.code for p in caught.value.problems] == ["Y-NOT-FILE"]


# --- issue 18: statistics offices' tables ------------------------------------------------------


def _table(tmp_path: Path, content: str, **convention: object) -> object:
    from zyklus.files.tables import IndicatorTable

    path = tmp_path / "indicators.csv"
    path.write_text(content, encoding="utf-8")
    kinds = [
        *INDICATORS,
        models.Indicator(
            id="klasse", label="K", unit="Klasse", kind="category", categories=["hoch", "niedrig"]
        ),
    ]
    conv = models.CsvConvention(**convention)  # type: ignore[arg-type]
    table = load_indicators(path, "data/indicators.csv", kinds, _areas(tmp_path), conv)
    assert isinstance(table, IndicatorTable)
    return table


def test_suppressed_and_missing_cells_are_marks_never_numbers(tmp_path: Path) -> None:
    text = (
        "area;indicator;period;value\n"
        "stadt;anteil;2023;6,9\n"
        "nord;anteil;2023;.\n"  # geheim
        "554;anteil;2023;*\n"  # geheim (BA anonymised)
        "nord;arbeitslose;2023;x\n"  # keine Angabe
        "554;arbeitslose;2023;–\n"
        "stadt;arbeitslose;2023;\n"  # empty value: keine Angabe
    )
    table = _table(tmp_path, text)
    year = parse_period("2023")
    assert year is not None
    assert table.at("anteil", year) == {"stadt": 6.9}  # type: ignore[attr-defined]
    marks = {
        (m.area, m.indicator): (m.kind, m.text)
        for by in table.marks.values()  # type: ignore[attr-defined]
        for m in by.values()
    }
    assert marks == {
        ("nord", "anteil"): ("secret", "."),
        ("554", "anteil"): ("secret", "*"),
        ("nord", "arbeitslose"): ("missing", "x"),
        ("554", "arbeitslose"): ("missing", "–"),
        ("stadt", "arbeitslose"): ("missing", ""),
    }
    assert table.periods("arbeitslose") == [year]  # type: ignore[attr-defined]


def test_marks_are_configurable(tmp_path: Path) -> None:
    text = "area,indicator,period,value\nnord,anteil,2023-12-31,n.v.\nstadt,anteil,2023-12-31,.\n"
    with pytest.raises(LoadError) as info:
        _table(tmp_path, text)
    assert [p.code for p in info.value.problems] == ["D-NUMBER"]  # n.v. is no mark by default
    table = _table(tmp_path, text, suppressed=[], missing=["n.v.", "."])
    kinds = {m.area: m.kind for by in table.marks.values() for m in by.values()}  # type: ignore[attr-defined]
    assert kinds == {"nord": "missing", "stadt": "missing"}


def test_a_duplicate_counts_marks_too(tmp_path: Path) -> None:
    text = "area,indicator,period,value\nnord,anteil,2023-12-31,.\nnord,anteil,2023-12-31,5\n"
    with pytest.raises(LoadError) as info:
        _table(tmp_path, text)
    assert [(p.line, p.code, p.params["first"]) for p in info.value.problems] == [
        (3, "D-DUPLICATE", 2)
    ]


def test_categories_are_held_as_text_and_checked(tmp_path: Path) -> None:
    ok = "area,indicator,period,value\nnord,klasse,2023-12-31,niedrig\n554,klasse,2023-12-31,.\n"
    table = _table(tmp_path, ok)
    labels = {lb.area: lb.text for by in table.labels.values() for lb in by.values()}  # type: ignore[attr-defined]
    assert labels == {"nord": "niedrig"}
    bad = "area,indicator,period,value\nnord,klasse,2023-12-31,mittel\n"
    with pytest.raises(LoadError) as info:
        _table(tmp_path, bad)
    (problem,) = info.value.problems
    assert (problem.code, problem.params["known"]) == ("D-CATEGORY-UNKNOWN", "hoch, niedrig")


def test_periods_of_every_kind_in_one_file(tmp_path: Path) -> None:
    text = "area,indicator,period,value\n" + "".join(
        f"stadt,anteil,{p},{i}\n"
        for i, p in enumerate(["2021", "2022-H1", "2022-Q3", "31.12.2022", "2023"], 1)
    )
    table = _table(tmp_path, text)
    assert [str(p) for p in table.periods("anteil")] == [  # type: ignore[attr-defined]
        "2021",
        "2022-H1",
        "2022-Q3",
        "2022-12-31",
        "2023",
    ]


def test_area_versions_may_reuse_an_id_without_overlap(tmp_path: Path) -> None:
    text = (
        "id,name,level,parent,valid_from,valid_to\n"
        "stadt,Stadt,stadt,,,\n"
        "nord,Nord (alt),bezirk,stadt,,2020-12-31\n"
        "nord,Nord,bezirk,stadt,01.01.2021,\n"
    )
    table = _areas(tmp_path, text)
    assert table.areas["nord"].name == "Nord" and len(table.versions["nord"]) == 2
    assert table.version("nord", date(2019, 12, 31)).name == "Nord (alt)"  # type: ignore[union-attr]
    assert table.version("nord", date(2023, 12, 31)).name == "Nord"  # type: ignore[union-attr]
    overlap = text + "nord,Nord (neu),bezirk,stadt,2022-01-01,\n"
    with pytest.raises(LoadError) as info:
        _areas(tmp_path, overlap)
    assert [(p.line, p.code, p.params["first"]) for p in info.value.problems] == [
        (5, "D-AREA-DUPLICATE", 4)
    ]
    bad = text.replace("01.01.2021", "Anfang 2021")
    with pytest.raises(LoadError) as info:
        _areas(tmp_path, bad)
    assert [(p.line, p.code) for p in info.value.problems] == [(4, "D-AREA-VALID")]


def test_a_value_outside_every_version_is_refused(tmp_path: Path) -> None:
    areas = (
        "id,name,level,parent,valid_to\nstadt,Stadt,stadt,,\nnord,Nord,bezirk,stadt,2020-12-31\n"
    )
    (tmp_path / "areas.csv").write_text(areas, encoding="utf-8")
    table = load_areas(tmp_path / "areas.csv", "data/areas.csv")
    path = tmp_path / "indicators.csv"
    path.write_text("area,indicator,period,value\nnord,anteil,2023,5\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_indicators(path, "data/indicators.csv", INDICATORS, table)
    assert [(p.line, p.code) for p in info.value.problems] == [(2, "D-AREA-NOT-VALID")]


def test_names_are_whitespace_normalised_with_a_warning(tmp_path: Path) -> None:
    text = 'id,name,level,parent\nstadt,"Stadt\nBochum",stadt,\nnord," Nord   Ost ",bezirk,stadt\n'
    table = _areas(tmp_path, text)
    assert (table.name("stadt"), table.name("nord")) == ("Stadt Bochum", "Nord Ost")
    assert [(w.line, w.code, w.severity) for w in table.warnings] == [
        (2, "D-NAME-SPACE", "warning"),
        (4, "D-NAME-SPACE", "warning"),
    ]


def test_loop_detection_and_depths_are_linear_on_a_deep_chain(tmp_path: Path) -> None:
    """A parent chain 10 000 deep loads fast; the loop check and the depths of n vs 10·n
    areas stay within ~12× (issue 20: the old check was cubic)."""
    import time

    from helpers import grows_linearly, work_ratio
    from zyklus.files.tables import Area, _on_loops

    def chain(n: int, loop: bool = False) -> str:
        rows = [f"a{i},A{i},l{i},{f'a{i - 1}' if i else ''}" for i in range(n)]
        if loop:
            rows[0] = f"a0,A0,l0,a{n - 1}"
        return "id,name,level,parent\n" + "\n".join(rows) + "\n"

    tables = {}
    for n in (1_000, 10_000):
        table = AreaTable()
        for i in range(n):
            table.areas[f"a{i}"] = Area(f"a{i}", "", "l", f"a{i - 1}" if i else None, i)
        tables[n] = table

    def run(n: int) -> None:
        table = tables[n]
        table._depth.clear()
        assert _on_loops(table) == []
        assert table.depth(f"a{n - 1}") == n - 1 and table.depth("a0") == 0

    def walk(n: int) -> None:  # a plain linear pass over the same data (the time check)
        table = tables[n]
        seen = {a: table.areas[a].parent for a in table.areas}
        assert len({*seen, *(table.areas[a].line for a in seen)}) > n

    # the lines executed, not the time: one visit per area is 10× whatever the load
    # (issue 18; the wall-time ratio was 12–13× under a loaded suite); the old cubic
    # check was > 1 000× here
    ratio = work_ratio(run, 1_000)
    assert ratio <= 11, f"loop check and depths did {ratio:.1f}× the work for 10× the areas"
    assert grows_linearly(run, 1_000, baseline=walk, limit=30) <= 30  # nothing hidden in C
    deep = tmp_path / "deep.csv"
    deep.write_text(chain(10_000), encoding="utf-8")
    started = time.perf_counter()
    assert load_areas(deep, "data/areas.csv").depth("a9999") == 9_999
    elapsed = time.perf_counter() - started
    assert elapsed < 5.0, f"{elapsed:.1f} s"  # about 0.1 s alone; the machine is shared
    looped = tmp_path / "loop.csv"
    looped.write_text(chain(10_000, loop=True), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_areas(looped, "data/areas.csv")
    assert {p.code for p in info.value.problems} == {"D-AREA-LOOP"}
    assert len(info.value.problems) == 10_000


_AREA_IDS = ["stadt", "nord", "554", "555", "süd", ""]
_INDICATOR_IDS = ["anteil", "arbeitslose", "status", "unbekannt", ""]
_PERIOD_TEXTS = ["2023-12-31", "31.12.2023", "2022", "2023-Q1", "2023-13-01", ""]
_VALUE_TEXTS = ["1", "12.5", "7", "1.340", "101", "x", ".", "", "-3", "abc", "sehr hoch", "7,5"]


def _mostly(texts: list[str], good: int) -> st.SearchStrategy[str]:
    """Mostly one of the first ``good`` texts (plain rows), now and then any."""
    return st.one_of(*[st.sampled_from(texts[:good])] * 30, st.sampled_from(texts))


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(
            _mostly(_AREA_IDS, 3),
            _mostly(_INDICATOR_IDS, 2),
            _mostly(_PERIOD_TEXTS, 2),
            _mostly(_VALUE_TEXTS, 3),
        ),
        min_size=1,
        max_size=100,
    ),
    st.sampled_from([0, 0, 0, 2]),
    st.sampled_from([40, 120, 400, 64 << 10]),
)
def test_plain_blocks_read_what_every_row_checked_reads(
    tmp_path_factory: pytest.TempPathFactory,
    cells: list[tuple[str, str, str, str]],
    blank_every: int,
    block: int,
) -> None:
    """Issue 18: a block of plain rows is read in one go; whatever the rows (repeats,
    unknown ids, marks, bad numbers and periods, blank lines), the values, marks, labels
    and every located problem are those of reading each row on its own."""
    import zyklus.files.csvfile as csvfile

    folder = tmp_path_factory.mktemp("plain")
    areas = _areas(folder, AREAS + "555,D 555,distrikt,nord\nsüd,Süd,bezirk,stadt\n")
    indicators = [
        *INDICATORS,
        models.Indicator(id="status", label="Status", unit="Klasse", kind="category"),
    ]
    lines = ["area,indicator,period,value"]
    for i, row in enumerate(cells):
        lines.append(",".join(row))
        if blank_every and i % (blank_every + 3) == 0:
            lines.append("")
    path = folder / "indicators.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def read() -> object:
        try:
            table = load_indicators(path, "data/indicators.csv", indicators, areas)
        except LoadError as exc:
            return [(p.code, p.line, p.params) for p in exc.problems]
        # the columns in file order, each value with its line
        columns = {
            key: list(zip(cells.items(), table.lines[key], strict=True))
            for key, cells in table.values.items()
        }
        return (columns, table.marks, table.labels)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfile, "_BLOCK", block)
        batched = read()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csvfile, "_BLOCK", 1)  # a block per line: each row on its own
        alone = read()
    assert batched == alone


_AREA_IDS = st.sampled_from(["stadt", "nord", "süd", "554", "a", "b", ""])
_AREA_ROW = st.tuples(
    _AREA_IDS,
    st.sampled_from(["Stadt", "Nord", "D 554", " Süd", "zwei  Leer", "Tab\tname", "x" * 201, ""]),
    st.sampled_from(["stadt", "bezirk", "", "l" * 201]),
    _AREA_IDS,
    st.sampled_from(["", "", "2020", "2030-12-31", "kein datum"]),
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_AREA_ROW, max_size=8),
    validity=st.booleans(),
    delimiter=st.sampled_from([",", ";"]),
)
def test_areas_read_a_column_at_a_time_equal_areas_checked_row_by_row(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, ...]],
    validity: bool,
    delimiter: str,
) -> None:
    """The column-at-a-time check (issue 21) gives the table and the problems that the
    check of each row gives, for clean tables and for any broken one."""
    from zyklus.files import tables

    columns = ["id", "name", "level", "parent", *(["valid_from"] if validity else [])]
    lines = [delimiter.join(columns)]
    lines += [delimiter.join(row[: len(columns)]) for row in rows]
    path = tmp_path_factory.mktemp("areas") / "areas.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def read(load: object) -> object:
        try:
            table = load(path, "data/areas.csv")  # type: ignore[operator]
        except LoadError as exc:
            return [(p.code, p.line, p.params, p.severity) for p in exc.problems]
        return table

    assert read(load_areas) == read(lambda p, d: tables._load_area_rows(p, d, None))


def test_a_clean_areas_table_is_checked_a_column_at_a_time(tmp_path: Path) -> None:
    """No row of a clean table is checked on its own (issue 21: 10 000 areas)."""
    from zyklus.files import tables

    text = "id,name,level,parent\nstadt,Stadt,stadt,\n" + "".join(
        f"d{i},Distrikt {i},distrikt,stadt\n" for i in range(50)
    )
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "_check_area_rows", None)  # would fail if called
        table = load_areas(path, "data/areas.csv")
    assert len(table.areas) == 51 and table.children["stadt"][-1] == "d49"
    assert table.areas["d7"] == tables.Area("d7", "Distrikt 7", "distrikt", "stadt", 10)
