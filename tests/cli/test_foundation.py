"""CLI tests of validate, schema, init and new-project through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from helpers import MINIMAL_CARD, REPO, build_file_tree
from zyklus.cli import app


def invoke(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, [*args, "--workspace", str(ws)], catch_exceptions=False)


def test_validate_passes_on_a_valid_workspace(runner: CliRunner, workspace: Path) -> None:
    result = invoke(runner, workspace, "validate")
    assert result.exit_code == 0, result.output
    assert "2 files checked: 0 errors, 0 warnings" in result.stdout


def test_validate_reports_every_problem_with_location(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(
        workspace,
        {
            "projects/kaputt.yaml": """\
                id: kaputt
                title: 12
                areas: [querenburgg]
                target_groups: [langzeitarbeitslose]
                milestone: []
                """,
            "projects/auch-kaputt.yaml": "id: auch-kaputt\ntitle: x\nareas: [a]\na: 1\na: 2\n",
        },
    )
    result = invoke(runner, workspace, "validate")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        "projects/auch-kaputt.yaml:5:1: Y-DUPKEY duplicate key 'a' (first at line 4);" in lines[0]
    )
    assert (
        lines[1] == "projects/kaputt.yaml:2:8: S-TYPE expected text, found whole number (at title)"
    )
    assert lines[2].startswith(
        "projects/kaputt.yaml:5:1: S-UNKNOWN-KEY-HINT unknown key 'milestone'"
    )
    assert "did you mean 'milestones'?" in lines[2]
    assert lines[-1] == "4 files checked: 3 errors, 0 warnings"


def test_cross_checks_run_when_the_schema_passes(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(
        workspace,
        {
            "projects/falsch.yaml": """\
                id: anders
                title: Falsch
                areas: [querenburgg]
                target_groups: [langzeitarbeitslos]
                """
        },
    )
    result = invoke(runner, workspace, "validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "projects/falsch.yaml:1:5: X-ID-FILENAME id 'anders' does not match the file name;"
        " expected 'falsch' (at id)",
        "projects/falsch.yaml:3:9: X-AREA-UNKNOWN-HINT area 'querenburgg' is not in"
        " data/areas.csv – did you mean 'querenburg'? (at areas[0])",
        "projects/falsch.yaml:4:17: X-TG-UNKNOWN-HINT target group 'langzeitarbeitslos' is not"
        " declared in zyklus.yaml – did you mean 'langzeitarbeitslose'? (at target_groups[0])",
    ]


def test_validate_given_files_only(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(workspace, {"projects/kaputt.yaml": "id: kaputt\n"})
    card = workspace / "projects/jobcenter-im-quartier.yaml"
    result = invoke(runner, workspace, "validate", str(card))
    assert result.exit_code == 0, result.output
    assert "1 file checked" in result.stdout


def test_warnings_fail_only_with_strict(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(
        workspace,
        {
            "projects/a-projekt.yaml": "id: a-projekt\ntitle: A\nareas: [stadt]\n"
            "target_groups: [jugendliche]\nsynergies: [jobcenter-im-quartier]\n",
        },
    )
    relaxed = invoke(runner, workspace, "validate")
    assert relaxed.exit_code == 0
    assert "X-SYNERGY-ONESIDED" in relaxed.stderr
    strict = invoke(runner, workspace, "validate", "--strict")
    assert strict.exit_code == 1


def test_validate_json_format(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(workspace, {"projects/jobcenter-im-quartier.yaml": MINIMAL_CARD + "x: 1\n"})
    result = invoke(runner, workspace, "validate", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["ok"] is False
    assert data["problems"][0] == {
        "path": "projects/jobcenter-im-quartier.yaml",
        "line": 5,
        "col": 1,
        "code": "S-UNKNOWN-KEY",
        "severity": "error",
        "key": "x",
        "message": data["problems"][0]["message"],
    }


def test_messages_follow_lang(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(workspace, {"projects/jobcenter-im-quartier.yaml": MINIMAL_CARD + "x: 1\n"})
    german = invoke(runner, workspace, "validate", "--lang", "de")
    assert "unbekannter Schlüssel „x“" in german.stderr
    assert "1 Fehler" in german.stderr


def test_no_workspace_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--workspace", str(tmp_path)])
    assert result.exit_code == 2
    assert "W-NO-WORKSPACE" in result.stderr


def test_schema_prints_draft_2020_12(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "card"], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"id", "title", "areas", "target_groups"}


def test_schema_unknown_name(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", "karte"])
    assert result.exit_code == 2
    assert "card, cycle, workspace, offer" in result.stderr


def test_init_creates_a_workspace_that_validates(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "neu"
    result = runner.invoke(app, ["init", str(target), "--name", "Musterstadt"])
    assert result.exit_code == 0, result.output
    for relative in ("zyklus.yaml", ".gitignore", ".pre-commit-config.yaml", "data/areas.csv"):
        assert (target / relative).is_file()
    assert (target / "projects").is_dir() and (target / "cycles").is_dir()
    assert "reports/" in (target / ".gitignore").read_text()
    check = runner.invoke(app, ["validate", "--workspace", str(target)])
    assert check.exit_code == 0, check.output


def test_init_refuses_a_non_empty_folder_and_never_overwrites(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = build_file_tree(tmp_path / "voll", {".gitignore": "meins\n"})
    refused = runner.invoke(app, ["init", str(target)])
    assert refused.exit_code == 2
    assert "I-NOT-EMPTY" in refused.stderr
    forced = runner.invoke(app, ["init", str(target), "--force"])
    assert forced.exit_code == 0
    assert (target / ".gitignore").read_text() == "meins\n"
    again = runner.invoke(app, ["init", str(target), "--force"])
    assert again.exit_code == 2
    assert "I-EXISTS" in again.stderr


def test_new_project_writes_a_valid_card(runner: CliRunner, workspace: Path) -> None:
    result = invoke(
        runner, workspace, "new-project", "Beratung für Ältere", "--area", "querenburg",
        "--target-group", "langzeitarbeitslose",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    card = workspace / "projects/beratung-fuer-aeltere.yaml"
    assert "projects/beratung-fuer-aeltere.yaml" in result.stdout
    text = card.read_text(encoding="utf-8")
    assert 'title: "Beratung für Ältere"' in text
    assert "# Phases (social planning cycle)" in text  # the workspace speaks English
    check = invoke(runner, workspace, "validate", str(card))
    assert check.exit_code == 0, check.output


def test_new_project_refuses_unknown_ids_with_hint(runner: CliRunner, workspace: Path) -> None:
    result = invoke(
        runner, workspace, "new-project", "X", "--area", "querenbur", "-t", "jugendlich"
    )
    assert result.exit_code == 2
    assert "did you mean 'querenburg'?" in result.stderr
    assert "did you mean 'jugendliche'?" in result.stderr
    assert not (workspace / "projects/x.yaml").exists()


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("../x", "P-ID-INVALID"),
        ("a/b", "P-ID-INVALID"),
        ("/etc/passwd", "P-ID-INVALID"),
        ("con", "P-ID-RESERVED"),
        ("nul", "P-ID-RESERVED"),
        ("", "P-ID-EMPTY"),
        ("jobcenter-im-quartier", "P-ID-TAKEN"),
    ],
)
def test_new_project_refuses_bad_ids(
    runner: CliRunner, workspace: Path, given: str, code: str
) -> None:
    before = sorted(p.name for p in (workspace / "projects").iterdir())
    card_before = (workspace / "projects/jobcenter-im-quartier.yaml").read_bytes()
    result = invoke(
        runner, workspace, "new-project", "T", "--id", given, "-a", "stadt", "-t", "jugendliche"
    )
    assert result.exit_code == 2
    assert code in result.stderr
    assert sorted(p.name for p in (workspace / "projects").iterdir()) == before
    assert (workspace / "projects/jobcenter-im-quartier.yaml").read_bytes() == card_before


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    assert "Example:" in top.stdout
    group = typer.main.get_command(app)
    paths = _command_paths(group, ())
    assert {("validate",), ("schema",), ("init",), ("new-project",)} <= set(paths)
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example:" in result.stdout, f"zyklus {' '.join(path)} --help has no example"


def _command_paths(group: Any, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Every leaf command below ``group`` (Typer's own click types: duck-typed)."""
    paths: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def test_the_example_workspace_validates(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--workspace", str(REPO)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_new_project_joins_the_current_cycle(runner: CliRunner, workspace: Path) -> None:
    cycle = workspace / "cycles/2027.yaml"
    build_file_tree(
        workspace, {"cycles/2027.yaml": "cycle: 2027\nopened: 2027-01-11T09:00:00+01:00\n"}
    )
    result = invoke(runner, workspace, "new-project", "Neu", "-a", "stadt", "-t", "jugendliche")
    assert result.exit_code == 0, result.output
    assert "neu:" in cycle.read_text(encoding="utf-8")
    assert 'phase: "analysis"' in cycle.read_text(encoding="utf-8")


def test_new_project_leaves_nothing_when_the_cycle_cannot_take_it(
    runner: CliRunner, workspace: Path
) -> None:
    broken = "cycle: 2027\nopened: 2027-01-11T09:00:00+01:00\nprojects: {x: 1}\n"
    build_file_tree(workspace, {"cycles/2027.yaml": broken})
    result = invoke(runner, workspace, "new-project", "Neu", "-a", "stadt", "-t", "jugendliche")
    assert result.exit_code == 1
    assert "cycles/2027.yaml:3" in result.stderr
    assert not (workspace / "projects/neu.yaml").exists()
    assert (workspace / "cycles/2027.yaml").read_text(encoding="utf-8") == broken


def test_an_argument_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    """A title typed in a Latin-1 terminal: exit 2 naming the argument, nothing written."""
    import subprocess

    from helpers import ZYKLUS, subprocess_env

    done = subprocess.run(
        [*ZYKLUS, "new-project", b"Caf\xe9", "-a", "stadt", "-t", "jugendliche"],
        cwd=tmp_path,
        env={**subprocess_env(), "LANG": "en_US.UTF-8"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.decode() == (
        "E-ARG-ENCODING argument 2 ('Caf\\xe9') is not UTF-8; switch the terminal to UTF-8"
        " or type the text without special characters\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_one_card_run_reads_the_indicator_values_only_when_named(
    runner: CliRunner, workspace: Path
) -> None:
    """The pre-commit case: a big city's CSV is checked when it changed, not on every card."""
    csv = workspace / "data/indicators.csv"
    csv.write_text(csv.read_text() + "stadt,arbeitslosenanteil,2023-12-31,7.0\n")
    card = workspace / "projects/jobcenter-im-quartier.yaml"
    only_card = invoke(runner, workspace, "validate", str(card))
    assert only_card.exit_code == 0, only_card.output
    with_csv = invoke(runner, workspace, "validate", str(card), str(csv))
    assert with_csv.exit_code == 1
    assert with_csv.stderr.startswith("data/indicators.csv:3: D-DUPLICATE ")
    assert "2 files checked: 1 error" in with_csv.stderr
    whole = invoke(runner, workspace, "validate")
    assert whole.exit_code == 1


# --- one rule for which files are read (issue 12) ------------------------------------------


def test_validate_refuses_a_yml_card_with_the_name_to_use(
    runner: CliRunner, workspace: Path
) -> None:
    """A broken card saved as .yml used to pass the hook silently ('0 files checked')."""
    build_file_tree(workspace, {"projects/x.yml": "id: x\ntitle: [kaputt\n"})
    result = invoke(runner, workspace, "validate", str(workspace / "projects/x.yml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "projects/x.yml: V-NOT-CHECKED-YML not checked: zyklus reads only files ending in"
        " .yaml; rename it to projects/x.yaml"
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("README.md", "V-NOT-CHECKED"),
        ("projects/sub/x.yaml", "V-NOT-CHECKED"),
        ("data/other.csv", "V-NOT-CHECKED"),
        ("projects/gone.yaml", "V-NOT-FOUND"),
    ],
)
def test_validate_names_every_given_file_it_does_not_read(
    runner: CliRunner, workspace: Path, name: str, code: str
) -> None:
    if code != "V-NOT-FOUND":
        build_file_tree(workspace, {name: "x\n"})
    result = invoke(runner, workspace, "validate", str(workspace / name))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{name}: {code} ")


def test_validate_of_given_files_still_passes_on_valid_ones(
    runner: CliRunner, workspace: Path
) -> None:
    card = workspace / "projects/jobcenter-im-quartier.yaml"
    result = invoke(runner, workspace, "validate", str(card), str(workspace / "data/areas.csv"))
    assert result.exit_code == 0, result.output


def test_every_file_the_hook_matches_is_read_or_refused(tmp_path: Path) -> None:
    """The pre-commit pattern and the file rule agree: nothing the hook passes goes unread."""
    import re

    import yaml

    from zyklus.files.workspace import DATA_FILES, YAML_FOLDERS, YAML_SUFFIX

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = re.compile(hook["files"])
    read = ["zyklus.yaml", *DATA_FILES, *(f"{f}/a{YAML_SUFFIX}" for f in YAML_FOLDERS)]
    assert all(pattern.search(name) for name in read)
    from zyklus.files.scaffold import pre_commit_config

    assert hook["files"] in pre_commit_config("local")


# --- init for a new city (issue 12) --------------------------------------------------------


def test_init_in_english_writes_english_comments_and_cards(
    runner: CliRunner, tmp_path: Path
) -> None:
    import datetime as dt

    target = tmp_path / "newtown"
    result = runner.invoke(app, ["init", str(target), "--lang", "en", "--name", "Newtown"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(
        f"Next steps in {target}: 1. areas in data/areas.csv"
    )
    config = (target / "zyklus.yaml").read_text(encoding="utf-8")
    assert config.startswith("# zyklus.yaml – the workspace. Order of set-up:\n")
    assert "\nlanguage: en " in config
    assert f"\ncurrent_cycle: {dt.date.today().year} " in config
    assert runner.invoke(app, ["validate", "-C", str(target)]).exit_code == 0
    build_file_tree(target, {"data/areas.csv": "id,name,level,parent\nnewtown,Newtown,city,\n"})
    (target / "zyklus.yaml").write_text(
        config.replace(
            "target_groups: []", "target_groups:\n  - {id: youth, label: Youth}"
        ).replace("# city: city ", "city: newtown "),
        encoding="utf-8",
    )
    made = runner.invoke(
        app, ["new-project", "Youth club", "-a", "citywide", "-t", "youth", "-C", str(target)]
    )
    assert made.exit_code == 0, made.output
    card = (target / "projects" / "youth-club.yaml").read_text(encoding="utf-8")
    assert "# Project card – one card per project" in card
    check = runner.invoke(app, ["validate", "-C", str(target)])
    assert check.exit_code == 0, check.output


def test_init_in_german_says_the_order_of_work(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "neu"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert "Nächste Schritte in" in result.stdout
    config = (target / "zyklus.yaml").read_text(encoding="utf-8")
    for step in ("data/areas.csv", "city:", "target_groups:", "indicators:", "data:"):
        assert step in config.split("name:")[0], step
    assert "\nlanguage: de " in config
