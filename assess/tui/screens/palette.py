"""Provides the command palette's questions: type a few words to jump to any visible question."""

from __future__ import annotations

from textual.command import Hit, Hits, Provider

from ...session import Session
from ..widgets.nav import slot_label


class QuestionCommands(Provider):
    """Jump to any question from the command palette."""

    async def search(self, query: str) -> Hits:
        """The visible questions whose label matches what was typed in the command palette, each a jump to it."""
        screen = self.screen
        session = getattr(screen, "session", None)  # the main screen's: the palette serves it only
        show = getattr(screen, "show", None)
        if not isinstance(session, Session) or show is None:
            return
        matcher = self.matcher(query)
        for slot in session.visible_slots():
            text = slot_label(session, slot)
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), lambda s=slot: show(s), help=slot.qid)
