"""CLI tests of ``zyklus analyse`` and of data problems in ``zyklus validate`` (issue 5)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zyklus.cli import app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _run(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--workspace", str(ws)], catch_exceptions=False)


def _copy(tmp_path: Path) -> Path:
    """The Bochum example (config and data only) to break on purpose."""
    ws = tmp_path / "ws"
    (ws / "data").mkdir(parents=True)
    shutil.copy(REPO / "zyklus.yaml", ws / "zyklus.yaml")
    for name in ("areas.csv", "indicators.csv"):
        shutil.copy(REPO / "data" / name, ws / "data" / name)
    return ws


def test_table_on_the_districts_of_querenburg(runner: CliRunner) -> None:
    result = _run(
        runner, REPO, "analyse", "--indicator", "arbeitslosenanteil", "--level", "ba-distrikt"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Kleinräumige Analyse: Kommunale Arbeitsmarktstrategie Bochum"
    assert "Arbeitslosenanteil in % – ba-distrikt – 31.12.2023 (Stadt Bochum: 6,9 %)" in lines
    assert "1\tBA-Distrikt 557\tQuerenburg\t11,9 %\t1,72\t+5,0 Pp.\tSchwerpunkt" in lines
    assert "4\tBA-Distrikt 552\tQuerenburg\t6,9 %\t1,00\t±0,0 Pp.\tim Durchschnitt" in lines
    assert (
        "Arbeitslosenanteil in %\tBA-Distrikt 554\t11,7 %\t1,70\tQuerenburg\t6,8 %"
        "\tim Durchschnitt\t–" in lines
    )
    assert (
        "BA-Distrikt 554\tLangzeitarbeitslose\tjba-bei-sportvereinen (gesamtstädtisch), jobcenter-im-quartier (direkt)"
        in lines
    )


def test_english_number_forms(runner: CliRunner) -> None:
    result = _run(
        runner,
        REPO,
        "analyse",
        "--lang",
        "en",
        "--level",
        "ortsteil",
        "--indicator",
        "arbeitslosenanteil",
    )
    assert result.exit_code == 0, result.output
    assert "1\tKruppwerke\tMitte\t12.1%\t1.75\t+5.2 pp\thotspot" in result.stdout.splitlines()
    assert (
        "2\tWattenscheid-Mitte\tWattenscheid\t12.1%\t1.75\t+5.2 pp\thotspot"
        in result.stdout.splitlines()
    )


def test_sum_note_in_german_number_form(runner: CliRunner) -> None:
    result = _run(runner, REPO, "analyse", "--indicator", "arbeitslose", "--level", "stadtbezirk")
    assert result.exit_code == 0, result.output
    assert (
        "data/indicators.csv:2\tD-SUM-DIFF Stadt Bochum (arbeitslose): 16.797 laut Datei, die 6 "
        "Teilgebiete ergeben zusammen 16.762 (Differenz 35); Hinweis, kein Fehler"
    ) in result.stdout.splitlines()
    assert "1\tMitte\tStadt Bochum\t5.361 Personen" in result.stdout.splitlines()


def test_json_is_the_plain_data(runner: CliRunner) -> None:
    result = _run(runner, REPO, "analyse", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(h["area"] for h in data["hidden_hotspots"]) == ["554", "555", "557"]
    assert data["indicators"][1]["period"] == "2023-12-31"
    assert data["illustrative"] is False
    row = data["rankings"][3]["rows"][0]
    assert (row["area"], row["class_"], row["ratio"], row["diff_pp"]) == (
        "kruppwerke",
        "hotspot",
        1.7536,
        5.2,
    )
    assert {"project", "other", "other_kind", "acknowledged"} <= set(data["duplicates"][0])


def test_markdown(runner: CliRunner) -> None:
    result = _run(
        runner, REPO, "analyse", "--format", "md", "--level", "ba-distrikt", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# Small-area analysis: Kommunale Arbeitsmarktstrategie Bochum"
    assert "| 1 | BA-Distrikt 557 | Querenburg | 11.9% | 1.72 | +5.0 pp | hotspot |" in lines
    assert "## Hidden hotspots (hotspot inside an area at or below average)" in lines


def test_period_option(runner: CliRunner) -> None:
    ok = _run(runner, REPO, "analyse", "--period", "31.12.2023", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["rankings"]
    missing = _run(runner, REPO, "analyse", "--period", "2020-12-31", "--lang", "en")
    assert missing.exit_code == 2
    assert (
        missing.stderr
        == "<input>: A-NO-PERIOD no values for the period 2020-12-31; available: 2023-12-31\n"
    )
    bad = _run(runner, REPO, "analyse", "--period", "Ende 2023", "--lang", "en")
    assert bad.exit_code == 2 and "A-PERIOD-FORMAT" in bad.stderr


def test_unknown_indicator_and_level_are_usage_errors(runner: CliRunner) -> None:
    result = _run(runner, REPO, "analyse", "--indicator", "arbeitslosenquote", "--lang", "en")
    assert result.exit_code == 2
    assert (
        "A-UNKNOWN-INDICATOR-HINT indicator 'arbeitslosenquote' is not declared in zyklus.yaml – did you mean 'arbeitslosenanteil'?"
        in result.stderr
    )
    result = _run(runner, REPO, "analyse", "--level", "distrikt", "--lang", "en")
    assert result.exit_code == 2 and "did you mean 'ba-distrikt'?" in result.stderr
    result = _run(runner, REPO, "analyse", "--format", "pdf")
    assert result.exit_code == 2


def test_bad_data_file_exits_1_with_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    path = ws / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8").replace(
        "554,arbeitslosenanteil,2023-12-31,11.7", "554,arbeitslosenanteil,2023-12-31,117"
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("554,arbeitslosenanteil,2023-12-31,117") + 1
    result = _run(runner, ws, "analyse", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr == (
        f"data/indicators.csv:{line}: D-PERCENT-RANGE '117' is outside 0 to 100; "
        "indicator 'arbeitslosenanteil' is a percentage\n"
    )
    assert result.stdout == ""


def test_validate_reports_data_problems(runner: CliRunner, tmp_path: Path) -> None:
    ws = _copy(tmp_path)
    with (ws / "data" / "indicators.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "querenburgg,arbeitslosenanteil,2023-12-31,6.8\nbochum,arbeitslosenanteil,2023-12-31,6.9\n"
        )
    result = _run(runner, ws, "validate", "--lang", "en")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "data/indicators.csv:85: D-AREA-UNKNOWN-HINT area 'querenburgg' is not in data/areas.csv – did you mean 'querenburg'?",
        "data/indicators.csv:86: D-DUPLICATE value for 'bochum', 'arbeitslosenanteil', 2023-12-31 appears twice (first at line 3)",
        "1 file checked: 2 errors, 0 warnings",
    ]


def test_validate_passes_on_the_example(runner: CliRunner) -> None:
    result = _run(runner, REPO, "validate")
    assert result.exit_code == 0, result.output


def test_cycle_collector_paused_while_analysing_and_restored(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: the collector does not walk half a million values again and again; the
    process gets it back as it was, also when the data is bad."""
    import gc

    from zyklus.needs import analysis

    seen: list[bool] = []
    real = analysis.analyse

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis, "analyse", watched)
    assert gc.isenabled()
    assert _run(runner, REPO, "analyse", "--format", "json").exit_code == 0
    assert seen == [False]
    assert gc.isenabled()
    ws = _copy(tmp_path)
    (ws / "data" / "indicators.csv").write_text("area,indicator,period,value\nx,y,z,1\n")
    assert _run(runner, ws, "analyse").exit_code == 1
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that paused it keeps it paused
        assert _run(runner, REPO, "analyse", "--format", "json").exit_code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_indicators_read_by_a_worker_report_as_in_one_process(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: with workers, data/indicators.csv is read by one of them while the cycle
    file and the cards are read here; the output and the errors are those of one process,
    and a broken data file is still reported before a broken cycle file."""
    from helpers import counted_pools, with_many_cards
    from zyklus.files import workers

    root = with_many_cards(tmp_path / "ws", 12)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    pools = counted_pools(monkeypatch)

    def both(*args: str) -> tuple[int, str, str]:
        seen = []
        for jobs in ("1", "2"):
            monkeypatch.setenv("ZYKLUS_JOBS", jobs)
            result = _run(runner, root, "analyse", "--lang", "en", *args)
            seen.append((result.exit_code, result.stdout, result.stderr))
        assert seen[0] == seen[1]
        return seen[0]

    code, out, _ = both("--format", "json")
    assert code == 0 and json.loads(out)["rankings"] and pools == [2]
    cycle = root / "cycles" / "2027.yaml"
    cycle.write_text("year: [\n", encoding="utf-8")
    code, _, err = both()
    assert code == 1 and "cycles/2027.yaml" in err
    with (root / "data" / "indicators.csv").open("a", encoding="utf-8") as handle:
        handle.write("querenburg,arbeitslose,2023-12-31,1.340\n")
    code, _, err = both()
    assert err == (
        "data/indicators.csv:85: D-DUPLICATE value for 'querenburg', 'arbeitslose', "
        "2023-12-31 appears twice (first at line 66)\n"
    )
