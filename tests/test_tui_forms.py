"""Tests the app's forms as a planner meets them (issue 15, item 4): the new-assessment form, the assessment's details
edited later (F4, the palette), and the source dialog (add, grade meanings, discard asked, edit); pilot at 80x24."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml
from test_tui import FRAMEWORK
from textual import events

from assess.errors import AssessError, problem
from assess.session import Session, Slot
from assess.tui import app as app_module
from assess.tui.app import AssessApp, framework_choices
from assess.tui.screens.start import NewScreen

from conftest import ROOT, run_cli

SIZE = (80, 24)
APP = ROOT / "tests" / "snapshot_app.py"


class FormsApp(AssessApp):
    """The app with the start screen listing only the test's framework."""

    CSS_PATH = Path(app_module.__file__).parent / AssessApp.CSS_PATH  # Textual reads it beside the class's module

    def __init__(self, *args, listed: list[Path] | None = None, **kw):
        super().__init__(*args, **kw)
        self.listed = listed or []

    def framework_list(self):
        return framework_choices(self.listed)


@pytest.fixture
def fw(tmp_path) -> Path:
    path = tmp_path / "walk.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    return path


@pytest.fixture
def out(fw, tmp_path) -> Path:
    path = tmp_path / "a.yaml"
    r = run_cli("new", str(fw), "-o", str(path), "--no-open", "--title", "Walk", "--mission", "UNLAKE")
    assert r.returncode == 0, r.stderr
    return path


def saved(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


async def wait_for(pilot, check, tries: int = 80) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def burst(app, *keys: str) -> None:
    """Keys typed at once, as a terminal delivers a fast typist's keys: nothing waits for the app in between."""
    for key in keys:
        char = {"enter": "\r", "space": " "}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


def focused_id(app) -> str | None:
    return app.focused.id if app.focused is not None else None


def title(app) -> str:
    return app.screen.query_one("#title").value


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render()).strip()


# ---------------------------------------------------------------- the new-assessment form
async def test_keys_typed_right_after_enter_on_a_framework_land_in_the_title(fw, tmp_path):
    app = FormsApp(None, listed=[fw])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        burst(app, "enter", *"Gold 2026")  # Enter on the framework, then typing at once, before any redraw
        # the held keys land once the form is up; a loaded machine takes its time, so wait for them, not 0.2 s
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewScreen" and title(app) == "Gold 2026", 400)
        assert focused_id(app) == "title"
        assert title(app) == "Gold 2026"  # replaces the framework's title, selected
    assert not list(tmp_path.glob("*assessment*.yaml"))


async def test_a_framework_that_cannot_be_read_says_why_instead_of_opening_the_form(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nsections: [\n", encoding="utf-8")
    app = FormsApp(None, listed=[bad])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "(cannot be read) bad" in str(app.screen.query_one("#frameworks").get_option_at_index(0).prompt)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorDialog")
        assert text(app, "#error-message").startswith(str(bad))
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")


async def test_enter_moves_from_field_to_field_and_creates_nothing(fw, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = AssessApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewScreen(fw))
        await pilot.pause()
        order = [focused_id(app)]
        burst(app, *"Walk", "enter", *"UNLAKE", "enter")  # typed at once: what follows Enter lands in the next field
        await pilot.pause(0.3)
        order.append(focused_id(app))
        for typed in ("Lakeside", "2026-H2", "JMAC", ""):
            await pilot.press(*typed, "enter")
            order.append(focused_id(app))
        await pilot.press("enter")  # from 'Save as' to Create: still nothing created
        await pilot.pause()
        order.append(focused_id(app))
        assert order == ["title", "area", "period", "analyst", "marking", "file", "create"]
        values = {k: app.screen.query_one(f"#{k}").value for k in ("title", "mission", "area", "period", "analyst")}
        assert values == {
            "title": "Walk",
            "mission": "UNLAKE",
            "area": "Lakeside",
            "period": "2026-H2",
            "analyst": "JMAC",
        }
        assert type(app.screen).__name__ == "NewScreen"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.yaml"]
        await pilot.press("enter")  # Enter on Create creates
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    meta = saved(tmp_path / "walk-assessment.yaml")["metadata"]
    assert {k: meta.get(k) for k in (*values, "marking")} == {**values, "marking": "UN RESTRICTED"}


async def test_ctrl_s_creates_from_any_field_and_the_full_path_is_shown(fw, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = AssessApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewScreen(fw))
        await pilot.pause()
        assert text(app, "#target") == f"Will be created: {tmp_path.resolve() / 'walk-assessment.yaml'}"
        app.screen.query_one("#file").value = "gold.yaml"
        await pilot.pause()
        assert text(app, "#target") == f"Will be created: {tmp_path.resolve() / 'gold.yaml'}"
        app.screen.query_one("#file").value = "walk.yaml"  # a file that is there
        await pilot.pause()
        assert text(app, "#target") == f"Already there: {tmp_path.resolve() / 'walk.yaml'}; choose another name."
        app.screen.query_one("#file").value = "gold.yaml"
        await pilot.press(*"Gold", "enter", *"MINUSKA", "ctrl+s")  # ctrl+s in the mission field
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.sub_title == "Gold — gold.yaml"
    data = saved(tmp_path / "gold.yaml")
    assert {k: v for k, v in data["metadata"].items() if k not in ("created", "updated")} == {
        "title": "Gold",
        "mission": "MINUSKA",
        "marking": "UN RESTRICTED",
    }
    assert "  title: Gold\n  mission: MINUSKA\n" in (tmp_path / "gold.yaml").read_text(encoding="utf-8")


async def test_what_is_wrong_is_said_at_the_field_and_the_cursor_goes_there(fw, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = AssessApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewScreen(fw))
        await pilot.pause()
        screen = app.screen
        screen.query_one("#period").value = "second half"
        screen.query_one("#marking").value = ""
        screen.query_one("#file").value = "walk.yaml"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text(app, "#period-error") == (  # the app's words: no 'metadata.period:' field path
            "'second half' is not a period; write it as 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15, or leave it "
            "out [E323]"
        )
        assert problem("", None, "E323", value="second half").message.startswith("metadata.period: ")  # the CLI's
        assert text(app, "#marking-error") == "Fill in the marking."
        assert text(app, "#target") == f"Already there: {tmp_path.resolve() / 'walk.yaml'}; choose another name."
        assert not screen.query_one("#title-error").display
        assert focused_id(app) == "period"  # the first field to correct
        screen.query_one("#period").value = "2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not screen.query_one("#period-error").display and screen.query_one("#marking-error").display
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.yaml"]


async def test_the_line_under_save_as_says_what_create_would_say_and_errors_go_as_the_field_is_edited(
    fw, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    app = AssessApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await app.push_screen(NewScreen(fw))
        await pilot.pause()
        screen = app.screen
        target = screen.query_one("#target")
        sub = tmp_path.resolve() / "sub dir"
        for typed, said in (
            ("sub dir/kess2", "Save as a .yaml file, e.g. kess2.yaml."),
            (
                "sub dir/kess2.yaml",
                f"The folder {sub} does not exist; create it first, or choose a folder that exists.",
            ),
            (
                "walk.yaml/kess2.yaml",
                f"{tmp_path.resolve() / 'walk.yaml'} is not a folder; choose a folder that exists.",
            ),
        ):
            screen.query_one("#file").value = typed
            await pilot.pause()
            assert text(app, "#target") == said and target.has_class("error"), typed
            await pilot.press("ctrl+s")  # Create says the same, and creates nothing
            await pilot.pause(0.2)
            assert text(app, "#target") == said and focused_id(app) == "file", typed
            assert type(app.screen).__name__ == "NewScreen"
        sub.mkdir()
        screen.query_one("#file").value = "sub dir/kess2.yaml"
        await pilot.pause()
        assert text(app, "#target") == f"Will be created: {sub / 'kess2.yaml'}" and not target.has_class("error")
        screen.query_one("#title").value = ""
        await pilot.press("ctrl+s")
        await pilot.pause(0.2)
        assert text(app, "#title-error") == "Fill in the title." and focused_id(app) == "title"
        await pilot.press(*"K")  # the field edited: its error goes at once
        await pilot.pause()
        assert not screen.query_one("#title-error").display
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    assert saved(sub / "kess2.yaml")["metadata"]["title"] == "K"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub dir", "walk.yaml"]


async def test_escape_with_typed_text_asks_before_going_back(fw, tmp_path):
    app = FormsApp(None, listed=[fw])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewScreen")
        await pilot.press("escape")  # nothing typed: straight back
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "NewScreen")
        form = app.screen
        await pilot.press("enter", *"UNLAKE", "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        assert "Discard the new assessment's details?" in text(app, "Static")
        await pilot.press("escape")  # no: the form, with the text
        await pilot.pause()
        assert app.screen is form and form.query_one("#mission").value == "UNLAKE"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        app.screen.query_one("#yes").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")


def test_in_a_real_terminal_keys_typed_at_once_land_field_by_field_and_ctrl_s_creates(fw, tmp_path):
    from test_tui_terminal import Tmux

    folder = tmp_path / "team"
    folder.mkdir()
    shutil.copy(fw, folder / "walk.yaml")
    env = f"XDG_STATE_HOME={tmp_path / 'state'} XDG_DATA_HOME={tmp_path / 'data'} PYTHONPATH={ROOT}"
    term = Tmux(f"cd {tmp_path} && env {env} {sys.executable} -m assess start {folder}")
    try:
        term.wait_for("Walkthrough check 1.0.0")
        term.keys("End", "Enter", "Gold check", "Enter", "UNLAKE", "Enter")  # one burst, as a fast typist's
        shown = term.wait_for("Mission    UNLAKE")
        assert "Title *    Gold check" in shown
        path = f"Will be created: {tmp_path.resolve() / 'walk-assessment.yaml'}"
        assert "".join(path.split()) in "".join(shown.split())  # the long path wraps at 80 columns
        assert not (tmp_path / "walk-assessment.yaml").exists()  # Enter never creates
        term.keys("C-s")
        term.wait_for("question 1 of")
    finally:
        term.keys("C-q")
        term.close()
    assert saved(tmp_path / "walk-assessment.yaml")["metadata"]["mission"] == "UNLAKE"


# ---------------------------------------------------------------- the details edited later
async def test_f4_edits_the_details_and_nothing_else_in_the_file(out):
    app = AssessApp(out)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # an answer, so that the file holds more than its details
        await pilot.pause(0.5)
        before = out.read_text(encoding="utf-8")
        await pilot.press("f4")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MetadataScreen")
        values = {k: app.screen.query_one(f"#{k}").value for k in ("title", "mission", "area", "marking")}
        assert values == {"title": "Walk", "mission": "UNLAKE", "area": "", "marking": "UN RESTRICTED"}
        title = app.screen.query_one("#title")
        assert focused_id(app) == "title" and title.selection.is_empty and title.cursor_position == len("Walk")
        await pilot.press(*" check", "enter", "enter", *"Lakeside", "enter")  # a key typed replaces nothing
        await pilot.pause()
        assert focused_id(app) == "period" and out.read_text(encoding="utf-8") == before  # Enter saves nothing
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.sub_title == "Walk check — a.yaml"
        assert [n.message for n in app._notifications][-1] == "Assessment details saved."
    after = out.read_text(encoding="utf-8")
    old, new = yaml.safe_load(before), yaml.safe_load(after)
    assert new["metadata"]["title"] == "Walk check" and new["metadata"]["area"] == "Lakeside"
    assert new["metadata"]["updated"] != old["metadata"]["updated"]
    for data in (old, new):
        for key in ("title", "area", "updated"):
            data["metadata"].pop(key, None)
    assert new == old  # every other key and answer as it was
    answers_part = before[before.index("answers:") :]
    assert after.endswith(answers_part)  # the answers' lines byte for byte
    assert "  title: Walk check\n  mission: UNLAKE\n  area: Lakeside\n" in after


async def test_details_from_the_command_palette_and_escape_asks_before_discarding(out):
    before = out.read_bytes()
    app = AssessApp(out)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"details")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MetadataScreen")
        details = app.screen
        await pilot.press("escape")  # nothing changed: closes
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await pilot.press("f4")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MetadataScreen")
        details = app.screen
        await pilot.press("enter", "ctrl+u", "escape")  # the mission cleared, then escape
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        assert "Discard the changes to the assessment details?" in text(app, "Static")
        await pilot.press("enter")  # Cancel has the focus: an Enter by habit keeps the changes
        await pilot.pause()
        assert app.screen is details and details.query_one("#mission").value == ""
        details.query_one("#marking").value = " "
        await pilot.press("ctrl+s")  # refused at the field, nothing saved
        await pilot.pause()
        assert text(app, "#marking-error") == "Fill in the marking." and focused_id(app) == "marking"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        app.screen.query_one("#yes").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    assert out.read_bytes() == before


async def test_read_only_refuses_to_edit_the_details(out):
    out.chmod(0o444)
    before = out.read_bytes()
    app = AssessApp(out)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        assert app.screen.session.read_only
        await pilot.press("f4")
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "MainScreen"
        assert [n.message for n in app._notifications][-1] == (
            "Opened read-only: the file is read-only; make it writable to edit it."
        )
    assert out.read_bytes() == before
    out.chmod(0o644)
    session = Session.open(out, read_only=True)
    with pytest.raises(AssessError) as exc:
        session.set_metadata({"title": "Other"})
    assert [p.code for p in exc.value.problems] == ["E319"]
    assert session.answers.metadata["title"] == "Walk" and out.read_bytes() == before


def test_set_metadata_checks_as_the_file_is_and_changes_nothing_when_refused(out):
    before = out.read_bytes()
    session = Session.open(out)
    try:
        for values, code in (({"marking": ""}, "E322"), ({"period": "2026-H3"}, "E323"), ({"area": "a" * 501}, "E321")):
            with pytest.raises(AssessError) as exc:
                session.set_metadata(values)
            assert [p.code for p in exc.value.problems] == [code]
            assert out.read_bytes() == before
        assert session.set_metadata({"title": "Walk", "mission": "UNLAKE"}) is False  # as it was: not saved
        assert out.read_bytes() == before
        assert session.set_metadata({"mission": "", "period": "2026-Q3"}) is True
    finally:
        session.close()
    meta = saved(out)["metadata"]
    assert "mission" not in meta and meta["period"] == "2026-Q3"


# ---------------------------------------------------------------- the source dialog
async def open_source_dialog(app, pilot) -> None:
    await pilot.pause()
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "SourceDialog")


async def test_enter_moves_through_the_source_dialog_and_adds_on_the_last_field(out):
    app = AssessApp(out)
    async with app.run_test(size=SIZE) as pilot:
        await open_source_dialog(app, pilot)
        assert text(app, "#grade-meaning").startswith("Not graded yet")
        burst(app, *"JMAC", "enter", "enter")  # Enter moves to the reliability; the next opens its list
        await pilot.pause(0.3)
        await pilot.press("down", "down", "enter")  # B: the credibility is next
        await pilot.pause()
        assert focused_id(app) == "credibility"
        assert text(app, "#grade-meaning") == "B? — mostly reliable / credibility not graded"
        await pilot.press("enter", "2", "enter")  # typing a grade finds it in the list
        await pilot.pause()
        assert text(app, "#grade-meaning") == "B2 — mostly reliable / known personally to the source"
        assert type(app.screen).__name__ == "SourceDialog" and focused_id(app) == "credibility"
        assert saved(out)["answers"].get("present", {}).get("sources") is None  # nothing added yet
        await pilot.press("enter")  # Enter on the last field adds
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await pilot.pause(0.3)
    assert saved(out)["answers"]["present"]["sources"] == [{"ref": "JMAC", "reliability": "B", "credibility": 2}]


async def test_the_two_grade_lists_line_up_at_80x24_each_grade_on_one_line(out):
    app = AssessApp(out)
    async with app.run_test(size=SIZE) as pilot:
        await open_source_dialog(app, pilot)
        burst(app, *"JMAC", "enter", "enter")
        await pilot.pause(0.3)
        dialog = app.screen
        rel, cred = dialog.query_one("#reliability"), dialog.query_one("#credibility")
        offered = rel.query_one("SelectOverlay")  # Europol's four letters, X for a source that cannot be assessed
        assert [str(o.prompt) for o in offered.options] == [
            "Source reliability",  # the blank, as the list opens with none chosen
            "A: no doubt about the source",
            "B: mostly reliable",
            "C: mostly unreliable",
            "X: cannot be assessed",
        ]
        assert offered.region.height == len(offered.options) + 2 and offered.region.right <= 80
        await pilot.press("down", "down", "enter", "enter", "2")  # B, then the credibility's list opened on 2
        await pilot.pause(0.3)
        listed = cred.query_one("SelectOverlay")
        assert "2: known personally to the source" in [str(o.prompt) for o in listed.options]
        assert listed.region.height == len(listed.options) + 2  # a line per grade, none wrapped (and the border)
        await pilot.press("enter")
        await pilot.pause()
        assert (rel.region.height, cred.region.height) == (3, 3)  # the chosen grades on one line each, alike
        assert rel.region.width == cred.region.width and rel.region.right <= 80
        assert "B: mostly reliable" in str(rel.query_one("SelectCurrent Static").render())
        assert "2: known personally to the source" in str(cred.query_one("SelectCurrent Static").render())
        assert dialog.query_one("#add").region.bottom <= 23  # the buttons above the footer


async def test_cancel_and_escape_ask_before_discarding_a_typed_reference(out):
    before = out.read_bytes()
    app = AssessApp(out)
    async with app.run_test(size=SIZE) as pilot:
        await open_source_dialog(app, pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await open_source_dialog(app, pilot)
        dialog = app.screen
        await pilot.press(*"Radio intercept", "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        assert "Discard the source you typed?" in text(app, "Static")
        await pilot.press("escape")  # no: back to the dialog, the text kept
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#ref").value == "Radio intercept"
        dialog.query_one("#cancel").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        app.screen.query_one("#no").press()
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#ref").value == "Radio intercept"
        dialog.query_one("#cancel").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        app.screen.query_one("#yes").press()
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
    assert out.read_bytes() == before


async def test_a_source_is_edited_in_the_same_dialog_and_saved(out):
    session = Session.open(out)
    session.add_source(Slot("present"), "JMAC report 12", "B", "2")
    session.add_source(Slot("present"), "Radio", None, None)
    session.close()
    app = AssessApp(out)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.post_message(type(screen.pane()).EditSource(Slot("present"), 0))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SourceDialog")
        dialog = app.screen
        assert str(dialog.query_one(".dialog-title").render()) == "Edit source (4x4 grading)"
        assert str(dialog.query_one("#add").label) == "Save"
        assert dialog.query_one("#ref").value == "JMAC report 12"
        assert text(app, "#grade-meaning") == "B2 — mostly reliable / known personally to the source"
        await pilot.press("end", *", para 4", "enter")  # to the reliability, chosen already: Enter moves on
        await pilot.press("enter")
        await pilot.pause()
        assert focused_id(app) == "credibility"
        await pilot.press("down")  # opens the credibility's list, on 2
        await pilot.press("down", "enter", "enter")  # 3, then Enter on the last field saves
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        await pilot.pause(0.3)
        assert focused_id(app) == "sources" and app.focused.highlighted == 0  # back on the source edited
    sources = saved(out)["answers"]["present"]["sources"]
    assert sources == [
        {"ref": "JMAC report 12, para 4", "reliability": "B", "credibility": 3},
        {"ref": "Radio"},
    ]


# ---------------------------------------------------------------- snapshots


def _press(*keys: str):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause(0.3)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_new_assessment_form(snap_compare, tmp_path, monkeypatch, size):
    monkeypatch.delenv("ASSESS_SNAPSHOT_ANSWERS", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = Path("/tmp/assess-forms-snapshot")  # the full path under 'Save as' names it: the same at every run
    folder.mkdir(exist_ok=True)
    (folder / "lakeside-threat-assessment.yaml").unlink(missing_ok=True)
    monkeypatch.chdir(folder)
    assert snap_compare(APP, terminal_size=size, run_before=_press("enter", *"Lakeside 2026", "enter"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_source_dialog(snap_compare, lakeside, size):
    keys = ("ctrl+r", *"Panel of experts report", "enter", "enter", "down", "down", "enter")
    assert snap_compare(APP, terminal_size=size, run_before=_press(*keys))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_snapshot_details_dialog(snap_compare, lakeside, size):
    assert snap_compare(APP, terminal_size=size, run_before=_press("f4"))
