"""The site's pages as HTML files: one Jinja template per kind of page (issue 19).

Links are written relative to each page, so the folder works from a file system, a USB
stick or any static host (GitLab/GitHub Pages) without a server and without JavaScript.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Any

from zyklus import i18n
from zyklus.errors import UsageError
from zyklus.files.workspace import Workspace
from zyklus.site.build import Link, Page, Site, format_day, format_value

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "site_{kind}.html.j2"
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
_PAGE_PATH = re.compile(r"(?:[a-z-]+/)?[A-Za-z0-9][A-Za-z0-9_.-]*\.html\Z")


def relative(href: str, page: Page) -> str:
    """``href`` (from the site's root) as seen from ``page``."""
    if not href:
        return ""
    return posixpath.relpath(href, posixpath.dirname(page.path) or ".")


def environment(ws: Workspace, site: Site) -> jinja2.Environment:
    """One environment for every page: the language's texts and formats as globals."""
    from zyklus.files.templates import environment as base

    env = base(ws.root, autoescape=True)
    lang = site.lang

    def t(msg_id: str, **params: Any) -> str:
        return i18n.message(msg_id, lang, **params)

    env.globals.update(t=t, lang=lang, site=site, csp=CSP)
    env.filters.update(
        value=lambda v, unit="": format_value(v, unit, lang),
        day=lambda d: format_day(d, lang),
        num=lambda v: i18n.format_number(v, lang),
    )
    return env


def render_page(env: jinja2.Environment, page: Page) -> str:
    import jinja2

    def href(link: Link | str) -> str:
        return relative(link.href if isinstance(link, Link) else link, page)

    name = TEMPLATE.format(kind=page.kind)
    try:
        text = env.get_template(name).render(page=page, href=href, **page.data)
    except jinja2.TemplateNotFound as exc:
        raise UsageError.single("T-NOT-FOUND", name=exc.name or name) from None
    except jinja2.TemplateError as exc:
        raise UsageError.single("T-ERROR", name=name, error=str(exc)) from None
    return text.rstrip("\n") + "\n"


def render_site(ws: Workspace, site: Site) -> dict[str, str]:
    """Every page's text by its path; all rendered before anything is written."""
    env = environment(ws, site)
    out = {}
    for page in site.pages:
        if not _PAGE_PATH.match(page.path):  # ids are checked; this is the last guard
            raise UsageError.single("R-OUT-NAME", name=page.path)
        out[page.path] = render_page(env, page)
    return out
