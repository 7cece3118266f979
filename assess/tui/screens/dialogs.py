"""Provides modal dialogs (an error, a confirmation, a line of text) and what forms share: fields held to a length,
Enter moving on to the next field, a question before typed text is discarded."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from ...i18n import N_, domain
from ..language import grouped
from . import assess_app

_, ngettext, pgettext = domain("app")


def too_long(limit: int) -> str:
    """What a field says when more is typed or pasted than an answers file holds."""
    return ngettext(
        "At most {limit} character: an answers file holds no longer text. Nothing past that was added.",
        "At most {limit} characters: an answers file holds no longer text. Nothing past that was added.",
        limit,
    ).format(limit=grouped(limit))


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

    BINDINGS = [Binding("escape,enter", "close", N_("Close"), id="dialog.close")]

    def __init__(self, title: str, message: str):
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        """Lay out the title, the message as the command line prints it, and a Close button."""
        with Vertical(classes="dialog error"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Button(_("Close"), id="close", variant="primary")

    def on_button_pressed(self) -> None:
        """Close the dialog."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close the dialog (escape or enter)."""
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """Asks yes or no; escape means no."""

    BINDINGS = [Binding("escape", "no", N_("Cancel"), id="dialog.cancel")]

    def __init__(self, question: str, yes: str = ""):
        super().__init__()
        self.question, self.yes = question, yes or _("Yes")

    def compose(self) -> ComposeResult:
        """Lay out the question with the yes button and Cancel."""
        with Vertical(classes="dialog"):
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="yes", variant="error")
                yield Button(_("Cancel"), id="no")

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
    """Asks for one line of text, e.g. the name of an armed group: a blank one or one check refuses is not taken
    (the reason shown under the field); escape or Cancel ask before discarding a changed text."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel")]

    def __init__(
        self,
        prompt: str,
        value: str = "",
        max_length: int = 0,
        check: Callable[[str], str] | None = None,
        blank: str = "",
        discard: str = "",
    ):
        super().__init__()
        self.prompt, self.value, self.max_length = prompt, value, max_length
        self.check, self.blank, self.discard = (
            check,
            blank or _("Type some text."),
            discard or _("Discard the text typed?"),
        )
        """check: why a text is refused ('' when taken); blank: what a blank one gets; discard: the question
        escape asks when the text differs from how it opened."""

    def compose(self) -> ComposeResult:
        """Lay out the prompt, the text field (with its limit note and the reason a text is refused) and OK and
        Cancel."""
        with Vertical(classes="dialog"):
            yield Label(Content(self.prompt))
            over = bool(self.max_length) and len(self.value) > self.max_length  # a name written by hand: shorten it
            yield LimitedInput(self.value, id="text", max_length=0 if over else self.max_length)
            yield limit_note(too_long(self.max_length) if over else "")
            refused = Static("", id="text-error", classes="error", markup=False)
            refused.display = False
            yield refused
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), id="ok", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def submit(self) -> None:
        """Answer the text typed, trimmed; or say under the field why it is not taken (blank, or refused by
        check), the cursor back in it."""
        field = self.query_one("#text", Input)
        value = field.value.strip()
        reason = (self.check(value) if self.check else "") if value else self.blank
        if not reason:
            self.dismiss(value)
            return
        refused = self.query_one("#text-error", Static)
        refused.update(reason)
        refused.display = True
        field.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A refusal shown is about the text as it was: gone once it changes."""
        self.query_one("#text-error", Static).display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter on the text: answer it (see submit)."""
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """OK answers the text (see submit); Cancel is escape."""
        self.submit() if event.button.id == "ok" else self.action_cancel()

    def action_cancel(self) -> None:
        """Answer None (escape, Cancel); ask first when the text differs from how the dialog opened."""
        if self.query_one("#text", Input).value == self.value:
            self.dismiss(None)
        else:
            ask_discard(self, self.discard, lambda: self.dismiss(None))


def move_on(screen: Screen, order: Sequence[Widget]) -> None:
    """Enter in a form: the focus goes from a field of order to the next one, after the keys typed before (the
    keys typed after it land in the next field); on the last one, or anything else (a button), Enter does what
    it does there."""
    focused = screen.focused
    if focused is None or focused not in order[:-1]:
        raise SkipAction
    target = order[list(order).index(focused) + 1]

    async def move() -> None:
        target.focus()

    assess_app(screen).in_order(move)


def ask_discard(screen: Screen, question: str, discard: Callable[[], object]) -> None:
    """Ask question (Discard, or Cancel to go on typing: escape and an enter pressed by habit keep the text),
    then discard()."""

    def answer(yes: bool | None) -> None:
        if yes:
            discard()

    screen.app.push_screen(ConfirmDialog(question, _("Discard")), answer)


def key_names(screen: Screen) -> dict[str, str]:
    """The keys of a screen's bindings by id, as the footer shows them (remapped keys as remapped)."""
    return {b.id: screen.app.get_key_display(b) for _, b, _, _ in screen.active_bindings.values() if b.id}


def show_hint(screen: Screen, save_id: str, verb: str) -> None:
    """Fill the screen's #form-hint line: Enter moves on, the key of save_id does verb, escape cancels (the keys as
    remapped)."""
    keys = key_names(screen)
    cancel = keys.get("dialog.cancel") or keys.get("new.back") or "esc"
    hint = _("Enter: next field, then {verb} · {key}: {verb} · {cancel}: Cancel").format(
        verb=verb, key=keys.get(save_id, "ctrl+s"), cancel=cancel
    )
    screen.query_one("#form-hint", Static).update(hint)


LABEL_WIDTH = 11
"""The columns of a form's labels (assess.tcss .form-label), as English needs them."""


def fit_labels(screen: Screen) -> None:
    """Widen a form's labels, and the errors under its fields, to its longest label and a space where a language's
    labels need more than LABEL_WIDTH ('Mention de diffusion *' in French); English keeps its 11 columns."""
    labels = list(screen.query(".form-label").results(Label))
    width = max((cell_len(str(label.content)) + 1 for label in labels), default=0)
    if width <= LABEL_WIDTH:
        return
    for label in labels:
        label.styles.width = width
    for note in screen.query(".field-error"):
        note.styles.padding = (0, 0, 0, width)
