"""zyklus.rules.references: validate's file selection and cross-checks, as plain calls.

A refused data file is reported once, as itself (issue 17); a one-card run reads no other
card and costs no system call per file (issue 21).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from helpers import (
    MINIMAL_AREAS,
    MINIMAL_CARD,
    MINIMAL_CONFIG,
    ZYKLUS,
    assert_interrupted_cleanly,
    assert_lost_worker_told,
    build_file_tree,
    copy_example,
    with_many_cards,
)
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


def _with_cards_and_areas(root: Path, n: int) -> Path:
    """The conftest's workspace plus n cards and n more areas (ids d00000…)."""
    base = {
        "zyklus.yaml": MINIMAL_CONFIG,
        "data/areas.csv": MINIMAL_AREAS,
        "projects/jobcenter-im-quartier.yaml": MINIMAL_CARD,
    }
    _with_cards(build_file_tree(root, base), n)
    areas = root / "data" / "areas.csv"
    extra = "".join(f"d{i:05d},Distrikt {i},ba-distrikt,querenburg\n" for i in range(n))
    areas.write_text(areas.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return root


class _Work:
    """What a one-card run does that could grow with the workspace: path calls (lstat,
    stat, resolve, …), folders listed, data files read, cards loaded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from zyklus.files import csvfile

        self.path_calls = _Counter(monkeypatch)
        self.listed = 0
        self.tables = 0
        scandir, lines_init = os.scandir, csvfile._Lines.__init__

        def counted_scandir(*args: object) -> object:
            self.listed += 1
            return scandir(*args)  # type: ignore[call-overload]

        def counted_lines(reader: object, *args: object, **kwargs: object) -> None:
            self.tables += 1
            lines_init(reader, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "scandir", counted_scandir)
        monkeypatch.setattr(csvfile._Lines, "__init__", counted_lines)

    def counts(self) -> tuple[int, int, int, list[str]]:
        return self.path_calls.calls, self.listed, self.tables, self.path_calls.loads


def _hook_run(
    root: Path, card: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[int, int, int, list[str]], list[str]]:
    with monkeypatch.context() as patch:
        work = _Work(patch)
        report = validate_workspace(Workspace(root), [root / card])
    return work.counts(), [f"{p.path}:{p.code}" for p in report.problems]


def test_the_one_card_run_does_the_same_work_in_a_workspace_ten_times_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pre-commit case (issue 21): neither the cards nor the areas of the workspace are
    read, listed or looked at one by one once their answers are remembered; n → 10·n
    cards and areas cost the same calls, listings and reads."""
    from zyklus.files import remembered

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    card = "projects/karte-00001.yaml"
    runs = {}
    for n in (30, 300):
        root = _with_cards_and_areas(tmp_path / f"ws{n}", n)
        _hook_run(root, card, monkeypatch)  # makes the answers
        runs[n] = _hook_run(root, card, monkeypatch)
    (small, small_problems), (big, big_problems) = runs[30], runs[300]
    assert small_problems == big_problems == []
    assert small[1:] == big[1:] == (0, 0, ["karte-00001.yaml"])  # no listing, no table read
    assert big[0] == small[0], "path calls grew with the workspace"


def test_a_remembered_answer_never_passes_a_card_whose_area_was_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zyklus.files import remembered

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    root = _with_cards_and_areas(tmp_path / "ws", 3)
    card = root / "projects" / "karte-00001.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("[querenburg]", "[d00002]"))
    assert _hook_run(root, "projects/karte-00001.yaml", monkeypatch)[1] == []
    areas = root / "data" / "areas.csv"
    areas.write_text(areas.read_text(encoding="utf-8").replace("d00002,", "d00009,"))
    problems = _hook_run(root, "projects/karte-00001.yaml", monkeypatch)[1]
    assert problems == ["projects/karte-00001.yaml:X-AREA-UNKNOWN-HINT"]
    areas.write_text(areas.read_text(encoding="utf-8") + "d00001,Doppelt,x,stadt\n")
    for _ in range(2):  # a refused table is read each time and reported as itself
        with monkeypatch.context() as patch:
            work = _Work(patch)
            report = validate_workspace(Workspace(root), [card])
        assert [(p.path, p.code) for p in report.problems] == [
            ("data/areas.csv", "D-AREA-DUPLICATE")
        ]
        assert work.tables == 1


def test_a_link_made_after_the_answer_is_checked_with_its_card(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zyklus.files import remembered

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    card = workspace / "projects" / "jobcenter-im-quartier.yaml"
    assert validate_workspace(Workspace(workspace), [card]).files == 1
    (workspace / "projects" / "verweis.yaml").symlink_to(card.name)
    report = validate_workspace(Workspace(workspace), [card])
    assert report.files == 2
    assert {p.path for p in report.problems} == {"projects/verweis.yaml"}


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
    ids = ws.card_ids()
    assert references._picked(ws, "projects", ids, None) == ws.yaml_files("projects")
    assert references._picked(ws, "offers", set(), set()) == []


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


# --- Ctrl-C during a parallel validate (issue 19) -------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_ctrl_c_stops_a_parallel_validate_at_once_and_leaves_nothing(tmp_path: Path) -> None:
    """As a terminal does it: SIGINT to the whole process group while the workers run."""
    root = with_many_cards(tmp_path / "ws", 3000)
    assert_interrupted_cleanly([*ZYKLUS, "validate", "--lang", "en"], root)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_killed_worker_ends_a_parallel_validate_with_a_message(tmp_path: Path) -> None:
    """The out-of-memory killer takes a worker: the run must not wait for it forever."""
    root = with_many_cards(tmp_path / "ws", 3000)
    assert_lost_worker_told([*ZYKLUS, "validate", "--lang", "en"], root)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_cycle_files_checked_by_workers_report_what_one_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cycle file is checked in a worker while the cards are (issue 21); its references
    to goals and milestones are resolved once every card is known, as in one process."""
    root = with_many_cards(tmp_path / "ws", 30)
    cycle = root / "cycles" / "2027.yaml"
    text = cycle.read_text(encoding="utf-8")
    cycle.write_text(text.replace('- goal: "G2"', '- goal: "G9"', 1).replace('"M2"', '"M7"'))
    monkeypatch.setattr(references, "PARALLEL_FROM", 4)

    def run(jobs: str) -> list[tuple[str, int | None, str, str]]:
        monkeypatch.setenv("ZYKLUS_JOBS", jobs)
        report = validate_workspace(Workspace(root))
        return [(p.path, p.line, p.code, p.render("en")) for p in report.problems]

    one, two = run("1"), run("2")
    assert references._jobs(40) == 2
    assert one == two
    unknown = [(path, line) for path, line, code, _ in one if code == "X-CYCLE-REF-UNKNOWN"]
    assert len(unknown) == 2 and {path for path, _ in unknown} == {"cycles/2027.yaml"}
    assert all(line is not None for _, line in unknown)  # located in the file
    assert any(code == "X-NOT-IN-CYCLE" for _, _, code, _ in one)  # the copies are in none


@pytest.mark.slow
def test_validate_grows_linearly_in_cards_and_cycle_projects(tmp_path: Path) -> None:
    """n vs 10·n generated projects (cards, and cycle files whose actuals and milestones
    name their goals): the cycle references, resolved after the cards, stay look-ups."""
    import importlib.util

    from helpers import REPO, grows_linearly

    spec = importlib.util.spec_from_file_location("bench_generate_refs", REPO / "bench/generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate  # its dataclasses look themselves up there
    spec.loader.exec_module(generate)
    roots = {
        n: generate.generate(tmp_path / f"ws{n}", projects=n, areas=40, periods_count=1)
        for n in (15, 150)
    }
    assert validate_workspace(Workspace(roots[15])).errors == 0

    def run(n: int) -> None:
        report = validate_workspace(Workspace(roots[n]))
        assert report.files > n

    assert grows_linearly(run, 15) <= 12


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


# --- the data tables' checks, remembered (issue 21) ----------------------------------------


class _TableReads:
    """How often data/indicators.csv and data/crosswalk.csv were read and checked."""

    def __init__(self, patch: pytest.MonkeyPatch) -> None:
        self.indicators = self.crosswalk = 0
        indicators, crosswalk = workspace_module.load_indicators, workspace_module.load_crosswalk

        def counted_indicators(*args: object, **kwargs: object) -> object:
            self.indicators += 1
            return indicators(*args, **kwargs)  # type: ignore[arg-type]

        def counted_crosswalk(*args: object, **kwargs: object) -> object:
            self.crosswalk += 1
            return crosswalk(*args, **kwargs)  # type: ignore[arg-type]

        patch.setattr(workspace_module, "load_indicators", counted_indicators)
        patch.setattr(workspace_module, "load_crosswalk", counted_crosswalk)


def _whole_run(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[_TableReads, list[str]]:
    """``validate`` of the whole workspace: how often each table was read, the problems."""
    with monkeypatch.context() as patch:
        reads = _TableReads(patch)
        report = validate_workspace(Workspace(root))
    return reads, [f"{p.path}:{p.code}" for p in report.problems]


def _rewritten_in_place(path: Path, old: str, new: str) -> None:
    """``old`` → ``new`` (as long) with the file's size and mtime put back: only its ctime,
    which no program can set back, shows the change."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


_CROSSWALK = "old_area,new_area,weight\nbezirk-mitte,bezirk-nord,1\n"


@pytest.fixture
def settled_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Bochum example with a crosswalk; every file counts as still (no 3 s wait)."""
    from zyklus.files import remembered

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    root = copy_example(tmp_path / "ws")
    (root / "data" / "crosswalk.csv").write_text(_CROSSWALK, encoding="utf-8")
    return root


def test_clean_tables_are_remembered_as_checked(
    settled_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads, problems = _whole_run(settled_example, monkeypatch)
    assert (reads.indicators, reads.crosswalk) == (1, 1)
    again, problems_again = _whole_run(settled_example, monkeypatch)
    assert (again.indicators, again.crosswalk) == (0, 0)
    assert problems_again == problems


@pytest.mark.parametrize(
    ("name", "old", "new", "found"),
    [
        (
            "data/indicators.csv",
            "bochum,arbeitslose,",
            "bochum,arbeitslosx,",
            "data/indicators.csv:D-INDICATOR-UNKNOWN-HINT",
        ),
        (
            "data/areas.csv",
            "559,BA-Distrikt 559",
            "55x,BA-Distrikt 559",
            "data/indicators.csv:D-AREA-UNKNOWN-HINT",
        ),
        (
            "zyklus.yaml",
            "  - id: arbeitslose\n",
            "  - id: arbeitslosx\n",
            "data/indicators.csv:D-INDICATOR-UNKNOWN-HINT",
        ),
        (
            "data/crosswalk.csv",
            "bezirk-mitte,bezirk-nord,1",
            "bezirk-mitte,bezirk-nord,7",
            "data/crosswalk.csv:D-CROSSWALK-WEIGHT",
        ),
    ],
    ids=["indicators.csv", "areas.csv", "zyklus.yaml", "crosswalk.csv"],
)
def test_a_table_is_checked_again_when_any_input_changed_even_with_size_and_mtime_kept(
    settled_example: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    old: str,
    new: str,
    found: str,
) -> None:
    """Every input of a table's check is part of what it is remembered by: the table, the
    areas, zyklus.yaml (its indicators and CSV convention)."""
    assert _whole_run(settled_example, monkeypatch)[1] == []
    assert _whole_run(settled_example, monkeypatch)[0].indicators == 0  # remembered
    _rewritten_in_place(settled_example / name, old, new)
    reads, problems = _whole_run(settled_example, monkeypatch)
    assert found in problems
    assert (reads.indicators, reads.crosswalk) != (0, 0)


@pytest.mark.parametrize("change", ["code", "version"])
def test_a_table_is_checked_again_with_other_code(
    settled_example: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    import zyklus

    _whole_run(settled_example, monkeypatch)
    assert _whole_run(settled_example, monkeypatch)[0].indicators == 0
    if change == "code":  # an edited checker in a development install
        monkeypatch.setattr(workspace_module, "_code_stamp", lambda: "edited")
    else:
        monkeypatch.setattr(zyklus, "__version__", "99.0")
    reads, problems = _whole_run(settled_example, monkeypatch)
    assert (reads.indicators, reads.crosswalk, problems) == (1, 1, [])


def test_a_refused_table_is_never_remembered(
    settled_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    indicators = settled_example / "data" / "indicators.csv"
    indicators.write_text(
        indicators.read_text(encoding="utf-8") + "nirgends,arbeitslose,2023-12-31,1\n"
    )
    for _ in range(3):
        reads, problems = _whole_run(settled_example, monkeypatch)
        assert reads.indicators == 1
        assert problems == ["data/indicators.csv:D-AREA-UNKNOWN"]


def test_a_table_changed_in_the_last_seconds_is_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change within the same tick of a coarse file-system clock could keep all times."""
    root = copy_example(tmp_path / "ws")  # just written: not still for 3 s yet
    for _ in range(2):
        assert _whole_run(root, monkeypatch)[0].indicators == 1


def test_a_table_made_a_link_outside_is_refused_though_remembered(
    settled_example: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The same file (same inode and times) reached through a link that leads out of the
    workspace is W-OUTSIDE, as without remembering."""
    _whole_run(settled_example, monkeypatch)
    indicators = settled_example / "data" / "indicators.csv"
    outside = tmp_path / "indicators.csv"
    indicators.rename(outside)
    indicators.symlink_to(outside)
    assert "data/indicators.csv:W-OUTSIDE" in _whole_run(settled_example, monkeypatch)[1]
