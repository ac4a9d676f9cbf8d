"""Names that become files: one rule for what zyklus refuses everywhere.

Project ids, template names and report folders end up as file names in a repository
that planners check out on Windows too. Device names (``con``, ``nul``, ``com1`` …) cannot
be checked out there, and control characters (NUL, newline) break tools and messages.
"""

from __future__ import annotations

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
)


def is_windows_reserved(name: str) -> bool:
    """``con``, ``CON.txt``, ``com1.yaml``: reserved whatever the case or extension."""
    return name.split(".", 1)[0].strip().lower() in WINDOWS_RESERVED


def has_control_character(name: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in name)


def is_unsafe_path_part(name: str) -> bool:
    """A folder or file name zyklus will not create."""
    return has_control_character(name) or is_windows_reserved(name)
