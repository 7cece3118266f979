"""Provides the model of one assessment: its answers, their sources, the blocks of repeatable sections."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Source:
    """A source behind an answer, graded twice."""

    ref: str
    """The reference text."""
    reliability: str | None = None
    """Source reliability: a letter of the framework's grading system (GRADES)."""
    credibility: str | None = None
    """Information credibility (1-4 or 1-6)."""


@dataclass
class Answer:
    """One answer and what supports it."""

    value: object = None
    """The answer: option value, list of them, number, date or text; None when unanswered."""
    na: bool = False
    """Not applicable."""
    confidence: object = None
    """A value of the confidence scale."""
    sources: list[Source] = field(default_factory=list)
    """Sources."""
    note: str = ""
    """Note or justification."""
    at: str = ""
    """When it was last changed."""

    @property
    def is_answered(self) -> bool:
        """Whether it holds a value or is marked not applicable."""
        return self.na or (self.value is not None and self.value != "" and self.value != [])


@dataclass
class Entity:
    """One block of a repeatable section."""

    id: str
    """Stable id of the block."""
    name: str
    """Name of the entity."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answers inside the block."""


@dataclass
class Pin:
    """The framework answers were made for."""

    id: str
    """Framework id."""
    version: str
    """Framework version."""
    hash: str | None = None
    """Framework content hash."""
    path: str | None = None
    """Framework file, relative to the answers file."""


@dataclass
class Answers:
    """One assessment."""

    framework: Pin
    """The framework pinned."""
    metadata: dict[str, str]
    """title, mission, area, period, analyst, marking, created, updated."""
    id: str = ""
    """Stable id of the assessment."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answers outside repeatable sections, by question id (unknown ids kept)."""
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    """Blocks of repeatable sections."""
    position: str | None = None
    """Question last visited."""
