"""An installed wheel works outside this repository: templates and messages ship with it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = out.glob("zyklus-*.whl")
    target = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    return target


def test_wheel_ships_templates_and_messages(unpacked_wheel: Path) -> None:
    package = unpacked_wheel / "zyklus"
    assert (package / "templates" / "card.yaml.j2").is_file()
    assert (package / "templates" / "zyklus.yaml.j2").is_file()
    assert (package / "templates" / "card.en.yaml.j2").is_file()
    assert (package / "templates" / "zyklus.en.yaml.j2").is_file()
    assert (package / "messages" / "loader.yaml").is_file()
    assert (package / "py.typed").is_file()


def test_wheel_runs_outside_the_repository(unpacked_wheel: Path, tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(unpacked_wheel), "PATH": "/usr/bin:/bin"}
    init = subprocess.run(
        [sys.executable, "-m", "zyklus", "init", "ws", "--lang", "en"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert init.returncode == 0, init.stderr
    assert "zyklus.yaml" in init.stdout
    text = (tmp_path / "ws" / "zyklus.yaml").read_text(encoding="utf-8")
    assert "Check with: zyklus validate" in text  # --lang en: English comments (issue 12)
