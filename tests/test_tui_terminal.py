"""Drives the app in a real terminal (tmux): what a user sees, and a SIGKILL mid-session losing no completed answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import yaml
from test_tui import FRAMEWORK

from assess.errors import problem

from conftest import ROOT, need, run_cli


class Tmux:
    def __init__(self, command: str, width: int = 80, height: int = 24):
        need("tmux")
        self.name = f"assess-{uuid.uuid4().hex[:8]}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), command], check=True
        )

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on screen:\n{self.screen()}")

    def pid(self) -> int:
        out = subprocess.run(
            ["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"], capture_output=True, text=True
        ).stdout
        return int(out.split()[0])

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


@pytest.fixture
def answers(tmp_path):
    fw = tmp_path / "walk.yaml"
    fw.write_text(FRAMEWORK, encoding="utf-8")
    out = tmp_path / "a.yaml"
    assert run_cli("new", str(fw), "-o", str(out), "--no-open", "--title", "Walk").returncode == 0
    return out


def test_real_terminal_session_and_sigkill_loses_no_completed_answer(answers, tmp_path):
    env = f"XDG_STATE_HOME={tmp_path / 'state'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess open {answers}")
    try:
        shown = term.wait_for("Is gold smuggled through the area?")
        assert "Markets · question 1 of 5" in shown and "^n Next" in shown
        term.keys("Down", "Enter")  # yes
        term.wait_for("1/6 done")  # the condition showed 'gold': now 6 visible questions
        term.keys("C-n")
        term.wait_for("How large is gold smuggling?")
        term.keys("Down", "Down", "Enter")  # high
        term.wait_for("2/6 done")
        term.keys("C-n")
        term.wait_for("Which routes are used?")
        term.keys("Space")
        term.wait_for("3/6 done")
        term.keys("C-n")
        term.wait_for("a whole number (0 to 500)")
        term.keys("4", "2", "Enter")
        term.wait_for("4/6 done")
        term.keys("C-n")
        term.wait_for("YYYY-MM-DD")
        term.keys("2", "0", "2", "6")  # typing a date, not finished: may be lost
        time.sleep(0.3)
        os.kill(term.pid(), signal.SIGKILL)
        for child in subprocess.run(
            ["pgrep", "-f", f"assess open {answers}"], capture_output=True, text=True
        ).stdout.split():
            os.kill(int(child), signal.SIGKILL)
    finally:
        term.close()
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert {k: v["value"] for k, v in data["answers"].items()} == {
        "present": "yes",
        "gold": "high",
        "routes": ["road"],
        "seizures": 42,
    }
    # and it opens again, at the question being typed when it was killed
    term = Tmux(f"env {env} {sys.executable} -m assess open {answers}")
    try:
        term.wait_for("Markets · question 5 of 6")  # the date question it was killed on
        term.wait_for("4/6 done")
        term.keys("C-q")
        time.sleep(1)
    finally:
        term.close()


def test_start_lists_the_framework_files_given_beside_the_bundled_ones(tmp_path):
    folder = tmp_path / "team-frameworks"
    folder.mkdir()
    (folder / "walk.yaml").write_text(FRAMEWORK, encoding="utf-8")
    env = f"XDG_STATE_HOME={tmp_path / 'state'} XDG_DATA_HOME={tmp_path / 'data'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess start {folder}")
    try:
        shown = term.wait_for("Walkthrough check 1.0.0")
        assert "Sanctions" in shown  # the bundled frameworks are listed too
        term.keys("C-q")
        end = time.monotonic() + 10
        while time.monotonic() < end and subprocess.run(["tmux", "has-session", "-t", term.name]).returncode == 0:
            time.sleep(0.1)
        assert subprocess.run(["tmux", "has-session", "-t", term.name], capture_output=True).returncode != 0
    finally:
        term.close()


def test_start_refuses_a_missing_path_or_a_folder_without_frameworks(tmp_path):
    r = run_cli("start", str(tmp_path / "gone.yaml"))
    gone = problem(str(tmp_path / "gone.yaml"), None, "E508")
    assert (r.returncode, r.stderr) == (1, f"{gone}\n")
    r = run_cli("start", str(tmp_path))
    assert r.returncode == 1
    assert r.stderr == f"{problem(str(tmp_path), None, 'E318')}\n"


def test_a_burst_of_keys_in_a_real_terminal_lands_where_it_was_meant(answers, tmp_path):
    """One send-keys call, as a paste or type-ahead over a slow link arrives: answers across ctrl+n, a date left
    with ctrl+q (no Enter), and a block named with text that looks like markup."""
    env = f"XDG_STATE_HOME={tmp_path / 'state'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess open {answers}")
    try:
        term.wait_for("Is gold smuggled through the area?")
        term.keys("Down", "Enter", "C-n", "C-n", "Down", "Space", "C-n", "1", "2", "C-n", *"2026-01-02", "F3")
        term.wait_for("Name of the new group")
        term.keys(*"Risk [/b] test [B2]", "Enter")
        term.wait_for("Risk [/b] test [B2]")  # drawn as typed, in the tree and the pane
        term.keys("C-q")
        end = time.monotonic() + 10
        while time.monotonic() < end and subprocess.run(["tmux", "has-session", "-t", term.name]).returncode == 0:
            time.sleep(0.1)
    finally:
        term.close()
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert {k: v["value"] for k, v in data["answers"].items()} == {
        "present": "yes",
        "routes": ["river"],
        "seizures": 12,
        "cutoff": "2026-01-02",
    }
    assert [e["name"] for e in data["entities"]["groups"]] == ["Risk [/b] test [B2]"]
    # and it opens again, drawing the name as text
    term = Tmux(f"env {env} {sys.executable} -m assess open {answers}")
    try:
        term.wait_for("Risk [/b] test [B2]")
        term.keys("C-q")
        time.sleep(0.5)
    finally:
        term.close()


def test_open_on_a_file_its_owner_made_read_only_looks_without_changing_it(answers, tmp_path):
    answers.chmod(0o444)
    before = answers.read_bytes()
    env = f"XDG_STATE_HOME={tmp_path / 'state'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess open {answers}")
    try:
        term.wait_for("READ-ONLY")  # opened, to look at, with the reason shown
        term.keys("C-n", "Down", "Enter")
        time.sleep(0.5)
        term.keys("C-q")
        time.sleep(1)
    finally:
        term.close()
    assert answers.read_bytes() == before


def test_open_on_answers_of_an_older_version_offers_to_migrate_them_and_migrates(tmp_path):
    from test_tui_migrate import NEW, OLD, older_answers

    old_file = older_answers(tmp_path, OLD, NEW)  # fuel 'partial': no option of 2.0.0, so it fails to open as is
    before = old_file.read_bytes()
    env = f"XDG_STATE_HOME={tmp_path / 'state'} PYTHONPATH={ROOT}"
    term = Tmux(f"env {env} {sys.executable} -m assess open {old_file}")
    try:
        term.wait_for("Open read-only on 1.0.0")  # 'assess open' goes to the offer, not to the error
        shown = term.wait_for("Migrate into a new file")
        assert "This assessment was made on pair 1.0.0; this assess has 2.0.0" in shown, shown
        row = next(line for line in shown.splitlines() if "Migrate into a new file" in line)
        assert "Open read-only on 1.0.0" in row and "Quit" in row, shown  # the three buttons, on one row at 80x24
        term.keys("Enter")  # Migrate, the button focused
        term.wait_for("question 1 of")
        term.keys("C-q")
        time.sleep(1)
    finally:
        term.close()
    assert old_file.read_bytes() == before
    migrated = yaml.safe_load((tmp_path / "kessaria-2.0.0.answers.yaml").read_text(encoding="utf-8"))
    assert migrated["answers"]["fuel"]["value"] == "ad_hoc" and migrated["framework"]["version"] == "2.0.0"
