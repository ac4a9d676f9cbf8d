"""Model rules that the loader alone cannot give: strictness, ids, German numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from zyklus.files.loader import AmbiguousNumber
from zyklus.models import Card, CycleState, HistoryEntry, Resources, local

BASE = {"id": "a-b", "title": "T", "areas": ["x"], "target_groups": ["t"]}


def _error_type(data: dict[str, object], model: type = Card) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value.errors()[0]["type"])


def test_a_draft_needs_only_id_title_areas_and_target_groups() -> None:
    card = Card.model_validate(BASE)
    assert card.goals == [] and card.resources == Resources()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"title": 12}, "string_type"),
        ({"areas": "x"}, "list_type"),
        ({"target_groups": True}, "list_type"),
        ({"milestone": []}, "extra_forbidden"),
        ({"id": "Jobcenter"}, "string_pattern_mismatch"),
        ({"areas": []}, "too_short"),
    ],
)
def test_no_lax_coercion(change: dict[str, object], error: str) -> None:
    assert _error_type({**BASE, **change}) == error


def test_area_ids_may_be_unquoted_numbers() -> None:
    assert Card.model_validate({**BASE, "areas": [554, "querenburg"]}).areas == [
        "554",
        "querenburg",
    ]


@pytest.mark.parametrize("text", [AmbiguousNumber("12.500"), "1,5", "1.234,5"])
def test_german_numbers_are_refused_where_a_number_belongs(text: str) -> None:
    assert _error_type({"budget_eur": text}, Resources) == "ambiguous_number"


def test_numbers_and_zero_are_values() -> None:
    assert Resources.model_validate({"budget_eur": 0, "staff_fte": 0.15}).budget_eur == 0


def test_dates_must_be_iso() -> None:
    data = {**BASE, "milestones": [{"id": "M1", "title": "x", "due": "31.12.2023"}]}
    assert _error_type(data) == "date_format"
    ok = {**BASE, "milestones": [{"id": "M1", "title": "x", "due": date(2023, 12, 31)}]}
    assert Card.model_validate(ok).milestones[0].due == date(2023, 12, 31)


def test_history_uses_from_and_needs_a_timezone() -> None:
    aware = datetime(2027, 1, 15, 10, tzinfo=UTC)
    entry = HistoryEntry.model_validate({"from": "goals", "to": "planning", "at": aware, "by": "x"})
    assert entry.from_ == "goals"
    naive = {"from": None, "to": "analysis", "at": datetime(2027, 1, 15), "by": "x"}
    assert _error_type(naive, HistoryEntry) == "naive_datetime"


def test_cycle_state_phases_are_closed() -> None:
    aware = datetime(2027, 1, 15, 10, tzinfo=UTC)
    data = {"cycle": 2027, "opened": aware, "projects": {"a-b": {"phase": "fertig"}}}
    assert _error_type(data, CycleState) == "literal_error"


def test_local_text_falls_back_to_german() -> None:
    assert local({"de": "Ziel"}, "en") == "Ziel"
    assert local({"de": "Ziel", "en": "Goal"}, "en") == "Goal"
    assert local("Ziel", "en") == "Ziel"


def test_a_cycle_file_with_one_evaluation_reads_it_as_the_first_round() -> None:
    """Cycle files before issue 14 hold one ``evaluation``; nothing of it is lost."""
    from zyklus.files.cycles import dump_cycle, parse_cycle

    old = (
        "cycle: 2027\nopened: 2027-01-11T09:00:00+01:00\nprojects:\n"
        "  p:\n    phase: evaluation\n    evaluation:\n      verdict: continue\n"
        "      summary: wirkt\n      date: 2027-06-30\n      by: AG\n"
    )
    state = parse_cycle(old, "cycles/2027.yaml")
    rounds = state.projects["p"].evaluations
    assert [(e.verdict, e.summary, e.by, e.closed) for e in rounds] == [
        ("continue", "wirkt", "AG", False)
    ]
    assert state.projects["p"].evaluation == rounds[0]
    written = dump_cycle(state)
    assert "evaluations:" in written and "\n    evaluation:" not in written
    assert parse_cycle(written, "cycles/2027.yaml") == state


def test_german_names_map_to_the_keys() -> None:
    from zyklus import models

    assert [models.english(w) for w in ("fortsetzen", "Anpassen", " beenden ", "abschließen")] == [
        "continue",
        "adjust",
        "stop",
        "complete",
    ]
    assert models.english("approve") == "approve"
    # phases too (issue 12): one mapping for every word a planner types
    assert set(models.GERMAN.values()) <= {
        *models.VERDICTS,
        *models.DECISIONS,
        *models.PHASES,
        *models.END_STATES,
    }
