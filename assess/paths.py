"""Provides where the bundled frameworks, schemas and templates are, in a checkout and in an installed wheel alike."""

from __future__ import annotations

import glob
from pathlib import Path

# assess/_bundled holds links to the checkout's frameworks/ and templates/ folders; a wheel carries their
# files there instead. Resolving gives the checkout's own folders (as messages name them) or the wheel's.
FRAMEWORKS = (Path(__file__).parent / "_bundled" / "frameworks").resolve()
"""The bundled frameworks, their schemas, examples and catalogue."""
TEMPLATES = (Path(__file__).parent / "_bundled" / "templates").resolve()
"""The Word templates of the report and the headquarters summary."""


PREVIOUS = "previous"
"""The subfolder of FRAMEWORKS with earlier releases, '<id>-<version>-<hash prefix>.yaml', kept so that answers
and reports made with them still score and collect."""


def releases(fid: str, version: str, bundled: Path = FRAMEWORKS) -> list[Path]:
    """The earlier releases assess keeps of framework fid at version (frameworks/previous/), sorted by name."""
    return sorted((bundled / PREVIOUS).glob(f"{glob.escape(fid)}-{glob.escape(version)}-*.yaml"))


def bundled_ids(bundled: Path = FRAMEWORKS) -> list[str]:
    """Ids of the frameworks shipped in frameworks/ (each file is named <id>.yaml)."""
    return sorted(p.stem for p in bundled.glob("*.yaml"))
