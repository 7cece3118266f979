"""Answers pinned to an earlier release of a bundled framework score and report with that release, saying so."""

import re
import shutil
from pathlib import Path

import pytest

from assess.answers import load_answers
from assess.cli import main
from assess.errors import AssessError
from assess.loader import load_framework
from assess.pipeline import open_for_editing, released, score_file, score_files

ROOT = Path(__file__).parent.parent
H1 = ROOT / "frameworks" / "examples" / "previous-period" / "mission-risk.2026-H1.answers.yaml"
RELEASE = ROOT / "frameworks" / "previous" / "mission-risk-1.1.0-5b08e034.yaml"


def test_the_earlier_example_scores_with_its_own_release_and_a_warning_naming_migrate(tmp_path, capsys):
    answers = tmp_path / "h1.answers.yaml"
    shutil.copy(H1, answers)
    assert main(["score", str(answers)]) == 0
    err = capsys.readouterr().err
    assert "answers were made for mission-risk 1.1.0: scored with that release" in err
    current = load_framework(ROOT / "frameworks" / "mission-risk.yaml")[0].version  # 2.0.1 since its French
    assert f"'assess migrate' moves them to {current} [W030]" in err
    scored = score_file(answers)
    assert scored.result.framework.version == "1.1.0"
    as_named = score_files(answers, RELEASE)  # the same scores as with the release named outright
    assert scored.result.sections == as_named.sections and scored.result.derived == as_named.derived
    assert [r.rule for r in scored.result.recommendations] == [r.rule for r in as_named.recommendations]


def test_the_earlier_example_reports_on_its_release(tmp_path, capsys):
    answers = tmp_path / "h1.answers.yaml"
    shutil.copy(H1, answers)
    assert main(["report", str(answers), "-o", str(tmp_path / "h1.docx")]) == 0
    out = capsys.readouterr()
    assert "[W030]" in out.err
    assert "wrote" in out.out and " 1.1.0, " in out.out  # the report names the release it was made with


def test_the_app_still_checks_against_the_current_version_so_it_can_offer_the_migration(tmp_path):
    answers = tmp_path / "h1.answers.yaml"
    shutil.copy(H1, answers)
    with pytest.raises(AssessError) as err:  # 1.1.0's 'retained' is no option of 2.0.0: the app offers to migrate
        open_for_editing(answers)
    assert [p.code for p in err.value.problems] == ["E302"]


def test_a_release_is_found_only_by_the_pins_version_and_hash(tmp_path):
    from assess.answers import load_answers

    answers, _ = load_answers(H1)
    assert released(answers) == ROOT / "frameworks" / "previous" / RELEASE.name
    answers.framework.hash = "sha256:" + "0" * 64
    assert released(answers) is None
    answers.framework.hash = None
    assert released(answers) is None


def test_answers_on_the_release_before_the_french_translation_score_with_it_and_migrate_by_re_pinning(tmp_path):
    """crime-politics-nexus 2.0.1 adds French and changes no answer: answers made on 2.0.0 score with the 2.0.0
    release assess keeps, and migrate re-pins them without any declared step (one major version)."""
    release = ROOT / "frameworks" / "previous" / "crime-politics-nexus-2.0.0-cd698445.yaml"
    old = load_framework(release)[0]
    example = ROOT / "frameworks" / "examples" / "crime-politics-nexus.answers.yaml"
    text = example.read_text(encoding="utf-8")
    current = load_framework(ROOT / "frameworks" / "crime-politics-nexus.yaml")[0]
    answers = tmp_path / "cpn.answers.yaml"
    answers.write_text(
        re.sub(r"(?m)^  version: .*$", "  version: 2.0.0", text.replace(current.hash, old.hash), count=1),
        encoding="utf-8",
    )
    scored = score_file(answers)
    assert scored.result.framework.version == "2.0.0" and [w.code for w in scored.warnings] == ["W030"]
    assert main(["migrate", str(answers), "-o", str(tmp_path / "moved.answers.yaml")]) == 0
    moved, before = load_answers(tmp_path / "moved.answers.yaml")[0], load_answers(answers)[0]
    assert (moved.framework.version, moved.framework.hash) == (current.version, current.hash)
    assert moved.answers == before.answers and moved.entities == before.entities


def test_answers_on_a_release_without_a_migration_path_are_not_sent_to_migrate(tmp_path, capsys):
    """oc-threat 1.0.0 answers (before issue 16) score with that release; 2.0.0 declares no migration from 1.0.0, so
    the warning (W031) says to keep working on 1.0.0 or start anew, instead of naming 'assess migrate', which refuses."""
    release = ROOT / "frameworks" / "previous" / "oc-threat-1.0.0-a06b16a9.yaml"
    old = load_framework(release)[0]
    answers = tmp_path / "old.answers.yaml"
    answers.write_text(
        "format: assess-answers/1\nid: 0b6f1d2e-5a4c-4e3b-9f8a-7c6d5e4f3a21\nframework:\n  id: oc-threat\n"
        f'  version: 1.0.0\n  hash: "{old.hash}"\nmetadata:\n  title: Threat assessment, 2026-H1\n'
        "  mission: MINUSKES\n  marking: UN RESTRICTED\nanswers: {}\n",
        encoding="utf-8",
    )
    assert main(["score", str(answers)]) == 0
    err = capsys.readouterr().err
    current = load_framework(ROOT / "frameworks" / "oc-threat.yaml")[0].version
    assert f"oc-threat {current} declares no migration from 1.0.0, so 'assess migrate' cannot move them" in err
    assert "[W031]" in err and "[W030]" not in err
    assert main(["migrate", str(answers), "-o", str(tmp_path / "moved.answers.yaml")]) != 0
    assert "[E701]" in capsys.readouterr().err
