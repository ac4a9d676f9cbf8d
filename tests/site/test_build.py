"""``zyklus site``: pages, links, visibility (issue 19, part 4)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from helpers import REPO
from zyklus.cli import app
from zyklus.files.workspace import Workspace
from zyklus.site.build import build_site
from zyklus.site.render import render_site

SECRET = "GEHEIM-Notiz-7f3a"  # planted text that must never be published


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the Bochum workspace with one internal card and one internal note."""
    root = tmp_path / "ws"
    shutil.copytree(
        REPO, root, ignore=shutil.ignore_patterns(".git", "reports", "src", "tests", ".ci")
    )
    card = root / "projects" / "jobcenter-im-quartier.yaml"
    card.write_text(
        card.read_text(encoding="utf-8") + f"internal: {SECRET} Personalfrage\n", encoding="utf-8"
    )
    hidden = root / "projects" / "jba-bei-sportvereinen.yaml"
    hidden.write_text(
        hidden.read_text(encoding="utf-8") + "visibility: internal\n", encoding="utf-8"
    )
    return root


def site_pages(root: Path, lang: str = "de") -> dict[str, str]:
    ws = Workspace(root)
    return render_site(ws, build_site(ws, None, lang))  # type: ignore[arg-type]


def test_internal_cards_and_notes_appear_on_no_page(example: Path) -> None:
    pages = site_pages(example)
    assert len(pages) > 50
    title = "JBA bei Sportvereinen"
    assert not [p for p, text in pages.items() if SECRET in text]
    assert not [p for p, text in pages.items() if "jba-bei-sportvereinen" in text or title in text]
    assert "projects/jobcenter-im-quartier.html" in pages  # the card is public, its note not


def test_a_workspace_default_of_internal_publishes_only_cards_that_say_public(
    example: Path,
) -> None:
    config = example / "zyklus.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "site: {default_visibility: internal}\n",
        encoding="utf-8",
    )
    card = example / "projects" / "beratung-ba-im-quartier.yaml"
    card.write_text(card.read_text(encoding="utf-8") + "visibility: public\n", encoding="utf-8")
    projects = sorted(p for p in site_pages(example) if p.startswith("projects/"))
    assert projects == ["projects/beratung-ba-im-quartier.html"]


def test_every_link_resolves_to_a_page_of_the_site(example: Path) -> None:
    pages = site_pages(example)
    for path, text in pages.items():
        for href in re.findall(r'href="([^"]+)"', text):
            if href.startswith("#"):
                assert f'id="{href[1:]}"' in text, (path, href)
                continue
            assert "://" not in href and not href.startswith("/"), (path, href)
            target = (Path(path).parent / unquote(href)).as_posix()
            target = str(Path(target)).replace("\\", "/")
            resolved = Path("/", target).resolve().relative_to("/").as_posix()
            assert resolved in pages, (path, href)


def test_same_input_gives_the_same_bytes_and_english_has_the_same_pages(example: Path) -> None:
    german = site_pages(example)
    assert site_pages(example) == german
    english = site_pages(example, "en")
    assert sorted(english) == sorted(german)
    assert (
        '<html lang="en">' in english["index.html"] and "Skip to content" in english["index.html"]
    )


def test_user_text_is_escaped(example: Path) -> None:
    card = example / "projects" / "beratung-ba-im-quartier.yaml"
    text = card.read_text(encoding="utf-8")
    hostile = "title: '<script>alert(1)</script> Beratung'"
    card.write_text(
        text.replace("title: Beratung der Bundesagentur für Arbeit im Quartier", hostile),
        encoding="utf-8",
    )
    pages = site_pages(example)
    assert all("<script" not in page for page in pages.values())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["index.html"]


def test_area_pages_compare_with_the_city_and_list_citywide_projects(example: Path) -> None:
    page = site_pages(example)["areas/554.html"]
    assert "11,7 %" in page  # the district's Arbeitslosenanteil (seed, table 2)
    assert 'href="../projects/jobcenter-im-quartier.html"' in page


def test_the_command_writes_the_site_and_says_what_it_kept_back(
    example: Path, runner: CliRunner
) -> None:
    out = example / "public"
    result = runner.invoke(app, ["site", "-C", str(example), "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "internal projects (not published): 1" in result.output
    assert (out / "index.html").is_file() and (
        out / "projects" / "jobcenter-im-quartier.html"
    ).is_file()


def test_a_symlinked_subfolder_of_the_output_is_refused(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = example / "public"
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    (out / "projects").symlink_to(outside)
    result = runner.invoke(app, ["site", "-C", str(example), "--out", str(out)])
    assert result.exit_code == 2
    assert list(outside.iterdir()) == []


def test_every_partner_has_a_page_with_its_projects_offers_and_public_funding(
    example: Path,
) -> None:
    """Per Bündnis partner (issue 19): projects as actor, offers as provider, funding lines."""
    import yaml

    config = example / "zyklus.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    pages = site_pages(example)
    partners = [p["id"] for p in data["partners"]]
    assert [p for p in pages if p.startswith("partners/")] == [
        "partners/index.html",
        *(f"partners/{p}.html" for p in partners),
    ]
    index = pages["index.html"]
    assert all(f'href="partners/{p}.html"' in index for p in partners)  # the partner filter
    city = pages["partners/stadt-bochum.html"]
    assert 'href="../projects/ausbildungsberufe-im-quartier.html"' in city
    assert "Ausbildungsstätten der Stadt Bochum für handwerkliche Berufe; Amt 11 3" in city
    assert 'href="../offers/gute-erziehung.html"' in city
    assert "5.000 € (Beispieldaten)" in city and "bewilligt" in city  # funder kommune's line
    # linked back from the project's actors and the offer's providers
    assert (
        'href="../partners/stadt-bochum.html"'
        in pages["projects/ausbildungsberufe-im-quartier.html"]
    )
    offer = pages["offers/jugendberufsagentur.html"]
    assert (
        'href="../partners/jugendamt.html">Jugendamt der Stadt Bochum (Jugendsozialarbeit)' in offer
    )
    assert not [p for p, text in pages.items() if "ActorRef(" in text]  # no Python repr
    # the internal card (jba-bei-sportvereinen) is absent from its partners' pages too
    assert "Berater*innen der Jugendberufsagentur" not in pages["partners/jobcenter.html"]


def test_a_partner_page_shows_neither_contact_nor_rejected_applications(example: Path) -> None:
    config = example / "zyklus.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - id: jugendamt\n", "  - id: jugendamt\n    contact: Frau Muster, 0234 910-0\n", 1
        ),
        encoding="utf-8",
    )
    card = example / "projects" / "logokampagne-offene-tueren.yaml"
    card.write_text(
        card.read_text(encoding="utf-8").replace("status: planned", "status: rejected"),
        encoding="utf-8",
    )
    pages = site_pages(example)
    assert not [p for p, text in pages.items() if "Frau Muster" in text]
    city = pages["partners/stadt-bochum.html"]
    assert "8.500 €" not in city and "5.000 €" in city
