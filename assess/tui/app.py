"""Provides the Textual app: start screen, main screen and summary over one editing session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

from ..errors import LOCKED, AssessError, Problem
from ..files import write_atomic
from ..i18n import N_, domain, language, primary
from ..loader import load_framework
from ..model import Framework
from ..paths import FRAMEWORKS
from ..session import Session
from .keys import OrderedKeys, settle
from .language import open_session, word
from .screens.blocks import show_stop
from .screens.dialogs import ErrorDialog
from .screens.held import POLL, ReadOnlyOffer, closed_note, freed, keep_place, offer_text, signature, updated_note
from .screens.main import MainScreen
from .screens.palette import Palette, ScreenCommands
from .screens.start import StartScreen

_, ngettext, pgettext = domain("app")

RECENT_MAX = 10
KEYS_HELP = N_("Every key by context, as bound now, with what it does (as F1 shows them)")
"""The palette's Keys command: the app's help, in place of Textual's panel of keys."""


def _state_file() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("assess")) / "recent.json"


def recent_files() -> list[Path]:
    """The answers files opened lately, newest first, those that still exist (none when the list cannot be read)."""
    try:
        return [Path(p) for p in json.loads(_state_file().read_text(encoding="utf-8")) if Path(p).exists()]
    except (OSError, ValueError, TypeError):
        return []


def remember(path: Path) -> None:
    """Put path first in the recent files the start screen offers (a failure to record it is ignored)."""
    try:
        items = [str(path.resolve())] + [str(p) for p in recent_files() if p.resolve() != path.resolve()]
        state = _state_file()
        state.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(state, json.dumps(items[:RECENT_MAX]))
    except OSError:
        pass  # the recent list is a convenience: never stop a planner over it


def user_frameworks() -> list[Path]:
    """The framework files the user keeps in their data folder (assess/frameworks), by name."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("assess")) / "frameworks"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def framework_choices(paths: list[Path]) -> list[tuple[str, Path]]:
    """Each framework file with the title and version it shows on the start screen (in the interface language when
    the framework has it), or why it cannot be read. When one of them lacks the interface language, each says the
    languages it has, that one first ('[fr,en]'), so that a French user sees which exist in French."""
    lang = primary(language())
    read: list[tuple[Framework | None, Path]] = []
    for path in paths:
        try:
            read.append((load_framework(path, language())[0], path))
        except AssessError:
            read.append((None, path))
    said = any(fw is not None and lang not in map(primary, fw.languages) for fw, _path in read)
    out = []
    for fw, path in read:
        if fw is None:
            out.append((_("(cannot be read) {name}").format(name=path.stem), path))
            continue
        title = f"{fw.title} {fw.version}"
        if said:
            codes = sorted(fw.languages, key=lambda code: primary(code) != lang)  # the interface's first
            title += f" [{','.join(codes)}]"  # one word: never broken across two lines
        out.append((title, path))
    return out


class AssessApp(OrderedKeys):
    """The planner's app. Keys: ctrl+q quits; every binding has an id, so keys can be remapped."""

    TITLE = "assess"
    CSS_PATH = "assess.tcss"
    COMMANDS = OrderedKeys.COMMANDS | {ScreenCommands}  # the screen's keys, found by what they do (screens/palette.py)
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
        # F1 a priority: the help from everywhere, dialogs included (a dialog stops the keys that are not); '?' not
        # one, so a field that takes '?' as typed text keeps it (Textual leaves out keys a field consumes)
        Binding("f1", "help", N_("Help"), id="app.help", priority=True),
        Binding("question_mark", "help", N_("Help (where ? types nothing)"), id="app.help_key", show=False),
        # the app moves the focus itself, in the order the keys came: keys typed after Tab go to the next field
        Binding("tab", "ordered_focus(1)", N_("Next field"), id="app.focus_next", show=False, priority=True),
        Binding(
            "shift+tab", "ordered_focus(-1)", N_("Previous field"), id="app.focus_previous", show=False, priority=True
        ),
    ]

    def __init__(
        self,
        answers: Path | None = None,
        framework: str | None = None,
        frameworks: list[Path] | None = None,
        keymap: dict[str, str] | None = None,
        session: Session | None = None,
        key_warnings: list[Problem] | None = None,
        lang: str | None = None,
    ):
        """session: one already open on answers (as `assess open` does to check the file first); key_warnings: what
        the user's keys file (keyfile.py) left out of keymap, shown once the app has opened; lang: the --lang given
        (else each assessment opens in the language it records, see language.open_session)."""
        super().__init__()
        self.lang = lang
        """The language asked for on the command line (--lang), or None."""
        self.answers_path, self.framework = answers, framework
        self.extra_frameworks = frameworks or []
        self.session: Session | None = None
        self.keymap = keymap or {}
        self.key_warnings = key_warnings or []
        self._opened = session
        self._quit_refused: tuple[str, str] | None = None  # the typed text a ctrl+q last warned about
        self.disk_poll = POLL
        """Seconds between two looks at a read-only session's file (screens/held.py)."""
        self._disk: tuple[int, int] | None = None  # the read-only session's file as last read
        self._disk_timer: Timer | None = None
        self._reloading = False  # a reread of the read-only session's file is on its way
        self._held_by_other = False  # another session held the read-only session's file at the last look
        self._viewed_with: str | None = None  # the framework a read-only session was opened on (an older version)

    def on_mount(self) -> None:
        """Open the answers file given, or show the start screen (with the file's problem, if it could not open)."""
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.key_warnings:  # the app opens with the rest of the file's keys, and says what it left out
            text = "\n".join(map(str, self.key_warnings))
            title = _("Keys file: entries left out")
            self.notify(text, title=title, severity="warning", timeout=30, markup=False)
        if self._opened is not None and self.answers_path is not None:
            session, self._opened = self._opened, None
            if not self.offer_migration(self.answers_path, leave=True, session=session):
                self.show_session(session, self.answers_path)
        elif self.answers_path is None or not self.open_answers(self.answers_path, quiet=True):
            self.push_screen(StartScreen(self.framework_list(), recent_files()))
            if self.answers_path is not None:
                self.open_answers(self.answers_path)

    def framework_list(self) -> list[tuple[str, Path]]:
        """The start screen's frameworks: the bundled ones, the user's, then those given on the command line."""
        return framework_choices([*sorted(FRAMEWORKS.glob("*.yaml")), *user_frameworks(), *self.extra_frameworks])

    def get_system_commands(self, screen: Screen) -> Iterator[SystemCommand]:
        """Textual's commands in the palette (theme, quit, screenshot…), named in the interface language; its Keys
        opens the app's help (every key by context, in that language) rather than Textual's panel."""
        for command in super().get_system_commands(screen):
            if command.title == "Keys":
                command = command._replace(help=KEYS_HELP, callback=self.action_help)
            yield command._replace(title=word(command.title), help=word(command.help))

    def action_command_palette(self) -> None:
        """Show the command palette, its prompt in the interface language."""
        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help(self) -> None:
        """Show every key by context, the tree marks and how to remap keys (screens/help.py), after the keys before;
        on the help, close it (F1 goes back to the screen or dialog it was opened from, its typed text kept)."""
        from .screens.help import HelpScreen

        async def show() -> None:
            if isinstance(self.screen, HelpScreen):
                self.screen.dismiss(None)
            else:
                await self.push_screen(HelpScreen())

        self.in_order(show)

    async def action_quit(self) -> None:
        """Quit, saving first what was typed in the current question; a typed text that cannot be saved is
        shown with the reason, and quitting again at once leaves without it."""
        self.in_order(self._quit)

    async def _quit(self) -> None:
        main = next((s for s in reversed(self.screen_stack) if isinstance(s, MainScreen)), None)
        if main is not None and not main.leave(quitting=True) and self._quit_refused != main.refused:
            self._quit_refused = main.refused
            return
        self.exit()

    def open_answers(self, path: Path, quiet: bool = False) -> bool:
        """Open an answers file in the main screen, or show why it cannot be opened (unless quiet: False then, and
        the caller shows it). A file another session holds is offered read-only; quiet (from the command line),
        True is returned and Cancel leaves the app."""
        try:
            session = open_session(path, self.framework, lang=self.lang)
        except AssessError as exc:
            if not any(p.code in LOCKED for p in exc.problems) and self.offer_migration(path, leave=quiet):
                return True  # answers an older version took, which this one does not: the offer says what moves
            message = "\n".join(map(str, exc.problems))
            if any(p.code == "E324" for p in exc.problems):  # read-only for its owner: looked at, never rewritten
                try:
                    session = open_session(path, self.framework, read_only=True, lang=self.lang)
                except AssessError:
                    pass
                else:
                    self.show_session(session, path)
                    title = _("Opened read-only")
                    self.notify(message, title=title, severity="warning", timeout=12, markup=False)
                    return True
            if any(p.code in LOCKED for p in exc.problems):  # another session holds it: offered read-only
                self.offer_read_only(path, exc.problems, leave=quiet)
                return quiet
            if not quiet:
                self.push_screen(ErrorDialog(_("Cannot open {path}").format(path=path), message))
            return False
        if not self.offer_migration(path, leave=quiet, session=session):
            self.show_session(session, path)
        return True

    def offer_migration(self, path: Path, leave: bool, session: Session | None = None) -> bool:
        """When the answers pin an older version of their framework that declares the way to this one, close the
        session opened on them (if any) and show what would change, with Migrate, Open read-only and Quit (leave:
        Quit leaves the app; else Back returns to the start screen); True then. False (and nothing done) otherwise:
        the same version, no declared way, or a session opened read-only, which opens as before, with its warnings."""
        if session is not None and (session.read_only or not any(w.code == "W001" for w in session.warnings)):
            return False
        from .screens.migrate import MigrateScreen, pending

        offer = pending(Path(path), self.framework)
        if offer is None:
            return False
        if session is not None:
            session.close()
        self.push_screen(MigrateScreen(offer, leave))
        return True

    def offer_read_only(self, path: Path, problems: list[Problem], leave: bool = False) -> None:
        """Another session holds the file (or its folder takes no lock): offer to look at it without changing it;
        Cancel leaves the app when leave (opened from the command line), else returns to where it was."""

        def answer(yes: bool | None) -> None:
            if not yes:
                if leave:
                    self.exit()
                return
            try:
                session = open_session(path, self.framework, read_only=True, lang=self.lang)
            except AssessError as exc:
                title = _("Cannot open {path}").format(path=path)
                self.push_screen(ErrorDialog(title, "\n".join(map(str, exc.problems))))
                return
            self.show_session(session, path)

        self.push_screen(ReadOnlyOffer(offer_text(path, problems)), answer)

    def show_session(self, session: Session, path: Path, framework: str | None = None) -> None:
        """Edit an open session in the main screen (framework: the one a read-only view was opened on, when not the
        app's: an older version, kept when it reads the file again)."""
        if self.session is not None:
            self.session.close()
        self.session = session
        self._viewed_with = framework if framework is not None else self.framework
        remember(Path(path))
        mode = _(" (read-only)") if session.read_only else ""
        self.sub_title = f"{session.answers.metadata.get('title', '')} — {Path(path).name}{mode}"
        self.push_screen(MainScreen(session))
        self._watch(session)
        if session.warnings:  # opened anyway: a text over its limit, metadata that score and report refuse
            shown = session.warnings[:5]
            rest = len(session.warnings) - 5
            more = (
                "\n"
                + ngettext(
                    "(and {n} more: run 'assess score' to see them all)",
                    "(and {n} more: run 'assess score' to see them all)",
                    rest,
                ).format(n=rest)
                if rest > 0
                else ""
            )
            text = "\n".join(map(str, shown)) + more
            self.notify(text, title=_("Opened with warnings"), severity="warning", timeout=20, markup=False)

    def _watch(self, session: Session) -> None:
        """Look at a read-only session's file every POLL seconds, to show what the session holding it saves."""
        if self._disk_timer is not None:
            self._disk_timer.stop()
            self._disk_timer = None
        if session.read_only:
            self._disk = signature(session.path)
            self._held_by_other = not freed(session.path)  # not a file opened read-only for want of write access
            self._disk_timer = self.set_interval(self.disk_poll, self.refresh_from_disk)

    def refresh_from_disk(self) -> None:
        """When a read-only session's file changed on disk, reread it after the keys typed before (see _reload)."""
        session = self.session
        if session is None or not session.read_only or self._reloading:
            return
        if self._held_by_other and freed(session.path):  # said once: the holding session has closed the file
            self._held_by_other = False
            self.notify(closed_note(session.path), timeout=30, markup=False)
        now = signature(session.path)
        if now is not None and now != self._disk:
            self._reloading = True
            self.in_order(lambda: self._reload(now))

    async def _reload(self, now: tuple[int, int]) -> None:
        """Reopen the read-only session and redraw the main screen on the same question, with a notice; a file
        that does not read (a save half done) waits for the next look, as does a screen with a dialog over it."""
        try:
            session, screen = self.session, self.screen
            if session is None or not isinstance(screen, MainScreen):
                return
            try:
                fresh = open_session(session.path, self._viewed_with, read_only=True, lang=self.lang)
            except AssessError:
                return
            self._disk = now
            stop = keep_place(screen, fresh)  # the same question, or the nearest in its section if its block went
            self.session = fresh
            await self.switch_screen(shown := MainScreen(fresh))
            if stop is not None:
                await settle(self)  # the new screen's first question focused (a focus it defers) before it goes
                await show_stop(shown, stop)
            self.notify(updated_note(), timeout=4)
        finally:
            self._reloading = False

    def on_unmount(self) -> None:
        """Close the session on the way out, freeing the file's lock."""
        if self.session is not None:
            self.session.close()
