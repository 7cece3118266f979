"""Provides what an answers file may hold, shared by the reader, the writer and the app: the longest texts
(the limits of frameworks/answers.schema.json), the handling marking, and the period."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from . import schema
from .collect.periods import period_range
from .errors import Problem, problem
from .model import Answer, Answers
from .yamlsafe import Path_

# The longest texts an answers file holds: the limits of frameworks/answers.schema.json, which the reader
# checks, read from it so that the app (while typing), the session (before saving) and the reader (W008) use
# the same numbers.
_SCHEMA = schema.schema("answers.schema.json")
MAX_ID = _SCHEMA["properties"]["id"]["maxLength"]
MAX_METADATA: dict[str, int] = {
    k: v["maxLength"] for k, v in _SCHEMA["properties"]["metadata"]["properties"].items() if "maxLength" in v
}
MAX_BLOCK_ID = _SCHEMA["$defs"]["entity"]["properties"]["id"]["maxLength"]
MAX_NAME = _SCHEMA["$defs"]["entity"]["properties"]["name"]["maxLength"]
MAX_REF = _SCHEMA["$defs"]["source"]["properties"]["ref"]["maxLength"]
MAX_NOTE = _SCHEMA["$defs"]["answer"]["properties"]["note"]["maxLength"]
MAX_FOLLOW_UP: dict[str, int] = {
    k: v["maxLength"] for k, v in _SCHEMA["$defs"]["follow_up"]["properties"].items() if "maxLength" in v
}


MARKINGS = {"en": "UN RESTRICTED", "fr": "NU – DIFFUSION RESTREINTE"}
"""The handling marking of a new assessment when none is given, by the language it is written in (an explicitly
empty one is refused: E322); a language not listed gets the English one."""


def default_marking(lang: str = "") -> str:
    """The handling marking a new assessment written in lang gets when none is given."""
    return MARKINGS.get(lang.split("-", 1)[0], MARKINGS["en"])


class Pos(Protocol):
    """Where a path into an answers file is, as problem() takes it: (line, col), or None when not known."""

    def __call__(self, path: Path_, key: bool = False, /) -> tuple[int, int] | None:
        """The position of the value at path, or of the key that holds it when key is true."""


def metadata_problems(metadata: dict[str, str], name: str, pos: Pos | None = None) -> list[Problem]:
    """The handling marking is there and not blank (E322); the period, when given, is one (E323)."""
    pos = pos or (lambda path, key=False: None)
    out = []
    marking = metadata.get("marking")
    if not (marking or "").strip():
        where = pos(("metadata", "marking")) if marking is not None else pos(("metadata",), True)
        out.append(problem(name, where, "E322"))
    period = metadata.get("period")
    if period and period_range(period) is None:
        out.append(problem(name, pos(("metadata", "period")), "E323", value=period))
    return out


def long_texts(answers: Answers) -> Iterator[tuple[Path_, int, int]]:
    """(path, length, limit) of each text longer than an answers file holds (MAX_ID and the others)."""

    def answer(base: Path_, a: Answer) -> Iterator[tuple[Path_, int, int]]:
        """The too-long texts of one answer: its note and its sources' references."""
        if len(a.note) > MAX_NOTE:
            yield base + ("note",), len(a.note), MAX_NOTE
        for i, s in enumerate(a.sources):
            if len(s.ref) > MAX_REF:
                yield base + ("sources", i, "ref"), len(s.ref), MAX_REF

    if len(answers.id) > MAX_ID:
        yield ("id",), len(answers.id), MAX_ID
    for k, v in answers.metadata.items():
        if k in MAX_METADATA and len(v) > MAX_METADATA[k]:
            yield ("metadata", k), len(v), MAX_METADATA[k]
    for qid, a in answers.answers.items():
        yield from answer(("answers", qid), a)
    for sec, blocks in answers.entities.items():
        for i, e in enumerate(blocks):
            if len(e.id) > MAX_BLOCK_ID:
                yield ("entities", sec, i, "id"), len(e.id), MAX_BLOCK_ID
            if len(e.name) > MAX_NAME:
                yield ("entities", sec, i, "name"), len(e.name), MAX_NAME
            for qid, a in e.answers.items():
                yield from answer(("entities", sec, i, "answers", qid), a)
    for i, f in enumerate(answers.follow_up):
        for k, limit in MAX_FOLLOW_UP.items():
            text = getattr(f, k)
            if len(text) > limit:
                yield ("follow_up", i, k), len(text), limit
    for i, kept in enumerate(answers.kept_aside):
        yield from answer(("kept_aside", i, "answer"), kept.answer)
