"""``zyklus report --format pdf``: the HTML report printed by headless Chromium (issue 16).

Why Chromium and not WeasyPrint: the report's HTML is already checked in Chromium (the
browser test), Chromium lays out its CSS grid, inline SVG and the paged-media margin boxes
(running header, "Seite n / m") the same way on screen and on paper, and it is one Debian
package (``chromium``) with no Python dependency to pin. WeasyPrint would add Pango, cairo
and a second layout engine whose output differs from what planners see in the browser.

The browser runs without network, extensions or a profile of its own (a fresh temporary
one per call), so a report can neither fetch anything nor leave state behind. Missing
browser → a clear message what to install (``R-PDF-ENGINE``), exit 1; nothing is written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from zyklus.errors import ZyklusError

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENV = "ZYKLUS_CHROMIUM"  # path of the browser when it is not on PATH
TIMEOUT = 180
FLAGS = (
    "--headless",
    "--no-sandbox",  # CI and containers run as root, where the sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",  # the report's own @page boxes carry header and page numbers
)


def find_browser() -> str | None:
    """``$ZYKLUS_CHROMIUM`` when set, else the first Chromium on PATH."""
    chosen = os.environ.get(ENV)
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in BINARIES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html: str) -> bytes:
    """The PDF of one HTML page; :class:`ZyklusError` (exit 1) when no engine can print it."""
    browser = find_browser()
    if browser is None:
        raise ZyklusError.single("R-PDF-ENGINE", names=", ".join(BINARIES), env=ENV)
    with tempfile.TemporaryDirectory(prefix="zyklus-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "report.html"
        page.write_text(html, encoding="utf-8")
        target = folder / "report.pdf"
        profile = folder / "profile"
        try:
            done = subprocess.run(
                [
                    browser,
                    *FLAGS,
                    f"--user-data-dir={profile}",
                    f"--print-to-pdf={target}",
                    page.as_uri(),
                ],
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ZyklusError.single("R-PDF-FAILED", browser=browser, error=str(exc)) from None
        data = target.read_bytes() if target.is_file() else b""
        if done.returncode != 0 or not data.startswith(b"%PDF-"):
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["–"]
            raise ZyklusError.single("R-PDF-FAILED", browser=browser, error=tail[0][:300])
        return data
