"""Provides the records the store keeps of a payload: one revision, its rows as typed records, and revision().

Each row record's fields are named after the columns of its table (assess.collect.migrations), so the store
inserts a record by its field names and nothing depends on the position of a value in a tuple.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from ..errors import Problem, problem
from .periods import period_range


class AnswerRow(NamedTuple):
    """One question's answer (of the assessment or of one of its blocks): a row of the answers table."""

    question_id: str
    """The question."""
    entity_id: str | None
    """The block the answer belongs to (None: the assessment's own)."""
    status: str
    """answered, unanswered, not_applicable, unknown or hidden."""
    value: str | None
    """The value, as JSON."""
    label: str | None
    """What the value shows as, when that is not the value itself."""
    score: float | None
    """The answer's score."""
    confidence: str | None
    """The stated confidence, as JSON."""
    sources: int
    """How many sources the answer cites."""


class ScoreRow(NamedTuple):
    """One section, derived or block score: a row of the scores table."""

    kind: str
    """section, derived or entity."""
    score_id: str
    """The section or derived score's id."""
    entity_id: str | None
    """The block (entity scores only)."""
    entity_name: str | None
    """The block's name (entity scores only)."""
    title: str
    """The score's title."""
    depth: int
    """Nesting of a section (0 at the top)."""
    exact: str | None
    """The exact score, as a fraction."""
    value: float | None
    """The score as a number."""
    display: str
    """Rounded for display, or '-'."""
    rating: str | None
    """Rating label."""
    colour: str | None
    """Rating colour, #RRGGBB."""
    direction: str
    """threat (higher is worse) or resilience (higher is better)."""


class RecommendationRow(NamedTuple):
    """One recommended action: a row of the recommendations table."""

    rule: str
    """The rule that fired."""
    priority: str
    """critical, high, medium or low."""
    finding: str
    """What was found."""
    action: str
    """What to do."""
    section_id: str | None
    """The section it concerns."""
    entity_id: str | None
    """The block it concerns."""
    entity_name: str | None
    """The block's name."""


class GapRow(NamedTuple):
    """One gap (a question open, unknown, with low confidence or without sources): a row of the gaps table."""

    kind: str
    """required_missing, unknown, low_confidence, no_sources or too_few_entities."""
    question_id: str
    """The question (or section) concerned."""
    entity_id: str | None
    """The block concerned."""
    message: str
    """The gap in words."""


class RuleRow(NamedTuple):
    """Where a fired rule comes from: kept once per framework version in the rules table."""

    reference: str
    """The rule's reference."""
    source: str | None
    """The rule's source."""


class QuestionRow(NamedTuple):
    """One question of a framework version: a row of the framework_questions table."""

    question_id: str
    """The question."""
    section_id: str
    """Its section."""
    signature: str | None
    """Its type, options and range in one hash (None when only a report was seen)."""


@dataclass
class Revision:
    """One revision of one assessment, flattened into the rows the store keeps."""

    assessment_id: str
    """Stable id of the assessment (the answers' id)."""
    revision: str
    """SHA-256 of the payload: two files with the same payload are the same revision."""
    framework_id: str
    """Framework id."""
    framework_version: str
    """Framework version."""
    framework_hash: str
    """Framework content hash."""
    framework_title: str
    """Framework title."""
    metadata: dict[str, str]
    """title, mission, area, period, analyst, marking, created, updated and any other metadata."""
    period_range: tuple[str, str] | None
    """First and last day of the period, when it reads as one."""
    updated: str
    """metadata.updated, normalized to UTC ISO 8601, or '' when missing: decides which revision is newer."""
    complete: bool
    """Whether no required question is open."""
    coverage: dict[str, int]
    """Counts: questions, answered, unanswered, not_applicable, unknown, required_missing, hidden."""
    confidence: dict[str, int]
    """Answers by confidence level."""
    source: str
    """The file the revision was read from."""
    source_kind: str
    """report (.docx) or answers (.yaml)."""
    answers: list[AnswerRow] = field(default_factory=list)
    """Every question and every block's question (the block's name is in its scores; the question's section in
    framework_questions)."""
    scores: list[ScoreRow] = field(default_factory=list)
    """Sections (parents first), derived scores, then each block's sections."""
    recommendations: list[RecommendationRow] = field(default_factory=list)
    """The recommended actions, in order."""
    rules: dict[str, RuleRow] = field(default_factory=dict)
    """Rule id -> where it comes from, of the rules that fired."""
    gaps: list[GapRow] = field(default_factory=list)
    """The gaps, in order."""
    answers_file: str = ""
    """The answers file it was made from, as JSON data (the payload's answers): its answers to migrate when
    compared with another version."""
    follow_up: tuple[int, int, int, int, int] | None = None
    """The actions of the last period it follows up: total, done, in progress, dropped, not started (None: none)."""
    language: str = ""
    """The language its texts are in (the payload's `language`, else its answers'; '' until the reader fills in the
    framework's default)."""
    signed_by: str | None = None
    """The fingerprint of the trusted mission key that signed the report (None: unsigned, or an answers file)."""
    file_sha256: str | None = None
    """SHA-256 of the file's bytes as collected: its name in the archive (collect --archive)."""


@dataclass
class FrameworkInfo:
    """What the store keeps of a framework version to compare assessments made on different versions."""

    hash: str
    """Content hash: the key."""
    id: str
    """Framework id."""
    version: str
    """Version."""
    title: str
    """Title."""
    questions: list[QuestionRow]
    """Its questions, with their signatures when read from the framework file."""
    scores: dict[str, list[str]]
    """Section or derived score id -> the ids of the questions it depends on."""
    from_file: bool
    """True when read from the framework file; False when reconstructed from a report's payload."""
    path: str = ""
    """The framework file it was read from, absolute ('' when reconstructed from a report)."""


UNIDENTIFIED = "unidentified-"
"""How the id made for an assessment without one begins (W501)."""


def identity(payload: dict) -> tuple[str, dict[str, str]]:
    """The assessment's id (made from its framework, mission, area and title when it has none: W501) and
    its metadata as text."""
    res = payload["result"]
    meta = {str(k): "" if v is None else str(v) for k, v in (res["assessment"].get("metadata") or {}).items()}
    aid = str(res["assessment"].get("id") or payload["answers"].get("id") or "")
    if not aid:
        basis = "|".join(
            (payload["framework"]["id"], meta.get("mission", ""), meta.get("area", ""), meta.get("title", ""))
        )
        aid = UNIDENTIFIED + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:24]
    return aid, meta


def revision(payload: dict, digest: str, source: str, kind: str, warnings: list[Problem]) -> Revision:
    """The rows the store keeps of one payload (raises KeyError or TypeError on a malformed one)."""
    res = payload["result"]
    fw = payload["framework"]
    aid, meta = identity(payload)
    if aid.startswith(UNIDENTIFIED):
        warnings.append(problem(source, None, "W501", basis="its framework, mission, area and title"))
    answers = [
        AnswerRow(
            question_id=q["id"],
            entity_id=q["entity"],
            status=q["status"],
            value=None if q["value"] is None else _encode(q["value"]),
            label=None if q["label"] == q["value"] or not q["label"] else q["label"],
            score=q["score"],
            confidence=None if q["confidence"] is None else _encode(q["confidence"]),
            sources=int(q["sources"] or 0),
        )
        for q in res["questions"]
    ]
    parents = _parents(res)
    depth = _depths(parents)
    scores = [_score("section", s, depth=depth(s["id"])) for s in _parents_first(res["sections"], parents)]
    scores += [_score("derived", s) for s in res["derived"]]
    for _, blocks in sorted(res["entities"].items()):  # by section id: a payload read back has its keys sorted
        for b in blocks:
            scores += [_score("entity", s, b["id"], b["name"], depth(s["id"])) for s in b["sections"]]
    recommendations = [
        RecommendationRow(
            rule=x["rule"],
            priority=x["priority"],
            finding=x["finding"],
            action=x["action"],
            section_id=x["section"],
            entity_id=x["entity"],
            entity_name=x["entity_name"],
        )
        for x in res["recommendations"]
    ]
    gaps = [
        GapRow(kind=g["kind"], question_id=g["id"], entity_id=g["entity"], message=g["message"]) for g in res["gaps"]
    ]
    rules = {x["rule"]: RuleRow(reference=x["reference"], source=x["source"]) for x in res["recommendations"]}
    return Revision(
        assessment_id=aid,
        revision=digest,
        framework_id=str(fw["id"]),
        framework_version=str(fw["version"]),
        framework_hash=str(fw["hash"]),
        framework_title=str(res["framework"].get("title") or fw["id"]),
        metadata=meta,
        period_range=period_range(meta.get("period")),
        updated=_utc(meta.get("updated") or meta.get("created") or ""),
        complete=bool(res["complete"]),
        coverage=dict(res["coverage"]),
        confidence=dict(res["confidence"]),
        source=source,
        source_kind=kind,
        answers=answers,
        scores=scores,
        recommendations=recommendations,
        gaps=gaps,
        rules=rules,
        answers_file=_encode(payload["answers"]),
        follow_up=follow_up_counts(payload["answers"]),
        language=recorded_language(payload),
    )


def recorded_language(payload: dict) -> str:
    """The language a payload says its texts are in: its own `language`, else its answers file's ('' for none)."""
    lang = payload.get("language") or (payload.get("answers") or {}).get("language") or ""
    return lang if isinstance(lang, str) else ""


FOLLOW_UP_ORDER = ("done", "in_progress", "dropped", "not_started")
"""The statuses counted after the total, in order (a status not among them counts as not started)."""


def follow_up_counts(answers_file: dict) -> tuple[int, int, int, int, int] | None:
    """The actions an answers file (as data) follows up: total, done, in progress, dropped, not started; None
    when it follows up none."""
    items = answers_file.get("follow_up") or []
    if not isinstance(items, list) or not items:
        return None
    status = [str(x.get("status") or "") if isinstance(x, dict) else "" for x in items]
    done, progress, dropped = (status.count(s) for s in FOLLOW_UP_ORDER[:3])
    return len(items), done, progress, dropped, len(items) - done - progress - dropped


def _score(kind: str, s: dict, entity: str | None = None, entity_name: str | None = None, depth: int = 0) -> ScoreRow:
    return ScoreRow(
        kind=kind,
        score_id=s["id"],
        entity_id=entity,
        entity_name=entity_name,
        title=s["title"],
        depth=depth,
        exact=s["exact"],
        value=s["score"],
        display=s["display"] or "-",
        rating=s["rating"],
        colour=s["colour"],
        direction=s["direction"] or "threat",
    )


def _parents(res: dict) -> dict[str, str]:
    """Section id -> its parent section's id, from the inputs each section lists."""
    section_ids = {s["id"] for s in res["sections"]}
    parents: dict[str, str] = {}
    for s in res["sections"]:
        for i in s["inputs"]:
            if i["id"] in section_ids and i["id"] != s["id"]:
                parents.setdefault(i["id"], s["id"])
    for blocks in res["entities"].values():
        for b in blocks:
            for s in b["sections"]:
                for i in s["inputs"]:
                    if i["id"] != s["id"] and i["id"] not in parents:
                        parents[i["id"]] = s["id"]
    return parents


def _depths(parents: dict[str, str]):
    """How deep a section is nested (0 at the top), from its parents (a cycle stops the count)."""

    def depth(sid: str) -> int:
        d, seen = 0, {sid}
        while sid in parents and parents[sid] not in seen:
            sid = parents[sid]
            seen.add(sid)
            d += 1
        return d

    return depth


def _parents_first(sections: list[dict], parents: dict[str, str]) -> list[dict]:
    """The sections with each parent before its subsections (the result lists subsections first)."""
    section_ids = {s["id"] for s in sections}
    children: dict[str, list[dict]] = {}
    roots: list[dict] = []
    for s in sections:
        p = parents.get(s["id"])
        (children.setdefault(p, []) if p is not None and p in section_ids else roots).append(s)
    ordered: list[dict] = []
    placed: set[str] = set()

    def visit(s: dict) -> None:
        if s["id"] in placed:
            return
        placed.add(s["id"])
        ordered.append(s)
        for c in children.get(s["id"], ()):
            visit(c)

    for s in roots:
        visit(s)
    return ordered + [s for s in sections if s["id"] not in placed]


_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps(v, **options) builds one per call


def _utc(text: str) -> str:
    """An ISO 8601 time as UTC 'YYYY-MM-DDTHH:MM:SSZ' (naive times are taken as UTC); other text as it is."""
    try:
        t = _dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.UTC)
    return t.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def nul_field(*records: object) -> str | None:
    """The first field of these records (revisions, framework infos, rows) whose text holds a NUL character, by
    its path ('metadata.title', 'answers_file.answers.q1.value'), or None: a PostgreSQL store cannot keep NUL in
    text, so such a file is refused on either store alike."""

    def walk(value: object, where: str) -> str | None:
        if isinstance(value, str):
            if where.endswith("answers_file") and value:  # JSON text: NUL is escaped in it
                return walk(json.loads(value), where) if "\\u0000" in value else None
            return where if "\x00" in value else None
        if isinstance(value, dict):
            items: Iterable[tuple[str, object]] = ((str(k), v) for k, v in value.items())
            for k in value:
                if isinstance(k, str) and "\x00" in k:
                    return f"{where}.{k!r}".lstrip(".")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            items = ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
        elif isinstance(value, tuple) and hasattr(value, "_fields"):
            items = zip(value._fields, value, strict=True)
        elif isinstance(value, list | tuple | set):
            items = ((str(n), v) for n, v in enumerate(value))
        else:
            return None
        for key, item in items:
            found = walk(item, f"{where}.{key}" if where else key)
            if found:
                return found
        return None

    for record in records:
        found = walk(record, "")
        if found:
            return found
    return None
