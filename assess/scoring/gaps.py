"""Provides what the result says of each question, and what is counted over them: coverage, confidence, gaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..i18n import N_, domain
from ..model import GAP_KINDS, GRADES, Answer, Entity, Framework, Gap, Question, QuestionResult, low_grade
from .state import QuestionState, Scope, State

_, ngettext, pgettext = domain("cli")

NO_SOURCES = {"required": N_("No sources (required): {text}"), "recommended": N_("No sources (recommended): {text}")}
"""A question answered without sources, by its evidence level (the words of the interface's language)."""

NO_JUSTIFICATION = {
    "required": N_("No justification (required): {text}"),
    "recommended": N_("No justification (recommended): {text}"),
}
"""A question answered without a note, by its justification level."""


@dataclass(slots=True)
class Tally:
    """The question results of an assessment and what was counted over them."""

    questions: list[QuestionResult] = field(default_factory=list)
    """Every question of the assessment, then of each block."""
    coverage: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("questions", "answered", "unanswered", "not_applicable", "unknown", "required_missing", "hidden"), 0
        )
    )
    """Counts of questions by status, and of required questions left unanswered."""
    confidence: dict[str, int] = field(default_factory=dict)
    """Counts of answers by confidence level, plus 'not stated'."""
    gaps: list[Gap] = field(default_factory=list)
    """Missing and weak answers, by kind (GAP_KINDS order)."""
    marks: list[tuple[str, str | None]] = field(default_factory=list)
    """(kind, block id) of answers rules may count besides the gaps: single_source, low_graded."""
    grades: dict[str, dict[str, int]] = field(default_factory=dict)
    """Per top-level section id: sources by grade, 'sources', 'answers' and 'unsourced'."""
    counts_of: dict[str, dict[str, int]] = field(default_factory=dict)
    """Section id -> the grades counts of its top-level section (one of those in grades)."""


def tally(state: State) -> Tally:
    """The question results, coverage, confidence counts and gaps of the assessment and of each block."""
    fw, ans = state.fw, state.answers
    letters, digits = GRADES.get(fw.grading, ("", ""))
    keys = ("sources", "answers", "unsourced", *letters, *digits)
    out = Tally(grades={s.id: dict.fromkeys(keys, 0) for s in fw.sections})
    out.counts_of = {sid: out.grades[top_section(fw, sid)] for sid in fw.all_sections}
    places: list[tuple[Scope, Entity | None, Mapping[str, Answer]]] = [(None, None, ans.answers)]
    for sid, sec in fw.all_sections.items():  # in the framework's order, whatever the answers file's
        if sec.repeat:
            places += [((sid, e.id), e, e.answers) for e in ans.entities.get(sid, [])]
    for scope, entity, answers in places:
        tables = state.scopes.get(scope)
        for qid, st in tables.questions.items() if tables else ():
            _question(state, out, fw.questions[qid], st, answers.get(qid), entity)
    for sid, sec in fw.all_sections.items():
        if sec.repeat and state.visible(sid):
            n = len(ans.entities.get(sid, []))
            if n < sec.repeat.min:
                few = ngettext(  # the English says block(s) as it always did; other languages agree in number
                    "{title}: {n} {label} block(s), at least {least} needed",
                    "{title}: {n} {label} block(s), at least {least} needed",
                    n,
                )
                said = few.format(title=sec.title, n=n, label=sec.repeat.label, least=sec.repeat.min)
                out.gaps.append(Gap("too_few_entities", sid, said))
    out.gaps.sort(key=lambda g: GAP_KINDS.index(g.kind))
    return out


def _question(
    state: State, out: Tally, q: Question, qs: QuestionState, a: Answer | None, entity: Entity | None
) -> None:
    """Add one question's result, and count it and its gaps."""
    qid, st, raw = q.id, qs.status, qs.raw
    eid = entity.id if entity else None
    ename = f" ({entity.name})" if entity else ""
    norm = state.normalize(raw, q.score_range) if raw is not None else None
    grades = (
        tuple((x.reliability or "", "" if x.credibility is None else str(x.credibility)) for x in a.sources)
        if a and a.sources
        else ()
    )
    out.questions.append(
        QuestionResult(
            qid,
            q.section,
            st,
            a.value if a else None,
            qs.label,
            raw,
            norm,
            eid,
            a.confidence if a else None,
            len(a.sources) if a else 0,
            q.required,
            grades,
        )
    )
    cov, gaps = out.coverage, out.gaps
    if st == "hidden":
        cov["hidden"] += 1
        return
    cov["questions"] += 1
    cov[st] += 1
    if st == "unanswered" and q.required:
        cov["required_missing"] += 1
        gaps.append(
            Gap("required_missing", qid, _("Required question not answered: {text}").format(text=q.text + ename), eid)
        )
    if st == "unknown":
        gaps.append(
            Gap("unknown", qid, _("Answered 'unknown' (intelligence gap): {text}").format(text=q.text + ename), eid)
        )
    if st != "answered":
        return
    assert a is not None  # an answered question has an answer
    _count_sources(state.fw, out, q, grades, eid)
    if q.confidence:
        if a.confidence is None:
            out.confidence["not stated"] = out.confidence.get("not stated", 0) + 1
            gaps.append(Gap("no_confidence", qid, _("No confidence stated: {text}").format(text=q.text + ename), eid))
        else:
            scale, low = state.fw.confidence_scale, state.fw.confidence_low
            opt = next((o for o in scale.options if o.value == a.confidence), None) if scale else None
            key = opt.label if opt else str(a.confidence)
            out.confidence[key] = out.confidence.get(key, 0) + 1
            if opt and opt.score is not None and low is not None and opt.score <= low:
                said = _("Low confidence (stated: {stated}): {text}").format(stated=key, text=q.text + ename)
                gaps.append(Gap("low_confidence", qid, said, eid))
    if q.evidence != "none" and not a.sources:
        said = _(NO_SOURCES[q.evidence]) if q.evidence in NO_SOURCES else f"No sources ({q.evidence}): {{text}}"
        gaps.append(Gap("no_sources", qid, said.format(text=q.text + ename), eid))
    if q.justification != "none" and not a.note.strip():
        level = q.justification
        said = _(NO_JUSTIFICATION[level]) if level in NO_JUSTIFICATION else f"No justification ({level}): {{text}}"
        gaps.append(Gap("no_justification", qid, said.format(text=q.text + ename), eid))


def top_section(fw: Framework, sid: str) -> str:
    """The id of the top-level section a section is in (itself if top-level)."""
    while (parent := fw.all_sections[sid].parent) is not None:
        sid = parent
    return sid


def _count_sources(
    fw: Framework, out: Tally, q: Question, grades: tuple[tuple[str, str], ...], eid: str | None
) -> None:
    """Count an answered question's sources by grade in its top-level section, and mark it for the rule
    counters: single_source (one source where evidence is asked), low_graded (every source low-graded)."""
    counts = out.counts_of[q.section]
    counts["answers"] += 1
    counts["sources"] += len(grades)
    counts["unsourced"] += not grades
    for reliability, credibility in grades:
        for g in (reliability, credibility):
            if g:
                counts[g] = counts.get(g, 0) + 1
    if q.evidence != "none" and len(grades) == 1:
        out.marks.append(("single_source", eid))
    if grades and all(low_grade(fw.grading, r, c) for r, c in grades):
        out.marks.append(("low_graded", eid))
