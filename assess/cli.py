"""Provides the command line: parses arguments, calls the core, prints, and sets the exit code."""

from __future__ import annotations

import argparse
import atexit
import gc
import sys
from pathlib import Path

from . import cli_lines as said
from .arguments import (
    FILE,
    FORCE_HELP,
    FRAMEWORK,
    FRAMEWORK_HELP,
    SHELLS,
    Parser,
    Version,
    choose_language,
    completes,
    completion_preamble,
    examples,
    pdf_help,
    pdf_output,
    seconds,
)
from .errors import LOCKED, AssessError, problem
from .i18n import domain
from .paths import FRAMEWORKS, bundled_ids
from .terminal import echo, status

_, ngettext, pgettext = domain("cli")

EXAMPLE = "frameworks/examples/oc-threat.answers.yaml"
"""The answers file the help's examples use (run from a checkout, or with the path of your own file)."""

# ---------------------------------------------------------------------------- commands


def cmd_validate(args) -> int:
    """assess validate: check each framework file (- for standard input); exit 1 when any has a problem."""
    if args.files.count("-") > 1:
        raise AssessError([problem("assess validate", None, "E021", count=args.files.count("-"))])
    from .cli_migrate import checked_with_previous  # each command imports the core it needs
    from .cli_translate import validate_translations

    failed = 0
    for f in args.files:
        try:
            checked, more = checked_with_previous(f, args.previous)
            untranslated, counts = validate_translations(f, args.strict, checked.framework)  # W040s; --strict: E912
        except AssessError as exc:
            failed += 1
            for p in exc.problems:
                echo(p, err=True)
            continue
        fw, warnings = checked.framework, checked.warnings + tuple(more)
        for w in warnings + untranslated:
            echo(w, err=True)
        echo(said.valid(checked.name, fw, len(warnings) + len(untranslated)) + counts)
    if failed:
        echo(said.failed(failed, len(args.files)), err=True)
    return 1 if failed else 0


def cmd_score(args) -> int:
    """assess score: score an answers file (- for standard input) and print or write the result."""
    from . import output
    from .i18n import set_language
    from .outputs import Batch, Output
    from .pipeline import score_file

    out = Output(args.output or "-", "-o", _("the result"), "result")
    with Batch([out], args.force) as batch:
        scored = score_file(args.answers, args.framework, batch, stdin=True, lang=getattr(args, "lang", None))
        set_language(scored.language)  # the table's: --lang, else the setting, else the assessment's own
        result, warnings = scored.result, scored.warnings
        for w in list(warnings) + list(result.warnings):
            echo(w, err=True)
        if args.format == "json":
            batch.put(out, output.to_json(result, warnings))
        else:
            batch.put(out, {"table": output.to_table, "csv": output.to_csv}[args.format](result))
        batch.commit()
    if not out.to_stdout:
        echo(_("wrote {path}").format(path=out.path), err=True)
    return 0


def cmd_report(args) -> int:
    """assess report: render the Word report (and its PDF, the plan of action) of an answers file (- for stdin)."""
    from .i18n import set_language
    from .outputs import Batch, Output
    from .pipeline import score_file
    from .report import DEFAULT_TEMPLATE, Limits, render_report, signing_key

    report = Output(args.output, "-o", _("the report"), "report")
    pdf, program = pdf_output(args, _("the report"))
    actions = Output(args.actions, "--actions", _("the plan of action"), "actions") if args.actions else None
    wanted = args.requirements
    needs = Output(wanted, "--requirements", _("the collection plan"), "requirements") if wanted else None
    outputs = [o for o in (report, pdf, actions, needs) if o is not None]
    key, key_warnings = signing_key(args.sign, outputs)  # --sign, else $ASSESS_SIGNING_KEY: before any work
    with Batch(outputs, args.force) as batch:
        scored = score_file(
            args.answers,
            args.framework,
            batch,
            args.template or DEFAULT_TEMPLATE,
            stdin=True,
            lang=getattr(args, "lang", None),  # --lang, when given (it is never defaulted: arguments.py)
        )
        set_language(scored.language)  # the report's: --lang, else the setting, else the assessment's own
        result, warnings = scored.result, scored.warnings
        limits = Limits(seconds=args.timeout)
        with status(_("rendering the report of {name}…").format(name=scored.name)):
            more = render_report(
                result, report, args.template, args.strict, scored.name, limits, batch, scored.language, key
            )
        if pdf is not None and program is not None:
            from .office import convert

            where, soffice = pdf.path, program
            with status(_("converting the report to PDF with LibreOffice…")):
                batch.fill(pdf, lambda p: convert(batch.temp(report), p, soffice, "report", where))
        if actions and actions.path.lower().endswith(".xlsx"):
            from .workbook import write_plan

            book = actions.path
            batch.fill(actions, lambda p: more.extend(write_plan(result, p, book)))
        elif actions:
            from .output import actions_csv

            batch.put(actions, actions_csv(result, bom=not actions.to_stdout))
        if needs and needs.path.lower().endswith(".xlsx"):
            from .workbook import write_requirements

            book_needs = needs.path
            batch.fill(needs, lambda p: more.extend(write_requirements(result, p, book_needs)))
        elif needs:
            from .collection_plan import requirements_csv

            batch.put(needs, requirements_csv(result, bom=not needs.to_stdout))
        batch.commit()
    for w in key_warnings + list(warnings) + list(result.warnings) + more:
        echo(w, err=True)
    for line in said.report_written(result, report, pdf, actions, needs, key):
        echo(line, err=batch.to_stdout)
    return 0


def cmd_new(args) -> int:
    """assess new: create an answers file for a framework, then open the app on it in a terminal."""
    from .pipeline import resolve_framework, start_assessment, start_next_period

    out = Path(args.output)
    keys = ("title", "mission", "area", "period", "analyst", "marking")
    meta = {k: getattr(args, k) for k in keys if getattr(args, k) is not None}  # no --marking: the default's
    if args.last:  # the next period: what was carried is said, for the planner to review
        created = start_next_period(resolve_framework(args.framework), Path(args.last), out, args.period, meta)
    else:
        created = start_assessment(resolve_framework(args.framework), out, meta, lang=getattr(args, "lang", None))
    for w in created.warnings:
        echo(w, err=True)
    for line in said.created(out, created.framework, created.answers, args.period, args.last):
        echo(line)
    if args.no_open:
        return 0
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        echo(_("not a terminal: open it later with 'assess open {path}'").format(path=out))
        return 0
    return run_app(out, lang=getattr(args, "lang", None))


def run_app(answers: Path | None = None, framework=None, session=None, frameworks: list[Path] | None = None, lang=None):
    """Open the planner's app (imports Textual only here), on an answers file or a session opened on it,
    else on the start screen (which also lists the framework files given); lang: the --lang given."""
    from .tui.app import AssessApp
    from .tui.keyfile import default_keys, read_keys

    keys = read_keys(default_keys(AssessApp))  # the user's keys.yaml: the app shows its warnings, opens with the rest
    AssessApp(answers, framework, frameworks, keys.keymap, session, keys.warnings, lang).run()
    return 0


def cmd_keys(args) -> int:
    """assess keys: every binding id of the app with its keys, the keys file's applied, and what it leaves out."""
    from .tui.app import AssessApp
    from .tui.keyfile import default_keys, listing, read_keys

    known = default_keys(AssessApp)
    keys = read_keys(known)
    for line in listing(keys, known):
        echo(line)
    state = _("read") if keys.path.exists() else _("none yet; write one to remap keys")
    echo(_("keys file: {path} ({state})").format(path=keys.path, state=state), err=True)
    for p in keys.warnings:
        echo(p, err=True)
    return 0


def cmd_start(args) -> int:
    """assess start: the app's start screen, listing the framework files and folders given with the bundled ones."""
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
        echo(_("assess start needs a terminal"), err=True)
        return 1
    return run_app(frameworks=files, lang=getattr(args, "lang", None))


def _migration_offered(args) -> bool:
    """Whether the app offers to migrate the answers (of an older version its framework declares the way from)."""
    from .tui.screens.migrate import pending

    return pending(Path(args.answers), args.framework) is not None


def cmd_open(args) -> int:
    """assess open: open an answers file in the app (read-only with --read-only or when another session has it)."""
    from .tui.language import open_session

    lang = getattr(args, "lang", None)  # else the assessment's own language, which the app then speaks
    # opened before the screen is taken over, so a script gets the message on stderr and exit 1
    try:
        session = open_session(args.answers, args.framework, read_only=args.read_only, lang=lang)
    except AssessError as exc:
        terminal = not args.read_only and sys.stdin.isatty() and sys.stdout.isatty()
        if not any(p.code in LOCKED for p in exc.problems):
            if terminal and _migration_offered(args):
                return run_app(Path(args.answers), args.framework, lang=lang)  # an older version's: the app offers
            raise
        if terminal:
            # the app opens a read-only file read-only and says why, and offers one another session holds
            return run_app(Path(args.answers), args.framework, lang=lang)
        import shlex

        for p in exc.problems:
            echo(p, err=True)
        command = ["assess", "open", "--read-only", args.answers]
        if args.framework:
            command[3:3] = ["--framework", args.framework]
        echo(_("to look at it: {command}").format(command=shlex.join(command)), err=True)
        return 1
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        session.close()
        echo(_("assess open needs a terminal; the file opens fine"), err=True)
        return 1
    return run_app(Path(args.answers), args.framework, session, lang=lang)


def parser() -> argparse.ArgumentParser:
    """The command line's parser: every command, its options, help with examples, and what each completes to."""
    said.speak_argparse()  # usage:, options, -h's help in the interface's language
    ap = Parser(
        prog="assess",
        description=_("Structured assessments of organized crime in conflict and fragile settings."),
        epilog=examples(
            "assess                      (in a terminal: the app's start screen)",
            f"assess score {EXAMPLE}",
            "assess COMMAND -h           (each command's options and examples)",
        ),
    )
    ap.add_argument("--version", action=Version, help=_("print the version and exit"))
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser(
        "validate",
        help=_("check framework files: schema and cross-references"),
        epilog=examples("assess validate frameworks/*.yaml", "assess validate - < frameworks/oc-threat.yaml"),
    )
    completes(p.add_argument("files", nargs="+", metavar="FILE", help=_("a framework file (-: standard input)")), FILE)
    help_previous = _("the framework's previous version: check what its migrations name there (E251, W023)")
    completes(p.add_argument("--previous", metavar="OLD", help=help_previous), FILE)
    p.set_defaults(func=cmd_validate)
    from .cli_diff import add_parser as add_diff
    from .cli_migrate import add_parser as add_migrate
    from .cli_translate import add_parser as add_translate

    add_diff(sub)  # diff: two versions of a framework
    add_migrate(sub)  # migrate: answers to a newer version of their framework
    add_translate(sub, p)  # translate: a framework's texts as a PO file, and back; validate --strict
    p = sub.add_parser(
        "score",
        help=_("score an answers file and print the result"),
        epilog=examples(
            f"assess score {EXAMPLE}",
            f"assess score {EXAMPLE} --format json",
            f"assess score {EXAMPLE} --format csv -o result.csv",
            f"assess score - --framework oc-threat < {EXAMPLE}",
        ),
    )
    answers_argument(p, _("-: standard input; a framework path it pins is then relative to the current folder"))
    framework_option(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    file_option(
        p, "-o", "--output", metavar="FILE", help=_("write to FILE instead of standard output (-: standard output)")
    )
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(func=cmd_score)
    p = sub.add_parser(
        "report",
        help=_("render the Word assessment report of an answers file"),
        epilog=examples(
            f"assess report {EXAMPLE} -o report.docx",
            f"assess report {EXAMPLE} -o report.docx --actions actions.csv --strict",
            f"assess report {EXAMPLE} -o report.docx --pdf --actions plan.xlsx   (also report.pdf and a workbook)",
            f"assess report {EXAMPLE} -o report.docx --requirements collection.csv",
            f"assess report - -o report.docx < {EXAMPLE}",
        ),
    )
    answers_argument(p, _("-: standard input"))
    file_option(p, "-o", "--output", required=True, metavar="OUT.docx")
    file_option(p, "--template", metavar="FILE", help=_("a .docx template (default: templates/assessment.docx)"))
    framework_option(p)
    p.add_argument("--strict", action="store_true", help=_("refuse an incomplete assessment instead of a DRAFT"))
    p.add_argument("--pdf", action="store_true", help=pdf_help("OUT.docx", "OUT.pdf"))
    file_option(
        p,
        "--actions",
        metavar="FILE",
        help=_(
            "also write the plan of action: a workbook for FILE.xlsx (with the collection plan on its second "
            "sheet), else CSV (-: print the CSV)"
        ),
    )
    file_option(
        p,
        "--requirements",
        metavar="FILE",
        help=_(
            "also write the collection plan (the intelligence requirements): a workbook for FILE.xlsx, else CSV "
            "(-: print the CSV)"
        ),
    )
    file_option(p, "--sign", metavar="KEY", help=_("sign with the mission's key file (default: $ASSESS_SIGNING_KEY)"))
    p.add_argument("--timeout", type=seconds, default=60, metavar="S", help=_("stop a template after S seconds"))
    p.add_argument("--force", action="store_true", help=FORCE_HELP)
    p.set_defaults(func=cmd_report)
    p = sub.add_parser(
        "new",
        help=_("start an answers file for a framework"),
        epilog=examples(
            'assess new oc-threat -o threat.answers.yaml --title "Threat assessment" --period 2026-H1',
            "assess new frameworks/mission-risk.yaml -o risk.answers.yaml --no-open",
            "assess new mission-risk --from risk-2026-H2.answers.yaml --period 2027-H1 -o risk-2027-H1.answers.yaml",
        ),
    )
    framework_help = _("a framework file or the id of a bundled framework")
    completes(p.add_argument("framework", metavar="FRAMEWORK", help=framework_help), FRAMEWORK)
    file_option(p, "-o", "--output", required=True, metavar="FILE")
    for k, what in said.FACT_HELP.items():
        p.add_argument(f"--{k}", default="", help=_(what))
    marking = _("handling marking (default: its language's, UN RESTRICTED in English; with --from, the last one's)")
    p.add_argument("--marking", help=marking)
    file_option(
        p,
        "--from",
        dest="last",
        metavar="LAST.yaml",
        help=_(
            "start the next period from the last assessment (needs --period): answers carried forward to review, "
            "its plan's actions to follow up"
        ),
    )
    p.add_argument("--no-open", action="store_true", help=_("do not open the app on the new file"))
    p.set_defaults(func=cmd_new)
    p = sub.add_parser(
        "open",
        help=_("open an answers file in the app"),
        epilog=examples("assess open threat.answers.yaml", f"assess open --read-only {EXAMPLE}"),
    )
    answers_argument(p)
    framework_option(p)
    p.add_argument(
        "--read-only", action="store_true", help=_("only look at it (while another session has it open); saves nothing")
    )
    p.set_defaults(func=cmd_open)
    p = sub.add_parser(
        "start",
        help=_("open the app's start screen (what `assess` alone does in a terminal)"),
        epilog=examples("assess start", "assess start frameworks/ my-frameworks/extra.yaml"),
    )
    frameworks = p.add_argument(
        "frameworks", nargs="*", metavar="FRAMEWORK", help=_("framework files or folders to list with the bundled ones")
    )
    completes(frameworks, FILE)
    p.set_defaults(func=cmd_start)
    p = sub.add_parser(
        "keys",
        help=_("list the app's binding ids with their keys (remap them in keys.yaml: see the README)"),
        epilog=examples("assess keys", "assess keys > my-keys.txt"),
    )
    p.set_defaults(func=cmd_keys)
    p = sub.add_parser("frameworks", help=_("list the bundled frameworks"), epilog=examples("assess frameworks"))
    p.set_defaults(func=cmd_frameworks)
    from .collect.cli import add_commands

    add_commands(sub)  # headquarters: collect, compare, list
    from .collect.cli_store import add_commands as add_store

    add_store(sub)  # store copy: a store into a new one, SQLite or PostgreSQL
    from .cli_keys import add_commands as add_keys

    add_keys(sub)  # key: a mission's signing key; the keys headquarters trusts
    p = sub.add_parser(
        "completion",
        help=_("print a shell completion script (see the README's 'Shell completion')"),
        epilog=examples(
            "assess completion bash > ~/.local/share/bash-completion/completions/assess",
            "assess completion zsh > ~/.zfunc/_assess     (with fpath=(~/.zfunc $fpath) before compinit)",
            "assess completion tcsh > ~/.assess.tcsh && echo 'source ~/.assess.tcsh' >> ~/.tcshrc",
        ),
    )
    shells = _("one of: {shells}").format(shells=", ".join(SHELLS))
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help=shells)
    p.set_defaults(func=cmd_completion)
    return ap


def answers_argument(p: argparse.ArgumentParser, more: str = "") -> None:
    """The ANSWERS argument of score, report and open."""
    completes(
        p.add_argument("answers", metavar="ANSWERS", help=_("an answers file") + (f" ({more})" if more else "")), FILE
    )


def framework_option(p: argparse.ArgumentParser) -> None:
    """--framework of score, report and open: a framework file or a bundled id."""
    completes(p.add_argument("--framework", metavar="FRAMEWORK", help=FRAMEWORK_HELP), FRAMEWORK)


def file_option(p: argparse.ArgumentParser, *names: str, **kwargs) -> None:
    """An option that names a file, completed as one."""
    completes(p.add_argument(*names, **kwargs), FILE)


def cmd_completion(args) -> int:
    """Print the completion script of a shell: commands, options, files and the bundled framework ids."""
    import shtab  # deferred: only this command needs it

    script = shtab.complete(parser(), args.shell, preamble=completion_preamble(args.shell, bundled_ids()))
    sys.stdout.write(script if script.endswith("\n") else script + "\n")
    return 0


def cmd_frameworks(args) -> int:
    """assess frameworks: one line per bundled framework, its id, its languages and its file."""
    for fid in bundled_ids():
        echo(said.framework_line(fid, FRAMEWORKS / (fid + ".yaml")))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line on argv (default: sys.argv[1:]) and return its exit code."""
    # at exit, the objects left (matplotlib's and Word's after a report) are frozen rather than collected by the
    # interpreter's last collections: about 0.3 s of CPU saved on 'assess report' (bench/report.py); atexit
    # handlers and finalizers still run
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    for stream in (sys.stdout, sys.stderr):  # a character the terminal cannot show prints as \xe9, not a crash
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    choose_language(sys.argv[1:] if argv is None else argv)  # before the parser: its help is in that language
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
