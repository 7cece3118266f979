"""Provides what the commands' argument parsers share: the parser class, argument types, help texts, --version and
what each kind of argument completes to in a shell."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .terminal import colour, echo

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
            which.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed

    def exit(self, status: int = 0, message: str | None = None):
        """Print the message (made visible) on standard error and exit with status."""
        if message:
            echo(message, err=True, end="")
        sys.exit(status)


def examples(*lines: str) -> str:
    """A help epilog of example commands, one a line, run from a checkout (whose frameworks/ holds the examples)."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


FORCE_HELP = "replace an existing file that is not an earlier output of the same kind (see the README)"

FRAMEWORK_HELP = "a framework file or the id of a bundled framework (default: the one the answers pin)"

PDF_HELP = (
    "also write {pdf} beside {docx}, converted by LibreOffice (apt-get install -y libreoffice-writer-nogui; "
    "$ASSESS_SOFFICE names its program); headquarters collect the .docx, which carries the data, not the PDF"
)
"""--pdf's help, for report and compare."""


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
