"""Problems as the hosting platforms show them on a merge request (issue 19, part 2).

Files are named from the repository's top (``prefix``: the workspace's folder in it), as the
platform knows them; the problem lines elsewhere name them from the workspace.

``--format github``: workflow commands, one ``::error file=…,line=…::…`` line each, which
GitHub Actions turns into annotations on the changed lines. ``--format gitlab``: GitLab's
code-quality report (a JSON list), shown in the merge request widget; these are data
for ``cli/terminal.write_json``, the one JSON writer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from zyklus.errors import Problem, format_key_path
from zyklus.i18n import message


def _text(problem: Problem, lang: str) -> str:
    """The message with its key path, as in the one-line form, without the location."""
    text = problem.message(lang)
    if problem.key_path:
        text += " " + message("at-key", lang, key=format_key_path(problem.key_path))
    return text


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}
_GITLAB_SEVERITY = {"error": "major", "warning": "minor", "note": "info"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def _file(problem: Problem, prefix: str) -> str:
    path = problem.path
    inside = path and not path.startswith("<") and not Path(path).is_absolute()
    return prefix + path if prefix and inside else path


def github_annotations(problems: Iterable[Problem], lang: str, prefix: str = "") -> str:
    """One workflow command per problem; newlines and separators escaped as GitHub asks,
    so a file name or value cannot start a second command."""
    lines = []
    for problem in problems:
        props = [f"file={_github_property(_file(problem, prefix))}"] if problem.path else []
        if problem.line is not None:
            props.append(f"line={problem.line}")
        if problem.col is not None:
            props.append(f"col={problem.col}")
        props.append(f"title={_github_property(problem.code)}")
        level = _GITHUB_LEVEL[problem.severity]
        lines.append(f"::{level} {','.join(props)}::{_github_data(_text(problem, lang))}")
    return "\n".join(lines) + ("\n" if lines else "")


def gitlab_code_quality(
    problems: Iterable[Problem], lang: str, prefix: str = ""
) -> list[dict[str, Any]]:
    """GitLab's code-quality entries; the fingerprint is stable for the same finding, so
    the widget tells new findings from fixed ones between two pipelines."""
    entries: list[dict[str, Any]] = []
    for problem in problems:
        path = _file(problem, prefix)
        key = "\0".join([problem.code, path, str(problem.line), str(problem.col)])
        entries.append(
            {
                "description": _text(problem, lang),
                "check_name": problem.code,
                "fingerprint": hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest(),
                "severity": _GITLAB_SEVERITY[problem.severity],
                "location": {"path": path, "lines": {"begin": problem.line or 1}},
            }
        )
    return entries
