"""Three-way merge of cycle files per project (issue 19)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zyklus.errors import LoadError
from zyklus.files.cycles import parse_cycle
from zyklus.files.merge import merge_cycle_texts

HEAD = "cycle: 2027\nopened: 2027-01-11T09:00:00+01:00\n"


def cycle(projects: dict[str, str], extra: dict[str, list[str]] | None = None) -> str:
    """A cycle file as zyklus writes it: ``projects`` id → phase, ``extra`` id → lines."""
    lines = [HEAD.rstrip("\n"), "projects:" if projects else "projects: {}"]
    for pid in sorted(projects):
        lines += [f"  {pid}:", f'    phase: "{projects[pid]}"']
        lines += [f"    {line}" for line in (extra or {}).get(pid, [])]
    return "\n".join(lines) + "\n"


def actual(goal: str, value: int) -> list[str]:
    return [f'  - goal: "{goal}"', f"    value: {value}", "    date: 2027-05-01"]


def test_two_new_projects_with_adjacent_ids_merge_without_conflict() -> None:
    base = cycle({"a": "analysis"})
    ours = cycle({"a": "analysis", "b-1": "analysis"})
    theirs = cycle({"a": "analysis", "b-2": "analysis"})
    result = merge_cycle_texts(base, ours, theirs, "cycles/2027.yaml")
    assert result.clean
    assert sorted(parse_cycle(result.text, "x").projects) == ["a", "b-1", "b-2"]


def test_moves_of_different_projects_are_both_kept() -> None:
    base = cycle({"a": "analysis", "b": "analysis"})
    ours = cycle({"a": "needs", "b": "analysis"})
    theirs = cycle({"a": "analysis", "b": "goals"})
    result = merge_cycle_texts(base, ours, theirs, "c")
    state = parse_cycle(result.text, "x")
    assert result.clean
    assert (state.projects["a"].phase, state.projects["b"].phase) == ("needs", "goals")


def test_records_added_on_both_sides_to_one_project_are_unioned() -> None:
    base = cycle({"a": "implementation"})
    ours = cycle({"a": "implementation"}, {"a": ["actuals:", *actual("G1", 3)]})
    theirs = cycle({"a": "implementation"}, {"a": ["actuals:", *actual("G2", 5)]})
    result = merge_cycle_texts(base, ours, theirs, "c")
    assert result.clean
    goals = [a.goal for a in parse_cycle(result.text, "x").projects["a"].actuals]
    assert goals == ["G1", "G2"]


def test_a_real_conflict_stays_inside_the_block_of_its_project() -> None:
    base = cycle({"a": "analysis", "b": "analysis", "c": "analysis"})
    ours = cycle({"a": "needs", "b": "needs", "c": "analysis"})
    theirs = cycle({"a": "analysis", "b": "stopped", "c": "goals"})
    result = merge_cycle_texts(base, ours, theirs, "c")
    assert result.conflicts == ("b",)
    lines = result.text.splitlines()
    start, end = lines.index("<<<<<<< ours"), lines.index(">>>>>>> theirs")
    assert lines[start - 1] == "  b:"  # the key line stays outside the markers
    assert lines[start + 1 : end] == ['    phase: "needs"', "=======", '    phase: "stopped"']
    assert '    phase: "needs"' in lines[: start - 1]  # a merged cleanly, before b
    assert '    phase: "goals"' in lines[end:]  # c merged cleanly, after b


def test_removed_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    base = cycle({"a": "analysis", "b": "analysis"})
    ours = cycle({"a": "analysis"})
    theirs = cycle({"a": "analysis", "b": "needs"})
    result = merge_cycle_texts(base, ours, theirs, "c")
    assert result.conflicts == ("b",)
    assert '<<<<<<< ours\n=======\n  b:\n    phase: "needs"\n>>>>>>> theirs\n' in result.text


def test_a_file_added_on_both_sides_merges_from_an_empty_base() -> None:
    result = merge_cycle_texts("", cycle({"a": "analysis"}), cycle({"b": "analysis"}), "c")
    assert result.clean
    assert sorted(parse_cycle(result.text, "x").projects) == ["a", "b"]


def test_comments_at_the_top_are_kept_from_both_sides() -> None:
    base = cycle({"a": "analysis"})
    result = merge_cycle_texts(base, "# ours\n" + base, "# theirs\n" + base, "c")
    assert result.text.splitlines()[1:3] == ["# ours", "# theirs"]


def test_an_invalid_side_is_reported_not_guessed() -> None:
    with pytest.raises(LoadError):
        merge_cycle_texts(cycle({}), "cycle: [", cycle({}), "c")


PHASES = st.sampled_from(["analysis", "needs", "goals", "planning"])
IDS = st.sampled_from(["a", "a-1", "b", "b-1", "c"])


@settings(max_examples=150, deadline=None)
@given(
    base=st.dictionaries(IDS, PHASES, max_size=5),
    ours=st.dictionaries(IDS, PHASES, max_size=5),
    theirs=st.dictionaries(IDS, PHASES, max_size=5),
)
def test_nothing_either_side_changed_alone_is_lost(
    base: dict[str, str], ours: dict[str, str], theirs: dict[str, str]
) -> None:
    """Whatever only one side changed is in the result; both sides' agreement too."""
    result = merge_cycle_texts(cycle(base), cycle(ours), cycle(theirs), "c")
    for pid in {*base, *ours, *theirs} - set(result.conflicts):
        expected = ours.get(pid) if ours.get(pid) != base.get(pid) else theirs.get(pid)
        if result.clean:
            got = parse_cycle(result.text, "x").projects.get(pid)
            assert (got.phase if got else None) == expected
        else:
            assert (f'  {pid}:\n    phase: "{expected}"' in result.text) == (expected is not None)
