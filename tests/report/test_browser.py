"""The HTML report in a real browser (issue 6): headless Chromium prints and shows it.

Debian's ``chromium`` package (``.ci/run`` installs it). The flags keep the browser off the
network; the report itself makes no request either. Skipped, with the reason, only when
no chromium binary exists.
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

from helpers import REPO
from zyklus.files.workspace import Workspace
from zyklus.report import build as report

AS_OF = date(2027, 9, 30)
TIMEOUT = 120
BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.slow


def _browser() -> str:
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(
        "no chromium binary on PATH (tried: " + ", ".join(BINARIES) + "); "
        "install Debian's 'chromium' package to run the browser test"
    )


def _chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [_browser(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, report.Report]:
    ws = Workspace(REPO)
    built = report.build(ws, 2027, lang="de", as_of=AS_OF)
    path = tmp_path_factory.mktemp("browser") / "report.html"
    path.write_text(report.render(ws, built, "html"), encoding="utf-8")
    return path, built


def test_prints_to_pdf(page: tuple[Path, report.Report], tmp_path: Path) -> None:
    html, built = page
    pdf = tmp_path / "report.pdf"
    done = _chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    # every project starts a new page (break-before), after the overview sections
    assert pages >= len(built.projects) + 2, pages


def test_screenshot(page: tuple[Path, report.Report], tmp_path: Path) -> None:
    html, _ = page
    png = tmp_path / "report.png"
    done = _chromium(
        f"--screenshot={png}", "--hide-scrollbars", "--window-size=1280,1800", html.as_uri()
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 1800)
    if os.environ.get("ZYKLUS_UPDATE_DOCS"):  # the README's picture of the report
        (REPO / "docs" / "report.png").write_bytes(data)


def test_dom_holds_the_numbers_and_every_project(page: tuple[Path, report.Report]) -> None:
    html, built = page
    done = _chromium("--dump-dom", html.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = done.stdout.decode("utf-8")
    # issue 16: the overview row of every project with its light; unknown money is "k. A."
    assert dom.count('<span class="light ') == len(built.projects) + 4  # + the 4 rules
    assert "0,15 VZÄ" in dom and "k. A." in dom and ">0 €<" not in dom
    for project in built.projects:
        assert project.ref.title in dom, project.ref.id
        assert f'id="p-{project.ref.id}"' in dom
    assert "BA-Distrikt 554" in dom and "<script" not in dom
