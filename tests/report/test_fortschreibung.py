"""The report's Fortschreibung section (issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from cycle_helpers import bochum_with_second_period
from zyklus.report.build import build, render


def test_the_report_of_a_new_cycle_re_checks_the_needs(tmp_path: Path) -> None:
    ws = bochum_with_second_period(tmp_path)
    report = build(ws, 2027, lang="de", as_of=date(2027, 9, 30))
    section = report.fortschreibung
    assert section is not None and section.since == 2024 and section.has_new_data
    assert [c.area for c in section.resolved] == ["554"]
    md = render(ws, report, "md")
    part = md[md.index("## Fortschreibung") :]
    assert (
        "| Jobcenter im Quartier |" in part
        and "| 11,7 % (31.12.2023) | 6,5 % (31.12.2023" not in part
    )
    assert "11,7 % (31.12.2023) | 6,5 % (31.12.2026) |" in part
    assert "| Laer | arbeitslosenanteil | 9,9 % (31.12.2026) | 1,43 | ja |" in part
    html = render(ws, report, "html")
    assert '<section id="fortschreibung"' in html and "<td>ja</td>" in html


def test_a_first_cycle_has_no_fortschreibung(tmp_path: Path) -> None:
    ws = bochum_with_second_period(tmp_path)
    report = build(ws, 2024, lang="en", as_of=date(2024, 11, 30))
    assert report.fortschreibung is None
    assert "## Update" not in render(ws, report, "md")


def test_need_text_is_escaped_in_both_formats(tmp_path: Path) -> None:
    ws = bochum_with_second_period(tmp_path)
    card = ws.card_path("jobcenter-im-quartier")
    text = card.read_text(encoding="utf-8")
    old = "Hohe Arbeitslosigkeit im BA-Distrikt 554 (Peter-Parler-Weg)"
    assert old in text
    card.write_text(text.replace(old, "<script>x</script> | **fett**", 1), encoding="utf-8")
    report = build(ws, 2027, lang="de", as_of=date(2027, 9, 30))
    md, html = render(ws, report, "md"), render(ws, report, "html")
    part = md[md.index("## Fortschreibung") :]
    assert "\\<script\\>" in part or "&lt;script&gt;" in part
    assert "| **fett**" not in part and "\\|" in part
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
