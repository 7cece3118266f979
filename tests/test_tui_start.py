"""The app's start in a real terminal (tmux, a fresh interpreter): the status line's headline, whose import waits
until the first frame is on the terminal, still follows it; and the start screen's next period from an earlier
assessment (issue 17), under the pilot."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from test_tui import FRAMEWORK
from test_tui_terminal import Tmux, answers  # noqa: F401  (answers: the fixture, a new answers file of 'Walk')

from assess.loader import load_framework
from assess.tui.app import AssessApp
from assess.tui.screens.start import NextPeriodScreen

from conftest import ROOT, run_cli


def test_the_headline_follows_the_first_frame_in_a_real_terminal(answers, tmp_path):  # noqa: F811
    env = f"XDG_STATE_HOME={tmp_path / 'state'} XDG_CACHE_HOME={tmp_path / 'cache'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess open {answers}")
    try:
        shown = term.wait_for("question 1 of")
        status = term.wait_for("not yet rated").splitlines()[0].strip()  # the headline, imported after the frame
        assert status.startswith("0/") and "not yet rated" in status, (status, shown)
        term.keys("C-q")
    finally:
        term.close()


# ---------------------------------------------------------------- the next period, from the start screen (issue 17)
async def wait_for(pilot, check, tries: int = 200) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_the_next_period_starts_from_an_earlier_assessment_on_the_start_screen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "walk.yaml").write_text(FRAMEWORK, encoding="utf-8")
    last = tmp_path / "walk.2026-H1.answers.yaml"
    fw, title = str(tmp_path / "walk.yaml"), "Walk 2026-H1"
    r = run_cli("new", fw, "-o", str(last), "--no-open", "--title", title, "--period", "2026-H1")
    assert r.returncode == 0, r.stderr
    data = yaml.safe_load(last.read_text(encoding="utf-8"))
    data["answers"] = {"present": {"value": "yes"}, "gold": {"value": "high", "note": "Two routes"}}
    last.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    before = last.read_bytes()
    app = AssessApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, NextPeriodScreen) and app.focused is not None)
        assert app.focused.id == "earlier"
        await pilot.press(*last.name, "enter", *"2026-H1", "enter")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "file")
        assert shown(app, "#earlier-info") == "walk 1.0.0 — Walk 2026-H1, period 2026-H1"
        assert shown(app, "#target") == f"Already there: {last.resolve()}; choose another name."  # its own period
        app.screen.query_one("#file").value = "other.yaml"
        await pilot.press("ctrl+s")  # the last one's own period: refused, with the command line's reason
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorDialog")
        assert "[E802]" in shown(app, "#error-message")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, NextPeriodScreen))
        app.screen.query_one("#file").value = ""
        app.screen.query_one("#period").value = "2026-H2"
        await pilot.pause()
        assert app.screen.query_one("#file").value == "walk.2026-H2.answers.yaml"  # filled in until typed over
        assert shown(app, "#target") == f"Will be created: {tmp_path.resolve() / 'walk.2026-H2.answers.yaml'}"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.sub_title == "Walk 2026-H2 — walk.2026-H2.answers.yaml"
    assert last.read_bytes() == before
    new = yaml.safe_load((tmp_path / "walk.2026-H2.answers.yaml").read_text(encoding="utf-8"))
    assert new["answers"]["gold"] == {"value": "high", "carried": True, "note": "Two routes"}
    assert new["answers"]["present"]["carried"] is True
    assert new["metadata"]["period"] == "2026-H2" and new["predecessor"]["file"] == last.name
    assert new["predecessor"]["id"] == data["id"] and new["id"] != data["id"]
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == [
        "walk.2026-H1.answers.yaml",
        "walk.2026-H2.answers.yaml",
        "walk.yaml",
    ]


async def test_escape_on_the_next_period_form_asks_before_discarding_what_was_typed(tmp_path):
    app = AssessApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, NextPeriodScreen) and app.focused is not None)
        assert shown(app, "#target") == "Filled in once the earlier file and the period are typed; or type a name."
        await pilot.press(*"x.yaml", "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("enter")  # Cancel, focused: back to the form, the text kept
        await wait_for(pilot, lambda: isinstance(app.screen, NextPeriodScreen))
        assert app.screen.query_one("#earlier").value == "x.yaml"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
        await pilot.press("shift+tab", "enter")  # Discard
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
    assert not list(tmp_path.iterdir())


async def test_the_next_period_from_answers_on_an_older_version_says_they_are_migrated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    example = ROOT / "frameworks/examples/previous-period/mission-risk.2026-H1.answers.yaml"
    last = tmp_path / example.name  # made on mission-risk 1.1.0, which 2.0.0 migrates (the framework is 2.0.1 now)
    current = load_framework(ROOT / "frameworks" / "mission-risk.yaml")[0].version
    last.write_bytes(example.read_bytes())
    app = AssessApp(None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: isinstance(app.screen, NextPeriodScreen) and app.focused is not None)
        await pilot.press(*last.name, "enter", *"2026-H2")
        will = f"Made on mission-risk 1.1.0: its answers will be migrated to {current} — 2 moved, 1 kept aside (listed"
        await wait_for(pilot, lambda: will in shown(app, "#earlier-info"))
        assert shown(app, "#earlier-info").startswith("mission-risk 1.1.0 — ")  # what it is, then what happens
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        said = [str(n.message) for n in app._notifications]
        were = f"Made on mission-risk 1.1.0: its answers were migrated to {current} — 2 moved, 1 kept aside (listed in"
        assert any(n.startswith(were) for n in said), said  # never silent
        # a next period's planner works through the answers to review: at 80 columns the count stays on the line
        status = str(app.screen.query_one("#status").content)
        review = app.session.carried_count()
        assert review > 100 and f"{review} to review" in status and "▲worse" in status, status
    new = yaml.safe_load((tmp_path / "mission-risk.2026-H2.answers.yaml").read_text(encoding="utf-8"))
    assert new["framework"]["version"] == current and [k["id"] for k in new["kept_aside"]] == ["open_investigations"]
    assert last.read_bytes() == example.read_bytes()
