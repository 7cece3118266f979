"""Provides the collection plan: each high-weight question left unknown or weak becomes an intelligence requirement."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from functools import lru_cache

from .i18n import domain, language
from .l10n import number
from .model import Answers, Framework, Gap, Question, QuestionResult, Requirement, Score, Section
from .model.framework import COLLECTOR_LABELS
from .numbers import shown, trimmed
from .vocabulary import Collector

_, ngettext, pgettext = domain("cli")

Place = tuple[str, str, str] | None
"""Where a question is asked: None for the assessment, (repeatable section id, block id, block name)."""


def collector_labels(ids: tuple[Collector, ...]) -> tuple[str, ...]:
    """Collector ids as readers write them (COLLECTOR_LABELS); an unknown id stays as written."""
    return tuple(COLLECTOR_LABELS.get(c, c) for c in ids)


def _first(section: Section) -> Question | None:
    """The first question of a section, its subsections' included, in framework order."""
    if section.questions:
        return section.questions[0]
    return next((q for sub in section.sections if (q := _first(sub)) is not None), None)


def _ordered(
    fw: Framework, answers: Answers, results: list[QuestionResult]
) -> Iterator[tuple[QuestionResult, Question, Place]]:
    """Question results in framework order, each repeatable section's blocks in place of its questions, in
    their order, each block's questions in framework order; with the question and where it is asked."""
    position = {qid: i for i, qid in enumerate(fw.questions)}
    anchors: dict[str, int] = {}  # repeatable section -> the position of its first question
    blocks: dict[str, dict[str, tuple[int, str]]] = {}  # repeatable section -> block id -> (its place, name)
    keyed: list[tuple[tuple[int, int, int], QuestionResult, Question, Place]] = []
    for r in results:
        q = fw.questions[r.id]
        rep = fw.all_sections[q.section].within
        if r.entity is None or rep is None:
            keyed.append(((position[r.id], 0, 0), r, q, None))
            continue
        if rep not in anchors:
            first = _first(fw.all_sections[rep])
            anchors[rep] = position[first.id] if first is not None else position[r.id]
            blocks[rep] = {e.id: (n, e.name) for n, e in enumerate(answers.entities.get(rep, []))}
        n, name = blocks[rep].get(r.entity, (len(blocks[rep]), r.entity))
        keyed.append(((anchors[rep], n, position[r.id]), r, q, (rep, r.entity, name)))
    for _key, r, q, place in sorted(keyed, key=lambda k: k[0]):
        yield r, q, place


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
    named = _("{label} '{name}'").format(label=rep.label if rep else _("block"), name=place[2])
    if section.id == place[0]:
        return _("the score of {block}").format(block=named)
    return _("{section} of {block}").format(section=section.title, block=named)


@lru_cache(maxsize=4096)
def _number(value: Fraction, places: int) -> str:
    """A number as a requirement writes it: rounded half-up to places, or trimmed (a weight) with places -1;
    cached, as the same few scores and weights come back for many requirements."""
    return trimmed(value, 6) if places < 0 else shown(value, places)


def why(status: str, rated: str, weight: Fraction, where: str, sc: Score | None, places: int) -> str:
    """Why a requirement matters, in words of the interface's language, numbers with its separators: its status,
    the score it weighs on and, for an unknown answer, the range the unknowns leave that score in."""
    lang = language()
    out = (
        _("Unknown")
        if status == "unknown"
        else _("Answered with low confidence (stated: {stated})").format(stated=rated)
        if rated
        else _("Answered with low confidence")
    )
    out += _("; weighs {weight} in {where}").format(weight=number(_number(weight, -1), lang), where=where)
    if sc is None:
        return out
    spans = ""
    if status == "unknown" and sc.low is not None and sc.high is not None:  # the range its unknowns span
        spans = f"{number(_number(sc.low, places), lang)}–{number(_number(sc.high, places), lang)}"
    if sc.value is not None:
        out += _(", whose score is {score}").format(score=number(sc.display, lang))
        out += _(" and could be {range}").format(range=spans) if spans else ""
    elif spans:
        out += _(", which has no score yet and could be {range}").format(range=spans)
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
    weak = {(g.id, g.entity) for g in gaps if g.kind == "low_confidence"}
    # only unknown and weak answers can be requirements: few of the many questions, so they are picked first
    floor = fw.collection_min_weight
    picked = [
        r
        for r in questions
        if (r.status == "unknown" or (r.id, r.entity) in weak)
        and fw.questions[r.id].scored
        and fw.questions[r.id].weight >= floor
    ]
    scale = fw.confidence_scale
    out: list[Requirement] = []
    for r, q, place in _ordered(fw, answers, picked):
        eid, ename = (place[1], place[2]) if place else (None, None)
        status = "unknown" if r.status == "unknown" else "low_confidence"
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
