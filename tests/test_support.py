"""Tests what findings rest on (issue 16): score ranges under unknown answers, source grades counted per section,
a recommendation's support and addressee, the rule counters of single-source and low-graded answers, and the
plan of action's addressee, conflicts and secondary links."""

from __future__ import annotations

import json
from fractions import Fraction

from assess.output import to_json, to_table
from assess.plan import plan

from conftest import scored

FW = """\
id: t
version: 1.0.0
title: Threat test
precision: 2
defaults: {confidence: true, evidence: required}
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
      - {value: unknown, label: Unknown, unknown: true}
sections:
  - id: context
    title: Context
    questions:
      - {id: state_role, text: How far are state officials involved?, type: scale, scale: lvl}
      - {id: note, text: What else?, type: text, evidence: none, confidence: false}
  - id: groups
    title: Groups
    repeat: {label: group, rank_by: attributes}
    sections:
      - id: attributes
        title: Threat attributes
        aggregate: weighted_mean
        questions:
          - {id: corruption, text: Corruption, type: scale, scale: lvl, weight: 3}
          - {id: violence, text: Violence, type: scale, scale: lvl, weight: 1}
derived:
  - {id: overall, title: Overall, expr: "groups * 2"}
  - {id: calm, title: Calm, expr: "10 - groups"}
rules:
  - id: capture
    when: "state_role == 'high'"
    priority: high
    finding: State officials are deeply involved.
    action: Brief mission leadership.
    reference: Test brief.
    addressee: mission_leadership
    see_also: []
  - id: corrupt_group
    scope: groups
    when: "corruption == 'high'"
    priority: medium
    finding: "{entity} corrupts officials."
    action: "Map {entity}'s facilitators."
    reference: Test brief.
    addressee: jmac
    conflicts_with: [exit_talks]
  - id: exit_talks
    scope: groups
    when: "violence == 'low'"
    priority: low
    finding: "{entity} is not violent."
    action: "Consider a negotiated exit for {entity}."
    reference: Test brief.
    addressee: mediation
  - id: thin_sourcing
    scope: groups
    when: "single_source_answers >= 2"
    priority: low
    finding: "{entity} rests on single sources."
    action: "Corroborate the profile of {entity}."
    reference: Test brief.
    addressee: jmac
  - id: weak_sourcing
    when: "low_graded_answers >= 1"
    priority: low
    finding: Some answers rest only on low-graded sources.
    action: Seek better sources.
    reference: Test brief.
    addressee: jmac
"""

HEAD = """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
"""


def src(*grades: str) -> str:
    """A sources list in YAML, one source per 'B2'-style grade ('-' for an ungraded source)."""
    items = [
        f'{{ref: "R{i}"}}' if g == "-" else f'{{ref: "R{i}", reliability: {g[0]}, credibility: "{g[1]}"}}'
        for i, g in enumerate(grades)
    ]
    return "[" + ", ".join(items) + "]"


ANSWERS = (
    HEAD
    + f"""\
answers:
  state_role: {{value: high, confidence: medium, sources: {src("B2")}}}
  note: {{value: "Context only"}}
entities:
  groups:
    - id: g1
      name: North Front
      answers:
        corruption: {{value: high, confidence: medium, sources: {src("C3", "C4")}}}
        violence: {{value: unknown}}
    - id: g2
      name: Port network
      answers:
        corruption: {{value: medium, confidence: high, sources: {src("A1", "B2")}}}
        violence: {{value: low, confidence: high, sources: {src("B2")}}}
    - id: g3
      name: Quiet cell
      answers:
        corruption: {{value: high, confidence: high, sources: {src("B1")}}}
        violence: {{value: low, confidence: high, sources: {src("C3")}}}
"""
)


def test_a_score_resting_on_an_unknown_answer_shows_its_range_and_keeps_its_value():
    r = scored(FW, ANSWERS)
    g1 = r.entity_scores["groups"]["g1"]["attributes"]
    # the unknown violence is left out (3); counted at 1 and 3 it gives (3*3 + 1)/4 and (3*3 + 3)/4
    assert (g1.value, g1.low, g1.high) == (3, Fraction(5, 2), 3)
    g2 = r.entity_scores["groups"]["g2"]["attributes"]
    assert (g2.value, g2.low, g2.high) == (Fraction(7, 4), None, None)  # nothing unknown in this block
    # the section over the blocks and the derived score built on it move too; the ranking is unchanged
    # over the blocks, the highest (repeat's default): 3 from g1, 5/2 when g1's unknown counts at its lowest
    groups = r.sections["groups"]
    assert (groups.value, groups.low, groups.high) == (3, Fraction(5, 2), 3)
    assert (r.derived["overall"].value, r.derived["overall"].low, r.derived["overall"].high) == (6, 5, 6)
    # a score that falls as the unknown rises: its range still reads lowest first
    assert (r.derived["calm"].value, r.derived["calm"].low, r.derived["calm"].high) == (7, 7, Fraction(15, 2))
    assert r.sections["context"].low is None
    assert [row[1] for row in r.rankings["groups"]] == ["g1", "g3", "g2"]


def test_no_range_when_the_policy_counts_unknowns_or_none_is_unknown():
    counted = scored(FW.replace("precision: 2", "precision: 2\npolicy: {unknown: lowest}"), ANSWERS)
    g1 = counted.entity_scores["groups"]["g1"]["attributes"]
    assert (g1.value, g1.low, g1.high) == (Fraction(5, 2), None, None)
    known = scored(FW, ANSWERS.replace("violence: {value: unknown}", "violence: {value: high, confidence: low}"))
    assert all(s.low is None and s.high is None for s in known.sections.values())


def test_the_json_and_the_table_show_the_range_where_unknowns_leave_it_open():
    r = scored(FW, ANSWERS)
    data = json.loads(to_json(r))
    blocks = {b["id"]: b for b in data["entities"]["groups"]}
    assert blocks["g1"]["range"] == [2.5, 3.0] and blocks["g2"]["range"] is None
    g1 = next(s for s in blocks["g1"]["sections"] if s["id"] == "attributes")
    assert g1["range_exact"] == ["5/2", "3"] and g1["exact"] == "3"
    assert [row["range"] for row in data["rankings"]["groups"]] == [[2.5, 3.0], None, None]
    table = to_table(r)
    assert "1. North Front" in table and "3.00  (2.50–3.00)" in table
    assert all(len(line) <= 80 for line in table.splitlines())


def test_each_answer_keeps_its_sources_grades_and_each_section_counts_them():
    r = scored(FW, ANSWERS)
    qs = {(q.id, q.entity): q for q in r.questions}
    assert qs[("corruption", "g1")].grades == (("C", "3"), ("C", "4"))
    assert qs[("violence", "g1")].grades == ()
    groups = r.grades["groups"]
    assert (groups["answers"], groups["sources"], groups["unsourced"]) == (5, 7, 0)
    assert (groups["A"], groups["B"], groups["C"]) == (1, 3, 3)
    assert (groups["1"], groups["2"], groups["3"], groups["4"]) == (2, 2, 2, 1)
    # the text answer counts as answered and unsourced (it asks for no evidence, but has none)
    context = r.grades["context"]
    assert [context[k] for k in ("answers", "sources", "unsourced", "A", "B", "2")] == [2, 1, 1, 0, 1, 1]
    assert json.loads(to_json(r))["grades"]["groups"]["C"] == 3


def test_a_finding_says_what_it_rests_on():
    r = scored(FW, ANSWERS)
    support = {(x.rule, x.entity): x.support for x in r.recommendations}
    assert support[("capture", None)] == "single"  # one source, B2
    assert support[("corrupt_group", "g1")] == "low"  # C3 and C4: both low-graded under 4x4
    assert support[("corrupt_group", "g3")] == "single"
    assert support[("exit_talks", "g2")] == "single"
    assert support[("weak_sourcing", None)] == ""  # it names no question: a count is no answer
    both = scored(FW, ANSWERS.replace(f"sources: {src('B1')}", f"sources: {src('B1', 'C3')}"))
    assert {(x.rule, x.entity): x.support for x in both.recommendations}[("corrupt_group", "g3")] == ""
    data = json.loads(to_json(r))["recommendations"]
    assert {(x["rule"], x["entity"]): (x["addressee"], x["support"]) for x in data}[("corrupt_group", "g1")] == (
        "jmac",
        "low",
    )


def test_rules_count_single_source_and_low_graded_answers_per_block_and_overall():
    r = scored(FW, ANSWERS)
    fired = {(x.rule, x.entity) for x in r.recommendations}
    # g3: corruption (B1) and violence (C3) each have one source; g2 only violence; g1 has two sources, one answer
    assert ("thin_sourcing", "g3") in fired and ("thin_sourcing", "g2") not in fired
    assert ("thin_sourcing", "g1") not in fired
    because = {x.rule: dict(x.because) for x in r.recommendations}
    # low-graded: g1's corruption (C3, C4) and g3's violence (C3)
    assert because["weak_sourcing"] == {"low_graded_answers": "2"}
    # under the admiralty code C (fairly reliable) and 3 (possibly true) are not low; F6 is
    admiralty = scored(FW.replace("precision: 2", "precision: 2\ngrading: admiralty"), ANSWERS)
    assert "weak_sourcing" not in {x.rule for x in admiralty.recommendations}
    admiralty = scored(
        FW.replace("precision: 2", "precision: 2\ngrading: admiralty"),
        ANSWERS.replace('C, credibility: "4"', 'F, credibility: "6"').replace(
            'C, credibility: "3"', 'E, credibility: "5"'
        ),
    )
    assert dict(next(x for x in admiralty.recommendations if x.rule == "weak_sourcing").because) == {
        "low_graded_answers": "2"
    }


def test_the_plan_names_who_must_act_and_flags_actions_that_pull_the_other_way():
    r = scored(FW, ANSWERS)
    items = {i.rule: i for i in plan(r)}
    assert items["capture"].addressee == "Mission leadership (SRSG / Head of Mission)"
    assert (
        items["corrupt_group"].addressee == "JMAC"
        and items["exit_talks"].addressee == "Mediation and good offices team"
    )
    # corrupt_group fired for g1 and g3, exit_talks for g2 and g3: g3 is in both, so both are flagged
    assert items["corrupt_group"].conflicts == (items["exit_talks"].number,)
    assert items["exit_talks"].conflicts == (items["corrupt_group"].number,)
    assert items["capture"].conflicts == ()
    g3 = 'violence: {value: low, confidence: high, sources: [{ref: "R0", reliability: C'
    apart = scored(FW, ANSWERS.replace(g3, g3.replace("low", "high", 1)))
    items = {i.rule: i for i in plan(apart)}
    assert items["corrupt_group"].conflicts == () and items["exit_talks"].conflicts == ()  # g1, g3 vs g2 only


def test_the_plan_lists_secondary_recommendations_apart():
    fw = FW.replace("    see_also: []", "    recommendations: [nupi_6]\n    see_also: [unu_3c, nupi_2]")
    items = {i.rule: i for i in plan(scored(fw, ANSWERS))}
    assert items["capture"].recommendations == ("NUPI 6",)
    assert items["capture"].see_also == ("UNU-CPR 3c", "NUPI 2")


RISKS = """\
id: r
version: 1.0.0
title: Risk test
scales:
  five:
    options:
      - {value: 1, label: Rare, score: 1}
      - {value: 5, label: Almost certain, score: 5}
      - {value: unknown, label: Unknown, unknown: true}
sections:
  - id: risks
    title: Risk register
    repeat: {label: risk, rank_by: risks}
    aggregate: product
    questions:
      - {id: likelihood, text: Likelihood, type: scale, scale: five}
      - {id: impact, text: Impact, type: scale, scale: five}
"""


def test_a_product_with_an_unknown_factor_has_no_score_but_a_range():
    r = scored(
        RISKS,
        HEAD.replace("id: t", "id: r")
        + """\
entities:
  risks:
    - id: r1
      name: Leaked informant list
      answers: {likelihood: {value: unknown}, impact: {value: 5}}
""",
    )
    risk = r.entity_scores["risks"]["r1"]["risks"]
    assert (risk.value, risk.low, risk.high) == (None, 5, 25)
    assert "-  (5.00–25.00)" in to_table(r)


def test_the_result_lists_blocks_in_the_framework_order_of_their_sections_whatever_the_file_order():
    two = RISKS.replace(
        "sections:\n",
        "sections:\n  - id: notes\n    title: Notes\n    repeat: {label: note}\n"
        "    questions:\n      - {id: said, text: Said, type: text}\n",
        1,
    )
    body = """\
  risks:
    - {id: r1, name: Leak, answers: {likelihood: {value: 5}, impact: {value: 5}}}
  notes:
    - {id: n1, name: First, answers: {said: {value: "x"}}}
"""
    r = scored(two, HEAD.replace("id: t", "id: r") + "entities:\n" + body)
    assert [(q.entity, q.id) for q in r.questions] == [("n1", "said"), ("r1", "likelihood"), ("r1", "impact")]
