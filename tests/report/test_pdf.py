"""The printed report (issue 16): ``zyklus report --format pdf`` on the example, read back per page.

Headless Chromium prints (``.ci/run`` installs Debian's ``chromium``), ``pdftotext``
(poppler-utils) reads each page back. What a member of the Lenkungsgremium sees on paper
is checked: the decisions on pages 1–2, page numbers, no code or file key before the
planners' annex, no nearly empty page inside the main part, no 0 for a value not given.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from helpers import REPO
from zyklus.errors import ZyklusError
from zyklus.files.workspace import Workspace
from zyklus.report import build as report
from zyklus.report import pdf

AS_OF = date(2027, 9, 30)
pytestmark = pytest.mark.slow

# a numbered h2 as pdftotext lays it out: "1      Bedarfe", "A Anhang: …"
SECTION = re.compile(r"^\s*(?:([1-9])\s{2,}\S|([AB]) (?:Anhang|Annex):)")
GATE_CODE = re.compile(r"\bG-[A-Z][A-Z-]+\b")
KEY_PATH = re.compile(
    r"resources\.|staff_fte|budget_eur|contributes_to|target\.date|illustrative: true"
    r"|traffic_light|\b(?:data|projects|cycles)/\S|zyklus (?:record|advance|report|status)"
)
NOT_GIVEN_AS_ZERO = re.compile(r"(?<![\d.,])0 (?:€|VZÄ)|€0(?![\d.,])|(?<![\d.,])0 FTE")


def _needs_tools() -> None:
    if pdf.find_browser() is None:
        pytest.skip("no chromium on PATH; install Debian's 'chromium' to print the report")
    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext; install Debian's 'poppler-utils' to read the PDF back")


def _pages(path: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    out = []
    for number in range(1, count + 1):
        done = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(done.stdout)
    return out


def _body(page: str) -> list[str]:
    """The page's lines without the running header and the page number."""
    lines = [line for line in page.splitlines() if line.strip()]
    return [
        line
        for line in lines
        if not re.search(r"(Seite|Page) \d+ / \d+\s*$", line)
        and not re.match(r"^(Bericht zum Zyklus|Report on the) .*(Stand|As of)", line.strip())
    ]


def _print(lang: str, folder: Path) -> list[str]:
    _needs_tools()
    ws = Workspace(REPO)
    built = report.build(ws, 2027, lang=lang, as_of=AS_OF)
    (path,) = report.write(ws, built, ["pdf"], folder)
    assert path.name == "report.pdf" and path.read_bytes().startswith(b"%PDF-")
    return _pages(path)


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _print("de", tmp_path_factory.mktemp("pdf-de"))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return _print("en", tmp_path_factory.mktemp("pdf-en"))


def _sections(pages: list[str]) -> list[tuple[int, str]]:
    """(page index, section mark) of every numbered section start, in order."""
    found = []
    for index, page in enumerate(pages):
        for line in _body(page):
            match = SECTION.match(line)
            if match:
                found.append((index, match.group(1) or match.group(2)))
    return found


def test_summary_decisions_and_overview_fill_pages_one_and_two(german: list[str]) -> None:
    first_two = german[0] + german[1]
    assert "Auf einen Blick" in german[0]
    assert "Entscheidungsbedarf" in german[0]
    assert "Projekte im Überblick" in first_two
    # every project is in the overview, with its traffic light and reason
    for title in ("Jobcenter im", "Ausbildungsberufe", "Logokampagne", "Beratung der"):
        assert title in first_two, title
    assert "Rot: seit 1.052 Tagen in der" in first_two
    assert "Ampel stehen in Anhang B" in first_two  # the note under the table ends the summary
    sections = _sections(german)
    assert sections[0] == (2, "1"), sections  # the main part starts on page 3


def test_every_page_is_numbered_and_headed(german: list[str]) -> None:
    total = len(german)
    for number, page in enumerate(german, start=1):
        assert re.search(rf"Seite {number} / {total}\s*$", page, re.M), number
        assert "Bericht zum Zyklus 2027" in page.splitlines()[0], number
        assert "Stand: 30.09.2027" in page.splitlines()[0], number


def test_no_code_or_key_path_before_the_planners_annex(german: list[str]) -> None:
    planners = next(i for i, mark in _sections(german) if mark == "B")
    for index, page in enumerate(german[:planners]):
        text = "\n".join(_body(page))
        assert not GATE_CODE.search(text), (index + 1, GATE_CODE.search(text))
        assert not KEY_PATH.search(text), (index + 1, KEY_PATH.search(text))
    annex = "\n".join(german[planners:])
    assert "G-STAFF" in annex and "projects/" in annex and "zyklus record" in annex


def test_no_zero_for_a_value_not_given(german: list[str], english: list[str]) -> None:
    for pages in (german, english):
        text = "\n".join(pages)
        assert not NOT_GIVEN_AS_ZERO.search(text), NOT_GIVEN_AS_ZERO.search(text)
    text = "\n".join(german)
    assert "0,15 VZÄ" in text  # the one staff figure that is given
    assert "keine Angabe" in text and "k. A." in text


def test_no_nearly_empty_page_in_the_main_part(german: list[str]) -> None:
    sections = _sections(german)
    start = next(i for i, mark in sections if mark == "1")
    annex = next(i for i, mark in sections if mark == "A")
    starts = {i for i, _ in sections}
    for index in range(start, annex):
        lines = _body(german[index])
        ends_a_section = index + 1 in starts
        assert len(lines) >= 6 or ends_a_section, (index + 1, lines)


def test_english_has_the_same_structure(german: list[str], english: list[str]) -> None:
    assert [m for _, m in _sections(english)] == [m for _, m in _sections(german)]
    first_two = english[0] + english[1]
    assert "At a glance" in english[0] and "Decisions needed" in english[0]
    assert "Projects at a glance" in first_two
    assert _sections(english)[0][0] == 2
    assert re.search(rf"Page 1 / {len(english)}\s*$", english[0], re.M)


def test_a_missing_browser_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(pdf.ENV, raising=False)
    ws = Workspace(REPO)
    built = report.build(ws, 2027, lang="de", as_of=AS_OF)
    with pytest.raises(ZyklusError) as caught:
        report.write(ws, built, ["pdf"], tmp_path / "out")
    text = caught.value.problems[0].message("de")
    assert "apt-get install chromium" in text and pdf.ENV in text
    assert not (tmp_path / "out").exists()  # nothing written
