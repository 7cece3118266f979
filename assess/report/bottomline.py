"""Provides the report's bottom line and plan of action: the headline rating in words, the key findings, the top
actions, the dates and the draft state, and the plan's rows, all as plain data for the template."""

from __future__ import annotations

import re

from ..i18n import domain
from ..model import Result, Score
from ..numbers import trimmed
from ..plan import PlanItem, plan
from .followup import carried_text, follow_up_text, kept_text, priority_word
from .localize import day, listing, numbers, relist
from .sourcing import conflicts_text, support_text
from .words import word

_, ngettext, pgettext = domain("report")

FINDINGS = (3, 5)
"""Fewest and most key findings on the bottom line."""
ACTIONS = 3
"""Actions on the bottom line."""
GRAVE = ("critical", "high")
"""Priorities whose findings are key findings, up to FINDINGS[1]."""
MINUS = "\u2212"
"""The minus sign a reader sees in a range with a negative end."""


def headline_scores(result: Result) -> list[Score]:
    """The scores the framework sums itself up by (its `headline`), or its first derived score, or its first
    top-level section that scores anything (a context section of unscored questions rates nothing)."""
    fw = result.framework
    ids = tuple(fw.headline)
    if not ids:
        scored = (s.id for s in fw.sections if s.id in result.sections and fw.ranges.get(s.id) is not None)
        ids = tuple(result.derived)[:1] or tuple(scored)[:1]
    found = (result.derived.get(i) or result.sections.get(i) for i in ids)
    return [s for s in found if s is not None]


def _scheme(result: Result, sid: str) -> str | None:
    fw = result.framework
    if sid in fw.all_sections:
        return fw.all_sections[sid].rating
    return next((d.rating for d in fw.derived if d.id == sid), None)


def scale_text(result: Result, s: Score) -> str:
    """A score's scale for a reader: '1–4, higher is worse'; '' when its range is unknown."""
    rng = result.framework.ranges.get(s.id)
    if not rng:
        return ""
    places = result.framework.precision
    scale = numbers(span(trimmed(rng[0], places), trimmed(rng[1], places)))
    if s.direction == "threat":
        return _("{scale}, higher is worse").format(scale=scale)
    return _("{scale}, higher is better").format(scale=scale)


def higher_is(s: Score) -> str:
    """What a higher score means for a reader: 'worse' (a threat) or 'better' (a resilience)."""
    return _("worse") if s.direction == "threat" else _("better")


def span(low: str, high: str) -> str:
    """A range for a reader: '1–10', or '−9 to 9' (a true minus, and 'to') when an end is negative."""
    if low.startswith("-") or high.startswith("-"):
        return _("{low} to {high}").format(low=low.replace("-", MINUS, 1), high=high.replace("-", MINUS, 1))
    return f"{low}–{high}"


def answered_any(result: Result) -> bool:
    """Whether any question has an answer, a not applicable or an unknown."""
    cov = result.coverage
    return bool(cov["answered"] or cov["not_applicable"] or cov["unknown"])


def unrated_text(result: Result) -> str:
    """What the bottom line says of a headline score without a value."""
    if answered_any(result):
        return _("Not yet rated: too few of its questions are answered.")
    return _("Not yet rated: no answers to its questions yet.")


def no_findings_text(result: Result) -> str:
    """What the bottom line says in place of findings while nothing is answered: how many required questions
    are open."""
    required = [q for q in result.questions if q.required and q.status != "hidden"]
    return _("No findings yet: {open} of {required} required questions are open.").format(
        open=result.coverage["required_missing"], required=len(required)
    )


def band_description(result: Result, s: Score) -> str:
    """What a score's rating band means, as the framework words it; '' without one."""
    rating = result.framework.rating_for(_scheme(result, s.id))
    band = rating.band(s.value) if rating is not None and s.value is not None else None
    return band.description.strip() if band is not None else ""


def headline(result: Result, clean) -> dict:
    """The headline rating in words: one line ('High criminality, low resilience') and each score with its scale,
    rating and band description."""
    scores = headline_scores(result)
    items = []
    for s in scores:
        scale = scale_text(result, s)
        display = numbers(s.display)
        value = _("{score} on {scale}").format(score=display, scale=scale) if scale and s.value is not None else display
        sentence = (
            _("{title}: {value} — {rating}.").format(title=s.title, value=value, rating=s.rating or _("not rated"))
            if s.value is not None
            else f"{s.title} — {unrated_text(result)}"
        )
        items.append(
            {
                "title": s.title,
                "display": display,
                "scale": scale,
                "rating": s.rating or _("not rated"),
                "description": clean(band_description(result, s), f"rating of {s.id}"),
                "colour": (s.colour or "FFFFFF").lstrip("#"),
                "sentence": sentence,
            }
        )
    if len(scores) == 2 and all(s.rating for s in scores):
        first, second = scores
        assert first.rating is not None and second.rating is not None  # checked just above
        line = _("{rating1} {title1}, {rating2} {title2}").format(
            rating1=first.rating, title1=first.title.lower(), rating2=second.rating.lower(), title2=second.title.lower()
        )
        line = line[:1].upper() + line[1:]
    elif scores:
        line = ""
    else:
        line = _("No headline score: the framework declares none and has no overall score.")
    return {"line": line, "scores": items}


def key_findings(items: list[PlanItem]) -> list[PlanItem]:
    """The plan items whose findings lead the bottom line: critical and high first, at least 3, at most 5."""
    grave = [i for i in items if i.priority in GRAVE][: FINDINGS[1]]
    return grave if len(grave) >= FINDINGS[0] else items[: max(len(grave), FINDINGS[0])]


def _whom(item: PlanItem, text: str) -> str:
    """The blocks an item concerns, where its text does not name them all (it says 'each ... listed')."""
    return f" ({relist(item.for_whom)})" if any(name not in text for name in item.blocks) else ""


_SENTENCE_END = re.compile(r"(?<=[a-z)][.!?])\s+(?=[A-Z])")


def first_sentence(text: str) -> str:
    """The first sentence of a finding or an action, for the bottom line; the plan of action has the rest."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


def dates(result: Result) -> dict:
    """Information cut-off (the answer to the framework's `cutoff` date question) and last update (the file's),
    as dates; 'not recorded' where there is none: never an edit timestamp or today's date in its place."""
    ans = result.answers
    qid = result.framework.cutoff
    answer = ans.answers.get(qid) if qid else None
    value = answer.value if answer is not None and not answer.na else None
    cutoff = str(value)[:10] if value not in (None, "") else ""
    updated = ans.metadata.get("updated") or ans.metadata.get("created") or ""
    return {"cutoff": day(cutoff) or _("not recorded"), "updated": day(str(updated)[:10]) or _("not recorded")}


def draft_text(result: Result) -> str:
    """The draft state in words: what is still missing and where, or that nothing required is."""
    fw = result.framework
    missing = [g for g in result.gaps if g.kind in ("required_missing", "too_few_entities")]
    if result.complete and not missing:
        return _("Complete: every required question is answered.")
    where: list[str] = []
    for g in missing:
        sid = g.id if g.id in fw.all_sections else getattr(fw.questions.get(g.id), "section", "")
        title = fw.all_sections[sid].title if sid in fw.all_sections else ""
        if title and title not in where:
            where.append(title)
    open_ = sum(g.kind == "required_missing" for g in missing)
    few = sum(g.kind == "too_few_entities" for g in missing)
    parts = (
        [ngettext("{n} required question(s) open", "{n} required question(s) open", open_).format(n=open_)]
        if open_
        else []
    )
    if few:
        parts.append(ngettext("{n} section(s) with too few blocks", "{n} section(s) with too few blocks", few))
        parts[-1] = parts[-1].format(n=few)
    state = _(" and ").join(parts) or _("incomplete")
    if where:
        return _("DRAFT — {state}, in: {where}.").format(state=state, where=listing(where))
    return _("DRAFT — {state}.").format(state=state)


def bottom_line(result: Result, clean) -> dict:
    """Everything page one of the summary says."""
    items = plan(result)
    findings = key_findings(items)
    return {
        "headline": headline(result, clean),
        "findings": [
            {
                "number": i.number,
                "priority": priority_word(i.priority),
                "text": clean(first_sentence(i.finding) + _whom(i, first_sentence(i.finding)), "plan"),
            }
            for i in findings
        ],
        "actions": [
            {
                "number": i.number,
                "priority": priority_word(i.priority),
                "text": clean(first_sentence(i.action) + _whom(i, first_sentence(i.action)), "plan"),
                "addressee": word(i.addressee),
            }
            for i in items[:ACTIONS]
        ],
        "more": max(len(items) - ACTIONS, 0),
        "none_yet": "" if answered_any(result) else no_findings_text(result),
        "draft": draft_text(result),
        "carried": clean(carried_text(result.answers), "predecessor"),
        "follow_up": clean(follow_up_text(result.answers), "follow_up"),
        "kept_aside": clean(kept_text(result), "kept_aside"),
        **dates(result),
    }


def plan_rows(result: Result, clean) -> list[dict]:
    """The plan of action as the report's table shows it, numbered as the CSV and the workbook number it: each
    item with its addressee, the actions it conflicts with and what its finding rests on where that is thin."""
    return [
        {
            "number": i.number,
            "priority": priority_word(i.priority),
            "rank": i.rank,
            "finding": clean(i.finding, f"plan item {i.number}"),
            "action": clean(i.action, f"plan item {i.number}"),
            "for_whom": clean(relist(i.for_whom), f"plan item {i.number}"),
            "addressee": word(i.addressee),
            "conflicts": conflicts_text(i),
            "support": clean(support_text(i, result.recommendations), f"plan item {i.number}"),
            "reference": clean(i.reference, f"plan item {i.number}"),
            "recommendations": ", ".join(i.recommendations),
            "see_also": ", ".join(i.see_also),
        }
        for i in plan(result)
    ]
