"""``status`` filters: an area is reached as ``analyse`` counts it (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cycle_helpers import DRAFT_CARD, TODAY, build_ws
from zyklus.errors import UsageError
from zyklus.files.workspace import Workspace
from zyklus.report.status import status_rows


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    cards = {
        "quartier": DRAFT_CARD.format(id="quartier"),
        "stadtweit": DRAFT_CARD.format(id="stadtweit").replace("[querenburg]", "[citywide]"),
        "distrikt": DRAFT_CARD.format(id="distrikt").replace("[querenburg]", '["554"]'),
        "bezirk": DRAFT_CARD.format(id="bezirk").replace("[querenburg]", "[nord]"),
        "sued": DRAFT_CARD.format(id="sued").replace("[querenburg]", "[sued]"),
    }
    return build_ws(tmp_path, cards, dict.fromkeys(cards, "analysis"))


def test_an_area_counts_citywide_parent_and_inner_projects(ws: Workspace) -> None:
    ids = [r.project for r in status_rows(ws, area="querenburg", as_of=TODAY)]
    assert ids == ["bezirk", "distrikt", "quartier", "stadtweit"]


def test_an_unknown_area_is_a_did_you_mean(ws: Workspace) -> None:
    with pytest.raises(UsageError) as info:
        status_rows(ws, area="querenbrg", as_of=TODAY)
    (problem,) = info.value.problems
    assert (problem.code, problem.params["hint"]) == ("X-AREA-UNKNOWN-HINT", "querenburg")


def test_an_unknown_target_group_is_a_did_you_mean(ws: Workspace) -> None:
    with pytest.raises(UsageError) as info:
        status_rows(ws, target_group="jugendlich", as_of=TODAY)
    assert info.value.problems[0].code == "X-TG-UNKNOWN-HINT"
