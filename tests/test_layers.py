"""The pipeline layers are a checked contract (issue 13): an upward import fails the build."""

from __future__ import annotations

import subprocess
import sys

from helpers import REPO


def test_no_wing_imports_upward() -> None:
    """``lint-imports`` reads the contracts in pyproject.toml; every one must be kept."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout
