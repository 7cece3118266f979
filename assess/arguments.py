"""Provides what the commands' argument parsers share: the parser class, argument types and help texts."""

from __future__ import annotations

import argparse
import sys

from .terminal import echo


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors (which quote what was typed) reach the terminal made visible()."""

    def exit(self, status: int = 0, message: str | None = None):
        """Print the message (made visible) on standard error and exit with status."""
        if message:
            echo(message, err=True, end="")
        sys.exit(status)


FORCE_HELP = "replace an existing file that is not an earlier output of the same kind (see the README)"

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
