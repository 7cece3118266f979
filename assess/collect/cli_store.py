"""Provides the store command: assess store copy SRC DST, one store's every table copied into a new or empty store
(a SQLite file or a PostgreSQL database, either way round) and verified row for row.

assess/cli.py wires it in with add_commands(sub).
"""

from __future__ import annotations

from ..arguments import FILE, completes, examples
from ..i18n import domain
from ..terminal import clear_status, echo, live, show_status

_, ngettext, _pgettext = domain("hq")


def add_commands(sub) -> None:
    """Register store (copy) on an argparse subparsers object."""
    p = sub.add_parser(
        "store",
        help=_("the headquarters store itself: copy it into a new store (SQLite file or PostgreSQL database)"),
        epilog=examples(
            "assess store copy hq.sqlite postgresql://hq@db.example.org/assess",
            "assess store copy postgresql://hq@db.example.org/assess hq-copy.sqlite",
        ),
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    cp = actions.add_parser(
        "copy",
        help=_("copy every table of a store into a new or empty store, verified row for row before it is kept"),
        epilog=examples(
            "assess store copy hq.sqlite postgresql://hq@db.example.org/assess     "
            + _("(moving up: the password in ~/.pgpass or $PGPASSWORD)"),
            "assess store copy postgresql://hq@db.example.org/assess hq.sqlite     " + _("(and back)"),
        ),
    )
    src_help = _("the store to copy: a SQLite file, or a PostgreSQL database (postgresql://USER@HOST[:PORT]/DATABASE)")
    completes(cp.add_argument("source", metavar="SRC", help=src_help), FILE)
    dst_help = _("the store to make: a new file, or an empty PostgreSQL database (made with createdb)")
    completes(cp.add_argument("destination", metavar="DST", help=dst_help), FILE)
    cp.set_defaults(func=cmd_copy)


def _progress(text: str) -> None:
    show_status(text)


def cmd_copy(args) -> int:
    """assess store copy: copy SRC into DST, verified; print each table's rows and what was copied."""
    from .copy import copy_store

    try:
        result = copy_store(args.source, args.destination, _progress if live() else None)
    finally:
        if live():
            clear_status()
    width = max(len(name) for name, _n in result.tables)
    for name, n in result.tables:
        echo(f"{name:<{width}}  " + ngettext("{count} row", "{count} rows", n).format(count=n))
    echo(
        _("verified row for row: {assessments}, {revisions} copied from {source} to {target}").format(
            assessments=ngettext("{count} assessment", "{count} assessments", result.assessments).format(
                count=result.assessments
            ),
            revisions=ngettext("{count} revision", "{count} revisions", result.revisions).format(
                count=result.revisions
            ),
            source=result.source,
            target=result.target,
        )
    )
    return 0
