""".ci/run: both stages fail when a test fails or when no test ran, and the oldest stage
installs every declared lower bound (``.ci/lower_bounds.py``).

The stages run with stand-ins for ``python -m venv``, ``pip`` and ``pytest`` (bash
functions), so the test checks the script's exit codes in a second, not the suite itself.
"""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BASH = shutil.which("bash")

# The stand-ins: the venv is an empty activate script, pip records its arguments, pytest
# exits with $FAKE_PYTEST and `python .ci/lower_bounds.py --check` with $FAKE_CHECK.
STAND_INS = r"""
fake_python() {
  if [ "$1" = -m ] && [ "$2" = venv ]; then mkdir -p "$3/bin"; : >"$3/bin/activate"
  else "$REAL_PYTHON" "$@"; fi
}
pip() { echo "pip $*" >>"$work/log"; }
python() { echo "python $*" >>"$work/log"; return "${FAKE_CHECK:-0}"; }
pytest() { echo "pytest $*" >>"$work/log"; return "$FAKE_PYTEST"; }
"""


def _stage(tmp_path: Path, stage: str, pytest_status: int, check: int = 0) -> tuple[int, str]:
    assert BASH is not None, "bash is part of every CI machine"
    script = (
        f". {REPO / '.ci' / 'run'}\n{STAND_INS}\n"
        f'cd {REPO}; work={tmp_path}; python=fake_python\n{stage} -k something\necho "after"\n'
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "REAL_PYTHON": sys.executable,
        "FAKE_PYTEST": str(pytest_status),
        "FAKE_CHECK": str(check),
    }
    done = subprocess.run(
        [BASH, "-c", script], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    log = (tmp_path / "log").read_text(encoding="utf-8") if (tmp_path / "log").exists() else ""
    return done.returncode, done.stdout + done.stderr + log


@pytest.mark.parametrize("stage", ["stage_newest", "stage_oldest"])
@pytest.mark.parametrize(("status", "passes"), [(0, True), (1, False), (2, False), (5, False)])
def test_a_stage_fails_on_a_failing_test_and_when_no_test_ran(
    tmp_path: Path, stage: str, status: int, passes: bool
) -> None:
    code, output = _stage(tmp_path, stage, status)
    assert "pytest -p no:cacheprovider -q -k something" in output  # the full suite, args passed
    assert (code == 0) is passes, output
    assert ("after" in output) is passes, output
    if status == 5:
        assert "ci: no test ran" in output


def test_the_oldest_stage_installs_the_lower_bounds_and_checks_them(tmp_path: Path) -> None:
    code, output = _stage(tmp_path, "stage_oldest", 0)
    assert code == 0, output
    constraints = tmp_path / "oldest.txt"
    assert f"pip install -q -e .[dev] -c {constraints}" in output
    assert "python .ci/lower_bounds.py --check" in output
    pins = constraints.read_text(encoding="utf-8").split()
    assert "pyyaml==6.0.1" in pins and any(pin.startswith("typer==") for pin in pins)
    # a wrong release installed stops the stage before the tests
    again = tmp_path / "again"
    again.mkdir()
    code, output = _stage(again, "stage_oldest", 0, check=1)
    assert code != 0 and "pytest" not in output.split("python .ci/lower_bounds.py")[-1]


def _lower_bounds() -> dict[str, object]:
    return runpy.run_path(str(REPO / ".ci" / "lower_bounds.py"))


def test_every_runtime_dependency_has_a_tested_lower_bound(tmp_path: Path) -> None:
    bounds = _lower_bounds()["lower_bounds"]
    pins = bounds(REPO / "pyproject.toml")  # type: ignore[operator]
    assert set(pins) == {"typer", "rich", "pydantic", "pyyaml", "jinja2", "filelock", "openpyxl"}
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\ndependencies = ["rich >=13.8, <16", "Jinja2[i18n]>=3.1.6", '
        "\"tomli>=2; python_version < '3.11'\"]\n",
        encoding="utf-8",
    )
    assert bounds(pyproject) == {"rich": "13.8", "jinja2": "3.1.6", "tomli": "2"}  # type: ignore[operator]
    pyproject.write_text('[project]\ndependencies = ["typer<1"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no lower bound"):
        bounds(pyproject)  # type: ignore[operator]


def test_the_check_pads_releases_with_zeros() -> None:
    release = _lower_bounds()["_release"]
    assert release("2.6") == release("2.6.0") == release("2.6.0.0")  # type: ignore[operator]
    assert release("2.6") != release("2.6.1")  # type: ignore[operator]
