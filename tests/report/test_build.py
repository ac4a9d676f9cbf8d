"""Tests of the report core (report.py, report_data.py, report_needs.py; issue 6).

The numbers are checked against the workspace they come from: the Bochum example at the
repository root (phase counts, FTE and EUR totals, the hidden hotspots 554/557/555) and a
small workspace on tmp_path with dated milestones and goals (overdue milestones at a fixed
date, goal achievement). A hostile card checks that user text stays inert in both formats.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from helpers import REPO, bench_generator, build_file_tree, grows_linearly_in_calls
from zyklus import i18n
from zyklus.errors import LoadError, Problem, UsageError
from zyklus.files.workspace import Workspace
from zyklus.models import END_STATES, PHASES, Goal, Measurement
from zyklus.report import build as report
from zyklus.report.page import md_inline
from zyklus.report.rows import GOAL_STATUSES
from zyklus.report.status import status_rows

AS_OF = date(2027, 6, 30)

CONFIG = """\
name: Teststadt
language: de
current_cycle: 2027
city: stadt
target_groups:
  - id: langzeitarbeitslose
    label: {de: Langzeitarbeitslose, en: Long-term unemployed}
  - id: jugendliche
    label: {de: Jugendliche, en: Young people}
strategic_goals:
  - id: ziel-lza
    title: {de: Ziel Langzeitarbeitslose, en: Goal long-term unemployed}
    source: "Kap. 4.3"
indicators:
  - id: anteil
    label: {de: Arbeitslosenanteil, en: Unemployment share}
    unit: "%"
"""

AREAS = """\
id,name,level,parent
stadt,Stadt,stadt,
nord,Nord,stadtbezirk,stadt
sued,Süd,stadtbezirk,stadt
q,Querenburg,ortsteil,sued
d1,Distrikt 1,ba-distrikt,q
d2,Distrikt 2,ba-distrikt,q
"""

INDICATORS = """\
area,indicator,period,value
stadt,anteil,2023-12-31,6.0
nord,anteil,2023-12-31,9.0
sued,anteil,2023-12-31,5.0
q,anteil,2023-12-31,6.1
d1,anteil,2023-12-31,11.0
d2,anteil,2023-12-31,3.0
"""

ALPHA = """\
id: alpha
title: Alpha im Quartier
areas: [d1]
target_groups: [langzeitarbeitslose]
themes: [Beratung]
actors: [Jobcenter]
needs:
  - statement: Hoher Anteil im Distrikt 1
    evidence: [{area: d1, indicator: anteil, period: 2023-12-31}]
existing_offers: []
needs_check_note: Kein vorhandenes Angebot vor Ort.
goals:
  - id: G1
    statement: Beratungstermine je Quartal
    indicator: anteil
    unit: Termine
    baseline: {value: 0, date: 2026-12-31}
    target: {value: 6, date: 2027-03-31}
    level: 2
    contributes_to: [ziel-lza]
  - id: G2
    statement: Arbeitslosenanteil senken
    unit: "%"
    baseline: {value: 11, date: 2026-12-31}
    target: {value: 9, date: 2028-12-31}
    level: 6
    contributes_to: [ziel-lza]
  - id: G3
    statement: Noch ohne Messung
resources:
  staff_fte: 1.5
  budget_eur: 12500
milestones:
  - {id: M1, title: Start, due: 2027-01-15}
  - {id: M2, title: Reflexion, due: 2027-03-01}
  - {id: M3, title: Ausweitung, due: 2027-09-01}
  - {id: M4, title: Ohne Termin}
"""

BETA = """\
id: beta
title: Beta gesamtstädtisch
areas: [citywide]
target_groups: [jugendliche]
resources:
  staff_fte: 0.5
  budget_eur: 2500.5
milestones:
  - {id: M1, title: Irgendwann, due: 2026-01-01}
"""

GAMMA = """\
id: gamma
title: Gamma beendet
areas: [nord]
target_groups: [jugendliche]
resources: {staff_fte: 9, budget_eur: 90000}
milestones:
  - {id: M1, title: Alt, due: 2026-01-01}
"""

CYCLE_2026 = """\
cycle: 2026
opened: 2026-01-10T09:00:00+01:00
projects:
  alpha:
    phase: planning
    history:
      - {from: null, to: analysis, at: 2026-01-12T10:00:00+01:00, by: Test}
      - {from: analysis, to: planning, at: 2026-03-01T10:00:00+01:00, by: Test, forced: true, unmet: [G-NEEDS-EVIDENCE]}
  gamma:
    phase: evaluation
    evaluation: {verdict: stop, summary: Nicht angenommen, date: 2026-11-30, by: Test}
"""

CYCLE_2027 = """\
cycle: 2027
previous: 2026
opened: 2027-01-10T09:00:00+01:00
projects:
  alpha:
    phase: implementation
    history:
      - {from: planning, to: implementation, at: 2027-01-20T10:00:00+01:00, by: Test, illustrative: true}
    actuals:
      - {goal: G1, value: 7, date: 2027-03-31, illustrative: true}
      - {goal: G2, value: 10, date: 2027-06-01}
    milestones:
      - {id: M1, done: 2027-01-16}
  beta:
    phase: planning
    history:
      - {from: null, to: analysis, at: 2027-01-11T10:00:00+01:00, by: Test}
      - {from: analysis, to: planning, at: 2027-02-01T10:00:00+01:00, by: Test}
  gamma:
    phase: stopped
    history:
      - {from: evaluation, to: stopped, at: 2027-01-12T10:00:00+01:00, by: Test}
"""


@pytest.fixture
def rich(tmp_path: Path) -> Workspace:
    root = build_file_tree(
        tmp_path / "ws",
        {
            "zyklus.yaml": CONFIG,
            "data/areas.csv": AREAS,
            "data/indicators.csv": INDICATORS,
            "projects/alpha.yaml": ALPHA,
            "projects/beta.yaml": BETA,
            "projects/gamma.yaml": GAMMA,
            "cycles/2026.yaml": CYCLE_2026,
            "cycles/2027.yaml": CYCLE_2027,
        },
    )
    return Workspace(root)


HOSTILE_TITLE = '<script>alert("x")</script> | Titel {{ 7*7 }}'
HOSTILE = """\
id: boese
title: {title}
areas: [d1]
target_groups: [langzeitarbeitslose]
themes: ["a|b"]
description: "[Klick](javascript:alert(1))\\n| a | b |\\n<img src=x onerror=alert(1)>\\n# Überschrift\\n\\n{{% if true %}}x{{% endif %}}"
audience: "<style>body{{display:none}}</style>"
actors: ["A|B", "<b>fett</b>", "Zeile 1\\nZeile 2"]
synergies: ["javascript:alert(1)", "<a href=\\"javascript:alert(2)\\">x</a>"]
goals:
  - {{id: G1, statement: "Ziel | mit Pipe\\nund Zeilenumbruch {{{{ 7*7 }}}}"}}
milestones:
  - {{id: M1, title: "Erste\\nZeile | zwei <script>", due: 2027-01-01}}
"""


@pytest.fixture
def hostile(rich: Workspace) -> Workspace:
    card = HOSTILE.format(title=yaml.safe_dump(HOSTILE_TITLE).strip().removesuffix("..."))
    build_file_tree(rich.root, {"projects/boese.yaml": card})
    cycle = (rich.root / "cycles/2027.yaml").read_text(encoding="utf-8")
    cycle += "  boese:\n    phase: planning\n"
    (rich.root / "cycles/2027.yaml").write_text(cycle, encoding="utf-8")
    (rich.root / "zyklus.yaml").write_text(
        CONFIG.replace("name: Teststadt", "name: '<i>Stadt</i> & Co | {{ 1+1 }}'"),
        encoding="utf-8",
    )
    return Workspace(rich.root)


def _both(ws: Workspace, lang: str = "de", cycle: int = 2027) -> tuple[str, str]:
    built = report.build(ws, cycle, lang=lang, as_of=AS_OF)
    return report.render(ws, built, "md"), report.render(ws, built, "html")


def _tree(html: str):  # type: ignore[no-untyped-def]
    return html5lib.parse(html, namespaceHTMLElements=False)


def _table_rows_agree(md: str) -> None:
    """Every row of every Markdown table has as many unescaped pipes as its header."""
    token = re.compile(r"\\.|[^|\\]+|\|")
    expected: int | None = None
    for line in md.splitlines():
        if not line.startswith("|"):
            expected = None
            continue
        pipes = sum(1 for t in token.findall(line) if t == "|")
        if expected is None:
            expected = pipes
        assert pipes == expected, line


# --- the example workspace (repository root) ----------------------------------------------


@pytest.fixture(scope="module")
def example() -> tuple[Workspace, report.CommitteeReport]:
    ws = Workspace(REPO)
    return ws, report.build(ws, 2027, lang="de", as_of=AS_OF)


def test_example_phase_counts_match_the_cycle_file(
    example: tuple[Workspace, report.CommitteeReport],
) -> None:
    _, built = example
    state = yaml.safe_load((REPO / "cycles/2027.yaml").read_text(encoding="utf-8"))
    expected = Counter(p["phase"] for p in state["projects"].values())
    counts = {c.key: c.count for c in built.summary.phases}
    assert counts == {p: expected.get(p, 0) for p in PHASES}
    assert counts["planning"] == 3 and counts["implementation"] == 1
    illustrative = {c.key: c.illustrative for c in built.summary.phases}
    assert illustrative["implementation"] == 1 and illustrative["evaluation"] == 1
    assert built.summary.projects == len(list((REPO / "projects").glob("*.yaml")))


def test_example_staff_and_budget_totals(example: tuple[Workspace, report.CommitteeReport]) -> None:
    ws, built = example
    fte = sum(c.resources.staff_fte or 0 for c in ws.cards.items.values())
    eur = sum(c.resources.budget_eur or 0 for c in ws.cards.items.values())
    assert built.summary.fte == pytest.approx(fte) == pytest.approx(0.15)
    assert eur == 0 and built.summary.eur is None  # no budget given: unknown, not 0 €
    assert built.summary.fte_projects == 1 and built.summary.eur_projects == 0


def test_example_hidden_hotspots(example: tuple[Workspace, report.CommitteeReport]) -> None:
    _, built = example
    assert built.needs is not None
    (block,) = built.needs.indicators
    assert block.id == "arbeitslosenanteil" and block.city_value == 6.9
    hidden = [h.area for h in block.hotspots if h.hidden]
    assert sorted(hidden) == ["554", "555", "557"]
    assert [h.area for h in block.hotspots][:2] == ["kruppwerke", "wattenscheid-mitte"]
    md, html = report.render(example[0], built, "md"), report.render(example[0], built, "html")
    for text in (md, html):
        assert "BA-Distrikt 554: 11,7 % (1,70-fach des Stadtwerts), obwohl Querenburg" in text
        assert "BA-Distrikt 557: 11,9 %" in text and "BA-Distrikt 555: 10,0 %" in text


def test_example_matches_zyklus_status(example: tuple[Workspace, report.CommitteeReport]) -> None:
    """Days in phase and overdue milestones agree with ``zyklus status`` (issue 4)."""
    ws, built = example
    rows = {r.project: r for r in status_rows(ws, 2027, as_of=AS_OF)}
    for project in built.projects:
        row = rows[project.ref.id]
        assert project.phase == row.phase
        assert project.days == row.days_in_phase
        assert [m.id for m in project.milestones if m.status == "overdue"] == row.overdue
        if project.gate is not None:
            assert sorted(c.code for c in project.gate.unmet if not c.warning) == sorted(row.unmet)


def test_example_labels_illustrative_values(
    example: tuple[Workspace, report.CommitteeReport],
) -> None:
    ws, built = example
    md, html = report.render(ws, built, "md"), report.render(ws, built, "html")
    assert built.meta.illustrative_entries == 10  # with two committee decisions (issue 14)
    assert "> **Beispieldaten:** 10 Einträge" in md
    assert '<aside class="banner" role="note"><strong>Beispieldaten:</strong> 10 Einträge' in html
    # the actual 9 of jobcenter-im-quartier G2 carries the label right next to it
    assert "| 9 (31.05.2027) _(Beispieldaten)_ |" in md
    assert re.search(r'9<span class="illus">Beispieldaten</span>', html.replace(" <span", "<span"))


def test_example_changes_since_2024(example: tuple[Workspace, report.CommitteeReport]) -> None:
    _, built = example
    changes = built.changes
    assert changes.previous == 2024
    assert not changes.added and not changes.ended
    moved = {m.project.id: (m.from_label, m.to_label) for m in changes.moved}
    assert moved == {
        "ausbildungsberufe-im-quartier": ("Planung", "Umsetzung"),
        "jobcenter-im-quartier": ("Planung", "Evaluation"),
    }


# --- numbers on a workspace built for them ---------------------------------------------------


def test_overdue_milestones_at_a_fixed_date(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    overdue = [(m.project.id, m.id, m.days_overdue) for m in built.summary.overdue]
    # beta M1 is oldest; alpha M1 is done, M3 not yet due, M4 has no date; gamma stopped
    assert overdue == [
        ("beta", "M1", (AS_OF - date(2026, 1, 1)).days),
        ("alpha", "M2", (AS_OF - date(2027, 3, 1)).days),
    ]
    assert built.summary.undated == 1
    statuses = {m.id: m.status for m in built.projects[0].milestones}
    assert statuses == {"M1": "done", "M2": "overdue", "M3": "due", "M4": "undated"}
    total = sum(len(r.overdue) for r in status_rows(rich, 2027, as_of=AS_OF))
    assert total == len(built.summary.overdue)
    md = report.render(rich, built, "md")
    # issue 16: an overdue milestone is a point of the Entscheidungsbedarf
    assert (
        "| Termin | Alpha im Quartier | Meilenstein „Reflexion“ war am 01.03.2027 fällig und ist "
        "seit 121 Tagen überfällig. |" in md
    )


def test_totals_leave_out_ended_projects(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="en", as_of=AS_OF)
    assert built.summary.active == 2
    assert built.summary.fte == pytest.approx(2.0)  # alpha 1.5 + beta 0.5; gamma stopped
    assert built.summary.eur == pytest.approx(15000.5)
    md, html = report.render(rich, built, "md"), report.render(rich, built, "html")
    assert "| **Sum of what is given** | **2 FTE** |" in md
    # issue 15's money table lists every project of the cycle, the stopped one too
    assert "| **Sum of what is given** | **€105,000.50** |" in md
    assert "€105,000.50" in html and "€2,500.50" in html
    de = report.render(rich, report.build(rich, 2027, lang="de", as_of=AS_OF), "md")
    assert "105.000,50 €" in de


def test_goal_statuses_and_achievement(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    alpha = next(p for p in built.projects if p.ref.id == "alpha")
    goals = {g.id: g for g in alpha.goals}
    assert goals["G1"].status == "met" and goals["G1"].achievement == pytest.approx(7 / 6 * 100)
    # downward target 11 → 9, at 10 before the target date: half-way, still open
    assert goals["G2"].status == "open" and goals["G2"].achievement == pytest.approx(50.0)
    assert goals["G3"].status == "not_measured"
    counts = {c.key: (c.count, c.illustrative) for c in built.summary.goals}
    assert counts["met"] == (1, 1) and counts["open"] == (1, 0) and counts["not_measured"] == (1, 0)
    md = report.render(rich, built, "md")
    assert "| 0 Termine (31.12.2026) | 6 Termine (31.03.2027) | 7 Termine (31.03.2027)" in md
    assert "| 116,7 % | erreicht |" in md


@pytest.mark.parametrize(
    ("actual", "as_of", "expected"),
    [
        (None, date(2027, 1, 1), "not_measured"),
        (5.0, date(2027, 1, 1), "open"),
        (5.0, date(2028, 1, 1), "not_met"),
        (6.0, date(2028, 1, 1), "met"),
    ],
)
def test_goal_status_rules(actual: float | None, as_of: date, expected: str) -> None:
    from zyklus.models import Actual
    from zyklus.report.rows import goal_status

    goal = Goal(
        id="G1",
        statement="x",
        baseline=Measurement(value=0, date=date(2026, 1, 1)),
        target=Measurement(value=6, date=date(2027, 6, 30)),
    )
    record = Actual(goal="G1", value=actual, date=date(2027, 1, 1)) if actual is not None else None
    assert goal_status(goal, record, as_of)[0] == expected


def test_rollups_by_target_group_and_strategic_goal(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    groups = {g.id: [p.ref.id for p in g.projects] for g in built.groups}
    assert groups == {"langzeitarbeitslose": ["alpha"], "jugendliche": ["beta"]}  # not gamma
    (lza, unassigned) = built.goals
    assert lza.id == "ziel-lza" and lza.note == "Kap. 4.3"
    assert [(lv.level, [g.id for g in lv.goals]) for lv in lza.levels] == [(2, ["G1"]), (6, ["G2"])]
    assert lza.fte == pytest.approx(1.5) and lza.eur == pytest.approx(12500)
    assert [g.id for g in unassigned.levels[0].goals] == ["G3"]


def test_changes_since_previous_cycle(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    changes = built.changes
    assert changes.previous == 2026
    assert [r.id for r in changes.added] == ["beta"]
    assert [r.id for r in changes.ended] == ["gamma"]
    assert [(m.project.id, m.to_label) for m in changes.moved] == [
        ("alpha", "Umsetzung"),
        ("gamma", "beendet"),
    ]
    assert [(v.project.id, v.evaluation.verdict) for v in changes.verdicts] == [("gamma", "stop")]


def test_history_reaches_into_the_previous_cycle(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    alpha = next(p for p in built.projects if p.ref.id == "alpha")
    assert [(h.cycle, h.to_label) for h in alpha.history] == [
        (2026, "Analyse"),
        (2026, "Planung"),
        (2027, "Umsetzung"),
    ]
    assert alpha.history[1].forced and alpha.history[1].unmet == ("G-NEEDS-EVIDENCE",)
    assert alpha.since == date(2027, 1, 20) and alpha.days == (AS_OF - date(2027, 1, 20)).days
    assert [s.phase for s in alpha.segments] == ["analysis", "planning", "implementation"]
    assert alpha.segments[-1].end == AS_OF


def test_needs_use_the_report_cycle(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    assert built.needs is not None
    (block,) = built.needs.indicators
    assert [(h.area, h.hidden) for h in block.hotspots] == [("d1", True), ("nord", False)]
    cells = {line.area: line.cells for line in built.needs.coverage}
    assert cells["d1"][0].local == ("Alpha im Quartier (direkt)",)
    assert cells["nord"][0].gap  # nobody reaches the long-term unemployed in Nord
    assert cells["nord"][1].local == () and cells["nord"][1].citywide == 1  # beta, citywide
    assert not cells["d1"][1].gap and built.needs.gaps == []  # gamma (stopped) reaches none


# --- user text stays data ---------------------------------------------------------------------


def test_hostile_card_is_inert_in_html(hostile: Workspace) -> None:
    _, html = _both(hostile)
    html5lib.HTMLParser(strict=True).parse(html)
    tree = _tree(html)
    assert [e.tag for e in tree.iter() if e.tag in ("script", "img", "b", "i", "iframe")] == []
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower(), (element.tag, name, value)
    styles = [e for e in tree.iter() if e.tag == "style"]
    assert len(styles) == 1  # only ours; the card's <style> is text
    text = "".join(tree.itertext())
    assert HOSTILE_TITLE in text
    assert "{{ 7*7 }}" in text and "Titel 49" not in text
    assert "{% if true %}x{% endif %}" in text
    assert "<i>Stadt</i> & Co | {{ 1+1 }}" in text


def test_hostile_card_does_not_break_markdown(hostile: Workspace) -> None:
    md, _ = _both(hostile)
    _table_rows_agree(md)
    assert re.search(r"<(?!br>)", md) is None  # no raw HTML, only our line breaks
    assert '&lt;script&gt;alert("x")&lt;/script&gt; \\| Titel {{ 7\\*7 }}' in md
    assert "Titel 49" not in md
    assert "| M1: Erste<br>Zeile \\| zwei &lt;script&gt; | 01.01.2027 |" in md
    assert "\\[Klick\\](javascript:alert(1))" in md  # no link: the brackets are escaped
    assert "\n\\# Überschrift" in md  # a heading in a description stays text


# --- languages, validity, references, determinism ------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_both_languages_valid_and_self_contained(rich: Workspace, lang: str) -> None:
    md, html = _both(rich, lang)
    html5lib.HTMLParser(strict=True).parse(html)
    assert f'<html lang="{lang}">' in html
    tree = _tree(html)
    for element in tree.iter():
        for name in ("src", "href", "xlink:href", "action", "srcset", "poster"):
            value = element.attrib.get(name)
            if value is not None:
                assert name == "href" and value.startswith("#"), (element.tag, name, value)
        if element.tag == "th":
            assert element.attrib.get("scope") in ("col", "colgroup", "row", "rowgroup"), (
                element.attrib
            )
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    assert "<script" not in html.lower()
    assert "@page" in html and "break-before: page" in html
    assert all(svg.count("<title>") for svg in re.findall(r"<svg.*?</svg>", html, re.S))
    headings = {
        "de": ["## Auf einen Blick", "### Entscheidungsbedarf", "## 4. Geld und Personal"],
        "en": ["## At a glance", "### Decisions needed", "## 4. Money and staff"],
    }[lang]
    assert all(h in md for h in headings), headings
    number = {"de": "1,5 VZÄ", "en": "1.5 FTE"}[lang]
    assert number in md and number in html
    day = {"de": "01.03.2027", "en": "2027-03-01"}[lang]
    assert day in md and day in html


def test_no_language_words_in_python_sources() -> None:
    """Labels live in messages/report.yaml; the report modules hold ids, not sentences."""
    sentence = re.compile(r"[A-Za-zÄÖÜäöüß]{3,} [A-Za-zÄÖÜäöüß]{3,}")
    for path in sorted(Path(report.__file__).parent.glob("*.py")):
        name = path.name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        texts = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ]
        words = [t for t in texts if sentence.search(t) and not re.search(r"[<=]", t)]
        assert words == [], name


def test_every_label_id_exists_in_both_languages() -> None:
    ids = [f"report-phase-{p}" for p in (*PHASES, *END_STATES, "none")]
    ids += [f"report-goal-{s}" for s in GOAL_STATUSES]
    ids += [f"report-milestone-{s}" for s in ("done", "overdue", "due", "undated")]
    ids += [f"report-verdict-{v}" for v in ("continue", "adjust", "stop")]
    ids += [f"report-level-{n}" for n in (*range(1, 8), "none")]
    ids += [f"report-reach-{h}" for h in ("direct", "parent", "child", "citywide")]
    for msg_id in ids:
        assert set(i18n.catalog()[msg_id]) == {"de", "en"}, msg_id


def test_same_input_same_bytes(rich: Workspace) -> None:
    first = _both(rich)
    second = _both(Workspace(rich.root))
    assert first == second


def test_project_report_and_unknown_project(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF, project="alpha")
    assert [p.ref.id for p in built.projects] == ["alpha"] and built.needs is None
    html = report.render(rich, built, "html")
    html5lib.HTMLParser(strict=True).parse(html)
    assert "Projektbericht zum Zyklus 2027" in html and "Beta gesamtstädtisch" not in html
    with pytest.raises(UsageError) as caught:
        report.build(rich, 2027, lang="de", as_of=AS_OF, project="alpah")
    (problem,) = caught.value.problems
    assert problem.code == "W-UNKNOWN-PROJECT-HINT" and problem.params["hint"] == "alpha"


def test_write_is_atomic_and_stays_in_the_folder(rich: Workspace, tmp_path: Path) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    folder = rich.root / "reports/2027"
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.md"
    victim.write_text("keep me", encoding="utf-8")
    (folder / "report.md").symlink_to(victim)  # a link at the target is replaced, not followed
    paths = report.write(rich, built, ["md", "html"], None)
    assert paths == [folder / "report.md", folder / "report.html"]
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (folder / "report.md").is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.md"]  # no temp
    with pytest.raises(UsageError) as caught:
        report.target_path(tmp_path, "../evil.md")
    assert caught.value.problems[0].code == "R-OUT-NAME"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_cell_text_stays_one_inert_markdown_cell(text: str) -> None:
    cell = md_inline(text)
    assert "\n" not in cell and "\r" not in cell
    assert re.search(r"<(?!br>)", cell) is None
    _table_rows_agree(f"| a | b |\n|---|---|\n| {cell} | x |\n")


def test_workspace_template_overrides_and_strict_undefined(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    folder = rich.root / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(
        "Eigene Vorlage {{ report.meta.cycle }}: {{ report.meta.name }} {{ 1234.5|num }}\n",
        encoding="utf-8",
    )
    assert report.render(rich, built, "md") == "Eigene Vorlage 2027: Teststadt 1.234,5\n"
    (folder / "report.md.j2").write_text("{{ report.no_such_thing }}\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        report.render(rich, built, "md")
    assert caught.value.problems[0].code == "T-ERROR"
    assert caught.value.problems[0].where() == "templates/report.md.j2:1"
    assert "report.html.j2" not in {p.name for p in folder.iterdir()}  # the packaged one is used
    html5lib.HTMLParser(strict=True).parse(report.render(rich, built, "html"))


def test_long_lists_are_cut_to_the_worst_with_a_count(rich: Workspace) -> None:
    """10 000 areas must not give a 10 MB report: the worst 20 are listed, the rest counted."""
    areas = AREAS + "".join(f"x{i},Bezirk {i:02d},stadtbezirk,stadt\n" for i in range(40))
    values = INDICATORS + "".join(f"x{i},anteil,2023-12-31,{8 + i / 10}\n" for i in range(40))
    build_file_tree(rich.root, {"data/areas.csv": areas, "data/indicators.csv": values})
    ws = Workspace(rich.root)
    built = report.build(ws, 2027, lang="de", as_of=AS_OF)
    assert built.needs is not None
    (block,) = built.needs.indicators
    assert len(block.hotspots) == 20 and block.more == 22  # 40 + nord + d1 = 42 hotspots
    assert [h.name for h in block.hotspots[:2]] == ["Bezirk 39", "Bezirk 38"]  # worst first
    assert block.hotspots[-1].name == "Bezirk 21"  # 39…30, Distrikt 1 (11,0 %), 29…21
    assert [h.area for h in block.hidden] == ["d1"]  # hidden ones are listed in any case
    assert len(block.bars) == 15
    assert len(built.needs.coverage) == 20 and built.needs.coverage_more == 22
    md, html = report.render(ws, built, "md"), report.render(ws, built, "html")
    assert "… und 21 weitere (die vollständige Liste hat die Sozialplanung)" in md
    # one ranking per level (issue 16): 41 Stadtbezirke, 20 listed; coverage 22 more
    assert html.count("… und 21 weitere") == 1 and html.count("… und 22 weitere") == 1


def test_illustrative_workspace_says_so_in_a_banner(rich: Workspace) -> None:
    config = (rich.root / "zyklus.yaml").read_text(encoding="utf-8")
    (rich.root / "zyklus.yaml").write_text(config + "illustrative: true\n", encoding="utf-8")
    ws = Workspace(rich.root)
    md, html = _both(ws, "en")
    banner = "Everything in this workspace is invented example data."
    assert f"> **illustrative data:** {banner}" in md
    assert f'<aside class="banner" role="note"><strong>illustrative data:</strong> {banner}' in html


# --- a big city (issue 21): linear work, one analysis, rendered while written --------------


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, int], Path]:
    """Generated workspaces: (projects, areas) → root."""
    generate = bench_generator().generate
    base = tmp_path_factory.mktemp("city")
    sizes = [(10, 60), (20, 60), (100, 60), (10, 120), (10, 600)]
    return {
        (n, a): generate(base / f"p{n}-a{a}", projects=n, areas=a, periods_count=2)
        for n, a in sizes
    }


def _whole_report(root: Path) -> None:
    ws = Workspace(root)
    built = report.build(ws, 2027, lang="de", as_of=date(2027, 6, 30))
    for fmt in ("md", "html"):
        for _ in report.stream(ws, built, fmt):
            pass


def test_report_work_grows_linearly_with_projects_and_areas(
    city: dict[tuple[int, int], Path],
) -> None:
    by_projects = grows_linearly_in_calls(lambda n: _whole_report(city[n, 60]), (10, 20, 100))
    by_areas = grows_linearly_in_calls(lambda a: _whole_report(city[10, a]), (60, 120, 600))
    assert by_projects <= 12 and by_areas <= 12  # 9 for linear work; pairwise ~100


def test_the_report_runs_the_needs_analysis_once(
    city: dict[tuple[int, int], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import zyklus.needs.analysis
    import zyklus.needs.recheck

    runs: list[int] = []
    compute = zyklus.needs.analysis.compute

    def counted(*args: Any, **kwargs: Any) -> Any:
        runs.append(1)
        return compute(*args, **kwargs)

    monkeypatch.setattr(zyklus.needs.analysis, "compute", counted)
    monkeypatch.setattr(zyklus.needs.recheck, "compute", counted)
    built = report.build(Workspace(city[20, 60]), 2027, lang="de", as_of=date(2027, 6, 30))
    assert built.fortschreibung is not None and built.needs is not None
    assert len(runs) == 1  # the Fortschreibung reuses the needs section's analysis


def test_streamed_text_is_the_rendered_text(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=date(2027, 6, 30))
    for fmt in ("md", "html"):
        text = report.render(rich, built, fmt)
        assert "".join(report.stream(rich, built, fmt)) == text
        assert text.endswith("\n") and not text.endswith("\n\n")
    assert report.render(rich, built, "html").startswith('<!DOCTYPE html>\n<html lang="de">')
    pieces = [Markup("<b>"), "\n\n", "x &\n", "\n"]  # Markup must not escape what follows
    assert "".join(report._one_final_newline(pieces)) == "<b>\n\nx &\n"


def test_a_failing_format_replaces_no_file(rich: Workspace) -> None:
    built = report.build(rich, 2027, lang="de", as_of=date(2027, 6, 30))
    folder = rich.root / "reports" / "2027"
    report.write(rich, built, ["md"], None)
    before = (folder / "report.md").read_bytes()
    (rich.root / "templates").mkdir(exist_ok=True)
    (rich.root / "templates" / "report.html.j2").write_text("{{ 1 / 0 }}", encoding="utf-8")
    changed = report.build(rich, 2027, lang="en", as_of=date(2027, 6, 30))
    with pytest.raises(LoadError):
        report.write(Workspace(rich.root), changed, ["md", "html"], None)
    assert (folder / "report.md").read_bytes() == before  # md was staged, never placed
    assert sorted(p.name for p in folder.iterdir()) == ["report.md"]  # no temporary left


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_formats_rendered_side_by_side_are_the_bytes_of_one_process(
    rich: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: Markdown and HTML in two processes from 200 projects on, or when asked."""
    built = report.build(rich, 2027, lang="de", as_of=AS_OF)
    folder = rich.root / "reports/2027"
    assert report.jobs(built, ["md", "html"]) == 1  # a small report stays in one process
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    report.write(rich, built, ["md", "html"], None)
    alone = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setattr(report, "PARALLEL_FROM", 2)
    assert report.jobs(built, ["md", "html"]) == 1
    monkeypatch.setenv("ZYKLUS_JOBS", "2")
    assert report.jobs(built, ["md", "html"]) == 2 and report.jobs(built, ["md"]) == 1
    report.write(rich, built, ["md", "html"], None)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == alone
    assert alone["report.md"] == report.render(rich, built, "md").encode()


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_needs_shaped_by_a_worker_are_the_ones_shaped_here(
    rich: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 21: the needs section is shaped in a forked worker while the projects are."""
    alone = report.build(rich, 2027, lang="de", as_of=AS_OF)
    monkeypatch.setattr(report, "PARALLEL_FROM", 2)
    monkeypatch.setenv("ZYKLUS_JOBS", "2")
    shaped_by = tmp_path / "pid"  # a worker's memory is its own: it says so in a file
    shape = report.shape_needs

    def watched(*args: Any) -> Any:
        shaped_by.write_text(str(os.getpid()), encoding="ascii")
        return shape(*args)

    monkeypatch.setattr(report, "shape_needs", watched)
    aside = report.build(rich, 2027, lang="de", as_of=AS_OF)
    assert int(shaped_by.read_text(encoding="ascii")) != os.getpid()
    assert aside.needs == alone.needs and aside.fortschreibung == alone.fortschreibung
    assert aside.maps == alone.maps  # shaped in the worker
    for fmt in ("md", "html"):
        assert report.render(rich, aside, fmt) == report.render(rich, alone, fmt)

    def broken(*args: Any) -> Any:
        raise LoadError([Problem("E-FILE-NOT-FOUND", path="data/indicators.csv")])

    def no_money(*args: Any, **kwargs: Any) -> Any:
        raise LoadError([Problem("E-FILE-NOT-FOUND", path="funding/calls.yaml")])

    monkeypatch.setattr(report, "shape_money", no_money)
    for jobs in ("1", "2"):  # the first error of one process, also from the worker
        monkeypatch.setenv("ZYKLUS_JOBS", jobs)
        monkeypatch.setattr(report, "shape_needs", broken)
        with pytest.raises(LoadError) as caught:
            report.build(rich, 2027, lang="de", as_of=AS_OF)
        assert caught.value.problems[0].where() == "data/indicators.csv"
        monkeypatch.setattr(report, "shape_needs", shape)
        with pytest.raises(LoadError) as caught:
            report.build(rich, 2027, lang="de", as_of=AS_OF)
        assert caught.value.problems[0].where() == "funding/calls.yaml"


def test_rows_are_shaped_without_the_collector_and_it_runs_again_after(
    rich: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 21: no full collection walks the city's cards while its rows are shaped."""
    import gc

    seen: list[bool] = []
    shape, money = report.shape_needs, report.shape_money

    def needs_watched(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return shape(*args)

    def money_watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return money(*args, **kwargs)

    monkeypatch.setattr(report, "shape_needs", needs_watched)
    monkeypatch.setattr(report, "shape_money", money_watched)
    assert gc.isenabled()
    report.build(rich, 2027, lang="de", as_of=AS_OF)
    assert seen == [False, False] and gc.isenabled()
    monkeypatch.setattr(report, "shape_money", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        report.build(rich, 2027, lang="de", as_of=AS_OF)
    assert gc.isenabled()  # whatever ends the shaping
