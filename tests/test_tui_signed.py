"""Tests the app's signed report (issue 19): with $ASSESS_SIGNING_KEY set, the report the app writes is signed and its
notice says by whom; a key protected by a passphrase is asked for in a dialog that hides what is typed (unless
$ASSESS_KEY_PASSPHRASE is set); a wrong passphrase or a key of another mission writes nothing and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from assess.keyfiles import now, write_key_pair
from assess.pipeline import start_assessment
from assess.report.payload import load_signed_payload
from assess.signing import new_key
from assess.tui.app import AssessApp

LAKESIDE = Path(__file__).parent / "fixtures" / "lakeside.yaml"


@pytest.fixture
def out(tmp_path) -> Path:
    """A small assessment of mission MINUSKES."""
    path = tmp_path / "lake.yaml"
    start_assessment(LAKESIDE, path, {"title": "Lake check", "mission": "MINUSKES", "marking": "UN RESTRICTED"})
    return path


def key_file(folder: Path, mission: str = "MINUSKES", passphrase: bytes | None = None) -> tuple[Path, str]:
    """A key file as 'assess key new' writes it, and its fingerprint."""
    key = new_key(mission, now())
    return write_key_pair(key, folder, passphrase)[0], key.public.fingerprint


async def wait_for(pilot, check, tries: int = 2400) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def on(app, name: str):
    """A check that the app shows the named screen, its buttons laid out."""
    return lambda: type(app.screen).__name__ == name and app.screen.query("Button")


async def render(pilot) -> None:
    """The summary, then ctrl+r, the default report path and no plan, then Render."""
    app = pilot.app
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
    await pilot.pause()
    await pilot.press("ctrl+r")
    await wait_for(pilot, on(app, "ReportDialog"))
    await pilot.press("enter", "enter")


async def test_the_report_is_signed_with_assess_signing_key_and_the_notice_says_by_whom(out, tmp_path, monkeypatch):
    key, fp = key_file(tmp_path / "keys")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(key))
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "WrittenDialog"))
        assert str(app.screen.query_one("#written-signed").content) == f"Signed by MINUSKES · key {fp}"
        assert str(app.screen.query_one("#written-files").content) == f"Report: {out.with_suffix('.docx')}"
    signature = load_signed_payload(out.with_suffix(".docx"))[2]
    assert signature is not None and (signature.mission, signature.fingerprint) == ("MINUSKES", fp)


async def test_without_a_signing_key_the_report_is_unsigned_and_the_notice_says_nothing_of_it(out):
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "WrittenDialog"))
        assert not app.screen.query("#written-signed")
    assert load_signed_payload(out.with_suffix(".docx"))[2] is None


async def test_a_key_with_a_passphrase_is_asked_for_it_in_a_dialog_that_hides_it(out, tmp_path, monkeypatch):
    key, fp = key_file(tmp_path / "keys", passphrase=b"correct horse")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(key))
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "PassphraseDialog"))
        field = app.screen.query_one("#passphrase", Input)
        assert field.password and app.focused is field
        assert str(app.screen.query_one("#passphrase-key").content) == (
            f"The report is signed with {key} ($ASSESS_SIGNING_KEY), which a passphrase protects."
        )
        await pilot.press("enter")  # nothing typed: the dialog stays
        assert type(app.screen).__name__ == "PassphraseDialog" and not out.with_suffix(".docx").exists()
        await pilot.press(*"correct horse", "enter")
        await wait_for(pilot, on(app, "WrittenDialog"))
        assert str(app.screen.query_one("#written-signed").content) == f"Signed by MINUSKES · key {fp}"
    assert load_signed_payload(out.with_suffix(".docx"))[2].fingerprint == fp


async def test_a_wrong_passphrase_is_said_and_nothing_is_written(out, tmp_path, monkeypatch):
    key, _fp = key_file(tmp_path / "keys", passphrase=b"correct horse")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(key))
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "PassphraseDialog"))
        await pilot.press(*"wrong horse", "enter")
        await wait_for(pilot, on(app, "ErrorDialog"))
        assert str(app.screen.query_one("#error-message").content) == (
            f"{key}: Wrong passphrase for this key; give the passphrase the key was made with "
            "(ASSESS_KEY_PASSPHRASE, or typed when asked) [E540]"
        )
    assert not out.with_suffix(".docx").exists()


async def test_cancelling_the_passphrase_writes_nothing(out, tmp_path, monkeypatch):
    key, _fp = key_file(tmp_path / "keys", passphrase=b"correct horse")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(key))
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "PassphraseDialog"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SummaryScreen")
        await pilot.pause(0.5)
    assert not out.with_suffix(".docx").exists()


async def test_assess_key_passphrase_opens_the_key_without_asking(out, tmp_path, monkeypatch):
    key, fp = key_file(tmp_path / "keys", passphrase=b"correct horse")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(key))
    monkeypatch.setenv("ASSESS_KEY_PASSPHRASE", "correct horse")
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "WrittenDialog"))
        assert str(app.screen.query_one("#written-signed").content) == f"Signed by MINUSKES · key {fp}"


async def test_a_key_of_another_mission_writes_nothing_and_says_why(out, tmp_path, monkeypatch):
    key, _fp = key_file(tmp_path / "keys", mission="UNIMVA")
    monkeypatch.setenv("ASSESS_SIGNING_KEY", str(key))
    app = AssessApp(out)
    async with app.run_test(size=(100, 30)) as pilot:
        await render(pilot)
        await wait_for(pilot, on(app, "ErrorDialog"))
        shown = str(app.screen.query_one("#error-message").content)
        assert "The key was made for mission 'UNIMVA', but the answers name mission 'MINUSKES'" in shown
        assert shown.endswith("[E545]")
    assert not out.with_suffix(".docx").exists()
