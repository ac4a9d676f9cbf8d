"""Tests of analysis.py: rankings, hidden hotspots, coverage, duplicates, trends (issue 5).

The Bochum tests compare with the seed's Tables 1 and 2 (ch. 2.1), read from the source
text; the property tests check the hidden-hotspot definition on random hierarchies.
"""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zyklus import models
from zyklus.errors import LoadError, UsageError
from zyklus.files.tables import Area, AreaTable, IndicatorTable
from zyklus.files.workspace import Workspace
from zyklus.needs import analysis
from zyklus.needs.analysis import classify, compute, duplicate_candidates
from zyklus.rules.duplicates import Structure, current_phases, find_duplicates, structures

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seeds" / "000_c4e2ab48e8883245.txt"
DAY = date(2023, 12, 31)
BEZIRKE = {"Mitte", "Wattenscheid", "Nord", "Ost", "Süd", "Südwest"}


@pytest.fixture(scope="module")
def bochum() -> analysis.Analysis:
    return analysis.analyse(Workspace(REPO))


def _seed_table(caption: str, header: str) -> list[list[str]]:
    if not SEED.is_file():
        pytest.skip(f"source document not found at {SEED}")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(caption))
    head = next(i for i in range(start, len(lines)) if lines[i].startswith(header))
    rows = []
    for line in lines[head + 1 :]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _pct(text: str) -> float:
    return float(text.rstrip("%").replace(",", "."))


def _ranking(result: analysis.Analysis, indicator: str, level: str) -> analysis.Ranking:
    return next(r for r in result.rankings if r.indicator == indicator and r.level == level)


# --- the seed's Tables 1 and 2 ----------------------------------------------------------------


def test_kruppwerke_and_wattenscheid_mitte_top_the_ortsteile(bochum: analysis.Analysis) -> None:
    rows = _ranking(bochum, "arbeitslosenanteil", "ortsteil").rows
    assert [(r.rank, r.name, r.value, r.class_) for r in rows[:2]] == [
        (1, "Kruppwerke", 12.1, "hotspot"),
        (2, "Wattenscheid-Mitte", 12.1, "hotspot"),
    ]
    assert rows[0].city_value == 6.9 and rows[0].ratio == 1.7536 and rows[0].diff_pp == 5.2
    assert len(rows) == 30
    # the seed: lowest are Stiepel, Wiemelhausen/Brenschede, then Eppendorf and Weitmar-Mark
    assert [r.name for r in rows[-2:]] == ["Wiemelhausen/Brenschede", "Stiepel"]


def test_ranking_order_matches_table1(bochum: analysis.Analysis) -> None:
    table1 = _seed_table("Tabelle 1:", "Ortsteil\t")
    ortsteile = [(n, _pct(p)) for n, _, p in table1 if n not in BEZIRKE and n != "Stadt Bochum"]
    expected = sorted(ortsteile, key=lambda row: (-row[1], row[0]))
    rows = _ranking(bochum, "arbeitslosenanteil", "ortsteil").rows
    assert [(r.name, r.value) for r in rows] == expected


def test_hidden_hotspots_are_exactly_querenburgs_districts(bochum: analysis.Analysis) -> None:
    hidden = {h.area: h for h in bochum.hidden_hotspots}
    assert set(hidden) == {"554", "557", "555"}
    h = hidden["554"]
    assert (h.value, h.parent, h.parent_value, h.parent_class) == (11.7, "querenburg", 6.8, "at")
    # Table 2: the three districts are the ones ≥ 1.25 × 6.9 = 8.625
    table2 = {d: _pct(p) for d, p in _seed_table("Tabelle 2:", "Distrikt\t")}
    assert {d for d, v in table2.items() if v >= 1.25 * 6.9} == set(hidden)


def test_querenburg_is_at_average_and_its_bezirk_below(bochum: analysis.Analysis) -> None:
    ortsteile = {r.area: r for r in _ranking(bochum, "arbeitslosenanteil", "ortsteil").rows}
    bezirke = {r.area: r for r in _ranking(bochum, "arbeitslosenanteil", "stadtbezirk").rows}
    assert ortsteile["querenburg"].class_ == "at"
    assert bezirke["bezirk-sued"].class_ == "below"
    assert bezirke["bezirk-wattenscheid"].class_ == "hotspot"  # 8,9 % ≥ 8,625 %


def test_district_grouping_follows_table1(bochum: analysis.Analysis) -> None:
    """Each Ortsteil is ranked under the Stadtbezirk whose sum row follows it in Table 1."""
    expected: dict[str, str] = {}
    pending: list[str] = []
    for name, _, _ in _seed_table("Tabelle 1:", "Ortsteil\t"):
        if name in BEZIRKE:
            expected.update((o, name) for o in pending)
            pending = []
        elif name != "Stadt Bochum":
            pending.append(name)
    rows = _ranking(bochum, "arbeitslosenanteil", "ortsteil").rows
    assert {r.name: r.parent_name for r in rows} == expected
    districts = _ranking(bochum, "arbeitslosenanteil", "ba-distrikt").rows
    assert {(r.area, r.parent) for r in districts} == {
        (str(n), "querenburg") for n in range(551, 560)
    }
    assert [r.area for r in districts[:3]] == ["557", "554", "555"]


def test_sum_indicator_is_listed_by_value_and_checked_against_children(
    bochum: analysis.Analysis,
) -> None:
    rows = _ranking(bochum, "arbeitslose", "stadtbezirk").rows
    assert [(r.name, r.value) for r in rows[:2]] == [("Mitte", 5361), ("Wattenscheid", 4142)]
    assert all(r.class_ is None and r.ratio is None for r in rows)
    assert not any(
        r.indicator == "arbeitslose" and r.level == "ba-distrikt" for r in bochum.rankings
    )
    (note,) = bochum.notes
    assert (note.code, note.path, note.line) == ("D-SUM-DIFF", "data/indicators.csv", 2)
    assert (note.params["value"], note.params["sum"], note.params["diff"]) == (16797, 16762, 35)


def test_coverage_and_gaps_on_bochum(bochum: analysis.Analysis) -> None:
    rows = {(c.area, c.target_group): c for c in bochum.coverage}
    hotspots = {c.area for c in bochum.coverage}
    assert hotspots == {
        "bezirk-wattenscheid",
        "kruppwerke",
        "wattenscheid-mitte",
        "guennigfeld",
        "leithe",
        "hamme",
        "werne",
        "hofstede",
        "554",
        "555",
        "557",
    }
    reach = {r.project: r.how for r in rows[("554", "langzeitarbeitslose")].projects}
    assert reach == {"jobcenter-im-quartier": "direct", "jba-bei-sportvereinen": "citywide"}
    young = {r.project: r.how for r in rows[("554", "jugendliche-mit-besonderem-bedarf")].projects}
    assert young["ausbildungsberufe-im-quartier"] == "parent"
    assert bochum.gaps == ()


def test_duplicate_candidates_on_bochum() -> None:
    found = duplicate_candidates(Workspace(REPO))
    mine = {(d.other, d.other_kind): d for d in found if d.project == "jobcenter-im-quartier"}
    assert set(mine) == {
        ("jba-bei-sportvereinen", "project"),
        ("bochumer-beschaeftigungsfoerderung", "offer"),
        ("jobcenter-eingliederungsleistungen", "offer"),
    }
    assert mine[("jobcenter-eingliederungsleistungen", "offer")].acknowledged
    assert not mine[("jba-bei-sportvereinen", "project")].acknowledged
    d = mine[("bochumer-beschaeftigungsfoerderung", "offer")]
    assert (d.shared_target_groups, d.shared_areas, d.shared_themes) == (
        ("langzeitarbeitslose",),
        ("554",),
        ("Langzeitarbeitslose",),
    )
    ws = Workspace(REPO)
    every = find_duplicates(structures(ws, current_phases(ws)), ws.areas, "bochum", top=None)
    back = [
        d
        for d in every
        if d.project == "jba-bei-sportvereinen" and d.other == "jobcenter-im-quartier"
    ]
    assert len(back) == 1 and back[0].shared_areas == ("citywide",)
    # issue 18: the citywide project had 19 candidates; the strongest five are listed (and
    # the one it names), the rest counted, citywide offers before local projects
    listed = [d for d in found if d.project == "jba-bei-sportvereinen"]
    assert len([d for d in every if d.project == "jba-bei-sportvereinen"]) == 19
    assert len([d for d in listed if not d.acknowledged]) == 5
    assert [d.other for d in listed if d.acknowledged] == ["jugendberufsagentur"]
    rest = {r.project: r for r in analysis.analyse(ws).duplicates_more}
    assert rest["jba-bei-sportvereinen"].more == 13
    assert "jobcenter-im-quartier" not in {d.other for d in listed}  # local: overlaps less


# --- classification ---------------------------------------------------------------------------

THRESHOLDS = models.Thresholds()


@pytest.mark.parametrize(
    ("value", "direction", "expected"),
    [
        (8.625, "higher_is_worse", "hotspot"),  # exactly 1.25 × 6.9
        (8.6, "higher_is_worse", "above"),
        (7.245, "higher_is_worse", "at"),  # 6.9 + 5 %
        (6.555, "higher_is_worse", "at"),
        (6.5, "higher_is_worse", "below"),
        (5.52, "higher_is_better", "hotspot"),  # 6.9 / 1.25
        (5.6, "higher_is_better", "below"),
        (8.0, "higher_is_better", "above"),
    ],
)
def test_classify(value: float, direction: str, expected: str) -> None:
    assert classify(value, 6.9, direction, THRESHOLDS)[1] == expected


def test_classify_without_a_positive_city_value() -> None:
    assert classify(3.0, 0.0, "higher_is_worse", THRESHOLDS) == (None, None)
    assert classify(3.0, None, "higher_is_worse", THRESHOLDS) == (None, None)


# --- building blocks for synthetic data -------------------------------------------------------


def _table(parents: dict[str, str | None], levels: dict[str, str]) -> AreaTable:
    table = AreaTable()
    for i, (area, parent) in enumerate(parents.items(), 2):
        table.areas[area] = Area(area, area.upper(), levels[area], parent, i)
        if parent is not None:
            table.children.setdefault(parent, []).append(area)
    return table


def _values(data: dict[tuple[str, date], dict[str, float]]) -> IndicatorTable:
    """(indicator, period) → area → value, as the loader indexes it."""
    out = IndicatorTable(path="data/indicators.csv")
    for (ind, period), by_area in data.items():
        for line, (a, v) in enumerate(by_area.items(), 2):
            out.add(a, ind, period, v, line)
    return out


def _config(direction: str = "higher_is_worse", **extra: object) -> models.Workspace:
    return models.Workspace.model_validate(
        {
            "name": "Test",
            "city": "c",
            "target_groups": [{"id": "tg", "label": "TG"}, {"id": "tg2", "label": "TG2"}],
            "indicators": [{"id": "q", "label": "Q", "unit": "%", "direction": direction}],
            **extra,
        }
    )


def _project(
    pid: str, areas: tuple[str, ...], groups: tuple[str, ...] = ("tg",), **kw: object
) -> Structure:
    return Structure(pid, "project", pid.title(), areas, groups, kw.pop("themes", ("t",)), **kw)  # type: ignore[arg-type]


PARENTS: dict[str, str | None] = {
    "c": None,
    "b1": "c",
    "b2": "c",
    "o1": "b1",
    "o2": "b2",
    "d1": "o1",
    "d2": "o2",
}
LEVELS = {
    "c": "city",
    "b1": "bezirk",
    "b2": "bezirk",
    "o1": "ort",
    "o2": "ort",
    "d1": "d",
    "d2": "d",
}


def test_higher_is_better_turns_the_classes_around() -> None:
    values = {"c": 50.0, "b1": 52.0, "o1": 50.0, "d1": 30.0, "b2": 30.0, "o2": 35.0, "d2": 20.0}
    result = compute(
        _config("higher_is_better"), _table(PARENTS, LEVELS), _values({("q", DAY): values}), [], {}
    )
    assert [h.area for h in result.hidden_hotspots] == ["d1"]  # o1 is at average; o2 is a hotspot
    ort = next(r for r in result.rankings if r.level == "ort")
    assert [r.area for r in ort.rows] == ["o2", "o1"]  # lowest (worst) first


def test_coverage_counts_only_projects_in_needs_or_later() -> None:
    values = {"c": 10.0, "b1": 10.0, "o1": 10.0, "d1": 20.0, "b2": 10.0, "o2": 20.0, "d2": 10.0}
    items = [
        _project("direkt", ("d1",)),
        _project("oben", ("b1",), ("tg2",)),
        _project("entwurf", ("o2",)),  # not in the cycle → analysis
        _project("fertig", ("o2",)),
        _project("unten", ("d2",)),
    ]
    phases = {"direkt": "needs", "oben": "evaluation", "fertig": "done", "unten": "planning"}
    result = compute(
        _config(), _table(PARENTS, LEVELS), _values({("q", DAY): values}), items, phases
    )
    rows = {
        (c.area, c.target_group): [(r.project, r.how) for r in c.projects] for c in result.coverage
    }
    assert rows == {
        ("d1", "tg"): [("direkt", "direct")],
        ("d1", "tg2"): [("oben", "parent")],
        ("o2", "tg"): [("unten", "child")],
        ("o2", "tg2"): [],
    }
    assert result.gaps == ()
    result = compute(
        _config(), _table(PARENTS, LEVELS), _values({("q", DAY): values}), items[2:4], phases
    )
    assert [g.area for g in result.gaps] == ["o2", "d1"]


def test_trend_against_the_previous_period() -> None:
    before, now = date(2020, 12, 31), DAY
    data = {
        ("q", before): {"c": 10.0, "o1": 12.0, "d1": 5.0},
        ("q", now): {"c": 9.0, "o1": 12.0, "d1": 6.5},
    }
    data_table = _values(data)
    result = compute(_config(), _table(PARENTS, LEVELS), data_table, [], {})
    trends = {t.area: (t.previous_period, t.change, t.development) for t in result.trends}
    assert trends == {
        "c": (before, -1.0, "better"),
        "o1": (before, 0.0, "same"),
        "d1": (before, 1.5, "worse"),
    }
    earlier = compute(_config(), _table(PARENTS, LEVELS), data_table, [], {}, ("q", before, None))
    assert earlier.trends == () and earlier.indicators[0].period == before


def test_selection_errors_are_usage_errors() -> None:
    table, values = _table(PARENTS, LEVELS), _values({("q", DAY): {"c": 1.0}})
    with pytest.raises(UsageError) as info:
        compute(_config(), table, values, [], {}, ("qq", None, None))
    assert [(p.code, dict(p.params)) for p in info.value.problems] == [
        ("A-UNKNOWN-INDICATOR-HINT", {"id": "qq", "hint": "q"})
    ]
    with pytest.raises(UsageError) as info:
        compute(_config(), table, values, [], {}, (None, None, "orts"))
    assert info.value.problems[0].code == "A-UNKNOWN-LEVEL-HINT"
    with pytest.raises(UsageError) as info:
        compute(_config(), table, values, [], {}, (None, date(2020, 1, 1), None))
    assert info.value.problems[0].params["available"] == [DAY]


def test_no_city_value_is_a_note_and_nothing_is_classified() -> None:
    result = compute(_config(), _table(PARENTS, LEVELS), _values({("q", DAY): {"o1": 9.0}}), [], {})
    assert [n.code for n in result.notes] == ["A-NO-CITY-VALUE", "A-LEVEL-NO-DATA"]
    assert result.notes[1].params["levels"] == "bezirk"  # o1's level has data, bezirk none
    assert result.hidden_hotspots == () and result.coverage == ()
    assert result.rankings[0].rows[0].class_ is None


# --- duplicate structures (zyklus.rules.duplicates, through the analysis entry points) ----------------


def test_duplicates_need_group_area_and_theme_overlap() -> None:
    table = _table(PARENTS, LEVELS)
    offer = Structure("angebot", "offer", "Angebot", ("o1",), ("tg",), ("T",))
    items = [
        _project("a", ("d1",), synergies=frozenset({"b"}), existing_offers=frozenset({"angebot"})),
        _project("b", ("b1",)),  # parent of a's district
        _project("c", ("d2",)),  # other branch: no overlap
        _project("d", ("citywide",), ("tg2",)),  # other target group
        _project("e", ("citywide",), themes=("anderes",)),  # other theme
        _project("f", ("c",), themes=()),  # the city id is citywide; no themes: open
        offer,
    ]
    found = {(d.project, d.other): d for d in find_duplicates(items, table, "c")}
    assert sorted(k for k in found if k[0] == "a") == [("a", "angebot"), ("a", "b"), ("a", "f")]
    assert found[("a", "b")].acknowledged and found[("a", "angebot")].acknowledged
    assert not found[("b", "a")].acknowledged  # b does not list a
    assert found[("a", "angebot")].shared_themes == ("t",)  # case-insensitive
    assert found[("a", "f")].shared_themes == ()
    assert ("c", "a") not in found and ("d", "a") not in found and ("e", "a") not in found


def test_duplicate_candidates_from_a_workspace(tmp_path: Path) -> None:
    ws = _workspace(
        tmp_path,
        {
            "projects/a.yaml": "id: a\ntitle: A\nareas: [nord]\ntarget_groups: [tg]\nsynergies: [b]\n",
            "projects/b.yaml": "id: b\ntitle: B\nareas: ['554']\ntarget_groups: [tg]\n",
            "projects/alt.yaml": "id: alt\ntitle: Alt\nareas: [citywide]\ntarget_groups: [tg]\n",
            "offers/o.yaml": "id: o\ntitle: O\ntarget_groups: [tg]\nareas: [citywide]\n",
            "cycles/2027.yaml": _cycle(a="needs", b="analysis", alt="stopped"),
        },
    )
    found = [(d.project, d.other, d.other_kind, d.acknowledged) for d in duplicate_candidates(ws)]
    assert found == [
        ("a", "b", "project", True),
        ("a", "o", "offer", False),
        ("b", "a", "project", False),
        ("b", "o", "offer", False),
    ]
    result = analysis.analyse(ws)
    assert [(s.project, s.other) for s in result.one_sided_synergies] == [("a", "b")]


def test_analyse_refuses_bad_data_files(tmp_path: Path) -> None:
    ws = _workspace(
        tmp_path, {"data/indicators.csv": "area,indicator,period,value\nnord,q,2023-12-31,1.340\n"}
    )
    with pytest.raises(LoadError) as info:
        analysis.analyse(ws)
    assert [(p.path, p.line, p.code) for p in info.value.problems] == [
        ("data/indicators.csv", 2, "D-AMBIGUOUS-NUMBER")
    ]


def test_broken_cards_are_left_out_with_a_note(tmp_path: Path) -> None:
    ws = _workspace(tmp_path, {"projects/kaputt.yaml": "id: kaputt\ntitle: 12\n"})
    result = analysis.analyse(ws)
    assert [(n.code, n.path) for n in result.notes] == [("A-FILE-SKIPPED", "projects/kaputt.yaml")]


# --- property tests on random hierarchies -----------------------------------------------------


@st.composite
def hierarchies(draw: st.DrawFn) -> tuple[dict[str, str | None], dict[str, str], dict[str, float]]:
    """A tree of up to 40 areas (levels by depth), with random percentages, some missing."""
    size = draw(st.integers(1, 40))
    parents: dict[str, str | None] = {"c": None}
    depth = {"c": 0}
    for i in range(1, size):
        parent = draw(st.sampled_from(sorted(parents)))
        parents[f"a{i}"] = parent
        depth[f"a{i}"] = depth[parent] + 1
    levels = {a: f"L{d}" for a, d in depth.items()}
    percent = st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1))
    values = {a: draw(percent) for a in parents if draw(st.integers(0, 9)) > 0}
    return parents, levels, values


def _oracle(
    parents: dict[str, str | None],
    values: dict[str, float],
    direction: str,
    t: models.Thresholds,
    left_out: frozenset[str] = frozenset(),
) -> set[str]:
    """The definition, written independently: a hotspot whose nearest ancestor with a value
    (not the city) is not worse than the city; areas in ``left_out`` (small base) never."""
    city = values.get("c")
    if city is None or city <= 0:
        return set()

    def hot(v: float) -> bool:
        if direction == "higher_is_worse":
            return v >= t.hotspot_ratio * city - 1e-9 * city
        return v * t.hotspot_ratio <= city + 1e-9 * city * t.hotspot_ratio

    def fine(v: float) -> bool:
        if hot(v):
            return False
        if abs(v / city - 1) <= t.at_tolerance + 1e-9:
            return True
        return v < city if direction == "higher_is_worse" else v > city

    def nearest(area: str) -> str | None:
        up = parents[area]
        while up is not None and up != "c" and up not in values:
            up = parents[up]
        return None if up == "c" else up

    out = set()
    for a in parents:
        if a == "c" or a not in values or a in left_out or not hot(values[a]):
            continue
        up = nearest(a)
        if up is not None and fine(values[up]):
            out.add(a)
    return out


def _nearest_with_value(parents: dict[str, str | None], values: dict[str, float], a: str) -> str:
    up = parents[a]
    while up is not None and up not in values:
        up = parents[up]
    assert up is not None
    return up


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hierarchies(),
    st.sampled_from(["higher_is_worse", "higher_is_better"]),
    st.floats(1.01, 3.0),
    st.floats(0.0, 0.5),
)
def test_hidden_hotspots_match_the_definition(
    tree: tuple[dict[str, str | None], dict[str, str], dict[str, float]],
    direction: str,
    ratio: float,
    tolerance: float,
) -> None:
    parents, levels, values = tree
    config = _config(direction, thresholds={"hotspot_ratio": ratio, "at_tolerance": tolerance})
    areas = _table(parents, levels)
    items = [_project("p", (sorted(parents)[-1],)), _project("q", ("citywide",), ("tg2",))]
    result = compute(
        config, areas, _values({("q", DAY): values}), items, {"p": "needs", "q": "goals"}
    )
    found = {h.area for h in result.hidden_hotspots}
    assert found == _oracle(parents, values, direction, config.thresholds)
    classes = {r.area: r.class_ for rk in result.rankings for r in rk.rows}
    for h in result.hidden_hotspots:  # and each one satisfies the definition as reported
        assert classes[h.area] == "hotspot"
        assert h.parent == _nearest_with_value(parents, values, h.area) != "c"
        assert analysis.not_worse(classes[h.parent], direction)
    hotspots = {a for a, c in classes.items() if c == "hotspot"}
    assert {c.area for c in result.coverage} == hotspots
    assert all(len(rk.rows) == len({r.area for r in rk.rows}) for rk in result.rankings)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(hierarchies(), st.sampled_from([",", ";"]))
def test_analyse_never_crashes_on_written_files(
    tmp_path: Path, tree: tuple[dict[str, str | None], dict[str, str], dict[str, float]], sep: str
) -> None:
    parents, levels, values = tree
    root = tmp_path / f"ws{abs(hash((tuple(parents.items()), tuple(values.items()), sep)))}"
    areas = "".join(
        f"{a}{sep}{a.upper()}{sep}{levels[a]}{sep}{p or ''}\n" for a, p in parents.items()
    )
    rows = "".join(f"{a}{sep}q{sep}2023-12-31{sep}{v}\n" for a, v in values.items())
    if sep == ";":
        rows = rows.replace(".", ",")
    ws = _workspace(
        root,
        {
            "data/areas.csv": f"id{sep}name{sep}level{sep}parent\n{areas}",
            "data/indicators.csv": f"area{sep}indicator{sep}period{sep}value\n{rows}",
        },
    )
    result = analysis.analyse(ws)
    assert {h.area for h in result.hidden_hotspots} == _oracle(
        parents, values, "higher_is_worse", models.Thresholds()
    )


# --- helpers ------------------------------------------------------------------------------------

CONFIG = """\
name: Test
language: en
current_cycle: 2027
city: c
target_groups:
  - {id: tg, label: TG}
indicators:
  - {id: q, label: Q, unit: "%"}
data: {delimiter: auto, decimal: auto}
"""
AREAS = "id,name,level,parent\nc,Stadt,stadt,\nnord,Nord,bezirk,c\n554,D 554,distrikt,nord\n"


def _cycle(**phases: str) -> str:
    lines = ["cycle: 2027", "opened: 2027-01-11T09:00:00+01:00", "projects:"]
    lines += [f"  {pid}:\n    phase: {phase}" for pid, phase in phases.items()]
    return "\n".join(lines) + "\n"


def _workspace(root: Path, files: dict[str, str]) -> Workspace:
    base = {
        "zyklus.yaml": CONFIG,
        "data/areas.csv": AREAS,
        "data/indicators.csv": "area,indicator,period,value\nc,q,2023-12-31,5\n",
    }
    for name, text in {**base, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Workspace(root)


def test_as_plain_is_asdict_without_copies(bochum: analysis.Analysis) -> None:
    import dataclasses

    assert analysis.as_plain(bochum) == dataclasses.asdict(bochum)


# --- issue 18: levels without data, small bases, suppressed cells (property tests) -------------


@st.composite
def statistics_tables(
    draw: st.DrawFn,
) -> tuple[
    dict[str, str | None], dict[str, str], dict[str, float], dict[str, float], dict[str, str]
]:
    """A random tree whose levels may have no data at all (an official intermediate level),
    a population base per area, and cells suppressed or missing instead of values."""
    parents, levels, values = draw(hierarchies())
    empty_levels = (
        draw(st.sets(st.sampled_from(sorted(set(levels.values()) - {"L0"})), max_size=2))
        if len(set(levels.values())) > 1
        else set()
    )
    values = {a: v for a, v in values.items() if levels[a] not in empty_levels}
    marks: dict[str, str] = {}
    for a in sorted(parents):
        if a not in values and draw(st.booleans()):
            marks[a] = draw(st.sampled_from(["secret", "missing"]))
    base = {a: float(draw(st.integers(0, 5000))) for a in parents if draw(st.integers(0, 5)) > 0}
    return parents, levels, values, base, marks


def _with_marks(
    values: dict[str, float], base: dict[str, float], marks: dict[str, str]
) -> IndicatorTable:
    from zyklus.files.tables import Mark

    table = _values({("q", DAY): values, ("ew", DAY): base})
    table.marks[("q", DAY)] = {
        a: Mark(a, "q", DAY, kind, "." if kind == "secret" else "", 2)  # type: ignore[arg-type]
        for a, kind in marks.items()
    }
    return table


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    statistics_tables(),
    st.sampled_from(["higher_is_worse", "higher_is_better"]),
    st.integers(0, 3000),
    st.booleans(),
)
def test_hidden_hotspots_on_statistics_offices_tables(
    tree: tuple[
        dict[str, str | None], dict[str, str], dict[str, float], dict[str, float], dict[str, str]
    ],
    direction: str,
    min_base: int,
    include_small: bool,
) -> None:
    """Every hidden hotspot satisfies the definition against its nearest ancestor with a
    value, none is missed, and small-base areas appear in no ranking unless asked for."""
    parents, levels, values, base, marks = tree
    indicators = [
        {"id": "q", "label": "Q", "unit": "%", "direction": direction, "base": "ew"}
        | {"min_base": min_base},
        {"id": "ew", "label": "EW", "unit": "Personen", "aggregation": "sum"},
    ]
    config = _config(direction, indicators=indicators)
    areas = _table(parents, levels)
    table = _with_marks(values, base, marks)
    result = compute(config, areas, table, [], {}, include_small=include_small)
    small = frozenset(a for a, b in base.items() if b < min_base)
    left_out = frozenset() if include_small else small
    found = {h.area for h in result.hidden_hotspots}
    assert found == _oracle(parents, values, direction, config.thresholds, left_out)
    for h in result.hidden_hotspots:
        assert h.parent == _nearest_with_value(parents, values, h.area) != "c"
        between = []
        up = parents[h.area]
        while up != h.parent:
            between.append(levels[up])
            up = parents[up]
        assert list(h.skipped) == list(dict.fromkeys(between))
    ranked = {r.area for rk in result.rankings if rk.indicator == "q" for r in rk.rows}
    assert ranked == {a for a in values if a != "c" and a not in left_out}
    flagged = {
        r.area for rk in result.rankings if rk.indicator == "q" for r in rk.rows if r.small_base
    }
    assert flagged == (small & ranked if include_small else set())
    assert not left_out & {c.area for c in result.coverage}
    shown = {m.area: m.kind for rk in result.rankings if rk.indicator == "q" for m in rk.marks}
    assert shown == {a: k for a, k in marks.items() if a != "c"}  # never 0, never an error
    # every level without a value between the top and the deepest level with data is named
    levels_with = {levels[a] for a in values if a != "c"}
    if levels_with and values.get("c", 0) > 0:
        order = sorted(set(levels.values()), key=lambda lvl: int(lvl[1:]))
        deepest = max(order.index(lvl) for lvl in levels_with)
        gaps = [lvl for lvl in order[1:deepest] if lvl not in levels_with]
        named = [n.params["levels"] for n in result.notes if n.code == "A-LEVEL-NO-DATA"]
        assert named == ([", ".join(gaps)] if gaps else [])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies(), st.sampled_from(["higher_is_worse", "higher_is_better"]))
def test_every_level_lists_each_ancestor_that_hides_the_hotspot(
    tree: tuple[dict[str, str | None], dict[str, str], dict[str, float]], direction: str
) -> None:
    parents, levels, values = tree
    config = _config(direction)
    result = compute(
        config, _table(parents, levels), _values({("q", DAY): values}), [], {}, every_level=True
    )
    classes = {r.area: r.class_ for rk in result.rankings for r in rk.rows}
    expected = set()
    for a, klass in classes.items():
        if klass != "hotspot":
            continue
        up = parents[a]
        while up not in (None, "c"):
            if up in values and analysis.not_worse(classes.get(up), direction):
                expected.add((a, up))
            up = parents[up]
    assert {(h.area, h.parent) for h in result.hidden_every_level} == expected
    nearest = {(h.area, h.parent) for h in result.hidden_hotspots}
    assert nearest <= expected  # the nearest ancestor is one of the levels


def test_analysis_work_grows_linearly_with_the_areas() -> None:
    """n and 10·n areas × 3 indicators × 4 periods: rankings, hidden hotspots, trends and
    coverage do 10× the Python work (lines counted, not timed: issue 18), and the time
    stays well under pairwise (what runs inside C is not counted)."""
    import zlib

    from helpers import grows_linearly, work_ratio

    config = _config(
        indicators=[
            {"id": "q", "label": "Q", "unit": "%"},
            {"id": "n", "label": "N", "unit": "Personen", "aggregation": "sum"},
            {"id": "z", "label": "Z", "unit": "SD", "kind": "zscore"},
        ]
    )
    periods = [date(2020 + i, 12, 31) for i in range(4)]
    made: dict[int, tuple[AreaTable, IndicatorTable]] = {}
    for size in (100, 1_000):
        parents: dict[str, str | None] = {"c": None}
        levels = {"c": "stadt"}
        for b in range(10):
            parents[f"b{b}"], levels[f"b{b}"] = "c", "bezirk"
        for i in range(size):
            parents[f"q{i}"], levels[f"q{i}"] = f"b{i % 10}", "quartier"
        data: dict[tuple[str, date], dict[str, float]] = {}
        seed = {a: zlib.crc32(a.encode()) for a in parents}  # the same on every run
        for k, when in enumerate(periods):
            shares = {a: 3.0 + (seed[a] * (k + 1) % 90) / 10 for a in parents}
            data[("q", when)] = shares
            data[("n", when)] = {a: float(100 + seed[a] * (k + 1) % 900) for a in parents}
            data[("z", when)] = {a: v - 6.0 for a, v in shares.items()}
        made[size // 100] = (_table(parents, levels), _values(data))
    projects = [_project(f"p{i}", (f"q{i * 7}",)) for i in range(10)]
    phases = {p.id: "needs" for p in projects}

    def run(n: int) -> object:
        areas, table = made[n]
        return compute(config, areas, table, projects, phases)

    assert run(10).trends and run(10).rankings
    ratio = work_ratio(run, 1)
    assert ratio <= 12, f"the analysis did {ratio:.1f}× the work for 10× the areas"
    assert grows_linearly(run, 1, limit=30) <= 30


def test_rows_made_without_the_dataclass_init_are_the_same_objects() -> None:
    """Issue 18: trends and ranking rows are made by results.maker; they equal, hash and
    stay frozen as those made by the class, and every field must be given."""
    import dataclasses

    from zyklus.needs.results import RankRow, Trend, maker

    values = (1, "554", "D 554", "ba-distrikt", "55", "Querenburg", 12.0, 6.9, 1.74, 5.1)
    made = maker(RankRow)(*values, "hotspot", False, None, None)
    assert made == RankRow(*values, "hotspot") and hash(made) == hash(RankRow(*values, "hotspot"))
    assert dataclasses.asdict(made) == dataclasses.asdict(RankRow(*values, "hotspot"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.rank = 2  # type: ignore[misc]
    with pytest.raises(ValueError):
        maker(RankRow)(*values)  # a field left out is a bug, not a default
    day = date(2023, 12, 31)
    trend = ("a", "x", "X", "l", day, day, 1.0, 0.5, 0.5, "worse", day, 0.5, 0.5, "worse")
    assert maker(Trend)(*trend, ((day, 1.0),), ()) == Trend(*trend, ((day, 1.0),))  # type: ignore[arg-type]
