"""Provides the collection plan: each high-weight question left unknown or weak becomes an intelligence requirement."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction

from .model import Answers, Framework, Gap, Question, QuestionResult, Requirement, Score, Section
from .model.framework import COLLECTOR_LABELS
from .numbers import shown, trimmed
from .vocabulary import Collector

Place = tuple[str, str, str] | None
"""Where a question is asked: None for the assessment, (repeatable section id, block id, block name)."""


def collector_labels(ids: tuple[Collector, ...]) -> tuple[str, ...]:
    """Collector ids as readers write them (COLLECTOR_LABELS); an unknown id stays as written."""
    return tuple(COLLECTOR_LABELS.get(c, c) for c in ids)


def _walk(
    fw: Framework, answers: Answers, sections: tuple[Section, ...], place: Place
) -> Iterator[tuple[Question, Place]]:
    """(top-level section, question, place) in framework order; a repeatable section's blocks in order."""
    for s in sections:
        if s.repeat is not None and place is None:
            for e in answers.entities.get(s.id, []):
                yield from _walk(fw, answers, (s,), (s.id, e.id, e.name))
            continue
        for q in s.questions:
            yield q, place
        yield from _walk(fw, answers, s.sections, place)


def _top(fw: Framework, sid: str) -> Section:
    """The top-level section a section is in (itself if top-level)."""
    while (parent := fw.all_sections[sid].parent) is not None:
        sid = parent
    return fw.all_sections[sid]


def _where(fw: Framework, section: Section, place: Place) -> str:
    """The score a question weighs on, in words: its section's title, for a block the block named too."""
    if place is None:
        return section.title
    rep = fw.all_sections[place[0]].repeat
    named = f"{rep.label if rep else 'block'} '{place[2]}'"
    return f"the score of {named}" if section.id == place[0] else f"{section.title} of {named}"


def why(status: str, rated: str, weight: Fraction, where: str, sc: Score | None, places: int) -> str:
    """Why a requirement matters, in words: its status, the score it weighs on and, for an unknown answer, the
    range the unknowns leave that score in."""
    out = "Unknown" if status == "unknown" else f"Answered with low confidence ({rated})" if rated else "Low confidence"
    out += f"; weighs {trimmed(weight, 6)} in {where}"
    if sc is None:
        return out
    spans = ""
    if status == "unknown" and sc.low is not None and sc.high is not None:  # the range its unknowns span
        spans = f"{shown(sc.low, places)}–{shown(sc.high, places)}"
    if sc.value is not None:
        out += f", whose score is {sc.display}" + (f" and could be {spans}" if spans else "")
    elif spans:
        out += f", which has no score yet and could be {spans}"
    return out


def requirements(
    fw: Framework,
    answers: Answers,
    questions: tuple[QuestionResult, ...],
    gaps: tuple[Gap, ...],
    sections: Mapping[str, Score],
    blocks: Mapping[str, Mapping[str, Mapping[str, Score]]],
) -> tuple[Requirement, ...]:
    """The collection plan: one requirement per shown, scored, high-weight question answered unknown or with low
    confidence, in framework order (a repeatable section's blocks in order), numbered IR-1 up."""
    results = {(r.id, r.entity): r for r in questions}
    weak = {(g.id, g.entity) for g in gaps if g.kind == "low_confidence"}
    floor = fw.collection_min_weight
    scale = fw.confidence_scale
    out: list[Requirement] = []
    for q, place in _walk(fw, answers, fw.sections, None):
        eid, ename = (place[1], place[2]) if place else (None, None)
        r = results.get((q.id, eid))
        if r is None:
            continue
        status = "unknown" if r.status == "unknown" else "low_confidence" if (q.id, eid) in weak else ""
        if not status or not q.scored or q.weight < floor:  # the cheap test first: a Fraction compares slowly
            continue
        section = fw.all_sections[q.section]
        sc = blocks.get(place[0], {}).get(eid or "", {}).get(q.section) if place else sections.get(q.section)
        where = _where(fw, section, place)
        opt = next((o for o in scale.options if o.value == r.confidence), None) if scale else None
        rated = opt.label if opt else ""
        out.append(
            Requirement(
                number=len(out) + 1,
                id=f"{place[0]}/{eid}/{q.id}" if place else q.id,
                question=q.id,
                entity=eid,
                entity_name=ename,
                section=_top(fw, q.section).title,
                what=f"{ename}: {q.text}" if ename else q.text,
                why=why(status, rated, q.weight, where, sc, fw.precision),
                status=status,
                collectors=collector_labels(q.collectors),
            )
        )
    return tuple(out)
