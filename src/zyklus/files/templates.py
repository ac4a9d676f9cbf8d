"""Find and render Jinja templates: the workspace's own ``templates/`` first, then ours.

A workspace overrides a packaged template by putting a file of the same name in its
``templates/`` folder. Template names are plain file names (no folders, no ``..``), so a
name given on the command line can never reach outside those two folders. User text is
always data passed to a template, never a template itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zyklus.errors import UsageError
from zyklus.names import is_windows_reserved

if TYPE_CHECKING:
    import jinja2

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


def packaged_dir() -> Path:
    """The templates shipped with zyklus (in a wheel) or the repository's (in a checkout)."""
    package = Path(__file__).resolve().parents[1]
    inside = package / "templates"
    if inside.is_dir():
        return inside
    return package.parents[1] / "templates"


def search_path(workspace_root: Path | None) -> list[Path]:
    folders = []
    if workspace_root is not None and (workspace_root / "templates").is_dir():
        folders.append(workspace_root / "templates")
    packaged = packaged_dir()
    if packaged not in folders:
        folders.append(packaged)
    return folders


def check_name(name: str) -> str:
    if not _NAME.match(name) or ".." in name or is_windows_reserved(name):
        raise UsageError.single("T-NAME", name=name)
    return name


def yaml_str(value: Any) -> str:
    """A YAML double-quoted scalar for any text (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _contained_loader(workspace_root: Path | None) -> jinja2.BaseLoader:
    """A file loader that refuses a template whose real path leaves its home.

    A workspace template is a file of the repository; one that is a symlink to a place
    outside the workspace would copy that file into a card or report (a merge request
    could leak ``/etc/passwd`` into the committee's report), so it is refused.
    """
    import jinja2

    folders = search_path(workspace_root)
    homes = {packaged_dir(): packaged_dir().resolve()}
    if workspace_root is not None:
        homes[workspace_root / "templates"] = workspace_root.resolve()

    class Contained(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            folder = Path(filename).parent
            if not real.is_relative_to(homes.get(folder, folder.resolve())):
                raise UsageError.single("T-OUTSIDE", name=template)
            return source, filename, uptodate

    return Contained([str(p) for p in folders])


def environment(workspace_root: Path | None, *, autoescape: bool = False) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=_contained_loader(workspace_root),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yaml_str"] = yaml_str
    return env


def render(workspace_root: Path | None, template: str, /, **context: Any) -> str:
    import jinja2

    check_name(template)
    env = environment(workspace_root)
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateNotFound:
        raise UsageError.single("T-NOT-FOUND", name=template) from None
    except jinja2.TemplateError as exc:
        raise UsageError.single("T-ERROR", name=template, error=str(exc)) from None
