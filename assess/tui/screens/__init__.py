"""Provides the app's screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..app import AssessApp


def assess_app(node: DOMNode) -> AssessApp:
    """The app a screen or widget runs in, typed as the planner's app (Textual types it as App[Any])."""
    return cast("AssessApp", node.app)
