"""Funding calls (Förderaufrufe) in ``funding/<id>.yaml`` (issue 15, seed Kap. 9.3).

A call is read like a card or an offer: strict, bounded, every problem located. Kept apart
from :mod:`zyklus.files.workspace` so that the money wing owns its folder.
"""

from __future__ import annotations

from pathlib import Path

from zyklus import models
from zyklus.errors import LoadError
from zyklus.files.workspace import Loaded, Workspace

FOLDER = "funding"


def call_paths(ws: Workspace) -> list[Path]:
    return ws.yaml_files(FOLDER)


def load_calls(ws: Workspace) -> Loaded[models.FundingCall]:
    """Every call that loads, keyed by file name, with the problems of those that do not."""
    loaded: Loaded[models.FundingCall] = Loaded()
    for path in call_paths(ws):
        try:
            call = ws.load_one(path, models.FundingCall)
        except LoadError as exc:
            loaded.problems.extend(exc.problems)
            continue
        loaded.items[path.stem] = call
        loaded.paths[path.stem] = path
    return loaded
