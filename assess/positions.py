"""Provides the planner's place in each answers file, kept in the user state folder (never in the file itself)."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import AssessError
from .files import write_atomic
from .yamlsafe import read_text

POSITIONS_MAX = 500
"""How many files' places the user state folder remembers (the most recently closed)."""


def _positions_file() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("assess")) / "positions.json"


def _positions() -> dict[str, str]:
    try:
        data = json.loads(read_text(_positions_file(), limit=1 << 20))
    except (AssessError, OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _key(path: Path) -> str:
    """A file's entry in positions.json: its resolved path (a symbolic link's target)."""
    return str(Path(path).resolve())


def remembered_position(path: Path) -> str | None:
    """The place (a Slot's key) the planner was on when a session on this file last closed."""
    return _positions().get(_key(path))


def remember_position(path: Path, key: str | None) -> None:
    """Keep the planner's place in the user state folder, never in the answers file (opening and looking
    around leave the file as it was); the most recent POSITIONS_MAX files are kept. Never fails.

    Written at every move, so that the app killed (a closed SSH session) opens again where the planner was."""
    try:
        items = _positions()
        items.pop(_key(path), None)
        if key:
            items[_key(path)] = key
        state = _positions_file()
        state.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(dict(list(items.items())[-POSITIONS_MAX:]), ensure_ascii=False)
        write_atomic(state, text, sync=False)  # a convenience, written at every move: kill-safe is enough
    except OSError:
        pass  # the place is a convenience: never stop a planner over it
