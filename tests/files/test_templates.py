"""The template sandbox (issue 20): a workspace template lays out values and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from typer.testing import CliRunner

from helpers import build_file_tree
from zyklus.cli import app
from zyklus.errors import LoadError, ZyklusError
from zyklus.files import templates

if TYPE_CHECKING:
    import jinja2

SECRET = "geheim-7f3a"

# The well-known ways out of a Jinja template, each on line 2 of its template.
ESCAPES = {
    "globals": "{{ namespace.__init__.__globals__.os.system('id') }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "class": "{{ id.__class__ }}",
    "attr-filter": "{{ id|attr('__class__') }}",
    "format": "{{ '{0.__class__}'.format(id) }}",
    # Jinja2 3.1.5 lets this one through (CVE-2025-27516); pyproject requires 3.1.6
    "attr-format": "{{ '{0.__class__}'|attr('format')(id) }}",
    "indirect-format": "{% set f = '{0.__class__}'.format %}{{ f(id) }}",
    "self": "{{ self._TemplateReference__context }}",
    "self-init": "{{ self.__init__.__globals__ }}",
    "path-read": "{{ secret.read_text() }}",
    "path-open": "{{ secret.open().read() }}",
    "huge-string": "{{ 'a' * 10000000 }}",
    "huge-power": "{{ 2 ** 100000000 }}",
    "list-mutation": "{% set x = [] %}{{ x.append(1) }}",
}
# Not there at all (a template does not need them): an undefined name, also located.
REMOVED = {
    "cycler": "{{ cycler.__init__.__globals__.os.system('id') }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "joiner": "{{ joiner.__init__.__globals__ }}",
}


def _render(root: Path, source: str, **context: object) -> str:
    build_file_tree(root, {"templates/card.yaml.j2": source})
    return templates.render(root, "card.yaml.j2", **context)


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_known_escapes_are_refused_with_a_located_error(tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        _render(tmp_path, "id: x\n" + ESCAPES[name] + "\n", id="x", secret=secret)
    problem = caught.value.problems[0]
    assert problem.code == "T-UNSAFE", problem
    assert problem.where() == "templates/card.yaml.j2:2"


@pytest.mark.parametrize("name", sorted(REMOVED))
def test_helpers_that_open_the_way_out_are_not_there(tmp_path: Path, name: str) -> None:
    with pytest.raises(LoadError) as caught:
        _render(tmp_path, "id: x\n" + REMOVED[name] + "\n")
    assert caught.value.problems[0].code in {"T-UNSAFE", "T-ERROR"}
    assert caught.value.problems[0].where() == "templates/card.yaml.j2:2"
    assert name not in templates.environment(tmp_path).globals


def test_a_template_that_fails_by_itself_is_bad_input(tmp_path: Path) -> None:
    for source in ("{{ 1 / 0 }}", "{{ [][0] }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"):
        with pytest.raises(LoadError) as caught:
            _render(tmp_path, "\n\n" + source)
        assert caught.value.problems[0].code == "T-ERROR"
        assert caught.value.problems[0].line == 3


def test_packaged_templates_run_in_the_sandbox() -> None:
    import jinja2.sandbox

    assert isinstance(templates.environment(None), jinja2.sandbox.SandboxedEnvironment)
    text = templates.render(
        None, "card.yaml.j2", id="x", title="T", areas=["stadt"], target_groups=["a"]
    )
    assert 'title: "T"' in text


def test_plain_values_still_work(tmp_path: Path) -> None:
    source = "{{ t.upper() }} {{ d.items()|list }} {{ n * 3 }} {{ 'ab' * 2 }} {{ 2 ** 10 }}"
    assert _render(tmp_path, source, t="x", d={"a": 1}, n=2) == "X [('a', 1)] 6 abab 1024"


def test_new_project_with_a_hostile_card_template_exits_1(workspace: Path) -> None:
    marker = workspace / "pwned"
    build_file_tree(
        workspace,
        {
            "templates/card.yaml.j2": "id: {{ id }}\n{{ self.__init__.__globals__.os.system('touch "
            + str(marker)
            + "') }}\n"
        },
    )
    result = CliRunner().invoke(
        app,
        ["new-project", "X", "-a", "stadt", "-t", "jugendliche", "--workspace", str(workspace)],
        catch_exceptions=False,
    )
    assert result.exit_code == 1, result.output
    assert "templates/card.yaml.j2:2: T-UNSAFE" in result.output
    assert not marker.exists()
    assert not (workspace / "projects/x.yaml").exists()


_BASES = ["''", "self", "namespace", "range", "id", "secret", "t", "dict", "(1).real", "[]", "{}"]
_ATTRS = [
    "__class__", "__mro__", "__subclasses__", "__globals__", "__init__", "__builtins__",
    "__dict__", "__getattribute__", "os", "system", "read_text", "open", "format", "mro",
    "_TemplateReference__context", "environment", "loader", "get_source", "parent",
    "write_text", "unlink", "func_globals", "gi_frame", "f_back", "__reduce_ex__",
]  # fmt: skip
_STEP = st.one_of(
    st.sampled_from(_ATTRS).map(lambda a: f".{a}"),
    st.sampled_from(_ATTRS).map(lambda a: f"|attr('{a}')"),
    st.sampled_from(_ATTRS).map(lambda a: f"['{a}']"),
    st.just("()"),
    st.just("(1)"),
    st.just("[0]"),
)


@settings(max_examples=300, deadline=None)
@given(base=st.sampled_from(_BASES), steps=st.lists(_STEP, max_size=6))
def test_fuzz_the_sandbox_never_leaks_or_crashes(
    tmp_path_factory: pytest.TempPathFactory, base: str, steps: list[str]
) -> None:
    root = tmp_path_factory.getbasetemp() / "sandbox-fuzz"
    secret = root / "secret.txt"
    build_file_tree(root, {"secret.txt": SECRET})
    source = "{{ " + base + "".join(steps) + " }}"
    try:
        out = _render(root, source, id="x", secret=secret, t="text")
    except ZyklusError as exc:
        assert exc.problems[0].code in {"T-UNSAFE", "T-ERROR"}
        assert exc.problems[0].path == "templates/card.yaml.j2"
        return
    assert SECRET not in out
    assert sorted(p.name for p in root.iterdir()) == ["secret.txt", "templates"]


# Issue 21: one ``yield`` per output statement, and plain functions called in one step.
_JOINED = {
    "page.j2": (
        "{% set n = 3 %}<h1>{{ title }}</h1>\n{% for x in items %}<td>{{ x }}</td><td>{{ n }}"
        "</td>{% if loop.last %}!{% endif %}\n{% else %}none {{ missing_text }}\n{% endfor %}"
        '{% include "part.j2" %}{% macro m(v) %}<b>{{ v }}</b>{% endmacro %}{{ m(title) }}'
        "{% macro c(v) %}<u>{{ v }}{{ caller() }}</u>{% endmacro %}"
        "{% call c(1) %}[{{ title }}]{% endcall %}"
        "{% set block %}<i>{{ title }}</i>{% endset %}{{ block }}"
        "{% filter upper %}{{ title }}-x{% endfilter %} {{ none_value }} {{ 1 + 2 }} {{ 'k' }}"
        "{{ f(title) }}{% for x in items %}{{ f(x) }}{{ g() }}{% endfor %}"
    ),
    "part.j2": "[{{ title }}|{{ items|join(', ') }}]{% for x in items %}{{ x }}{% endfor %}\n",
    "child.j2": '{% extends "base.j2" %}{% block body %}<p>{{ title }}</p>{{ super() }}'
    "{% endblock %}",
    "base.j2": "<main>{% block body %}{{ title }}!{% endblock %}</main>{{ title }}",
}


def _reference_env(root: Path, autoescape: bool) -> jinja2.Environment:
    """Jinja's own sandbox with the same options: what ours must render, byte for byte."""
    import jinja2.sandbox

    return jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(root / "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(max_size=12),
    items=st.lists(
        st.one_of(
            st.text(max_size=6),
            st.integers(),
            st.none(),
            st.text(max_size=6).map(Markup),  # already HTML: left as it is
            st.floats(allow_nan=False),
        ),
        max_size=4,
    ),
    autoescape=st.booleans(),
)
def test_joined_output_is_what_jinja_renders(
    tmp_path_factory: pytest.TempPathFactory, title: str, items: list[object], autoescape: bool
) -> None:
    import jinja2

    root = tmp_path_factory.getbasetemp() / "joined"
    build_file_tree(root, {f"templates/{name}": text for name, text in _JOINED.items()})

    @jinja2.pass_context
    def g(context: Any) -> str:
        return str(context["title"])[:2]

    def f(value: object) -> str:
        return f"<{value}>"

    context = {"title": title, "items": items, "none_value": None, "missing_text": "–"}
    ours = templates.environment(root, autoescape=autoescape)
    theirs = _reference_env(root, autoescape)
    for env in (ours, theirs):
        env.finalize = lambda v: "–" if v is None else v
        env.globals.update(f=f, g=g)
    for name in ("page.j2", "child.j2"):
        expected = theirs.get_template(name).render(**context)
        pieces = list(ours.get_template(name).generate(**context))
        assert "".join(pieces) == expected
        assert len(pieces) <= len(list(theirs.get_template(name).generate(**context)))
    if autoescape:
        assert "<td><script>" not in ours.get_template("page.j2").render(
            **(context | {"items": ["<script>"]})
        )


def test_a_row_is_one_piece_and_still_escaped(tmp_path: Path) -> None:
    build_file_tree(tmp_path, {"templates/row.j2": "<tr><td>{{ a }}</td><td>{{ b }}</td></tr>"})
    env = templates.environment(tmp_path, autoescape=True)
    pieces = list(env.get_template("row.j2").generate(a="<b>", b='"&"'))
    assert pieces == ["<tr><td>&lt;b&gt;</td><td>&#34;&amp;&#34;</td></tr>"]


def test_a_plain_function_is_called_in_one_step_with_the_same_verdicts(tmp_path: Path) -> None:
    import jinja2

    def shout(text: str, *, end: str = "!") -> str:
        return text.upper() + end

    def risky() -> str:
        return "ran"

    risky.unsafe_callable = True  # type: ignore[attr-defined]

    def stops() -> str:
        raise StopIteration

    @jinja2.pass_context
    def who(context: Any) -> str:
        return str(context["name"])

    source = "{% for x in [1, 2] %}{{ shout(x|string, end='?') }}{{ who() }}{% endfor %}"
    build_file_tree(
        tmp_path,
        {
            "templates/ok.j2": source + "{{ shout(name) }}",
            "templates/risky.j2": "{{ shout('a') }}{{ risky() }}",
            "templates/stops.j2": "{{ stops() }}",
        },
    )
    env = templates.environment(tmp_path)
    env.globals.update(shout=shout, risky=risky, stops=stops, who=who)
    assert templates.render_with(env, tmp_path, "ok.j2", name="ann") == "1?ann2?annANN!"
    for _ in range(2):  # the verdict is kept, and it stays a refusal
        with pytest.raises(LoadError) as caught:
            templates.render_with(env, tmp_path, "risky.j2")
        assert caught.value.problems[0].code == "T-UNSAFE"
    with pytest.raises(LoadError) as stopped:  # Jinja's undefined, strict: an error
        templates.render_with(env, tmp_path, "stops.j2")
    assert stopped.value.problems[0].code == "T-ERROR"
    assert "StopIteration" in str(stopped.value.problems[0].params["error"])


@given(st.one_of(st.text(), st.text().map(Markup), st.integers(), st.floats()))
def test_escaped_text_is_markupsafes_escape_as_text(value: object) -> None:
    import markupsafe

    assert templates._escaped_text()(value) == str(markupsafe.escape(value))


def test_escaped_text_falls_back_to_markupsafes_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import markupsafe

    monkeypatch.delattr(markupsafe, "_escape_inner")
    assert templates._escaped_text() is markupsafe.escape
