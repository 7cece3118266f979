"""Provides the Context a framework is built and checked in: what is known so far, and the problems found."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import Problem, problem
from ..model import Derived, Question, Rating, Scale, Section
from ..schema import where
from ..vocabulary import Collector, Direction
from ..yamlsafe import Located

Where = tuple[str | int, ...]
"""A path into the framework data: keys and list indexes, e.g. ('sections', 0, 'questions', 3)."""

Spec = dict[str, Any]
"""One part of the framework data, as the schema let it through: a section, a question, a scale..."""


class Context:
    """The state of one framework being built: ids seen, parts built so far, and every problem found."""

    def __init__(self, located: Located):
        self.loc = located
        assert isinstance(located.data, dict)  # the loader checked it
        self.data: Spec = located.data
        self.problems: list[Problem] = []
        self.ids: dict[str, Where] = {}
        """Where each id was first defined."""
        self.kinds: dict[str, str] = {}
        """What each id names: question, section, derived, rule or heatmap."""
        self.questions: dict[str, Question] = {}
        self.sections: dict[str, Section] = {}
        self.within: dict[str, str | None] = {}
        """The repeatable section each question or section is in (a repeatable section: itself)."""
        self.expressions: set[str] = set()
        """Every expression checked."""
        self.defaults: Spec = self.data.get("defaults", {})
        self.direction: Direction = self.data.get("direction", "threat")
        self.scales: dict[str, Scale] = {}
        self.ratings: dict[str, Rating] = {}
        self.derived: dict[str, Derived] = {}
        self.ref_ids: set[str] = set()
        self.judgements: str | None = None
        """Id of the key judgements section the framework includes, once built."""
        self.includes: dict[str, Where] = {}
        """Where each block included ({include: ...}) was first included."""
        self.collectors: dict[str, tuple[Collector, ...]] = {}
        """The collectors each section's questions inherit: its own, else its parent's, else JMAC's."""

    def add(self, path: Where, code: str, at_key: bool = False, **fields: Any) -> None:
        """Record a problem of a code at a path of the framework data (at its key when at_key)."""
        self.problems.append(problem(self.loc.file, self.loc.pos(path, key=at_key), code, **fields))

    def flag(self, path: Where, code: str, at: Where = (), at_key: bool = False, **fields: Any) -> None:
        """Record a problem whose message names `path` (as 'where') and which points at `path + at`."""
        self.add(path + at, code, at_key, where=where(path), **fields)

    def inside(self, name: str) -> str | None:
        """The repeatable section a question or section is inside of (not the repeatable section itself)."""
        w = self.within.get(name)
        return w if w and w != name else None


def F(x: int | Decimal | Fraction) -> Fraction:
    """An exact Fraction from a YAML number (int or Decimal)."""
    return Fraction(x) if not isinstance(x, Fraction) else x
