"""The oldest releases pyproject.toml declares, as pip constraints, and a check of them.

    python .ci/lower_bounds.py > constraints.txt     every ``>=X`` of [project] dependencies
                                                     as ``name==X``
    python .ci/lower_bounds.py --check               exit 1 unless each of them is installed
                                                     at exactly that release

``.ci/run``'s second stage installs the project with these constraints (dev tools stay
newest unless they conflict) and runs the full test suite there. A dependency without a
``>=`` has no lower bound to test and is refused, so that a new dependency cannot slip
past the oldest stage.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_LOWER = re.compile(r">=\s*([0-9][0-9A-Za-z.+!-]*)")


def lower_bounds(pyproject: Path) -> dict[str, str]:
    """``{name: oldest release}`` for every runtime dependency; ValueError without ``>=``."""
    with pyproject.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    bounds: dict[str, str] = {}
    for requirement in dependencies:
        spec = requirement.split(";", 1)[0]
        match = _REQUIREMENT.match(spec)
        lower = _LOWER.search(match.group(2)) if match else None
        if match is None or lower is None:
            raise ValueError(f"{requirement!r} declares no lower bound (>=X) to test")
        bounds[match.group(1).lower()] = lower.group(1)
    return bounds


def _release(text: str) -> tuple[int | str, ...]:
    """``2.6`` and ``2.6.0`` are one release (PEP 440 pads with zeros)."""
    parts: list[int | str] = [int(p) if p.isdigit() else p for p in text.split(".")]
    while parts and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def main(argv: list[str]) -> int:
    bounds = lower_bounds(Path(__file__).resolve().parent.parent / "pyproject.toml")
    if argv[1:] == ["--check"]:
        wrong = []
        for name, oldest in bounds.items():
            try:
                installed = version(name)
            except PackageNotFoundError:
                installed = "nothing"
            if _release(installed) != _release(oldest):
                wrong.append(f"{name}: {installed} installed, {oldest} declared as oldest")
        for line in wrong:
            print(f"ci: {line}", file=sys.stderr)
        return 1 if wrong else 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    for name, oldest in bounds.items():
        print(f"{name}=={oldest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
