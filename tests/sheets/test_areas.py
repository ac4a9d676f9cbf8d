"""zyklus.sheets.areas: names to ids, exactly, then normalised, never guessed (issue 17)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zyklus.files.tables import Area, AreaTable
from zyklus.sheets.areas import AreaMatcher, is_total


def _table(*names: tuple[str, str]) -> AreaTable:
    table = AreaTable()
    for i, (area_id, name) in enumerate(names, start=2):
        table.areas[area_id] = Area(area_id, name, "ortsteil", None, i)
    return table


AREAS = _table(
    ("suedinnenstadt", "Südinnenstadt"),
    ("grumme", "Grumme"),
    ("554", "BA-Distrikt 554"),
    ("mitte", "Mitte"),
    ("bezirk-mitte", "Mitte"),
)


def test_exact_normalised_mapped_ambiguous_and_unknown() -> None:
    matcher = AreaMatcher(AREAS, {"Innenstadt Süd": "suedinnenstadt"})
    assert matcher.match("Südinnenstadt").area == "suedinnenstadt"
    assert matcher.match("554").how == "exact"
    assert (matcher.match("SUED-INNENSTADT¹").area, matcher.match("SUED-INNENSTADT¹").how) == (
        "suedinnenstadt",
        "normalised",
    )
    assert matcher.match("Innenstadt Süd").how == "mapped"
    assert matcher.match("mitte").area == "mitte"  # an id wins over another area's name
    assert matcher.match("Mitte").ambiguous == ("bezirk-mitte", "mitte")
    unknown = matcher.match("Grummme")
    assert (unknown.area, unknown.hint) == (None, "Grumme")


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüß -", min_size=1, max_size=30))
def test_a_name_is_found_however_it_is_cased_or_spelled_with_ue(name: str) -> None:
    table = _table(("x", name.strip() or "x"))
    matcher = AreaMatcher(table)
    shown = name.strip() or "x"
    for variant in (shown, shown.upper(), shown.replace("ü", "ue").replace("ä", "ae")):
        found = matcher.match(variant)
        assert found.area == "x" or (found.area is None and not any(c.isalnum() for c in shown))


def test_total_rows() -> None:
    assert is_total("Insgesamt") and is_total("Stadt Bochum zusammen") and is_total("Summe:")
    assert not is_total("Gesamtschule Mitte") and not is_total("Grumme")
