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


PHASE_NAMES = ("analysis", "needs", "goals", "planning", "implementation", "evaluation")


def _is_phases(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "PHASES"


def _copy_of(node: ast.AST) -> str | None:
    """What rule of models.py ``node`` writes again, if any."""
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
        return "CITYWIDE again" if node.value.value == "citywide" else None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "the German-number rule again" if r"{1,3}(?:\.\d{3})" in node.value else None
    if isinstance(node, (ast.Tuple, ast.List)):
        words = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        return "the phase order again" if set(PHASE_NAMES) <= set(words) else None
    if isinstance(node, ast.Attribute) and node.attr == "index" and _is_phases(node.value):
        return "a phase order from PHASES.index"
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "enumerate"
        and any(_is_phases(a) for a in node.args)
    ):
        return "a phase order from enumerate(PHASES)"
    return None


def _copies(name: str, tree: ast.AST) -> Iterator[str]:
    """Rules that live in models.py, written again somewhere else."""
    for node in ast.walk(tree):
        found = _copy_of(node)
        if found is not None:
            yield f"{name}:{getattr(node, 'lineno', 0)}: {found}"


def test_no_copied_constants() -> None:
    """CITYWIDE and the phase order are written once, in values.py and models.py, the
    German-number rule in amounts.py (the YAML loader's own scalar table, with ``[0-9]``, is
    its own rule). The stored core schema is made from the models (tests/files/test_stored.py
    keeps it current)."""
    owners = ("models.py", "amounts.py", "values.py")
    made = ("files/_stored_schema.py",)
    found = [
        hit for name, tree in _trees() if name not in owners + made for hit in _copies(name, tree)
    ]
    assert found == [], "\n".join(found)
    originals = [
        hit
        for name in owners
        for hit in _copies(name, ast.parse((PACKAGE / name).read_text(encoding="utf-8")))
    ]
    assert len(originals) >= 3  # the scan finds the originals


@pytest.mark.parametrize(
    "snippet",
    [
        'CITYWIDE = "citywide"',
        'X = re.compile(r"^\\d{1,3}(?:\\.\\d{3})+$")',
        'STATES = ("analysis", "needs", "goals", "planning", "implementation", "evaluation")',
        "rank = models.PHASES.index(p)",
    ],
)
def test_the_copy_scan_catches(snippet: str) -> None:
    assert list(_copies("x.py", ast.parse(snippet)))


def _defined(tree: ast.Module) -> Iterator[tuple[str, int]]:
    for node in tree.body:
        if isinstance(node, ast.Assign):
            yield from ((t.id, node.lineno) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id, node.lineno
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node.name, node.lineno


def _used(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            yield node.id
        elif isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Store):
            yield node.attr
        elif isinstance(node, ast.alias):
            yield node.name
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value  # names looked up by string (getattr, templates' globals)


def test_no_dead_code() -> None:
    """Every module-level name of the package is used somewhere: in the package, its
    templates, its tests or the benchmarks (issue 13 removed four that were not)."""
    from helpers import REPO

    trees = dict(_trees())
    used: set[str] = set()
    for path in [*SOURCES, *(REPO / "tests").rglob("*.py"), *(REPO / "bench").glob("*.py")]:
        used.update(_used(ast.parse(path.read_text(encoding="utf-8"))))
    templates = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "templates").iterdir())
    dead = [
        f"{name}:{line}: {defined}"
        for name, tree in trees.items()
        for defined, line in _defined(tree)  # type: ignore[arg-type]
        if defined not in used and defined not in templates and not defined.startswith("__")
    ]
    assert dead == [], "defined, never used:\n" + "\n".join(dead)
