"""Tests every rule of every bundled framework: shown to fire, and shown not to fire when its condition is false;
and the recommendation-to-rule table is complete."""

from __future__ import annotations

import copy
import itertools
from fractions import Fraction

import pytest

from assess.answers import load_answers
from assess.catalogue import catalogue, render, rules_by_recommendation
from assess.expressions import FACTS
from assess.loader import load_framework
from assess.model import Answer
from assess.scoring import score

from conftest import ROOT

FRAMEWORKS = sorted((ROOT / "frameworks").glob("*.yaml"))


def questions_under(fw, sid):
    """Every question of a section and its subsections."""
    out, todo = [], [fw.all_sections[sid]]
    while todo:
        s = todo.pop()
        out += list(s.questions)
        todo += list(s.sections)
    return out


def values_for(q):
    """The answers worth trying for a question: each option, the ends of a number range, and no answer."""
    if q.type == "multiple":
        opts = [o.value for o in q.options]
        return [[v] for v in opts] + [opts[: q.max_choices or len(opts)], None]
    if q.options:
        return [o.value for o in q.options] + [None]
    if q.type == "number":
        return [x for x in (q.min, q.max) if x is not None] + [None]
    if q.type == "date":
        return ["2026-01-01", None]
    return [None]


def extremes(fw, qs):
    """Two answer sets for many questions at once: all lowest-scored, all highest-scored options."""
    low, high = {}, {}
    for q in qs:
        scored = [o for o in q.options if o.score is not None]
        if scored:
            low[q.id] = min(scored, key=lambda o: o.score).value
            high[q.id] = max(scored, key=lambda o: o.score).value
        elif q.type == "number" and q.min is not None and q.max is not None:
            low[q.id], high[q.id] = q.min, q.max
    return [low, high]


def candidates(fw, name):
    """Ways to change what a name in a condition stands for: a list of {question id: value}."""
    if name in FACTS:  # a count of gaps: every question that can be 'unknown' answered so, or none of them
        qs = [q for q in fw.questions.values() if any(o.unknown for o in q.options)]
        return [
            {q.id: next(o.value for o in q.options if o.unknown) for q in qs},
            {q.id: next(o.value for o in q.options if not o.unknown) for q in qs},
        ]
    if name in fw.questions:
        return [{name: v} for v in values_for(fw.questions[name])]
    if name in fw.all_sections:
        qs = [q for q in questions_under(fw, name) if q.scored]
        if 1 < len(qs) <= 3:  # few questions: every combination of their options, e.g. likelihood x impact
            return [
                dict(zip((q.id for q in qs), combo, strict=True))
                for combo in itertools.product(*(values_for(q) for q in qs))
            ]
        return extremes(fw, qs)
    derived = next(d for d in fw.derived if d.id == name)
    from assess.expressions import compile_expression

    qs = [
        q
        for n in compile_expression(derived.expr).names
        for q in (questions_under(fw, n) if n in fw.all_sections else [fw.questions[n]] if n in fw.questions else [])
    ]
    return extremes(fw, qs)


def apply(fw, answers, changes, entity):
    a = copy.deepcopy(answers)
    for qid, value in changes.items():
        sec = fw.all_sections[fw.questions[qid].section]
        target = a.answers
        if sec.within:
            block = next((e for e in a.entities.get(sec.within, []) if e.id == entity), None)
            if block is None:
                continue
            target = block.answers
        if value is None:
            target.pop(qid, None)
        else:
            if isinstance(value, float):
                value = Fraction(value)
            old = target.get(qid)
            target[qid] = Answer(value, confidence=old.confidence if old else None, sources=old.sources if old else [])
    return a


def fires(fw, answers, rule, entity):
    return any(
        x.rule == rule.id and (rule.scope is None or x.entity == entity) for x in score(fw, answers).recommendations
    )


def prove(fw, answers, rule):
    """Find answers under which the rule fires and answers under which it does not: (fire, silent) found.

    Scoped rules are tried on each block of the example in turn."""
    found = set()
    for entity in [e.id for e in answers.entities[rule.scope]] if rule.scope else [None]:
        found |= prove_on(fw, answers, rule, entity)
        if len(found) == 2:
            break
    return True in found, False in found


def prove_on(fw, answers, rule, entity):
    from assess.expressions import compile_expression

    names = sorted(compile_expression(rule.when).names)
    found = {fires(fw, answers, rule, entity)}
    options = [candidates(fw, n) for n in names]
    tries = itertools.chain(
        (c for opts in options for c in opts),
        (
            dict(itertools.chain.from_iterable(d.items() for d in combo))
            for combo in itertools.islice(itertools.product(*options), 3000)
        ),
    )
    for change in tries:
        found.add(fires(fw, apply(fw, answers, change, entity), rule, entity))
        if len(found) == 2:
            break
    return found


@pytest.mark.parametrize("path", FRAMEWORKS, ids=lambda p: p.stem)
def test_every_rule_fires_and_stays_silent_when_its_condition_is_false(path):
    fw, _ = load_framework(path)
    answers, _ = load_answers(ROOT / "frameworks" / "examples" / f"{fw.id}.answers.yaml")
    unproven = []
    for rule in fw.rules:
        fired, silent = prove(fw, answers, rule)
        if not (fired and silent):
            unproven.append((rule.id, "never fired" if not fired else "never silent"))
    assert unproven == []


def test_every_recommendation_has_a_rule_and_every_rule_cites_known_recommendations():
    known = {r["id"] for r in catalogue()["recommendations"]}
    used = rules_by_recommendation()
    assert sorted(known - set(used)) == []
    assert sorted(set(used) - known) == []
    for path in FRAMEWORKS:
        fw, _ = load_framework(path)
        assert all(rule.recommendations for rule in fw.rules), fw.id


def test_recommendation_table_is_current():
    page = ROOT / "frameworks" / "RECOMMENDATIONS.md"
    assert page.read_text(encoding="utf-8") == render(), (
        "run: python -m assess.catalogue > frameworks/RECOMMENDATIONS.md"
    )
