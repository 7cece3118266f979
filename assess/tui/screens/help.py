"""Provides the help screen: every key of the app by context, as bound now (after remapping), with what it does
and its id, what the tree marks mean, and how to remap a key."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ...i18n import N_, domain
from ..keyfile import app_classes, keys_path
from ..language import description, word
from ..widgets.footer import KeyFooter, key_label
from ..widgets.nav import CARRIED_MARK, MARKS, NavTree
from ..widgets.question import QuestionPane
from . import main, start, summary

_, ngettext, pgettext = domain("app")

MEANINGS = {
    "answered": N_("answered"),
    "required": N_("required and still open"),
    "unanswered": N_("open"),
    "not_applicable": N_("not applicable"),
    "unknown": N_("unknown (an intelligence gap)"),
    "hidden": N_("hidden: a condition on another answer leaves it out"),
}
"""What each tree mark (widgets/nav.py MARKS) means, by the status it marks."""

CONTEXTS: list[tuple[str, type[DOMNode]]] = [
    (N_("Main screen"), main.MainScreen),
    (N_("Question tree"), NavTree),
    (N_("Question pane"), QuestionPane),
    (N_("Summary"), summary.SummaryScreen),
    (N_("Start screen"), start.StartScreen),
    (N_("New-assessment form"), start.NewScreen),
]
"""The app's places, in the order the help lists them (the app-wide keys come first, dialogs and others after)."""

TEXTUAL_ONLY = ("scroll_", "page_", "cursor_left", "cursor_right")
"""Actions of Textual's own widgets left out of the help: scrolling and moving across, the same everywhere."""

REMAP = N_(
    "Every key above can be remapped by its id in a keys file: keys.yaml in the user config folder ({path}; the "
    "ASSESS_KEYS environment variable names another file), one line per id, several keys separated by commas, "
    "for example 'assess.previous: alt+p' (inside tmux or screen, whose prefix is ctrl+b) or 'assess.next: ctrl+n, "
    "alt+j'. The app reads it when it opens and says what it leaves out (an unknown id, a key name it does not "
    "know, a key already in force for another id); 'assess keys' lists every id with its keys. Keys marked (fixed) "
    "are Textual's own and keep their keys. The keys this help lists are those in force now, remapped ones included."
)


@dataclass(frozen=True)
class Row:
    """One action in the help: its keys as bound now, what it does and its id."""

    keys: str
    does: str
    id: str


def rows(app: App, bindings: BindingsMap, textual_keys: bool = False) -> list[Row]:
    """The rows of a set of bindings with the app's keymap applied: one per action (its keys joined), the
    bindings with an id (the app's own), and Textual's own keys (no id) only when textual_keys."""
    live = bindings.copy()
    if app._keymap:  # what Textual does to every node's bindings as it runs them
        live.apply_keymap(app._keymap)
    found: dict[str, tuple[list[str], Binding]] = {}
    for _key, binding in live:
        if not binding.description or binding.system:
            continue
        if binding.id is None and (not textual_keys or binding.action.startswith(TEXTUAL_ONLY)):
            continue
        keys = found.setdefault(binding.id or binding.action, ([], binding))[0]
        label = key_label(app, binding)
        if label not in keys:
            keys.append(label)
    return _numbered([Row(" / ".join(keys), description(b), b.id or _("(fixed)")) for keys, b in found.values()])


def _numbered(found: list[Row]) -> list[Row]:
    """Rows that differ only by a number in a run ('Confidence 1' … 'Confidence 9') as one row: 'alt+1…alt+9'."""
    out: list[Row] = []
    run: list[Row] = []

    def stem(r: Row) -> tuple[str, str] | None:
        ids, does = re.fullmatch(r"(.*\D)\d+", r.id), re.fullmatch(r"(.*\D)\d+", r.does)
        return (ids.group(1), does.group(1)) if ids and does else None

    for r in [*found, None]:
        if r is not None and run and stem(r) is not None and stem(r) == stem(run[0]):
            run.append(r)
            continue
        if len(run) > 2:
            first, last = run[0], run[-1]
            tail = last.id.removeprefix(stem(first)[0])  # type: ignore[index]  # a run has a stem
            out.append(
                Row(f"{first.keys}…{last.keys}", f"{first.does}…{last.does.rsplit(' ', 1)[-1]}", f"{first.id}…{tail}")
            )
        else:
            out += run
        run = [r] if r is not None else []
    return out


def contexts(app: App) -> list[tuple[str, list[Row]]]:
    """Every binding of the app by context: app-wide, each screen and pane, the dialogs, and any other screen or
    widget of the app with keys of its own (a new one shows here without a change to this module)."""
    out = [(_("Everywhere"), rows(app, app._bindings, textual_keys=True))]
    listed = {cls for _title, cls in CONTEXTS}
    out += [(_(title), rows(app, cls._merged_bindings or BindingsMap(), cls is NavTree)) for title, cls in CONTEXTS]
    dialog_rows: dict[str, Row] = {}
    others = []
    classes = app_classes(DOMNode)
    for cls in classes:
        if cls in listed or cls is HelpScreen or issubclass(cls, App) or not cls._merged_bindings:
            continue
        if any(other is not cls and issubclass(other, cls) for other in [*classes, *listed]):
            continue  # a base class: its keys are listed with the screen or pane built on it
        found = rows(app, cls._merged_bindings)
        if issubclass(cls, ModalScreen):
            for r in found:  # one row per id across the dialogs, with every key any of them binds
                seen = dialog_rows.get(r.id)
                keys = (
                    r.keys
                    if seen is None
                    else " / ".join(dict.fromkeys([*seen.keys.split(" / "), *r.keys.split(" / ")]))
                )
                dialog_rows[r.id] = Row(keys, r.does, r.id)
        elif found:
            others.append((_title(cls), found))
    out += [(_("Dialogs"), list(dialog_rows.values())), *others]
    out.append((_("This help"), rows(app, HelpScreen._merged_bindings or BindingsMap())))
    return [(title, found) for title, found in out if found]


OTHER_PLACES = {
    "FollowUpScreen": N_("Follow-up screen"),
    "NextPeriodScreen": N_("Next period screen"),
    "MigrateScreen": N_("Migrate screen"),
    "ConfidenceSelect": N_("Confidence select"),
}
"""The names of the app's other places with keys of their own, in the interface language (others: the class's
name in words)."""


def _title(cls: type) -> str:
    """A class's name in words: MetadataScreen -> 'Metadata screen' (as OTHER_PLACES names it, when it does)."""
    if cls.__name__ in OTHER_PLACES:
        return _(OTHER_PLACES[cls.__name__])
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in cls.__name__).split()
    return " ".join(words).capitalize()


KEY_WIDTH = (6, 14)
"""The key column's width: its widest key, within these bounds (a longer key takes a line of its own)."""


def _wrapped(text: str, width: int) -> list[str]:
    """A text in lines of at most width cells, broken between words (a word longer than a line keeps its line)."""
    return textwrap.wrap(text, max(width, 8), break_long_words=False, break_on_hyphens=False) or [""]


def help_text(title: str, places: list[tuple[str, list[Row]]], width: int) -> Text:
    """The whole help for a width in cells: the title, each context's keys in three columns lined up through the
    page (key, what it does wrapped at words, id), the tree marks and the remapping note."""
    keys = [r for _place, found in places for r in found]
    kw = max([n for n in (cell_len(r.keys) for r in keys) if n <= KEY_WIDTH[1]] + [KEY_WIDTH[0]])
    iw = max([cell_len(r.id) for r in keys] + [0])
    longest = max([cell_len(r.does) for r in keys] + [0])
    dw = max(min(width - kw - iw - 6, longest), 12)  # two spaces before each column; wraps when the line is short
    out = Text(no_wrap=True, overflow="crop")
    for line in _wrapped(title, width):
        out.append(line + "\n", style="bold")

    def head(name: str) -> None:
        out.append("\n" + name + "\n", style="bold underline")

    for name, found in places:
        head(name)
        for r in found:
            lines = _wrapped(r.does, dw)
            if cell_len(r.keys) > kw:  # a long key: alone on its line, the rest under it
                out.append(f"  {r.keys}\n", style="bold")
                first = " " * kw
            else:
                first = r.keys.ljust(kw)
            for i, line in enumerate(lines):
                out.append("  ")
                out.append(first if i == 0 else " " * kw, style="bold")
                out.append("  " + line.ljust(dw) if i == 0 else "  " + line)
                if i == 0:
                    out.append("  " + r.id, style="dim")
                out.append("\n")
    head(_("Marks in the question tree"))
    for status, mark in MARKS.items():
        out.append(f"  {mark}", style="bold")
        out.append(f"  {word(MEANINGS[status]) if status in MEANINGS else status.replace('_', ' ')}\n")
    out.append(f"  {CARRIED_MARK}", style="bold")  # after a mark: the answer is the last period's, to review
    out.append("  " + _("after the mark: carried forward from the last period, to review (confirm it or change it)"))
    out.append("\n")
    head(_("Remapping keys"))
    for line in _wrapped(_(REMAP).format(path=keys_path()), width - 2):
        out.append(f"  {line}\n")
    out.rstrip()
    return out


class HelpBody(Static):
    """The help's text, laid out again for the width it has whenever it is resized."""

    DEFAULT_CSS = "HelpBody { text-wrap: nowrap; text-overflow: clip; }"

    def __init__(self, title: str, places: list[tuple[str, list[Row]]], **kw) -> None:
        super().__init__(**kw)
        self.title, self.places = title, places

    def on_resize(self, event: events.Resize) -> None:
        """Lay the columns out for the new width."""
        self.update(help_text(self.title, self.places, self.content_size.width))


class HelpScreen(Screen[None]):
    """The keys of the app by context, the tree marks and how to remap keys; Escape, F1, ? or q closes it."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", N_("Close help"), id="help.close")]

    DEFAULT_CSS = """
    HelpScreen #help { height: 1fr; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        """The help's text in one scrolling column, over the key footer."""
        close = " / ".join(r.keys for r in rows(self.app, self._merged_bindings or BindingsMap()))
        title = _("Keys, as bound now ({keys} closes; arrows and PgUp/PgDn scroll)").format(keys=close)
        with VerticalScroll(id="help"):
            yield HelpBody(title, contexts(self.app), id="help-body")
        yield KeyFooter()

    def on_mount(self) -> None:
        """Scroll with the keys at once."""
        self.query_one("#help", VerticalScroll).focus()

    def action_close(self) -> None:
        """Back to where the help was opened."""
        self.dismiss(None)
