"""Provides the key footer: Textual's Footer, redrawn only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds its keys whenever focus moves; this one only when what it shows changes
    (moving between the fields of a question leaves the same keys, and the screen stays quick)."""

    _shown: tuple | None = None

    def _keys(self, screen: Screen) -> tuple:
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )

    def bindings_changed(self, screen: Screen) -> None:
        """Redraw the keys only when those this screen shows have changed."""
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            keys = self._keys(screen)
            if keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
