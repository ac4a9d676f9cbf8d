"""Generate a realistic synthetic zyklus workspace for benchmarks (issue 9).

A big German city, made up but plausible: an area hierarchy of four levels (city →
Stadtbezirke → Ortsteile → BA-Distrikte), small-area indicator data for several periods
that adds up along the hierarchy, existing offers, hand-written-looking project cards
with German text, comments, needs with evidence, goals, resources and milestones, and
the cycle files (previous and current) with each project's history, actuals, milestone
completions and evaluations. Everything is deterministic for a given seed, and the
result passes ``zyklus validate`` with no problem at all.

Usage: python bench/generate.py OUT --projects 1000 --areas 10000 --periods 3
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

CURRENT, PREVIOUS = 2027, 2024
PHASES = ("analysis", "needs", "goals", "planning", "implementation", "evaluation")
# Where the projects of the current cycle stand (weights add up to 100).
PHASE_WEIGHTS = {
    "analysis": 8,
    "needs": 8,
    "goals": 9,
    "planning": 25,
    "implementation": 25,
    "evaluation": 15,
    "done": 7,
    "stopped": 3,
}
COORDINATION = "Koordinierungsstelle Sozialplanung"

TARGET_GROUPS = {
    "langzeitarbeitslose": ("Langzeitarbeitslose", "Long-term unemployed"),
    "jugendliche-mit-besonderem-bedarf": (
        "Jugendliche mit besonderem Bedarf",
        "Young people with particular needs",
    ),
    "fachkraeftepotentiale": ("Fachkräftepotentiale", "Untapped skilled-worker potential"),
    "alleinerziehende": ("Alleinerziehende", "Single parents"),
    "gefluechtete": ("Geflüchtete Menschen", "Refugees"),
    "aeltere-arbeitsuchende": ("Ältere Arbeitsuchende (55+)", "Older jobseekers (55+)"),
}
STRATEGIC_GOALS = {
    "ziel-langzeitarbeitslose": ("Ziel Langzeitarbeitslose", ["langzeitarbeitslose"]),
    "ziel-jugendliche": (
        "Ziel Jugendliche mit besonderem Bedarf",
        ["jugendliche-mit-besonderem-bedarf"],
    ),
    "ziel-fachkraefte": ("Ziel Fachkräftepotentiale", ["fachkraeftepotentiale", "gefluechtete"]),
    "ziel-vereinbarkeit": ("Ziel Vereinbarkeit von Familie und Beruf", ["alleinerziehende"]),
    "ziel-buendnis": ("Ziel Bündnis „Leben und Arbeiten in der Stadt“", list(TARGET_GROUPS)),
}
# id: (label, unit, aggregation, direction)
INDICATORS = {
    "einwohner-15-64": ("Einwohner*innen 15 bis 64 Jahre", "Personen", "sum", "higher_is_better"),
    "arbeitslose": ("Arbeitslose absolut", "Personen", "sum", "higher_is_worse"),
    "arbeitslosenanteil": ("Arbeitslosenanteil in %", "%", "share", "higher_is_worse"),
    "jugendarbeitslose": ("Arbeitslose unter 25 Jahren", "Personen", "sum", "higher_is_worse"),
    "sgb2-quote": ("SGB-II-Quote in %", "%", "share", "higher_is_worse"),
}
THEMES = [
    "Beratung",
    "Qualifizierung",
    "Ausbildung",
    "Sprachförderung",
    "Kinderbetreuung",
    "Gesundheit",
    "Übergang Schule–Beruf",
    "Quartiersarbeit",
    "Arbeitgeberservice",
    "Digitalisierung",
]
MEASURES = [
    ("Jobcenter im Quartier", "Beratung des Jobcenters vor Ort"),
    ("Ausbildungsberufe im Quartier", "Ausbildungsbetriebe stellen sich im Stadtteil vor"),
    ("Sprachcafé Beruf", "berufsbezogene Sprachförderung in kleinen Gruppen"),
    ("Werkstatt Zukunft", "praxisnahe Erprobung handwerklicher Berufsfelder"),
    ("Brücke in Arbeit", "Begleitung beim Übergang in sozialversicherungspflichtige Arbeit"),
    ("Elternlotsen", "aufsuchende Beratung von Alleinerziehenden zu Betreuung und Arbeit"),
    ("Jugendberufsagentur unterwegs", "mobile Beratung an Treffpunkten junger Menschen"),
    ("Anerkennungsberatung", "Begleitung bei der Anerkennung ausländischer Abschlüsse"),
    ("Gesund in Arbeit", "Gesundheitsförderung für arbeitsmarktferne Menschen"),
    ("Digitale Teilhabe", "Grundkenntnisse am Computer für Bewerbung und Behördengänge"),
    ("Stadtteilmütter", "Mütter aus dem Quartier begleiten Familien zu Angeboten"),
    ("Kompetenzcheck 55+", "Potentialanalyse für ältere Arbeitsuchende"),
]
ACTORS = [
    "Jobcenter",
    "Agentur für Arbeit",
    "Jugendamt",
    "Sozialamt",
    "Amt für Stadtentwicklung",
    "Kommunales Integrationszentrum",
    "Handwerkskammer",
    "Industrie- und Handelskammer",
    "Caritasverband e.V.",
    "Diakonisches Werk",
    "Arbeiterwohlfahrt Unterbezirk",
    "Paritätischer Wohlfahrtsverband",
    "Quartiersmanagement",
    "Volkshochschule",
    "Berufskollegs",
    "Migrant*innenselbstorganisationen",
    "Familienbildungsstätte",
    "Sportvereine im Stadtteil",
]
SENTENCES = [
    "Im Rahmen des Projektes soll {measure} in {place} stattfinden und bei Erfolg "
    "sukzessive auf weitere Quartiere ausgeweitet werden.",
    "Ziel ist es, Niedrigschwelligkeit zu schaffen, Hürden abzubauen und Menschen zu "
    "erreichen, zu denen der Kontakt bislang erfolglos blieb.",
    "Der Arbeitslosenanteil liegt in {place} bei {share} % und damit deutlich über dem "
    "städtischen Durchschnitt von {city_share} % (Stand {period}).",
    "Die soziale Infrastruktur ist im Quartier vergleichsweise schwach ausgebaut; die "
    "Entfernung zu den nächstgelegenen Beratungsstellen ist für viele eine zusätzliche Hürde.",
    "Es ist zu erwarten, dass die Teilnehmenden multiple Problemlagen mitbringen und "
    "leistungsrechtliche Fragen häufig an erster Stelle stehen.",
    "Nach einer Erprobungsphase von {months} Monaten findet eine Reflexion mit allen "
    "Beteiligten statt, um Turnus, Umfang und Ort an die Bedarfe anzupassen.",
    "Die Zusammenarbeit mit {actor} und {actor2} ist abgestimmt; Räume stellt {actor} "
    "kostenfrei zur Verfügung.",
    "Über Aushänge, soziale Medien und persönliche Ansprache im Stadtteil werden die "
    "Menschen auf das Angebot aufmerksam gemacht.",
    "Die vollständige Fallbearbeitung vor Ort ist nicht leistbar; möglich sind "
    "Orientierung, Erstberatung und gegebenenfalls Weitervermittlung.",
    "Besonderes Augenmerk liegt auf jungen Menschen, die über das System Schule nicht "
    "mehr erreicht werden, und auf Familien im SGB-II-Bezug.",
    "Die Ergebnisse fließen in den nächsten Sozialbericht und in die Fortschreibung der "
    "Strategie {year} ein.",
    "Mögliche Synergien mit bestehenden Angeboten werden geprüft, um Doppelstrukturen zu "
    "vermeiden und vorhandene Ressourcen effizienter zu nutzen.",
]
PREFIXES = [
    "Alt", "Neu", "Ober", "Unter", "Nieder", "Hohen", "Weiß", "Grün", "Mühl", "Kirch",
    "Lang", "Bruch", "Wester", "Oster", "Süd", "Nord", "Sonnen", "Eichen", "Linden", "Birken",
    "Hammer", "Stein", "Rosen", "Buchen", "Wiesen", "Berg", "Tal", "Holz", "Kreuz", "Markt",
]  # fmt: skip
SUFFIXES = [
    "feld", "dorf", "hausen", "heide", "bach", "berg", "hof", "kamp", "horst", "rode",
    "stadt", "wald", "brück", "büttel", "hagen", "busch", "mark", "au", "holz", "scheid",
]  # fmt: skip
_UMLAUTS = str.maketrans(
    {"é": "e", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)


def slug(text: str) -> str:
    text = text.translate(_UMLAUTS).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


_PLAIN = re.compile(r"[A-Za-zÄÖÜäöüß][\w .,()/*–„“%+-]*\Z")
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def q(text: str) -> str:
    """A YAML scalar for ``text``: plain where that is safe, else double-quoted."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def folded(text: str, indent: int, width: int = 92) -> str:
    """``>-`` block scalar lines for ``text`` (one paragraph), indented by ``indent``."""
    pad = " " * indent
    lines = textwrap.wrap(
        text, width=width - indent, break_long_words=False, break_on_hyphens=False
    )
    return ">-\n" + "\n".join(pad + line for line in lines)


def literal(paragraphs: list[str], indent: int) -> str:
    """``|`` block scalar: one long line per paragraph, as planners paste them."""
    pad = " " * indent
    return "|\n" + "\n\n".join(pad + p for p in paragraphs)


# --- areas and data ----------------------------------------------------------------------


@dataclass
class Area:
    id: str
    name: str
    level: str
    parent: str | None
    children: list[str] = field(default_factory=list)


def level_sizes(total: int) -> tuple[int, int, int]:
    """How many Stadtbezirke, Ortsteile and BA-Distrikte make ``total`` areas with the city."""
    if total < 4:
        raise SystemExit("--areas must be at least 4 (city, Bezirk, Ortsteil, Distrikt)")
    bezirke = max(1, min(20, round(total**0.25)))
    ortsteile = max(bezirke, min(total - 1 - bezirke - 1, round(total**0.5)))
    return bezirke, ortsteile, total - 1 - bezirke - ortsteile


def make_areas(total: int, rng: random.Random) -> dict[str, Area]:
    bezirke, ortsteile, distrikte = level_sizes(total)
    areas: dict[str, Area] = {"stadt": Area("stadt", "Musterstadt", "stadt", None)}
    used: set[str] = set()

    def place_name() -> str:
        for _ in range(50):
            name = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
            if name not in used:
                used.add(name)
                return name
        name = f"{rng.choice(PREFIXES)}{rng.choice(SUFFIXES)} {len(used)}"
        used.add(name)
        return name

    def add(area: Area) -> None:
        areas[area.id] = area
        if area.parent is not None:
            areas[area.parent].children.append(area.id)

    bezirk_ids = []
    for _ in range(bezirke):
        name = place_name()
        add(Area(f"bezirk-{slug(name)}", name, "stadtbezirk", "stadt"))
        bezirk_ids.append(f"bezirk-{slug(name)}")
    ortsteil_ids = []
    for i in range(ortsteile):
        name = place_name()
        add(Area(slug(name), name, "ortsteil", bezirk_ids[i % bezirke]))
        ortsteil_ids.append(slug(name))
    for i in range(distrikte):
        number = str(1000 + i)
        add(Area(number, f"BA-Distrikt {number}", "ba-distrikt", ortsteil_ids[i % ortsteile]))
    return areas


def periods(count: int) -> list[date]:
    return [date(CURRENT - 4 - i, 12, 31) for i in range(count)][::-1]


def make_data(
    areas: dict[str, Area], dates: list[date], rng: random.Random
) -> dict[tuple[str, str, date], float]:
    """Values per (area, indicator, period); sums add up along the hierarchy."""
    values: dict[tuple[str, str, date], float] = {}
    leaves = [a for a in areas.values() if not a.children]
    for leaf in leaves:
        people = rng.randint(400, 6000)
        rate = rng.uniform(0.02, 0.16)
        sgb2 = min(0.45, rate * rng.uniform(1.3, 2.4))
        for k, when in enumerate(dates):
            drift = 1 + 0.03 * (k - len(dates) / 2) * rng.uniform(-1, 1)
            unemployed = round(people * rate * drift)
            values[(leaf.id, "einwohner-15-64", when)] = people + 7 * k
            values[(leaf.id, "arbeitslose", when)] = unemployed
            values[(leaf.id, "jugendarbeitslose", when)] = round(
                unemployed * rng.uniform(0.08, 0.14)
            )
            values[(leaf.id, "sgb2-quote", when)] = round(100 * sgb2 * drift, 1)

    def total(area: Area, indicator: str, when: date) -> float:
        key = (area.id, indicator, when)
        if key not in values:
            values[key] = sum(total(areas[c], indicator, when) for c in area.children)
        return values[key]

    order = sorted(
        areas.values(), key=lambda a: {"stadt": 0, "stadtbezirk": 1, "ortsteil": 2}.get(a.level, 3)
    )
    for area in reversed(order):  # leaves first, so recursion stays shallow
        for when in dates:
            people = total(area, "einwohner-15-64", when)
            unemployed = total(area, "arbeitslose", when)
            total(area, "jugendarbeitslose", when)
            values[(area.id, "arbeitslosenanteil", when)] = round(100 * unemployed / people, 1)
            if area.children:
                weights = [values[(c, "einwohner-15-64", when)] for c in area.children]
                quotes = [values[(c, "sgb2-quote", when)] for c in area.children]
                values[(area.id, "sgb2-quote", when)] = round(
                    sum(w * x for w, x in zip(weights, quotes, strict=True)) / sum(weights), 1
                )
    return values


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


# --- config, offers ----------------------------------------------------------------------


def config_text(areas: dict[str, Area]) -> str:
    out = [
        "# Synthetischer Arbeitsbereich für Messungen (bench/generate.py). Alle Inhalte sind",
        "# erfunden; Aufbau und Umfang entsprechen einer großen Stadt.",
        "name: Sozialplanung Musterstadt",
        "language: de",
        f"current_cycle: {CURRENT}",
        "city: stadt",
        "illustrative: true",
        "",
        "target_groups:",
    ]
    for tg_id, (de, en) in TARGET_GROUPS.items():
        out += [f"  - id: {tg_id}", "    label:", f"      de: {q(de)}", f"      en: {q(en)}"]
        out.append(
            f"    description: {q(f'Menschen der Zielgruppe {de} mit Wohnsitz in Musterstadt.')}"
        )
    out += ["", "strategic_goals:"]
    for goal_id, (title, groups) in STRATEGIC_GOALS.items():
        out += [
            f"  - id: {goal_id}",
            f"    title: {q(title)}",
            "    statement: "
            + folded(
                f"{title}: Die Angebote werden im Sozialraum verteilt, bedarfsorientiert "
                "ausgebaut und mit den vorhandenen Strukturen verzahnt, damit Doppelstrukturen "
                "vermieden und Lücken geschlossen werden.",
                6,
            ),
            f"    target_groups: [{', '.join(groups)}]",
            '    source: "Kap. 4"',
        ]
    out += ["", "indicators:"]
    for ind_id, (label, unit, aggregation, direction) in INDICATORS.items():
        out += [
            f"  - id: {ind_id}",
            f"    label: {q(label)}",
            f"    unit: {json.dumps(unit, ensure_ascii=False)}",
            f"    aggregation: {aggregation}",
            f"    direction: {direction}",
            "    source: Kleinräumige Arbeitsmarktdaten der Bundesagentur für Arbeit",
        ]
    focus = [a.id for a in areas.values() if a.level == "ortsteil"][:4]
    out += [
        "",
        "thresholds:",
        "  hotspot_ratio: 1.25",
        "  at_tolerance: 0.05",
        "",
        "selections:",
        "  - id: fokusquartiere",
        "    label: Fokusquartiere",
        "    areas: [" + ", ".join(json.dumps(a) for a in focus) + "]",
        "",
        "data:",
        '  delimiter: ","',
        '  decimal: "."',
        "",
    ]
    return "\n".join(out)


@dataclass
class Offer:
    id: str
    title: str
    groups: list[str]
    areas: list[str]


def make_offers(count: int, areas: dict[str, Area], rng: random.Random) -> list[Offer]:
    ortsteile = [a.id for a in areas.values() if a.level == "ortsteil"]
    offers = []
    for i in range(count):
        title, _ = MEASURES[i % len(MEASURES)]
        kind = rng.choice(["Regelangebot", "Beratungsstelle", "Förderprogramm", "Netzwerk"])
        where = ["citywide"] if i % 3 == 0 else rng.sample(ortsteile, min(2, len(ortsteile)))
        offers.append(
            Offer(
                f"{slug(kind)}-{slug(title)}-{i + 1}",
                f"{kind} {title} ({i + 1})",
                rng.sample(list(TARGET_GROUPS), 2),
                where,
            )
        )
    return offers


def offer_text(offer: Offer, rng: random.Random) -> str:
    return "\n".join(
        [
            "# Vorhandene Struktur (synthetisch).",
            f"id: {offer.id}",
            f"title: {q(offer.title)}",
            f"provider: {q(rng.choice(ACTORS))}",
            f"target_groups: [{', '.join(offer.groups)}]",
            "areas: [" + ", ".join(json.dumps(a) for a in offer.areas) + "]",
            f"themes: [{q(rng.choice(THEMES))}]",
            "description: "
            + folded(
                f"{offer.title} richtet sich an Menschen, die Unterstützung beim Zugang zu "
                "Arbeit, Ausbildung oder Beratung suchen; das Angebot ist etabliert und wird "
                "regelmäßig nachgefragt.",
                2,
            ),
            'source: "Kap. 7"',
            "",
        ]
    )


# --- cards -------------------------------------------------------------------------------


@dataclass
class Card:
    id: str
    goals: list[str]
    milestones: list[tuple[str, date]]
    synergies: list[str] = field(default_factory=list)


def card_ids(count: int) -> list[str]:
    ids = []
    for i in range(count):
        title, _ = MEASURES[i % len(MEASURES)]
        ids.append(f"{slug(title)}-{i + 1}")
    return ids


def card_text(
    index: int,
    card_id: str,
    areas: dict[str, Area],
    ortsteile: list[str],
    data: dict[tuple[str, str, date], float],
    dates: list[date],
    offers: list[Offer],
    synergy: str | None,
    rng: random.Random,
) -> tuple[str, Card]:
    title, measure = MEASURES[index % len(MEASURES)]
    home = areas[ortsteile[index % len(ortsteile)]]
    districts = home.children or [home.id]
    places = [home.id, *rng.sample(districts, min(len(districts), rng.randint(0, 2)))]
    groups = rng.sample(list(TARGET_GROUPS), rng.randint(1, 2))
    latest = dates[-1]
    share = data[(home.id, "arbeitslosenanteil", latest)]
    city_share = data[("stadt", "arbeitslosenanteil", latest)]
    actor, actor2 = rng.sample(ACTORS, 2)
    params = {
        "measure": measure,
        "place": home.name,
        "share": f"{share:.1f}".replace(".", ","),
        "city_share": f"{city_share:.1f}".replace(".", ","),
        "period": f"{latest.day:02d}.{latest.month:02d}.{latest.year}",
        "months": rng.choice([3, 6, 12]),
        "actor": actor,
        "actor2": actor2,
        "year": CURRENT + 3,
    }
    paragraphs = [
        " ".join(s.format(**params) for s in rng.sample(SENTENCES, rng.randint(3, 5)))
        for _ in range(rng.randint(2, 3))
    ]
    start = date(CURRENT, rng.randint(1, 6), 1)
    end = start + timedelta(days=rng.choice([365, 548, 730, 1095]))

    out = [
        "# Projektkarte (synthetisch, bench/generate.py). Texte sind erfunden, Zahlen",
        "# stammen aus data/indicators.csv.",
        f"id: {card_id}",
        f"title: {q(f'{title} {home.name}')}",
        "# Stadtteil und BA-Distrikte, in denen das Projekt wirkt",
        "areas: [" + ", ".join(json.dumps(a) for a in places) + "]",
        f"target_groups: [{', '.join(groups)}]",
        "themes: [" + ", ".join(q(t) for t in rng.sample(THEMES, rng.randint(1, 3))) + "]",
        "duration: " + q(f"zunächst {params['months']} Monate zur Erprobung, dann Reflexion"),
        f"start: {start.isoformat()}",
        f"end: {end.isoformat()}",
        "description: " + literal(paragraphs, 2),
        "audience: "
        + folded(
            f"Menschen der Zielgruppen im Ortsteil {home.name}, insbesondere jene, zu denen "
            "der Kontakt bislang erfolglos blieb.",
            2,
        ),
        "actors:",
        *(f"  - {q(a)}" for a in rng.sample(ACTORS, rng.randint(2, 4))),
    ]
    synergies = [synergy] if synergy else []
    out.append("synergies:")
    out += [f"  - {s}" for s in synergies]
    out.append("  - Austausch mit dem Quartiersmanagement im Stadtteil")

    out.append("# Bedarf mit Daten aus data/indicators.csv")
    out.append("needs:")
    for need in range(rng.randint(1, 2)):
        indicator = "arbeitslosenanteil" if need == 0 else "sgb2-quote"
        value = data[(home.id, indicator, latest)]
        label = INDICATORS[indicator][0].replace(" in %", "")
        out.append(
            "  - statement: "
            + folded(
                f"{label} in {home.name}: {number(value).replace('.', ',')} % "
                f"(Stand {params['period']}), in der Gesamtstadt "
                f"{number(data[('stadt', indicator, latest)]).replace('.', ',')} %.",
                6,
            )
        )
        out.append("    evidence:")
        for where in [home.id, "stadt"][: rng.randint(1, 2)]:
            out.append(
                f"      - {{area: {json.dumps(where)}, indicator: {indicator}, "
                f"period: {latest.isoformat()}}}"
            )
    chosen = [o for o in offers if set(o.groups) & set(groups)][:2] or offers[:1]
    out.append("existing_offers: [" + ", ".join(o.id for o in chosen) + "]")

    out.append("goals:")
    goal_ids = []
    for g in range(rng.randint(2, 4)):
        goal_id = f"G{g + 1}"
        goal_ids.append(goal_id)
        indicator = ["arbeitslose", "arbeitslosenanteil", "jugendarbeitslose"][g % 3]
        where = places[g % len(places)]
        baseline = data[(where, indicator, latest)]
        target = round(baseline * rng.uniform(0.8, 0.95), 1)
        if INDICATORS[indicator][2] == "sum":  # counts of people stay whole
            target = round(target)
        contributes = [s for s, (_, tgs) in STRATEGIC_GOALS.items() if set(tgs) & set(groups)][:2]
        out += [
            f"  - id: {goal_id}",
            "    statement: "
            + folded(
                f"{INDICATORS[indicator][0]} in {areas[where].name} bis Ende {end.year} von "
                f"{number(baseline).replace('.', ',')} auf {number(target).replace('.', ',')} "
                "senken, durch Beratung und Begleitung vor Ort.",
                6,
            ),
            f"    indicator: {indicator}",
            f"    unit: {json.dumps(INDICATORS[indicator][1], ensure_ascii=False)}",
            f"    baseline: {{value: {number(baseline)}, date: {latest.isoformat()}}}",
            f"    target: {{value: {number(target)}, date: {end.isoformat()}}}",
            f"    area: {json.dumps(where)}",
            f"    level: {rng.randint(2, 6)}",
            f"    contributes_to: [{', '.join(contributes)}]",
        ]
    fte = round(rng.uniform(0.1, 3.0), 2)
    budget = rng.randrange(0, 250_000, 500)
    out += [
        "resources:",
        "  # Personal in VZÄ (Vollzeit = 39 Stunden/Woche) und Sachkosten in EUR",
        f"  staff_fte: {fte}",
        f"  budget_eur: {budget}",
        "  notes: "
        + folded(
            f"Personal aus vorhandenen Stellen bei {actor}; Sachkosten für Räume, Material "
            "und Öffentlichkeitsarbeit.",
            4,
        ),
        "milestones:",
    ]
    milestones = []
    due = start
    for m in range(rng.randint(2, 5)):
        due = min(end, due + timedelta(days=rng.randint(40, 120)))
        milestones.append((f"M{m + 1}", due))
        label = ["Auftakt im Quartier", "Erste Beratungen", "Reflexionsrunde", "Ausweitung",
                 "Abschlussbericht"][m]  # fmt: skip
        out.append(f"  - {{id: M{m + 1}, title: {label}, due: {due.isoformat()}}}")
    out.append("")
    return "\n".join(out), Card(card_id, goal_ids, milestones, synergies)


# --- cycle files -------------------------------------------------------------------------


def stamp(day: date, hour: int = 10) -> str:
    summer = 4 <= day.month <= 10
    return f"{day.isoformat()}T{hour:02d}:00:00+0{2 if summer else 1}:00"


REASONS = {
    "analysis": "Projektidee aus der Fachtagung, in der Arbeitsgruppe priorisiert und als "
    "Projektentwurf aufgenommen.",
    "needs": "Räume und Zielgruppen benannt; kleinräumige Daten liegen für alle Räume vor.",
    "goals": "Bedarf mit Daten belegt; Abgleich mit den vorhandenen Angeboten erfolgt.",
    "planning": "Projektziele mit Indikator, Ausgangswert, Zielwert und Termin formuliert.",
    "implementation": "Personal, Budget, Akteure und Meilensteine stehen; Beschluss des "
    "Lenkungsgremiums liegt vor.",
    "evaluation": "Umsetzungsphase abgeschlossen; Istwerte für alle Ziele erfasst.",
    "done": "Ziele erreicht; das Angebot geht in die Regelstruktur über.",
    "stopped": "Die Nachfrage blieb deutlich hinter den Erwartungen zurück.",
}


def project_state(card: Card, state: str, year: int, rng: random.Random) -> list[str]:
    """The lines of one project in a cycle file, history consistent with ``state``."""
    path = list(PHASES[: PHASES.index(state) + 1]) if state in PHASES else [*PHASES, state]
    out = [f"  {card.id}:", f"    phase: {state}", "    history:"]
    day = date(year, 1, 15) + timedelta(days=rng.randint(0, 40))
    previous: str | None = None
    for step in path:
        out += [
            f"      - from: {previous or 'null'}",
            f"        to: {step}",
            f"        at: {stamp(day)}",
            f"        by: {COORDINATION}",
            "        reason: " + folded(REASONS[step], 10),
        ]
        previous = step
        day += timedelta(days=rng.randint(20, 45))
    measured = state in ("evaluation", "done", "stopped")
    if state == "implementation" or measured:
        goals = card.goals if measured else card.goals[:1]
        out.append("    actuals:")
        for goal in goals:
            out += [
                f"      - goal: {goal}",
                f"        value: {rng.randint(10, 900)}",
                f"        date: {day.isoformat()}",
                "        note: Istwert laut Quartalsbericht des Trägers.",
            ]
        out.append("    milestones:")
        for milestone, due in card.milestones[: 2 if state == "implementation" else None]:
            out += [f"      - id: {milestone}", f"        done: {due.isoformat()}"]
    if state in ("done", "stopped"):
        verdict = "stop" if state == "stopped" else "continue"
        out += [
            "    evaluation:",
            f"      verdict: {verdict}",
            "      summary: " + folded(REASONS[state], 8),
            f"      date: {day.isoformat()}",
            f"      by: {q('Lenkungsgremium')}",
        ]
    return out


def cycle_text(
    year: int, previous: int | None, cards: list[Card], states: list[str], rng: random.Random
) -> str:
    out = [
        "# Zyklusdatei (synthetisch, bench/generate.py); sonst schreibt nur zyklus diese Datei.",
        f"cycle: {year}",
    ]
    if previous is not None:
        out.append(f"previous: {previous}")
    out += [
        f"opened: {stamp(date(year, 1, 11), 9)}",
        "note: " + folded(f"Fortschreibung {year} mit {len(cards)} Projekten.", 2),
        "projects:" if cards else "projects: {}",
    ]
    for card, state in zip(cards, states, strict=True):
        out += project_state(card, state, year, rng)
    out.append("")
    return "\n".join(out)


# --- the whole workspace -----------------------------------------------------------------


def generate(
    out: Path, *, projects: int, areas: int, periods_count: int = 3, seed: int = 9
) -> Path:
    """Write a complete workspace to ``out`` (replaced if it exists); return ``out``."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for folder in ("projects", "offers", "cycles", "data"):
        (out / folder).mkdir(parents=True)
    area_map = make_areas(areas, rng)
    dates = periods(periods_count)
    data = make_data(area_map, dates, rng)

    (out / "zyklus.yaml").write_text(config_text(area_map), encoding="utf-8")
    with (out / "data" / "areas.csv").open("w", encoding="utf-8", newline="") as f:
        f.write("id,name,level,parent\n")
        for a in area_map.values():
            f.write(f"{a.id},{a.name},{a.level},{a.parent or ''}\n")
    with (out / "data" / "indicators.csv").open("w", encoding="utf-8", newline="") as f:
        f.write("area,indicator,period,value\n")
        for (area_id, indicator, when), value in data.items():
            f.write(f"{area_id},{indicator},{when.isoformat()},{number(value)}\n")

    offers = make_offers(max(5, projects // 10), area_map, rng)
    for offer in offers:
        (out / "offers" / f"{offer.id}.yaml").write_text(offer_text(offer, rng), encoding="utf-8")

    ortsteile = [a.id for a in area_map.values() if a.level == "ortsteil"]
    ids = card_ids(projects)
    cards = []
    for i, card_id in enumerate(ids):
        # neighbours pair up: each names the other as synergy, so none is one-sided
        partner = i + 1 if i % 2 == 0 else i - 1
        synergy = ids[partner] if partner < len(ids) and i % 4 < 2 else None
        text, card = card_text(i, card_id, area_map, ortsteile, data, dates, offers, synergy, rng)
        (out / "projects" / f"{card_id}.yaml").write_text(text, encoding="utf-8")
        cards.append(card)

    phases, weights = zip(*PHASE_WEIGHTS.items(), strict=True)
    current = [rng.choices(phases, weights)[0] for _ in cards]
    (out / "cycles" / f"{CURRENT}.yaml").write_text(
        cycle_text(CURRENT, PREVIOUS, cards, current, rng), encoding="utf-8"
    )
    # the previous cycle: a third of the projects, evaluated
    earlier = cards[: len(cards) // 3]
    old_states = [rng.choice(["evaluation", "done", "stopped"]) for _ in earlier]
    (out / "cycles" / f"{PREVIOUS}.yaml").write_text(
        cycle_text(PREVIOUS, None, earlier, old_states, rng), encoding="utf-8"
    )
    return out


def iter_yaml(root: Path) -> Iterator[Path]:
    """The YAML files ``zyklus validate`` reads, in its order."""
    yield root / "zyklus.yaml"
    for folder in ("projects", "offers", "cycles"):
        yield from sorted((root / folder).glob("*.yaml"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder of the new workspace (replaced)")
    parser.add_argument("--projects", type=int, default=100, help="number of project cards")
    parser.add_argument("--areas", type=int, default=1000, help="number of areas (≥ 4)")
    parser.add_argument("--periods", type=int, default=3, help="indicator periods (years)")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    generate(
        args.out,
        projects=args.projects,
        areas=args.areas,
        periods_count=args.periods,
        seed=args.seed,
    )
    print(f"{args.out}: {args.projects} projects, {args.areas} areas, {args.periods} periods")


if __name__ == "__main__":
    main()
