"""Provides the second session's side: who holds an answers file, the offer to open it read-only, the check that
tells a read-only view the file changed on disk (the viewer kept in place) or was closed by the session holding it."""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...answers import lock_path
from ...errors import Problem
from ...i18n import N_, domain
from ...session import Session, Slot
from ..walk import Place, Stop
from .blocks import here, place_after

if TYPE_CHECKING:
    from .main import MainScreen

_, ngettext, pgettext = domain("app")

POLL = 2.0
"""Seconds between two looks at a file opened read-only, for changes the session that holds it saves."""


def _flock_pid(st: os.stat_result) -> int | None:
    """The process holding a flock on the file st describes, where the system lists it (Linux: /proc/locks)."""
    return _flock(st)[1]


def _flock(st: os.stat_result) -> tuple[bool, int | None]:
    """(whether the system lists its locks, the process holding a flock on the file st describes, or None)."""
    inode = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) > 5 and fields[1] == "FLOCK" and fields[5] == inode:
                    return True, int(fields[4])
    except (OSError, ValueError):
        return False, None
    return True, None


def freed(path: Path) -> bool:
    """Whether no session holds the file any more: its lock file is gone (a session removes it as it closes), or
    the system lists no lock on it (one that stopped without closing); False while that cannot be told."""
    try:
        st = os.stat(lock_path(path))
    except FileNotFoundError:
        return True
    except OSError:
        return False
    listed, pid = _flock(st)
    return listed and pid is None


def closed_note(path: Path) -> str:
    """What a read-only view says, once, when the session holding its file has closed it."""
    return _("The other session has closed the file: reopen it to edit (ctrl+q, then assess open {path}).").format(
        path=path
    )


def kept_place(old: Session, fresh: Session, at: Place | None) -> Place | None:
    """Where a read-only view reread from disk keeps its viewer: the same question; when the holder removed its
    block, the same question in the block that took its place (or the block before it), else the section's stop
    (as the editing session does, blocks.after_removal); None when the file holds nothing to keep to."""
    if isinstance(at, Stop):
        return Stop(at.section, not fresh.entities(at.section)) if at.section in fresh.fw.all_sections else None
    if at is None:
        return None
    keys = {s.key for s in fresh.slots()}
    if at.key in keys:
        return at
    if at.entity is None:
        return None
    section = next((sec for sec, blocks in old.answers.entities.items() if any(e.id == at.entity for e in blocks)), "")
    ids = [e.id for e in old.entities(section)] if section else []
    return place_after(fresh, section, ids.index(at.entity), at.qid) if at.entity in ids else None


def holder(path: Path) -> str:
    """Who holds the file, as far as can be told: 'process 4242 on HOST, since 14:02' (the lock file's time);
    '' when nothing is known."""
    try:
        st = os.stat(lock_path(path))
    except OSError:
        return ""
    parts = []
    pid = _flock_pid(st)
    if pid is not None:  # listed here: a process of this computer
        parts.append(_("process {pid} on {host}").format(pid=pid, host=socket.gethostname()))
    since = datetime.fromtimestamp(st.st_mtime)
    when = since.strftime("%H:%M" if since.date() == datetime.now().date() else "%Y-%m-%d %H:%M")
    parts.append(_("since {time}").format(time=when))
    return ", ".join(parts)


def offer_text(path: Path, problems: list[Problem]) -> str:
    """What the read-only offer says: who holds the file (E312), or why it cannot be edited (E320)."""
    if any(p.code == "E312" for p in problems):  # the path on a line of its own: a long one is not cut mid-word
        who = holder(Path(path))
        first = _("Another session holds this file:") + f"\n{os.path.abspath(path)}" + (f"\n({who})" if who else "")
    else:
        first = "\n".join(map(str, problems))
    return f"{first}\n\n" + _("Open it read-only, to look without changing anything?")


class ReadOnlyOffer(ModalScreen[bool]):
    """Offers to open a file another session holds read-only: True to open it, False to leave it."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        """Lay out who holds the file, the question, and Open read-only and Cancel."""
        with Vertical(classes="dialog", id="read-only-offer"):
            yield Static(self.text, id="offer", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Open read-only"), id="open-read-only", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        """Start on Open read-only: looking changes nothing, so Enter may do it."""
        self.query_one("#open-read-only", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer True for Open read-only, False for Cancel."""
        self.dismiss(event.button.id == "open-read-only")

    def action_cancel(self) -> None:
        """Answer False (escape)."""
        self.dismiss(False)


def signature(path: Path) -> tuple[int, int] | None:
    """The file's modification time and size, which a save changes; None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def updated_note() -> str:
    """The notice a read-only view shows when it redrew from the file on disk."""
    return _("Updated from disk at {time}").format(time=time.strftime("%H:%M:%S"))


def keep_place(screen: MainScreen, fresh: Session) -> Stop | None:
    """Keep the viewer of screen where they were once fresh replaces its session (see kept_place): a question
    becomes fresh's position (the main screen opens on it); a stop is returned, to show once it has opened."""
    place = kept_place(screen.session, fresh, here(screen))
    if isinstance(place, Slot):
        fresh.set_position(place)
    return place if isinstance(place, Stop) else None
