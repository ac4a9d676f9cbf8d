"""Cross-checks of partners, funders, funding lines, calls and qualitative sources (issue 15).

Called by :mod:`zyklus.rules.references` for ``validate``. Each check yields an unlocated
problem and the key path it is about; the caller locates it in the file it has loaded.

A card's actor (or an offer's provider, or the ``with`` of a qualitative source) is a
partner reference when it looks like an id — lowercase words joined by ``-``, no spaces —
or when it is written ``{partner: id, role: …}``; such a reference must name a declared
partner (with did-you-mean). Anything else is free text and kept as written, as for
synergies; in a workspace that declares no partners every plain text is free text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from zyklus.amounts import from_float, total
from zyklus.errors import KeyPath, Problem
from zyklus.suggest import unknown

if TYPE_CHECKING:
    from zyklus import models
from zyklus.values import ID_PATTERN

_LOOKS_LIKE_ID = re.compile(ID_PATTERN)
Found = tuple[Problem, KeyPath, str]  # problem, where, severity


def partner_of(actor: str | models.ActorRef) -> str | None:
    """The partner id an actor names, or None for free text."""
    if not isinstance(actor, str):  # an ActorRef (or its stored-schema twin, issue 21)
        return actor.partner
    return actor if _LOOKS_LIKE_ID.match(actor) else None


def providers(offer: models.Offer) -> list[str | models.ActorRef]:
    if offer.provider is None:
        return []
    if isinstance(offer.provider, list):
        return list(offer.provider)
    return [offer.provider]


class MoneyRefs:
    """The ids of partners and funders a workspace declares."""

    def __init__(self, config: models.Workspace, today: date | None = None) -> None:
        self.partners = {p.id for p in config.partners}
        self.funders = {f.id for f in config.funders}
        self.config = config
        self.today = today or date.today()

    def _partner(self, actor: str | models.ActorRef, key_path: KeyPath) -> Iterator[Found]:
        if not self.partners and isinstance(actor, str):
            return  # a workspace without partners has only free-text actors
        yield from self._partner_id(partner_of(actor), key_path)

    def _partner_id(self, ref: str | None, key_path: KeyPath) -> Iterator[Found]:
        if ref is not None and ref not in self.partners:
            yield unknown("X-PARTNER-UNKNOWN", ref, self.partners), key_path, "error"

    def _funder(self, funder: str | None, key_path: KeyPath) -> Iterator[Found]:
        if funder is not None and funder not in self.funders:
            yield unknown("X-FUNDER-UNKNOWN", funder, self.funders), key_path, "error"

    def _lines(self, lines: Iterable[models.FundingLine], base: KeyPath) -> Iterator[Found]:
        for i, line in enumerate(lines):
            yield from self._funder(line.funder, (*base, i, "funder"))
            period = line.period
            if period is not None and period.from_ and period.to and period.to < period.from_:
                params = {"start": period.from_, "end": period.to}
                yield Problem("M-PERIOD-ORDER", params=params), (*base, i, "period", "to"), "error"

    def config_problems(self) -> Iterator[Found]:
        """Unique ids; a funder's partner and the strategy's own lines name declared ids."""
        for key, ids in (
            ("partners", [p.id for p in self.config.partners]),
            ("funders", [f.id for f in self.config.funders]),
        ):
            seen: set[str] = set()
            for i, item in enumerate(ids):
                if item in seen:
                    yield Problem("M-DUPLICATE-ID", params={"id": item}), (key, i, "id"), "error"
                seen.add(item)
        for i, funder in enumerate(self.config.funders):
            if funder.partner is not None:
                yield from self._partner_id(funder.partner, ("funders", i, "partner"))
        yield from self._lines(self.config.funding, ("funding",))

    def card_problems(self, card: models.Card) -> Iterator[Found]:
        for i, actor in enumerate(card.actors):
            yield from self._partner(
                actor,
                ("actors", i) if isinstance(actor, str) else ("actors", i, "partner"),
            )
        yield from self._lines(card.funding, ("funding",))
        for i, need in enumerate(card.needs):
            for j, source in enumerate(need.sources):
                where: KeyPath = ("needs", i, "sources", j)
                yield from self._partner(source.with_, (*where, "with"))
                if source.date > self.today:
                    params = {"date": source.date}
                    yield Problem("M-SOURCE-FUTURE", params=params), (*where, "date"), "warning"
        resources = card.resources
        years = total(resources.cost_per_year.values())
        if years is not None and resources.budget_eur is not None:
            budget = from_float(resources.budget_eur)
            if budget != years:
                sums: dict[str, object] = {"budget": budget, "years": years}
                yield (
                    Problem("M-COST-YEARS-SUM", params=sums),
                    ("resources", "cost_per_year"),
                    "warning",
                )

    def offer_problems(self, offer: models.Offer) -> Iterator[Found]:
        many = isinstance(offer.provider, list)
        for i, actor in enumerate(providers(offer)):
            base: KeyPath = ("provider", i) if many else ("provider",)
            yield from self._partner(actor, base if isinstance(actor, str) else (*base, "partner"))

    def spend_problems(self, project_id: str, state: models.ProjectState) -> Iterator[Found]:
        for i, spend in enumerate(state.spend):
            yield from self._funder(spend.funder, ("projects", project_id, "spend", i, "funder"))

    def call_problems(
        self, call: models.FundingCall, target_groups: set[str], areas: set[str]
    ) -> Iterator[Found]:
        yield from self._funder(call.funder, ("funder",))
        for i, group in enumerate(call.target_groups):
            if group not in target_groups:
                yield unknown("X-TG-UNKNOWN", group, target_groups), ("target_groups", i), "error"
        for i, area in enumerate(call.areas):
            if area not in areas:
                yield unknown("X-AREA-UNKNOWN", area, areas), ("areas", i), "error"
