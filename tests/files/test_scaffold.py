"""Ids from titles, id checks, new cards and new workspaces."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zyklus.errors import UsageError
from zyklus.files.loader import load_file
from zyklus.files.located import validate_document
from zyklus.files.scaffold import check_id, init_workspace, make_id, new_project
from zyklus.files.workspace import Workspace
from zyklus.models import Card


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Jobcenter im Quartier", "jobcenter-im-quartier"),
        ("Größe & Übung für Straße", "groesse-uebung-fuer-strasse"),
        ("ÄÖÜ ẞ", "aeoeue-ss"),
        (
            "Logokampagne „Bei uns rennst du offene Türen ein“",
            "logokampagne-bei-uns-rennst-du-offene-tueren-ein",
        ),
        ("Café Élan", "cafe-elan"),
        ("  --  ", ""),
    ],
)
def test_make_id(title: str, expected: str) -> None:
    assert make_id(title) == expected


@given(st.text(max_size=80))
def test_make_id_is_the_same_for_nfc_and_nfd(title: str) -> None:
    nfc = make_id(unicodedata.normalize("NFC", title))
    assert nfc == make_id(unicodedata.normalize("NFD", title))
    if not nfc:
        return
    try:
        assert check_id(nfc) == nfc
    except UsageError as refused:  # only Windows' reserved names (con, com1, …) may be
        assert refused.problems[0].code == "P-ID-RESERVED"


def test_long_titles_give_ids_of_bounded_length() -> None:
    assert len(make_id("Wort " * 40)) <= 60


@pytest.mark.parametrize(
    "bad", ["", "../x", "a/b", "A", "-a", "a-", "con", "lpt1", "a\x00b", "a\nb"]
)
def test_check_id_refuses(bad: str) -> None:
    with pytest.raises(UsageError):
        check_id(bad)


def test_new_project_card_is_valid_and_never_overwritten(workspace: Path) -> None:
    ws = Workspace(workspace)
    created = new_project(ws, 'Titel mit "Anführung" und: Doppelpunkt', ["554"], ["jugendliche"])
    card = validate_document(load_file(created.path), Card)
    assert card.title == 'Titel mit "Anführung" und: Doppelpunkt'
    assert card.areas == ["554"]
    before = created.path.read_bytes()
    with pytest.raises(UsageError) as caught:
        new_project(ws, "Titel mit Anführung und Doppelpunkt", ["stadt"], ["jugendliche"])
    assert caught.value.problems[0].code == "P-ID-TAKEN"
    assert created.path.read_bytes() == before


def test_a_broken_workspace_card_template_writes_nothing(workspace: Path) -> None:
    (workspace / "templates").mkdir()
    (workspace / "templates" / "card.yaml.j2").write_text("id: {{ id }}\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        new_project(Workspace(workspace), "Neu", ["stadt"], ["jugendliche"])
    assert caught.value.problems[0].code == "T-CARD-INVALID"
    assert not (workspace / "projects" / "neu.yaml").exists()


def test_init_keeps_existing_files(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "areas.csv").write_text("id,name,level,parent\nx,X,stadt,\n")
    result = init_workspace(tmp_path, "Test", force=True)
    assert tmp_path / "data" / "areas.csv" in result.kept
    assert (tmp_path / "data" / "areas.csv").read_text().endswith("x,X,stadt,\n")
    assert tmp_path / "zyklus.yaml" in result.created


def test_init_writes_the_schema_files_the_card_template_names(tmp_path: Path) -> None:
    """New cards start with ``$schema=../schema/card.json``; that file exists (issue 12)."""
    result = init_workspace(tmp_path / "neu", "Test")
    for name in ("card", "cycle", "workspace", "offer"):
        assert tmp_path / "neu" / "schema" / f"{name}.json" in result.created
    card_schema = json.loads((tmp_path / "neu" / "schema" / "card.json").read_text())
    assert card_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
