"""The checks of single values the models run, without pydantic (issue 21).

:mod:`zyklus.models` puts these functions into its fields; :mod:`zyklus.stored` names them
in the stored core schema that the pre-commit hook validates with (``pydantic_core``
alone, no model class built). So both ways run the same code, and a one-card run imports
no ``pydantic.BaseModel``. Errors are :class:`~pydantic_core.PydanticCustomError` with
the type that :mod:`zyklus.files.located` turns into a message id.

Part of the vocabulary: imports no wing.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic_core import PydanticCustomError, PydanticKnownError

from zyklus.amounts import GERMAN_NUMBER

# lowercase words joined by "-" or "_" (statistics offices write ids with "_", issue 12)
ID_PATTERN = r"^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$"
# An area entry of a card or offer that means the whole city.
CITYWIDE = "citywide"
# Where a project's way ends (validate asks without building the models, issue 21).
EndState = Literal["done", "stopped"]
END_STATES: tuple[EndState, ...] = ("done", "stopped")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def new_list() -> list[Any]:
    """An empty list for a default (a Python function: pydantic inspects the signature of a
    default factory, and that of the builtin ``list`` costs a tokenizer, issue 21)."""
    return []


def new_dict() -> dict[Any, Any]:
    """An empty dict for a default (see :func:`new_list`)."""
    return {}


def suppressed_marks() -> list[str]:
    """``data: suppressed`` when not given: cell texts that mean a suppressed value."""
    return [".", "*"]


def missing_marks() -> list[str]:
    """``data: missing`` when not given: cell texts that mean no value."""
    return ["", "x", "X", "-", "–", "—", "...", "…", "/"]


def reject_german_number(value: Any) -> Any:
    """Refuse ``12.500`` (read by YAML as 12.5) and ``1,5`` where a number belongs.

    The loader hands such scalars over as :class:`zyklus.loader.AmbiguousNumber` (a str);
    a plain str of German form is refused with the same message.
    """
    if isinstance(value, str) and GERMAN_NUMBER.match(value.strip()):
        raise PydanticCustomError(
            "ambiguous_number",
            "ambiguous number {text!r}: write 12500 or 12.5 (no thousands separator, "
            "decimal point)",
            {"text": value},
        )
    return value


def number_readings(text: str) -> str:
    """The two ways a number like ``12.500`` or ``1,5`` can be read, for the message
    (issue 12): ``12500 oder 12.5``-style, as plain numbers zyklus accepts."""
    t = text.strip()
    readings: list[str] = []
    if "," in t:  # German: dots group thousands, the comma is the decimal mark
        readings.append(t.replace(".", "").replace(",", "."))
        tail = t.rpartition(",")[2]
        if len(tail) == 3 and "." not in t:  # English: the comma groups thousands
            readings.append(t.replace(",", ""))
    else:
        readings.append(t.replace(".", ""))  # the dots group thousands
        if t.count(".") == 1:  # or it is a decimal point
            readings.append(t.rstrip("0").rstrip(".") if "." in t else t)
    return " | ".join(dict.fromkeys(readings))


def iso_date_hint(value: Any) -> Any:
    """A quoted ISO date is a date (editors and YAML dumpers write ``'2027-03-01'``, issue
    12); ``31.12.2023`` gets a message that names the expected form."""
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise PydanticCustomError(
                    "date_invalid", "{text!r} is not a valid date", {"text": value}
                ) from None
        raise PydanticCustomError(
            "date_format",
            "expected a date in ISO form YYYY-MM-DD, got {text!r}",
            {"text": value},
        )
    return value


def int_id_to_str(value: Any) -> Any:
    """Area ids like BA district 554 may be written unquoted; the int is lossless."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return value


def not_a_device(value: str) -> str:
    """A card or offer id is a file name: ``con`` cannot be checked out on Windows."""
    from zyklus.names import is_windows_reserved

    if is_windows_reserved(value):
        raise PydanticCustomError(
            "reserved_id", "{text!r} is a reserved file name on Windows", {"text": value}
        )
    return value


def some_language(value: object) -> object:
    """``label: {}`` would pass and leave nothing to show in analyse and report (issue 20)."""
    if isinstance(value, dict) and not value:
        raise PydanticCustomError("too_short", "at least one language is needed")
    return value


def year_key(value: Any) -> Any:
    """Mapping keys arrive as text from the loader: ``2027:`` is the year 2027."""
    if isinstance(value, str) and value.isdigit() and len(value) == 4:
        return int(value)
    return value


def one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise PydanticCustomError(
            "naive_datetime", "timestamp without timezone; expected e.g. 2027-01-15T10:00:00+01:00"
        )
    return value


def legacy_evaluation(value: Any) -> Any:
    """Cycle files before issue 14 hold one ``evaluation``; it is the first round."""
    if isinstance(value, dict) and "evaluation" in value:
        value = dict(value)
        old = value.pop("evaluation")
        if old is not None:
            value["evaluations"] = [old, *value.get("evaluations", [])]
    return value


def index_has_a_reference(indicator: Any) -> Any:
    """An indicator of kind index names its reference value (a model check, after)."""
    if indicator.kind == "index" and indicator.reference is None:
        raise PydanticCustomError(
            "index_reference",
            "indicator {id!r} of kind index needs `reference` (the value of the "
            "reference area, e.g. 100)",
            {"id": indicator.id},
        )
    return indicator


def bases_are_declared(config: Any) -> Any:
    """Each indicator's ``base`` is another declared indicator (zyklus.yaml, after)."""
    declared = {i.id for i in config.indicators}
    for indicator in config.indicators:
        if indicator.base is not None and (
            indicator.base not in declared or indicator.base == indicator.id
        ):
            raise PydanticCustomError(
                "unknown_base",
                "indicator {id!r}: base {base!r} is not another indicator of "
                "`indicators` (declared: {declared})",
                {
                    "id": indicator.id,
                    "base": indicator.base,
                    "declared": ", ".join(sorted(declared)),
                },
            )
    return config


# pydantic's own steps of a constrained ``str`` after a before-validator (``AreaId``),
# for the stored schema: the same errors as ``pydantic._internal._validators`` raises.


def min_length(x: Any, min_length: Any) -> Any:
    """pydantic's ``min_length_validator``."""
    try:
        if not (len(x) >= min_length):
            raise PydanticKnownError(
                "too_short",
                {"field_type": "Value", "min_length": min_length, "actual_length": len(x)},
            )
        return x
    except TypeError:
        raise TypeError(f"Unable to apply constraint 'min_length' to supplied value {x}") from None


def max_length(x: Any, max_length: Any) -> Any:
    """pydantic's ``max_length_validator``."""
    try:
        if len(x) > max_length:
            raise PydanticKnownError(
                "too_long",
                {"field_type": "Value", "max_length": max_length, "actual_length": len(x)},
            )
        return x
    except TypeError:
        raise TypeError(f"Unable to apply constraint 'max_length' to supplied value {x}") from None


def constraint_step(value: Any, handler: Any) -> Any:
    """pydantic's wrap around a ``pattern`` step after a before-validator: it only turns a
    type error into a TypeError, and the value is a str there already."""
    return handler(value)


def at_least(x: Any, ge: Any) -> Any:
    """pydantic's ``greater_than_or_equal_validator`` (a number bound after a validator)."""
    try:
        if not (x >= ge):
            raise PydanticKnownError("greater_than_equal", {"ge": ge})
        return x
    except TypeError:
        raise TypeError(f"Unable to apply constraint 'ge' to supplied value {x}") from None


def at_most(x: Any, le: Any) -> Any:
    """pydantic's ``less_than_or_equal_validator``."""
    try:
        if not (x <= le):
            raise PydanticKnownError("less_than_equal", {"le": le})
        return x
    except TypeError:
        raise TypeError(f"Unable to apply constraint 'le' to supplied value {x}") from None
