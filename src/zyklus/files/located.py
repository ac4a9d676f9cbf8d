"""Turn a loaded document into a model, or into located problems.

None of our models' peers gives the *line* of a schema error; we do: pydantic's ``loc``
is a key path, and the loader's :meth:`~zyklus.loader.Document.locate` maps it to line
and column. Unknown keys get a did-you-mean from the model's own field names.
"""

from __future__ import annotations

import difflib
import sys
import types
import typing
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic_core import ValidationError

from zyklus.errors import KeyPath, LoadError, Problem
from zyklus.files.loader import (
    MAX_BYTES,
    MAX_CYCLE_BYTES,
    AmbiguousNumber,
    Document,
    load_file,
    shown,
)
from zyklus.files.stored import StoredModel
from zyklus.i18n import Msg
from zyklus.values import number_readings

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
# what a file is validated as: a model class, or its stored schema (the hook, issue 21)
Model = type[M] | StoredModel[M]

# pydantic error type → message id of the expected kind of value
_EXPECTED = {
    "string_type": "kind-text",
    "int_type": "kind-int",
    "int_from_float": "kind-int",
    "float_type": "kind-number",
    "bool_type": "kind-bool",
    "list_type": "kind-list",
    "dict_type": "kind-mapping",
    "model_type": "kind-mapping",
    "model_attributes_type": "kind-mapping",
    "date_type": "kind-date",
    "datetime_type": "kind-datetime",
    "none_required": "kind-none",
}


def load_model(path: Path, model: Model[M], display: str | None = None) -> M:
    """Load ``path`` strictly and validate it as ``model``; raise located problems."""
    doc = load_file(path, display, max_bytes=max_bytes_for(model))
    return validate_document(doc, model)


def max_bytes_for(model: Model[Any] | None) -> int:
    """The size cap of a file kind: cycle files grow with the city, everything else is small."""
    return MAX_CYCLE_BYTES if is_cycle(model) else MAX_BYTES


def is_cycle(model: Model[Any] | None) -> bool:
    """Whether ``model`` is the cycle file's (without importing the models to ask)."""
    if isinstance(model, StoredModel):
        return model.__name__ == "CycleState"
    models = sys.modules.get("zyklus.models")  # not imported: no model of it is in use
    return models is not None and isinstance(model, type) and issubclass(model, models.CycleState)


def validate_document(doc: Document, model: Model[M]) -> M:
    if doc.data is None:
        raise LoadError([Problem("S-EMPTY-FILE", path=doc.path, line=1, col=1)])
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise LoadError(problems_from_validation(exc, doc, model)) from None


def problems_from_validation(
    exc: ValidationError, doc: Document, model: Model[Any]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[KeyPath, str]] = set()
    for error in exc.errors(include_url=False):
        loc = _clean_loc(error["loc"])
        code, params, at_key = _describe(error, loc, model)
        at_key = at_key or "[key]" in error["loc"]  # a bad mapping key: point at the key
        if (loc, code) in seen:  # unions report one mistake once per member
            continue
        seen.add((loc, code))
        line, col = doc.locate(loc, key=at_key)
        shown_loc = tuple(shown(p) if isinstance(p, str) else p for p in loc)
        problems.append(
            Problem(code, path=doc.path, line=line, col=col, key_path=shown_loc, params=params)
        )
    problems.sort(key=lambda p: (p.line or 0, p.col or 0))
    return problems


def _clean_loc(loc: tuple[int | str, ...]) -> KeyPath:
    """Drop pydantic's union/validator markers (``str``, ``function-after[...]``)."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part in _MARKERS):
            continue
        out.append(part)
    return tuple(out)


def _id_for(given: Any) -> str:
    """The id to write instead: lowercase, umlauts spelled out, other signs as '-'."""
    from zyklus.files.scaffold import make_id

    return make_id(str(given)[:200]) or "projekt-1"  # "projekt-1" when only signs were left


_MARKERS = {"str", "int", "float", "bool"}  # union member names pydantic puts in loc


def _describe(error: Any, loc: KeyPath, model: Model[Any]) -> tuple[str, dict[str, Any], bool]:
    """Problem code, message parameters, and whether to point at the key."""
    kind = error["type"]
    given = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        fields = _field_names_at(model, loc[:-1])
        if key.isdigit():  # {value: 3,5}: the comma ended the entry, "5" became a key
            return "S-DECIMAL-COMMA", {"key": shown(key)}, True
        match = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
        if match:
            return "S-UNKNOWN-KEY-HINT", {"key": shown(key), "hint": match[0]}, True
        return "S-UNKNOWN-KEY", {"key": shown(key), "allowed": sorted(fields)}, True
    if kind == "missing":
        return "S-MISSING", {"key": shown(loc[-1]) if loc else ""}, False
    if kind == "ambiguous_number" or isinstance(given, AmbiguousNumber):
        readings = number_readings(str(given)[:40])
        return "S-AMBIGUOUS-NUMBER", {"text": shown(given), "readings": readings}, False
    if kind == "date_format":
        return "S-DATE-FORMAT", {"text": shown(given)}, False
    if kind == "date_invalid":  # the same problem and code as an unquoted 2027-02-30
        return "Y-DATE", {"text": shown(given)}, False
    if kind in ("amount", "percent"):  # zyklus.amounts (issue 15)
        return f"M-{kind.upper()}", {"text": shown(given)}, False
    if kind == "naive_datetime":
        return "S-TIMEZONE", {}, False
    if kind == "list_type" and isinstance(given, str | int | float) and not isinstance(given, bool):
        # areas: querenburg → say what to write: [querenburg] (issue 12)
        return "S-TYPE-LIST", {"given": shown(given), "suggestion": f"[{given}]"}, False
    if kind in _EXPECTED:
        return "S-TYPE", {"expected": Msg(_EXPECTED[kind]), "given": Msg(_kind_of(given))}, False
    if kind in ("literal_error", "enum"):
        return "S-CHOICE", {"given": shown(given), "allowed": ctx.get("expected", "")}, False
    if kind == "reserved_id":
        return "S-ID-RESERVED", {"given": shown(given)}, False
    if kind == "string_pattern_mismatch":
        return "S-ID-FORM", {"given": shown(given), "suggestion": _id_for(given)}, False
    if kind in ("too_short", "string_too_short"):
        return "S-EMPTY", {}, False
    if kind in ("too_long", "string_too_long"):
        unit = Msg("kind-entries" if isinstance(given, list | dict) else "kind-characters")
        return "S-TOO-LONG", {"limit": ctx.get("max_length", ""), "unit": unit}, False
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        return f"S-RANGE-{kind.upper().replace('_', '-')}", {"bound": bound}, False
    return "S-INVALID", {"detail": error.get("msg", kind)}, False


def _kind_of(value: Any) -> str:
    """Message id naming what the user wrote, for 'expected X, got Y'."""
    if value is None:
        return "kind-none"
    if isinstance(value, bool):
        return "kind-bool"
    if isinstance(value, int):
        return "kind-int"
    if isinstance(value, float):
        return "kind-number"
    if isinstance(value, str):
        return "kind-text"
    if isinstance(value, datetime):  # before date: every datetime is a date
        return "kind-datetime"
    if isinstance(value, list):
        return "kind-list"
    if isinstance(value, dict):
        return "kind-mapping"
    return "kind-date"


def _field_names_at(model: Model[Any], loc: KeyPath) -> list[str]:
    """The keys allowed at ``loc`` (by alias where one is set), for did-you-mean."""
    if isinstance(model, StoredModel):
        return model.field_names_at(loc)
    current: Any = model
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    model_cls = _model_in(current)
    if model_cls is None:
        return []
    return [info.alias or name for name, info in model_cls.model_fields.items()]


def _unwrap(annotation: Any, part: str | int) -> Any:
    model_cls = _model_in(annotation)
    if isinstance(part, str) and model_cls is not None:
        for name, info in model_cls.model_fields.items():
            if part in (name, info.alias):
                return info.annotation
        return None
    for arg in _args(annotation):
        origin = typing.get_origin(arg)
        if origin in (list, dict):
            return typing.get_args(arg)[-1]
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    from pydantic import BaseModel

    for arg in _args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _args(annotation: Any) -> list[Any]:
    """Flatten Optional/Union/Annotated into the plain types they hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _args(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [a for arg in typing.get_args(annotation) for a in _args(arg)]
    return [annotation]
