"""The analysis on real statistics offices' data (issue 18): Berlin's MSS 2021 z-values on
the LOR 2021, Hamburg's Stadtteil-Profile 2014. Sources and licences: the fixtures' READMEs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from zyklus.files.workspace import Workspace
from zyklus.needs import analysis

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = FIXTURES / "berlin-mss-2021"
HAMBURG = FIXTURES / "hamburg-stadtteilprofile-2014"
# the MSS' class names (high status = few problems) against zyklus' classes of a
# higher_is_worse index with sd_at 1, sd_hotspot 1.5
MSS_CLASSES = {"hoch": "below", "mittel": "at", "niedrig": "above", "sehr niedrig": "hotspot"}


@pytest.fixture(scope="module")
def berlin() -> analysis.Analysis:
    return analysis.analyse(Workspace(BERLIN))


@pytest.fixture(scope="module")
def hamburg() -> analysis.Analysis:
    return analysis.analyse(Workspace(HAMBURG))


def _ranking(result: analysis.Analysis, indicator: str, level: str) -> analysis.Ranking:
    return next(r for r in result.rankings if r.indicator == indicator and r.level == level)


def _published(indicator: str) -> dict[str, str]:
    with (BERLIN / "data" / "indicators.csv").open(encoding="utf-8") as stream:
        rows = csv.DictReader(stream, delimiter=";")
        return {r["area"]: r["value"] for r in rows if r["indicator"] == indicator}


# --- Berlin: z-values, a category, three levels without data, empty cells -------------------


def test_berlin_classes_agree_with_the_published_mss_classes(berlin: analysis.Analysis) -> None:
    """Every PLR's class from the status index equals the class the MSS published for it."""
    published = {a: c for a, c in _published("status-klasse").items() if c}
    ranking = _ranking(berlin, "status-index", "planungsraum")
    ours = {row.area: row.class_ for row in ranking.rows}
    assert len(ours) == len(published) == 63
    assert {a: MSS_CLASSES[c] for a, c in published.items()} == ours
    assert ranking.kind == "zscore" and (ranking.reference, ranking.sd) == (0.0, 1.0)
    huttenkiez = next(r for r in ranking.rows if r.name == "Huttenkiez")
    assert (huttenkiez.sd_units, huttenkiez.ratio) == (1.62, None)


def test_berlin_category_is_held_and_counted_in_declared_order(berlin: analysis.Analysis) -> None:
    (view,) = [v for v in berlin.categories if v.indicator == "status-klasse"]
    assert view.level == "planungsraum" and len(view.rows) == 63
    assert view.counts == (("hoch", 5), ("mittel", 30), ("niedrig", 9), ("sehr niedrig", 19))
    assert not any(r.indicator == "status-klasse" for r in berlin.rankings)


def test_berlin_empty_cells_are_no_data_never_zero(berlin: analysis.Analysis) -> None:
    ranking = _ranking(berlin, "status-index", "planungsraum")
    marks = {m.name: m.kind for m in ranking.marks}
    assert marks == {"Blankenburger Süden": "missing", "Pankower Tor": "missing"}
    assert not {"Blankenburger Süden", "Pankower Tor"} & {r.name for r in ranking.rows}


def test_berlin_levels_without_data_are_named_and_nothing_is_hidden(
    berlin: analysis.Analysis,
) -> None:
    """Only the PLR have values and Berlin has none: the levels above are named, and no
    hotspot is called hidden, because no ancestor has a value to hide it."""
    empty = {
        n.params["indicator"]: n.params["levels"]
        for n in berlin.notes
        if n.code == "A-LEVEL-NO-DATA"
    }
    assert empty["status-index"] == "bezirk, prognoseraum, bezirksregion"
    assert berlin.hidden_hotspots == ()
    hot = {c.area for c in berlin.coverage}
    assert "01200517" in hot and "01100101" not in hot  # Huttenkiez yes, Stülerstraße no


def test_berlin_name_with_a_double_space_is_normalised_with_a_warning(
    berlin: analysis.Analysis,
) -> None:
    (note,) = [n for n in berlin.notes if n.code == "D-NAME-SPACE"]
    assert note.params == {"id": "021001", "name": "Südliche Friedrichstadt"}
    ranking = _ranking(berlin, "status-index", "planungsraum")
    assert {r.parent_name for r in ranking.rows if r.parent == "021001"} == {
        "Südliche Friedrichstadt"
    }


def test_berlin_small_base_left_out_unless_asked(berlin: analysis.Analysis) -> None:
    """The PLR under 300 inhabitants have no z-values; with their counts as own base (the
    einwohner count is no share) nothing else is small."""
    assert all(not r.small for r in berlin.rankings)
    asked = analysis.analyse(Workspace(BERLIN), include_small=True)
    assert asked.include_small and len(asked.rankings) == len(berlin.rankings)


# --- Hamburg: shares, Bezirk rows, small Stadtteile, suppressed prices ------------------------


def test_hamburg_hidden_hotspots_are_the_altona_stadtteile(hamburg: analysis.Analysis) -> None:
    """Altona is at the city's 5,8 % unemployment; four of its Stadtteile are hotspots."""
    hidden = {(h.indicator, h.name): h for h in hamburg.hidden_hotspots}
    unemployed = {name for ind, name in hidden if ind == "arbeitslosenanteil"}
    assert unemployed == {"Lurup", "Altona-Altstadt", "Altona-Nord", "Osdorf"}
    lurup = hidden[("arbeitslosenanteil", "Lurup")]
    assert (lurup.value, lurup.parent_name, lurup.parent_value, lurup.parent_class) == (
        8.1,
        "Altona",
        5.8,
        "at",
    )
    sgb2 = {name for ind, name in hidden if ind == "sgb2-anteil"}
    assert sgb2 == {"Lurup", "Altona-Altstadt", "Osdorf", "Altona-Nord"}
    assert not any(h.parent_name == "Hamburg-Mitte" for h in hamburg.hidden_hotspots)


def test_hamburg_small_stadtteile_do_not_top_the_ranking(hamburg: analysis.Analysis) -> None:
    """Billbrook (1 398 inhabitants, 13,2 %) would rank first; under 2 000 it is left out."""
    ranking = _ranking(hamburg, "arbeitslosenanteil", "stadtteil")
    assert ranking.rows[0].name == "Wilhelmsburg"
    assert set(ranking.small) == {
        "billbrook",
        "hafencity",
        "hamburg-altstadt",
        "kleiner-grasbrook-und-steinwerder",
    }
    asked = analysis.analyse(Workspace(HAMBURG), indicator="arbeitslosenanteil", include_small=True)
    first = _ranking(asked, "arbeitslosenanteil", "stadtteil").rows[0]
    assert (first.name, first.value, first.small_base, first.base_value) == (
        "Billbrook",
        13.2,
        True,
        1398,
    )


def test_hamburg_suppressed_prices_are_secret(hamburg: analysis.Analysis) -> None:
    ranking = _ranking(hamburg, "preis-eigentumswohnung", "stadtteil")
    secret = {m.name for m in ranking.marks if m.kind == "secret"}
    assert {"Neustadt", "Veddel", "Hamburg-Altstadt"} <= secret and len(secret) == 9
    assert len(ranking.rows) == 21 and all(r.value > 0 for r in ranking.rows)
    bezirke = _ranking(hamburg, "preis-eigentumswohnung", "bezirk")
    assert bezirke.rows == () and {m.kind for m in bezirke.marks} == {"secret"}
    empty = [n for n in hamburg.notes if n.code == "A-LEVEL-NO-DATA"]
    assert [n.params["indicator"] for n in empty] == ["preis-eigentumswohnung"]


def test_hamburg_sums_of_the_excerpt_say_what_is_missing(hamburg: analysis.Analysis) -> None:
    sums = {n.params["area"]: n.params["diff"] for n in hamburg.notes if n.code == "D-SUM-DIFF"}
    assert sums == {"hamburg": 1239221, "bezirk-hamburg-mitte": 6777}
