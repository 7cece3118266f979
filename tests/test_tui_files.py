"""The app and the planner's files: opening and quitting leaves the file byte-identical, texts are held to the
limits the reader applies (with a message where they are typed), a read-only file opens read-only with the
reason, a file past the limits by hand opens with a warning, a symbolic link stays a link, and the new-assessment
form checks the period, the marking and the folder as 'assess new' does."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml
from textual import events

from assess.errors import problem
from assess.session import Session
from assess.tui.app import AssessApp

FRAMEWORK = """\
id: walk
version: 1.0.0
title: Walkthrough check
grading: 4x4
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: high, label: High, score: 3}
sections:
  - id: markets
    title: Markets
    questions:
      - {id: level, text: How large is gold smuggling?, type: scale, scale: lvl}
      - {id: seizures, text: Seizures last year, type: number, min: 0, max: 500}
      - {id: summary, text: Summary, type: text}
  - id: groups
    title: Armed groups
    repeat: {label: group}
    questions:
      - {id: violence, text: Violence, type: scale, scale: lvl}
"""

ANSWERS = """\
# kept by hand: opening the file in the app must not drop this comment
format: assess-answers/1
id: 9f0c8a52-0000-4000-8000-000000000002
framework: {id: walk, version: 1.0.0, path: walk.yaml}
metadata:
  title: Walk
  period: 2026-H2
  marking: UN RESTRICTED
  created: '2026-01-01T00:00:00Z'
  updated: '2026-01-02T00:00:00Z'
answers:
  level: {value: low, note: a short note}
"""


@pytest.fixture
def out(tmp_path) -> Path:
    (tmp_path / "walk.yaml").write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "a.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


async def paste(pilot, widget, text: str) -> None:
    """Paste into a widget as a terminal does: to the app, which gives it to the focused widget."""
    widget.focus()
    await pilot.pause()
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def wait_for(pilot, check, tries: int = 80) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def test_opening_looking_around_and_quitting_leaves_the_file_byte_identical(out):
    before = out.read_bytes()
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.current.qid == "level"
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.pause(0.8)  # longer than the pause after which typed text is saved
        assert app.screen.current.qid == "summary"
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert out.read_bytes() == before
    assert listing(out.parent) == ["a.yaml", "walk.yaml"]  # no lock file, no temporary file
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.current.qid == "summary"  # the place, kept in the user state folder
    assert out.read_bytes() == before


async def test_a_note_pasted_past_the_limit_is_refused_in_the_pane_and_never_saved(out):
    before = out.read_bytes()
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await paste(pilot, app.screen.query_one("#note"), "n" * 150_000)
        await wait_for(pilot, lambda: str(app.screen.query_one("#note-error").content))
        # the pane's own words (assess.tui.widgets.question), not a message of the table: the user reads them there
        expected = (
            "The note is 150,012 characters, more than the 100,000 an answers file holds; shorten it. It is not "
            "saved until then."
        )
        assert str(app.screen.query_one("#note-error").content) == expected
        await pilot.pause(0.8)
        assert out.read_bytes() == before
        await pilot.press("ctrl+q")  # the first ctrl+q says why; the planner stays
        await pilot.pause()
        assert app.is_running
        assert [n.message for n in app._notifications][-1] == (
            f"{expected} Not saved: correct it, or press ctrl+q again to quit without it."
        )
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert out.read_bytes() == before
    Session.open(out).close()  # still opens


async def test_block_names_and_source_references_are_held_to_the_limit_in_their_dialogs(out):
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: bool(app.screen.query("#text")))
        await paste(pilot, app.screen.query_one("#text"), "g" * 600)
        assert app.screen.query_one("#text").value == ""  # the paste refused whole, not cut short
        limit = "At most 500 characters: an answers file holds no longer text. Nothing past that was added."
        assert str(app.screen.query_one("#limit").content) == limit
        await pilot.press(*"Front A", "enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen" and app.screen.current.entity)
        assert [e["name"] for e in saved(out)["entities"]["groups"]] == ["Front A"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: bool(app.screen.query("#ref")))
        await paste(pilot, app.screen.query_one("#ref"), "r" * 6000)
        assert app.screen.query_one("#ref").value == ""
        assert str(app.screen.query_one("#limit").content) == limit.replace("500", "5,000")
        await pilot.press("escape")
    Session.open(out).close()


async def test_a_read_only_file_opens_read_only_with_the_reason_and_is_never_rewritten(out):
    out.chmod(0o444)  # root passes every permission check: the owner's write bit decides
    before = out.read_bytes()
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "MainScreen" and screen.session.read_only
        assert str(screen.query_one("#status").content).startswith("READ-ONLY")
        assert [n.message for n in app._notifications] == [str(problem(str(out), None, "E324", path=out))]
        await pilot.press("f3")
        await pilot.pause()
        assert [n.message for n in app._notifications][-1] == (
            "Opened read-only: the file is read-only; make it writable to edit it."
        )
        await pilot.press("ctrl+q")
    assert out.read_bytes() == before and stat.S_IMODE(out.stat().st_mode) == 0o444
    assert listing(out.parent) == ["a.yaml", "walk.yaml"]


async def test_a_file_past_the_limits_by_hand_opens_with_a_warning_and_keeps_its_text(out):
    long_note = "n" * 150_000
    out.write_text(ANSWERS.replace("note: a short note", f"note: {long_note}"), encoding="utf-8")
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "MainScreen"
        warning = str(problem(str(out), (12, 29), "W008", where="answers.level.note", length=150_000, limit=100_000))
        assert [n.message for n in app._notifications] == [warning]
        await pilot.press("down", "enter")  # answer 'high': saved, the note kept as it was
        await pilot.pause(0.8)
        await pilot.press("ctrl+n")  # leaving does not refuse the note nobody typed in
        await pilot.pause()
        assert app.screen.current.qid == "seizures"
    data = saved(out)
    assert data["answers"]["level"] == {"value": "high", "note": long_note, "at": data["answers"]["level"]["at"]}


async def test_a_symlinked_file_edited_in_the_app_stays_a_link(out, tmp_path):
    synced = tmp_path / "synced"
    synced.mkdir()
    (synced / "walk.yaml").symlink_to(tmp_path / "walk.yaml")
    link = synced / "a.yaml"
    link.symlink_to(out)
    app = AssessApp(link)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
    assert link.is_symlink() and os.readlink(link) == str(out)
    assert saved(out)["answers"]["level"]["value"] == "high"
    assert listing(synced) == ["a.yaml", "walk.yaml"] and listing(tmp_path) == ["a.yaml", "synced", "walk.yaml"]


async def test_the_new_assessment_form_checks_period_marking_folder_and_length(tmp_path):
    from assess.tui.screens.start import NewScreen

    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    app = AssessApp(None)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(NewScreen(fw))
        await pilot.pause()
        screen = app.screen

        async def form(**values) -> str:
            for key, value in values.items():
                screen.query_one(f"#{key}").value = value
            screen.query_one("#create").press()
            await pilot.pause()
            said = [str(e.content) for e in screen.query(".field-error") if e.display]  # said at the field
            below = screen.query_one("#target")  # the file's problem: on the line under 'Save as'
            return "\n".join(said + ([str(below.content)] if below.has_class("error") else []))

        target = tmp_path / "x.yaml"
        period = "write it as 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15, or leave it out [E323]"  # the app's words
        assert await form(period="2026-H3", file=str(target)) == f"'2026-H3' is not a period; {period}"
        assert await form(period="second half 2026") == f"'second half 2026' is not a period; {period}"
        assert await form(period="2026-H2", marking="") == "Fill in the marking."
        missing = tmp_path / "nodir" / "x.yaml"
        assert await form(marking="UN RESTRICTED", file=str(missing)) == (
            f"The folder {missing.parent} does not exist; create it first, or choose a folder that exists."
        )
        title = screen.query_one("#title")
        title.value = ""
        await paste(pilot, title, "t" * 600)
        assert title.value == ""
        assert str(screen.query_one("#limit").content).startswith("At most 500 characters")
        assert await form(title="Walk", file=str(target)) == ""
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    assert not missing.parent.exists()
    assert saved(target)["metadata"]["period"] == "2026-H2"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert listing(tmp_path) == ["walk.yaml", "x.yaml"]


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old
