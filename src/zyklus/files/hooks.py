"""Where pre-commit and CI get zyklus from: its git repository at the tag of a version.

zyklus is on no package index. pre-commit installs a repository hook from the git
repository at ``rev:`` itself (``.pre-commit-hooks.yaml`` says ``language: python``), so
the hook runs without zyklus on PATH: in a GUI git client, on a hosted pre-commit service
(issue 19). CI installs the same tag with pip (``zyklus @ git+URL@TAG``). ``local`` is the
offline alternative: the hook runs the zyklus on PATH (``language: system``).
"""

from __future__ import annotations

import re

from zyklus import __version__
from zyklus.errors import UsageError

# The public repository of zyklus; ``zyklus init --zyklus-repo URL`` names a mirror or a
# city's own copy. pyproject.toml's [project.urls] Repository says the same (a test checks).
ZYKLUS_REPOSITORY = "https://github.com/zyklus-sozialplanung/zyklus"
LOCAL = "local"
# What the hook is given: the files .pre-commit-hooks.yaml names (a test checks they agree)
HOOK_FILES = r"^(projects|cycles|offers|funding)/.*\.ya?ml$|^zyklus\.yaml$|^data/.*\.csv$"
_URL = re.compile(r"(?:https?|ssh|git|file)://[^\s\"'\\#]+\Z")
_MAX_URL = 500


def revision(version: str = __version__) -> str:
    """The tag of a release: ``v0.1.0``; pre-commit's ``rev:`` and pip's ``@TAG``."""
    return f"v{version}"


def check_repository(url: str) -> str:
    """A URL pre-commit can clone and pip can install from (``git+URL``), or ``local``.

    It goes into YAML and into a shell line of the CI file: no spaces, quotes, ``#``.
    """
    if url == LOCAL or (len(url) <= _MAX_URL and _URL.match(url)):
        return url
    raise UsageError.single("I-ZYKLUS-REPO", url=url[:_MAX_URL])


def folder_files(folder: str) -> str:
    """The hook's ``files:`` for a workspace in ``folder`` of the repository (``.``: top)."""
    if folder == ".":
        return HOOK_FILES
    prefix = "^" + re.escape(folder) + "/"
    return "|".join(prefix + part.removeprefix("^") for part in HOOK_FILES.split("|^"))


def pip_requirement(url: str) -> str:
    """What CI installs: the tag of this version from the repository (``local``: ours)."""
    return f"zyklus @ git+{ZYKLUS_REPOSITORY if url == LOCAL else url}@{revision()}"
