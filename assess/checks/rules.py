"""Provides the checks of rules: the scope, source and section they name (E238, E204), the names their
conditions use (E204, E212), the rules they conflict with (E244), and who they are addressed to (W017)."""

from __future__ import annotations

import difflib

from ..expressions import FACTS
from ..model import Rule
from ..vocabulary import ADDRESSEES
from .context import Context, Spec, Where
from .names import inside_elsewhere, names_of, section_named, unknown_name


def check_rule(cx: Context, r: Spec, path: Where) -> None:
    """A rule's scope is a repeatable section (E238); its source a reference (E204) and its section a section
    (E204)."""
    scope = r.get("scope")
    if scope is not None and (scope not in cx.sections or cx.sections[scope].repeat is None):
        cx.flag(path + ("scope",), "E238", scope=scope)
    if r.get("source") and r["source"] not in cx.ref_ids:
        known = ", ".join(sorted(cx.ref_ids)) or "none"
        cx.flag(path + ("source",), "E204", name=r["source"], hint=f"; add it under 'references' (known: {known})")
    if r.get("section"):
        section_named(cx, r["section"], path + ("section",))
    if "addressee" not in r:
        cx.flag(path, "W017", at=("id",), rule=r["id"], known=", ".join(ADDRESSEES))


def check_conditions(cx: Context, rules: tuple[Rule, ...]) -> None:
    """Each rule's condition names what it may: known names (E204), from its own scope (E212)."""
    for r in rules:
        path = r.path + ("when",)
        for n in sorted(names_of(cx, r.when, path) or ()):
            if n in FACTS:
                continue
            kind = cx.kinds.get(n)
            if kind is None or kind == "rule":
                unknown_name(cx, n, path)
            else:
                inside_elsewhere(cx, n, path, r.scope)


def check_conflicts(cx: Context, rules: tuple[Rule, ...]) -> None:
    """Each rule a rule conflicts with is another rule of the framework (E244)."""
    ids = [r.id for r in rules]
    for r in rules:
        for i, other in enumerate(r.conflicts_with):
            if other in ids and other != r.id:
                continue
            close = difflib.get_close_matches(other, [x for x in ids if x != r.id], n=1)
            hint = f"; did you mean '{close[0]}'?" if close and other != r.id else ""
            cx.flag(r.path + ("conflicts_with",), "E244", at=(i,), name=other, hint=hint)
