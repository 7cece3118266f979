"""Provides derived scores (expressions over section scores, derived scores and answers) and the rules that fire."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from ..expressions import FACTS, ExpressionError, Missing, compile_expression
from ..i18n import domain
from ..model import PRIORITIES, Gap, Input, Recommendation, Score, low_grade
from ..numbers import shown
from .sections import ONE, make_score
from .state import State

_, ngettext, pgettext = domain("cli")


def derived_scores(state: State, known: dict[str, object]) -> dict[str, Score]:
    """Each derived score, dependencies first; known holds the assessment's section scores and gains each value."""
    fw = state.fw
    ns = ChainMap(known, state.scopes[None].values)
    by_id = {d.id: d for d in fw.derived}
    out = {}
    for xid in fw.derived_order:
        x = by_id[xid]
        expr = compile_expression(x.expr)
        try:
            value = expr.evaluate(ns)
        except ExpressionError as exc:
            state.warn(f"derived {x.id}", exc)
            value = None
        number = _number(value)
        if number is not None:
            known[x.id] = number
        inputs = [_named(state, n, ns) for n in sorted(expr.names)]
        out[x.id] = make_score(state, x, number, _("computed as {expression}").format(expression=x.expr), inputs)
    return out


def _number(value: object) -> Fraction | None:
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return Fraction(value)
    return None


def _named(state: State, name: str, ns: Mapping[str, object]) -> Input:
    """A name a derived score uses, as one of its inputs."""
    fw = state.fw
    v = ns.get(name)
    if name in fw.questions:
        title = fw.questions[name].text
    elif name in fw.all_sections:
        title = fw.all_sections[name].title
    else:
        title = next((d.title for d in fw.derived if d.id == name), name)
    return Input(name, title, _number(v), ONE, "scored" if v is not None else "no_score", v is not None)


def facts(gaps: Sequence[Gap], marks: Sequence[tuple[str, str | None]] = ()) -> dict[str | None, dict[str, object]]:
    """The FACTS rules may test, counted from the gaps and the marks (kind, block id): over the assessment (key
    None) and for each block (its id) that has any."""
    names = {kind: name for name, kind in FACTS.items()}
    counts: dict[str | None, dict[str, int]] = {None: dict.fromkeys(FACTS, 0)}
    for g in [*gaps, *(Gap(kind, "", "", eid) for kind, eid in marks)]:
        name = names.get(g.kind)
        if name is not None:
            counts[None][name] += 1
            if g.entity is not None:
                counts.setdefault(g.entity, dict.fromkeys(FACTS, 0))[name] += 1
    return {k: dict(v) for k, v in counts.items()}  # as names an expression sees


def support(state: State, names: Iterable[str], scope: str | None, eid: str | None) -> str:
    """What a finding rests on, from the sources of the answered questions its condition names that ask for
    evidence: '' two or more sources not all low-graded (or no such question), 'low' every source low-graded,
    'single' at most one source otherwise."""
    fw = state.fw
    grades: list[tuple[str, str]] = []
    rests = False
    for n in names:
        q = fw.questions.get(n)
        if q is None or q.evidence == "none":
            continue
        where = (
            (scope, eid)
            if eid is not None and scope is not None and fw.all_sections[q.section].within == scope
            else None
        )
        tables = state.scopes.get(where)
        st = tables.questions.get(n) if tables else None
        if tables is None or st is None or st.status != "answered":
            continue
        rests = True
        a = tables.answers.get(n)
        grades += (
            [(x.reliability or "", "" if x.credibility is None else str(x.credibility)) for x in a.sources] if a else []
        )
    if not rests:
        return ""
    if grades and all(low_grade(fw.grading, r, c) for r, c in grades):
        return "low"
    return "single" if len(grades) <= 1 else ""


def recommendations(
    state: State, known: dict[str, object], gaps: Sequence[Gap], marks: Sequence[tuple[str, str | None]] = ()
) -> tuple[Recommendation, ...]:
    """The rules that fire, gravest first: a rule over the assessment once, a scoped rule once per block, each
    with the values of the names in its condition, its addressee and what its finding rests on."""
    fw, ans = state.fw, state.answers
    counted = facts(gaps, marks)
    none: dict[str, object] = dict.fromkeys(FACTS, 0)
    overall = ChainMap(counted[None], known, state.scopes[None].values)
    out = []
    for r in fw.rules:
        expr = compile_expression(r.when)
        targets: list[tuple[str | None, str | None, Mapping[str, object]]] = []
        if r.scope is None:
            targets.append((None, None, overall))
        elif state.visible(r.scope):
            for e in ans.entities.get(r.scope, []):
                block = state.scopes[(r.scope, e.id)]
                scores: dict[str, object] = {k: v.value for k, v in block.scores.items() if v.value is not None}
                targets.append((e.id, e.name, ChainMap(counted.get(e.id, none), scores, block.values, overall)))
        for eid, ename, ns in targets:
            try:
                fired = expr.truth(ns)
            except ExpressionError as exc:
                state.warn(f"rule {r.id}", exc)
                continue
            if not fired:
                continue
            because = tuple(
                (n, str(ns[n]) if n in FACTS else value_text(ns.get(n), fw.precision)) for n in sorted(expr.names)
            )
            finding, action = r.finding, r.action
            if ename:
                finding, action = finding.replace("{entity}", ename), action.replace("{entity}", ename)
            rests = support(state, sorted(expr.names), r.scope, eid)
            out.append(
                Recommendation(
                    r.id,
                    r.priority,
                    finding,
                    action,
                    r.reference,
                    r.source,
                    r.section,
                    eid,
                    ename,
                    because,
                    r.addressee,
                    rests,
                )
            )
    out.sort(key=lambda x: PRIORITIES.index(x.priority))
    return tuple(out)


def value_text(v: object, places: int) -> str:
    """A value a rule tested, as its explanation shows it: a number rounded half-up, a list joined, '-' for none."""
    if v is None or isinstance(v, Missing):
        return "-"
    if isinstance(v, (int, Fraction)) and not isinstance(v, bool):
        return shown(v, places)
    if isinstance(v, list):
        return ", ".join(map(str, v))
    return str(v)
