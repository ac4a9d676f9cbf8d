"""Did-you-mean for unknown ids: the cheapest help a message can give."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from zyklus.errors import Problem


def closest(word: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown(code: str, word: str, candidates: Iterable[str], **location: object) -> Problem:
    """A problem for an unknown id, with ``hint`` set when a known id is close.

    The catalog has ``CODE`` (no hint) and ``CODE-HINT`` (with hint) messages.
    """
    hint = closest(word, candidates)
    params = {"id": word}
    if hint is not None:
        params["hint"] = hint
        code = f"{code}-HINT"
    return Problem(code, params=params, **location)  # type: ignore[arg-type]
