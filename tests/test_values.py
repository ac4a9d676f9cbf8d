"""The models' value checks without pydantic (issue 21): pydantic's own steps, restated."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic._internal import _validators
from pydantic_core import PydanticKnownError

from zyklus import values

STEPS = [
    (values.min_length, _validators.min_length_validator, "min_length"),
    (values.max_length, _validators.max_length_validator, "max_length"),
    (values.at_least, _validators.greater_than_or_equal_validator, "ge"),
    (values.at_most, _validators.less_than_or_equal_validator, "le"),
]


def _outcome(step: Any, value: Any, **bound: Any) -> tuple[str, Any]:
    try:
        return "ok", step(value, **bound)
    except PydanticKnownError as exc:
        return exc.type, (exc.message(), exc.context)
    except TypeError as exc:
        return "TypeError", str(exc)


@pytest.mark.parametrize(("ours", "theirs", "name"), STEPS, ids=[s[2] for s in STEPS])
@given(
    value=st.one_of(st.text(max_size=5), st.lists(st.none(), max_size=5), st.integers(-5, 5)),
    bound=st.integers(0, 4),
)
def test_the_steps_fail_as_pydantics(
    ours: Any, theirs: Any, name: str, value: Any, bound: int
) -> None:
    assert _outcome(ours, value, **{name: bound}) == _outcome(theirs, value, **{name: bound})


def test_the_pattern_step_hands_the_value_on() -> None:
    assert values.constraint_step("x", lambda v: v + "!") == "x!"


def test_default_marks_are_fresh_lists() -> None:
    assert values.suppressed_marks() == [".", "*"]
    assert values.missing_marks() is not values.missing_marks()
