"""Provides what the report says of the analysis's footing: the sources' grades per section with the grading
system's official meanings, what each action's finding rests on, and the collection plan, as plain data."""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import N_, domain
from ..model import Recommendation, Result
from ..model.grades import GRADE_OFFICIAL, GRADES, low_grade
from ..numbers import trimmed
from ..plan import PlanItem
from ..prose import unwrap
from .followup import open_since
from .localize import number, pair
from .words import word, words

_, ngettext, pgettext = domain("report")

Clean = Callable[[object, str], str]
"""The report's cleaner: text with the characters XML forbids removed, warning where."""

SYSTEMS = {
    "4x4": N_("4x4 system of Europol"),
    "admiralty": N_("admiralty code of NATO (AJP-2.1)"),
}
"""How the method note names each grading system."""
SUPPORT = {
    "single": N_("rests on a single source"),
    "low": N_("rests only on low-graded sources"),
}
"""What a finding's support says, by Recommendation.support."""
GAPS = {"unknown": N_("Unknown"), "low_confidence": N_("Low confidence")}
"""What a requirement's status reads."""
REQUIREMENTS_NOTE = N_(
    "Intelligence requirements for the next period: every question that weighs much in a score (weight "
    "{weight} or more) and was answered unknown or with low confidence. Why says what the gap costs: the score it "
    "weighs on and, where known, the range its score could lie in. The collectors are suggestions."
)
"""What the collection plan's caption says ({weight}: the framework's collection min_weight)."""


def grades(system: str) -> tuple[str, str]:
    """The grading system's reliability letters and credibility digits, in order ('ABCX', '1234' for 4x4)."""
    return GRADES.get(system, ("", ""))


def grading_text(system: str) -> str:
    """The grading system in words, with its grades: '4x4 system of Europol (source reliability A, B, C, X;
    information credibility 1, 2, 3, 4)'."""
    reliability, credibility = grades(system)
    return _("{system} (source reliability {reliability}; information credibility {credibility})").format(
        system=_(SYSTEMS[system]) if system in SYSTEMS else system,
        reliability=", ".join(reliability),
        credibility=", ".join(credibility),
    )


def _low(system: str, reliability: str, credibility: str) -> bool:
    """Whether a source's grades are low (model.grades.low_grade)."""
    return low_grade(system, reliability, credibility)


def low_text(system: str) -> str:
    """Which grades make a source low-graded, in words: 'reliability C or X, or credibility 4'."""
    reliability, credibility = grades(system)
    good_r, good_c = reliability[:1], credibility[:1]
    low_r = [r for r in reliability if _low(system, r, good_c)]
    low_c = [c for c in credibility if _low(system, good_r, c)]

    def either(items: list[str]) -> str:
        return ", ".join(items[:-1]) + _(" or {last}").format(last=items[-1]) if len(items) > 1 else "".join(items)

    parts = ([_("its reliability is {grades}").format(grades=either(low_r))] if low_r else []) + (
        [_("its information's credibility is {grades}").format(grades=either(low_c))] if low_c else []
    )
    if not parts:
        return ""
    return _("A source counts as low-graded when {conditions}.").format(conditions=_(", or ").join(parts))


def official(system: str) -> dict:
    """The grading system's official meanings, each grade with its wording (GRADE_OFFICIAL), for the method note."""
    meanings = GRADE_OFFICIAL.get(system) or ({}, {})
    reliability, credibility = meanings
    return {
        "system": grading_text(system),
        "reliability": [{"grade": g, "meaning": word(m)} for g, m in reliability.items()],
        "credibility": [{"grade": g, "meaning": word(m)} for g, m in credibility.items()],
        "low": low_text(system),
    }


def _counts(counts: dict[str, int], keys: str, total: int) -> str:
    """Counts by grade as a reader reads them: 'A: 2 · B: 5 · not graded: 1' (a credibility's '2: 8' never reads as
    28); '—' when there are none."""
    parts = [pair(k, counts[k]) for k in keys if counts.get(k)]
    ungraded = total - sum(counts.get(k, 0) for k in keys)
    if ungraded > 0:
        parts.append(_("not graded: {n}").format(n=ungraded))
    return " · ".join(parts) or "—"


def _top(result: Result, section: str) -> str:
    """The top-level section a section is in."""
    sections = result.framework.all_sections
    while section in sections and sections[section].parent:
        section = sections[section].parent or section
    return section


def grade_summary(result: Result) -> list[dict]:
    """Per top-level section with answers: answers, those without a source, sources by reliability and by
    credibility, and how many sources are low-graded (model.grades.low_grade)."""
    fw = result.framework
    reliability, credibility = grades(fw.grading)
    low: dict[str, int] = {}
    for q in result.questions:
        if q.status == "answered":
            top = _top(result, q.section)
            low[top] = low.get(top, 0) + sum(_low(fw.grading, r, c) for r, c in q.grades)
    rows = []
    for s in fw.sections:
        counts = result.grades.get(s.id, {})
        if not counts.get("answers") and not counts.get("sources"):
            continue
        sources = counts.get("sources", 0)
        rows.append(
            {
                "section": s.title,
                "answers": counts.get("answers", 0),
                "unsourced": counts.get("unsourced", 0),
                "sources": sources,
                "reliability": _counts(counts, reliability, sources),
                "credibility": _counts(counts, credibility, sources),
                "low": low.get(s.id, 0),
            }
        )
    return rows


def support_text(item: PlanItem, recommendations: tuple[Recommendation, ...]) -> str:
    """What the item's finding rests on when it is thin: 'Rests on a single source.', or per block ('For FPNK:
    rests only on low-graded sources.') when its blocks differ; '' when every block's finding is well sourced."""
    fired = [x for x in recommendations if x.rule == item.rule]
    weak = [x for x in fired if x.support in SUPPORT]
    if not weak:
        return ""
    kinds = {x.support for x in weak}
    if len(weak) == len(fired) and len(kinds) == 1:
        said = _(SUPPORT[weak[0].support])
        return said[:1].upper() + said[1:] + "."
    by_kind: dict[str, list[str]] = {}
    for x in weak:
        names = by_kind.setdefault(x.support, [])
        if x.entity_name and x.entity_name not in names:
            names.append(x.entity_name)
    return " ".join(
        _("For {names}: {support}.").format(names="; ".join(names), support=_(SUPPORT[kind]))
        for kind, names in by_kind.items()
        if names
    )


def conflicts_text(item: PlanItem) -> str:
    """The actions an item pulls against, in words: 'Conflicts with action 7.', 'Conflicts with actions 3 and 7.'."""
    numbers = [str(n) for n in item.conflicts]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return _("Conflicts with action {number}: decide them together.").format(number=numbers[0])
    listed = _("{items} and {last}").format(items=", ".join(numbers[:-1]), last=numbers[-1])
    return _("Conflicts with actions {numbers}: decide them together.").format(numbers=listed)


def _what(what: str, block: str) -> str:
    """A requirement's question, after its block's name as the report's language writes a label ('Block : …')."""
    text = unwrap(what)
    return pair(block, text[len(block) + 2 :]) if block and text.startswith(f"{block}: ") else text


def requirements(result: Result, clean: Clean) -> list[dict]:
    """The collection plan as the report's table shows it: IR number, what, why, collectors, and since when it is
    open where the last period's plan had it too."""
    since = open_since(result.answers)
    return [
        {
            "number": r.number,
            "ir": f"IR-{r.number}",
            "what": clean(_what(r.what, r.entity_name or ""), f"requirement IR-{r.number}"),
            "why": clean(r.why, f"requirement IR-{r.number}"),
            "gap": _(GAPS[r.status]) if r.status in GAPS else r.status,
            "section": r.section,
            "block": clean(r.entity_name or "", f"requirement IR-{r.number}"),
            "collectors": ", ".join(words(r.collectors)),
            "since": clean(
                _("Open since {period}.").format(period=since[r.id]) if r.id in since else "",
                f"requirement IR-{r.number}",
            ),
        }
        for r in result.requirements
    ]


def requirements_note(result: Result) -> str:
    """The collection plan's caption, with the weight that makes a question high-weight."""
    return _(REQUIREMENTS_NOTE).format(weight=number(trimmed(result.framework.collection_min_weight, 2)))
