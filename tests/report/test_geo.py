"""The map (issue 16), on a real boundary set: Cologne's nine Stadtbezirke (tests/report/fixtures/koeln).

Projection and simplification as units; the choropleth of the fixture workspace with its
areas, ids, labels, legend, city value and the outline of the district that hides a hidden
hotspot; the same bytes twice; a screenshot in headless Chromium.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import REPO
from zyklus.files.geometry import Shape
from zyklus.files.workspace import Workspace
from zyklus.report import build as report
from zyklus.report import geo, pdf

KOELN = REPO / "tests" / "report" / "fixtures" / "koeln"
AS_OF = date(2027, 9, 30)
DISTRICTS = {
    "bezirk-innenstadt": "Innenstadt",
    "bezirk-rodenkirchen": "Rodenkirchen",
    "bezirk-lindenthal": "Lindenthal",
    "bezirk-ehrenfeld": "Ehrenfeld",
    "bezirk-nippes": "Nippes",
    "bezirk-chorweiler": "Chorweiler",
    "bezirk-porz": "Porz",
    "bezirk-kalk": "Kalk",
    "bezirk-muelheim": "Mülheim",
}


@pytest.fixture(scope="module")
def koeln(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, report.Report]:
    root = tmp_path_factory.mktemp("koeln") / "ws"
    shutil.copytree(KOELN, root)
    ws = Workspace(root)
    return ws, report.build(ws, 2027, lang="de", as_of=AS_OF)


def map_page(page: str) -> str:
    """The report's own page with only its map section in <main> (styles kept)."""
    head, rest = page.split("<main>", 1)
    start = rest.index('<h3 id="map">')
    end = rest.index("</section>", start)
    return f"{head}<main>{rest[start:end]}</main></div></body></html>"


# --- units ----------------------------------------------------------------------------------


def test_simplify_keeps_ends_and_corners() -> None:
    line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 5.0)]
    assert geo.simplify(line, 0.5) == [(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]
    assert geo.simplify(line, 0.001) == line


@given(
    st.lists(st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=3, max_size=60),
    st.floats(0.01, 50),
)
def test_simplify_is_a_subsequence_within_tolerance(
    points: list[tuple[float, float]], tol: float
) -> None:
    out = geo.simplify(points, tol)
    assert out[0] == points[0] and out[-1] == points[-1]
    it = iter(points)
    assert all(any(p == q for q in it) for p in out)  # order kept, nothing invented


def test_projection_keeps_the_aspect_of_a_city() -> None:
    square = ((7.0, 51.0), (7.1, 51.0), (7.1, 51.1), (7.0, 51.1), (7.0, 51.0))
    frame = geo.frame([Shape("a", ((square,),))], 640.0, pad=0.0)
    (x0, y0), (x1, y1) = frame(7.0, 51.0), frame(7.1, 51.1)
    # 0.1° of longitude at 51° N is 0.63 × 0.1° of latitude: the map is taller than wide
    assert x1 - x0 == pytest.approx(640.0)
    assert (y0 - y1) / (x1 - x0) == pytest.approx(1 / 0.6293, rel=1e-2)


# --- the real boundary set --------------------------------------------------------------------


def test_map_of_the_cologne_districts(koeln: tuple[Workspace, report.Report]) -> None:
    _, built = koeln
    assert built.maps.available
    (block,) = built.maps.blocks  # one share indicator, one level with shapes
    svg = str(block.svg)
    assert block.title == "Arbeitslosenanteil in % je Stadtbezirk (31.12.2023)"
    assert svg.count("<path ") == 9 + 1  # nine districts + one outline
    for name in DISTRICTS.values():
        assert f">{name}</text>" in svg, name  # labelled on the map
    assert ">11,8 %</text>" in svg  # Chorweiler's value printed
    for legend in ("Schwerpunkt (ab 8,8 %)", "über dem Stadtwert", "unter dem Stadtwert"):
        assert legend in svg
    assert "Wert der Gesamtstadt (Stadt Köln): 7,0 %" in svg
    # the hidden hotspot Bilderstöckchen (9,9 %) lies in Nippes (6,2 %): Nippes is outlined
    assert "versteckter Schwerpunkt (Umriss): Bilderstöckchen" in svg
    outline = re.search(r'<path d="([^"]+)" fill="none" stroke="#1f2933"', svg)
    nippes = re.search(r'<path d="([^"]+)" fill="[^"]+"[^>]*><title>Nippes: 6,2 %</title>', svg)
    assert outline and nippes and outline.group(1) == nippes.group(1)
    hotspot = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]+)"[^>]*><title>Chorweiler', svg)
    assert hotspot and hotspot.group(1) == geo.TONES["hotspot"]
    assert len(svg) < 40_000  # 1.9 MB of source boundaries → a map of a few KB
    assert not block.missing


def test_project_reach_map(koeln: tuple[Workspace, report.Report]) -> None:
    _, built = koeln
    reach = built.maps.reach
    assert reach is not None
    svg = str(reach.svg)
    assert "<title>Chorweiler: Beratung in Chorweiler</title>" in svg
    # the Bilderstöckchen project works inside Nippes, which has no finer shapes
    assert "<title>Nippes: Quartiersbüro Bilderstöckchen</title>" in svg
    assert "<title>Kalk: kein Projekt vor Ort</title>" in svg


def test_the_map_is_deterministic(koeln: tuple[Workspace, report.Report]) -> None:
    ws, built = koeln
    again = report.build(Workspace(ws.root), 2027, lang="de", as_of=AS_OF)
    assert report.render(ws, built, "html") == report.render(ws, again, "html")


def test_user_text_in_names_is_escaped(koeln: tuple[Workspace, report.Report]) -> None:
    ws, _ = koeln
    areas = (ws.root / "data" / "areas.csv").read_text(encoding="utf-8")
    tricky = areas.replace("Kalk,", '<script>"Kalk"</script>,')
    root = ws.root.parent / "tricky"
    shutil.copytree(ws.root, root)
    (root / "data" / "areas.csv").write_text(tricky, encoding="utf-8")
    built = report.build(Workspace(root), 2027, lang="de", as_of=AS_OF)
    svg = str(built.maps.blocks[0].svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_without_geometries_the_section_says_how_to_add_them() -> None:
    ws = Workspace(REPO)
    built = report.build(ws, 2027, lang="de", as_of=AS_OF)
    assert not built.maps.available and not built.maps.blocks
    html = report.render(ws, built, "html")
    assert "Für eine Karte fehlen die Gebietsgrenzen" in html
    assert "ogr2ogr -f GeoJSON" in html  # the how-to in annex B


@pytest.mark.slow
def test_map_screenshot_in_chromium(koeln: tuple[Workspace, report.Report], tmp_path: Path) -> None:
    browser = pdf.find_browser()
    if browser is None:
        pytest.skip("no chromium on PATH; install Debian's 'chromium' for the screenshot")
    ws, built = koeln
    html = tmp_path / "map.html"
    html.write_text(map_page(report.render(ws, built, "html")), encoding="utf-8")
    png = tmp_path / "map.png"
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                browser,
                *pdf.FLAGS,
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                "--hide-scrollbars",
                "--window-size=820,1080",
                html.as_uri(),
            ],
            capture_output=True,
            timeout=pdf.TIMEOUT,
            check=False,
        )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (820, 1080)
    assert len(data) > 20_000  # a drawn map, not a blank page
    if os.environ.get("ZYKLUS_UPDATE_DOCS"):  # the README's picture of the map
        (REPO / "docs" / "report-map.png").write_bytes(data)
