"""Tests the next period (issue 17): `assess new FRAMEWORK --from LAST --period P` copies the last assessment's answers
and blocks marked carried forward, links the new one to its predecessor and brings the last plan's actions (and the
follow-up still open) to follow up; the file's bytes are read back as a user would."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from assess.answers import load_answers
from assess.carry import next_period
from assess.errors import MESSAGES, AssessError
from assess.plan import plan
from assess.scoring import score

from conftest import ROOT, answers, fw, run_cli

FRAMEWORK = """\
id: t17
version: 1.0.0
title: Period test
scales:
  yn:
    options:
      - {value: 'no', label: 'No', score: 0}
      - {value: 'yes', label: 'Yes', score: 1}
sections:
  - id: base
    title: Base
    questions:
      - {id: vetted, text: "Are the partners vetted?", type: scale, scale: yn, confidence: true}
      - {id: plan_ok, text: "Is there a contingency plan?", type: scale, scale: yn}
  - id: risks
    title: Risks
    repeat: {label: risk}
    questions:
      - {id: mitigated, text: "Is it mitigated?", type: scale, scale: yn}
rules:
  - id: vet
    when: "vetted == 'no'"
    priority: high
    finding: "Partners are not vetted."
    action: "Vet the partners before any joint operation."
    reference: R1
    addressee: jmac
  - id: mitigate
    scope: risks
    when: "mitigated == 'no'"
    priority: medium
    finding: "{entity} is not mitigated."
    action: "Mitigate {entity}."
    reference: R2
    addressee: security
"""

LAST = """\
format: assess-answers/1
id: 11111111-2222-3333-4444-555555555555
framework: {id: t17, version: 1.0.0}
metadata:
  title: Period test, Tessal, 2026-H2
  mission: MINUSKES
  period: 2026-H2
  analyst: JMAC
  marking: UN CONFIDENTIAL
  created: '2026-07-01T08:00:00Z'
  updated: '2026-11-20T08:00:00Z'
answers:
  vetted:
    value: 'no'
    confidence: high
    sources: [{ref: JMAC weekly 2026/40, reliability: B, credibility: 2}]
    note: "Checked at the port."
    at: '2026-12-01T10:00:00Z'
  plan_ok: {value: 'yes'}
entities:
  risks:
    - id: r7
      name: Fuel theft
      answers:
        mitigated: {value: 'no', note: "Guards rotate weekly."}
    - id: r9
      name: Road ambush
      answers: {}
follow_up:
  - {rule: old_open, action: "Open the second depot.", period: 2026-H1, status: in_progress, note: "Site chosen."}
  - {rule: old_done, action: "Hire a logistician.", period: 2026-H1, status: done}
  - {rule: old_dropped, action: "Buy a barge.", period: 2026-H1, status: dropped, note: "No river access."}
"""


def _carry(last_text: str = LAST, period: str = "2027-H1", **kwargs):
    framework = fw(FRAMEWORK)
    last = answers(last_text)
    return last, next_period(last, framework, period, plan=plan(score(framework, last)), **kwargs)


def test_every_answer_and_block_is_copied_marked_carried_with_its_sources_notes_confidence_and_time():
    last, new = _carry()
    assert set(new.answers) == set(last.answers) and all(a.carried for a in new.answers.values())
    vetted = new.answers["vetted"]
    assert (vetted.value, vetted.confidence, vetted.note, vetted.at) == (
        "no",
        "high",
        "Checked at the port.",
        last.answers["vetted"].at,
    )
    assert [(s.ref, s.reliability, s.credibility) for s in vetted.sources] == [("JMAC weekly 2026/40", "B", "2")]
    assert [(e.id, e.name) for e in new.entities["risks"]] == [("r7", "Fuel theft"), ("r9", "Road ambush")]
    assert new.entities["risks"][0].answers["mitigated"].carried and new.entities["risks"][0].answers["mitigated"].note
    assert not any(a.carried for a in last.answers.values()), "the last assessment is left as it was"


def test_the_new_assessment_has_its_own_id_the_new_period_and_dates_and_names_its_predecessor():
    last, new = _carry(last_file="../2026/last.answers.yaml", requirements=["vetted", "vetted"])
    assert new.id and new.id != last.id
    m = new.metadata
    assert (m["period"], m["title"], m["mission"], m["analyst"], m["marking"]) == (
        "2027-H1",
        "Period test, Tessal, 2027-H1",
        "MINUSKES",
        "JMAC",
        "UN CONFIDENTIAL",
    )
    assert m["created"] == m["updated"] and m["created"] > last.metadata["updated"]
    p = new.predecessor
    assert p is not None
    assert (p.id, p.period, p.title, p.file, p.requirements) == (
        last.id,
        "2026-H2",
        "Period test, Tessal, 2026-H2",
        "../2026/last.answers.yaml",
        ["vetted"],
    )
    (event,) = new.history
    assert event.event == "carried forward" and event.summary.startswith("2026-H2 → 2027-H1: 3 answer(s) to review")


def test_a_title_without_the_period_is_kept_and_what_the_user_gives_wins():
    _, new = _carry(LAST.replace("Tessal, 2026-H2", "Tessal"))
    assert new.metadata["title"] == "Period test, Tessal"
    _, new = _carry(LAST.replace("period: 2026-H2", "period: '2026'"), period="2027")
    assert new.metadata["title"] == "Period test, Tessal, 2026-H2", "a period is replaced whole, not inside another"
    _, new = _carry(metadata={"title": "Mid-term review", "analyst": "", "marking": "UN RESTRICTED"})
    assert (new.metadata["title"], new.metadata["analyst"], new.metadata["marking"]) == (
        "Mid-term review",
        "JMAC",
        "UN RESTRICTED",
    )


def test_the_last_plans_actions_come_to_follow_up_then_the_earlier_ones_still_open():
    _, new = _carry()
    rows = [(f.rule, f.action, f.for_whom, f.priority, f.addressee, f.period, f.status, f.note) for f in new.follow_up]
    assert rows == [
        ("vet", "Vet the partners before any joint operation.", "", "high", "JMAC", "2026-H2", "not_started", ""),
        (
            "mitigate",
            "Mitigate Fuel theft.",
            "Fuel theft",
            "medium",
            "Mission security and UNDSS",
            "2026-H2",
            "not_started",
            "",
        ),
        ("old_open", "Open the second depot.", "", "", "", "2026-H1", "in_progress", "Site chosen."),
    ]


def test_an_open_action_recommended_again_is_followed_up_once_with_its_status():
    again = LAST.replace(
        'rule: old_open, action: "Open the second depot."',
        'rule: vet, action: "Vet the partners before any joint operation."',
    )
    _, new = _carry(again)
    assert [(f.rule, f.period, f.status, f.note) for f in new.follow_up] == [
        ("vet", "2026-H1", "in_progress", "Site chosen."),
        ("mitigate", "2026-H2", "not_started", ""),
    ]


@pytest.mark.parametrize(
    ("period", "framework", "code"),
    [
        ("", FRAMEWORK, "E801"),
        ("2026-H2", FRAMEWORK, "E802"),
        ("2027-H1", FRAMEWORK.replace("id: t17", "id: t18"), "E803"),
        ("2027-H1", FRAMEWORK.replace("version: 1.0.0", "version: 0.9.0"), "E804"),
        ("2026-H1", FRAMEWORK, "E805"),
        ("2026-Q2", FRAMEWORK, "E805"),
        ("2026-Q4", FRAMEWORK, "E805"),  # within the last period: the second review took it as a next one
        ("2026", FRAMEWORK, "E805"),
    ],
)
def test_a_next_period_that_cannot_be_is_refused(period, framework, code):
    last = answers(LAST)
    with pytest.raises(AssessError) as caught:
        next_period(last, fw(framework), period)
    assert [p.code for p in caught.value.problems] == [code]


@pytest.mark.parametrize("period", ["2027", "2027-01", "2027-H1"])
def test_a_period_that_ends_after_the_last_one_is_taken(period):
    _, new = _carry(period=period)
    assert new.metadata["period"] == period


def test_a_last_period_assess_cannot_read_is_not_ordered():
    _, new = _carry(LAST.replace("period: 2026-H2", "period: Autumn campaign"), period="2026-H1")
    assert new.metadata["period"] == "2026-H1" and new.predecessor is not None
    assert new.predecessor.period == "Autumn campaign"


# ---------------------------------------------------------------------------- end to end through the command line


@pytest.fixture
def example(tmp_path):
    """The bundled SOCTA example, copied (never written in frameworks/)."""
    last = tmp_path / "kessaria-2026-H2.answers.yaml"
    shutil.copy(ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml", last)
    return last


def test_new_from_the_last_file_writes_carried_answers_follow_up_and_predecessor(example, tmp_path):
    out = tmp_path / "next" / "kessaria-2027-H1.answers.yaml"
    out.parent.mkdir()
    r = run_cli("new", "oc-threat", "--from", str(example), "--period", "2027-H1", "-o", str(out), "--no-open")
    assert r.returncode == 0, r.stderr
    last, _ = load_answers(example)
    new, _ = load_answers(out)
    n_last = len(last.answers) + sum(len(e.answers) for group in last.entities.values() for e in group)
    text = out.read_text(encoding="utf-8")
    assert text.count("carried: true") == n_last
    assert f"{n_last} answer(s) carried forward to review, {len(new.follow_up)} action(s) to follow up" in r.stdout
    scored = score(fw((ROOT / "frameworks" / "oc-threat.yaml").read_text(encoding="utf-8")), last)
    assert [f.action for f in new.follow_up] == [i.action for i in plan(scored)]
    assert {f.status for f in new.follow_up} == {"not_started"} and {f.period for f in new.follow_up} == {"2026-H2"}
    assert new.predecessor is not None and new.predecessor.file == "../kessaria-2026-H2.answers.yaml"
    assert new.predecessor.requirements == [x.id for x in scored.requirements]
    assert f'predecessor:\n  id: "{last.id}"\n  period: "2026-H2"' in text
    assert text.index("predecessor:") < text.index("history:") < text.index("\nanswers:") < text.index("follow_up:")
    assert {sec: [e.id for e in blocks] for sec, blocks in new.entities.items()} == {
        sec: [e.id for e in blocks] for sec, blocks in last.entities.items()
    }
    again = run_cli("new", "oc-threat", "--from", str(example), "--period", "2027-H1", "-o", str(out), "--no-open")
    assert again.returncode == 1 and "[E311]" in again.stderr and out.read_text(encoding="utf-8") == text


def test_new_from_without_a_period_or_with_the_same_one_says_what_to_give(example, tmp_path):
    out = tmp_path / "next.answers.yaml"
    r = run_cli("new", "oc-threat", "--from", str(example), "-o", str(out), "--no-open")
    assert r.returncode == 1 and MESSAGES["E801"].format(last="2026-H2") in r.stderr
    r = run_cli("new", "oc-threat", "--from", str(example), "--period", "2026-H2", "-o", str(out), "--no-open")
    assert r.returncode == 1 and MESSAGES["E802"].format(period="2026-H2") in r.stderr
    r = run_cli("new", "mission-risk", "--from", str(example), "--period", "2027-H1", "-o", str(out), "--no-open")
    assert r.returncode == 1 and "[E803]" in r.stderr
    assert not out.exists()


def test_new_from_with_a_period_before_the_last_one_is_refused(example, tmp_path):
    out = tmp_path / "next.answers.yaml"
    r = run_cli("new", "oc-threat", "--from", str(example), "--period", "2026-H1", "-o", str(out), "--no-open")
    said = MESSAGES["E805"].format(period="2026-H1", last="2026-H2")
    assert r.returncode == 1 and r.stderr.strip() == f"assess new: {said} [E805]" and not out.exists()
    r = run_cli("new", "oc-threat", "--from", str(example), "--period", "2026", "-o", str(out), "--no-open")
    assert r.returncode == 1 and "[E805]" in r.stderr and not out.exists()  # the year ends with its second half
    r = run_cli("new", "oc-threat", "--from", str(example), "--period", "2027", "-o", str(out), "--no-open")
    assert r.returncode == 0, r.stderr


def test_new_from_a_framework_instead_of_the_last_answers_says_so_in_one_line(tmp_path):
    out = tmp_path / "next.answers.yaml"
    given = ROOT / "frameworks" / "mission-risk.yaml"
    r = run_cli("new", "mission-risk", "--from", str(given), "--period", "2027-H1", "-o", str(out), "--no-open")
    assert r.returncode == 1 and not out.exists()
    assert r.stderr.strip().splitlines() == [f"{given}: {MESSAGES['E806'].format(fid='mission-risk')} [E806]"]
    assert "assess new mission-risk --from LAST.answers.yaml" in r.stderr
    broken = tmp_path / "broken.answers.yaml"  # an answers file with a mistake still gets the answers check's lines
    text = (ROOT / "frameworks" / "examples" / "oc-threat.answers.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("format: assess-answers/1\n", "", 1), encoding="utf-8")
    r = run_cli("new", "oc-threat", "--from", str(broken), "--period", "2027-H1", "-o", str(out), "--no-open")
    assert r.returncode == 1 and "[E101]" in r.stderr and "[E806]" not in r.stderr


OLD = """\
id: t17m
version: 1.0.0
title: Migration test
scales:
  yn:
    options:
      - {value: 'no', label: 'No', score: 0}
      - {value: 'yes', label: 'Yes', score: 1}
sections:
  - id: base
    title: Base
    questions:
      - {id: vendor_checks, text: "Are vendors checked?", type: scale, scale: yn}
rules:
  - id: screen
    when: "vendor_checks == 'no'"
    priority: high
    finding: "Vendors are not checked."
    action: "Check the vendors (as the 1.0.0 plan wrote it)."
    reference: R1
    addressee: jmac
"""

NEW = OLD.replace("version: 1.0.0", "version: 2.0.0").replace("vendor_checks", "vendor_screening").replace(
    "as the 1.0.0 plan wrote it", "as 2.0.0 writes it"
) + textwrap.dedent(
    """\
        migrations:
          - from: 1.0.0
            to: 2.0.0
            questions:
              vendor_screening: {renamed_from: vendor_checks}
        """
)


def test_answers_on_an_older_version_are_migrated_first_and_the_plan_is_the_one_their_report_printed(tmp_path):
    (tmp_path / "fw-1.0.0.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "fw.yaml").write_text(NEW, encoding="utf-8")
    last = tmp_path / "last.yaml"
    last.write_text(
        "format: assess-answers/1\nid: abc\nframework: {id: t17m, version: 1.0.0, path: fw-1.0.0.yaml}\n"
        "metadata: {title: Vendors 2026-H2, period: 2026-H2, marking: UN RESTRICTED}\n"
        "answers:\n  vendor_checks: {value: 'no', note: Two vendors unchecked.}\n",
        encoding="utf-8",
    )
    out = tmp_path / "next.yaml"
    r = run_cli(
        "new", str(tmp_path / "fw.yaml"), "--from", str(last), "--period", "2027-H1", "-o", str(out), "--no-open"
    )
    assert r.returncode == 0, r.stderr
    new, _ = load_answers(out)
    assert new.framework.version == "2.0.0" and set(new.answers) == {"vendor_screening"}
    assert new.answers["vendor_screening"].carried and new.answers["vendor_screening"].note == "Two vendors unchecked."
    assert [f.action for f in new.follow_up] == ["Check the vendors (as the 1.0.0 plan wrote it)."]
    assert [e.event for e in new.history] == ["migrated", "carried forward"]
    assert Path(last).read_text(encoding="utf-8").count("vendor_checks") == 1, "the last file is left as it was"


def test_answers_kept_aside_stay_with_the_file_that_holds_them_and_a_new_migration_keeps_its_own(tmp_path):
    """The 2026-H2 example holds the answer 2.0.0's migration set aside; its next period does not re-send it (the
    second review found a removed, confidential answer reprinted in every later report); a next period made from
    the 1.1.0 file keeps the one its own migration sets aside."""
    examples = ROOT / "frameworks" / "examples"
    for last, expected in (
        (examples / "mission-risk.answers.yaml", []),
        (examples / "previous-period" / "mission-risk.2026-H1.answers.yaml", ["open_investigations"]),
    ):
        copied = tmp_path / last.name
        copied.write_bytes(last.read_bytes())
        out = tmp_path / f"next-{last.name}"
        r = run_cli("new", "mission-risk", "--from", str(copied), "--period", "2027-H1", "-o", str(out), "--no-open")
        assert r.returncode == 0, r.stderr
        new, _ = load_answers(out)
        assert [k.id for k in new.kept_aside] == expected
