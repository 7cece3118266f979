"""Tests of the framework format of issue 16 as a framework author meets it: rule addressees, secondary links and
conflicts, the built-in likelihood, confidence and trajectory scales, the key judgements block, heat maps of section
scores, collectors, and Europol's 4x4 grades."""

from __future__ import annotations

from fractions import Fraction

from assess.errors import MESSAGES, WARNINGS
from assess.loader import load_framework
from assess.model.framework import ADDRESSEE_LABELS
from assess.vocabulary import ADDRESSEES

from conftest import ROOT, fw, problems, run_cli

HEAD = """\
id: t
version: 1.0.0
title: T
sections:
  - id: s
    title: S
    questions:
      - {id: q, text: Q?, type: yesno}
"""


def expect(file: str, pos: str, code: str, **fields: object) -> str:
    """A problem as `assess validate` prints it, formatted from the message table."""
    if code.startswith("W"):
        return f"{file}:{pos}: warning: {WARNINGS[code].format(**fields)} [{code}]"
    return f"{file}:{pos}: {MESSAGES[code].format(**fields)} [{code}]"


RULES = """\
rules:
  - id: list_leaders
    when: "q == 'yes'"
    priority: high
    finding: F
    action: Propose the leaders for listing, through the Panel.
    reference: R
    addressee: panel
    recommendations: [nupi_1]
    see_also: [unu_2e]
    conflicts_with: [negotiated_exit]
  - id: negotiated_exit
    when: "q == 'yes'"
    priority: medium
    finding: F
    action: Explore a negotiated exit.
    reference: R
    addressee: mediation
"""


def test_rule_addressee_see_also_and_conflicts_reach_the_model():
    f = fw(HEAD + RULES)
    first, second = f.rules
    assert (first.addressee, first.recommendations, first.see_also, first.conflicts_with) == (
        "panel",
        ("nupi_1",),
        ("unu_2e",),
        ("negotiated_exit",),
    )
    assert (second.addressee, second.see_also, second.conflicts_with) == ("mediation", (), ())
    assert ADDRESSEE_LABELS["panel"] == "Sanctions committee, through the Panel of Experts"
    assert tuple(ADDRESSEE_LABELS) == ADDRESSEES


def test_validate_locates_an_unknown_conflict_and_a_rule_without_addressee(tmp_path):
    text = HEAD + RULES.replace("[negotiated_exit]", "[negotiated_exits, list_leaders]").replace(
        "    addressee: mediation\n", ""
    )
    path = tmp_path / "fw.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    out = result.stderr.splitlines()
    hint = "; did you mean 'negotiated_exit'?"
    where = "rules[0].conflicts_with"
    assert out[:2] == [
        expect(str(path), "19:22", "E244", where=where, name="negotiated_exits", hint=hint),
        expect(str(path), "19:40", "E244", where=where, name="list_leaders", hint=""),
    ]
    # the errors fixed, the rule without an addressee is still valid, with a warning at its id
    path.write_text(text.replace("[negotiated_exits, list_leaders]", "[negotiated_exit]"), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    known = ", ".join(ADDRESSEES)
    warning = expect(str(path), "20:9", "W017", where="rules[1]", rule="negotiated_exit", known=known)
    assert warning in result.stdout + result.stderr


def test_a_bad_addressee_is_refused_with_the_list_to_choose_from():
    out = problems(HEAD + RULES.replace("addressee: panel", "addressee: sanctions_committee"))
    assert out == [
        expect(
            "fw.yaml",
            "16:16",
            "E104",
            where="rules[0].addressee",
            value="sanctions_committee",
            allowed=", ".join(ADDRESSEES),
        )
    ]


def test_previous_releases_still_load_with_the_hash_their_answers_pin():
    """The hash of a framework that uses none of the new fields is unchanged: each saved release's file name
    carries the start of the hash its answers files pin, and rules without an addressee (releases made before
    addressees existed) are only warned about."""
    for path in sorted((ROOT / "frameworks" / "previous").glob("*.yaml")):
        result = run_cli("validate", str(path))
        assert result.returncode == 0, result.stdout
        framework, _ = load_framework(path)
        unaddressed = any(rule.addressee is None for rule in framework.rules)
        assert ("[W017]" in result.stdout + result.stderr) == unaddressed, path.name
        assert framework.hash.startswith("sha256:" + path.stem.rsplit("-", 1)[1]), path.name


def test_the_built_in_likelihood_confidence_and_trajectory_scales():
    f = fw(
        HEAD
        + """\
      - {id: odds, text: How likely?, type: scale, scale: icd203}
      - {id: yardstick, text: How likely?, type: scale, scale: phia}
      - {id: sure, text: How confident?, type: scale, scale: analytic_confidence}
      - {id: heading, text: Where is it heading?, type: scale, scale: trajectory}
"""
    )
    icd = f.questions["odds"].options
    assert [(o.value, o.label, o.score) for o in icd[::3]] == [
        ("almost_no_chance", "Almost no chance (01–05%)", 1),
        ("even_chance", "Roughly even chance (45–55%)", 4),
        ("almost_certain", "Almost certain (95–99%)", 7),
    ]
    assert icd[4].description == "Also written 'probable': 55–80%."
    assert f.scales["icd203"].title == "Likelihood (ICD 203)"
    phia = f.questions["yardstick"].options
    assert [o.label for o in phia] == [
        "Remote (0–5%)",
        "Highly unlikely (10–20%)",
        "Unlikely (25–35%)",
        "Realistic possibility (40–50%)",
        "Likely or probable (55–75%)",
        "Highly likely (80–90%)",
        "Almost certain (95–100%)",
    ]
    assert [o.score for o in phia] == list(range(1, 8))
    sure = f.questions["sure"].options
    assert [(o.value, o.score) for o in sure] == [("low", 1), ("moderate", 2), ("high", 3)]
    assert "fragmentary or poorly corroborated" in sure[0].description
    heading = {o.value: (o.score, o.unknown) for o in f.questions["heading"].options}
    assert heading == {"falling": (1, False), "stable": (2, False), "rising": (3, False), "unknown": (None, True)}
    assert f.questions["heading"].score_range == (1, 3)


def test_a_framework_may_declare_its_own_scale_of_a_built_in_id():
    f = fw(
        HEAD.replace(
            "sections:",
            "scales:\n  trajectory:\n    options: [{value: up, score: 1}, {value: down, score: 0}]\nsections:",
        )
        + "      - {id: heading, text: Where?, type: scale, scale: trajectory}\n"
    )
    assert [o.value for o in f.questions["heading"].options] == ["up", "down"]


KJ = (
    HEAD
    + """\
  - include: key_judgements
    likelihood: phia
    min: 1
"""
)


def test_key_judgements_include_becomes_a_repeatable_unscored_section():
    f = fw(KJ)
    assert f.judgements == "key_judgements"
    sec = f.all_sections["key_judgements"]
    assert (sec.role, sec.title, sec.scored, sec.rating) == (
        "key_judgements",
        "Key judgements and outlook",
        False,
        None,
    )
    assert (sec.repeat.label, sec.repeat.min, sec.repeat.max) == ("key judgement", 1, 12)
    assert "never in one sentence" in sec.guidance
    qs = {q.id: q for q in sec.questions}
    assert list(qs) == ["kj_judgement", "kj_likelihood", "kj_confidence", "kj_basis", "kj_indicators", "kj_horizon"]
    assert qs["kj_judgement"].text == (
        "What do you judge will happen, or is the case? One sentence, without a likelihood word."
    )
    assert (qs["kj_likelihood"].type, qs["kj_likelihood"].scale, qs["kj_likelihood"].scored) == ("scale", "phia", False)
    assert qs["kj_likelihood"].options[3].label == "Realistic possibility (40–50%)"
    assert qs["kj_confidence"].scale == "analytic_confidence"
    assert qs["kj_confidence"].text == "How confident are you in the analysis behind it?"
    assert [q.required for q in qs.values()] == [True, True, True, True, True, False]
    assert {(q.confidence, q.scored) for q in qs.values()} == {(False, False)}
    # sources are asked where the judgement's evidence is written, not of its likelihood, confidence or horizon
    assert {q.id: q.evidence for q in qs.values() if q.evidence != "none"} == {"kj_basis": "recommended"}
    # the default likelihood scale is ICD 203's, the id and title may be chosen
    other = fw(HEAD + "  - {include: key_judgements, id: outlook, title: Outlook}\n")
    assert other.judgements == "outlook" and other.all_sections["outlook"].title == "Outlook"
    assert other.questions["kj_likelihood"].scale == "icd203"
    assert fw(HEAD).judgements is None


def test_key_judgements_are_answered_as_blocks_and_leave_the_scores_alone():
    from assess.answers import answers_from_text, check
    from assess.scoring import score

    f = fw(KJ)
    text = (
        "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: x, marking: UN RESTRICTED}\n"
        "answers:\n  q: {value: 'yes'}\n"
        "entities:\n  key_judgements:\n"
        "    - id: kj1\n      name: Ceasefire\n      answers:\n"
        "        kj_judgement: {value: The ceasefire will collapse before the elections.}\n"
        "        kj_likelihood: {value: likely}\n        kj_confidence: {value: moderate}\n"
        "        kj_basis: {value: Two sources.}\n        kj_indicators: {value: Mobilisation.}\n"
    )
    answers, located = answers_from_text(text)
    assert check(f, answers, located) == []
    result = score(f, answers)
    assert result.complete
    assert result.sections["s"].value == 1
    assert result.sections["key_judgements"].value is None
    likelihood = next(x for x in result.questions if x.id == "kj_likelihood")
    assert (likelihood.entity, likelihood.label) == ("kj1", "Likely or probable (55–75%)")


def test_a_second_key_judgements_include_is_refused_at_its_line(tmp_path):
    path = tmp_path / "fw.yaml"
    path.write_text(KJ + "  - {include: key_judgements, id: more}\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == expect(str(path), "12:15", "E245", where="sections[2]", first=9)


MAP = """\
id: t
version: 1.0.0
title: T
ratings:
  level:
    bands:
      - {min: 1, max: 2, label: Low}
      - {min: 2, max: 3, label: Medium}
      - {min: 3, max: 4, label: High}
  risk:
    bands:
      - {min: 0, max: 4, label: Minor, colour: "#4A90C8"}
      - {min: 4, max: 9, label: Serious, colour: "#FDAE61"}
      - {min: 9, max: 16, label: Grave, colour: "#E8605A"}
scales:
  lvl: {range: {min: 1, max: 4, step: 1}}
sections:
  - id: groups
    title: Groups
    repeat: {label: group}
    scored: false
    sections:
      - id: threat
        title: Threat
        rating: level
        questions:
          - {id: intent, text: Intent?, type: scale, scale: lvl}
          - {id: capability, text: Capability?, type: scale, scale: lvl}
      - id: harm
        title: Harm
        rating: level
        questions:
          - {id: harm_done, text: Harm?, type: scale, scale: lvl}
heatmaps:
  - {id: risk_map, title: Risk, section: groups, x: threat, y: harm, rating: risk}
"""


def test_a_heat_map_of_section_scores_places_each_block_in_the_bands_its_scores_fall_in():
    from assess.answers import answers_from_text
    from assess.scoring import score

    f = fw(MAP)
    assert f.axis("threat") == (("Low", 1.5), ("Medium", 2.5), ("High", 3.5))
    assert f.axis_title("harm") == "Harm"
    blocks = "".join(
        f"    - id: {gid}\n      name: {name}\n      answers: {{intent: {{value: {i}}}, capability: {{value: {c}}}, "
        f"harm_done: {{value: {h}}}}}\n"
        for gid, name, i, c, h in (
            ("fpnk", "FPNK", 4, 4, 4),  # threat 4 (High), harm 4 (High)
            ("customs", "Customs network", 3, 2, 1),  # threat 2.5 (Medium), harm 1 (Low)
            ("port", "Port cartel", 1, 2, 2),  # threat 1.5 (Low), harm 2 (Medium: a band's min is in it)
        )
    )
    text = (
        "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: x}\n"
        "answers: {}\nentities:\n  groups:\n" + blocks + "    - {id: empty, name: Unprofiled, answers: {}}\n"
    )
    result = score(f, answers_from_text(text)[0])
    h = result.heatmaps["risk_map"]
    assert (h.x_labels, h.y_labels) == (("Low", "Medium", "High"), ("Low", "Medium", "High"))
    assert h.cells == {(2, 2): ("FPNK",), (1, 0): ("Customs network",), (0, 1): ("Port cartel",)}
    # each cell coloured by the risk rating of the product of its bands' midpoints: 1.5 x 1.5 = 2.25 is minor,
    # 2.5 x 2.5 = 6.25 serious, 3.5 x 3.5 = 12.25 grave
    assert (h.colours[(0, 0)], h.colours[(1, 1)], h.colours[(2, 2)]) == ("#4A90C8", "#FDAE61", "#E8605A")


def test_a_heat_map_axis_must_be_a_choice_question_or_a_rated_section_inside_its_section():
    outside = (
        "  - {id: context, title: Context, rating: level, questions: [{id: c, text: C, type: scale, scale: lvl}]}\n"
    )
    bad = MAP.replace("sections:\n  - id: groups", "sections:\n" + outside + "  - id: groups")
    bad = bad.replace("x: threat", "x: context").replace(
        "        title: Harm\n        rating: level\n", "        title: Harm\n"
    )
    assert problems(bad) == [
        expect("fw.yaml", "35:53", "E239", where="heatmaps[0].x", name="context", section="groups"),
        expect("fw.yaml", "35:65", "E239", where="heatmaps[0].y", name="harm", section="groups"),
    ]


def test_collectors_are_inherited_from_the_nearest_section_that_names_them():
    from assess.model.framework import COLLECTOR_LABELS
    from assess.vocabulary import COLLECTORS

    f = fw(
        """\
id: t
version: 1.0.0
title: T
collection: {min_weight: 2.5}
sections:
  - id: plain
    title: Plain
    questions:
      - {id: a, text: A?, type: yesno}
  - id: outer
    title: Outer
    collectors: [fusion_cell, civil_society]
    questions:
      - {id: b, text: B?, type: yesno}
      - {id: c, text: C?, type: yesno, collectors: [panel]}
    sections:
      - id: inner
        title: Inner
        questions:
          - {id: d, text: D?, type: yesno}
      - id: police
        title: Police
        collectors: [unpol]
        questions:
          - {id: e, text: E?, type: yesno}
"""
    )
    assert {q.id: q.collectors for q in f.questions.values()} == {
        "a": ("jmac",),
        "b": ("fusion_cell", "civil_society"),
        "c": ("panel",),
        "d": ("fusion_cell", "civil_society"),
        "e": ("unpol",),
    }
    assert f.collection_min_weight == Fraction(5, 2)
    assert fw(HEAD).collection_min_weight == 1
    assert tuple(COLLECTOR_LABELS) == COLLECTORS and COLLECTOR_LABELS["fusion_cell"] == (
        "Military information / fusion cell"
    )


def test_an_unknown_collector_is_refused_with_the_list():
    from assess.vocabulary import COLLECTORS

    out = problems(HEAD.replace("type: yesno}", "type: yesno, collectors: [jmac, police]}"))
    allowed = ", ".join(COLLECTORS)
    assert out == [
        expect(
            "fw.yaml", "8:59", "E104", where="sections[0].questions[0].collectors[1]", value="police", allowed=allowed
        )
    ]


GRADED = """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: x, marking: UN RESTRICTED}
answers:
  q:
    value: 'yes'
    sources:
      - {ref: Old report, reliability: D, credibility: 4}
      - {ref: New report, reliability: X, credibility: 2}
      - {ref: Typo, reliability: E, credibility: 1}
"""


def test_4x4_grades_are_europols_a_b_c_x_and_a_legacy_d_is_read_as_x(tmp_path):
    from assess.answers import check, load_answers
    from assess.model import GRADE_OFFICIAL, GRADES, low_grade

    assert GRADES["4x4"] == ("ABCX", "1234")
    assert GRADE_OFFICIAL["4x4"][0]["X"] == "Reliability of the source cannot be assessed"
    assert GRADE_OFFICIAL["admiralty"][1]["6"] == "Truth cannot be judged"
    path = tmp_path / "t.answers.yaml"
    path.write_text(GRADED, encoding="utf-8")
    answers, located = load_answers(path)
    out = [str(p) for p in check(fw(HEAD), answers, located)]
    assert out == [
        f"{path}:8:40: warning: {WARNINGS['W018'].format(qid='q')} [W018]",
        f"{path}:10:34: "
        + MESSAGES["E307"].format(qid="q", kind="reliability", value="E", system="4x4", allowed="A, B, C, X")
        + " [E307]",
    ]
    # the D is read as X: that is what the answer now holds, and what the next save writes
    assert [s.reliability for s in answers.answers["q"].sources] == ["X", "X", "E"]
    # low grades: 4x4 C or X, or credibility 4; admiralty D, E or F, or 4, 5 or 6; a grade not given is not low
    assert [low_grade("4x4", r, c) for r, c in (("X", "1"), ("C", "2"), ("B", "4"), ("A", "1"), ("D", None))] == [
        True,
        True,
        True,
        False,
        True,
    ]
    assert [low_grade("admiralty", r, c) for r, c in (("D", "1"), ("C", "3"), ("B", "4"), (None, None))] == [
        True,
        False,
        True,
        False,
    ]


def test_the_source_dialog_offers_x_with_its_meaning():
    from assess.tui.screens.source import grade_meaning

    assert grade_meaning("4x4", "X", "4") == "X4 — cannot be assessed / not known personally, not corroborated"


def test_an_old_4x4_answers_file_still_scores_with_its_d_read_as_x(tmp_path):
    path = tmp_path / "fw.yaml"
    path.write_text(HEAD, encoding="utf-8")
    answers = tmp_path / "a.answers.yaml"
    answers.write_text(GRADED.replace("      - {ref: Typo, reliability: E, credibility: 1}\n", ""), encoding="utf-8")
    result = run_cli("score", str(answers), "--framework", str(path))
    assert result.returncode == 0, result.stderr
    assert f"{answers}:8:40: warning: {WARNINGS['W018'].format(qid='q')} [W018]" in result.stderr


def test_every_bundled_rule_names_its_addressee_and_links_only_known_recommendations():
    from assess.catalogue import catalogue

    known = {r["id"] for r in catalogue()["recommendations"]}
    for path in sorted((ROOT / "frameworks").glob("*.yaml")):
        framework, _ = load_framework(path)
        assert [r.id for r in framework.rules if r.addressee is None] == [], path.name
        unknown = [(r.id, x) for r in framework.rules for x in (*r.recommendations, *r.see_also) if x not in known]
        assert unknown == [], path.name


MAX_SECTION = """\
id: t
version: 1.0.0
title: T
{collection}sections:
  - id: s
    title: S
    aggregate: max
    questions:
      - {{id: harm, text: Harm?, type: scale, scale: five, weight: 2}}
      - {{id: other, text: Other?, type: scale, scale: five}}
scales:
  five: {{range: {{min: 1, max: 5, step: 1}}, unknown: true}}
"""


def test_a_weight_in_a_maximum_marks_a_question_for_the_collection_plan_without_w004():
    """A weight in a section that takes the maximum changes no score (W004 says so), unless the framework declares a
    collection plan, where the weight says the question's gaps are worth collecting on."""
    plain = problems(MAX_SECTION.format(collection=""))
    assert [p for p in plain if "[W004]" in p] == [
        expect("fw.yaml", "9:67", "W004", where="sections[0].questions[0]", aggregate="max")
    ]
    planned = MAX_SECTION.format(collection="collection: {min_weight: 2}\n")
    assert not [p for p in problems(planned) if "[W004]" in p]
    from conftest import scored

    result = scored(
        planned,
        "format: assess-answers/1\nframework: {id: t, version: 1.0.0}\nmetadata: {title: A, marking: UN RESTRICTED}\n"
        "answers:\n  harm: {value: unknown}\n  other: {value: unknown}\n",
    )
    assert [r.question for r in result.requirements] == ["harm"]  # the weighted question only
