"""data/areas.geojson (issue 16): read strictly, bounded, every problem named by feature."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import REPO
from zyklus.errors import LoadError
from zyklus.files import geometry
from zyklus.files.geometry import load_geometries, parse

KOELN = REPO / "tests" / "report" / "fixtures" / "koeln"
SQUARE = [[[7.0, 51.0], [7.1, 51.0], [7.1, 51.1], [7.0, 51.1], [7.0, 51.0]]]


def _collection(*features: object) -> dict[str, object]:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(area: object, geometry_: object | None = None) -> dict[str, object]:
    return {
        "type": "Feature",
        "id": area,
        "properties": {},
        "geometry": geometry_ or {"type": "Polygon", "coordinates": SQUARE},
    }


def _codes(data: object) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse(data, "data/areas.geojson")
    return [p.code for p in caught.value.problems]


def test_the_real_cologne_districts_load() -> None:
    shapes = load_geometries(KOELN / "data" / "areas.geojson", "data/areas.geojson").shapes
    areas = {
        line.split(",")[0]
        for line in (KOELN / "data" / "areas.csv").read_text(encoding="utf-8").splitlines()[1:]
        if ",stadtbezirk," in line
    }
    assert set(shapes) == areas and len(shapes) == 9  # feature id = area id
    assert all(len(p[0]) >= 4 for s in shapes.values() for p in s.polygons)
    lon, lat = shapes["bezirk-innenstadt"].polygons[0][0][0]
    assert 6.8 < lon < 7.1 and 50.8 < lat < 51.1  # WGS 84, Cologne


def test_properties_id_and_multipolygons_are_read() -> None:
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE, SQUARE]}
    data = _collection(
        {"type": "Feature", "properties": {"id": "nord"}, "geometry": multi},
        _feature(554),  # a numeric id is the area id "554"
    )
    shapes = parse(data, "x").shapes
    assert list(shapes) == ["554", "nord"] and len(shapes["nord"].polygons) == 2


@pytest.mark.parametrize(
    ("data", "codes"),
    [
        ([], ["GEO-NOT-COLLECTION"]),
        ({"type": "FeatureCollection"}, ["GEO-NOT-COLLECTION"]),
        (_collection("x"), ["GEO-FEATURE"]),
        (_collection(_feature(None)), ["GEO-NO-ID"]),
        (_collection(_feature(True)), ["GEO-NO-ID"]),
        (_collection(_feature("a"), _feature("a")), ["GEO-DUPLICATE"]),
        (_collection(_feature("a", {"type": "Point", "coordinates": [7, 51]})), ["GEO-GEOMETRY"]),
        (
            _collection(_feature("a", {"type": "Polygon", "coordinates": [[[7, 51], [7, 52]]]})),
            ["GEO-GEOMETRY"],
        ),
        (
            _collection(
                _feature("a", {"type": "Polygon", "coordinates": [[[700, 51]] * 4]}),
                _feature("b", {"type": "Polygon", "coordinates": [[["7", 51]] * 4]}),
            ),
            ["GEO-GEOMETRY", "GEO-GEOMETRY"],  # every bad feature, not only the first
        ),
    ],
)
def test_bad_files_name_the_problem(data: object, codes: list[str]) -> None:
    assert _codes(data) == codes


def test_bad_json_has_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "areas.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_geometries(path, "data/areas.geojson")
    (problem,) = caught.value.problems
    assert (problem.code, problem.line, problem.col) == ("GEO-JSON", 2, 15)
    path.write_text('{"type": "FeatureCollection", "features": [NaN]}', encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_geometries(path, "data/areas.geojson")
    assert caught.value.problems[0].code == "GEO-JSON"  # NaN is no JSON number


def test_size_and_count_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry, "MAX_FEATURES", 2)
    assert _codes(_collection(_feature("a"), _feature("b"), _feature("c"))) == ["GEO-TOO-MANY"]
    monkeypatch.setattr(geometry, "MAX_BYTES", 100)
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(_collection(_feature("a"), _feature("b"))), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_geometries(path, "data/areas.geojson")
    assert caught.value.problems[0].code == "Y-TOO-LARGE"


@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.text(max_size=5),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    ["type", "features", "id", "geometry", "coordinates", "properties"]
                ),
                c,
                max_size=4,
            )
        ),
        max_leaves=30,
    )
)
def test_any_json_is_read_or_refused_cleanly(data: object) -> None:
    try:
        parse(data, "x")
    except LoadError as exc:
        assert exc.problems and all(p.code.startswith("GEO-") for p in exc.problems)
