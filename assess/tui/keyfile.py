"""Provides the user's keys file (keys.yaml): read safely, checked against the app's binding ids and Textual's key
names, and turned into the keymap the app runs with, with a located warning for each entry it leaves out."""

from __future__ import annotations

import difflib
import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, key_to_character

from ..errors import AssessError, Problem, problem
from ..i18n import domain
from ..yamlsafe import load_file

_, ngettext, pgettext = domain("app")

ENV = "ASSESS_KEYS"
"""The environment variable naming a keys file to read instead of the one in the user's config folder."""

MODIFIERS = {"ctrl", "alt", "shift", "super", "meta", "hyper"}
NAMED = {k.value.rpartition("+")[2] for k in Keys} | {f"f{n}" for n in range(1, 25)} | {"space", "enter", "tab"}
"""Key names Textual reads besides single characters: escape, home, pageup, f1 … f24, and the like."""

ARRIVES = {"alt+b": ("ctrl+left", "left"), "alt+f": ("ctrl+right", "right")}
"""Keys no app gets: terminals send them as ESC b / ESC f, which Textual reads as these keys (a word left, right)."""

TOGETHER = {"app", "assess", "question", "tree"}
"""Prefixes of ids in force together on the main screen (the others: in their own screen or dialog, with app.*)."""


@dataclass
class KeyFile:
    """The keys file as read: the keymap to give the app and what was left out of it, and why."""

    path: Path
    """The file looked for (it need not exist)."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, comma separated, as Textual's App.set_keymap takes them."""
    warnings: list[Problem] = field(default_factory=list)
    """Entries left out (an unknown id, a key Textual does not know, a key given twice), or why it was not read."""


def keys_path() -> Path:
    """Where the keys file is: $ASSESS_KEYS, else keys.yaml in the user's config folder (~/.config/assess)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    from platformdirs import user_config_dir

    return Path(user_config_dir("assess")) / "keys.yaml"


def app_classes(root: type = DOMNode) -> list[type[DOMNode]]:
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


def default_keys(app: type) -> dict[str, list[str]]:
    """Every binding id of the app (its class given) with its keys as the app binds them, the app's first."""
    out: dict[str, list[str]] = {}
    for cls in [app, *app_classes()]:
        for binding in Binding.make_bindings(getattr(cls, "BINDINGS", [])):
            if binding.id:
                keys = out.setdefault(binding.id, [])
                if binding.key not in keys:
                    keys.append(binding.key)
    return out


def key_name(key: str) -> str | None:
    """A key as Textual names it ('?' -> 'question_mark', 'Ctrl+B' -> 'ctrl+b'), or None when it names no key."""
    key = key.strip()
    if len(key) == 1:
        return _character_to_key(key) if key.isprintable() and not key.isspace() else None
    *mods, base = key.lower().split("+") if "+" in key[1:] else [key.lower()]
    if any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return None
    if len(base) == 1 and base.isprintable() and not base.isspace():
        base = _character_to_key(base)
    elif base not in NAMED and key_to_character(base) is None:
        return None
    return "+".join([*mods, base])


def _together(a: str, b: str) -> bool:
    pa, pb = a.split(".")[0], b.split(".")[0]
    if "help" in (pa, pb) and "app" in (pa, pb):
        return False  # on the help, F1 and ? close it whichever binding takes them
    return pa == pb or "app" in (pa, pb) or (pa in TOGETHER and pb in TOGETHER)


def read_keys(known: dict[str, list[str]], path: Path | None = None) -> KeyFile:
    """The keys file at path (default keys_path()) checked against known (default_keys): a mapping of binding id
    to keys ('assess.previous: alt+p', several keys as 'ctrl+b, alt+p' or a list). No file: an empty keymap;
    nothing in it stops the app."""
    path = keys_path() if path is None else path
    out = KeyFile(path)
    if not path.exists():
        return out
    try:
        located = load_file(path, limit=1024 * 1024)
    except AssessError as exc:
        out.warnings += exc.problems
        return out
    name = str(path)
    data = located.data
    if not isinstance(data, dict):
        out.warnings.append(problem(name, located.pos(()), "W014", found=type(data).__name__))
        return out
    given: dict[str, list[str]] = {}
    for binding_id, value in data.items():
        at = located.pos((binding_id,), key=True)
        if binding_id not in known:
            near = difflib.get_close_matches(str(binding_id), known, n=1)
            hint = _(" (did you mean '{id}'?)").format(id=near[0]) if near else ""
            out.warnings.append(problem(name, at, "W011", id=binding_id, hint=hint))
            continue
        raw = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else None
        if not raw or not all(isinstance(k, str) and k.strip() for k in raw):
            out.warnings.append(problem(name, located.pos((binding_id,)), "W015", id=binding_id))
            continue
        keys = []
        for k in raw:
            found = key_name(k)
            if found is None:
                out.warnings.append(problem(name, located.pos((binding_id,)), "W012", id=binding_id, key=k.strip()))
            elif found in ARRIVES:
                arrives, way = ARRIVES[found]
                at = located.pos((binding_id,))
                letter = found[-1]
                out.warnings.append(
                    problem(name, at, "W016", id=binding_id, key=found, arrives=arrives, letter=letter, way=way)
                )
            elif found not in keys:
                keys.append(found)
        if keys:
            given[binding_id] = keys
    # a key clashes with the default of an id the file leaves as it is, or with one the file gave an id above it
    in_force = {binding_id: keys for binding_id, keys in known.items() if binding_id not in given}
    for binding_id, keys in given.items():
        kept = []
        for key in keys:
            other = next(
                (o for o, ks in in_force.items() if o != binding_id and key in ks and _together(o, binding_id)), None
            )
            if other is None:
                kept.append(key)
                continue
            at = located.pos((binding_id,))
            out.warnings.append(problem(name, at, "W013", key=key, id=binding_id, other=other))
        if kept:
            out.keymap[binding_id] = ",".join(kept)
            in_force[binding_id] = kept
        else:
            in_force[binding_id] = known[binding_id]
    out.warnings.sort(key=lambda p: (p.line, p.col))  # in the order of the file
    return out


def listing(found: KeyFile, known: dict[str, list[str]]) -> list[str]:
    """Every binding id with its keys in force (the file's where it gives them), one line each, for 'assess keys'."""
    width = max(map(len, known), default=0)
    lines = []
    for binding_id, keys in known.items():
        shown = found.keymap.get(binding_id, ",".join(keys))
        mark = "  " + _("(keys file)") if binding_id in found.keymap else ""
        lines.append(f"{binding_id:<{width}}  {shown.replace(',', ', ')}{mark}")
    return lines
