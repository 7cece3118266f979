"""Undo and redo of a session's changes: the file holds again, byte for byte, what it held before the change; the
history is bounded; in the app ctrl+z / ctrl+y show the question changed and say what it holds, one history everywhere (in
the note too), the assessment's details included."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from test_tui import FRAMEWORK

from assess import answers as answers_module
from assess import session as session_module
from assess.errors import AssessError
from assess.history import HISTORY_MAX
from assess.model import Source
from assess.session import Session, Slot
from assess.tui.app import AssessApp

from conftest import run_cli


@pytest.fixture
def out(tmp_path) -> Path:
    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(path), "--no-open", "--title", "Undo")
    assert r.returncode == 0, r.stderr
    return path


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: the answers' and the file's time stamps come from it."""
    now = ["2026-12-01T10:00:00Z"]
    monkeypatch.setattr(answers_module, "now", lambda: now[0])
    monkeypatch.setattr(session_module, "now", lambda: now[0])
    return now


@pytest.fixture
def session(out):
    s = Session.open(out)
    yield s
    s.close()


def answers(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("answers") or {}


def test_undo_puts_the_file_back_byte_for_byte_and_redo_makes_the_change_again(out, session, clock):
    session.update(Slot("present"), value="yes")
    session.update(Slot("seizures"), value=Fraction(12), confidence="high", note="Port records")
    before = out.read_bytes()
    clock[0] = "2026-12-01T11:00:00Z"  # the change comes later: its time stamp differs
    session.update(Slot("seizures"), value=Fraction(15))
    after = out.read_bytes()
    assert after != before and answers(out)["seizures"]["at"] == "2026-12-01T11:00:00Z"
    change = session.undo()
    assert change is not None and change.slot == Slot("seizures")
    assert answers(out)["seizures"] == {
        "value": 12,
        "confidence": "high",
        "note": "Port records",
        "at": "2026-12-01T10:00:00Z",  # the answer's own time stamp as it was
    }
    assert out.read_bytes().split(b"updated:")[1].split(b"\n", 1)[1] == before.split(b"updated:")[1].split(b"\n", 1)[1]
    clock[0] = "2026-12-01T10:00:00Z"  # the file's 'updated' stamp records the undo's own save: frozen, all equal
    session.update(Slot("cutoff"), value="2026-10-31")
    base = out.read_bytes()
    session.update(Slot("cutoff"), value="2026-11-30")
    session.undo()
    assert out.read_bytes() == base
    assert session.redo() is not None
    assert answers(out)["cutoff"]["value"] == "2026-11-30"
    assert session.redo() is None  # nothing more to redo


def test_an_answer_cleared_and_undone_goes_back_to_its_place_in_the_file(out, session, clock):
    for qid, value in (("present", "yes"), ("routes", ["road"]), ("cutoff", "2026-10-31")):
        session.update(Slot(qid), value=value)
    before = out.read_bytes()
    session.update(Slot("routes"), value=[])  # cleared: it leaves the file
    assert "routes" not in answers(out)
    session.undo()
    assert out.read_bytes() == before
    assert list(answers(out)) == ["present", "routes", "cutoff"]


def test_each_field_sources_included_is_undone(out, session, clock):
    slot = Slot("seizures")
    session.update(slot, value=Fraction(3))
    states = [out.read_bytes()]
    session.update(slot, na=True)
    states.append(out.read_bytes())
    session.update(slot, na=False, value=Fraction(4), confidence="low")
    states.append(out.read_bytes())
    session.add_source(slot, "UN panel report S/2026/1", "B", "2")
    states.append(out.read_bytes())
    session.update(slot, note="Seen at the port")
    states.append(out.read_bytes())
    session.remove_source(slot, 0)
    for state in reversed(states):
        session.undo()
        assert out.read_bytes() == state
    session.undo()
    assert "seizures" not in answers(out)
    for state in states:
        session.redo()
        assert out.read_bytes() == state
    assert session.answer(slot).sources == [Source("UN panel report S/2026/1", "B", "2")]


def test_blocks_added_renamed_and_removed_are_undone_with_their_answers(out, session, clock):
    session.update(Slot("present"), value="yes")  # saved once by the frozen clock
    empty = out.read_bytes()
    assert b"entities" not in empty
    e = session.add_entity("groups", "Front A")
    session.update(Slot("violence", e.id), value="high")
    named = out.read_bytes()
    session.rename_entity(e.id, "Front A (north)")
    renamed = out.read_bytes()
    session.remove_entity(e.id)
    assert not session.entities("groups")
    session.undo()  # back, with its answer
    assert out.read_bytes() == renamed
    assert session.answer(Slot("violence", e.id)).value == "high"
    session.undo()
    assert out.read_bytes() == named
    session.undo()  # the answer
    session.undo()  # the block added: the file is as it was made, with no entities at all
    assert out.read_bytes() == empty
    assert session.redo() is not None and session.entities("groups")[0].name == "Front A"


def test_the_history_is_bounded_and_a_new_change_forgets_what_was_undone(out, session, clock):
    for i in range(HISTORY_MAX + 5):
        session.update(Slot("seizures"), value=Fraction(i))
    undone = 0
    while session.undo() is not None:
        undone += 1
    assert undone == HISTORY_MAX
    assert answers(out)["seizures"]["value"] == 4  # the 5 oldest changes are forgotten
    session.redo()
    session.update(Slot("present"), value="no")
    assert session.redo() is None


def test_undo_in_a_read_only_session_is_refused(out, session):
    session.update(Slot("present"), value="yes")
    looker = Session.open(out, read_only=True)
    with pytest.raises(AssessError) as err:
        looker.undo()
    assert [p.code for p in err.value.problems] == ["E319"]


async def wait_for(pilot, check, tries: int = 80) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_ctrl_z_and_ctrl_y_in_the_app_show_the_question_and_say_what_it_holds(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        before = out.read_bytes()
        await pilot.press("down", "enter")  # present: yes
        await wait_for(pilot, lambda: answers(out).get("present", {}).get("value") == "yes")
        await pilot.press("ctrl+n", "ctrl+n")  # to seizures (gold, now shown, between)
        await wait_for(pilot, lambda: screen.current.qid == "routes")
        await pilot.press("ctrl+z")  # from another question: the change is undone and its question shown
        await wait_for(pilot, lambda: screen.current.qid == "present")
        assert messages(app)[-1] == "Undone: Is gold smuggled through the area? back to no answer."
        assert "present" not in answers(out)
        assert out.read_bytes().split(b"updated:")[0] == before.split(b"updated:")[0]
        assert app.focused is screen.pane().query_one("#answer")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(messages(app)) == 2)
        assert messages(app)[-1] == "Redone: Is gold smuggled through the area? to Yes."
        assert answers(out)["present"]["value"] == "yes"
        assert str(screen.nav.nodes["present"].label).startswith("✔")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(messages(app)) == 3)
        assert messages(app)[-1] == "Nothing to redo in this session."


async def test_typing_in_an_input_is_saved_then_undone(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_for(pilot, lambda: screen.current.qid == "seizures")
        await pilot.press(*"12", "ctrl+z")  # typed, not yet saved: saved on the way, then undone
        await wait_for(pilot, lambda: bool(messages(app)))
        assert messages(app) == ["Undone: Seizures last year back to no answer."]
        assert "seizures" not in answers(out)


def header(path: Path) -> bytes:
    """The file but its 'updated' line (an undo's save stamps its own time)."""
    return b"\n".join(line for line in path.read_bytes().split(b"\n") if not line.lstrip().startswith(b"updated:"))


async def test_one_history_in_the_note_too_what_was_typed_saved_and_undone_first(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        await pilot.press("down", "enter")  # present: yes (an older change, on another question)
        await wait_for(pilot, lambda: answers(out).get("present", {}).get("value") == "yes")
        before_note = header(out)
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # gold, now shown, and routes on the way
        await wait_for(pilot, lambda: screen.current.qid == "seizures")
        await pilot.press("alt+n", *"abc def")
        await wait_for(pilot, lambda: answers(out).get("seizures", {}).get("note") == "abc def")  # saved, paused
        with_note = header(out)
        await pilot.press("ctrl+z")  # the app's undo, from inside the note: the note's change
        await wait_for(pilot, lambda: len(messages(app)) == 1)
        assert messages(app) == ["Undone: Seizures last year back to no note."]
        note = screen.pane().query_one("#note")
        assert note.text == "" and app.focused is note  # shown as the file holds it, the cursor still in the note
        assert header(out) == before_note
        await pilot.press("ctrl+z")  # again: the older change, reached from the note
        await wait_for(pilot, lambda: len(messages(app)) == 2)
        assert messages(app)[-1] == "Undone: Is gold smuggled through the area? back to no answer."
        assert screen.current.qid == "present" and "present" not in answers(out)
        await pilot.press("ctrl+y", "ctrl+y")  # both made again, the note shown as it was typed
        await wait_for(pilot, lambda: len(messages(app)) == 4)
        assert messages(app)[-1] == "Redone: Seizures last year to the note 'abc def'."
        assert header(out) == with_note
        assert screen.current.qid == "seizures" and screen.pane().query_one("#note").text == "abc def"
        await pilot.press("alt+n", "end", *" ghi", "ctrl+z")  # typed ahead of ctrl+z: saved, then undone first
        await wait_for(pilot, lambda: len(messages(app)) == 5)
        assert messages(app)[-1] == "Undone: Seizures last year back to the note 'abc def'."
        assert screen.pane().query_one("#note").text == "abc def"
        assert header(out) == with_note
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(messages(app)) == 6)
        assert answers(out)["seizures"]["note"] == "abc def ghi"
        assert screen.pane().query_one("#note").text == "abc def ghi"


async def test_a_details_change_is_undone_and_redone_with_the_others(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        await pilot.press("down", "enter")  # present: yes, an answer before the details change
        await wait_for(pilot, lambda: answers(out).get("present", {}).get("value") == "yes")
        before = header(out)
        marking = yaml.safe_load(out.read_text(encoding="utf-8"))["metadata"]["marking"]
        await pilot.press("f4")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MetadataScreen")
        await pilot.press(*["enter"] * 5, "ctrl+u", *"UN CONFIDENTIAL", "ctrl+s")
        await wait_for(pilot, lambda: len(messages(app)) == 1)
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["metadata"]["marking"] == "UN CONFIDENTIAL"
        after = header(out)
        await pilot.press("ctrl+z")  # the details change, not the older answer
        await wait_for(pilot, lambda: len(messages(app)) == 2)
        assert messages(app)[-1] == f"Undone: assessment details (marking) back to '{marking}'."
        assert header(out) == before and answers(out)["present"]["value"] == "yes"
        assert marking in str(screen.query_one("#status").render())  # the status line shows the marking again
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(messages(app)) == 3)
        assert messages(app)[-1] == "Redone: assessment details (marking) to 'UN CONFIDENTIAL'."
        assert header(out) == after
        await pilot.press("ctrl+z", "ctrl+z")  # then the answer
        await wait_for(pilot, lambda: len(messages(app)) == 5)
        assert messages(app)[-1] == "Undone: Is gold smuggled through the area? back to no answer."
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["metadata"]["marking"] == marking


async def test_ctrl_z_in_a_read_only_session_refuses_like_any_change(out):
    writer = Session.open(out)
    writer.update(Slot("present"), value="yes")
    before = out.read_bytes()
    app = AssessApp(out, session=Session.open(out, read_only=True))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: bool(messages(app)))
        assert messages(app) == ["Opened read-only: changes are made in the session that holds the file."]
    writer.close()
    assert out.read_bytes() == before


async def test_a_block_added_is_undone_and_redone_in_the_app(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        await pilot.press("f3", *"Front A", "enter")
        await wait_for(pilot, lambda: screen.current is not None and screen.current.entity is not None)
        await pilot.press("down", "enter")  # violence: medium
        await wait_for(pilot, lambda: bool(screen.session.entities("groups")[0].answers))
        await pilot.press("ctrl+z", "ctrl+z")  # the answer, then the block
        await wait_for(pilot, lambda: len(messages(app)) == 2)
        assert messages(app) == [
            "Undone: Violence (Front A) back to no answer.",
            "Undone: adding the group 'Front A'.",
        ]
        assert "entities" not in yaml.safe_load(out.read_text(encoding="utf-8"))
        assert screen.current is None  # the section's stop, offering its first block again
        assert str(screen.query_one("#offer").content).startswith("Armed groups: no group yet.")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(messages(app)) == 3)
        assert messages(app)[-1] == "Redone: the group 'Front A' is added again."
        assert screen.current is not None and screen.current.qid == "violence"
        assert screen.session.block(screen.current.entity).name == "Front A"
