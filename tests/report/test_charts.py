"""Tests of charts.py: inline SVG that is deterministic, inert and readable without colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st

from zyklus.report import charts
from zyklus.report.charts import Bar, Segment

COORDINATE = re.compile(r'\b(?:x|y|x1|x2|y1|y2|width|height)="(-?[0-9.]+)"')


def _parse(svg: str) -> ET.Element:
    """SVG is XML: it must parse on its own, not only inside lenient HTML."""
    return ET.fromstring(svg)


def _bars() -> list[Bar]:
    return [
        Bar("Kruppwerke (Ortsteil)", 12.1, "12,1 %", "hotspot"),
        Bar("BA-Distrikt 554 (BA-Distrikt)", 11.7, "11,7 %", "hotspot", "(versteckt)"),
        Bar("Hofstede (Ortsteil)", 8.8, "8,8 %", "hotspot"),
    ]


def test_num_rounds_to_one_decimal_without_noise() -> None:
    assert charts.num(12.0) == "12"
    assert charts.num(12.04) == "12"
    assert charts.num(12.06) == "12.1"
    assert charts.num(-0.04) == "0"
    assert charts.num(1 / 3) == "0.3"


def _num_uncached(value: float) -> str:
    text = f"{round(value, 1):.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


@settings(max_examples=300)
@given(
    values=st.lists(
        st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**6), 10**6)),
        max_size=20,
    )
)
def test_num_kept_per_value_is_what_it_computes(values: list[float]) -> None:
    """Issue 21: the texts are kept per value; an equal int and float give the same one."""
    for value in values + values + [float(v) for v in values if isinstance(v, int)]:
        assert charts.num(value) == _num_uncached(value)
    assert charts.num(-0.0) == charts.num(0) == "0"


def test_bar_chart_has_title_values_and_reference_line() -> None:
    svg = str(charts.bar_chart(_bars(), title="Schwerpunkte", reference=(6.9, "Bochum: 6,9 %")))
    root = _parse(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag in ("svg", f"{ns}svg")
    assert root.get("role") == "img"
    assert svg.count("<title>") == 1 + len(_bars())  # the chart and each bar
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert "12,1 %" in texts
    assert "11,7 % (versteckt)" in texts  # the note is printed, not only coloured
    assert "Bochum: 6,9 %" in texts
    assert svg.count("<line ") == 1
    assert "http" not in svg  # no xmlns or any other URL: the page makes no request


def test_bar_lengths_follow_the_values() -> None:
    svg = str(charts.bar_chart(_bars(), title="t", width=600))
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths[0] > widths[1] > widths[2] > 0
    assert abs(widths[0] / widths[2] - 12.1 / 8.8) < 0.02


def test_coordinates_are_rounded_to_one_decimal() -> None:
    svg = str(charts.bar_chart(_bars(), title="t", reference=(6.9, "x"), width=613.37))
    values = COORDINATE.findall(svg)
    assert values
    assert all(re.fullmatch(r"-?\d+(\.\d)?", v) for v in values), values


def test_same_input_same_bytes() -> None:
    first = str(charts.bar_chart(_bars(), title="t", reference=(6.9, "x")))
    second = str(charts.bar_chart(list(_bars()), title="t", reference=(6.9, "x")))
    assert first == second


def test_labels_are_escaped_and_long_labels_clipped() -> None:
    hostile = Bar('<script>alert(1)</script> & "quote" ' + "x" * 200, 3, "3")
    svg = str(charts.bar_chart([hostile], title="<b>title</b>"))
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg
    root = _parse(svg)
    shown = [t.text or "" for t in root.iter() if t.tag.endswith("text")]
    assert any(s.endswith("…") for s in shown)  # clipped on the chart ...
    assert "x" * 200 in svg  # ... but complete in the bar's <title>


def test_phase_funnel_keeps_empty_phases_visible() -> None:
    bars = [
        Bar("Analyse", 0, "0", "analysis"),
        Bar("Planung", 3, "3", "planning"),
        Bar("Umsetzung", 1, "1", "implementation", "(davon 1 Beispieldaten)"),
    ]
    svg = str(charts.phase_funnel(bars, title="Projekte je Phase"))
    root = _parse(svg)
    rects = [r for r in root.iter() if r.tag.endswith("rect")]
    assert len(rects) == 3
    assert all(float(r.get("width", "0")) >= 3 for r in rects)
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert texts.count("0") == 1 and "3" in texts and "1 (davon 1 Beispieldaten)" in texts


def test_timeline_stretches_are_proportional_and_dated() -> None:
    segments = [
        Segment("planning", "Planung", "Planung: 100 Tage", date(2024, 1, 1), date(2024, 4, 10)),
        Segment("implementation", "Umsetzung", "Umsetzung", date(2024, 4, 10), date(2024, 5, 20)),
    ]
    svg = str(
        charts.phase_timeline(segments, title="Verlauf", start_text="01.01.2024", end_text="x")
    )
    root = _parse(svg)
    widths = [float(r.get("width", "0")) for r in root.iter() if r.tag.endswith("rect")]
    assert abs(widths[0] / widths[1] - 100 / 40) < 0.05
    texts = [t.text for t in root.iter() if t.tag.endswith("text")]
    assert "01.01.2024" in texts and "Planung" in texts
    assert "Planung: 100 Tage" in svg  # full text for each stretch in its <title>


def test_empty_inputs_still_give_valid_svg() -> None:
    for svg in (
        charts.bar_chart([], title="leer"),
        charts.phase_funnel([], title="leer"),
        charts.phase_timeline([], title="leer", start_text="", end_text=""),
    ):
        _parse(str(svg))


@settings(max_examples=100, deadline=None)
@given(
    labels=st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=6),
    values=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=6, max_size=6),
)
def test_any_label_gives_a_valid_inert_chart(labels: list[str], values: list[float]) -> None:
    bars = [Bar(label, values[i], f"{values[i]:.1f}") for i, label in enumerate(labels)]
    svg = str(charts.bar_chart(bars, title="t", reference=(values[0], "ref")))
    page = f"<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{svg}</body></html>"
    document = html5lib.parse(page, namespaceHTMLElements=False)
    assert not [e for e in document.iter() if e.tag == "script"]
    assert all(re.fullmatch(r"-?\d+(\.\d)?", v) for v in COORDINATE.findall(svg))
