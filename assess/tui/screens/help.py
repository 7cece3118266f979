"""Provides the help screen: every key of the app by context, as bound now (after remapping), with what it does
and its id, what the tree marks mean, and how to remap a key."""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..widgets.footer import KeyFooter, key_label
from ..widgets.nav import MARKS, NavTree
from ..widgets.question import QuestionPane
from . import main, start, summary

MEANINGS = {
    "answered": "answered",
    "required": "required and still open",
    "unanswered": "open",
    "not_applicable": "not applicable",
    "unknown": "unknown (an intelligence gap)",
    "hidden": "hidden: a condition on another answer leaves it out",
}
"""What each tree mark (widgets/nav.py MARKS) means, by the status it marks."""

CONTEXTS: list[tuple[str, type[DOMNode]]] = [
    ("Main screen", main.MainScreen),
    ("Question tree", NavTree),
    ("Question pane", QuestionPane),
    ("Summary", summary.SummaryScreen),
    ("Start screen", start.StartScreen),
    ("New-assessment form", start.NewScreen),
]
"""The app's places, in the order the help lists them (the app-wide keys come first, dialogs and others after)."""

TEXTUAL_ONLY = ("scroll_", "page_", "cursor_left", "cursor_right")
"""Actions of Textual's own widgets left out of the help: scrolling and moving across, the same everywhere."""

REMAP = (
    "Every key above can be remapped by its id with Textual's keymap, a mapping of ids to keys: for example "
    '{"assess.next": "ctrl+j", "app.help": "f1"} given to the app as AssessApp(keymap=...). Several keys for '
    "one id are separated by commas. The keys this help lists are those in force now, remapped ones included."
)


@dataclass(frozen=True)
class Row:
    """One action in the help: its keys as bound now, what it does and its id."""

    keys: str
    does: str
    id: str


def _app_classes(root: type) -> list[type[DOMNode]]:
    """The app's own screens and widgets (those defined under assess.tui, every module of its screens and widgets
    imported first, also those the app imports only when used), subclasses of root, in definition order."""
    for package in ("assess.tui.screens", "assess.tui.widgets"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            importlib.import_module(f"{package}.{info.name}")
    out: list[type[DOMNode]] = []
    todo: list[type] = [root]
    while todo:
        cls = todo.pop(0)
        subclasses: list[type] = cls.__subclasses__()
        for sub in subclasses:
            if sub.__module__.startswith("assess.tui.") and sub not in out:
                out.append(sub)
            todo.append(sub)
    return out


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
        keys, _ = found.setdefault(binding.id or binding.action, ([], binding))
        label = key_label(app, binding)
        if label not in keys:
            keys.append(label)
    return _numbered([Row(" / ".join(keys), b.description, b.id or "(Textual)") for keys, b in found.values()])


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
    out = [("Everywhere", rows(app, app._bindings, textual_keys=True))]
    listed = {cls for _, cls in CONTEXTS}
    out += [(title, rows(app, cls._merged_bindings or BindingsMap(), cls is NavTree)) for title, cls in CONTEXTS]
    dialog_rows: dict[str, Row] = {}
    others = []
    classes = _app_classes(DOMNode)
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
    out += [("Dialogs", list(dialog_rows.values())), *others]
    out.append(("This help", rows(app, HelpScreen._merged_bindings or BindingsMap())))
    return [(title, found) for title, found in out if found]


def _title(cls: type) -> str:
    """A class's name in words: MetadataScreen -> 'Metadata screen'."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in cls.__name__).split()
    return " ".join(words).capitalize()


def key_table(found: list[Row], key_width: int = 0) -> Table:
    """A context's keys as a table: key (key_width wide at least, so the tables line up), what it does, id (the
    description wraps at words on a narrow screen)."""
    table = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    table.add_column("key", style="bold", no_wrap=True, min_width=key_width)
    table.add_column("does", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    for r in found:
        table.add_row(Text(r.keys), Text(r.does), Text(r.id))
    return table


def marks_table() -> Table:
    """What the tree's marks mean."""
    table = Table(box=None, show_header=False, padding=(0, 1))
    table.add_column("mark", style="bold", no_wrap=True)
    table.add_column("means")
    for status, mark in MARKS.items():
        table.add_row(Text(mark), Text(MEANINGS.get(status, status.replace("_", " "))))
    return table


class HelpScreen(Screen[None]):
    """The keys of the app by context, the tree marks and how to remap keys; Escape, F1, ? or q closes it."""

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close help", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen #help { height: 1fr; padding: 0 1; }
    HelpScreen .help-head { text-style: bold; margin-top: 1; }
    HelpScreen #help-title { margin-top: 0; }
    """

    def compose(self) -> ComposeResult:
        """The title, then one table per context, the marks and the remapping note, in one scrolling column."""
        close = " / ".join(r.keys for r in rows(self.app, self._merged_bindings or BindingsMap()))
        with VerticalScroll(id="help"):
            yield Static(Text(f"Keys, as bound now ({close} closes; arrows and PgUp/PgDn scroll)"), id="help-title")
            places = contexts(self.app)
            width = max((cell_len(r.keys) for _, found in places for r in found), default=0)
            for title, found in places:
                yield Static(Text(title), classes="help-head")
                yield Static(key_table(found, width))
            yield Static(Text("Marks in the question tree"), classes="help-head")
            yield Static(marks_table())
            yield Static(Text("Remapping keys"), classes="help-head")
            yield Static(Text(REMAP))
        yield KeyFooter()

    def on_mount(self) -> None:
        """Scroll with the keys at once."""
        self.query_one("#help", VerticalScroll).focus()

    def action_close(self) -> None:
        """Back to where the help was opened."""
        self.dismiss(None)
