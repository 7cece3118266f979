"""Provides the model of a loaded framework: its scales, sections and questions, derived scores, ratings and rules.

The format these are read from is defined once, in frameworks/framework.schema.json (FORMAT.md is generated
from it); the fields below say what the model holds, and their Literal types are the schema's vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..i18n import N_
from ..vocabulary import (
    Addressee,
    Aggregate,
    Collector,
    Direction,
    Expectation,
    GradingSystem,
    MultipleScore,
    Priority,
    QuestionType,
    Treatment,
)
from .grades import GRADE_MEANINGS as GRADE_MEANINGS  # the grading systems live in grades.py; named here too
from .grades import GRADE_OFFICIAL as GRADE_OFFICIAL
from .grades import GRADES as GRADES
from .grades import low_grade as low_grade
from .migration import Migration

CHOICE_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "scale", "yesno")
"""Question types answered by choosing options."""

ADDRESSEE_LABELS: dict[Addressee, str] = {
    "mission_leadership": N_("Mission leadership (SRSG / Head of Mission)"),
    "jmac": N_("JMAC"),
    "unpol": N_("UN Police (SOC unit, crime analysis)"),
    "political_affairs": N_("Political affairs"),
    "mediation": N_("Mediation and good offices team"),
    "civil_affairs": N_("Civil affairs"),
    "rule_of_law": N_("Justice and corrections"),
    "ddr": N_("DDR and community violence reduction"),
    "human_rights": N_("Human rights"),
    "mission_support": N_("Mission support (procurement, contracts, logistics)"),
    "security": N_("Mission security and UNDSS"),
    "strategic_communications": N_("Strategic communications"),
    "un_hq": N_("UN Headquarters (DPPA / DPO)"),
    "panel": N_("Sanctions committee, through the Panel of Experts"),
    "un_country_team": N_("UN country team and UNODC"),
    "member_states": N_("Member States (through UN Headquarters)"),
}
"""Who a rule's action is addressed to, by ADDRESSEES id, as the plan of action names them (marked for the cli
catalogue: shown with its gettext in the interface's language)."""

COLLECTOR_LABELS: dict[Collector, str] = {
    "jmac": N_("JMAC"),
    "unpol": N_("UNPOL crime analysis"),
    "fusion_cell": N_("Military information / fusion cell"),
    "panel": N_("Panel of Experts"),
    "civil_society": N_("Civil society and open sources"),
    "political_affairs": N_("Political affairs"),
    "human_rights": N_("Human rights component"),
    "un_country_team": N_("UN country team and UNODC"),
    "mission_support": N_("Mission support (procurement, finance)"),
    "security": N_("Mission security and UNDSS"),
}
"""Who could collect what a question asks, by COLLECTORS id, as the collection plan names them (translated where
shown, as ADDRESSEE_LABELS)."""


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
    short: str = ""
    """The option as a table cell shows it, e.g. 'H'; '' for its label."""


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
        """The scores of its options that have one, in order."""
        return [o.score for o in self.options if o.score is not None]


@dataclass(frozen=True, slots=True)
class Question:
    """One question of a section."""

    id: str
    """Stable id, unique in the framework."""
    text: str
    """The question as the planner reads it."""
    type: QuestionType
    """Kind of answer."""
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
    integer: bool = False
    """A number question that counts whole things: the app refuses a decimal as typed."""
    scored: bool = True
    """Whether the answer counts in its section's score."""
    multiple_score: MultipleScore = "sum"
    """How a multiple choice answer is scored from its chosen options."""
    max_choices: int | None = None
    """Most options a multiple choice answer may select."""
    required: bool = False
    """Must be answered for the assessment to be complete."""
    weight: Fraction = Fraction(1)
    """Weight in a weighted mean."""
    collectors: tuple[Collector, ...] = ("jmac",)
    """Who could collect the answer (COLLECTORS ids; labels in COLLECTOR_LABELS): its own, else its nearest
    enclosing section's, else JMAC."""
    allow_na: bool = False
    """Whether 'not applicable' may be answered."""
    evidence: Expectation = "none"
    """Whether sources are expected."""
    confidence: bool = False
    """Whether confidence is asked."""
    justification: Expectation = "none"
    """Whether a written note is expected."""
    show_if: str | None = None
    """Visibility condition."""
    path: tuple[str | int, ...] = ()
    """Where the question is in the framework data, for messages."""

    def option(self, value: object) -> Option | None:
        """The option with this value, or None."""
        for o in self.options:
            if o.value == value:
                return o
        return None

    range: tuple[Fraction, Fraction] | None = None
    """Lowest and highest score the question can give, or None when unscored (set by the loader)."""

    @property
    def score_range(self) -> tuple[Fraction, Fraction] | None:
        """Lowest and highest score the question can give, or None when unscored."""
        return self.range

    def compute_range(self) -> tuple[Fraction, Fraction] | None:
        """Lowest and highest score the question can give, or None when unscored."""
        if not self.scored:
            return None
        if self.type == "number":
            # both bounds are required of a scored number (E234); without one there is no range to compare
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
    aggregate: Aggregate = "max"
    """How block scores combine into the section score."""


@dataclass(frozen=True, slots=True)
class TableEntry:
    """One column (of a repeatable section's table) or row (of any other section's table)."""

    id: str
    """The question or section it shows."""
    header: str = ""
    """What the table calls it; '' for the default (section title, or question text up to ':' or '?')."""


@dataclass(frozen=True, slots=True)
class Table:
    """How a section is shown as one table in the body of the report."""

    title: str = ""
    """The table's heading; '' for the section's title."""
    columns: tuple[TableEntry, ...] = ()
    """A repeatable section's columns: one row per block."""
    rows: tuple[TableEntry, ...] = ()
    """Any other section's rows: one per question or score."""


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
    aggregate: Aggregate = "mean"
    """How the scores of its questions and subsections combine."""
    normalize: bool = False
    """Map child scores to 0..1 before aggregating."""
    direction: Direction = "threat"
    """What a higher score means."""
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
    table: Table | None = None
    """Set when the report shows the section as one table."""
    parent: str | None = None
    """Id of the enclosing section."""
    within: str | None = None
    """Id of the enclosing repeatable section (itself if repeatable), if any."""
    role: str | None = None
    """What a section included ready-made is for: 'key_judgements'; None for a section the framework writes."""
    path: tuple[str | int, ...] = ()
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
    direction: Direction = "threat"
    """What a higher score means."""
    rating: str | None = None
    """Rating scheme id."""
    range: tuple[Fraction, Fraction] | None = None
    """Declared or inferred [lowest, highest]."""
    path: tuple[str | int, ...] = ()
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
        """The band a score falls in, or None."""
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
    priority: Priority
    """How urgent the action is."""
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
    """Ids of the policy recommendations its finding is evidence for (the primary links)."""
    addressee: Addressee | None = None
    """Who must act (an ADDRESSEES id; labels in ADDRESSEE_LABELS); None when the rule names none (W017)."""
    see_also: tuple[str, ...] = ()
    """Ids of the policy recommendations it relates to secondarily."""
    conflicts_with: tuple[str, ...] = ()
    """Ids of rules of the framework whose action pulls the other way."""
    path: tuple[str | int, ...] = ()
    """Where it is in the framework data."""


@dataclass(frozen=True, slots=True)
class Heatmap:
    """A matrix of two axes (e.g. likelihood by impact, threat by harm) with each block placed in its cell."""

    id: str
    """Stable id."""
    title: str
    """Title."""
    section: str
    """Section whose blocks (or answers) are placed."""
    x: str
    """Question or rated section on the horizontal axis (see Framework.axis)."""
    y: str
    """Question or rated section on the vertical axis."""
    rating: str | None = None
    """Rating scheme that colours cells by the product of their scores."""


@dataclass(frozen=True, slots=True)
class Policy:
    """How unanswered, not-applicable and unknown answers enter aggregations."""

    unanswered: Treatment = "exclude"
    """Treatment of unanswered visible questions."""
    not_applicable: Treatment = "exclude"
    """Treatment of answers marked not applicable."""
    unknown: Treatment = "exclude"
    """Treatment of answers of an option marked unknown."""


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
    grading: GradingSystem = "4x4"
    """Source grading system."""
    confidence_scale: Scale | None = None
    """Scale of confidence levels."""
    confidence_low: Fraction | None = None
    """Confidence scores at or below this are low."""
    policy: Policy = field(default_factory=Policy)
    """Treatment of missing answers."""
    direction: Direction = "threat"
    """Default direction."""
    rating: str | None = None
    """Default rating scheme."""
    headline: tuple[str, ...] = ()
    """Ids of the score or two scores (threat axis first) that sum up the assessment; () when not declared."""
    cutoff: str | None = None
    """Id of the date question whose answer is the information cut-off date; None when not declared."""
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
    changelog: tuple[dict[str, Any], ...] = ()
    """Changelog entries."""
    references: tuple[dict[str, Any], ...] = ()
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
    judgements: str | None = None
    """Id of the key judgements section ({include: key_judgements}), or None when the framework has none."""
    collection_min_weight: Fraction = Fraction(1)
    """The weight from which a visible scored question is high-weight: left unknown or weak, it is an intelligence
    requirement of the collection plan."""
    migrations: tuple[Migration, ...] = ()
    """How answers made on earlier versions move to this one, oldest step first (the last one's to_version is this)."""
    language: str = "en"
    """The language its texts are in (one of languages: the one asked for, else the default)."""
    languages: tuple[str, ...] = ("en",)
    """The languages it has texts in, its default (the texts' own) first."""
    translated: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    """Of each other language: how many texts its block translates, of how many, and the block's hash (for diff)."""

    def rating_for(self, scheme: str | None) -> Rating | None:
        """The rating scheme named, or the framework's default one, or None."""
        sid = scheme or self.rating
        return self.ratings.get(sid) if sid else None

    def axis(self, name: str) -> tuple[tuple[str, Fraction], ...]:
        """A heat map axis, lowest first: the (label, score) of a question's scored options, or of a rated section's
        bands, each band at its midpoint (a block is placed in the band its score falls in)."""
        q = self.questions.get(name)
        if q is not None:
            return tuple((o.label, o.score) for o in q.options if o.score is not None)
        sec = self.all_sections.get(name)
        rating = self.rating_for(sec.rating) if sec is not None else None
        return tuple((b.label, (b.min + b.max) / 2) for b in rating.bands) if rating else ()

    def axis_title(self, name: str) -> str:
        """What a heat map axis is: its question's text, or its section's title."""
        q = self.questions.get(name)
        return q.text if q is not None else self.all_sections[name].title
