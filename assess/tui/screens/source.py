"""Provides the source dialog (a reference with its two grades, added or edited) and the main screen's source
actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from ...errors import AssessError
from ...i18n import N_, domain
from ...limits import MAX_REF
from ...model import GRADE_MEANINGS, GRADES, Source
from ..language import punct, word
from . import assess_app
from .dialogs import ErrorDialog, LimitedInput, ask_discard, limit_note, show_hint, too_long

if TYPE_CHECKING:
    from ...session import Slot
    from .main import MainScreen

_, ngettext, pgettext = domain("app")

SourceValue = tuple[str, str | None, str | None]
"""What the dialog answers: (reference, reliability, credibility), a grade None when not given."""


def grade_meaning(grading: str, reliability: str | None, credibility: str | None) -> str:
    """The two grades with what they mean, as the dialog shows them once chosen: 'B2 — mostly reliable / known
    personally to the source'."""
    rel_means, cred_means = GRADE_MEANINGS.get(grading, ({}, {}))
    if reliability is None and credibility is None:
        return _("Not graded yet: the source's reliability and the information's credibility.")
    rel = word(rel_means.get(reliability or "", "")) or _("reliability not graded")
    cred = word(cred_means.get(credibility or "", "")) or _("credibility not graded")
    return f"{reliability or '?'}{credibility or '?'} — {rel} / {cred}"


class SourceDialog(ModalScreen[SourceValue | None]):
    """Asks for a source, or changes one (source=): the reference, the source's reliability and the information's
    credibility. Enter moves on from the reference to each grade and adds (or saves) on the last; ctrl+s adds from
    anywhere; Cancel and escape ask before discarding what was typed."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "add", N_("Add"), id="source.add", priority=True),
        Binding("enter", "enter", N_("Next field"), id="source.next_field", show=False, priority=True),
    ]

    def __init__(self, grading: str, max_length: int = 0, source: Source | None = None):
        super().__init__()
        self.grading, self.max_length, self.source = grading, max_length, source
        self.start: SourceValue = (
            (source.ref, _str(source.reliability), _str(source.credibility)) if source else ("", None, None)
        )
        """What the dialog opened with: anything else is typed text, asked about before it is discarded."""
        self._grades = {"reliability": self.start[1], "credibility": self.start[2]}

    def compose(self) -> ComposeResult:
        """Lay out the reference field, the two grade lists of the framework's grading system with the meaning of
        the grades chosen, Add (Save when editing) and Cancel."""
        rel, cred = GRADES[self.grading]
        rel_means, cred_means = GRADE_MEANINGS[self.grading]
        ref, r, c = self.start
        over = bool(self.max_length) and len(ref) > self.max_length  # a reference written longer by hand: kept
        if self.source:
            title = _("Edit source ({grading} grading)").format(grading=self.grading)
        else:
            title = _("Add a source ({grading} grading)").format(grading=self.grading)
        with Vertical(classes="dialog source"):
            yield Label(Content(title), classes="dialog-title")
            yield LimitedInput(
                ref,
                placeholder=_("Reference: document, report, interlocutor…"),
                id="ref",
                max_length=0 if over else self.max_length,
            )
            yield limit_note(too_long(self.max_length) if over else "")
            with Vertical(classes="grades"):  # one above the other: each grade's meaning on one line at 80 columns
                yield Select(
                    [(Text(f"{g}{punct(':')}{word(rel_means[g])}"), g) for g in rel],  # rich Text: typing B finds B
                    prompt=_("Source reliability"),
                    id="reliability",
                    value=r if r in list(rel) else Select.NULL,
                )
                yield Select(
                    [(Text(f"{g}{punct(':')}{word(cred_means[g])}"), g) for g in cred],
                    prompt=_("Information credibility"),
                    id="credibility",
                    value=c if c in list(cred) else Select.NULL,
                )
            yield Static(grade_meaning(self.grading, r, c), id="grade-meaning", markup=False)
            yield Static(id="form-hint", classes="form-hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save") if self.source else _("Add"), id="add", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        """Start in the reference."""
        self.query_one("#ref", Input).focus()
        show_hint(self, "source.add", _("Save") if self.source else _("Add"))

    def value(self) -> SourceValue:
        """What the dialog holds now: (reference, reliability, credibility)."""
        ref = self.query_one("#ref", Input).value.strip()
        return (ref, self._grades["reliability"], self._grades["credibility"])

    def action_enter(self) -> None:
        """Enter: from the reference to the reliability; on a grade already chosen, on to the next one; on the
        credibility, add. On a grade not chosen yet Enter opens its list, on a button it presses it."""
        focused = self.focused
        rel = self.query_one("#reliability", Select)
        cred = self.query_one("#credibility", Select)
        if focused is self.query_one("#ref", Input):
            target = rel
        elif focused is rel and self._grades["reliability"] is not None:
            target = cred
        elif focused is cred and self._grades["credibility"] is not None:
            self.action_add()
            return
        else:
            raise SkipAction

        async def move() -> None:
            target.focus()

        assess_app(self).in_order(move)

    @on(Select.Changed)
    def graded(self, event: Select.Changed) -> None:
        """Show what the grade chosen means; a reliability chosen from its list moves on to the credibility."""
        assert event.select.id is not None  # both grade lists have their ids
        value = None if event.value is Select.NULL else str(event.value)
        if value == self._grades[event.select.id]:
            return  # the Select says Changed when it shows the grade it opened with
        self._grades[event.select.id] = value
        self.query_one("#grade-meaning", Static).update(grade_meaning(self.grading, *self.value()[1:]))
        if event.select.id == "reliability" and event.select.has_focus_within:
            self.query_one("#credibility", Select).focus()

    def action_add(self) -> None:
        """Answer (reference, reliability, credibility) once a reference is written (after the keys typed)."""

        async def add() -> None:
            value = self.value()
            if not value[0]:
                self.notify(_("Write the reference first."), severity="warning")
                self.query_one("#ref", Input).focus()
                return
            self.dismiss(value)

        assess_app(self).in_order(add)

    @on(Button.Pressed, "#add")
    def add_pressed(self) -> None:
        """Add (or Save)."""
        self.action_add()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Answer None (Cancel, escape); ask first when a reference or a grade was typed or changed."""
        if self.value() == (self.start[0].strip(), *self.start[1:]):
            self.dismiss(None)
            return
        question = _("Discard the changes to this source?") if self.source else _("Discard the source you typed?")
        ask_discard(self, question, lambda: self.dismiss(None))


def _str(grade: object) -> str | None:
    """A grade as the lists hold it (a credibility read from a file may be a number)."""
    return None if grade is None else str(grade)


async def add_source(screen: MainScreen) -> None:
    """Ask for a source and add it to the current answer."""
    if screen.refuse_if_read_only():
        return
    slot = screen.current
    if slot is None:
        return

    def done(value: SourceValue | None) -> None:
        if value:
            _saved(screen, slot, lambda: screen.session.add_source(slot, *value))

    await screen.app.push_screen(SourceDialog(screen.session.fw.grading, MAX_REF), done)


async def edit_source(screen: MainScreen, slot: Slot, index: int) -> None:
    """Show the source at index of the slot's answer in the source dialog and save what the planner changes."""
    if screen.refuse_if_read_only():
        return
    answer = screen.session.answer(slot)
    if answer is None or not 0 <= index < len(answer.sources):
        return

    def done(value: SourceValue | None) -> None:
        if value:
            _saved(screen, slot, lambda: screen.session.edit_source(slot, index, *value), index)

    source = answer.sources[index]
    await screen.app.push_screen(SourceDialog(screen.session.fw.grading, MAX_REF, source=source), done)


def _saved(screen: MainScreen, slot: Slot, change: Callable[[], object], index: int | None = None) -> None:
    """Make the change to the sources, then show the question again (the source edited highlighted); or say why
    it could not be saved."""
    try:
        change()
    except AssessError as exc:
        screen.app.push_screen(ErrorDialog(_("Could not save"), "\n".join(map(str, exc.problems))))
        return
    if index is None:
        screen.show(slot)
        screen.refresh_status()
    else:
        screen.call_later(_back_on, screen, slot, index)


async def _back_on(screen: MainScreen, slot: Slot, index: int) -> None:
    """Show the question again with the cursor on the source just edited."""
    await screen.go(slot)
    screen.refresh_status()
    pane = screen.pane()
    for sources in pane.query("#sources").results(OptionList) if pane is not None else ():
        sources.focus()
        sources.highlighted = index
