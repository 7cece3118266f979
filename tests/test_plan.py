"""The plan of action: one item per rule, the blocks it fired for listed, gravest first, numbered."""

from assess.paths import FRAMEWORKS
from assess.pipeline import score_file
from assess.plan import PRIORITY_RANK, plan, recommendation_label

EXAMPLES = FRAMEWORKS / "examples"


def test_oc_threat_actions_for_several_groups_become_one_item_naming_them():
    result = score_file(str(EXAMPLES / "oc-threat.answers.yaml")).result
    items = plan(result)
    assert len(result.recommendations) == 29 and len(items) == 19
    target = next(i for i in items if i.rule == "priority_target_group")
    assert target.finding == (
        "Each group or network listed is a High or Very high risk (threat × harm) and is not embedded in the state."
    )
    # oc-threat 2.0.0: the state-embedded port network is not a target of the SOC unit's support to host units
    assert target.blocks == (
        "Front patriotique du Nord-Kessaria (FPNK) (fictional)",
        "Tessal-Dalmoran corridor network (fictional)",
        "Brigades of the Lower Sefa (fictional)",
    )
    assert target.for_whom == "; ".join(target.blocks)
    # a high risk is one step from the police recommendations: secondary links only (see_also)
    assert target.recommendations == () and target.see_also == ("NUPI 2", "UNU-CPR 1c")
    assert [i.number for i in items] == list(range(1, 20))
    assert [i.rank for i in items] == sorted(i.rank for i in items)


def test_a_rule_firing_once_keeps_its_own_finding_and_a_quoted_name_reads_as_each():
    result = score_file(str(EXAMPLES / "mission-risk.answers.yaml")).result
    items = plan(result)
    very_high = next(i for i in items if len(i.blocks) > 1 and "Very high" in i.finding)
    assert very_high.finding.startswith("Each risk listed is rated Very high")
    assert "'" not in very_high.action.split("Head of Mission")[0]
    single = next(i for i in items if not i.blocks)
    assert single.for_whom == single.section and single.section


def test_labels_and_ranks_read_as_people_write_them():
    assert recommendation_label("unu_3c") == "UNU-CPR 3c" and recommendation_label("nupi_1") == "NUPI 1"
    assert sorted(PRIORITY_RANK, key=PRIORITY_RANK.get) == ["critical", "high", "medium", "low"]
