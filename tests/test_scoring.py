"""Tests scoring: every question type, aggregation, direction, condition, repeatable section, derived score,
rating, rule and missing-answer policy, with exact arithmetic and an explanation behind every number."""

from __future__ import annotations

from fractions import Fraction

from assess.errors import MESSAGES

from conftest import scored

FW = """\
id: t
version: 1.0.0
title: T
precision: 2
scales:
  lvl:
    options:
      - {value: nil, label: Nil, score: 0}
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
      - {value: unknown, label: Unknown, unknown: true}
  half10: {range: {min: 1, max: 10, step: 0.5}}
ratings:
  r3:
    bands:
      - {min: 0, max: 1, label: Low, colour: "#4A90C8"}
      - {min: 1, max: 2, label: Medium, colour: "#FFFFBF"}
      - {min: 2, max: 3, label: High, colour: "#E8605A"}
"""

ANS_HEAD = """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
"""


def test_every_question_type_scores_and_shows_its_answer():
    r = scored(
        FW
        + """\
sections:
  - id: s
    title: S
    aggregate: sum
    questions:
      - {id: q_single, text: Single, type: single, options: [{value: a, label: Alpha, score: 2}, {value: b, score: 5}]}
      - {id: q_multi, text: Multi, type: multiple, options: [{value: x, score: 1}, {value: y, score: 2}, {value: z, score: 4}]}
      - {id: q_max, text: Max, type: multiple, multiple_score: max, options: [{value: x, score: 1}, {value: y, score: 2}]}
      - {id: q_count, text: Count, type: multiple, multiple_score: count, options: [{value: x, score: 7}, {value: y, score: 7}]}
      - {id: q_scale, text: Scale, type: scale, scale: half10}
      - {id: q_num, text: Number, type: number, min: 0, max: 100, scored: true}
      - {id: q_info, text: Info number, type: number, unit: incidents}
      - {id: q_yes, text: YesNo, type: yesno}
      - {id: q_text, text: Text, type: text}
      - {id: q_date, text: Date, type: date}
""",
        ANS_HEAD
        + """\
answers:
  q_single: {value: a}
  q_multi: {value: [x, z]}
  q_max: {value: [x, y]}
  q_count: {value: [x, y]}
  q_scale: {value: 6.5}
  q_num: {value: 12.25}
  q_info: {value: 40}
  q_yes: {value: yes}
  q_text: {value: "Convoys pay at Checkpoint 4 & the river crossing <north>"}
  q_date: {value: 2026-10-31}
""",
    )
    qs = {q.id: q for q in r.questions}
    assert [(k, qs[k].score) for k in ("q_single", "q_multi", "q_max", "q_count", "q_scale", "q_num", "q_yes")] == [
        ("q_single", 2),
        ("q_multi", 5),
        ("q_max", 2),
        ("q_count", 2),
        ("q_scale", Fraction(13, 2)),
        ("q_num", Fraction(49, 4)),
        ("q_yes", 1),
    ]
    assert qs["q_info"].score is None and qs["q_text"].score is None and qs["q_date"].score is None
    assert qs["q_single"].label == "Alpha"
    assert qs["q_text"].label == "Convoys pay at Checkpoint 4 & the river crossing <north>"
    assert qs["q_info"].label == "40 incidents"
    assert qs["q_date"].label == "2026-10-31"
    s = r.sections["s"]
    assert s.value == 2 + 5 + 2 + 2 + Fraction(13, 2) + Fraction(49, 4) + 1
    assert s.display == "30.75"
    assert s.method == "sum of 7 of 7 inputs"
    assert qs["q_scale"].normalized == Fraction(11, 18)  # (6.5 - 1) / (10 - 1)


AGG = (
    FW
    + """\
sections:
  - id: s
    title: S
    aggregate: AGGREGATE
    questions:
      - {id: a, text: A, type: scale, scale: lvl, weight: 3}
      - {id: b, text: B, type: scale, scale: lvl, weight: 1}
      - {id: c, text: C, type: scale, scale: lvl, weight: 2}
"""
)
AGG_ANS = ANS_HEAD + "answers:\n  a: {value: high}\n  b: {value: nil}\n  c: {value: low}\n"


def test_aggregations():
    results = {
        agg: scored(AGG.replace("AGGREGATE", agg), AGG_ANS).sections["s"].value
        for agg in ("mean", "weighted_mean", "sum", "min", "max")
    }
    assert results == {"mean": Fraction(4, 3), "weighted_mean": Fraction(11, 6), "sum": 4, "min": 0, "max": 3}


def test_weighted_mean_explanation_lists_every_input_with_its_weight():
    s = scored(AGG.replace("AGGREGATE", "weighted_mean"), AGG_ANS).sections["s"]
    assert [(i.id, i.score, i.weight, i.counted) for i in s.inputs] == [
        ("a", 3, 3, True),
        ("b", 0, 1, True),
        ("c", 1, 2, True),
    ]
    assert s.display == "1.83"


def test_unanswered_na_and_unknown_are_left_out_by_default_and_said_so():
    r = scored(
        AGG.replace("AGGREGATE", "mean").replace("weight: 2}", "weight: 2, allow_na: true}"),
        ANS_HEAD + "answers:\n  a: {value: high}\n  b: {value: unknown}\n  c: {na: true}\n",
    )
    s = r.sections["s"]
    assert s.value == 3
    assert s.method == "mean of 1 of 3 inputs; 2 left out (not applicable, unknown)"
    assert r.coverage == {
        "questions": 3,
        "answered": 1,
        "unanswered": 0,
        "not_applicable": 1,
        "unknown": 1,
        "required_missing": 0,
        "hidden": 0,
    }
    assert [g.kind for g in r.gaps] == ["unknown"]


def test_policy_can_count_missing_answers():
    text = AGG.replace("AGGREGATE", "mean").replace(
        "sections:", "policy: {unanswered: zero, unknown: highest}\nsections:", 1
    )
    r = scored(text, ANS_HEAD + "answers:\n  a: {value: high}\n  b: {value: unknown}\n")
    assert r.sections["s"].value == Fraction(3 + 3 + 0, 3)


def test_policy_lowest_uses_the_scale_minimum():
    text = (
        FW.replace("precision: 2", "precision: 2\npolicy: {unanswered: lowest}")
        + """\
sections:
  - id: s
    title: S
    questions:
      - {id: a, text: A, type: scale, scale: half10}
      - {id: b, text: B, type: scale, scale: half10}
"""
    )
    assert scored(text, ANS_HEAD + "answers:\n  a: {value: 8}\n").sections["s"].value == Fraction(9, 2)


def test_nested_sections_direction_normalize_and_ratings():
    r = scored(
        FW
        + """\
sections:
  - id: top
    title: Top
    rating: r3
    sections:
      - id: threat
        title: Threat
        rating: r3
        questions:
          - {id: a, text: A, type: scale, scale: lvl}
          - {id: b, text: B, type: scale, scale: lvl}
      - id: resilience
        title: Resilience
        direction: resilience
        normalize: true
        questions:
          - {id: c, text: C, type: scale, scale: half10}
          - {id: d, text: D, type: yesno}
""",
        ANS_HEAD + "answers:\n  a: {value: high}\n  b: {value: medium}\n  c: {value: 5.5}\n  d: {value: 'no'}\n",
    )
    assert r.sections["threat"].value == Fraction(5, 2)
    assert (r.sections["threat"].rating, r.sections["threat"].colour) == ("High", "#E8605A")
    assert r.sections["resilience"].value == Fraction(1, 4)  # mean of 0.5 and 0
    assert r.sections["resilience"].direction == "resilience" and r.sections["threat"].direction == "threat"
    assert r.sections["top"].value == Fraction(11, 8)
    assert r.sections["top"].rating == "Medium"


def test_conditions_hide_questions_and_sections_and_hidden_answers_do_not_count():
    text = (
        FW
        + """\
sections:
  - id: s
    title: S
    questions:
      - {id: present, text: Present?, type: yesno, scored: false}
      - {id: level, text: Level, type: scale, scale: lvl, show_if: "present == 'yes'", required: true}
      - {id: other, text: Other, type: scale, scale: lvl}
  - id: follow
    title: Follow-up
    show_if: "level in ['medium', 'high']"
    questions:
      - {id: why, text: Why, type: scale, scale: lvl, required: true}
"""
    )
    shown = scored(
        text, ANS_HEAD + "answers:\n  present: {value: 'yes'}\n  level: {value: high}\n  other: {value: low}\n"
    )
    assert shown.sections["s"].value == 2
    assert [q.status for q in shown.questions] == ["answered", "answered", "answered", "unanswered"]
    assert shown.coverage["required_missing"] == 1 and not shown.complete
    hidden = scored(
        text, ANS_HEAD + "answers:\n  present: {value: 'no'}\n  level: {value: high}\n  other: {value: low}\n"
    )
    assert hidden.sections["s"].value == 1
    assert [q.status for q in hidden.questions] == ["answered", "hidden", "answered", "hidden"]
    assert hidden.sections["follow"].method == "hidden by its condition" and hidden.sections["follow"].value is None
    assert hidden.complete and hidden.coverage["hidden"] == 2
    # the hidden answer is kept in the answers, only not counted
    assert hidden.answers.answers["level"].value == "high"


GROUPS = (
    FW
    + """\
sections:
  - id: groups
    title: Armed groups and networks
    rating: r3
    repeat: {label: group, min: 2, rank_by: threat}
    questions:
      - {id: kind, text: Kind, type: single, scored: false, options: [{value: armed}, {value: network}]}
    sections:
      - id: threat
        title: Threat
        aggregate: weighted_mean
        questions:
          - {id: violence, text: Violence, type: scale, scale: lvl, weight: 2, required: true}
          - {id: corruption, text: Corruption, type: scale, scale: lvl, weight: 1}
          - {id: follow, text: Follow, type: scale, scale: lvl, show_if: "kind == 'armed'"}
derived:
  - {id: overall, title: Overall threat, expr: "mean(groups)", rating: r3}
rules:
  - id: violent
    when: "violence == 'high' and threat >= 2"
    scope: groups
    priority: critical
    finding: "{entity} is highly violent"
    action: "Plan force protection for operations against {entity}"
    reference: "NUPI brief, recommendation 6 (managing risks)"
  - id: many
    when: "groups >= 2"
    priority: medium
    finding: "Groups pose a high threat overall"
    action: "Prioritize collection"
    reference: "UNU-CPR brief, recommendation 2"
"""
)


def group_answers(blocks: str) -> str:
    return ANS_HEAD + "answers: {}\nentities:\n  groups:\n" + blocks


def test_repeatable_section_scores_each_block_ranks_them_and_aggregates():
    r = scored(
        GROUPS,
        group_answers("""\
    - id: g1
      name: Front A
      answers:
        kind: {value: armed}
        violence: {value: high}
        corruption: {value: low}
        follow: {value: high}
    - id: g2
      name: Network B
      answers:
        kind: {value: network}
        violence: {value: medium}
        corruption: {value: high}
        follow: {value: nil}
    - id: g3
      name: Cell C
      answers:
        violence: {value: unknown}
    - id: g4
      name: Front D
      answers:
        violence: {value: high}
        corruption: {value: low}
        follow: {value: high}
"""),
    )
    threat = {eid: s["threat"].value for eid, s in r.entity_scores["groups"].items()}
    # g1: (3*2 + 1*1 + 3*1) / 4; g2: follow hidden for a network; g3: nothing known
    assert threat == {"g1": Fraction(10, 4), "g2": Fraction(7, 3), "g3": None, "g4": Fraction(7, 3)}
    assert r.rankings["groups"] == (
        (1, "g1", "Front A", Fraction(5, 2)),
        (2, "g2", "Network B", Fraction(7, 3)),
        (2, "g4", "Front D", Fraction(7, 3)),
        (None, "g3", "Cell C", None),
    )
    assert r.sections["groups"].value == Fraction(5, 2)  # max over blocks
    assert r.sections["groups"].method == "highest over 3 of 4 group blocks"
    assert r.derived["overall"].value == Fraction(5, 2) and r.derived["overall"].rating == "High"
    assert [(x.rule, x.entity_name, x.finding, x.action) for x in r.recommendations] == [
        ("violent", "Front A", "Front A is highly violent", "Plan force protection for operations against Front A"),
        ("violent", "Front D", "Front D is highly violent", "Plan force protection for operations against Front D"),
        ("many", None, "Groups pose a high threat overall", "Prioritize collection"),
    ]
    assert r.recommendations[0].because == (("threat", "2.50"), ("violence", "high"))
    assert [g.message for g in r.gaps] == ["Answered 'unknown' (intelligence gap): Violence (Cell C)"]


def test_too_few_blocks_make_the_assessment_incomplete():
    r = scored(GROUPS, group_answers("    - {id: g1, name: Only one, answers: {violence: {value: low}}}\n"))
    assert not r.complete
    assert r.gaps[0].message == "Armed groups and networks: 1 group block(s), at least 2 needed"


def test_rule_does_not_fire_when_its_condition_is_false_or_unknown():
    r = scored(
        GROUPS,
        group_answers("""\
    - {id: g1, name: A, answers: {violence: {value: low}, corruption: {value: low}}}
    - {id: g2, name: B, answers: {corruption: {value: low}}}
"""),
    )
    assert r.recommendations == ()


def test_published_style_index_is_exact_to_the_last_digit():
    # values whose float mean rounds the wrong way: 1.005 -> 1.01 exactly, round(1.005, 2) == 1.0 in floats
    r = scored(
        FW
        + """\
precision: 2
sections:
  - id: s
    title: S
    questions:
      - {id: a, text: A, type: number, min: 0, max: 10, scored: true}
      - {id: b, text: B, type: number, min: 0, max: 10, scored: true}
""".replace("precision: 2\n", "", 1),
        ANS_HEAD + "answers:\n  a: {value: 1.0}\n  b: {value: 1.01}\n",
    )
    assert r.sections["s"].value == Fraction(201, 200)
    assert r.sections["s"].display == "1.01"


def test_derived_score_expression_and_its_inputs():
    r = scored(
        FW
        + """\
sections:
  - {id: m, title: Markets, questions: [{id: a, text: A, type: scale, scale: half10}]}
  - {id: k, title: Actors, questions: [{id: b, text: B, type: scale, scale: half10}]}
derived:
  - {id: crim, title: Criminality, expr: "mean(m, k)"}
  - {id: gap, title: Gap, expr: "crim - 5", range: [-4, 5]}
""",
        ANS_HEAD + "answers:\n  a: {value: 6.5}\n  b: {value: 7.5}\n",
    )
    assert r.derived["crim"].value == 7 and r.derived["gap"].value == 2
    assert [(i.id, i.score) for i in r.derived["crim"].inputs] == [("k", Fraction(15, 2)), ("m", Fraction(13, 2))]
    assert r.derived["gap"].method == "computed as crim - 5"


def test_confidence_and_evidence_gaps():
    r = scored(
        FW.replace(
            "precision: 2", "precision: 2\ndefaults: {confidence: true, evidence: required, justification: recommended}"
        )
        + """\
sections:
  - id: s
    title: S
    questions:
      - {id: a, text: A, type: scale, scale: lvl}
      - {id: b, text: B, type: scale, scale: lvl}
      - {id: c, text: C, type: scale, scale: lvl}
""",
        ANS_HEAD
        + """\
answers:
  a: {value: high, confidence: low, note: "Seen twice", sources: [{ref: "JMAC report 12", reliability: B, credibility: 2}]}
  b: {value: low, confidence: high}
  c: {value: medium, note: "Open sources only"}
""",
    )
    assert r.confidence == {"Low": 1, "High": 1, "not stated": 1}
    assert [(g.kind, g.id) for g in r.gaps] == [
        ("no_sources", "b"),
        ("no_sources", "c"),
        ("no_justification", "b"),
        ("low_confidence", "a"),
        ("no_confidence", "c"),
    ]


RISKS = (
    FW.replace("  half10:", "  five: {range: {min: 1, max: 5, step: 1}}\n  half10:").replace(
        "ratings:\n",
        "ratings:\n  risk:\n    bands:\n      - {min: 1, max: 5, label: Low, colour: '#4A90C8'}\n"
        "      - {min: 5, max: 12, label: Medium, colour: '#FFFFBF'}\n      - {min: 12, max: 25, label: High, colour: '#E8605A'}\n",
    )
    + """\
sections:
  - id: risks
    title: Risk register
    rating: risk
    repeat: {label: risk, rank_by: risks, aggregate: max}
    aggregate: product
    questions:
      - {id: likelihood, text: Likelihood, type: scale, scale: five}
      - {id: impact, text: Impact, type: scale, scale: five}
heatmaps:
  - {id: matrix, title: Likelihood by impact, section: risks, x: likelihood, y: impact, rating: risk}
"""
)


def test_product_aggregate_and_heat_map_place_each_risk():
    r = scored(
        RISKS,
        ANS_HEAD
        + """\
answers: {}
entities:
  risks:
    - {id: r1, name: Fuel contract with a sanctioned trader, answers: {likelihood: {value: 4}, impact: {value: 5}}}
    - {id: r2, name: Checkpoint bribes on supply routes, answers: {likelihood: {value: 4}, impact: {value: 5}}}
    - {id: r3, name: Vetting gap in police training, answers: {likelihood: {value: 2}, impact: {value: 3}}}
    - {id: r4, name: Not yet rated, answers: {likelihood: {value: 3}}}
""",
    )
    assert {e: s["risks"].value for e, s in r.entity_scores["risks"].items()} == {
        "r1": 20,
        "r2": 20,
        "r3": 6,
        "r4": None,
    }
    assert r.sections["risks"].value == 20 and r.sections["risks"].rating == "High"
    assert [row[:2] for row in r.rankings["risks"]] == [(1, "r1"), (1, "r2"), (3, "r3"), (None, "r4")]
    h = r.heatmaps["matrix"]
    assert h.x_labels == ("1", "2", "3", "4", "5")
    assert h.cells == {
        (3, 4): ("Fuel contract with a sanctioned trader", "Checkpoint bribes on supply routes"),
        (1, 2): ("Vetting gap in police training",),
    }
    assert h.colours[(3, 4)] == "#E8605A" and h.colours[(0, 0)] == "#4A90C8" and h.colours[(1, 2)] == "#FFFFBF"


def test_repeatable_section_without_blocks_scores_nothing_and_ranks_nobody():
    r = scored(GROUPS, ANS_HEAD + "answers: {}\n")
    assert r.sections["groups"].value is None and r.rankings["groups"] == ()
    assert [g.kind for g in r.gaps] == ["too_few_entities"]


def test_rules_can_count_what_the_assessment_lacks_overall_and_per_block():
    text = GROUPS.replace(
        "rules:\n",
        """rules:
  - id: guesswork
    when: "unknown_answers >= 2"
    scope: groups
    priority: high
    finding: "{entity} is profiled mostly by guesswork"
    action: "Task collection on {entity} before planning against it"
    reference: "UNU-CPR brief, recommendation 2"
  - id: thin
    when: "unknown_answers + required_open >= 4"
    priority: medium
    finding: "Intelligence on the groups is thin"
    action: "Build the collection plan around the gaps"
    reference: "UNU-CPR brief, recommendation 2"
""",
        1,
    )
    blocks = """\
    - id: g1
      name: Front A
      answers:
        violence: {value: unknown}
        corruption: {value: unknown}
    - id: g2
      name: Network B
      answers:
        violence: {value: unknown}
        corruption: {value: low}
"""
    r = scored(text, group_answers(blocks))
    fired = [(x.rule, x.entity_name, x.because) for x in r.recommendations if x.rule in ("guesswork", "thin")]
    # g1 has 2 unknown answers, g2 one; overall 3, and no required question is open (a required question
    # answered 'unknown' is a gap of its own kind, not an open question): 'thin' stays silent
    assert fired == [("guesswork", "Front A", (("unknown_answers", "2"),))]
    one_more = blocks.replace("        corruption: {value: low}\n", "        corruption: {value: unknown}\n")
    r = scored(text, group_answers(one_more + "    - id: g3\n      name: Cell C\n      answers: {}\n"))
    fired = [(x.rule, x.entity_name, x.because) for x in r.recommendations if x.rule in ("guesswork", "thin")]
    assert fired == [
        ("guesswork", "Front A", (("unknown_answers", "2"),)),
        ("guesswork", "Network B", (("unknown_answers", "2"),)),
        ("thin", None, (("required_open", "1"), ("unknown_answers", "4"))),
    ]


def test_gap_counts_are_for_rules_only_and_cannot_be_ids():
    from conftest import problems

    shown = (
        FW
        + """\
sections:
  - id: s
    title: S
    questions:
      - {id: a, text: A, type: scale, scale: lvl}
      - {id: b, text: B, type: scale, scale: lvl, show_if: "unknown_answers > 1"}
"""
    )
    assert problems(shown) == [
        "fw.yaml:25:60: sections[0].questions[1].show_if: unknown name 'unknown_answers'; it counts gaps and is "
        "for rules only [E204]"
    ]
    named = shown.replace('show_if: "unknown_answers > 1"', "").replace("id: a,", "id: unknown_answers,")
    reserved = MESSAGES["E220"].format(where="sections[0].questions[0].id", name="unknown_answers")
    assert any(p.endswith(f"{reserved} [E220]") for p in problems(named)), problems(named)
