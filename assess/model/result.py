"""Provides the model of what scoring computes: scores with their inputs, question states, findings, gaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import Problem
from ..vocabulary import Direction, Priority
from .answers import Answers
from .framework import Framework, Heatmap

GAP_KINDS = (
    "required_missing",
    "too_few_entities",
    "unknown",
    "no_sources",
    "no_justification",
    "low_confidence",
    "no_confidence",
)
"""What a gap can be, in the order the report lists them."""


@dataclass(frozen=True, slots=True)
class Input:
    """One input to a score: a question or a score, what it gave and whether it counted."""

    id: str
    """Question, section or derived id."""
    title: str
    """Its text or title."""
    score: Fraction | None
    """What it contributed (after normalization and policy), or None."""
    weight: Fraction
    """Its weight."""
    status: str
    """answered, unanswered, not_applicable, unknown, hidden, unscored, no_score."""
    counted: bool
    """Whether it entered the aggregate."""


@dataclass(frozen=True, slots=True)
class Score:
    """One computed number and how it was computed."""

    id: str
    """Section, question or derived id."""
    title: str
    """Title."""
    kind: str
    """section, derived, entity_section."""
    value: Fraction | None
    """The exact score, or None when nothing could be scored."""
    display: str
    """Rounded half-up to the framework's precision, or '-'."""
    method: str
    """How it was computed, in words."""
    inputs: tuple[Input, ...] = ()
    """What it came from."""
    rating: str | None = None
    """Rating label."""
    colour: str | None = None
    """Rating colour."""
    direction: Direction = "threat"
    """What a higher score means."""
    entity: str | None = None
    """Entity id for a block's score."""
    low: Fraction | None = None
    """The lower end of the score's range when the answers marked unknown are counted at their scale's lowest,
    then highest, score (for a section: at the lowest); None unless the framework's policy leaves unknowns out
    and counting them moves this score."""
    high: Fraction | None = None
    """The upper end of that range (for a section: the unknown answers counted at their highest)."""


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """A question's state in the result."""

    id: str
    """Question id."""
    section: str
    """Section id."""
    status: str
    """answered, unanswered, not_applicable, unknown, hidden."""
    value: object
    """The answer as stored."""
    label: str
    """The answer as shown."""
    score: Fraction | None
    """Raw score."""
    normalized: Fraction | None
    """Score mapped to 0..1 over the question's range."""
    entity: str | None = None
    """Entity id when inside a block."""
    confidence: object = None
    """Stated confidence."""
    sources: int = 0
    """Number of sources."""
    required: bool = False
    """Whether it was required."""
    grades: tuple[tuple[str, str], ...] = ()
    """Each source's (reliability, credibility) as stored ('' where missing)."""


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A triggered rule."""

    rule: str
    """Rule id."""
    priority: Priority
    """How urgent the action is."""
    finding: str
    """The finding, with the entity named."""
    action: str
    """The recommended action."""
    reference: str
    """Where it comes from."""
    source: str | None
    """Reference id."""
    section: str | None
    """Section it belongs to."""
    entity: str | None
    """Entity id for scoped rules."""
    entity_name: str | None
    """Entity name for scoped rules."""
    because: tuple[tuple[str, str], ...]
    """The names in the condition and their values when it fired."""
    addressee: str | None = None
    """Who must act (an ADDRESSEES id), from the rule."""
    support: str = ""
    """What the answers the condition names rest on: '' two or more sources not all low-graded, 'single' at
    most one source between them, 'low' every source low-graded."""


@dataclass(frozen=True, slots=True)
class Gap:
    """Something missing or weak in the assessment."""

    kind: str
    """One of GAP_KINDS."""
    id: str
    """Question or section id."""
    message: str
    """What is missing, in words."""
    entity: str | None = None
    """Entity id."""


@dataclass(frozen=True, slots=True)
class Requirement:
    """One intelligence requirement of the collection plan: a high-weight question left unknown or weak."""

    number: int
    """Its number, IR-1 is 1, in framework order, blocks in order."""
    id: str
    """Stable id: '<question>' or '<section>/<entity id>/<question>'."""
    question: str
    """Question id."""
    entity: str | None
    """Entity id when the question is in a block."""
    entity_name: str | None
    """The block's name."""
    section: str
    """Title of the top-level section."""
    what: str
    """What to find out: the question's text, with the block's name."""
    why: str
    """Why it matters, in words: its status, the score it weighs on and the range the gap spans."""
    status: str
    """unknown or low_confidence."""
    collectors: tuple[str, ...]
    """Who could collect it (labels)."""


@dataclass(frozen=True, slots=True)
class HeatmapResult:
    """A heat map filled with the assessment's answers."""

    heatmap: Heatmap
    """Its definition."""
    x_labels: tuple[str, ...]
    """Labels of the x options with a score, lowest first."""
    y_labels: tuple[str, ...]
    """Labels of the y options with a score, lowest first."""
    cells: dict[tuple[int, int], tuple[str, ...]]
    """(x index, y index) -> names placed there (block names, or the assessment title)."""
    colours: dict[tuple[int, int], str]
    """(x index, y index) -> rating colour of the product of the two scores, where a rating is set."""


@dataclass(frozen=True)
class Result:
    """Everything scoring computed, with the inputs of every number."""

    framework: Framework
    """The framework scored."""
    answers: Answers
    """The answers scored."""
    questions: tuple[QuestionResult, ...]
    """Every question (and every block's questions), in order."""
    sections: dict[str, Score]
    """Section scores by id (repeatable sections: the aggregate over blocks)."""
    entity_scores: dict[str, dict[str, dict[str, Score]]]
    """For each repeatable section, for each entity id, its section scores by section id."""
    derived: dict[str, Score]
    """Derived scores by id."""
    rankings: dict[str, tuple[tuple[int | None, str, str, Fraction | None], ...]]
    """For each repeatable section: (rank, entity id, name, score), gravest first."""
    coverage: dict[str, int]
    """Counts: questions, answered, unanswered, not_applicable, unknown, required_missing, hidden."""
    confidence: dict[str, int]
    """Counts of answers by confidence level, plus 'not stated'."""
    recommendations: tuple[Recommendation, ...]
    """Triggered rules, by priority."""
    gaps: tuple[Gap, ...]
    """Missing and weak answers."""
    heatmaps: dict[str, HeatmapResult] = field(default_factory=dict)
    """Each heat map of the framework, filled."""
    warnings: tuple[Problem, ...] = ()
    """Problems that did not stop scoring."""
    grades: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per top-level section id: sources by reliability letter and credibility digit, plus 'sources',
    'answers' (answered questions) and 'unsourced' (answered questions with no source)."""
    requirements: tuple[Requirement, ...] = ()
    """The collection plan: intelligence requirements, in framework order."""

    @property
    def complete(self) -> bool:
        """Whether no required answer and no required block is missing."""
        return not any(g.kind in ("required_missing", "too_few_entities") for g in self.gaps)
