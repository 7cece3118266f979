"""Provides the collect, compare and list commands: argument parsing and printing around assess.collect.

assess/cli.py wires them in with add_commands(sub). Each command returns an exit code and raises AssessError for a
user's mistake.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..arguments import FORCE_HELP, seconds
from ..errors import AssessError
from ..terminal import echo, visible

STORE_HELP = "the store, a SQLite file (default: $ASSESS_STORE, else collect.sqlite in your user data folder)"


def _store_path(arg: str | None) -> Path:
    from .store import default_path

    return Path(arg) if arg else default_path()


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="FILE", help=STORE_HELP)
    p.add_argument("--framework", metavar="ID", help="only assessments on this framework id")
    p.add_argument(
        "--mission",
        metavar="M",
        action="append",
        default=[],
        help="only missions whose name contains M (case-insensitive; repeat for several)",
    )
    p.add_argument("--since", metavar="P", help="only periods ending on or after period P (2026, 2026-H1, 2026-Q3, …)")
    p.add_argument("--until", metavar="P", help="only periods starting on or before period P")


def add_commands(sub) -> None:
    """Register collect, compare and list on an argparse subparsers object."""
    p = sub.add_parser("collect", help="collect reports (.docx) and answers files into the headquarters store")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report, answers file, or folder (searched recursively)")
    p.add_argument("--store", metavar="FILE", help=STORE_HELP)
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="processes reading files while one writes the store (default: one per CPU, at most 4; 1: none)",
    )
    p.set_defaults(func=cmd_collect)
    p = sub.add_parser("compare", help="write a Word summary comparing the collected assessments")
    _filters(p)
    p.add_argument("-o", "--output", required=True, metavar="SUMMARY.docx")
    p.add_argument("--csv", metavar="FILE", help="also write one row per assessment and score (-: print it)")
    p.add_argument("--template", metavar="FILE", help="a .docx template (default: templates/summary.docx)")
    p.add_argument("--timeout", type=seconds, default=60, metavar="S", help="stop a template after S seconds")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("list", help="list the assessments the store holds, newest first")
    _filters(p)
    p.add_argument("--all", action="store_true", help="also list the older revisions kept as history")
    p.set_defaults(func=cmd_list)


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError(f"expected a number of processes from 1 to 64, got {text!r}")
    return n


def _progress(done: int, total: int, path: str) -> None:
    if done == total:
        sys.stderr.write("\r\033[K")
    elif done == 1 or done % 10 == 0:
        sys.stderr.write(f"\r\033[Kcollecting {done}/{total}: {visible(Path(path).name[:50])}")
    sys.stderr.flush()


def cmd_collect(args) -> int:
    from ..outputs import Output, same_as_input
    from .collect import collect
    from .store import Store

    path = _store_path(args.store)
    out = Output(str(path), "--store", "the store", "")
    found = [same_as_input(out, {"a file to collect": p}) for p in args.paths]
    if any(found):
        raise AssessError([p for p in found if p][:1])
    with Store(path) as store:
        result = collect(args.paths, store, _progress if sys.stderr.isatty() else None, jobs=args.jobs)
    for o in result.rejected:
        echo(o.problem, err=True)
    for w in result.warnings:
        echo(w, err=True)
    echo(f"{result.summary()} (store {result.store})")
    return 1 if result.rejected else 0


def cmd_compare(args) -> int:
    from ..outputs import Batch, Output
    from ..report.render import Limits
    from .compare import compare, to_csv
    from .store import Store
    from .summary import TEMPLATE, render_summary

    summary = Output(args.output, "-o", "the summary", "summary")
    table = Output(args.csv, "--csv", "the CSV", "comparison") if args.csv else None
    store_path = _store_path(args.store)
    with Batch([summary] + ([table] if table else []), args.force) as batch:
        batch.prepare({"the store": store_path, "the template": args.template or TEMPLATE})
        with Store(store_path, create=False) as store:
            c = compare(store, args.framework, args.mission, args.since, args.until)
        render_summary(c, summary, args.template, Limits(seconds=args.timeout), batch)
        if table:
            batch.put(table, to_csv(c))
        batch.commit()
    missions = len({a.mission for a in c.assessments})
    echo(
        f"wrote {summary.path}: {len(c.assessments)} assessment(s), {missions} mission(s), "
        f"{len(c.frameworks)} framework(s)",
        err=batch.to_stdout,
    )
    for note in c.notes:
        echo(f"note: {note}", err=True)
    if table and not table.to_stdout:
        echo(f"wrote {table.path}: {len(c.score_rows)} row(s)")
    return 0


def list_lines(rows: list[dict]) -> list[str]:
    """One line per assessment: updated, period, framework and version, mission, id, title."""
    from .compare import short_mission, shorten

    out = []
    for r in rows:
        when = r["updated"][:16].replace("T", " ") or "—"
        extra = []
        if r.get("revisions", 1) > 1:
            extra.append(f"{r['revisions']} revisions")
        if not r["is_current"]:
            extra.append("superseded")
        if not r["complete"]:
            extra.append("draft")
        tail = f" ({', '.join(extra)})" if extra else ""
        out.append(
            f"{when:<16}  {r['period'] or '—':<8}  {r['framework_id']} {r['framework_version']}  "
            f"{short_mission(r['mission'], 20)}  {r['assessment_id'][:8]}  {shorten(r['title'], 60)}{tail}"
        )
    return out


def cmd_list(args) -> int:
    from .compare import describe
    from .periods import parse_period
    from .store import Filters, Store

    since = parse_period(args.since, "--since")[0] if args.since else None
    until = parse_period(args.until, "--until")[1] if args.until else None
    filters = Filters(args.framework, tuple(args.mission), since, until, current=not args.all)
    with Store(_store_path(args.store), create=False) as store:
        rows = store.assessments(filters)
        path = store.path
    for line in list_lines(rows):
        echo(line)
    selection = describe(args.framework, args.mission, args.since, args.until)
    echo(f"{len(rows)} {'revision' if args.all else 'assessment'}(s) in {path} ({selection})", err=True)
    return 0
