"""Provides the assessment's details as a form (title, mission, area, period, analyst, handling marking), checked as
the file is: the rows the new-assessment form shares, the F4 dialog that edits them, and its palette command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from ...errors import AssessError, Problem
from ...i18n import N_, domain
from ...limits import MAX_METADATA, metadata_problems
from ...session import DETAILS, Session
from . import assess_app, binding_keys
from .dialogs import LimitedInput, ask_discard, fit_labels, limit_note, move_on, show_hint, too_long
from .wording import app_message

if TYPE_CHECKING:
    from .main import MainScreen

_, ngettext, pgettext = domain("app")

FIELDS = (
    ("title", N_("Title"), True, N_("what the report is called")),
    ("mission", N_("Mission"), False, N_("e.g. MINUSKA")),
    ("area", N_("Area"), False, N_("e.g. Lakeside province")),
    ("period", N_("Period"), False, N_("2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15")),
    ("analyst", N_("Analyst"), False, N_("who answers")),
    ("marking", N_("Marking"), True, N_("the handling marking, e.g. UN RESTRICTED")),
)
"""Each detail: (key, label, required, placeholder), in the order of the form."""
assert tuple(key for key, *_ in FIELDS) == DETAILS  # the form edits what the session sets
COMMAND = N_("Edit assessment details")
"""The command palette's entry for the dialog."""
FIELD_CODES = {"E322": "marking", "E323": "period"}
"""The field a problem of the metadata belongs to, by its code."""


def field_rows(values: dict[str, str], select_on_focus: bool = True) -> ComposeResult:
    """A row per detail, its label beside a one-line field filled with values, and under it the place where the
    form says what is wrong with it. A text already longer than a file holds (edited by hand) is kept as it is.
    select_on_focus False: a field takes the focus with its cursor at the end, nothing selected (a key typed by
    mistake replaces nothing)."""
    for key, label, needed, hint in FIELDS:
        value = values.get(key, "")
        over = len(value) > MAX_METADATA[key]
        with Horizontal(classes="form-row"):
            yield Label(f"{_(label)}{' *' if needed else ''}", classes="form-label")
            yield LimitedInput(
                value,
                placeholder=_(hint),
                id=key,
                max_length=0 if over else MAX_METADATA[key],
                compact=True,
                select_on_focus=select_on_focus,
            )
        yield field_error(key)


def field_error(key: str) -> Static:
    """The place under a field where the form says what is wrong with it: it takes room only while it says so."""
    note = Static("", id=f"{key}-error", classes="error field-error", markup=False)
    note.display = False
    return note


def read_values(screen: Screen) -> dict[str, str]:
    """The details as typed in the form, trimmed."""
    return {key: screen.query_one(f"#{key}", Input).value.strip() for key, *_ in FIELDS}


def problems_of(values: dict[str, str]) -> dict[str, str]:
    """What is wrong with the details, by field: a required one blank, a period that is not one (E323)."""
    out = {
        key: _("Fill in the {field}.").format(field=_(label).lower())
        for key, label, needed, _hint in FIELDS
        if needed and not values[key]
    }
    for p in metadata_problems(values, ""):  # the period, as score and collect read it
        out.setdefault(FIELD_CODES.get(p.code, "marking"), app_message(p, at_field=True))
    return out


def show_problems(screen: Screen, problems: dict[str, str]) -> None:
    """Say under each field what is wrong with it (clearing the others), and put the cursor in the first."""
    for note in screen.query(".field-error").results(Static):
        key = (note.id or "").removesuffix("-error")
        note.update(problems.get(key, ""))
        note.display = key in problems
    first = next((f"#{key}" for key in (*(k for k, *_ in FIELDS), "file") if key in problems), None)
    if first is not None:
        screen.query_one(first).focus()


def clear_error(screen: Screen, field: Input) -> None:
    """A field edited: what the form said was wrong with it goes (it is checked again on saving)."""
    for note in screen.query(f"#{field.id}-error").results(Static):
        note.update("")
        note.display = False


def problems_by_field(problems: list[Problem], rest: str) -> dict[str, str]:
    """A refusal of the file's metadata placed at the fields it is about; the others (the file itself) at rest."""
    out: dict[str, list[str]] = {}
    for p in problems:
        key = FIELD_CODES.get(p.code, rest)
        out.setdefault(key, []).append(app_message(p, at_field=key != rest))
    return {key: "\n".join(texts) for key, texts in out.items()}


class MetadataScreen(ModalScreen[bool]):
    """Edits the assessment's details, saved through the session when the planner saves (ctrl+s or Save); Enter
    moves to the next field, escape asks before discarding changes. Answers True once saved."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="dialog.cancel"),
        Binding("ctrl+s", "save", N_("Save"), id="metadata.save", priority=True),
        Binding("enter", "next_field", N_("Next field"), id="metadata.next_field", show=False, priority=True),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.start = {key: session.answers.metadata.get(key, "") for key, *_ in FIELDS}

    def compose(self) -> ComposeResult:
        """Lay out the details filled in as the file holds them, Save and Cancel."""
        over = [key for key, value in self.start.items() if len(value) > MAX_METADATA[key]]
        with Vertical(classes="dialog form"):
            yield Label(_("Assessment details"), classes="dialog-title")
            yield from field_rows(self.start, select_on_focus=False)
            yield limit_note(too_long(MAX_METADATA[over[0]]) if over else "")
            general = Static("", id="form-error", classes="error", markup=False)
            general.display = False
            yield general
            yield Static(id="form-hint", classes="form-hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        """Start in the title, the cursor at its end and nothing selected."""
        self.query_one("#title", Input).focus()
        fit_labels(self)
        show_hint(self, "metadata.save", _("Save"))

    @on(Input.Changed)
    def edited(self, event: Input.Changed) -> None:
        """A field edited: its error goes."""
        clear_error(self, event.input)

    def action_next_field(self) -> None:
        """Enter: the next field, and from the marking to Save."""
        move_on(self, [*(self.query_one(f"#{key}") for key, *_ in FIELDS), self.query_one("#save")])

    def action_save(self) -> None:
        """Check the details and save them (after the keys typed before); or say at each field what to correct."""

        async def save() -> None:
            values = read_values(self)
            problems = problems_of(values)
            show_problems(self, problems)
            if problems:
                return
            try:
                self.session.set_metadata(values)
            except AssessError as exc:
                placed = problems_by_field(exc.problems, "form")
                general = self.query_one("#form-error", Static)
                general.update(placed.pop("form", ""))
                general.display = bool(general.content)
                show_problems(self, placed)
                return
            self.dismiss(True)

        assess_app(self).in_order(save)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Save, or Cancel."""
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        """Go back without saving (escape, Cancel); ask first when a detail was changed."""
        if read_values(self) == {key: value.strip() for key, value in self.start.items()}:
            self.dismiss(False)
        else:
            ask_discard(self, _("Discard the changes to the assessment details?"), lambda: self.dismiss(False))


async def edit_metadata(screen: MainScreen) -> None:
    """Open the details dialog over the main screen (refused read-only); once saved, the app's subtitle and the
    status line show them."""
    if screen.refuse_if_read_only():
        return
    session = screen.session

    def done(saved: bool | None) -> None:
        if saved:
            details_shown(screen)
            screen.notify(_("Assessment details saved."))

    await screen.app.push_screen(MetadataScreen(session), done)


def details_shown(screen: MainScreen) -> None:
    """The details changed (saved, or undone: Session.set_metadata records them in the undo history): the app's
    subtitle and the status line show them."""
    session = screen.session
    screen.app.sub_title = f"{session.answers.metadata.get('title', '')} — {Path(session.path).name}"
    screen.refresh_status()


class MetadataCommands(Provider):
    """The command palette's 'Edit assessment details', on the main screen."""

    async def discover(self) -> Hits:
        """Offer the command when nothing is typed yet."""
        if self._run is not None:
            yield DiscoveryHit(_(COMMAND), self._run, help=self._help)

    async def search(self, query: str) -> Hits:
        """Offer the command when what is typed matches it."""
        matcher = self.matcher(query)
        command = _(COMMAND)
        score = matcher.match(command)
        if score > 0 and self._run is not None:
            yield Hit(score, matcher.highlight(command), self._run, help=self._help)

    @property
    def _run(self) -> Callable[[], Awaitable[object]] | None:
        run = getattr(self.screen, "run_action", None)
        return None if getattr(self.screen, "session", None) is None or run is None else lambda: run("metadata")

    @property
    def _help(self) -> str:
        keys = binding_keys(self.screen)
        key = keys.get("assess.metadata")
        return _("Title, mission, area, period, analyst, handling marking") + (f" ({key})" if key else "")
