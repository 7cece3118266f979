"""The next period in the app at 80x24 (issue 17): answers carried forward marked ↻ in the tree and 'carried forward —
review' under the question until confirmed (ctrl+k) or changed; F7 lists the last period's actions, each with a
status and a note saved at once; undo takes either back."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_session_carried import carried_file
from textual.widgets import Input, Select, Static

from assess.model import FollowUp, Predecessor
from assess.tui.app import AssessApp
from assess.tui.screens.followup import FollowUpScreen, follow_up_head, tally
from assess.tui.widgets.nav import CARRIED_MARK


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


async def wait_for(pilot, check, tries: int = 80) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


@pytest.fixture
def path(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("ASSESS_KEYS", str(tmp_path / "no-keys.yaml"))
    return carried_file(tmp_path)


def tree_label(app, key: str) -> str:
    return str(app.screen.nav.nodes[key].label)


def notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_carried_answers_are_marked_and_ctrl_k_confirms_the_one_shown(path):
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.current.qid == "present"
        assert tree_label(app, "present") == f"✔ {CARRIED_MARK} Is gold smuggled through the area?"
        assert tree_label(app, "cutoff") == "✔ Information cut-off"  # not carried: no mark
        assert "carried forward — review (ctrl+k confirms)" in str(screen.query_one("#carried", Static).content)
        assert "4 to review" in str(screen.query_one("#status").content)
        await pilot.press("ctrl+k")
        await wait_for(pilot, lambda: "carried" not in saved(path)["answers"]["present"])
        assert saved(path)["answers"]["present"] == {"value": "yes", "at": "2026-11-01T10:00:00Z"}
        assert saved(path)["answers"]["gold"]["carried"] is True  # the others wait for their review
        await wait_for(pilot, lambda: tree_label(app, "present") == "✔ Is gold smuggled through the area?")
        assert not screen.query("#carried")
        assert any("Confirmed as it is: Is gold smuggled" in n and "3 more" in n for n in notices(app))
        assert "3 to review" in str(screen.query_one("#status").content)
        await pilot.press("ctrl+z")  # undone like any change: the mark is back
        await wait_for(pilot, lambda: saved(path)["answers"]["present"].get("carried") is True)
        await wait_for(pilot, lambda: bool(screen.query("#carried")))
        assert tree_label(app, "present").startswith(f"✔ {CARRIED_MARK} ")
        assert any("back to carried forward — review" in n for n in notices(app))


async def test_a_change_clears_the_mark_and_ctrl_k_elsewhere_is_the_fields_own(path):
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await pilot.press("ctrl+n")  # gold: High, carried
        await wait_for(pilot, lambda: screen.current.qid == "gold")
        await pilot.press("up", "enter")  # Medium
        await wait_for(pilot, lambda: saved(path)["answers"]["gold"]["value"] == "medium")
        assert "carried" not in saved(path)["answers"]["gold"]
        await wait_for(pilot, lambda: not screen.query("#carried"))
        await wait_for(pilot, lambda: CARRIED_MARK not in tree_label(app, "gold"))
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")  # routes, seizures, cutoff (not carried)
        await wait_for(pilot, lambda: screen.current.qid == "cutoff")
        answer = screen.query_one("#answer", Input)
        answer.cursor_position = 4
        before = path.read_bytes()
        await pilot.press("ctrl+k")  # not carried: the field's own key (delete to the end)
        await wait_for(pilot, lambda: answer.value == "2026")
        assert path.read_bytes() == before


async def test_f7_sets_a_status_and_a_note_saved_at_once(path):
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        screen = app.screen
        head = str(screen.query_one("#follow-up-head", Static).content)
        assert head == "Follow-up of the last period's actions of 2026-H2: 0 of 2 done, 1 in progress, 1 not started"
        text = str(screen.query(".action").first(Static).content)
        assert "1. High — Brief the mission leadership on the gold routes" in text
        assert "For: Markets · Addressee: JMAC · Recommended: 2026-H2" in text
        assert app.focused is screen.query_one("#status-0", Select)
        await pilot.press("enter", "down", "down", "enter")  # Not started -> Done
        await wait_for(pilot, lambda: saved(path)["follow_up"][0]["status"] == "done")
        await pilot.press("tab", *"Briefed on 8 January", "enter")
        await wait_for(pilot, lambda: saved(path)["follow_up"][0].get("note") == "Briefed on 8 January")
        item = saved(path)["follow_up"][0]
        assert item["at"] and item["action"] == "Brief the mission leadership on the gold routes"
        assert app.focused is screen.query_one("#status-1", Select)  # Enter went on to the next action
        assert "1 of 2 done" in str(screen.query_one("#follow-up-head", Static).content)
        await pilot.press("ctrl+z")  # the note undone, here too
        await wait_for(pilot, lambda: "note" not in saved(path)["follow_up"][0])
        assert screen.query_one("#note-0", Input).value == ""
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, FollowUpScreen))
        assert saved(path)["follow_up"][0]["status"] == "done"
        assert saved(path)["answers"]["gold"]["carried"] is True  # the answers as they were


async def test_f7_without_follow_up_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = carried_file(tmp_path)
    data = saved(path)
    del data["follow_up"]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await wait_for(pilot, lambda: any("No actions to follow up" in n for n in notices(app)))
        assert not isinstance(app.screen, FollowUpScreen)


def test_tally_counts_each_status_and_leaves_out_none():
    items = [FollowUp("r", "a", status=s) for s in ("done", "done", "in_progress", "dropped", "not_started")]
    assert tally(items) == "2 of 5 done, 1 in progress, 1 dropped, 1 not started"
    assert tally(items[:2]) == "2 of 2 done"


async def test_f7_names_the_period_the_actions_come_from(path):
    data = saved(path)  # continues 2026-H2; its second action open since 2026-H1
    data["follow_up"][1]["period"] = "2026-H1"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        head = str(app.screen.query_one("#follow-up-head", Static).content)
        assert head == "Follow-up of the actions of earlier periods: 0 of 2 done, 1 in progress, 1 not started"
        rows = [str(s.content) for s in app.screen.query(".action").results(Static)]
        assert "Recommended: 2026-H2" in rows[0] and "Recommended: 2026-H1" in rows[1]  # each says its own


def test_the_heading_names_the_period_the_file_continues():
    last = Predecessor("p", period="2026-H2")
    of = [FollowUp("r", "a", period="2026-H2"), FollowUp("s", "b", period="2026-H2")]
    assert follow_up_head(of, last).startswith("Follow-up of the last period's actions of 2026-H2: ")
    assert follow_up_head(of[:1] + [FollowUp("t", "c", period="2026-H1")], last).startswith(
        "Follow-up of the actions of earlier periods: "
    )
    only_older = [FollowUp("t", "c", period="2026-H1")]  # the last plan had none: one still open from before
    assert follow_up_head(only_older, last).startswith("Follow-up of the actions of 2026-H1: ")
    assert follow_up_head([FollowUp("r", "a")], last).startswith("Follow-up of the last period's actions of 2026-H2")
    assert follow_up_head([FollowUp("r", "a", period="2026-H1")], None).startswith(
        "Follow-up of the last period's actions of 2026-H1"
    )
