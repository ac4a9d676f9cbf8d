"""Area names in a spreadsheet → area ids of ``data/areas.csv``: never a silent guess (issue 17).

A statistics office writes "Südinnenstadt", "Sued-Innenstadt¹" or "554"; the workspace
knows ``suedinnenstadt`` named "Südinnenstadt". A name is matched

1. exactly: an area id, or an area's name as written (or as ``--area NAME=ID`` maps it);
2. else normalised (:func:`zyklus.sheets.values.fold`): case, umlauts, punctuation,
   spaces and footnote marks aside — only when exactly one area has that form;
3. else not at all: the caller reports it with the closest names (did-you-mean).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from zyklus.files.tables import AreaTable
from zyklus.sheets.values import fold
from zyklus.suggest import closest

How = Literal["mapped", "exact", "normalised"]

# Words of a total row ("Insgesamt", "Stadt zusammen") that names no area of its own.
TOTAL_WORDS = ("insgesamt", "gesamt", "summe", "zusammen", "total", "alle")


@dataclass(frozen=True)
class Match:
    area: str | None
    how: How | None = None
    ambiguous: tuple[str, ...] = ()  # ids sharing the name (then ``area`` is None)
    hint: str | None = None  # the closest known name or id, for "did you mean"


class AreaMatcher:
    def __init__(self, areas: AreaTable, mapped: Mapping[str, str] | None = None) -> None:
        self._mapped = dict(mapped or {})
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        for area in areas.areas.values():
            for name in {area.id, area.name} - {""}:
                self._exact.setdefault(name, set()).add(area.id)
                self._folded.setdefault(fold(name), set()).add(area.id)
        self._known = sorted(self._exact)
        self._cache: dict[str, Match] = {}

    def match(self, name: str) -> Match:
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self._match(name)
        return found

    def _match(self, name: str) -> Match:
        if name in self._mapped:
            return Match(self._mapped[name], "mapped")
        exact = self._exact.get(name)
        if exact is not None:
            if name in exact:  # an id wins over another area's equal name
                return Match(name, "exact")
            if len(exact) == 1:
                return Match(next(iter(exact)), "exact")
            return Match(None, ambiguous=tuple(sorted(exact)))
        folded = self._folded.get(fold(name), set())
        if len(folded) == 1:
            return Match(next(iter(folded)), "normalised")
        if folded:
            return Match(None, ambiguous=tuple(sorted(folded)))
        return Match(None, hint=closest(name, self._known))


def is_total(name: str) -> bool:
    """A total row: "Insgesamt", "Summe", "Stadt zusammen", "Gesamt*"."""
    words = fold(name) and name.casefold().replace("*", " ").split()
    return any(word.strip(".:") in TOTAL_WORDS for word in words or ())
