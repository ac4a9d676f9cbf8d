"""What ``zyklus validate`` reads, validated from a stored core schema, without pydantic's models.

The pre-commit hook checks one card: building pydantic's model classes and their
validators cost more than the check itself (issue 21), and a whole workspace of 1 000
cards paid for them too. :data:`CARD`, :data:`WORKSPACE`, :data:`OFFER`, :data:`CYCLE`
and :data:`CALL` validate with ``pydantic_core`` alone, from the core schema of the card,
zyklus.yaml, offer, cycle file and funding call models (:mod:`zyklus.models`) stored in
:mod:`zyklus.files._stored_schema`. That module is made by :func:`generate` from the
models: every validator function is named by its import path (the models' own functions
live in :mod:`zyklus.values`; pydantic's few steps have equivalents there), and each model
class is replaced by a plain class of the same name (:class:`Light`) whose objects carry
the same attributes. tests/files/test_stored.py fails when the stored schema is stale and
shows on generated files of each kind that both ways report the same problems.

A light object is no instance of the model class (``isinstance`` is False) and has none
of its methods: only what validate's cross-checks read goes through this path.

The stored schema is made with one release of pydantic (and so of pydantic-core, which
pydantic pins exactly). With any other pydantic-core installed, :func:`usable` is False and
the hook validates with the models as every other command does: slower, never different.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import SchemaValidator

    from zyklus import models

M = TypeVar("M")
KeyPath = tuple[str | int, ...]


class Light:
    """A model's object as the stored schema makes it: fields as attributes, nothing else."""

    __slots__ = (
        "__dict__",
        "__pydantic_extra__",
        "__pydantic_fields_set__",
        "__pydantic_private__",
    )

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


_LIGHT: dict[str, type[Light]] = {}


def light(name: str) -> type[Light]:
    """The light class of the model ``name``, made when a schema first names it: a run
    makes only the classes of the file kinds it validates (a one-card run: two of five)."""
    cls = _LIGHT.get(name)
    if cls is None:
        cls = _LIGHT[name] = type(name, (Light,), {"__slots__": (), "__module__": __name__})
    return cls


def __getattr__(name: str) -> type[Light]:
    """A light class made here, where pickle looks for it (a forked worker's answer)."""
    if name in _LIGHT:
        return _LIGHT[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def made(cls: type[Light], fields: dict[str, Any]) -> Light:
    """A default object (``thresholds``, ``resources`` when not given), as the model's."""
    item = object.__new__(cls)
    object.__setattr__(item, "__dict__", fields)
    object.__setattr__(item, "__pydantic_fields_set__", set())
    object.__setattr__(item, "__pydantic_extra__", None)
    object.__setattr__(item, "__pydantic_private__", None)
    return item


@functools.cache
def usable() -> bool:
    """Whether the stored schema was made with the pydantic-core installed."""
    import pydantic_core

    from zyklus.files import _stored_schema

    return bool(pydantic_core.__version__ == _stored_schema.PYDANTIC_CORE)


class StoredModel(Generic[M]):
    """Validates like the model ``M``; the objects it returns are :class:`Light`.

    ``module``: a generated module other than the stored one (tests, another pydantic).
    """

    def __init__(self, name: str, module: ModuleType | None = None) -> None:
        self.__name__ = name
        self._module = module

    def _stored(self) -> Any:
        if self._module is not None:
            return self._module
        from zyklus.files import _stored_schema

        return _stored_schema

    @functools.cached_property
    def _validator(self) -> SchemaValidator:
        from pydantic_core import SchemaValidator

        schema, config = self._stored().SCHEMAS[self.__name__]()
        return SchemaValidator(schema, config)

    def model_rebuild(self) -> None:
        """Build the validator now (before workers fork)."""
        self._validator  # noqa: B018

    def model_validate(self, data: Any) -> M:
        return self._validator.validate_python(data)  # type: ignore[no-any-return]

    def field_names_at(self, loc: KeyPath) -> list[str]:
        """The keys allowed at ``loc``, as :mod:`zyklus.files.located` finds them on the model."""
        node: dict[str, Any] | None = self._stored().FIELDS[self.__name__]()
        for part in loc:
            assert node is not None
            if isinstance(part, str) and "names" in node:
                node = node["fields"].get(part)
            else:
                node = node.get("item")
            if node is None:
                return []
        assert node is not None
        return list(node.get("names", []))


CARD: StoredModel[models.Card] = StoredModel("Card")
WORKSPACE: StoredModel[models.Workspace] = StoredModel("Workspace")
OFFER: StoredModel[models.Offer] = StoredModel("Offer")
CYCLE: StoredModel[models.CycleState] = StoredModel("CycleState")
CALL: StoredModel[models.FundingCall] = StoredModel("FundingCall")


# --- making the stored schema ----------------------------------------------------------------

_HEADER = '''"""The core schemas of what validate reads, made from zyklus.models (issue 21).

Made by ``zyklus.files.stored.generate()``; do not edit. Regenerate with
``ZYKLUS_UPDATE_SCHEMA=1 pytest tests/files/test_stored.py``.
"""

# mypy: ignore-errors
from functools import partial

from zyklus import amounts, values
from zyklus.files.stored import light, made

'''


def generate() -> str:
    """The source of :mod:`zyklus.files._stored_schema`, from the models as they are."""
    import pprint

    import pydantic_core
    from pydantic._internal._config import ConfigWrapper

    from zyklus import models

    schemas: dict[str, str] = {}
    fields: dict[str, Any] = {}
    for model in (
        models.Card,
        models.Workspace,
        models.Offer,
        models.CycleState,
        models.FundingCall,
    ):
        model.model_rebuild()
        writer = _Writer()
        schema = writer.write(model.__pydantic_core_schema__)
        config = ConfigWrapper(model.model_config).core_config(title=model.__name__)
        schemas[model.__name__] = f"({schema}, {writer.write(dict(config))})"
        fields[model.__name__] = _fields_of(model)
    out = [_HEADER, f"PYDANTIC_CORE = {pydantic_core.__version__!r}  # made with this release\n"]
    # each made when its file kind is first validated (a one-card run: two of five)
    out.append("\n\nSCHEMAS = {\n")
    for name, text in schemas.items():
        out.append(f"    {name!r}: lambda: {text},\n")
    out.append("}\n\n")
    out.append("FIELDS = {\n")
    for name, node in fields.items():
        out.append(f"    {name!r}: lambda: {pprint.pformat(node, width=100, sort_dicts=False)},\n")
    out.append("}\n")
    return "".join(out)


class _Writer:
    """A core schema as Python source: functions by import path, models as light classes."""

    def __init__(self) -> None:
        self.refs: dict[str, str] = {}  # pydantic's ref (with an id() in it) → a stable one

    def ref(self, value: str) -> str:
        stable = self.refs.get(value)
        if stable is None:
            stable = self.refs[value] = f"{value.partition(':')[0]}:{len(self.refs)}"
        return repr(stable)

    def write(self, value: Any) -> str:
        from pydantic import BaseModel

        if isinstance(value, dict):
            items = (
                f"{k!r}: {self.item(k, v)}"
                for k, v in value.items()
                if k not in ("metadata", "serialization")
            )
            return "{" + ", ".join(items) + "}"
        if isinstance(value, list | tuple):
            inner = ", ".join(self.write(v) for v in value)
            return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if value else ''})"
        if value is None or isinstance(value, bool | int | float | str):
            return repr(value)
        if isinstance(value, type) and issubclass(value, BaseModel):
            return f"light({value.__name__!r})"
        if isinstance(value, functools.partial):
            keywords = ", ".join(f"{k}={self.write(v)}" for k, v in value.keywords.items())
            return f"partial({_function(value.func)}, {keywords})"
        if callable(value):
            return _function(value)
        raise ValueError(f"no way to store {value!r} in the core schema")

    def item(self, key: str, value: Any) -> str:
        if key in ("ref", "schema_ref") and isinstance(value, str):  # not a field named ref
            return self.ref(value)
        return self.factory(value) if key == "default_factory" else self.write(value)

    def factory(self, value: Any) -> str:
        """A default factory; a model class stands for its default object, made light."""
        from pydantic import BaseModel

        if isinstance(value, type) and issubclass(value, BaseModel):
            made_of = self.write(dict(value().__dict__))
            return f"lambda: made(light({value.__name__!r}), {made_of})"
        return self.write(value)


# pydantic's own steps → their equivalents in zyklus.values
_PYDANTIC_STEPS = {
    "min_length_validator": "values.min_length",
    "max_length_validator": "values.max_length",
    "greater_than_or_equal_validator": "values.at_least",
    "less_than_or_equal_validator": "values.at_most",
    "apply_known_metadata.<locals>._apply_constraint_with_incompatibility_info": (
        "values.constraint_step"
    ),
}
# the models' own checks (methods) → the function of zyklus.values they call
_MODEL_CHECKS = {
    "Indicator._index_has_a_reference": "values.index_has_a_reference",
    "Workspace._bases_are_declared": "values.bases_are_declared",
    "ProjectState._migrate": "values.legacy_evaluation",
}


def _function(func: Callable[..., Any]) -> str:
    module, name = getattr(func, "__module__", ""), getattr(func, "__qualname__", "")
    if module.startswith("pydantic.") and name in _PYDANTIC_STEPS:
        return _PYDANTIC_STEPS[name]
    if module == "zyklus.models" and name in _MODEL_CHECKS:
        return _MODEL_CHECKS[name]
    if module in ("zyklus.values", "zyklus.amounts") and "." not in name and "<" not in name:
        return f"{module.removeprefix('zyklus.')}.{name}"
    raise ValueError(f"store {module}.{name} by name: move it to zyklus.values")


def _fields_of(model: type[BaseModel]) -> dict[str, Any]:
    """The keys allowed at each place, walked as :mod:`zyklus.files.located` walks a model."""
    from zyklus.files.located import _args, _model_in

    def node(annotation: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        model_cls = _model_in(annotation)
        if model_cls is not None:
            out["names"] = [info.alias or name for name, info in model_cls.model_fields.items()]
            found: dict[str, Any] = {}
            for name, info in model_cls.model_fields.items():
                for key in (name, info.alias):
                    if key is not None and key not in found:
                        found[key] = node(info.annotation)
            out["fields"] = found
        for arg in _args(annotation):
            if typing.get_origin(arg) in (list, dict):
                out["item"] = node(typing.get_args(arg)[-1])
                break
        return out

    return node(model)
