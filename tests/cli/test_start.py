"""Start-up of the console entry point (cli/__init__.py): what it costs (issue 21)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import REPO, subprocess_env

PROBE = """
import os, sys
sys.argv = ["zyklus", "validate", "projects/jobcenter-im-quartier.yaml"]
from zyklus import models
from zyklus.cli import main
try:
    main()
except SystemExit:
    pass
built = sorted(m.__name__ for m in vars(models).values()
               if isinstance(m, type) and issubclass(m, models.Strict)
               and m is not models.Strict and m.__pydantic_complete__)
print(repr(os.environ.get("PYDANTIC_DISABLE_PLUGINS")), "Offer" in built, "CycleState" in built,
      "Card" in built, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("given", "seen"), [(None, "'__all__'"), ("", "''"), ("logfire", "'logfire'")]
)
def test_one_card_builds_only_its_models_and_skips_the_plugin_scan(
    given: str | None, seen: str
) -> None:
    """Documented by pydantic: PYDANTIC_DISABLE_PLUGINS; a value the user set is kept."""
    env = subprocess_env()
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert proc.stderr.strip().splitlines()[-1] == f"{seen} False False True"
