"""Provides the report's sections as plain data: the Assessment chapter's entries (each section once, its heading level
by depth) and the annex of answers question by question (each block of a repeatable section apart)."""

from __future__ import annotations

import re

from .. import prose
from ..i18n import N_, domain
from ..model import Result
from ..numbers import shown
from .bottomline import scale_text
from .localize import day, english, listing, numbers, relist

_, ngettext, pgettext = domain("report")

STATUS_ANSWERS = {"unanswered": N_("Not answered"), "not_applicable": N_("Not applicable"), "unknown": N_("Unknown")}
CARRIED_WORDS = N_("carried forward — review")
"""An answer carried forward and not yet reviewed, as the report says it (model.CARRIED_LABEL)."""
HEADING_LEVELS = (2, 4)
"""Heading levels of sections in a chapter: the top sections Heading 2, deeper ones down to Heading 4."""
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def _plain(item: str) -> str:
    """One line of Markdown as plain text for Word: a bullet for a list mark, emphasis marks dropped."""
    return _EMPHASIS.sub("", re.sub(r"^[-*+]\s+", "• ", item))


def paragraphs(markdown: str) -> list[str]:
    """Markdown as plain paragraphs for Word: blank lines split, emphasis marks dropped, list items kept apart."""
    return [_plain(item) for para in prose.paragraphs(markdown) for item in para.split("\n")]


def one_paragraph(markdown: str) -> str:
    """Markdown for one Word paragraph: paragraphs a blank line apart, a list item a line, emphasis dropped."""
    return "\n\n".join("\n".join(_plain(item) for item in para.split("\n")) for para in prose.paragraphs(markdown))


def heading_level(depth: int) -> int:
    """The Word heading level of a section at depth (0 for a top section) inside a chapter: 2, 3, then 4."""
    return min(HEADING_LEVELS[0] + depth, HEADING_LEVELS[1])


def body(result: Result, clean) -> list[dict]:
    """The Assessment chapter: every visible section once (a repeatable one by its aggregate, its blocks
    compared in its matrix), with its score, scale, rating and description, and its heading level by depth."""
    fw = result.framework
    out: list[dict] = []

    def walk(sections, depth):
        for sec in sections:
            score = result.sections.get(sec.id)
            if score is not None and score.method == "hidden by its condition":
                continue
            scored = score is not None and score.value is not None
            blocks = len(result.answers.entities.get(sec.id, [])) if sec.repeat is not None else 0
            out.append(
                {
                    "id": sec.id,
                    "heading": clean(sec.title, sec.id),
                    "level": heading_level(depth),
                    "sub_level": min(heading_level(depth) + 1, HEADING_LEVELS[1]),
                    "score": numbers(score.display) if scored and score is not None else "",
                    "scale": scale_text(result, score) if scored and score is not None else "",
                    "rating": (score.rating or "") if score is not None else "",
                    "description": one_paragraph(sec.description),
                    "blocks": ngettext("{n} {label}(s) assessed", "{n} {label}(s) assessed", blocks).format(
                        n=blocks, label=sec.repeat.label
                    )
                    if sec.repeat is not None
                    else "",
                }
            )
            if sec.repeat is None:
                walk(sec.sections, depth + 1)

    walk(fw.sections, 0)
    return out


def answers(result: Result, clean) -> list[dict]:
    """Every visible section (each block of a repeatable one) with its visible questions, in order."""
    fw, ans = result.framework, result.answers
    by_scope: dict[tuple, dict] = {}
    for q in result.questions:
        by_scope.setdefault((q.entity, q.section), {})[q.id] = q
    blocks = {e.id: e for group in ans.entities.values() for e in group}
    out: list[dict] = []
    number = [0]

    def emit(sec, entity, entity_name, depth):
        qs = by_scope.get((entity, sec.id), {})
        score = (
            result.entity_scores.get(sec.within, {}).get(entity, {}).get(sec.id)
            if entity
            else result.sections.get(sec.id)
        )
        if score is not None and score.method == "hidden by its condition":
            return
        questions = []
        for fq in sec.questions:
            q = qs.get(fq.id)
            if q is None or q.status == "hidden":
                continue
            number[0] += 1
            a = (blocks[entity].answers if entity else ans.answers).get(fq.id)
            where = f"{fq.id}" + (f" ({entity_name})" if entity_name else "")
            answer = (
                (
                    day(q.label)
                    if fq.type == "date"
                    else numbers(q.label)
                    if fq.type == "number"
                    else relist(q.label)
                    if fq.type == "multiple"
                    else q.label
                )
                if q.status == "answered"
                else _(STATUS_ANSWERS[q.status])
                if q.status in STATUS_ANSWERS
                else None
            )
            if q.status == "unknown":
                unknown = _("Unknown")
                label = q.label or ""
                answer = (
                    label  # the option says it already: 'Inconnu (lacune de renseignement)', not twice
                    if not english() and label.casefold().startswith(unknown.casefold())
                    else f"{unknown} — {label}"
                    if label and label.lower() not in ("unknown", unknown.lower())
                    else unknown
                )
            conf = ""
            if a is not None and a.confidence is not None and fw.confidence_scale:
                opt = next((o for o in fw.confidence_scale.options if o.value == a.confidence), None)
                conf = opt.label if opt else str(a.confidence)
            sources = [
                {
                    "ref": clean(s.ref, f"{where} source"),
                    "grade": f"{s.reliability or '?'}{s.credibility or '?'}"
                    if (s.reliability or s.credibility)
                    else "",
                }
                for s in (a.sources if a else [])
            ]
            questions.append(
                {
                    "id": fq.id,
                    "number": f"{number[0]}.",
                    "text": prose.unwrap(fq.text),
                    "answer": clean(answer, where),
                    "status": q.status,
                    # '' where the question asks none (a key judgement states its confidence in its own question)
                    "confidence": conf
                    or ("" if not fq.confidence else _("not stated") if q.status in ("answered", "unknown") else "—"),
                    "sources": sources,
                    "sources_text": listing(x["ref"] + (f" ({x['grade']})" if x["grade"] else "") for x in sources),
                    "note": clean(a.note if a else "", where),
                    "carried": _(CARRIED_WORDS) if a is not None and a.carried else "",
                    "score": numbers(shown(q.score, fw.precision, "")),
                }
            )
        heading = sec.title + (f" — {prose.isolated(entity_name)}" if entity_name else "")
        out.append(
            {
                "id": sec.id,
                "heading": clean(heading, sec.id),
                "level": heading_level(depth),
                "description": one_paragraph(sec.description),
                "entity": entity_name or "",
                "score": numbers(score.display) if score and score.value is not None else "",
                "rating": (score.rating or "") if score else "",
                "questions": questions,
            }
        )
        for sub in sec.sections:
            place(sub, entity, entity_name, depth + 1)

    def place(sec, entity, entity_name, depth):
        if sec.repeat is None:
            emit(sec, entity, entity_name, depth)
        else:
            for e in ans.entities.get(sec.id, []):
                emit(sec, e.id, e.name, depth)

    for sec in fw.sections:
        place(sec, None, None, 0)
    return [s for s in out if s["questions"] or s["score"]]
