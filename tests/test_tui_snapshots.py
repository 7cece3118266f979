"""Snapshot tests: the main screens at 80x24 and 120x40, after pressing keys (Textual is pinned exactly). They draw
the fixture framework in tests/fixtures, never a bundled one, so that a framework release changes no snapshot."""

from __future__ import annotations

import pytest

from conftest import ROOT

APP = ROOT / "tests" / "snapshot_app.py"


def _press_and_settle(*keys: str):
    """Press keys, then let the app finish laying out and scrolling before the picture is taken (under load a
    picture taken one refresh early differs)."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_main_screen(snap_compare, lakeside, size):
    assert snap_compare(APP, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_question_inside_a_group_block(snap_compare, lakeside, size):
    assert snap_compare(APP, terminal_size=size, run_before=_press_and_settle("ctrl+g"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_summary_screen(snap_compare, lakeside, size):
    assert snap_compare(APP, terminal_size=size, run_before=_press_and_settle("ctrl+o"))


def test_start_screen(snap_compare, tmp_path, monkeypatch):
    monkeypatch.delenv("ASSESS_SNAPSHOT_ANSWERS", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert snap_compare(APP, terminal_size=(80, 24))
