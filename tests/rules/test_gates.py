"""Every gate criterion both ways, with the card line an unmet one points at (issue 4)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path

import pytest

from cycle_helpers import TODAY, build_ws, fresh, full_card
from zyklus import models
from zyklus.files.workspace import Workspace
from zyklus.i18n import catalog
from zyklus.rules import gates

REPO = Path(__file__).resolve().parents[2]
FULL = full_card()
LINES = FULL.splitlines()
GOALS_BLOCK = "\n".join(LINES[10:17]) + "\n"  # lines 11–17
MILESTONES_BLOCK = "\n".join(LINES[18:21]) + "\n"  # lines 19–21
ACTUAL = models.Actual(goal="G1", value=9, date=date(2027, 5, 31))


def edited(*replacements: tuple[str, str]) -> str:
    text = FULL
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(tmp_path, {"full": FULL}, {"full": "analysis"})


def finding(
    ws: Workspace,
    card_text: str,
    code: str,
    *,
    state: models.ProjectState | None = None,
    to: models.State | None = None,
    as_of: date = TODAY,
) -> gates.Finding:
    ws.card_path("full").write_text(card_text, encoding="utf-8")
    ws = fresh(ws)
    leaves = next(c.leaves for c in gates.CRITERIA if c.code == code)
    found = gates.check(ws, ws.card("full"), leaves, to, as_of=as_of, state=state)
    assert [f.code for f in found] == [c.code for c in gates.GATES[leaves]]
    return next(f for f in found if f.code == code)


# (code, card text that fails it, line, column, params) — the full card meets them all.
CARD_CASES = [
    ("G-AREAS-KNOWN", edited(("[querenburg]", "[querenburg, mars]")), 3, 21, {"ids": ["mars"]}),
    (
        "G-TARGET-GROUPS-KNOWN",
        edited(("[langzeitarbeitslose]", "[aliens]")),
        4,
        17,
        {"ids": ["aliens"]},
    ),
    ("G-AREA-DATA", edited(("areas: [querenburg]", "areas: [sued]")), 3, 9, {"ids": ["sued"]}),
    ("G-NEEDS-EVIDENCE", edited(("evidence: [{", "evidence: []\n#  [{")), 7, 1, {"needs": 1}),
    ("G-OFFERS-CHECKED", edited(("[jobcenter-standort]", "[]")), 10, 1, {}),
    ("G-GOALS", edited((GOALS_BLOCK, "goals: []\n")), 11, 1, {}),
    (
        "G-GOAL-INDICATOR",
        edited(("    indicator: arbeitslosenanteil\n", "")),
        12,
        5,
        {"goals": ["G1"]},
    ),
    (
        "G-GOAL-BASELINE",
        edited(("    baseline: {value: 11.7, date: 2023-12-31}\n", "")),
        12,
        5,
        {"goals": ["G1"]},
    ),
    (
        "G-GOAL-TARGET",
        edited(("    target: {value: 10, date: 2027-12-31}\n", "")),
        12,
        5,
        {"goals": ["G1"]},
    ),
    (
        "G-GOAL-DUE",
        edited(("    target: {value: 10, date: 2027-12-31}\n", "")),
        12,
        5,
        {"goals": ["G1"]},
    ),
    ("G-ACTORS", edited(("actors: [Jobcenter]", "actors: []")), 6, 1, {}),
    ("G-STAFF", edited(("{staff_fte: 0.15, budget_eur: 0}", "{budget_eur: 0}")), 18, 12, {}),
    ("G-BUDGET", edited(("{staff_fte: 0.15, budget_eur: 0}", "{staff_fte: 0.15}")), 18, 12, {}),
    ("G-MILESTONES", edited((MILESTONES_BLOCK, "milestones: []\n")), 19, 1, {}),
    ("G-MILESTONE-DUE", edited((", due: 2027-06-01}", "}")), 21, 5, {"milestones": ["M2"]}),
]


@pytest.mark.parametrize(("code", "text", "line", "col", "params"), CARD_CASES)
def test_card_criterion_both_ways(
    ws: Workspace, code: str, text: str, line: int, col: int, params: dict[str, object]
) -> None:
    met = finding(ws, FULL, code)
    assert (met.met, met.problem, met.params) == (True, None, {})
    unmet = finding(ws, text, code)
    assert unmet.met is False and unmet.severity == "error"
    assert unmet.params == params
    assert unmet.problem is not None
    assert (unmet.problem.path, unmet.problem.line, unmet.problem.col) == (
        "projects/full.yaml",
        line,
        col,
    )
    assert unmet.problem.code == code
    assert unmet.problem.render("en").startswith(f"projects/full.yaml:{line}:{col}: {code} ")


def test_budget_zero_is_a_value(ws: Workspace) -> None:
    assert "budget_eur: 0}" in FULL
    assert finding(ws, FULL, "G-BUDGET").met
    assert finding(ws, edited(("staff_fte: 0.15", "staff_fte: 0")), "G-STAFF").met


def test_a_note_instead_of_offers_meets_the_check(ws: Workspace) -> None:
    text = edited(("[jobcenter-standort]", "[]\nneeds_check_note: Kein Angebot im Quartier"))
    assert finding(ws, text, "G-OFFERS-CHECKED").met
    blank = edited(("[jobcenter-standort]", "[]\nneeds_check_note: '  '"))
    assert not finding(ws, blank, "G-OFFERS-CHECKED").met


def test_area_data_counts_areas_inside_and_citywide(ws: Workspace) -> None:
    assert finding(ws, edited(("[querenburg]", "[nord]")), "G-AREA-DATA").met
    assert not finding(ws, edited(("[querenburg]", '["554"]')), "G-AREA-DATA").met
    assert finding(ws, edited(("[querenburg]", "[citywide]")), "G-AREA-DATA").met
    indicators = ws.root / "data/indicators.csv"
    indicators.write_text(indicators.read_text() + "querenburg,arbeitslosenanteil,2022-12-31,x\n")
    assert finding(ws, FULL, "G-AREA-DATA").met  # a bad value is validate's business
    indicators.unlink()
    unmet = finding(ws, edited(("[querenburg]", "[citywide]")), "G-AREA-DATA")
    assert (unmet.met, unmet.params) == (False, {"ids": ["citywide"]})


def test_duplicate_candidate_is_a_warning_that_never_blocks(ws: Workspace) -> None:
    text = edited(("[jobcenter-standort]", "[]\nneeds_check_note: keins"))
    warning = finding(ws, text, "G-DUPLICATE-CANDIDATE")
    assert (warning.met, warning.severity, warning.params) == (
        False,
        "warning",
        {"others": ["jobcenter-standort"]},
    )
    assert warning.problem is not None and warning.problem.severity == "warning"
    assert (warning.problem.line, warning.problem.col) == (10, 1)
    assert finding(ws, FULL, "G-DUPLICATE-CANDIDATE").met  # listed under existing_offers
    from cycle_helpers import go

    ws.card_path("full").write_text(text, encoding="utf-8")
    go(ws, "full", force=True, reason="x")  # analysis → needs
    result = go(ws, "full")  # needs → goals passes with the warning
    assert result.to_phase == "goals" and not result.entry.forced
    assert [f.code for f in result.findings if not f.met] == ["G-DUPLICATE-CANDIDATE"]


def test_duplicates_searched_ahead_answer_as_searched_one_by_one(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``status`` searches every project in needs at once (issue 21): the same answers,
    one search for all, none again when the gate asks."""
    import zyklus.rules.duplicates

    text = edited(("[jobcenter-standort]", "[]\nneeds_check_note: keins"))
    for pid in ("a", "b", "c"):
        ws.card_path(pid).write_text(text.replace("id: full", f"id: {pid}"), encoding="utf-8")
    ids = ["a", "b", "c", "full", "unknown"]
    one_by_one = gates.Facts(fresh(ws))
    expected = {pid: one_by_one.duplicates_of(pid) for pid in ids}
    calls: list[int] = []
    search_many = zyklus.rules.duplicates.search_many

    def counted(index: object, projects: list[object], **kw: object) -> object:
        calls.append(len(projects))
        return search_many(index, projects, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(zyklus.rules.duplicates, "search_many", counted)
    ahead = gates.Facts(fresh(ws))
    ahead.search_ahead([*ids, "a"])
    assert calls == [4]  # every known project once; an unknown id has no structure
    assert {pid: ahead.duplicates_of(pid) for pid in ids} == expected
    assert calls == [4]
    assert ("jobcenter-standort", "offer") in expected["a"] and expected["unknown"] == []


def test_progress_by_actual_or_by_the_last_milestone(ws: Workspace) -> None:
    empty = models.ProjectState(phase="implementation")
    unmet = finding(ws, FULL, "G-PROGRESS", state=empty, as_of=date(2027, 5, 31))
    assert unmet.params["as_of"] == date(2027, 5, 31)
    assert unmet.params["last"].params == {"id": "M2", "due": date(2027, 6, 1)}
    assert unmet.problem is not None
    assert "(the last, M2, is due on 2027-06-01)" in unmet.problem.message("en")
    assert (unmet.problem.line, unmet.problem.col) == (21, LINES[20].index("due:") + 1)
    assert finding(ws, FULL, "G-PROGRESS", state=empty, as_of=date(2027, 6, 1)).met
    with_actual = models.ProjectState(phase="implementation", actuals=[ACTUAL])
    assert finding(ws, FULL, "G-PROGRESS", state=with_actual, as_of=date(2027, 1, 1)).met
    undated = edited((", due: 2027-03-01}", "}"), (", due: 2027-06-01}", "}"))
    none = finding(ws, undated, "G-PROGRESS", state=empty)
    assert none.problem is not None and (none.met, none.problem.line) == (False, 19)
    assert "(no milestone has a due date)" in none.problem.message("en")
    assert "(kein Meilenstein hat einen Termin)" in none.problem.message("de")


def test_goal_actuals_by_actual_or_by_reason(ws: Workspace) -> None:
    empty = models.ProjectState(phase="evaluation")
    unmet = finding(ws, FULL, "G-GOAL-ACTUALS", state=empty)
    assert unmet.problem is not None
    params = {"goals": ["G1"], "since": ""}
    assert (unmet.params, unmet.problem.line, unmet.problem.col) == (params, 12, 5)
    measured = models.ProjectState(phase="evaluation", actuals=[ACTUAL])
    assert finding(ws, FULL, "G-GOAL-ACTUALS", state=measured).met
    reason = models.NotMeasured(goal="G1", reason="Erhebung erst 2028")
    skipped = models.ProjectState(phase="evaluation", not_measured=[reason])
    assert finding(ws, FULL, "G-GOAL-ACTUALS", state=skipped).met


def _evaluated(verdict: models.Verdict) -> models.ProjectState:
    evaluation = models.Evaluation(verdict=verdict, summary="s", date=TODAY, by="AG")
    return models.ProjectState(phase="evaluation", evaluation=evaluation)


@pytest.mark.parametrize(
    ("verdict", "to", "met"),
    [
        ("continue", "implementation", True),
        ("complete", "done", True),
        ("stop", "stopped", True),
        ("adjust", "planning", True),
        ("continue", None, True),
        ("adjust", None, True),
        ("complete", None, True),
        ("continue", "done", False),
        ("stop", "done", False),
        ("adjust", "done", False),
        ("continue", "stopped", False),
        ("stop", "planning", False),
        ("complete", "implementation", False),
    ],
)
def test_verdict_must_fit_the_way_out(
    ws: Workspace, verdict: models.Verdict, to: models.State | None, met: bool
) -> None:
    assert finding(ws, FULL, "G-VERDICT", state=_evaluated(verdict), to=to).met is met


def test_no_verdict_is_unmet_at_the_card_id(ws: Workspace) -> None:
    unmet = finding(ws, FULL, "G-VERDICT", state=models.ProjectState(phase="evaluation"))
    assert unmet.problem is not None
    assert (unmet.problem.line, unmet.problem.col) == (1, 1)
    assert unmet.params["to"] == "done" and unmet.params["allowed"] == ["complete"]
    assert "no verdict yet does not allow the move to 'done'" in unmet.problem.message("en")
    assert "noch keine Bewertung erlaubt den Übergang" in unmet.problem.message("de")


def test_moving_back_and_end_states_pass_no_gate(ws: Workspace) -> None:
    card = ws.card("full")
    assert gates.check(ws, card, "planning", "goals", as_of=TODAY) == []
    assert gates.check(ws, card, "planning", "stopped", as_of=TODAY) == []
    assert gates.check(ws, card, "done", None, as_of=TODAY) == []
    assert gates.check(ws, card, "evaluation", "goals", as_of=TODAY) == []
    skip = gates.check(ws, card, "analysis", "goals", as_of=TODAY)  # skipping still checks
    assert [f.code for f in skip] == [c.code for c in gates.GATES["analysis"]]


def test_next_gate_follows_the_natural_way(ws: Workspace) -> None:
    state = models.ProjectState(phase="planning")
    found = gates.next_gate(ws, ws.card("full"), state, TODAY)
    assert [f.code for f in found] == [
        "G-ACTORS",
        "G-STAFF",
        "G-BUDGET",
        "G-MILESTONES",
        "G-MILESTONE-DUE",
        "G-FUNDING-COVERED",
        "G-DECISION",
    ]
    assert gates.next_gate(ws, ws.card("full"), models.ProjectState(phase="done"), TODAY) == []


def test_findings_are_frozen(ws: Workspace) -> None:
    found = finding(ws, FULL, "G-GOALS")
    with pytest.raises(FrozenInstanceError):
        found.met = False  # type: ignore[misc]


# --- the table as data and as documentation ------------------------------------------------


FIXED_CODES = [
    "G-AREAS-KNOWN",
    "G-TARGET-GROUPS-KNOWN",
    "G-AREA-DATA",
    "G-NEEDS-EVIDENCE",
    "G-OFFERS-CHECKED",
    "G-DUPLICATE-CANDIDATE",
    "G-GOALS",
    "G-GOAL-INDICATOR",
    "G-GOAL-BASELINE",
    "G-GOAL-TARGET",
    "G-GOAL-DUE",
    "G-ACTORS",
    "G-STAFF",
    "G-BUDGET",
    "G-MILESTONES",
    "G-MILESTONE-DUE",
    "G-FUNDING-COVERED",
    "G-PROGRESS",
    "G-NEW-ACTUALS",
    "G-GOAL-ACTUALS",
    "G-VERDICT",
    "G-DECISION",
]


def test_codes_are_the_fixed_ones_and_every_one_is_tested() -> None:
    assert [c.code for c in gates.CRITERIA] == FIXED_CODES
    tested = {case[0] for case in CARD_CASES} | {
        "G-DUPLICATE-CANDIDATE",
        "G-PROGRESS",
        "G-GOAL-ACTUALS",
        "G-VERDICT",
        "G-NEW-ACTUALS",  # tests/rules/test_loop.py
        "G-DECISION",  # tests/rules/test_loop.py
        "G-FUNDING-COVERED",  # tests at the end of this file (issue 15)
    }
    assert tested == set(FIXED_CODES)
    assert [c.code for c in gates.CRITERIA if c.severity == "warning"] == ["G-DUPLICATE-CANDIDATE"]


def test_every_criterion_has_both_texts_in_both_languages() -> None:
    messages = catalog()
    for code in FIXED_CODES:
        for msg_id in (code, f"gate-rule-{code}"):
            assert set(messages[msg_id]) == {"de", "en"}, msg_id
            assert all(messages[msg_id].values()), msg_id


def test_the_example_history_uses_only_known_codes() -> None:
    from zyklus.files.cycles import parse_cycle

    for path in sorted((REPO / "cycles").glob("*.yaml")):
        state = parse_cycle(path.read_text(encoding="utf-8"), path.name)
        used = {code for p in state.projects.values() for h in p.history for code in h.unmet}
        assert used <= gates.CODES, path.name


def test_docs_gates_md_is_up_to_date() -> None:
    """Regenerate with: zyklus gates --format markdown > docs/gates.md"""
    written = (REPO / "docs" / "gates.md").read_text(encoding="utf-8")
    assert written == gates.markdown()
    for code in FIXED_CODES:
        assert f"`{code}`" in written


def test_table_rows_in_both_languages() -> None:
    rows = gates.table_rows("de")
    assert len(rows) == len(FIXED_CODES)
    assert rows[0] == (
        "analysis → needs",
        "G-AREAS-KNOWN",
        "blockiert",
        "Räume bekannt: jedes Gebiet unter areas steht in data/areas.csv (oder citywide)",
    )
    assert gates.table_rows("en")[-2][:3] == (
        "evaluation → implementation / planning / stopped / done",
        "G-VERDICT",
        "blocks",
    )
    assert gates.table_rows("en")[-1][:2] == ("* → decision_bodies.required_for", "G-DECISION")


def test_overviews_can_skip_locating(ws: Workspace) -> None:
    state = models.ProjectState(phase="planning")
    text = edited(("actors: [Jobcenter]", "actors: []"))
    ws.card_path("full").write_text(text, encoding="utf-8")
    found = gates.next_gate(fresh(ws), fresh(ws).card("full"), state, TODAY, locate=False)
    unmet = [f for f in found if not f.met]
    assert [f.code for f in unmet] == ["G-ACTORS"]
    assert unmet[0].problem is not None
    assert (unmet[0].problem.path, unmet[0].problem.line) == ("projects/full.yaml", None)


def test_a_gate_reads_only_the_facts_it_needs(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zyklus.rules.duplicates

    def expensive(_: Workspace, *scanned: object) -> list[object]:
        raise AssertionError("the duplicate check ran for a gate that does not need it")

    monkeypatch.setattr(zyklus.rules.duplicates, "duplicate_index", expensive)
    state = models.ProjectState(phase="planning")
    assert all(
        f.met for f in gates.check(ws, ws.card("full"), "planning", as_of=TODAY, state=state)
    )
    with pytest.raises(AssertionError, match="duplicate check"):
        gates.check(fresh(ws), ws.card("full"), "needs", as_of=TODAY)


# --- G-FUNDING-COVERED: a workspace setting (issue 15) --------------------------------------


def _coverage_ws(ws: Workspace, mode: str, card_text: str) -> Workspace:
    config = ws.config_path.read_text(encoding="utf-8")
    config += f"funders: [{{id: kommune, name: Stadt}}]\nbudget: {{coverage_gate: {mode}}}\n"
    ws.config_path.write_text(config, encoding="utf-8")
    ws.card_path("full").write_text(card_text, encoding="utf-8")
    return fresh(ws)


COSTLY = edited(("budget_eur: 0", "budget_eur: 1000.3")) + (
    "funding:\n"
    "  - {funder: kommune, amount: 0.1, own_share: 0.2, status: granted}\n"
    "  - {funder: kommune, amount: 1000, status: applied}\n"
)


@pytest.mark.parametrize(
    ("mode", "card_text", "met"),
    [
        ("off", COSTLY, True),
        ("planned", COSTLY, True),  # 0.1 + 0.2 + 1000 = 1000.3 exactly
        ("granted", COSTLY, False),
        ("granted", FULL, True),  # a cost of 0 needs no line
        ("planned", COSTLY.replace("amount: 1000,", "amount: 999.99,"), False),
        ("planned", edited(("budget_eur: 0", "budget_eur: 5")), False),
    ],
)
def test_funding_covered(ws: Workspace, mode: str, card_text: str, met: bool) -> None:
    ws = _coverage_ws(ws, mode, card_text)
    found = gates.check(ws, ws.card("full"), "planning", as_of=TODAY)
    result = next(f for f in found if f.code == "G-FUNDING-COVERED")
    assert result.met is met
    if not met:
        assert result.problem is not None
        text = result.problem.message("de")
        assert "nicht gedeckt" in text and "€" in text


def test_funding_covered_message_names_cost_and_cover(ws: Workspace) -> None:
    ws = _coverage_ws(ws, "granted", COSTLY)
    found = gates.check(ws, ws.card("full"), "planning", as_of=TODAY)
    problem = next(f for f in found if f.code == "G-FUNDING-COVERED").problem
    assert problem is not None and problem.line == 22
    assert problem.message("en") == (
        "planned cost of €1,000.30 not covered: funding lines (granted only) bring €0.30; "
        "add lines under funding or adjust the cost"
    )


# --- what travels from a worker (issue 21) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unmet"),
    [
        (FULL, set()),
        (
            edited(("staff_fte: 0.15", "staff_fte: null"), ("[querenburg]", "[querenburg, mars]")),
            {"G-STAFF", "G-AREAS-KNOWN"},
        ),
        (
            edited((GOALS_BLOCK, "goals: []\n"), (MILESTONES_BLOCK, "milestones: []\n")),
            {"G-GOALS", "G-MILESTONES", "G-PROGRESS"},
        ),
    ],
    ids=["meets-all", "staff-and-area", "no-goals-no-milestones"],
)
def test_a_gate_card_sent_by_a_worker_gives_what_the_card_gives(
    ws: Workspace, text: str, unmet: set[str]
) -> None:
    """``status`` gets each card as a pickled :class:`gates.GateCard`: every gate finds
    from it what it finds from the card itself, and it is a fraction of the model's size."""
    import pickle

    ws.card_path("full").write_text(text, encoding="utf-8")
    ws = fresh(ws)
    card = ws.card("full")
    sent = pickle.loads(pickle.dumps(gates.gate_card(card, ws.config)))
    assert len(pickle.dumps(sent)) * 3 < len(pickle.dumps(card))
    state = models.ProjectState(phase="implementation", actuals=[ACTUAL])
    found: set[str] = set()
    for phase in models.PHASES:
        for given in (None, state):
            expected = gates.check(ws, card, phase, as_of=TODAY, state=given, locate=False)
            assert gates.check(ws, sent, phase, as_of=TODAY, state=given, locate=False) == (
                expected
            )
            found |= {f.code for f in expected if not f.met}
    assert unmet <= found
