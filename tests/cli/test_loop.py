"""The loop closes (issue 14): one project through two full cycles, committee decisions,
the log, and the needs re-check, all through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cycle_helpers import CONFIG, build_ws, full_card
from zyklus.cli import app
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace
from zyklus.rules.duplicates import duplicate_candidates

BODIES = """\
decision_bodies:
  - id: lenkungsgremium
    label: {de: Lenkungsgremium, en: Steering committee}
    source: "Kap. 5.2"
    required_for: [implementation]
"""
OTHER = """\
id: other
title: Another one
areas: [querenburg]
target_groups: [langzeitarbeitslose]
themes: [beratung]
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(
        tmp_path,
        {"full": full_card(), "other": OTHER},
        {"full": "planning", "other": "analysis"},
        extra={"zyklus.yaml": CONFIG + BODIES},
    )


def run(runner: CliRunner, ws: Workspace, *args: str, code: int = 0) -> Result:
    result = runner.invoke(app, [*args, "--workspace", str(ws.root)], catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def state(ws: Workspace, year: int = 2027) -> object:
    return read_cycle(Workspace(ws.root), year).projects["full"]


def codes(result: Result) -> list[str]:
    return [line.split(" ")[1] for line in result.stderr.splitlines() if ": " in line]


def approve(runner: CliRunner, ws: Workspace, day: str, ref: str, *extra: str) -> Result:
    return run(runner, ws, "record", "decision", "full", "--body", "lenkungsgremium",
               "--decision", "zustimmen", "--date", day, "--ref", ref, "--by", "GS", *extra)  # fmt: skip


def test_one_project_through_two_full_cycles(runner: CliRunner, ws: Workspace) -> None:
    adv = ("advance", "full", "--by", "P", "--lang", "en")
    # cycle 2027: the committee approves, the measure starts
    refused = run(runner, ws, *adv, code=1)
    assert codes(refused) == ["G-DECISION", "CY-GATE-REFUSED"]
    assert (
        "the move to 'implementation' needs a decision: Steering committee has not decided yet"
        in (refused.stderr)
    )
    approve(runner, ws, "2026-01-20", "Sitzung 1/2026, TOP 4")
    assert run(runner, ws, *adv).stdout == "full: planning → implementation (cycle 2027)\n"
    # interim evaluation: continue → back to implementation
    run(runner, ws, "record", "actual", "full", "G1", "9.5", "--date", "2026-03-31")
    run(runner, ws, *adv)
    out = run(runner, ws, "record", "evaluation", "full", "--verdict", "fortsetzen", "--summary",
              "läuft", "--date", "2026-04-02", "--by", "AG", "--lang", "en")  # fmt: skip
    assert out.stdout.startswith("full: evaluation round 1 'continue' recorded")
    assert run(runner, ws, *adv).stdout == "full: evaluation → implementation (cycle 2027)\n"
    # the next evaluation gate asks for an actual newer than the last round
    assert codes(run(runner, ws, *adv, code=1)) == ["G-NEW-ACTUALS", "CY-GATE-REFUSED"]
    run(runner, ws, "record", "actual", "full", "G1", "9.0", "--date", "2026-06-30")
    run(runner, ws, *adv)
    run(runner, ws, "record", "evaluation", "full", "--verdict", "anpassen", "--summary",
        "zweites Quartier", "--date", "2026-07-01", "--by", "AG")  # fmt: skip
    assert run(runner, ws, *adv).stdout == "full: evaluation → planning (cycle 2027)\n"
    # the approval was used up: the adjusted plan needs a new one
    assert codes(run(runner, ws, *adv, code=1)) == ["G-DECISION", "CY-GATE-REFUSED"]
    approve(runner, ws, "2026-07-15", "Sitzung 3/2026, TOP 2")
    run(runner, ws, *adv)
    before = read_cycle(Workspace(ws.root), 2027)
    text_before = ws.cycle_path(2027).read_bytes()
    assert [e.verdict for e in before.projects["full"].evaluations] == ["continue", "adjust"]
    assert [d.used for d in before.projects["full"].decisions] == [True, True]

    # cycle 2030: carried over with its rounds and decisions, the old file untouched
    started = run(runner, ws, "cycle", "start", "2030", "--from", "2027", "--lang", "en")
    assert "carried along: 2 evaluation round(s), 2 decision(s)" in started.stdout
    assert ws.cycle_path(2027).read_bytes() == text_before
    carried = read_cycle(Workspace(ws.root), 2030).projects["full"]
    old = before.projects["full"]
    assert carried.phase == "implementation"
    assert [e.model_copy(update={"cycle": None}) for e in carried.evaluations] == old.evaluations
    assert [d.model_copy(update={"cycle": None}) for d in carried.decisions] == old.decisions
    assert {e.cycle for e in carried.evaluations} == {2027}
    adv30 = (*adv, "--cycle", "2030")
    expected = ["G-PROGRESS", "G-NEW-ACTUALS", "CY-GATE-REFUSED"]  # no actual in 2030 yet
    assert codes(run(runner, ws, *adv30, code=1)) == expected
    run(runner, ws, "record", "actual", "full", "G1", "8.0", "--date", "2026-10-31",
        "--cycle", "2030")  # fmt: skip
    run(runner, ws, *adv30)
    run(runner, ws, "record", "evaluation", "full", "--verdict", "abschließen", "--summary",
        "verstetigt", "--date", "2026-11-02", "--by", "AG", "--as-offer", "--cycle", "2030")  # fmt: skip
    done = run(runner, ws, *adv30)
    assert done.stdout == (
        "full: evaluation → done (cycle 2030)\n"
        "offer written: offers/full.yaml (the duplicate check knows it from now on)\n"
    )
    # Verstetigung: the offer is a structure the duplicate check compares with
    offer = ws.root / "offers" / "full.yaml"
    assert 'title: "Full project"' in offer.read_text(encoding="utf-8")
    config = (CONFIG + BODIES).replace("current_cycle: 2027", "current_cycle: 2030")
    ws.config_path.write_text(config, encoding="utf-8")
    found = {(d.project, d.other, d.other_kind) for d in duplicate_candidates(Workspace(ws.root))}
    assert ("other", "full", "offer") in found
    assert ("other", "full", "project") not in found  # a done project is no structure any more
    run(runner, ws, "validate")
    # nothing recorded was lost: 2027 as it was, 2030 holds the old rounds plus the new one
    assert read_cycle(Workspace(ws.root), 2027) == before
    final = read_cycle(Workspace(ws.root), 2030).projects["full"]
    assert [(e.verdict, e.cycle, e.closed) for e in final.evaluations] == [
        ("continue", 2027, True),
        ("adjust", 2027, True),
        ("complete", None, True),
    ]
    assert [a.value for a in final.evaluations[-1].judged] == [8.0]
    # the log shows every round once, newest first, across both cycles
    log = json.loads(run(runner, ws, "log", "full", "--format", "json").stdout)
    rounds = [(e["cycle"], e["verdict"]) for e in log if e["kind"] == "evaluation"]
    assert rounds == [(2030, "complete"), (2027, "adjust"), (2027, "continue")]
    assert [e["ref"] for e in log if e["kind"] == "decision"] == [
        "Sitzung 3/2026, TOP 2",
        "Sitzung 1/2026, TOP 4",
    ]
    dates = [e["date"] for e in log]
    assert dates == sorted(dates, reverse=True)


def test_an_offer_file_is_never_overwritten(runner: CliRunner, ws: Workspace) -> None:
    approve(runner, ws, "2026-01-20", "TOP 1")
    adv = ("advance", "full", "--by", "P")
    run(runner, ws, *adv)
    run(runner, ws, "record", "actual", "full", "G1", "9.5", "--date", "2026-03-31")
    run(runner, ws, *adv)
    run(runner, ws, "record", "evaluation", "full", "--verdict", "complete", "--summary", "s",
        "--date", "2026-04-02")  # fmt: skip
    taken = ws.root / "offers" / "full.yaml"
    taken.write_text("id: full\ntitle: Handgeschrieben\n", encoding="utf-8")
    before = ws.cycle_path(2027).read_bytes()
    refused = run(runner, ws, *adv, "--as-offer", "--lang", "en", code=1)
    assert codes(refused) == ["CY-OFFER-EXISTS"]
    assert taken.read_text(encoding="utf-8") == "id: full\ntitle: Handgeschrieben\n"
    assert ws.cycle_path(2027).read_bytes() == before  # a failed command changes nothing
    assert run(runner, ws, *adv).stdout.startswith("full: evaluation → done")  # without offer


def test_as_offer_goes_with_complete_only(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "record", "evaluation", "full", "--verdict", "continue",
                 "--summary", "s", "--as-offer", "--lang", "en", code=2)  # fmt: skip
    assert codes(result) == ["CY-AS-OFFER-VERDICT"]


def test_decisions_recorded_pending_and_forced(runner: CliRunner, ws: Workspace) -> None:
    status = ("status", "--pending-decisions", "--lang", "en")
    pending = run(runner, ws, *status).stdout.splitlines()
    assert pending[0] == "Pending decisions, cycle 2027 (agenda of the next meeting)"
    assert pending[2].split("\t") == [
        "Steering committee",
        "full",
        "Full project",
        "planning → implementation",
        "not discussed yet",
    ]
    run(runner, ws, "record", "decision", "full", "--body", "lenkungsgremium", "--decision",
        "vertagen", "--date", "2026-02-01", "--ref", "Sitzung 1/2026, TOP 5")  # fmt: skip
    as_json = json.loads(run(runner, ws, *status, "--format", "json").stdout)
    assert [(p["project"], p["status"], p["ref"]) for p in as_json] == [
        ("full", "deferred", "Sitzung 1/2026, TOP 5")
    ]
    refused = run(runner, ws, "advance", "full", "--lang", "en", code=1)
    assert "Steering committee deferred it on 2026-02-01 (Sitzung 1/2026, TOP 5)" in refused.stderr
    forced = run(runner, ws, "advance", "full", "--force", "--reason", "Eilentscheidung",
                 "--lang", "en")  # fmt: skip
    assert "without a decision of: lenkungsgremium (recorded)" in forced.stdout
    entry = state(ws).history[-1]  # type: ignore[attr-defined]
    assert (entry.forced, entry.unmet, entry.without_decision) == (
        True,
        ["G-DECISION"],
        ["lenkungsgremium"],
    )
    assert run(runner, ws, *status).stdout.count("\n") == 2  # title and header: none waits
    log = run(runner, ws, "log", "full", "--lang", "en").stdout
    assert "forced move" in log and "without a decision of lenkungsgremium" in log
    assert "G-DECISION (decision taken)" in log


def test_record_decision_refuses_unknown_body_and_words(runner: CliRunner, ws: Workspace) -> None:
    body = run(runner, ws, "record", "decision", "full", "--body", "lenkungsgremiun",
               "--decision", "approve", "--date", "2026-01-01", "--ref", "x", "--lang", "en",
               code=2)  # fmt: skip
    assert "did you mean 'lenkungsgremium'?" in body.stderr
    word = run(runner, ws, "record", "decision", "full", "--body", "lenkungsgremium",
               "--decision", "zustimen", "--date", "2026-01-01", "--ref", "x", "--lang", "en",
               code=2)  # fmt: skip
    assert "did you mean 'zustimmen'?" in word.stderr
    assert state(ws).decisions == []  # type: ignore[attr-defined]


def test_log_lines_escape_control_characters(runner: CliRunner, ws: Workspace) -> None:
    approve(runner, ws, "2026-01-20", "TOP 1\x1b[31m\nrot")
    out = run(runner, ws, "log", "full", "--lang", "en").stdout
    assert "\x1b" not in out and "TOP 1\\x1b[31m\\nrot" in out
    assert len([line for line in out.splitlines() if "decision" in line]) == 1


def test_pending_decisions_as_csv_without_formulas(runner: CliRunner, ws: Workspace) -> None:
    card = ws.card_path("full")
    card.write_text(
        card.read_text(encoding="utf-8").replace("title: Full project", 'title: "=HYPERLINK(1)"'),
        encoding="utf-8",
    )
    out = run(runner, ws, "status", "--pending-decisions", "--format", "csv").stdout
    assert out.splitlines() == [
        "body,body_label,project,title,phase,to,status,date,ref",
        "lenkungsgremium,Steering committee,full,'=HYPERLINK(1),planning,implementation,missing,,",
    ]
