"""Provides the key footer: the most important keys first, as many as fit the width whole, redrawn only when the
keys it shows change."""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ...i18n import N_
from ..language import description, word

ORDER = (
    "app.help",
    "assess.next",
    "assess.previous",
    "assess.next_unanswered",
    "assess.confirm",
    "assess.summary",
    "assess.undo",
    "assess.metadata",
    "assess.tree",
    "assess.add_entity",
    "assess.rename_entity",
    "assess.remove_entity",
    "assess.redo",
    "question.answer",
    "assess.add_source",
    "question.*",
    "help.close",
    "summary.back",
    "summary.report",
    "followup.back",
    "start.new",
    "start.open",
    "new.create",
    "new.back",
    "metadata.save",
    "source.add",
    "dialog.close",
    "dialog.cancel",
    "command_palette",
    "app.quit",
)
"""The keys the footer shows, most important first, by binding id ('question.*': those so named that say show; an action
for a binding without an id). Keys not named here follow when their binding says show, and room is left. The
question pane's keys and ctrl+r come late: the pane writes each beside its field ('Note (alt+n)'), the others are
written nowhere else."""

SHORT = {"assess.rename_entity": N_("Rename"), "assess.remove_entity": N_("Remove")}
"""Shorter words in the footer, so that 120 columns hold the block keys, details, tree, undo and redo (the help
says them in full: 'Rename block')."""

EDITING = (
    "assess.confirm",
    "assess.add_source",
    "assess.add_entity",
    "assess.rename_entity",
    "assess.remove_entity",
    "assess.undo",
    "assess.redo",
    "assess.metadata",
    "question.answer",
    "question.confidence",
    "question.not_applicable",
    "question.unknown",
    "question.edit_source",
    "question.remove_source",
)
"""Keys that change the answers: left out of the footer of a session opened read-only (pressed, they say why they
change nothing)."""


def key_label(app: App, binding: Binding) -> str:
    """A key as the footer and help show it: Textual's display ('^n', '?'), function keys as printed on them ('F1')."""
    shown = app.get_key_display(binding)
    return shown.upper() if re.fullmatch(r"f\d+", shown) else shown


def rank(binding: Binding) -> int | None:
    """A binding's place in ORDER, or None when ORDER does not name it."""
    name = binding.id or binding.action
    for i, entry in enumerate(ORDER):
        if name == entry or (entry.endswith(".*") and binding.show and name.startswith(entry[:-1])):
            return i
    return None


class KeyFooter(Footer):
    """The keys of the screen in ORDER, each whole or not at all: what does not fit the width is left out, never cut
    (F1 opens the help with all of them), and the editing keys left out of a read-only session. Textual's Footer
    rebuilds whenever focus moves; this one only when what it shows changes (moving between the fields of a
    question leaves the same keys, and the screen stays quick)."""

    _shown: tuple | None = None

    def __init__(self, **kw) -> None:
        kw.setdefault("compact", True)
        kw.setdefault("show_command_palette", False)  # placed by ORDER instead, docked nowhere
        super().__init__(**kw)

    def _keys(self, screen: Screen, width: int) -> tuple:
        """The keys shown at a width: (key, label, description, action, enabled, tooltip), most important first."""
        by_id: dict[str, tuple[int, int, Binding, bool, str]] = {}
        session = getattr(screen, "session", None)
        read_only = bool(getattr(session, "read_only", False))
        for n, (_, binding, enabled, tooltip) in enumerate(screen.active_bindings.values()):
            place = rank(binding)
            if (place is None and not binding.show) or (read_only and binding.id in EDITING):
                continue
            by_id.setdefault(
                binding.id or binding.action, (len(ORDER) if place is None else place, n, binding, enabled, tooltip)
            )
        shown, used = [], 0
        for _, _, binding, enabled, tooltip in sorted(by_id.values(), key=lambda item: item[:2]):
            label = key_label(self.app, binding)
            words = word(SHORT[binding.id]) if binding.id in SHORT else description(binding)
            cells = cell_len(label) + 1 + cell_len(words) + 1  # compact: 'key description', a space after
            if used + cells > width:
                continue  # left out whole; a shorter, less important one after it may still fit
            used += cells
            shown.append((binding.key, label, words, binding.action, enabled, word(tooltip or "")))
        return tuple(shown)

    def compose(self) -> ComposeResult:
        """The keys that fit, in ORDER."""
        if not self._bindings_ready:
            return
        self._shown = self._keys(self.screen, self.size.width)
        for key, label, words, action, enabled, tooltip in self._shown:
            yield FooterKey(key, label, words, action, disabled=not enabled, tooltip=tooltip).data_bind(
                compact=Footer.compact
            )

    def bindings_changed(self, screen: Screen) -> None:
        """Redraw the keys only when those this screen shows have changed, compared after the next frame and, while
        a focus-moving action runs (a question shown in place of another), once the focus has landed (keys.py)."""
        if self.is_attached and screen is self.screen and screen.app.app_focus and self._shown is not None:
            if not getattr(screen.app, "moving", False):  # else compared when the focus has landed (keys.py)
                self.call_after_refresh(self._redraw_if_changed)
            return
        super().bindings_changed(screen)

    async def _redraw_if_changed(self) -> None:
        if self.is_attached and self._keys(self.screen, self.size.width) != self._shown:
            await self.recompose()

    def on_resize(self, event: events.Resize) -> None:
        """Show more keys, or fewer, when the width changes."""
        if self._bindings_ready and self._keys(self.screen, event.size.width) != self._shown:
            self.call_after_refresh(self.recompose)
