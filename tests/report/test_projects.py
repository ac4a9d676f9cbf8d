"""The report's project sections (report/projects.py): what they cost (issue 21)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from helpers import REPO
from zyklus.files import loader
from zyklus.files.workspace import Workspace
from zyklus.report import build as report


def test_gate_rows_read_no_card_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unmet criteria show their messages only, so no card is re-read for a line."""
    reads: list[Path] = []
    original = loader.load_file

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        reads.append(path)
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    ws = Workspace(REPO)
    ws.cards  # noqa: B018 - loaded before counting: the report reads each card once
    monkeypatch.setattr(loader, "load_file", counted)
    built = report.build(ws, 2027, lang="de", as_of=date(2027, 6, 30))
    unmet = [c for p in built.projects if p.gate for c in p.gate.unmet]
    assert unmet, "the example should have projects with unmet gate criteria"
    assert [p for p in reads if p.parent.name == "projects"] == []


def test_anchors_are_built_once() -> None:
    built = report.build(Workspace(REPO), 2027, lang="de", as_of=date(2027, 6, 30))
    assert built.anchors is built.anchors
    assert built.anchors == frozenset(p.ref.id for p in built.projects)
