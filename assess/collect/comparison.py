"""Provides the records of a comparison of collected assessments (what compare() returns, and the Word summary
and CSV show): assessments, their scores by framework, trends, recurring recommendations and coverage."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem
from ..i18n import domain
from .store import Filters
from .words import number

_, ngettext, _pgettext = domain("hq")


def shorten(text: str, width: int) -> str:
    """text cut to width characters, with an ellipsis when it was longer."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_ACRONYM = r"[A-Z][A-Z0-9-]{2,11}"


def mission_acronyms(mission: str) -> list[str]:
    """The acronyms a mission's name gives in brackets, its own first: 'MINURT' in '… (MINURT) (fictive)'; both
    where it also gives its name in another language, '(MINURT, UNMIRT en anglais)' or '(MINURT/UNMIRT)'."""
    out: list[str] = []
    for inside in re.findall(r"\(([^()]*)\)", mission or ""):
        if re.match(_ACRONYM + r"\b", inside.strip()):
            out += [a for a in re.findall(r"\b" + _ACRONYM + r"\b", inside) if a not in out]
    return out


def mission_acronym(mission: str) -> str | None:
    """The acronym headquarters shows a mission as (short_mission) and a key must be trusted for to sign its reports
    (trust.mission_matches): the first its name gives in brackets, MINURT in '… (MINURT, UNMIRT en anglais)'; None
    when it gives none."""
    acronyms = mission_acronyms(mission)
    return acronyms[0] if acronyms else None


def short_mission(mission: str, width: int = 28) -> str:
    """A mission's acronym when its name carries one in brackets, e.g. UNIMVA; else the name shortened."""
    return mission_acronym(mission) or shorten(mission or _("(no mission)"), width)


def same_missions(names: dict[str, str], lang: str) -> dict[str, str]:
    """Mission name -> the name it counts under: names that share an acronym in brackets (or, without one, are
    equal but for case and spacing) are one mission, which a mission that wrote in several languages is; named
    as it wrote in lang where it did. names: mission name -> the language it was written in."""
    keys = {m: [a.casefold() for a in mission_acronyms(m)] or [" ".join(m.split()).casefold()] for m in names}
    parent = {k: k for ks in keys.values() for k in ks}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for ks in keys.values():
        for k in ks[1:]:
            parent[root(k)] = root(ks[0])
    groups: dict[str, list[str]] = {}
    for m, ks in keys.items():
        groups.setdefault(root(ks[0]), []).append(m)
    out = {}
    for same in groups.values():
        first = min(same, key=lambda m: (names[m] != lang, m))
        out.update(dict.fromkeys(same, first))
    return out


@dataclass(frozen=True)
class Assessment:
    """One assessment (its current revision) as the store holds it."""

    seq: int
    """The revision's number in the store."""
    id: str
    """The assessment's stable id."""
    revision: str
    """SHA-256 of the payload."""
    framework_id: str
    """Framework id."""
    version: str
    """Framework version."""
    hash: str
    """Framework content hash."""
    framework_title: str
    """Framework title."""
    title: str
    """The assessment's title."""
    mission: str
    """Mission."""
    area: str
    """Area."""
    period: str
    """Period as written."""
    period_start: str | None
    """First day of the period, when it reads as one."""
    analyst: str
    """Analyst."""
    marking: str
    """Handling marking."""
    updated: str
    """Last change, UTC."""
    complete: bool
    """No required question open."""
    source: str
    """The file it was collected from."""
    revisions: int
    """How many revisions the store holds of it."""
    confidence: dict[str, int] = field(default_factory=dict, compare=False)
    """Its answers by stated confidence, as the framework labels them."""
    questions: int = 0
    """Questions asked (visible)."""
    answered: int = 0
    """Questions answered."""
    required_missing: int = 0
    """Required questions open."""
    language: str = ""
    """The language its texts were written in, as collected ('' when not recorded: its framework's default)."""
    counted_as: str = ""
    """The mission name it counts under (assess.collect.comparison.same_missions): one mission that wrote in
    several languages is counted once; '' until compare() sets it."""

    @property
    def one_mission(self) -> str:
        """The mission it counts under: its counted_as, else its own name."""
        return self.counted_as or self.mission

    @property
    def order(self) -> tuple:
        """Where it comes among one mission's assessments: by period, then by time."""
        return (self.period_start or "9999", self.period, self.updated, self.seq)


@dataclass(frozen=True)
class Cell:
    """One score of one assessment."""

    display: str
    """Rounded for display, or '-'."""
    rating: str
    """Rating label, or ''."""
    colour: str
    """Rating colour, #RRGGBB, or ''."""
    value: float | None
    """The score as a number."""
    exact: str | None
    """The exact score, as a fraction."""


@dataclass
class ScoreLine:
    """A section or derived score across the missions of one framework."""

    id: str
    """Score id."""
    title: str
    """Score title."""
    kind: str
    """section or derived."""
    depth: int
    """Nesting of a section (0 at the top)."""
    direction: str
    """threat (higher is worse) or resilience (higher is better)."""
    cells: list[Cell | None]
    """One per column of the framework view (None: the assessment has no such score)."""


@dataclass
class Trend:
    """One mission's (and area's) assessments across periods."""

    label: str
    """Mission (and area when a mission has several)."""
    points: list[tuple[Assessment, dict[str, Cell]]]
    """Each period's assessment, oldest first, with its scores by id."""
    change: str
    """How the first headline score moved from the first period to the last, in words."""
    breaks: dict[str, set[int]] = field(default_factory=dict)
    """Score id -> the assessments (seq) from which it no longer compares with the one before (a version changed
    how it is computed)."""


def trend_path(t: Trend, sid: str) -> str:
    """A score's path across a trend's periods ('2026-H1 1.68 → 2026-H2 1.76'), broken where it stops comparing
    ('‖ version 3.0.0 changed how it is computed ‖'); '—' when no period has it."""
    path = ""
    for a, cells in ((a, cells) for a, cells in t.points if sid in cells):
        cut = a.seq in t.breaks.get(sid, ())
        cut_text = " ‖ " + _("version {version} changed how it is computed").format(version=a.version) + " ‖ "
        path += (cut_text if cut else " → ") if path else ""
        path += f"{a.period or '—'} {number(cells[sid].display)}"
    return path or "—"


def comparable_run(points: list, breaks: set[int]) -> list:
    """The points of a trend from its last break on: those whose score compares with the latest's."""
    starts = [i for i, (a, _cells) in enumerate(points) if a.seq in breaks]
    return points[starts[-1] :] if starts else points


@dataclass(frozen=True)
class FollowUpCount:
    """The actions of the last period an assessment follows up, by status."""

    total: int
    """Actions followed up."""
    done: int
    """Done."""
    in_progress: int
    """In progress."""
    dropped: int
    """Dropped."""
    not_started: int
    """Not started."""

    @property
    def text(self) -> str:
        """'Actions of the last period: 4 of 9 done (2 in progress, 1 dropped)'."""
        return _("Actions of the last period: {done}").format(done=self.detail)

    @property
    def detail(self) -> str:
        """'4 of 9 done (2 in progress, 1 dropped)'."""
        more = [_("{count} in progress").format(count=self.in_progress)] if self.in_progress else []
        more += (
            [ngettext("{count} dropped", "{count} dropped", self.dropped).format(count=self.dropped)]
            if self.dropped
            else []
        )
        tail = f" ({', '.join(more)})" if more else ""
        return (
            ngettext("{done} of {total} done", "{done} of {total} done", self.done).format(
                done=self.done, total=self.total
            )
            + tail
        )


@dataclass
class FollowUpLine:
    """A mission's latest assessment on one framework and the actions of its last period it follows up."""

    assessment: Assessment
    """The assessment."""
    label: str
    """Mission (and area)."""
    framework: str
    """The framework's title, short."""
    counts: FollowUpCount
    """Its follow-up, by status."""


@dataclass
class MappedQuestion:
    """A question of the newest version that older versions' answers map to by a declared migration, with the
    answer of each mission's latest assessment side by side."""

    id: str
    """The question's id in the newest version."""
    title: str
    """Its text in the newest version."""
    how: str
    """How it maps, per older version: 'renamed from vendor_checks (1.1.0)'."""
    cells: list[str]
    """One per column of FrameworkView.mapped_labels: the answer as the newest version reads it ('—': none)."""


@dataclass
class FrameworkView:
    """Everything compared within one framework."""

    id: str
    """Framework id."""
    title: str
    """Framework title."""
    versions: list[str]
    """Versions among the assessments (with a hash prefix when one version has two contents)."""
    columns: list[Assessment]
    """The latest assessment of each mission (and area)."""
    labels: list[str]
    """Column labels: mission (and area)."""
    scores: list[ScoreLine]
    """Comparable section and derived scores, in the framework's order."""
    not_compared: list[tuple[str, str]]
    """(id, title) of scores left out because they depend on questions that changed between versions."""
    headline: list[tuple[str, str]]
    """(id, title) of the scores followed in the trends: derived scores first, then top-level sections."""
    trends: list[Trend]
    """One per mission (and area)."""
    changed: list[str]
    """Ids of the questions that differ between the versions and that no declared migration maps (empty with one
    version)."""
    common: int
    """Questions the versions share unchanged (all, with one version)."""
    options_compared: bool
    """Whether options were compared too (every version's framework file was seen), not only ids."""
    note: str
    """What was compared, when versions differ."""
    declared: bool = False
    """Whether the headline is the one the framework declares (its `headline`), not guessed from its scores."""
    scales: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Score id -> the lowest and highest score possible, from the framework file (where assess has it)."""
    bands: dict[str, tuple[tuple[float, float, str, str], ...]] = field(default_factory=dict)
    """Score id -> its rating bands, ascending: (min, max, label, colour), from the framework file."""
    target: str = ""
    """The version older assessments' answers were migrated to to compare questions ('' when none was)."""
    mapped: list[MappedQuestion] = field(default_factory=list)
    """Questions older versions' answers map to by a declared migration, answers side by side."""
    mapped_labels: list[str] = field(default_factory=list)
    """The columns of mapped: each mission's latest assessment, after its latest on each older version."""
    warnings: list[Problem] = field(default_factory=list)
    """W504-W506: versions no migration links, a framework file not at hand, answers that could not be migrated."""
    directions: dict[str, str] = field(default_factory=dict)
    """Score id -> threat (higher is worse) or resilience, for every score, compared or not."""

    @property
    def mixed(self) -> bool:
        """Whether the assessments are on more than one version of the framework."""
        return len(self.versions) > 1


@dataclass
class Recurring:
    """A recommended action and the missions it recurs in."""

    framework_id: str
    """Framework id."""
    rule: str
    """Rule id."""
    priority: str
    """critical, high, medium or low."""
    action: str
    """The recommended action."""
    reference: str
    """Where it comes from."""
    missions: list[str]
    """Missions whose latest assessments triggered it."""
    assessments: int
    """How many of the latest assessments (of each mission, area and framework) triggered it."""
    title: str = ""
    """The framework's title."""
    blocks: dict[str, list[str]] = field(default_factory=dict)
    """Mission -> the names of the blocks (groups, risks...) it fired for there, in order; {} for an unscoped rule."""


@dataclass
class Coverage:
    """Coverage, confidence and gaps of a mission's latest assessment on one framework."""

    assessment: Assessment
    """The assessment."""
    label: str
    """Mission (and area)."""
    questions: int
    """Questions asked (visible), on the questions compared."""
    answered: int
    """Answered."""
    unanswered: int
    """Not answered."""
    not_applicable: int
    """Not applicable."""
    unknown: int
    """Answered 'unknown': intelligence gaps."""
    required_missing: int
    """Required questions open."""
    low_confidence: int
    """Answers with low confidence."""
    no_sources: int
    """Answers that need sources and have none."""
    confidence: dict[str, int]
    """Answers by stated confidence, as the framework labels the levels (all the assessment's questions)."""
    intelligence_gaps: list[str]
    """What is unknown, in words."""


@dataclass
class GlanceRow:
    """One line of the summary's first table: a mission's latest assessment on one framework."""

    assessment: Assessment
    """The assessment."""
    label: str
    """Mission (and area)."""
    framework: str
    """Framework title."""
    headline: list[tuple[str, Cell | None]]
    """The headline score or scores: (title, cell)."""
    severity: tuple[float, float] | None
    """How grave the headline rating is, 0 best to 1 worst (its band, then its place on the scale), direction
    applied; None when the scale is not known."""
    change: str
    """Since the previous period: '▲ 0.42 worse', '▼ 0.10 better', 'no change', or '' for a first period."""
    critical: int
    """Critical actions (rules fired)."""
    high: int
    """High-priority actions (rules fired)."""
    coverage: str
    """Questions answered of those asked, as a percentage ('71%')."""
    required_open: int
    """Required questions open."""
    draft: bool
    """Incomplete: a required question is open."""
    colour: str = ""
    """The fill of the headline: the colour of its graver rating (by severity) when it has two axes, #RRGGBB or ''."""


@dataclass
class PolicyRow:
    """A policy recommendation (or a brief's group of them) and the actions leading to it in each mission."""

    label: str
    """As readers write it: 'NUPI 1', 'UNU-CPR 3'."""
    text: str
    """What it says, in short."""
    ids: list[str]
    """The recommendations of the catalogue it stands for that actions led to, as readers write them."""
    counts: dict[str, int]
    """Mission label -> actions (rules fired in its latest assessments) leading to it."""
    rules: list[tuple[str, str]]
    """(framework id, rule id) of the actions leading to it."""


@dataclass
class Comparison:
    """What 'assess compare' shows: built by compare(), rendered to Word and CSV."""

    store: str
    """The store read."""
    filters: Filters
    """The selection."""
    selection: str
    """The selection in words."""
    assessments: list[Assessment]
    """Every assessment selected (current revisions), by framework, mission, period."""
    frameworks: list[FrameworkView]
    """One per framework."""
    recurring: list[Recurring]
    """Recommended actions of the latest assessments, rule by rule, most frequent across missions first."""
    coverage: list[Coverage]
    """Per mission and framework, its latest assessment."""
    notes: list[str] = field(default_factory=list)
    """What the reader must know: versions compared on unchanged questions, periods left out."""
    score_rows: list[tuple[Assessment, dict, bool]] = field(default_factory=list)
    """Every selected assessment's section and derived scores, and whether each is comparable (for CSV)."""
    glance: list[GlanceRow] = field(default_factory=list)
    """The latest assessment of each mission and framework, worst headline rating first."""
    policy: list[PolicyRow] = field(default_factory=list)
    """Policy recommendations the latest assessments' actions lead to, most widespread first."""
    policy_missions: list[str] = field(default_factory=list)
    """The missions of the recommendation x mission matrix, in column order."""
    policy_unmapped: list[tuple[str, str]] = field(default_factory=list)
    """(framework id, rule id) of rules that fired whose policy recommendations are not known (no framework file)."""
    follow_up: list[FollowUpLine] = field(default_factory=list)
    """Per mission and framework, the actions of the last period its latest assessment follows up (none: left out)."""
    follow_up_of: dict[int, FollowUpCount] = field(default_factory=dict)
    """Revision (seq) -> the actions its answers file follows up, for every assessment selected that has any."""
    warnings: list[Problem] = field(default_factory=list)
    """What the one comparing must know: versions no migration links, answers that could not be migrated."""
    language: str = "en"
    """The language of the comparison's words and framework texts (assess.collect.languages)."""
    written: dict[int, str] = field(default_factory=dict)
    """Revision (seq) -> the language its texts were written in ('' when not known)."""
    shown: dict[int, str] = field(default_factory=dict)
    """Revision (seq) -> the language its framework texts are shown in (the comparison's, where it could be)."""
