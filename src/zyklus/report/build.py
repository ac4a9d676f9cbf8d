"""The committee report (issue 6): shape a cycle, render Markdown and HTML, write them.

:func:`build` collects everything (:mod:`~zyklus.report.projects` shapes the rows,
:mod:`~zyklus.report.needs` the needs, :mod:`~zyklus.report.charts` draws); :func:`render`
lays it out with the Jinja templates ``report.md.j2`` and ``report.html.j2`` (a
workspace's ``templates/`` overrides them by name) in the environment of
:mod:`~zyklus.report.page`, which also escapes Markdown; :func:`write` puts the files
atomically into ``reports/<cycle>/`` (through :mod:`zyklus.files.output`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from zyklus import i18n, models
from zyklus.errors import Problem, UsageError
from zyklus.files.cycles import cycle_year, earlier_cycles, read_cycle
from zyklus.files.workspace import Workspace
from zyklus.names import is_unsafe_path_part
from zyklus.report import charts
from zyklus.report.fortschreibung import Fortschreibung, shape_fortschreibung
from zyklus.report.needs import Needs, shape_needs
from zyklus.report.page import Format, environment, translator
from zyklus.report.projects import CycleShaper
from zyklus.report.rows import Changes, ProjectReport, Rollup, Summary

FORMATS: tuple[Format, ...] = ("md", "html")
TEMPLATES: dict[Format, str] = {"md": "report.md.j2", "html": "report.html.j2"}


@dataclass(frozen=True)
class Meta:
    name: str
    cycle: int
    previous: int | None
    opened: date
    note: str
    as_of: date
    lang: str
    illustrative_workspace: bool
    illustrative_entries: int
    project: str | None


@dataclass
class CommitteeReport:
    """Everything the templates lay out, already sorted, grouped and labelled."""

    meta: Meta
    summary: Summary
    needs: Needs | None
    groups: list[Rollup]
    goals: list[Rollup]
    projects: list[ProjectReport]
    changes: Changes
    fortschreibung: Fortschreibung | None = None  # issue 14: needs re-check of a new cycle

    @property
    def anchors(self) -> frozenset[str]:
        """Projects that have a section (and so an ``#p-<id>`` anchor) in this report."""
        return frozenset(p.ref.id for p in self.projects)


# --- building ---------------------------------------------------------------------------


def build(
    ws: Workspace,
    cycle: int,
    *,
    lang: str,
    as_of: date,
    project: str | None = None,
) -> CommitteeReport:
    """Read the workspace and the cycle and shape the whole report (raises on bad input)."""
    config = ws.config
    language: models.Lang = "en" if lang == "en" else "de"
    ws.require(ws.cards, ws.offers)
    if project is not None:
        ws.card(project)  # unknown id → did-you-mean (exit 2)
    state = read_cycle(ws, cycle)
    chain = earlier_cycles(ws, cycle)
    shaper = CycleShaper(ws, state, chain, as_of=as_of, lang=language)
    ids = [project] if project is not None else shaper.project_ids()
    projects = [shaper.project(i) for i in ids]
    groups, goals = shaper.rollups(projects)
    changes = shaper.changes()
    meta = Meta(
        name=config.name,
        cycle=cycle,
        previous=changes.previous,
        opened=state.opened.date(),
        note=(state.note or "").strip(),
        as_of=as_of,
        lang=language,
        illustrative_workspace=config.illustrative,
        illustrative_entries=_illustrative_entries(state, chain),
        project=project,
    )
    needs = shape_needs(ws, language, state) if project is None else None
    return CommitteeReport(
        meta=meta,
        summary=shaper.summary(projects),
        needs=needs,
        groups=groups,
        goals=goals,
        projects=projects,
        changes=changes,
        fortschreibung=shape_fortschreibung(ws, state) if project is None else None,
    )


def _illustrative_entries(state: models.CycleState, chain: list[models.CycleState]) -> int:
    count = 0
    for cycle in (state, *chain):
        for entry in cycle.projects.values():
            count += sum(h.illustrative for h in entry.history)
            count += sum(a.illustrative for a in entry.actuals)
            count += sum(m.illustrative for m in entry.milestones)
            count += sum(e.illustrative for e in entry.evaluations)
            count += sum(d.illustrative for d in entry.decisions)
    return count


# --- charts (HTML only) -----------------------------------------------------------------


def draw(report: CommitteeReport) -> dict[str, Any]:
    """The inline SVG charts of the HTML page, from the shaped data."""
    lang = report.meta.lang
    t = translator(lang)
    out: dict[str, Any] = {}
    note = t("report-illustrative-short")
    bars = [
        charts.Bar(
            c.label,
            c.count,
            i18n.format_number(c.count, lang),
            tone=c.key,
            note=f"({t('report-of-which', count=c.illustrative, what=note)})"
            if c.illustrative
            else "",
        )
        for c in report.summary.phases
    ]
    out["phases"] = charts.phase_funnel(bars, title=t("report-chart-phases"), width=560)
    hotspots = {}
    for block in report.needs.indicators if report.needs is not None else ():
        if block.bars:
            hotspots[block.id] = charts.bar_chart(
                [
                    charts.Bar(
                        b.label,
                        b.value,
                        i18n.format_quantity(b.value, block.unit, lang),
                        b.tone,
                        b.note,
                    )
                    for b in block.bars
                ],
                title=block.chart_title,
                reference=(block.city_value, block.reference_label),
                width=880,
            )
    out["hotspots"] = hotspots
    timelines = {}
    for project in report.projects:
        if project.segments:
            timelines[project.ref.id] = charts.phase_timeline(
                project.segments,
                title=t("report-chart-timeline", title=project.ref.title),
                start_text=i18n.format_date(project.segments[0].start, lang),
                end_text=i18n.format_date(project.segments[-1].end, lang),
                width=880,
            )
    out["timelines"] = timelines
    return out


# --- rendering --------------------------------------------------------------------------


def render(ws: Workspace, report: CommitteeReport, fmt: Format) -> str:
    """One format of the report as text (same input → same bytes)."""
    import jinja2

    name = TEMPLATES[fmt]
    env = environment(ws, fmt, report.meta.lang)
    drawn = draw(report) if fmt == "html" else {}
    try:
        template = env.get_template(name)
        text = template.render(report=report, charts=drawn)
    except jinja2.TemplateNotFound as exc:
        raise UsageError.single("T-NOT-FOUND", name=exc.name or name) from None
    except jinja2.TemplateError as exc:
        raise UsageError.single("T-ERROR", name=name, error=str(exc)) from None
    return text.rstrip("\n") + "\n"


# --- writing ----------------------------------------------------------------------------


def output_dir(ws: Workspace, cycle: int, out: Path | None) -> Path:
    """``--out`` as given, else ``reports/<cycle>/`` in the workspace.

    A folder name with a control character or a Windows device name (``con``) is refused:
    it could not be checked out or opened everywhere the report is read.
    """
    if out is None:
        return ws.root / "reports" / str(cycle)
    for part in out.parts:
        if is_unsafe_path_part(part):
            raise UsageError.single("R-OUT-FOLDER", name=part)
    return out


def file_name(fmt: Format, project: str | None) -> str:
    stem = f"report-{project}" if project is not None else "report"
    return f"{stem}.{fmt}"


def target_path(folder: Path, name: str) -> Path:
    """The file directly inside ``folder``: a plain name, never a path.

    Together with :func:`zyklus.files.cycles.write_atomic` (which replaces a symlink at the
    target instead of following it) nothing is ever written outside ``folder``.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", name) or ".." in name:
        raise UsageError.single("R-OUT-NAME", name=name)
    return folder / name


def write(
    ws: Workspace, report: CommitteeReport, formats: Sequence[Format], out: Path | None
) -> list[Path]:
    """Render every format first, then write each file atomically; returns the paths."""
    from zyklus.files.output import write_files

    folder = output_dir(ws, report.meta.cycle, out)
    if folder.exists() and not folder.is_dir():
        raise UsageError.single("R-OUT-NOT-DIR", path=str(folder))
    texts = {fmt: render(ws, report, fmt) for fmt in formats}
    return write_files(
        folder,
        {
            target_path(folder, file_name(fmt, report.meta.project)): texts[fmt].encode("utf-8")
            for fmt in formats
        },
    )


def parse_formats(value: str) -> list[Format]:
    """The formats to write for ``--format`` (checked by the CLI's table): one, or all."""
    return [fmt for fmt in FORMATS if value in (fmt, "all")]


def resolve_cycle(ws: Workspace, cycle: int | None) -> int:
    """``--cycle``, else the current cycle; an unknown year names the known ones."""
    year = cycle_year(ws, cycle)  # the same default as ``zyklus status`` (issue 4)
    if not ws.cycle_path(year).is_file():
        known = ws.cycle_years()
        raise UsageError(
            [
                Problem(
                    "R-UNKNOWN-CYCLE",
                    path=ws.display(ws.cycle_path(year)),
                    params={"year": year, "known": ", ".join(map(str, known)) or "–"},
                )
            ]
        )
    return year


def parse_as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError.single("R-AS-OF", value=value) from None
