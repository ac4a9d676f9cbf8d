"""``zyklus report`` through the command line (issue 6): files, paths, options, errors."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import html5lib
import pytest
from typer.testing import CliRunner

from helpers import REPO, ZYKLUS, subprocess_env
from zyklus.cli import app

AS_OF = "2027-09-30"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the Bochum example workspace, so reports/ is written on tmp_path."""
    root = tmp_path / "bochum"
    root.mkdir()
    shutil.copy(REPO / "zyklus.yaml", root)
    for folder in ("projects", "cycles", "offers", "data"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_writes_both_formats_and_prints_the_paths(runner: CliRunner, example: Path) -> None:
    code, out, err = _run(runner, "report", "--cycle", "2027", "--as-of", AS_OF, "-C", str(example))
    assert code == 0, err
    assert out.splitlines() == [
        "Bericht geschrieben: reports/2027/report.md",
        "Bericht geschrieben: reports/2027/report.html",
    ]
    assert err == ""  # a fixed --as-of needs no note
    md = (example / "reports/2027/report.md").read_text(encoding="utf-8")
    html = (example / "reports/2027/report.html").read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(html)
    assert md.startswith("# Bericht zum Zyklus 2027\n")
    assert "Stand: 30.09.2027" in md and "Stand: 30.09.2027" in html
    for title in ("Jobcenter im Quartier", "Ausbildungsberufe im Quartier"):
        assert f"### {title}" in md and title in html


def test_default_cycle_is_the_current_one_and_as_of_today_is_said(
    runner: CliRunner, example: Path
) -> None:
    code, out, err = _run(runner, "report", "--format", "md", "--lang", "en", "-C", str(example))
    assert code == 0, err
    assert out == "report written: reports/2027/report.md\n"
    today = date.today().isoformat()
    assert err == f"as of {today} (today; pass --as-of to make the report reproducible)\n"
    md = (example / "reports/2027/report.md").read_text(encoding="utf-8")
    assert f"As of {today}" in md
    assert not (example / "reports/2027/report.html").exists()


def test_second_run_is_byte_identical(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    for out in ("a", "b"):
        code, _, err = _run(
            runner, "report", "--as-of", AS_OF, "--out", str(tmp_path / out), "-C", str(example)
        )
        assert code == 0, err
    for name in ("report.md", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow
def test_identical_across_processes_and_hash_seeds(example: Path, tmp_path: Path) -> None:
    """Set and dict order must not leak into the output (PYTHONHASHSEED differs)."""
    outputs = []
    for seed in ("1", "4242"):
        env = subprocess_env() | {"PYTHONHASHSEED": seed}
        out = tmp_path / f"seed{seed}"
        done = subprocess.run(
            [*ZYKLUS, "report", "--as-of", AS_OF, "--out", str(out), "-C", str(example)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append([(out / n).read_bytes() for n in ("report.md", "report.html")])
    assert outputs[0] == outputs[1]


def test_out_folder_and_project_report(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    out = tmp_path / "neu" / "tief"
    code, stdout, err = _run(
        runner,
        "report",
        "--project",
        "jobcenter-im-quartier",
        "--format",
        "html",
        "--out",
        str(out),
        "--as-of",
        AS_OF,
        "-C",
        str(example),
    )
    assert code == 0, err
    written = out / "report-jobcenter-im-quartier.html"
    assert stdout == f"Bericht geschrieben: {written}\n"
    assert sorted(p.name for p in out.iterdir()) == ["report-jobcenter-im-quartier.html"]
    html = written.read_text(encoding="utf-8")
    assert "Jobcenter im Quartier" in html and "Logokampagne" not in html


def test_unknown_project_has_a_did_you_mean(runner: CliRunner, example: Path) -> None:
    code, out, err = _run(
        runner, "report", "--project", "jobcenter-im-quartir", "--lang", "en", "-C", str(example)
    )
    assert code == 2
    assert out == ""
    assert err == (
        "<input>: W-UNKNOWN-PROJECT-HINT unknown project 'jobcenter-im-quartir'"
        " – did you mean 'jobcenter-im-quartier'?\n"
    )
    assert not (example / "reports").exists()


def test_project_id_cannot_be_a_path(runner: CliRunner, example: Path) -> None:
    code, _, err = _run(runner, "report", "--project", "../../etc/passwd", "-C", str(example))
    assert code == 2 and "W-UNKNOWN-PROJECT" in err
    assert not (example / "reports").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--cycle", "2030"], "cycles/2030.yaml: R-UNKNOWN-CYCLE there is no cycle 2030"),
        (["--as-of", "30.09.2027"], "R-AS-OF '30.09.2027' is not a date"),
        (["--format", "docx"], "E-FORMAT unknown format 'docx'; choose one of md, html, pdf, all"),
    ],
)
def test_usage_errors(runner: CliRunner, example: Path, args: list[str], expected: str) -> None:
    code, out, err = _run(runner, "report", *args, "--lang", "en", "-C", str(example))
    assert code == 2
    assert out == ""
    assert expected in err
    assert "Traceback" not in err
    assert not (example / "reports").exists()


def test_out_must_be_a_folder(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    code, _, err = _run(runner, "report", "--out", str(target), "--lang", "en", "-C", str(example))
    assert code == 2
    assert "R-OUT-NOT-DIR" in err or "is a file" in err
    assert target.read_text(encoding="utf-8") == "x"


def test_broken_card_is_reported_with_its_line(runner: CliRunner, example: Path) -> None:
    """With --strict a card with errors refuses the report (without it: listed, issue 12)."""
    (example / "projects/kaputt.yaml").write_text(
        "id: kaputt\ntitle: Kaputt\nareas: [citywide]\ntarget_groups: [langzeitarbeitslose]\n"
        "resources: {budget_eur: 12.500}\n",
        encoding="utf-8",
    )
    code, out, err = _run(runner, "report", "--lang", "en", "--strict", "-C", str(example))
    assert code == 1
    assert out == ""
    assert err.startswith("projects/kaputt.yaml:5:")
    assert "S-AMBIGUOUS-NUMBER" in err
    assert not (example / "reports").exists()


def test_english_report_has_english_numbers(runner: CliRunner, example: Path) -> None:
    code, _, err = _run(
        runner, "report", "--lang", "en", "--as-of", AS_OF, "--format", "md", "-C", str(example)
    )
    assert code == 0, err
    md = (example / "reports/2027/report.md").read_text(encoding="utf-8")
    assert md.startswith("# Report on the 2027 cycle\n")
    assert "| **Sum of what is given** | **0.15 FTE** |" in md
    assert "| **Sum of what is given** | **n/a** | **€8,500** | **€5,000** |" in md
    assert "BA-Distrikt 554: 11.7% (1.70 times the city value), although Querenburg" in md
    assert "As of 2027-09-30" in md


def test_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(app, ["report", "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example: zyklus report --cycle 2027" in result.stdout


# --- one invalid card does not block the report (issue 12) ---------------------------------


def _break_a_card(example: Path) -> None:
    card = example / "projects" / "jba-bei-sportvereinen.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("\ntitle: ", "\ntitle: [kaputt]\ntitel: ", 1), encoding="utf-8")


def test_an_invalid_card_is_listed_and_the_report_still_written(
    runner: CliRunner, example: Path
) -> None:
    _break_a_card(example)
    code, out, err = _run(runner, "report", "--cycle", "2027", "--as-of", AS_OF, "-C", str(example))
    assert code == 0, err
    assert "Bericht geschrieben: reports/2027/report.md" in out
    assert "projects/jba-bei-sportvereinen.yaml:" in err  # the problem is told on the terminal
    md = (example / "reports/2027/report.md").read_text(encoding="utf-8")
    assert "### jba-bei-sportvereinen – Karte fehlerhaft" in md
    assert "S-TYPE" in md.split("Karte fehlerhaft", 1)[1]
    html = (example / "reports/2027/report.html").read_text(encoding="utf-8")
    assert "jba-bei-sportvereinen – Karte fehlerhaft</h3>" in html


def test_strict_refuses_the_report_on_an_invalid_card(runner: CliRunner, example: Path) -> None:
    _break_a_card(example)
    args = ("report", "--cycle", "2027", "--as-of", AS_OF, "--strict", "-C", str(example))
    code, _, err = _run(runner, *args)
    assert code == 1
    assert "projects/jba-bei-sportvereinen.yaml:" in err
    assert not (example / "reports").exists()
