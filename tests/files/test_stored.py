"""The stored core schema validates cards, zyklus.yaml, offers and cycle files exactly as
the models do (issue 21).

``zyklus validate`` (the pre-commit hook and a whole workspace) validates with
:mod:`zyklus.files.stored` (pydantic_core alone). It must be current (made from the models
as they are) and tell every problem exactly as the model path does: code, file:line:col,
key path, value, hint, in both languages.
"""

from __future__ import annotations

import copy
import datetime
import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pydantic_core
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import copy_example
from zyklus import models
from zyklus.errors import LoadError, Problem
from zyklus.files import stored
from zyklus.files.loader import load_file
from zyklus.files.located import validate_document
from zyklus.files.workspace import Workspace
from zyklus.rules.references import validate_workspace

REPO = Path(__file__).resolve().parents[2]
STORED = REPO / "src" / "zyklus" / "files" / "_stored_schema.py"
CARD = "projects/jobcenter-im-quartier.yaml"


def test_the_stored_schema_is_made_from_the_models_as_they_are() -> None:
    """With another pydantic-core (CI's oldest releases) the hook uses the models; the tests
    below then check the schema this pydantic would store."""
    # in a fresh interpreter: pydantic's schema of a model differs in form (not in what it
    # accepts) when a model it holds was built first, as other tests do
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from zyklus.files import stored; print(stored.generate(), end='')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if os.environ.get("ZYKLUS_UPDATE_SCHEMA"):
        STORED.write_text(made, encoding="utf-8")
    text = STORED.read_text(encoding="utf-8")
    made_here = f"PYDANTIC_CORE = {pydantic_core.__version__!r}" in text
    assert stored.usable() == made_here
    if made_here:
        assert text == made, (
            "src/zyklus/files/_stored_schema.py is stale: run "
            "ZYKLUS_UPDATE_SCHEMA=1 pytest tests/files/test_stored.py"
        )


@functools.cache
def _light(name: str) -> stored.StoredModel[Any]:
    """The stored schema's model, or (another pydantic-core) the one it would store."""
    if stored.usable():
        return {
            "Card": stored.CARD,
            "Workspace": stored.WORKSPACE,
            "Offer": stored.OFFER,
            "CycleState": stored.CYCLE,
            "FundingCall": stored.CALL,
        }[name]
    module = type(sys)("made_schema")
    exec(compile(stored.generate(), "made_schema", "exec"), module.__dict__)
    return stored.StoredModel(name, module)


@pytest.mark.parametrize("given", [[CARD], []], ids=["one card", "the whole workspace"])
def test_validate_imports_no_model_class(given: list[str]) -> None:
    """Neither the hook's card nor a whole workspace (cards, offers, cycle files, funding
    calls) builds a model class. (With another pydantic-core than the stored schema's, the
    models are used.)"""
    args = ["validate", *given]
    code = (
        "import sys; from zyklus.cli import main; sys.argv = ['zyklus', *"
        f"{args!r}]\ntry:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0\n"
        f"assert ('zyklus.models' in sys.modules) is {not stored.usable()}, 'models'\n"
        f"assert ('pydantic.main' in sys.modules) is {not stored.usable()}, 'BaseModel'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def _same(light: Any, model: Any) -> bool:
    """A light object holds what the model object holds, field by field, same types."""
    if isinstance(model, models.Strict):
        return (
            type(light).__name__ == type(model).__name__
            and light.__dict__.keys() == model.__dict__.keys()
            and all(_same(light.__dict__[k], v) for k, v in model.__dict__.items())
        )
    if isinstance(model, list):
        return (
            isinstance(light, list) and len(light) == len(model) and all(map(_same, light, model))
        )
    if isinstance(model, dict):
        return light.keys() == model.keys() and all(_same(light[k], v) for k, v in model.items())
    return type(light) is type(model) and light == model


def _told(problems: list[Problem]) -> list[tuple[Any, ...]]:
    """Everything a user sees of the problems, in both languages."""
    return [
        (p.code, p.where(), p.key_path, p.severity, p.message("de"), p.message("en"))
        for p in problems
    ]


def _both(path: Path, model: type[models.Strict]) -> None:
    """Validate ``path`` both ways: the same object, or the same problems."""
    light = _light(model.__name__)
    results = []
    for kind in (model, light):
        try:
            results.append((validate_document(load_file(path, path.name), kind), None))
        except LoadError as exc:
            results.append((None, exc.problems))
    (by_model, problems), (by_light, light_problems) = results
    if problems is None:
        assert light_problems is None, _told(light_problems or [])
        assert _same(by_light, by_model)
    else:
        assert light_problems is not None, _told(problems)
        assert _told(light_problems) == _told(problems)
        assert light_problems == problems


# --- generated cards and zyklus.yaml: the example's, changed at random places ---------------

AMBIGUOUS = "__ambiguous__"  # written as an unquoted 12.500 (the loader's AmbiguousNumber)
VALUES = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            0,
            -1,
            7,
            554,
            12.5,
            0.15,
            "",
            "x",
            "G1",
            "con",
            "Not An Id",
            "citywide",
            "554",
            "jobcenter",
            "via-ruhr",
            "2027-02-30",
            "2027-03-01",
            "31.12.2023",
            "12.500",
            "1,5",
            "12500.50",
            "1e3",
            AMBIGUOUS,
            datetime.date(2027, 3, 1),
            datetime.date(1800, 1, 1),
            [],
            {},
            ["x"],
            {"de": ""},
            {"de": "Text"},
            {"partner": "jobcenter"},
            {"partner": "nobody", "role": "r"},
            {"2027": 100},
            {"value": 3, "date": "2027-01-01"},
            "a" * 81,
        ]
    ),
    st.text(max_size=6),
    st.integers(-3, 3000),
)


def _places(data: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _places(value, (*at, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _places(value, (*at, i))
    return out


@st.composite
def _changed(draw: st.DrawFn, data: Any) -> Any:
    """``data`` with a few places replaced, removed, or given an extra (misspelt) key."""
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _places(data) if p]
        at = draw(st.sampled_from(places))
        parent = data
        for part in at[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "remove", "extra"]))
        if action == "remove":
            del parent[at[-1]]
        elif action == "extra" and isinstance(parent, dict):
            key = str(at[-1])
            parent[draw(st.sampled_from([key + "s", key[:-1] or "x", "unknown", "3"]))] = 1
        else:
            parent[at[-1]] = copy.deepcopy(draw(VALUES))  # the samples stay as they are
    return data


def _write(path: Path, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text.replace(AMBIGUOUS, "12.500"), encoding="utf-8")


def _example(name: str) -> Any:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("ws"))


OFFER = "offers/jobcenter-eingliederungsleistungen.yaml"
CALL = "funding/beispielaufruf-quartiersberatung-2027.yaml"
FILES = [
    (CARD, models.Card),
    ("zyklus.yaml", models.Workspace),
    (OFFER, models.Offer),
    ("cycles/2027.yaml", models.CycleState),
    ("cycles/2024.yaml", models.CycleState),
    (CALL, models.FundingCall),
]
KINDS = ["card", "zyklus.yaml", "offer", "cycle", "earlier cycle", "funding call"]


@pytest.mark.parametrize(("name", "model"), FILES, ids=KINDS)
def test_the_example_validates_the_same_both_ways(name: str, model: type[models.Strict]) -> None:
    _both(REPO / name, model)


@pytest.mark.parametrize(("name", "model"), FILES, ids=KINDS)
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_changed_files_validate_the_same_both_ways(
    tmp_path: Path,
    name: str,
    model: type[models.Strict],
    data: st.DataObject,
) -> None:
    path = tmp_path / Path(name).name
    _write(path, data.draw(_changed(_example(name))))
    _both(path, model)


def _validated(ws_root: Path, given: list[str] | None, *, light: bool) -> list[tuple[Any, ...]]:
    ws = Workspace(ws_root, stored=light)
    report = validate_workspace(ws, None if given is None else [ws_root / g for g in given])
    return [*_told(report.problems), report.files]


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), which=st.sampled_from([name for name, _ in FILES]))
def test_the_whole_workspace_reports_the_same_with_the_stored_schema(
    example: Path, data: st.DataObject, which: str
) -> None:
    """validate of the whole workspace, one file of each kind changed: cross-checks (a
    cycle file's references to the cards, the offers a card names) the same way too."""
    original = (example / which).read_bytes()
    try:
        _write(example / which, data.draw(_changed(_example(which))))
        assert _validated(example, None, light=True) == _validated(example, None, light=False)
    finally:
        (example / which).write_bytes(original)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), which=st.sampled_from([CARD, "zyklus.yaml"]))
def test_the_hook_reports_the_same_with_the_stored_schema(
    example: Path, data: st.DataObject, which: str
) -> None:
    """validate of a given card or zyklus.yaml: cross-checks included, the same problems."""
    original = (example / which).read_bytes()
    try:
        _write(example / which, data.draw(_changed(_example(which))))
        given = [which, "projects/nowhere.yaml"]
        assert _validated(example, given, light=True) == _validated(example, given, light=False)
    finally:
        (example / which).write_bytes(original)


def test_the_example_workspace_reports_the_same_with_the_stored_schema(tmp_path: Path) -> None:
    root = copy_example(tmp_path)
    shutil.copy(root / CARD, root / "projects" / "kopie.yaml")  # id ≠ file name: a problem
    given = [*(f"projects/{p.name}" for p in (root / "projects").iterdir()), "zyklus.yaml"]
    found = _validated(root, given, light=True)
    assert found == _validated(root, given, light=False)
    assert any(told[0] == "X-ID-FILENAME" for told in found[:-1])


@pytest.mark.parametrize(
    "change",
    [
        {"base": "nowhere"},
        {"base": "self"},
        {"kind": "index"},
        {"kind": "index", "reference": 100},
        {"sd": 0},
    ],
)
def test_the_models_own_checks_run_the_same_with_the_stored_schema(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    """The model validators (an index's reference, an indicator's base) are stored too."""
    config = _example("zyklus.yaml")
    first = config["indicators"][0]
    first.update({k: first["id"] if v == "self" else v for k, v in change.items()})
    _write(tmp_path / "zyklus.yaml", config)
    _both(tmp_path / "zyklus.yaml", models.Workspace)


def test_a_light_object_pickles_as_a_worker_sends_it() -> None:
    import pickle

    card = _light("Card").model_validate(yaml.safe_load((REPO / CARD).read_text(encoding="utf-8")))
    again = pickle.loads(pickle.dumps(card))
    assert type(again) is type(card)
    assert repr(again) == repr(card)  # every field, nested objects too
