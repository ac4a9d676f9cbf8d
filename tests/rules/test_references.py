"""zyklus.rules.references: validate's file selection and cross-checks, as plain calls.

A refused data file is reported once, as itself (issue 17); a one-card run reads no other
card and costs no system call per file (issue 21).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import MINIMAL_CARD, build_file_tree, copy_example
from zyklus.files import workspace as workspace_module
from zyklus.files.workspace import Workspace
from zyklus.rules import references
from zyklus.rules.references import validate_workspace


def test_a_refused_areas_csv_does_not_make_every_card_area_unknown(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    areas = root / "data" / "areas.csv"
    cp850 = areas.read_text(encoding="utf-8").encode("cp850")  # Süd as DOS writes it: refused
    areas.write_bytes(cp850)
    report = validate_workspace(Workspace(root))
    assert [(p.path, p.code) for p in report.problems] == [("data/areas.csv", "D-ENCODING")]


def test_cp1252_areas_from_german_excel_are_read(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws")
    areas = root / "data" / "areas.csv"
    areas.write_bytes(areas.read_text(encoding="utf-8").encode("cp1252"))
    ws = Workspace(root)
    assert validate_workspace(ws).problems == []
    assert ws.areas.name("bezirk-sued") == "Süd"


def _with_cards(root: Path, n: int) -> Path:
    """The shared workspace plus n more cards, each naming the first as its synergy."""
    files = {
        f"projects/karte-{i:05d}.yaml": MINIMAL_CARD.replace(
            "id: jobcenter-im-quartier", f"id: karte-{i:05d}"
        )
        + "synergies: [jobcenter-im-quartier]\n"
        for i in range(n)
    }
    return build_file_tree(root, files)


class _Counter:
    """Counts calls of the path operations that cost a system call per file."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.loads: list[str] = []
        for name in ("is_symlink", "resolve", "stat", "lstat", "exists", "is_file"):
            original = getattr(Path, name)
            monkeypatch.setattr(Path, name, self._counted(original))
        load = workspace_module.Workspace.load_with_document

        def counted_load(ws: Workspace, path: Path, model: type, **options: bool) -> object:
            self.loads.append(path.name)
            return load(ws, path, model, **options)

        monkeypatch.setattr(workspace_module.Workspace, "load_with_document", counted_load)

    def _counted(self, original: object) -> object:
        def wrapper(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return original(*args, **kwargs)  # type: ignore[operator]

        return wrapper


def _one_card_run(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str], int]:
    card = root / "projects" / "karte-00001.yaml"
    with monkeypatch.context() as patch:
        counter = _Counter(patch)
        report = validate_workspace(Workspace(root), [card])
    return counter.calls, counter.loads, report.errors


def test_one_card_reads_no_other_card_and_costs_no_call_per_file(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit case: ids of the other cards are their file names (issue 21)."""
    small = _one_card_run(_with_cards(workspace, 10), monkeypatch)
    big = _one_card_run(_with_cards(workspace, 200), monkeypatch)
    assert small[1] == big[1] == ["karte-00001.yaml"]
    assert small[2] == big[2] == 0
    assert big[0] == small[0], "path calls grew with the number of cards"


def test_a_symlink_to_the_named_card_is_checked_with_it(workspace: Path) -> None:
    """A file is selected where it leads, as before: a link to the card is the card."""
    if not hasattr(os, "symlink"):
        pytest.skip("no symlinks on this system")
    card = workspace / "projects" / "jobcenter-im-quartier.yaml"
    (workspace / "projects" / "verweis.yaml").symlink_to(card.name)
    build_file_tree(workspace, {"projects/andere.yaml": MINIMAL_CARD})
    report = validate_workspace(Workspace(workspace), [card])
    paths = {p.path for p in report.problems}
    assert paths == {"projects/verweis.yaml"}  # its id is not its file name
    assert report.files == 2  # the card and the link to it; not andere.yaml


def test_naming_a_link_selects_the_file_it_leads_to(workspace: Path) -> None:
    card = workspace / "projects" / "jobcenter-im-quartier.yaml"
    link = workspace / "elsewhere.yaml"
    link.symlink_to(card)
    report = validate_workspace(Workspace(workspace), [link])
    assert report.files == 1
    assert report.errors == 0


def test_picked_without_selection_is_every_file(workspace: Path) -> None:
    ws = Workspace(workspace)
    names = ws.yaml_names("projects")
    assert references._picked(ws, "projects", names, None) == ws.yaml_files("projects")
    assert references._picked(ws, "offers", [], set()) == []


def _hook(root: Path, *files: str) -> tuple[int, str]:
    """``zyklus validate FILE…`` as the pre-commit hook runs it, in the workspace."""
    from typer.testing import CliRunner

    from zyklus.cli import app

    result = CliRunner().invoke(
        app, ["validate", "-C", str(root), "--lang", "en", *[str(root / f) for f in files]]
    )
    return result.exit_code, result.output


def test_the_hook_refuses_removing_a_target_group_or_an_area_that_cards_use(tmp_path: Path) -> None:
    """Only zyklus.yaml or data/areas.csv is staged: the cards that use them are checked (issue 19)."""
    import shutil

    from helpers import REPO

    root = tmp_path / "ws"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(".git", "reports", "src", "tests", ".ci", "bench", "docs"),
    )
    config = root / "zyklus.yaml"
    assert _hook(root, "zyklus.yaml")[0] == 0
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - id: fachkraeftepotentiale\n", "  - id: fachkraefte\n", 1
        ),
        encoding="utf-8",
    )
    code, output = _hook(root, "zyklus.yaml")
    assert code == 1
    assert "projects/jba-bei-sportvereinen.yaml" in output and "X-TG-UNKNOWN" in output
    shutil.copy(REPO / "zyklus.yaml", config)
    areas = root / "data" / "areas.csv"
    kept = [
        line
        for line in areas.read_text(encoding="utf-8").splitlines()
        if not line.startswith("554,")
    ]
    areas.write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, output = _hook(root, "data/areas.csv")
    assert code == 1
    assert "projects/jobcenter-im-quartier.yaml" in output and "X-AREA-UNKNOWN" in output


def test_the_crosswalk_is_checked_with_the_data_and_on_its_own(tmp_path: Path) -> None:
    """data/crosswalk.csv (issue 18): checked by a whole run and when it is the file given
    (the pre-commit hook), located, with the did-you-mean."""
    root = copy_example(tmp_path / "ws")
    crosswalk = root / "data" / "crosswalk.csv"
    crosswalk.write_text("old_area,new_area,weight\nquerenburgg,querenburg,1\n", "utf-8")
    for paths in (None, [crosswalk]):
        report = validate_workspace(Workspace(root), paths)
        found = [(p.path, p.line, p.code, p.params.get("hint")) for p in report.problems]
        assert found == [("data/crosswalk.csv", 2, "D-AREA-UNKNOWN-HINT", "querenburg")]
    crosswalk.write_text("old_area,new_area,weight\nquerenburg,querenburg,1\n", "utf-8")
    assert validate_workspace(Workspace(root), [crosswalk]).problems == []
