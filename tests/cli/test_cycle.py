"""The cycle commands through the CLI: output, exit codes, concurrency, git diffs (issue 4)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import zyklus
from cycle_helpers import DRAFT_CARD, build_ws, full_card
from zyklus import models
from zyklus.cli import app
from zyklus.files.cycles import HEADER, parse_cycle, read_cycle
from zyklus.files.workspace import Workspace
from zyklus.rules import gates

SRC = Path(zyklus.__file__).resolve().parents[1]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(
        tmp_path,
        {"full": full_card(), "draft": DRAFT_CARD.format(id="draft")},
        {"full": "analysis", "draft": "analysis"},
    )


def run(runner: CliRunner, ws: Workspace, *args: str) -> Result:
    return runner.invoke(app, [*args, "--workspace", str(ws.root)], catch_exceptions=False)


def phase(ws: Workspace, project_id: str) -> str:
    return read_cycle(Workspace(ws.root), 2027).projects[project_id].phase


# --- advance ------------------------------------------------------------------------------------


def test_advance_moves_and_says_so(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "advance", "full", "--by", "Planerin", "--as-of", "2027-07-01")
    assert result.exit_code == 0, result.output
    assert result.stdout == "full: analysis → needs (cycle 2027)\n"
    assert phase(ws, "full") == "needs"


def test_advance_prints_every_unmet_criterion_with_its_line(
    runner: CliRunner, ws: Workspace
) -> None:
    for _ in range(3):
        run(runner, ws, "advance", "draft", "--force", "--reason", "Entwurf", "--by", "P")
    before = ws.cycle_path(2027).read_bytes()
    result = run(runner, ws, "advance", "draft", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "projects/draft.yaml:1:1: G-ACTORS no actors: name at least one actor under actors"
        " (at actors)",
        "projects/draft.yaml:1:1: G-STAFF staff not given: resources.staff_fte in full-time"
        " equivalents (0 is a value) (at resources.staff_fte)",
        "projects/draft.yaml:1:1: G-BUDGET budget not given: resources.budget_eur in euros"
        " (0 is a value) (at resources.budget_eur)",
        "projects/draft.yaml:1:1: G-MILESTONES no milestones: give at least one under"
        " milestones, with a due date (at milestones)",
        "projects/draft.yaml: CY-GATE-REFUSED 'draft' stays where it is; unmet criteria for"
        " 'implementation': 4 (above). Fix them, or pass --force --reason TEXT to move anyway"
        " (recorded)",
    ]
    assert ws.cycle_path(2027).read_bytes() == before


def test_advance_force_prints_what_it_records(runner: CliRunner, ws: Workspace) -> None:
    run(runner, ws, "advance", "draft", "--by", "P")
    result = run(
        runner, ws, "advance", "draft", "--force", "--reason", "AG-Entwurf", "--by", "P",
        "--lang", "de",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "draft: needs → goals (Zyklus 2027)",
        "erzwungen; vermerkt: Grund „AG-Entwurf“, offen: G-NEEDS-EVIDENCE, G-OFFERS-CHECKED",
    ]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["advance", "full", "--force"], "CY-FORCE-REASON"),
        (["advance", "full", "--to", "planing"], "CY-PHASE-UNKNOWN-HINT"),
        (["advance", "ful"], "W-UNKNOWN-PROJECT-HINT"),
        (["advance", "full", "--to", "goals"], "CY-MOVE-SKIP"),
        (["advance", "full", "--as-of", "1.7.2027"], "CY-DATE"),
        (["record", "actual", "full", "G1", "12.500", "--date", "2027-05-31"], "S-AMBIGUOUS-NUMBER"),
        (["record", "actual", "full", "G1", "1,5", "--date", "2027-05-31"], "S-AMBIGUOUS-NUMBER"),
        (["record", "actual", "full", "G1", "5"], "CY-RECORD-ARGS"),
        (["record", "evaluation", "full", "--verdict", "continu", "--summary", "s"], "CY-VERDICT-UNKNOWN-HINT"),
        (["status", "--phase", "planungg"], "CY-PHASE-UNKNOWN-HINT"),
        (["status", "--phase", "xyz"], "CY-PHASE-UNKNOWN"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2_with_their_code(
    runner: CliRunner, ws: Workspace, args: list[str], code: str
) -> None:
    before = ws.cycle_path(2027).read_bytes()
    result = run(runner, ws, *args, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert f" {code} " in result.stderr
    assert ws.cycle_path(2027).read_bytes() == before


def test_ambiguous_value_message(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "record", "actual", "full", "G1", "12.500", "--date", "2027-05-31")
    assert "'12.500' is ambiguous" in result.stderr
    assert "12500 | 12.5" in result.stderr  # the two readings of the value given


def test_dry_run(runner: CliRunner, ws: Workspace) -> None:
    before = ws.cycle_path(2027).read_bytes()
    result = run(runner, ws, "advance", "full", "--dry-run", "--by", "P", "--lang", "en")
    assert result.stdout == "full: analysis → needs (cycle 2027) – dry run, nothing written\n"
    assert ws.cycle_path(2027).read_bytes() == before


def test_a_broken_cycle_file_is_named_and_left_alone(runner: CliRunner, ws: Workspace) -> None:
    path = ws.cycle_path(2027)
    path.write_text(path.read_text() + "  extra: {phase: analysis, colour: red}\n")
    before = path.read_bytes()
    result = run(runner, ws, "advance", "full", "--by", "P", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.startswith("cycles/2027.yaml:9:28: S-UNKNOWN-KEY ")
    assert path.read_bytes() == before


# --- record -------------------------------------------------------------------------------------


def test_record_commands(runner: CliRunner, ws: Workspace) -> None:
    common = ["--lang", "en"]
    result = run(runner, ws, "record", "actual", "full", "G1", "9.5", "--date", "2025-05-31",
                 "--note", "Zählung", *common)  # fmt: skip
    assert result.stdout == "full: actual G1 = 9.5% on 2025-05-31 recorded (cycle 2027)\n"
    again = run(runner, ws, "record", "actual", "full", "G1", "9", "--date", "2025-05-31", *common)
    assert again.exit_code == 1
    assert "CY-ACTUAL-EXISTS goal G1 has an actual for 2025-05-31 already" in again.stderr
    assert again.stderr.startswith("cycles/2027.yaml: ")
    future = run(runner, ws, "record", "milestone", "full", "M1", "--done", "2999-01-01", *common)
    assert (future.exit_code, " CY-FUTURE-DATE " in future.stderr) == (1, True)
    done = run(runner, ws, "record", "milestone", "full", "M1", "--done", "2025-03-01", *common)
    assert done.stdout == "full: milestone M1 done on 2025-03-01 (cycle 2027)\n"
    skip = run(runner, ws, "record", "actual", "full", "G1", "--not-measured", "erst 2028", *common)
    assert skip.stdout == "full: goal G1 not measured, reason recorded (cycle 2027)\n"
    early = run(runner, ws, "record", "evaluation", "full", "--verdict", "continue",
                "--summary", "gut", *common)  # fmt: skip
    assert (early.exit_code, " CY-NOT-EVALUATING " in early.stderr) == (1, True)
    state = read_cycle(Workspace(ws.root), 2027).projects["full"]
    assert [(a.goal, a.value, a.note) for a in state.actuals] == [("G1", 9.5, "Zählung")]
    assert [(m.id, m.done.isoformat()) for m in state.milestones] == [("M1", "2025-03-01")]
    assert state.not_measured == [models.NotMeasured(goal="G1", reason="erst 2028")]


def test_record_evaluation_and_leave(runner: CliRunner, ws: Workspace) -> None:
    run(runner, ws, "record", "actual", "full", "G1", "9.5", "--date", "2025-05-31")
    for _ in range(5):
        assert (
            run(runner, ws, "advance", "full", "--by", "P", "--as-of", "2027-07-01").exit_code == 0
        )
    result = run(runner, ws, "record", "evaluation", "full", "--verdict", "adjust", "--summary",
                 "zweites Quartier", "--date", "2025-06-30", "--by", "AG", "--lang", "en")  # fmt: skip
    assert result.stdout == (
        "full: evaluation round 1 'adjust' recorded (cycle 2027); move on with 'zyklus advance full'\n"
    )
    out = run(runner, ws, "advance", "full", "--by", "P", "--lang", "en")
    assert out.stdout == "full: evaluation → planning (cycle 2027)\n"
    last = read_cycle(Workspace(ws.root), 2027).projects["full"].history[-1]
    assert (last.reason, last.forced) == ("zweites Quartier", False)


# --- status, gates, cycle start, new-project ------------------------------------------------------


def test_status_table_json_csv(runner: CliRunner, ws: Workspace) -> None:
    run(runner, ws, "advance", "draft", "--by", "P")
    common = ["--as-of", "2027-07-01", "--lang", "en"]
    table = run(runner, ws, "status", *common)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0] == "Cycle 2027, as of 2027-07-01"
    assert lines[1].split("\t") == [
        "project", "phase", "days in phase", "unmet (next gate)", "milestones overdue",
        "goals with actuals",
    ]  # fmt: skip
    assert lines[2].split("\t")[:2] == ["draft", "Needs assessment"]  # the report's phase name
    assert lines[2].split("\t")[3] == "2: G-NEEDS-EVIDENCE, G-OFFERS-CHECKED"
    assert lines[3].split("\t") == ["full", "Analysis", "", "0", "M1, M2", "0/1"]
    rows = json.loads(run(runner, ws, "status", "--format", "json", *common).stdout)
    assert [r["project"] for r in rows] == ["draft", "full"]
    assert rows[1]["overdue"] == ["M1", "M2"] and rows[1]["goals"] == 1
    # CSV for Excel in the workspace's language (issue 17): BOM, localized headers, yes/no
    csv_lines = run(runner, ws, "status", "--format", "csv", *common).stdout.splitlines()
    assert csv_lines[0].startswith("\ufeffProject,Title,Phase,Since,Days in phase,Unmet")
    assert csv_lines[2] == 'full,Full project,Analysis,,,,,"M1, M2",1,0,yes'
    plain = run(runner, ws, "status", "--format", "csv", "--plain", *common).stdout.splitlines()
    assert plain[0].startswith("project,title,phase,since,days_in_phase,unmet")
    assert plain[2] == 'full,Full project,analysis,,,,,"M1, M2",1,0,true'
    german = run(
        runner, ws, "status", "--format", "csv", "--as-of", "2027-07-01", "--lang", "de"
    ).stdout
    assert german.startswith("\ufeffProjekt;Titel;Phase;Seit;Tage in der Phase;")
    assert german.splitlines()[2] == "full;Full project;Analyse;;;;;M1, M2;1;0;ja"
    only = run(runner, ws, "status", "--phase", "needs", *common).stdout.splitlines()
    assert [line.split("\t")[0] for line in only[2:]] == ["draft"]
    groups = run(runner, ws, "status", "--target-group", "jugendliche", *common).stdout
    assert [line.split("\t")[0] for line in groups.splitlines()[2:]] == ["draft"]
    inside = run(runner, ws, "status", "--area", "nord", *common).stdout.splitlines()
    assert len(inside) == 4  # querenburg lies in nord
    none = run(runner, ws, "status", "--area", "sued", *common)
    assert none.stdout.splitlines()[2:] == [] and "no projects" in none.stderr


def test_gates_command_and_docs(runner: CliRunner) -> None:
    table = runner.invoke(app, ["gates", "--lang", "en"], catch_exceptions=False)
    lines = table.stdout.splitlines()
    assert lines[:2] == ["Phase gate criteria", "move\tcode\teffect\tcriterion"]
    assert len(lines) == 2 + len(gates.CRITERIA)
    assert lines[2].startswith("analysis → needs\tG-AREAS-KNOWN\tblocks\tareas known")
    markdown = runner.invoke(app, ["gates", "--format", "markdown"], catch_exceptions=False)
    assert markdown.stdout == (REPO / "docs" / "gates.md").read_text(encoding="utf-8")


def test_cycle_start_command(runner: CliRunner, tmp_path: Path) -> None:
    ws = build_ws(tmp_path, {"a": DRAFT_CARD.format(id="a")}, None)
    result = run(runner, ws, "cycle", "start", "2030", "--by", "K", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "cycle 2030 opened: cycles/2030.yaml",
        "carried over from none: none; new at analysis: a; ended, not carried over: none",
        "note: current_cycle in zyklus.yaml is 2027; set it to 2030 for the new cycle",
    ]
    assert ws.cycle_path(2030).read_text().startswith(HEADER + "\ncycle: 2030\n")
    again = run(runner, ws, "cycle", "start", "2030", "--lang", "en")
    assert (again.exit_code, " CY-EXISTS " in again.stderr) == (1, True)


def test_new_project_joins_the_current_cycle(runner: CliRunner, ws: Workspace) -> None:
    result = run(runner, ws, "new-project", "Neues Projekt", "--area", "querenburg",
                 "--target-group", "jugendliche")  # fmt: skip
    assert result.exit_code == 0, result.output
    state = read_cycle(Workspace(ws.root), 2027).projects["neues-projekt"]
    assert state.phase == "analysis" and state.history[0].from_ is None


# --- many processes at once, and git diffs --------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("ZYKLUS_WORKSPACE", None)
    return env


@pytest.mark.slow
def test_twenty_processes_change_one_cycle_at_once(tmp_path: Path) -> None:
    ids = [f"p{i:02d}" for i in range(20)]
    ws = build_ws(tmp_path, {i: full_card(i) for i in ids}, dict.fromkeys(ids, "analysis"))
    zyklus_cmd = [sys.executable, "-m", "zyklus"]
    commands = [
        [*zyklus_cmd, "advance", i, "--by", f"Person {i}", "--as-of", "2027-07-01"]
        if n % 2 == 0
        else [*zyklus_cmd, "record", "actual", i, "G1", str(n), "--date", "2025-05-31"]
        for n, i in enumerate(ids)
    ]
    processes = [
        subprocess.Popen(
            [*cmd, "--workspace", str(ws.root)],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for cmd in commands
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 20, outputs
    cycle = parse_cycle(ws.cycle_path(2027).read_text(encoding="utf-8"), "cycles/2027.yaml")
    for n, project_id in enumerate(ids):
        state = cycle.projects[project_id]
        if n % 2 == 0:
            assert state.phase == "needs"
            assert [h.by for h in state.history] == [f"Person {project_id}"]
        else:
            assert state.phase == "analysis"
            assert [a.value for a in state.actuals] == [float(n)]
    assert not [p for p in (ws.root / "cycles").iterdir() if p.name.endswith(".tmp")]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _block(text: str, project_id: str) -> range:
    """1-based line numbers of one project's block in a cycle file."""
    lines = text.splitlines()
    start = lines.index(f"  {project_id}:") + 1
    end = start
    while end < len(lines) and not re.match(r"^  \S", lines[end]):
        end += 1
    return range(start, end + 1)


def test_git_diff_of_an_advance_touches_only_that_project(
    runner: CliRunner, tmp_path: Path
) -> None:
    ids = ["alpha", "beta", "gamma"]
    ws = build_ws(tmp_path, {i: full_card(i) for i in ids}, dict.fromkeys(ids, "analysis"))
    for project_id in ids:  # give every block some history, in the tool's own format
        run(runner, ws, "advance", project_id, "--by", "P")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "start")
    before = ws.cycle_path(2027).read_text()
    result = run(runner, ws, "advance", "beta", "--by", "P", "--lang", "en")
    assert result.exit_code == 0, result.output
    after = ws.cycle_path(2027).read_text()
    diff = _git(tmp_path, "diff", "-U0", "--", "cycles/2027.yaml")
    hunks = re.findall(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", diff, re.MULTILINE)
    assert hunks
    old_block, new_block = _block(before, "beta"), _block(after, "beta")
    for old_start, old_len, new_start, new_len in hunks:
        old = range(int(old_start), int(old_start) + int(old_len or 1))
        new = range(int(new_start), int(new_start) + int(new_len or 1))
        assert all(n in old_block for n in old if old_len != "0"), diff
        assert all(n in new_block for n in new if new_len != "0"), diff
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert all("alpha" not in line and "gamma" not in line for line in changed)
    assert '+    phase: "goals"' in changed


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_ctrl_c_while_status_reads_the_cards_in_workers(tmp_path: Path) -> None:
    """The cards are parsed in workers (issue 21); Ctrl-C still ends everything at once."""
    from helpers import ZYKLUS, assert_interrupted_cleanly, with_many_cards

    root = with_many_cards(tmp_path / "ws", 3000)
    assert_interrupted_cleanly([*ZYKLUS, "status", "--lang", "en"], root)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_killed_worker_ends_status_with_a_message(tmp_path: Path) -> None:
    """A worker that reads the cards is killed: status tells it and ends (issue 21)."""
    from helpers import ZYKLUS, assert_lost_worker_told, with_many_cards

    root = with_many_cards(tmp_path / "ws", 3000)
    assert_lost_worker_told([*ZYKLUS, "status", "--lang", "en"], root)
