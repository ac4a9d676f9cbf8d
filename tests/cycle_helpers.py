"""The small workspace the cycle, gate and state tests build on (issue 4)."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from zyklus import cycle, models
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace

TZ = timezone(timedelta(hours=1))
AT = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)
TODAY = date(2027, 7, 1)

CONFIG = """\
name: Test
language: en
current_cycle: 2027
city: stadt
target_groups:
  - {id: langzeitarbeitslose, label: Langzeitarbeitslose}
  - {id: jugendliche, label: Jugendliche}
indicators:
  - {id: arbeitslosenanteil, label: Arbeitslosenanteil, unit: "%"}
"""
AREAS = """\
id,name,level,parent
stadt,Stadt,stadt,
nord,Nord,stadtbezirk,stadt
querenburg,Querenburg,ortsteil,nord
554,Distrikt 554,ba-distrikt,querenburg
sued,Süd,stadtbezirk,stadt
"""
INDICATORS = """\
area,indicator,period,value
stadt,arbeitslosenanteil,2023-12-31,6.9
querenburg,arbeitslosenanteil,2023-12-31,6.8
"""
OFFER = """\
id: jobcenter-standort
title: Jobcenter-Standort
target_groups: [langzeitarbeitslose]
areas: [querenburg]
themes: [beratung]
"""
# Every criterion of every gate is met; tests break one line at a time (line numbers matter).
FULL_CARD = """\
id: {id}
title: Full project
areas: [querenburg]
target_groups: [langzeitarbeitslose]
themes: [beratung]
actors: [Jobcenter]
needs:
  - statement: Hohe Arbeitslosigkeit
    evidence: [{{area: querenburg, indicator: arbeitslosenanteil, period: 2023-12-31}}]
existing_offers: [jobcenter-standort]
goals:
  - id: G1
    statement: Beratung vor Ort
    indicator: arbeitslosenanteil
    unit: "%"
    baseline: {{value: 11.7, date: 2023-12-31}}
    target: {{value: 10, date: 2027-12-31}}
resources: {{staff_fte: 0.15, budget_eur: 0}}
milestones:
  - {{id: M1, title: Start, due: 2027-03-01}}
  - {{id: M2, title: Reflexion, due: 2027-06-01}}
"""
DRAFT_CARD = """\
id: {id}
title: Draft
areas: [querenburg]
target_groups: [jugendliche]
"""


def full_card(project_id: str = "full") -> str:
    return FULL_CARD.format(id=project_id)


def cycle_text(projects: dict[str, str]) -> str:
    """A hand-written cycle file: ``projects`` maps id → phase."""
    lines = ["cycle: 2027", "previous: 2024", "opened: 2027-01-11T09:00:00+01:00"]
    lines.append("projects:" if projects else "projects: {}")
    for project_id, phase in projects.items():
        lines += [f"  {project_id}:", f"    phase: {phase}"]
    return "\n".join(lines) + "\n"


def build_ws(
    root: Path,
    cards: dict[str, str] | None = None,
    phases: dict[str, str] | None = None,
    *,
    extra: dict[str, str] | None = None,
) -> Workspace:
    """A workspace on ``root``: config, areas, indicators, one offer, the given cards and a
    cycle 2027 with the given phases (no cycle file when ``phases`` is None)."""
    files = {
        "zyklus.yaml": CONFIG,
        "data/areas.csv": AREAS,
        "data/indicators.csv": INDICATORS,
        "offers/jobcenter-standort.yaml": OFFER,
        **{f"projects/{pid}.yaml": text for pid, text in (cards or {}).items()},
        **(extra or {}),
    }
    if phases is not None:
        files["cycles/2027.yaml"] = cycle_text(phases)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Workspace(root)


def fresh(ws: Workspace) -> Workspace:
    """A new Workspace object (caches are per object, like one command per process)."""
    return Workspace(ws.root)


def project(ws: Workspace, project_id: str) -> models.ProjectState:
    return read_cycle(ws, 2027).projects[project_id]


def go(ws: Workspace, project_id: str, **options: object) -> cycle.AdvanceResult:
    options.setdefault("by", "Planerin")
    options.setdefault("at", AT)
    options.setdefault("as_of", TODAY)
    return cycle.advance(fresh(ws), project_id, **options)  # type: ignore[arg-type]


NEW_PERIOD = "2026-12-31"
REPO = Path(__file__).resolve().parents[1]


def bochum_with_second_period(root: Path) -> Workspace:
    """The example workspace with a made-up second period (issue 14): 554 improves to
    6,5 %, Laer becomes a hotspot (9,9 %), every other area keeps its value."""
    import shutil

    for name in ("zyklus.yaml", "projects", "cycles", "offers", "data"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    path = root / "data" / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    added = []
    for line in lines[1:]:
        area, indicator, _, value = line.split(",")
        if indicator == "arbeitslosenanteil":
            value = {"554": "6.5", "laer": "9.9"}.get(area, value)
            added.append(f"{area},{indicator},{NEW_PERIOD},{value}")
    path.write_text("\n".join([*lines, *added]) + "\n", encoding="utf-8")
    return Workspace(root)
