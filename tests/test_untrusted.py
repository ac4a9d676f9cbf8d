"""A workspace from a merge request is untrusted: no bad input ends in exit 3 (issue 20).

Each test names one root cause the review found: a symlink loop, an empty label, odd
digits in a cycle file name, years and numbers out of range, empty arguments, file names
that are not UTF-8, an output that cannot be written. ``validate`` refuses what the other
commands could not handle, and every other command handles what ``validate`` accepts.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import REPO, ZYKLUS, subprocess_env
from zyklus.cli import app

PROJECT = "jobcenter-im-quartier"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the Bochum example workspace."""
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy2(REPO / "zyklus.yaml", root / "zyklus.yaml")
    for folder in ("data", "offers", "projects", "cycles"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def run(ws: Path, *args: str) -> tuple[int, str, str]:
    """In-process, ``catch_exceptions=False``: a crash fails the test with its traceback."""
    result = CliRunner().invoke(
        app, [*args, "--lang", "en", "--workspace", str(ws)], catch_exceptions=False
    )
    return result.exit_code, result.stdout, result.stderr


def shell(ws: Path, command: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The installed entry point (``main``), where streams and exit codes are decided."""
    env = subprocess_env() | {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    zyklus = " ".join(ZYKLUS)
    return subprocess.run(
        ["sh", "-c", f"{zyklus} {command}"],
        cwd=ws,
        env=env,
        capture_output="stdout" not in kwargs,
        text=True,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )


# --- 1. a symlink loop in projects/, offers/ or cycles/ ----------------------------------------


def test_a_symlink_loop_does_not_crash_commands_on_other_projects(example: Path) -> None:
    (example / "projects/loop.yaml").symlink_to("loop.yaml")
    (example / "offers/a.yaml").symlink_to("b.yaml")
    (example / "offers/b.yaml").symlink_to("a.yaml")
    (example / "cycles/2030.yaml").symlink_to("2030.yaml")
    code, _, err = run(example, "advance", "beratung-ba-im-quartier", "--dry-run")
    assert code == 1 and "CY-GATE-REFUSED" in err  # the gate, not a crash
    code, _, err = run(example, "validate", str(example / f"projects/{PROJECT}.yaml"))
    assert code == 0, err
    code, _, err = run(example, "validate", str(example / "projects/loop.yaml"))
    assert code == 1 and "projects/loop.yaml: Y-READ" in err
    code, _, err = run(
        example, "record", "milestone", PROJECT, "M1", "--done", "2026-02-03", "--replace"
    )
    assert code == 0, err


# --- 2. `label: {}` ------------------------------------------------------------------------------


def test_an_empty_label_is_refused_by_validate(example: Path) -> None:
    config = example / "zyklus.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace(
        "    label:\n      de: Jugendliche mit besonderem Bedarf\n      en: Young people with particular needs\n",
        "    label: {}\n",
        1,
    )
    config.write_text(text, encoding="utf-8")
    code, _, err = run(example, "validate")
    assert code == 1
    assert "zyklus.yaml:28:12: S-EMPTY" in err
    for command in (["analyse"], ["report", "--out", str(example / "out")]):
        code, _, err = run(example, *command)
        assert code == 1 and "S-EMPTY" in err


# --- 3. a cycle file named with superscript digits ---------------------------------------------


def test_a_cycle_file_with_superscript_digits_is_not_a_year(example: Path) -> None:
    shutil.copy2(example / "cycles/2027.yaml", example / "cycles/²⁰²⁸.yaml")
    code, _, err = run(example, "validate")
    assert code == 1 and "X-CYCLE-YEAR" in err
    code, _, err = run(example, "status")
    assert code == 0, err
    code, _, err = run(example, "report", "--as-of", "2027-06-30", "--out", str(example / "out"))
    assert code == 0, err


# --- 4. years and numbers out of range, empty arguments ---------------------------------------


@pytest.mark.parametrize("year", ["1899", "2201", "0", "99999"])
def test_a_year_outside_1900_to_2200_is_a_usage_error(example: Path, year: str) -> None:
    code, _, err = run(example, "cycle", "start", year)
    assert code == 2
    assert f"TR-YEAR-RANGE {year} is not a year a cycle can have; allowed are 1900 to 2200" in err
    code, _, err = run(example, "status", "--cycle", year)
    assert code == 2 and "TR-YEAR-RANGE" in err
    assert sorted(p.name for p in (example / "cycles").iterdir()) == ["2024.yaml", "2027.yaml"]


@pytest.mark.parametrize("value", ["1e309", "-1e309", "1E999"])
def test_a_value_beyond_float_is_a_usage_error(example: Path, value: str) -> None:
    before = (example / "cycles/2027.yaml").read_bytes()
    args = ["record", "actual", "--lang", "en", "-C", str(example), "--date", "2026-03-01"]
    result = CliRunner().invoke(app, [*args, PROJECT, "G2", "--", value], catch_exceptions=False)
    code, err = result.exit_code, result.stderr
    assert code == 2, err
    assert f"TR-NOT-FINITE '{value}' is not a finite number" in err
    assert (example / "cycles/2027.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["record", "evaluation", PROJECT, "--verdict", "continue", "--summary", ""], "--summary"),
        (
            ["record", "evaluation", PROJECT, "--verdict", "continue", "--summary", "  "],
            "--summary",
        ),
        (["record", "actual", PROJECT, "", "5", "--date", "2026-03-01"], "GOAL"),
        (["record", "actual", PROJECT, "G1", "--not-measured", ""], "--not-measured"),
        (["record", "milestone", PROJECT, "", "--done", "2026-03-01"], "MILESTONE"),
    ],
)
def test_an_empty_argument_is_a_usage_error(example: Path, args: list[str], option: str) -> None:
    code, _, err = run(example, *args, "--replace")
    assert code == 2, err
    assert f"TR-ARG-EMPTY {option} must not be empty" in err


def test_a_goal_id_that_no_card_can_have_is_a_usage_error(example: Path) -> None:
    code, _, err = run(example, "record", "actual", PROJECT, "Ä1", "5", "--date", "2026-03-01")
    assert code == 2
    assert "TR-ARG-INVALID GOAL: 'Ä1' is not allowed here" in err


def test_an_unknown_status_filter_is_a_usage_error(example: Path) -> None:
    code, _, err = run(example, "status", "--area", "querenbur")
    assert code == 2 and "did you mean 'querenburg'" in err
    code, _, err = run(example, "status", "--target-group", "nobody")
    assert code == 2 and "X-TG-UNKNOWN" in err


# --- 5. a file name that is not UTF-8 ----------------------------------------------------------


def test_a_non_utf8_file_name_reaches_json_and_the_report_escaped(example: Path) -> None:
    card = (example / f"projects/{PROJECT}.yaml").read_bytes()
    name = bytes(example / "projects") + b"/odd-\xff.yaml"
    Path(name.decode("utf-8", "surrogateescape")).write_bytes(
        card.replace(PROJECT.encode(), b"odd")
    )
    for command in ("validate --format json", "status --format json", "analyse --format json"):
        done = shell(example, command)
        assert done.returncode in (0, 1), done.stderr
        data = json.loads(done.stdout)
        assert "\\udc" not in done.stdout and "\udcff" not in done.stdout
        if command.startswith("validate"):
            assert "projects/odd-\\xff.yaml" in {p["path"] for p in data["problems"]}
    done = shell(example, "report --as-of 2027-06-30 --out out")
    assert done.returncode == 0, done.stderr
    html = (example / "out/report.html").read_text(encoding="utf-8")
    assert "odd-\\xff" in html or "odd" in html


# --- 6. an output that cannot be written ------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "status --format json", "validate", "gates"])
def test_a_full_stdout_is_exit_1_with_a_message(example: Path, command: str) -> None:
    done = shell(example, f"{command} > /dev/full")
    assert done.returncode == 1, done.stderr
    assert "E-OUTPUT the output could not be written (No space left on device)" in done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_closed_stdout_is_exit_1_and_a_closed_pipe_is_quiet(example: Path) -> None:
    done = shell(example, "status >&-")
    assert done.returncode == 1
    assert "E-OUTPUT the output could not be written (Bad file descriptor)" in done.stderr
    done = shell(example, "'status' --format json | head -c 1 >/dev/null; exit ${PIPESTATUS:-0}")
    assert "Traceback" not in done.stderr and "E-INTERNAL" not in done.stderr


# --- 7. one escaping rule per output format, used everywhere ----------------------------------

HOSTILE_AREA = "<img src=x onerror=alert(1)> [klick](javascript:alert(1)) \x1b[31mrot"


def _rename_area(ws: Path, area: str, name: str) -> None:
    import csv
    import io

    path = ws / "data/areas.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row[0] == area:
            row[1] = name
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_status_csv_neutralises_formulas_in_titles(example: Path) -> None:
    import csv
    import io

    card = example / f"projects/{PROJECT}.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(
        text.replace("title: Jobcenter im Quartier", 'title: "=HYPERLINK(\\"http://x\\")"', 1),
        encoding="utf-8",
    )
    code, out, err = run(example, "status", "--format", "csv", "--plain")
    assert code == 0, err
    rows = {row["project"]: row for row in csv.DictReader(io.StringIO(out))}
    assert rows[PROJECT]["title"] == '\'=HYPERLINK("http://x")'
    assert all(not v.startswith(("=", "+", "@")) for row in rows.values() for v in row.values())


def test_analyse_markdown_has_no_raw_html_images_or_links(example: Path) -> None:
    _rename_area(example, "bezirk-mitte", HOSTILE_AREA)
    code, out, err = run(example, "analyse", "--format", "md")
    assert code == 0, err
    assert "<img" not in out and "\x1b" not in out
    assert re.search(r"(?<!\\)\]\(", out) is None  # no link or image survives
    assert (
        "&lt;img src=x onerror=alert(1)&gt; \\[klick\\](javascript:alert(1)) \\\\x1b\\[31mrot"
        in out
    )


def test_analyse_table_shows_escape_sequences_escaped(example: Path) -> None:
    _rename_area(example, "bezirk-mitte", HOSTILE_AREA)
    code, out, err = run(example, "analyse")
    assert code == 0, err
    assert "\x1b" not in out
    assert "\\x1b[31mrot" in out


def test_a_newline_in_a_file_name_cannot_forge_a_problem_line(example: Path) -> None:
    forged = "x.yaml\nfake.yaml:1:1: E-FAKE all is lost"
    (example / "offers" / f"{forged}.yaml").write_text("id: x\n", encoding="utf-8")
    code, _, err = run(example, "validate")
    assert code == 1
    lines = err.splitlines()
    assert not any(line.startswith("fake.yaml") for line in lines), lines
    assert any(line.startswith("offers/x.yaml\\nfake.yaml:1:1: E-FAKE") for line in lines)


def test_rich_tables_show_control_characters_and_markup_as_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from zyklus.cli.terminal import print_table

    print_table("T\x1b]0;title\x07", ["a"], [["\x1b[31mrot"], ["[bold red]laut[/]"]], plain=False)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[31mrot" in out and "[bold red]laut[/]" in out


# --- 8. files that lie: card creation is atomic, lock files are not links --------------------

NEW = ["new-project", "Neues Projekt", "-a", "querenburg", "-t", "langzeitarbeitslose"]


def _listing(ws: Path) -> list[str]:
    return sorted(p.name for p in (ws / "projects").iterdir())


def test_new_project_on_a_full_disk_leaves_nothing(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    before, cycle = _listing(example), (example / "cycles/2027.yaml").read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run(example, *NEW)
    assert code == 1
    assert "E-OS" in err and "No space left on device" in err
    assert _listing(example) == before
    assert (example / "cycles/2027.yaml").read_bytes() == cycle


def test_a_card_that_cannot_get_its_name_takes_its_cycle_entry_back(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from zyklus.files import scaffold

    before, cycle = _listing(example), (example / "cycles/2027.yaml").read_bytes()

    def refuse(tmp: Path, path: Path) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(scaffold, "publish_new", refuse)
    code, _, _ = run(example, *NEW)
    assert code == 1
    assert _listing(example) == before
    assert (example / "cycles/2027.yaml").read_bytes() == cycle


def test_a_kill_between_the_cycle_entry_and_the_card_is_repaired_by_running_it_again(
    example: Path,
) -> None:
    from zyklus.cycle import register_new_project
    from zyklus.files.workspace import Workspace

    register_new_project(Workspace(example), "neues-projekt")  # then kill -9
    (example / "projects/.neues-projekt.yaml.x1y2.tmp").write_text(
        "id: neues-pro", encoding="utf-8"
    )
    code, _, err = run(example, *NEW)
    assert code == 0, err
    assert "neues-projekt.yaml" in _listing(example)
    assert not [n for n in _listing(example) if n.endswith(".tmp")]
    assert (example / "cycles/2027.yaml").read_text(encoding="utf-8").count("neues-projekt:") == 1
    code, _, err = run(example, "validate")
    assert code == 0, err


@pytest.mark.slow
def test_kill_9_during_new_project_never_leaves_what_no_command_repairs(example: Path) -> None:
    import random
    import signal
    import time

    rng = random.Random(20)
    for attempt in range(12):
        title = f"Kill {attempt}"
        ident = f"kill-{attempt}"
        command = [*ZYKLUS, "new-project", title, "-a", "querenburg", "-t", "langzeitarbeitslose"]
        process = subprocess.Popen(
            command,
            cwd=example,
            env=subprocess_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        card = example / f"projects/{ident}.yaml"
        listed = f"{ident}:" in (example / "cycles/2027.yaml").read_text(encoding="utf-8")
        if card.exists():
            assert listed, f"attempt {attempt}: a card the cycle does not know"
            assert card.read_text(encoding="utf-8").startswith(("#", "id:"))
        elif listed:  # the entry came first: the same command completes it
            done = subprocess.run(
                command,
                cwd=example,
                env=subprocess_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            assert done.returncode == 0, done.stderr
    code, _, err = run(example, "validate")
    assert code == 0, err


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(example: Path) -> None:
    target = example / "precious.txt"
    target.write_text("do not truncate", encoding="utf-8")
    (example / "cycles/.2027.yaml.lock").symlink_to(target)
    code, _, err = run(
        example, "record", "milestone", PROJECT, "M1", "--done", "2026-02-03", "--replace"
    )
    assert code == 1
    assert "cycles/.2027.yaml.lock: TR-LOCK-SYMLINK" in err
    assert target.read_text(encoding="utf-8") == "do not truncate"


def test_filelock_is_bound_to_releases_that_refuse_links() -> None:
    import tomllib

    deps = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    assert "filelock>=3.20.3,<5" in deps


# --- 9. output folders that are links ----------------------------------------------------------


def test_a_symlinked_reports_folder_cannot_take_the_report_outside(
    example: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (example / "reports").symlink_to(outside)
    code, _, err = run(example, "report", "--as-of", "2027-06-30")
    assert code == 1
    assert "TR-OUT-OUTSIDE the folder reports/2027 leads out of the workspace" in err
    code, _, err = run(
        example, "report", "--as-of", "2027-06-30", "--out", str(example / "reports/x")
    )
    assert code == 1 and "TR-OUT-OUTSIDE" in err
    assert list(outside.iterdir()) == []
    code, _, err = run(example, "report", "--as-of", "2027-06-30", "--out", str(outside / "mine"))
    assert code == 0, err  # a folder outside, named by the user, is the user's choice
    assert (outside / "mine/report.html").is_file()


# --- 10. undeclared ids in zyklus.yaml, comments a rewrite would drop -------------------------


def test_zyklus_yaml_ids_it_uses_are_ids_it_declares(example: Path) -> None:
    config = example / "zyklus.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("city: bochum", "city: bochumm", 1)
    text = text.replace(
        "target_groups:\n  # Kap. 3.1\n",
        "target_groups:\n  - id: langzeitarbeitslose\n    label: Doppelt\n  # Kap. 3.1\n",
        1,
    )
    text = text.replace(
        "    target_groups: [jugendliche-mit-besonderem-bedarf]", "    target_groups: [niemand]", 1
    )
    config.write_text(text, encoding="utf-8")
    code, _, err = run(example, "validate")
    assert code == 1
    assert "zyklus.yaml:20:7: X-AREA-UNKNOWN-HINT area 'bochumm' is not in data/areas.csv" in err
    assert (
        "TR-CONFIG-DUPLICATE target group 'langzeitarbeitslose' is declared more than once" in err
    )
    assert (
        "X-TG-UNKNOWN target group 'niemand' is not declared in zyklus.yaml (at strategic_goals[0].target_groups[0])"
        in err
    )


def test_a_comment_below_the_top_block_of_a_cycle_file_is_warned_about(example: Path) -> None:
    from zyklus.files.loader import dropped_comments

    assert dropped_comments('# kept\ncycle: 2027\n# lost\nnote: "a # b"\nx: 1 # lost\n') == [3, 5]
    path = example / "cycles/2027.yaml"
    text = path.read_text(encoding="utf-8").replace(
        '    phase: "implementation"\n', '    phase: "implementation"  # nach dem Ausschuss\n', 1
    )
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index('    phase: "implementation"  # nach dem Ausschuss') + 1
    code, _, err = run(example, "validate", "--strict")
    assert code == 1
    assert (
        f"cycles/2027.yaml:{line}: TR-CYCLE-COMMENT 1 comment(s) from here on will be lost" in err
    )
    code, _, err = run(example, "validate")
    assert code == 0, err  # a warning, not an error


# --- 11. fuzz: hostile text through every output format ---------------------------------------

_HOSTILE = st.text(
    alphabet=st.sampled_from(
        [*list("=+-@\t\r\n<>&\"'`|*_[]()#!~\\:/ aZ0ä"), "\x1b", "\x07", "\u202e", "\x1f"]
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() and s.strip() == s and "\n" not in s and "\r" not in s)
_WORDS = st.sampled_from(
    ["=cmd|' /C calc'!A0", "<script>alert(1)</script>", "[x](javascript:alert(1))",
     "![i](http://x/i.png)", "\x1b[2J\x1b[31mrot", "@SUM(1+1)", "-2+3", "a\u202eb", "<img src=x>"]
)  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("outputs") / "ws"
    root.mkdir()
    shutil.copy2(REPO / "zyklus.yaml", root / "zyklus.yaml")
    for folder in ("data", "offers", "projects", "cycles"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def _assert_inert(fmt: str, text: str) -> None:
    if fmt == "csv":
        import csv
        import io

        for row in csv.reader(io.StringIO(text)):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row
    elif fmt == "json":
        json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    elif fmt == "md":
        assert re.search(r"<(?!br>)", text) is None
        assert re.search(r"(?<!\\)\]\(", text) is None
    elif fmt == "html":
        import html5lib

        html5lib.HTMLParser(strict=False).parse(text)
        assert (
            "<script" not in text
            and "<img" not in text
            and "javascript:" not in text.replace("javascript:alert", "")
        )
    if fmt not in ("html", "csv", "json"):  # CSV and JSON carry text as data, escaped their way
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.one_of(_WORDS, _HOSTILE), area=st.one_of(_WORDS, _HOSTILE))
@pytest.mark.slow
def test_fuzz_every_output_format_keeps_hostile_text_inert(
    fuzz_ws: Path, title: str, area: str
) -> None:
    card = fuzz_ws / f"projects/{PROJECT}.yaml"
    original = (REPO / f"projects/{PROJECT}.yaml").read_text(encoding="utf-8")
    card.write_text(
        original.replace("title: Jobcenter im Quartier", f"title: {json.dumps(title)}", 1),
        encoding="utf-8",
    )
    shutil.copy2(REPO / "data/areas.csv", fuzz_ws / "data/areas.csv")
    _rename_area(fuzz_ws, "querenburg", area)
    outputs = {
        "csv": ["status", "--format", "csv", "--plain"],
        "json": ["status", "--format", "json"],
        "md": ["analyse", "--format", "md"],
        "table": ["status"],
        "analyse-table": ["analyse"],
    }
    for fmt, args in outputs.items():
        code, out, err = run(fuzz_ws, *args)
        assert code in (0, 1), err
        _assert_inert(fmt, out)
        _assert_inert("terminal", err)
    out_dir = fuzz_ws / "out"
    code, _, err = run(fuzz_ws, "report", "--as-of", "2027-06-30", "--out", str(out_dir))
    assert code == 0, err
    _assert_inert("md", (out_dir / "report.md").read_text(encoding="utf-8"))
    _assert_inert("html", (out_dir / "report.html").read_text(encoding="utf-8"))


def test_a_symlinked_reports_folder_cannot_take_the_site_outside(
    example: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (example / "reports").symlink_to(outside)
    code, _, err = run(example, "site")
    assert code == 1
    assert "TR-OUT-OUTSIDE the folder reports/site leads out of the workspace" in err
    assert list(outside.iterdir()) == []


def test_a_site_template_that_fails_is_located(example: Path) -> None:
    from zyklus.site.render import TEMPLATE

    name = TEMPLATE.format(kind="index")
    (example / "templates").mkdir()
    (example / "templates" / name).write_text("ok\n{{ 1 / 0 }}\n", encoding="utf-8")
    code, _, err = run(example, "site")
    assert code == 1
    assert f"templates/{name}:2: T-ERROR" in err
