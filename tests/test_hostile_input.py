"""Every file is untrusted: hostile and careless input ends in a located error (issue 8).

Cards arrive through merge requests from many hands. Whatever a file holds — an alias
bomb, ten thousand brackets, a 20 MB paste, Latin-1 bytes, a Python tag — ``zyklus
validate`` answers with ``path:line:col: CODE message`` and exit 1, quickly, in little
memory, never with a traceback, and the same with libyaml and without it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import ZYKLUS, build_file_tree, subprocess_env
from zyklus import models
from zyklus.cli import app
from zyklus.errors import LoadError
from zyklus.files import loader
from zyklus.files.workspace import Workspace

FIXTURES = Path(__file__).parent / "files" / "fixtures" / "loader"
PARSERS = [pytest.param(False, id="libyaml"), pytest.param(True, id="pure")]
PROBLEM_LINE = re.compile(r"^[^:\n]+(:\d+(:\d+)?)?: [A-Z][A-Z0-9]*(-[A-Z0-9]+)+ \S")
SUMMARY_LINE = re.compile(r"^\d+ (files? checked|Dateie?n? geprüft): \d+ (errors?|Fehler), \d+ ")
CARD = """\
id: {id}
title: Jobcenter im Quartier
areas: [querenburg]
target_groups: [langzeitarbeitslose]
"""


def validate(runner: CliRunner, ws: Path, *args: str) -> tuple[int, list[str]]:
    """Run ``zyklus validate`` in-process; a traceback would raise out of here."""
    result = runner.invoke(
        app, ["validate", "--lang", "en", "--workspace", str(ws), *args], catch_exceptions=False
    )
    lines = result.stderr.splitlines()
    assert_clean(lines)
    return result.exit_code, [line for line in lines if not SUMMARY_LINE.match(line)]


def assert_clean(lines: list[str]) -> None:
    """Every line is a located problem or the summary: no traceback, no stray text."""
    for line in lines:
        assert PROBLEM_LINE.match(line) or SUMMARY_LINE.match(line), line


def add_card(ws: Path, name: str, content: str | bytes) -> str:
    build_file_tree(ws, {f"projects/{name}.yaml": content})
    return f"projects/{name}.yaml"


def copy_fixture(ws: Path, fixture: str, name: str = "karte") -> str:
    return add_card(ws, name, (FIXTURES / fixture).read_bytes())


# --- 1. alias bomb ------------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    [
        "# „Billion laughs“: 9 Listen mit je 9 Verweisen auf die vorige, ausgeschrieben 9^9",
        "id: karte",
        "title: Jobcenter im Quartier",
        "areas: [querenburg]",
        "target_groups: [langzeitarbeitslose]",
        'actors: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{name}: &{name} [{','.join([f'*{prev}'] * 9)}]"
            for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "",
    ]
)


def test_billion_laughs_card_is_small() -> None:
    assert 450 < len(BILLION_LAUGHS.encode()) < 700
    # fully expanded it would hold 9**9 = 387 420 489 strings
    assert BILLION_LAUGHS.count("*") == 8 * 9


@pytest.mark.parametrize("pure", PARSERS)
def test_alias_bomb_is_refused_fast_and_small(pure: bool) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(LoadError) as info:
            loader.load_text(BILLION_LAUGHS, "projects/karte.yaml", pure=pure)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = info.value.problems
    assert (problem.code, problem.line) == ("Y-ALIASES", 10)
    assert elapsed < 1.0
    assert peak < 20 * 2**20


def test_alias_bomb_through_validate(runner: CliRunner, workspace: Path) -> None:
    add_card(workspace, "karte", BILLION_LAUGHS)
    started = time.perf_counter()
    code, lines = validate(runner, workspace)
    assert time.perf_counter() - started < 5.0
    assert code == 1
    assert lines[0].startswith("projects/karte.yaml:10:")
    assert " Y-ALIASES " in lines[0]


# --- 2.–6. the loader traps, through the command a pre-commit hook runs ------------------

TRAP_LINES = {
    "duplicate-key.yaml": "projects/karte.yaml:10:1: Y-DUPKEY duplicate key 'title' (first at line 4)",
    "invalid-month.yaml": "projects/karte.yaml:8:10: Y-DATE '2025-13-01' is not a valid date",
    "invalid-day.yaml": "projects/karte.yaml:8:10: Y-DATE '2025-02-30' is not a valid date",
    "german-date.yaml": "projects/karte.yaml:8:62: S-DATE-FORMAT '31.12.2023' is not a date of the form YYYY-MM-DD",
    "ambiguous-thousands.yaml": "projects/karte.yaml:7:15: S-AMBIGUOUS-NUMBER '12.500' is ambiguous",
    "ambiguous-comma.yaml": "projects/karte.yaml:6:14: S-AMBIGUOUS-NUMBER '1,5' is ambiguous",
    "latin1.yaml": "projects/karte.yaml:3:21: Y-ENCODING byte 0xFC at offset 98 is not UTF-8",
    "cp1252.yaml": "projects/karte.yaml:5:31: Y-ENCODING byte 0x84 at offset 142 is not UTF-8",
    "tag-python.yaml": "projects/karte.yaml:2:8: Y-TAG YAML tag !!python/object/apply:os.system is not allowed",
    "tag-custom.yaml": "projects/karte.yaml:6:15: Y-TAG YAML tag !eur is not allowed",
    "merge-key.yaml": "projects/karte.yaml:7:5: Y-MERGE merge key '<<' is not allowed",
    "multi-document.yaml": "projects/karte.yaml:5:1: Y-MULTIDOC several YAML documents in one file",
}


@pytest.mark.parametrize("pure_env", ["0", "1"], ids=["libyaml", "pure"])
@pytest.mark.parametrize("fixture", sorted(TRAP_LINES))
def test_trap_through_validate(
    fixture: str,
    pure_env: str,
    runner: CliRunner,
    workspace: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ZYKLUS_PURE_YAML", pure_env)
    copy_fixture(workspace, fixture)
    code, lines = validate(runner, workspace, str(workspace / "projects/karte.yaml"))
    assert code == 1
    assert lines[0].startswith(TRAP_LINES[fixture]), lines


@pytest.mark.parametrize("fixture", sorted(TRAP_LINES))
def test_trap_output_is_identical_with_and_without_libyaml(
    fixture: str, runner: CliRunner, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_fixture(workspace, fixture)
    outputs = []
    for pure_env in ("0", "1"):
        monkeypatch.setenv("ZYKLUS_PURE_YAML", pure_env)
        result = runner.invoke(
            app, ["validate", "--lang", "de", "--workspace", str(workspace)], catch_exceptions=False
        )
        outputs.append((result.exit_code, result.stdout, result.stderr))
    assert outputs[0] == outputs[1]


def test_german_numbers_in_cycle_actuals_are_refused(runner: CliRunner, workspace: Path) -> None:
    build_file_tree(
        workspace,
        {
            "cycles/2027.yaml": """\
                cycle: 2027
                opened: 2027-01-15T10:00:00+01:00
                projects:
                  jobcenter-im-quartier:
                    phase: implementation
                    actuals:
                      - {goal: G1, value: 1.250, date: 2027-06-30}
                      - goal: G1
                        value: 3,5
                        date: 2027-09-30
                """
        },
    )
    code, lines = validate(runner, workspace, str(workspace / "cycles/2027.yaml"))
    assert code == 1
    assert lines[0].startswith("cycles/2027.yaml:7:27: S-AMBIGUOUS-NUMBER '1.250'")
    assert lines[1].startswith("cycles/2027.yaml:9:16: S-AMBIGUOUS-NUMBER '3,5'")


def test_yaml11_surprises_stay_strings_in_string_fields(runner: CliRunner, workspace: Path) -> None:
    """An area called ``no``, a district ``01234``, a duration ``1:30``: all text, all valid."""
    build_file_tree(
        workspace,
        {
            "data/areas.csv": (
                "id,name,level,parent\nstadt,Stadt,stadt,\nno,Nord-Ost,stadtbezirk,stadt\n"
                "01234,Distrikt 01234,ba-distrikt,no\n"
            ),
            "projects/jobcenter-im-quartier.yaml": """\
                id: jobcenter-im-quartier
                title: Jobcenter im Quartier
                areas: [no, 01234]
                target_groups: [langzeitarbeitslose]
                themes: [on, off, yes]
                duration: 1:30
                actors: [y, n]
                """,
        },
    )
    code, lines = validate(runner, workspace)
    assert (code, lines) == (0, [])
    card = Workspace(workspace).card("jobcenter-im-quartier")
    assert card.areas == ["no", "01234"]
    assert card.themes == ["on", "off", "yes"]
    assert card.duration == "1:30"
    assert card.actors == ["y", "n"]


def test_utf8_bom_card_is_valid(runner: CliRunner, workspace: Path) -> None:
    text = CARD.format(id="jobcenter-im-quartier")
    add_card(workspace, "jobcenter-im-quartier", b"\xef\xbb\xbf" + text.encode())
    assert validate(runner, workspace) == (0, [])


def test_utf16_card_is_refused_at_its_first_byte(runner: CliRunner, workspace: Path) -> None:
    add_card(workspace, "karte", CARD.format(id="karte").encode("utf-16"))
    code, lines = validate(runner, workspace)
    assert code == 1
    assert lines[0].startswith("projects/karte.yaml:1:1: Y-ENCODING byte 0xFF at offset 0 ")


# --- 7. deep, long, large: refused at once -----------------------------------------------

DEPTH = 10_000


def _flow_nesting() -> str:
    return CARD.format(id="karte") + "themes: " + "[" * DEPTH + "x" + "]" * DEPTH + "\n"


def _flow_mapping_nesting() -> str:
    return CARD.format(id="karte") + "resources: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n"


def _block_nesting() -> str:
    """``- - - - x``: block sequences nest on one line, 10 000 levels in 20 KB."""
    return CARD.format(id="karte") + "themes:\n" + "- " * DEPTH + "x\n"


def _indented_nesting() -> str:
    """Indented block mappings: 1 000 levels still fit in the size cap, so depth must stop them."""
    lines = [" " * level + "a:" for level in range(1000)]
    return (
        CARD.format(id="karte") + "resources:\n" + "\n".join(" " + line for line in lines) + " 1\n"
    )


def _long_integer() -> str:
    return CARD.format(id="karte") + "resources:\n  budget_eur: " + "9" * 5000 + "\n"


HUGE: dict[str, tuple[str, str]] = {
    "flow-10000": ("projects/karte.yaml:5:72: Y-DEPTH", "flow"),
    "flow-mapping-10000": ("projects/karte.yaml:5:264: Y-DEPTH", "flow-mapping"),
    "block-10000": ("projects/karte.yaml:6:127: Y-DEPTH", "block"),
    "indented-1000": ("projects/karte.yaml:69:65: Y-DEPTH", "indented"),
    "integer-5000-digits": ("projects/karte.yaml:6:15: Y-NUMBER-TOO-LONG", "integer"),
    "file-20MB": ("projects/karte.yaml: Y-TOO-LARGE", "large"),
}


def _huge(kind: str, path: Path) -> None:
    if kind == "large":
        with path.open("w", encoding="utf-8") as stream:
            stream.write(CARD.format(id="karte") + "description: |\n")
            line = "  " + "Beratung im Quartier. " * 4 + "\n"
            stream.write(line * (20 * 2**20 // len(line) + 1))
        return
    text = {
        "flow": _flow_nesting,
        "flow-mapping": _flow_mapping_nesting,
        "block": _block_nesting,
        "indented": _indented_nesting,
        "integer": _long_integer,
    }[kind]()
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("case", sorted(HUGE))
def test_huge_input_is_refused_in_process(case: str, runner: CliRunner, workspace: Path) -> None:
    expected, kind = HUGE[case]
    _huge(kind, workspace / "projects" / "karte.yaml")
    started = time.perf_counter()
    code, lines = validate(runner, workspace)  # a RecursionError would propagate here
    assert time.perf_counter() - started < 5.0
    assert code == 1
    assert lines[0].startswith(expected), lines[0]


@pytest.mark.parametrize("case", sorted(HUGE))
def test_huge_input_is_refused_by_the_installed_command(case: str, workspace: Path) -> None:
    expected, kind = HUGE[case]
    _huge(kind, workspace / "projects" / "karte.yaml")
    for pure_env in ("0", "1"):
        env = subprocess_env() | {"ZYKLUS_PURE_YAML": pure_env}
        result = subprocess.run(
            [*ZYKLUS, "validate", "--lang", "en", "-C", str(workspace)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert_clean(lines)
        assert lines[0].startswith(expected), lines[0]


def test_the_recursion_limit_is_never_needed() -> None:
    """The builder keeps its own stack: parsing works at a recursion limit of 100."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(100, len(_stack_depth()) + 60))
    try:
        for pure in (False, True):
            with pytest.raises(LoadError) as info:
                loader.load_text(_flow_nesting(), "x.yaml", pure=pure)
            assert info.value.problems[0].code == "Y-DEPTH"
    finally:
        sys.setrecursionlimit(old)


def _stack_depth() -> list[object]:
    import inspect

    return list(inspect.stack(0))


# --- 8. tags, merge keys, several documents: refused, the same with both parsers ---------


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("text", "code", "line", "col"),
    [
        ('x: !!python/object/apply:os.system ["true"]\n', "Y-TAG", 1, 4),
        ("x: !!python/name:os.system\n", "Y-TAG", 1, 4),
        ("x: !!binary aGVsbG8=\n", "Y-TAG", 1, 4),
        ("x: !!str 12\n", "Y-TAG", 1, 4),
        ("x: !custom {a: 1}\n", "Y-TAG", 1, 4),
        ("x: !<tag:example.com,2000:app/foo> 1\n", "Y-TAG", 1, 4),
        ("%TAG !e! tag:example.com,2000:\n---\nx: !e!foo 1\n", "Y-TAG", 3, 4),
        ("- !!set {a, b}\n", "Y-TAG", 1, 3),
        ("base: &b {a: 1}\nx:\n  <<: *b\n", "Y-MERGE", 3, 3),
        ("x:\n  <<: [{a: 1}]\n", "Y-MERGE", 2, 3),
        ("a: 1\n---\na: 2\n", "Y-MULTIDOC", 2, 1),
        ("a: 1\n...\n---\na: 2\n", "Y-MULTIDOC", 3, 1),
        ("--- a\n--- b\n", "Y-MULTIDOC", 2, 1),
    ],
)
def test_tags_merge_keys_and_documents_are_refused(
    text: str, code: str, line: int, col: int, pure: bool
) -> None:
    with pytest.raises(LoadError) as info:
        loader.load_text(text, "x.yaml", pure=pure)
    (problem,) = info.value.problems
    assert (problem.code, problem.line, problem.col) == (code, line, col)


def test_quoted_merge_key_is_just_text() -> None:
    """Only the plain ``<<`` is YAML's merge key; ``"<<"`` is an ordinary (unknown) key."""
    for pure in (False, True):
        assert loader.load_text('"<<": 1\n', "x.yaml", pure=pure).data == {"<<": 1}


# --- 11. report injection -----------------------------------------------------------------

PAYLOADS = [
    "<script>alert('x')</script>",
    "[klick](javascript:alert(1))",
    '<a href="javascript:alert(1)">klick</a>',
    "{{ 7 * 191 }}",
    "{% for x in range(3) %}LOOP{% endfor %}",
    "<img src=x onerror=alert(1)>",
]


def _report_module() -> object | None:
    try:
        import zyklus.cli.report as cli_report
    except ModuleNotFoundError:
        return None
    return cli_report


def _injected_card() -> str:
    """A valid card with a payload in every string field (ids must stay ids)."""
    p = PAYLOADS
    return f"""\
id: jobcenter-im-quartier
title: {quote(p[0] + " " + p[3])}
areas: [querenburg]
target_groups: [langzeitarbeitslose]
themes: [{quote(p[1])}, {quote(p[4])}]
duration: {quote(p[2])}
description: {quote(" ".join(p))}
audience: {quote(p[5] + p[3])}
actors: [{quote(p[0])}, {quote(p[3])}]
synergies: [{quote(p[4] + " " + p[1])}]
needs:
  - statement: {quote(p[0] + p[4])}
existing_offers: []
needs_check_note: {quote(p[2] + p[3])}
goals:
  - id: G1
    statement: {quote(" ".join(p))}
    unit: {quote(p[3])}
    baseline: {{value: 0, date: 2024-12-31}}
    target: {{value: 6, date: 2025-06-30}}
resources:
  staff_fte: 0.15
  budget_eur: 0
  notes: {quote(p[5] + p[4])}
milestones:
  - {{id: M1, title: {quote(p[0] + p[1])}, due: 2025-03-01}}
"""


def quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def test_injected_card_is_a_valid_card(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(_injected_card(), encoding="utf-8")
    from zyklus.files.located import load_model

    card = load_model(path, models.Card)
    assert card.title == PAYLOADS[0] + " " + PAYLOADS[3]


@pytest.mark.skipif(_report_module() is None, reason="report command not built yet")
def test_user_text_is_inert_in_html_and_markdown_reports(
    runner: CliRunner, workspace: Path, tmp_path: Path
) -> None:
    build_file_tree(
        workspace,
        {
            "projects/jobcenter-im-quartier.yaml": _injected_card(),
            "cycles/2027.yaml": """\
                cycle: 2027
                opened: 2027-01-15T10:00:00+01:00
                projects:
                  jobcenter-im-quartier:
                    phase: planning
                """,
        },
    )
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [*REPORT_ARGS, "--out", str(out), "--workspace", str(workspace)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    html_files = sorted(out.rglob("*.html"))
    md_files = sorted(out.rglob("*.md"))
    assert html_files and md_files, sorted(out.rglob("*"))
    for path in html_files:
        assert_inert_html(path.read_text(encoding="utf-8"))
    for path in md_files:
        assert_inert_markdown(path.read_text(encoding="utf-8"))


REPORT_ARGS = ["report", "--cycle", "2027", "--as-of", "2027-09-30"]


def assert_inert_html(text: str) -> None:
    """No element, attribute or link came from user text; the text itself is still shown."""
    import html5lib

    root = html5lib.parse(text, namespaceHTMLElements=False)
    shown_text = "".join(root.itertext())
    for element in root.iter():
        if element.tag == "script":
            assert "alert" not in (element.text or "")
        if element.tag == "img":
            assert element.get("src") != "x"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            assert not value.strip().lower().startswith("javascript:"), (element.tag, value)
    assert "<script>alert('x')</script>" in shown_text  # shown as text, not dropped
    assert "{{ 7 * 191 }}" in shown_text
    assert "1337" not in shown_text and "LOOPLOOP" not in shown_text


def assert_inert_markdown(text: str) -> None:
    """Parsed as CommonMark: no raw HTML, no javascript: link; templates not evaluated."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # see every link, even those a renderer would drop
    tokens = md.parse(text)
    for token in [*tokens, *(c for t in tokens for c in (t.children or []))]:
        if token.type in ("html_inline", "html_block"):
            assert not re.search(r"<\s*(script|img|a|iframe)\b", token.content, re.I), token
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            assert not href.strip().lower().startswith("javascript:"), href
    assert "alert" in text
    assert "1337" not in text and "LOOPLOOP" not in text
