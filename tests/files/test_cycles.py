"""Cycle files on disk: the emitter round-trips exactly; writes are atomic and locked."""

from __future__ import annotations

import errno
import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cycle_helpers import build_ws, fresh, full_card
from zyklus import models
from zyklus.errors import LoadError, StateError
from zyklus.files import cycles as state
from zyklus.files.loader import load_text
from zyklus.files.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]

# --- strategies over the cycle-state models ---------------------------------------------------

# Any text a person could type or paste, surrogates excluded (they cannot be UTF-8).
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
TEXT1 = TEXT.filter(bool)
_EDGE = st.sampled_from("an0z9")
IDS = st.sampled_from(["no", "null", "y", "1", "0123", "x"]) | st.builds(
    lambda a, mid, b: a + mid + b, _EDGE, st.text("abz09-", max_size=8), _EDGE
)
SHORT = st.sampled_from(["G1", "G2", "M1", "g_1", "X-y", "Ziel3"])
STATES = st.sampled_from([*models.PHASES, *models.END_STATES])
DATES = st.dates(date(1990, 1, 1), date(2200, 12, 31))
OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
STAMPS = st.builds(
    lambda d, s, us, tz: (
        datetime(d.year, d.month, d.day, tzinfo=tz) + timedelta(seconds=s, microseconds=us)
    ),
    st.dates(date(1990, 1, 1), date(2199, 12, 30)),
    st.integers(0, 86399),
    st.sampled_from([0, 0, 500_000, 123_456]),
    OFFSETS,
)
NUMBERS = st.one_of(
    st.integers(-(10**12), 10**12).map(float),
    st.floats(allow_nan=False, allow_infinity=False),
)
FLAGS = st.booleans()


HISTORY = st.fixed_dictionaries(
    {
        "from": st.none() | STATES,
        "to": STATES,
        "at": STAMPS,
        "by": TEXT1,
        "reason": st.none() | TEXT,
        "forced": FLAGS,
        "unmet": st.lists(TEXT1, max_size=2),
        "illustrative": FLAGS,
    }
).map(models.HistoryEntry.model_validate)
PROJECTS = st.builds(
    models.ProjectState,
    phase=STATES,
    history=st.lists(HISTORY, max_size=2),
    actuals=st.lists(
        st.builds(
            models.Actual,
            goal=SHORT,
            value=NUMBERS,
            date=DATES,
            note=st.none() | TEXT,
            illustrative=FLAGS,
        ),
        max_size=2,
    ),
    not_measured=st.lists(st.builds(models.NotMeasured, goal=SHORT, reason=TEXT1), max_size=1),
    milestones=st.lists(
        st.builds(models.MilestoneDone, id=SHORT, done=DATES, illustrative=FLAGS), max_size=2
    ),
    evaluations=st.lists(  # evaluation rounds (issue 14)
        st.builds(
            models.Evaluation,
            verdict=st.sampled_from(models.VERDICTS),
            summary=TEXT1,
            date=DATES,
            by=TEXT1,
            at=st.none() | STAMPS,
            closed=FLAGS,
            cycle=st.none() | st.integers(1900, 2200),
            illustrative=FLAGS,
        ),
        max_size=2,
    ),
    decisions=st.lists(
        st.builds(
            models.Decision,
            body=IDS,
            decision=st.sampled_from(models.DECISIONS),
            date=DATES,
            ref=TEXT1,
            note=st.none() | TEXT,
            by=TEXT1,
            used=FLAGS,
        ),
        max_size=2,
    ),
)


CYCLES = st.builds(
    models.CycleState,
    cycle=st.integers(1900, 2200),
    previous=st.none() | st.integers(1900, 2200),
    opened=STAMPS,
    note=st.none() | TEXT,
    projects=st.dictionaries(IDS, PROJECTS, max_size=3),
)
HEADERS = st.lists(
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20).map(
        lambda t: "#" + t.rstrip()
    ),
    max_size=3,
)


@pytest.mark.parametrize("value", [0.125, 1.125, -12.5, 123.456, 1.5e-07])
def test_a_number_that_looks_like_german_thousands_is_written_so_it_reads_back(
    value: float,
) -> None:
    """0.125 as written would read back as the ambiguous ``12.500`` kind (found by hypothesis)."""
    written = state.scalar(value)
    assert load_text(f"x: {written}\n", "x.yaml").data["x"] == value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CYCLES, HEADERS)
def test_the_emitter_round_trips_exactly(cycle: models.CycleState, header: list[str]) -> None:
    text = state.dump_cycle(cycle, header)
    for pure in (False, True):  # libyaml and the pure-Python parser read it alike
        doc = load_text(text, "cycles/x.yaml", pure=pure)
        assert models.CycleState.model_validate(doc.data) == cycle
    assert state.leading_comments(text) == header
    again = state.parse_cycle(text, "x")
    assert state.dump_cycle(again, state.leading_comments(text)) == text  # a fixed point


@pytest.mark.parametrize(
    "text",
    ["no", "on", "y", "null", "~", "1:30", "01234", "12.500", "1,5", "2024-01-01", "- a",
     "# x", "a: b", "'", '"', "\\", "\t", "\n", "\u2028", "\x85", "\ufeff", "\x7f", "*a", "&a",
     "!tag", "%", "@", "`", "{", "[", "|", ">", "ä „ö“"],
)  # fmt: skip
def test_yaml_traps_stay_text(text: str) -> None:
    cycle = models.CycleState(cycle=2027, opened=datetime(2027, 1, 1, tzinfo=UTC), note=text)
    assert state.parse_cycle(state.dump_cycle(cycle), "x").note == text


def test_layout_is_stable_and_sorted() -> None:
    at = datetime(2027, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    entry = models.HistoryEntry.model_validate(
        {"from": "planning", "to": "implementation", "at": at, "by": "K", "unmet": ["G-BUDGET"]}
    )
    cycle = models.CycleState(
        cycle=2027,
        previous=2024,
        opened=at,
        projects={
            "zeta": models.ProjectState(phase="planning"),
            "alpha": models.ProjectState(
                phase="implementation",
                history=[entry],
                actuals=[models.Actual(goal="G1", value=12.5, date=date(2027, 5, 31))],
            ),
            "no": models.ProjectState(phase="analysis"),
        },
    )
    assert state.dump_cycle(cycle, ["# Hand-written note"]) == (
        f"{state.HEADER}\n"
        "# Hand-written note\n"
        "cycle: 2027\n"
        "previous: 2024\n"
        "opened: 2027-03-01T10:00:00+01:00\n"
        "projects:\n"
        "  alpha:\n"
        '    phase: "implementation"\n'
        "    history:\n"
        '      - from: "planning"\n'
        '        to: "implementation"\n'
        "        at: 2027-03-01T10:00:00+01:00\n"
        '        by: "K"\n'
        '        unmet: ["G-BUDGET"]\n'
        "    actuals:\n"
        '      - goal: "G1"\n'
        "        value: 12.5\n"
        "        date: 2027-05-31\n"
        '  "no":\n'
        '    phase: "analysis"\n'
        "  zeta:\n"
        '    phase: "planning"\n'
    )


def test_odd_values_are_refused_rather_than_written() -> None:
    at = datetime(2027, 1, 1, tzinfo=UTC)
    bad = models.CycleState(
        cycle=2027,
        opened=at,
        projects={
            "a": models.ProjectState(
                phase="planning",
                actuals=[models.Actual(goal="G1", value=float("inf"), date=date(2027, 1, 1))],
            )
        },
    )
    with pytest.raises(ValueError, match="finite"):
        state.dump_cycle(bad)


def test_leading_comments_are_kept_and_the_marker_not_doubled() -> None:
    text = "# Notiz\n#\n# zweite Zeile\n\ncycle: 2027\n# inner comment\nopened: x\n"
    assert state.leading_comments(text) == ["# Notiz", "#", "# zweite Zeile"]
    again = f"{state.HEADER}\n# Notiz\ncycle: 2027\n"
    assert state.leading_comments(again) == ["# Notiz"]


def test_the_example_cycles_are_in_the_tools_own_format() -> None:
    for path in sorted((REPO / "cycles").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = state.parse_cycle(text, path.name)
        assert state.dump_cycle(parsed, state.leading_comments(text)) == text, path.name


# --- atomic, locked writes ----------------------------------------------------------------------


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(tmp_path, {"full": full_card()}, {"full": "analysis"})


def _touch(cycle: models.CycleState) -> models.CycleState:
    return cycle.model_copy(update={"note": "geändert"})


def _leftovers(ws: Workspace) -> list[str]:
    return sorted(p.name for p in (ws.root / "cycles").iterdir() if p.name.endswith(".tmp"))


def test_update_writes_atomically_and_keeps_the_header(ws: Workspace) -> None:
    path = ws.cycle_path(2027)
    path.write_text("# Notiz von Hand\n" + path.read_text())
    result = state.update_cycle(ws, 2027, _touch)
    assert result.note == "geändert"
    text = path.read_text()
    assert text.startswith(f"{state.HEADER}\n# Notiz von Hand\ncycle: 2027\n")
    assert state.read_cycle(fresh(ws), 2027) == result
    assert _leftovers(ws) == []
    assert (ws.root / "cycles/.2027.yaml.lock").name == state.lock_path(ws, 2027).name


def test_a_killed_writers_temporary_file_is_removed_under_the_lock(ws: Workspace) -> None:
    stale = ws.root / "cycles" / ".2027.yaml.abc123.tmp"
    stale.write_text("cycle: 20")
    other = ws.root / "cycles" / ".2024.yaml.abc123.tmp"
    other.write_text("x")
    state.update_cycle(ws, 2027, _touch)
    assert not stale.exists()
    assert other.exists()  # another cycle's lock guards that one


def test_an_unchanged_state_is_not_rewritten(ws: Workspace) -> None:
    path = ws.cycle_path(2027)
    before = path.read_bytes()
    state.update_cycle(ws, 2027, lambda c: c)
    assert path.read_bytes() == before  # hand-written layout untouched


def test_a_change_that_would_not_read_back_is_never_written(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runtime round-trip check covers the changed project (only it is re-read)."""
    path = ws.cycle_path(2027)
    before = path.read_bytes()
    real = state.quote
    monkeypatch.setattr(state, "quote", lambda text: real(text.replace("Reflexion", "")))

    def note(cycle: models.CycleState) -> models.CycleState:
        actual = models.Actual(
            goal="G1", value=1.0, date=date(2025, 1, 1), note="Reflexion nach drei Monaten"
        )
        changed = cycle.projects["full"].model_copy(update={"actuals": [actual]})
        return cycle.model_copy(update={"projects": {**cycle.projects, "full": changed}})

    with pytest.raises(RuntimeError, match="would not read back"):
        state.update_cycle(ws, 2027, note)
    assert path.read_bytes() == before
    assert _leftovers(ws) == []


@pytest.mark.parametrize("step", ["dump", "write", "fsync", "chmod", "replace"])
def test_a_failing_write_leaves_the_old_file_and_no_temporary_file(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = ws.cycle_path(2027)
    before = path.read_bytes()
    full = OSError(errno.ENOSPC, "No space left on device")

    def fail(*args: object, **kwargs: object) -> None:
        raise full

    if step == "dump":
        monkeypatch.setattr(state, "dump_cycle", fail)
    elif step == "write":
        real_fdopen = os.fdopen

        class Broken:
            def __init__(self, stream: Any) -> None:
                self.stream = stream

            def __enter__(self) -> Broken:
                return self

            def __exit__(self, *exc: object) -> None:
                self.stream.close()

            def write(self, data: bytes) -> None:
                self.stream.write(data[:10])
                raise full

        def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            stream = real_fdopen(fd, mode, *args, **kwargs)
            return Broken(stream) if mode == "wb" else stream

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif step == "fsync":
        monkeypatch.setattr(os, "fsync", fail)
    elif step == "chmod":
        monkeypatch.setattr(Path, "chmod", fail)
    else:
        monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError) as caught:
        state.update_cycle(ws, 2027, _touch)
    assert caught.value is full
    assert path.read_bytes() == before
    assert _leftovers(ws) == []


def test_a_failing_change_writes_nothing(ws: Workspace) -> None:
    before = ws.cycle_path(2027).read_bytes()

    def refuse(cycle: models.CycleState) -> models.CycleState:
        raise StateError.single("CY-SAME-PHASE", phase="x")

    with pytest.raises(StateError):
        state.update_cycle(ws, 2027, refuse)
    assert ws.cycle_path(2027).read_bytes() == before
    assert _leftovers(ws) == []


def test_a_hand_broken_file_is_reported_and_never_overwritten(ws: Workspace) -> None:
    path = ws.cycle_path(2027)
    broken = path.read_text().replace("phase: analysis", "phase: analyse")
    path.write_text(broken)
    with pytest.raises(LoadError) as caught:
        state.update_cycle(ws, 2027, _touch)
    problem = caught.value.problems[0]
    assert (problem.code, problem.path, problem.line) == ("S-CHOICE", "cycles/2027.yaml", 6)
    assert path.read_text() == broken


def test_a_file_named_for_another_year_is_refused(ws: Workspace) -> None:
    path = ws.cycle_path(2027)
    text = path.read_text().replace("cycle: 2027", "cycle: 2028")
    path.write_text(text)
    with pytest.raises(StateError) as caught:
        state.update_cycle(ws, 2027, _touch)
    assert caught.value.problems[0].code == "CY-YEAR-MISMATCH"
    assert path.read_text() == text


def test_a_held_lock_gives_a_clear_message(ws: Workspace) -> None:
    from filelock import FileLock

    before = ws.cycle_path(2027).read_bytes()
    with FileLock(str(state.lock_path(ws, 2027))), pytest.raises(StateError) as caught:
        state.update_cycle(ws, 2027, _touch, timeout=0.2)
    problem = caught.value.problems[0]
    assert (problem.code, problem.path, problem.params) == (
        "CY-LOCKED",
        "cycles/.2027.yaml.lock",
        {"seconds": 0.2},
    )
    assert ws.cycle_path(2027).read_bytes() == before


def test_a_missing_cycle_names_the_command_that_opens_it(tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {}, None)
    with pytest.raises(StateError) as caught:
        state.update_cycle(ws, 2027, _touch)
    assert caught.value.problems[0].code == "CY-NO-CYCLE"
    assert "zyklus cycle start 2027" in caught.value.problems[0].message("en")


def test_the_lock_file_is_ignored_by_git() -> None:
    ignore = (REPO / ".gitignore").read_text().splitlines()
    assert "cycles/.*.yaml.lock" in ignore


def test_file_mode_is_kept(ws: Workspace) -> None:
    path = ws.cycle_path(2027)
    path.chmod(0o640)
    state.update_cycle(ws, 2027, _touch)
    assert path.stat().st_mode & 0o777 == 0o640
