"""A small workspace with partners, funders, funding lines and a call (issue 15)."""

from __future__ import annotations

from pathlib import Path

from cycle_helpers import CONFIG, build_ws
from zyklus.files.workspace import Workspace

MONEY_CONFIG = (
    CONFIG
    + """\
partners:
  - {id: jobcenter, name: Jobcenter Bochum, kind: verwaltung, level: [strategisch, operativ]}
  - {id: via-ruhr, name: Via Ruhr e.V., kind: freie-wohlfahrt, level: operativ}
funders:
  - {id: esf-plus, name: ESF Plus, kind: eu}
  - {id: kommune, name: Stadt (Haushalt), kind: kommune}
"""
)
# Three cards whose sums float gets wrong: 0.10 + 0.20, 1234.56 + 0.01 …
FUNDED = """\
id: funded
title: Funded project
areas: [querenburg]
target_groups: [langzeitarbeitslose]
themes: [beratung]
actors: [jobcenter, {partner: via-ruhr, role: Räume}, Stadtteilbüro]
resources:
  budget_eur: 1000.3
funding:
  - {funder: esf-plus, amount: 0.1, status: granted, own_share: "0.20"}
  - {funder: kommune, amount: "500.10", status: applied}
  - {funder: kommune, amount: 999, status: rejected}
"""
DRAFT = """\
id: draft
title: Draft project
areas: ["554"]
target_groups: [langzeitarbeitslose]
themes: [Beratung]
funding:
  - {funder: kommune, amount: "0.20", status: planned, period: {from: 2028-01-01}}
"""
OTHER = """\
id: other
title: Other group
areas: [sued]
target_groups: [jugendliche]
themes: [beratung]
"""
CALL = """\
id: quartier-2027
funder: esf-plus
title: Beratung im Quartier
deadline: 2027-09-30
target_groups: [langzeitarbeitslose]
themes: [Beratung]
areas: [querenburg]
max_amount: 150000
own_share_percent: 10
illustrative: true
"""


def money_ws(
    root: Path,
    cards: dict[str, str] | None = None,
    *,
    config: str = MONEY_CONFIG,
    extra: dict[str, str] | None = None,
) -> Workspace:
    """Config with partners and funders, the three cards, one call, cycle 2027 at planning."""
    cards = cards if cards is not None else {"funded": FUNDED, "draft": DRAFT, "other": OTHER}
    return build_ws(
        root,
        cards,
        dict.fromkeys(cards, "planning"),
        extra={"zyklus.yaml": config, "funding/quartier-2027.yaml": CALL, **(extra or {})},
    )
