"""The page around the report: Markdown escaping (the environment is tested through
the rendered report in test_build.py)."""

from __future__ import annotations

from zyklus.report.page import md_block, md_inline, paragraphs


def test_markdown_escaping_unit() -> None:
    assert md_inline("a|b") == "a\\|b"
    assert md_inline("a\\|b") == "a\\\\\\|b"
    assert md_inline("x\r\ny\n\nz") == "x<br>y<br>z"
    assert md_inline("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert md_inline("Kund*innen_[x]") == "Kund\\*innen\\_\\[x\\]"
    assert md_block("# h\n- l\n\n1. n") == "\\# h\n\\- l\n\n1\\. n"
    assert md_inline(md_inline("a|b")) == "a\\|b"  # escaped once, not twice


def test_paragraphs_reflow_lines() -> None:
    assert paragraphs("a\nb\n\n  c  ") == ["a b", "c"]
