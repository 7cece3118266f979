"""Provides modal dialogs: an error, a confirmation, a line of text, a source with its two grades."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from ...model import GRADE_MEANINGS, GRADES


def too_long(limit: int) -> str:
    """What a field says when more is typed or pasted than an answers file holds."""
    return f"At most {limit:,} characters: an answers file holds no longer text. Nothing past that was added."


class LimitedInput(Input):
    """An Input that takes at most max_length characters and says so, in the Static #limit of its screen,
    when a key or a paste would go past it (the paste is refused whole, the text typed so far kept)."""

    def restricted(self) -> None:
        """Say in the screen's #limit note that the field is full, as well as ringing the bell."""
        super().restricted()
        if self.max_length:
            for note in self.screen.query("#limit").results(Static):
                note.update(too_long(self.max_length))
                note.display = True


def limit_note(text: str = "") -> Static:
    """The Static #limit where a LimitedInput says it is full: it takes room only while it says something."""
    note = Static(text, id="limit", classes="error", markup=False)
    note.display = bool(text)
    return note


class ErrorDialog(ModalScreen[None]):
    """Shows the same message the command line prints, never a traceback."""

    BINDINGS = [Binding("escape,enter", "close", "Close", id="dialog.close")]

    def __init__(self, title: str, message: str):
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        """Lay out the title, the message as the command line prints it, and a Close button."""
        with Vertical(classes="dialog error"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Button("Close", id="close", variant="primary")

    def on_button_pressed(self) -> None:
        """Close the dialog."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the dialog (escape or enter)."""
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Asks yes or no; escape means no."""

    BINDINGS = [Binding("escape", "no", "Cancel", id="dialog.cancel")]

    def __init__(self, question: str, yes: str = "Yes"):
        super().__init__()
        self.question, self.yes = question, yes

    def compose(self) -> ComposeResult:
        """Lay out the question with the yes button and Cancel."""
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="error")
                yield Button("Cancel", id="no")

    def on_mount(self) -> None:
        """Start on Cancel, so an enter pressed by habit changes nothing."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer True for the yes button, False for Cancel."""
        self.dismiss(event.button.id == "yes")

    def action_no(self) -> None:
        """Answer False (escape)."""
        self.dismiss(False)


class TextDialog(ModalScreen[str | None]):
    """Asks for one line of text, e.g. the name of an armed group."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, prompt: str, value: str = "", max_length: int = 0):
        super().__init__()
        self.prompt, self.value, self.max_length = prompt, value, max_length

    def compose(self) -> ComposeResult:
        """Lay out the prompt, the text field (with its limit note) and OK and Cancel."""
        with Vertical(classes="dialog"):
            yield Label(Content(self.prompt))
            over = bool(self.max_length) and len(self.value) > self.max_length  # a name written by hand: shorten it
            yield LimitedInput(self.value, id="text", max_length=0 if over else self.max_length)
            yield limit_note(too_long(self.max_length) if over else "")
            with Horizontal(classes="buttons"):
                yield Button("OK", id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Answer the text typed when enter is pressed on it, unless it is blank."""
        if event.value.strip():
            self.dismiss(event.value.strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer the text for OK (None when blank), None for Cancel."""
        value = self.query_one("#text", Input).value.strip()
        self.dismiss(value if event.button.id == "ok" and value else None)

    def action_cancel(self) -> None:
        """Answer None (escape)."""
        self.dismiss(None)


class SourceDialog(ModalScreen[tuple[str, str | None, str | None] | None]):
    """Asks for a source: the reference text, the source's reliability and the information's credibility."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, grading: str, max_length: int = 0):
        super().__init__()
        self.grading, self.max_length = grading, max_length

    def compose(self) -> ComposeResult:
        """Lay out the reference field, the two grade lists of the framework's grading system, Add and Cancel."""
        rel, cred = GRADES[self.grading]
        rel_means, cred_means = GRADE_MEANINGS[self.grading]
        with Vertical(classes="dialog"):
            yield Label(f"Add a source ({self.grading} grading)")
            yield LimitedInput(
                placeholder="Reference: document, report, interlocutor…", id="ref", max_length=self.max_length
            )
            yield limit_note()
            with Horizontal(classes="grades"):
                yield Select(
                    [(Content(f"{r}: {rel_means[r]}"), r) for r in rel], prompt="Source reliability", id="reliability"
                )
                yield Select(
                    [(Content(f"{c}: {cred_means[c]}"), c) for c in cred], prompt="Information", id="credibility"
                )
            with Horizontal(classes="buttons"):
                yield Button("Add", id="add", variant="primary")
                yield Button("Cancel", id="cancel")

    def _value(self):
        ref = self.query_one("#ref", Input).value.strip()
        rel = self.query_one("#reliability", Select).value
        cred = self.query_one("#credibility", Select).value
        return (ref, None if rel is Select.NULL else rel, None if cred is Select.NULL else cred)

    def on_input_submitted(self) -> None:
        """Move on from the reference to the reliability grade."""
        self.query_one("#reliability", Select).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer (reference, reliability, credibility) for Add once a reference is written; None for Cancel."""
        value = self._value()
        if event.button.id == "add":
            if not value[0]:
                self.notify("Write the reference first.", severity="warning")
                return
            self.dismiss(value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        """Answer None (escape)."""
        self.dismiss(None)
