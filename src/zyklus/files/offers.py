"""A completed measure becomes an existing structure: ``offers/<id>.yaml`` (issue 14).

Verstetigung: when the evaluation says *complete* with ``--as-offer``, zyklus writes an
offer file from the card so that the next needs check (duplicate structures) knows it.
An offer file is like a card: written once, never rewritten. It is created atomically and
exclusively (a temporary file, then a hard link that fails when the name is taken), so a
hand-written offer of the same id is never overwritten and no reader sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel

from zyklus import models
from zyklus.errors import LoadError, Problem, StateError
from zyklus.files.cycles import quote
from zyklus.files.workspace import Workspace

HEADER = (
    "# Written by zyklus (Verstetigung): the project {id} was completed in cycle {year}\n"
    "# and continues as a regular structure. Edit it like any other offer.\n"
)


def offer_from_card(card: models.Card, year: int) -> models.Offer:
    """What the duplicate check compares, taken from the card; the card stays as it was."""
    return models.Offer(
        id=card.id,
        title=card.title,
        provider=list(card.actors) or None,  # partner ids stay partner references
        target_groups=list(card.target_groups),
        areas=list(card.areas),
        themes=list(card.themes),
        description=(card.description or "").strip() or None,
        source=f"projects/{card.id}.yaml (Zyklus {year})",
    )


def _flow(value: object) -> str:
    """A flow-style YAML value: strings double-quoted, models as ``{key: value}``."""
    if isinstance(value, BaseModel):
        items = value.model_dump(by_alias=True, exclude_none=True)
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in items.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return quote(str(value))


def offer_text(offer: models.Offer, year: int) -> str:
    """The YAML text: every string double-quoted with JSON escaping (no YAML traps)."""
    lines = [HEADER.format(id=offer.id, year=year).rstrip("\n")]
    for name in models.Offer.model_fields:
        value = getattr(offer, name)
        if value is None or value == []:
            continue
        lines.append(f"{name}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def offer_path(ws: Workspace, offer_id: str) -> Path:
    return ws.root / "offers" / f"{offer_id}.yaml"


def create_offer(ws: Workspace, offer: models.Offer, year: int) -> Path:
    """Write ``offers/<id>.yaml`` once; refuse when the name is taken. Returns the path."""
    from zyklus.files.loader import load_text
    from zyklus.files.located import validate_document

    path = offer_path(ws, offer.id)
    shown = ws.display(path)
    if path.exists() or path.is_symlink():
        raise StateError([Problem("CY-OFFER-EXISTS", path=shown, params={"id": offer.id})])
    text = offer_text(offer, year)
    try:
        validate_document(load_text(text, shown), models.Offer)
    except LoadError as exc:  # the writer's promise, kept at runtime
        raise RuntimeError(f"offer would not read back: {exc.problems}") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    if not ws.inside(path.parent):
        raise LoadError([Problem("W-OUTSIDE", path=shown)])
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        tmp.chmod(0o644)
        try:
            os.link(tmp, path)  # exclusive: fails when the name exists
        except FileExistsError:
            raise StateError(
                [Problem("CY-OFFER-EXISTS", path=shown, params={"id": offer.id})]
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return path
