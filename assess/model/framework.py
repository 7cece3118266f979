"""Provides the typed model: Framework and its parts, Answers, and the scoring Result."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

QUESTION_TYPES = ("single", "multiple", "scale", "number", "yesno", "text", "date")
CHOICE_TYPES = ("single", "multiple", "scale", "yesno")
PRIORITIES = ("critical", "high", "medium", "low")
GAP_KINDS = (
    "required_missing",
    "too_few_entities",
    "unknown",
    "no_sources",
    "no_justification",
    "low_confidence",
    "no_confidence",
)
GRADES = {
    "4x4": ("ABCD", "1234"),
    "admiralty": ("ABCDEF", "123456"),
}

GRADE_MEANINGS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "4x4": (
        {
            "A": "no doubt about the source",
            "B": "usually reliable",
            "C": "not usually reliable",
            "D": "cannot be assessed",
        },
        {
            "1": "known to be true",
            "2": "known personally to the source",
            "3": "not known personally, corroborated",
            "4": "cannot be judged",
        },
    ),
    "admiralty": (
        {
            "A": "completely reliable",
            "B": "usually reliable",
            "C": "fairly reliable",
            "D": "not usually reliable",
            "E": "unreliable",
            "F": "reliability cannot be judged",
        },
        {
            "1": "confirmed by other sources",
            "2": "probably true",
            "3": "possibly true",
            "4": "doubtful",
            "5": "improbable",
            "6": "truth cannot be judged",
        },
    ),
}
"""What each grade means, per grading system: (source reliability, information credibility)."""


# ---------------------------------------------------------------------------- framework


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option of a scale or a choice question."""

    value: str | int | Fraction
    """What the answers file stores."""
    label: str
    """What the planner sees."""
    score: Fraction | None
    """The option's score; None for an 'unknown' option or an unscored label."""
    description: str = ""
    """What choosing it means."""
    unknown: bool = False
    """True when the option marks an intelligence gap rather than a value."""


@dataclass(frozen=True, slots=True)
class Scale:
    """A reusable, ordered list of options."""

    id: str
    """Scale id, named by questions."""
    title: str
    """Name of the scale."""
    options: tuple[Option, ...]
    """Options, lowest first."""
    description: str = ""
    """How to use the scale."""

    @property
    def scores(self) -> list[Fraction]:
        return [o.score for o in self.options if o.score is not None]


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a section."""

    id: str
    """Stable id, unique in the framework."""
    text: str
    """The question as the planner reads it."""
    type: str
    """One of QUESTION_TYPES."""
    section: str
    """Id of the section holding the question."""
    guidance: str = ""
    """Markdown guidance."""
    options: tuple[Option, ...] = ()
    """Options of a choice question, from its scale or inline."""
    scale: str | None = None
    """Id of the scale the options come from, if any."""
    min: Fraction | None = None
    """Lowest number allowed (number questions)."""
    max: Fraction | None = None
    """Highest number allowed (number questions)."""
    unit: str = ""
    """Unit shown after a number."""
    scored: bool = True
    """Whether the answer counts in its section's score."""
    multiple_score: str = "sum"
    """How a multiple choice answer is scored: sum, max, mean or count."""
    max_choices: int | None = None
    """Most options a multiple choice answer may select."""
    required: bool = False
    """Must be answered for the assessment to be complete."""
    weight: Fraction = Fraction(1)
    """Weight in a weighted mean."""
    allow_na: bool = False
    """Whether 'not applicable' may be answered."""
    evidence: str = "none"
    """none, recommended or required."""
    confidence: bool = False
    """Whether confidence is asked."""
    justification: str = "none"
    """none, recommended or required: whether a written note is expected."""
    show_if: str | None = None
    """Visibility condition."""
    path: tuple = ()
    """Where the question is in the framework data, for messages."""

    def option(self, value) -> Option | None:
        for o in self.options:
            if o.value == value:
                return o
        return None

    range: tuple[Fraction, Fraction] | None = None
    """Lowest and highest score the question can give, or None when unscored (set by the loader)."""

    @property
    def score_range(self) -> tuple[Fraction, Fraction] | None:
        return self.range

    def compute_range(self) -> tuple[Fraction, Fraction] | None:
        """Lowest and highest score the question can give, or None when unscored."""
        if not self.scored:
            return None
        if self.type == "number":
            # both bounds are required of a scored number (E208); without one there is no range to compare
            return None if self.min is None or self.max is None else (self.min, self.max)
        scores = [o.score for o in self.options if o.score is not None]
        if not scores:
            return None
        if self.type == "multiple":
            if self.multiple_score == "count":
                return (Fraction(0), Fraction(len(self.options)))
            if self.multiple_score == "sum":
                pos = sum((s for s in scores if s > 0), Fraction(0))
                neg = sum((s for s in scores if s < 0), Fraction(0))
                return (neg, pos)
        return (min(scores), max(scores))


@dataclass(frozen=True, slots=True)
class Repeat:
    """What makes a section repeatable: one block per entity."""

    label: str
    """What one block is, e.g. 'armed group'."""
    min: int = 0
    """Fewest blocks for a complete assessment."""
    max: int | None = None
    """Most blocks allowed."""
    rank_by: str | None = None
    """Id of the score that ranks the blocks."""
    aggregate: str = "max"
    """How block scores combine into the section score."""


@dataclass(frozen=True, slots=True)
class Section:
    """A section of questions and subsections."""

    id: str
    """Stable id, unique in the framework."""
    title: str
    """Section title."""
    questions: tuple[Question, ...] = ()
    """Questions, in order."""
    sections: tuple[Section, ...] = ()
    """Subsections, in order."""
    description: str = ""
    """What the section covers."""
    guidance: str = ""
    """Guidance shown above the questions."""
    aggregate: str = "mean"
    """mean, weighted_mean, sum, min or max."""
    normalize: bool = False
    """Map child scores to 0..1 before aggregating."""
    direction: str = "threat"
    """threat (higher is worse) or resilience (higher is better)."""
    weight: Fraction = Fraction(1)
    """Weight in the parent's weighted mean."""
    rating: str | None = None
    """Rating scheme id."""
    scored: bool = True
    """Whether the score counts in the parent's score."""
    show_if: str | None = None
    """Visibility condition."""
    repeat: Repeat | None = None
    """Set when the section is one block per entity."""
    parent: str | None = None
    """Id of the enclosing section."""
    within: str | None = None
    """Id of the enclosing repeatable section (itself if repeatable), if any."""
    path: tuple = ()
    """Where the section is in the framework data, for messages."""


@dataclass(frozen=True, slots=True)
class Derived:
    """A score computed from other scores."""

    id: str
    """Stable id."""
    title: str
    """Name of the score."""
    expr: str
    """The expression."""
    description: str = ""
    """What it means."""
    direction: str = "threat"
    """threat or resilience."""
    rating: str | None = None
    """Rating scheme id."""
    range: tuple[Fraction, Fraction] | None = None
    """Declared or inferred [lowest, highest]."""
    path: tuple = ()
    """Where it is in the framework data."""


@dataclass(frozen=True, slots=True)
class Band:
    """One rating band: scores from min (inclusive) to max (exclusive, except the last band)."""

    min: Fraction
    """Lowest score in the band."""
    max: Fraction
    """Upper bound."""
    label: str
    """Rating label."""
    colour: str = ""
    """#RRGGBB."""
    description: str = ""
    """What the rating means."""


@dataclass(frozen=True, slots=True)
class Rating:
    """A rating scheme: ordered bands."""

    id: str
    """Scheme id."""
    bands: tuple[Band, ...]
    """Bands, ascending."""
    title: str = ""
    """Name of the scheme."""

    def band(self, score: Fraction) -> Band | None:
        last = len(self.bands) - 1
        for i, b in enumerate(self.bands):
            if b.min <= score < b.max or (i == last and b.min <= score <= b.max):
                return b
        return None


@dataclass(frozen=True, slots=True)
class Rule:
    """A condition that turns a finding into a recommended action."""

    id: str
    """Stable id."""
    when: str
    """Condition."""
    priority: str
    """critical, high, medium or low."""
    finding: str
    """The weak finding."""
    action: str
    """The recommended action."""
    reference: str
    """Where the recommendation comes from."""
    scope: str | None = None
    """Repeatable section the rule runs once per block of."""
    source: str | None = None
    """Reference id."""
    section: str | None = None
    """Section the finding belongs to."""
    recommendations: tuple[str, ...] = ()
    """Ids of the policy recommendations it leads to."""
    path: tuple = ()
    """Where it is in the framework data."""


@dataclass(frozen=True, slots=True)
class Heatmap:
    """A matrix of two scale questions (e.g. likelihood by impact) with each block placed in its cell."""

    id: str
    """Stable id."""
    title: str
    """Title."""
    section: str
    """Section whose blocks (or answers) are placed."""
    x: str
    """Question on the horizontal axis."""
    y: str
    """Question on the vertical axis."""
    rating: str | None = None
    """Rating scheme that colours cells by the product of their scores."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How unanswered, not-applicable and unknown answers enter aggregations."""

    unanswered: str = "exclude"
    """exclude, zero, lowest or highest."""
    not_applicable: str = "exclude"
    """exclude, zero, lowest or highest."""
    unknown: str = "exclude"
    """exclude, zero, lowest or highest."""


@dataclass(frozen=True)
class Framework:
    """A loaded, validated framework."""

    id: str
    """Stable id."""
    version: str
    """Semantic version."""
    title: str
    """Title."""
    sections: tuple[Section, ...]
    """Top-level sections."""
    hash: str
    """'sha256:' and the hash of the canonical content."""
    description: str = ""
    """Description."""
    precision: int = 2
    """Decimals shown."""
    grading: str = "4x4"
    """Source grading system."""
    confidence_scale: Scale | None = None
    """Scale of confidence levels."""
    confidence_low: Fraction | None = None
    """Confidence scores at or below this are low."""
    policy: Policy = field(default_factory=Policy)
    """Treatment of missing answers."""
    direction: str = "threat"
    """Default direction."""
    rating: str | None = None
    """Default rating scheme."""
    scales: dict[str, Scale] = field(default_factory=dict)
    """Scales by id."""
    derived: tuple[Derived, ...] = ()
    """Derived scores."""
    ratings: dict[str, Rating] = field(default_factory=dict)
    """Rating schemes by id."""
    rules: tuple[Rule, ...] = ()
    """Rules."""
    authors: tuple[str, ...] = ()
    """Authors."""
    changelog: tuple[dict, ...] = ()
    """Changelog entries."""
    references: tuple[dict, ...] = ()
    """Publications."""
    path: str = ""
    """File the framework was read from."""
    questions: dict[str, Question] = field(default_factory=dict)
    """Every question by id, in document order."""
    all_sections: dict[str, Section] = field(default_factory=dict)
    """Every section by id, in document order."""
    visibility_order: tuple[str, ...] = ()
    """Ids of sections and questions with their visibility dependencies first."""
    derived_order: tuple[str, ...] = ()
    """Ids of derived scores, dependencies first."""
    heatmaps: tuple[Heatmap, ...] = ()
    """Matrices shown in the report."""
    ranges: dict[str, tuple[Fraction, Fraction] | None] = field(default_factory=dict)
    """Lowest and highest possible score of each section and derived score, where known."""

    def rating_for(self, scheme: str | None) -> Rating | None:
        sid = scheme or self.rating
        return self.ratings.get(sid) if sid else None


# ---------------------------------------------------------------------------- answers


@dataclass
class Source:
    """A source behind an answer, graded twice."""

    ref: str
    """The reference text."""
    reliability: str | None = None
    """Source reliability (A-D or A-F)."""
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


# ---------------------------------------------------------------------------- result


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
    direction: str = "threat"
    """threat or resilience."""
    entity: str | None = None
    """Entity id for a block's score."""


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


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A triggered rule."""

    rule: str
    """Rule id."""
    priority: str
    """critical, high, medium, low."""
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
    warnings: tuple = ()
    """Problems that did not stop scoring."""

    @property
    def complete(self) -> bool:
        return not any(g.kind in ("required_missing", "too_few_entities") for g in self.gaps)
