"""The committee report (issue 6): shape a cycle, render Markdown and HTML, write them.

:func:`build` collects everything (report_data.py shapes the rows, analysis.py the needs,
charts.py draws); :func:`render` lays it out with the Jinja templates ``report.md.j2`` and
``report.html.j2`` (a workspace's ``templates/`` overrides them by name); :func:`write`
puts the files atomically into ``reports/<cycle>/``. User text is only ever data: HTML is
autoescaped, Markdown is escaped by the environment's ``finalize`` so a ``|`` or a newline
in a title cannot break a table, and nothing a user wrote is compiled as a template.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zyklus import i18n, models
from zyklus.errors import Problem, UsageError, ZyklusError
from zyklus.escape import utf8
from zyklus.files import workers
from zyklus.files.workspace import Workspace
from zyklus.i18n import format_quantity as quantity
from zyklus.names import is_unsafe_path_part
from zyklus.report import charts
from zyklus.report.budget import MoneySection, shape_money
from zyklus.report.committee import Committee, committee
from zyklus.report.fortschreibung import Fortschreibung, shape_fortschreibung
from zyklus.report.maps import Maps, shape_maps
from zyklus.report.needs import NeedBar, Needs, shape_needs
from zyklus.report.page import Format, environment, translator
from zyklus.report.pending import pending_decisions
from zyklus.report.projects import CycleShaper
from zyklus.report.rows import Changes, GoalRow, ProjectReport, Rollup, Summary

if TYPE_CHECKING:
    import jinja2

FORMATS: tuple[Format, ...] = ("md", "html", "pdf")
ALL: tuple[Format, ...] = ("md", "html")  # ``--format all``: the PDF needs a browser, ask for it
TEMPLATES: dict[Format, str] = {
    "md": "report.md.j2",
    "html": "report.html.j2",
    "pdf": "report.html.j2",
}


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
    since: date | None = None  # "since the last report": the opening of this cycle


@dataclass(frozen=True)
class InvalidFile:
    """A card (or offer) that did not load: its id, phase and problems as one-liners."""

    id: str
    path: str
    phase_label: str
    problems: list[str]


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
    committee: Committee
    maps: Maps
    money: MoneySection
    fortschreibung: Fortschreibung | None = None  # issue 14: needs re-check of a new cycle
    # cards and offers with errors: listed as "Karte fehlerhaft", not blocking (issue 12)
    invalid: list[InvalidFile] = field(default_factory=list)

    @functools.cached_property
    def anchors(self) -> frozenset[str]:
        """Projects that have a section (and so an ``#p-<id>`` anchor) in this report.

        Built once: the templates ask for every synergy of every project (issue 21).
        """
        return frozenset(p.ref.id for p in self.projects)


# --- building ---------------------------------------------------------------------------


def build(
    ws: Workspace,
    cycle: int,
    *,
    lang: str,
    as_of: date,
    project: str | None = None,
    strict: bool = False,
) -> CommitteeReport:
    """Read the workspace and the cycle and shape the whole report.

    A card or offer with errors does not block the report: it is left out of the
    figures and listed with its problems (``strict`` refuses instead, issue 12).
    """
    from zyklus.files.cycles import earlier_cycles, read_cycle

    config = ws.config
    language: models.Lang = "en" if lang == "en" else "de"
    if strict:
        ws.require(ws.cards, ws.offers)
    if project is not None:
        ws.card(project)  # unknown id → did-you-mean (exit 2)
    # The cards and offers are parsed in workers while this process parses the cycle
    # files, as for ``status``, and reads the indicator values that both the gates and the
    # needs section's worker use (issue 21; a broken file fails later, where it did).
    earlier = [(ws.cycle_path(y), models.CycleState) for y in ws.cycle_years() if y < cycle]
    with ws.read_ahead("projects", "offers", files=earlier):  # the earlier cycles there too
        state = read_cycle(ws, cycle)
        chain = earlier_cycles(ws, cycle)
        if project is None:
            with contextlib.suppress(ZyklusError):
                ws.indicators  # noqa: B018
        shaper = CycleShaper(ws, state, chain, as_of=as_of, lang=language)
    ids = [project] if project is not None else shaper.project_ids()
    aside = _needs_aside(ws, language, state, shaper.cards, len(ids) if project is None else 0)
    # shaping makes rows, not garbage cycles: no collection walks the city's cards for
    # them again and again (issue 21: 2 s at 10 000 projects); they run again after it,
    # and the rows, kept to the end, are not walked by the collections of the rendering
    with aside as needs_part, workers.collector_paused(freeze=True):
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
            since=state.opened.date() if chain else None,
        )
        try:  # while the worker shapes the needs (one process shaped them first)
            money = shape_money(ws, cycle, language, skip_invalid=not strict)  # issue 15
            board = committee(
                projects,
                config.traffic_light,
                lang=language,
                as_of=as_of,
                since=meta.since,
                cycle=cycle,
                money=money.per_project,
                pending=pending_decisions(ws, cycle, language),
            )
        except ZyklusError:
            if project is None:
                needs_part()  # the needs section's error comes first, as in one process
            raise
        needs, fortschreibung, shaped_maps = needs_part() if project is None else (None,) * 3
    if isinstance(shaped_maps, ZyklusError):
        raise shaped_maps  # where one process met it: after the money's errors
    maps = Maps(available=bool(ws.geometries)) if shaped_maps is None else shaped_maps
    return CommitteeReport(
        meta=meta,
        summary=shaper.summary(projects),
        needs=needs,
        groups=groups,
        goals=goals,
        projects=projects,
        changes=changes,
        committee=board,
        maps=maps,
        money=money,
        fortschreibung=fortschreibung,
        invalid=_invalid_files(ws, state, shaper, language, project),
    )


_NeedsPart = tuple[Needs, Fortschreibung | None, Maps | ZyklusError]


def _needs_part(
    ws: Workspace, lang: models.Lang, state: models.CycleState, cards: dict[str, models.Card]
) -> _NeedsPart:
    """The needs section, its maps and the re-check of the needs, from one analysis.

    The analysis stays behind (from a worker, it would be 31 MB to send at 10 000 areas);
    a map's error is returned, to be raised where one process met it.
    """
    with workers.collector_paused():  # as for the projects' rows (build)
        needs, result = shape_needs(ws, lang, state)
        phases = {pid: entry.phase for pid, entry in state.projects.items()}
        try:
            maps: Maps | ZyklusError = shape_maps(
                ws.geometries, ws.areas, result, cards, phases, lang=lang
            )
        except ZyklusError as exc:
            maps = exc
        return needs, shape_fortschreibung(ws, state, result), maps


def _needs_shared() -> _NeedsPart:
    """In the worker: the needs part of the report it inherited."""
    ws, lang, state, cards = workers.inherited()
    return _needs_part(ws, lang, state, cards)


@contextlib.contextmanager
def _needs_aside(
    ws: Workspace,
    lang: models.Lang,
    state: models.CycleState,
    cards: dict[str, models.Card],
    projects: int,
) -> Iterator[Callable[[], _NeedsPart]]:
    """What gives the needs part: from :data:`PARALLEL_FROM` projects on, with a second
    CPU, shaped by a forked worker while this process shapes the projects (issue 21: 7 s
    each at 10 000 projects); else shaped here when asked. The cards are read before."""
    if workers.jobs(projects, PARALLEL_FROM) < 2:
        yield lambda: _needs_part(ws, lang, state, cards)
        return
    with workers.pool(1, shared=(ws, lang, state, cards)) as started:
        yield started.apply_async(_needs_shared).get


def invalid_problems(ws: Workspace) -> list[Problem]:
    """The errors that leave a card or offer out of the report."""
    return [p for item in (ws.cards, ws.offers) for p in item.problems if p.severity == "error"]


def _invalid_files(
    ws: Workspace, state: models.CycleState, shaper: CycleShaper, lang: str, project: str | None
) -> list[InvalidFile]:
    by_path: dict[str, list[Problem]] = {}
    for problem in invalid_problems(ws):
        by_path.setdefault(problem.path, []).append(problem)
    out = []
    for path, problems in sorted(by_path.items()):
        file_id = Path(path).stem
        if project is not None and file_id != project:
            continue
        entry = state.projects.get(file_id)
        phase = shaper.phase_label(entry.phase if entry is not None else None)
        out.append(InvalidFile(file_id, path, phase, [p.render(lang) for p in problems]))
    return out


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


def _value_bars(bars: Iterable[NeedBar], unit: str, lang: str) -> list[charts.Bar]:
    """An indicator's bars (the hotspots, one level's areas) as chart bars with their values."""
    return [
        charts.Bar(b.label, b.value, quantity(b.value, unit, lang), b.tone, b.note) for b in bars
    ]


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
                _value_bars(block.bars, block.unit, lang),
                title=block.chart_title,
                reference=(block.city_value, block.reference_label),
                width=880,
            )
    out["hotspots"] = hotspots
    levels = {}
    for block in report.needs.indicators if report.needs is not None else ():
        for level in block.levels:
            levels[(block.id, level.level)] = charts.bar_chart(
                _value_bars(level.bars, block.unit, lang),
                title=t(
                    "cm-chart-hotspots",
                    indicator=block.label,
                    level=level.label,
                    period=block.period,
                ),
                reference=(block.city_value, block.reference_label),
                width=880,
            )
    out["levels"] = levels
    series = {}
    for block in report.needs.indicators if report.needs is not None else ():
        if block.series:
            values = [v for line in block.series for _, v in line.points]
            days = sorted({d for line in block.series for d, _ in line.points})
            series[block.id] = charts.line_chart(
                [
                    charts.Series(
                        line.name,
                        line.points,
                        quantity(max(line.points)[1], block.unit, lang),
                        dashed=line.city,
                    )
                    for line in block.series
                ],
                title=t("cm-chart-series", indicator=block.label),
                axis_texts=[(d, i18n.format_date(d, lang)) for d in days],
                low_text=quantity(min(values), block.unit, lang),
                high_text=quantity(max(values), block.unit, lang),
                width=880,
            )
    out["series"] = series
    funders = report.money.by_funder
    if funders is not None and any(any(v is not None for v in f.values) for f in funders.lines):
        index = {label: i for i, label in enumerate(funders.columns)}
        granted = index.get(t("money-col-granted"))
        requested = index.get(t("money-col-requested"))
        bars = []
        for line in funders.lines:
            amount = line.values[granted] if granted is not None else None
            if amount is None and requested is not None:
                amount = line.values[requested]
            parts = [
                f"{column} {_eur(value, lang, t)}"
                for column, value in zip(funders.columns, line.values, strict=True)
                if value is not None
            ]
            bars.append(
                charts.Bar(
                    line.label,
                    float(amount or 0),
                    " · ".join(parts) or t("report-not-given"),
                    "default" if amount is not None else "muted",
                    f"({t('report-illustrative-short')})" if line.illustrative else "",
                )
            )
        out["funders"] = charts.bar_chart(bars, title=t("cm-chart-funders"), width=880)
    goals = {}
    for project in report.projects:
        marks = [_goal_mark(g, lang, t) for g in project.goals]
        if marks:
            goals[project.ref.id] = charts.goal_progress(
                marks, title=t("cm-chart-goals", title=project.ref.title), width=880
            )
    out["goals"] = goals
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


def _eur(value: object, lang: str, t: Callable[..., str]) -> str:
    number = float(value)  # type: ignore[arg-type]
    digits = 0 if number.is_integer() else 2
    return t("report-eur", value=i18n.format_number(number, lang, digits))


def _goal_mark(g: GoalRow, lang: str, t: Callable[..., str]) -> charts.GoalMark:
    """Baseline → actual → target of one goal, with the values printed."""
    start = quantity(g.baseline.value, g.unit, lang) if g.baseline else t("cm-goal-no-baseline")
    end = quantity(g.target.value, g.unit, lang) if g.target else t("cm-goal-no-target")
    share = None
    actual_row, base, target = g.actual, g.baseline, g.target
    known = actual_row is not None and base is not None and target is not None
    if known and actual_row and base and target and target.value != base.value:
        share = (actual_row.value - base.value) / (target.value - base.value)
    if g.actual is None:
        actual = t("cm-goal-no-actual")
    else:
        actual = t(
            "cm-goal-actual",
            value=quantity(g.actual.value, g.unit, lang),
            date=g.actual.date,
        )
        if share is None:
            actual = f"{actual} – {t('cm-goal-no-track')}"
    return charts.GoalMark(f"{g.id}: {g.statement}", start, end, actual, share, g.status)


# --- rendering --------------------------------------------------------------------------


# Sections other wings may add (issue 16): rendered when their template exists.
OPTIONAL_SECTIONS = ("money",)


def _optional(env: jinja2.Environment, name: str) -> str | None:
    """``name`` when the template search path has it, else None (the section is left out)."""
    import jinja2

    try:
        env.get_template(name)
    except jinja2.TemplateNotFound:
        return None
    return name


def render(ws: Workspace, report: CommitteeReport, fmt: Format) -> str:
    """One format of the report as text (same input → same bytes); pdf renders the HTML."""
    return "".join(stream(ws, report, fmt))


def stream(ws: Workspace, report: CommitteeReport, fmt: Format) -> Iterator[str]:
    """:func:`render` in pieces, as they are rendered (issue 21: a report of 10 000
    projects is 240 MB of text; held whole, with Jinja's pieces, it took 2 GiB)."""

    if fmt == "pdf":
        fmt = "html"

    from zyklus.files.templates import stream_with

    name = TEMPLATES[fmt]
    env = environment(ws, fmt, report.meta.lang)
    drawn = draw(report) if fmt == "html" else {}
    extras = {key: _optional(env, f"_report_{key}.{fmt}.j2") for key in OPTIONAL_SECTIONS}
    pieces = stream_with(env, ws.root, name, report=report, charts=drawn, extras=extras)
    yield from _one_final_newline(_blocks(pieces))


_BLOCK = 4096  # pieces per block of text (about a megabyte)


def _blocks(pieces: Iterable[str]) -> Iterator[str]:
    """Jinja's pieces are short (a million at 1 000 projects): joined in blocks, in C."""
    it = iter(pieces)
    while block := list(itertools.islice(it, _BLOCK)):
        yield "".join(block)


def _one_final_newline(pieces: Iterable[str]) -> Iterator[str]:
    """The text ends in exactly one newline (``text.rstrip("\n") + "\n"``), in pieces."""
    held = ""  # newlines at the end of what was seen so far
    for part in pieces:
        piece = str(part)  # plain text: a Markup piece would escape what is added to it
        body = piece.rstrip("\n")
        if body:
            yield held + body
            held = piece[len(body) :]
        else:
            held += piece
    yield "\n"


def _encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    """UTF-8, piece by piece (a lone surrogate shown escaped)."""
    for piece in pieces:
        yield utf8(piece).encode("utf-8")


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
    """Render every format into a staged file, then give each its name; returns the paths."""
    from zyklus.files.output import check_inside, write_files

    folder = output_dir(ws, report.meta.cycle, out)
    if folder.exists() and not folder.is_dir():
        raise UsageError.single("R-OUT-NOT-DIR", path=str(folder))
    check_inside(ws.root, folder)
    data: dict[Format, bytes | Iterable[bytes]] = {}
    for fmt in formats:
        if fmt == "pdf":
            from zyklus.files.pdf import html_to_pdf

            data[fmt] = html_to_pdf(render(ws, report, "html"))
        else:  # rendered while it is written; nothing is replaced until all are staged
            data[fmt] = _encoded(stream(ws, report, fmt))
    return write_files(
        folder,
        {target_path(folder, file_name(fmt, report.meta.project)): data[fmt] for fmt in formats},
        jobs=jobs(report, formats),
    )


PARALLEL_FROM = 200  # projects; below this, forking a worker costs more than it saves


def jobs(report: CommitteeReport, formats: Sequence[Format]) -> int:
    """Processes that render the formats side by side (issue 21: at 10 000 projects the
    Markdown and the HTML took 8 s and 12 s one after the other)."""
    return min(workers.jobs(len(report.projects), PARALLEL_FROM), len(formats))


def parse_formats(value: str) -> list[Format]:
    """The formats to write for ``--format`` (checked by the CLI's table): one, or all."""
    return list(ALL) if value == "all" else [fmt for fmt in FORMATS if value == fmt]


def resolve_cycle(ws: Workspace, cycle: int | None) -> int:
    """``--cycle``, else the current cycle; an unknown year names the known ones."""
    from zyklus.files.cycles import cycle_year

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
