"""Start-up of the console entry point (cli/__init__.py): what it costs (issue 21)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from helpers import REPO, subprocess_env
from zyklus.cli import _for_one_command, _listing, app
from zyklus.files import stored

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
def test_one_card_builds_no_model_and_skips_the_plugin_scan(given: str | None, seen: str) -> None:
    """Documented by pydantic: PYDANTIC_DISABLE_PLUGINS; a value the user set is kept. The
    card and zyklus.yaml are validated from the stored core schema (files/stored.py)."""
    env = subprocess_env()
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True
    )
    card = not stored.usable()  # the models only where the stored schema is for another pydantic
    assert proc.stderr.strip().splitlines()[-1] == f"{seen} False False {card}"


MODULES = """
import sys
sys.argv = ["zyklus", *sys.argv[1:]]
from zyklus.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""

# What a one-card validate (the pre-commit hook) must not load: other wings, the renderers,
# the worker pool, and importlib's package metadata and resources (issue 21).
NOT_FOR_ONE_CARD = (
    "importlib.metadata",
    "importlib.resources",
    "email",
    "rich",
    "jinja2",
    "openpyxl",
    "multiprocessing",
    "zyklus.cycle",
    "zyklus.money",
    "zyklus.needs",
    "zyklus.report",
    "zyklus.site",
    "zyklus.sheets",
    "zyklus.cli.annotations",
)


def _loaded(*args: str) -> set[str]:
    env = subprocess_env()
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    proc = subprocess.run(
        [sys.executable, "-c", MODULES, *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    return set(proc.stderr.strip().splitlines()[-1].split())


def _under(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_one_card_validate_loads_only_what_it_needs() -> None:
    modules = _loaded("validate", "projects/jobcenter-im-quartier.yaml")
    assert "zyklus.rules.references" in modules  # the probe saw the run
    assert _under(modules, NOT_FOR_ONE_CARD) == []


def test_help_loads_no_pydantic_no_yaml_and_no_core() -> None:
    modules = _loaded("--help")
    assert "zyklus.cli.foundation" in modules
    real = {m for m in modules if m != "pydantic.plugin._loader"}  # the stand-in below
    assert _under(real, ("pydantic", "yaml", "zyklus.files", "zyklus.rules", "zyklus.models")) == []


STAND_IN = """
import os, sys
from zyklus.cli import _no_plugin_loader
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
_no_plugin_loader()
from pydantic.plugin._loader import get_plugins
print(tuple(get_plugins()), "importlib.metadata" in sys.modules)
from pydantic import BaseModel
class A(BaseModel):
    x: int
print(A(x=1).x, "importlib.metadata" in sys.modules)
os.environ["PYDANTIC_DISABLE_PLUGINS"] = ""  # turned on later: the real loader answers
print(type(get_plugins()).__name__, "importlib.metadata" in sys.modules)
import pydantic.plugin._loader as loader
print(loader.PYDANTIC_ENTRY_POINT_GROUP)
"""


def test_the_plugin_loader_stand_in_hands_over_to_the_real_one() -> None:
    """Plugins off: no loader imported, no package metadata; on: pydantic's own loader."""
    proc = subprocess.run(
        [sys.executable, "-c", STAND_IN],
        cwd=REPO,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.splitlines() == ["() False", "1 False", "dict_values True", "pydantic"]


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"]])
def test_the_help_page_without_parameters_is_the_full_one(args: list[str]) -> None:
    """``zyklus --help`` builds no command's options (issue 21) and shows the same page."""
    runner = CliRunner()
    lean = _for_one_command(args[:1])
    assert lean is not app
    full, listed = runner.invoke(app, args), runner.invoke(lean, args)
    assert "validate" in full.output and "record" in full.output
    assert (listed.exit_code, listed.output) == (full.exit_code, full.output)


@pytest.mark.parametrize("group", ["cycle", "record", "data"])
def test_a_group_listed_without_parameters_shows_the_same_page(group: str) -> None:
    runner = CliRunner()
    full = runner.invoke(app, [group, "--help"])
    listed = runner.invoke(_listing(app), [group, "--help"])
    assert full.exit_code == 0 and "Usage" in full.output
    assert listed.output == full.output


def test_version_completion_and_commands_are_not_listed_lean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only the help page is lean: a command, ``--version`` and completion get the real app."""
    assert _for_one_command(["--version"]) is app
    monkeypatch.setenv("_ZYKLUS_COMPLETE", "complete_bash")  # the shell asks, no argument
    assert _for_one_command([]) is app
    lean = _for_one_command(["validate"])
    assert [c.callback for c in lean.registered_commands] == [
        c.callback for c in app.registered_commands if c.callback.__name__ == "validate"
    ]
