"""Provides the finding of the files to collect: the paths given, and the folders among them walked."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..report.payload import file_kind

REPORT_SUFFIXES = (".docx",)
"""What a report's file name ends with."""
YAML_SUFFIXES = (".yaml", ".yml")
"""What an answers (or framework) file's name ends with."""


def expand(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, bool]], list[Path], int]:
    """The files to collect as (path, named explicitly), the paths that do not exist, and how many other
    files the folders hold. Folders are walked recursively, in name order; hidden files, Word's lock
    files (~$name.docx) and files other than .docx, .yaml and .yml inside folders are left out, but not
    what is not a regular file (a pipe, a device, a socket): reading refuses it, never opening it."""
    files: list[tuple[Path, bool]] = []
    missing: list[Path] = []
    ignored = 0
    seen: set[str] = set()

    def add(p: Path, explicit: bool, real_folder: str | None = None) -> None:
        # a file reached twice (named, and inside a folder named too; or through a link) is collected once
        key = os.path.join(real_folder, p.name) if real_folder else os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            files.append((p, explicit))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for folder, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                real = os.path.realpath(folder)  # once per folder, not once per file
                for name in sorted(names):
                    if name.startswith((".", "~$")):
                        continue
                    full = os.path.join(folder, name)
                    if name.lower().endswith(REPORT_SUFFIXES + YAML_SUFFIXES) or file_kind(full):
                        add(Path(full), False, None if os.path.islink(full) else real)  # reading refuses a pipe
                    else:
                        ignored += 1
        elif p.is_file() or os.path.exists(p):
            add(p, True)  # a pipe or a device is refused when read, without being opened
        else:
            missing.append(p)
    return files, missing, ignored
