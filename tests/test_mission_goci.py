"""Issue 16 on mission-risk, mission-readiness and goci-profile: addressees, fixed rules and questions, GI-TOC unknowns."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from fractions import Fraction

import pytest

from assess.loader import load_framework
from assess.model import Answer, Answers, Pin
from assess.model.answers import Entity
from assess.pipeline import score_file
from assess.plan import plan
from assess.scoring import score

from conftest import ROOT, SHARED

FRAMEWORKS = ("mission-risk", "mission-readiness", "goci-profile")
EXAMPLES = ROOT / "frameworks" / "examples"
GOCI_DATA = SHARED / "data" / "goci" / "goci_2021_2023.csv"


def framework(fid: str):
    fw, _ = load_framework(ROOT / "frameworks" / f"{fid}.yaml")
    return fw


def fired(fw, answers: dict[str, object], entities: dict[str, list[Entity]] | None = None) -> set[str]:
    """The rules that fire on these answers (values only), as the report would list them."""
    given = {k: Answer(v) for k, v in answers.items()}
    result = score(fw, Answers(Pin(fw.id, fw.version), {"title": "t"}, answers=given, entities=entities or {}))
    assert [str(w) for w in result.warnings if "W006" in str(w)] == []  # no rule failed to evaluate
    return {r.rule for r in result.recommendations}


# -- addressees ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_every_rule_names_who_must_act_and_cites_the_catalogue(fid):
    fw = framework(fid)
    assert fw.rules
    for rule in fw.rules:
        assert rule.addressee, rule.id
        assert rule.recommendations or rule.see_also, rule.id  # every rule cites a recommendation
        assert not set(rule.recommendations) & set(rule.see_also), rule.id
        assert "NUPI Policy Brief 7/2020" in rule.reference or "NUPI" not in rule.reference, rule.id


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_the_nupi_brief_is_cited_by_number_and_the_description_gives_its_method_and_sources(fid):
    fw = framework(fid)
    nupi = next(r for r in fw.references if r["id"] == "nupi_brief")
    assert "NUPI Policy Brief 7/2020" in nupi["title"] and "Boutellis" in nupi["author"]
    assert "**Method and sources.**" in fw.description
    method = " ".join(fw.description.split("**Method and sources.**")[1].split())  # as the reader reads it
    assert "NUPI Policy Brief 7/2020" in method and "UNU-CPR" in method
    assert (fw.changelog[0]["date"], fw.changelog[0]["version"]) == ("2026-12-02", fw.version)


def test_no_action_asks_the_mission_to_act_for_non_un_sanctions_or_member_states():
    for fid in FRAMEWORKS:
        for rule in framework(fid).rules:
            action = rule.action.lower()
            assert "bilateral sanctions" not in action and "regional and bilateral" not in action, rule.id
            if "member state" in action:  # a request to Member States goes through headquarters
                assert "headquarters" in action or "un police division" in action or "dpo" in action, rule.id


# -- capacity_building_risk reads the mission's support to host units, not its own SOC unit --------------------------


def test_capacity_building_risk_fires_on_support_to_host_units_and_not_on_the_missions_own_unit():
    fw = framework("mission-readiness")
    weak_will = {"host_political_will": "weak"}
    # the mission's own SOC unit is established, but it supports no host unit: nothing to warn about
    assert "capacity_building_risk" not in fired(
        fw, {**weak_will, "soc_unit": "established", "host_unit_support": "none"}
    )
    # no SOC unit of its own, but the mission mentors and equips host units while the will is weak: the risk
    assert "capacity_building_risk" in fired(fw, {**weak_will, "soc_unit": "none", "host_unit_support": "mentoring"})
    assert "capacity_building_risk" in fired(fw, {"host_political_will": "obstructive", "host_unit_support": "advice"})
    # committed authorities, or support unknown: silent
    assert "capacity_building_risk" not in fired(
        fw, {"host_political_will": "committed", "host_unit_support": "operational"}
    )
    assert "capacity_building_risk" not in fired(fw, {**weak_will, "host_unit_support": "unknown"})
    rule = next(r for r in fw.rules if r.id == "capacity_building_risk")
    assert (
        "soc_unit" not in rule.when and rule.addressee == "mission_leadership" and rule.recommendations == ("nupi_6",)
    )


def test_the_sanctions_rule_fires_only_where_a_un_regime_applies():
    fw = framework("mission-readiness")
    assert "sanctions_disconnected" in fired(fw, {"un_sanctions_regime": "yes", "mandate_sanctions_link": "none"})
    # with no UN regime the question is not asked, and an old answer to it is not read
    assert "sanctions_disconnected" not in fired(fw, {"un_sanctions_regime": "no", "mandate_sanctions_link": "none"})
    assert fw.questions["mandate_sanctions_link"].show_if == "un_sanctions_regime == 'yes'"


def test_a_rule_that_asked_two_actors_is_two_rules_each_with_its_own_addressee():
    readiness = {r.id: r for r in framework("mission-readiness").rules}
    assert readiness["traditional_tools_not_adapted"].addressee == "ddr"
    assert readiness["mediation_ignores_criminal_agendas"].addressee == "mediation"
    fw = framework("mission-readiness")
    assert fired(fw, {"mediation_criminal_agendas": "tacit", "cvr_ddr_alternatives": "established"}) >= {
        "mediation_ignores_criminal_agendas"
    }
    assert "traditional_tools_not_adapted" not in fired(fw, {"cvr_ddr_alternatives": "established"})
    risk = {r.id: r for r in framework("mission-risk").rules}
    assert (risk["national_staff_unprotected"].addressee, risk["source_protection_gap"].addressee) == (
        "security",
        "jmac",
    )


# -- GI-TOC: unknown is not 1 -----------------------------------------------------------------------------------------


def column_id(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def published_2023_row() -> dict[str, str]:
    if not GOCI_DATA.exists():
        pytest.fail(f"the published GI-TOC data is not at {GOCI_DATA} (../shared/data/goci beside the repository)")
    with GOCI_DATA.open(encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["edition"] == "2023" and r["country"] == "Mali")


def test_a_goci_indicator_answered_unknown_is_left_out_of_the_index_and_listed_as_a_gap():
    fw = framework("goci-profile")
    row = published_2023_row()
    indicators = {
        column_id(c): Fraction(Decimal(v)) for c, v in row.items() if c in fw.questions or column_id(c) in fw.questions
    }
    assert len(indicators) == 32
    answered = {k: Answer(v) for k, v in indicators.items()}
    full = score(fw, Answers(Pin(fw.id, fw.version), {"title": "Mali 2023"}, answers=answered))
    # answered, the profile gives the published figures to the last digit
    assert Decimal(full.sections["criminal_markets"].display) == Decimal(row["pub_markets"])
    assert Decimal(full.sections["criminality"].display) == Decimal(row["pub_criminality"])
    assert full.sections["criminal_markets"].low is None  # nothing unknown: no range
    # the same profile with arms trafficking unknown: the mean of the other fourteen markets, not a score of 1
    gap = dict(answered, arms_trafficking=Answer("unknown", note="No evidence either way."))
    result = score(fw, Answers(Pin(fw.id, fw.version), {"title": "Mali 2023"}, answers=gap))
    markets = [q for q in fw.questions if fw.questions[q].section == "criminal_markets"]
    others = [indicators[q] for q in markets if q != "arms_trafficking"]
    assert len(others) == 14
    assert result.sections["criminal_markets"].value == sum(others) / 14
    assert result.sections["criminal_markets"].value != full.sections["criminal_markets"].value
    assert result.sections["criminality"].value == (sum(others) / 14 + full.sections["criminal_actors"].value) / 2
    assert ("unknown", "arms_trafficking") in {(g.kind, g.id) for g in result.gaps}
    assert result.coverage["unknown"] == 1
    # the gap is shown as the range the indicator leaves open (1 to 10), and as an intelligence requirement
    span = result.sections["criminal_markets"]
    assert (span.low, span.high) == ((sum(others) + 1) / 15, (sum(others) + 10) / 15)
    (requirement,) = [r for r in result.requirements if r.question == "arms_trafficking"]
    assert requirement.status == "unknown" and "Panel of Experts" in requirement.collectors


def test_goci_rules_stay_silent_on_an_unknown_indicator_and_fire_on_a_known_one():
    fw = framework("goci-profile")
    assert "arms_flows_sanctions_coherence" in fired(fw, {"arms_trafficking": Fraction(8)})
    assert "arms_flows_sanctions_coherence" not in fired(fw, {"arms_trafficking": "unknown"})  # and no W006
    both = {"territorial_integrity": Fraction(3), "mafia_style_groups": Fraction(7)}
    assert {"armed_control_of_illicit_economies", "illicit_economy_alternatives"} <= fired(fw, both)
    assert not {"armed_control_of_illicit_economies"} & fired(fw, {**both, "territorial_integrity": "unknown"})


def test_the_goci_example_is_fictional_scores_cleanly_and_carries_an_unknown_indicator():
    scored = score_file(EXAMPLES / "goci-profile.answers.yaml")
    result = scored.result
    assert result.warnings == ()
    meta = result.answers.metadata
    assert "FICTIONAL" in meta["title"] and "(fictional)" in meta["mission"] and "(fictional)" in meta["area"]
    assert ("unknown", "cyber_dependent_crimes") in {(g.kind, g.id) for g in result.gaps}
    assert result.sections["criminality"].display == "6.40"


# -- the fixed questions ------------------------------------------------------------------------------------------------


def test_goci_prevention_says_whose_prevention_it_scores():
    goci = framework("goci-profile")
    prevention = goci.questions["prevention"]
    assert not prevention.text.startswith("How much is done")
    assert "state's" in prevention.text and "Non-state actors" in prevention.guidance
    assert " and how well " not in goci.questions["government_transparency_and_accountability"].text
    assert "able and willing" not in goci.questions["law_enforcement"].text
    assert "2025" in goci.description and "third edition" in goci.description
    assert goci.changelog[0]["version"] == "1.1.0" and any("2025" in c for c in goci.changelog[0]["changes"])


def test_readiness_asks_about_its_own_soc_unit_and_its_support_to_host_units_apart():
    fw = framework("mission-readiness")
    assert "own" in fw.questions["soc_unit"].text
    assert "host-state" in fw.questions["host_unit_support"].text and not fw.questions["host_unit_support"].scored
    assert "criminal intelligence" not in fw.questions["spt_forensics"].text
    assert "and does the mission" not in fw.questions["prosecution_specialized"].text


@pytest.mark.parametrize("fid", FRAMEWORKS)
def test_no_graded_question_is_asked_as_a_yes_or_no_question(fid):
    """A question answered on a scale of several levels asks 'how far', not 'does it?'."""
    for q in framework(fid).questions.values():
        values = {o.value for o in q.options}
        if q.type in ("single", "scale") and values and not values <= {"yes", "no", "unknown"}:
            assert q.text.split()[0] not in ("Does", "Do", "Is", "Are", "Can", "Has", "Have"), (q.id, q.text)


# -- mission-risk: trajectories and key judgements -------------------------------------------------------------------


def test_each_risk_has_a_trajectory_that_leaves_its_score_alone_and_a_rising_unmitigated_risk_is_flagged():
    fw = framework("mission-risk")
    trajectory = fw.questions["risk_trajectory"]
    assert trajectory.scale == "trajectory" and not trajectory.scored
    block = {"risk_category": "capacity_building", "likelihood": "likely", "impact": "moderate"}

    def register(**more):
        answers = {k: Answer(v) for k, v in {**block, **more}.items()}
        return score(
            fw,
            Answers(Pin(fw.id, fw.version), {"title": "t"}, entities={"risk_register": [Entity("r1", "R", answers)]}),
        )

    rising, stable = register(risk_trajectory="rising", risk_status="identified"), register(risk_trajectory="stable")
    assert rising.entity_scores["risk_register"]["r1"]["risk_register"].value == 12  # 4 x 3, trajectory not counted
    assert stable.entity_scores["risk_register"]["r1"]["risk_register"].value == 12
    assert "register_rising_unmitigated" in {r.rule for r in rising.recommendations}
    assert "register_rising_unmitigated" not in {r.rule for r in stable.recommendations}


@pytest.mark.parametrize(("fid", "count"), [("mission-risk", 3), ("mission-readiness", 2)])
def test_the_examples_state_key_judgements_with_icd203_terms_and_confidence_apart(fid, count):
    result = score_file(EXAMPLES / f"{fid}.answers.yaml").result
    assert result.warnings == ()
    assert result.framework.judgements == "key_judgements"
    likelihoods = [q for q in result.questions if q.id == "kj_likelihood" and q.status == "answered"]
    confidences = [q for q in result.questions if q.id == "kj_confidence" and q.status == "answered"]
    assert len(likelihoods) == len(confidences) == count
    icd203 = ("Almost no chance", "Very unlikely", "Unlikely", "Roughly even chance", "Likely", "Very likely", "Almost")
    assert all(q.label.startswith(icd203) and "%" in q.label for q in likelihoods)
    assert {q.value for q in confidences} <= {"low", "moderate", "high"}
    judgements = [q.value for q in result.questions if q.id == "kj_judgement"]
    words = ("likely", "probably", "almost certain", "chance")
    assert judgements and not any(w in str(j).lower() for j in judgements for w in words)  # likelihood stated apart
    grades = {g for q in result.questions for g in q.grades}
    assert grades and all(r in "ABCX" and c in "1234" for r, c in grades)  # 4x4: A, B, C, X only


def test_the_plan_marks_listing_pressure_and_negotiated_exits_as_pulling_apart():
    items = plan(score_file(EXAMPLES / "mission-readiness.answers.yaml").result)
    by_rule = {i.rule: i for i in items}
    sanctions, mediation = by_rule["sanctions_disconnected"], by_rule["mediation_ignores_criminal_agendas"]
    assert sanctions.conflicts == (mediation.number,) and mediation.conflicts == (sanctions.number,)
    assert (sanctions.addressee, mediation.addressee) == (
        "Mission leadership (SRSG / Head of Mission)",
        "Mediation and good offices team",
    )
    assert all(i.addressee for i in items)
