"""Fuzzing ``zyklus validate`` with mutations of the real Bochum cards and cycle files (issue 8).

Seeds are the example workspace's own files. Byte mutations (flips, truncations, inserted
YAML tokens, dropped, doubled and swapped lines) exercise the loader; structural mutations
(swapped and renamed keys, values of the wrong type) exercise the models and cross-checks.
Whatever comes out, ``validate`` ends with exit 0 or 1, every line on stderr is a located
problem (``path[:line[:col]]: CODE message``) or the summary, and no case takes long
(hypothesis' deadline).

About 1 600 examples run by default (well under a minute); set ``ZYKLUS_FUZZ_EXAMPLES`` for
more, e.g. ``ZYKLUS_FUZZ_EXAMPLES=50000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import collections
import copy
import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import REPO
from zyklus.cli import app
from zyklus.files import loader

TOTAL = int(os.environ.get("ZYKLUS_FUZZ_EXAMPLES", "1600"))
SHARE = {"card-bytes": 0.35, "cycle-bytes": 0.2, "card-structure": 0.3, "cycle-structure": 0.15}
DEADLINE = dt.timedelta(seconds=5)
PROBLEM_LINE = re.compile(r"^[^:\n]+(:\d+(:\d+)?)?: [A-Z][A-Z0-9]*(-[A-Z0-9]+)+ \S")
SUMMARY_LINE = re.compile(r"^\d+ (files? checked|Dateie?n? geprüft): \d+ (errors?|Fehler), \d+ ")

CODE_IN_LINE = re.compile(r": ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+) ")
OUTCOMES: collections.Counter[str] = collections.Counter()
CODES: collections.Counter[str] = collections.Counter()

CARD_SEEDS = sorted(p.name for p in (REPO / "projects").glob("*.yaml"))
CYCLE_SEEDS = sorted(p.name for p in (REPO / "cycles").glob("*.yaml"))

# What a careless or hostile edit brings in: YAML syntax, traps, odd bytes.
TOKENS = [
    b"- ",
    b": ",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"&a ",
    b"*a",
    b"!!python/object/apply:os.system ",
    b"!x ",
    b"<<: ",
    b"\n---\n",
    b"\n...\n",
    b"\t",
    b"\x00",
    b"\xff",
    b"\xe4",
    b"\xef\xbb\xbf",
    b"'",
    b'"',
    b"#",
    b"|",
    b">-",
    b"? ",
    b"%YAML 1.1\n",
    b"12.500",
    b"1,5",
    b"2025-02-30",
    b"31.12.2023",
    b"1:30",
    b"no",
    b"01234",
    b"9" * 40,
    b"\\u00e4",
    b"\r\n",
    "„Über“".encode(),
]
VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    12.5,
    10**40,
    "12.500",
    "1,5",
    "31.12.2023",
    "2025-02-30",
    dt.date(2025, 3, 1),
    dt.datetime(2027, 1, 15, 10, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 1, 15, 10, 0),
    "",
    "no",
    "01234",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "x" * 2000,
    [],
    {},
    ["querenburg"],
    {"de": "Text", "en": "text"},
    {"value": "12.500", "date": "31.12.2023"},
    [[[[["tief"]]]]],
]


def examples(kind: str) -> int:
    return max(10, int(TOTAL * SHARE[kind]))


def fuzz_settings(kind: str) -> settings:
    return settings(
        max_examples=examples(kind),
        deadline=DEADLINE,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- the workspace and the runner -----------------------------------------------------------


@pytest.fixture(scope="module")
def bochum(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example workspace; each example replaces one file and puts it back."""
    root = tmp_path_factory.mktemp("bochum")
    shutil.copy2(REPO / "zyklus.yaml", root / "zyklus.yaml")
    for folder in ("data", "offers", "projects", "cycles"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def runner() -> Iterator[CliRunner]:
    """Typer builds the click command on every invoke (~0.1 s); build it once here."""
    command = typer.main.get_command(app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", lambda _app: command)
        yield CliRunner()


def validate_with(runner: CliRunner, ws: Path, relative: str, content: bytes) -> None:
    """Put ``content`` in place of ``relative``, run validate on it, check the outcome."""
    path = ws / relative
    original = path.read_bytes()
    path.write_bytes(content)
    try:
        result = runner.invoke(
            app, ["validate", "--lang", "en", "-C", str(ws), str(path)], catch_exceptions=False
        )
    finally:
        path.write_bytes(original)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    OUTCOMES[f"exit {result.exit_code}"] += 1
    CODES.update({m.group(1) for m in map(CODE_IN_LINE.search, lines) if m})
    for line in lines:
        assert PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line), line
    if result.exit_code == 1:
        assert any(line.startswith(relative) for line in lines), lines
    else:
        assert SUMMARY_LINE.match(result.stdout), result.stdout


# --- byte mutations ---------------------------------------------------------------------------


@st.composite
def mutated_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 4))):
        size = len(raw)
        at = draw(st.integers(0, max(size - 1, 0)))
        op = draw(
            st.sampled_from(["flip", "bit", "truncate", "insert", "delete", "double", "swap"])
        )
        if op == "flip" and size:
            raw = raw[:at] + bytes([draw(st.integers(0, 255))]) + raw[at + 1 :]
        elif op == "bit" and size:
            raw = raw[:at] + bytes([raw[at] ^ (1 << draw(st.integers(0, 7)))]) + raw[at + 1 :]
        elif op == "truncate":
            raw = raw[:at]
        elif op == "insert":
            raw = raw[:at] + draw(st.sampled_from(TOKENS)) + raw[at:]
        elif op == "delete":
            raw = raw[:at] + raw[at + draw(st.integers(1, 40)) :]
        else:
            lines = raw.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "double":  # a doubled line is a duplicate key, mostly
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            raw = b"\n".join(lines)
    return raw


@pytest.mark.slow
@fuzz_settings("card-bytes")
@given(data=st.data(), seed=st.sampled_from(CARD_SEEDS))
def test_mutated_card_bytes(runner: CliRunner, bochum: Path, data: Any, seed: str) -> None:
    relative = f"projects/{seed}"
    raw = data.draw(mutated_bytes((REPO / relative).read_bytes()))
    validate_with(runner, bochum, relative, raw)


@pytest.mark.slow
@fuzz_settings("cycle-bytes")
@given(data=st.data(), seed=st.sampled_from(CYCLE_SEEDS))
def test_mutated_cycle_bytes(runner: CliRunner, bochum: Path, data: Any, seed: str) -> None:
    relative = f"cycles/{seed}"
    raw = data.draw(mutated_bytes((REPO / relative).read_bytes()))
    validate_with(runner, bochum, relative, raw)


# --- structural mutations ----------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in ``node`` (mappings and lists), parents before children."""
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_structure(draw: st.DrawFn, data: Any) -> str:
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["key-swap", "key-rename", "type-swap", "drop", "copy"]))
        if not path:
            if op == "type-swap":
                data = copy.deepcopy(draw(st.sampled_from(VALUES)))  # VALUES stays as it is
            continue
        parent = _get(data, path[:-1])
        last = path[-1]
        if op == "type-swap":
            parent[last] = copy.deepcopy(draw(st.sampled_from(VALUES)))  # VALUES stays as it is
        elif op == "drop":
            del parent[last]
        elif op == "copy" and isinstance(parent, list):
            parent.append(parent[last])
        elif isinstance(parent, dict):
            keys = list(parent)
            other = draw(st.sampled_from(keys))
            if op == "key-swap":
                parent[last], parent[other] = parent[other], parent[last]
            elif op == "key-rename":
                new = draw(
                    st.sampled_from([last[:-1] or "x", last + "s", other, "<<", "1", "no", ""])
                    if isinstance(last, str)
                    else st.just("x")
                )
                parent[new] = parent.pop(last)
    flow = draw(st.booleans())
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow)


def _seed_data(relative: str) -> Any:
    return loader.load_file(REPO / relative, relative).data


@pytest.mark.slow
@fuzz_settings("card-structure")
@given(data=st.data(), seed=st.sampled_from(CARD_SEEDS))
def test_mutated_card_structure(runner: CliRunner, bochum: Path, data: Any, seed: str) -> None:
    relative = f"projects/{seed}"
    text = data.draw(mutated_structure(_seed_data(relative)))
    validate_with(runner, bochum, relative, text.encode("utf-8"))


@pytest.mark.slow
@fuzz_settings("cycle-structure")
@given(data=st.data(), seed=st.sampled_from(CYCLE_SEEDS))
def test_mutated_cycle_structure(runner: CliRunner, bochum: Path, data: Any, seed: str) -> None:
    relative = f"cycles/{seed}"
    text = data.draw(mutated_structure(_seed_data(relative)))
    validate_with(runner, bochum, relative, text.encode("utf-8"))


# --- the seeds themselves ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "relative", [f"projects/{s}" for s in CARD_SEEDS] + [f"cycles/{s}" for s in CYCLE_SEEDS]
)
def test_seeds_are_valid(runner: CliRunner, bochum: Path, relative: str) -> None:
    """Mutations start from valid files, so every refusal is the mutation's doing."""
    result = runner.invoke(
        app, ["validate", "--lang", "en", "-C", str(bochum), str(bochum / relative)]
    )
    assert result.exit_code == 0, result.stderr


def test_there_are_seeds() -> None:
    assert len(CARD_SEEDS) >= 3 and len(CYCLE_SEEDS) >= 1


def test_fuzzing_reached_both_outcomes_and_many_codes() -> None:
    """Guards the fuzzer itself: mutations that never break anything would prove nothing."""
    if not OUTCOMES:
        pytest.skip("run together with the fuzz tests above")
    print(f"fuzz outcomes: {dict(OUTCOMES)}; codes: {dict(CODES.most_common())}")  # pytest -s
    assert OUTCOMES["exit 0"] > 0 and OUTCOMES["exit 1"] > 0
    assert len(CODES) >= 10, CODES
