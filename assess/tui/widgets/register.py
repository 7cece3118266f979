"""Provides the register pane: the walk's stop at a repeatable section, offering to add its first or another block."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from ..walk import Stop


class RegisterPane(VerticalScroll):
    """Stands where a question would, at a repeatable section with no block yet or after its last block; its button
    (Enter) asks the screen to add a block, as the add-block key does."""

    DEFAULT_CSS = """
    RegisterPane { padding: 0 1; }
    RegisterPane .where { color: $text-muted; }
    RegisterPane .qtext { text-style: bold; margin-bottom: 1; }
    """

    class Add(Message):
        """The planner asked to add a block to the section of the stop."""

        def __init__(self, stop: Stop):
            super().__init__()
            self.at = stop
            """The stop the button was pressed at."""

    def __init__(self, stop: Stop, where: str, text: str, button: str, read_only: bool = False):
        super().__init__()
        self.stop = stop
        self.where, self.text, self.button, self.read_only = where, text, button, read_only

    def compose(self) -> ComposeResult:
        """Where the walk is, what the section holds and the keys on, and the add button."""
        yield Static(self.where, classes="where", markup=False)
        yield Static(self.text, classes="qtext", id="offer", markup=False)
        yield Button(Content(self.button), id="add-block", disabled=self.read_only)

    @on(Button.Pressed, "#add-block")
    def pressed(self, event: Button.Pressed) -> None:
        """Ask for the block (the screen asks for its name)."""
        event.stop()
        self.post_message(self.Add(self.stop))
