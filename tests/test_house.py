"""Rules of the house that hold for the whole package, checked on its source (issue 13).

* Nothing outside ``files/`` opens, writes or removes a file: every read is bounded and
  located there, every write atomic there.
* Nothing below ``cli/`` prints: the core returns data, the commands render it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import SRC

PACKAGE = SRC / "zyklus"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# Calls that open, write or remove a file (by function or method name).
FILE_CALLS = frozenset(
    {
        "open",
        "fdopen",
        "read_text",
        "write_text",
        "read_bytes",
        "write_bytes",
        "mkstemp",
        "NamedTemporaryFile",
        "TemporaryDirectory",
        "mkdir",
        "makedirs",
        "unlink",
        "rmdir",
        "rmtree",
        "touch",
        "copyfile",
        "copytree",
    }
)
# Modules whose every call touches the file system (``os.replace``, ``shutil.copy``, …).
FILE_MODULES = frozenset({"shutil", "tempfile"})
OS_FILE_CALLS = frozenset({"open", "remove", "replace", "rename", "unlink", "mkdir", "rmdir"})
# The message catalogs ship inside the package; the vocabulary reads them (it may import
# no wing, files/ included). Nothing of a workspace is read there.
FILE_CALLS_ALLOWED = {("i18n.py", "read_text")}

PRINTING = frozenset({"print", "echo", "secho", "pprint"})
PRINTING_MODULES = ("rich", "typer", "click")


def _module(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _calls(tree: ast.AST) -> Iterator[tuple[str, int]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                yield func.id, node.lineno
            elif isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if owner in FILE_MODULES or (owner == "os" and func.attr in OS_FILE_CALLS):
                    yield "open", node.lineno  # counts as opening a file
                yield func.attr, node.lineno


def _trees() -> Iterator[tuple[str, ast.AST]]:
    for path in SOURCES:
        yield _module(path), ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_scan_sees_the_package() -> None:
    modules = {name for name, _ in _trees()}
    assert {"files/loader.py", "cli/terminal.py", "report/build.py", "cycle.py"} <= modules


def _file_calls(name: str, tree: ast.AST) -> list[str]:
    return [
        f"{name}:{line}: {call}()"
        for call, line in _calls(tree)
        if call in FILE_CALLS and (name, call) not in FILE_CALLS_ALLOWED
    ]


def test_nothing_outside_files_opens_a_file() -> None:
    found = [
        hit
        for name, tree in _trees()
        if not name.startswith("files/")
        for hit in _file_calls(name, tree)
    ]
    assert found == [], "file access outside files/:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        "open('x')",
        "Path('x').read_text()",
        "p.write_bytes(b'')",
        "os.replace(a, b)",
        "shutil.copy(a, b)",
        "folder.mkdir()",
        "tempfile.mkstemp()",
    ],
)
def test_the_file_scan_catches(snippet: str) -> None:
    assert _file_calls("x.py", ast.parse(snippet))


def test_files_opens_files() -> None:
    """The scan finds what it looks for (it would pass on an empty rule otherwise)."""
    calls = {
        call for name, tree in _trees() if name.startswith("files/") for call, _ in _calls(tree)
    }
    assert {"open", "fdopen", "mkdir", "unlink"} <= calls


def _printing(tree: ast.AST) -> Iterator[str]:
    for call, line in _calls(tree):
        if call in PRINTING:
            yield f"{line}: {call}()"
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("stdout", "stderr")
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            yield f"{node.lineno}: sys.{node.attr}"
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in PRINTING_MODULES:
                yield f"{node.lineno}: import {name}"


def test_nothing_below_cli_prints() -> None:
    found = [
        f"{name}:{where}"
        for name, tree in _trees()
        if not name.startswith("cli/") and name != "__main__.py"
        for where in _printing(tree)
    ]
    assert found == [], "output outside cli/:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "snippet", ["print('x')", "import sys\nsys.stderr.write('x')", "import rich"]
)
def test_the_print_scan_catches(snippet: str) -> None:
    assert list(_printing(ast.parse(snippet)))
