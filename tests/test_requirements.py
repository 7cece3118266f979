"""Tests the collection plan (issue 16): every unknown or low-confidence answer to a shown, scored, high-weight
question becomes an intelligence requirement, in framework order, blocks in order, with what, why and who could
collect it; in the result, its JSON and the text table."""

from __future__ import annotations

import json

from assess.output import to_json, to_table

from conftest import scored

FW = """\
id: t
version: 1.0.0
title: Threat test
precision: 2
defaults: {confidence: true}
collection: {min_weight: 2}
confidence:
  scale: conf
  low: 1
scales:
  conf:
    options:
      - {value: low, label: Low, score: 1}
      - {value: high, label: High, score: 3}
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
      - {value: unknown, label: Unknown, unknown: true}
sections:
  - id: markets
    title: Criminal markets
    aggregate: weighted_mean
    collectors: [unpol, civil_society]
    questions:
      - {id: drugs, text: How large is the drug trade?, type: scale, scale: lvl, weight: 2}
      - {id: fuel, text: How large is fuel smuggling?, type: scale, scale: lvl, weight: 1}
      - {id: arms, text: How large is arms trafficking?, type: scale, scale: lvl, weight: 3, collectors: [panel]}
      - id: cyber
        text: How large is cyber crime?
        type: scale
        scale: lvl
        weight: 2
        show_if: "drugs == 'high'"
      - {id: gold, text: Who buys the gold?, type: scale, scale: lvl, weight: 2, scored: false}
  - id: groups
    title: Armed groups and networks
    repeat: {label: group or network}
    sections:
      - id: attributes
        title: Threat attributes
        aggregate: weighted_mean
        questions:
          - {id: corruption, text: How far does it corrupt officials?, type: scale, scale: lvl, weight: 3}
          - {id: violence, text: How violent is it?, type: scale, scale: lvl, weight: 2}
"""

ANSWERS = """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
answers:
  drugs: {value: medium, confidence: low}
  fuel: {value: unknown}
  arms: {value: unknown}
  cyber: {value: unknown}
  gold: {value: unknown}
entities:
  groups:
    - id: g1
      name: FPNK
      answers:
        corruption: {value: unknown}
        violence: {value: high, confidence: high}
    - id: g2
      name: Port network
      answers:
        corruption: {value: high, confidence: high}
        violence: {value: low, confidence: low}
"""


def test_every_unknown_or_weak_answer_on_a_high_weight_question_is_a_requirement_in_order():
    r = scored(FW, ANSWERS)
    assert [(x.number, x.id, x.status) for x in r.requirements] == [
        (1, "drugs", "low_confidence"),
        (2, "arms", "unknown"),
        (3, "groups/g1/corruption", "unknown"),
        (4, "groups/g2/violence", "low_confidence"),
    ]
    # fuel weighs 1 (under min_weight 2), cyber is hidden, gold is not scored: none is a requirement


def test_a_requirement_says_what_to_find_out_why_and_who_could_collect_it():
    r = scored(FW, ANSWERS)
    drugs, arms, fpnk, port = r.requirements
    assert (arms.question, arms.entity, arms.section, arms.what) == (
        "arms",
        None,
        "Criminal markets",
        "How large is arms trafficking?",
    )
    # markets: drugs 2 at weight 2 alone counted (2); with the unknowns at 1 and 3: (4+1+3)/6 and (4+3+9)/6
    assert arms.why == "Unknown; weighs 3 in Criminal markets, whose score is 2.00 and could be 1.33–2.67"
    assert drugs.why == "Answered with low confidence (stated: Low); weighs 2 in Criminal markets, whose score is 2.00"
    assert (fpnk.entity, fpnk.entity_name, fpnk.section, fpnk.what) == (
        "g1",
        "FPNK",
        "Armed groups and networks",
        "FPNK: How far does it corrupt officials?",
    )
    assert fpnk.why == (
        "Unknown; weighs 3 in Threat attributes of group or network 'FPNK', whose score is 3.00 and could be 1.80–3.00"
    )
    # collectors: the question's own, else the nearest section's, else JMAC
    assert arms.collectors == ("Panel of Experts",)
    assert drugs.collectors == ("UNPOL crime analysis", "Civil society and open sources")
    assert port.collectors == ("JMAC",)


def test_the_collection_plan_is_in_the_json_and_counted_in_the_table():
    r = scored(FW, ANSWERS)
    data = json.loads(to_json(r))["requirements"]
    assert [x["id"] for x in data] == ["drugs", "arms", "groups/g1/corruption", "groups/g2/violence"]
    assert data[2] == {
        "number": 3,
        "id": "groups/g1/corruption",
        "question": "corruption",
        "entity": "g1",
        "entity_name": "FPNK",
        "section": "Armed groups and networks",
        "what": "FPNK: How far does it corrupt officials?",
        "why": r.requirements[2].why,
        "status": "unknown",
        "collectors": ["JMAC"],
    }
    assert "\nCollection plan: 4 intelligence requirements\n" in to_table(r)


def test_nothing_to_collect_when_every_high_weight_answer_is_known_and_confident():
    known = ANSWERS.replace("{value: unknown}", "{value: low, confidence: high}").replace(
        "confidence: low}", "confidence: high}"
    )
    r = scored(FW, known)
    assert r.requirements == ()
    assert "Collection plan" not in to_table(r) and json.loads(to_json(r))["requirements"] == []
