"""needs/series.py: trends over the whole series, and through a declared crosswalk (issue 18)."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zyklus.files.periods import Period
from zyklus.files.workspace import Workspace
from zyklus.needs.analysis import analyse
from zyklus.needs.series import through_crosswalk

CONFIG = """\
name: Test
language: en
current_cycle: 2027
city: c
target_groups:
  - {id: tg, label: TG}
indicators:
  - {id: einwohner, label: Einwohner, unit: Personen, aggregation: sum}
  - {id: arbeitslose, label: Arbeitslose, unit: Personen, aggregation: sum}
  - {id: anteil, label: Anteil, unit: "%", base: einwohner}
  - {id: ohne, label: Ohne Basis, unit: "%"}
  - {id: z, label: Z, unit: SD, kind: zscore}
"""
# The reform of 2021: old Nord is split into the new Nord (70 %) and the new Ost (30 %);
# Süd keeps its id and gets a new boundary that is the old one (weight 1).
AREAS = """\
id,name,level,parent,valid_from,valid_to
c,Stadt,stadt,,,
nord,Nord (alt),bezirk,c,,2020-12-31
nord,Nord,bezirk,c,2021-01-01,
sued,Süd (alt),bezirk,c,,2020-12-31
sued,Süd,bezirk,c,2021-01-01,
ost,Ost,bezirk,c,2021-01-01,
"""
CROSSWALK = "old_area,new_area,weight\nnord,nord,0.7\nnord,ost,0.3\nsued,sued,1\n"
OLD = {"nord": (1000, 100, 10.0), "sued": (2000, 100, 5.0), "c": (3000, 200, 6.67)}
NEW = {
    "nord": (800, 60, 7.5),
    "sued": (2000, 80, 4.0),
    "ost": (200, 20, 10.0),
    "c": (3000, 160, 5.33),
}


def _rows() -> str:
    out = ["area,indicator,period,value"]
    for period, table in (("2019", OLD), ("2020", OLD), ("2022", NEW)):
        for area, (people, jobless, share) in table.items():
            out += [f"{area},einwohner,{period},{people}", f"{area},arbeitslose,{period},{jobless}"]
            out += [f"{area},anteil,{period},{share}", f"{area},ohne,{period},{share}"]
            out.append(f"{area},z,{period},{round(share - 6, 2)}")
    return "\n".join(out) + "\n"


def _workspace(root: Path, crosswalk: str | None) -> Workspace:
    files = {"zyklus.yaml": CONFIG, "data/areas.csv": AREAS, "data/indicators.csv": _rows()}
    if crosswalk is not None:
        files["data/crosswalk.csv"] = crosswalk
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Workspace(root)


def _trends(ws: Workspace) -> dict[tuple[str, str], tuple[tuple[date, float], ...]]:
    return {(t.indicator, t.area): t.series for t in analyse(ws).trends if t.area != "c"}


def test_without_a_crosswalk_a_reform_leaves_no_trend_and_says_so(tmp_path: Path) -> None:
    result = analyse(_workspace(tmp_path, None))
    assert [t.area for t in result.trends] == ["c"] * 5
    codes = {(n.code, n.params["indicator"]) for n in result.notes}
    assert ("A-TREND-BOUNDARY", "arbeitslose") in codes


def test_counts_go_through_the_crosswalk_as_weighted_sums(tmp_path: Path) -> None:
    trends = _trends(_workspace(tmp_path, CROSSWALK))
    y19, y20, y22 = Period(2019, "year"), Period(2020, "year"), Period(2022, "year")
    assert trends[("arbeitslose", "nord")] == ((y19, 70.0), (y20, 70.0), (y22, 60.0))
    assert trends[("arbeitslose", "ost")] == ((y19, 30.0), (y20, 30.0), (y22, 20.0))
    assert trends[("arbeitslose", "sued")] == ((y19, 100.0), (y20, 100.0), (y22, 80.0))


def test_shares_are_recomputed_from_weighted_counts_and_the_base(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, CROSSWALK)
    trends = _trends(ws)
    # Nord's old share 10 % of 1 000 people: its 70 % part has 70 of 700, still 10 %
    assert [v for _, v in trends[("anteil", "nord")]] == [10.0, 10.0, 7.5]
    assert ("ohne", "nord") not in trends and ("z", "nord") not in trends
    result = analyse(ws)
    notes = {n.code: n.params for n in result.notes}
    assert notes["A-TREND-CROSSWALK"]["path"] == "data/crosswalk.csv"
    assert notes["A-CROSSWALK-NO-BASE"]["indicator"] == "ohne"
    assert notes["A-CROSSWALK-KIND"]["kind"] == "zscore"
    through = {t.area: t.crosswalk for t in result.trends if t.indicator == "anteil"}
    assert through["nord"] == (Period(2019, "year"), Period(2020, "year"))
    assert through["c"] == ()


def test_bad_crosswalks_are_located(tmp_path: Path) -> None:
    from zyklus.errors import LoadError

    text = (
        "old_area,new_area,weight\n"
        "nord,nord,0.7\n"
        "nord,osst,0.3\n"  # a typo
        "sued,sued,1.5\n"
        "nord,nord,0.3\n"
        "sued,sued,\n"
    )
    ws = _workspace(tmp_path, text)
    with pytest.raises(LoadError) as info:
        ws.crosswalk  # noqa: B018
    found = [(p.line, p.code, p.params.get("hint")) for p in info.value.problems]
    assert found == [
        (3, "D-AREA-UNKNOWN-HINT", "ost"),
        (4, "D-CROSSWALK-WEIGHT", None),
        (5, "D-CROSSWALK-DUPLICATE", None),
        (6, "D-FIELD-EMPTY", None),
    ]
    text = "old_area,new_area,weight\nnord,nord,0.7\nnord,ost,0.2\nsued,sud,1\n"
    ws = _workspace(tmp_path / "sum", text)
    with pytest.raises(LoadError) as info:
        ws.crosswalk  # noqa: B018
    found = [(p.line, p.code, p.params.get("sum")) for p in info.value.problems]
    # every problem at once; Süd's sum is not judged, one of its rows is refused
    assert found == [(2, "D-CROSSWALK-SUM", 0.9), (4, "D-AREA-UNKNOWN-HINT", None)]


counts = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d"]),
    st.integers(0, 10_000).map(float),
    min_size=1,
)


@settings(max_examples=60, deadline=None)
@given(counts)
def test_a_crosswalk_of_weight_1_to_itself_changes_nothing(old: dict[str, float]) -> None:
    column, base = dict(old), dict.fromkeys(old, 100.0)
    for area, value in old.items():
        assert through_crosswalk(((area, 1.0),), column, None, "count") == value
        assert through_crosswalk(((area, 1.0),), column, base, "share") == pytest.approx(value)


@settings(max_examples=60, deadline=None)
@given(counts, st.data())
def test_counts_are_conserved_through_any_split(old: dict[str, float], data: st.DataObject) -> None:
    """Every old area split over three new areas with weights adding up to 1: the new
    areas together count what the old ones did."""
    into: dict[str, list[tuple[str, float]]] = {"x": [], "y": [], "z": []}
    for area in old:
        cuts = sorted(data.draw(st.lists(st.integers(0, 1000), min_size=2, max_size=2)))
        weights = (cuts[0] / 1000, (cuts[1] - cuts[0]) / 1000, (1000 - cuts[1]) / 1000)
        for new, weight in zip("xyz", weights, strict=True):
            if weight > 0:
                into[new].append((area, weight))
    column = dict(old)
    total = sum(
        through_crosswalk(tuple(pairs), column, None, "count") or 0.0 for pairs in into.values()
    )
    assert total == pytest.approx(sum(old.values()))
