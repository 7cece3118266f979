"""Provides a framework diff as readers take it: text for a terminal, Markdown for a pull request, JSON for tools,
and the verdict of the version check."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from .diff import BUMPS, KINDS, SEMVER, Change, Diff
from .i18n import N_, domain
from .terminal import UNSAFE

_, ngettext, pgettext = domain("cli")

SYMBOLS = {"added": "+", "removed": "-", "changed": "~", "renamed": "→", "moved": "→"}
"""The mark before each change: added, removed, changed, renamed or moved."""

TITLES = {
    "framework": N_("Framework"),
    "scale": N_("Scales"),
    "section": N_("Sections"),
    "question": N_("Questions"),
    "option": N_("Options"),
    "derived": N_("Derived scores"),
    "rating": N_("Ratings"),
    "rule": N_("Rules"),
    "heatmap": N_("Heat maps"),
    "migration": N_("Migrations"),
}
"""Each kind's heading."""

CHANGES = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed")}
"""The changes what() names by a word of the interface (renamed and moved are sentences of their own)."""

CUT = 70
"""Longest old or new value shown in Markdown (JSON has them in full)."""

TERMINAL_CUT = 50
"""Longest old or new value shown in a terminal, so a line mostly fits."""


def effect_words(c: Change) -> str:
    """What the change does to an assessment, in words."""
    if c.effect == "answers":
        if c.kind == "migration":
            return _("says how answers move")
        return _("invalidates answers") if c.bump == "major" else _("allows new answers")
    return {"scores": _("changes scores"), "findings": _("changes findings"), "text": _("text only")}[c.effect]


def bump_word(bump: str) -> str:
    """A version bump (none, patch, minor, major, downgrade) in the interface's language."""
    words = {
        "none": pgettext("version bump", "none"),
        "patch": pgettext("version bump", "patch"),
        "minor": pgettext("version bump", "minor"),
        "major": pgettext("version bump", "major"),
        "downgrade": pgettext("version bump", "downgrade"),
    }
    return words.get(bump, bump)


def _field(name: str) -> str:
    """A framework field the diff counts (changelog, references, translations fr) in the interface's language."""
    lang = name.removeprefix("translations ") if name.startswith("translations ") else ""
    if lang:
        return _("translations {lang}").format(lang=lang)
    return {"changelog": _("changelog"), "references": _("references")}.get(name, name)


def _counted(value: str) -> str:
    """A count the diff gives as a value ('303 of 303 texts', '2 entries, changed', 'none') in the interface's
    language; any other value as it is."""
    changed = value.endswith(", changed")
    core = value.removesuffix(", changed")
    if m := re.fullmatch(r"(\d+) of (\d+) texts", core):
        done, total = int(m[1]), int(m[2])
        core = ngettext("{done} of {total} texts", "{done} of {total} texts", total).format(done=done, total=total)
    elif m := re.fullmatch(r"(\d+) entries", core):
        core = ngettext("{count} entries", "{count} entries", int(m[1])).format(count=int(m[1]))
    elif core == "none":
        core = pgettext("no translation", "none")
    else:
        return value
    return core + (_(", changed") if changed else "")


def _short(value: str, cut: int, start: int = 0) -> str:
    """value on one line, cut to cut characters from about start (where two values begin to differ)."""
    flat = " ".join(value.split())
    if len(flat) <= cut:
        return flat
    start = 0 if start < cut - 15 else min(start - 20, len(flat) - cut + 1)  # the difference shows
    return ("…" if start else "") + flat[start : start + cut - 1] + "…"


def _pair(old: str, new: str, cut: int) -> tuple[str, str]:
    """old and new on one line each, cut where they begin to differ, so the difference shows."""
    a, b = " ".join(old.split()), " ".join(new.split())
    same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return _short(a, cut, same), _short(b, cut, same)


def what(c: Change, cut: int = CUT) -> str:
    """The change in words: 'added', 'renamed from q_old', "score: 1 → 2", …"""
    if c.change == "renamed":
        return _("renamed from {old}").format(old=c.old)
    if c.change == "moved":
        return _("moved from {old} to {new}").format(old=c.old or _("(top)"), new=c.new or _("(top)"))
    if c.change == "changed":
        counted = c.kind == "framework" and (
            c.field in ("changelog", "references") or c.field.startswith("translations")
        )
        if counted:  # counts, which the interface says in its words
            return _("{field}: {old} → {new}").format(field=_field(c.field), old=_counted(c.old), new=_counted(c.new))
        old, new = _pair(c.old, c.new, cut)
        none = _("(none)")
        return f"{c.field}: {old or none} → {new or none}"
    detail = _short(c.field or c.new or c.old, cut)
    change = _(CHANGES[c.change]) if c.change in CHANGES else c.change
    return change + (_(": {detail}").format(detail=detail) if detail else "")


def _mark(c: Change) -> str:
    if not c.migrated:
        return ""
    kept = c.change == "removed" and c.field.startswith("kept")
    return _(" (declared: answers kept aside)") if kept else _(" (migrated)")


def header(d: Diff) -> str:
    """'id old → new: declared bump X, required Y', with a note when the versions are not x.y.z."""
    line = _("{fid} {old} → {new}: declared {declared}, required {required}").format(
        fid=d.new_id,
        old=d.old_version,
        new=d.new_version,
        declared=bump_word(d.declared()),
        required=bump_word(d.required()),
    )
    if not (SEMVER.fullmatch(d.old_version) and SEMVER.fullmatch(d.new_version)):
        line += _(" (versions not x.y.z: compared as text)")
    return line


def to_text(d: Diff) -> str:
    """The diff for a terminal: a header, then the changes grouped by kind, one line each."""
    lines = [header(d)]
    if not d.changes:
        lines.append(_("no changes"))
    for kind in KINDS:
        group = [c for c in d.changes if c.kind == kind]
        if group:
            lines += ["", f"{_(TITLES[kind])} ({len(group)})"]
            lines += [
                f"  {SYMBOLS[c.change]} {c.id}  {what(c, TERMINAL_CUT)} — {effect_words(c)}{_mark(c)}" for c in group
            ]
    return "\n".join(lines) + "\n"


def cell(text: str) -> str:
    """text safe in a Markdown table cell: on one line, its markup, pipes and backticks escaped, HTML inert."""
    flat = " ".join(text.split())
    for ch in "\\`*_[]<>|#~!":
        flat = flat.replace(ch, "\\" + ch)
    return flat


def to_markdown(d: Diff) -> str:
    """The diff for a pull request: a heading line, the version check, and one table per kind."""
    lines = [f"**{cell(header(d))}**", ""]
    if not d.changes:
        lines.append(_("No changes."))
    for kind in KINDS:
        group = [c for c in d.changes if c.kind == kind]
        if not group:
            continue
        lines += [
            f"### {_(TITLES[kind])} ({len(group)})",
            "",
            _("| | id | change | effect | bump |"),
            "|---|---|---|---|---|",
        ]
        for c in group:
            effect = effect_words(c) + _mark(c)
            bump = bump_word(c.bump)
            lines.append(f"| {cell(SYMBOLS[c.change])} | {cell(c.id)} | {cell(what(c))} | {effect} | {bump} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(d: Diff) -> str:
    """The diff for tools: old, new, declared, required and every change with all its fields, in a stable order;
    characters that could drive a terminal are written as JSON escapes."""
    data = {
        "old": {"id": d.old_id, "version": d.old_version},
        "new": {"id": d.new_id, "version": d.new_version},
        "declared": d.declared(),
        "required": d.required(),
        "changes": [asdict(c) for c in d.changes],
    }
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def check(d: Diff, shown: int = 5) -> tuple[bool, list[str]]:
    """The version check: whether the declared bump covers the required one, and lines saying so (the first
    changes that require more than is declared, with what each requires)."""
    declared, required = d.declared(), d.required()
    old, new = d.old_version, d.new_version
    if declared == "downgrade":
        return False, [_("version check failed: {old} → {new} goes back; raise the version").format(old=old, new=new)]
    if BUMPS.index(declared) >= BUMPS.index(required):
        passed = _("version check passed: {declared} bump declared, {required} required")
        return True, [passed.format(declared=bump_word(declared), required=bump_word(required))]
    over = [c for c in d.changes if BUMPS.index(c.bump) > BUMPS.index(declared)]
    is_a = _("is a {declared} bump").format(declared=bump_word(declared))
    bump = _("keeps the version") if declared == "none" else is_a
    failed = ngettext(
        "version check failed: {old} → {new} {bump}, but the changes require a {required} one "
        "({count} change(s) need more):",
        "version check failed: {old} → {new} {bump}, but the changes require a {required} one "
        "({count} change(s) need more):",
        len(over),
    )
    lines = [failed.format(old=old, new=new, bump=bump, required=bump_word(required), count=len(over))]
    lines += [
        _("  {bump}: {kind} {id} {what} — {effect}").format(
            bump=bump_word(c.bump), kind=c.kind, id=c.id, what=what(c, TERMINAL_CUT), effect=effect_words(c)
        )
        for c in over[:shown]
    ]
    if len(over) > shown:
        lines.append(_("  … and {count} more").format(count=len(over) - shown))
    return False, lines
