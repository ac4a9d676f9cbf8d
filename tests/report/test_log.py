"""``zyklus log`` on the Bochum example (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zyklus.errors import UsageError
from zyklus.files.workspace import Workspace
from zyklus.report.log import criterion_words, project_log

REPO = Path(__file__).resolve().parents[2]


def test_every_kind_of_event_newest_first() -> None:
    events = project_log(Workspace(REPO), "jobcenter-im-quartier", "de")
    assert [(e.date.isoformat(), e.kind) for e in events[:4]] == [
        ("2027-06-30", "evaluation"),
        ("2027-06-15", "move"),
        ("2027-02-01", "forced"),
        ("2027-01-25", "decision"),
    ]
    assert events[-1].kind == "joined" and events[-1].cycle == 2024
    forced = events[2]
    assert forced.unmet == ("G-BUDGET", "G-MILESTONE-DUE")
    assert forced.criteria == ("Budget angegeben", "jeder Meilenstein hat einen Termin (due)")
    assert events[3].body_label == "Lenkungsgremium" and events[3].ref == "Sitzung 1/2027, TOP 3"
    assert [(a[0], a[1]) for a in events[0].judged] == [("G2", 9.0)]
    assert all(e.illustrative for e in events[:4])


def test_all_projects_and_json_shape() -> None:
    events = project_log(Workspace(REPO), None, "en")
    assert {e.project for e in events} == {p.stem for p in (REPO / "projects").glob("*.yaml")}
    plain = events[0].as_dict()
    assert isinstance(plain["date"], str) and "order" not in plain
    assert criterion_words("G-STAFF", "en") == "staff given"
    assert criterion_words("X-NOT-A-CODE", "en") == "X-NOT-A-CODE"


def test_an_unknown_project_gets_a_hint() -> None:
    with pytest.raises(UsageError) as caught:
        project_log(Workspace(REPO), "jobcenter-im-quartir", "en")
    assert caught.value.problems[0].params["hint"] == "jobcenter-im-quartier"
