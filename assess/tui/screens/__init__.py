"""Provides the app's screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from ...i18n import domain

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

    from ..app import AssessApp

_, ngettext, pgettext = domain("app")


def assess_app(node: DOMNode) -> AssessApp:
    """The app a screen or widget runs in, typed as the planner's app (Textual types it as App[Any])."""
    return cast("AssessApp", node.app)


def binding_keys(screen: Screen) -> dict[str, str]:
    """The key each binding id answers to on a screen, as remapped: its first where it has several ('ctrl+b' of
    'ctrl+b,alt+p')."""
    keys: dict[str, str] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.id:
            keys.setdefault(binding.id, binding.key)
    return keys


def end_of_walk(screen: Screen, step: int, total: int) -> str:
    """What next (step 1) says at the last question, or previous (step -1) at the first, with the keys on."""
    key = binding_keys(screen)
    if step < 0:
        return _("First question: 1 of {total}. {next} goes on.").format(total=total, next=key["assess.next"])
    return _(
        "Last question: {total} of {total}. {previous} goes back, {open} finds an open question, {summary} shows the "
        "summary."
    ).format(
        total=total,
        previous=key["assess.previous"],
        open=key["assess.next_unanswered"],
        summary=key["assess.summary"],
    )
