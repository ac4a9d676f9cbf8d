"""Pydantic models of everything zyklus reads: workspace, cards, offers, cycle state.

The models are strict (no lax coercion that hides a mistake: a number is not a title,
``yes`` is not a list) and forbid unknown keys, so a typo never passes silently.
Drafts are incomplete on purpose: a card needs only id, title, areas and target groups;
what later phases require is checked by the gates, not here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

import annotated_types
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")

Phase = Literal["analysis", "needs", "goals", "planning", "implementation", "evaluation"]
EndState = Literal["done", "stopped"]
State = Literal[
    "analysis", "needs", "goals", "planning", "implementation", "evaluation", "done", "stopped"
]
PHASES: tuple[Phase, ...] = (
    "analysis",
    "needs",
    "goals",
    "planning",
    "implementation",
    "evaluation",
)
END_STATES: tuple[EndState, ...] = ("done", "stopped")
Verdict = Literal["continue", "adjust", "stop"]
# What a German planner types for a phase or a verdict on the command line
# (``--phase Planung``, ``--verdict fortsetzen``), keys case-folded; the files keep the
# English ids. One mapping per kind: a new phase or verdict adds its German names here
# (issue 12). The German report labels (``report-phase-*``) are among them.
GERMAN_NAMES: dict[str, dict[str, str]] = {
    "phase": {
        "analyse": "analysis",
        "bedarfsfeststellung": "needs",
        "bedarf": "needs",
        "zielsetzung": "goals",
        "ziele": "goals",
        "planung": "planning",
        "umsetzung": "implementation",
        "evaluation": "evaluation",
        "abgeschlossen": "done",
        "beendet": "stopped",
    },
    "verdict": {
        "fortsetzen": "continue",
        "anpassen": "adjust",
        "beenden": "stop",
        "stoppen": "stop",
    },
}
Direction = Literal["higher_is_worse", "higher_is_better"]
Aggregation = Literal["share", "sum"]

# lowercase words joined by "-" or "_" (statistics offices write ids with "_", issue 12)
ID_PATTERN = r"^[a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?$"
_GERMAN_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$|^[+-]?\d+,\d+$")


def _reject_german_number(value: Any) -> Any:
    """Refuse ``12.500`` (read by YAML as 12.5) and ``1,5`` where a number belongs.

    The loader hands such scalars over as :class:`zyklus.loader.AmbiguousNumber` (a str);
    a plain str of German form is refused with the same message.
    """
    if isinstance(value, str) and _GERMAN_NUMBER.match(value.strip()):
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


def _iso_date_hint(value: Any) -> Any:
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


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _int_id_to_str(value: Any) -> Any:
    """Area ids like BA district 554 may be written unquoted; the int is lossless."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    return value


Number = Annotated[float, BeforeValidator(_reject_german_number)]
NonNegative = Annotated[float, annotated_types.Ge(0), BeforeValidator(_reject_german_number)]
IsoDate = Annotated[date, BeforeValidator(_iso_date_hint)]
Text = Annotated[str, StringConstraints(min_length=1)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


def _not_a_device(value: str) -> str:
    """A card or offer id is a file name: ``con`` cannot be checked out on Windows."""
    from zyklus.names import is_windows_reserved

    if is_windows_reserved(value):
        raise PydanticCustomError(
            "reserved_id", "{text!r} is a reserved file name on Windows", {"text": value}
        )
    return value


FileId = Annotated[Id, AfterValidator(_not_a_device)]
_AREA_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
AreaId = Annotated[
    str,
    BeforeValidator(_int_id_to_str),
    StringConstraints(min_length=1, max_length=80, pattern=_AREA_PATTERN),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "minLength": 1, "maxLength": 80, "pattern": _AREA_PATTERN},
                {"type": "integer", "minimum": 0},
            ],
            "description": "Area id from data/areas.csv, or 'citywide'",
        }
    ),
]
ShortId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,30}$")]
Visibility = Literal["public", "internal"]
LocalText = Text | dict[Lang, Text]


def local(text: LocalText, lang: Lang) -> str:
    """Pick the text for ``lang``; fall back to German, then to any language given."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("de") or next(iter(text.values()))


class Strict(BaseModel):
    """Base: strict types, unknown keys forbidden, frozen so shared data stays shared."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=True)


# --- zyklus.yaml ---------------------------------------------------------------------------


class TargetGroup(Strict):
    id: Id
    label: LocalText = Field(description="Name of the target group, per language")
    description: str | None = Field(None, description="Who belongs to it (source chapter)")


class StrategicGoal(Strict):
    id: Id
    title: LocalText
    statement: str | None = Field(None, description="The goal as the strategy words it")
    target_groups: list[Id] = Field(default_factory=list)
    source: str | None = Field(None, description="Where the goal is written down, e.g. 'Kap. 4.3'")


class Indicator(Strict):
    id: Id
    label: LocalText
    unit: Text = Field(description="'%' for shares; 'Personen', 'EUR', ... for counts")
    direction: Direction = Field(
        "higher_is_worse", description="Whether a high value points at a need"
    )
    aggregation: Aggregation = Field(
        "share",
        description="share: compared against the city value; sum: children add up to parent",
    )
    source: str | None = None


class Thresholds(Strict):
    """Classes of an area against the city value (documented in README, issue 5)."""

    hotspot_ratio: float = Field(
        1.25, gt=1, description="value ≥ ratio × city value (direction-aware) → hotspot"
    )
    at_tolerance: float = Field(
        0.05, ge=0, lt=1, description="within ± this share of the city value → at average"
    )


class Selection(Strict):
    id: Id
    label: LocalText
    areas: list[AreaId]
    description: str | None = None


class CsvConvention(Strict):
    """How data/*.csv is written; ``auto`` detects, but refuses what could be read two ways."""

    delimiter: Literal["auto", ",", ";", "\t"] = "auto"
    decimal: Literal["auto", ".", ","] = "auto"


class SiteSettings(Strict):
    """``zyklus site``: what is published for partners and the public (issue 19)."""

    default_visibility: Visibility = Field(
        "public", description="Visibility of a card that does not say (public or internal)"
    )


class Workspace(Strict):
    name: Text
    language: Lang = "de"
    current_cycle: int | None = Field(None, ge=1900, le=2200)
    city: AreaId | None = Field(None, description="Id of the root area in data/areas.csv")
    target_groups: list[TargetGroup] = Field(default_factory=list)
    strategic_goals: list[StrategicGoal] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    selections: list[Selection] = Field(default_factory=list)
    data: CsvConvention = Field(default_factory=CsvConvention)
    illustrative: bool = Field(
        False, description="The whole workspace is example data; reports say so"
    )
    site: SiteSettings = Field(default_factory=SiteSettings)


# --- projects/<id>.yaml --------------------------------------------------------------------


class Evidence(Strict):
    area: AreaId
    indicator: Id
    period: IsoDate


class Need(Strict):
    statement: Text
    evidence: list[Evidence] = Field(default_factory=list)


class Measurement(Strict):
    value: Number
    date: IsoDate


class Goal(Strict):
    id: ShortId
    statement: Text
    indicator: Id | None = None
    unit: str | None = None
    baseline: Measurement | None = None
    target: Measurement | None = None
    area: AreaId | None = None
    level: int | None = Field(
        None, ge=1, le=7, description="Wirkungstreppe: 1–3 output, 4–6 outcome, 7 impact"
    )
    contributes_to: list[Id] = Field(default_factory=list)


class Resources(Strict):
    staff_fte: NonNegative | None = Field(None, description="Staff in full-time equivalents (VZÄ)")
    budget_eur: NonNegative | None = Field(None, description="Money in EUR; 0 is a value")
    notes: str | None = None


class Milestone(Strict):
    id: ShortId
    title: Text
    due: IsoDate | None = None


class Card(Strict):
    id: FileId
    title: Text
    areas: Annotated[list[AreaId], Field(min_length=1)]
    target_groups: Annotated[list[Id], Field(min_length=1)]
    themes: list[Text] = Field(default_factory=list)
    duration: str | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    description: str | None = None
    audience: str | None = None
    actors: list[Text] = Field(default_factory=list)
    synergies: list[Text] = Field(
        default_factory=list, description="Other project ids (checked) or free text (kept)"
    )
    needs: list[Need] = Field(default_factory=list)
    existing_offers: list[Id] = Field(default_factory=list)
    needs_check_note: str | None = Field(
        None, description="Why no existing offer applies (needs → goals gate)"
    )
    goals: list[Goal] = Field(default_factory=list)
    resources: Resources = Field(default_factory=Resources)
    milestones: list[Milestone] = Field(default_factory=list)
    visibility: Visibility | None = Field(
        None, description="public: on the site; internal: never; default from zyklus.yaml site"
    )
    internal: str | dict[str, Text] | None = Field(
        None, description="Notes for the administration only; never published (zyklus site)"
    )


# --- offers/<id>.yaml ----------------------------------------------------------------------


class Offer(Strict):
    id: FileId
    title: Text
    provider: str | None = None
    target_groups: list[Id] = Field(default_factory=list)
    areas: list[AreaId] = Field(default_factory=list)
    themes: list[Text] = Field(default_factory=list)
    description: str | None = None
    source: str | None = Field(None, description="Where the offer is described, e.g. 'Kap. 7.3'")


# --- cycles/<year>.yaml (written only by zyklus) --------------------------------------------


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise PydanticCustomError(
            "naive_datetime", "timestamp without timezone; expected e.g. 2027-01-15T10:00:00+01:00"
        )
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]


class HistoryEntry(Strict):
    from_: State | None = Field(alias="from", description="None when the project joined")
    to: State
    at: AwareDatetime
    by: Text
    reason: str | None = None
    forced: bool = False
    unmet: list[str] = Field(default_factory=list)
    illustrative: bool = False


class Actual(Strict):
    goal: ShortId
    value: Number
    date: IsoDate
    note: str | None = None
    illustrative: bool = False


class NotMeasured(Strict):
    goal: ShortId
    reason: Text


class MilestoneDone(Strict):
    id: ShortId
    done: IsoDate
    illustrative: bool = False


class Evaluation(Strict):
    verdict: Verdict
    summary: Text
    date: IsoDate
    by: Text
    illustrative: bool = False


class ProjectState(Strict):
    phase: State
    history: list[HistoryEntry] = Field(default_factory=list)
    actuals: list[Actual] = Field(default_factory=list)
    not_measured: list[NotMeasured] = Field(default_factory=list)
    milestones: list[MilestoneDone] = Field(default_factory=list)
    evaluation: Evaluation | None = None


class CycleState(Strict):
    cycle: int = Field(ge=1900, le=2200)
    previous: int | None = Field(None, ge=1900, le=2200)
    opened: AwareDatetime
    note: str | None = None
    projects: dict[Id, ProjectState] = Field(default_factory=dict)


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "card": Card,
    "cycle": CycleState,
    "workspace": Workspace,
    "offer": Offer,
}
