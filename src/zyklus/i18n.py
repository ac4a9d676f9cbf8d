"""Message catalog: every user-facing text lives in ``messages/<domain>.yaml``, de and en.

The core emits message ids (problem codes, labels) and parameters; this module turns them
into text. Catalog files are split by domain so each concept owns its messages; ids are
unique across files (a test checks it, and that de and en cover the same ids).
"""

from __future__ import annotations

import functools
import string
from datetime import date, datetime
from importlib import resources
from typing import Any

import yaml

DEFAULT_LANG = "de"
_FORMATTER = string.Formatter()


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """All messages, id → {lang: text}; read once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    merged: dict[str, dict[str, str]] = {}
    folder = resources.files("zyklus") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, texts in data.items():
            if key in merged:
                raise RuntimeError(f"message id {key!r} defined twice ({entry.name})")
            merged[str(key)] = texts
    return merged


class Msg(str):
    """A parameter that is itself a message id, rendered in the same language."""

    __slots__ = ()


def message(msg_id: str, lang: str, /, **params: Any) -> str:
    """The text of ``msg_id`` in ``lang`` with ``params`` filled in.

    An unknown id or a missing parameter is a bug, but the user must still see something
    useful, so the id and parameters are shown instead of raising.
    """
    texts = catalog().get(msg_id)
    if texts is None:
        return " ".join([msg_id, *(f"{k}={v!r}" for k, v in params.items())])
    template = texts.get(lang) or texts.get(DEFAULT_LANG) or next(iter(texts.values()))
    try:
        return template.format(**{k: _display(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return template


def has_message(msg_id: str) -> bool:
    return msg_id in catalog()


def _display(value: Any, lang: str) -> Any:
    if isinstance(value, Msg):
        return message(value, lang)
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_display(v, lang)) for v in value)
    return value


def format_date(value: date, lang: str) -> str:
    """de: ``31.12.2023``; en: ``2023-12-31``."""
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
    if lang == "de":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def format_percent(value: float, lang: str, digits: int = 1) -> str:
    """de: ``12,1 %``; en: ``12.1%``."""
    number = format_number(value, lang, digits)
    return f"{number} %" if lang == "de" else f"{number}%"
