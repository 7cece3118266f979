"""Tests of declared migrations in the framework format: what they build into, and each check of them, with the
framework written inline; and `assess validate --previous OLD`."""

from __future__ import annotations

from fractions import Fraction

from assess.errors import MESSAGES, WARNINGS
from assess.model import QuestionMove, ValueMap

from conftest import fw, problems, run_cli

NEW = """\
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
      - {id: screening, text: Screening?, type: scale, scale: lvl}
      - {id: fuel, text: Fuel?, type: scale, scale: lvl}
      - {id: rations, text: Rations?, type: scale, scale: lvl}
      - {id: integrity, text: Integrity?, type: scale, scale: lvl}
      - {id: staff, text: Staff?, type: number, min: 0, max: 10}
  - id: risks
    title: Risks
    repeat: {label: risk}
    questions:
      - {id: likelihood, text: Likelihood?, type: scale, scale: lvl}
"""

STEPS = """\
migrations:
  - from: 1.0.0
    to: 1.1.0
    questions:
      checks: {renamed_from: vendor_check}
  - from: 1.1.0
    to: 2.0.0
    note: Screening renamed; fuel and rations split.
    questions:
      screening:
        renamed_from: checks
        values: [{from: partial, to: ad_hoc}]
      fuel: {split_from: fuel_and_rations}
      rations: {split_from: fuel_and_rations}
      integrity: {merged_from: [sea, conduct], take: max}
      staff: {values: [{from: 5, to: 10}, {from: 2.5, to: 5}]}
    sections:
      risks: {renamed_from: risk_register}
    removed:
      - {id: old_q, reason: Folded into screening}
"""

OLD = """\
id: t
version: 1.1.0
title: T
scales:
  lvl:
    options:
      - {value: none, score: 0}
      - {value: partial, score: 1}
      - {value: full, score: 2}
sections:
  - id: s
    title: S
    questions:
      - {id: checks, text: Checks?, type: scale, scale: lvl}
      - {id: fuel_and_rations, text: Fuel and rations?, type: scale, scale: lvl}
      - {id: sea, text: Sea?, type: scale, scale: lvl}
      - {id: conduct, text: Conduct?, type: scale, scale: lvl}
      - {id: staff, text: Staff?, type: number, min: 0, max: 5}
      - {id: old_q, text: Old?, type: yesno}
      - {id: forgotten, text: Forgotten?, type: yesno}
  - id: risk_register
    title: Risks
    repeat: {label: risk}
    questions:
      - {id: likelihood, text: Likelihood?, type: scale, scale: lvl}
"""


def expect(pos: str, code: str, in_file: str = "fw.yaml", **fields) -> str:
    """A problem as printed at line:col pos of in_file, formatted from the message table."""
    if code.startswith("W"):
        return f"{in_file}:{pos}: warning: {WARNINGS[code].format(**fields)} [{code}]"
    return f"{in_file}:{pos}: {MESSAGES[code].format(**fields)} [{code}]"


def test_declared_migrations_build_into_the_model_oldest_first():
    f = fw(NEW + STEPS)
    assert [(m.from_version, m.to_version) for m in f.migrations] == [("1.0.0", "1.1.0"), ("1.1.0", "2.0.0")]
    last = f.migrations[-1]
    assert last.note == "Screening renamed; fuel and rations split."
    assert last.questions == (
        QuestionMove(
            "screening", "renamed", ("checks",), (ValueMap("partial", "ad_hoc"),), None, last.questions[0].path
        ),
        QuestionMove("fuel", "split", ("fuel_and_rations",), path=last.questions[1].path),
        QuestionMove("rations", "split", ("fuel_and_rations",), path=last.questions[2].path),
        QuestionMove("integrity", "merged", ("sea", "conduct"), take="max", path=last.questions[3].path),
        QuestionMove(
            "staff", "remapped", ("staff",), (ValueMap(5, 10), ValueMap(Fraction(5, 2), 5)), path=last.questions[4].path
        ),
    )
    assert [(s.id, s.renamed_from) for s in last.sections] == [("risks", "risk_register")]
    assert [(r.id, r.reason) for r in last.removed] == [("old_q", "Folded into screening")]
    assert last.claimed() == {"checks", "fuel_and_rations", "sea", "conduct", "staff", "old_q"}
    assert fw(NEW).migrations == ()


def test_the_chain_must_run_from_version_to_version_up_to_this_one():
    steps = """\
migrations:
  - {from: 1.0.0, to: 1.0.0}
  - {from: 0.9.0, to: 2.1.0}
"""
    where0, where1 = "migrations[0]", "migrations[1]"
    assert problems(NEW + steps) == [
        expect("25:23", "E246", where=where0, why="this step goes from 1.0.0 to 1.0.0, not to a later version",
               version="2.0.0"),
        expect("26:12", "E246", where=where1, why="this step starts from 0.9.0, before 1.0.0, where the one before goes",
               version="2.0.0"),
        expect("26:23", "E246", where=where1, why="the last step goes to 2.1.0, after this file's version",
               version="2.0.0"),
    ]  # fmt: skip


def test_a_patch_release_after_the_last_step_needs_no_step_of_its_own():
    patch = NEW.replace("version: 2.0.0", "version: 2.0.1").replace("text: Staff?", "text: Staff in post?")
    assert problems(patch + STEPS) == []  # the last step goes to 2.0.0: 2.0.1 moved no answer
    assert problems(NEW.replace("version: 2.0.0", "version: 1.9.9") + STEPS) == [
        expect("30:9", "E246", where="migrations[1]", why="the last step goes to 2.0.0, after this file's version",
               version="1.9.9"),
    ]  # fmt: skip


def test_the_last_step_names_questions_and_sections_of_this_version_and_answers_they_take():
    steps = """\
migrations:
  - from: 1.1.0
    to: 2.0.0
    questions:
      screenin: {renamed_from: checks, values: [{from: partial, to: ad_hoc}]}
      screening: {renamed_from: checks2, values: [{from: partial, to: adhoc}]}
      staff: {values: [{from: 5, to: 11}, {from: 1, to: none}]}
    sections:
      risk: {renamed_from: risk_register}
"""
    assert problems(NEW + steps) == [
        expect("28:7", "E247", where="migrations[0].questions", name="screenin", kind="question", version="2.0.0",
               hint="; did you mean 'screening'?"),
        expect("29:71", "E248", where="migrations[0].questions.screening.values[0].to", value="'adhoc'",
               qid="screening", why="it is not one of its options; use one of: none, ad_hoc, full"),
        expect("30:38", "E248", where="migrations[0].questions.staff.values[0].to", value="11", qid="staff",
               why="it is outside the question's range 0..10"),
        expect("30:57", "E248", where="migrations[0].questions.staff.values[1].to", value="'none'", qid="staff",
               why="it is a number question"),
        expect("32:7", "E247", where="migrations[0].sections", name="risk", kind="repeatable section",
               version="2.0.0", hint="; did you mean 'risks'?"),
    ]  # fmt: skip


def test_an_old_id_or_value_claimed_twice_is_refused():
    steps = """\
migrations:
  - from: 1.1.0
    to: 2.0.0
    questions:
      screening: {renamed_from: checks, values: [{from: partial, to: ad_hoc}, {from: partial, to: full}]}
      fuel: {renamed_from: checks}
      rations: {split_from: fuel_and_rations}
      integrity: {split_from: fuel_and_rations}
    removed:
      - {id: fuel_and_rations, reason: Gone}
"""
    assert problems(NEW + steps) == [
        expect("28:86", "E249", where="migrations[0].questions.screening.values[1].from",
               what="value 'partial' is mapped already", first=28, fix="map each old value once"),
        expect("29:28", "E249", where="migrations[0].questions.fuel.renamed_from", what="'checks' is renamed already",
               first=28, fix="to copy one answer to several questions, write split_from in each"),
        expect("33:14", "E249", where="migrations[0].removed[0].id", what="'fuel_and_rations' is named already",
               first=30, fix="an old question goes one way: renamed, split, merged or removed"),
    ]  # fmt: skip


def test_take_belongs_to_a_merge_of_two_or_more_and_one_source_key_at_most():
    steps = """\
migrations:
  - from: 1.1.0
    to: 2.0.0
    questions:
      screening: {renamed_from: checks, take: max}
      fuel: {merged_from: [fuel_and_rations]}
      integrity: {renamed_from: sea, merged_from: [sea, conduct]}
"""
    assert problems(NEW + steps) == [
        expect("28:41", "E250", where="migrations[0].questions.screening",
               why="take chooses among merged answers: remove it, or list the questions merged under merged_from"),
        expect("29:27", "E250", where="migrations[0].questions.fuel",
               why="merged_from names one question; a merge takes two or more (for one, write renamed_from)"),
        expect("30:38", "E250", where="migrations[0].questions.integrity",
               why="renamed_from and merged_from each say where the answer comes from: keep one"),
    ]  # fmt: skip


def test_validate_previous_checks_what_the_first_step_names_in_the_old_version(write):
    steps = STEPS.replace(
        "- from: 1.0.0\n    to: 1.1.0\n    questions:\n      checks: {renamed_from: vendor_check}\n  ", ""
    )
    steps = steps.replace("{from: partial, to: ad_hoc}", "{from: partly, to: ad_hoc}").replace(
        "sea, conduct", "sea, cond"
    )
    new = write("t.yaml", NEW + steps)
    old = write("t-1.1.0.yaml", OLD)
    r = run_cli("validate", str(new), "--previous", str(old))
    assert r.returncode == 1, r.stderr
    known = {"version": "1.1.0", "previous": str(old)}
    assert r.stderr.splitlines() == [
        expect("31:25", "E251", in_file=str(new), where="migrations[0].questions.screening.values[0].from",
               name="partly", what="an answer to 'checks'", hint="; did you mean 'partial'?", **known),
        expect("34:38", "E251", in_file=str(new), where="migrations[0].questions.integrity.merged_from[1]", name="cond",
               what="a question", hint="; did you mean 'conduct'?", **known),
        expect("25:11", "W023", in_file=str(new), where="migrations[0]", qid="conduct", **known),
        expect("25:11", "W023", in_file=str(new), where="migrations[0]", qid="forgotten", **known),
        expect("5:3", "W025", in_file=str(new), where="scales.lvl", value="'partial'", old="scale 'lvl'",
               version="2.0.0"),
        "1 of 1 file(s) have problems",
    ]  # fmt: skip
    removed = "      - {id: old_q, reason: Folded into screening}\n"
    scales = "    scales:\n      lvl: {values: [{from: partial, to: ad_hoc}]}\n"
    fixed = write("t.yaml", NEW + STEPS.replace(removed, removed + "      - {id: forgotten, reason: Gone}\n" + scales))
    r = run_cli("validate", str(fixed), "--previous", str(old))
    assert r.returncode == 0, r.stderr
    assert r.stderr == "" and "valid — t 2.0.0" in r.stdout
    r = run_cli("validate", str(fixed), "--previous", str(write("t-0.9.0.yaml", OLD.replace("1.1.0", "0.9.0"))))
    assert r.returncode == 1
    why = "no step starts from t 0.9.0, the previous version given (declared: 1.0.0 → 1.1.0, 1.1.0 → 2.0.0)"
    assert r.stderr.splitlines()[0] == expect("24:1", "E246", in_file=str(fixed), where="migrations", why=why,
                                              version="2.0.0")  # fmt: skip


def test_a_source_still_asked_in_this_version_is_copied_and_validate_says_so():
    steps = """\
migrations:
  - from: 1.1.0
    to: 2.0.0
    questions:
      integrity: {merged_from: [fuel, conduct], take: max}
      screening: {renamed_from: staff}
"""
    assert problems(NEW + steps) == [
        expect("28:33", "W024", where="migrations[0].questions.integrity.merged_from[0]", source="fuel",
               qid="integrity", kind="merged"),
        expect("29:33", "W024", where="migrations[0].questions.screening.renamed_from", source="staff",
               qid="screening", kind="renamed"),
    ]  # fmt: skip


def test_a_scale_values_map_is_checked_like_a_questions():
    steps = """\
migrations:
  - from: 1.1.0
    to: 2.0.0
    scales:
      lvl: {values: [{from: partial, to: ad_hoc}, {from: partial, to: full}, {from: half, to: some}]}
      levl: {values: [{from: partial, to: ad_hoc}]}
"""
    assert problems(NEW + steps) == [
        expect("28:58", "E249", where="migrations[0].scales.lvl.values[1].from",
               what="value 'partial' is mapped already", first=28, fix="map each old value once"),
        expect("28:95", "E707", where="migrations[0].scales.lvl.values[2].to", value="'some'", scale="lvl",
               allowed="none, ad_hoc, full"),
        expect("29:7", "E247", where="migrations[0].scales", name="levl", kind="scale", version="2.0.0",
               hint="; did you mean 'lvl'?"),
    ]  # fmt: skip


def test_validate_previous_reports_the_builds_errors_and_the_previous_versions_together(write):
    steps = """\
migrations:
  - from: 1.1.0
    to: 2.0.0
    questions:
      screening: {renamed_from: checks, values: [{from: partial, to: adhoc}, {from: partly, to: full}]}
    scales:
      lvl: {values: [{from: half, to: ad_hoc}]}
"""
    new, old = write("t.yaml", NEW + steps), write("t-1.1.0.yaml", OLD)
    r = run_cli("validate", str(new), "--previous", str(old))
    assert r.returncode == 1
    known = {"version": "1.1.0", "previous": str(old)}
    codes = [line.rsplit("[", 1)[1] for line in r.stderr.splitlines()[:-1]]
    assert {"E248]", "E251]"} <= set(codes), r.stderr  # one run says both kinds
    assert (
        expect(
            "28:85",
            "E251",
            in_file=str(new),
            where="migrations[0].questions.screening.values[1].from",
            name="partly",
            what="an answer to 'checks'",
            hint="; did you mean 'partial'?",
            **known,
        )
        in r.stderr
    )
    assert expect("30:29", "E251", in_file=str(new), where="migrations[0].scales.lvl.values[0].from", name="half",
                  what="an option of scale 'lvl'", hint="", **known) in r.stderr  # fmt: skip


def test_validate_previous_of_another_framework_says_so(write):
    new = write("t.yaml", NEW + STEPS)
    r = run_cli("validate", str(new), "--previous", str(write("o.yaml", OLD.replace("id: t", "id: other"))))
    assert r.returncode == 1
    assert (
        r.stderr.splitlines()[0]
        == f"{new}: " + MESSAGES["E706"].format(pid="other", pversion="1.1.0", fid="t") + " [E706]"
    )


def test_validate_previous_accepts_a_patch_or_minor_release_after_the_last_step(tmp_path):
    """The second review: --previous 2.0.0 against 2.0.1 (text only) or 2.1.0 (a question added) said E246."""
    old = tmp_path / "old.yaml"
    old.write_text(NEW + STEPS, encoding="utf-8")
    for version, change in (("2.0.1", ("text: Staff?", "text: Staff in post?")), ("2.1.0", ("", ""))):
        text = (NEW + STEPS).replace("version: 2.0.0", f"version: {version}").replace(*change)
        new = tmp_path / f"new-{version}.yaml"
        new.write_text(text, encoding="utf-8")
        r = run_cli("validate", str(new), "--previous", str(old))
        assert r.returncode == 0 and "E246" not in r.stdout + r.stderr, r.stdout + r.stderr
