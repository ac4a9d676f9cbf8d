"""The committee pages (issue 16): sentences, Entscheidungsbedarf, traffic lights and their rules."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import MINIMAL_AREAS, MINIMAL_CARD, MINIMAL_CONFIG, REPO, build_file_tree
from zyklus.files.workspace import Workspace
from zyklus.report import build as report
from zyklus.report.committee import ASK_KINDS

AS_OF = date(2027, 9, 30)


def _copy(tmp_path: Path, **rules: int) -> Workspace:
    root = tmp_path / "bochum"
    root.mkdir()
    config = (REPO / "zyklus.yaml").read_text(encoding="utf-8")
    for key, value in rules.items():  # the example writes every rule out
        config, count = re.subn(rf"(?m)^  {key}: \d+$", f"  {key}: {value}", config)
        assert count == 1, key
    (root / "zyklus.yaml").write_text(config, encoding="utf-8")
    for folder in ("projects", "cycles", "offers", "data"):
        shutil.copytree(REPO / folder, root / folder)
    return Workspace(root)


@pytest.fixture(scope="module")
def example() -> report.Report:
    return report.build(Workspace(REPO), 2027, lang="de", as_of=AS_OF)


def _lights(built: report.Report) -> dict[str, str]:
    return {r.ref.id: r.light.color for r in built.committee.overview}


def test_example_lights_carry_their_reasons(example: report.Report) -> None:
    rows = {r.ref.id: r for r in example.committee.overview}
    assert _lights(example) == {
        "ausbildungsberufe-im-quartier": "amber",
        "beratung-ba-im-quartier": "red",
        "jba-bei-sportvereinen": "red",
        "jobcenter-im-quartier": "amber",
        "logokampagne-offene-tueren": "red",
    }
    stuck = rows["beratung-ba-im-quartier"].light
    assert stuck.label == "Rot"
    assert stuck.reasons[0] == "seit 1.052 Tagen in der Phase Planung"
    # the forced move of 2024 into planning is named, in words
    assert "in die Phase Planung am 12.11.2024 gewechselt, obwohl Voraussetzungen fehlten" in (
        stuck.reasons
    )
    assert rows["jobcenter-im-quartier"].light.reasons == ("Budget nicht angegeben",)
    for row in example.committee.overview:
        assert row.light.reasons, row.ref.id  # never a judgement without its reason


def test_example_decisions_in_kind_order_and_plain_words(example: report.Report) -> None:
    asks = example.committee.asks
    kinds = [a.kind for a in asks]
    assert kinds == sorted(kinds, key=ASK_KINDS.index)
    decisions = {a.project.id: a.matter for a in asks if a.kind == "decision"}
    assert decisions["jobcenter-im-quartier"] == (
        "Die Bewertung vom 30.06.2027 lautet „fortsetzen“. "
        "In der Phase Evaluation, aber das Budget ist nicht angegeben."
    )
    # issue 14: the approvals the Lenkungsgremium still has to give, a deferral with its date
    assert decisions["beratung-ba-im-quartier"] == (
        "Der Übergang Planung → Umsetzung braucht die Zustimmung: Lenkungsgremium; ein Beschluss "
        "liegt nicht vor. In der Phase Planung, aber weder Personal noch Budget sind angegeben."
    )  # the missing resources are part of the decision, not a row of their own
    assert [a.project.id for a in asks if a.kind == "resources"] == [
        "ausbildungsberufe-im-quartier"
    ]
    assert (
        "am 12.06.2027 vertagt (Sitzung 2/2027, TOP 5)" in decisions["logokampagne-offene-tueren"]
    )
    assert len(decisions) == 4
    assert kinds.count("stuck") == 3
    # forced passes since the cycle opened (11.01.2027): the two of 2027, not those of 2024
    forced = [a for a in asks if a.kind == "forced"]
    assert [a.project.id for a in forced] == [
        "ausbildungsberufe-im-quartier",
        "jobcenter-im-quartier",
    ]
    assert "Personal nicht angegeben; Budget nicht angegeben" in forced[0].matter
    for ask in asks:
        assert "G-" not in ask.matter + ask.question and "resources." not in ask.matter


def test_example_sentences(example: report.Report) -> None:
    first, second, third = example.committee.sentences
    assert first == (
        "Im Zyklus 2027 stehen 5 Projekte: 3 in der Planung, 1 in der Umsetzung, "
        "1 in der Evaluation."
    )
    assert second.startswith("Gemessen sind 1 von 12 Projektzielen, erreicht davon 0")
    assert "um 10 Entscheidungen" in third and "3 rot, 2 gelb" in third


def test_unknown_money_is_none_not_zero(example: report.Report) -> None:
    assert example.summary.eur is None and example.summary.fte == pytest.approx(0.15)
    money = {r.ref.id: r.money for r in example.committee.overview}
    assert all(m.planned is None for m in money.values())  # no card gives a cost
    # issue 15's funding and spending (illustrative in the example): exact, the rest None
    assert money["ausbildungsberufe-im-quartier"].granted == Decimal("5000")
    assert money["ausbildungsberufe-im-quartier"].spent == Decimal("1600.30")
    assert money["jobcenter-im-quartier"].granted is None


def test_thresholds_come_from_zyklus_yaml(tmp_path: Path) -> None:
    ws = _copy(tmp_path, stuck_days=2000, stuck_red_days=3000)
    built = report.build(ws, 2027, lang="de", as_of=AS_OF)
    assert not [a for a in built.committee.asks if a.kind == "stuck"]
    # no longer red: 1 052 days are below both thresholds; the forced move keeps them amber
    assert _lights(built)["beratung-ba-im-quartier"] == "amber"
    rule = next(r for r in built.committee.rules if r.color == "red")
    assert "mindestens 3.000 Tagen" in rule.text


def _small(tmp_path: Path, milestones: str, phase: str = "implementation") -> Workspace:
    card = MINIMAL_CARD + "resources: {staff_fte: 1, budget_eur: 1000}\n" + milestones
    build_file_tree(
        tmp_path,
        {
            "zyklus.yaml": MINIMAL_CONFIG,
            "data/areas.csv": MINIMAL_AREAS,
            "projects/jobcenter-im-quartier.yaml": card,
            "cycles/2027.yaml": (
                "cycle: 2027\nopened: 2027-01-10T09:00:00+01:00\nprojects:\n"
                f"  jobcenter-im-quartier:\n    phase: {phase}\n    history:\n"
                f"      - {{from: planning, to: {phase}, at: 2027-02-01T10:00:00+01:00, by: KS}}\n"
            ),
        },
    )
    return Workspace(tmp_path)


@pytest.mark.parametrize(
    ("as_of", "color", "reason"),
    [
        (date(2027, 3, 1), "green", "no rule for amber or red applies"),
        (date(2027, 4, 30), "amber", "milestones overdue: 1 (for up to 30 days)"),
        (date(2027, 6, 29), "red", "milestones overdue: 1, the oldest for 90 days"),
    ],
)
def test_overdue_milestones_turn_amber_then_red(
    tmp_path: Path, as_of: date, color: str, reason: str
) -> None:
    ws = _small(tmp_path, "milestones:\n  - {id: M1, title: Start, due: 2027-03-31}\n")
    built = report.build(ws, 2027, lang="en", as_of=as_of)
    (row,) = built.committee.overview
    assert (row.light.color, row.light.reasons) == (color, (reason,))
    asks = [a.kind for a in built.committee.asks]
    assert asks == ([] if color == "green" else ["overdue"])


def test_english_has_the_same_points(example: report.Report) -> None:
    english = report.build(Workspace(REPO), 2027, lang="en", as_of=AS_OF)
    assert [a.kind for a in english.committee.asks] == [a.kind for a in example.committee.asks]
    assert _lights(english) == _lights(example)
    assert english.committee.sentences[0].startswith("The 2027 cycle holds 5 projects")


def test_planner_notes_hold_the_codes(example: report.Report) -> None:
    notes = example.committee.planner_notes
    codes = {n.code for n in notes}
    assert "G-STAFF" in codes and "G-BUDGET" in codes
    assert all(n.path.startswith(("projects/", "cycles/")) for n in notes)
    assert any(n.command.startswith("zyklus ") for n in notes)


def test_every_gate_criterion_has_plain_words() -> None:
    """A new gate code must not leak into the committee pages as a code (issue 16)."""
    from zyklus.i18n import has_message
    from zyklus.rules.gates import CRITERIA

    missing = [c.code for c in CRITERIA if not has_message(f"cm-criterion-{c.code}")]
    assert not missing, missing
