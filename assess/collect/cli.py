"""Provides the collect, compare and list commands: argument parsing and printing around assess.collect.

assess/cli.py wires them in with add_commands(sub). Each command returns an exit code and raises AssessError for a
user's mistake.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..arguments import FILE, FORCE_HELP, FRAMEWORK, completes, examples, pdf_help, pdf_output, seconds
from ..errors import AssessError
from ..i18n import N_, domain
from ..terminal import clear_status, echo, live, show_status, status

if TYPE_CHECKING:
    from .archive import Archive
    from .trust import Trust

_, ngettext, _pgettext = domain("hq")

STORE_HELP = N_(
    "the store: a SQLite file, or a PostgreSQL database as postgresql://USER@HOST:PORT/DATABASE "
    "(default: $ASSESS_STORE, else collect.sqlite in your user data folder)"
)


def _store_path(arg: str | None) -> Path | str:
    from .address import store_address
    from .store import default_path

    return store_address(arg) if arg else default_path()


def _filters(p: argparse.ArgumentParser) -> None:
    completes(p.add_argument("--store", metavar="ADDRESS", help=_(STORE_HELP)), FILE)
    framework = p.add_argument(
        "--framework",
        metavar="FRAMEWORK",
        help=_("only assessments on this framework: its id, or a framework file (its id is used)"),
    )
    completes(framework, FRAMEWORK)
    p.add_argument(
        "--mission",
        metavar="M",
        action="append",
        default=[],
        help=_("only missions whose name contains M (case-insensitive; repeat for several)"),
    )
    p.add_argument(
        "--since", metavar="P", help=_("only periods ending on or after period P (2026, 2026-H1, 2026-Q3, …)")
    )
    p.add_argument("--until", metavar="P", help=_("only periods starting on or before period P"))


def add_commands(sub) -> None:
    """Register collect, compare and list on an argparse subparsers object."""
    p = sub.add_parser(
        "collect",
        help=_("collect reports (.docx) and answers files into the headquarters store"),
        epilog=examples(
            "assess collect frameworks/examples --store hq.sqlite",
            "assess collect reports/ more/report.docx       "
            + _("(the store: $ASSESS_STORE or your user data folder)"),
        ),
    )
    paths = p.add_argument(
        "paths", nargs="+", metavar="PATH", help=_("report, answers file, or folder (searched recursively)")
    )
    completes(paths, FILE)
    completes(p.add_argument("--store", metavar="ADDRESS", help=_(STORE_HELP)), FILE)
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help=_("processes reading files while one writes the store (default: one per CPU, at most 4; 1: none)"),
    )
    p.add_argument(
        "--require-signature",
        action="store_true",
        help=_(
            "refuse what is not signed with a mission's key the store trusts: unsigned reports, reports signed with "
            "a key not trusted, answers files"
        ),
    )
    archive_help = _(
        "keep each file collected, byte for byte, in this folder, named by its SHA-256 "
        "(DIR/sha256/ab/HASH.docx; default: $ASSESS_ARCHIVE, else none)"
    )
    completes(p.add_argument("--archive", metavar="DIR", help=archive_help), FILE)
    p.set_defaults(func=cmd_collect)
    p = sub.add_parser(
        "compare",
        help=_("write a Word summary comparing the collected assessments (in --lang's language)"),
        epilog=examples(
            "assess compare --store hq.sqlite -o summary.docx",
            "assess compare --store hq.sqlite --framework oc-threat --since 2026 -o threat.docx --csv -",
            "assess compare --store hq.sqlite --framework frameworks/oc-threat.yaml -o threat.docx",
            "assess compare --store hq.sqlite -o summary.docx --pdf          "
            + _("(also summary.pdf, for circulation)"),
            "assess compare --store hq.sqlite -o synthese.docx --lang fr     "
            + _("(in French, whatever each report's language)"),
        ),
    )
    _filters(p)
    summary_help = _("the Word summary to write, in --lang's language")
    completes(p.add_argument("-o", "--output", required=True, metavar="SUMMARY.docx", help=summary_help), FILE)
    csv_help = _("also write one row per assessment and score (-: print it)")
    completes(p.add_argument("--csv", metavar="FILE", help=csv_help), FILE)
    p.add_argument("--pdf", action="store_true", help=pdf_help("SUMMARY.docx", "SUMMARY.pdf"))
    template_help = _("a .docx template (default: templates/summary.docx)")
    completes(p.add_argument("--template", metavar="FILE", help=template_help), FILE)
    p.add_argument("--timeout", type=seconds, default=60, metavar="S", help=_("stop a template after S seconds"))
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser(
        "list",
        help=_("list the assessments the store holds, newest first"),
        epilog=examples(
            "assess list --store hq.sqlite",
            "assess list --store hq.sqlite --framework frameworks/oc-threat.yaml --mission kivu --since 2026-H1 --all",
        ),
    )
    _filters(p)
    p.add_argument("--all", action="store_true", help=_("also list the older revisions kept as history"))
    listed_help = _("under each line, the file collected as the archive DIR keeps it (see collect --archive)")
    completes(p.add_argument("--archive", metavar="DIR", help=listed_help), FILE)
    p.set_defaults(func=cmd_list)


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 64:
        raise argparse.ArgumentTypeError(
            _("expected a number of processes from 1 to 64, got {text!r}").format(text=text)
        )
    return n


def _progress(done: int, total: int, path: str) -> None:
    if done == total:
        clear_status()
    elif done == 1 or done % 10 == 0:
        show_status(_("collecting {done}/{total}: {name}").format(done=done, total=total, name=Path(path).name[:50]))


def cmd_collect(args) -> int:
    """assess collect: read reports and answers files into the store; exit 1 when any was rejected."""
    import os

    from ..outputs import Output, same_as_input
    from .archive import Archive, check_outside
    from .collect import collect
    from .store import Store

    path = _store_path(args.store)
    out = Output(str(path), "--store", "the store", "")
    found = [same_as_input(out, {"a file to collect": p}) for p in args.paths]
    if any(found):
        raise AssessError([p for p in found if p][:1])
    folder = args.archive or os.environ.get("ASSESS_ARCHIVE")
    archive = Archive(Path(folder)) if folder else None
    if archive is not None:
        check_outside(archive.folder, args.paths)
        archive.open()  # made (or refused) before the store is opened
    with Store(path) as store:
        progress = _progress if live() else None
        result = collect(
            args.paths, store, progress, jobs=args.jobs, require_signature=args.require_signature, archive=archive
        )
    for o in result.rejected:
        echo(o.problem, err=True)
    for w in result.warnings:
        echo(w, err=True)
    echo(_("{summary} (store {store})").format(summary=result.summary(), store=result.store))
    if archive is not None:
        echo(
            ngettext(
                "archive {folder}: {count} new file, {kept} held already",
                "archive {folder}: {count} new files, {kept} held already",
                archive.new,
            ).format(folder=archive.folder, count=archive.new, kept=archive.kept)
        )
    return 1 if result.rejected else 0


def cmd_compare(args) -> int:
    """assess compare: write the Word summary (and the CSV) of the collected assessments the filters select."""
    from ..i18n import language
    from ..outputs import Batch, Output
    from ..report.render import Limits
    from .compare import compare, to_csv
    from .followup import text_lines
    from .store import Store
    from .summary import TEMPLATE, render_summary

    summary = Output(args.output, "-o", "the summary", "summary")
    pdf, program = pdf_output(args, "the summary")  # LibreOffice found before any work
    table = Output(args.csv, "--csv", "the CSV", "comparison") if args.csv else None
    store_path = _store_path(args.store)
    from ..pipeline import framework_id  # the core, loaded only by the commands that filter

    framework = framework_id(args.framework) if args.framework else None
    with Batch([o for o in (summary, pdf, table) if o is not None], args.force) as batch:
        batch.prepare({"the store": store_path, "the template": args.template or TEMPLATE})
        with status(_("reading the store…")), Store(store_path, create=False) as store:
            c = compare(store, framework, args.mission, args.since, args.until, language())
        n = len(c.assessments)
        with status(
            ngettext(
                "rendering the summary of {count} assessment(s)…", "rendering the summary of {count} assessment(s)…", n
            ).format(count=n)
        ):
            render_summary(c, summary, args.template, Limits(seconds=args.timeout), batch)
        if pdf is not None and program is not None:
            from ..office import convert

            where, soffice = pdf.path, program
            with status(_("converting the summary to PDF with LibreOffice…")):
                batch.fill(pdf, lambda p: convert(batch.temp(summary), p, soffice, "summary", where))
        if table:
            batch.put(table, to_csv(c, bom=not table.to_stdout))  # a byte-order mark in a file only
        batch.commit()
    missions = len({a.one_mission for a in c.assessments})
    echo(
        _("wrote {path}: {assessments}, {missions}, {frameworks}").format(
            path=summary.path,
            assessments=ngettext("{count} assessment(s)", "{count} assessment(s)", n).format(count=n),
            missions=ngettext("{count} mission(s)", "{count} mission(s)", missions).format(count=missions),
            frameworks=ngettext("{count} framework(s)", "{count} framework(s)", len(c.frameworks)).format(
                count=len(c.frameworks)
            ),
        ),
        err=batch.to_stdout,
    )
    if pdf is not None:
        echo(_("wrote {path}: the summary as PDF").format(path=pdf.path), err=batch.to_stdout)
    for note in c.notes:
        echo(_("note: {note}").format(note=note), err=True)
    for w in c.warnings:
        echo(w, err=True)
    if table and not table.to_stdout:
        rows = len(c.score_rows)
        echo(
            ngettext("wrote {path}: {count} row(s)", "wrote {path}: {count} row(s)", rows).format(
                path=table.path, count=rows
            )
        )
    for line in text_lines(c):  # each mission's follow-up of the last period's actions
        echo(line, err=batch.to_stdout)
    return 0


def list_lines(rows: list[dict], trust: Trust | None = None, archive: Archive | None = None) -> list[str]:
    """One line per assessment: updated, period, framework and version (and the language its texts are in, when
    the assessments listed are in several), mission, id, title; whether it is signed, and by whom, when any listed
    is (trust: the keys the store trusts); and, with an archive, a line under it naming the file it keeps."""
    from .compare import short_mission, shorten
    from .trust import Trust

    out = []
    several = len({r.get("language") or "" for r in rows}) > 1
    signed = any(r.get("signed_by") for r in rows)
    trust = trust or Trust()
    for r in rows:
        when = r["updated"][:16].replace("T", " ") or "—"
        extra = []
        if r.get("revisions", 1) > 1:
            extra.append(_("{count} revisions").format(count=r["revisions"]))
        if not r["is_current"]:
            extra.append(_("superseded"))
        if not r["complete"]:
            extra.append(_("draft"))
        if signed:
            extra.append(trust.mark(r.get("signed_by")))
        tail = f" ({', '.join(extra)})" if extra else ""
        lang = f" {r.get('language') or '—'}" if several else ""
        out.append(
            f"{when:<16}  {r['period'] or '—':<8}  {r['framework_id']} {r['framework_version']}{lang}  "
            f"{short_mission(r['mission'], 20)}  {r['assessment_id'][:8]}  {shorten(r['title'], 60)}{tail}"
        )
        if archive is not None:
            kept = archive.find(r.get("file_sha256"), r.get("source") or "")
            out.append(_("  file: {path}").format(path=kept) if kept else _("  file: not archived"))
    return out


def cmd_list(args) -> int:
    """assess list: one line per assessment the store holds that the filters select, newest first."""
    from ..errors import problem
    from .archive import Archive
    from .compare import describe
    from .periods import parse_period
    from .store import Filters, Store
    from .trust import Trust

    since = parse_period(args.since, "--since")[0] if args.since else None
    until = parse_period(args.until, "--until")[1] if args.until else None
    from ..pipeline import framework_id  # the core, loaded only by the commands that filter

    framework = framework_id(args.framework) if args.framework else None
    filters = Filters(framework, tuple(args.mission), since, until, current=not args.all)
    archive = Archive(Path(args.archive)) if args.archive else None
    if archive is not None and not archive.folder.is_dir():
        raise AssessError([problem(args.archive, None, "E508")])
    with Store(_store_path(args.store), create=False) as store, store.snapshot():
        rows = store.assessments(filters)
        trust = Trust.of(store)
        path = store.path
    for line in list_lines(rows, trust, archive):
        echo(line)
    selection = describe(framework, args.mission, args.since, args.until)
    n = len(rows)
    counted = (
        ngettext("{count} revision(s) in {path} ({selection})", "{count} revision(s) in {path} ({selection})", n)
        if args.all
        else ngettext(
            "{count} assessment(s) in {path} ({selection})", "{count} assessment(s) in {path} ({selection})", n
        )
    )
    echo(counted.format(count=len(rows), path=path, selection=selection), err=True)
    return 0
