"""Tests the planner's app with Textual's pilot: keys only, every answer saved at once, conditions live,
entity blocks, resume, refusal of a second writer, errors in a dialog."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
import yaml

from assess.answers import Store
from assess.errors import problem
from assess.tui.app import AssessApp
from assess.tui.screens.blocks import here

from conftest import run_cli

FRAMEWORK = """\
id: walk
version: 1.0.0
title: Walkthrough check
grading: 4x4
defaults: {confidence: true}
scales:
  lvl:
    options:
      - {value: low, label: Low, score: 1}
      - {value: medium, label: Medium, score: 2}
      - {value: high, label: High, score: 3}
      - {value: unknown, label: Unknown, unknown: true}
sections:
  - id: markets
    title: Markets
    questions:
      - {id: present, text: Is gold smuggled through the area?, type: yesno, scale: yesno_unknown, scored: false, guidance: "Look at **panel of experts** reports."}
      - {id: gold, text: How large is gold smuggling?, type: scale, scale: lvl, show_if: "present == 'yes'", required: true}
      - {id: routes, text: Which routes are used?, type: multiple, scored: false, options: [{value: road}, {value: river}, {value: air}]}
      - {id: seizures, text: Seizures last year, type: number, min: 0, max: 500, integer: true}
      - {id: cutoff, text: Information cut-off, type: date}
      - {id: summary, text: Summary, type: text, confidence: false}
  - id: groups
    title: Armed groups
    repeat: {label: group, rank_by: groups}
    questions:
      - {id: violence, text: Violence, type: scale, scale: lvl}
"""


@pytest.fixture
def files(tmp_path):
    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    out = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(out), "--no-open", "--title", "Walk")
    assert r.returncode == 0, r.stderr
    return fw, out


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


async def test_fill_a_whole_framework_with_keys_only_each_answer_saved_at_once(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert screen.current.qid == "present"
        await pilot.press("down", "enter")  # options: No, Yes, Unknown
        await pilot.pause()
        assert saved(out)["answers"]["present"]["value"] == "yes"  # saved before the next key
        await pilot.press("ctrl+n")
        assert screen.current.qid == "gold"  # shown by its condition
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert saved(out)["answers"]["gold"]["value"] == "high"
        await pilot.press("ctrl+n", "space", "down", "space")
        await pilot.pause()
        assert saved(out)["answers"]["routes"]["value"] == ["road", "river"]
        await pilot.press("ctrl+n", *"12", "enter")  # a count: whole numbers (12.5 is refused, test_tui_walk.py)
        await pilot.pause()
        assert saved(out)["answers"]["seizures"]["value"] == 12
        await pilot.press("ctrl+n", *"2026-10-31", "enter")
        await pilot.pause()
        assert saved(out)["answers"]["cutoff"]["value"] == "2026-10-31"
        await pilot.press("ctrl+n", *"Convoys pay & go")
        await pilot.press("ctrl+n")  # leaving the question saves what was typed
        await pilot.pause()
        assert saved(out)["answers"]["summary"]["value"] == "Convoys pay & go"
        await pilot.pause(0.3)  # scores and marks follow the saved answer a moment later
        assert str(app.screen.query_one("#status").content).startswith("6/6 done")
    data = saved(out)
    assert set(data["answers"]) == {"present", "gold", "routes", "seizures", "cutoff", "summary"}
    assert all(a["at"] for a in data["answers"].values())


async def test_bad_number_is_refused_with_a_message_and_not_saved(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(2):
            await pilot.press("ctrl+n")  # gold is hidden: present -> routes -> seizures
        assert app.screen.current.qid == "seizures"
        await pilot.press(*"900", "enter")
        await pilot.pause()
        assert (
            str(app.screen.query_one("#answer-error").content)
            == "900 is outside 0..500. Not saved: the file keeps no answer."
        )
        assert "seizures" not in (saved(out).get("answers") or {})


async def test_condition_toggles_a_question_live(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        hidden = screen.nav.nodes["gold"]
        assert str(hidden.label).startswith("⊘")
        await pilot.press("down", "enter")  # yes
        await pilot.pause(0.3)
        assert str(screen.nav.nodes["gold"].label).startswith("✖")  # now shown, required and open
        await pilot.press("up", "enter")  # no
        await pilot.pause(0.3)
        assert str(screen.nav.nodes["gold"].label).startswith("⊘")


async def test_add_answer_rename_and_remove_an_entity_block(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", *"Front A", "enter")
        await pilot.pause()
        data = saved(out)
        assert [e["name"] for e in data["entities"]["groups"]] == ["Front A"]
        assert app.screen.current.qid == "violence" and app.screen.current.entity
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert saved(out)["entities"]["groups"][0]["answers"]["violence"]["value"] == "high"
        await pilot.press("f2", "end", *" (north)", "enter")
        await pilot.pause()
        assert saved(out)["entities"]["groups"][0]["name"] == "Front A (north)"
        await pilot.press("f8")
        for _ in range(40):  # wait for the confirmation, its focus on Cancel
            await pilot.pause(0.05)
            if getattr(app.focused, "id", None) == "no":
                break
        assert str(app.screen.query_one("Static").content) == "Remove 'Front A (north)' and all its answers?"
        await pilot.press("tab", "enter")  # confirm: focus starts on Cancel, tab to Remove
        await pilot.pause()
        assert saved(out)["entities"]["groups"] == []


async def test_reopening_resumes_at_the_last_question(files):
    _, out = files
    before = out.read_bytes()
    async with AssessApp(out).run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")
        assert pilot.app.screen.current.qid == "cutoff"
    assert out.read_bytes() == before  # the place is kept in the user state folder, not in the file
    async with AssessApp(out).run_test(size=(80, 24)) as pilot:
        assert pilot.app.screen.current.qid == "cutoff"


async def test_second_instance_is_offered_read_only_and_changes_nothing(files):
    _, out = files
    expected = str(problem(str(out), None, "E312", path=out))
    with Store(out):
        before = out.read_bytes()
        app = AssessApp(out)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            shown = str(app.screen.query_one("#offer").content)
            assert shown.startswith(f"Another session holds this file:\n{out}\n(process {os.getpid()} on ")
            assert shown.endswith("\n\nOpen it read-only, to look without changing anything?")
            await pilot.press("enter")  # focus starts on "Open read-only": looking changes nothing
            await pilot.pause()
            screen = app.screen
            assert type(screen).__name__ == "MainScreen" and screen.session.read_only
            assert str(screen.query_one("#status").content).startswith("READ-ONLY · 0/5 done")
            assert screen.query_one("#answer").disabled
            await pilot.press("ctrl+n")  # looking around works
            assert screen.current.qid == "routes"
            await pilot.press("f3")  # changing does not
            await pilot.pause()
            await pilot.press("ctrl+o", "ctrl+r")  # nor does writing the report over the other session's
            await pilot.pause()
            assert [n.message for n in app._notifications] == [
                "Opened read-only: changes are made in the session that holds the file.",
                "Opened read-only: render the report in the session that holds the file.",
            ]
            assert not out.with_suffix(".docx").exists()
        assert out.read_bytes() == before  # not even the position moved
        r = run_cli("open", str(out))
        assert (r.returncode, r.stderr) == (1, f"{expected}\nto look at it: assess open --read-only {out}\n")


async def test_unreadable_answers_file_opens_a_dialog_with_the_command_line_message(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: assess-answers/1\nframework: [oops\n")
    app = AssessApp(bad)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        message = str(app.screen.query_one("#error-message").content)
    cli = run_cli("open", str(bad))
    assert cli.returncode == 1
    assert message == cli.stderr.strip()
    assert "Traceback" not in cli.stderr


async def test_summary_lists_gaps_that_jump_to_their_question(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # present = yes: gold becomes required and open
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "Required question not answered: How large is gold smuggling?" in str(
            app.screen.query_one("#gaps").get_option_at_index(1).prompt.renderable  # under its kind's heading
        )
        await pilot.press("tab", "enter")  # the summary starts on the scores
        await pilot.pause()
        assert app.screen.current.qid == "gold"


async def test_command_palette_jumps_to_a_question(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p", *"Seizures")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.current.qid == "seizures"


async def test_bindings_have_ids_and_can_be_remapped(files):
    _, out = files
    app = AssessApp(out, keymap={"assess.next": "ctrl+j"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+j")
        assert app.screen.current.qid == "routes"


def test_new_without_a_terminal_does_not_start_the_app(tmp_path):
    fw = tmp_path / "walk.yaml"
    fw.write_text(textwrap.dedent(FRAMEWORK))
    r = run_cli("new", str(fw), "-o", str(tmp_path / "x.yaml"))
    assert r.returncode == 0
    assert r.stdout.splitlines()[-1] == f"not a terminal: open it later with 'assess open {tmp_path / 'x.yaml'}'"


async def test_guidance_is_rendered_as_markdown_when_opened(files):
    _, out = files
    app = AssessApp(out)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("alt+g")  # the guidance's key opens it (its title is no tab stop while closed)
        for _ in range(40):  # the Markdown is mounted when the guidance opens
            await pilot.pause(0.05)
            if app.screen.query("#guidance Markdown"):
                break
        markdown = app.screen.query_one("#guidance Markdown")
        assert "panel of experts" in markdown.source


async def test_looking_at_questions_changes_no_answer(tmp_path):
    """Walking through every question of a filled-in assessment without touching a key that edits leaves
    every answer (its confidence, sources, note and time) exactly as it was (the place is kept outside the file)."""
    import shutil

    path = tmp_path / "sanctions.answers.yaml"
    shutil.copyfile(
        Path(__file__).resolve().parent.parent / "frameworks/examples/sanctions-coherence.answers.yaml", path
    )
    before = saved(path)
    app = AssessApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        first = app.screen.current
        seen = {first.key}
        for _ in range(200):
            at = here(app.screen)  # a question, or a repeatable section's stop (add another block)
            await pilot.press("ctrl+n")
            if here(app.screen) == at:  # the end of the walk: next stays there (test_tui_walk.py)
                break
            if app.screen.current is not None:
                seen.add(app.screen.current.key)
        await pilot.pause(0.3)
        visible = app.screen.session.visible_slots()
        assert len(seen) == len(visible)  # every question shown once
    after = saved(path)
    assert after["answers"] == before["answers"] and after.get("entities") == before.get("entities")
