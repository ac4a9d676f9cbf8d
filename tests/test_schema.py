"""The exported JSON Schema agrees with ``zyklus validate`` on every shape error.

check-jsonschema reads the same files with the schema from ``zyklus schema``; both must
accept the valid fixtures and both must refuse each shape error. YAML-level traps that a
JSON Schema cannot see (``12.500``, tags, ``no`` as a string) are zyklus's own and are
tested in test_loader.py.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import MINIMAL_CARD, REPO, build_file_tree, tool
from zyklus.cli import app
from zyklus.schema import schema_dict

# the running environment's check-jsonschema (a dev dependency), PATH or not (issue 12)
CHECK_JSONSCHEMA = tool("check-jsonschema")

VALID = {
    "minimal": MINIMAL_CARD,
    "full": """\
        id: jobcenter-im-quartier
        title: Jobcenter im Quartier
        areas: [querenburg, 554]
        target_groups: [langzeitarbeitslose]
        themes: [beratung]
        actors: [Jobcenter]
        needs:
          - statement: Hohe Arbeitslosigkeit
            evidence: [{area: "554", indicator: arbeitslosenanteil, period: 2023-12-31}]
        goals:
          - id: G1
            statement: Beratung
            indicator: termine
            baseline: {value: 0, date: 2024-12-31}
            target: {value: 6, date: 2025-06-30}
            level: 2
        resources: {staff_fte: 0.15, budget_eur: 0}
        milestones:
          - {id: M1, title: Start, due: 2025-03-01}
        """,
}

SHAPE_ERRORS = {
    "unknown-key": MINIMAL_CARD + "milestone: []\n",
    "missing-title": "id: a-b\nareas: [x]\ntarget_groups: [t]\n",
    "number-title": "id: a-b\ntitle: 12\nareas: [x]\ntarget_groups: [t]\n",
    "list-title": "id: a-b\ntitle: [a]\nareas: [x]\ntarget_groups: [t]\n",
    "string-for-list": "id: a-b\ntitle: T\nareas: querenburg\ntarget_groups: [t]\n",
    "bool-for-list": "id: a-b\ntitle: T\nareas: [x]\ntarget_groups: true\n",
    "empty-areas": "id: a-b\ntitle: T\nareas: []\ntarget_groups: [t]\n",
    "bad-id": "id: A_B\ntitle: T\nareas: [x]\ntarget_groups: [t]\n",
    "level-8": MINIMAL_CARD + "goals:\n  - {id: G1, statement: s, level: 8}\n",
    "negative-budget": MINIMAL_CARD + "resources: {budget_eur: -5}\n",
    "unknown-nested-key": MINIMAL_CARD + "resources: {budget: 5}\n",
    "string-budget": MINIMAL_CARD + "resources: {budget_eur: viel}\n",
    "goal-without-statement": MINIMAL_CARD + "goals:\n  - {id: G1}\n",
    "mapping-for-goals": MINIMAL_CARD + "goals: {id: G1}\n",
}


def _check_jsonschema(schema: Path, card: Path) -> int:
    done = subprocess.run(
        [CHECK_JSONSCHEMA, "--schemafile", str(schema), str(card)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode


def _zyklus(workspace: Path, card: Path) -> int:
    result = CliRunner().invoke(app, ["validate", str(card), "--workspace", str(workspace)])
    return result.exit_code


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "card.schema.json"
    path.write_text(json.dumps(schema_dict("card")), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(VALID))
def test_both_accept_valid_cards(name: str, schema_file: Path, workspace: Path) -> None:
    card = build_file_tree(workspace, {"projects/jobcenter-im-quartier.yaml": VALID[name]})
    path = card / "projects/jobcenter-im-quartier.yaml"
    assert _check_jsonschema(schema_file, path) == 0
    assert _zyklus(workspace, path) == 0


@pytest.mark.parametrize("name", sorted(SHAPE_ERRORS))
def test_both_refuse_shape_errors(name: str, schema_file: Path, workspace: Path) -> None:
    build_file_tree(workspace, {"projects/a-b.yaml": SHAPE_ERRORS[name]})
    path = workspace / "projects/a-b.yaml"
    assert _check_jsonschema(schema_file, path) == 1, "check-jsonschema accepted it"
    assert _zyklus(workspace, path) == 1, "zyklus accepted it"


def test_example_cards_pass_the_schema(schema_file: Path) -> None:
    cards = sorted((REPO / "projects").glob("*.yaml"))
    assert cards
    for card in cards:
        assert _check_jsonschema(schema_file, card) == 0, card.name


@pytest.mark.parametrize("name", ["card", "cycle", "workspace", "offer"])
def test_every_schema_has_descriptions_and_forbids_unknown_keys(name: str) -> None:
    schema = schema_dict(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    text = json.dumps(schema)
    assert '"description"' in text


# --- schema/*.json in the workspace (issue 12) ---------------------------------------------


def test_the_example_workspace_carries_current_schema_files() -> None:
    """``zyklus schema --write`` output is committed; cards' modeline names schema/card.json."""
    from zyklus.models import SCHEMA_MODELS
    from zyklus.schema import json_schema

    for name in SCHEMA_MODELS:
        written = (REPO / "schema" / f"{name}.json").read_text(encoding="utf-8")
        assert written == json_schema(name) + "\n", f"schema/{name}.json: run zyklus schema --write"
    template = (REPO / "templates" / "card.yaml.j2").read_text(encoding="utf-8")
    assert template.startswith("# yaml-language-server: $schema=../schema/card.json\n")


def test_example_cards_pass_the_written_schema() -> None:
    cards = sorted((REPO / "projects").glob("*.yaml"))
    for card in cards:
        assert _check_jsonschema(REPO / "schema" / "card.json", card) == 0, card.name


def test_schema_write_writes_what_the_modeline_names(runner: CliRunner, workspace: Path) -> None:
    from zyklus.models import SCHEMA_MODELS

    result = runner.invoke(app, ["schema", "--write", "--workspace", str(workspace)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"schema written: schema/{name}.json" for name in SCHEMA_MODELS
    ]
    again = runner.invoke(app, ["schema", "--write", "--workspace", str(workspace)])
    assert again.stdout.splitlines()[0] == "schema is current: schema/card.json"
    created = runner.invoke(
        app,
        [
            "new-project",
            "Neu",
            "-a",
            "querenburg",
            "-t",
            "langzeitarbeitslose",
            "-C",
            str(workspace),
        ],
    )
    assert created.exit_code == 0, created.output
    card = workspace / "projects" / "neu.yaml"
    modeline = card.read_text(encoding="utf-8").splitlines()[0]
    target = modeline.removeprefix("# yaml-language-server: $schema=")
    assert (card.parent / target).resolve() == (workspace / "schema" / "card.json").resolve()
    assert _check_jsonschema(card.parent / target, card) == 0
