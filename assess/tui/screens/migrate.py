"""Provides the offer made when answers pinned to an older framework version open: what would change for this
assessment, then migrate it into a new file, look at it read-only on its own version, or quit."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from ...answers import load_answers
from ...diff import Change, affecting, diff
from ...diffview import SYMBOLS, TERMINAL_CUT, effect_words, what
from ...errors import AssessError, Problem
from ...i18n import N_, domain
from ...loader import load_framework
from ...migrate import chain, migrate
from ...model import Answers, Framework
from ...paths import FRAMEWORKS, PREVIOUS, releases
from ...pipeline import default_migrated_name, framework_for, migrate_file, pin_for
from ..language import open_session, punct
from ..widgets.footer import KeyFooter
from . import assess_app
from .dialogs import ErrorDialog
from .wording import app_message

_, ngettext, pgettext = domain("app")


def old_framework(answers: Answers, path: Path, bundled: Path = FRAMEWORKS) -> Path | None:
    """The framework file of the version the answers pin, where assess finds one: the file they pin by path, the
    earlier releases it ships (frameworks/previous/<id>-<version>-*.yaml), or '<id>-<version>.yaml' beside them;
    one whose hash is the pinned one first. None when none holds that version."""
    pin = answers.framework
    candidates = [Path(path).parent / pin.path] if pin.path else []
    candidates += releases(pin.id, pin.version, bundled)
    candidates.append(Path(path).parent / f"{pin.id}-{pin.version}.yaml")
    found: list[tuple[Path, Framework]] = []
    for candidate in dict.fromkeys(candidates):
        if not candidate.is_file():
            continue
        try:
            fw = load_framework(candidate)[0]
        except AssessError:
            continue
        if fw.id == pin.id and fw.version == pin.version:
            found.append((candidate, fw))
    matching = [p for p, fw in found if pin.hash and fw.hash == pin.hash]
    ranked = matching or [p for p, _ in found]
    return ranked[0] if ranked else None


@dataclass
class Pending:
    """An answers file pinned to an older version of its framework, which declares how answers move to its own:
    what a migration would do, found by a dry run (nothing written)."""

    path: Path
    """The answers file."""
    answers: Answers
    """Its answers, as read."""
    fw: Framework
    """The framework's version this assess has."""
    fw_path: Path
    """Where that framework was found."""
    framework: str | None = None
    """The framework the app was told to use (--framework), if any."""
    old_path: Path | None = None
    """The framework file of the version the answers pin, when found (see old_framework)."""
    changes: list[str] = field(default_factory=list)
    """The framework's changes that touch this assessment, worded (found only with the old version's file)."""
    moves: list[str] = field(default_factory=list)
    """How the answers move, one line each."""
    kept: list[str] = field(default_factory=list)
    """The answers the migration keeps aside (in the new file, listed), one line each."""
    unchanged: int = 0
    """Answers that stay as they are."""
    refused: list[Problem] = field(default_factory=list)
    """Why the migration is refused (an ambiguous step), else empty."""

    @property
    def old_version(self) -> str:
        """The version the answers pin."""
        return self.answers.framework.version

    @property
    def out(self) -> Path:
        """The new file Migrate writes, as `assess migrate` does by default: NAME-VERSION.answers.yaml beside it."""
        return default_migrated_name(self.path, self.fw.version)


def change_line(c: Change) -> str:
    """One change of the framework as the offer lists it, as `assess diff` prints it: what changed, and what it does
    to an assessment."""
    migrated = _(" (migrated)") if c.migrated else ""
    return f"{SYMBOLS[c.change]} {c.kind} {c.id}{punct(':')}{what(c, TERMINAL_CUT)} — {effect_words(c)}{migrated}"


def dry_run(p: Pending) -> None:
    """Migrate the answers as read, in memory (nothing written), filling in p's moves, kept-aside and refusal."""
    try:
        done = migrate(p.answers, p.fw, pin_for(p.fw_path, p.out), str(p.path))
    except AssessError as exc:
        p.refused = list(exc.problems)
        return
    p.refused = []
    p.moves = [str(m) for m in done.moves if m.kind != "kept aside"]
    p.kept = [f"{m.old}{punct(':')}{m.detail}" for m in done.moves if m.kind == "kept aside"]
    p.unchanged = done.unchanged


def pending(path: Path, framework: str | None = None, bundled: Path = FRAMEWORKS) -> Pending | None:
    """The migration an answers file waits for: it pins an older version of its framework than the one found for it,
    and that framework declares the way from there (assess.migrate.chain); None otherwise (the same version, a file
    that does not read, no declared way: the app then opens it as before, with its warnings)."""
    try:
        answers = load_answers(path)[0]
        fw_path = framework_for(answers, Path(path), framework)
        fw = load_framework(fw_path)[0]  # in its own language: the version it is compared with may have no other
        if answers.framework.id != fw.id or answers.framework.version == fw.version:
            return None
        if not chain(fw, answers.framework.version):
            return None
    except AssessError:
        return None
    p = Pending(Path(path), answers, fw, fw_path, framework, old_framework(answers, Path(path), bundled))
    if p.old_path is not None:
        try:
            old = load_framework(p.old_path)[0]
            p.changes = [change_line(c) for c in affecting(diff(old, fw), answers)]
        except AssessError:
            p.old_path = None
    dry_run(p)
    return p


class Hanging:
    """Text whose indented lines (the offer's list items), when wrapped, go on two columns further in than they
    start, so that each item stands out; lines not indented (sentences) wrap as usual."""

    def __init__(self, text: Text):
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """Each line wrapped to the width, its following lines indented under the start of its words."""
        width = options.max_width
        for line in self.text.split("\n", allow_blank=True):
            lead = len(line.plain) - len(line.plain.lstrip(" "))
            hang = lead + 2 if lead else 0
            if hang >= width // 2:  # too narrow to indent: as it is
                lead = hang = 0
            for i, part in enumerate(line[lead:].wrap(console, max(width - hang, 1))):
                yield Text.assemble(" " * (lead if i == 0 else hang), part, end="\n")


def offer_text(p: Pending) -> Text:
    """What the offer lists: the framework's changes that touch this assessment, how its answers move, what is kept
    aside, and why a migration is refused; framework and user text as plain text, never markup."""
    out = Text()

    def head(words: str) -> None:
        if out:
            out.append("\n")
        out.append(words + "\n", style="bold")

    old = f"{p.fw.id} {p.old_version}"
    if p.old_path is None:
        head(_("Changes of the framework: {old} not found").format(old=old))
        said = _(
            "The file of {old} is not beside this assessment nor among the earlier releases assess ships "
            "({folder}/), so the changes since cannot be listed; how the answers move is below."
        )
        out.append(said.format(old=old, folder=f"frameworks/{PREVIOUS}") + "\n")
    else:
        head(_("Changes of the framework that touch this assessment ({n})").format(n=len(p.changes)))
        none = _("None: only questions it did not answer changed.") + "\n"
        out.append("".join(f"  {line}\n" for line in p.changes) or none)
    if p.refused:
        head(_("The migration is refused"))
        out.append("".join(f"{app_message(x)}\n" for x in p.refused))
        out.append(
            _("Nothing can be migrated until the framework says how; it can still be looked at read-only.") + "\n"
        )
        return out
    head(_("How its answers move ({n})").format(n=len(p.moves)))
    out.append("".join(f"  {line}\n" for line in p.moves) or _("No answer changes its question or value.") + "\n")
    if p.kept:
        head(_("Kept aside: in the new file and listed, never dropped ({n})").format(n=len(p.kept)))
        out.append("".join(f"  {line}\n" for line in p.kept))
    n = p.unchanged
    out.append("\n" + ngettext("{n} answer unchanged.", "{n} answers unchanged.", n).format(n=n))
    return out


class MigrateScreen(Screen[None]):
    """The offer made when answers pinned to an older framework version open: what changes for them, and Migrate
    into a new file, Open read-only on the old version, or Quit (Back, from the start screen; escape too)."""

    DEFAULT_CSS = """
    MigrateScreen { padding: 0 1; }
    MigrateScreen #migrate-title { text-style: bold; }
    MigrateScreen #migrate-changes { height: 1fr; border: round $panel-lighten-2; }
    MigrateScreen #migrate-changes:focus-within { border: round $primary; }
    MigrateScreen #migrate-buttons { height: auto; margin-top: 0; }
    MigrateScreen #migrate-buttons Button { margin-right: 1; }
    """

    BINDINGS = [Binding("escape", "quit", N_("Quit, or back"), id="migrate.quit", show=False)]

    def __init__(self, pending: Pending, leave: bool = True):
        """leave: the app was opened on this file (Quit leaves it); else Back returns to the start screen."""
        super().__init__()
        self.pending, self.leave = pending, leave

    def compose(self) -> ComposeResult:
        """Lay out the versions, what a migration would do, where it writes, and the three buttons."""
        p = self.pending
        title = _("This assessment was made on {framework} {old}; this assess has {new}").format(
            framework=p.fw.id, old=p.old_version, new=p.fw.version
        )
        yield Static(Content(title), id="migrate-title")
        intro = _(
            "Nothing is changed yet. Migrate writes a new file beside it, {new}, and opens it; {name} stays as it is."
        ).format(new=p.out.name, name=p.path.name)
        there = p.out.exists() or p.out.is_symlink()
        if there:
            intro = _("{new} is already there (migrated before?): open it, or move it away to migrate again.").format(
                new=p.out.name
            )
        yield Static(Content(intro), id="migrate-intro")
        with VerticalScroll(id="migrate-changes"):
            yield Static(Hanging(offer_text(p)), id="changes")
        note = Static("", id="migrate-note", classes="error", markup=False)
        note.display = False
        yield note
        opener = Button(Content(_("Open {name}").format(name=p.out.name)), id="open-migrated")  # text, not markup
        opener.display = there
        yield opener
        look = p.old_version if p.old_path is not None else p.fw.version
        with Horizontal(classes="buttons", id="migrate-buttons"):
            yield Button(_("Migrate into a new file"), id="migrate", variant="primary", disabled=bool(p.refused))
            look_on = _("Open read-only on {version}").format(version=look)
            yield Button(Content(look_on), id="read-only")  # a version is text, not markup
            yield Button(_("Quit") if self.leave else _("Back"), id="quit")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Start on Migrate (a new file: this one stays as it is), on opening the file migrated before when it is
        there, or on read-only when the migration is refused."""
        first = "#read-only" if self.pending.refused else "#migrate"
        self.query_one("#open-migrated" if self.query_one("#open-migrated").display else first, Button).focus()

    def say(self, text: str) -> None:
        """Show text above the buttons (why Migrate wrote nothing)."""
        note = self.query_one("#migrate-note", Static)
        note.update(text)
        note.display = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Migrate, open read-only, or quit, by the button pressed."""
        if event.button.id == "migrate":
            self.migrate()
        elif event.button.id == "open-migrated":
            self.open_migrated()
        elif event.button.id == "read-only":
            self.read_only()
        else:
            self.action_quit()

    def migrate(self) -> None:
        """Migrate the file as it is now into the new file, as `assess migrate` does (refused when one is there,
        or when a step is ambiguous), then open that one."""
        p = self.pending
        try:
            done = migrate_file(p.path, p.framework, None, False, False)
        except AssessError as exc:
            if not (p.path.exists() or p.path.is_symlink()):  # moved or deleted since the offer opened
                gone = _(
                    "{name} is no longer there: it was moved or deleted after this offer opened. Nothing was written."
                ).format(name=p.path.name)
                self.say(f"{gone} [{exc.problems[0].code}]")
                return
            self.say("\n".join(app_message(x) for x in exc.problems) + "\n" + _("Nothing was written."))
            if any(x.code == "E311" for x in exc.problems):  # made meanwhile: it can be opened
                opener = self.query_one("#open-migrated", Button)
                opener.display = True
                opener.focus()
            return
        app = assess_app(self)
        self.dismiss()
        app.open_answers(done.out or p.out)

    def open_migrated(self) -> None:
        """Open the file already there where Migrate writes (migrated before), as any answers file opens; this file
        stays as it is. One that does not read as answers is said here."""
        p = self.pending
        try:
            load_answers(p.out)
        except AssessError as exc:
            self.say("\n".join(app_message(x) for x in exc.problems))
            return
        app = assess_app(self)
        self.dismiss()
        app.open_answers(p.out)

    def read_only(self) -> None:
        """Open the file read-only on the version it pins (its framework file found), else on this assess's version;
        nothing is saved."""
        p = self.pending
        framework = str(p.old_path) if p.old_path is not None else p.framework
        app = assess_app(self)
        try:
            session = open_session(p.path, framework, read_only=True, lang=app.lang)
        except AssessError as exc:
            title = _("Cannot open {path}").format(path=p.path)
            app.push_screen(ErrorDialog(title, "\n".join(map(str, exc.problems))))
            return
        self.dismiss()
        app.show_session(session, p.path, framework)
        said = _("Read-only on {framework} {version}: nothing is saved.").format(
            framework=p.fw.id, version=session.fw.version
        )
        app.notify(said, title=_("Opened read-only"), timeout=8, markup=False)

    def action_quit(self) -> None:
        """Quit the app (opened on this file), or go back to the start screen; nothing was written."""
        if self.leave:
            self.app.exit()
        else:
            self.dismiss()
