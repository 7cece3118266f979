"""Provides the first step of scoring: which questions and sections are shown, and what each question gives."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from fractions import Fraction

from ..expressions import ExpressionError, compile_expression, namespace
from ..model import Answer, Framework, Policy, Question
from ..numbers import trimmed
from .state import QuestionState, Scope, State, Tables

ZERO = Fraction(0)


def answer_state(q: Question, a: Answer | None, visible: bool) -> tuple[str, Fraction | None, object, str]:
    """(status, raw score, value for expressions, label) of one answer to a question; the label is the answer as
    the result shows it (option labels, a number without trailing zeros, the text), '' unless answered or
    unknown."""
    if not visible:
        return "hidden", None, None, ""
    if a is None or not a.is_answered:
        return "unanswered", None, None, ""
    if a.na:
        return "not_applicable", None, None, ""
    v = a.value
    if q.type == "multiple":
        if not isinstance(v, list):
            return "unanswered", None, None, ""
        found = [q.option(x) for x in v]
        chosen = [o for o in found if o is not None]
        known = [o.score for o in chosen if o.score is not None]
        if not chosen:
            return "unanswered", None, list(v), ""
        label = "; ".join(o.label if o is not None else str(x) for o, x in zip(found, v, strict=True))
        if not known and all(o.unknown for o in chosen):
            return "unknown", None, list(v), label
        return "answered", _multiple(q.multiple_score, known), list(v), label
    if q.type in ("single", "scale", "yesno"):
        o = q.option(v)
        if o is None:
            return "unanswered", None, None, ""
        return ("unknown", None, o.value, o.label) if o.unknown else ("answered", o.score, o.value, o.label)
    unit = f" {q.unit}" if q.unit else ""
    if q.type == "number":
        if not isinstance(v, (int, Fraction)):
            return "unanswered", None, None, ""
        label = trimmed(v, 6) if isinstance(v, Fraction) else str(v) + unit
        return "answered", (Fraction(v) if q.scored else None), Fraction(v), label
    return "answered", None, v, "" if v is None else str(v) + unit


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


def condition(state: State, expr: str, ns: Mapping[str, object], path: tuple[str | int, ...]) -> bool:
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


def fill_scopes(state: State) -> None:
    """Fill the tables of the assessment and of every block: what is shown, each question's state, the values."""
    fw, ans = state.fw, state.answers
    everywhere: list[str] = []  # the assessment's ids, repeatable sections included
    inside: dict[str, list[str]] = {}  # repeatable section id -> the ids inside its blocks
    for i in fw.visibility_order:
        w = within(fw, i)
        if w is None or w == i:
            everywhere.append(i)
        else:
            inside.setdefault(w, []).append(i)
    overall = state.scopes[None] = Tables(ans.answers, {}, values=namespace({}))
    walk(state, overall, everywhere, overall.values)
    # in a block, conditions see the block's answers first, then the assessment's
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
            status, raw, value, label = answer_state(q, answers.get(item), vis)
            given = raw if status == "answered" else contribution(policy, q, status, raw)
            questions[item] = QuestionState(status, raw, given, label)
            if value is not None:
                values[item] = value
        else:
            s = fw.all_sections[item]
            vis = visible.get(s.parent, True) if s.parent else True
            if vis and s.show_if:
                vis = condition(state, s.show_if, ns, s.path + ("show_if",))
            visible[item] = vis
