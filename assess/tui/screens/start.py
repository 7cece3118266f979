"""Provides the start screen (frameworks, recent assessments, new and open) and the new-assessment form."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...answers import DEFAULT_MARKING
from ...errors import AssessError
from ...limits import MAX_METADATA
from ...loader import load_framework
from ...model import Framework
from ...pipeline import start_assessment
from ..widgets.footer import KeyFooter
from . import assess_app
from .dialogs import ErrorDialog, ask_discard, limit_note, move_on, show_hint
from .metadata import (
    FIELDS,
    clear_error,
    field_rows,
    problems_by_field,
    problems_of,
    read_values,
    show_problems,
)


class StartScreen(Screen):
    """Pick a framework to start an assessment, or open one."""

    BINDINGS = [
        Binding("ctrl+o", "open", "Open file", id="start.open"),
        # the app opens the form itself, so that what is typed right after Enter lands in its title
        Binding("enter", "new", "New assessment", id="start.new", show=False, priority=True),
    ]

    def __init__(self, frameworks: list[tuple[str, Path]], recent: list[Path]):
        super().__init__()
        self.frameworks, self.recent = frameworks, recent

    def compose(self) -> ComposeResult:
        """Lay out the frameworks to start from, the recent assessments, and a field to open a file by path."""
        with VerticalScroll():
            yield Label("assess — structured assessments of organized crime", classes="dialog-title")
            yield Label("New assessment: pick a framework and press Enter")
            yield OptionList(
                *[
                    Option(Content(f"{title}  ({path.name})"), id=str(i))
                    for i, (title, path) in enumerate(self.frameworks)
                ],
                id="frameworks",
            )
            yield Label("Resume a recent assessment")
            yield OptionList(
                *[Option(Content(str(p)), id=str(i)) for i, p in enumerate(self.recent)]
                or [Option("No recent assessments.", disabled=True)],
                id="recent",
            )
            yield Label("Open an answers file")
            with Horizontal(classes="row"):
                yield Input(placeholder="path/to/assessment.yaml", id="path")
                yield Button("Open", id="open")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start in the list of frameworks."""
        self.query_one("#frameworks", OptionList).focus()

    @on(OptionList.OptionSelected, "#frameworks")
    def new(self, event: OptionList.OptionSelected) -> None:
        """Ask for the new assessment's details, for the framework clicked."""
        assert event.option.id is not None  # every framework option has its index as id
        index = int(event.option.id)
        self.open_form(lambda: index)

    def action_new(self) -> None:
        """Enter in the list of frameworks: the form for the one highlighted once the keys typed before have moved
        the cursor (elsewhere Enter does what it does there)."""
        frameworks = self.query_one("#frameworks", OptionList)
        if self.focused is not frameworks:
            raise SkipAction
        self.open_form(lambda: frameworks.highlighted)

    def open_form(self, pick: Callable[[], int | None]) -> None:
        """Open the new-assessment form for the framework pick() names, after the keys typed before, with the keys
        typed after it landing in its title; or say why the framework cannot be read."""

        async def push() -> None:
            index = pick()
            if index is None:
                return
            _, path = self.frameworks[index]
            try:
                fw, _ = load_framework(path)
            except AssessError as exc:
                await self.app.push_screen(ErrorDialog(f"Cannot read {path}", "\n".join(map(str, exc.problems))))
                return
            form = NewScreen(path, fw)
            await self.app.push_screen(form)
            form.query_one("#title", Input).focus()

        assess_app(self).in_order(push)

    @on(OptionList.OptionSelected, "#recent")
    def resume(self, event: OptionList.OptionSelected) -> None:
        """Open the recent assessment picked."""
        assert event.option.id is not None  # only the recent files (each with its index as id) can be selected
        assess_app(self).open_answers(self.recent[int(event.option.id)])

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#open")
    def open_typed(self) -> None:
        """Open the answers file whose path was typed (nothing when the field is blank)."""
        text = self.query_one("#path", Input).value.strip()
        if text:
            assess_app(self).open_answers(Path(text).expanduser())

    def action_open(self) -> None:
        """Put the cursor in the path field."""
        self.query_one("#path", Input).focus()


class NewScreen(Screen):
    """The details of a new assessment and the file to create, checked before the file is created. Enter moves from
    field to field; the file is created only by Create or ctrl+s; escape asks before discarding what was typed."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="new.back"),
        Binding("ctrl+s", "create", "Create", id="new.create", priority=True),
        Binding("enter", "next_field", "Next field", id="new.next_field", show=False, priority=True),
    ]

    def __init__(self, framework: Path, fw: Framework | None = None):
        super().__init__()
        self.framework = framework
        self.fw = fw or load_framework(framework)[0]
        self.start = {key: "" for key, *_ in FIELDS} | {"title": self.fw.title, "marking": DEFAULT_MARKING}
        self.start_file = f"{self.fw.id}-assessment.yaml"

    def compose(self) -> ComposeResult:
        """Lay out the details (title and marking filled in), the file to save as with where it will be, and Create."""
        fw = self.fw
        with VerticalScroll(classes="form"):
            yield Label(Content(f"New assessment: {fw.title} {fw.version}"), classes="dialog-title")
            yield from field_rows({k: v[: MAX_METADATA[k]] for k, v in self.start.items()})
            with Horizontal(classes="form-row"):
                yield Label("Save as *", classes="form-label")
                yield Input(self.start_file, id="file", compact=True)
            yield Static(id="target", markup=False)
            yield limit_note()
            yield Static(id="form-hint", classes="form-hint", markup=False)
            yield Button("Create and start", id="create", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start typing in the title field (its text selected: what is typed replaces the framework's title)."""
        self.query_one("#title", Input).focus()
        show_hint(self, "new.create", "Create")
        self.show_target()

    def path(self) -> Path:
        """The file to create, as typed under 'Save as'."""
        return Path(self.query_one("#file", Input).value.strip() if self.is_mounted else self.start_file).expanduser()

    def show_target(self, problem: str | None = None) -> None:
        """Say under 'Save as' the full path Create makes, or why it cannot (problem, else file_problem's), in the
        error colour."""
        problem = problem or file_problem(self.path())
        target = self.query_one("#target", Static)
        target.update(problem or f"Will be created: {self.path().resolve()}")
        target.set_class(problem is not None, "error")

    @on(Input.Changed)
    def edited(self, event: Input.Changed) -> None:
        """A field edited: its error goes; under 'Save as', the path or its first problem as the name is typed."""
        if event.input.id == "file":
            self.show_target()
        else:
            clear_error(self, event.input)

    def action_next_field(self) -> None:
        """Enter: the next field (title, mission, area, period, analyst, marking, save as), then Create."""
        move_on(
            self,
            [*(self.query_one(f"#{key}") for key, *_ in FIELDS), self.query_one("#file"), self.query_one("#create")],
        )

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Create and start (ctrl+s from any field, or the button), after the keys typed before."""
        assess_app(self).in_order(self.create)

    async def create(self) -> None:
        """Check the details and the file name, create the answers file and open it; or say at each field what to
        correct."""
        values = read_values(self)
        problems = problems_of(values)
        path = self.path()
        wrong = file_problem(path)
        if wrong:
            problems["file"] = wrong
        self.show_target(wrong)
        show_problems(self, problems)
        if problems:
            return
        try:
            start_assessment(self.framework, path, values, self.fw)
        except AssessError as exc:
            placed = problems_by_field(exc.problems, "file")
            self.show_target(placed.get("file"))
            show_problems(self, placed)
            return
        assess_app(self).open_answers(path)

    def action_back(self) -> None:
        """Go back to the start screen (escape); ask first when something was typed."""
        typed = read_values(self) != {k: v[: MAX_METADATA[k]].strip() for k, v in self.start.items()}
        if typed or self.query_one("#file", Input).value != self.start_file:
            ask_discard(self, "Discard the new assessment's details?", self.app.pop_screen)
        else:
            self.app.pop_screen()


def file_problem(path: Path) -> str | None:
    """What stops the new-assessment form creating path, first problem first (a name, .yaml, the folder there, a
    folder, writable; the file not there yet), or None: what the line under 'Save as' and Create both say."""
    if not path.name:
        return "Type the name of the file to create."
    if path.suffix.lower() not in (".yaml", ".yml"):
        return f"Save as a .yaml file, e.g. {path.stem or path.name}.yaml."
    full = path.resolve()
    folder = full.parent
    if not folder.exists():
        return f"The folder {folder} does not exist; create it first, or choose a folder that exists."
    if not folder.is_dir():
        return f"{folder} is not a folder; choose a folder that exists."
    if full.exists() or full.is_symlink():
        return f"Already there: {full}; choose another name."
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"Cannot create a file in the folder {folder} (not writable); choose a folder you can write to."
    return None
