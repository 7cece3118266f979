"""Nothing a planner types in the app is lost or misplaced: markup-like text stays text, a typed date or number
is saved by every way out of its question, and keys typed ahead land in the question they were meant for."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_tui import FRAMEWORK

from assess.errors import MESSAGES
from assess.tui.app import AssessApp
from assess.yamlsafe import MAX_EXPONENT

from conftest import run_cli

MARKUP = "OIOS memo [/i] 2026 [b]x[/b] [@click=app.quit]y[/] [B2]"


@pytest.fixture
def out(tmp_path) -> Path:
    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    path = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(path), "--no-open", "--title", "Risk [/b] test [red]")
    assert r.returncode == 0, r.stderr
    return path


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


async def settle(pilot, seconds: float = 0.05) -> None:
    await pilot.pause(seconds)
    await pilot.pause()


async def wait_for(pilot, check, tries: int = 60) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def test_markup_like_text_in_every_field_is_saved_shown_and_reopened(out):
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        await pilot.press("f3", *MARKUP, "enter")  # a block named with markup
        await wait_for(pilot, lambda: app.screen.current is not None and app.screen.current.entity)
        await pilot.press("ctrl+r")  # a source with markup in its reference, graded B2
        await wait_for(pilot, lambda: bool(app.screen.query("#ref")))
        await pilot.press(*MARKUP, "enter", "enter", "down", "down", "enter", "enter", "down", "down", "enter")
        await pilot.press("enter")  # Enter on the last field (the credibility) adds
        await wait_for(pilot, lambda: app.screen is screen)
        block = saved(out)["entities"]["groups"][0]
        assert block["name"] == MARKUP
        assert block["answers"]["violence"]["sources"] == [{"ref": MARKUP, "reliability": "B", "credibility": 2}]
        shown = str(screen.query_one("#sources").get_option_at_index(0).prompt)
        assert shown == f"{MARKUP}  — B2 (mostly reliable; known personally to the source)"
        await pilot.press("ctrl+g")  # the first open question: present
        await settle(pilot)
        await pilot.press("ctrl+o")  # the summary draws the block's name in its gaps
        await settle(pilot, 0.2)
        await pilot.press("escape")
        await settle(pilot)
    # reopened: the start screen's recent list, the tree, the summary and the pane all draw the text as text
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, 0.2)
        assert type(app.screen).__name__ == "MainScreen"
        labels = [str(n.label) for n in app.screen.query_one("#nav").root.children[1].children]
        assert labels == [MARKUP]
        await pilot.press("ctrl+o")
        await settle(pilot, 0.2)
        assert type(app.screen).__name__ == "SummaryScreen"
    app = AssessApp(None)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, 0.2)
        recent = app.screen.query_one("#recent")
        assert str(recent.get_option_at_index(0).prompt) == str(out.resolve())


@pytest.mark.parametrize(
    "keys",
    [("ctrl+n",), ("ctrl+b",), ("ctrl+g",), ("ctrl+o",), ("f6", "up", "enter"), ("ctrl+q",)],
    ids=["next", "previous", "next-open", "summary", "tree", "quit"],
)
async def test_a_typed_date_is_saved_by_every_way_out(out, keys):
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # present -> routes -> seizures -> cutoff (gold hidden)
        assert app.screen.current.qid == "cutoff"
        await pilot.press(*"2026-10-31", *keys)  # no Enter, no Tab: straight out
        await settle(pilot)
    assert saved(out)["answers"]["cutoff"]["value"] == "2026-10-31"


async def test_a_typed_number_that_cannot_be_saved_keeps_the_planner_there_with_the_reason(out):
    app = AssessApp(out)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("ctrl+n", "ctrl+n")
        assert app.screen.current.qid == "seizures"
        await pilot.press(*"9000", "ctrl+n")
        await settle(pilot)
        assert app.screen.current.qid == "seizures"  # not moved on
        assert app.screen.query_one("#answer").value == "9000"  # the text stays
        assert (
            str(app.screen.query_one("#answer-error").content)
            == "9000 is outside 0..500. Not saved: the file keeps no answer."
        )
        last = [n.message for n in app._notifications][-1]
        assert last == "9000 is outside 0..500. Not saved: correct it, or clear it to move on."
        await pilot.press("ctrl+q")  # the first ctrl+q shows why; the planner stays
        await settle(pilot)
        assert app.is_running
        assert [n.message for n in app._notifications][-1] == (
            "9000 is outside 0..500. Not saved: correct it, or press ctrl+q again to quit without it."
        )
        await pilot.press("ctrl+q")  # a second one leaves without it
        await settle(pilot)
    assert "seizures" not in (saved(out).get("answers") or {})


async def test_keys_typed_ahead_across_ctrl_n_land_in_their_own_question(out):
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        # one burst, no pause: yes to 'present'; next; the second route; next; a number; next; a date; next
        await pilot.press(
            "down", "enter", "ctrl+n", "ctrl+n", "down", "space", "ctrl+n", *"12", "ctrl+n", *"2026-01-02", "ctrl+n"
        )
        await settle(pilot, 0.3)
    answers = saved(out)["answers"]
    assert answers["present"]["value"] == "yes"
    assert "gold" not in answers  # the ctrl+n after 'present' went to gold, which needs no answer to move on
    assert answers["routes"]["value"] == ["river"]
    assert answers["seizures"]["value"] == 12
    assert answers["cutoff"]["value"] == "2026-01-02"


async def test_a_huge_number_typed_is_refused_at_once_not_frozen_on(out):
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n", *"1e999999999", "enter")
        await settle(pilot)
        shown = MESSAGES["E015"].format(text="1e999999999", limit=MAX_EXPONENT)  # the pane shows no place or code
        assert str(app.screen.query_one("#answer-error").content) == f"{shown} Not saved: the file keeps no answer."
    assert "seizures" not in (saved(out).get("answers") or {})


async def test_the_report_key_does_not_write_over_a_document_that_is_not_a_report(out):
    mine = out.with_suffix(".docx")
    mine.write_bytes(b"PK\x03\x04 the planner's own notes, not a report")
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+o")
        await settle(pilot, 0.2)
        await pilot.press("ctrl+r", "enter", "enter")  # the report dialog, its default path: beside the file
        await settle(pilot, 0.3)
        shown = str(app.screen.query_one("#error-message").content)
    assert shown == (
        f"{mine} is not a report that 'assess report' wrote; it was left as it is: give another file name, or move "
        "it away"
    )
    assert mine.read_bytes() == b"PK\x03\x04 the planner's own notes, not a report"


async def test_markup_like_text_typed_in_the_new_assessment_form_note_and_text_answer_stays_text(tmp_path):
    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    target = tmp_path / "typed.yaml"
    app = AssessApp(None, frameworks=[fw])
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, 0.2)
        await pilot.press("end", "enter")  # the framework given on the command line is listed last
        await wait_for(pilot, lambda: bool(app.screen.query("#mission")))
        await pilot.press("end", *" [b]x[/b]", "tab", *MARKUP, "tab", *"[/] area", "tab", *"2026-H2", "tab")
        await pilot.press(*"[@click=app.quit]analyst[/]", "tab", "tab", "end", "ctrl+u", *str(target), "ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        screen = app.screen
        for _ in range(4):  # present -> routes -> seizures -> cutoff -> summary (a text answer); gold is hidden
            await pilot.press("ctrl+n")
        await settle(pilot)
        assert screen.current.qid == "summary"
        await pilot.press(*MARKUP, "ctrl+n")  # the text answer, saved on leaving
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
    data = saved(target)
    assert data["metadata"]["title"] == "Walkthrough check [b]x[/b]"
    assert data["metadata"]["mission"] == MARKUP
    assert data["metadata"]["area"] == "[/] area"
    assert data["metadata"]["analyst"] == "[@click=app.quit]analyst[/]"
    assert data["answers"]["summary"]["value"] == MARKUP
    app = AssessApp(target)  # and it opens again, the title drawn as text in the header
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, 0.2)
        assert type(app.screen).__name__ == "MainScreen"
        assert app.sub_title.startswith("Walkthrough check [b]x[/b] — typed.yaml")


async def test_a_question_that_cannot_be_drawn_says_so_and_the_app_and_file_stay(out, monkeypatch):
    from assess.tui.widgets.question import QuestionPane

    def broken(self):
        if self.q.id == "routes":
            raise ValueError("a widget refused its options")
        yield from original(self)

    original = QuestionPane.answer_widget
    monkeypatch.setattr(QuestionPane, "answer_widget", broken)
    app = AssessApp(out)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("ctrl+n")  # present -> routes, which cannot be drawn
        await settle(pilot, 0.2)
        assert app.screen.current.qid == "routes"
        assert str(app.screen.query_one("#answer").content) == (
            "This question cannot be shown (ValueError: a widget refused its options); the file is unchanged."
        )
        await pilot.press("ctrl+n", "ctrl+n", *"2026-03-04", "ctrl+n")  # the planner carries on past it
        await settle(pilot)
    assert saved(out)["answers"]["cutoff"]["value"] == "2026-03-04"
