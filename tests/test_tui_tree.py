"""The question tree and the palette at 80×24: the full text of the row at the cursor on a line below, sections
that close and open from the keyboard, a tree that follows the question shown, block counts in plural, the
pane's 'question N of M' kept true as conditions change, and a palette row per question and block."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

from assess.tui.app import AssessApp
from assess.tui.widgets.nav import count_of, plural

from conftest import run_cli

LONG = "How exposed are the mission's contractors [sic] to extortion by the groups that hold the supply roads?"
STAFF = "\n".join(f"      - {{id: staff{i}, text: Staff question {i}, type: scale, scale: lvl}}" for i in range(1, 25))
FRAMEWORK = f"""\
id: tree
version: 1.0.0
title: Tree check
grading: 4x4
scales:
  lvl:
    options:
      - {{value: low, label: Low, score: 1}}
      - {{value: high, label: High, score: 3}}
sections:
  - id: context
    title: Context
    questions:
      - {{id: present, text: Is gold smuggled through the area?, type: yesno, scale: yesno_unknown, scored: false}}
      - {{id: gold, text: How large is gold smuggling?, type: scale, scale: lvl, show_if: "present == 'yes'"}}
      - {{id: long, text: "{LONG}", type: scale, scale: lvl, required: true}}
      - {{id: long2, text: "How exposed are the mission's partners to extortion?", type: scale, scale: lvl}}
  - id: staff
    title: Staff safety
    questions:
{STAFF}
  - id: risks
    title: Risk register
    repeat: {{label: risk}}
    questions:
      - {{id: violence, text: Violence, type: scale, scale: lvl}}
"""
QUESTIONS = 3 + 24  # gold hidden until present is yes; no risk blocks yet


@pytest.fixture
def out(tmp_path: Path) -> Path:
    fw = tmp_path / "tree.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(path), "--no-open", "--title", "Tree")
    assert r.returncode == 0, r.stderr
    return path


def row_text(app) -> str:
    line = app.screen.query_one("#nav-row")
    return str(line.render()) if line.display else ""


def where(app) -> str:
    return str(app.screen.query_one("#pane .where").render())


def in_view(tree, node) -> bool:
    top = tree.scroll_offset.y
    return top <= node.line < top + tree.scrollable_content_region.height


async def test_the_line_under_the_tree_shows_the_whole_row_at_the_cursor(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.nav
        assert row_text(app) == ""  # the question pane has the focus and shows its own text
        await pilot.press("f6", "down", "down")
        await pilot.pause()
        assert tree.cursor_node is tree.nodes["long"]  # present, gold (hidden, marked ⊘), long
        # cut in the tree at 80 columns, whole on the line below, with its status in words, never markup
        assert len(str(tree.nodes["long"].label)) > tree.size.width
        assert row_text(app) == f"✖ required, open — {LONG}"
        assert app.screen.query_one("#nav-row").size.height == 2  # wrapped on two lines, whole
        await pilot.press("down")
        await pilot.pause()
        assert row_text(app) == "○ open — How exposed are the mission's partners to extortion?"
        await pilot.press("up", "up", "up", "up")
        await pilot.pause()
        assert tree.cursor_node is tree.containers[("context", None)]
        await pilot.press("down", "down")
        await pilot.pause()
        assert row_text(app) == "⊘ hidden by a condition — How large is gold smuggling?"
        await pilot.press("up", "up")
        assert row_text(app) == "Context"
        await pilot.press("down", "enter")  # Enter on a question shows it; the line goes with the focus
        await pilot.pause()
        assert app.screen.current.qid == "present"
        assert row_text(app) == ""


async def test_left_and_right_close_and_open_a_section_keeping_the_cursor_on_it(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.nav
        context = tree.containers[("context", None)]
        await pilot.press("f6", "left")  # from a question to its section, still open
        await pilot.pause()
        assert tree.cursor_node is context and context.is_expanded
        await pilot.press("left")
        await pilot.pause()
        assert tree.cursor_node is context and not context.is_expanded
        await pilot.press("down")
        await pilot.pause()
        assert tree.cursor_node is tree.containers[("staff", None)]  # the next section, right below
        await pilot.press("right")
        await pilot.pause()
        staff = tree.containers[("staff", None)]
        assert staff.is_expanded and tree.cursor_node is staff
        await pilot.press("right")
        await pilot.pause()
        assert tree.cursor_node is tree.nodes["staff1"]
        assert row_text(app) == "○ open — Staff question 1"
        await pilot.press("up", "space")  # space (and Enter) on a section close it too, the cursor stays
        await pilot.pause()
        assert not staff.is_expanded and tree.cursor_node is staff
        await pilot.press("enter")
        await pilot.pause()
        assert staff.is_expanded and tree.cursor_node is staff


async def test_the_tree_follows_the_question_into_another_section(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        tree = screen.nav
        for _ in range(3):
            await pilot.press("ctrl+n")  # present, long, long2, then the first question of Staff safety
        await pilot.pause()
        assert screen.current.qid == "staff1"
        assert tree.containers[("staff", None)].is_expanded
        assert not tree.containers[("context", None)].is_expanded  # the section left behind closes
        assert tree.cursor_node is tree.nodes["staff1"] and in_view(tree, tree.nodes["staff1"])
        await pilot.press("ctrl+p", *"question 24")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current.qid == "staff24"
        node = tree.nodes["staff24"]
        assert tree.cursor_node is node and in_view(tree, node)  # scrolled down to it
        assert tree.scroll_offset.y > 0
        await pilot.press("ctrl+p", *"partners")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.current.qid == "long2"
        assert tree.containers[("context", None)].is_expanded
        assert not tree.containers[("staff", None)].is_expanded
        assert tree.cursor_node is tree.nodes["long2"] and in_view(tree, tree.nodes["long2"])


def test_block_counts_read_in_the_plural():
    assert [count_of("risk", n) for n in (0, 1, 3)] == ["no risks yet", "1 risk", "3 risks"]
    assert plural("armed group", 2) == "armed groups"
    assert plural("group or network", 2) == "groups or networks"
    assert plural("sanctions regime", 5) == "sanctions regimes"
    assert plural("entity", 2) == "entities" and plural("day", 2) == "days"
    assert plural("match", 2) == "matches" and plural("actor", 1) == "actor"


async def test_the_tree_counts_risks_in_words(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.nav
        assert str(tree.containers[("risks", None)].label) == "Risk register (no risks yet)"
        await pilot.press("f6", *["down"] * 3, "f3", *"Fuel theft", "enter")
        await pilot.pause()
        assert str(tree.containers[("risks", None)].label) == "Risk register (1 risk)"
        await pilot.press("f3", *"Kidnap", "enter")
        await pilot.pause()
        assert str(tree.containers[("risks", None)].label) == "Risk register (2 risks)"
        await pilot.press("f6", "left", "left")  # on the block Kidnap
        await pilot.pause()
        assert row_text(app) == "Kidnap — risk in Risk register"
        await pilot.press("left")
        await pilot.pause()
        assert row_text(app) == "Risk register — 2 risks"
        await pilot.press("down", "down", "f8")  # the block Kidnap, removed: the tree is built again
        for _ in range(40):
            await pilot.pause(0.05)
            if getattr(app.focused, "id", None) == "no":
                break
        await pilot.press("tab", "enter")
        await pilot.pause()
        tree = app.screen.nav
        assert str(tree.containers[("risks", None)].label) == "Risk register (1 risk)"
        await pilot.press("f6")
        await pilot.pause()
        assert tree.cursor() is not None and row_text(app) == tree.describe(tree.cursor()).plain != ""


async def test_question_n_of_m_follows_a_condition(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.screen.current.qid == "present"
        assert where(app) == f"Context · question 1 of {QUESTIONS}"
        await pilot.press("down", "enter")  # yes: gold is shown
        await pilot.pause(0.4)
        assert where(app) == f"Context · question 1 of {QUESTIONS + 1}"
        await pilot.press("up", "enter")  # no: hidden again
        await pilot.pause(0.4)
        assert where(app) == f"Context · question 1 of {QUESTIONS}"
        await pilot.press("ctrl+n")
        assert where(app) == f"Context · question 2 of {QUESTIONS}"


async def palette_rows(app, pilot, query: str) -> list[str]:
    await pilot.press("ctrl+p", *query)
    await pilot.pause(0.6)
    rows = [str(o.prompt) for o in app.screen.query_one("CommandList").options]
    await pilot.press("escape")
    await pilot.pause()
    return rows


async def test_the_palette_lists_each_block_apart_and_finds_block_names_and_answers(out):
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6", *["down"] * 3, "f3", *"FPNK", "enter")
        await pilot.pause()
        await pilot.press("down", "enter")  # Violence in FPNK: High
        await pilot.pause()
        await pilot.press("f3", *"Front [north]", "enter")
        await pilot.pause()
        # one row per block, each named, the block's answer beside it; framework and planner text never markup
        assert sorted(await palette_rows(app, pilot, "violence")) == [
            "○ Violence — Front [north]\nRisk register › Front [north]",
            "✔ Violence — FPNK\nRisk register › FPNK · High",
        ]
        assert await palette_rows(app, pilot, "fpnk") == ["✔ Violence — FPNK\nRisk register › FPNK · High"]
        assert await palette_rows(app, pilot, "high violence") == ["✔ Violence — FPNK\nRisk register › FPNK · High"]
        assert len(await palette_rows(app, pilot, "staff safety")) == 24  # by section title
        await pilot.press("ctrl+p", *"north")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert screen.current.qid == "violence" and screen.session.block(screen.current.entity).name == "Front [north]"
        assert screen.nav.cursor_node is screen.nav.nodes[screen.current.key]


async def test_a_carried_answer_is_marked_after_its_status_and_the_line_below_says_so(out):
    # issue 17: the next period's answers copied from the last are marked until confirmed or changed
    text = out.read_text(encoding="utf-8").replace(
        "answers: {}",
        "answers:\n  present: {value: 'yes', carried: true}\n  long: {value: high, note: '[b]not markup[/b]', carried: true}",
    )
    out.write_text(text, encoding="utf-8")
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.screen.nav
        width = tree.size.width
        assert str(tree.nodes["present"].label) == "✔ ↻ Is gold smuggled through the area?"
        assert str(tree.nodes["long2"].label).startswith("○ How exposed")  # the marks stay in one column
        assert all(isinstance(node.label, Text) for node in tree.nodes.values())  # never markup
        await pilot.press("f6", "down", "down")  # present (shown), gold (shown by present's answer), long
        await pilot.pause()
        assert tree.cursor_node is tree.nodes["long"]
        assert row_text(app) == f"✔ answered, ↻ carried forward — review — {LONG}"
        await pilot.press("up", "up", "enter", "ctrl+k")  # present: confirmed as it is
        await pilot.pause()
        for _ in range(40):
            if str(tree.nodes["present"].label) == "✔ Is gold smuggled through the area?":
                break
            await pilot.pause(0.05)
        assert str(tree.nodes["present"].label) == "✔ Is gold smuggled through the area?"
        assert tree.size.width == width  # no layout shift: the tree keeps its width
        assert str(tree.nodes["long"].label).startswith("✔ ↻ How exposed")
