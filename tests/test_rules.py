"""Tests every rule of every bundled framework: shown to fire, and shown not to fire when its condition is false;
and the recommendation-to-rule table is complete."""

from __future__ import annotations

import copy
import itertools
import re
from fractions import Fraction

import pytest

from assess.answers import load_answers
from assess.catalogue import catalogue, links, render
from assess.expressions import FACTS
from assess.loader import load_framework
from assess.model import Answer
from assess.scoring import score

from conftest import ROOT
from conftest import fw as inline_framework

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


def test_every_recommendation_has_a_primary_rule_and_every_rule_cites_known_recommendations():
    cat = catalogue()["recommendations"]
    known = {r["id"] for r in cat}
    unassessable = {r["id"] for r in cat if r.get("assessable") is False}
    found = links()
    primary = {rec for rec, x in found.items() if x.primary}
    assert sorted(known - unassessable - primary) == [], "recommendations with no primary rule"
    assert sorted(set(found) - known) == [], "ids cited that are not in the catalogue"
    assert sorted(unassessable & primary) == [], "marked not assessable, yet a rule's finding evidences them"
    assert all(r.get("reason") for r in cat if r["id"] in unassessable), "not assessable without a reason"
    for path in FRAMEWORKS:
        fw, _ = load_framework(path)
        assert [r.id for r in fw.rules if not (r.recommendations or r.see_also)] == [], fw.id
        both = [(r.id, sorted(set(r.recommendations) & set(r.see_also))) for r in fw.rules]
        assert [b for b in both if b[1]] == [], f"{fw.id}: an id both primary and see_also"


def test_catalogue_entries_are_complete_and_keep_every_id_earlier_frameworks_cite():
    data = catalogue()
    ids = [r["id"] for r in data["recommendations"]]
    assert len(ids) == len(set(ids))
    pattern = re.compile(r"^[a-z]+_[0-9][a-z]?$")  # the framework schema's pattern for a recommendation id
    for r in data["recommendations"]:
        assert pattern.match(r["id"]), r["id"]
        assert r["brief"] in data["briefs"], r["id"]
        assert all(str(r.get(k) or "").strip() for k in ("group", "section", "lines", "text")), r["id"]
    assert "NUPI Policy Brief 7/2020" in data["briefs"]["nupi_brief"]["series"]
    # reports made with an earlier framework version still name these ids: none may disappear
    cited = set()
    for path in sorted((ROOT / "frameworks" / "previous").glob("*.yaml")):
        fw, _ = load_framework(path)
        cited |= {rec for rule in fw.rules for rec in (*rule.recommendations, *rule.see_also)}
    assert cited and sorted(cited - set(ids)) == []


def test_the_table_shows_primary_and_secondary_rules_apart():
    base = """\
        id: cat
        version: 1.0.0
        title: Catalogue test
        sections:
          - id: s
            title: S
            questions:
              - {id: q, text: Q, type: yesno}
        rules:
          - {id: evidence, when: "q == 'yes'", priority: high, finding: F, action: A, reference: R,
             addressee: jmac, recommendations: [unu_2e], see_also: [nupi_3]}
          - {id: related, when: "q == 'no'", priority: low, finding: F, action: A, reference: R,
             addressee: jmac, see_also: [unu_2e]}
        """
    page = render([inline_framework(base)])
    row = next(line for line in page.splitlines() if line.startswith("| `unu_2e` |"))
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert "uptake of political economy-focused analysis" in cells[1] and "lines 150, 154" in cells[1]
    assert cells[2] == "cat: `evidence` (high)" and cells[3] == "cat: `related` (low)"
    nupi3 = next(line for line in page.splitlines() if line.startswith("| `nupi_3` |"))
    assert nupi3.rstrip().endswith("| **none** | cat: `evidence` (high) |")
    assert "Boutellis and Kari M. Osland, NUPI Policy Brief 7/2020" in page


def test_recommendation_table_is_current():
    page = ROOT / "frameworks" / "RECOMMENDATIONS.md"
    assert page.read_text(encoding="utf-8") == render(), (
        "run: python -m assess.catalogue > frameworks/RECOMMENDATIONS.md"
    )
