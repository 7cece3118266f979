"""mission-risk 2.0.0 (issue 17, item 8): a real new version declared as a framework author writes it — a question
renamed, an option split with its old value remapped, a question removed on purpose, one added — and the worked
example carried from its 2026-H1 review on 1.1.0 into 2026-H2 on 2.0.0 by the tools, then followed up."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from assess.answers import load_answers
from assess.loader import load_framework
from assess.migrate import migrate
from assess.model import Answer, Answers, Pin
from assess.pipeline import score_file
from assess.plan import plan
from assess.scoring import score

from conftest import ROOT, run_cli

CURRENT = ROOT / "frameworks" / "mission-risk.yaml"
PREVIOUS = ROOT / "frameworks" / "previous" / "mission-risk-1.1.0-5b08e034.yaml"
EXAMPLE = ROOT / "frameworks" / "examples" / "mission-risk.answers.yaml"
LAST = ROOT / "frameworks" / "examples" / "previous-period" / "mission-risk.2026-H1.answers.yaml"
SELVARA = ROOT / "frameworks" / "examples" / "selvara"


def framework(path: Path = CURRENT):
    return load_framework(path)[0]


def section_scores(result) -> dict[str, object]:
    """Every score the report prints: sections, derived scores and each risk's likelihood × impact."""
    out: dict[str, object] = {s.id: s.value for s in result.sections.values()}
    out |= {d.id: d.value for d in result.derived.values()}
    for section, blocks in result.entity_scores.items():
        for block, scores in blocks.items():
            out |= {f"{section}/{block}/{k}": v.value for k, v in scores.items()}
    return out


# -- the version as declared -----------------------------------------------------------------------------------------


def test_2_0_0_says_what_changed_and_declares_how_1_1_0_answers_move():
    fw = framework()
    assert fw.version == "2.0.1"  # 2.0.1 (issue 18) adds the French translation, a patch
    entry = fw.changelog[1]
    assert (entry["version"], entry["date"]) == ("2.0.0", "2026-12-02")
    said = " ".join(entry["changes"])
    for what in ("reporting_channels", "no_decision", "ownership_disclosure", "open_investigations", "kept aside"):
        assert what in said, what
    (step,) = fw.migrations
    assert (step.from_version, step.to_version) == ("1.1.0", "2.0.0")
    moves = {m.id: m for m in step.questions}
    assert (moves["reporting_channels"].kind, moves["reporting_channels"].sources) == (
        "renamed",
        ("whistleblower_channels",),
    )
    assert [(v.old, v.new) for v in moves["vendor_match_action"].values] == [("retained", "no_decision")]
    (removed,) = step.removed
    assert removed.id == "open_investigations" and "conduct_discipline" in removed.reason
    # the renamed id is read by its rule; nothing still names the old ones
    text = CURRENT.read_text(encoding="utf-8")
    assert "reporting_channels in ['ad_hoc', 'absent']" in text
    assert {r.id for r in fw.rules} >= {"reporting_channels_weak", "vendor_match_kept", "ownership_not_declared"}
    assert not {"whistleblower_channels", "open_investigations"} & set(fw.questions)
    assert [o.value for o in fw.questions["vendor_match_action"].options] == [
        "terminated", "suspended", "under_review", "kept", "no_decision",
    ]  # fmt: skip


def test_1_1_0_ships_in_frameworks_previous_and_the_2026_h1_example_stays_pinned_to_it():
    old = framework(PREVIOUS)
    assert old.version == "1.1.0" and old.hash.startswith("sha256:5b08e034")
    last, _ = load_answers(LAST)
    assert (last.framework.id, last.framework.version, last.framework.hash) == ("mission-risk", "1.1.0", old.hash)
    done = score_file(LAST, str(PREVIOUS))  # scored with the release it was made with: no version warning
    assert list(done.warnings) == [] and done.result.warnings == ()
    assert last.metadata["period"] == "2026-H1" and last.answers["info_cutoff"].value == "2026-04-30"
    assert all(a.at < "2026-07" for a in last.answers.values() if a.at)  # dated in its own period


def test_validate_against_1_1_0_and_the_diff_agree_the_bump_is_major():
    r = run_cli("validate", str(CURRENT), "--previous", str(PREVIOUS))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "W023" not in r.stdout + r.stderr and "E251" not in r.stdout + r.stderr
    r = run_cli("diff", str(PREVIOUS), str(CURRENT), "--check-version")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "declared major, required major" in r.stdout
    assert "renamed from whistleblower_channels" in r.stdout and "open_investigations" in r.stdout


# -- answers moved: none lost, no score changed ----------------------------------------------------------------------


def test_migrating_the_2026_h1_review_accounts_for_every_answer_and_changes_no_score():
    last, _ = load_answers(LAST)
    fw, old = framework(), framework(PREVIOUS)
    moved = migrate(last, fw)
    new = moved.answers
    kept = {k.id: k for k in new.kept_aside}
    assert set(kept) == {"open_investigations"}
    assert kept["open_investigations"].version == "1.1.0"
    assert kept["open_investigations"].answer == last.answers["open_investigations"]
    # one by one: every 1.1.0 answer is in the file under its 2.0.0 id, its value remapped where declared, or aside
    renamed = {"whistleblower_channels": "reporting_channels"}
    for qid, answer in last.answers.items():
        if qid in kept:
            assert qid not in new.answers
            continue
        now = new.answers[renamed.get(qid, qid)]
        expected = "no_decision" if answer.value == "retained" else answer.value
        assert (now.value, now.note, now.sources, now.confidence) == (
            expected,
            answer.note,
            answer.sources,
            answer.confidence,
        )
    assert len(new.answers) + len(kept) == len(last.answers)
    assert last.answers["vendor_match_action"].value == "retained"  # the example shows the remap
    for section, blocks in last.entities.items():
        assert [(e.id, e.answers) for e in new.entities[section]] == [(e.id, e.answers) for e in blocks]
    # the changelog's "no score changes": the same scores, exactly, and the same rules fire
    before, after = score(old, last), score(fw, new)
    assert section_scores(after) == section_scores(before)
    assert {r.rule for r in after.recommendations} == {r.rule for r in before.recommendations}
    assert new.history[-1].event == "migrated" and "1 kept aside" in new.history[-1].summary


def fired(**given: object) -> set[str]:
    fw = framework()
    answers = Answers(Pin(fw.id, fw.version), {"title": "t"}, answers={k: Answer(v) for k, v in given.items()})
    return {r.rule for r in score(fw, answers).recommendations}


@pytest.mark.parametrize(
    ("action", "unresolved", "kept"),
    [("no_decision", True, False), ("under_review", True, False), ("kept", False, True), ("terminated", False, False)],
)
def test_a_vendor_kept_by_decision_is_its_own_finding_and_no_decision_stays_critical(action, unresolved, kept):
    rules = fired(vendor_match="yes", vendor_match_action=action)
    assert ("vendor_match_unresolved" in rules, "vendor_match_kept" in rules) == (unresolved, kept)


def test_no_ownership_clause_asks_mission_support_for_one():
    fw = framework()
    rule = next(r for r in fw.rules if r.id == "ownership_not_declared")
    assert rule.addressee == "mission_support" and not fw.questions["ownership_disclosure"].scored
    assert "ownership_not_declared" in fired(ownership_disclosure="no")
    assert "ownership_not_declared" not in fired(ownership_disclosure="yes")


# -- the example: the next period, made by the tools and followed up ---------------------------------------------------


def test_the_2026_h2_example_continues_its_predecessor_with_its_actions_followed_up():
    example, _ = load_answers(EXAMPLE)
    last, _ = load_answers(LAST)
    assert (example.framework.version, example.metadata["period"]) == ("2.0.1", "2026-H2")
    pred = example.predecessor
    assert pred is not None and (EXAMPLE.parent / pred.file).resolve() == LAST.resolve()
    assert (pred.id, pred.period) == (last.id, "2026-H1")
    assert [e.event for e in example.history] == ["migrated", "carried forward"]
    # the actions are the 2026-H1 plan, as its report printed it on 1.1.0, each with its status
    then = plan(score_file(LAST, str(PREVIOUS)).result)
    assert [(f.rule, f.action) for f in example.follow_up] == [(i.rule, i.action) for i in then]
    statuses = Counter(f.status for f in example.follow_up)
    assert set(statuses) == {"done", "in_progress", "dropped", "not_started"}
    assert all(f.note and f.at for f in example.follow_up if f.status != "not_started")
    (dropped,) = [f for f in example.follow_up if f.status == "dropped"]
    assert "budget" in dropped.note  # dropped, with why
    # some answers still to review, most confirmed or changed; the new question answered; the removed one aside
    carried = [q for q, a in example.answers.items() if a.carried]
    assert 0 < len(carried) < len(example.answers) // 4
    assert (
        example.answers["ownership_disclosure"].value == "yes" and not example.answers["ownership_disclosure"].carried
    )
    choices = {q for q, d in framework().questions.items() if d.type in ("single", "scale", "yesno")}
    changed = {q for q, a in example.answers.items() if q in choices & set(last.answers) and a != last.answers[q]}
    assert {q for q in changed if example.answers[q].value != last.answers[q].value} == {
        "vendor_match_action",  # no_decision (retained, remapped) -> under_review
        "fuel_ration_theft",  # low -> medium
    }
    assert all(replace(example.answers[q], carried=False) == last.answers[q] for q in carried)  # unreviewed
    assert [(k.id, k.version, k.answer.value) for k in example.kept_aside] == [("open_investigations", "1.1.0", "yes")]
    done = score_file(EXAMPLE)
    assert list(done.warnings) == [] and done.result.warnings == ()
    overall = done.result.derived["overall_exposure"]
    assert (overall.display, overall.rating) == ("1.76", "High")


def test_starting_2026_h2_again_from_the_2026_h1_file_gives_the_examples_skeleton(tmp_path):
    out = tmp_path / "again.answers.yaml"
    r = run_cli("new", "mission-risk", "--from", str(LAST), "--period", "2026-H2", "-o", str(out), "--no-open")
    assert r.returncode == 0, r.stderr
    again, _ = load_answers(out)
    example, _ = load_answers(EXAMPLE)
    assert all(a.carried for a in again.answers.values())
    assert set(again.answers) | {"ownership_disclosure"} == set(example.answers)
    for section, blocks in again.entities.items():
        assert [(e.id, e.name) for e in blocks] == [(e.id, e.name) for e in example.entities[section]]
    assert [(f.rule, f.action, f.status) for f in again.follow_up] == [
        (f.rule, f.action, "not_started") for f in example.follow_up
    ]
    assert again.kept_aside == example.kept_aside
    assert again.predecessor is not None and again.predecessor.requirements == example.predecessor.requirements


def test_selvara_moved_both_periods_to_2_0_0_keeping_the_removed_answer_aside():
    for period, disclosed in (("2026-H1", False), ("2026-H2", True)):
        answers, _ = load_answers(SELVARA / f"mission-risk.{period}.answers.yaml")
        assert answers.framework.version == "2.0.1"  # re-pinned to the 2.0.1 patch (issue 18)
        assert [e.event for e in answers.history] == ["migrated"]
        assert [k.id for k in answers.kept_aside] == ["open_investigations"]
        assert "reporting_channels" in answers.answers and ("ownership_disclosure" in answers.answers) == disclosed
