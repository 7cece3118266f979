"""Tests answers files: round trip, checks against the framework, atomic saves that survive SIGKILL, the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from fractions import Fraction

import pytest
import yaml

from assess.answers import Store, check, create, dumps, load_answers, new_answers
from assess.errors import MESSAGES, AssessError, problem
from assess.model import Answer, Entity, Source

from conftest import ROOT, fw, run_cli

FRAMEWORK = """\
id: t
version: 1.2.0
title: Test framework
grading: admiralty
scales:
  half10: {range: {min: 1, max: 10, step: 0.5}}
sections:
  - id: s
    title: S
    normalize: true
    questions:
      - {id: level, text: Level, type: scale, scale: half10, confidence: true}
      - {id: kind, text: Kind, type: single, options: [{value: yes, score: 1}, {value: no, score: 0}]}
      - {id: seen, text: Seen on, type: date}
      - {id: incidents, text: Incidents, type: number, min: 0, max: 50}
      - {id: markets, text: Markets, type: multiple, max_choices: 2, options: [{value: a, score: 1}, {value: b, score: 1}, {value: c, score: 1}]}
      - {id: notes, text: Notes, type: text}
  - id: groups
    title: Groups
    repeat: {label: group}
    questions:
      - {id: violence, text: Violence, type: scale, scale: half10}
"""


@pytest.fixture
def framework():
    return fw(FRAMEWORK)


def test_new_answers_round_trip_exactly(tmp_path, framework):
    a = new_answers(framework, {"title": "Varonia 2026-H2", "mission": "UNIMVA", "marking": "UN RESTRICTED"})
    a.answers["level"] = Answer(
        Fraction(13, 2),
        confidence="high",
        note="Two lines\nof note & <tags>",
        sources=[Source("Panel report S/2026/1, para 4", "B", "2")],
        at="2026-11-21T10:00:00Z",
    )
    a.answers["kind"] = Answer("yes")
    a.answers["retired_question"] = Answer("kept as it was")
    a.entities["groups"] = [Entity("g1", "Front de libération (FLV) — جبهة", {"violence": Answer(Fraction(9))})]
    path = tmp_path / "a.yaml"
    create(path, a)
    text = path.read_text(encoding="utf-8")
    assert 'kind:\n    value: "yes"' in text  # quoted, so no YAML 1.1 reader takes it for true
    assert "value: 6.5" in text and "جبهة" in text
    b, _ = load_answers(path)
    assert b.answers["level"].value == Fraction(13, 2)
    assert b.answers["level"].sources[0].credibility == "2"
    assert b.answers["retired_question"].value == "kept as it was"
    assert b.entities["groups"][0].answers["violence"].value == 9
    assert dumps(b) == text
    assert b.framework.hash == framework.hash and len(b.id) == 36


def test_create_refuses_to_overwrite(tmp_path, framework):
    path = tmp_path / "a.yaml"
    path.write_text("precious: true\n")
    with pytest.raises(AssessError) as info:
        create(path, new_answers(framework, {}))
    assert str(info.value) == str(problem(str(path), None, "E311", path=path))
    assert path.read_text() == "precious: true\n"


def answers_file(tmp_path, body: str):
    p = tmp_path / "answers.yaml"
    p.write_text(
        textwrap.dedent("""\
        format: assess-answers/1
        framework: {id: t, version: 1.2.0}
        metadata: {title: X, marking: UN RESTRICTED}
        """)
        + textwrap.dedent(body)
    )
    return p


def test_values_are_checked_against_their_questions_with_line_and_column(tmp_path, framework):
    p = answers_file(
        tmp_path,
        """\
        answers:
          level: {value: 6.25, confidence: certain}
          kind: {value: maybe}
          seen: {value: 31/10/2026}
          incidents: {value: 51}
          markets: {value: [a, b, d]}
          notes: {value: text, na: true}
          level2: {value: 3}
          level3: {sources: [{ref: x, reliability: G, credibility: 7}]}
        entities:
          groups:
            - {id: g1, name: A, answers: {violence: {value: 11}}}
            - {id: g1, name: B}
          markets: []
        """,
    )
    a, located = load_answers(p)
    out = [str(x) for x in check(framework, a, located)]
    half = "1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5, 9, 9.5, 10"

    def at(line, col, code, **fields):
        return str(problem(str(p), (line, col), code, **fields))

    assert out == [
        at(5, 18, "E302", qid="level", value="6.25", allowed=half),
        at(5, 36, "E308", qid="level", value="certain", allowed="low, medium, high"),
        at(6, 17, "E302", qid="kind", value="maybe", allowed="yes, no"),
        at(7, 17, "E304", qid="seen", value="31/10/2026"),
        at(8, 22, "E303", qid="incidents", value=51, lo=0, hi=50),
        at(9, 20, "E302", qid="markets", value="d", allowed="a, b, c"),
        at(9, 20, "E316", qid="markets", count=3, limit=2),
        at(10, 28, "E306", qid="notes"),
        at(11, 3, "W002", qid="level2"),
        at(12, 3, "W002", qid="level3"),
        at(15, 53, "E302", qid="violence", value="11", allowed=half),
        at(16, 12, "E309", entity="g1", section="groups"),
        at(17, 3, "E310", section="markets", known="groups"),
    ]


def test_grades_follow_the_framework_system(tmp_path, framework):
    p = answers_file(
        tmp_path,
        """\
        answers:
          level: {value: 5, sources: [{ref: "Radio intercept", reliability: G, credibility: 7}, {ref: ok, reliability: F, credibility: 6}]}
        """,
    )
    a, located = load_answers(p)
    grade = dict(qid="level", system="admiralty")
    assert [str(x) for x in check(framework, a, located)] == [
        str(problem(str(p), (5, 69), "E307", kind="reliability", value="G", allowed="A-F", **grade)),
        str(problem(str(p), (5, 85), "E307", kind="credibility", value="7", allowed="1-6", **grade)),
    ]


def test_answers_for_another_framework_or_version(tmp_path, framework):
    p = answers_file(tmp_path, "answers: {}\n").read_text()
    other = tmp_path / "other.yaml"
    other.write_text(p.replace("id: t,", "id: socta,"))
    a, located = load_answers(other)
    assert [str(x) for x in check(framework, a, located)] == [
        str(problem(str(other), (2, 17), "E301", found="socta", expected="t"))
    ]
    old = tmp_path / "old.yaml"
    old.write_text(p.replace("version: 1.2.0", "version: 1.1.0"))
    a, located = load_answers(old)
    assert [str(x) for x in check(framework, a, located)] == [
        str(problem(str(old), (2, 29), "W001", found="1.1.0", fid="t", found_hash="none", expected="1.2.0"))
    ]


def test_structure_problems_in_answers_files_are_located(tmp_path):
    p = answers_file(tmp_path, "answers:\n  level: {valeu: 5, na: yes}\n")
    with pytest.raises(AssessError) as info:
        load_answers(p)
    assert [str(x) for x in info.value.problems] == [
        str(problem(str(p), (5, 11), "E102", key="valeu", hint="; did you mean 'value'?")),
        str(
            problem(str(p), (5, 25), "E103", where="answers.level.na", expected="true or false", found="the text 'yes'")
        ),
    ]


def test_second_writer_is_refused_with_a_clear_message(tmp_path, framework):
    path = tmp_path / "a.yaml"
    create(path, new_answers(framework, {"title": "x"}))
    with Store(path):
        with pytest.raises(AssessError) as info:
            Store(path)
        held = str(problem(str(path), None, "E312", path=path))
        assert str(info.value) == held
        # another process is refused too
        code = (
            "import sys; from assess.answers import Store; from assess.errors import AssessError\n"
            f"try:\n    Store({str(path)!r})\nexcept AssessError as e:\n    print(e); sys.exit(3)"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 3 and proc.stdout == held + "\n"
    Store(path).close()  # free again once closed


def test_failed_save_leaves_the_previous_file(tmp_path, framework):
    path = tmp_path / "a.yaml"
    a = new_answers(framework, {"title": "first"})
    create(path, a)
    before = path.read_text()
    a.answers["level"] = Answer(Fraction(1, 3))  # no exact decimal: the dump fails before anything is written
    with Store(path) as store, pytest.raises(ValueError):
        store.save(a)
    assert path.read_text() == before
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.yaml"]  # the lock file goes with the session


WRITER = """\
import sys
from fractions import Fraction
from assess.answers import Store, new_answers, Answer
from assess.loader import framework_from_text
fw, _ = framework_from_text(open(sys.argv[2]).read())
a = new_answers(fw, {"title": "kill test"})
with Store(sys.argv[1]) as store:
    i = 0
    while True:
        i += 1
        a.answers["notes"] = Answer("x" * 20000 + str(i))
        a.answers["incidents"] = Answer(i % 50)
        store.save(a)
        print(i, flush=True)
"""


def test_save_killed_mid_write_always_leaves_the_last_completed_save(tmp_path):
    fw_path = tmp_path / "fw.yaml"
    fw_path.write_text(FRAMEWORK)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    target = tmp_path / "a.yaml"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for round_ in range(25):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(target), str(fw_path)], stdout=subprocess.PIPE, text=True, env=env
        )
        first = proc.stdout.readline()  # wait for the first completed save
        assert first.strip().isdigit()
        time.sleep(0.01 * (round_ % 7))
        proc.send_signal(signal.SIGKILL)
        printed = first + proc.stdout.read()
        proc.wait()
        last = int(printed.split()[-1])
        data = yaml.safe_load(target.read_text())
        saved = int(data["answers"]["notes"]["value"][20000:])
        assert saved >= last  # a save may complete after its print was lost, never before
        assert saved <= last + 1
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 25  # a kill between mkstemp and replace may leave a temp file, never a broken target


def test_new_command_creates_a_pinned_file_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "assessment.yaml"
    r = run_cli("new", "goci-profile", "-o", str(out), "--mission", "UNIMVA", "--period", "2026-H2", "--no-open")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"created {out}: Organized crime index profile 1.1.0, 32 questions")
    data = yaml.safe_load(out.read_text())
    assert data["framework"]["id"] == "goci-profile" and data["framework"]["hash"].startswith("sha256:")
    assert data["metadata"]["mission"] == "UNIMVA" and data["metadata"]["marking"] == "UN RESTRICTED"
    assert "path" not in data["framework"]
    again = run_cli("new", "goci-profile", "-o", str(out))
    assert again.returncode == 1
    assert again.stderr == str(problem(str(out), None, "E311", path=out)) + "\n"


def test_new_with_a_framework_path_pins_the_path_relative_to_the_answers(tmp_path):
    (tmp_path / "fw").mkdir()
    fw_path = tmp_path / "fw" / "mine.yaml"
    fw_path.write_text(FRAMEWORK)
    out = tmp_path / "work" / "a.yaml"
    out.parent.mkdir()
    assert run_cli("new", str(fw_path), "-o", str(out)).returncode == 0
    assert yaml.safe_load(out.read_text())["framework"]["path"] == "../fw/mine.yaml"
    r = run_cli("score", str(out), "--format", "json")
    assert r.returncode == 0, r.stderr


def test_new_with_unknown_framework_id(tmp_path):
    r = run_cli("new", "nonexistent", "-o", str(tmp_path / "x.yaml"))
    assert r.returncode == 1
    before_ids = MESSAGES["E313"].split("{known}")[0].format(ref="nonexistent")
    assert r.stderr.startswith(f"nonexistent: {before_ids}") and r.stderr.endswith(" [E313]\n")
    assert "goci-profile" in r.stderr and "oc-threat" in r.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_saving_only_the_changed_answer_writes_what_writing_every_answer_writes(tmp_path):
    """The app saves each change by writing again only the answer that changed: after any sequence of edits
    the file must be exactly the full rewrite, and read back to the same answers."""
    import random
    import shutil

    from assess.session import Session

    path = tmp_path / "oc-threat.answers.yaml"
    shutil.copyfile(ROOT / "frameworks/examples/oc-threat.answers.yaml", path)
    (tmp_path / "oc-threat.yaml").symlink_to(ROOT / "frameworks/oc-threat.yaml")
    s = Session.open(path)
    s.add_entity("groups", "Group 0")  # a first save: an edit that changes nothing writes nothing
    rng = random.Random(11)
    texts = ["plain", "two\nlines\n", "quote ' and \" and: colon", "", "  leading", "é — ü"]
    try:
        for step in range(300):
            slots = s.slots()
            slot = rng.choice(slots)
            q = s.fw.questions[slot.qid]
            op = rng.random()
            if op < 0.45:
                if q.options:
                    value = rng.choice(q.options).value
                    value = [value] if q.type == "multiple" else value
                elif q.type == "number":
                    value = rng.randint(0, 40)
                elif q.type == "date":
                    value = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                else:
                    value = rng.choice(texts) or None
                s.update(slot, rescore=False, value=value)
            elif op < 0.6:
                s.update(slot, rescore=False, note=rng.choice(texts))
            elif op < 0.7:
                s.add_source(slot, rng.choice(texts) or "ref", "B", "2")
            elif op < 0.75:
                s.remove_source(slot, 0)
            elif op < 0.8:
                s.update(slot, rescore=False, na=rng.random() < 0.5, confidence=rng.choice([None, "high", "low"]))
            elif op < 0.9:
                s.set_position(rng.choice(slots))
            elif op < 0.95:
                groups = s.entities("groups")
                if groups and rng.random() < 0.5:
                    # a name of its own: two blocks of a section never share one (Session.name_taken)
                    s.rename_entity(rng.choice(groups).id, f"{rng.choice(texts) or 'renamed'} {step}")
                elif len(groups) > 1 and rng.random() < 0.5:
                    s.remove_entity(rng.choice(groups).id)
                else:
                    s.add_entity("groups", f"Group {step}")
            else:
                s.update(slot, rescore=False, value=None, note="", sources=[], confidence=None, na=False)
            assert path.read_text(encoding="utf-8") == dumps(s.answers), step
        reread, _ = load_answers(path)
        assert dumps(reread) == dumps(s.answers)
    finally:
        s.close()


def test_a_block_id_is_refused_in_a_second_repeatable_section(tmp_path):
    """Positions and the app name a block by its id alone, so an id may appear once in the whole file."""
    two = fw(
        FRAMEWORK.replace(
            "  - id: groups\n",
            "  - id: networks\n    title: Networks\n    repeat: {label: network}\n    questions:\n      - {id: reach, text: Reach, type: scale, scale: half10}\n  - id: groups\n",
            1,
        )
    )
    p = answers_file(
        tmp_path,
        """\
        entities:
          networks:
            - {id: b1, name: Port network, answers: {reach: {value: 7}}}
          groups:
            - {id: b1, name: Brigade, answers: {violence: {value: 3}}}
        """,
    )
    a, located = load_answers(p)
    assert [str(x) for x in check(two, a, located)] == [
        str(problem(str(p), (8, 12), "E309", entity="b1", section="networks"))
    ]


def test_a_read_only_session_takes_no_lock_and_saves_nothing(tmp_path):
    import shutil

    from assess.session import Session

    path = tmp_path / "risk.answers.yaml"
    shutil.copyfile(ROOT / "frameworks/examples/mission-risk.answers.yaml", path)
    before = path.read_bytes()
    with Store(path):  # another session holds the file
        s = Session.open(path, read_only=True)
        slot = s.slots()[3]
        note = s.answer(slot).note if s.answer(slot) else ""
        s.set_position(slot)
        with pytest.raises(AssessError) as exc:
            s.update(slot, note="typed in the wrong window")
        assert str(exc.value.problems[0]) == str(problem(str(path), None, "E319"))
        assert (s.answer(slot).note if s.answer(slot) else "") == note  # refused before anything changed
        s.close()
    assert path.read_bytes() == before


def test_a_folder_that_cannot_take_the_lock_is_refused_with_a_way_out(tmp_path, monkeypatch, framework):
    import filelock

    path = tmp_path / "a.yaml"

    def refuse(self, *a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(filelock.BaseFileLock, "acquire", refuse)
    with pytest.raises(AssessError) as exc:
        Store(path)
    assert str(exc.value.problems[0]) == str(problem(str(path), None, "E320", reason="Permission denied"))
