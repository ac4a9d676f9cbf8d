"""Fixtures shared by every test; plain helpers live in helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import MINIMAL_AREAS, MINIMAL_CARD, MINIMAL_CONFIG, build_file_tree


@pytest.fixture(autouse=True)
def strict_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message rendered without one of its parameters fails the test (issue 12)."""
    from zyklus import i18n

    monkeypatch.setattr(i18n, "STRICT", True)


@pytest.fixture(autouse=True)
def own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """What zyklus remembers between runs (issue 21) goes to the test's own folder, never
    to the user's ~/.cache, and no test finds what another one left there; subprocesses
    inherit it."""
    home = tmp_path_factory.mktemp("cache-home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "zyklus"


@pytest.fixture
def cache(own_cache_folder: Path) -> Path:
    """The test's own cache folder of zyklus (``$XDG_CACHE_HOME/zyklus``), empty at first."""
    return own_cache_folder


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as still for what zyklus remembers (no test can wait 3 s)."""
    from zyklus.files import remembered

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A small valid workspace: config, areas, one card."""
    return build_file_tree(
        tmp_path / "ws",
        {
            "zyklus.yaml": MINIMAL_CONFIG,
            "data/areas.csv": MINIMAL_AREAS,
            "data/indicators.csv": "area,indicator,period,value\nstadt,arbeitslosenanteil,2023-12-31,6.9\n",
            "projects/jobcenter-im-quartier.yaml": MINIMAL_CARD,
        },
    )


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()
