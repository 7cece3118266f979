"""Provides the start screen (frameworks, recent assessments, new and open), the new-assessment form and the form
that starts the next period from an earlier assessment."""

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

from ...answers import load_answers
from ...carry import newer
from ...errors import AssessError
from ...i18n import N_, domain, language
from ...limits import MAX_METADATA, default_marking, metadata_problems
from ...loader import load_framework
from ...migrate import migrate
from ...model import Answers, Framework
from ...pipeline import framework_for, start_assessment, start_next_period
from ..widgets.footer import KeyFooter
from . import assess_app
from .dialogs import ErrorDialog, ask_discard, fit_labels, limit_note, move_on, show_hint
from .metadata import (
    FIELDS,
    clear_error,
    field_error,
    field_rows,
    problems_by_field,
    problems_of,
    read_values,
    show_problems,
)
from .wording import app_message

_, ngettext, pgettext = domain("app")

NEXT_PERIOD = N_("Next period from an earlier assessment…")
"""The start screen's entry for the form that starts the next period from an earlier assessment."""


class StartScreen(Screen):
    """Pick a framework to start an assessment, or open one."""

    BINDINGS = [
        Binding("ctrl+o", "open", N_("Open file"), id="start.open"),
        # the app opens the form itself, so that what is typed right after Enter lands in its title
        Binding("enter", "new", N_("New assessment"), id="start.new", show=False, priority=True),
        Binding("ctrl+t", "next_period", N_("Next period"), id="start.next_period"),
    ]

    def __init__(self, frameworks: list[tuple[str, Path]], recent: list[Path]):
        super().__init__()
        self.frameworks, self.recent = frameworks, recent

    def compose(self) -> ComposeResult:
        """Lay out the frameworks to start from, the recent assessments, and a field to open a file by path."""
        with VerticalScroll():
            yield Label(_("assess — structured assessments of organized crime"), classes="dialog-title")
            yield Label(_("New assessment: pick a framework and press Enter"))
            yield OptionList(
                *[
                    Option(Content(f"{title}  ({path.name})"), id=str(i))
                    for i, (title, path) in enumerate(self.frameworks)
                ],
                id="frameworks",
            )
            yield Label(_("Resume a recent assessment"))
            yield OptionList(
                *[Option(Content(str(p)), id=str(i)) for i, p in enumerate(self.recent)]
                or [Option(_("No recent assessments."), disabled=True)],
                id="recent",
            )
            yield Label(_("Open an answers file"))
            with Horizontal(classes="row"):
                yield Input(placeholder=_("path/to/assessment.yaml"), id="path")
                yield Button(_("Open"), id="open")
            yield Button(_(NEXT_PERIOD), id="next-period")
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
            path = self.frameworks[index][1]
            try:
                fw = load_framework(path, language())[0]
            except AssessError as exc:
                title = _("Cannot read {path}").format(path=path)
                await self.app.push_screen(ErrorDialog(title, "\n".join(map(str, exc.problems))))
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

    @on(Button.Pressed, "#next-period")
    def action_next_period(self) -> None:
        """Open the form that starts the next period from an earlier assessment (the latest one opened filled in),
        after the keys typed before, the keys typed after it landing in its first field."""

        async def push() -> None:
            form = NextPeriodScreen(self.recent[0] if self.recent else None)
            await self.app.push_screen(form)
            form.query_one("#earlier", Input).focus()

        assess_app(self).in_order(push)


class NewScreen(Screen):
    """The details of a new assessment and the file to create, checked before the file is created. Enter moves from
    field to field; the file is created only by Create or ctrl+s; escape asks before discarding what was typed."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="new.back"),
        Binding("ctrl+s", "create", N_("Create"), id="new.create", priority=True),
        Binding("enter", "next_field", N_("Next field"), id="new.next_field", show=False, priority=True),
    ]

    def __init__(self, framework: Path, fw: Framework | None = None):
        super().__init__()
        self.framework = framework
        self.fw = fw or load_framework(framework, language())[0]
        # the marking in the language the assessment is written in (limits.MARKINGS: French in French)
        marking = default_marking(self.fw.language)
        self.start = {key: "" for key, *_ in FIELDS} | {"title": self.fw.title, "marking": marking}
        self.start_file = f"{self.fw.id}-assessment.yaml"

    def compose(self) -> ComposeResult:
        """Lay out the details (title and marking filled in), the file to save as with where it will be, and Create."""
        fw = self.fw
        with VerticalScroll(classes="form"):
            title = _("New assessment: {title} {version}").format(title=fw.title, version=fw.version)
            yield Label(Content(title), classes="dialog-title one-line")  # a long title ends in … at 80 columns
            yield from field_rows({k: v[: MAX_METADATA[k]] for k, v in self.start.items()})
            with Horizontal(classes="form-row"):
                yield Label(_("Save as *"), classes="form-label")
                yield Input(self.start_file, id="file", compact=True)
            yield Static(id="target", markup=False)
            yield limit_note()
            yield Static(id="form-hint", classes="form-hint", markup=False)
            yield Button(_("Create and start"), id="create", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start typing in the title field (its text selected: what is typed replaces the framework's title)."""
        self.query_one("#title", Input).focus()
        fit_labels(self)
        show_hint(self, "new.create", _("Create"))
        self.show_target()

    def path(self) -> Path:
        """The file to create, as typed under 'Save as'."""
        return Path(self.query_one("#file", Input).value.strip() if self.is_mounted else self.start_file).expanduser()

    def show_target(self, problem: str | None = None) -> None:
        """Say under 'Save as' the full path Create makes, or why it cannot (problem, else file_problem's), in the
        error colour."""
        problem = problem or file_problem(self.path())
        target = self.query_one("#target", Static)
        target.update(problem or _("Will be created: {path}").format(path=self.path().resolve()))
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
        try:  # in the interface's language where the framework has it, else its own, and said so (W055)
            created = start_assessment(self.framework, path, values, lang=language())
        except AssessError as exc:
            placed = problems_by_field(exc.problems, "file")
            self.show_target(placed.get("file"))
            show_problems(self, placed)
            return
        app = assess_app(self)
        if created.warnings:  # said in the form's language, before the assessment opens in its own
            text = "\n".join(map(str, created.warnings))
            app.notify(text, title=_("Created with warnings"), severity="warning", timeout=20, markup=False)
        app.open_answers(path)

    def action_back(self) -> None:
        """Go back to the start screen (escape); ask first when something was typed."""
        typed = read_values(self) != {k: v[: MAX_METADATA[k]].strip() for k, v in self.start.items()}
        if typed or self.query_one("#file", Input).value != self.start_file:
            ask_discard(self, _("Discard the new assessment's details?"), self.app.pop_screen)
        else:
            self.app.pop_screen()


def file_problem(path: Path) -> str | None:
    """What stops the new-assessment form creating path, first problem first (a name, .yaml, the folder there, a
    folder, writable; the file not there yet), or None: what the line under 'Save as' and Create both say."""
    if not path.name:
        return _("Type the name of the file to create.")
    if path.suffix.lower() not in (".yaml", ".yml"):
        return _("Save as a .yaml file, e.g. {name}.yaml.").format(name=path.stem or path.name)
    full = path.resolve()
    folder = full.parent
    if not folder.exists():
        return _("The folder {folder} does not exist; create it first, or choose a folder that exists.").format(
            folder=folder
        )
    if not folder.is_dir():
        return _("{folder} is not a folder; choose a folder that exists.").format(folder=folder)
    if full.exists() or full.is_symlink():
        return _("Already there: {path}; choose another name.").format(path=full)
    if not os.access(folder, os.W_OK | os.X_OK):
        return _(
            "Cannot create a file in the folder {folder} (not writable); choose a folder you can write to."
        ).format(folder=folder)
    return None


def migration_note(last: Answers, earlier: Path, framework: str | None, done: bool = False) -> str | None:
    """What starting the next period does to answers made on an older version of their framework (a dry run of
    assess.migrate.migrate, nothing written): 'Made on mission-risk 1.1.0: its answers will be migrated to 2.0.0 —
    2 moved, 1 kept aside.' (done: 'were migrated'), or why they cannot be; None when they stay as they are (the
    same version, or what creating refuses anyway: another framework, a later version, none found)."""
    try:
        fw = load_framework(framework_for(last, earlier, framework))[0]
    except AssessError:
        return None
    pin = last.framework
    if pin.id != fw.id or pin.version == fw.version or newer(pin.version, fw.version):
        return None
    made = {"framework": pin.id, "old": pin.version, "new": fw.version}
    try:
        moved = migrate(last, fw, None, str(earlier))
    except AssessError as exc:
        return _("Made on {framework} {old}: its answers cannot be migrated to {new}: {reason}").format(
            reason=app_message(exc.problems[0]), **made
        )
    kept = len(moved.kept_aside)
    if done:
        said = _("Made on {framework} {old}: its answers were migrated to {new} — {moved} moved")
    else:
        said = _("Made on {framework} {old}: its answers will be migrated to {new} — {moved} moved")
    aside = (
        ngettext(", {n} kept aside (listed in the new file)", ", {n} kept aside (listed in the new file)", kept).format(
            n=kept
        )
        if kept
        else ""
    )
    return said.format(moved=moved.moved, **made) + aside + "."


class NextPeriodScreen(Screen):
    """The next period started from an earlier assessment: its answers file, the new period and the file to create
    (pipeline.start_next_period: answers carried forward to review, the last plan's actions to follow up). Enter
    moves from field to field; Create or ctrl+s creates and opens it; escape asks before discarding what was typed."""

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="new.back"),
        Binding("ctrl+s", "create", N_("Create"), id="new.create", priority=True),
        Binding("enter", "next_field", N_("Next field"), id="new.next_field", show=False, priority=True),
    ]

    def __init__(self, earlier: Path | None = None):
        super().__init__()
        self.start_earlier = str(earlier) if earlier is not None else ""
        self.suggested = ""  # the name 'Save as' was last filled with: replaced as the fields above change

    def compose(self) -> ComposeResult:
        """Lay out the earlier file (what it is said under it), the new period, the file to save as with where it
        will be, and Create."""
        with VerticalScroll(classes="form"):
            yield Label(_(NEXT_PERIOD).rstrip("…"), classes="dialog-title")
            rows = (
                ("earlier", _("Earlier *"), self.start_earlier, _("path/to/last-period.answers.yaml")),
                ("period", _("Period *"), "", _("the new period: 2027, 2027-H1, 2027-Q1, 2027-01 …")),
                ("file", _("Save as *"), "", _("path/to/new.answers.yaml")),
            )
            for key, label, value, hint in rows:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Input(value, placeholder=hint, id=key, compact=True)
                if key == "earlier":
                    yield Static(id="earlier-info", classes="field-error hint", markup=False)
                if key != "file":
                    yield field_error(key)
            yield Static(id="target", markup=False)
            yield Static(
                _(
                    "Its answers are copied, marked 'carried forward — review' until confirmed or changed; the "
                    "earlier period's actions come to follow up. The earlier file stays as it is."
                ),
                classes="hint",
                markup=False,
            )
            yield Static(id="form-hint", classes="form-hint", markup=False)
            yield Button(_("Create and start"), id="create", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start in the earlier file's field (what it holds selected: what is typed replaces it)."""
        self.query_one("#earlier", Input).focus()
        fit_labels(self)
        show_hint(self, "new.create", _("Create"))
        self.describe()

    def value(self, key: str) -> str:
        """A field's text, trimmed."""
        return self.query_one(f"#{key}", Input).value.strip()

    def earlier(self) -> Path:
        """The earlier answers file, as typed."""
        return Path(self.value("earlier")).expanduser()

    def path(self) -> Path:
        """The file to create, as typed under 'Save as'."""
        return Path(self.value("file")).expanduser()

    def describe(self) -> None:
        """Say under the earlier file what it is (framework and version, title, period), or why it is not one; fill
        'Save as' with '<framework id>.<period>.answers.yaml' beside it until a name is typed there; say under it
        the full path Create makes, or what stops it."""
        info = self.query_one("#earlier-info", Static)
        last = None
        if self.value("earlier"):
            try:
                last = load_answers(self.earlier())[0]
            except AssessError as exc:
                info.update(app_message(exc.problems[0], at_field=True))
            else:
                meta = last.metadata
                period = _(", period {period}").format(period=meta["period"]) if meta.get("period") else ""
                said = f"{last.framework.id} {last.framework.version} — {meta.get('title', '')}{period}"
                moving = migration_note(last, self.earlier(), assess_app(self).framework)
                info.update(f"{said}\n{moving}" if moving else said)
        info.display = bool(self.value("earlier"))
        field = self.query_one("#file", Input)
        if last is not None and self.value("period") and field.value.strip() in ("", self.suggested):
            name = f"{last.framework.id}.{self.value('period')}.answers.yaml"
            self.suggested = str(Path(self.value("earlier")).parent / name)
            field.value = self.suggested
        self.show_target()

    def show_target(self, problem: str | None = None) -> None:
        """Say under 'Save as' the full path Create makes, or why it cannot (problem, else file_problem's); while it
        is blank, how it is filled in."""
        target = self.query_one("#target", Static)
        if problem is None and not self.value("file"):
            target.update(_("Filled in once the earlier file and the period are typed; or type a name."))
            target.set_class(False, "error")
            return
        problem = problem or file_problem(self.path())
        target.update(problem or _("Will be created: {path}").format(path=self.path().resolve()))
        target.set_class(problem is not None, "error")

    @on(Input.Changed)
    def edited(self, event: Input.Changed) -> None:
        """A field edited: its error goes; what is said under the earlier file and 'Save as' follows."""
        clear_error(self, event.input)
        if event.input.id == "file":
            self.show_target()
        else:
            self.describe()

    def action_next_field(self) -> None:
        """Enter: the next field (earlier file, period, save as), then Create."""
        move_on(self, [self.query_one(f"#{key}") for key in ("earlier", "period", "file", "create")])

    @on(Button.Pressed, "#create")
    def action_create(self) -> None:
        """Create and start (ctrl+s from any field, or the button), after the keys typed before."""
        assess_app(self).in_order(self.create)

    def problems(self) -> dict[str, str]:
        """What stops Create, by field: no earlier file, no period or not one, the file to create."""
        out: dict[str, str] = {}
        if not self.value("earlier"):
            out["earlier"] = _("Type the path of the earlier assessment's answers file.")
        elif not self.earlier().is_file():
            out["earlier"] = _("No answers file there: {path}.").format(path=self.earlier().resolve())
        if not self.value("period"):
            out["period"] = _("Fill in the period the new assessment covers.")
        for p in metadata_problems({"period": self.value("period")}, "") if "period" not in out else []:
            if p.code == "E323":  # the period only: the marking is the earlier file's
                out["period"] = app_message(p, at_field=True)
        wrong = file_problem(self.path())
        if wrong:
            out["file"] = wrong
        return out

    async def create(self) -> None:
        """Check the fields, start the next period from the earlier file and open the new one; or say at each field
        what to correct, and in a dialog why the next period cannot start from it (the command line's reasons)."""
        problems = self.problems()
        for note in self.query(".field-error").results(Static):
            key = (note.id or "").removesuffix("-error")
            if key in ("earlier", "period"):
                note.update(problems.get(key, ""))
                note.display = key in problems
        self.show_target(problems.get("file"))
        first = next((key for key in ("earlier", "period", "file") if key in problems), None)
        if first is not None:
            self.query_one(f"#{first}", Input).focus()
            return
        app = assess_app(self)
        try:
            last = load_answers(self.earlier())[0]
            framework = framework_for(last, self.earlier(), app.framework)
            moved = migration_note(last, self.earlier(), app.framework, done=True)
            start_next_period(framework, self.earlier(), self.path(), self.value("period"))
        except AssessError as exc:
            text = "\n".join(app_message(p) for p in exc.problems)
            await app.push_screen(ErrorDialog(_("Cannot start the next period"), text))
            return
        app.open_answers(self.path())
        if moved:  # never silent: the answers carried forward are the migrated ones
            app.notify(moved, title=_("Answers migrated"), timeout=15, markup=False)

    def action_back(self) -> None:
        """Go back to the start screen (escape); ask first when something was typed."""
        typed = (self.value("earlier"), self.value("period")) != (self.start_earlier, "")
        if typed or self.value("file") not in ("", self.suggested):
            ask_discard(self, _("Discard what was typed for the next period?"), self.app.pop_screen)
        else:
            self.app.pop_screen()
