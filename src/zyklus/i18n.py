"""Message catalog: every user-facing text lives in ``messages/<domain>.yaml``, de and en.

The core emits message ids (problem codes, labels) and parameters; this module turns them
into text. Catalog files are split by domain so each concept owns its messages; ids are
unique across files (a test checks it, and that de and en cover the same ids).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

DEFAULT_LANG = "de"
# The tests set this: a message rendered without one of its parameters is then an error
# instead of text with a raw ``{placeholder}`` (issue 12).
STRICT = False


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages, id → {lang: text}; read once per process."""
    merged: dict[str, dict[str, str]] = {}
    for name in _catalog_files():
        for key, texts in _catalog_file(name).items():
            if key in merged:
                raise RuntimeError(f"message id {key!r} defined twice ({name})")
            merged[key] = texts
    return merged


# The catalogs are files next to this module, in a wheel as in the source tree; a plain
# path costs no ``importlib.resources`` at start-up (issue 21).
_FOLDER = Path(__file__).parent / "messages"


@functools.cache
def _catalog_files() -> tuple[str, ...]:
    return tuple(sorted(e.name for e in _FOLDER.iterdir() if e.name.endswith(".yaml")))


@functools.cache
def _catalog_file(name: str) -> dict[str, dict[str, str]]:
    """One catalog file, parsed on first use."""
    entry = _FOLDER / name
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader) or {}
    return {str(key): texts for key, texts in data.items()}


_TEXTS: dict[str, dict[str, str] | None] = {}


def _texts(msg_id: str) -> dict[str, str] | None:
    """The texts of one id, parsing only the catalog files up to the one that has it.

    Ids are unique across files (:func:`catalog` checks), so the first match is the one;
    a run that prints one summary line parses one or two small files, not all (issue 9).
    Each id is looked up once: tables call this for every cell.
    """
    try:
        return _TEXTS[msg_id]
    except KeyError:
        pass
    texts = None
    for name in _catalog_files():
        texts = _catalog_file(name).get(msg_id)
        if texts is not None:
            break
    _TEXTS[msg_id] = texts
    return texts


class Msg(str):
    """A parameter that is itself a message (id and parameters), rendered in the same language."""

    params: dict[str, Any]

    def __new__(cls, msg_id: str, /, **params: Any) -> Msg:
        self = super().__new__(cls, msg_id)
        self.params = params
        return self


def message(msg_id: str, lang: str, /, **params: Any) -> str:
    """The text of ``msg_id`` in ``lang`` with ``params`` filled in.

    An unknown id or a missing parameter is a bug, but the user must still see something
    useful, so the id and parameters are shown instead of raising.
    """
    texts = _texts(msg_id)
    if texts is None:
        return " ".join([msg_id, *(f"{k}={v!r}" for k, v in params.items())])
    template = texts.get(lang) or texts.get(DEFAULT_LANG) or next(iter(texts.values()))
    try:
        return template.format(**{k: _display(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        if STRICT:
            raise
        return template


def has_message(msg_id: str) -> bool:
    return _texts(msg_id) is not None


class Count(int):
    """A whole number that knows its noun: ``{files:plural:Datei|Dateien}`` → ``1 Datei``,
    ``2 Dateien`` (issue 12: no more "1 Dateien", "1 errors")."""

    def __format__(self, spec: str) -> str:
        if spec.startswith("plural:"):
            one, _, many = spec.removeprefix("plural:").partition("|")
            return f"{int(self)} {one if self == 1 else many or one}"
        return int(self).__format__(spec)


def _display(value: Any, lang: str) -> Any:
    if isinstance(value, Msg):
        return message(value, lang, **value.params)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Count(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, Decimal):  # only money is a Decimal (issue 15)
        from zyklus.amounts import format_eur

        return format_eur(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_display(v, lang)) for v in value)
    if isinstance(value, str):
        return one_line(value)
    return value


def one_line(text: str) -> str:
    """Control characters escaped (``\\n``): a problem is one line, whatever the user typed."""
    from zyklus.escape import terminal

    return terminal(text)


def format_date(value: date, lang: str) -> str:
    """de: ``31.12.2023``; en: ``2023-12-31``; a year, half-year or quarter as itself (issue 18).

    de: ``2023``, ``1. Hj. 2023``, ``3. Quartal 2023``; en: ``2023``, ``2023 H1``, ``2023 Q3``.
    """
    kind = getattr(value, "kind", None)
    if kind is not None:
        index = getattr(value, "index", 0)
        if kind == "year":
            return f"{value.year:04d}"
        if lang == "de":
            return f"{index}. {'Hj.' if kind == 'half' else 'Quartal'} {value.year:04d}"
        return f"{value.year:04d} {'H' if kind == 'half' else 'Q'}{index}"
    if lang == "de":
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return value.isoformat()


def format_number(value: float | int, lang: str, digits: int | None = None) -> str:
    """de: ``16.797`` and ``12,1``; en: ``16,797`` and ``12.1``.

    ``digits`` fixes the decimals; by default integers show none and floats up to two,
    without trailing zeros.
    """
    if digits is None:
        if float(value).is_integer():
            text = f"{value:,.0f}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{digits}f}"
    return text.translate(_GERMAN_SEPARATORS) if lang == "de" else text


_GERMAN_SEPARATORS = str.maketrans(",.", ".,")


def format_percent(value: float, lang: str, digits: int = 1) -> str:
    """de: ``12,1 %``; en: ``12.1%``."""
    number = format_number(value, lang, digits)
    return f"{number} %" if lang == "de" else f"{number}%"


def format_quantity(value: float, unit: str | None, lang: str, digits: int | None = None) -> str:
    """A value in its unit, the one rule for every output (issue 13): a share in ``%`` as
    a percentage (``12,1 %``), any other unit after the number (``16.797 Personen``)."""
    unit = (unit or "").strip()
    if unit == "%":
        return format_percent(value, lang, 1 if digits is None else digits)
    number = format_number(value, lang, digits)
    return f"{number} {unit}" if unit else number
