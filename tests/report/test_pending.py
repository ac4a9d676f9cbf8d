"""``status --pending-decisions`` on the Bochum example (issue 14)."""

from __future__ import annotations

from pathlib import Path

from zyklus.files.workspace import Workspace
from zyklus.report.pending import pending_decisions

REPO = Path(__file__).resolve().parents[2]


def test_the_agenda_of_the_next_meeting() -> None:
    items = pending_decisions(Workspace(REPO), 2027, "de")
    assert [(p.project, p.status, p.ref) for p in items] == [
        ("beratung-ba-im-quartier", "missing", None),
        ("jba-bei-sportvereinen", "missing", None),
        ("logokampagne-offene-tueren", "deferred", "Sitzung 2/2027, TOP 5"),
    ]
    assert {(p.body, p.body_label, p.phase, p.to) for p in items} == {
        ("lenkungsgremium", "Lenkungsgremium", "planning", "implementation")
    }
    assert items[2].as_dict()["date"] == "2027-06-12"


def test_a_workspace_without_bodies_has_no_agenda(tmp_path: Path) -> None:
    from cycle_helpers import build_ws

    assert pending_decisions(build_ws(tmp_path, {}, {}), 2027, "en") == []
