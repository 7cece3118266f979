"""Provides the start screen (frameworks, recent assessments, new and open) and the new-assessment form."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...answers import DEFAULT_MARKING
from ...errors import AssessError
from ...limits import MAX_METADATA, metadata_problems
from ...loader import load_framework
from ...pipeline import start_assessment
from ..widgets.footer import KeyFooter
from . import assess_app
from .dialogs import LimitedInput, limit_note

FIELDS = (
    ("title", "Title", True),
    ("mission", "Mission", False),
    ("area", "Area", False),
    ("period", "Period: 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15", False),
    ("analyst", "Analyst", False),
    ("marking", "Handling marking", True),
)


class StartScreen(Screen):
    """Pick a framework to start an assessment, or open one."""

    BINDINGS = [Binding("ctrl+o", "open", "Open file", id="start.open")]

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
        """Ask for the new assessment's metadata, for the framework picked."""
        assert event.option.id is not None  # every framework option has its index as id
        _, path = self.frameworks[int(event.option.id)]
        self.app.push_screen(NewScreen(path))

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
    """The metadata of a new assessment, checked before the file is created."""

    BINDINGS = [Binding("escape", "back", "Back", id="new.back")]

    def __init__(self, framework: Path):
        super().__init__()
        self.framework = framework

    def compose(self) -> ComposeResult:
        """Lay out the metadata fields (title and marking filled in), the file name to save as, and Create."""
        fw, _ = load_framework(self.framework)
        self.fw = fw
        with VerticalScroll():
            yield Label(Content(f"New assessment: {fw.title} {fw.version}"), classes="dialog-title")
            for key, label, _ in FIELDS:
                yield Label(label)
                value = fw.title if key == "title" else DEFAULT_MARKING if key == "marking" else ""
                yield LimitedInput(value[: MAX_METADATA[key]], id=key, max_length=MAX_METADATA[key])
            yield Label("Save as")
            yield Input(f"{fw.id}-assessment.yaml", id="file")
            yield limit_note()
            yield Static("", id="form-error", classes="error", markup=False)
            yield Button("Create and start", id="create", variant="primary")
        yield KeyFooter()

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def create(self) -> None:
        """Check the metadata and the file name, create the answers file and open it; or say what to correct."""
        values = {key: self.query_one(f"#{key}", Input).value.strip() for key, _, _ in FIELDS}
        missing = [label for key, label, needed in FIELDS if needed and not values[key]]
        path = Path(self.query_one("#file", Input).value.strip()).expanduser()
        error = ""
        wrong = metadata_problems(values, "")  # the period, as score and collect read it
        if missing:
            error = f"Fill in: {', '.join(missing)}."
        elif wrong:
            error = "\n".join(f"{p.message} [{p.code}]" for p in wrong)
        elif not path.name or path.suffix not in (".yaml", ".yml"):
            error = "Save as a .yaml file."
        elif path.exists():
            error = f"{path} exists; choose another name."
        self.query_one("#form-error", Static).update(error)
        if error:
            return
        try:
            start_assessment(self.framework, path, values, self.fw)
        except AssessError as exc:
            self.query_one("#form-error", Static).update("\n".join(map(str, exc.problems)))
            return
        assess_app(self).open_answers(path)

    def on_mount(self) -> None:
        """Start typing in the title field."""
        self.query_one("#title", Input).focus()  # typing starts in the first field, not in the scroll area

    def action_back(self) -> None:
        """Go back to the start screen (escape)."""
        self.app.pop_screen()
