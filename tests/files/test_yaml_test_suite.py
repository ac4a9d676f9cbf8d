"""The whole yaml-test-suite through zyklus's loader, with both parsers (issue 8).

The suite (``../shared/yaml-test-suite`` next to the repository: one folder per case with ``in.yaml``, an
``error`` file for invalid YAML, numbered subfolders for variants) holds every corner of
the YAML grammar. Whatever a case holds, zyklus either loads it or refuses it with its own
located :class:`~zyklus.errors.LoadError`: never another exception, never a hang.

libyaml and PyYAML's pure-Python parser differ on some grammar corners (tabs, flow
indentation, comments in odd places): there one refuses with ``Y-SYNTAX`` what the other
reads. Everything zyklus decides itself — tags, duplicate keys, merge keys, several
documents, complex keys — is decided identically: when neither parser has a syntax error,
both outcomes are the same, down to line and column.
"""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from helpers import SHARED
from zyklus.errors import LoadError
from zyklus.files import loader

SUITE = SHARED / "yaml-test-suite"
CASES = sorted(p.parent for p in SUITE.rglob("in.yaml")) if SUITE.is_dir() else []
PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]
OWN_CODES = {
    "Y-SYNTAX",
    "Y-TAG",
    "Y-MULTIDOC",
    "Y-KEY-TYPE",
    "Y-DUPKEY",
    "Y-MERGE",
    "Y-ALIASES",
    "Y-DEPTH",
    "Y-DATE",
    "Y-NUMBER-TOO-LONG",
    "Y-ENCODING",
}


def test_the_suite_is_there() -> None:
    """Missing data is a failure in CI, not a silent skip of 800 tests (issue 12)."""
    assert len(CASES) > 300, f"yaml-test-suite not found at {SUITE} (../shared/yaml-test-suite)"


def case_id(case: Path) -> str:
    return case.relative_to(SUITE).as_posix()


def outcome(case: Path, *, pure: bool) -> tuple[Any, ...]:
    """("ok", data) or (code, line, col); any other exception propagates and fails."""
    try:
        return ("ok", loader.load_file(case / "in.yaml", case_id(case), pure=pure).data)
    except LoadError as exc:
        (problem,) = exc.problems
        assert problem.code in OWN_CODES, problem
        assert problem.line is not None and problem.line >= 1, problem
        assert problem.col is not None and problem.col >= 1, problem
        assert problem.path == case_id(case)
        return (problem.code, problem.line, problem.col)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_case_loads_or_is_refused_with_a_located_problem(case: Path, pure: bool) -> None:
    result = outcome(case, pure=pure)
    if result[0] == "ok":
        rendered = repr(result[1])
        assert len(rendered) < 100_000  # nothing blew up on the way
    else:
        text = (case / "in.yaml").read_text(encoding="utf-8", errors="replace")
        assert result[1] <= text.count("\n") + 1


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_parsers_agree_where_both_accept_the_syntax(case: Path) -> None:
    with_libyaml, pure = outcome(case, pure=False), outcome(case, pure=True)
    if "Y-SYNTAX" not in (with_libyaml[0], pure[0]):
        assert with_libyaml == pure


def test_suite_summary() -> None:
    """Counts per outcome (docs/reliability.md quotes them); every case is accounted for."""
    counts: dict[str, collections.Counter[str]] = {
        "libyaml": collections.Counter(),
        "pure": collections.Counter(),
    }
    invalid_accepted = collections.Counter[str]()
    diverging = 0
    for case in CASES:
        results = {name: outcome(case, pure=name == "pure") for name in counts}
        for name, result in results.items():
            counts[name][result[0]] += 1
            if (case / "error").exists() and result[0] == "ok":
                invalid_accepted[name] += 1
        diverging += results["libyaml"][0] != results["pure"][0]
    for name, counter in counts.items():
        assert sum(counter.values()) == len(CASES)
        print(f"{name}: {dict(counter)}; invalid cases read: {invalid_accepted[name]}")
    print(f"cases: {len(CASES)}; outcome differs between parsers: {diverging}")  # pytest -s
    assert len(CASES) >= 300
    # the suite exercises what zyklus refuses on purpose
    for code in ("Y-TAG", "Y-MULTIDOC", "Y-KEY-TYPE"):
        assert counts["libyaml"][code] > 0 and counts["pure"][code] > 0
    # and most of it is refused by policy or syntax, yet a good share loads
    assert counts["libyaml"]["ok"] > len(CASES) // 3


def built(case: Path, *, pure: bool, record: bool) -> tuple[Any, ...]:
    """("ok", data) or the one problem, from the loop that records marks or the one that not."""
    text = (case / "in.yaml").read_bytes().decode("utf-8", errors="replace")
    try:
        return ("ok", loader._Builder("in.yaml", record=record).run(text, pure=pure))
    except LoadError as exc:
        (problem,) = exc.problems
        return (problem.code, problem.line, problem.col, problem.params)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_the_loop_without_marks_decides_as_the_one_with(case: Path, pure: bool) -> None:
    """Every file goes through the loop without marks (issue 21); problems are located by
    the one with marks: both give the same data and the same problem, wherever it is."""
    assert built(case, pure=pure, record=False) == built(case, pure=pure, record=True)
