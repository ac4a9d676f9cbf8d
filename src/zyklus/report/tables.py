"""The analysis as titled tables of text: what ``zyklus analyse`` shows (issue 5).

Moved out of the CLI (issue 13): the command only lays these sections out as a terminal
table or as Markdown; the report's needs section (:mod:`zyklus.report.needs`) shapes the
same analysis for the committee. Values and units go through the one formatter,
:func:`zyklus.i18n.format_quantity`.
"""

from __future__ import annotations

from typing import Any

from zyklus.i18n import format_date, format_number, format_percent, message
from zyklus.models import Workspace as Config
from zyklus.models import local
from zyklus.needs.analysis import Analysis

Section = tuple[str, list[str], list[list[str]]]  # title, columns (none: a line), rows


def markdown(sections: list[Section]) -> str:
    """Sections as Markdown: a heading per section, a pipe table per list.

    Every text goes through the one Markdown rule (:func:`zyklus.escape.md_inline`): an
    area named ``<img src=x>`` or ``[x](javascript:…)`` is shown, never run (issue 20).
    """
    from zyklus.escape import md_inline

    out: list[str] = []
    for title, columns, rows in sections:
        if not columns:
            out += [f"**{md_inline(title)}**" if out else f"# {md_inline(title)}", ""]
            continue
        out += [f"## {md_inline(title)}", ""]

        def cells(row: list[str]) -> str:
            return "| " + " | ".join(md_inline(c) for c in row) + " |"

        out += [cells(columns), "|" + "---|" * len(columns), *(cells(r) for r in rows), ""]
    return "\n".join(out)


def build_sections(result: Analysis, config: Config, lang: str) -> list[Section]:
    """The analysis as titled tables of text in ``lang`` (shared by table and md)."""

    texts: dict[str, str] = {}
    days: dict[Any, str] = {}

    def t(msg_id: str, **params: Any) -> str:
        if params:
            return message(msg_id, lang, **params)
        text = texts.get(msg_id)  # a label of 50 000 rows is looked up once (issue 18)
        if text is None:
            text = texts[msg_id] = message(msg_id, lang)
        return text

    def day(when: Any, lang: str = lang) -> str:
        text = days.get(when)
        if text is None:
            text = days[when] = format_date(when, lang)
        return text

    units = {i.id: i.unit for i in result.indicators}
    labels = {i.id: i.label[lang] for i in result.indicators}
    groups = {g.id: local(g.label, lang) for g in config.target_groups}  # type: ignore[arg-type]

    # A statistics office's values repeat (counts, shares with one decimal): each number
    # of an indicator is formatted once (issue 18: 50 000 trend rows). 0 is not kept, as
    # −0.0 == 0.0 but prints "-0".
    shown_values: dict[tuple[float, str], str] = {}
    shown_changes: dict[tuple[float, str], str] = {}

    def value(number: float | None, indicator: str) -> str:
        if number is None:
            return ""
        key = (number, indicator)
        text = shown_values.get(key)
        if text is None:
            unit = units.get(indicator, "")
            if unit.strip() == "%":
                text = format_percent(number, lang)
            else:
                text = f"{format_number(number, lang)} {unit}".strip()
            if number:
                shown_values[key] = text
        return text

    kinds = {i.id: i.kind for i in result.indicators}

    def signed(number: float | None, indicator: str) -> str:
        if number is None:
            return ""
        key = (number, indicator)
        text = shown_changes.get(key)
        if text is None:
            sign = "+" if number > 0 else "−" if number < 0 else "±"
            whole = kinds.get(indicator) == "count" and float(number).is_integer()
            shown = format_number(abs(number), lang, 0 if whole else 1)  # issue 18: +225 Personen
            pp = units.get(indicator, "").strip() == "%"
            unit = t("analysis-pp") if pp else units[indicator]
            text = shown_changes[key] = f"{sign}{shown} {unit}".strip()
        return text

    def klass(class_: str | None) -> str:
        return t(f"analysis-class-{class_}") if class_ else ""

    none = t("analysis-none")
    sections: list[Section] = [(t("analysis-title", workspace=result.workspace), [], [])]
    if result.illustrative:
        sections.append((t("analysis-illustrative"), [], []))
    sections.append(
        (
            t(
                "analysis-thresholds",
                ratio=format_number(result.hotspot_ratio, lang),
                tolerance=format_percent(result.at_tolerance * 100, lang, 0),
            ),
            [],
            [],
        )
    )
    for ranking in result.rankings:
        shown = value(ranking.city_value, ranking.indicator) or "–"
        if ranking.kind in ("zscore", "index") and ranking.reference is not None:
            sd = "–" if ranking.sd is None else format_number(ranking.sd, lang)
            reference = format_number(ranking.reference, lang)
            shown = t("needs-reference", reference=reference, sd=sd)
        title = t(
            "analysis-ranking",
            indicator=labels[ranking.indicator],
            level=ranking.level,
            period=ranking.period,
            city=result.city_name or "–",
            value=shown,
        )
        sections += _ranking(ranking, title, t, value, signed, klass, lang)
    ind = t("analysis-col-indicator")
    sections.append(
        (
            t("analysis-hidden"),
            [
                ind,
                t("analysis-col-area"),
                t("analysis-col-value"),
                t("analysis-col-ratio"),
                t("analysis-col-parent"),
                t("analysis-col-parent-value"),
                t("analysis-col-parent-class"),
                t("needs-col-skipped"),
            ],
            [_hidden_row(h, labels, value, klass, lang) for h in result.hidden_hotspots]
            or [[none]],
        )
    )
    if result.every_level:
        sections.append(
            (
                t("needs-hidden-every"),
                [
                    ind,
                    t("analysis-col-area"),
                    t("analysis-col-value"),
                    t("analysis-col-ratio"),
                    t("needs-col-ancestor"),
                    t("analysis-col-parent-value"),
                    t("analysis-col-parent-class"),
                    t("needs-col-skipped"),
                ],
                [_hidden_row(h, labels, value, klass, lang) for h in result.hidden_every_level]
                or [[none]],
            )
        )
    for view in result.categories:
        title = t(
            "needs-categories",
            indicator=labels[view.indicator],
            level=view.level,
            period=view.period,
        )
        counts = ", ".join(f"{label}: {count}" for label, count in view.counts)
        sections.append(
            (
                title + f" ({counts})",
                [t("analysis-col-area"), t("needs-col-category")],
                [[r.name, r.label] for r in view.rows],
            )
        )
    sections.append(
        (
            t("analysis-coverage", cycle=result.cycle or "–"),
            [t("analysis-col-area"), t("analysis-col-target-group"), t("analysis-col-projects")],
            [
                [
                    c.name,
                    groups.get(c.target_group, c.target_group),
                    ", ".join(f"{r.project} ({t(f'analysis-how-{r.how}')})" for r in c.projects)
                    or "–",
                ]
                for c in result.coverage
            ]
            or [[none]],
        )
    )
    sections.append(
        (
            t("analysis-gaps"),
            [t("analysis-col-area"), t("analysis-col-level"), ind],
            [[g.name, g.level, ", ".join(labels[i] for i in g.indicators)] for g in result.gaps]
            or [[none]],
        )
    )
    sections.append(_duplicates(result, t))
    sections.append(
        (
            t("analysis-one-sided"),
            [t("analysis-col-project"), t("analysis-col-other")],
            [[s.project, s.other] for s in result.one_sided_synergies] or [[none]],
        )
    )
    series_texts: dict[tuple[Any, ...], str] = {}
    before_texts: dict[tuple[Any, ...], str] = {}
    change_texts: dict[tuple[Any, ...], str] = {}

    def before(r: Any) -> str:
        key = (r.previous_value, r.indicator, r.previous_period)
        text = before_texts.get(key)
        if text is None:
            text = f"{value(r.previous_value, r.indicator)} ({day(r.previous_period)})"
            if r.previous_value:  # −0.0 == 0.0 but prints "-0"
                before_texts[key] = text
        return text

    def change(r: Any) -> str:
        key = (r.change, r.indicator, r.development)
        text = change_texts.get(key)
        if text is None:
            development = t(f"analysis-development-{r.development}")
            text = change_texts[key] = f"{signed(r.change, r.indicator)} ({development})"
        return text

    def series(r: Any) -> str:
        key = (r.indicator, r.first_period, r.series_change, r.series_development, len(r.series))
        text = series_texts.get(key)
        if text is None:
            text = series_texts[key] = _series(r, value, signed, t, day, lang)
        return text

    levels = list(dict.fromkeys(r.level for r in result.rankings))
    by_level: dict[str, list[Any]] = {}
    for trend in result.trends:  # one level per table (issue 18)
        by_level.setdefault(trend.level, []).append(trend)
    for lvl in sorted(by_level, key=lambda x: (levels.index(x) if x in levels else len(levels), x)):
        sections.append(
            (
                f"{t('analysis-trends')} – {lvl}",
                [
                    ind,
                    t("analysis-col-area"),
                    t("analysis-col-period"),
                    t("analysis-col-value"),
                    t("analysis-col-previous"),
                    t("analysis-col-change"),
                    t("needs-col-series"),
                ],
                [
                    [
                        labels[r.indicator],
                        r.name,
                        day(r.period),
                        value(r.value, r.indicator),
                        before(r),
                        change(r),
                        series(r) + (f" ({t('needs-via-crosswalk')})" if r.crosswalk else ""),
                    ]
                    for r in by_level[lvl]
                ],
            )
        )
    if result.notes:
        sections.append(
            (
                t("analysis-notes"),
                [t("analysis-col-file"), t("analysis-col-note")],
                [[_where(n.path, n.line), _note(n.code, n.params, lang)] for n in result.notes],
            )
        )
    return sections


def _duplicates(result: Analysis, t: Any) -> Section:
    """One row per project: the strongest candidates the card does not name (with why),
    those it names, and how many more there are (issue 18)."""
    from zyklus.rules.duplicates import SCAN

    grouped: dict[str, tuple[list[Any], list[str]]] = {}
    for d in result.duplicates:
        open_, named = grouped.setdefault(d.project, ([], []))
        if d.acknowledged:
            named.append(f"{d.other} ({t(f'analysis-kind-{d.other_kind}')})")
        else:
            open_.append(d)
    rest = {r.project: r for r in result.duplicates_more}
    rows = []
    for project, (open_, named) in grouped.items():
        open_.sort(key=lambda d: (-d.score, d.other_kind != "project", d.other))
        shown = [
            f"{d.other} ({t(f'analysis-kind-{d.other_kind}')}; "
            f"{', '.join(t(r) for r in d.reasons) or '–'})"
            for d in open_
        ]
        if project in rest:
            more = rest[project]
            if more.more:
                shown.append(t("needs-dup-more", count=more.more))
            if more.unchecked:
                shown.append(t("needs-dup-unchecked", count=more.unchecked, scan=SCAN))
        rows.append([project, "; ".join(shown) or "–", ", ".join(named) or "–"])
    return (
        t("analysis-duplicates"),
        [t("analysis-col-project"), t("analysis-col-unnamed"), t("analysis-col-named")],
        rows or [[t("analysis-none")]],
    )


def _ranking(
    ranking: Any, title: str, t: Any, value: Any, signed: Any, klass: Any, lang: str
) -> list[Section]:
    """One ranking (one level): classes of shares or SD classes; cells without a number
    and areas left out for a small base listed below, never as 0 (issue 18)."""

    share = ranking.kind == "share"
    standard = ranking.kind in ("zscore", "index")
    columns = [t("analysis-col-rank"), t("analysis-col-area"), t("analysis-col-parent")]
    columns.append(t("analysis-col-value"))
    if share:
        columns += [t("analysis-col-ratio"), t("analysis-col-diff"), t("analysis-col-class")]
    if standard:
        columns += [t("needs-col-sd"), t("analysis-col-class")]
    rows = []
    for row in ranking.rows:
        shown = value(row.value, ranking.indicator)
        if row.small_base:
            shown += f" ({t('needs-small-flag')})"
        cells = [str(row.rank), row.name, row.parent_name or "", shown]
        if share:
            ratio = "" if row.ratio is None else format_number(row.ratio, lang, 2)
            cells += [ratio, signed(row.diff_pp, ranking.indicator), klass(row.class_)]
        if standard:
            units = row.sd_units
            sd = "" if units is None else f"{'+' if units > 0 else '−' if units < 0 else '±'}"
            sd += "" if units is None else format_number(abs(units), lang, 2)
            cells += [sd, klass(row.class_)]
        rows.append(cells)
    for mark in ranking.marks:
        cells = ["–", mark.name, "", t(f"needs-mark-{mark.kind}")]
        rows.append(cells + [""] * (len(columns) - len(cells)))
    out: list[Section] = [(title, columns, rows)]
    if ranking.small:
        out.append((t("needs-small-left-out", count=len(ranking.small)), [], []))
    return out


def _hidden_row(h: Any, labels: dict[str, str], value: Any, klass: Any, lang: str) -> list[str]:

    ratio = "" if h.ratio is None else format_number(h.ratio, lang, 2)
    if h.ratio is None and h.sd_units is not None:
        ratio = f"{format_number(h.sd_units, lang, 2)} SD"
    return [
        labels[h.indicator],
        h.name,
        value(h.value, h.indicator),
        ratio,
        h.parent_name,
        value(h.parent_value, h.indicator),
        klass(h.parent_class),
        ", ".join(h.skipped) or "–",
    ]


def _series(r: Any, value: Any, signed: Any, t: Any, format_date: Any, lang: str) -> str:
    """Change over the whole series (first period → now) and the number of periods."""
    if r.first_period is None or r.series_change is None or len(r.series) < 3:
        return "–"
    return str(
        t(
            "needs-series",
            change=signed(r.series_change, r.indicator),
            first=format_date(r.first_period, lang),
            count=len(r.series),
            development=t(f"analysis-development-{r.series_development}"),
        )
    )


def _where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line is not None else path


def _note(code: str, params: dict[str, Any], lang: str) -> str:
    """``CODE message`` with numbers in the language's form (16.797 / 16,797)."""

    shown = {
        k: format_number(v, lang) if isinstance(v, (int, float)) and not isinstance(v, bool) else v
        for k, v in params.items()
    }
    return f"{code} {message(code, lang, **shown)}"
