"""The message catalog is complete, and docs/codes.md lists every problem code."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from helpers import REPO, SRC
from zyklus import i18n
from zyklus.i18n import (
    Msg,
    catalog,
    format_date,
    format_number,
    format_percent,
    message,
)

CODE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


def test_every_message_has_german_and_english() -> None:
    for msg_id, texts in catalog().items():
        assert set(texts) == {"de", "en"}, msg_id
        assert all(isinstance(t, str) and t.strip() for t in texts.values()), msg_id


def test_placeholders_agree_between_languages() -> None:
    for msg_id, texts in catalog().items():
        names = {lang: set(re.findall(r"\{(\w+)", text)) for lang, text in texts.items()}
        assert names["de"] == names["en"], msg_id


def test_every_code_raised_in_the_source_is_in_the_catalog() -> None:
    used: set[str] = set()
    for path in (SRC / "zyklus").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'"([A-Z]-[A-Z0-9-]+|[A-Z][A-Z]+-[A-Z0-9-]+)"', text))
    known = set(catalog())
    hinted = {c for c in known if c.endswith("-HINT")}
    missing = {c for c in used if c not in known and f"{c}-HINT" not in hinted}
    assert not missing, sorted(missing)


def test_unknown_ids_and_bad_params_still_say_something(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside the tests (which make a missing parameter an error) the user sees something."""
    monkeypatch.setattr(i18n, "STRICT", False)
    assert message("NO-SUCH-ID", "de", x=1) == "NO-SUCH-ID x=1"
    assert message("S-MISSING", "en") == "required key '{key}' is missing"


def test_nested_message_ids_are_translated() -> None:
    text = message("S-TYPE", "de", expected=Msg("kind-text"), given=Msg("kind-list"))
    assert text == "erwartet Text, gefunden Liste"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (16797, "de", "16.797"),
        (16797, "en", "16,797"),
        (12.1, "de", "12,1"),
        (12.1, "en", "12.1"),
        (0.15, "de", "0,15"),
        (1234567.5, "de", "1.234.567,5"),
    ],
)
def test_numbers_in_the_locale_form(value: float, lang: str, expected: str) -> None:
    assert format_number(value, lang) == expected


def test_percent_and_dates_in_the_locale_form() -> None:
    assert format_percent(12.1, "de") == "12,1 %"
    assert format_percent(12.1, "en") == "12.1%"
    assert format_date(date(2023, 12, 31), "de") == "31.12.2023"
    assert format_date(date(2023, 12, 31), "en") == "2023-12-31"


def codes_markdown() -> str:
    """docs/codes.md, made from the catalog files (one table per domain)."""
    lines = [
        "# Problem codes",
        "",
        "Every problem zyklus reports starts with a stable code. This page is generated from",
        "the message catalog (`src/zyklus/messages/`); `-HINT` variants add a did-you-mean.",
        "Regenerate with `ZYKLUS_UPDATE_DOCS=1 pytest tests/test_i18n.py`.",
        "",
    ]
    folder = SRC / "zyklus" / "messages"
    import yaml

    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        codes = [k for k in data if CODE.match(k)]
        if not codes:
            continue
        lines += [f"## {path.stem}", "", "| code | en | de |", "| --- | --- | --- |"]
        for code in codes:
            en = data[code]["en"].replace("|", "\\|")
            de = data[code]["de"].replace("|", "\\|")
            lines.append(f"| `{code}` | {en} | {de} |")
        lines.append("")
    return "\n".join(lines)


def test_docs_codes_is_current() -> None:
    target: Path = REPO / "docs" / "codes.md"
    expected = codes_markdown()
    if os.environ.get("ZYKLUS_UPDATE_DOCS"):
        target.write_text(expected, encoding="utf-8")
    assert target.read_text(encoding="utf-8") == expected, (
        "docs/codes.md is stale: run ZYKLUS_UPDATE_DOCS=1 pytest tests/test_i18n.py"
    )


def test_one_formatter_for_values_and_units() -> None:
    from zyklus.i18n import format_quantity

    assert format_quantity(12.14, "%", "de") == "12,1 %"
    assert format_quantity(12.14, " % ", "en") == "12.1%"
    assert format_quantity(16797, "Personen", "de") == "16.797 Personen"
    assert format_quantity(9.5, "", "en") == "9.5"
    assert format_quantity(9.5, None, "de") == "9,5"
    assert format_quantity(3, "EUR", "en", 2) == "3.00 EUR"


def _references() -> tuple[set[str], set[str]]:
    """Strings of the package and its templates, and the prefixes of ids built at run
    time (``f"report-phase-{phase}"``, ``'report-phase-' ~ phase``)."""
    import ast
    import re

    from helpers import REPO, SRC

    strings: set[str] = set()
    prefixes: set[str] = set()
    for path in (SRC / "zyklus").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    prefixes.add(first.value)
    for path in (REPO / "templates").iterdir():
        text = path.read_text(encoding="utf-8")
        strings.update(re.findall(r"""["']([A-Za-z][\w-]*)["']""", text))
        prefixes.update(re.findall(r"""["']([A-Za-z][\w-]*-)["']\s*~""", text))
    # a family, not a word: at least two parts (``report-phase-``, not ``report-``), or a
    # problem-code domain built from a kind (``f"M-{kind.upper()}"``)
    return strings, {
        p
        for p in prefixes
        if p.endswith("-") and (p.count("-") >= 2 or re.fullmatch(r"[A-Z]+-", p))
    }


def test_every_catalog_id_is_used() -> None:
    """No dead message ids (issue 13): each is written in the code or the templates, built
    from a family prefix, or is the ``-HINT`` twin of a used id (see suggest.unknown)."""
    strings, prefixes = _references()
    ids = set(catalog())
    assert len(ids) > 400

    def used(msg_id: str) -> bool:
        base = msg_id.removesuffix("-HINT")
        return base in strings or any(base.startswith(p) for p in prefixes)

    assert sorted(i for i in ids if not used(i)) == []


def _placeholders(template: str) -> set[str]:
    import string

    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


class _Sample:
    """A parameter value that renders as ``«x»`` under any format spec (``:plural:``)."""

    def __format__(self, spec: str) -> str:
        return "«x»"


def test_plural_forms_follow_the_number() -> None:
    assert message("validate-summary", "de", files=1, errors=1, warnings=1) == (
        "1 Datei geprüft: 1 Fehler, 1 Warnung"
    )
    assert message("validate-summary", "en", files=2, errors=1, warnings=0) == (
        "2 files checked: 1 error, 0 warnings"
    )


def test_every_message_renders_with_all_placeholders_filled() -> None:
    """Each id, in both languages, with a sample for each of its parameters: no raw ``{``.

    With the tests' strict mode (conftest) a caller that forgets a parameter fails too, so
    ``Projekt „{id}“ gibt es schon ({path})`` cannot reach a user again (issue 12).
    """
    leftovers = []
    for msg_id, texts in i18n.catalog().items():
        assert set(texts) == {"de", "en"}, msg_id
        names = _placeholders(texts["de"])
        assert names == _placeholders(texts["en"]), f"{msg_id}: de and en differ in parameters"
        assert all(name.isidentifier() for name in names), f"{msg_id}: {names}"
        for lang in ("de", "en"):
            text = message(msg_id, lang, **dict.fromkeys(names, _Sample()))
            # literal braces (``{{value: 3,5}}`` in the catalog) are text; any other is raw
            literal = texts[lang].count("{{")
            if text.count("{") != literal or text.count("«x»") < len(names):
                leftovers.append((msg_id, lang, text))
    assert leftovers == []


def test_a_missing_parameter_fails_in_the_tests() -> None:
    with pytest.raises(KeyError):
        message("P-ID-TAKEN", "de")
