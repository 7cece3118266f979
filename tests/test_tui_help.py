"""Tests the help on F1 and '?', the footer that fits 80 columns and the status line: keys as remapped, nothing
cut mid-word, the headline score with its direction and the marking always in view."""

from __future__ import annotations

import re
import sys

import pytest
from rich.cells import cell_len
from test_tui import FRAMEWORK
from test_tui_terminal import Tmux
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea
from textual.widgets._footer import FooterKey

from assess.session import Session
from assess.tui.app import AssessApp
from assess.tui.screens.help import HelpScreen
from assess.tui.screens.start import NewScreen
from assess.tui.widgets.status import SEPARATOR, status_line

from conftest import ROOT, run_cli

APP = ROOT / "tests" / "snapshot_app.py"

RISK = """\
id: risk
version: 1.0.0
title: Convoy risk check
grading: 4x4
direction: threat
headline: [exposure]
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
sections:
  - id: exposure
    title: Convoy exposure
    rating: risk
    questions:
      - {id: attacks, text: How often are convoys attacked?, type: scale, scale: lvl, required: true}
      - {id: roads, text: How unsafe are the roads?, type: scale, scale: lvl, required: true}
      - {id: seen, text: Who saw it?, type: text, scored: false}
  - id: context
    title: Context of the mission in the region
    questions:
      - {id: mandate, text: Does the mandate name convoys?, type: yesno, scored: false}
ratings:
  risk:
    title: Risk (1-3)
    bands:
      - {min: 1, max: 2, label: Moderate, colour: "#FFFFBF"}
      - {min: 2, max: 3, label: High, colour: "#E8605A"}
"""


def _new(tmp_path, text: str, *extra: str):
    fw = tmp_path / "fw.yaml"
    fw.write_text(text, encoding="utf-8")
    out = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(out), "--no-open", "--title", "Check", *extra)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture
def walk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return _new(tmp_path, FRAMEWORK)


@pytest.fixture
def risk(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return _new(tmp_path, RISK, "--marking", "UN CONFIDENTIAL")


def drawn(widget: Widget) -> list[str]:
    """The lines a widget draws, as a user reads them (all of them, also those scrolled out of view)."""
    width, height = widget.outer_size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


def help_text(app: AssessApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(line for s in app.screen.query(Static) for line in drawn(s))


def footer_keys(app: AssessApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def footer_drawn(pilot) -> list[FooterKey]:
    """The footer's keys once it has drawn them (it waits for the screen's first layout)."""
    for _ in range(50):
        await pilot.pause()
        keys = footer_keys(pilot.app)
        if keys and all(k.region.width for k in keys):
            return keys
    raise AssertionError("the footer drew no keys")


async def test_f1_opens_the_help_with_every_key_by_context_and_escape_closes_it(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        text = help_text(app)
        rows = {line.split()[-1]: line for line in text.splitlines() if line.strip()}
        assert rows["assess.next"].split()[:2] == ["^n", "Next"]
        assert rows["app.help"].split()[:2] == ["F1", "Help"] and rows["app.help_key"].split()[:2] == ["?", "Help"]
        for binding_id in ("assess.summary", "assess.add_source", "assess.tree", "summary.report", "start.open"):
            assert binding_id in rows, binding_id
        for context in ("Everywhere", "Main screen", "Question pane", "Summary", "Start screen", "Dialogs"):
            assert context in text.splitlines(), context
        for mark, means in (("✔", "answered"), ("✖", "required and still open"), ("⊘", "hidden")):
            assert any(line.split()[:1] == [mark] and means in line for line in text.splitlines()), mark
        assert "keys.yaml" in text and "assess keys" in text  # how to remap: the keys file
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen) and app.screen.current.qid == "present"


async def test_question_mark_opens_the_help_from_the_tree_but_types_into_a_text_field(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")  # the text question 'Summary'
        await pilot.pause()
        assert app.screen.current.qid == "summary"
        await pilot.press(*"why?")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#answer", TextArea).text == "why?"  # '?' stays typed
        await pilot.press("f6", "question_mark")  # in the tree, '?' is the help
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_question_mark_typed_in_a_one_line_field_stays_typed(walk, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fw = tmp_path / "fw.yaml"
    app = AssessApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(NewScreen(fw))
        await pilot.pause()
        await pilot.press(*"Who? Why?")
        await pilot.pause()
        assert type(app.screen) is NewScreen and app.focused is not None
        assert app.focused.id == "title" and app.screen.query_one("#title", Input).value == "Who? Why?"
        await pilot.press("f1")  # F1 types nothing: the help, from the form too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_remapped_keys_show_remapped_in_the_help_and_the_footer(walk):
    app = AssessApp(walk, keymap={"assess.next": "ctrl+j", "app.help": "f9"})
    async with app.run_test(size=(80, 24)) as pilot:
        assert [(k.key_display, k.description) for k in await footer_drawn(pilot)][:2] == [
            ("F9", "Help"),
            ("^j", "Next"),
        ]
        await pilot.press("f1")  # F1 is no longer the help
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f9")
        await pilot.pause()
        rows = {line.split()[-1]: line for line in help_text(app).splitlines() if line.strip()}
        assert rows["assess.next"].split()[:2] == ["^j", "Next"]
        assert rows["app.help"].split()[:2] == ["F9", "Help"]


async def test_footer_shows_the_most_important_keys_whole_and_more_when_wider(walk):
    seen = {}
    for width in (80, 120):
        app = AssessApp(walk)
        async with app.run_test(size=(width, 24)) as pilot:
            keys = await footer_drawn(pilot)
            shown = [(k.key_display, k.description) for k in keys]
            assert shown[:6] == [
                ("F1", "Help"),
                ("^n", "Next"),
                ("^b", "Previous"),
                ("^g", "Next open"),
                ("^o", "Summary"),
                ("^z", "Undo"),
            ]
            for k in keys:  # each key drawn whole, inside the screen: 'f2 Re' no more
                assert k.region.right <= width and k.region.width == cell_len(f"{k.key_display} {k.description}"), k
            assert [drawn(k)[0] for k in keys] == [f"{key} {description}" for key, description in shown]
            seen[width] = shown
    assert seen[120][: len(seen[80])] == seen[80] and len(seen[120]) > len(seen[80])


async def test_footer_is_not_rebuilt_while_its_keys_stay_the_same(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(80, 24)) as pilot:
        before = await footer_drawn(pilot)
        await pilot.press("tab", "tab")  # to the pane's next fields: other focus, the same keys shown
        await pilot.pause()
        assert app.focused is not None and app.focused.id != "answer"
        assert footer_keys(app) == before  # the very same widgets: not composed again


async def test_footer_follows_a_resize(walk):
    app = AssessApp(walk)
    async with app.run_test(size=(120, 24)) as pilot:
        wide = len(await footer_drawn(pilot))
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        narrow = await footer_drawn(pilot)
        assert len(narrow) < wide and all(k.region.right <= 80 for k in narrow)


async def test_status_line_at_80_shows_progress_headline_with_direction_and_marking(risk):
    app = AssessApp(risk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = drawn(app.screen.query_one("#status", Widget))[0].strip()
        assert line.startswith("0/4 done · 2 required open") and line.endswith("UN CONFIDENTIAL")
        assert "not yet rated" in line
        await pilot.press("down", "down", "enter")  # attacks: high
        await pilot.press("ctrl+n", "down", "enter")  # roads: medium
        await pilot.pause(0.3)
        line = drawn(app.screen.query_one("#status", Widget))[0].strip()
        left, _, mark = line.rpartition("  ")
        assert (left.strip(), mark) == (
            "2/4 done · Convoy exposure 2.50 High (1–3, higher is worse)",
            "UN CONFIDENTIAL",
        )
        await pilot.resize_terminal(120, 24)  # more room: the scale too
        await pilot.pause()
        wide = drawn(app.screen.query_one("#status", Widget))[0].strip()
        assert wide.startswith("2/4 done · Convoy exposure 2.50 High (1–3, higher is worse)  ")
        assert wide.endswith("  UN CONFIDENTIAL") and "Context" not in wide  # other sections: the summary (ctrl+o)


def test_status_line_never_cuts_a_word_nor_leaves_a_separator_at_any_width(risk):
    session = Session.open(risk, None)
    try:
        session.update(session.next_slot(None), value="high")
        result = session.result
        full = status_line(result, 500, "UN CONFIDENTIAL", read_only=True).plain
        assert full.startswith(
            "READ-ONLY · 1/4 done · 1 required open · Convoy exposure 3.00 High (1–3, higher is worse)"
        )
        for width in range(32, 161):  # from the narrowest that holds READ-ONLY, progress and the marking
            line = status_line(result, width, "UN CONFIDENTIAL", read_only=True).plain
            assert cell_len(line) <= width, (width, line)
            left, _, mark = line.rpartition("  ")
            assert mark == "UN CONFIDENTIAL" and line.startswith("READ-ONLY"), (width, line)
            parts = left.strip().split(SEPARATOR)
            assert all(p and p == p.strip() for p in parts), (width, line)  # no dangling separator
            words = {*re.split(r"[\s(),]+", full), "req.", "▲worse"}  # the shorter forms' own words
            assert all(w in words for w in re.split(r"[\s(),]+", left.strip()) if w), (width, line)  # no word cut
            if width >= 80:
                assert "▲worse" in line or "higher is worse" in line, (width, line)
    finally:
        session.close()


def test_a_resilience_headline_says_higher_is_better(tmp_path):
    answers = _new(tmp_path, RISK.replace("direction: threat", "direction: resilience"))
    session = Session.open(answers, None)
    try:
        session.update(session.next_slot(None), value="low")
        assert "Convoy exposure 1.00 Moderate (1–3, higher is better)" in status_line(session.result, 100).plain
        assert "1.00 Moderate ▲better" in status_line(session.result, 70).plain
    finally:
        session.close()


def test_an_empty_register_the_framework_needs_is_never_all_answered(tmp_path):
    register = RISK.replace(
        "ratings:\n",
        "  - id: risks\n    title: Risk register\n    repeat: {label: risk, min: 1}\n    questions:\n"
        "      - {id: likely, text: How likely is it?, type: scale, scale: lvl}\n"
        "ratings:\n",
    )
    answers = _new(tmp_path, register)
    session = Session.open(answers, None)
    try:
        for slot in session.visible_slots():
            q = session.fw.questions[slot.qid]
            session.update(slot, value="high" if q.type == "scale" else "yes" if q.type == "yesno" else "seen")
        line = status_line(session.result, 80).plain
        assert line.startswith("4/4 done · no risks yet (1 needed) · "), line  # not 'all answered' and done
        session.add_entity("risks", "Ambush on the northern road")
        assert "risks yet" not in status_line(session.result, 80).plain
    finally:
        session.close()


def test_a_marking_wider_than_the_line_is_cut_at_a_word_with_an_ellipsis(risk):
    session = Session.open(risk, None)
    try:
        line = status_line(session.result, 40, "UN CONFIDENTIAL — RELEASABLE TO MISSION STAFF ONLY").plain
        assert line == "0/4     UN CONFIDENTIAL — RELEASABLE TO…"  # progress kept, the marking cut at a word
    finally:
        session.close()


# ---------------------------------------------------------------- snapshots (pictures in __snapshots__/test_tui_help)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_help_screen(snap_compare, lakeside, size):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(APP, terminal_size=size, run_before=run_before)


# ---------------------------------------------------------------- a real terminal
def test_f1_in_a_real_terminal_lists_the_bindings(walk, tmp_path):
    env = f"XDG_STATE_HOME={tmp_path / 'state'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess open {walk}")
    try:
        shown = term.wait_for("Is gold smuggled through the area?")
        assert "F1 Help" in shown.splitlines()[-1]  # the footer's first key
        term.keys("F1")
        shown = term.wait_for("Keys, as bound now")
        rows = {line.split()[-1]: line.split()[:2] for line in shown.splitlines() if line.split()}
        assert rows["app.quit"] == ["^q", "Quit"] and rows["assess.next"] == ["^n", "Next"], shown
        term.keys("PageDown", "PageDown", "PageDown")
        shown = term.wait_for("assess.add_source")
        term.keys("Escape")
        term.wait_for("Is gold smuggled through the area?")
        term.keys("C-q")
    finally:
        term.close()
