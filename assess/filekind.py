"""Provides the one coded line a command prints for a file of the wrong kind — an answers file or another command's
output where a framework belongs (E608, E609), a framework or an output where answers belong (E610, E611) — instead
of every schema error the file fails."""

from __future__ import annotations

import re
from pathlib import Path

from .answers import load_answers
from .errors import AssessError, Problem, problem
from .i18n import N_, domain
from .model import Answers
from .outputs import KINDS, identify
from .yamlsafe import Located

_, ngettext, pgettext = domain("cli")

HEAD = 1024 * 1024
"""Most of a file read to tell its kind (a framework's sections may start far down)."""

COMPARE = N_("give two framework files (or PATH@REV) to compare")
"""diff's fix."""
OPEN = N_("give an answers file, which names its framework ('assess new FRAMEWORK -o FILE' starts one)")
"""The fix of the commands that open an answers file (score, report, …)."""

_FORMAT = re.compile(r'^\{?\s*["\']?format["\']?\s*:\s*["\']?assess-(answers|result)/', re.M)
"""The 'format' key of an answers file (YAML) or of a result 'assess score' wrote (JSON), at the top level."""
_FRAMEWORK = re.compile(r"^[\"']?(sections|scales|ratings|derived|rules)[\"']?\s*:", re.M)
"""A top-level key only a framework has."""


def kind(text: str, file: Path | None = None) -> str | None:
    """What the file (or, without one, the text) plainly is: 'answers', 'framework', or a key of outputs.KINDS for
    what another command wrote; None when it is none of these."""
    found = identify(file) if file is not None and file.is_file() else None
    if found in KINDS:
        return found
    other = _FORMAT.search(text)
    if other is not None:
        return other.group(1)
    return "framework" if _FRAMEWORK.search(text) else None


def head(file: str | Path) -> str:
    """The start of a regular file as text (HEAD bytes at most), '' when it is none or cannot be read (a FIFO or a
    device is never opened: reading one could wait for ever)."""
    if not Path(file).is_file():
        return ""
    try:
        with open(file, "rb") as fh:
            return fh.read(HEAD).decode("utf-8", "replace")
    except OSError:
        return ""


def not_a_framework(name: str, fix: str, file: Path | None = None, text: str | None = None) -> Problem | None:
    """E608 when the file (or text) is an answers file, E609 when another command wrote it; None otherwise."""
    found = kind(head(file) if text is None and file is not None else text or "", file)
    if found == "answers":
        return problem(name, None, "E608", fix=_(fix))
    return problem(name, None, "E609", what=_(KINDS[found]), fix=_(fix)) if found in KINDS else None


def not_answers(name: str, fix: str, file: Path | None = None, text: str | None = None) -> Problem | None:
    """E610 when the file (or text) is a framework, E611 when another command wrote it; None otherwise."""
    found = kind(head(file) if text is None and file is not None else text or "", file)
    if found == "framework":
        return problem(name, None, "E610", fix=_(fix))
    return problem(name, None, "E611", what=_(KINDS[found]), fix=_(fix)) if found in KINDS else None


def open_answers_file(file: str | Path, fix: str = OPEN) -> tuple[Answers, Located]:
    """answers.load_answers, but a framework or another command's output is one coded line (E610, E611)."""
    try:
        return load_answers(file)
    except AssessError as exc:
        if not all(p.code.startswith("E1") for p in exc.problems):
            raise  # not a shape the schema refused (a FIFO, a folder, bad YAML): its own message says it best
        wrong = not_answers(str(file), fix, Path(file))
        if wrong is not None:
            raise AssessError([wrong]) from None
        raise
