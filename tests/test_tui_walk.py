"""The walk through the questions in the app: next and previous question stop at the ends and say so, and a
number question counting whole things refuses a decimal as it is typed, keeping the saved answer in the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_tui import FRAMEWORK

from assess.tui.app import AssessApp
from assess.tui.widgets.register import RegisterPane

from conftest import ROOT, run_cli

# seizures (0 to 500) counts whole seizures; rate (0 to 10.5) takes decimals
NUMBERS = FRAMEWORK.replace(
    "      - {id: cutoff,",
    "      - {id: rate, text: Seizures per month, type: number, min: 0, max: 10.5}\n      - {id: cutoff,",
)
LAST = (  # at the empty Armed groups' stop, after the last question (test_tui_blocks.py)
    "The end of the walk: 5 questions before this section. ctrl+b goes back, ctrl+g finds an open question, "
    "ctrl+o shows the summary."
)


def new(tmp_path: Path, framework: str) -> Path:
    fw = tmp_path / "walk.yaml"
    fw.write_text(framework, encoding="utf-8")
    out = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(out), "--no-open", "--title", "Walk")
    assert r.returncode == 0, r.stderr
    return out


def answers(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("answers") or {}


async def wait_for(pilot, check, tries: int = 60) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_next_at_the_last_question_stays_there_and_says_so(tmp_path):
    out = new(tmp_path, FRAMEWORK)
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        await pilot.pause()
        before = out.read_bytes()
        await pilot.press("ctrl+b")  # previous at the first question: stays, says so, writes nothing
        await pilot.pause(0.1)
        assert screen.current.qid == "present"
        assert messages(app) == ["First question: 1 of 5. ctrl+n goes on."]
        assert out.read_bytes() == before
        for _ in range(4):  # gold is hidden: present, routes, seizures, cutoff, summary
            await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.current.qid == "summary")
        assert "question 5 of 5" in str(screen.query_one(".where").content)
        await pilot.press(*"Convoys pay", "ctrl+n")  # the empty Armed groups' stop (test_tui_blocks.py), text saved
        await wait_for(pilot, lambda: screen.current is None and bool(screen.query(RegisterPane)))
        assert answers(out)["summary"]["value"] == "Convoys pay"
        await pilot.press("ctrl+n")  # next at the end of the walk: stays, says so
        await pilot.pause(0.1)
        assert screen.current is None and screen.query(RegisterPane)
        assert messages(app)[-1] == LAST
        await pilot.press("ctrl+n")  # again: still there, never back to question 1
        await pilot.pause(0.1)
        assert screen.current is None and screen.query(RegisterPane)
        assert messages(app)[-2:] == [LAST, LAST]
        await pilot.press("ctrl+b", "ctrl+b")  # previous still goes back
        await wait_for(pilot, lambda: screen.current is not None and screen.current.qid == "cutoff")
        await pilot.press("ctrl+g")  # next open question still wraps round to the first open one
        await wait_for(pilot, lambda: screen.current.qid == "present")


async def test_the_end_of_the_walk_names_remapped_keys(tmp_path):
    out = new(tmp_path, FRAMEWORK)
    app = AssessApp(out, keymap={"assess.previous": "ctrl+p", "assess.summary": "f9"})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(6):  # the last question, then the empty Armed groups' stop, then the end
            await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: bool(app._notifications))
        assert app.screen.current is None
        assert messages(app) == [
            "The end of the walk: 5 questions before this section. ctrl+p goes back, ctrl+g finds an open question, "
            "f9 shows the summary."
        ]


async def test_a_count_refuses_a_decimal_as_typed_and_the_file_keeps_the_saved_answer(tmp_path):
    out = new(tmp_path, NUMBERS)
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_for(pilot, lambda: screen.current.qid == "seizures")
        assert screen.query_one("#answer").placeholder == "a whole number (0 to 500)"
        await pilot.press(*"2.5")  # refused as typed, before enter
        await pilot.pause()
        error = screen.query_one("#answer-error")
        refusal = "2.5 is not a whole number: type a whole number of items."
        assert str(error.content) == f"{refusal} Not saved: the file keeps no answer."
        await pilot.press("enter")
        await pilot.pause()
        assert "seizures" not in answers(out)
        await pilot.press("ctrl+u", "3", "enter")  # a whole number is saved
        await wait_for(pilot, lambda: answers(out).get("seizures", {}).get("value") == 3)
        await pilot.pause()
        field, error = screen.query_one("#answer"), screen.query_one("#answer-error")  # the pane is drawn anew
        assert str(error.content) == ""
        saved = out.read_bytes()
        await pilot.press("ctrl+u", *"2.5", "tab")  # invalid again, and the field left
        await pilot.pause(0.1)
        assert field.value == "2.5"  # the invalid value stays visible with its message
        assert str(error.content) == f"{refusal} Not saved: the file keeps 3."
        assert out.read_bytes() == saved  # the file keeps the old value
        await pilot.press("ctrl+n")  # leaving is refused, the value and message still shown
        await pilot.pause(0.1)
        assert screen.current.qid == "seizures" and field.value == "2.5"
        assert str(error.content) == f"{refusal} Not saved: the file keeps 3."
        assert messages(app) == [f"{refusal} Not saved: correct it, or clear it to move on."]
        assert not any("saved" in m.lower().replace("not saved", "") for m in messages(app))
        assert out.read_bytes() == saved
        field.focus()
        await pilot.press("ctrl+u", "7", "ctrl+n")  # corrected: saved on the way out
        await wait_for(pilot, lambda: screen.current.qid == "rate")
        assert answers(out)["seizures"]["value"] == 7
        assert screen.query_one("#answer").placeholder == "a number (0 to 10.5)"
        await pilot.press(*"2.5", "enter")  # a question with a decimal bound takes decimals
        await pilot.pause()
        assert str(screen.query_one("#answer-error").content) == ""
        assert answers(out)["rate"]["value"] == 2.5


@pytest.mark.parametrize("typed", ["abc", "900"])
async def test_any_refused_number_says_it_is_not_saved_at_the_field(tmp_path, typed):
    out = new(tmp_path, NUMBERS)
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_for(pilot, lambda: app.screen.current.qid == "seizures")
        await pilot.press(*typed)
        await pilot.pause()
        why = "'abc' is not a number." if typed == "abc" else "900 is outside 0..500."
        assert str(app.screen.query_one("#answer-error").content) == f"{why} Not saved: the file keeps no answer."
        assert "seizures" not in answers(out)


async def test_a_decimal_already_in_the_file_is_kept_and_does_not_hold_the_planner(tmp_path):
    out = new(tmp_path, NUMBERS)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    data["answers"] = {"seizures": {"value": 12.5}}  # written before the question counted whole seizures
    out.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    app = AssessApp(out)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("ctrl+n", "ctrl+n")
        await wait_for(pilot, lambda: app.screen.current.qid == "seizures")
        assert app.screen.query_one("#answer").value == "12.5"
        assert str(app.screen.query_one("#answer-error").content) == ""
        await pilot.press("ctrl+n")  # moving on is not refused, and the answer is left as the file holds it
        await wait_for(pilot, lambda: app.screen.current.qid == "rate")
        assert messages(app) == []
        assert answers(out)["seizures"]["value"] == 12.5


def test_only_questions_the_framework_says_count_whole_things_refuse_decimals():
    from assess.loader import load_framework
    from assess.tui.widgets.question import whole_numbers

    nexus, _ = load_framework(ROOT / "frameworks" / "crime-politics-nexus.yaml")
    assert not whole_numbers(nexus.questions["illicit_value_estimate"])  # USD 2.5 million is an estimate
    assert whole_numbers(nexus.questions["jud_cases_tried"])  # cases are counted
    threat, _ = load_framework(ROOT / "frameworks" / "oc-threat.yaml")
    assert whole_numbers(threat.questions["active_groups_estimate"])
