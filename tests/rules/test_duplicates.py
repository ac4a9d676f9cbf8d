"""Tests of rules/duplicates.py: candidates ranked by overlap, bounded, near-linear (18, 20)."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from helpers import counted_pools, grows_linearly
from zyklus.files.tables import Area, AreaTable
from zyklus.rules.duplicates import SCAN, TOP, Structure, find_duplicates, find_duplicates_counted


def _areas() -> AreaTable:
    table = AreaTable()
    rows = [("c", None), ("b", "c"), ("o", "b"), ("o2", "b"), ("d", "o")]
    for i, (area, parent) in enumerate(rows, 2):
        table.areas[area] = Area(area, area.upper(), f"l{i}", parent, i)
        if parent is not None:
            table.children.setdefault(parent, []).append(area)
    return table


def _item(sid: str, areas: tuple[str, ...], kind: str = "project", **kw: object) -> Structure:
    groups = kw.pop("groups", ("tg",))
    themes = kw.pop("themes", ("beratung",))
    return Structure(sid, kind, sid.title(), areas, groups, themes, **kw)  # type: ignore[arg-type]


def test_candidates_are_ranked_by_how_much_they_overlap() -> None:
    items = [
        _item("p", ("o",)),
        _item("same", ("o",), "offer"),
        _item("above", ("b",), "offer"),
        _item("wide", ("citywide",), "offer"),
        _item("open", ("o",), "offer", groups=()),
    ]
    found = {d.other: d for d in find_duplicates(items, _areas(), "c") if d.project == "p"}
    order = sorted(found, key=lambda o: -found[o].score)
    assert order == ["same", "above", "open", "wide"]
    assert found["same"].reasons == (
        "dup-group-shared",
        "dup-area-same",
        "dup-themes-shared",
        "dup-time-open",
    )
    assert "dup-area-citywide" in found["wide"].reasons
    assert found["open"].reasons[0] == "dup-group-open"
    assert found["wide"].score < found["above"].score < found["same"].score <= 1


def test_times_that_do_not_overlap_are_no_duplicate() -> None:
    early = {"start": date(2020, 1, 1), "end": date(2021, 12, 31)}
    late = {"start": date(2024, 1, 1), "end": None}
    items = [
        _item("a", ("o",), **early),
        _item("b", ("o",), **late),
        _item("c", ("o",), start=date(2021, 6, 1), end=date(2024, 6, 1)),
    ]
    pairs = {(d.project, d.other): d for d in find_duplicates(items, _areas(), "c")}
    assert ("a", "b") not in pairs and ("b", "a") not in pairs
    assert "dup-time-overlap" in pairs[("a", "c")].reasons


def test_the_strongest_few_are_listed_and_the_rest_counted() -> None:
    items = [_item("p", ("o",), synergies=frozenset({"named"})), _item("named", ("citywide",))]
    items += [_item(f"x{i:02d}", ("o",), "offer") for i in range(12)]
    found, rest = find_duplicates_counted(items, _areas(), "c")
    mine = [d for d in found if d.project == "p"]
    assert len([d for d in mine if not d.acknowledged]) == TOP
    assert [d.other for d in mine if d.acknowledged] == ["named"]  # always listed
    (more,) = [r for r in rest if r.project == "p"]
    assert (more.more, more.unchecked) == (12 - TOP, 0)
    every = find_duplicates(items, _areas(), "c", top=None)
    assert len([d for d in every if d.project == "p"]) == 13


def test_a_crowded_area_is_compared_up_to_the_cap() -> None:
    items = [_item(f"p{i:04d}", ("o",)) for i in range(SCAN + 50)]  # all in one bucket
    found, rest = find_duplicates_counted(items, _areas(), "c")
    assert all(r.more + r.unchecked >= 49 for r in rest) and len(rest) == len(items)
    assert max(sum(d.project == p.id for d in found) for p in items) == TOP


def test_many_projects_sharing_an_area_and_a_group_stay_near_linear() -> None:
    """Issue 20: 1 000 projects in one area and target group took seconds and GiBs."""
    areas = _areas()
    crowds = {n: [_item(f"p{i}", ("o",)) for i in range(n)] for n in (100, 1_000)}
    crowds |= {n: [_item(f"p{i}", ("citywide",)) for i in range(n)] for n in (101, 1_010)}
    assert grows_linearly(lambda n: find_duplicates(crowds[n], areas, "c"), 100) <= 12
    assert grows_linearly(lambda n: find_duplicates(crowds[n + n // 100], areas, "c"), 100) <= 12


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_searches_shared_out_to_workers_find_what_one_process_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 21: many searches run in forked workers; the same candidates, in order."""
    from zyklus.rules import duplicates

    areas = _areas()
    places = [("o",), ("o2",), ("b",), ("d",), ("citywide",), ()]
    items = [
        _item(f"p{i:03d}", places[i % 6], "project" if i % 4 else "offer", groups=(f"g{i % 3}",))
        for i in range(240)
    ]
    pools = counted_pools(monkeypatch)
    monkeypatch.setenv("ZYKLUS_JOBS", "1")
    one = find_duplicates_counted(items, areas, "c")
    assert pools == []
    monkeypatch.setenv("ZYKLUS_JOBS", "2")
    monkeypatch.setattr(duplicates, "PARALLEL_FROM", 20)
    two = find_duplicates_counted(items, areas, "c")
    assert pools == [2]
    assert one == two and len(one[0]) > 100 and one[1]


def test_a_search_inside_a_running_pool_stays_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No pool forks inside another (its threads may hold a lock the new workers inherit)."""
    from zyklus.files import workers
    from zyklus.rules import duplicates

    items = [_item(f"p{i:03d}", ("o",)) for i in range(60)]
    monkeypatch.setattr(duplicates, "PARALLEL_FROM", 4)
    monkeypatch.setattr(workers, "_running", 1)
    pools = counted_pools(monkeypatch)
    index = duplicates.DuplicateIndex(items, _areas(), "c")
    found = duplicates.search_many(index, items)
    assert pools == [] and [f for f, _ in found] == [index.search(i)[0] for i in items]


def test_what_was_not_compared_is_counted_over_every_bucket() -> None:
    """Issue 21: the buckets beyond the cap are counted, not walked; the same numbers."""
    items = [_item(f"p{i:02d}", ("o",)) for i in range(70)]  # the project's own area
    items += [_item(f"up{i:02d}", ("b",), "offer") for i in range(20)]  # one above
    items += [_item(f"down{i}", ("d",), "offer", groups=()) for i in range(10)]  # below, open
    items += [_item(f"wide{i}", ("citywide",), "offer") for i in range(5)]
    items += [_item("other", ("o2",), "offer"), _item("elsewhere", ("o",), groups=("x",))]
    _, rest = find_duplicates_counted(items, _areas(), "c")
    left = {r.project: r.unchecked for r in rest}
    # 105 structures in its buckets; the first meets itself and compares the next 60
    assert left["p00"] == 105 - 61
    assert left["p69"] == 105 - 60  # met itself after the cap
    assert "elsewhere" not in left or left["elsewhere"] == 0
