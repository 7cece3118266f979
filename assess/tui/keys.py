"""Provides keys in the order they were typed around actions that move the focus: what is typed ahead of a key that
moves to another question, field or dialog lands where it was typed, and what follows it lands in the new place."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import App

QUIET_ROUNDS = 3
"""Event-loop rounds with every queue empty before the keys typed so far count as handled."""


async def settle(app: App, rounds: int = 2000) -> None:
    """Wait until the app, its screen and every widget on it have handled the keys and messages sent to them."""
    quiet = 0
    for _ in range(rounds):
        if not app.screen_stack:
            return  # the app closed meanwhile: nothing is left to handle the keys
        screen = app.screen  # its widgets walked, not queried: a CSS query of them all costs 20 times as much
        pumps = [app, screen, *screen.walk_children()]
        quiet = quiet + 1 if all(p.message_queue_size == 0 for p in pumps) else 0
        if quiet >= QUIET_ROUNDS:
            return
        await asyncio.sleep(0)


class OrderedKeys(App):
    """An app whose focus-moving actions run after the keys typed before them, while later keys wait for them."""

    _held: list[events.Key] | None = None

    async def on_event(self, event: events.Event) -> None:
        """Hold back keys typed while a focus-moving action runs; pass every other event on."""
        if isinstance(event, events.Key) and not self.screen_stack:
            return  # a key left over while the app closes, its screens gone: nowhere to land
        if isinstance(event, events.Key) and not event.is_forwarded and self._held is not None:
            self._held.append(event)  # typed while the focus moves: handled once it has moved
            return
        await super().on_event(event)

    @property
    def moving(self) -> bool:
        """True while a focus-moving action runs: the focus is on its way (the key footer waits for it to land)."""
        return self._held is not None

    def in_order(self, work: Callable[[], Awaitable[object]]) -> None:
        """Run work once the keys typed before it are handled; keys typed meanwhile go where work leaves the focus."""
        if self._held is None:
            self._held = []
        self.run_worker(self._in_order(work), group="ordered-keys")

    async def _in_order(self, work: Callable[[], Awaitable[object]]) -> None:
        try:
            await settle(self)
            await work()
            await settle(self)  # the focus the work set (a call_later), a screen it pushed: all done before the keys
        finally:
            held, self._held = self._held or [], None
            if self.screen_stack:  # else the app closed while the work ran: the keys held have nowhere to land
                self.screen.refresh_bindings()  # the focus has landed: the key footer shows its keys (one redraw)
                for key in held:
                    self.post_message(events.Key(key.key, key.character))

    async def action_ordered_focus(self, step: int) -> None:
        """Tab and shift+tab: the next or previous field, after what was typed in this one."""

        async def move() -> None:
            self.screen.focus_next() if step > 0 else self.screen.focus_previous()

        self.in_order(move)
