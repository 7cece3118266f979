"""oc-threat 2.0.0: the SOCTA risk model, the Sleipnir attributes, ranked markets and addressed rules, as the
Kessaria example shows them."""

from __future__ import annotations

from fractions import Fraction

import pytest
import yaml

from assess.loader import load_framework
from assess.model.framework import ADDRESSEE_LABELS
from assess.pipeline import score_files

from conftest import ROOT

FRAMEWORK = ROOT / "frameworks" / "oc-threat.yaml"
EXAMPLE = ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml"
FPNK = "Front patriotique du Nord-Kessaria (FPNK) (fictional)"
PORT = "Port-Mirande customs and gendarmerie network (fictional)"
CORRIDOR = "Tessal-Dalmoran corridor network (fictional)"
BRIGADES = "Brigades of the Lower Sefa (fictional)"


@pytest.fixture(scope="module")
def result():
    return score_files(EXAMPLE, FRAMEWORK)


def scored_with(tmp_path, change) -> object:
    """The example scored after change(data) edits its answers."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "changed.answers.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return score_files(path, FRAMEWORK)


def block(data: dict, gid: str) -> dict:
    return next(g for g in data["entities"]["groups"] if g["id"] == gid)["answers"]


def fired(res, rule: str) -> list[str]:
    return [r.entity_name for r in res.recommendations if r.rule == rule]


def test_the_armed_group_ranks_above_the_port_network_by_risk_threat_times_harm(result):
    ranking = [(name, score) for _, _, name, score in result.rankings["groups"]]
    assert ranking == [(FPNK, Fraction(45, 2)), (PORT, Fraction(35, 2)), (CORRIDOR, 12), (BRIGADES, 10)]
    fpnk = result.entity_scores["groups"]["g1"]
    # threat level: intent 4 and capability 5 -> 4.5; harm: the gravest of 4, 5, 3, 4 -> 5; risk 4.5 x 5
    assert fpnk["group_threat_level"].value == Fraction(9, 2) and fpnk["group_harm"].value == 5
    assert fpnk["group_risk"].display == "22.50" and fpnk["group_risk"].rating == "Very high"
    # the port network is the more capable organization on Sleipnir, yet the lesser risk
    port = result.entity_scores["groups"]["g3"]
    assert port["group_threat"].value > fpnk["group_threat"].value
    # the headline is the gravest group's risk
    assert result.sections["groups"].display == "22.50" and result.framework.headline == ("groups",)


def test_the_risk_heat_map_places_each_group_by_threat_level_and_harm(result):
    matrix = result.heatmaps["group_risk_matrix"]
    assert matrix.x_labels == ("Negligible", "Low", "Moderate", "High", "Very high")
    assert matrix.y_labels == ("Negligible", "Minor", "Moderate", "Major", "Severe")
    assert matrix.cells == {
        (4, 4): (FPNK,),
        (3, 4): (PORT,),
        (2, 3): (CORRIDOR, BRIGADES),
    }
    markets = result.heatmaps["market_risk_matrix"]
    assert markets.cells[(4, 4)] == ("Artisanal gold and fuel, Northern Tessal (fictional)",)


def test_an_unknown_intent_leaves_the_risk_open_between_its_best_and_worst_case(result):
    corridor = result.entity_scores["groups"]["g2"]
    # intent unknown: the threat level rests on capability (3) alone; at intent 1 or 5 it would be 2 or 4
    assert corridor["group_threat_level"].value == 3
    assert (corridor["group_risk"].low, corridor["group_risk"].high) == (8, 16)
    # a profile with nothing unknown has no range
    assert result.entity_scores["groups"]["g1"]["group_risk"].low is None
    # and the unknown intent is an intelligence requirement: intent and capability weigh 3 (min_weight 2)
    ids = [r.id for r in result.requirements]
    assert "groups/g2/group_intent" in ids


def test_a_group_without_intent_or_capability_has_no_risk_rather_than_the_harm_alone(tmp_path):
    def unknown_threat(data):
        g = block(data, "g4")
        g["group_intent"] = {"value": "unknown"}
        g["group_capability"] = {"value": "unknown"}

    res = scored_with(tmp_path, unknown_threat)
    brigades = res.entity_scores["groups"]["g4"]
    assert brigades["group_risk"].value is None  # a product with a factor missing means nothing
    assert (brigades["group_risk"].low, brigades["group_risk"].high) == (4, 20)
    assert res.rankings["groups"][-1][2] == BRIGADES  # unscored blocks rank last


def test_every_rule_names_who_must_act(result):
    fw = result.framework
    assert fw.rules and all(r.addressee in ADDRESSEE_LABELS for r in fw.rules)
    assert all(r.addressee for r in result.recommendations)
    by_rule = {r.id: r.addressee for r in fw.rules}
    assert by_rule["priority_target_group"] == "unpol"
    assert by_rule["state_embedded_network"] == "jmac"
    assert by_rule["sanctions_criteria_gap"] == "un_hq" and by_rule["panel_share_profile"] == "panel"
    # no action asks the mission to act for a unilateral sanctions regime
    assert not any("unilateral" in r.action or "embass" in r.action for r in fw.rules)


def test_the_soc_unit_is_not_asked_to_target_a_state_embedded_network_it_mentors(result):
    assert fired(result, "priority_target_group") == [FPNK, CORRIDOR, BRIGADES]
    assert fired(result, "state_embedded_network") == [PORT]
    embedded = next(r for r in result.framework.rules if r.id == "state_embedded_network")
    assert "no joint operations" in embedded.action and "vetting" in embedded.action


def test_priority_target_fires_only_on_its_evidence(tmp_path):
    def corridor(**answers):
        def change(data):
            block(data, "g2").update({k: {"value": v} for k, v in answers.items()})

        return change

    # embedded in the state, or capturing it: routed to the JMAC, not to the SOC unit
    res = scored_with(tmp_path, corridor(group_type="state_embedded"))
    assert CORRIDOR not in fired(res, "priority_target_group") and CORRIDOR in fired(res, "state_embedded_network")
    res = scored_with(tmp_path, corridor(relationship_to_state="state_capture"))
    assert CORRIDOR not in fired(res, "priority_target_group") and CORRIDOR in fired(res, "state_embedded_network")
    # a relationship not known: neither route is proposed until it is
    res = scored_with(tmp_path, corridor(relationship_to_state="unknown"))
    assert CORRIDOR not in fired(res, "priority_target_group") + fired(res, "state_embedded_network")
    # a moderate risk (threat level 2 x harm 4 = 8): no priority target
    res = scored_with(tmp_path, corridor(group_intent="none", group_capability="moderate"))
    assert res.entity_scores["groups"]["g2"]["group_risk"].value == 8
    assert CORRIDOR not in fired(res, "priority_target_group")


def test_the_crime_terror_link_is_found_only_for_a_violent_extremist_group(result, tmp_path):
    # NUPI's links to terrorism: neither the armed group nor the corridor network that supplies armed
    # groups (links_armed high, which does not tell an armed from an extremist partner) is such a link
    assert block(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), "g2")["links_armed"]["value"] == "high"
    assert fired(result, "crime_terror_link") == []

    def extremist(data):
        block(data, "g1")["group_type"] = {"value": "violent_extremist"}

    res = scored_with(tmp_path, extremist)
    assert fired(res, "crime_terror_link") == [FPNK]
    rule = next(r for r in res.framework.rules if r.id == "crime_terror_link")
    assert rule.recommendations == ("nupi_0a",) and rule.addressee == "mission_leadership"
    assert "links to terrorism" in rule.reference


def test_targeting_and_a_negotiated_exit_are_flagged_as_pulling_apart(result):
    rules = {r.id: r for r in result.framework.rules}
    assert "criminal_agenda_in_peace_process" in rules["priority_target_group"].conflicts_with
    assert FPNK in fired(result, "priority_target_group") and FPNK in fired(result, "criminal_agenda_in_peace_process")


def test_a_high_risk_resting_on_low_graded_sources_is_flagged(result):
    # the port network's state capture, continuity and harm to governance rest only on a media report graded C
    assert fired(result, "high_risk_weak_sources") == [PORT]


def test_the_example_cites_what_it_ticks_so_no_false_civil_society_finding(result, tmp_path):
    answers = [*result.answers.answers.values()]
    answers += [a for blocks in result.answers.entities.values() for b in blocks for a in b.answers.values()]
    cited = {s.ref for a in answers for s in a.sources}
    assert any("Investigative media report" in ref for ref in cited) and any("NGO" in ref for ref in cited)
    ticked = result.answers.answers["collection_sources"].value
    assert {"open_source", "civil_society"} <= set(ticked) and not {"unodc", "fusion_cell"} & set(ticked)
    assert fired(result, "civil_society_unused") == []

    def neither(data):
        data["answers"]["collection_sources"]["value"] = ["jmac", "unpol_crime_analysis", "host_state"]

    assert len(fired(scored_with(tmp_path, neither), "civil_society_unused")) == 1


def test_markets_are_ranked_by_scale_times_harm_not_averaged(result):
    ranking = [(name, score) for _, _, name, score in result.rankings["markets"]]
    assert ranking[0] == ("Artisanal gold and fuel, Northern Tessal (fictional)", 25)
    assert ranking[1] == ("Arms across the Dalmoran border (fictional)", 20)
    assert result.sections["markets"].value == 25  # the gravest market, not a mean
    assert fired(result, "arms_flows_prevention") == ["Arms across the Dalmoran border (fictional)"]


def test_intent_is_a_judgement_of_aims_not_a_probability_and_harm_asks_one_thing():
    fw = load_framework(FRAMEWORK)[0]
    intent = fw.questions["group_intent"]
    labels = [o.label for o in intent.options]
    assert labels[:5] == ["None", "Low", "Moderate", "High", "Very high"]
    assert not any(w in " ".join(labels).lower() for w in ("likely", "rare", "certain", "%"))
    harms = [q for q in fw.questions.values() if q.id.startswith("harm_")]
    assert len(harms) == 4 and not any("could" in q.text or " or could " in q.text for q in harms)


def test_all_nineteen_sleipnir_attributes_in_order_with_falling_documented_weights():
    fw = load_framework(FRAMEWORK)[0]
    threat = next(s for s in fw.sections[1].sections if s.id == "group_threat")
    ids = [q.id for q in threat.questions]
    assert ids == [
        *("corruption", "violence", "infiltration_economy", "infiltration_state", "expertise", "sophistication"),
        *("subversion", "alliances", "links_criminal", "links_armed", "monopoly", "cohesion", "continuity"),
        *("insulation", "use_of_intelligence", "mobility", "geographic_scope", "diversification"),
        *("financial_capacity", "exploitation", "discipline"),
    ]
    weights = [q.weight for q in threat.questions]
    assert weights[0] == Fraction(14, 5) and weights[-1] == 1 and weights == sorted(weights, reverse=True)
    assert "weights are this framework's own" in threat.guidance
    # the top attributes and the threat questions are high-weight for the collection plan
    assert fw.collection_min_weight == 2
    high = {q.id for q in fw.questions.values() if q.scored and q.weight >= fw.collection_min_weight}
    assert {"corruption", "violence", "monopoly", "group_intent", "group_capability"} <= high
    assert "financial_capacity" not in high


def test_key_judgements_carry_an_icd203_likelihood_and_a_separate_confidence(result):
    blocks = result.answers.entities["key_judgements"]
    assert len(blocks) == 3
    for b in blocks:
        assert b.answers["kj_likelihood"].value in {"likely", "very_likely"}
        assert b.answers["kj_confidence"].value in {"low", "moderate", "high"}
        assert not any(w in b.answers["kj_judgement"].value.lower() for w in ("likely", "probabl"))
    trends = {q.entity: q.value for q in result.questions if q.id == "group_trajectory"}
    assert trends == {"g1": "rising", "g2": "stable", "g3": "stable", "g4": "stable"}
    assert fired(result, "rising_group_early_warning") == [FPNK]


def test_the_score_summary_says_who_must_act_and_what_rests_on_thin_sourcing():
    """`assess score` as a planner reads it: each action starts with its addressee; a finding that rests on a single
    source says so; the key judgements, stated rather than scored, take no row among the scores."""
    from conftest import run_cli

    r = run_cli("score", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    arrows = [line.strip() for line in lines if line.strip().startswith("→ ")]
    assert arrows and all(any(a.startswith(f"→ {label}:") for label in ADDRESSEE_LABELS.values()) for a in arrows)
    assert "    (rests on a single source)" in lines
    start = next(i for i, line in enumerate(lines) if line.startswith("Score "))
    end = lines.index("", start)
    assert "Armed groups and criminal networks" in "\n".join(lines[start:end])
    assert not any(line.startswith("Key judgements") for line in lines[start:end])


def test_the_collection_plan_carries_the_gaps_in_harm_and_in_the_markets(result):
    """Risk is threat × harm: a harm or a market rated with low confidence is a requirement as an intent or an
    attribute is (the example's low-confidence harms and market ratings were left out of its plan)."""
    asked = {r.question for r in result.requirements}
    assert asked & {"harm_civilians", "harm_peace_process", "harm_governance", "harm_mission"}
    assert asked & {"market_scale", "market_harm"}
    assert "group_intent" in asked  # the threat side stays in it
