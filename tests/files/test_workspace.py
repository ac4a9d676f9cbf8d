"""Ids and paths from files and command lines never lead outside the workspace (issue 8).

A project id becomes a file name (``projects/<id>.yaml``), a key in the cycle file and a
report file name; a template name becomes a path below ``templates/``; a card may be a
symlink. Each of these is refused when it would reach outside, and every test compares a
listing of the whole ``tmp_path`` before and after: nothing is written where it must not be.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from helpers import MINIMAL_CARD, build_file_tree, counted_pools
from zyklus.cli import app
from zyklus.errors import LoadError, UsageError
from zyklus.files import templates

PROBLEM_LINE = re.compile(r"^[^:\n]+(:\d+(:\d+)?)?: [A-Z][A-Z0-9]*(-[A-Z0-9]+)+ \S")
SUMMARY_LINE = re.compile(r"^\d+ (files? checked|Dateie?n? geprüft): \d+ (errors?|Fehler), \d+ ")

HOSTILE_IDS = {
    "parent": "../../etc/passwd",
    "absolute": "/etc/passwd",
    "into-workspace": "../zyklus",
    "dotdot": "..",
    "windows-device": "con",
    "nul": "a\x00b",
    "newline": "jobcenter\nim-quartier",
}
CYCLE = """\
cycle: 2027
opened: 2027-01-15T10:00:00+01:00
projects:
  jobcenter-im-quartier:
    phase: analysis
"""


def snapshot(root: Path) -> dict[str, Any]:
    """Every file (content), folder and link below ``root``, without following links."""
    out: dict[str, Any] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[key] = ("link", str(path.readlink()))
            elif path.is_file():
                out[key] = path.read_bytes()
            else:
                out[key] = "dir"
    return out


def changes(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Paths created, removed or changed; lock files of the cycle engine do not count."""
    keys = set(before) | set(after)
    return {k for k in keys if before.get(k) != after.get(k) and not k.endswith(".lock")}


def invoke(runner: CliRunner, ws: Path, *args: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, [*args, "--lang", "en", "-C", str(ws)], catch_exceptions=False)
    return result.exit_code, result.stderr.splitlines()


def one_line_each(lines: list[str]) -> bool:
    return all(PROBLEM_LINE.match(x) or SUMMARY_LINE.match(x) for x in lines)


def ids(*names: str, xfail: dict[str, str] | None = None) -> list[Any]:
    marks = xfail or {}
    return [
        pytest.param(
            HOSTILE_IDS[name],
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=marks[name])] if name in marks else [],
        )
        for name in names
    ]


def has_command(name: str) -> bool:
    try:
        __import__(f"zyklus.cli.{name}")
    except ModuleNotFoundError:
        return False
    return True


# --- card ids -----------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", ids(*HOSTILE_IDS))
def test_card_with_a_hostile_id_is_refused(
    hostile: str, runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    build_file_tree(
        workspace,
        {"projects/karte.yaml": MINIMAL_CARD.replace("jobcenter-im-quartier", "karte")},
    )
    (workspace / "projects" / "jobcenter-im-quartier.yaml").unlink()
    card = MINIMAL_CARD.replace("id: jobcenter-im-quartier", f"id: {json.dumps(hostile)}")
    build_file_tree(workspace, {"projects/karte.yaml": card})
    before = snapshot(tmp_path)
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert one_line_each(lines), lines
    assert lines[0].startswith("projects/karte.yaml:1:5: ")
    assert any(f" {code} " in lines[0] for code in ("S-ID-FORM", "S-ID-RESERVED", "X-ID-FILENAME"))
    assert changes(before, snapshot(tmp_path)) == set()


def test_card_named_like_a_windows_device_is_refused(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(
        workspace, {"projects/con.yaml": MINIMAL_CARD.replace("jobcenter-im-quartier", "con")}
    )
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert lines[0].startswith("projects/con.yaml:1:5: "), lines


# --- new-project --id -------------------------------------------------------------------


@pytest.mark.parametrize("hostile", ids(*HOSTILE_IDS))
def test_new_project_refuses_a_hostile_id(
    hostile: str, runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    before = snapshot(tmp_path)
    code, lines = invoke(
        runner,
        workspace,
        *("new-project", "Jobcenter im Quartier", "--area", "querenburg"),
        *("--target-group", "langzeitarbeitslose", "--id", hostile),
    )
    assert code == 2
    assert re.search(r" P-ID-(INVALID|RESERVED|EMPTY) ", lines[0]), lines
    assert changes(before, snapshot(tmp_path)) == set()


def test_new_project_refusal_stays_on_one_line(runner: CliRunner, workspace: Path) -> None:
    code, lines = invoke(
        runner,
        workspace,
        *("new-project", "Jobcenter", "--area", "querenburg"),
        *("--target-group", "langzeitarbeitslose", "--id", HOSTILE_IDS["newline"]),
    )
    assert code == 2
    assert one_line_each(lines), lines


@pytest.mark.parametrize(
    ("title", "made"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/root/.ssh/authorized_keys", "root-ssh-authorized-keys"),
        ("CON", "con-1"),
    ],
)
def test_new_project_ids_made_from_titles_stay_inside(
    title: str, made: str, runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    before = snapshot(tmp_path)
    code, lines = invoke(
        runner,
        workspace,
        *("new-project", title, "--area", "querenburg", "--target-group", "langzeitarbeitslose"),
    )
    changed = changes(before, snapshot(tmp_path))
    if code == 0:
        assert changed == {f"ws/projects/{made}.yaml"}
    else:  # a title that makes a reserved id is refused, not renamed
        assert code == 2 and " P-ID-RESERVED " in lines[0], lines
        assert changed == set()


# --- ids on the cycle commands ------------------------------------------------------------

CYCLE_COMMANDS = [
    pytest.param(("advance", "{id}"), id="advance"),
    pytest.param(("record", "actual", "{id}", "G1", "5", "--date", "2027-03-01"), id="actual"),
    pytest.param(("record", "milestone", "{id}", "M1", "--done", "2027-03-01"), id="milestone"),
    pytest.param(
        ("record", "evaluation", "{id}", "--verdict", "continue", "--summary", "gut"),
        id="evaluation",
    ),
]


@pytest.mark.skipif(not has_command("cycle"), reason="cycle commands not built yet")
@pytest.mark.parametrize("command", CYCLE_COMMANDS)
@pytest.mark.parametrize("hostile", ids(*HOSTILE_IDS))
def test_cycle_commands_with_a_hostile_id_write_nothing(
    command: tuple[str, ...], hostile: str, runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    build_file_tree(workspace, {"cycles/2027.yaml": CYCLE})
    before = snapshot(tmp_path)
    args = [part.replace("{id}", hostile) for part in command]
    code, _ = invoke(runner, workspace, *args)
    assert code in (1, 2)
    assert changes(before, snapshot(tmp_path)) == set()


@pytest.mark.skipif(not has_command("cycle"), reason="cycle commands not built yet")
@pytest.mark.parametrize(
    "hostile",
    ids(
        *HOSTILE_IDS,
    ),
)
def test_advance_says_unknown_project_for_a_hostile_id(
    hostile: str, runner: CliRunner, workspace: Path
) -> None:
    build_file_tree(workspace, {"cycles/2027.yaml": CYCLE})
    code, lines = invoke(runner, workspace, "advance", hostile)
    assert code == 2
    assert len(lines) == 1 and one_line_each(lines), lines
    assert " W-UNKNOWN-PROJECT" in lines[0]


# --- report --out and --project -----------------------------------------------------------


@pytest.mark.skipif(not has_command("report"), reason="report command not built yet")
def test_report_writes_only_into_the_given_folder(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    build_file_tree(workspace, {"cycles/2027.yaml": CYCLE})
    out = tmp_path / "abgabe"
    before = snapshot(tmp_path)
    code, lines = invoke(
        runner, workspace, "report", "--cycle", "2027", "--as-of", "2027-09-30", "--out", str(out)
    )
    assert code == 0, lines
    changed = changes(before, snapshot(tmp_path))
    assert changed, "the report wrote nothing"
    assert all(path.startswith("abgabe") for path in changed), changed


@pytest.mark.skipif(not has_command("report"), reason="report command not built yet")
@pytest.mark.parametrize(
    "hostile",
    ids(
        "nul",
        "newline",
        "windows-device",
    ),
)
def test_report_refuses_a_hostile_out_folder(
    hostile: str, runner: CliRunner, workspace: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    build_file_tree(workspace, {"cycles/2027.yaml": CYCLE})
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    code, _ = invoke(
        runner, workspace, "report", "--cycle", "2027", "--as-of", "2027-09-30", "--out", hostile
    )
    assert code in (1, 2)
    assert changes(before, snapshot(tmp_path)) == set()


@pytest.mark.skipif(not has_command("report"), reason="report command not built yet")
@pytest.mark.parametrize("hostile", ids(*HOSTILE_IDS))
def test_report_refuses_a_hostile_project(
    hostile: str, runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    build_file_tree(workspace, {"cycles/2027.yaml": CYCLE})
    out = tmp_path / "abgabe"
    before = snapshot(tmp_path)
    code, _ = invoke(
        runner,
        workspace,
        *("report", "--cycle", "2027", "--as-of", "2027-09-30"),
        *("--out", str(out), "--project", hostile),
    )
    assert code in (1, 2)
    assert changes(before, snapshot(tmp_path)) == set()


# --- template names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..",
        "../card.yaml.j2",
        "sub/card.yaml.j2",
        "card.yaml.j2\x00.txt",
        "card.yaml.j2\n",
        "",
        "C:\\Windows\\win.ini",
        "con",
        "NUL.j2",
    ],
)
def test_template_name_is_refused(name: str) -> None:
    with pytest.raises(UsageError) as info:
        templates.check_name(name)
    assert [p.code for p in info.value.problems] == ["T-NAME"]


def test_template_symlink_outside_is_not_rendered(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.j2"
    secret.write_text(
        (templates.packaged_dir() / "card.yaml.j2").read_text(encoding="utf-8") + "# GEHEIM-4711\n",
        encoding="utf-8",
    )
    (workspace / "templates").mkdir()
    (workspace / "templates" / "card.yaml.j2").symlink_to(secret)
    code, _ = invoke(
        runner,
        workspace,
        *("new-project", "Neu", "--area", "querenburg", "--target-group", "langzeitarbeitslose"),
    )
    written = [p.read_text(encoding="utf-8") for p in (workspace / "projects").glob("*.yaml")]
    assert not any("GEHEIM-4711" in text for text in written)
    assert code != 0


# --- 10. symlinks and odd files in the workspace -----------------------------------------


@pytest.mark.parametrize(
    ("folder", "content"),
    [
        ("projects", MINIMAL_CARD.replace("jobcenter-im-quartier", "fremd")),
        ("offers", "id: fremd\ntitle: Fremdes Angebot\n"),
        ("cycles", CYCLE.replace("2027", "2030", 1)),
    ],
)
def test_symlink_to_a_file_outside_is_refused(
    folder: str, content: str, runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    target = tmp_path / "outside" / "fremd.yaml"
    build_file_tree(tmp_path / "outside", {"fremd.yaml": content})
    name = "2030.yaml" if folder == "cycles" else "fremd.yaml"
    (workspace / folder).mkdir(exist_ok=True)
    (workspace / folder / name).symlink_to(target)
    before = snapshot(tmp_path)
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert one_line_each(lines), lines
    problem = [line for line in lines if " W-OUTSIDE " in line]
    assert len(problem) == 1
    assert problem[0].startswith(f"{folder}/{name}: W-OUTSIDE ")  # named as listed
    assert changes(before, snapshot(tmp_path)) == set()


def test_symlink_inside_the_workspace_is_fine(runner: CliRunner, workspace: Path) -> None:
    card = workspace / "projects" / "jobcenter-im-quartier.yaml"
    archive = workspace / "archiv" / "jobcenter-im-quartier.yaml"
    archive.parent.mkdir()
    card.rename(archive)
    card.symlink_to(Path("..") / "archiv" / "jobcenter-im-quartier.yaml")
    code, lines = invoke(runner, workspace, "validate")
    assert code == 0, lines


def test_symlink_loop_is_a_located_error(runner: CliRunner, workspace: Path) -> None:
    (workspace / "projects" / "schleife.yaml").symlink_to("schleife.yaml")
    code, lines = invoke(runner, workspace, "validate")  # a RuntimeError would propagate
    assert code == 1
    assert one_line_each(lines), lines
    assert "schleife.yaml" in lines[0]


def test_dangling_symlink_is_a_located_error(runner: CliRunner, workspace: Path) -> None:
    (workspace / "projects" / "weg.yaml").symlink_to("gibt-es-nicht.yaml")
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert one_line_each(lines), lines
    assert any(line.startswith("projects/weg.yaml: Y-READ ") for line in lines), lines


def test_symlink_loop_does_not_stop_the_other_checks(runner: CliRunner, workspace: Path) -> None:
    (workspace / "projects" / "schleife.yaml").symlink_to("schleife.yaml")
    build_file_tree(workspace, {"projects/kaputt.yaml": "id: kaputt\n"})
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert lines[0].startswith("projects/kaputt.yaml:1:1: S-MISSING "), lines
    assert any(line.startswith("projects/schleife.yaml: Y-READ ") for line in lines), lines


def test_data_file_symlink_outside_is_refused(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    areas = workspace / "data" / "areas.csv"
    outside = tmp_path / "areas.csv"
    outside.write_bytes(areas.read_bytes())
    areas.unlink()
    areas.symlink_to(outside)
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert any(" W-OUTSIDE " in line for line in lines), lines


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_does_not_hang_validate(runner: CliRunner, workspace: Path) -> None:
    os.mkfifo(workspace / "projects" / "pipe.yaml")
    code, lines = invoke(runner, workspace, "validate")
    assert code == 1
    assert "projects/pipe.yaml: Y-NOT-FILE not a regular file" in lines[0]


def test_folder_named_like_a_card_is_ignored(runner: CliRunner, workspace: Path) -> None:
    (workspace / "projects" / "ordner.yaml").mkdir()
    code, lines = invoke(runner, workspace, "validate")
    assert code == 0, lines


def test_one_rule_for_which_files_are_cards(tmp_path: Path) -> None:
    from zyklus.files.workspace import YAML_FOLDERS, Workspace, is_workspace_yaml

    assert is_workspace_yaml("a.yaml") and not is_workspace_yaml(".yaml")
    assert not is_workspace_yaml("a.yml") and not is_workspace_yaml("a.yaml.bak")
    assert YAML_FOLDERS == ("projects", "offers", "cycles", "funding")
    (tmp_path / "projects").mkdir()
    for name in ("a.yaml", ".yaml", "b.txt"):
        (tmp_path / "projects" / name).write_text("", encoding="utf-8")
    assert Workspace(tmp_path).card_ids() == {"a"}


def test_a_fresh_read_reuses_only_the_file_it_parsed(tmp_path: Path) -> None:
    """Under a cycle's lock: the kept parse when the file is the one parsed, else a new read."""
    import time

    from zyklus import models
    from zyklus.files.workspace import Workspace

    ws = Workspace(tmp_path)
    path = tmp_path / "cycles" / "2027.yaml"
    path.parent.mkdir()
    path.write_text('cycle: 2027\nopened: 2027-01-05T09:00:00+01:00\nnote: "aaa"\n', "utf-8")
    first = ws.load_one(path, models.CycleState)
    assert ws.load_with_document(path, models.CycleState, fresh=True)[0] is not first  # too new
    time.sleep(0.15)
    settled = ws.load_with_document(path, models.CycleState, fresh=True)[0]
    assert ws.load_with_document(path, models.CycleState, fresh=True)[0] is settled
    stamp = path.stat().st_mtime_ns
    path.write_text('cycle: 2027\nopened: 2027-01-05T09:00:00+01:00\nnote: "bbb"\n', "utf-8")
    os.utime(path, ns=(stamp, stamp))  # same size, same mtime: only ctime tells
    time.sleep(0.15)
    again = ws.load_with_document(path, models.CycleState, fresh=True)[0]
    assert again.note == "bbb"


def test_reading_the_cards_tells_every_file_done_broken_ones_too(tmp_path: Path) -> None:
    """The progress bar's count (issue 19): one call per card, in order, with the total."""
    from helpers import copy_example
    from zyklus.files.workspace import Workspace

    root = copy_example(tmp_path / "ws")
    (root / "projects" / "kaputt.yaml").write_text("id: [\n", encoding="utf-8")
    ws = Workspace(root)
    told: list[tuple[int, int]] = []
    ws.on_read = lambda done, total: told.append((done, total))
    cards = ws.cards
    total = len(ws.yaml_names("projects"))
    assert told == [(i, total) for i in range(1, total + 1)]
    assert cards.problems  # the broken card was counted and reported, not skipped


def test_ids_looked_up_one_by_one_answer_what_the_listing_answers(tmp_path: Path) -> None:
    """The one-card run's look-up (issue 21) agrees with the folder's listing, name by name."""
    from zyklus.files.workspace import Workspace

    folder = tmp_path / "projects"
    folder.mkdir()
    for name in ("a.yaml", "b-c.yaml", "x.yml", ".yaml", "d.yaml.bak"):
        (folder / name).write_text("", encoding="utf-8")
    (folder / "ordner.yaml").mkdir()  # a folder named like a card is no card
    (folder / "kaputt.yaml").symlink_to("fehlt.yaml")  # a broken link is a file to report
    (folder / "schleife.yaml").symlink_to("schleife.yaml")  # so is a loop
    (folder / "verweis.yaml").symlink_to("a.yaml")
    ws = Workspace(tmp_path)
    listed = {name[: -len(".yaml")] for name in ws.yaml_names("projects")}
    asked = [*listed, "x", "", "d.yaml", "ordner", "fehlt", "../projects/a", "a\0", "A", "zz"]
    looked_up = ws.ids_by_look_up("projects")
    assert {word for word in asked if word in looked_up} == listed
    assert set(looked_up) == listed and len(looked_up) == len(listed)


def test_a_one_card_run_lists_no_card_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Other cards are known by look-up: one card costs the same in a city of 10 000."""
    from helpers import copy_example
    from zyklus.files.workspace import Workspace
    from zyklus.rules.references import validate_workspace

    root = copy_example(tmp_path / "ws")
    listed: list[str] = []
    original = Workspace.yaml_names

    def counted(self: Workspace, folder: str) -> list[str]:
        listed.append(folder)
        return original(self, folder)

    monkeypatch.setattr(Workspace, "yaml_names", counted)
    card = root / "projects" / "jobcenter-im-quartier.yaml"
    report = validate_workspace(Workspace(root), [card])
    assert report.errors == 0 and report.files == 1
    assert "projects" not in listed and "offers" not in listed


def _children() -> list[int]:
    """This process's child processes (Linux)."""
    try:
        text = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").read_text("ascii")
    except OSError:
        return []
    return [int(word) for word in text.split()]


def _read_with(root: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from zyklus import models
    from zyklus.files.workspace import Workspace

    monkeypatch.setenv("ZYKLUS_JOBS", jobs)
    ws = Workspace(root)
    told: list[tuple[int, int]] = []
    ws.on_read = lambda done, total: told.append((done, total))
    with ws.read_ahead("projects", "offers"):
        cards, offers = ws.cards, ws.offers
    card = next(iter(cards.paths.values()))
    with pytest.raises(Exception) as broken:  # kept as parsed: raised again, not re-read
        ws.load_one(root / "projects" / "kaputt.yaml", models.Card)
    return {
        "cards": cards.items,
        "paths": cards.paths,
        "problems": [p.render("en") for p in [*cards.problems, *offers.problems]],
        "offers": offers.items,
        "told": told,
        "line": ws.locate(card, ("goals", 0, "target")),
        "again": [p.render("en") for p in broken.value.problems],  # type: ignore[attr-defined]
    }


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="workers are forked on Linux only")
def test_cards_read_in_workers_are_what_one_process_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same models, problems, progress and lines, with workers and without (issue 21)."""
    from helpers import with_many_cards
    from zyklus.files import workers

    root = with_many_cards(tmp_path / "ws", 30)
    (root / "projects" / "kaputt.yaml").write_text("id: [\n", encoding="utf-8")
    (root / "projects" / "falsch.yaml").write_text("id: falsch\ntitel: x\n", encoding="utf-8")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    pools = counted_pools(monkeypatch)
    one = _read_with(root, "1", monkeypatch)
    assert pools == []  # ZYKLUS_JOBS=1: the single-process path
    two = _read_with(root, "2", monkeypatch)
    assert pools == [2]
    assert one == two
    assert len(one["cards"]) == len(list((root / "projects").glob("*.yaml"))) - 2
    assert any("kaputt.yaml" in p and "Y-SYNTAX" in p for p in one["problems"])
    assert any("falsch.yaml" in p for p in one["problems"])
    assert one["again"] == [p for p in one["problems"] if "kaputt.yaml" in p]
    assert one["line"][0] is not None


def _title(card: Any) -> str:
    return f"{card.id}: {card.title}"


def _digested_with(root: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    from zyklus.files.workspace import Workspace

    monkeypatch.setenv("ZYKLUS_JOBS", jobs)
    ws = Workspace(root)
    told: list[tuple[int, int]] = []
    ws.on_read = lambda done, total: told.append((done, total))
    with ws.read_ahead("projects", "offers", digests={"projects": _title}):
        cards = ws.digested("projects", _title)
        models = ws.cards  # a model asked for inside the block is parsed here
    return {
        "items": cards.items,
        "paths": cards.paths,
        "problems": [p.render("en") for p in cards.problems],
        "told": told,
        "models": sorted(models.items),
        "kept": len(ws._parsed),
    }


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="workers are forked on Linux only")
def test_digests_sent_by_workers_are_what_one_process_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same digests, problems and progress with workers and without; the workers send
    the digest alone, and nothing of a digested file is kept (issue 21)."""
    from helpers import with_many_cards
    from zyklus.files import workers
    from zyklus.files.workspace import Workspace

    root = with_many_cards(tmp_path / "ws", 30)
    (root / "projects" / "kaputt.yaml").write_text("id: [\n", encoding="utf-8")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    pools = counted_pools(monkeypatch)
    kept: list[Path] = []
    keep = Workspace._keep
    monkeypatch.setattr(
        Workspace, "_keep", lambda self, path, *a: kept.append(path) or keep(self, path, *a)
    )
    one = _digested_with(root, "1", monkeypatch)
    assert pools == []
    two = _digested_with(root, "2", monkeypatch)
    assert pools == [2]
    assert one == two
    assert kept == []  # no model came back from a worker for the digested folder
    listed = sorted(p.stem for p in (root / "projects").glob("*.yaml"))
    assert sorted(one["items"]) == sorted(set(listed) - {"kaputt"})
    assert all(text.startswith(f"{key}: ") for key, text in one["items"].items())
    assert any("kaputt.yaml" in p and "Y-SYNTAX" in p for p in one["problems"])
    assert one["told"][: len(listed)] == [(i, len(listed)) for i in range(1, len(listed) + 1)]
    assert one["models"] == sorted(one["items"])


def test_a_folder_loaded_already_is_digested_as_it_is(tmp_path: Path) -> None:
    from helpers import with_many_cards
    from zyklus.files.workspace import Workspace

    ws = Workspace(with_many_cards(tmp_path / "ws", 5))
    cards = ws.cards
    reads: list[Path] = []
    ws.on_read = lambda done, total: reads.append(Path())
    digested = ws.digested("projects", _title)
    assert reads == []  # nothing parsed again
    assert digested.items == {key: _title(card) for key, card in cards.items.items()}
    assert digested.paths == cards.paths


def _remembered_run(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, str], list[str]]:
    """One run's remembered digests of the cards, and the names of the cards it parsed
    (here or in a worker: written down in a file)."""
    from zyklus.files.workspace import CONFIG_FILE, RememberedDigest, Workspace

    log = root.parent / "parsed.log"
    log.write_text("", encoding="utf-8")
    parse = Workspace._parse

    def spy(self: Workspace, path: Path, model: Any) -> Any:
        with log.open("a", encoding="utf-8") as out:
            out.write(path.name + "\n")
        return parse(self, path, model)

    with monkeypatch.context() as patched:
        patched.setattr(Workspace, "_parse", spy)
        ws = Workspace(root)
        ws.config  # noqa: B018 (read first, as status does: its stamp is the input's)
        digest = RememberedDigest(_title, "test-cards", (CONFIG_FILE,))
        with ws.read_ahead("projects", digests={"projects": digest}):
            loaded = ws.digested("projects", digest)
    problems = [p.render("en") for p in loaded.problems]
    parsed = log.read_text(encoding="utf-8").split()
    return {**loaded.items, **{f"problem {i}": p for i, p in enumerate(problems)}}, parsed


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_remembered_digest_of_an_unchanged_card_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """The second run parses only what changed since the first, and gives what parsing all
    would give: an edited card, a broken one (never remembered) and edited config are read
    again (issue 21)."""
    from helpers import with_many_cards
    from zyklus.files import remembered, workers

    if jobs == "2" and os.uname().sysname != "Linux":
        pytest.skip("workers are forked on Linux only")
    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ZYKLUS_JOBS", jobs)
    root = with_many_cards(tmp_path / "ws", 12)
    (root / "projects" / "kaputt.yaml").write_text("id: [\n", encoding="utf-8")
    names = sorted(p.name for p in (root / "projects").glob("*.yaml"))
    pools = counted_pools(monkeypatch)
    first, parsed = _remembered_run(root, monkeypatch)
    assert "kaputt.yaml" in "".join(first.values()) and len(first) == len(names)
    assert sorted(parsed) == names and pools == ([] if jobs == "1" else [2])
    pools.clear()
    again, parsed = _remembered_run(root, monkeypatch)
    assert (again, parsed, pools) == (first, ["kaputt.yaml"], [])  # no pool for one file
    card = root / "projects" / "kopie-00003.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("title:", "title: Neu"), "utf-8")
    edited, parsed = _remembered_run(root, monkeypatch)
    assert sorted(parsed) == ["kaputt.yaml", "kopie-00003.yaml"]
    assert edited["kopie-00003"].startswith("kopie-00003: Neu") and edited != first
    config = root / "zyklus.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _, parsed = _remembered_run(root, monkeypatch)
    assert sorted(parsed) == names  # every card again


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="workers are forked on Linux only")
def test_ctrl_c_while_the_cards_are_read_ahead_ends_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Leaving the block any way ends the workers; the cards are then read here."""
    from helpers import with_many_cards
    from zyklus.files import workers
    from zyklus.files.workspace import Workspace

    root = with_many_cards(tmp_path / "ws", 30)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    monkeypatch.setenv("ZYKLUS_JOBS", "2")
    ws = Workspace(root)
    started: list[int] = []
    with pytest.raises(KeyboardInterrupt), ws.read_ahead("projects"):
        started = _children()
        raise KeyboardInterrupt
    assert len(started) >= 2
    assert not [pid for pid in started if Path(f"/proc/{pid}").exists()], "workers left"
    assert len(ws.cards.items) == len(list((root / "projects").glob("*.yaml")))


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="workers are forked on Linux only")
@pytest.mark.parametrize("broken", [False, True])
def test_a_single_file_read_ahead_is_kept_as_one_process_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    """An earlier cycle file parsed in a worker: the same model, lines and problems as
    parsed here, taken inside the block only (issue 21)."""
    from helpers import with_many_cards
    from zyklus import models
    from zyklus.files import workers
    from zyklus.files.workspace import Workspace

    root = with_many_cards(tmp_path / "ws", 30)
    path = root / "cycles" / "2024.yaml"
    text = (root / "cycles" / "2027.yaml").read_text(encoding="utf-8")
    text = text.replace("cycle: 2027", "cycle: 2024")
    path.write_text(text.replace("phase:", "phase: [") if broken else text, encoding="utf-8")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)

    def read(jobs: str) -> tuple[Any, Any, Workspace]:
        monkeypatch.setenv("ZYKLUS_JOBS", jobs)
        ws = Workspace(root)
        with ws.read_ahead("projects", files=[(path, models.CycleState)]):
            try:
                got: Any = ws.load_one(path, models.CycleState)
            except LoadError as exc:
                got = [p.render("en") for p in exc.problems]
        return got, ws.locate(path, ("projects",)), ws

    parsed_here: list[Path] = []  # a worker's calls stay in the worker
    parse = Workspace._parse

    def spy(self: Workspace, where: Path, model: Any) -> Any:
        parsed_here.append(where)
        return parse(self, where, model)

    monkeypatch.setattr(Workspace, "_parse", spy)
    pools = counted_pools(monkeypatch)
    one, line_one, _ = read("1")
    assert parsed_here == [path]
    two, line_two, ws = read("2")
    assert pools == [2] and parsed_here == [path]  # not parsed here again
    assert one == two and line_one == line_two
    assert isinstance(one, list) == broken
    assert path in ws._parsed and not ws._pending


def _indicators_with(root: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """The indicator table read inside ``read_ahead(…, "indicators")``, or its problems."""
    from zyklus.errors import LoadError
    from zyklus.files.workspace import Workspace

    monkeypatch.setenv("ZYKLUS_JOBS", jobs)
    ws = Workspace(root)
    with ws.read_ahead("projects", "offers", "indicators"):
        try:
            table = ws.indicators
        except LoadError as exc:
            return [p.render("en") for p in exc.problems]
        finally:
            ws.cards, ws.offers  # noqa: B018 (every answer taken before the pool ends)
    lines = {key: list(found) for key, found in table.lines.items()}
    return (table.path, table.values, lines, table.marks, table.labels)


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="workers are forked on Linux only")
def test_indicators_read_by_a_worker_are_what_one_process_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: a worker reads data/indicators.csv while the cards are collected; the
    table (values in file order, lines, marks) or the located problems are the same."""
    from helpers import with_many_cards
    from zyklus.files import workers

    root = with_many_cards(tmp_path / "ws", 30)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 4)
    pools = counted_pools(monkeypatch)
    one = _indicators_with(root, "1", monkeypatch)
    assert pools == []
    two = _indicators_with(root, "2", monkeypatch)
    assert pools == [2]
    assert one == two and isinstance(one, tuple) and one[1]
    path = root / "data" / "indicators.csv"
    with path.open("a", encoding="utf-8") as out:
        out.write("querenburg,arbeitslose,2023-12-31,1.340\nnirgendwo,arbeitslose,2023-12-31,1\n")
    broken = _indicators_with(root, "2", monkeypatch)
    assert broken == _indicators_with(root, "1", monkeypatch)
    assert isinstance(broken, list) and len(broken) == 2
    assert "D-DUPLICATE" in broken[0] and "(first at line 66)" in broken[0]
    assert "D-AREA-UNKNOWN" in broken[1]


def test_the_areas_with_indicator_values_are_remembered_while_the_table_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the gate out of analysis asks of data/indicators.csv (``status``, issue 21)."""
    from helpers import copy_example
    from zyklus.files import remembered, workspace
    from zyklus.files.workspace import Workspace

    monkeypatch.setattr(remembered, "SETTLED_NS", 0)
    loads: list[Path] = []
    load = workspace.load_indicators
    monkeypatch.setattr(
        workspace, "load_indicators", lambda path, *a: loads.append(path) or load(path, *a)
    )
    root = copy_example(tmp_path / "ws")
    areas = Workspace(root).indicator_areas()
    assert areas and areas == {a for v in Workspace(root).indicators.values.values() for a in v}
    loads.clear()
    assert Workspace(root).indicator_areas() == areas and loads == []
    table = root / "data" / "indicators.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text + "554,arbeitslose,2023-12-31,1\n", encoding="utf-8")
    assert Workspace(root).indicator_areas() == areas | {"554"} and len(loads) == 1
    table.write_text(text + "nirgends,arbeitslose,2023-12-31,1\n", encoding="utf-8")
    for _ in range(2):  # a refused table raises its problems every time
        with pytest.raises(LoadError):
            Workspace(root).indicator_areas()
