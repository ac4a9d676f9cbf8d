"""Problems and errors: the one vocabulary every module uses to report what is wrong.

The core never prints. It returns :class:`Problem` objects (a message id plus parameters and
a location) or raises a :class:`ZyklusError` that carries them; ``cli`` renders them in the
user's language and chooses the exit code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "note"]
KeyPath = tuple[str | int, ...]


def format_key_path(key_path: KeyPath) -> str:
    """``('goals', 0, 'target')`` → ``goals[0].target``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One located finding. ``code`` is stable and doubles as the message id."""

    code: str
    path: str = ""
    line: int | None = None
    col: int | None = None
    key_path: KeyPath = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    def where(self) -> str:
        """``path:line:col`` with the parts that are known.

        The path is shown through the terminal rule: a file named ``a\\nb.yaml:1: E-FAKE``
        stays on its own line and cannot forge a problem of its own (issue 20).
        """
        from zyklus.escape import terminal

        parts = [terminal(self.path) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def message(self, lang: str) -> str:
        from zyklus.i18n import message

        return message(self.code, lang, **self.params)

    def render(self, lang: str) -> str:
        """The one-line form: ``path:line:col: CODE message (at key.path)``."""
        from zyklus.i18n import message

        text = f"{self.where()}: {self.code} {self.message(lang)}"
        if self.key_path:
            text += " " + message("at-key", lang, key=format_key_path(self.key_path))
        return text

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "severity": self.severity,
            "key": format_key_path(self.key_path),
            "message": self.message(lang),
        }


class ZyklusError(Exception):
    """Base of every expected failure; carries the problems to show the user."""

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.code for p in self.problems))

    def __reduce__(self) -> tuple[type[ZyklusError], tuple[list[Problem]]]:
        """Pickled as its problems: a forked worker sends its error back (issue 21)."""
        return type(self), (self.problems,)

    @classmethod
    def single(cls, code: str, path: str = "", **params: Any) -> ZyklusError:
        return cls([Problem(code, path=path, params=params)])


class LoadError(ZyklusError):
    """A file could not be read, parsed or validated."""


class UsageError(ZyklusError):
    """The command was called wrongly (bad option value, unknown id, ...): exit code 2."""

    exit_code = 2


class StateError(ZyklusError):
    """A change to the cycle state was refused (gate unmet, conflict, nothing written)."""
