"""Funding calls are matched to drafts that fit, with reasons; not after the deadline, not
when funding is granted (issue 15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cycle_helpers import fresh
from helpers import grows_linearly_in_calls
from money_helpers import DRAFT, FUNDED, OTHER, money_ws
from zyklus.i18n import message
from zyklus.money.calls import funding_calls


def test_an_open_call_lists_the_drafts_that_fit(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    [view] = funding_calls(ws, date(2027, 1, 15), 2027)
    assert view.call.id == "quartier-2027" and view.days_left == 258
    # funded has a granted line; other has another target group and area
    assert [m.project for m in view.matches] == ["draft"]
    reasons = [message(r, "en", **r.params) for r in view.matches[0].reasons]
    assert reasons == [
        "target group langzeitarbeitslose",
        "themes Beratung",
        "area 554 lies in querenburg",
        "no funding granted yet",
    ]


def test_no_match_after_the_deadline(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    assert funding_calls(ws, date(2027, 10, 1), 2027) == []
    [closed] = funding_calls(fresh(ws), date(2027, 10, 1), 2027, include_closed=True)
    assert closed.days_left < 0 and closed.matches == []
    [last_day] = funding_calls(fresh(ws), date(2027, 9, 30), 2027)
    assert [m.project for m in last_day.matches] == ["draft"]


def test_no_match_once_funding_is_granted(tmp_path: Path) -> None:
    granted = DRAFT.replace("status: planned", "status: granted")
    ws = money_ws(tmp_path, {"funded": FUNDED, "draft": granted, "other": OTHER})
    [view] = funding_calls(ws, date(2027, 1, 15), 2027)
    assert view.matches == []


def test_themes_areas_and_groups_must_overlap(tmp_path: Path) -> None:
    theme = DRAFT.replace("themes: [Beratung]", "themes: [Sport]")
    area = DRAFT.replace('areas: ["554"]', "areas: [sued]")
    citywide = DRAFT.replace('areas: ["554"]', "areas: [citywide]")
    ws = money_ws(
        tmp_path,
        {
            "a": theme.replace("id: draft", "id: a"),
            "b": area.replace("id: draft", "id: b"),
            "c": citywide.replace("id: draft", "id: c"),
        },
    )
    [view] = funding_calls(ws, date(2027, 1, 15), 2027)
    assert [m.project for m in view.matches] == ["c"]
    assert "project citywide" in [message(r, "en", **r.params) for r in view.matches[0].reasons]


def test_ended_projects_do_not_fit(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    path = ws.cycle_path(2027)
    path.write_text(
        path.read_text().replace("draft:\n    phase: planning", "draft:\n    phase: done")
    )
    [view] = funding_calls(fresh(ws), date(2027, 1, 15), 2027)
    assert view.matches == []


def test_matching_grows_linearly_in_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Calls × cards is pairwise: the work of 30 → 330 cards is about 10× that of 30 → 60.
    Calls are counted in one process (``ZYKLUS_JOBS=1``: forked workers are not counted)."""
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    sizes = (30, 60, 330)
    workspaces = {
        n: money_ws(
            tmp_path / str(n),
            {f"p{i}": DRAFT.replace("id: draft", f"id: p{i}") for i in range(n)},
        )
        for n in sizes
    }

    def match(n: int) -> None:
        [view] = funding_calls(fresh(workspaces[n]), date(2027, 1, 15), 2027)
        assert len(view.matches) == n

    assert grows_linearly_in_calls(match, sizes) <= 12
