"""Tests of `assess migrate` and its engine (assess/migrate.py): each migration kind, chains over two versions,
ambiguity refused, nothing dropped, the file written as it re-loads, and the command's outputs and backups."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from assess.answers import answers_from_text, check, dumps
from assess.errors import MESSAGES, AssessError
from assess.migrate import Move, chain, migrate, migrated_question_ids
from assess.model import Answer, KeptAside, Source, ValueMap

from conftest import fw, run_cli

V2 = """\
id: t
version: 2.0.0
title: T
scales:
  lvl:
    options:
      - {value: none, score: 0}
      - {value: ad_hoc, score: 1}
      - {value: full, score: 2}
sections:
  - id: s
    title: S
    questions:
      - {id: screening, text: Screening?, type: scale, scale: lvl, confidence: true}
      - {id: fuel, text: Fuel?, type: scale, scale: lvl}
      - {id: rations, text: Rations?, type: scale, scale: lvl}
      - {id: integrity, text: Integrity?, type: scale, scale: lvl}
      - {id: staff, text: Staff?, type: number, min: 0, max: 10}
      - {id: summary, text: Summary?, type: text}
  - id: risks
    title: Risks
    repeat: {label: risk}
    questions:
      - {id: likelihood, text: Likelihood?, type: scale, scale: lvl}
      - {id: exposure, text: Exposure?, type: scale, scale: lvl}
migrations:
  - from: 1.0.0
    to: 1.1.0
    questions:
      checks: {renamed_from: vendor_check}
  - from: 1.1.0
    to: 2.0.0
    questions:
      screening:
        renamed_from: checks
        values: [{from: partial, to: ad_hoc}]
      fuel: {split_from: fuel_and_rations}
      rations: {split_from: fuel_and_rations}
      integrity: {merged_from: [sea, conduct], take: max}
      staff: {values: [{from: 5, to: 10}, {from: 2.5, to: 5}]}
      exposure: {renamed_from: impact, values: [{from: partial, to: ad_hoc}]}
    sections:
      risks: {renamed_from: risk_register}
    removed:
      - {id: old_q, reason: Folded into screening}
"""

RICH = """\
format: assess-answers/1
id: 0f6c1d2e-0000-4000-8000-000000000001
framework: {id: t, version: 1.1.0, path: t.yaml}
metadata: {title: T 2026-H1, period: 2026-H1, marking: UN RESTRICTED}
position: r1/impact
answers:
  checks:
    value: partial
    confidence: high
    note: Two vendors screened.
    at: '2026-05-01T10:00:00Z'
    sources: [{ref: Procurement file 12, reliability: B, credibility: '2'}]
  fuel_and_rations: {value: full, note: Both audited., carried: true}
  sea: {value: none}
  conduct: {value: full, note: Conduct unit in place.}
  staff: {value: 5}
  old_q: {value: 'yes', note: Kept for the record.}
  forgotten: {value: 'no'}
  summary: {value: Quiet period.}
entities:
  risk_register:
    - id: r1
      name: Fuel theft
      answers:
        likelihood: {value: partial}
        impact: {value: partial, note: Depot 3.}
    - id: r2
      name: Ration diversion
      answers:
        likelihood: {value: full}
        impact: {value: none}
"""


def answers_of(text: str):
    a, _ = answers_from_text(textwrap.dedent(text), "a.yaml")
    return a


def slots(a) -> dict[tuple[str, str], Answer]:
    """Every answer of a file by (block id or '', question id)."""
    out = {("", q): x for q, x in a.answers.items()}
    for es in a.entities.values():
        for e in es:
            out.update({(e.id, q): x for q, x in e.answers.items()})
    return out


def test_each_migration_kind_moves_answers_as_declared_keeping_their_notes_and_sources():
    m = migrate(answers_of(RICH), fw(V2), "t.yaml", "a.yaml")
    a = m.answers
    assert (a.framework.id, a.framework.version, a.framework.hash, a.framework.path) == (
        "t",
        "2.0.0",
        fw(V2).hash,
        "t.yaml",
    )
    screening = a.answers["screening"]  # renamed, its value remapped; confidence, note, source, date kept
    assert (screening.value, screening.confidence, screening.note, screening.at) == (
        "ad_hoc", "high", "Two vendors screened.", "2026-05-01T10:00:00Z"
    )  # fmt: skip
    assert screening.sources == [Source("Procurement file 12", "B", "2")]
    assert (a.answers["fuel"].value, a.answers["rations"].value) == ("full", "full")  # split: a copy each
    assert a.answers["fuel"].note == a.answers["rations"].note == "Both audited."
    assert a.answers["fuel"].carried and a.answers["rations"].carried  # still to review, as before
    assert (a.answers["integrity"].value, a.answers["integrity"].note) == ("full", "Conduct unit in place.")  # max
    assert a.answers["staff"].value == 10  # numbers remapped (rescaled)
    assert a.answers["summary"].value == "Quiet period."  # unchanged
    assert list(a.entities) == ["risks"]  # the section renamed, the blocks moved with their ids and names
    assert [(e.id, e.name) for e in a.entities["risks"]] == [("r1", "Fuel theft"), ("r2", "Ration diversion")]
    assert a.entities["risks"][0].answers["exposure"].value == "ad_hoc"
    assert a.entities["risks"][0].answers["exposure"].note == "Depot 3."
    assert a.entities["risks"][1].answers == {"likelihood": Answer("full"), "exposure": Answer("none")}
    assert a.position == "r1/exposure"
    kept = {(k.entity, k.id): k for k in m.kept_aside}
    assert kept[("", "old_q")] == KeptAside(
        "old_q", Answer("yes", note="Kept for the record."), "removed in 2.0.0: Folded into screening", "1.1.0"
    )
    assert kept[("", "forgotten")].reason == "'forgotten' is no longer in 2.0.0"
    assert kept[("", "sea")].reason == "merged into 'integrity' in 2.0.0, which took the answer to 'conduct'"
    r1 = kept[("r1", "likelihood")]  # 'partial' is mapped for screening and impact only: not an option here
    assert (r1.section, r1.entity, r1.name, r1.version) == ("risk_register", "r1", "Fuel theft", "1.1.0")
    assert r1.reason == "not valid in 2.0.0: " + MESSAGES["E302"].format(
        qid="likelihood", value="partial", allowed="none, ad_hoc, full"
    )
    assert len(m.kept_aside) == 4 and a.kept_aside == m.kept_aside
    assert (m.unchanged, m.moved, m.steps) == (2, 7, ["1.1.0 → 2.0.0"])
    event = a.history[-1]
    assert (event.event, event.summary) == ("migrated", "t 1.1.0 → 2.0.0: 7 answers moved, 4 kept aside")
    assert event.details[:4] == [
        "risk_register → risks (section; 2 blocks, ids kept)",
        "checks → screening (renamed; partial → ad_hoc)",
        "fuel_and_rations → fuel (split)",
        "fuel_and_rations → rations (split)",
    ]
    assert "old_q kept aside: removed in 2.0.0: Folded into screening" in event.details
    assert "impact → exposure (renamed; in block 'r1' (Fuel theft) of risk_register; partial → ad_hoc)" in event.details
    errors = [p for p in check(fw(V2), a) if not p.is_warning]
    assert errors == []


def test_nothing_is_dropped_every_answer_before_is_in_the_answers_or_kept_aside():
    before = answers_of(RICH)
    m = migrate(before, fw(V2), "t.yaml")
    after = slots(m.answers)
    ids = migrated_question_ids(fw(V2), "1.1.0")
    aside = {(k.entity, k.id): k for k in m.answers.kept_aside}
    for (block, qid), answer in slots(before).items():
        new_ids = [new for new, olds in ids.items() if qid in olds] or [qid]
        moved = [(block, n) for n in new_ids if (block, n) in after]
        assert moved or (block, qid) in aside, f"{block}/{qid} was dropped"
        if (block, qid) in aside:
            assert aside[(block, qid)].answer == answer  # kept as it was
        else:
            assert all(after[s].note == answer.note and after[s].sources == answer.sources for s in moved)
    assert len(after) + len(aside) >= len(slots(before))


def test_a_chain_over_two_versions_is_applied_step_by_step():
    old = RICH.replace("version: 1.1.0", "version: 1.0.0").replace("  checks:\n", "  vendor_check:\n")
    m = migrate(answers_of(old), fw(V2))
    assert m.steps == ["1.0.0 → 1.1.0", "1.1.0 → 2.0.0"]
    assert m.answers.answers["screening"].value == "ad_hoc"
    assert m.answers.history[-1].summary == "t 1.0.0 → 2.0.0: 7 answers moved, 4 kept aside"
    assert m.answers.history[-1].details[:2] == [
        "1.0.0 → 1.1.0: vendor_check → checks (renamed)",
        "1.1.0 → 2.0.0: risk_register → risks (section; 2 blocks, ids kept)",
    ]
    assert migrated_question_ids(fw(V2), "1.0.0")["screening"] == ("vendor_check",)
    assert migrated_question_ids(fw(V2), "1.1.0") == {
        "screening": ("checks",),
        "fuel": ("fuel_and_rations",),
        "rations": ("fuel_and_rations",),
        "integrity": ("sea", "conduct"),
        "staff": ("staff",),
        "exposure": ("impact",),
    }
    assert [s.step for s in chain(fw(V2), "1.0.0")] == ["1.0.0 → 1.1.0", "1.1.0 → 2.0.0"]
    assert chain(fw(V2), "2.0.0") == []
    with pytest.raises(AssessError) as exc:
        chain(fw(V2), "0.9.0")
    fields = {"fid": "t", "found": "0.9.0", "version": "2.0.0", "steps": "1.0.0 → 1.1.0, 1.1.0 → 2.0.0"}
    assert exc.value.problems[0].message == MESSAGES["E701"].format(**fields)


def test_an_ambiguous_step_is_refused_listing_every_case():
    f = fw(V2.replace(", take: max", ""))
    last = f.migrations[-1]
    screening = dataclasses.replace(
        last.questions[0], values=(ValueMap("partial", "ad_hoc"), ValueMap("partial", "full"))
    )
    f = dataclasses.replace(
        f, migrations=(f.migrations[0], dataclasses.replace(last, questions=(screening, *last.questions[1:])))
    )
    with pytest.raises(AssessError) as exc:
        migrate(answers_of(RICH), f, name="a.yaml")
    fix_merge = "add take (max, min or first) to the merge in the framework, or make the answers agree first"
    assert [str(p) for p in exc.value.problems] == [
        "a.yaml: " + MESSAGES["E702"].format(where="'screening'", why="step 1.1.0 → 2.0.0 maps partial of 'screening' to both ad_hoc and full", fix="map each old value once in the framework") + " [E702]",
        "a.yaml: " + MESSAGES["E702"].format(where="'integrity'", why="'integrity' merges sea, conduct, answered differently (sea none, conduct full), and step 1.1.0 → 2.0.0 declares no take", fix=fix_merge) + " [E702]",
    ]  # fmt: skip
    same = RICH.replace("sea: {value: none}", "sea: {value: full}")  # answered alike: nothing to choose
    assert migrate(answers_of(same), fw(V2.replace(", take: max", ""))).answers.answers["integrity"].value == "full"


def test_an_old_answer_under_an_id_that_now_means_another_question_is_kept_aside():
    old = RICH.replace("  checks:\n", "  screening: {value: full, note: The old screening question.}\n  checks:\n")
    m = migrate(answers_of(old), fw(V2))
    assert m.answers.answers["screening"].value == "ad_hoc"  # made from checks
    kept = {k.id: k for k in m.kept_aside}["screening"]
    assert kept.answer == Answer("full", note="The old screening question.")
    assert (
        kept.reason == "in 2.0.0, 'screening' is made from 'checks'; this answer to the earlier 'screening' cannot stay"
    )
    gone = RICH.replace("  checks:\n", "  screening: {value: full}\n  unused:\n")  # nothing to make it from
    assert {k.id: k.reason for k in migrate(answers_of(gone), fw(V2)).kept_aside}["screening"].startswith("in 2.0.0")


def test_take_min_and_first_and_numbers_by_value():
    a = answers_of(RICH)
    for take, value in (("min", "none"), ("first", "none"), ("max", "full")):  # first: sea, first in merged_from
        assert migrate(a, fw(V2.replace("take: max", f"take: {take}"))).answers.answers["integrity"].value == value
    numbers = V2.replace(
        "integrity: {merged_from: [sea, conduct], take: max}", "staff: {merged_from: [staff, crew], take: max}"
    )
    numbers = numbers.replace("      staff: {values: [{from: 5, to: 10}, {from: 2.5, to: 5}]}\n", "")
    both = RICH.replace("  staff: {value: 5}", "  staff: {value: 5}\n  crew: {value: 7}")
    assert migrate(answers_of(both), fw(numbers)).answers.answers["staff"].value == 7
    assert migrate(answers_of(both), fw(numbers.replace("take: max", "take: min"))).answers.answers["staff"].value == 5


def test_the_migrated_file_saves_and_reloads_identically():
    m = migrate(answers_of(RICH), fw(V2), "t.yaml")
    text = dumps(m.answers)
    again, _ = answers_from_text(text, "again.yaml")
    assert again == m.answers
    assert dumps(again) == text
    assert "kept_aside:" in text and "history:" in text


def test_answers_already_on_the_version_are_left_alone():
    a = answers_of(RICH.replace("version: 1.1.0", "version: 2.0.0"))
    m = migrate(a, fw(V2))
    assert (m.steps, m.moves, m.answers) == ([], [], a)
    assert Move("1.1.0 → 2.0.0", "renamed", "a", "b").__str__() == "a → b (renamed)"


# ---------------------------------------------------------------------------- the command


@pytest.fixture
def files(write):
    framework = write("t.yaml", V2)
    answers = write("mission.answers.yaml", RICH)
    return framework, answers


def test_migrate_writes_a_new_file_beside_by_default_and_never_overwrites(files):
    _, answers = files
    original = answers.read_bytes()
    r = run_cli("migrate", str(answers))
    assert r.returncode == 0, r.stderr
    out = answers.with_name("mission-2.0.0.answers.yaml")
    lines = r.stdout.splitlines()
    assert lines[0] == f"{answers}: t 1.1.0 → 2.0.0: 7 answers moved, 4 kept aside"
    assert "  checks → screening (renamed; partial → ad_hoc)" in lines
    assert "kept aside in the file (4), listed under kept_aside, never dropped:" in lines
    assert "  old_q kept aside: removed in 2.0.0: Folded into screening" in lines
    assert lines[-1] == f"written: {out}"
    assert answers.read_bytes() == original
    r = run_cli("score", str(out))
    assert r.returncode == 0, r.stderr
    r = run_cli("migrate", str(answers))
    assert r.returncode == 1 and r.stderr == f"{out}: {MESSAGES['E311'].format(path=out)} [E311]\n"
    r = run_cli("migrate", str(out))
    assert (r.returncode, r.stdout) == (0, f"{out}: on t 2.0.0 already; nothing to migrate\n")


def test_migrate_in_place_keeps_a_backup_of_the_bytes_and_refuses_an_existing_one(files):
    _, answers = files
    original = answers.read_bytes()
    r = run_cli("migrate", str(answers), "--dry-run", "--in-place")
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == f"dry run: nothing written (would write {answers})"
    assert answers.read_bytes() == original and sorted(p.name for p in answers.parent.iterdir()) == [
        "mission.answers.yaml",
        "t.yaml",
    ]
    r = run_cli("migrate", str(answers), "--in-place")
    assert r.returncode == 0, r.stderr
    backup = answers.with_name("mission.answers.yaml.1.1.0.bak")
    assert backup.read_bytes() == original
    assert r.stdout.splitlines()[-1] == f"written: {answers} (the file as it was: {backup})"
    assert answers_of(answers.read_text()).framework.version == "2.0.0"
    answers.write_bytes(original)
    r = run_cli("migrate", str(answers), "--in-place")
    fields = {"path": backup}
    assert r.stderr == f"{answers}: {MESSAGES['E703'].format(**fields)} [E703]\n"
    assert r.returncode == 1 and answers.read_bytes() == original


def test_an_ambiguous_migration_writes_nothing(files, write):
    _, answers = files
    write("t.yaml", V2.replace(", take: max", ""))
    r = run_cli("migrate", str(answers), "--in-place")
    assert r.returncode == 1
    assert "'integrity': 'integrity' merges sea, conduct, answered differently" in r.stderr and "[E702]" in r.stderr
    assert sorted(p.name for p in answers.parent.iterdir()) == ["mission.answers.yaml", "t.yaml"]


def test_a_multiple_choice_answer_is_remapped_option_by_option_each_new_option_once():
    f = fw("""\
        id: m
        version: 2.0.0
        title: M
        sections:
          - id: s
            title: S
            questions:
              - id: routes
                text: Routes?
                type: multiple
                options: [{value: sea, score: 1}, {value: land, score: 1}, {value: air, score: 1}]
        migrations:
          - from: 1.0.0
            to: 2.0.0
            questions:
              routes: {values: [{from: road, to: land}, {from: rail, to: land}]}
        """)
    a = answers_of("""\
        format: assess-answers/1
        framework: {id: m, version: 1.0.0}
        metadata: {title: M}
        answers:
          routes: {value: [sea, road, rail]}
        """)
    m = migrate(a, f)
    assert m.answers.answers["routes"].value == ["sea", "land"]
    assert m.answers.history[-1].details == ["routes → routes (remapped; [sea, road, rail] → [sea, land])"]


def test_migrate_to_a_framework_named_and_an_output_named(files, write):
    _, answers = files
    elsewhere = write("next/t-2.0.0.yaml", V2)
    out = answers.with_name("migrated.answers.yaml")
    r = run_cli("migrate", str(answers), "--to", str(elsewhere), "-o", str(out))
    assert r.returncode == 0, r.stderr
    migrated = answers_of(out.read_text())
    assert (migrated.framework.version, migrated.framework.path) == ("2.0.0", "next/t-2.0.0.yaml")
    r = run_cli("migrate", str(answers), "-o", str(answers))
    assert (r.returncode, r.stderr) == (1, f"{answers}: {MESSAGES['E705']} [E705]\n")
    r = run_cli("migrate", str(answers), "-o", str(out), "--in-place")
    assert r.returncode == 2 and "not allowed with argument" in r.stderr


# ---------------------------------------------------------------------------- a patch release, copies, scale maps


def test_a_release_after_the_last_step_re_pins_answers_on_that_step_with_nothing_to_move(write):
    patch = fw(V2.replace("version: 2.0.0", "version: 2.0.1").replace("Summary?", "Summary of the period?"))
    assert chain(patch, "2.0.0") == [] and [s.step for s in chain(patch, "1.1.0")] == ["1.1.0 → 2.0.0"]
    with pytest.raises(AssessError):
        chain(patch, "2.0.2")  # newer than the framework: no way there
    on_200 = """\
        format: assess-answers/1
        id: 0f6c1d2e-0000-4000-8000-000000000002
        framework: {id: t, version: 2.0.0, path: t.yaml}
        metadata: {title: T, marking: UN RESTRICTED}
        answers:
          screening: {value: ad_hoc, note: Two vendors.}
          staff: {value: 8}
        """
    m = migrate(answers_of(on_200), patch, "t.yaml")
    assert (m.answers.framework.version, m.answers.framework.hash) == ("2.0.1", patch.hash)
    assert m.steps == ["2.0.0 → 2.0.1"] and m.moves == [] and m.kept_aside == []
    assert m.answers.answers == answers_of(on_200).answers  # nothing touched
    assert m.answers.history[-1].summary == "t 2.0.0 → 2.0.1: nothing to move, re-pinned"
    m = migrate(answers_of(RICH), patch)  # 1.1.0: the step to 2.0.0, then the re-pin
    assert m.steps == ["1.1.0 → 2.0.0"] and m.answers.framework.version == "2.0.1"
    assert m.answers.history[-1].summary == "t 1.1.0 → 2.0.1: 7 answers moved, 4 kept aside"
    framework = write("t.yaml", V2.replace("version: 2.0.0", "version: 2.0.1"))
    answers = write("mission.answers.yaml", on_200.replace("path: t.yaml", f"path: {framework.name}"))
    r = run_cli("migrate", str(answers))
    assert r.returncode == 0, r.stderr
    out = answers.with_name("mission-2.0.1.answers.yaml")
    assert r.stdout.splitlines() == [f"{answers}: t 2.0.0 → 2.0.1: nothing to move, re-pinned", f"written: {out}"]
    assert answers_of(out.read_text()).framework.version == "2.0.1"


def test_a_source_still_asked_in_the_new_version_keeps_its_answer_and_the_target_gets_a_copy():
    f = fw(V2.replace("integrity: {merged_from: [sea, conduct], take: max}",
                      "integrity: {merged_from: [sea, fuel, conduct], take: max}")
           .replace("fuel: {split_from: fuel_and_rations}", "summary: {renamed_from: fuel}"))  # fmt: skip
    a = answers_of(RICH.replace("fuel_and_rations: {value: full, note: Both audited., carried: true}",
                                "fuel: {value: ad_hoc, note: Depot checks.}"))  # fmt: skip
    m = migrate(a, f)
    assert (m.answers.answers["fuel"].value, m.answers.answers["fuel"].note) == ("ad_hoc", "Depot checks.")
    assert m.answers.answers["integrity"].value == "full"  # merged from sea, fuel (copied) and conduct: max
    assert m.answers.answers["summary"].value == "ad_hoc"  # renamed from fuel, which keeps its own answer
    assert not [k for k in m.kept_aside if k.id == "fuel"]  # the merge did not take fuel's answer away
    assert "fuel → summary (renamed; copied, 'fuel' keeps its answer)" in m.answers.history[-1].details
    assert [k.id for k in m.kept_aside if "summary" in k.reason] == ["summary"]  # the old summary now means fuel's
    assert migrated_question_ids(f, "1.1.0")["summary"] == ("fuel",)


def test_a_scale_values_map_applies_to_every_question_on_the_scale_a_questions_own_pair_winning():
    f = fw(V2.replace("    sections:\n      risks:", "    scales:\n      lvl: {values: [{from: partial, to: full}]}\n"
                      "    sections:\n      risks:"))  # fmt: skip
    a = answers_of(RICH.replace("sea: {value: none}", "sea: {value: partial}"))
    m = migrate(a, f)
    assert m.answers.answers["screening"].value == "ad_hoc"  # its own pair: partial → ad_hoc
    assert m.answers.entities["risks"][0].answers["likelihood"].value == "full"  # not declared: by the scale
    assert m.answers.entities["risks"][0].answers["exposure"].value == "ad_hoc"  # its own pair wins
    assert (
        "likelihood → likelihood (remapped; in block 'r1' (Fuel theft) of risk_register; partial → full, by scale 'lvl')"
        in [str(x) for x in m.moves]
    )
    assert not [k for k in m.kept_aside if "partial" in k.reason]


def test_answers_on_a_release_between_two_steps_start_at_the_next_step():
    """2.0.1 (a patch with no step of its own) then 3.0.0 with a step from 2.0.0, or from 2.0.1: both carry a file
    re-pinned to 2.0.1 forward (the second review stranded such files: E701, or E246 for 'from: 2.0.1')."""
    for start in ("2.0.0", "2.0.1"):
        v3 = V2.replace("version: 2.0.0", "version: 3.0.0").replace("{id: staff,", "{id: headcount,")
        # a third step, after the second's sections (the second's removal now sits under it: no matter here)
        v3 = v3.replace("    removed:\n", f"  - from: {start}\n    to: 3.0.0\n    questions:\n"
                        "      headcount: {renamed_from: staff}\n    removed:\n", 1)  # fmt: skip
        framework = fw(v3)
        assert [m.step for m in framework.migrations][-1] == f"{start} → 3.0.0"
        assert [s.step for s in chain(framework, "2.0.1")] == [f"{start} → 3.0.0"]
        assert [s.step for s in chain(framework, "1.1.0")] == ["1.1.0 → 2.0.0", f"{start} → 3.0.0"]
        on_201 = (
            RICH.replace("version: 1.1.0", "version: 2.0.1").split("answers:")[0] + "answers:\n  staff: {value: 8}\n"
        )
        m = migrate(answers_of(on_201), framework)
        assert m.answers.framework.version == "3.0.0" and m.answers.answers["headcount"].value == 8
    with pytest.raises(AssessError):
        chain(framework, "0.9.0")  # before the first step: nothing says how


# ---------------------------------------------------------------------------- a file of the wrong kind


def test_a_framework_given_for_answers_or_answers_for_a_framework_is_one_coded_line(files, capsys):
    """migrate, validate (and --previous) and score each say in one line what the file is and what to give instead;
    the second review saw 13 to 24 lines of E101/E102 for each."""
    from assess.cli import main

    framework, answers = files

    def one_line(*args: str) -> str:
        assert main(list(args)) == 1
        err = capsys.readouterr().err.splitlines()
        assert len([line for line in err if " [E" in line]) == 1, err
        return err[0]

    got = one_line("migrate", str(framework))
    assert got.startswith(f"{framework}: this is a framework, not an answers file; give the answers file to migrate")
    assert got.endswith("[E610]")
    got = one_line("migrate", str(answers), "--to", str(answers))
    assert got == f"{answers}: this is an answers file, not a framework; give --to the framework to migrate to: " \
        "a framework file or a bundled framework's id [E608]"  # fmt: skip
    got = one_line("validate", str(framework), "--previous", str(answers))
    assert got.startswith(f"{answers}: this is an answers file, not a framework; give --previous the framework")
    assert one_line("validate", str(answers)).endswith("give a framework file ('assess validate' checks frameworks; "
                                                       "'assess score' checks answers) [E608]")  # fmt: skip
    got = one_line("score", str(framework))
    assert got == f"{framework}: this is a framework, not an answers file; give an answers file, which names its " \
        "framework ('assess new FRAMEWORK -o FILE' starts one) [E610]"  # fmt: skip
    result = framework.with_name("result.json")
    result.write_text('{\n  "format": "assess-result/1",\n  "framework": {"id": "t"}\n}\n', encoding="utf-8")
    got = one_line("migrate", str(result))
    assert got.startswith(f"{result}: this is a result that 'assess score' wrote, not an answers file;")
    assert got.endswith("[E611]")
    assert main(["migrate", str(answers), "--dry-run"]) == 0  # the right files still migrate
