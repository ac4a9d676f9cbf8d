"""The page around the report (issue 13, split from build.py): the Jinja environment of
one format and language. Markdown escaping is the one rule of :mod:`zyklus.escape`.

User text is only ever data: HTML is autoescaped, Markdown is escaped by the
environment's ``finalize`` so a ``|`` or a newline in a title cannot break a table, and
nothing a user wrote is compiled as a template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

from markupsafe import Markup

from zyklus import i18n
from zyklus.escape import MdSafe as MdSafe
from zyklus.escape import md_block as md_block
from zyklus.escape import md_inline as md_inline
from zyklus.files.workspace import Workspace

if TYPE_CHECKING:
    import jinja2

Format = Literal["md", "html", "pdf"]


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each on one line (HTML reflows it anyway)."""
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(part.split()) for part in parts if part.strip()]


def _finalize_md(value: object) -> object:
    if value is None:
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_inline(value)


def _finalize_html(value: object) -> object:
    return "–" if value is None else value


def translator(lang: str) -> Callable[..., str]:
    """``t(id, **params)``; labels without parameters are looked up once (issue 9)."""
    labels: dict[str, str] = {}

    def t(msg_id: str, **params: object) -> str:
        if params:
            return i18n.message(msg_id, lang, **params)
        if msg_id not in labels:
            labels[msg_id] = i18n.message(msg_id, lang)
        return labels[msg_id]

    return t


def environment(ws: Workspace, fmt: Format, lang: str) -> jinja2.Environment:
    """The Jinja environment of one format and language: escaping, filters, ``t()``."""
    from zyklus.files.templates import environment as base

    env = base(ws.root, autoescape=fmt == "html")
    env.finalize = _finalize_html if fmt == "html" else _finalize_md
    t = translator(lang)

    def number(value: float, digits: int | None = None) -> str:
        return i18n.format_number(value, lang, digits)

    def percent(value: float, digits: int = 1) -> str:
        return i18n.format_percent(value, lang, digits)

    def day(value: date) -> str:
        return i18n.format_date(value, lang)

    def eur(value: float | None) -> str:
        if value is None:
            return t("report-not-given")  # unknown is never 0 € (issue 16)
        digits = 0 if float(value).is_integer() else 2
        return t("report-eur", value=i18n.format_number(value, lang, digits))

    def fte(value: float | None) -> str:
        if value is None:
            return t("report-not-given")
        return t("report-fte", value=i18n.format_number(value, lang))

    def quantity(value: float, unit: str = "") -> str:
        return i18n.format_quantity(value, unit, lang)

    def criteria(codes: str | Sequence[str]) -> str:
        """Gate codes in plain words (issue 16: codes only in the planners' annex)."""
        items = [codes] if isinstance(codes, str) else list(codes)
        words = [
            t(
                f"cm-criterion-{c}"
                if i18n.has_message(f"cm-criterion-{c}")
                else "cm-criterion-other"
            )
            for c in items
        ]
        return "; ".join(words) if words else t("cm-criteria-none")

    def css_string(value: str) -> str:
        """Text inside a CSS string: quotes, backslashes and line breaks escaped, no ``<``."""
        out = []
        for ch in str(value):
            if ch in '"\\<>' or not ch.isprintable():
                out.append(f"\\{ord(ch):x} ")
            else:
                out.append(ch)
        return Markup("".join(out))  # safe inside <style>: no < or > survives

    env.filters.update(
        criteria=criteria,
        css_string=css_string,
        num=number,
        pct=percent,
        date=day,
        eur=eur,
        fte=fte,
        qty=quantity,
        md=md_inline,
        md_block=md_block,
        paragraphs=paragraphs,
    )
    mark = t("report-illustrative-short")

    def illus(on: object) -> str:
        """The label next to a value that comes from an illustrative entry."""
        if not on:
            return ""
        if fmt == "html":
            return Markup(' <span class="illus">{}</span>').format(mark)
        return MdSafe(f" _({md_inline(mark)})_")

    env.globals.update(t=t, lang=lang, illus=illus)
    return env
