"""Nothing a planner typed or owns is lost, locked away or overwritten: one set of text limits for the app, the
writer and the reader; opening changes nothing; read-only files, symbolic links, the umask, leftovers and lock
files handled as their owner expects; a marking and a period that mean what they say; truthful messages."""

from __future__ import annotations

import json
import os
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

from assess.answers import Store, create, load_answers, new_answers
from assess.collect.periods import period_range
from assess.errors import AssessError, problem
from assess.session import Session, Slot

from conftest import ROOT, fw, run_cli

FRAMEWORK = """\
id: t
version: 1.0.0
title: Files test
grading: admiralty
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: high, label: High, score: 3}
sections:
  - id: s
    title: S
    questions:
      - {id: level, text: Level, type: scale, scale: lvl}
      - {id: notes, text: Notes, type: text}
  - id: groups
    title: Groups
    repeat: {label: group}
    questions:
      - {id: violence, text: Violence, type: scale, scale: lvl}
"""

HEAD = """\
# kept by hand: a comment assess must not drop when it only opens the file
format: assess-answers/1
id: 2b1f5d7e-0000-4000-8000-000000000001
framework: {id: t, version: 1.0.0, path: t.yaml}
metadata:
  title: Files test
  period: 2026-H2
  marking: UN RESTRICTED
  created: '2026-01-01T00:00:00Z'
  updated: '2026-01-02T00:00:00Z'
"""

BODY = """\
answers:
  level: {value: low, note: short}
entities:
  groups:
    - {id: g1, name: Front A, answers: {violence: {value: high}}}
"""


@pytest.fixture
def answers_file(tmp_path) -> Path:
    (tmp_path / "t.yaml").write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(HEAD + BODY, encoding="utf-8")
    return path


def msg(file, code: str, pos=None, **fields) -> str:
    return str(problem(str(file), pos, code, **fields))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


# ---------------------------------------------------------------------------- one set of limits


def test_the_limits_are_the_schemas_own():
    from assess import limits

    schema = json.loads((ROOT / "frameworks/answers.schema.json").read_text(encoding="utf-8"))
    assert limits.MAX_NOTE == schema["$defs"]["answer"]["properties"]["note"]["maxLength"] == 100000
    assert limits.MAX_REF == schema["$defs"]["source"]["properties"]["ref"]["maxLength"] == 5000
    assert limits.MAX_NAME == schema["$defs"]["entity"]["properties"]["name"]["maxLength"] == 500
    assert limits.MAX_METADATA["title"] == 500 and limits.MAX_METADATA["period"] == 100


def test_the_session_refuses_texts_past_the_limit_and_the_file_stays_as_it_was(answers_file):
    before = answers_file.read_bytes()
    s = Session.open(answers_file)
    try:
        cases = [
            (lambda: s.update(Slot("level"), note="n" * 150_000), "the note of 'level'", 150_000, 100_000),
            (lambda: s.add_entity("groups", "g" * 600), "the block's name", 600, 500),
            (lambda: s.rename_entity("g1", "g" * 600), "the block's name", 600, 500),
            (lambda: s.add_source(Slot("level"), "r" * 6000, "B", "2"), "source 1 of 'level'", 6000, 5000),
        ]
        for change, where, length, limit in cases:
            with pytest.raises(AssessError) as exc:
                change()
            assert [str(p) for p in exc.value.problems] == [
                msg(answers_file, "E321", where=where, length=length, limit=limit)
            ]
        assert s.answer(Slot("level")).note == "short" and s.block("g1").name == "Front A"
    finally:
        s.close()
    assert answers_file.read_bytes() == before
    Session.open(answers_file).close()  # still opens


def test_a_file_past_the_limits_by_hand_opens_and_score_names_each_field(answers_file):
    answers_file.write_text(
        HEAD
        + "answers:\n"
        + f"  level: {{value: low, note: {'n' * 150_000}, sources: [{{ref: {'r' * 6000}}}]}}\n"
        + "entities:\n  groups:\n"
        + f"    - {{id: g1, name: {'g' * 600}, answers: {{violence: {{value: high}}}}}}\n",
        encoding="utf-8",
    )
    warnings = [
        msg(answers_file, "W008", (12, 29), where="answers.level.note", length=150_000, limit=100_000),
        msg(answers_file, "W008", (12, 150047), where="answers.level.sources[0].ref", length=6000, limit=5000),
        msg(answers_file, "W008", (15, 22), where="entities.groups[0].name", length=600, limit=500),
    ]
    r = run_cli("score", str(answers_file))
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[:3] == warnings and "Traceback" not in r.stderr
    s = Session.open(answers_file)
    try:
        assert [str(p) for p in s.warnings] == warnings
        s.add_source(Slot("level"), "a short one", "B", "2")  # the long texts nobody changed are kept as they are
        s.rename_entity("g1", "g" * 600)
    finally:
        s.close()
    saved = load_answers(answers_file)[0]
    assert saved.answers["level"].note == "n" * 150_000
    assert [x.ref for x in saved.answers["level"].sources] == ["r" * 6000, "a short one"]


def test_new_refuses_metadata_past_the_limit(tmp_path):
    out = tmp_path / "x.yaml"
    r = run_cli("new", "goci-profile", "-o", str(out), "--title", "t" * 600, "--no-open")
    assert (r.returncode, r.stderr) == (1, msg(out, "E321", where="metadata.title", length=600, limit=500) + "\n")
    assert listing(tmp_path) == []


# ---------------------------------------------------------------------------- opening changes nothing


def test_opening_moving_and_closing_leaves_the_file_byte_identical_and_keeps_the_place(answers_file):
    before = answers_file.read_bytes()
    s = Session.open(answers_file)
    s.update(Slot("level"), value="low")  # the answer it already has: nothing to save
    s.set_position(Slot("violence", "g1"))
    # kept at once, so that an app killed there opens again there
    assert Session.open(answers_file, read_only=True).position() == Slot("violence", "g1")
    s.close()
    assert answers_file.read_bytes() == before
    assert listing(answers_file.parent) == ["a.yaml", "t.yaml"]
    again = Session.open(answers_file, read_only=True)
    assert again.position() == Slot("violence", "g1")  # from the user state folder
    again.close()


def test_an_older_file_with_a_position_still_opens_there(answers_file):
    answers_file.write_text(HEAD + "position: notes\n" + BODY, encoding="utf-8")
    s = Session.open(answers_file)
    try:
        assert s.position() == Slot("notes")
        s.update(Slot("notes"), value="changed")
        s.set_position(Slot("level"))
    finally:
        s.close()
    text = answers_file.read_text(encoding="utf-8")
    assert "position: notes" in text and "value: changed" in text  # the edit saved, the old key left as it was
    again = Session.open(answers_file, read_only=True)
    assert again.position() == Slot("level")  # where the planner last was, from the user state folder


# ---------------------------------------------------------------------------- files as their owner expects


def test_temporary_files_of_an_interrupted_save_are_removed_on_the_next_open(answers_file):
    folder = answers_file.parent
    for name in (".a.yaml.k3j_9x2a.tmp", ".a.yaml.00000000.tmp"):
        (folder / name).write_text("format: assess-answers/1\n# half a save", encoding="utf-8")
    (folder / ".a.yaml.notes.tmp").write_text("the user's own", encoding="utf-8")  # not a name assess makes
    before = answers_file.read_bytes()
    Session.open(answers_file).close()
    assert listing(folder) == [".a.yaml.notes.tmp", "a.yaml", "t.yaml"]
    assert answers_file.read_bytes() == before


def test_a_read_only_answers_file_is_never_rewritten(answers_file):
    # root passes every permission check: the owner's write bit (S_IWUSR) decides, as for any user
    answers_file.chmod(0o444)
    before = answers_file.read_bytes()
    expected = msg(answers_file, "E324", path=answers_file)
    with pytest.raises(AssessError) as exc:
        Session.open(answers_file)
    assert [str(p) for p in exc.value.problems] == [expected]
    s = Session.open(answers_file, read_only=True)
    with pytest.raises(AssessError):
        s.update(Slot("level"), value="high")
    s.close()
    r = run_cli("open", str(answers_file))
    assert (r.returncode, r.stderr) == (1, f"{expected}\nto look at it: assess open --read-only {answers_file}\n")
    assert answers_file.read_bytes() == before
    assert stat.S_IMODE(answers_file.stat().st_mode) == 0o444
    assert listing(answers_file.parent) == ["a.yaml", "t.yaml"]


def test_a_file_made_read_only_while_open_is_not_replaced(answers_file):
    s = Session.open(answers_file)
    try:
        answers_file.chmod(0o400)
        before = answers_file.read_bytes()
        with pytest.raises(AssessError) as exc:
            s.update(Slot("level"), value="high")
        assert str(exc.value.problems[0]) == msg(answers_file, "E324", path=answers_file)
        assert answers_file.read_bytes() == before
    finally:
        s.close()


def test_a_symlinked_answers_file_is_written_through_to_its_target(tmp_path, answers_file):
    synced = tmp_path / "synced"
    synced.mkdir()
    link = synced / "a.yaml"
    link.symlink_to(answers_file)
    shutil.copy(answers_file.parent / "t.yaml", synced / "t.yaml")
    s = Session.open(link)
    try:
        assert (tmp_path / ".a.yaml.lock").exists()  # the lock is the target's, whichever link opened it
        s.update(Slot("notes"), value="through the link")
    finally:
        s.close()
    assert link.is_symlink() and os.readlink(link) == str(answers_file)
    assert yaml.safe_load(answers_file.read_text())["answers"]["notes"]["value"] == "through the link"
    assert listing(synced) == ["a.yaml", "t.yaml"] and listing(tmp_path) == ["a.yaml", "synced", "t.yaml"]


def test_new_files_follow_the_umask_and_an_existing_file_keeps_its_mode(tmp_path, answers_file):
    with umask(0o022):
        r = run_cli("new", "goci-profile", "-o", str(tmp_path / "n.yaml"), "--no-open")
        assert r.returncode == 0, r.stderr
        r = run_cli("score", str(answers_file), "--format", "csv", "-o", str(tmp_path / "out.csv"))
        assert r.returncode == 0, r.stderr
    with umask(0o077):
        create(tmp_path / "private.yaml", new_answers(fw(FRAMEWORK), {"title": "p"}))
    assert stat.S_IMODE((tmp_path / "n.yaml").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.yaml").stat().st_mode) == 0o600
    answers_file.chmod(0o640)
    s = Session.open(answers_file)
    s.update(Slot("level"), value="high")
    s.close()
    assert stat.S_IMODE(answers_file.stat().st_mode) == 0o640
    assert load_answers(answers_file)[0].answers["level"].value == "high"


def test_no_lock_file_is_left_once_a_session_ends(answers_file, tmp_path):
    s = Session.open(answers_file)
    assert ".a.yaml.lock" in listing(tmp_path)
    s.update(Slot("level"), value="high")
    s.close()
    with Store(answers_file):
        pass
    r = run_cli("new", str(tmp_path / "t.yaml"), "-o", str(tmp_path / "b.yaml"), "--no-open")
    assert r.returncode == 0, r.stderr
    assert listing(tmp_path) == ["a.yaml", "b.yaml", "t.yaml"]


# ---------------------------------------------------------------------------- metadata that means what it says


def test_new_refuses_an_empty_marking_and_keeps_the_default(tmp_path):
    out = tmp_path / "x.yaml"
    for empty in ("", "   "):
        r = run_cli("new", "goci-profile", "-o", str(out), "--marking", empty, "--no-open")
        assert (r.returncode, r.stderr) == (1, msg(out, "E322") + "\n")
        assert not out.exists()
    assert new_answers(fw(FRAMEWORK), {"title": "x"}).metadata["marking"] == "UN RESTRICTED"


def test_score_and_report_refuse_a_file_without_a_marking_at_its_metadata(answers_file, tmp_path):
    answers_file.write_text(HEAD.replace("  marking: UN RESTRICTED\n", "") + BODY, encoding="utf-8")
    for args in (("score", str(answers_file)), ("report", str(answers_file), "-o", str(tmp_path / "r.docx"))):
        r = run_cli(*args)
        assert (r.returncode, r.stderr) == (1, msg(answers_file, "E322", (5, 1)) + "\n")
    assert not (tmp_path / "r.docx").exists()
    answers_file.write_text(HEAD.replace("marking: UN RESTRICTED", "marking: ''") + BODY, encoding="utf-8")
    r = run_cli("score", str(answers_file))
    assert (r.returncode, r.stderr) == (1, msg(answers_file, "E322", (8, 12)) + "\n")
    s = Session.open(answers_file)  # the planner can still get at the answers
    assert [p.code for p in s.warnings] == ["E322"]
    s.close()


def test_the_report_never_makes_up_a_marking():
    from assess.report.context import build_context
    from assess.scoring import score

    f = fw(FRAMEWORK)
    a = new_answers(f, {"title": "x", "marking": ""})
    with pytest.raises(AssessError) as exc:
        build_context(score(f, a), "a.yaml")
    assert str(exc.value) == msg("a.yaml", "E322")


@pytest.mark.parametrize(
    "text, ok",
    [
        ("2026", True),
        ("2026-H1", True),
        ("2026-H2", True),
        ("2026-Q4", True),
        ("2026-07", True),
        ("2026-07-15", True),
        ("2026-H3", False),
        ("2026-Q5", False),
        ("second half 2026", False),
        ("2026 S1", False),
        ("2026-h2", False),
        ("2026-7", False),
        ("2026-13", False),
        ("2026-02-30", False),
    ],
)
def test_one_period_grammar(text, ok):
    from assess import limits

    assert (period_range(text) is not None) == ok
    problems = limits.metadata_problems({"marking": "M", "period": text}, "a.yaml")
    assert [p.code for p in problems] == ([] if ok else ["E323"])


def test_a_period_is_checked_by_new_score_and_collect(answers_file, tmp_path):
    out = tmp_path / "x.yaml"
    r = run_cli("new", "goci-profile", "-o", str(out), "--period", "2026-H3", "--no-open")
    assert (r.returncode, r.stderr) == (1, msg(out, "E323", value="2026-H3") + "\n")
    assert not out.exists()
    answers_file.write_text(HEAD.replace("2026-H2", "second half 2026") + BODY, encoding="utf-8")
    expected = msg(answers_file, "E323", (7, 11), value="second half 2026")
    r = run_cli("score", str(answers_file))
    assert (r.returncode, r.stderr) == (1, expected + "\n")
    r = run_cli("collect", str(answers_file), "--store", str(tmp_path / "hq.sqlite"))
    assert r.returncode == 1 and "'second half 2026' is not a period" in r.stdout + r.stderr
    assert "E323" in r.stdout + r.stderr and "Traceback" not in r.stderr


# ---------------------------------------------------------------------------- truthful messages


def test_new_in_a_folder_that_takes_no_files_says_so(tmp_path):
    r = run_cli("new", "goci-profile", "-o", "/proc/x.yaml", "--no-open")
    expected = msg("/proc/x.yaml", "E325", folder="/proc", reason="No such file or directory")
    assert (r.returncode, r.stderr) == (1, expected + "\n")


def test_create_in_a_folder_without_write_permission_says_so(tmp_path, monkeypatch):
    real_open = os.open

    def refuse(path, flags, *args, **kw):
        if str(path).endswith(".lock"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refuse)
    out = tmp_path / "x.yaml"
    with pytest.raises(AssessError) as exc:
        create(out, new_answers(fw(FRAMEWORK), {"title": "x"}))
    assert str(exc.value) == msg(out, "E325", folder=tmp_path, reason="Permission denied")  # not "open it read-only"
    assert listing(tmp_path) == []


def test_new_refuses_a_missing_folder_like_the_other_commands(tmp_path):
    out = tmp_path / "nodir" / "x.yaml"
    r = run_cli("new", "goci-profile", "-o", str(out), "--no-open")
    assert (r.returncode, r.stderr) == (1, msg(out, "E326", folder=out.parent) + "\n")
    assert not out.parent.exists()


def test_new_over_a_folder_or_device_says_what_is_there(tmp_path):
    (tmp_path / "d.yaml").mkdir()
    for path, kind in (
        (tmp_path / "d.yaml", "a folder"),
        (Path("/dev/null"), "a character device (such as /dev/zero)"),
    ):
        r = run_cli("new", "goci-profile", "-o", str(path), "--no-open")
        assert (r.returncode, r.stderr) == (1, msg(path, "E327", path=path, kind=kind) + "\n")
