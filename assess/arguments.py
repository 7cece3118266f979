"""Provides what the commands' argument parsers share: the parser class, argument types, help texts, --version and
what each kind of argument completes to in a shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import N_, domain
from .terminal import colour, echo

_, ngettext, pgettext = domain("cli")

if TYPE_CHECKING:
    from .outputs import Output


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors (which quote what was typed) reach the terminal made visible(), name
    the subcommand they are about, and whose help keeps the line breaks of its examples (the epilog)."""

    commands: argparse._SubParsersAction | None = None
    """The subcommands, once add_subparsers made them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        if sys.version_info >= (3, 14) and not colour():
            kwargs.setdefault("color", False)  # Python 3.14 colours help and errors; NO_COLOR turns it off
        super().__init__(*args, **kwargs)
        # every command (and the program itself) takes --lang; absent, it leaves what was given before alone
        self.add_argument("--lang", type=language_code, default=argparse.SUPPRESS, metavar="LANG", help=LANG_HELP)

    def add_subparsers(self, **kwargs):
        """argparse's add_subparsers, remembered so that an unknown option is reported by its subcommand."""
        self.commands = super().add_subparsers(**kwargs)
        return self.commands

    def parse_args(self, args: Sequence[str] | None = None, namespace=None):  # type: ignore[override]
        """Parse args; an argument no parser knows is a usage error of the subcommand it was typed after (argparse
        reports it with the top level's usage)."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            which = self
            if self.commands is not None:
                which = self.commands.choices.get(getattr(parsed, self.commands.dest, None) or "", self)
            which.error(_("unrecognized arguments: {arguments}").format(arguments=" ".join(extras)))
        return parsed

    def add_argument(self, *args, **kwargs):
        """argparse's add_argument, its help in the interface's language (the shared helps below are marked N_)."""
        if isinstance(kwargs.get("help"), str) and kwargs["help"] != argparse.SUPPRESS:
            kwargs["help"] = _(kwargs["help"])
        return super().add_argument(*args, **kwargs)

    def exit(self, status: int = 0, message: str | None = None):
        """Print the message (made visible) on standard error and exit with status."""
        if message:
            echo(message, err=True, end="")
        sys.exit(status)


LANG_HELP = N_(
    "the language to work in (fr, en, ar…): the interface's words and the framework's texts; default: "
    "$ASSESS_LANG, else the assessment's own language, else the locale ($LANG)"
)


def language_code(text: str) -> str:
    """argparse type of --lang: a language code such as fr, en or pt-BR, in any case, or a locale name such as
    fr_FR.UTF-8 (E925 otherwise)."""
    from .errors import problem
    from .i18n import from_locale, normalize

    code = from_locale(text) if "." in text or "@" in text else normalize(text)  # FR, fr-fr, fr_FR.UTF-8
    if not code:
        raise argparse.ArgumentTypeError(f"{problem('--lang', None, 'E925', lang=text).message} [E925]")
    return code


def requested_language(argv: Sequence[str]) -> str | None:
    """The value of --lang in argv (before the parser is built, so that its help is in that language), if valid."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2]
        if arg == "--lang" or arg.startswith("--lang="):
            try:
                return language_code(value)
            except argparse.ArgumentTypeError:
                return None  # the parser reports it (E925)
    return None


def choose_language(argv: Sequence[str]) -> str:
    """Set the interface's language from argv's --lang, $ASSESS_LANG or the locale, before the parser is built; say
    (in that language) when $ASSESS_LANG is not a language code (W056) or when the language asked for has no
    interface, whose words are then in the user's own language or English (W057). translate's --lang names the
    language translated into, not the interface's."""
    import os

    from .errors import problem
    from .i18n import interface_languages, language, resolve, set_language, setting_language, speaks

    asked = None if _command(argv) == "translate" else requested_language(argv)
    setting = os.environ.get("ASSESS_LANG", "").strip()
    lang = resolve(asked)
    set_language(lang)
    if setting and not setting_language():
        echo(problem("ASSESS_LANG", None, "W056", value=setting), err=True)
    if (asked or setting_language()) and not speaks(lang):
        from .translations import language_name

        where, now = "--lang" if asked else "ASSESS_LANG", language()
        fields = {"lang": lang, "available": ", ".join(interface_languages()), "fallback": language_name(now, now)}
        echo(problem(where, None, "W057", **fields), err=True)
    return lang


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand argv names (its first word that is not an option or an option's value), if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def examples(*lines: str) -> str:
    """A help epilog of example commands, one a line, run from a checkout (whose frameworks/ holds the examples)."""
    return _("examples:") + "\n" + "\n".join(f"  {line}" for line in lines)


FORCE_HELP = N_("replace an existing file that is not an earlier output of the same kind (see the README)")

FRAMEWORK_HELP = N_("a framework file or the id of a bundled framework (default: the one the answers pin)")

PDF_HELP = N_(
    "also write {pdf} beside {docx}, converted by LibreOffice (apt-get install -y libreoffice-writer-nogui; "
    "$ASSESS_SOFFICE names its program); headquarters collect the .docx, which carries the data, not the PDF"
)
"""--pdf's help, for report and compare."""


def pdf_help(docx: str, pdf: str) -> str:
    """--pdf's help for a command whose -o is docx, in the interface's language."""
    return _(PDF_HELP).format(docx=docx, pdf=pdf)


def pdf_output(args: argparse.Namespace, of: str) -> tuple[Output, str] | tuple[None, None]:
    """--pdf of report and compare: the PDF's Output beside -o's .docx and the LibreOffice program that converts
    it, found before any work (E421 when it is missing); (None, None) without --pdf or with -o - (E419)."""
    if not args.pdf or args.output == "-":
        return None, None
    from .office import pdf_beside, soffice
    from .outputs import Output

    path = pdf_beside(args.output)
    return Output(path, "--pdf", f"the PDF of {of}", "pdf"), soffice(path)


#: The longest --timeout: a day (a template that needs more is stuck; longer waits overflow the OS's timers).
MAX_SECONDS = 86400.0


def seconds(text: str) -> float:
    """argparse type of --timeout: a number of seconds above 0 and at most MAX_SECONDS (not nan, not inf)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= MAX_SECONDS:  # nan fails every comparison
        raise argparse.ArgumentTypeError(
            f"expected a number of seconds above 0 and at most {MAX_SECONDS:g} (a day), got {text!r}"
        )
    return value


# ---------------------------------------------------------------------------- --version


def version() -> str:
    """This program's version: the installed package's (its metadata), else the version pyproject.toml gives in a
    checkout run without installing, else 'unknown'."""
    from importlib import metadata  # deferred: it imports email and zipfile, and only --version needs it

    try:
        return metadata.version("assess")
    except metadata.PackageNotFoundError:
        pass
    import tomllib  # deferred with it

    try:
        project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))
        return f"{project['project']['version']} (checkout, not installed)"
    except (OSError, ValueError, KeyError, TypeError):
        return "unknown"


class Version(argparse.Action):
    """--version: print 'assess <version>' and exit; the version is looked up only when asked for."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        """Print the version on standard output and exit 0."""
        echo(f"{parser.prog} {version()}")
        parser.exit()


# ---------------------------------------------------------------------------- shell completion (shtab)

#: What an argument completes to, per shell, in shtab's terms (set as the action's `complete` attribute, which
#: shtab reads when `assess completion SHELL` writes the script). FILE is shtab.FILE, spelled out so that parsing
#: arguments does not import shtab.
FILE = {"bash": "_shtab_compgen_files", "zsh": "_files", "tcsh": "f"}
#: A framework file or a bundled framework's id: the functions are defined by completion_preamble() (tcsh, whose
#: patterns cannot join a word list to files, completes files).
FRAMEWORK = {"bash": "_assess_complete_frameworks_bash", "zsh": "_assess_complete_frameworks_zsh", "tcsh": "f"}


def completes(action: argparse.Action, kind: dict[str, str]) -> argparse.Action:
    """Mark what an argument completes to in a shell (FILE, FRAMEWORK); returns the action."""
    setattr(action, "complete", kind)  # noqa: B010 - shtab's documented attribute, unknown to argparse's types
    return action


#: The shells `assess completion` writes a script for.
SHELLS = ("bash", "zsh", "tcsh")


def completion_preamble(shell: str, ids: Sequence[str]) -> str:
    """The shell functions FRAMEWORK names in a shell's script: the bundled framework ids given, or files."""
    words = " ".join(i for i in ids if i.replace("-", "").replace("_", "").replace(".", "").isalnum())
    functions = {
        "bash": (
            "# a framework: a bundled id or a file\n"
            "_assess_complete_frameworks_bash() {\n"
            f'  compgen -W "{words}" -- "$1"\n'
            '  _shtab_compgen_files "$1"\n'
            "}\n"
        ),
        "zsh": (
            "# a framework: a bundled id or a file\n"
            "_assess_complete_frameworks_zsh() {\n"
            f"  _alternative 'ids:bundled framework:({words})' 'files:framework file:_files'\n"
            "}\n"
        ),
    }
    return functions.get(shell, "")
