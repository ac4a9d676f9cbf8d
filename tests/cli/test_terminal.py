"""The terminal module: one table of output formats, one way to refuse and to write JSON."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import REPO
from zyklus.cli import app
from zyklus.cli.terminal import FORMATS

COMMANDS = {
    "log": ["log", "jobcenter-im-quartier"],
    "partners": ["partners"],
    "budget": ["budget"],
    "funding": ["funding"],
    "validate": ["validate"],
    "status": ["status"],
    "gates": ["gates"],
    "analyse": ["analyse"],
    "report": ["report", "--as-of", "2027-09-30"],
}


def test_every_command_with_a_format_is_in_the_table() -> None:
    assert set(FORMATS) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_format_is_refused_one_way_in_the_users_language(command: str) -> None:
    runner = CliRunner()
    args = [*COMMANDS[command], "--format", "docx"]
    if command != "gates":
        args += ["-C", str(REPO)]
    choices = ", ".join(FORMATS[command])
    german = runner.invoke(app, args)
    assert german.exit_code == 2
    assert german.stdout == ""
    assert f"E-FORMAT unbekanntes Format „docx“; möglich: {choices}\n" in german.stderr
    english = runner.invoke(app, [*args, "--lang", "en"])
    assert english.exit_code == 2
    assert f"E-FORMAT unknown format 'docx'; choose one of {choices}\n" in english.stderr


def test_json_is_written_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import date

    from zyklus.cli.terminal import write_json

    write_json({"ä": date(2027, 1, 2), "n": [1]})
    assert capsys.readouterr().out == '{\n  "ä": "2027-01-02",\n  "n": [\n    1\n  ]\n}\n'


_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8)
    | st.dates()
    | st.decimals(allow_nan=True, allow_infinity=True, places=2)
)
_data = st.recursive(
    _leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_data)
def test_json_is_the_text_of_json_dump(data: object) -> None:
    """Containers go through the stdlib's C encoder (issue 18), but the text is exactly
    what ``json.dump(indent=2)`` of the escaped value writes: never NaN, dates as text,
    money as text, lone surrogates shown escaped."""
    import contextlib
    import io
    import json

    from zyklus.cli.terminal import write_json
    from zyklus.escape import json_value

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        write_json(data)
    expected = json.dumps(
        json_value(data), ensure_ascii=False, indent=2, allow_nan=False, default=str
    )
    assert out.getvalue() == expected + "\n"

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    json.loads(out.getvalue(), parse_constant=refuse)  # strict: no NaN, no Infinity


def test_json_of_dataclasses_and_a_lone_surrogate(capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import dataclass

    from zyklus.cli.terminal import write_json

    @dataclass
    class Row:
        name: str
        value: float
        series: tuple[tuple[int, float], ...]

    write_json([Row("S\udcfcd", float("inf"), ((1, 2.5),))])
    assert capsys.readouterr().out == (
        '[\n  {\n    "name": "S\\\\xfcd",\n    "value": null,\n    "series": [\n'
        "      [\n        1,\n        2.5\n      ]\n    ]\n  }\n]\n"
    )
