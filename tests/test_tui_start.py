"""The app's start in a real terminal (tmux, a fresh interpreter): the status line's headline, whose import waits
until the first frame is on the terminal, still follows it."""

from __future__ import annotations

import sys

from test_tui_terminal import Tmux, answers  # noqa: F401  (answers: the fixture, a new answers file of 'Walk')

from conftest import ROOT


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
