"""Provides the diff command: two versions of a framework compared, printed as text, Markdown or JSON, and the
version check a framework team's CI runs (assess/cli.py wires it in with add_parser(sub))."""

from __future__ import annotations

import argparse

from .arguments import FILE, completes, examples
from .errors import AssessError
from .i18n import domain
from .terminal import echo

_, ngettext, pgettext = domain("cli")

FORMATS = ("text", "md", "json")
"""The output formats: a terminal's, a pull request's, a tool's."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the diff command on an argparse subparsers object."""
    p = sub.add_parser(
        "diff",
        help=_("compare two versions of a framework: what changed, what it does to assessments, the bump it needs"),
        epilog=examples(
            "assess diff old.yaml new.yaml",
            "assess diff frameworks/oc-threat.yaml@HEAD~3 frameworks/oc-threat.yaml   (a git revision: PATH@REV)",
            "assess diff old.yaml new.yaml --format md > framework-diff.md   (for a pull request)",
            "assess diff frameworks/x.yaml@origin/main frameworks/x.yaml --check-version   (in CI: exit 1 when the "
            "version bump is too small)",
        ),
    )
    old = p.add_argument("old", metavar="OLD", help=_("the old version: a framework file, or PATH@REV read from git"))
    new = p.add_argument("new", metavar="NEW", help=_("the new version: a framework file, or PATH@REV read from git"))
    completes(old, FILE)
    completes(new, FILE)
    p.add_argument("--format", choices=FORMATS, default="text", help=_("text (default), md (Markdown) or json"))
    p.add_argument(
        "--check-version",
        action="store_true",
        help=_("exit 1 when NEW's version bump is smaller than its changes require (the README's version policy)"),
    )
    p.set_defaults(func=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    """assess diff: print the changes from OLD to NEW; with --check-version exit 1 when the declared version bump is
    smaller than the changes require; exit 2 when either cannot be read or they are different frameworks."""
    from . import diffview, revisions
    from .diff import diff

    try:
        old, _ = revisions.load(args.old)
        new, _ = revisions.load(args.new)
        d = diff(old, new)
    except AssessError as exc:
        for p in exc.problems:
            echo(p, err=True)
        return 2
    render = {"text": diffview.to_text, "md": diffview.to_markdown, "json": diffview.to_json}[args.format]
    echo(render(d), end="")
    if not args.check_version:
        return 0
    passed, lines = diffview.check(d)
    for line in lines:
        echo(line, err=True)
    return 0 if passed else 1
