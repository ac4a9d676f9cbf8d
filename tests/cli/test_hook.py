"""The pre-commit hook's fast path (cli/hook.py): the same output as Typer's (issue 21)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import REPO, build_file_tree, copy_example, subprocess_env
from zyklus.cli import hook, main

BROKEN = {
    # schema: a number for a title, an unknown key (with its did-you-mean)
    "projects/kaputt.yaml": (
        "id: kaputt\ntitle: 12\nareas: [querenburg]\n"
        "target_groups: [langzeitarbeitslose]\nmilestone: []\n"
    ),
    # cross-checks: id and file name differ, unknown area, group, synergy; dates reversed
    "projects/fremd.yaml": (
        "id: anders\ntitle: Fremd\nareas: [nirgendwo]\ntarget_groups: [niemand]\n"
        "synergies: [gibt-es-nicht]\nstart: 2027-05-01\nend: 2026-01-01\n"
    ),
    "projects/syntax.yaml": "id: syntax\ntitle: [unclosed\n",
    "projects/doppelt.yaml": "id: doppelt\ntitle: x\nareas: [a]\na: 1\na: 2\n",
    "projects/falsch.yml": "id: falsch\n",
    "notes.txt": "not a workspace file\n",
}
FILES = (
    "projects/jobcenter-im-quartier.yaml",
    "projects/kaputt.yaml",
    "projects/fremd.yaml",
    "projects/syntax.yaml",
    "projects/doppelt.yaml",
    "projects/falsch.yml",
    "projects/fehlt.yaml",
    "cycles/2027.yaml",  # with a comment the next write would drop: a warning (--strict)
    "notes.txt",
    "offers/nicht-da.yaml",
)
CLEAN = ("projects/jobcenter-im-quartier.yaml", "cycles/2027.yaml")


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Bochum with broken files (German), and the same in English."""
    root = tmp_path_factory.mktemp("hook")
    german = build_file_tree(copy_example(root / "de"), BROKEN)
    english = build_file_tree(copy_example(root / "en"), BROKEN)
    for ws in (german, english):
        with (ws / "cycles" / "2027.yaml").open("a", encoding="utf-8") as cycle:
            cycle.write("# a note at the end\n")
    config = english / "zyklus.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("language: de", "language: en"),
        encoding="utf-8",
    )
    return german, english


def _option(workspaces: tuple[Path, Path]) -> st.SearchStrategy[list[str]]:
    folders = [".", *(str(w) for w in workspaces)]
    return st.one_of(
        st.just(["--strict"]),
        st.sampled_from(hook.FORMATS).flatmap(
            lambda f: st.sampled_from([["--format", f], [f"--format={f}"]])
        ),
        st.sampled_from(["de", "en"]).flatmap(
            lambda lang: st.sampled_from([["--lang", lang], [f"--lang={lang}"]])
        ),
        st.sampled_from(folders).flatmap(
            lambda d: st.sampled_from([["--workspace", d], ["-C", d], [f"--workspace={d}"]])
        ),
    )


@contextlib.contextmanager
def _env(**values: str | None) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    try:
        for key, value in values.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str, object]:
    capsys.readouterr()
    saved = sys.argv
    sys.argv = ["zyklus", *args]
    try:
        with _env(PYDANTIC_DISABLE_PLUGINS=os.environ.get("PYDANTIC_DISABLE_PLUGINS")):
            main()  # which sets it
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.argv = saved
    out, err = capsys.readouterr()
    return out, err, code


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_fast_path_writes_and_exits_as_typer_does(
    data: st.DataObject,
    workspaces: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Generated hook command lines: good and broken files or none (the whole workspace,
    issue 21), every format, both languages."""
    pool = data.draw(st.sampled_from([FILES, CLEAN]))  # with errors, or with a warning only
    files = data.draw(st.lists(st.sampled_from(pool).map(lambda f: [f]), max_size=4))
    options = data.draw(st.lists(_option(workspaces), max_size=4))
    args = [
        "validate",
        *(t for group in data.draw(st.permutations(files + options)) for t in group),
    ]
    cwd = data.draw(st.sampled_from(workspaces))
    env_ws = data.draw(st.sampled_from([None, str(workspaces[0]), str(workspaces[1])]))
    with contextlib.chdir(cwd), _env(ZYKLUS_WORKSPACE=env_ws):
        assert hook.parse(args, os.environ) is not None  # the fast path takes it
        fast = _run(args, capsys)
        with monkeypatch.context() as patched:
            patched.setattr(hook, "parse", lambda args, environ: None)  # Typer takes it
            typer = _run(args, capsys)
    assert fast == typer
    assert fast[2] in (0, 1, 2)


def test_the_examples_fail_pass_and_warn(
    workspaces: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """What the generated command lines compare: errors, a pass, a warning (--strict)."""
    with contextlib.chdir(workspaces[1]):
        out, err, code = _run(["validate", "projects/kaputt.yaml", "projects/fremd.yaml"], capsys)
        assert code == 1
        assert "projects/kaputt.yaml:2:8: S-TYPE" in err
        assert "X-AREA-UNKNOWN" in err
        assert err.endswith("2 files checked: 7 errors, 0 warnings\n")
        out, err, code = _run(["validate", "--strict", "cycles/2027.yaml"], capsys)
        assert (out, code) == ("", 1)
        assert err.startswith("cycles/2027.yaml:120: TR-CYCLE-COMMENT 1 comment(s)")
        assert err.endswith("1 file checked: 0 errors, 1 warning\n")


@pytest.mark.parametrize(
    ("args", "env"),
    [
        ([], {}),
        (["--help"], {}),
        (["--version"], {}),
        (["status"], {}),
        (["validate", "--help", "x.yaml"], {}),
        (["validate", "-h", "x.yaml"], {}),
        (["validate", "--strict=yes", "x.yaml"], {}),
        (["validate", "--lang", "fr", "x.yaml"], {}),
        (["validate", "--format", "xml", "x.yaml"], {}),
        (["validate", "--format", "x.yaml"], {}),  # the file is --format's value
        (["validate", "x.yaml", "--format"], {}),
        (["validate", "--format", "--strict", "x.yaml"], {}),
        (["validate", "--format=", "x.yaml"], {}),
        (["validate", "-C", "does-not-exist", "x.yaml"], {}),
        (["validate", "-C", "README.md", "x.yaml"], {}),  # a file, not a folder
        (["validate", "-Cprojects", "x.yaml"], {}),
        (["validate", "--", "x.yaml"], {}),
        (["validate", "-", "x.yaml"], {}),
        (["validate", ""], {}),
        (["validate", "x\0.yaml"], {}),
        (["validate", "--unknown", "x.yaml"], {}),
        (["validate", "x.yaml"], {"ZYKLUS_WORKSPACE": "does-not-exist"}),
        (["validate", "x.yaml"], {"ZYKLUS_WORKSPACE": ""}),
        (["validate", "x.yaml"], {"_ZYKLUS_COMPLETE": "complete_bash"}),
    ],
)
def test_anything_else_goes_to_typer(args: list[str], env: dict[str, str]) -> None:
    with contextlib.chdir(REPO):
        assert hook.parse(args, env) is None


def test_the_hook_command_line_takes_its_options() -> None:
    args = ["validate", "a.yaml", "--strict", "--format=github", "-C", ".", "--lang", "en", "b"]
    with contextlib.chdir(REPO):
        call = hook.parse(args, {"ZYKLUS_WORKSPACE": "projects"})
    assert call == hook.Call([Path("a.yaml"), Path("b")], True, "github", "en", Path())


PROBE = """
import sys
sys.argv = ["zyklus", *sys.argv[1:]]
from zyklus.cli import main
try:
    main()
except SystemExit as exc:
    print("exit", exc.code, file=sys.stderr)
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_the_console_entry_runs_the_hook_without_typer() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "validate", "projects/jobcenter-im-quartier.yaml"],
        cwd=REPO,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    *_, exit_line, modules = proc.stderr.strip().splitlines()
    assert proc.stdout.endswith(": 0 Fehler, 0 Warnungen\n")
    assert exit_line == "exit 0"
    loaded = set(modules.split())
    assert "zyklus.rules.references" in loaded
    assert {"typer", "click", "zyklus.cli.commands", "zyklus.cli._common"} & loaded == set()
