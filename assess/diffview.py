"""Provides a framework diff as readers take it: text for a terminal, Markdown for a pull request, JSON for tools,
and the verdict of the version check."""

from __future__ import annotations

import json
from dataclasses import asdict

from .diff import BUMPS, KINDS, SEMVER, Change, Diff
from .terminal import UNSAFE

SYMBOLS = {"added": "+", "removed": "-", "changed": "~", "renamed": "→", "moved": "→"}
"""The mark before each change: added, removed, changed, renamed or moved."""

TITLES = {
    "framework": "Framework",
    "scale": "Scales",
    "section": "Sections",
    "question": "Questions",
    "option": "Options",
    "derived": "Derived scores",
    "rating": "Ratings",
    "rule": "Rules",
    "heatmap": "Heat maps",
    "migration": "Migrations",
}
"""Each kind's heading."""

CUT = 70
"""Longest old or new value shown in Markdown (JSON has them in full)."""

TERMINAL_CUT = 50
"""Longest old or new value shown in a terminal, so a line mostly fits."""


def effect_words(c: Change) -> str:
    """What the change does to an assessment, in words."""
    if c.effect == "answers":
        if c.kind == "migration":
            return "says how answers move"
        return "invalidates answers" if c.bump == "major" else "allows new answers"
    return {"scores": "changes scores", "findings": "changes findings", "text": "text only"}[c.effect]


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
        return f"renamed from {c.old}"
    if c.change == "moved":
        return f"moved from {c.old or '(top)'} to {c.new or '(top)'}"
    if c.change == "changed":
        old, new = _pair(c.old, c.new, cut)
        return f"{c.field}: {old or '(none)'} → {new or '(none)'}"
    detail = _short(c.field or c.new or c.old, cut)
    return f"{c.change}" + (f": {detail}" if detail else "")


def _mark(c: Change) -> str:
    if not c.migrated:
        return ""
    return " (declared: answers kept aside)" if c.change == "removed" and c.field.startswith("kept") else " (migrated)"


def header(d: Diff) -> str:
    """'id old → new: declared bump X, required Y', with a note when the versions are not x.y.z."""
    line = f"{d.new_id} {d.old_version} → {d.new_version}: declared {d.declared()}, required {d.required()}"
    if not (SEMVER.fullmatch(d.old_version) and SEMVER.fullmatch(d.new_version)):
        line += " (versions not x.y.z: compared as text)"
    return line


def to_text(d: Diff) -> str:
    """The diff for a terminal: a header, then the changes grouped by kind, one line each."""
    lines = [header(d)]
    if not d.changes:
        lines.append("no changes")
    for kind in KINDS:
        group = [c for c in d.changes if c.kind == kind]
        if group:
            lines += ["", f"{TITLES[kind]} ({len(group)})"]
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
        lines.append("No changes.")
    for kind in KINDS:
        group = [c for c in d.changes if c.kind == kind]
        if not group:
            continue
        lines += [
            f"### {TITLES[kind]} ({len(group)})",
            "",
            "| | id | change | effect | bump |",
            "|---|---|---|---|---|",
        ]
        for c in group:
            effect = effect_words(c) + _mark(c)
            lines.append(f"| {cell(SYMBOLS[c.change])} | {cell(c.id)} | {cell(what(c))} | {effect} | {c.bump} |")
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
    if declared == "downgrade":
        return False, [f"version check failed: {d.old_version} → {d.new_version} goes back; raise the version"]
    if BUMPS.index(declared) >= BUMPS.index(required):
        return True, [f"version check passed: {declared} bump declared, {required} required"]
    over = [c for c in d.changes if BUMPS.index(c.bump) > BUMPS.index(declared)]
    bump = "keeps the version" if declared == "none" else f"is a {declared} bump"
    lines = [
        f"version check failed: {d.old_version} → {d.new_version} {bump}, but the changes require a {required} "
        f"one ({len(over)} change(s) need more):"
    ]
    lines += [f"  {c.bump}: {c.kind} {c.id} {what(c, TERMINAL_CUT)} — {effect_words(c)}" for c in over[:shown]]
    if len(over) > shown:
        lines.append(f"  … and {len(over) - shown} more")
    return False, lines
