"""Provides the command line: parses arguments, calls the core, prints, and sets the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .arguments import FORCE_HELP, Parser, seconds
from .errors import LOCKED, AssessError, problem
from .paths import FRAMEWORKS
from .pipeline import bundled_ids, resolve_framework, score_file, start_assessment
from .terminal import echo

# ---------------------------------------------------------------------------- commands


def cmd_validate(args) -> int:
    from .loader import load_framework

    failed = 0
    for f in args.files:
        try:
            fw, warnings = load_framework(f)
        except AssessError as exc:
            failed += 1
            for p in exc.problems:
                echo(p, err=True)
            continue
        for w in warnings:
            echo(w, err=True)
        n_q = len(fw.questions)
        echo(
            f"{f}: valid — {fw.id} {fw.version}, {len(fw.all_sections)} sections, {n_q} questions, "
            f"{len(fw.derived)} derived scores, {len(fw.rules)} rules"
            + (f", {len(warnings)} warning(s)" if warnings else "")
        )
    if failed:
        echo(f"{failed} of {len(args.files)} file(s) have problems", err=True)
    return 1 if failed else 0


def cmd_score(args) -> int:
    from . import output
    from .outputs import Batch, Output

    out = Output(args.output or "-", "-o", "the result", "result")
    with Batch([out], args.force) as batch:
        scored = score_file(args.answers, args.framework, batch)
        result, warnings = scored.result, scored.warnings
        for w in list(warnings) + list(result.warnings):
            echo(w, err=True)
        if args.format == "json":
            batch.put(out, output.to_json(result, warnings))
        else:
            batch.put(out, {"table": output.to_table, "csv": output.to_csv}[args.format](result))
        batch.commit()
    if not out.to_stdout:
        echo(f"wrote {out.path}", err=True)
    return 0


def cmd_report(args) -> int:
    from .outputs import Batch, Output
    from .report import DEFAULT_TEMPLATE, Limits, render_report

    report = Output(args.output, "-o", "the report", "report")
    actions = Output(args.actions, "--actions", "the plan of action", "actions") if args.actions else None
    with Batch([report] + ([actions] if actions else []), args.force) as batch:
        scored = score_file(args.answers, args.framework, batch, args.template or DEFAULT_TEMPLATE)
        result, warnings = scored.result, scored.warnings
        limits = Limits(seconds=args.timeout)
        more = render_report(result, report, args.template, args.strict, args.answers, limits, batch)
        if actions:
            from .output import actions_csv

            batch.put(actions, actions_csv(result))
        batch.commit()
    for w in list(warnings) + list(result.warnings) + more:
        echo(w, err=True)
    n = len(result.recommendations)
    if actions and not actions.to_stdout:
        echo(f"wrote {actions.path}: {n} recommended action(s)", err=batch.to_stdout)
    state = "complete" if result.complete else "DRAFT — incomplete"
    echo(
        f"wrote {report.path}: {result.framework.title} {result.framework.version}, {state}, {n} recommended action(s)",
        err=batch.to_stdout,
    )
    return 0


def cmd_new(args) -> int:
    out = Path(args.output)
    meta = {k: getattr(args, k) for k in ("title", "mission", "area", "period", "analyst", "marking")}
    created = start_assessment(resolve_framework(args.framework), out, meta)
    fw = created.framework
    echo(f"created {out}: {fw.title} {fw.version}, {len(fw.questions)} questions (assessment {created.answers.id})")
    if args.no_open:
        return 0
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        echo(f"not a terminal: open it later with 'assess open {out}'")
        return 0
    return run_app(out)


def run_app(
    answers: Path | None = None, framework: str | None = None, session=None, frameworks: list[Path] | None = None
) -> int:
    """Open the planner's app (imports Textual only here), on an answers file or a session opened on it,
    else on the start screen (which also lists the framework files given)."""
    from .tui.app import AssessApp

    AssessApp(answers, framework, frameworks=frameworks, session=session).run()
    return 0


def cmd_start(args) -> int:
    files: list[Path] = []
    for raw in args.frameworks:
        p = Path(raw)
        if p.is_dir():
            found = sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml"))
            if not found:
                raise AssessError([problem(str(p), None, "E318")])
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise AssessError([problem(str(p), None, "E508")])
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        echo("assess start needs a terminal", err=True)
        return 1
    return run_app(frameworks=files)


def cmd_open(args) -> int:
    from .session import Session

    # opened before the screen is taken over, so a script gets the message on stderr and exit 1
    try:
        session = Session.open(args.answers, args.framework, read_only=args.read_only)
    except AssessError as exc:
        if not any(p.code in LOCKED for p in exc.problems):
            raise
        read_only_file = any(p.code == "E324" for p in exc.problems) and not args.read_only
        if read_only_file and sys.stdin.isatty() and sys.stdout.isatty():
            return run_app(Path(args.answers), args.framework)  # the app opens it read-only and says why
        import shlex

        for p in exc.problems:
            echo(p, err=True)
        command = ["assess", "open", "--read-only", args.answers]
        if args.framework:
            command[3:3] = ["--framework", args.framework]
        echo(f"to look at it: {shlex.join(command)}", err=True)
        return 1
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        session.close()
        echo("assess open needs a terminal; the file opens fine", err=True)
        return 1
    return run_app(Path(args.answers), args.framework, session)


def parser() -> argparse.ArgumentParser:
    ap = Parser(
        prog="assess", description="Structured assessments of organized crime in conflict and fragile settings."
    )
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("validate", help="check framework files: schema and cross-references")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("score", help="score an answers file and print the result")
    p.add_argument("answers", metavar="ANSWERS")
    p.add_argument("--framework", metavar="FILE", help="framework file (default: the one the answers pin)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output (-: standard output)"
    )
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(func=cmd_score)
    p = sub.add_parser("report", help="render the Word assessment report of an answers file")
    p.add_argument("answers", metavar="ANSWERS")
    p.add_argument("-o", "--output", required=True, metavar="OUT.docx")
    p.add_argument("--template", metavar="FILE", help="a .docx template (default: templates/assessment.docx)")
    p.add_argument("--framework", metavar="FILE", help="framework file (default: the one the answers pin)")
    p.add_argument("--strict", action="store_true", help="refuse an incomplete assessment instead of a DRAFT")
    p.add_argument(
        "--actions", metavar="FILE.csv", help="also write the recommended actions as a plan of action (-: print it)"
    )
    p.add_argument("--timeout", type=seconds, default=60, metavar="S", help="stop a template after S seconds")
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("new", help="start an answers file for a framework")
    p.add_argument("framework", metavar="FRAMEWORK", help="a framework file or the id of a bundled framework")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    for k in ("title", "mission", "area", "period", "analyst"):
        p.add_argument(f"--{k}", default="")
    p.add_argument("--marking", default="UN RESTRICTED", help="handling marking (default: UN RESTRICTED)")
    p.add_argument("--no-open", action="store_true", help="do not open the app on the new file")
    p.set_defaults(func=cmd_new)
    p = sub.add_parser("open", help="open an answers file in the app")
    p.add_argument("answers", metavar="ANSWERS")
    p.add_argument("--framework", metavar="FILE", help="framework file (default: the one the answers pin)")
    p.add_argument(
        "--read-only", action="store_true", help="only look at it (while another session has it open); saves nothing"
    )
    p.set_defaults(func=cmd_open)
    p = sub.add_parser("start", help="open the app's start screen (what `assess` alone does in a terminal)")
    p.add_argument(
        "frameworks", nargs="*", metavar="FRAMEWORK", help="framework files or folders to list with the bundled ones"
    )
    p.set_defaults(func=cmd_start)
    sub.add_parser("frameworks", help="list the bundled frameworks").set_defaults(func=cmd_frameworks)
    from .collect.cli import add_commands

    add_commands(sub)  # headquarters: collect, compare, list
    return ap


def cmd_frameworks(args) -> int:
    for fid in bundled_ids():
        echo(f"{fid:<24} {FRAMEWORKS / (fid + '.yaml')}")
    return 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a character the terminal cannot show prints as \xe9, not a crash
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    ap = parser()
    args = ap.parse_args(argv)
    if not getattr(args, "func", None):
        if sys.stdin.isatty() and sys.stdout.isatty():
            return run_app()
        ap.print_help()
        return 0
    try:
        return args.func(args)
    except AssessError as exc:
        for p in exc.problems:
            echo(p, err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a path or folder the commands do not word themselves: a message, not a traceback
        where = exc.filename if isinstance(exc.filename, str) else "assess"
        echo(problem(where, None, "E411", reason=exc.strerror or str(exc)), err=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
