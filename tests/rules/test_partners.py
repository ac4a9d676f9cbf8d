"""Partner, funder and qualitative-source references are checked by validate (issue 15)."""

from __future__ import annotations

from pathlib import Path

from money_helpers import DRAFT, FUNDED, MONEY_CONFIG, money_ws
from zyklus.rules.references import validate_workspace


def _problems(root: Path, **changes: str) -> list[tuple[str, str, int | None, str]]:
    cards = {"funded": FUNDED, "draft": DRAFT, **changes}
    ws = money_ws(root, cards)
    return [(p.code, p.path, p.line, p.severity) for p in validate_workspace(ws).problems]


def test_the_money_workspace_is_valid(tmp_path: Path) -> None:
    assert _problems(tmp_path) == []


def test_a_partner_id_that_is_not_declared_gets_a_did_you_mean(tmp_path: Path) -> None:
    card = FUNDED.replace("actors: [jobcenter,", "actors: [jobcentre,")
    assert _problems(tmp_path, funded=card) == [
        ("X-PARTNER-UNKNOWN-HINT", "projects/funded.yaml", 6, "error")
    ]


def test_a_mapping_names_a_partner_and_free_text_stays(tmp_path: Path) -> None:
    card = FUNDED.replace("{partner: via-ruhr,", "{partner: via-rur,")
    found = _problems(tmp_path, funded=card)
    assert found == [("X-PARTNER-UNKNOWN-HINT", "projects/funded.yaml", 6, "error")]
    # "Stadtteilbüro" (capital, no id form) is free text: no problem for it above


def test_an_unknown_funder_in_a_line(tmp_path: Path) -> None:
    card = DRAFT.replace("funder: kommune", "funder: komune")
    assert _problems(tmp_path, draft=card) == [
        ("X-FUNDER-UNKNOWN-HINT", "projects/draft.yaml", 7, "error")
    ]


def test_qualitative_sources_are_validated(tmp_path: Path) -> None:
    good = DRAFT + (
        "needs:\n"
        "  - statement: Bedarf\n"
        "    sources:\n"
        "      - {kind: interview, with: via-ruhr, date: 2024-05-14}\n"
        "      - {kind: buendnis, with: Bündnissitzung operativ, date: 2024-06-21, note: x}\n"
    )
    assert _problems(tmp_path, draft=good) == []
    bad_kind = good.replace("kind: interview", "kind: umfrage")
    assert [p[0] for p in _problems(tmp_path, draft=bad_kind)] == ["S-CHOICE"]
    bad_partner = good.replace("with: via-ruhr", "with: via-ruh")
    assert _problems(tmp_path, draft=bad_partner) == [
        ("X-PARTNER-UNKNOWN-HINT", "projects/draft.yaml", 11, "error")
    ]
    no_date = good.replace(", date: 2024-05-14", "")
    assert [p[0] for p in _problems(tmp_path, draft=no_date)] == ["S-MISSING"]
    future = good.replace("2024-05-14", "2999-01-01")
    assert _problems(tmp_path, draft=future) == [
        ("M-SOURCE-FUTURE", "projects/draft.yaml", 11, "warning")
    ]


def test_an_offer_provider_may_name_partners(tmp_path: Path) -> None:
    offer = (
        "id: o\ntitle: O\nprovider: [jobcenter, {partner: jobcentr, role: U25}, Freitext e.V.]\n"
    )
    ws = money_ws(tmp_path, {"funded": FUNDED}, extra={"offers/o.yaml": offer})
    found = [(p.code, p.path, p.key_path) for p in validate_workspace(ws).problems]
    assert found == [("X-PARTNER-UNKNOWN-HINT", "offers/o.yaml", ("provider", 1, "partner"))]


def test_config_duplicates_and_funder_partner(tmp_path: Path) -> None:
    config = MONEY_CONFIG + "  - {id: kommune, name: Doppelt}\n"
    config = config.replace("kind: kommune}", "kind: kommune, partner: stadt}")
    ws = money_ws(tmp_path, {"funded": FUNDED}, config=config)
    found = sorted((p.code, p.path) for p in validate_workspace(ws).problems)
    assert found == [("M-DUPLICATE-ID", "zyklus.yaml"), ("X-PARTNER-UNKNOWN", "zyklus.yaml")]


def test_calls_are_validated(tmp_path: Path) -> None:
    bad = "id: wrong\nfunder: esf-pluss\ntitle: T\ndeadline: 2027-01-01\ntarget_groups: [lza]\nareas: [mars]\nmax_amount: 12.500\n"
    ws = money_ws(tmp_path, {"funded": FUNDED}, extra={"funding/x.yaml": bad})
    assert [p.code for p in validate_workspace(ws).problems] == ["S-AMBIGUOUS-NUMBER"]
    ws = money_ws(
        tmp_path, {"funded": FUNDED}, extra={"funding/x.yaml": bad.replace("12.500", "12500")}
    )
    found = [(p.code, p.line) for p in validate_workspace(ws).problems]
    assert found == [
        ("X-ID-FILENAME", 1),
        ("X-FUNDER-UNKNOWN-HINT", 2),
        ("X-TG-UNKNOWN", 5),
        ("X-AREA-UNKNOWN", 6),
    ]


def test_spend_funders_in_cycle_files_are_checked(tmp_path: Path) -> None:
    ws = money_ws(tmp_path, {"funded": FUNDED})
    path = ws.cycle_path(2027)
    path.write_text(
        path.read_text(encoding="utf-8")
        + '    spend:\n      - {amount: "5.00", date: 2027-02-01, funder: esf-pluss}\n',
        encoding="utf-8",
    )
    found = [(p.code, p.path, p.line) for p in validate_workspace(ws).problems]
    assert found == [("X-FUNDER-UNKNOWN-HINT", "cycles/2027.yaml", 8)]


def test_cost_per_year_must_agree_with_the_budget(tmp_path: Path) -> None:
    card = FUNDED.replace(
        "  budget_eur: 1000.3\n",
        '  budget_eur: 1000.3\n  cost_per_year: {2027: 1000, 2028: "0.20"}\n',
    )
    assert _problems(tmp_path, funded=card) == [
        ("M-COST-YEARS-SUM", "projects/funded.yaml", 9, "warning")
    ]
    agree = card.replace('"0.20"', '"0.30"')
    assert _problems(tmp_path, funded=agree) == []


def test_without_declared_partners_actors_are_free_text(tmp_path: Path) -> None:
    config = MONEY_CONFIG.split("partners:")[0] + "funders:" + MONEY_CONFIG.split("funders:")[1]
    card = FUNDED.replace("{partner: via-ruhr, role: Räume}", "via-ruhr")
    ws = money_ws(tmp_path, {"funded": card}, config=config)
    assert validate_workspace(ws).problems == []
