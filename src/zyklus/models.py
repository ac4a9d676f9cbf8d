"""Pydantic models of everything zyklus reads: workspace, cards, offers, cycle state.

The models are strict (no lax coercion that hides a mistake: a number is not a title,
``yes`` is not a list) and forbid unknown keys, so a typo never passes silently.
Drafts are incomplete on purpose: a card needs only id, title, areas and target groups;
what later phases require is checked by the gates, not here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
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
    model_validator,
)

from zyklus import values
from zyklus.amounts import AMOUNT_JSON_SCHEMA, to_amount, to_percent
from zyklus.values import CITYWIDE as CITYWIDE  # an area entry: the whole city
from zyklus.values import END_STATES as END_STATES
from zyklus.values import (
    ID_PATTERN,
    aware,
    int_id_to_str,
    iso_date_hint,
    not_a_device,
    one_or_many,
    reject_german_number,
    some_language,
    year_key,
)
from zyklus.values import EndState as EndState
from zyklus.values import new_dict as _new_dict
from zyklus.values import new_list as _new_list

Amount = Annotated[Decimal, BeforeValidator(to_amount), WithJsonSchema(AMOUNT_JSON_SCHEMA)]
Percent = Annotated[
    Decimal,
    BeforeValidator(to_percent),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100, "description": "percent"}),
]

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")

Phase = Literal["analysis", "needs", "goals", "planning", "implementation", "evaluation"]
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
STATES: tuple[State, ...] = (*PHASES, *END_STATES)
# The one phase order (issue 13): where a state stands on the way; both end states come
# after evaluation. Moving to a lower rank is moving back.
ORDER: dict[State, int] = {
    **{p: i for i, p in enumerate(PHASES)},
    "done": len(PHASES),
    "stopped": len(PHASES),
}
Verdict = Literal["continue", "adjust", "stop", "complete"]
VERDICTS: tuple[Verdict, ...] = ("continue", "adjust", "stop", "complete")
DecisionKind = Literal["approve", "reject", "defer"]
DECISIONS: tuple[DecisionKind, ...] = ("approve", "reject", "defer")
# German names for the English keys, accepted wherever a user types one (issue 14). One
# mapping for all words, so phases, verdicts and decisions cannot disagree on a word.
GERMAN: dict[str, str] = {
    "fortsetzen": "continue",
    "anpassen": "adjust",
    "beenden": "stop",
    "abschließen": "complete",
    "abschliessen": "complete",
    "zustimmen": "approve",
    "genehmigen": "approve",
    "ablehnen": "reject",
    "vertagen": "defer",
    "zurückstellen": "defer",
    # phases, as the report names them (issue 12); the English ids stay in the files
    "analyse": "analysis",
    "bedarfsfeststellung": "needs",
    "bedarf": "needs",
    "zielsetzung": "goals",
    "ziele": "goals",
    "planung": "planning",
    "umsetzung": "implementation",
    "abgeschlossen": "done",
    "beendet": "stopped",
}


def english(word: str) -> str:
    """The English key for a German name (``fortsetzen`` → ``continue``); others unchanged."""
    return GERMAN.get(word.strip().lower(), word.strip())


Direction = Literal["higher_is_worse", "higher_is_better"]
Aggregation = Literal["share", "sum"]

Number = Annotated[float, BeforeValidator(reject_german_number)]
NonNegative = Annotated[float, annotated_types.Ge(0), BeforeValidator(reject_german_number)]
IsoDate = Annotated[date, BeforeValidator(iso_date_hint)]
Text = Annotated[str, StringConstraints(min_length=1)]
YEAR_MIN, YEAR_MAX = 1900, 2200  # the years a cycle may have
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]


FileId = Annotated[Id, AfterValidator(not_a_device)]
_AREA_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
AreaId = Annotated[
    str,
    BeforeValidator(int_id_to_str),
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


LocalText = Annotated[Text | dict[Lang, Text], AfterValidator(some_language)]


def local(text: LocalText, lang: Lang) -> str:
    """Pick the text for ``lang``; fall back to German, then to any language given."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("de") or next(iter(text.values()))


class Strict(BaseModel):
    """Base: strict types, unknown keys forbidden, frozen so shared data stays shared.

    Each model's validator is built when first used, so a command builds only the models
    it reads (a one-card validate: zyklus.yaml's and the card's) (issue 21).
    """

    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, populate_by_name=True, defer_build=True
    )


# --- zyklus.yaml ---------------------------------------------------------------------------


class TargetGroup(Strict):
    id: Id
    label: LocalText = Field(description="Name of the target group, per language")
    description: str | None = Field(None, description="Who belongs to it (source chapter)")


class StrategicGoal(Strict):
    id: Id
    title: LocalText
    statement: str | None = Field(None, description="The goal as the strategy words it")
    target_groups: list[Id] = Field(default_factory=_new_list)
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
    # issue 18: what kind of number, what it is counted against, and how reliable it is
    kind: Literal["zscore", "index", "category"] | None = Field(
        None,
        description="zscore/index: classified by standard deviations around `reference`; "
        "category: a class per area (text), shown, not ranked; empty: share or count "
        "as `aggregation` says",
    )
    reference: float | None = Field(
        None, description="zscore/index: the reference value (z-values: 0, index: e.g. 100)"
    )
    sd: float | None = Field(
        None,
        gt=0,
        description="zscore/index: one standard deviation in the indicator's unit "
        "(z-values: 1); empty: computed per level from the data",
    )
    categories: list[Text] | None = Field(
        None, description="category: the classes allowed, in the order they are shown"
    )
    base: Id | None = Field(
        None, description="id of the indicator the value is counted against (e.g. einwohner)"
    )
    min_base: NonNegative | None = Field(
        None,
        description="areas whose base is below this are flagged 'kleine Fallzahl' and kept "
        "out of rankings and hotspot lists",
    )

    @model_validator(mode="after")
    def _index_has_a_reference(self) -> Indicator:
        return values.index_has_a_reference(self)  # type: ignore[no-any-return]


class Thresholds(Strict):
    """Classes of an area against the city value (documented in README, issue 5)."""

    hotspot_ratio: float = Field(
        1.25, gt=1, description="value ≥ ratio × city value (direction-aware) → hotspot"
    )
    at_tolerance: float = Field(
        0.05, ge=0, lt=1, description="within ± this share of the city value → at average"
    )
    sd_hotspot: float = Field(
        1.5, gt=0, description="zscore/index: this many SD on the worse side → hotspot"
    )
    sd_at: float = Field(1.0, gt=0, description="zscore/index: within ± this many SD → at average")


class TrafficLight(Strict):
    """When the report's traffic light turns amber or red (issue 16; README, report annex).

    Every light carries its reasons in words; these are the only knobs.
    """

    stuck_days: int = Field(
        365,
        ge=1,
        description="this many days in one phase → amber, and a question to the committee",
    )
    stuck_red_days: int = Field(730, ge=1, description="this many days in one phase → red")
    overdue_red_days: int = Field(
        90, ge=0, description="a milestone overdue this many days → red (any overdue → amber)"
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
    # UTF-8 (BOM ok), or cp1252 as German Excel's "CSV (Trennzeichen-getrennt)" writes;
    # auto reads cp1252 only where the bytes allow no other reading (issue 17)
    encoding: Literal["auto", "utf-8", "cp1252"] = "auto"
    # issue 18: how statistics offices mark cells without a number
    suppressed: list[str] = Field(
        default_factory=values.suppressed_marks,
        description="cell texts that mean a suppressed value (shown as 'geheim')",
    )
    missing: list[str] = Field(
        default_factory=values.missing_marks,
        description="cell texts that mean no value (shown as 'keine Angabe')",
    )


class DecisionBody(Strict):
    """A body that decides on projects, e.g. the Lenkungsgremium (seed, Kap. 5.2)."""

    id: Id
    label: LocalText
    description: str | None = None
    source: str | None = None
    required_for: list[State] = Field(
        default_factory=_new_list,
        description="Phases a project enters only with an 'approve' of this body",
    )


class SiteSettings(Strict):
    """``zyklus site``: what is published for partners and the public (issue 19)."""

    default_visibility: Visibility = Field(
        "public", description="Visibility of a card that does not say (public or internal)"
    )


# --- partners, funders, money (issue 15) ------------------------------------------------------

# Kinds of Bündnis partners, as the seed lists them (Kap. 5.1, 5.2): Kommunal- und
# Arbeitsverwaltung, Wirtschaft, freie Wohlfahrt, Gewerkschaften und Arbeitgeberverbände,
# Kammern, Bildung (Weiterbildungsverbände, Schulen).
PartnerKind = Literal[
    "verwaltung",
    "wirtschaft",
    "freie-wohlfahrt",
    "gewerkschaften-arbeitgeber",
    "kammern",
    "bildung",
]
PartnerLevel = Literal["strategisch", "operativ"]
FunderKind = Literal["eu", "bund", "land", "kommune", "jobcenter", "stiftung", "sonstige"]
FundingStatus = Literal["planned", "applied", "granted", "rejected"]
CoverageGate = Literal["off", "planned", "granted"]
SourceKind = Literal["interview", "workshop", "expert", "buendnis"]


Year = Annotated[
    int,
    BeforeValidator(year_key),
    Field(ge=1900, le=2200),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{4}$"}),
]


class Partner(Strict):
    """A partner of the Bündnis „Leben und Arbeiten in Bochum“ (Kap. 5.1)."""

    id: Id
    name: Text
    kind: PartnerKind = Field(description="verwaltung, wirtschaft, freie-wohlfahrt, …")
    level: Annotated[list[PartnerLevel], BeforeValidator(one_or_many), Field(min_length=1)] = Field(
        description="strategisch and/or operativ (the two levels of the Bündnis)"
    )
    contact: str | None = Field(None, description="Whom to ask (optional)")
    note: str | None = None


class Funder(Strict):
    """Who funds: ESF Plus, Land NRW, Bund, Kommune, Jobcenter-Eingliederungstitel, …"""

    id: Id
    name: Text
    kind: FunderKind | None = None
    partner: Id | None = Field(None, description="The partner id behind this funder, if any")
    note: str | None = None


class BudgetSettings(Strict):
    coverage_gate: CoverageGate = Field(
        "off",
        description=(
            "planning → implementation requires the planned cost covered: off; planned "
            "(lines planned, applied or granted, with own shares); granted (granted lines only)"
        ),
    )


class ActorRef(Strict):
    """A card's actor or an offer's provider that is a declared partner, with its role."""

    partner: Id
    role: str | None = Field(None, description="What the partner does here")


Actor = Annotated[
    Text | ActorRef,
    Field(description="A partner id (checked), {partner, role}, or free text (kept)"),
]


class Period(Strict):
    from_: IsoDate | None = Field(None, alias="from")
    to: IsoDate | None = None


class FundingLine(Strict):
    """One line of a project's financing: who, how much, when, how far it has got."""

    funder: Id
    amount: Amount | None = Field(None, description="EUR; not given is 'keine Angabe', not 0")
    period: Period | None = None
    status: FundingStatus
    reference: str | None = Field(None, description="Bescheid, Antrag, Aktenzeichen")
    own_share: Amount | None = Field(None, description="Own share (Eigenanteil) in EUR")
    note: str | None = None
    illustrative: bool = False


class Workspace(Strict):
    name: Text
    language: Lang = "de"
    current_cycle: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    city: AreaId | None = Field(None, description="Id of the root area in data/areas.csv")
    target_groups: list[TargetGroup] = Field(default_factory=_new_list)
    strategic_goals: list[StrategicGoal] = Field(default_factory=_new_list)
    indicators: list[Indicator] = Field(default_factory=_new_list)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    traffic_light: TrafficLight = Field(default_factory=TrafficLight)
    selections: list[Selection] = Field(default_factory=_new_list)
    data: CsvConvention = Field(default_factory=CsvConvention)
    illustrative: bool = Field(
        False, description="The whole workspace is example data; reports say so"
    )
    decision_bodies: list[DecisionBody] = Field(default_factory=_new_list)
    site: SiteSettings = Field(default_factory=SiteSettings)
    partners: list[Partner] = Field(default_factory=_new_list, description="Bündnis partners")
    funders: list[Funder] = Field(default_factory=_new_list)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    funding: list[FundingLine] = Field(
        default_factory=_new_list,
        description="Funding of the strategy itself (coordination), not of one project",
    )

    @model_validator(mode="after")
    def _bases_are_declared(self) -> Workspace:
        return values.bases_are_declared(self)  # type: ignore[no-any-return]


# --- projects/<id>.yaml --------------------------------------------------------------------


class Evidence(Strict):
    area: AreaId
    indicator: Id
    period: IsoDate


class Source(Strict):
    """Qualitative evidence (Kap. 6.1): an interview, workshop, expert or Bündnis meeting."""

    kind: SourceKind
    with_: Text = Field(alias="with", description="With whom (partner id or free text)")
    date: IsoDate
    note: str | None = None
    illustrative: bool = False


class Need(Strict):
    statement: Text
    evidence: list[Evidence] = Field(default_factory=_new_list)
    sources: list[Source] = Field(
        default_factory=_new_list, description="Qualitative evidence beside the data"
    )


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
    contributes_to: list[Id] = Field(default_factory=_new_list)


class Resources(Strict):
    staff_fte: NonNegative | None = Field(None, description="Staff in full-time equivalents (VZÄ)")
    budget_eur: NonNegative | None = Field(None, description="Money in EUR; 0 is a value")
    cost_per_year: dict[Year, Amount] = Field(
        default_factory=_new_dict, description="Planned cost per year in EUR (optional)"
    )
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
    themes: list[Text] = Field(default_factory=_new_list)
    duration: str | None = None
    start: IsoDate | None = None
    end: IsoDate | None = None
    description: str | None = None
    audience: str | None = None
    actors: list[Actor] = Field(default_factory=_new_list)
    synergies: list[Text] = Field(
        default_factory=_new_list, description="Other project ids (checked) or free text (kept)"
    )
    needs: list[Need] = Field(default_factory=_new_list)
    existing_offers: list[Id] = Field(default_factory=_new_list)
    needs_check_note: str | None = Field(
        None, description="Why no existing offer applies (needs → goals gate)"
    )
    goals: list[Goal] = Field(default_factory=_new_list)
    resources: Resources = Field(default_factory=Resources)
    milestones: list[Milestone] = Field(default_factory=_new_list)
    visibility: Visibility | None = Field(
        None, description="public: on the site; internal: never; default from zyklus.yaml site"
    )
    internal: str | dict[str, Text] | None = Field(
        None, description="Notes for the administration only; never published (zyklus site)"
    )

    funding: list[FundingLine] = Field(default_factory=_new_list, description="Financing lines")


# --- offers/<id>.yaml ----------------------------------------------------------------------


class Offer(Strict):
    id: FileId
    title: Text
    provider: Actor | list[Actor] | None = None
    target_groups: list[Id] = Field(default_factory=_new_list)
    areas: list[AreaId] = Field(default_factory=_new_list)
    themes: list[Text] = Field(default_factory=_new_list)
    description: str | None = None
    source: str | None = Field(None, description="Where the offer is described, e.g. 'Kap. 7.3'")


# --- funding/<id>.yaml (Förderaufrufe, Kap. 9.3) ----------------------------------------------


class FundingCall(Strict):
    id: FileId
    funder: Id
    title: Text
    deadline: IsoDate
    target_groups: list[Id] = Field(default_factory=_new_list)
    themes: list[Text] = Field(default_factory=_new_list)
    areas: list[AreaId] = Field(default_factory=_new_list, description="[] or [citywide]: anywhere")
    max_amount: Amount | None = None
    own_share_percent: Percent | None = Field(None, description="Own share the call requires")
    url: str | None = None
    description: str | None = None
    illustrative: bool = False


# --- cycles/<year>.yaml (written only by zyklus) --------------------------------------------


AwareDatetime = Annotated[datetime, AfterValidator(aware)]


class HistoryEntry(Strict):
    from_: State | None = Field(alias="from", description="None when the project joined")
    to: State
    at: AwareDatetime
    by: Text
    reason: str | None = None
    forced: bool = False
    unmet: list[str] = Field(default_factory=_new_list)
    without_decision: list[Id] = Field(
        default_factory=_new_list, description="Bodies whose required decision a forced move lacked"
    )
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
    round: int = Field(1, ge=1, description="The evaluation round the reason is for")


class MilestoneDone(Strict):
    id: ShortId
    done: IsoDate
    illustrative: bool = False


class Evaluation(Strict):
    """One evaluation round (issue 14): rounds are appended, never overwritten."""

    verdict: Verdict
    summary: Text
    date: IsoDate
    by: Text
    at: AwareDatetime | None = Field(None, description="When it was recorded")
    judged: list[Actual] = Field(
        default_factory=_new_list, description="The newest actual per goal when the round was held"
    )
    not_measured: list[NotMeasured] = Field(default_factory=_new_list)
    as_offer: bool = Field(False, description="complete: the measure becomes an offer")
    closed: bool = Field(False, description="The project has left evaluation after this round")
    cycle: int | None = Field(None, description="The cycle it was held in, when carried over")
    illustrative: bool = False


class Decision(Strict):
    """A decision of a body (Lenkungsgremium) on a project, with the meeting it was taken in."""

    body: Id
    decision: DecisionKind
    date: IsoDate
    ref: Text = Field(description="Meeting and agenda item, e.g. 'Sitzung 2/2027, TOP 4'")
    note: str | None = None
    by: Text
    at: AwareDatetime | None = Field(None, description="When it was recorded")
    used: bool = Field(False, description="The move it approved has happened")
    cycle: int | None = Field(None, description="The cycle it was taken in, when carried over")
    illustrative: bool = False


class Spend(Strict):
    """Money spent on a project, recorded with ``zyklus record spend`` (issue 15)."""

    amount: Amount
    date: IsoDate
    funder: Id | None = None
    note: str | None = None
    illustrative: bool = False


class ProjectState(Strict):
    """A project in one cycle. New kinds of records get their own list field (kept
    extensible: the emitter writes fields in model order and leaves out empty ones)."""

    phase: State
    history: list[HistoryEntry] = Field(default_factory=_new_list)
    actuals: list[Actual] = Field(default_factory=_new_list)
    not_measured: list[NotMeasured] = Field(default_factory=_new_list)
    milestones: list[MilestoneDone] = Field(default_factory=_new_list)
    evaluations: list[Evaluation] = Field(default_factory=_new_list)
    decisions: list[Decision] = Field(default_factory=_new_list)
    spend: list[Spend] = Field(default_factory=_new_list)

    @model_validator(mode="before")
    @classmethod
    def _migrate(cls, value: Any) -> Any:
        return values.legacy_evaluation(value)

    @property
    def evaluation(self) -> Evaluation | None:
        """The newest round (what reports show as the verdict)."""
        return self.evaluations[-1] if self.evaluations else None


class CycleState(Strict):
    cycle: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    previous: int | None = Field(None, ge=YEAR_MIN, le=YEAR_MAX)
    opened: AwareDatetime
    note: str | None = None
    projects: dict[Id, ProjectState] = Field(default_factory=_new_dict)


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "card": Card,
    "cycle": CycleState,
    "workspace": Workspace,
    "offer": Offer,
    "funding": FundingCall,
}
