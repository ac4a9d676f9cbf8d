"""An offer written from a card (Verstetigung, issue 14): once, atomically, and it reads back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cycle_helpers import build_ws, full_card
from zyklus import models
from zyklus.errors import StateError
from zyklus.files.loader import load_text
from zyklus.files.located import validate_document
from zyklus.files.offers import create_offer, offer_from_card, offer_text
from zyklus.files.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return build_ws(tmp_path, {"full": full_card()}, {"full": "evaluation"})


def test_the_offer_reads_back_as_the_card_says(ws: Workspace) -> None:
    card = ws.card("full")
    path = create_offer(ws, offer_from_card(card, 2027), 2027)
    assert path == ws.root / "offers" / "full.yaml"
    offer = Workspace(ws.root).offers.items["full"]
    assert (offer.title, offer.provider, offer.areas, offer.target_groups, offer.themes) == (
        "Full project",
        ["Jobcenter"],
        ["querenburg"],
        ["langzeitarbeitslose"],
        ["beratung"],
    )
    assert offer.source == "projects/full.yaml (Zyklus 2027)"
    assert path.read_text(encoding="utf-8").startswith("# Written by zyklus (Verstetigung)")
    assert not list(path.parent.glob(".*.tmp"))


def test_an_existing_offer_is_never_overwritten(ws: Workspace) -> None:
    taken = ws.root / "offers" / "full.yaml"
    taken.write_text("id: full\ntitle: Von Hand\n", encoding="utf-8")
    with pytest.raises(StateError) as caught:
        create_offer(ws, offer_from_card(ws.card("full"), 2027), 2027)
    assert [p.code for p in caught.value.problems] == ["CY-OFFER-EXISTS"]
    assert taken.read_text(encoding="utf-8") == "id: full\ntitle: Von Hand\n"
    assert not list(taken.parent.glob(".*.tmp"))


TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
).filter(lambda t: t.strip() != "")


@settings(max_examples=60, deadline=None)
@given(title=TEXT, actor=TEXT, description=st.text())
def test_any_card_text_survives_the_offer_file(title: str, actor: str, description: str) -> None:
    """YAML traps, quotes, line breaks and control characters in the card stay data."""
    card = models.Card(
        id="x",
        title=title,
        areas=["554"],
        target_groups=["langzeitarbeitslose"],
        actors=[actor, models.ActorRef(partner="jobcenter", role=actor)],
        description=description,
    )
    offer = offer_from_card(card, 2027)
    again = validate_document(load_text(offer_text(offer, 2027), "offers/x.yaml"), models.Offer)
    assert again == offer
