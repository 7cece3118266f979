"""Tests the keys as a planner meets them: F1 over every dialog, the keys file (keys.yaml) and `assess keys`, alt+p
for previous (tmux's prefix is ctrl+b), the answer key from the note, a note pasted past its limit in view, the
not-applicable box drawn empty when off, and a footer that shows what fits and hides what cannot act."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from test_tui import FRAMEWORK
from test_tui_terminal import Tmux
from textual import events
from textual.widgets import Input, Static, TextArea
from textual.widgets._footer import FooterKey

from assess.errors import MESSAGES, WARNINGS
from assess.limits import MAX_NOTE
from assess.session import Session
from assess.tui.app import AssessApp
from assess.tui.keyfile import default_keys, read_keys
from assess.tui.screens.help import HelpScreen
from assess.tui.widgets.question import QuestionPane

from conftest import ROOT, run_cli

NA = FRAMEWORK.replace(
    "{id: violence, text: Violence, type: scale, scale: lvl}",
    "{id: violence, text: Violence, type: scale, scale: lvl, allow_na: true}",
)


@pytest.fixture
def walk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("ASSESS_KEYS", str(tmp_path / "no-keys.yaml"))
    fw = tmp_path / "walk.yaml"
    fw.write_text(NA, encoding="utf-8")
    out = tmp_path / "a.yaml"
    assert run_cli("new", str(fw), "-o", str(out), "--no-open", "--title", "Walk").returncode == 0
    return out


async def wait_for(pilot, check, tries: int = 100) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def shown(app: AssessApp) -> str:
    return type(app.screen).__name__


# ------------------------------------------------------------------ 1. F1 over every dialog
@pytest.mark.parametrize(
    "keys, dialog, field",
    [
        (("ctrl+r",), "SourceDialog", "ref"),  # the source dialog, a reference being typed
        (("f4",), "MetadataScreen", "title"),  # the details
        (("ctrl+n",) * 6 + ("f3",), "TextDialog", "text"),  # a block's name (add block in 'Armed groups')
        (("ctrl+o", "ctrl+r"), "ReportDialog", None),  # the report from the summary
    ],
    ids=["source", "details", "text", "report"],
)
async def test_f1_opens_the_help_over_a_dialog_and_f1_goes_back_with_the_typed_text_kept(walk, keys, dialog, field):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await wait_for(pilot, lambda: shown(app) == dialog)
        typed = None
        if field is not None:
            await wait_for(pilot, lambda: app.focused is not None and app.focused.id == field)
            await pilot.press(*"Who? x")
            await pilot.pause()
            typed = app.screen.query_one(f"#{field}", Input).value
            assert typed.endswith("Who? x")  # '?' typed into the field, not the help
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("f1")  # F1 on the help closes it
        await wait_for(pilot, lambda: shown(app) == dialog)
        if field is not None:
            assert app.screen.query_one(f"#{field}", Input).value == typed


async def test_f1_opens_the_help_over_a_confirmation(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*("ctrl+n",) * 6, "f3")
        await wait_for(pilot, lambda: shown(app) == "TextDialog")
        await pilot.press(*"North", "enter")
        await wait_for(pilot, lambda: shown(app) == "MainScreen")
        await pilot.press("f8")  # remove the block: asks first
        await wait_for(pilot, lambda: shown(app) == "ConfirmDialog")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: shown(app) == "ConfirmDialog")


async def test_help_lists_f1_and_question_mark_by_their_own_ids(walk):
    app = AssessApp(walk, keymap={"app.help_key": "f9"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6", "question_mark")  # '?' remapped away: the tree no longer opens the help with it
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        lines = [ln for s in app.screen.query(Static) for ln in str(s.render()).splitlines()]
        rows = {ln.split()[-1]: ln.split() for ln in lines if ln.split()}
        assert rows["app.help"][:2] == ["F1", "Help"] and rows["app.help_key"][:2] == ["F9", "Help"]
        assert rows["question.answer"][:2] == ["alt+r", "Answer"]
        assert any("keys.yaml" in ln for ln in lines)  # the remapping note names the file


# ------------------------------------------------------------------ 2. the keys file
def test_keys_file_warnings_are_located_and_coded(tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text(
        "assess.previous: alt+p\n"
        "assess.nxt: ctrl+j\n"
        "question.note: f9, ctrl+bogus\n"
        "assess.summary: ctrl+n\n"
        "assess.tree: [1, 2]\n"
        "question.guidance: f9\n"
        "assess.undo: alt+b\n",
        encoding="utf-8",
    )
    found = read_keys(default_keys(AssessApp), path)
    assert found.keymap == {"assess.previous": "alt+p", "question.note": "f9"}
    got = [(w.line, w.col, w.code) for w in found.warnings]
    assert got == [(2, 1, "W011"), (3, 16, "W012"), (4, 17, "W013"), (5, 14, "W015"), (6, 20, "W013"), (7, 14, "W016")]
    assert found.warnings[0].message == WARNINGS["W011"].format(id="assess.nxt", hint=" (did you mean 'assess.next'?)")
    assert "'ctrl+bogus' is not a key name" in found.warnings[1].message
    assert "already the key of 'assess.next'" in found.warnings[2].message
    assert "already the key of 'question.note'" in found.warnings[4].message  # f9: given twice in the file
    assert "reaches the app as ctrl+left" in found.warnings[5].message  # ESC b: no app ever gets alt+b


def test_keys_file_that_is_not_a_mapping_or_not_yaml_is_left_out_with_its_reason(tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text("- assess.next\n", encoding="utf-8")
    found = read_keys(default_keys(AssessApp), path)
    assert found.keymap == {} and [w.code for w in found.warnings] == ["W014"]
    path.write_text("assess.next: [ctrl+j\n", encoding="utf-8")
    found = read_keys(default_keys(AssessApp), path)
    assert found.keymap == {} and [w.code for w in found.warnings] == ["E007"] and "E007" in MESSAGES
    assert read_keys(default_keys(AssessApp), tmp_path / "none.yaml").warnings == []  # no file: nothing to say


def test_assess_keys_lists_every_id_with_the_files_keys(tmp_path):
    keys = tmp_path / "keys.yaml"
    keys.write_text("assess.previous: alt+p\nassess.nxt: ctrl+j\n", encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "assess", "keys"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"ASSESS_KEYS": str(keys), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line.split()[1:] for line in r.stdout.splitlines()}
    assert rows["assess.previous"] == ["alt+p", "(keys", "file)"] and rows["assess.next"] == ["ctrl+n"]
    assert rows["app.help"] == ["f1"] and rows["question.answer"] == ["alt+r"]
    assert f"{keys}:2:1: warning: 'assess.nxt' is not a binding id" in r.stderr


async def test_the_app_opens_with_the_keys_file_and_says_what_it_left_out(walk, tmp_path):
    path = tmp_path / "keys.yaml"
    path.write_text("assess.next: alt+j\nassess.nxt: ctrl+j\n", encoding="utf-8")
    found = read_keys(default_keys(AssessApp), path)
    app = AssessApp(walk, keymap=found.keymap, key_warnings=found.warnings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(f"{path}:2:1: warning: 'assess.nxt' is not a binding id" in n for n in notes), notes
        await pilot.press("alt+j")
        await wait_for(pilot, lambda: app.screen.current.qid == "routes")  # 'gold' hidden until 'present' is yes


async def test_alt_p_goes_back_like_ctrl_b_from_a_text_field(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_for(pilot, lambda: app.screen.current.qid == "seizures")
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("4", "alt+p")  # from the number field: nothing typed, one question back
        await wait_for(pilot, lambda: app.screen.current.qid == "routes")
        await pilot.press("alt+n", "alt+p")  # from the note too
        await wait_for(pilot, lambda: app.screen.current.qid == "present")


# ------------------------------------------------------------------ 4 and 5: the note
async def test_a_note_pasted_past_its_limit_shows_why_in_view_at_80x24(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("alt+n")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "note")
        app.post_message(events.Paste("x" * 120_000))  # as the terminal delivers a paste
        error = app.screen.query_one("#note-error", Static)
        await wait_for(pilot, lambda: error.display)
        await pilot.pause(0.2)
        pane = app.screen.query_one(QuestionPane).region  # the part of the pane in view, over the footer
        assert error.region.height and pane.contains_region(error.region), (error.region, pane)
        assert "120,000 characters" in str(error.render()) and f"{MAX_NOTE:,}" in str(error.render())


async def test_alt_r_goes_back_to_the_answer_from_the_note(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_for(pilot, lambda: app.screen.current.qid == "seizures")
        await pilot.press("alt+n", *"seen", "alt+r", "7")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "answer")
        await pilot.pause()
        assert app.screen.query_one("#answer", Input).value == "7"  # typed in the answer, after the move
        assert app.screen.query_one("#note", TextArea).text == "seen"


# ------------------------------------------------------------------ 6. the footer
async def footer(pilot) -> list[str]:
    for _ in range(50):
        await pilot.pause()
        keys = list(pilot.app.screen.query(FooterKey))
        if keys and all(k.region.width for k in keys):
            return [f"{k.key_display} {k.description}" for k in keys]
    raise AssertionError("no footer")


async def test_footer_at_120_shows_the_block_keys_details_and_undo(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(120, 24)) as pilot:
        keys = await footer(pilot)
        for key in ("F1 Help", "^z Undo", "F4 Details", "F6 Tree", "F3 Add block", "F2 Rename", "F8 Remove", "^y Redo"):
            assert key in keys, keys
        assert sum(len(k) + 1 for k in keys) <= 120


async def test_footer_of_a_read_only_session_leaves_out_the_keys_that_change_answers(walk):
    session = Session.open(walk, None, read_only=True)
    app = AssessApp(walk, session=session)
    async with app.run_test(size=(160, 24)) as pilot:
        keys = await footer(pilot)
        assert keys[:2] == ["F1 Help", "^n Next"]
        for word in ("Add source", "Undo", "Details", "Add block", "Confidence", "Not applicable", "Answer"):
            assert not any(k.endswith(word) for k in keys), keys
        await pilot.press("alt+u")  # still pressed: says why nothing changes
        await pilot.pause()
        assert any("read-only" in str(n.message) for n in app._notifications)


# ------------------------------------------------------------------ tmux: what a real terminal gets and draws
def _tmux_app(walk, tmp_path, extra: str = "") -> Tmux:
    env = f"XDG_STATE_HOME={tmp_path / 'state'} ASSESS_KEYS={tmp_path / 'no-keys.yaml'} PYTHONPATH={ROOT} {extra}"
    return Tmux(f"env {env} {sys.executable} -m assess open {walk}")


def test_alt_p_goes_back_inside_tmux_whose_prefix_is_ctrl_b(walk, tmp_path):
    term = _tmux_app(walk, tmp_path)
    try:
        term.wait_for("Is gold smuggled through the area?")
        term.keys("C-n")
        term.wait_for("Which routes are used?")
        term.keys("M-p")  # what tmux sends for alt+p: ESC p (ESC b, alt+b, arrives as ctrl+left)
        term.wait_for("Is gold smuggled through the area?")
        term.keys("F1")
        term.wait_for("Keys, as bound now")
        term.keys("F1")
        term.wait_for("Is gold smuggled through the area?")
        term.keys("C-q")
    finally:
        term.close()


def _cells(term: Tmux, text: str) -> str:
    """The escape sequences and text of the screen line holding text, as the terminal holds them."""
    out = subprocess.run(["tmux", "capture-pane", "-p", "-e", "-t", term.name], capture_output=True, text=True).stdout
    return next(line for line in out.splitlines() if text in line)


def _box(line: str) -> tuple[str, str]:
    """The foreground and background of the X in the check box ('▐X▌'), as SGR colour codes."""
    fg = bg = ""
    for seq, char in re.findall(r"((?:\x1b\[[0-9;]*m)*)([^\x1b])", line):
        for params in re.findall(r"\x1b\[([0-9;]*)m", seq):
            for m in re.finditer(r"(38|48);5;(\d+)|(38|48);2;(\d+);(\d+);(\d+)", params):
                value = m.group(2) or ";".join(m.group(4, 5, 6))
                if (m.group(1) or m.group(3)) == "38":
                    fg = value
                else:
                    bg = value
        if char == "X":
            return fg, bg
    raise AssertionError(f"no X in {line!r}")


def test_the_not_applicable_box_is_drawn_empty_when_off_in_256_colours(walk, tmp_path):
    term = _tmux_app(walk, tmp_path, "TERM=xterm-256color COLORTERM=")
    try:
        term.wait_for("Is gold smuggled through the area?")
        term.keys("C-n")
        term.wait_for("Which routes are used?")
        time.sleep(0.5)
        fg, bg = _box(_cells(term, "river"))  # the boxes of a list of several choices: empty too until chosen
        assert fg == bg, (fg, bg)
        term.keys("Down", "Space")
        term.wait_for("1/5 done")
        fg, bg = _box(_cells(term, "river"))
        assert fg != bg, (fg, bg)
        for _ in range(6):
            term.keys("C-n")
            time.sleep(0.3)
        term.wait_for("add the first")
        term.keys("F3")
        term.wait_for("Name of the new group")
        term.keys("North", "Enter")
        shown = term.wait_for("Not applicable (alt+a)")
        off_fg, off_bg = _box(_cells(term, "Not applicable"))
        assert off_fg == off_bg, (off_fg, off_bg, shown)  # the X in the box's own colour: an empty box
        term.keys("M-a")
        time.sleep(1)
        on_fg, on_bg = _box(_cells(term, "Not applicable"))
        assert on_fg != on_bg and on_bg == off_bg  # on: an X that shows
        term.keys("C-q")
    finally:
        term.close()
