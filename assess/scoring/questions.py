"""Provides the first step of scoring: which questions and sections are shown, and what each question gives."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from fractions import Fraction

from ..expressions import ExpressionError, compile_expression, namespace
from ..model import Answer, Framework, Policy, Question
from .state import QuestionState, Scope, State, Tables

ZERO = Fraction(0)


def answer_state(q: Question, a: Answer | None, visible: bool) -> tuple[str, Fraction | None, object]:
    """(status, raw score, value for expressions) of one answer to a question."""
    if not visible:
        return "hidden", None, None
    if a is None or not a.is_answered:
        return "unanswered", None, None
    if a.na:
        return "not_applicable", None, None
    v = a.value
    if q.type == "multiple":
        if not isinstance(v, list):
            return "unanswered", None, None
        chosen = [o for o in map(q.option, v) if o is not None]
        known = [o.score for o in chosen if o.score is not None]
        if not chosen or (not known and all(o.unknown for o in chosen)):
            return ("unknown" if chosen else "unanswered"), None, list(v)
        return "answered", _multiple(q.multiple_score, known), list(v)
    if q.type in ("single", "scale", "yesno"):
        o = q.option(v)
        if o is None:
            return "unanswered", None, None
        if o.unknown:
            return "unknown", None, o.value
        return "answered", o.score, o.value
    if q.type == "number":
        if not isinstance(v, (int, Fraction)):
            return "unanswered", None, None
        return "answered", (Fraction(v) if q.scored else None), Fraction(v)
    return "answered", None, v


def _multiple(how: str, known: list[Fraction]) -> Fraction:
    if how == "count":
        return Fraction(len(known))
    if how == "sum":
        return sum(known, ZERO)
    if how == "max":
        return max(known)
    return sum(known, ZERO) / len(known)


def contribution(policy: Policy, q: Question, status: str, raw: Fraction | None) -> Fraction | None:
    """What a question gives its section: its raw score when answered, else what the policy makes of the gap."""
    if status == "answered":
        return raw
    if status == "hidden":
        return None
    treat = {
        "unanswered": policy.unanswered,
        "not_applicable": policy.not_applicable,
        "unknown": policy.unknown,
    }[status]
    rng = q.score_range
    if treat == "exclude" or rng is None:
        return None
    return ZERO if treat == "zero" else rng[0] if treat == "lowest" else rng[1]


def condition(state: State, expr: str, ns: Mapping[str, object], path: tuple) -> bool:
    """Whether a show_if holds; one that cannot be evaluated hides, with a warning."""
    try:
        return compile_expression(expr).truth(ns)
    except ExpressionError as exc:
        state.warn(".".join(map(str, path)), exc)
        return False


def within(fw: Framework, ident: str) -> str | None:
    """The repeatable section a question or section belongs to (itself if repeatable), or None."""
    q = fw.questions.get(ident)
    sec = fw.all_sections[q.section] if q is not None else fw.all_sections[ident]
    return sec.within


def show(state: State) -> None:
    """Fill the tables of the assessment and of every block: what is shown, each question's state, the values."""
    fw, ans = state.fw, state.answers
    order = fw.visibility_order
    everywhere = [i for i in order if within(fw, i) in (None, i)]
    overall = state.scopes[None] = Tables(ans.answers, {}, values=namespace({}))
    walk(state, overall, everywhere, overall.values)
    # in a block, conditions see the block's answers first, then the assessment's
    inside: dict[str, list[str]] = {}
    for i in order:
        w = within(fw, i)
        if w and i != w:
            inside.setdefault(w, []).append(i)
    for sid, sec in fw.all_sections.items():
        if sec.repeat is None:
            continue
        for e in ans.entities.get(sid, []):
            scope: Scope = (sid, e.id)
            # the repeatable section itself is shown in a block when it is shown in the assessment
            block = state.scopes[scope] = Tables(e.answers, {sid: state.visible(sid)})
            walk(state, block, inside.get(sid, []), ChainMap(block.values, overall.values))


def walk(state: State, tables: Tables, ids: list[str], ns: Mapping[str, object]) -> None:
    """Walk questions and sections in dependency order, filling one scope's tables; ns sees tables.values."""
    fw, policy = state.fw, state.fw.policy
    visible, answers, values, questions = tables.visible, tables.answers, tables.values, tables.questions
    for item in ids:
        q = fw.questions.get(item)
        if q is not None:
            vis = visible.get(q.section, True)
            if vis and q.show_if:
                vis = condition(state, q.show_if, ns, q.path + ("show_if",))
            visible[item] = vis
            status, raw, value = answer_state(q, answers.get(item), vis)
            given = raw if status == "answered" else contribution(policy, q, status, raw)
            questions[item] = QuestionState(status, raw, given)
            if value is not None:
                values[item] = value
        else:
            s = fw.all_sections[item]
            vis = visible.get(s.parent, True) if s.parent else True
            if vis and s.show_if:
                vis = condition(state, s.show_if, ns, s.path + ("show_if",))
            visible[item] = vis
