"""Who takes part where: per Bündnis partner, its projects (role, phase), offers and lines.

The Bündnis exists to create „Transparenz über die Aktivitäten und Planungen aller
Akteur*innen“ (seed Kap. 5.1); ``zyklus partners`` answers that from the cards and offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zyklus import models
from zyklus.errors import LoadError, UsageError
from zyklus.files.cycles import read_cycle
from zyklus.files.workspace import Workspace
from zyklus.rules.partners import partner_of, providers
from zyklus.suggest import unknown


@dataclass(frozen=True)
class Involvement:
    id: str
    title: str
    role: str | None
    phase: str | None = None  # projects only


@dataclass(frozen=True)
class PartnerView:
    partner: models.Partner
    projects: list[Involvement] = field(default_factory=list)
    offers: list[Involvement] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)  # funder ids this partner stands behind
    sources: list[Involvement] = field(default_factory=list)  # qualitative sources, by project


def _role(actor: str | models.ActorRef) -> str | None:
    return actor.role if isinstance(actor, models.ActorRef) else None


def actor_label(actor: str | models.ActorRef, partners: dict[str, models.Partner]) -> str:
    """How an actor reads in a report: the partner's name and role, or the free text."""
    ref = partner_of(actor)
    if ref is None or ref not in partners:
        return actor if isinstance(actor, str) else actor.partner
    role = _role(actor)
    name = partners[ref].name
    return f"{name} ({role})" if role else name


def need_text(need: models.Need, partners: dict[str, models.Partner], lang: str) -> str:
    """A need's statement, followed by its qualitative sources (seed Kap. 6.1) for reports."""
    from zyklus.i18n import message

    statement = need.statement.strip()
    if not need.sources:
        return statement
    sources = "; ".join(
        message(
            "money-source",
            lang,
            kind=message(f"money-source-{s.kind}", lang),
            who=actor_label(s.with_, partners),
            date=s.date,
        )
        + (f" – {s.note.strip()}" if s.note and s.note.strip() else "")
        + (" " + message("money-illustrative-marker", lang) if s.illustrative else "")
        for s in need.sources
    )
    return f"{statement} ({message('money-sources', lang, sources=sources)})"


def _phases(ws: Workspace, year: int | None) -> dict[str, str]:
    if year is None or year not in ws.cycle_years():
        return {}
    try:
        return {pid: s.phase for pid, s in read_cycle(ws, year).projects.items()}
    except LoadError:
        return {}


def partner_overview(
    ws: Workspace, year: int | None, partner_id: str | None = None
) -> list[PartnerView]:
    """Every declared partner (or the one asked for) with where it takes part."""
    config = ws.config
    known = {p.id: p for p in config.partners}
    if partner_id is not None and partner_id not in known:
        raise UsageError([unknown("M-PARTNER-UNKNOWN", partner_id, known, path="zyklus.yaml")])
    ws.require(ws.cards, ws.offers)
    phases = _phases(ws, year)
    views = {
        pid: PartnerView(p) for pid, p in known.items() if partner_id is None or pid == partner_id
    }
    for card in sorted(ws.cards.items.values(), key=lambda c: c.id):
        for actor in card.actors:
            ref = partner_of(actor)
            if ref in views:
                views[ref].projects.append(
                    Involvement(card.id, card.title, _role(actor), phases.get(card.id))
                )
        for need in card.needs:
            for source in need.sources:
                if source.with_ in views:
                    views[source.with_].sources.append(
                        Involvement(card.id, card.title, source.kind, phases.get(card.id))
                    )
    for offer in sorted(ws.offers.items.values(), key=lambda o: o.id):
        for actor in providers(offer):
            ref = partner_of(actor)
            if ref in views:
                views[ref].offers.append(Involvement(offer.id, offer.title, _role(actor)))
    for funder in config.funders:
        if funder.partner in views:
            views[funder.partner].funders.append(funder.id)
    return list(views.values())
