"""``zyklus partners``, ``budget``, ``funding`` and ``record spend`` through the CLI (issue 15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import REPO
from money_helpers import money_ws
from zyklus.cli import app


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the Bochum example workspace."""
    root = tmp_path / "bochum"
    root.mkdir()
    for name in ("zyklus.yaml", "projects", "offers", "cycles", "data", "funding"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


def run(runner: CliRunner, root: Path, *args: str) -> object:
    return runner.invoke(app, [*args, "-C", str(root)], catch_exceptions=False)


def test_the_example_validates_with_partners_funders_and_a_call(
    runner: CliRunner, example: Path
) -> None:
    result = run(runner, example, "validate", "--lang", "en")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert "24 files checked: 0 errors, 0 warnings" in result.output  # type: ignore[attr-defined]


def test_partners_on_the_example(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "partners", "jobcenter", "--lang", "en")
    lines = result.output.splitlines()  # type: ignore[attr-defined]
    assert lines[1].split("\t") == [
        "Partner",
        "Name",
        "Kind",
        "Level",
        "takes part in",
        "id",
        "Role",
        "Phase",
    ]
    assert (
        "jobcenter-im-quartier\tArbeitsvermittlung und Leistungsabteilung\tevaluation"
        in result.output
    )  # type: ignore[attr-defined]
    data = json.loads(run(runner, example, "partners", "--format", "json").output)  # type: ignore[attr-defined]
    assert {p["id"] for p in data} >= {"jobcenter", "agentur-fuer-arbeit", "via-ruhr"}
    unknown = run(runner, example, "partners", "jobcentre")
    assert unknown.exit_code == 2  # type: ignore[attr-defined]
    assert "M-PARTNER-UNKNOWN-HINT" in unknown.output  # type: ignore[attr-defined]


def test_budget_on_the_example(runner: CliRunner, example: Path) -> None:
    table = run(runner, example, "budget")
    assert table.exit_code == 0  # type: ignore[attr-defined]
    assert (
        "ausbildungsberufe-im-quartier\tAusbildungsberufe im Quartier (Beispieldaten)\timplementation\tkeine Angabe\tkeine Angabe\t5.000,00 €\tkeine Angabe\t1.600,30 €\tkeine Angabe"
        in table.output
    )  # type: ignore[attr-defined]
    data = json.loads(run(runner, example, "budget", "--by", "funder", "--format", "json").output)  # type: ignore[attr-defined]
    kommune = next(r for r in data["rows"] if r["key"] == "kommune")
    assert (kommune["requested"], kommune["granted"], kommune["spent"]) == (
        "8500.00",
        "5000.00",
        "1600.30",
    )
    esf = next(r for r in data["rows"] if r["key"] == "esf-plus")
    assert esf["granted"] is None  # the foreword names no amount: not given, not 0
    csv_text = run(runner, example, "budget", "--by", "year", "--format", "csv").output  # type: ignore[attr-defined]
    assert csv_text.splitlines()[1] == "2027,2027,,,5000.00,,1600.30,,True"
    bad = run(runner, example, "budget", "--by", "funders")
    assert bad.exit_code == 2 and "M-VIEW-UNKNOWN-HINT" in bad.output  # type: ignore[attr-defined]


def test_funding_on_the_example(runner: CliRunner, example: Path) -> None:
    result = run(runner, example, "funding", "--as-of", "2027-01-15", "--lang", "en")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    out = result.output  # type: ignore[attr-defined]
    assert "jobcenter-im-quartier (evaluation): target group langzeitarbeitslose" in out
    assert "ausbildungsberufe-im-quartier" not in out  # granted funding, other target group
    late = run(runner, example, "funding", "--as-of", "2027-04-01", "--lang", "en")
    assert "no open funding calls" in late.output  # type: ignore[attr-defined]


def test_record_spend(runner: CliRunner, tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    result = run(
        runner,
        ws.root,
        "record",
        "spend",
        "funded",
        "1250.50",
        "--date",
        "2027-03-31",
        "--funder",
        "kommune",
        "--allow-future",
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert result.output == "funded: spending of €1,250.50 on 2027-03-31 recorded (cycle 2027)\n"  # type: ignore[attr-defined]
    before = ws.cycle_path(2027).read_bytes()
    ambiguous = run(runner, ws.root, "record", "spend", "funded", "12.500", "--date", "2027-03-31")
    assert ambiguous.exit_code == 2  # type: ignore[attr-defined]
    assert "S-AMBIGUOUS-NUMBER" in ambiguous.output  # type: ignore[attr-defined]
    again = run(
        runner,
        ws.root,
        "record",
        "spend",
        "funded",
        "1250.50",
        "--date",
        "2027-03-31",
        "--funder",
        "kommune",
        "--allow-future",
    )
    assert again.exit_code == 1 and "M-SPEND-EXISTS" in again.output  # type: ignore[attr-defined]
    assert ws.cycle_path(2027).read_bytes() == before


def test_the_schemas_know_the_new_keys(runner: CliRunner) -> None:
    card = json.loads(runner.invoke(app, ["schema", "card"]).output)
    assert {"funding"} <= set(card["properties"])
    workspace = json.loads(runner.invoke(app, ["schema", "workspace"]).output)
    assert {"partners", "funders", "budget", "funding"} <= set(workspace["properties"])
    cycle = json.loads(runner.invoke(app, ["schema", "cycle"]).output)
    assert "spend" in json.dumps(cycle)
    call = json.loads(runner.invoke(app, ["schema", "funding"]).output)
    assert {"deadline", "max_amount", "own_share_percent"} <= set(call["properties"])


def test_control_characters_in_names_stay_on_one_line(runner: CliRunner, tmp_path: Path) -> None:
    from money_helpers import FUNDED

    card = FUNDED.replace("title: Funded project", 'title: "Funded\\nproject\\u001b[31m"')
    ws = money_ws(tmp_path, {"funded": card})
    out = run(runner, ws.root, "budget").output  # type: ignore[attr-defined]
    assert "\x1b" not in out
    assert "Funded\\nproject\\x1b[31m" in out
