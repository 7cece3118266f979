"""Provides the app's screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.screen import Screen

    from ..app import AssessApp


def assess_app(node: DOMNode) -> AssessApp:
    """The app a screen or widget runs in, typed as the planner's app (Textual types it as App[Any])."""
    return cast("AssessApp", node.app)


def end_of_walk(screen: Screen, step: int, total: int) -> str:
    """What next (step 1) says at the last question, or previous (step -1) at the first, with the keys on."""
    key = {b.id: b.key for _, b, _, _ in screen.active_bindings.values()}  # remapped keys as remapped
    if step < 0:
        return f"First question: 1 of {total}. {key['assess.next']} goes on."
    return (
        f"Last question: {total} of {total}. {key['assess.previous']} goes back, "
        f"{key['assess.next_unanswered']} finds an open question, {key['assess.summary']} shows the summary."
    )
