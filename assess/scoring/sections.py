"""Provides section scores: each section aggregates its questions and subsections, a repeatable one its blocks."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from fractions import Fraction

from ..i18n import N_, domain
from ..model import Derived, Input, Score, Section
from ..numbers import shown
from .state import QuestionState, Scope, State

gettext, ngettext, pgettext = domain("cli")  # not "_": the loops here unpack into _

ZERO = Fraction(0)
ONE = Fraction(1)

METHOD = {
    "mean": N_("mean"),
    "weighted_mean": N_("weighted mean"),
    "sum": N_("sum"),
    "min": N_("lowest"),
    "max": N_("highest"),
    "product": N_("product"),
}
"""Each aggregate as the explanation of a score names it (translated where the method is worded)."""


def _left_out(status: str) -> str:
    """Why an input was left out of a score (its status, as the method says it) in the interface's language."""
    words = {
        "hidden": pgettext("left out of a score", "hidden"),
        "no score": pgettext("left out of a score", "no score"),
        "unanswered": pgettext("left out of a score", "unanswered"),
        "unknown": pgettext("left out of a score", "unknown"),
        "not applicable": pgettext("left out of a score", "not applicable"),
    }
    return words.get(status, status)


HIDDEN = "hidden by its condition"
"""The method of a score hidden by its condition: kept in English whatever the language, as readers (the report)
recognise such a score by it."""

_HIDDEN = QuestionState("hidden", None, None, "")


def aggregate(how: str, items: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    """Combine (score, weight) pairs by mean, weighted_mean, sum, min, max or product; None when there are none."""
    if not items:
        return None
    if how == "mean":
        return sum((s for s, _ in items), ZERO) / len(items)
    if how == "weighted_mean":
        total = sum((w for _, w in items), ZERO)
        return sum((s * w for s, w in items), ZERO) / total if total else None
    if how == "sum":
        return sum((s for s, _ in items), ZERO)
    if how == "min":
        return min(s for s, _ in items)
    if how == "product":
        out = ONE
        for s, _ in items:
            out *= s
        return out
    return max(s for s, _ in items)


def make_score(
    state: State,
    of: Section | Derived,
    value: Fraction | None,
    method: str,
    inputs: Iterable[Input],
    entity: str | None = None,
) -> Score:
    """The Score of a section or derived score, with its display, rating band and colour."""
    rating = state.fw.rating_for(of.rating)
    band = rating.band(value) if rating and value is not None else None
    return Score(
        of.id,
        of.title,
        "derived" if isinstance(of, Derived) else "section",
        value,
        shown(value, state.fw.precision),
        method,
        tuple(inputs),
        band.label if band else None,
        band.colour if band else None,
        of.direction,
        entity,
    )


Only = Collection[tuple[Scope, str]] | None
"""The (scope, section id) pairs to score again, the others' scores kept as the tables hold them; None for all."""


def score_sections(state: State, sections: Iterable[Section], scope: Scope, only: Only = None) -> None:
    """Score sections children first, into the scope's tables; a repeatable section aggregates its blocks."""
    for s in sections:
        if only is not None and (scope, s.id) not in only:
            continue
        if s.repeat is not None and scope is None:
            score_blocks(state, s, only)
            continue
        score_sections(state, s.sections, scope, only)
        state.scopes[scope].scores[s.id] = section_score(state, s, scope)


def section_score(state: State, s: Section, scope: Scope) -> Score:
    """A section's score in a scope from its scored questions and subsections, with what counted and why."""
    fw, tables = state.fw, state.scopes[scope]
    questions, shown_here = tables.questions, tables.visible
    visible = shown_here.get(s.id, True)
    inputs: list[Input] = []
    items: list[tuple[Fraction, Fraction]] = []
    for q in s.questions:
        if not q.scored:
            continue
        status, _, value, _ = questions.get(q.id, _HIDDEN)
        if value is not None and s.normalize:
            value = state.normalize(value, q.score_range)
        counted = value is not None and visible
        inputs.append(Input(q.id, q.text, value, q.weight, status, counted))
        if counted:
            assert value is not None  # counted says so
            items.append((value, q.weight))
    for sub in s.sections:
        if not sub.scored:
            continue
        sc = state.scopes[scope if sub.repeat is None else None].scores.get(sub.id)
        value = sc.value if sc else None
        sub_visible = shown_here.get(sub.id, True)
        if value is not None and s.normalize:
            value = state.normalize(value, fw.ranges.get(sub.id))
        status = "hidden" if not sub_visible else ("scored" if value is not None else "no_score")
        counted = value is not None and visible and sub_visible
        inputs.append(Input(sub.id, sub.title, value, sub.weight, status, counted))
        if value is not None and counted:
            items.append((value, sub.weight))
    value = aggregate(s.aggregate, items) if visible else None
    if s.aggregate == "product" and len(items) < len(inputs):
        value = None  # a product with a factor missing means nothing
    method = _method(s, inputs, len(items)) if visible else HIDDEN
    entity = scope[1] if scope else None
    return make_score(state, s, value, method, inputs, entity)


def _method(s: Section, inputs: list[Input], counted: int) -> str:
    """How a section's score was computed, in the interface's language: the aggregate, the inputs counted and
    those left out, and why."""
    if not inputs:
        return gettext("not scored: no scored questions")
    total = len(inputs)
    of = ngettext("{how} of {counted} of {total} inputs", "{how} of {counted} of {total} inputs", total)
    method = of.format(how=gettext(METHOD[s.aggregate]), counted=counted, total=total)
    if s.normalize:
        method += gettext(", each mapped to 0..1 over its range")
    statuses = {i.status.replace("_", " ") for i in inputs if not i.counted}
    left = sorted(_left_out(w) for w in statuses)
    if left:
        n = sum(1 for i in inputs if not i.counted)
        out = ngettext("; {n} left out ({why})", "; {n} left out ({why})", n)
        method += out.format(n=n, why=gettext(", ").join(left))
    return method


def score_blocks(state: State, s: Section, only: Only = None) -> None:
    """Score a repeatable section in each of its blocks, then over the blocks, into the assessment's scores."""
    rep = s.repeat
    assert rep is not None, "score_sections sends repeatable sections only"
    blocks = state.answers.entities.get(s.id, [])
    visible = state.visible(s.id)
    inputs, items = [], []
    for e in blocks if visible else ():
        scope: Scope = (s.id, e.id)
        if only is None or (scope, s.id) in only:
            score_sections(state, s.sections, scope, only)
            state.scopes[scope].scores[s.id] = section_score(state, s, scope)
        sc = state.scopes[scope].scores[s.id]
        counted = sc.value is not None
        inputs.append(Input(e.id, e.name, sc.value, ONE, "scored" if counted else "no_score", counted))
        if sc.value is not None:
            items.append((sc.value, ONE))
    how = "mean" if rep.aggregate == "weighted_mean" else rep.aggregate
    value = aggregate(how, items)
    over = ngettext(
        "{how} over {counted} of {total} {label} blocks", "{how} over {counted} of {total} {label} blocks", len(blocks)
    )
    method = over.format(how=gettext(METHOD[how]), counted=len(items), total=len(blocks), label=rep.label)
    if not visible:
        method = HIDDEN
    state.scopes[None].scores[s.id] = make_score(state, s, value, method, inputs)
