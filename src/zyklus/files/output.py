"""Files zyklus writes for people to read (the committee report): atomically, into one folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from zyklus.files.cycles import write_atomic


def write_files(folder: Path, files: Mapping[Path, bytes]) -> list[Path]:
    """Create ``folder`` when needed, then write each file atomically; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        write_atomic(path, data)
    return list(files)
