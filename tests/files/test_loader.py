"""The strict YAML loader: one fixture per trap, exact code and line, both parsers (issue 3).

Every fixture in ``tests/fixtures/loader/`` is a small, realistic project card that walks
into one of YAML's traps. Each is loaded with libyaml (``pure=False``) and with PyYAML's
pure-Python parser (``pure=True``); both must give the same data or the same problems,
down to line and column, so a planner's machine without libyaml sees what CI sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zyklus import models
from zyklus.errors import LoadError, Problem
from zyklus.files import loader
from zyklus.files.located import validate_document

FIXTURES = Path(__file__).parent / "fixtures" / "loader"
PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]


@dataclass(frozen=True)
class Trap:
    """What a fixture must produce: problems at the loader ("load") or the schema stage."""

    stage: str
    code: str
    line: int | None
    col: int | None
    params: dict[str, Any] = field(default_factory=dict)
    key_path: tuple[str | int, ...] = ()


TRAPS: dict[str, Trap] = {
    "duplicate-key.yaml": Trap("load", "Y-DUPKEY", 10, 1, {"key": "title", "first": 4}),
    "duplicate-key-nested.yaml": Trap("load", "Y-DUPKEY", 9, 5, {"key": "statement", "first": 7}),
    "ambiguous-thousands.yaml": Trap(
        "schema",
        "S-AMBIGUOUS-NUMBER",
        7,
        15,
        {"text": "12.500", "readings": "12500 | 12.5"},
        ("resources", "budget_eur"),
    ),
    "ambiguous-comma.yaml": Trap(
        "schema",
        "S-AMBIGUOUS-NUMBER",
        6,
        14,
        {"text": "1,5", "readings": "1.5"},
        ("resources", "staff_fte"),
    ),
    "invalid-month.yaml": Trap("load", "Y-DATE", 8, 10, {"text": "2025-13-01"}),
    "invalid-day.yaml": Trap("load", "Y-DATE", 8, 10, {"text": "2025-02-30"}),
    "german-date.yaml": Trap(
        "schema",
        "S-DATE-FORMAT",
        8,
        62,
        {"text": "31.12.2023"},
        ("needs", 0, "evidence", 0, "period"),
    ),
    "tag-python.yaml": Trap("load", "Y-TAG", 2, 8, {"tag": "!!python/object/apply:os.system"}),
    "tag-custom.yaml": Trap("load", "Y-TAG", 6, 15, {"tag": "!eur"}),
    "merge-key.yaml": Trap("load", "Y-MERGE", 7, 5),
    "multi-document.yaml": Trap("load", "Y-MULTIDOC", 5, 1),
    # 65th nested list: the card's mapping plus 63 lists fill the 64 levels allowed
    "too-deep.yaml": Trap("load", "Y-DEPTH", 5, 72, {"limit": loader.MAX_DEPTH}),
    # the first *d on line 11 pushes the nodes reached through aliases past 10 000
    "alias-bomb.yaml": Trap("load", "Y-ALIASES", 11, 9, {"limit": loader.MAX_ALIASES}),
    "number-too-long.yaml": Trap(
        "load", "Y-NUMBER-TOO-LONG", 6, 15, {"limit": loader.MAX_NUMBER_DIGITS}
    ),
    # 'Bürgerzentrum' in Latin-1: ü is the single byte 0xFC
    "latin1.yaml": Trap("load", "Y-ENCODING", 3, 21, {"byte": "0xFC", "offset": 98}),
    # '„Offene Türen“' in cp1252: „ is the single byte 0x84
    "cp1252.yaml": Trap("load", "Y-ENCODING", 5, 31, {"byte": "0x84", "offset": 142}),
}


def outcome(path: Path, *, pure: bool, **kwargs: Any) -> tuple[str, Any]:
    """("data", card data) when the file loads and validates, else the problems."""
    try:
        doc = loader.load_file(path, path.name, pure=pure, **kwargs)
    except LoadError as exc:
        return "load", [_located(p) for p in exc.problems]
    try:
        validate_document(doc, models.Card)
    except LoadError as exc:
        return "schema", [_located(p) for p in exc.problems]
    return "data", doc.data


def _located(problem: Problem) -> tuple[Any, ...]:
    return (problem.code, problem.path, problem.line, problem.col, problem.key_path)


def load_error(path: Path, *, pure: bool, **kwargs: Any) -> Problem:
    with pytest.raises(LoadError) as info:
        loader.load_file(path, path.name, pure=pure, **kwargs)
    assert len(info.value.problems) == 1
    return info.value.problems[0]


def schema_error(path: Path, *, pure: bool) -> Problem:
    doc = loader.load_file(path, path.name, pure=pure)
    with pytest.raises(LoadError) as info:
        validate_document(doc, models.Card)
    assert len(info.value.problems) == 1
    return info.value.problems[0]


def load_card(name: str, *, pure: bool) -> models.Card:
    path = FIXTURES / name
    return validate_document(loader.load_file(path, name, pure=pure), models.Card)


# --- one fixture per trap: exact code, line, column --------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("name", sorted(TRAPS))
def test_trap_gives_exact_code_and_line(name: str, pure: bool) -> None:
    trap = TRAPS[name]
    path = FIXTURES / name
    problem = load_error(path, pure=pure) if trap.stage == "load" else schema_error(path, pure=pure)
    assert (problem.code, problem.line, problem.col) == (trap.code, trap.line, trap.col)
    assert problem.path == name
    assert dict(problem.params) == trap.params
    assert problem.key_path == trap.key_path
    assert problem.severity == "error"


ALL_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.yaml"))


def test_every_fixture_is_covered() -> None:
    """A fixture without expectations would prove nothing."""
    checked_elsewhere = {
        "yaml11-booleans.yaml",
        "leading-zero-id.yaml",
        "sexagesimal.yaml",
        "utf8-bom.yaml",
        "too-large.yaml",
    }
    assert set(ALL_FIXTURES) == set(TRAPS) | checked_elsewhere


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_both_parsers_agree(name: str) -> None:
    """libyaml and the pure-Python parser: identical data, or identical problems."""
    path = FIXTURES / name
    assert outcome(path, pure=False) == outcome(path, pure=True)


@pytest.mark.skipif(not loader.libyaml_available(), reason="PyYAML built without libyaml")
def test_libyaml_is_really_used() -> None:
    """Otherwise the agreement tests above would compare the pure parser with itself."""
    assert loader.load_text("a: 1\n", "x.yaml", pure=False).pure is False
    assert loader.load_text("a: 1\n", "x.yaml", pure=True).pure is True


# --- messages name what the planner must fix ---------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_duplicate_key_names_both_lines(pure: bool) -> None:
    problem = load_error(FIXTURES / "duplicate-key.yaml", pure=pure)
    text = problem.render("en")
    assert text.startswith("duplicate-key.yaml:10:1: Y-DUPKEY duplicate key 'title'")
    assert "(first at line 4)" in text
    assert "(zuerst in Zeile 4)" in problem.render("de")


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("name", "where", "byte"),
    [("latin1.yaml", "latin1.yaml:3:21", "0xFC"), ("cp1252.yaml", "cp1252.yaml:5:31", "0x84")],
)
def test_encoding_error_names_byte_and_position(
    name: str, where: str, byte: str, pure: bool
) -> None:
    problem = load_error(FIXTURES / name, pure=pure)
    text = problem.render("en")
    assert text.startswith(f"{where}: Y-ENCODING byte {byte} at offset ")
    assert "UTF-8" in problem.render("de")


@pytest.mark.parametrize("pure", PARSERS)
def test_tag_is_never_executed(pure: bool, capfd: pytest.CaptureFixture[str]) -> None:
    """``!!python/object/apply:os.system`` would run a shell command with yaml.unsafe_load."""
    load_error(FIXTURES / "tag-python.yaml", pure=pure)
    assert "zyklus-was-tricked" not in capfd.readouterr().out


# --- YAML 1.1 surprises stay strings where a string is expected ---------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_yes_no_on_off_stay_strings(pure: bool) -> None:
    card = load_card("yaml11-booleans.yaml", pure=pure)
    assert card.areas == ["no", "on"]
    assert card.themes == ["yes", "off"]
    assert card.actors == ["y", "n"]
    assert card.duration == "no"


@pytest.mark.parametrize("pure", PARSERS)
def test_leading_zero_stays_an_id(pure: bool) -> None:
    card = load_card("leading-zero-id.yaml", pure=pure)
    assert card.areas == ["01234"]
    assert card.goals[0].area == "0554"


@pytest.mark.parametrize("pure", PARSERS)
def test_time_is_not_sexagesimal(pure: bool) -> None:
    card = load_card("sexagesimal.yaml", pure=pure)
    assert card.duration == "1:30"
    assert card.resources.notes == "1:30"


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", "no"),
        ("Yes", "Yes"),
        ("ON", "ON"),
        ("y", "y"),
        ("01234", "01234"),
        ("0o17", "0o17"),
        ("0x1F", "0x1F"),
        ("1:30", "1:30"),
        ("1_000", "1_000"),
        (".inf", ".inf"),
        ("12.500", "12.500"),
        ("1,5", "1,5"),
        ("31.12.2023", "31.12.2023"),
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("1234", 1234),
        ("-0", 0),
        ("0.15", 0.15),
        ("true", True),
        ("~", None),
    ],
)
def test_scalar_resolution(text: str, expected: Any, pure: bool) -> None:
    value = loader.load_text(f"x: {text}\n", "x.yaml", pure=pure).data["x"]
    assert value == expected
    assert type(value) is type(expected) or isinstance(value, loader.AmbiguousNumber)


@pytest.mark.parametrize("pure", PARSERS)
def test_thousands_separator_is_marked_ambiguous(pure: bool) -> None:
    value = loader.load_text("x: 12.500\n", "x.yaml", pure=pure).data["x"]
    assert isinstance(value, loader.AmbiguousNumber)


# --- size, BOM ---------------------------------------------------------------------------


@pytest.mark.parametrize("pure", PARSERS)
def test_size_cap_refuses_before_parsing(pure: bool) -> None:
    path = FIXTURES / "too-large.yaml"
    size = path.stat().st_size
    problem = load_error(path, pure=pure, max_bytes=size - 1)
    assert (problem.code, problem.line, problem.col) == ("Y-TOO-LARGE", None, None)
    assert dict(problem.params) == {"limit": size - 1}
    # one byte more and the same card loads: the cap is exact
    assert loader.load_file(path, pure=pure, max_bytes=size).data["id"] == "jobcenter-im-quartier"


@pytest.mark.parametrize("reported", [0, 10, None])
def test_size_cap_holds_when_the_file_says_a_wrong_size(
    reported: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The buffer follows the file's size (issue 21); a file longer than that is read on."""
    import os

    path = tmp_path / "karte.yaml"
    path.write_text("id: x\nnote: " + "a" * 200 + "\n", encoding="utf-8")
    size = path.stat().st_size
    real_fstat = os.fstat

    class Lying:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode = info.st_mode
            self.st_size = info.st_size if reported is None else reported

    monkeypatch.setattr(loader.os, "fstat", lambda fd: Lying(real_fstat(fd)))
    assert loader.read_text_bounded(path, "karte.yaml", size).endswith("a\n")
    with pytest.raises(LoadError) as caught:
        loader.read_text_bounded(path, "karte.yaml", size - 1)
    assert caught.value.problems[0].code == "Y-TOO-LARGE"


def test_size_cap_default_is_one_mebibyte() -> None:
    assert loader.MAX_BYTES == 1 << 20


@pytest.mark.parametrize("pure", PARSERS)
def test_utf8_bom_is_accepted(pure: bool, tmp_path: Path) -> None:
    with_bom = FIXTURES / "utf8-bom.yaml"
    raw = with_bom.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    without = tmp_path / "plain.yaml"
    without.write_bytes(raw[3:])
    card = load_card("utf8-bom.yaml", pure=pure)
    assert card.id == "jobcenter-im-quartier"  # not '\ufeffid'
    assert loader.load_file(with_bom, pure=pure).data == loader.load_file(without, pure=pure).data


# --- both parsers, on random documents ----------------------------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False)
    | st.dates()
    | st.text(max_size=30)
)
_KEYS = st.text(max_size=12)
DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(_KEYS, inner, max_size=5),
    max_leaves=25,
)


def _parse(text: str, pure: bool) -> tuple[str, Any]:
    try:
        return "data", loader.load_text(text, "x.yaml", pure=pure).data
    except LoadError as exc:
        return "problems", [(p.code, p.line, p.col, dict(p.params)) for p in exc.problems]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=DOCUMENTS, flow=st.booleans())
def test_parsers_agree_on_random_documents(data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, sort_keys=False)
    assert _parse(text, pure=False) == _parse(text, pure=True)


@settings(max_examples=100, deadline=None)
@given(
    data=st.dictionaries(
        st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
        st.lists(st.from_regex(r"[A-Za-zäöüß ]{1,20}", fullmatch=True), max_size=4)
        | st.integers(min_value=-(10**12), max_value=10**12)
        | st.dates(),
        max_size=6,
    )
)
def test_plain_card_data_round_trips(data: dict[str, Any]) -> None:
    """For what cards hold (words, whole numbers, dates) we read what safe_dump wrote."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for pure in (False, True):
        assert loader.load_text(text, "x.yaml", pure=pure).data == data


# --- lone surrogates: what a non-UTF-8 terminal puts into a command-line argument --------


@pytest.mark.parametrize("pure", PARSERS)
def test_raw_lone_surrogate_is_a_located_syntax_error(pure: bool) -> None:
    """Text made from ``--note $'caf\\xe9'`` holds '\\udce9'; libyaml cannot even encode it."""
    with pytest.raises(LoadError) as info:
        loader.load_text('a: 1\ntitle: "Caf\udce9"\n', "x.yaml", pure=pure)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("Y-SYNTAX", 2, 12)


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize("escape", ["\\ud800", "\\udce9", "\\uDFFF"])
def test_escaped_lone_surrogate_is_refused_by_both_parsers(escape: str, pure: bool) -> None:
    """libyaml refuses ``"\\udce9"``; the pure parser read it, so a file written on a machine
    without libyaml could not be read in CI. Now both refuse it on the same line."""
    with pytest.raises(LoadError) as info:
        loader.load_text(f'id: x\nnote: "caf{escape}"\n', "x.yaml", pure=pure)
    (problem,) = info.value.problems
    assert (problem.code, problem.line) == ("Y-SYNTAX", 2)


def test_escaped_characters_outside_the_surrogates_still_load() -> None:
    for pure in (False, True):
        data = loader.load_text('x: "\\u00e4 \\U0001F600 \\ue000"\n', "x.yaml", pure=pure).data
        assert data == {"x": "ä 😀 \ue000"}


# --- libyaml's own nesting limit (issue 12) -----------------------------------------------

DEEP_FLOW = "id: karte\nthemes: " + "[" * 2000 + "x" + "]" * 2000 + "\n"


@pytest.mark.parametrize("pure", PARSERS)
def test_deep_flow_sequence_is_y_depth_at_our_limit(pure: bool) -> None:
    """libyaml 0.2.6 stops at 1 000 ``[`` with raw English; we name our own limit, located."""
    with pytest.raises(LoadError) as info:
        loader.load_text(DEEP_FLOW, "karte.yaml", pure=pure)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("Y-DEPTH", 2, 9 + loader.MAX_DEPTH - 1)
    assert problem.params == {"limit": loader.MAX_DEPTH}


class _NestingLimitParser:
    """Stands in for libyaml 0.2.6 on any installed release: fails as it does, at level 1 000."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get_event(self) -> Any:
        mark = yaml.Mark("karte.yaml", 0, 1, 1008, None, None)
        raise yaml.scanner.ScannerError(
            None, None, "while increasing flow level exceeded maximum nesting depth", mark
        )

    def dispose(self) -> None:
        pass


def test_libyaml_nesting_limit_gives_the_pure_parsers_location(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loader, "_C_PARSER", _NestingLimitParser)
    with pytest.raises(LoadError) as info:
        loader.load_text(DEEP_FLOW, "karte.yaml", pure=False)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("Y-DEPTH", 2, 9 + loader.MAX_DEPTH - 1)


def test_libyaml_nesting_limit_on_a_file_the_pure_parser_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should libyaml ever count deeper than the pure parser: still Y-DEPTH, at its mark."""
    monkeypatch.setattr(loader, "_C_PARSER", _NestingLimitParser)
    with pytest.raises(LoadError) as info:
        loader.load_text("id: karte\n", "karte.yaml", pure=False)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == ("Y-DEPTH", 2, 1009)


@pytest.mark.parametrize("pure", PARSERS)
def test_conflict_markers_are_an_unresolved_merge_even_inside_a_block_scalar(pure: bool) -> None:
    """Git's markers at the start of a line are an unresolved merge, not a syntax error;
    indented inside a block scalar they are text (issue 19)."""
    text = "id: a\ndescription: |\n<<<<<<< HEAD\n  ours\n=======\n  theirs\n>>>>>>> main\n"
    text = text.replace("\n<<<", "\n  <<<").replace("\n===", "\n  ===").replace("\n>>>", "\n  >>>")
    loader.load_text(text, "projects/a.yaml", pure=pure)  # indented: text, not a marker
    raw = "id: a\n<<<<<<< HEAD\ntitle: A\n=======\ntitle: B\n>>>>>>> main\n"
    with pytest.raises(LoadError) as caught:
        loader.load_text(raw, "projects/a.yaml", pure=pure)
    problem = caught.value.problems[0]
    assert (problem.code, problem.line, problem.col) == ("Y-CONFLICT", 2, 1)


# Flow-style documents with anchors and aliases: what the loop without marks decides on
# its own (issue 21). Entry i is anchored &ai (or re-anchors an earlier name) and its
# aliases name the entries before it, so that aliases pile up to their limits; with
# ``tricky`` keys also repeat, merge (<<) or are aliases and collections themselves.
_WORDS = st.sampled_from(["x", "1", "-2.5", "2027-01-31", "12.500", "''", "~", "no"])
_KEYS = st.sampled_from(["a", "b", "c", "1", "'<<'"])


def _nodes(aliases: st.SearchStrategy[str], *, tricky: bool) -> st.SearchStrategy[str]:
    anchor = st.sampled_from(["", "", "&in "])

    def mapping(inner: st.SearchStrategy[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
        if tricky:
            keys = st.one_of(_KEYS, st.just("<<"), aliases, inner)
            return st.lists(st.tuples(keys, inner), max_size=3)
        return st.lists(st.tuples(_KEYS, inner), max_size=4, unique_by=lambda kv: kv[0])

    return st.recursive(
        _WORDS | aliases,
        lambda inner: (
            st.builds(lambda a, xs: f"{a}[{', '.join(xs)}]", anchor, st.lists(inner))
            | st.builds(
                lambda a, kv: a + "{" + ", ".join(f"{k} : {v}" for k, v in kv) + "}",
                anchor,
                mapping(inner),
            )
        ),
        max_leaves=12,
    )


# the nodes of entry i, built once: its aliases name the entries before it
_ENTRIES = {
    (i, tricky): _nodes(
        st.sampled_from([f"*a{j}" for j in range(i) for _ in range(8)] + ["*in", "*none"])
        if i
        else _WORDS,
        tricky=tricky,
    )
    for i in range(8)
    for tricky in (False, True)
}


@st.composite
def _anchored(draw: st.DrawFn) -> str:
    tricky = draw(st.booleans())
    lines = []
    for i in range(draw(st.integers(1, 8))):
        anchor = draw(st.sampled_from([f"&a{i} ", f"&a{i} ", f"&a{max(i - 1, 0)} ", ""]))
        node = draw(_ENTRIES[i, tricky])
        if anchor and node.startswith("&in "):
            node = node[len("&in ") :]
        if node.startswith("*"):  # an alias has no anchor of its own
            anchor = ""
        lines.append(f"k{i}: {anchor}{node}\n")
    return "".join(lines)


def _outcome(text: str, *, pure: bool, record: bool) -> Any:
    try:
        return ("ok", loader._Builder("t.yaml", record=record).run(text, pure=pure))
    except LoadError as exc:
        return [(p.code, p.line, p.col, p.params) for p in exc.problems]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_anchored(), pure=st.booleans())
def test_the_loop_without_marks_counts_aliases_as_the_one_with(text: str, pure: bool) -> None:
    """Anchors, aliases and their limits (set low here, so that they are reached), merge
    keys, complex and repeated keys: the same data or the same problem from both loops."""
    limits = loader.MAX_ALIASES, loader.MAX_ALIAS_NODES
    loader.MAX_ALIASES, loader.MAX_ALIAS_NODES = 6, 15
    try:
        fast = _outcome(text, pure=pure, record=False)
        marked = _outcome(text, pure=pure, record=True)
    finally:
        loader.MAX_ALIASES, loader.MAX_ALIAS_NODES = limits
    assert fast == marked
