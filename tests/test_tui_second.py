"""Tests the second session (issue 15, item 8): a file another session holds is offered read-only in a dialog (from
`assess open` and from the start screen), Cancel leaves or goes back, and a read-only view follows the changes the
session holding the file saves."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from test_tui import FRAMEWORK
from test_tui_terminal import Tmux

from assess.answers import Store
from assess.session import Session, Slot
from assess.tui.app import AssessApp

from conftest import ROOT, run_cli

HOLDER = """\
import sys
from assess.session import Session, Slot
s = Session.open(sys.argv[1])
print("holding", flush=True)
for line in sys.stdin:  # each line: a value for 'seizures', saved as the planner would
    if not line.strip():
        break
    s.update(Slot("seizures"), value=int(line))
    print("saved", flush=True)
s.close()
"""


@pytest.fixture
def out(tmp_path) -> Path:
    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "a.yaml"
    assert run_cli("new", str(fw), "-o", str(path), "--no-open", "--title", "Walk").returncode == 0
    return path


async def wait_for(pilot, check, tries: int = 200) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def updated(app) -> list[str]:
    """The notices of a read-only view redrawn from the file on disk."""
    return [n.message for n in app._notifications if n.message.startswith("Updated from disk at ")]


def screen_name(app) -> str:
    return type(app.screen).__name__


async def test_a_held_file_is_offered_read_only_with_who_holds_it_and_opens_read_only(out):
    with Store(out):
        before = out.read_bytes()
        app = AssessApp(out)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: screen_name(app) == "ReadOnlyOffer")
            shown = str(app.screen.query_one("#offer").content)
            since = time.strftime("%H:%M", time.localtime(os.stat(out.parent / ".a.yaml.lock").st_mtime))
            assert shown == (
                f"Another session holds this file:\n{out}\n(process {os.getpid()} on {os.uname().nodename}, "
                f"since {since})\n\nOpen it read-only, to look without changing anything?"
            )
            assert [str(b.label) for b in app.screen.query("Button")] == ["Open read-only", "Cancel"]
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
            assert app.session.read_only and app.screen.query_one("#answer").disabled
        assert out.read_bytes() == before


async def test_cancel_leaves_the_app_from_the_command_line_and_goes_back_from_the_start_screen(out):
    with Store(out):
        app = AssessApp(out)  # as `assess open FILE` runs it
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: screen_name(app) == "ReadOnlyOffer")
            await pilot.press("tab", "enter")  # Cancel
            await wait_for(pilot, lambda: not app.is_running)
        app = AssessApp(None)  # the start screen, opening it from its recent files
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: screen_name(app) == "StartScreen")
            app.open_answers(out)
            await wait_for(pilot, lambda: screen_name(app) == "ReadOnlyOffer")
            await pilot.press("escape")
            await wait_for(pilot, lambda: screen_name(app) == "StartScreen")
            assert app.is_running and app.session is None


async def test_a_read_only_view_follows_what_the_holding_session_saves(out):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline() == "holding\n"
        app = AssessApp(out)
        app.disk_poll = 0.2  # two seconds in use: the same timer, sooner
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_for(pilot, lambda: screen_name(app) == "ReadOnlyOffer")
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
            await pilot.press("ctrl+n", "ctrl+n")  # present -> routes -> seizures (gold is hidden)
            await wait_for(pilot, lambda: app.screen.current == Slot("seizures"))
            holder.stdin.write("42\n")
            holder.stdin.flush()
            assert holder.stdout.readline() == "saved\n"
            await wait_for(pilot, lambda: app.session.answer(Slot("seizures")) is not None, tries=200)
            await wait_for(pilot, lambda: screen_name(app) == "MainScreen" and bool(app.screen.query("#answer")))
            assert app.session.read_only and app.screen.current == Slot("seizures")  # the same question
            assert app.screen.query_one("#answer").value == "42"
            await wait_for(pilot, lambda: len(updated(app)) == 1)
            # a file caught half written (by a writer that does not replace it whole) waits for the next look
            whole, shown = out.read_bytes(), app.session
            out.write_bytes(whole[: len(whole) // 2] + b"\n  - [unclosed\n")
            await pilot.pause(0.6)
            assert app.session is shown and screen_name(app) == "MainScreen"
            out.write_bytes(whole)
            await wait_for(pilot, lambda: len(updated(app)) == 2, tries=200)  # read again, and drawn
            assert app.session is not shown and app.session.answer(Slot("seizures")).value == 42
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["answers"]["seizures"]["value"] == 42


def test_assess_open_on_a_held_file_shows_the_offer_in_the_app(out, tmp_path):
    env = f"XDG_STATE_HOME={tmp_path / 'state'} PYTHONPATH={ROOT}"
    with Store(out):
        term = Tmux(f"env {env} {sys.executable} -m assess open {out}")
        try:
            shown = term.wait_for("Open it read-only")
            lines = [line.strip(" █") for line in shown.splitlines()]
            assert "Another session holds this file:" in lines
            assert str(out) in lines  # the path whole, on its own line
            assert "Open it read-only, to look without changing anything?" in lines  # not cut mid-word
            term.keys("Enter")
            term.wait_for("READ-ONLY")
            term.keys("C-q")
            time.sleep(1)
        finally:
            term.close()
    Session.open(out).close()  # the lock is free again


def notices(app) -> list[str]:
    return [n.message for n in app._notifications if not n.message.startswith("Updated from disk at ")]


async def test_a_read_only_view_stays_in_the_section_when_its_block_goes_and_hears_the_file_is_closed(out):
    writer = Session.open(out)
    ids = {name: writer.add_entity("groups", name).id for name in ("Front A", "Front B", "Front C")}
    try:
        app = AssessApp(out)
        app.disk_poll = 0.2  # two seconds in use: the same timer, sooner
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await wait_for(pilot, lambda: screen_name(app) == "ReadOnlyOffer")
            await pilot.press("enter")
            await wait_for(pilot, lambda: screen_name(app) == "MainScreen")
            await pilot.press(*["ctrl+n"] * 6)  # present, routes, seizures, cutoff, summary, Front A, Front B
            await wait_for(pilot, lambda: app.screen.current == Slot("violence", ids["Front B"]))
            writer.remove_entity(ids["Front B"])  # the holder removes the block being viewed
            await wait_for(pilot, lambda: len(updated(app)) == 1)
            await wait_for(pilot, lambda: screen_name(app) == "MainScreen" and app.screen.current is not None)
            assert app.screen.current == Slot("violence", ids["Front C"])  # the block that took its place
            assert "Violence" in str(app.screen.query_one(".qtext").render())
            assert app.screen.nav.cursor_node is app.screen.nav.nodes[app.screen.current.key]
            writer.remove_entity(ids["Front C"])
            writer.remove_entity(ids["Front A"])  # none left: the section's stop, offering the first block
            await wait_for(pilot, lambda: len(updated(app)) >= 2)  # read once or twice (a look between the two)
            await wait_for(pilot, lambda: bool(app.screen.query("#offer")))
            assert app.screen.current is None
            assert str(app.screen.query_one("#offer").content).startswith("Armed groups: no group yet.")
            assert notices(app) == []
            writer.close()  # the holder quits: told once
            await wait_for(pilot, lambda: bool(notices(app)))
            await pilot.pause(0.5)
            assert notices(app) == [
                f"The other session has closed the file: reopen it to edit (ctrl+q, then assess open {out})."
            ]
            assert app.session.read_only
    finally:
        writer.close()
