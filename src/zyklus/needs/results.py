"""The plain, frozen result objects of the small-area analysis (issues 5 and 18).

:mod:`zyklus.needs.analysis` re-exports every name; fields added by issue 18 come last and
have defaults, so code that builds or reads the older shape keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal, TypeVar

from zyklus.rules.duplicates import DuplicateCandidate, DuplicateRest, OneSidedSynergy

Class = Literal["hotspot", "above", "at", "below"]
How = Literal["direct", "parent", "child", "citywide"]
Kind = Literal["share", "count", "zscore", "index", "category"]
Series = tuple[tuple[date, float], ...]
_T = TypeVar("_T")


def maker(cls: type[_T]) -> Callable[..., _T]:
    """``cls(*values)`` for a frozen dataclass, every field given in order, without the
    generated ``__init__`` and its ``object.__setattr__`` per field: the instance's fields
    are set at once (issue 18: 50 000 trends and ranking rows). The same object, equal to
    one made by ``cls(...)``."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    new = object.__new__

    def make(*values: Any) -> _T:
        made = new(cls)
        made.__dict__.update(zip(names, values, strict=True))
        return made

    return make


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    label: dict[str, str]
    unit: str
    direction: str
    aggregation: str
    periods: tuple[date, ...]
    period: date | None  # the one analysed
    kind: Kind = "share"
    reference: float | None = None  # zscore/index: the declared reference value
    base: str | None = None
    min_base: float | None = None


@dataclass(frozen=True)
class RankRow:
    rank: int
    area: str
    name: str
    level: str
    parent: str | None
    parent_name: str | None
    value: float
    city_value: float | None
    ratio: float | None
    diff_pp: float | None
    class_: Class | None
    small_base: bool = False  # "kleine Fallzahl": base below the indicator's min_base
    base_value: float | None = None
    sd_units: float | None = None  # zscore/index: (value − reference) / SD


@dataclass(frozen=True)
class MarkRow:
    """An area of a ranking's level whose cell has no number (suppressed or missing)."""

    area: str
    name: str
    kind: Literal["secret", "missing"]
    text: str


@dataclass(frozen=True)
class Ranking:
    indicator: str
    unit: str
    direction: str
    aggregation: str
    period: date
    level: str
    city: str | None
    city_value: float | None
    rows: tuple[RankRow, ...]
    kind: Kind = "share"
    reference: float | None = None
    sd: float | None = None  # the SD the classes used (declared or computed on the level)
    small: tuple[str, ...] = ()  # areas left out for a small base (unless asked for)
    marks: tuple[MarkRow, ...] = ()


@dataclass(frozen=True)
class HiddenHotspot:
    """A hotspot inside an area that looks fine: the nearest ancestor with a value (not the
    city) is at or on the better side of the reference (issue 18: levels without data are
    skipped and named in ``skipped``)."""

    indicator: str
    period: date
    area: str
    name: str
    level: str
    value: float
    ratio: float | None
    parent: str  # the ancestor compared with (nearest with a value, or each in every-level)
    parent_name: str
    parent_value: float
    parent_class: Class
    parent_level: str = ""
    skipped: tuple[str, ...] = ()  # levels between without a value
    sd_units: float | None = None


@dataclass(frozen=True)
class Reach:
    project: str
    title: str
    phase: str
    how: How


@dataclass(frozen=True)
class CoverageRow:
    area: str
    name: str
    level: str
    indicators: tuple[str, ...]
    target_group: str
    projects: tuple[Reach, ...]


@dataclass(frozen=True)
class Gap:
    area: str
    name: str
    level: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Trend:
    """Last step (``previous_*`` → ``value``) and the whole series of one area (issue 18).

    Only periods in which the area has the same boundary as in the analysed period count.
    """

    indicator: str
    area: str
    name: str
    level: str
    period: date
    previous_period: date
    value: float
    previous_value: float
    change: float
    development: Literal["worse", "better", "same"]
    first_period: date | None = None
    first_value: float | None = None
    series_change: float | None = None
    series_development: Literal["worse", "better", "same"] | None = None
    series: Series = ()
    crosswalk: tuple[date, ...] = ()  # periods whose value came through data/crosswalk.csv


@dataclass(frozen=True)
class CategoryRow:
    area: str
    name: str
    level: str
    label: str


@dataclass(frozen=True)
class CategoryView:
    """A categorical indicator (a status class): held and shown per level, never ranked."""

    indicator: str
    period: date
    level: str
    rows: tuple[CategoryRow, ...]
    counts: tuple[tuple[str, int], ...]  # class → areas, in the declared order


@dataclass(frozen=True)
class Note:
    """A finding about the data that is no error, e.g. children not adding up to the parent."""

    code: str
    path: str
    line: int | None
    params: dict[str, Any]


@dataclass(frozen=True)
class Analysis:
    workspace: str
    city: str | None
    city_name: str | None
    illustrative: bool
    hotspot_ratio: float
    at_tolerance: float
    cycle: int | None
    indicators: tuple[IndicatorInfo, ...]
    rankings: tuple[Ranking, ...]
    hidden_hotspots: tuple[HiddenHotspot, ...]
    coverage: tuple[CoverageRow, ...]
    gaps: tuple[Gap, ...]
    duplicates: tuple[DuplicateCandidate, ...]
    one_sided_synergies: tuple[OneSidedSynergy, ...]
    trends: tuple[Trend, ...]
    notes: tuple[Note, ...]
    hidden_every_level: tuple[HiddenHotspot, ...] = ()  # against every ancestor level
    categories: tuple[CategoryView, ...] = ()
    duplicates_more: tuple[DuplicateRest, ...] = ()  # candidates not listed, per project
    include_small: bool = False
    every_level: bool = False
