"""Provides the model of one assessment: its answers, their sources, the blocks of repeatable sections."""

from __future__ import annotations

from dataclasses import dataclass, field

FOLLOW_UP_STATUSES = ("not_started", "in_progress", "done", "dropped")
"""The status of an action followed up, as the answers file writes it."""
FOLLOW_UP_LABELS = {"not_started": "Not started", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}
"""Each follow-up status as readers see it."""
CARRIED_LABEL = "carried forward — review"
"""What the app and the report say beside an answer copied from the previous period and not yet confirmed."""


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
    carried: bool = False
    """Copied from the previous period and not yet confirmed or changed (CARRIED_LABEL)."""

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
class Predecessor:
    """The assessment this one continues: the previous period's."""

    id: str
    """Its assessment id."""
    period: str = ""
    """Its period."""
    title: str = ""
    """Its title."""
    file: str = ""
    """Its answers file, relative to this one's folder ('' when unknown)."""
    requirements: list[str] = field(default_factory=list)
    """Ids of the collection plan's requirements still open at its end."""


@dataclass
class FollowUp:
    """One action of the previous period's plan, followed up in this one."""

    rule: str
    """The rule that recommended it."""
    action: str
    """The action, as the previous plan wrote it."""
    for_whom: str = ""
    """What it concerned: blocks' names or a section's title."""
    priority: str = ""
    """Its priority then."""
    addressee: str = ""
    """Who was to act, as readers write it."""
    period: str = ""
    """The period it was recommended in."""
    status: str = "not_started"
    """One of FOLLOW_UP_STATUSES."""
    note: str = ""
    """What the mission says of it."""
    at: str = ""
    """When its status or note last changed."""


@dataclass
class KeptAside:
    """An answer a migration could not move to the new version: kept in the file and listed, never dropped."""

    id: str
    """The question's id in the version it was answered on."""
    answer: Answer
    """The answer as it was."""
    reason: str
    """Why it could not move."""
    version: str
    """The framework version it was answered on."""
    section: str = ""
    """The repeatable section it was in (its id then), or ''."""
    entity: str = ""
    """The block's id, or ''."""
    name: str = ""
    """The block's name, for readers, or ''."""


@dataclass
class Event:
    """One entry of the file's history: a migration or a carrying forward."""

    at: str
    """When."""
    event: str
    """'migrated' or 'carried forward'."""
    summary: str
    """One line a reader understands."""
    details: list[str] = field(default_factory=list)
    """What moved, one line each."""


@dataclass
class Answers:
    """One assessment."""

    framework: Pin
    """The framework pinned."""
    metadata: dict[str, str]
    """title, mission, area, period, analyst, marking, created, updated."""
    id: str = ""
    """Stable id of the assessment."""
    language: str = ""
    """The language it is written in (fr, en…); "" is its framework's default language."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answers outside repeatable sections, by question id (unknown ids kept)."""
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    """Blocks of repeatable sections."""
    position: str | None = None
    """Question last visited."""
    predecessor: Predecessor | None = None
    """The previous period's assessment this one continues."""
    history: list[Event] = field(default_factory=list)
    """Migrations and carryings forward, oldest first."""
    follow_up: list[FollowUp] = field(default_factory=list)
    """The previous period's actions, each with its status."""
    kept_aside: list[KeptAside] = field(default_factory=list)
    """Answers migrations could not move."""
