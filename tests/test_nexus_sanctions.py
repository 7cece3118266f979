"""Crime–politics nexus and sanctions coherence (issue 16): actions addressed to who can act on them, sanctions
matters only through the Panel of Experts and headquarters, conflicting actions flagged in the plan, and
political_effect's answers scored apart."""

from __future__ import annotations

import copy
import re

import pytest

from assess.answers import load_answers
from assess.loader import load_framework
from assess.model import Answer
from assess.model.framework import ADDRESSEE_LABELS
from assess.paths import FRAMEWORKS
from assess.pipeline import score_file
from assess.plan import plan
from assess.scoring import score

IDS = ("crime-politics-nexus", "sanctions-coherence")
EXAMPLES = FRAMEWORKS / "examples"

# What a mission may not be asked to do (UN Policy on Peacekeeping-Intelligence; the briefs address measures of
# regional organizations and Member States to them, not to missions): host or brief sanctioning States'
# embassies, compare targets with them, or prepare or relay cases for regional, national or bilateral regimes.
FOR_OTHER_REGIMES = re.compile(
    r"embass|sanctioning states?|compare (?:targets|listings)|unilateral|bilateral|national (?:sanctions|regimes?)"
    r"|regional (?:and|or) national|other regimes? (?:on|against)|(?:regional|national) measures coordinated",
    re.IGNORECASE,
)


def framework(fid: str):
    fw, problems = load_framework(FRAMEWORKS / f"{fid}.yaml")
    assert not [p for p in problems if p.code.startswith("E")], problems
    return fw, problems


def example(fid: str):
    answers, _ = load_answers(EXAMPLES / f"{fid}.answers.yaml")
    return answers


def fired(fw, answers) -> set[tuple[str, str | None]]:
    return {(x.rule, x.entity) for x in score(fw, answers).recommendations}


@pytest.mark.parametrize("fid", IDS)
def test_every_rule_names_who_must_act(fid):
    fw, problems = framework(fid)
    assert fw.rules and all(r.addressee in ADDRESSEE_LABELS for r in fw.rules)
    assert not [p for p in problems if p.code == "W017"]


@pytest.mark.parametrize("fid", IDS)
def test_no_action_asks_the_mission_to_act_for_other_regimes(fid):
    fw, _ = framework(fid)
    for rule in fw.rules:
        if rule.addressee == "member_states":
            # measures of regional organizations and Member States: addressed to them, through headquarters
            assert "through UN Headquarters" in rule.action, rule.id
            continue
        assert not FOR_OTHER_REGIMES.search(rule.action), (rule.id, rule.action)
    # the pattern would catch the wording issue 16 found in sanctions-coherence 1.0.0
    old, _ = load_framework(FRAMEWORKS / "previous" / "sanctions-coherence-1.0.0-569da34e.yaml")
    caught = {r.id for r in old.rules if FOR_OTHER_REGIMES.search(r.action)}
    assert {"no_sanctions_coordination", "civil_society_unused"} <= caught


def test_rules_on_a_regimes_criteria_act_only_for_the_un_regime():
    fw, _ = framework("sanctions-coherence")
    answers = example("sanctions-coherence")
    un = next(e for e in answers.entities["regimes"] if e.id == "un")
    un.answers["criteria_crime_coverage"] = Answer("none")
    un.answers["delisting_path"] = Answer("none")
    got = fired(fw, answers)
    assert {("criteria_no_crime", "un"), ("no_delisting_path", "un"), ("criteria_politics_borders", "un")} <= got
    assert ("other_regime_gaps", "un") not in got
    # the same weaknesses in the EU's block go to Member States, never to headquarters, the Panel or mediation
    eu = next(e for e in answers.entities["regimes"] if e.id == "eu")
    eu.answers.update(copy.deepcopy(un.answers))
    eu.answers["regime_type"] = Answer("eu")
    got = fired(fw, answers)
    on_eu = {rule for rule, entity in got if entity == "eu"}
    assert on_eu == {"other_regime_gaps"}
    assert next(r for r in fw.rules if r.id == "other_regime_gaps").addressee == "member_states"


@pytest.mark.parametrize(
    ("fid", "rule", "question", "present", "absent"),
    [
        ("sanctions-coherence", "sanctions_disconnected", "un_regime", "in_force", ("terminated", "none")),
        ("crime-politics-nexus", "panel_flow_gap", "un_sanctions_regime", "yes", ("no", "unknown")),
        ("mission-readiness", "sanctions_disconnected", "un_sanctions_regime", "yes", ("no", "unknown")),
    ],
)
def test_a_rule_about_the_un_regime_fires_only_where_one_is_in_force(fid, rule, question, present, absent):
    fw, _ = framework(fid)
    answers = example(fid)
    if fid == "crime-politics-nexus":  # no UN regime in the Vell Lakes: give the mission an occasional flow
        answers.answers["mis_panel_flow"] = Answer("ad_hoc")
    if fid == "mission-readiness":
        answers.answers["mandate_sanctions_link"] = Answer("none")
    answers.answers[question] = Answer(present)
    assert (rule, None) in fired(fw, answers)
    for value in absent:
        answers.answers[question] = Answer(value)
        assert (rule, None) not in fired(fw, answers), value


def test_listing_evidence_goes_to_the_panel_only_under_a_un_regime_and_otherwise_to_member_states():
    fw, _ = framework("crime-politics-nexus")
    answers = example("crime-politics-nexus")  # MRK (a1): high threat, listed nowhere, no UN regime
    got = fired(fw, answers)
    assert ("actor_member_state_measures", "a1") in got and ("actor_listing_evidence", "a1") not in got
    answers.answers["un_sanctions_regime"] = Answer("yes")
    got = fired(fw, answers)
    assert ("actor_listing_evidence", "a1") in got and ("actor_member_state_measures", "a1") not in got
    # the regional listing of the Oro syndicate's leader (a2) does not put it on the UN list
    assert ("actor_listing_evidence", "a2") in got
    # the 6th Military Region's gold network (a3) is state-embedded: the UN criteria do not reach it
    assert ("actor_member_state_measures", "a3") in fired(fw, example("crime-politics-nexus"))
    assert ("actor_listing_evidence", "a3") not in got
    rules = {r.id: r for r in fw.rules}
    assert rules["actor_listing_evidence"].addressee == "panel"
    assert "Panel of Experts through its focal point" in rules["actor_listing_evidence"].action


def test_listing_and_a_negotiated_exit_for_the_same_actor_are_flagged_in_the_plan():
    result = score_file(str(EXAMPLES / "crime-politics-nexus.answers.yaml")).result
    items = {i.rule: i for i in plan(result)}
    exit_, listing = items["actor_agenda_unaddressed"], items["actor_member_state_measures"]
    mrk = "Mouvement pour la Renaissance du Kasse (MRK) (fictional)"
    assert exit_.blocks == (mrk,) and mrk in listing.blocks
    assert listing.number in exit_.conflicts and exit_.number in listing.conflicts
    assert exit_.addressee == ADDRESSEE_LABELS["mediation"]
    assert listing.addressee == ADDRESSEE_LABELS["member_states"]
    others = [i for i in items.values() if i.rule not in ("actor_agenda_unaddressed", "actor_member_state_measures")]
    assert not [i.rule for i in others if i.conflicts]


def test_no_conflict_when_the_two_actions_concern_different_actors():
    fw, _ = framework("crime-politics-nexus")
    answers = example("crime-politics-nexus")
    a1 = next(e for e in answers.entities["main_actors"] if e.id == "a1")
    a1.answers["actor_listing"] = Answer("other_only")  # MRK listed regionally: no listing action for it
    a3 = next(e for e in answers.entities["main_actors"] if e.id == "a3")
    assert a3.answers["actor_listing"].value == "none"  # the officers' network: listed nowhere, high threat
    items = {i.rule: i for i in plan(score(fw, answers))}
    exit_, listing = items["actor_agenda_unaddressed"], items["actor_member_state_measures"]
    assert exit_.blocks != listing.blocks
    assert not exit_.conflicts and not listing.conflicts


def test_political_effect_scores_no_role_apart_from_mixed():
    fw, _ = framework("sanctions-coherence")
    options = fw.questions["political_effect"].options
    scores = [o.score for o in options if not o.unknown]
    assert len(set(scores)) == len(scores) and "no_role" not in {o.value for o in options}
    answers = example("sanctions-coherence")
    assert answers.answers["political_effect"].value == "mixed"
    mixed = score(fw, answers)
    answers.answers["political_role"] = Answer("no")  # political_effect is then hidden, not scored
    no_role = score(fw, answers)
    assert mixed.sections["effects"].value != no_role.sections["effects"].value
    assert "sanctions_no_political_role" in {x.rule for x in no_role.recommendations}
    assert "sanctions_no_political_role" not in {x.rule for x in mixed.recommendations}


@pytest.mark.parametrize("fid", IDS)
def test_examples_are_marked_fictional_and_state_an_outlook(fid):
    scored = score_file(str(EXAMPLES / f"{fid}.answers.yaml"))
    assert not scored.warnings
    answers = example(fid)
    assert "FICTIONAL" in answers.metadata["title"]
    judgements = answers.entities["key_judgements"]
    assert 2 <= len(judgements) <= 3
    likelihoods = {b.answers["kj_likelihood"].value for b in judgements}
    assert likelihoods <= {"almost_no_chance", "very_unlikely", "unlikely", "even_chance", "likely", "very_likely"}
    assert all(b.answers["kj_confidence"].value in {"low", "moderate", "high"} for b in judgements)
    grades = re.findall(r"reliability: (\S+)", (EXAMPLES / f"{fid}.answers.yaml").read_text(encoding="utf-8"))
    assert grades and set(grades) <= set("ABCX")
    if fid == "crime-politics-nexus":
        actors = answers.entities["main_actors"]
        assert all("actor_trajectory" in a.answers for a in actors)
        assert answers.answers["market_trajectory"].value == "rising"
