"""Per partner: the projects (role, phase) and offers it takes part in (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from money_helpers import money_ws
from zyklus.errors import UsageError
from zyklus.models import ActorRef, Partner
from zyklus.money.partners import actor_label, partner_overview


def test_partners_list_projects_with_role_and_phase_and_offers(tmp_path: Path) -> None:
    offer = "id: o\ntitle: Offer O\nprovider: [{partner: jobcenter, role: U25}, Freitext]\n"
    ws = money_ws(tmp_path, extra={"offers/o.yaml": offer})
    views = {v.partner.id: v for v in partner_overview(ws, 2027)}
    assert [(i.id, i.role, i.phase) for i in views["jobcenter"].projects] == [
        ("funded", None, "planning")
    ]
    assert [(i.id, i.role) for i in views["jobcenter"].offers] == [("o", "U25")]
    assert [(i.id, i.role) for i in views["via-ruhr"].projects] == [("funded", "Räume")]


def test_one_partner_and_an_unknown_one(tmp_path: Path) -> None:
    ws = money_ws(tmp_path)
    assert [v.partner.id for v in partner_overview(ws, 2027, "via-ruhr")] == ["via-ruhr"]
    with pytest.raises(UsageError) as caught:
        partner_overview(ws, 2027, "jobcentre")
    assert caught.value.problems[0].code == "M-PARTNER-UNKNOWN-HINT"


def test_actor_labels_for_the_report() -> None:
    partners = {"jc": Partner(id="jc", name="Jobcenter", kind="verwaltung", level=["operativ"])}
    assert actor_label(ActorRef(partner="jc", role="U25"), partners) == "Jobcenter (U25)"
    assert actor_label("jc", partners) == "Jobcenter"
    assert actor_label("Schulen", partners) == "Schulen"


def test_a_need_shows_its_qualitative_sources_in_the_report() -> None:
    from datetime import date

    from zyklus.models import Need, Source
    from zyklus.money.partners import need_text

    partners = {
        "vr": Partner(id="vr", name="Via Ruhr e.V.", kind="freie-wohlfahrt", level=["operativ"])
    }
    need = Need(
        statement="Bedarf ",
        sources=[
            Source.model_validate(
                {"kind": "interview", "with": "vr", "date": date(2024, 5, 14), "illustrative": True}
            ),
            Source.model_validate(
                {
                    "kind": "workshop",
                    "with": "AG Langzeitarbeitslose",
                    "date": date(2023, 8, 17),
                    "note": "Ideen",
                }
            ),
        ],
    )
    assert need_text(need, partners, "de") == (
        "Bedarf (qualitative Quellen: Interview mit Via Ruhr e.V. am 14.05.2024 (Beispieldaten); "
        "Workshop mit AG Langzeitarbeitslose am 17.08.2023 – Ideen)"
    )
    assert need_text(Need(statement="Nur Daten"), partners, "en") == "Nur Daten"
