"""Schema problems carry the exact line, column and key path of the mistake (issue 3).

pydantic knows *which* key is wrong; :mod:`zyklus.files.located` adds *where* it stands, with
either parser, and says what was expected in words a planner understands.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from zyklus import models
from zyklus.errors import LoadError, Problem
from zyklus.files import loader
from zyklus.files.located import validate_document

PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]
HEAD = """\
id: jobcenter-im-quartier
title: Jobcenter im Quartier
areas: [querenburg]
target_groups: [langzeitarbeitslose]
"""


def problems(text: str, *, pure: bool, model: type[BaseModel] = models.Card) -> list[Problem]:
    doc = loader.load_text(text, "projects/x.yaml", pure=pure)
    with pytest.raises(LoadError) as info:
        validate_document(doc, model)
    return info.value.problems


def located(problem: Problem) -> tuple[Any, ...]:
    return (problem.code, problem.line, problem.col, problem.key_path)


@pytest.mark.parametrize("pure", PARSERS)
def test_unknown_key_suggests_the_right_one(pure: bool) -> None:
    (problem,) = problems(HEAD + "milestone:\n  - {id: M1, title: Start}\n", pure=pure)
    assert located(problem) == ("S-UNKNOWN-KEY-HINT", 5, 1, ("milestone",))
    assert dict(problem.params) == {"key": "milestone", "hint": "milestones"}
    assert problem.render("en") == (
        "projects/x.yaml:5:1: S-UNKNOWN-KEY-HINT unknown key 'milestone' – "
        "did you mean 'milestones'? (at milestone)"
    )
    assert "meinten Sie „milestones“?" in problem.render("de")


@pytest.mark.parametrize("pure", PARSERS)
def test_unknown_nested_key_suggests_from_the_nested_model(pure: bool) -> None:
    text = HEAD + "resources:\n  staff_fte: 0.5\n  budget: 1000\n"
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-UNKNOWN-KEY-HINT", 7, 3, ("resources", "budget"))
    assert problem.params["hint"] == "budget_eur"


@pytest.mark.parametrize("pure", PARSERS)
def test_unknown_key_without_a_close_match_lists_the_allowed_keys(pure: bool) -> None:
    (problem,) = problems(HEAD + "zzz: 1\n", pure=pure)
    assert located(problem) == ("S-UNKNOWN-KEY", 5, 1, ("zzz",))
    assert "milestones" in problem.params["allowed"]


@pytest.mark.parametrize("pure", PARSERS)
def test_list_where_a_string_belongs(pure: bool) -> None:
    text = HEAD.replace("title: Jobcenter im Quartier", "title: [Jobcenter, im Quartier]")
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-TYPE", 2, 8, ("title",))
    assert problem.message("en") == "expected text, found list"


@pytest.mark.parametrize("pure", PARSERS)
def test_yes_where_a_list_belongs(pure: bool) -> None:
    """``areas: yes`` is the text 'yes' (not true), and text is not a list."""
    text = HEAD.replace("areas: [querenburg]", "areas: yes")
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-TYPE-LIST", 3, 8, ("areas",))
    assert problem.message("en") == "expected a list, found 'yes'; write it as a list: [yes]"


@pytest.mark.parametrize("pure", PARSERS)
def test_number_where_a_title_belongs(pure: bool) -> None:
    text = HEAD.replace("title: Jobcenter im Quartier", "title: 2025")
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-TYPE", 2, 8, ("title",))
    assert problem.message("en") == "expected text, found whole number"
    assert problem.message("de") == "erwartet Text, gefunden ganze Zahl"


@pytest.mark.parametrize("pure", PARSERS)
def test_missing_key_points_at_the_mapping_that_should_hold_it(pure: bool) -> None:
    (problem,) = problems(HEAD + "goals:\n  - id: G1\n    indicator: x\n", pure=pure)
    assert located(problem) == ("S-MISSING", 6, 5, ("goals", 0, "statement"))


@pytest.mark.parametrize("pure", PARSERS)
def test_every_problem_of_a_file_is_reported_in_line_order(pure: bool) -> None:
    text = """\
id: Jobcenter Im Quartier
title: 12
areas: []
target_groups: [langzeitarbeitslose]
resources:
  budget_eur: 12.500
goals:
  - id: G1
    statement: Beratung
    level: 9
"""
    found = [located(p) for p in problems(text, pure=pure)]
    assert found == [
        ("S-ID-FORM", 1, 5, ("id",)),
        ("S-TYPE", 2, 8, ("title",)),
        ("S-EMPTY", 3, 8, ("areas",)),
        ("S-AMBIGUOUS-NUMBER", 6, 15, ("resources", "budget_eur")),
        ("S-RANGE-LESS-THAN-EQUAL", 10, 12, ("goals", 0, "level")),
    ]


@pytest.mark.parametrize("pure", PARSERS)
def test_timestamp_where_a_date_belongs_says_timestamp(pure: bool) -> None:
    (problem,) = problems(HEAD + "start: 2025-01-01T10:00:00+01:00\n", pure=pure)
    assert located(problem) == ("S-TYPE", 5, 8, ("start",))
    assert problem.message("en") == "expected date (YYYY-MM-DD), found timestamp with timezone"


@pytest.mark.parametrize("pure", PARSERS)
def test_overflowing_number_is_not_infinity(pure: bool) -> None:
    """``1e999`` would be float('inf') euros; it stays text and is refused."""
    (problem,) = problems(HEAD + "resources:\n  budget_eur: 1e999\n", pure=pure)
    assert located(problem) == ("S-TYPE", 6, 15, ("resources", "budget_eur"))
    assert problem.message("en") == "expected number, found text"


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    "text",
    [
        # a plain scalar with an empty line in it holds a newline
        "id: jobcenter\n\n  im-quartier\ntitle: x\nareas: [a]\ntarget_groups: [b]\n",
        # a quoted key with a newline
        'id: x\ntitle: x\nareas: [a]\ntarget_groups: [b]\n"mile\\nstones": []\n',
        # a bell and a very long value
        f'id: "x\\a{"y" * 500}"\ntitle: x\nareas: [a]\ntarget_groups: [b]\n',
    ],
    ids=["newline-in-value", "newline-in-key", "long-value"],
)
def test_user_text_in_a_message_stays_on_one_short_line(text: str, pure: bool) -> None:
    for problem in problems(text, pure=pure):
        for lang in ("de", "en"):
            rendered = problem.render(lang)
            assert "\n" not in rendered and "\a" not in rendered
            assert len(rendered) < 400


@pytest.mark.parametrize("pure", PARSERS)
def test_cycle_file_problems_are_located_too(pure: bool) -> None:
    text = """\
cycle: 2027
opened: 2027-01-15T10:00:00
projects:
  Jobcenter: {phase: analysis}
  jobcenter-im-quartier:
    phase: somewhere
    history:
      - {frm: null, to: analysis, at: 2027-01-15T10:00:00+01:00, by: Koordinierung}
"""
    found = [located(p) for p in problems(text, pure=pure, model=models.CycleState)]
    assert found == [
        ("S-TIMEZONE", 2, 9, ("opened",)),
        ("S-ID-FORM", 4, 3, ("projects", "Jobcenter")),
        ("S-CHOICE", 6, 12, ("projects", "jobcenter-im-quartier", "phase")),
        ("S-MISSING", 8, 9, ("projects", "jobcenter-im-quartier", "history", 0, "from")),
        ("S-UNKNOWN-KEY-HINT", 8, 10, ("projects", "jobcenter-im-quartier", "history", 0, "frm")),
    ]


@pytest.mark.parametrize("pure", PARSERS)
def test_empty_file_is_one_located_problem(pure: bool) -> None:
    (problem,) = problems("# nur ein Kommentar\n", pure=pure)
    assert located(problem) == ("S-EMPTY-FILE", 1, 1, ())


@pytest.mark.parametrize("pure", PARSERS)
def test_too_long_id_says_how_long_it_may_be(pure: bool) -> None:
    """Found by fuzzing: this was S-INVALID with pydantic's English text in German output."""
    text = HEAD.replace("areas: [querenburg]", f"areas: [{'a' * 100}]")
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-TOO-LONG", 3, 9, ("areas", 0))
    assert problem.message("en") == "too long: at most 80 characters"
    assert problem.message("de") == "zu lang: höchstens 80 Zeichen"


def test_a_decimal_comma_in_a_flow_mapping_is_named() -> None:
    """``{value: 3,5}`` reads as value 3 and a key "5": say why, at the key."""
    from zyklus.files.loader import load_text
    from zyklus.files.located import validate_document
    from zyklus.models import Card

    text = (
        "id: a-b\ntitle: T\nareas: [x]\ntarget_groups: [t]\ngoals:\n"
        "  - id: G1\n    statement: s\n    baseline: {value: 3,5, date: 2024-12-31}\n"
    )
    with pytest.raises(LoadError) as caught:
        validate_document(load_text(text, "projects/a-b.yaml"), Card)
    (problem,) = caught.value.problems
    assert (problem.code, problem.line) == ("S-DECIMAL-COMMA", 8)
    assert "write 3.5" in problem.message("en")


# --- quoted ISO dates (issue 12) ---------------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("quote", ["'", '"', ""])
def test_a_quoted_iso_date_is_a_date(pure: bool, quote: str) -> None:
    """Editors and YAML dumpers write ``due: '2027-03-01'``; it is the same date."""
    from datetime import date

    text = HEAD + f"milestones:\n  - {{id: M1, title: Start, due: {quote}2027-03-01{quote}}}\n"
    card = validate_document(loader.load_text(text, "projects/x.yaml", pure=pure), models.Card)
    assert card.milestones[0].due == date(2027, 3, 1)


@pytest.mark.parametrize("pure", PARSERS)
def test_a_quoted_impossible_date_is_named_like_an_unquoted_one(pure: bool) -> None:
    text = HEAD + "milestones:\n  - {id: M1, title: Start, due: '2027-02-30'}\n"
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("Y-DATE", 6, 33, ("milestones", 0, "due"))
    assert problem.message("de") == (
        "„2027-02-30“ ist kein gültiges Datum (erwartet JJJJ-MM-TT, z. B. 2025-03-31)"
    )


@pytest.mark.parametrize("pure", PARSERS)
def test_a_quoted_german_date_is_still_refused(pure: bool) -> None:
    text = HEAD + "milestones:\n  - {id: M1, title: Start, due: '01.03.2027'}\n"
    (problem,) = problems(text, pure=pure)
    assert problem.code == "S-DATE-FORMAT"


# --- ids with "_" (issue 12) ---------------------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_ids_with_underscores_are_accepted(pure: bool) -> None:
    """Statistics offices write ``beratungstermine_pro_quartal``; so does the card template."""
    text = (
        "id: jobcenter_im_quartier\ntitle: T\nareas: [querenburg]\n"
        "target_groups: [langzeit_arbeitslose]\n"
        "goals:\n  - {id: G1, statement: s, indicator: beratungstermine_pro_quartal}\n"
    )
    card = validate_document(loader.load_text(text, "projects/x.yaml", pure=pure), models.Card)
    assert card.goals[0].indicator == "beratungstermine_pro_quartal"


@pytest.mark.parametrize("pure", PARSERS)
def test_a_bad_id_is_told_the_id_to_write(pure: bool) -> None:
    text = "id: Jobcenter im Quartier\ntitle: T\nareas: [querenburg]\ntarget_groups: [x]\n"
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-ID-FORM", 1, 5, ("id",))
    assert problem.message("de").endswith("stattdessen „jobcenter-im-quartier“ schreiben")


# --- messages that name the fix (issue 12) ------------------------------------------------


@pytest.mark.parametrize(
    ("value", "readings"),
    [("12.500", "12500 | 12.5"), ("1.340", "1340 | 1.34"), ("1.234.567", "1234567"),
     ("1,5", "1.5"), ("1.234,5", "1234.5"), ("1,25", "1.25")],
)  # fmt: skip
def test_an_ambiguous_number_names_the_users_value_and_its_readings(
    value: str, readings: str
) -> None:
    (problem,) = problems(HEAD + f"resources:\n  budget_eur: {value}\n", pure=True)
    assert (problem.code, problem.params["readings"]) == ("S-AMBIGUOUS-NUMBER", readings)
    assert "12.500" not in problem.message("en") or value == "12.500"


@pytest.mark.parametrize("pure", PARSERS)
def test_a_word_where_a_list_belongs_is_shown_as_a_list(pure: bool) -> None:
    text = "id: a\ntitle: A\nareas: querenburg\ntarget_groups: [x]\n"
    (problem,) = problems(text, pure=pure)
    assert located(problem) == ("S-TYPE-LIST", 3, 8, ("areas",))
    assert (
        problem.message("en")
        == "expected a list, found 'querenburg'; write it as a list: [querenburg]"
    )
