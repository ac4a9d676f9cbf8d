"""``status`` filters: an area is reached as ``analyse`` counts it (issue 12); linear work at
the size of a big city (issue 21)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cycle_helpers import DRAFT_CARD, FULL_CARD, TODAY, build_ws, cycle_text
from helpers import bench_generator, counted_pools, grows_linearly_in_calls
from zyklus.errors import UsageError
from zyklus.files.workspace import Workspace
from zyklus.report.status import status_rows
from zyklus.rules.duplicates import DuplicateIndex, Structure


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


# --- a big city (issue 21): linear work, the duplicate search only where a gate asks ----------


AS_OF = date(2027, 6, 30)


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Generated workspaces of 10, 20 and 100 projects (60 areas, two periods)."""
    generate = bench_generator().generate
    base = tmp_path_factory.mktemp("city")
    return {
        n: generate(base / f"p{n}", projects=n, areas=60, periods_count=2) for n in (10, 20, 100)
    }


def test_status_work_grows_linearly_with_the_projects(city: dict[int, Path]) -> None:
    growth = grows_linearly_in_calls(
        lambda n: status_rows(Workspace(city[n]), as_of=AS_OF), (10, 20, 100)
    )
    assert growth <= 12  # 9 for linear work; a pairwise part makes it ~100


def test_status_searches_duplicates_only_for_projects_in_needs(
    city: dict[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    searched: list[str] = []
    search = DuplicateIndex.search

    def spy(self: DuplicateIndex, project: Structure, **kwargs: Any) -> Any:
        searched.append(project.id)
        return search(self, project, **kwargs)

    monkeypatch.setattr(DuplicateIndex, "search", spy)
    rows = status_rows(Workspace(city[100]), as_of=AS_OF)
    in_needs = sorted(r.project for r in rows if r.phase == "needs")
    assert in_needs and sorted(searched) == in_needs  # 100 projects, each searched once
    assert len(searched) < len(rows)


def test_status_leaves_the_earlier_cycle_unread_when_no_row_looks_back(
    city: dict[int, Path],
) -> None:
    ws = Workspace(city[100])
    status_rows(ws, as_of=date(2024, 1, 1))  # nothing due yet; each history names its start
    assert ws.cycle_path(2027) in ws._parsed
    assert ws.cycle_path(2024).is_file() and ws.cycle_path(2024) not in ws._parsed


def test_a_milestone_done_in_an_earlier_cycle_is_not_overdue(tmp_path: Path) -> None:
    cards = {"full": FULL_CARD.format(id="full")}
    ws = build_ws(tmp_path, cards, {"full": "implementation"})
    earlier = cycle_text({"full": "implementation"}).replace("cycle: 2027", "cycle: 2024")
    earlier = earlier.replace("previous: 2024\n", "") + "    milestones:\n"
    earlier += "      - {id: M1, done: 2024-05-01}\n"
    ws.cycle_path(2024).write_text(earlier, encoding="utf-8")
    (row,) = status_rows(Workspace(ws.root), as_of=TODAY)
    assert row.overdue == ["M2"]  # M1 was completed in 2024


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_status_with_workers_gives_the_rows_of_one_process(
    city: dict[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cards parsed in workers while the cycle file is parsed here (issue 21)."""
    from zyklus.files import workers

    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    pools = counted_pools(monkeypatch)
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    one = status_rows(Workspace(city[100]), as_of=AS_OF)
    assert pools == []
    monkeypatch.setenv("ZYKLUS_JOBS", "2")
    two = status_rows(Workspace(city[100]), as_of=AS_OF)
    assert pools == [2]
    assert one == two and len(one) == 100
    assert any(row.unmet for row in one) and any(row.warnings for row in one)


def test_a_carried_project_is_dated_by_the_earlier_cycle_read_before_the_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project carried over has no entry into its phase in this cycle: the earlier cycle
    says when, and it is parsed while the workers parse the cards, not after (issue 21)."""
    cards = {"full": FULL_CARD.format(id="full")}
    ws = build_ws(tmp_path, cards, {"full": "implementation"})
    earlier = cycle_text({"full": "implementation"}).replace("cycle: 2027", "cycle: 2024")
    earlier = earlier.replace("previous: 2024\n", "") + "    history:\n"
    earlier += "      - {from: planning, to: implementation, at: 2024-05-02T10:00:00+02:00,"
    earlier += " by: Koordinierung}\n"
    ws.cycle_path(2024).write_text(earlier, encoding="utf-8")
    order: list[str] = []
    folder, load = Workspace.digested, Workspace.load_with_document

    def spy_folder(self: Workspace, name: str, digest: Any) -> Any:
        order.append(name)
        return folder(self, name, digest)

    def spy_load(self: Workspace, path: Path, model: Any, **kwargs: Any) -> Any:
        order.append(path.name)
        return load(self, path, model, **kwargs)

    monkeypatch.setattr(Workspace, "digested", spy_folder)
    monkeypatch.setattr(Workspace, "load_with_document", spy_load)
    (row,) = status_rows(Workspace(ws.root), as_of=TODAY)
    assert row.since == date(2024, 5, 2) and row.days_in_phase == (TODAY - row.since).days
    assert order.index("2024.yaml") < order.index("projects")  # not after the cards


def test_status_from_remembered_cards_gives_the_rows_of_parsed_ones(
    city: dict[int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second run takes each unchanged card's digest from the first (issue 21): the
    same rows, no card parsed; an edited card is parsed and its row follows it."""
    import shutil

    from zyklus.files import remembered

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    root = shutil.copytree(city[20], tmp_path / "ws", symlinks=True)
    parsed: list[str] = []
    parse = Workspace._parse

    def spy(self: Workspace, path: Path, model: Any) -> Any:
        parsed.append(path.parent.name)
        return parse(self, path, model)

    monkeypatch.setattr(Workspace, "_parse", spy)
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    first = status_rows(Workspace(root), as_of=AS_OF)
    assert parsed.count("projects") == 20
    parsed.clear()
    assert status_rows(Workspace(root), as_of=AS_OF) == first
    assert "projects" not in parsed and "offers" not in parsed and "cycles" in parsed
    row = next(r for r in first if r.phase not in ("analysis", "done", "stopped"))
    card = root / "projects" / f"{row.project}.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("title: ", "title: Neu ", 1), encoding="utf-8")
    parsed.clear()
    again = status_rows(Workspace(root), as_of=AS_OF)
    assert parsed.count("projects") == 1
    assert [r.title for r in again if r.project == row.project] == [f"Neu {row.title}"]
