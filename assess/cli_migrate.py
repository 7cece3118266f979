"""Provides the command line of `assess migrate` (and of `assess validate --previous`): its parser, and what it
prints of the moves and of the answers kept aside."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .arguments import FILE, FRAMEWORK, FRAMEWORK_HELP, completes, examples
from .errors import AssessError, Problem
from .i18n import N_, domain
from .model import Framework
from .terminal import echo

_, ngettext, pgettext = domain("cli")

if TYPE_CHECKING:
    from .migrate import Move
    from .pipeline import Checked

EXAMPLE = "mission-risk.2026-H1.answers.yaml"
"""The answers file the help's examples name."""

VALIDATE = N_("give a framework file ('assess validate' checks frameworks; 'assess score' checks answers)")
"""The fix when validate is given an answers file or another command's output."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add `assess migrate` to the command line's subcommands."""
    p = sub.add_parser(
        "migrate",
        help=_("move an answers file to its framework's newer version by its declared migrations; nothing dropped"),
        epilog=examples(
            f"assess migrate {EXAMPLE}                (writes mission-risk.2026-H1-2.0.0.answers.yaml)",
            f"assess migrate {EXAMPLE} --dry-run      (prints what would move; writes nothing)",
            f"assess migrate {EXAMPLE} --in-place     (keeps {EXAMPLE}.1.1.0.bak)",
            f"assess migrate {EXAMPLE} --to frameworks/mission-risk.yaml -o migrated.answers.yaml",
        ),
    )
    completes(p.add_argument("answers", metavar="ANSWERS", help=_("an answers file")), FILE)
    completes(p.add_argument("--to", metavar="FRAMEWORK", help=FRAMEWORK_HELP), FRAMEWORK)
    where = p.add_mutually_exclusive_group()
    help_out = _("write the migrated answers to OUT (default: NAME-VERSION.answers.yaml beside the file)")
    completes(where.add_argument("-o", "--output", metavar="OUT", help=help_out), FILE)
    help_in_place = _("replace the file itself, after keeping a backup FILE.OLD_VERSION.bak")
    where.add_argument("--in-place", action="store_true", help=help_in_place)
    p.add_argument("--dry-run", action="store_true", help=_("print what would move and what would be kept aside"))
    p.set_defaults(func=cmd_migrate)


def cmd_migrate(args: argparse.Namespace) -> int:
    """assess migrate: migrate the answers, print what moved and what was kept aside, and where they were written."""
    from .pipeline import migrate_file  # each command imports the core it needs

    try:
        done = migrate_file(args.answers, args.to, args.output, args.in_place, args.dry_run)
    except AssessError as exc:
        wrong = _wrong_kind(args.answers, args.to)
        raise (exc if wrong is None else AssessError([wrong])) from None
    m = done.migrated
    if not m.steps:
        pin = m.answers.framework
        line = _("{file}: on {fid} {version} already; nothing to migrate")
        echo(line.format(file=args.answers, fid=pin.id, version=pin.version))
        return 0
    pin, first = m.answers.framework, m.steps[0].split(" → ")[0]
    kept = len(m.kept_aside)
    moved = ngettext("{moved} answer moved", "{moved} answers moved", m.moved).format(moved=m.moved)
    aside = ngettext("{kept} kept aside", "{kept} kept aside", kept).format(kept=kept)  # French agrees: mise(s)
    said = (
        _("{answers}, {actions}").format(answers=moved, actions=aside) if m.moves else _("nothing to move, re-pinned")
    )
    line = _("{file}: {fid} {first} → {version}: {said}")  # the history's summary, in the language
    echo(line.format(file=args.answers, fid=pin.id, first=first, version=pin.version, said=said))
    several = len(m.steps) > 1
    for move in m.moves:
        if move.kind != "kept aside":
            echo(_move_line(move, several))
    if m.kept_aside:
        line = ngettext(
            "kept aside in the file ({count}), listed under kept_aside, never dropped:",
            "kept aside in the file ({count}), listed under kept_aside, never dropped:",
            kept,
        )
        echo(line.format(count=kept))
        for move in m.moves:
            if move.kind == "kept aside":
                echo(_move_line(move, several))
    if not done.written:
        echo(_("dry run: nothing written (would write {path})").format(path=done.out))
    elif done.backup is not None:
        echo(_("written: {path} (the file as it was: {backup})").format(path=done.out, backup=done.backup))
    else:
        echo(_("written: {path}").format(path=done.out))
    return 0


def _move_line(move: Move, several: bool) -> str:
    """One move as migrate prints it (str(move) in English), its kind in the interface's language; the step first
    when there are several."""
    step = _("{step}: ").format(step=move.step) if several else ""
    if move.kind == "kept aside":
        return "  " + step + _("{old} kept aside: {detail}").format(old=move.old, detail=move.detail)
    kinds = {
        "renamed": pgettext("move", "renamed"),
        "split": pgettext("move", "split"),
        "merged": pgettext("move", "merged"),
        "remapped": pgettext("move", "remapped"),
        "section": pgettext("move", "section"),
    }
    kind = kinds.get(move.kind, move.kind)
    said = _("{kind}; {detail}").format(kind=kind, detail=move.detail) if move.detail else kind
    return f"  {step}{move.old} → {move.new} ({said})"


def _wrong_kind(answers: str, to: str | None) -> Problem | None:
    """The one line for migrate's answers that are a framework or an output (E610, E611), or for its --to that is an
    answers file or an output (E608, E609); None when neither is."""
    from .filekind import not_a_framework, not_answers
    from .pipeline import resolve_framework

    wrong = not_answers(
        answers, _("give the answers file to migrate: assess migrate ANSWERS [--to FRAMEWORK]"), Path(answers)
    )
    if wrong is None and to is not None:
        fix = _("give --to the framework to migrate to: a framework file or a bundled framework's id")
        try:
            wrong = not_a_framework(to, fix, resolve_framework(to))
        except AssessError:  # an unknown id: migrate's own message says so
            return None
    return wrong


def checked_with_previous(file: str, previous: str | None) -> tuple[Checked, list[Problem]]:
    """assess validate FILE [--previous OLD]: the framework checked, and the warnings --previous finds; raise
    AssessError with every problem of both: a framework failing its own checks is still checked against OLD, so one
    run says all."""
    from .filekind import not_a_framework
    from .pipeline import STDIN, check_framework

    if previous is not None:
        wrong = not_a_framework(previous, _("give --previous the framework file of the version before"), Path(previous))
        if wrong is not None:
            raise AssessError([wrong])
    try:
        checked = check_framework(file)
    except AssessError as exc:
        wrong = None if file == STDIN else not_a_framework(file, _(VALIDATE), Path(file))
        if wrong is not None:
            raise AssessError([wrong]) from None
        if previous is None or file == STDIN:
            raise
        more = [p for p in _previous_of_failed(file, previous) if p not in exc.problems]
        found = sorted(exc.problems + more, key=lambda p: (p.line or 0, p.col or 0))
        raise AssessError(found) from None
    return checked, previous_problems(file, checked.framework, previous) if previous else []


def _previous_of_failed(file: str, previous: str) -> list[Problem]:
    """What --previous finds in a framework file that fails its own checks (built as far as it goes); nothing when
    it does not pass the schema."""
    from .builder import build_model
    from .checks.migrations import check_previous
    from .pipeline import check_framework, source_name
    from .schema import check
    from .yamlsafe import load_file

    try:
        located = load_file(Path(file))
        if not isinstance(located.data, dict) or check(located, "framework.schema.json"):
            return []
        fw, _ = build_model(located)
        return check_previous(fw, check_framework(previous).framework, located, source_name(file))
    except AssessError as exc:
        return list(exc.problems)
    except (KeyError, TypeError, ValueError, AttributeError):  # a model built past its errors may be incomplete
        return []


def previous_problems(file: str, fw: Framework, previous: str) -> list[Problem]:
    """assess validate --previous: what a framework file's first migration step names that is not in the previous
    version (E251) and the previous version's questions it leaves behind (W023), at their line and column; raise
    AssessError with them all when any is an error."""
    from .checks.migrations import check_previous
    from .pipeline import STDIN, check_framework, source_name
    from .yamlsafe import load_file

    old = check_framework(previous).framework
    located = None if file == STDIN else load_file(Path(file))
    found = check_previous(fw, old, located, source_name(file))
    if any(not p.is_warning for p in found):
        raise AssessError(found)
    return found
