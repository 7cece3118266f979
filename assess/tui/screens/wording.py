"""Provides the app's wording of the command line's coded messages: no field paths, no options, no commands to type."""

from __future__ import annotations

import re
import string

from ...errors import MESSAGES, Problem
from ...i18n import N_, domain
from ..language import punct

_, ngettext, pgettext = domain("app")
_cli, _cli_n, cli_pgettext = domain("cli")

OPTIONS = {"-o": N_("the report"), "--actions": N_("the plan of action")}
"""What the app calls each output that the command line names by its option."""
HARMS = {
    "replace a file the command reads": N_("replace a file the report is made from"),
    "make one output overwrite the other": N_("make one overwrite the other"),
}
"""The app's words for what an output named twice would do."""
APP_MESSAGES = {
    "E321": N_("{length} characters, more than the {limit} an answers file holds; shorten it (nothing was saved)"),
    "E322": N_(
        "no handling marking: the report prints one on every page; give it as your handling rules require "
        "(e.g. UN RESTRICTED)"
    ),
    "E323": N_("'{value}' is not a period; write it as 2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15, or leave it out"),
    "E412": N_(
        "{option} ({file}) is the same file as {other}, so writing it would {harm}; nothing was written: "
        "give {option} a file of its own"
    ),
    "E415": N_(
        "cannot write {what} here: the path is {kind}, not a regular file; nothing was written: give the path of a file"
    ),
}
"""The app's wording of the messages whose command-line wording names a field path or an option."""


def template(code: str) -> str:
    """The command line's message of code as problem() words it now: in the interface language when translated."""
    found: str = cli_pgettext(code, MESSAGES[code])
    return found


def fields_of(code: str, message: str) -> dict[str, str] | None:
    """The fields a message of code was formatted with, read back from it (None when it does not read so)."""
    pattern, seen = "", set()
    for literal, name, _spec, _conv in string.Formatter().parse(template(code)):
        pattern += re.escape(literal)
        if name:
            pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.*?)"
            seen.add(name)
    found = re.fullmatch(pattern, message, re.S)
    return found.groupdict() if found else None


def app_message(p: Problem, at_field: bool = False) -> str:
    """A problem as the app says it: in its own words where the command line's name a field path or an option,
    the code at the end in brackets; at_field: said under the field it is about, so without the file's name."""
    fields = fields_of(p.code, p.message) if p.code in APP_MESSAGES else None
    if fields is None:
        text = p.message
    else:
        fields["option"] = _(OPTIONS.get(fields.get("option", ""), "")) or fields.get("option", "")
        harm = fields.get("harm", "")
        fields["harm"] = _(HARMS[harm]) if harm in HARMS else harm
        other = fields.get("other", "")
        for option, name in OPTIONS.items():
            other = other.replace(f"{option} (", f"{_(name)} (", 1) if other.startswith(f"{option} (") else other
        fields["other"] = other
        text = _(APP_MESSAGES[p.code]).format(file=p.file, **fields)
    text = text[:1].upper() + text[1:]
    if fields is None and not at_field and p.file:
        text = f"{p.file}{punct(':')}{text}"
    return f"{text} [{p.code}]"
