"""Provides the state one scoring fills in: for each scope (the assessment, or one block) its tables, and warnings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

from ..errors import Problem, problem
from ..model import Answer, Answers, Framework, Score

Scope = tuple[str, str] | None
"""Where an answer or a score belongs: None for the assessment, (repeatable section id, block id) for a block."""


class QuestionState(NamedTuple):
    """What one question gave in one scope."""

    status: str
    """answered, unanswered, not_applicable, unknown or hidden."""
    raw: Fraction | None
    """The score of the answer itself, or None."""
    contribution: Fraction | None
    """What it gives its section: the raw score, or what the policy makes of a missing answer; None for nothing."""
    label: str
    """The answer as the result shows it, '' unless answered or unknown."""


@dataclass(slots=True)
class Tables:
    """What scoring knows of one scope, filled step by step."""

    answers: Mapping[str, Answer]
    """The scope's answers by question id."""
    visible: dict[str, bool]
    """Section and question ids -> whether shown; an id not here is shown."""
    questions: dict[str, QuestionState] = field(default_factory=dict)
    """Question id -> its state, in visibility order."""
    values: dict[str, object] = field(default_factory=dict)
    """Names expressions see: the visible answers (for the assessment, also the functions)."""
    scores: dict[str, Score] = field(default_factory=dict)
    """Section id -> its score in this scope."""


@dataclass(slots=True)
class State:
    """Everything one call of score() reads and builds: its inputs, the tables of every scope, the warnings."""

    fw: Framework
    """The framework scored."""
    answers: Answers
    """The answers scored."""
    scopes: dict[Scope, Tables] = field(default_factory=dict)
    """The tables of the assessment (None) and of each block, assessment first."""
    warnings: list[Problem] = field(default_factory=list)
    """Problems that did not stop scoring (W006: an expression that could not be evaluated)."""
    normalized: dict[tuple[Fraction, Fraction, Fraction], Fraction] = field(default_factory=dict)
    """(score, lowest, highest) -> the score mapped to 0..1 over that range: the same few option scores come back
    for many questions, and a look-up costs less than a Fraction's arithmetic."""

    def warn(self, where: str, reason: Exception) -> None:
        """Record that the expression at `where` could not be evaluated (W006)."""
        self.warnings.append(problem(self.fw.path, None, "W006", where=where, reason=reason))

    def visible(self, ident: str, scope: Scope = None) -> bool:
        """Whether a section or question is shown in a scope."""
        return self.scopes[scope].visible.get(ident, True)

    def normalize(self, value: Fraction, rng: tuple[Fraction, Fraction] | None) -> Fraction | None:
        """A score mapped to 0..1 over its range, or None when the range is missing or empty."""
        if rng is None or rng[1] == rng[0]:
            return None
        key = (value, rng[0], rng[1])
        out = self.normalized.get(key)
        if out is None:
            out = self.normalized[key] = (value - rng[0]) / (rng[1] - rng[0])
        return out
