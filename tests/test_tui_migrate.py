"""Tests the app's offer on opening answers pinned to an older framework version (issue 17, item 4): what would change
for them, Migrate into a new file, Open read-only on the old version, Quit; and, with no declared way, the app
opening as before with its warning. Pilot at 80x24, frameworks written inline."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.geometry import Region

from assess.pipeline import default_migrated_name
from assess.tui.app import AssessApp
from assess.tui.screens.migrate import MigrateScreen

from conftest import run_cli

SIZE = (80, 24)

OLD = """\
id: pair
version: 1.0.0
title: Pair check
scales:
  lvl:
    options:
      - {value: none, label: None, score: 0}
      - {value: partial, label: Partial, score: 1}
      - {value: full, label: Full, score: 2}
sections:
  - id: s
    title: Controls
    questions:
      - {id: vendor_checks, text: Are vendors checked?, type: scale, scale: lvl}
      - {id: fuel, text: Is fuel controlled?, type: scale, scale: lvl}
      - {id: old_q, text: A question dropped later, type: text}
"""

NEW = """\
id: pair
version: 2.0.0
title: Pair check
scales:
  lvl:
    options:
      - {value: none, label: None, score: 0}
      - {value: ad_hoc, label: Ad hoc, score: 1}
      - {value: full, label: Full, score: 2}
sections:
  - id: s
    title: Controls
    questions:
      - {id: vendor_screening, text: 'Are vendors [b]screened[/b]?', type: scale, scale: lvl}
      - {id: fuel, text: Is fuel controlled?, type: scale, scale: lvl}
      - {id: lease, text: Are leases checked?, type: scale, scale: lvl}
migrations:
  - from: 1.0.0
    to: 2.0.0
    questions:
      vendor_screening: {renamed_from: vendor_checks, values: [{from: partial, to: ad_hoc}]}
      fuel: {values: [{from: partial, to: ad_hoc}]}
    removed:
      - {id: old_q, reason: Folded into vendor screening}
"""


def older_answers(tmp_path: Path, old: str, new: str) -> Path:
    """An answers file made on the framework old (pinned by path to pair.yaml), whose framework file is then
    replaced by new; old kept beside it as pair-1.0.0.yaml."""
    fw = tmp_path / "pair.yaml"
    fw.write_text(old, encoding="utf-8")
    path = tmp_path / "kessaria.answers.yaml"
    r = run_cli("new", str(fw), "-o", str(path), "--no-open", "--title", "Kessaria", "--period", "2026-H1")
    assert r.returncode == 0, r.stderr
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["answers"] = {
        "vendor_checks": {"value": "partial", "note": "Two vendors of five"},
        "fuel": {"value": "partial"},
        "old_q": {"value": "Kept by hand"},
    }
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (tmp_path / "pair-1.0.0.yaml").write_text(old, encoding="utf-8")
    fw.write_text(new, encoding="utf-8")
    return path


@pytest.fixture
def old_file(tmp_path) -> Path:
    """Answers made on pair 1.0.0, whose framework file is now 2.0.0 with a migrations block (see older_answers)."""
    return older_answers(tmp_path, OLD, NEW)


async def wait_for(pilot, check, tries: int = 200) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def drawn(widget) -> list[str]:
    """The lines a widget draws, as the terminal shows them (wrapped to its width)."""
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, *widget.size))]


def listing(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(tmp_path.iterdir()) if p.is_file()}


async def test_the_offer_says_what_changes_for_this_assessment_with_all_three_buttons_at_80x24(old_file):
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        screen = app.screen
        assert shown(app, "#migrate-title") == "This assessment was made on pair 1.0.0; this assess has 2.0.0"
        text = str(screen.query_one("#changes").content)
        lines = text.splitlines()
        assert "  → question vendor_screening: renamed from vendor_checks — invalidates answers (migrated)" in lines
        changed = "  ~ question vendor_screening: text: Are vendors checked? → Are vendors [b]screened[/b]? — text only"
        assert changed in lines  # framework text as written, never markup
        assert "  - option lvl/partial: removed: Partial — invalidates answers" in lines  # as assess diff says
        moves = lines[lines.index("How its answers move (2)") + 1 :][:2]  # the dry run's
        assert moves == [
            "  vendor_checks → vendor_screening (renamed; partial → ad_hoc)",
            "  fuel → fuel (remapped; partial → ad_hoc)",
        ]
        assert "  old_q: removed in 2.0.0: Folded into vendor screening" in lines  # kept aside, with the reason
        assert "kessaria.answers-2.0.0" not in text and "kessaria-2.0.0.answers.yaml" in shown(app, "#migrate-intro")
        assert not screen.query_one("#open-migrated").display  # no migrated file there yet
        buttons = {b.id: b for b in screen.query("#migrate-buttons Button")}
        assert [str(b.label) for b in buttons.values()] == [
            "Migrate into a new file",
            "Open read-only on 1.0.0",
            "Quit",
        ]
        for b in buttons.values():  # over SSH at 80x24, each button is on the screen whole
            r = b.region
            assert r.width and r.height and r.right <= SIZE[0] and r.bottom <= SIZE[1] - 1, (b.id, r)
        assert app.focused is buttons["migrate"]
        # at 80 columns an item too long for a line goes on under its words, never from column 0
        rows = drawn(screen.query_one("#changes"))
        at = rows.index("  ~ question vendor_screening: text: Are vendors checked? → Are vendors")
        assert rows[at + 1] == "    [b]screened[/b]? — text only", rows
        assert all(not r or r.startswith("  ") or not r[:1].islower() for r in rows), rows


async def test_migrate_writes_the_new_file_beside_it_and_opens_it(old_file, tmp_path):
    before = old_file.read_bytes()
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        out = tmp_path / "kessaria-2.0.0.answers.yaml"
        assert app.session is not None and app.session.path == out and not app.session.read_only
        assert app.sub_title == "Kessaria — kessaria-2.0.0.answers.yaml"
    assert old_file.read_bytes() == before  # the file migrated from stays as it was
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["framework"]["version"] == "2.0.0" and data["framework"]["path"] == "pair.yaml"
    assert data["answers"]["vendor_screening"] == {"value": "ad_hoc", "note": "Two vendors of five"}
    assert data["answers"]["fuel"]["value"] == "ad_hoc"
    assert "vendor_checks" not in data["answers"] and "old_q" not in data["answers"]
    kept = data["kept_aside"]
    assert [(k["id"], k["answer"]["value"], k["version"]) for k in kept] == [("old_q", "Kept by hand", "1.0.0")]
    assert data["history"][-1]["event"] == "migrated"


async def test_a_file_migrated_before_is_offered_to_open_and_migrate_writes_nothing_over_it(old_file, tmp_path):
    r = run_cli("migrate", str(old_file))  # migrated before, then the old file opened again
    assert r.returncode == 0, r.stderr
    out = default_migrated_name(old_file, "2.0.0")
    before = listing(tmp_path)
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        assert "kessaria-2.0.0.answers.yaml is already there" in shown(app, "#migrate-intro")
        opener = app.screen.query_one("#open-migrated")
        assert str(opener.label) == "Open kessaria-2.0.0.answers.yaml" and app.focused is opener
        r = opener.region
        assert r.width and r.right <= SIZE[0] and r.bottom <= SIZE[1] - 1, r  # on the screen whole at 80x24
        app.screen.query_one("#migrate").focus()
        await pilot.press("enter")  # Migrate anyway: never over the file there
        await wait_for(pilot, lambda: app.screen.query_one("#migrate-note").display)
        assert "[E311]" in shown(app, "#migrate-note") and "Nothing was written" in shown(app, "#migrate-note")
        assert listing(tmp_path) == before
        assert app.focused is opener  # back on Open
        await pilot.press("enter")  # the migrated file, opened to edit
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        assert app.session is not None and app.session.path == out and not app.session.read_only
        assert app.session.answers.answers["vendor_screening"].value == "ad_hoc"
        assert app.sub_title == "Kessaria — kessaria-2.0.0.answers.yaml"
    assert old_file.read_bytes() == before[old_file.name]


async def test_a_file_made_meanwhile_is_refused_then_offered_and_one_that_is_not_answers_is_said(old_file, tmp_path):
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        assert not app.screen.query_one("#open-migrated").display
        out = default_migrated_name(old_file, "2.0.0")
        out.write_text("mine\n", encoding="utf-8")  # made after the offer opened
        before = listing(tmp_path)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#migrate-note").display)
        assert "[E311]" in shown(app, "#migrate-note") and "Nothing was written" in shown(app, "#migrate-note")
        assert app.focused is app.screen.query_one("#open-migrated")
        await pilot.press("enter")  # not an answers file: said, and the offer stays
        await wait_for(pilot, lambda: "[E311]" not in shown(app, "#migrate-note"))
        assert isinstance(app.screen, MigrateScreen) and "[E" in shown(app, "#migrate-note")
    assert listing(tmp_path) == before


async def test_the_file_gone_since_the_offer_opened_is_said_plainly(old_file, tmp_path):
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        old_file.rename(tmp_path / "elsewhere.yaml")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#migrate-note").display)
        note = shown(app, "#migrate-note")
        assert note.startswith("kessaria.answers.yaml is no longer there: it was moved or deleted after this offer")
        assert "Nothing was written. [E001]" in note and "Errno" not in note
    assert not default_migrated_name(old_file, "2.0.0").exists()


async def test_read_only_opens_on_the_old_version_and_saves_nothing(old_file, tmp_path):
    before = listing(tmp_path)
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        await pilot.press("tab")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "read-only")
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        session = app.session
        assert session is not None and session.read_only and session.fw.version == "1.0.0"
        assert session.answers.answers["vendor_checks"].value == "partial"  # the answers as made
        await pilot.press("down", "enter", "ctrl+n")  # keys that would change an answer: nothing is saved
        await pilot.pause()
        app.exit()
    assert listing(tmp_path) == before


async def test_quit_leaves_everything_as_it_was(old_file, tmp_path):
    before = listing(tmp_path)
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running)
    assert listing(tmp_path) == before


async def test_from_the_start_screen_back_returns_to_it(old_file, tmp_path):
    app = AssessApp(None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.press("ctrl+o")  # the field to open a file by its path
        app.screen.query_one("#path").value = str(old_file)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        assert str(app.screen.query_one("#quit").label) == "Back"
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "StartScreen")


async def test_the_old_version_not_found_is_said_and_read_only_offered_on_this_one(old_file, tmp_path):
    (tmp_path / "pair-1.0.0.yaml").unlink()
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        assert "pair 1.0.0 not found" in str(app.screen.query_one("#changes").content)
        assert "  vendor_checks → vendor_screening (renamed; partial → ad_hoc)" in str(
            app.screen.query_one("#changes").content
        )  # dry run
        assert str(app.screen.query_one("#read-only").label) == "Open read-only on 2.0.0"


async def test_without_a_declared_way_the_file_opens_as_before_with_its_warning(old_file, tmp_path):
    fw = tmp_path / "pair.yaml"
    fw.write_text(NEW.split("migrations:")[0], encoding="utf-8")  # 2.0.0 that says nothing of 1.0.0
    data = yaml.safe_load(old_file.read_text(encoding="utf-8"))
    data["answers"] = {"fuel": {"value": "full"}}  # valid on 2.0.0 too
    old_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    app = AssessApp(old_file)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "MainScreen")
        notes = [n.message for n in app._notifications]
        assert any("[W001]" in n or "W001" in n for n in notes), notes


async def test_a_read_only_view_on_the_old_version_reads_the_file_again_on_that_version(old_file, tmp_path):
    app = AssessApp(old_file)
    app.disk_poll = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, MigrateScreen))
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: app.session is not None and app.session.read_only)
        data = yaml.safe_load(old_file.read_text(encoding="utf-8"))
        data["answers"]["vendor_checks"]["value"] = "full"  # saved meanwhile elsewhere, still on 1.0.0
        old_file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        await wait_for(pilot, lambda: app.session.answers.answers["vendor_checks"].value == "full")
        await wait_for(pilot, lambda: not app.moving)  # the screen redrawn from it, before the app closes
        assert app.session.read_only and app.session.fw.version == "1.0.0"  # not the app's 2.0.0
