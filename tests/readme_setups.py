"""What a README console block needs before it runs (tests/test_readme.py, issue 12).

A block marked ``<!-- readme-test: setup NAME -->`` runs after ``SETUPS[NAME]`` changed the
copy of the example workspace, as the README's text around the block describes. Add a
function here when you add such a block; keep each one to what the README says.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def validate_two_mistakes(ws: Path) -> None:
    """'projects/x.yaml' with a misspelt key and a German thousands point."""
    (ws / "projects" / "x.yaml").write_text(
        "id: x\ntitle: X\nareas: [querenburg]\ntarget_groups: [langzeitarbeitslose]\n"
        "milestone: []\nresources:\n  budget_eur: 12.500\n",
        encoding="utf-8",
    )


CARD = "projects/bewerbungscafe-im-quartier.yaml"


def walk_needs(ws: Path) -> None:
    """The walk-through: the needs and existing offers the README shows in its yaml block."""
    text = (ws / CARD).read_text(encoding="utf-8")
    text = text.replace("\nneeds: []\n", "\n").replace("\nexisting_offers: []\n", "\n")
    text = text.replace("\nsynergies: []", "\n")
    (ws / CARD).write_text(
        text
        + "needs:\n"
        + "  - statement: Arbeitslosenanteil im BA-Distrikt 554 bei 11,7 % (Stadt 6,9 %)\n"
        + '    evidence: [{area: "554", indicator: arbeitslosenanteil, period: 2023-12-31}]\n'
        + "existing_offers: [jobcenter-eingliederungsleistungen]\n"
        + "synergies: [jobcenter-im-quartier]\n",
        encoding="utf-8",
    )


def walk_goals_and_plan(ws: Path) -> None:
    """Goals, then actors, staff, budget and dated milestones (the README's prose)."""
    text = (ws / CARD).read_text(encoding="utf-8")
    for empty in ("goals: []", "resources: {}", "milestones: []", "actors: []"):
        text = text.replace(f"\n{empty}", "\n# " + empty)
    (ws / CARD).write_text(
        text
        + "actors: [Jobcenter, Stadtteilbüro Querenburg]\n"
        + "goals:\n"
        + "  - id: G1\n"
        + "    statement: 40 Teilnehmende im ersten Jahr\n"
        + "    indicator: teilnehmende\n"
        + "    unit: Personen\n"
        + "    baseline: {value: 0, date: 2026-09-01}\n"
        + "    target: {value: 40, date: 2027-09-30}\n"
        + "resources: {staff_fte: 0.5, budget_eur: 12000}\n"
        + "milestones:\n"
        + "  - {id: M1, title: Erstes Café, due: 2026-11-15}\n"
        + "  - {id: M2, title: Zwischenbilanz, due: 2027-02-15}\n",
        encoding="utf-8",
    )


def data_two_rows(ws: Path) -> None:
    """Two rows added to data/indicators.csv: a misspelt area and a duplicate."""
    _append(
        ws / "data" / "indicators.csv",
        "querenburgg,arbeitslosenanteil,2023-12-31,6.8\nbochum,arbeitslosenanteil,2023-12-31,6.9\n",
    )


def data_ambiguous(ws: Path) -> None:
    """``data: {decimal: auto}`` and a row ending in 1.340."""
    config = ws / "zyklus.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace('  decimal: "."', "  decimal: auto"),
        encoding="utf-8",
    )
    _append(ws / "data" / "indicators.csv", "querenburg,arbeitslose,2023-12-31,1.340\n")


def hostile(ws: Path) -> None:
    """A thousands point in a budget and a 530-byte alias bomb."""
    card = ws / "projects" / "jobcenter-im-quartier.yaml"
    text = card.read_text(encoding="utf-8")
    comment = next(line for line in text.splitlines() if "budget_eur bleibt offen" in line)
    card.write_text(text.replace(comment, "  budget_eur: 12.500", 1), encoding="utf-8")
    lines = ["id: lol", "title: Lol", "areas: [citywide]", "target_groups: [langzeitarbeitslose]"]
    lines += ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    (ws / "projects" / "lol.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def git_repository(ws: Path) -> None:
    """The workspace is a git repository (``git init``), as every team's workspace is."""
    import subprocess

    subprocess.run(["git", "init", "-q", str(ws)], check=True, capture_output=True)


SETUPS: dict[str, Callable[[Path], None]] = {
    "validate-two-mistakes": validate_two_mistakes,
    "walk-needs": walk_needs,
    "walk-goals-and-plan": walk_goals_and_plan,
    "data-two-rows": data_two_rows,
    "data-ambiguous": data_ambiguous,
    "hostile": hostile,
    "git-repository": git_repository,
}
