"""The public site of a workspace as plain pages (issue 19, part 4).

The Bündnis exists to create "Transparenz über die Aktivitäten und Planungen aller
Akteur*innen" (seed 5.1). The site shows partners and the public what is planned where:
an index of the cycle's projects, one page per project, area, offer, Bündnis partner,
target group, strategic goal and phase. Everything here is data; the templates lay it out.

What is never published: a card with ``visibility: internal`` (or every card without
``visibility`` when the workspace's default is internal) and the text under a card's
``internal:`` key. The filter is applied once, here, before any page is built, so no
template can reach what it removed. A partner's page lists only public cards, and of the
money only the funding lines those cards (and the strategy's own funding) show, without
rejected applications; a partner's ``contact`` (a person) is not published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zyklus import i18n, models
from zyklus.errors import LoadError
from zyklus.files.cycles import cycle_year, read_cycle
from zyklus.files.workspace import Workspace
from zyklus.models import CITYWIDE
from zyklus.money.partners import actor_label
from zyklus.rules.partners import partner_of, providers


@dataclass(frozen=True)
class Link:
    """A link from one page to another: ``href`` is relative to the site's root."""

    href: str
    text: str


@dataclass(frozen=True)
class Page:
    """One HTML file: where it goes, its title, which template lays it out, its data."""

    path: str
    title: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    crumbs: tuple[Link, ...] = ()


@dataclass(frozen=True)
class Site:
    name: str
    lang: str
    cycle: int
    pages: tuple[Page, ...]
    hidden: int  # cards kept off the site (internal)


def is_public(card: models.Card, default: str) -> bool:
    return (card.visibility or default) == "public"


def public_card(card: models.Card) -> models.Card:
    """The card without what is only for the administration."""
    return card.model_copy(update={"internal": None})


def project_path(pid: str) -> str:
    return f"projects/{pid}.html"


def area_path(aid: str) -> str:
    return f"areas/{aid}.html"


def offer_path(oid: str) -> str:
    return f"offers/{oid}.html"


def group_path(gid: str) -> str:
    return f"target-groups/{gid}.html"


def goal_path(gid: str) -> str:
    return f"goals/{gid}.html"


def phase_path(phase: str) -> str:
    return f"phases/{phase}.html"


def partner_path(pid: str) -> str:
    return f"partners/{pid}.html"


def build_site(ws: Workspace, year: int | None, lang: models.Lang) -> Site:
    """Every page of the site for one cycle, in a fixed order (same input → same bytes)."""
    year = cycle_year(ws, year)
    config = ws.config
    ws.require(ws.cards, ws.offers)
    state = read_cycle(ws, year)
    default = config.site.default_visibility
    cards = {
        pid: public_card(card)
        for pid, card in sorted(ws.cards.items.items())
        if pid in state.projects and is_public(card, default)
    }
    hidden = sum(1 for pid in ws.cards.items if pid in state.projects) - len(cards)
    offers = dict(sorted(ws.offers.items.items()))
    try:
        areas = ws.areas
    except LoadError:
        areas = None
    builder = _Builder(ws, config, lang, year, state, cards, offers, areas)
    return Site(config.name, lang, year, tuple(builder.pages()), hidden)


def t(msg_id: str, lang: str, **params: Any) -> str:
    return i18n.message(msg_id, lang, **params)


class _Builder:
    """Shapes the pages; holds the loaded inputs so each page is a few lines."""

    def __init__(
        self,
        ws: Workspace,
        config: models.Workspace,
        lang: models.Lang,
        year: int,
        state: models.CycleState,
        cards: dict[str, models.Card],
        offers: dict[str, models.Offer],
        areas: Any,
    ) -> None:
        self.ws, self.config, self.lang, self.year = ws, config, lang, year
        self.state, self.cards, self.offers, self.areas = state, cards, offers, areas
        self.groups = {g.id: models.local(g.label, lang) for g in config.target_groups}
        self.goals = {g.id: models.local(g.title, lang) for g in config.strategic_goals}
        self.partners = {p.id: p for p in config.partners}  # issue 15
        # partner id → card or offer id → its roles there: read once for every page
        self.acting = _roles((c.id, c.actors) for c in cards.values())
        self.providing = _roles((o.id, providers(o)) for o in offers.values())

    # --- links ---------------------------------------------------------------------

    def area_name(self, aid: str) -> str:
        if aid == CITYWIDE:
            return t("site-citywide", self.lang)
        if self.areas is not None and aid in self.areas:
            return str(self.areas.name(aid))
        return aid

    def area_link(self, aid: str) -> Link:
        if aid == CITYWIDE or self.areas is None or aid not in self.areas:
            return Link("", self.area_name(aid))
        return Link(area_path(aid), self.area_name(aid))

    def group_link(self, gid: str) -> Link:
        return Link(group_path(gid), self.groups.get(gid, gid))

    def phase_name(self, phase: str) -> str:
        return t(f"report-phase-{phase}", self.lang)

    def project_link(self, pid: str) -> Link:
        return Link(project_path(pid), self.cards[pid].title)

    def actor_link(self, actor: str | models.ActorRef) -> Link:
        """An actor or provider: a link to its partner's page when it is a declared partner."""
        ref = partner_of(actor)
        label = actor_label(actor, self.partners)
        return Link(partner_path(ref), label) if ref in self.partners else Link("", label)

    def partner_name(self, pid: str) -> str:
        return self.partners[pid].name

    def crumbs(self, *links: Link) -> tuple[Link, ...]:
        return (Link("index.html", t("site-home", self.lang)), *links)

    # --- pages ---------------------------------------------------------------------

    def pages(self) -> Iterable[Page]:
        yield self.index()
        for phase in (*models.PHASES, *models.END_STATES):
            yield self.phase_page(phase)
        for pid in self.cards:
            yield self.project_page(pid)
        if self.areas is not None:
            yield self.list_page("areas/index.html", "site-areas", self.area_links())
            for aid in sorted(self.areas.areas):
                yield self.area_page(aid)
        yield self.list_page(
            "offers/index.html",
            "site-offers",
            [Link(offer_path(oid), o.title) for oid, o in self.offers.items()],
        )
        for oid in self.offers:
            yield self.offer_page(oid)
        yield self.list_page(
            "partners/index.html",
            "site-partners",
            [Link(partner_path(p), self.partner_name(p)) for p in self.partners],
        )
        for pid in self.partners:
            yield self.partner_page(pid)
        yield self.list_page(
            "target-groups/index.html",
            "site-target-groups",
            [self.group_link(g) for g in self.groups],
        )
        for gid in self.groups:
            yield self.group_page(gid)
        yield self.list_page(
            "goals/index.html",
            "site-goals",
            [Link(goal_path(g), title) for g, title in self.goals.items()],
        )
        for gid in self.goals:
            yield self.goal_page(gid)

    def rows(self, pids: Iterable[str]) -> list[dict[str, Any]]:
        """The project table's rows: the same columns on every page that lists projects."""
        out = []
        for pid in pids:
            card, phase = self.cards[pid], self.state.projects[pid].phase
            out.append(
                {
                    "link": self.project_link(pid),
                    "phase": Link(phase_path(phase), self.phase_name(phase)),
                    "areas": [self.area_link(a) for a in card.areas],
                    "groups": [self.group_link(g) for g in card.target_groups],
                }
            )
        return out

    def index(self) -> Page:
        counts: dict[str, int] = {}
        for pid in self.cards:
            phase = self.state.projects[pid].phase
            counts[phase] = counts.get(phase, 0) + 1
        phases = [
            {"link": Link(phase_path(p), self.phase_name(p)), "count": counts.get(p, 0)}
            for p in (*models.PHASES, *models.END_STATES)
        ]
        partners = [
            {
                "link": Link(partner_path(p), self.partner_name(p)),
                "count": len(self.acting.get(p, {})),
            }
            for p in self.partners
        ]
        sections = [
            Link("areas/index.html", t("site-areas", self.lang)),
            Link("offers/index.html", t("site-offers", self.lang)),
            Link("partners/index.html", t("site-partners", self.lang)),
            Link("target-groups/index.html", t("site-target-groups", self.lang)),
            Link("goals/index.html", t("site-goals", self.lang)),
        ]
        if self.areas is None:
            sections = sections[1:]
        title = t("site-index-title", self.lang, name=self.config.name, cycle=self.year)
        data = {
            "rows": self.rows(self.cards),
            "phases": phases,
            "partners": partners,
            "sections": sections,
        }
        return Page("index.html", title, "index", data)

    def phase_page(self, phase: str) -> Page:
        pids = [p for p in self.cards if self.state.projects[p].phase == phase]
        title = t("site-phase-title", self.lang, phase=self.phase_name(phase))
        return Page(phase_path(phase), title, "list", {"rows": self.rows(pids)}, self.crumbs())

    def project_page(self, pid: str) -> Page:
        card, state = self.cards[pid], self.state.projects[pid]
        latest: dict[str, models.Actual] = {}
        for actual in state.actuals:
            if actual.goal not in latest or actual.date >= latest[actual.goal].date:
                latest[actual.goal] = actual
        done = {m.id: m.done for m in state.milestones}
        goals = [
            {
                "goal": goal,
                "actual": latest.get(goal.id),
                "area": self.area_link(goal.area) if goal.area else None,
                "contributes": [
                    Link(goal_path(g), self.goals.get(g, g)) for g in goal.contributes_to
                ],
            }
            for goal in card.goals
        ]
        milestones = [{"milestone": m, "done": done.get(m.id)} for m in card.milestones]
        synergies = [
            self.project_link(s) if s in self.cards else Link("", s) for s in card.synergies
        ]
        data = {
            "card": card,
            "phase": Link(phase_path(state.phase), self.phase_name(state.phase)),
            "areas": [self.area_link(a) for a in card.areas],
            "groups": [self.group_link(g) for g in card.target_groups],
            "goals": goals,
            "milestones": milestones,
            "offers": [
                Link(offer_path(o), self.offers[o].title) if o in self.offers else Link("", o)
                for o in card.existing_offers
            ],
            "synergies": synergies,
            "actors": [self.actor_link(a) for a in card.actors],  # issue 15
        }
        crumb = Link(phase_path(state.phase), self.phase_name(state.phase))
        return Page(project_path(pid), card.title, "project", data, self.crumbs(crumb))

    def reaching(self, aid: str) -> list[str]:
        """Projects that name the area, an area above it, an area inside it, or citywide."""
        inside = {aid, *self.areas.ancestors(aid), *self.areas.descendants(aid)}
        return [
            pid
            for pid, card in self.cards.items()
            if CITYWIDE in card.areas or inside.intersection(card.areas)
        ]

    def area_links(self) -> list[Link]:
        return [self.area_link(a) for a in sorted(self.areas.areas)]

    def area_page(self, aid: str) -> Page:
        area = self.areas.areas[aid]
        indicators = []
        city = self.config.city
        for indicator in self.config.indicators:
            periods = self.ws.indicators.periods(indicator.id)
            if not periods:
                continue
            period = periods[-1]
            values = self.ws.indicators.at(indicator.id, period)
            own = values.get(aid)
            if own is None:
                continue
            reference = values.get(city) if city and city != aid else None
            indicators.append(
                {
                    "label": models.local(indicator.label, self.lang),
                    "unit": indicator.unit,
                    "period": period,
                    "value": own,
                    "city": reference,
                }
            )
        parent = self.area_link(area.parent) if area.parent else None
        data = {
            "area": area,
            "level": area.level,
            "parent": parent,
            "children": [self.area_link(c) for c in sorted(self.areas.children.get(aid, []))],
            "indicators": indicators,
            "rows": self.rows(self.reaching(aid)),
            "offers": [
                Link(offer_path(oid), o.title)
                for oid, o in self.offers.items()
                if not o.areas or CITYWIDE in o.areas or aid in o.areas
            ],
        }
        crumbs = self.crumbs(Link("areas/index.html", t("site-areas", self.lang)))
        return Page(area_path(aid), self.area_name(aid), "area", data, crumbs)

    def offer_page(self, oid: str) -> Page:
        offer = self.offers[oid]
        data = {
            "offer": offer,
            "providers": [self.actor_link(a) for a in providers(offer)],
            "areas": [self.area_link(a) for a in offer.areas],
            "groups": [self.group_link(g) for g in offer.target_groups],
            "rows": self.rows(p for p, c in self.cards.items() if oid in c.existing_offers),
        }
        crumbs = self.crumbs(Link("offers/index.html", t("site-offers", self.lang)))
        return Page(offer_path(oid), offer.title, "offer", data, crumbs)

    def partner_page(self, pid: str) -> Page:
        """Where a Bündnis partner takes part: projects as actor, offers as provider, and
        the public funding lines of the funders it stands behind (issue 19)."""
        partner = self.partners[pid]
        projects = [
            {
                "link": self.project_link(cid),
                "phase": Link(phase_path(phase), self.phase_name(phase)),
                "roles": roles,
            }
            for cid, roles in self.acting.get(pid, {}).items()
            for phase in (self.state.projects[cid].phase,)
        ]
        offers = [
            {"link": Link(offer_path(oid), self.offers[oid].title), "roles": roles}
            for oid, roles in self.providing.get(pid, {}).items()
        ]
        funders = {f.id: f.name for f in self.config.funders if f.partner == pid}
        lines = [
            {"project": self.project_link(cid), "funder": funders[line.funder], "line": line}
            for cid, card in self.cards.items()
            for line in card.funding
            if line.funder in funders and line.status != "rejected"
        ]
        lines += [
            {
                "project": Link("", t("site-strategy", self.lang)),
                "funder": funders[line.funder],
                "line": line,
            }
            for line in self.config.funding
            if line.funder in funders and line.status != "rejected"
        ]
        data = {
            "partner": partner,
            "kind": t(f"money-kind-{partner.kind}", self.lang),
            "levels": [t(f"site-level-{level}", self.lang) for level in partner.level],
            "projects": projects,
            "offers": offers,
            "funders": list(funders.values()),
            "lines": lines,
        }
        crumbs = self.crumbs(Link("partners/index.html", t("site-partners", self.lang)))
        return Page(partner_path(pid), partner.name, "partner", data, crumbs)

    def group_page(self, gid: str) -> Page:
        group = next(g for g in self.config.target_groups if g.id == gid)
        data = {
            "description": group.description,
            "rows": self.rows(p for p, c in self.cards.items() if gid in c.target_groups),
            "goals": [
                Link(goal_path(g.id), self.goals[g.id])
                for g in self.config.strategic_goals
                if gid in g.target_groups
            ],
        }
        crumbs = self.crumbs(Link("target-groups/index.html", t("site-target-groups", self.lang)))
        return Page(group_path(gid), self.groups[gid], "group", data, crumbs)

    def goal_page(self, gid: str) -> Page:
        goal = next(g for g in self.config.strategic_goals if g.id == gid)
        contributing = [
            {"link": self.project_link(pid), "goal": project_goal}
            for pid, card in self.cards.items()
            for project_goal in card.goals
            if gid in project_goal.contributes_to
        ]
        data = {
            "statement": goal.statement,
            "source": goal.source,
            "groups": [self.group_link(g) for g in goal.target_groups],
            "contributing": contributing,
        }
        crumbs = self.crumbs(Link("goals/index.html", t("site-goals", self.lang)))
        return Page(goal_path(gid), self.goals[gid], "goal", data, crumbs)

    def list_page(self, path: str, title_id: str, links: list[Link]) -> Page:
        return Page(path, t(title_id, self.lang), "links", {"links": links}, self.crumbs())


def _roles(
    owners: Iterable[tuple[str, Iterable[str | models.ActorRef]]],
) -> dict[str, dict[str, list[str]]]:
    """partner id → owner id (card, offer) → the roles it has there, in the file's order."""
    out: dict[str, dict[str, list[str]]] = {}
    for owner, actors in owners:
        for actor in actors:
            ref = partner_of(actor)
            if ref is None:
                continue
            roles = out.setdefault(ref, {}).setdefault(owner, [])
            role = actor.role if isinstance(actor, models.ActorRef) else None
            if role and role not in roles:
                roles.append(role)
    return out


def format_value(value: float | None, unit: str, lang: str) -> str:
    """A value with its unit; unknown is "keine Angabe", never 0."""
    if value is None:
        return t("site-unknown", lang)
    return i18n.format_quantity(value, unit, lang)


def format_day(value: date | None, lang: str) -> str:
    return t("site-unknown", lang) if value is None else i18n.format_date(value, lang)
