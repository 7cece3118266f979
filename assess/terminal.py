"""Provides terminal-safe text: control, escape and bidi-override characters in user text and file names are
shown as visible escapes (ESC as \\x1b, U+202E as \\u202e), so printing them can never drive the reader's
terminal (hide text, retitle the window, fake a line, reverse what is read).

Every line the command line prints goes through echo(), or visible() where it writes itself. Newlines and
tabs are kept: they are the program's own layout. Other text, accents, Arabic, em dashes, emoji, is kept
as it is. The escapes are the ones a YAML double-quoted string uses, so a user can find the character in the
file. Files written with -o are not changed here; JSON output escapes these characters in JSON's own way.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: C0 controls but tab and newline, DEL and C1 controls (0x9b is CSI to some terminals), the bidi
#: embeddings, overrides and isolates (Trojan Source), line and paragraph separators, and the lone
#: surrogates that stand for undecodable bytes of a file name; and the invisible zero-width space, word joiner
#: and BOM, which make two different names look the same (the joiners and marks Arabic and Persian text need stay).
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff\u200b\u2060\ufeff]"
)


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    if c == 0x0D:
        return "\\r"
    if c <= 0xFF:
        return f"\\x{c:02x}"
    if 0xDC80 <= c <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{c - 0xDC00:02x}"
    return f"\\u{c:04x}"


def visible(text: str) -> str:
    """text with every character that could drive a terminal written as a visible escape."""
    return UNSAFE.sub(_escape, text)


def echo(message: object = "", *, err: bool = False, end: str = "\n") -> None:
    """Print message (str() of it: a Problem, a line of text) to stdout, or stderr with err, made visible()."""
    stream = sys.stderr if err else sys.stdout
    stream.write(visible(str(message)) + end)


# ---------------------------------------------------------------------------- colour and progress


def colour() -> bool:
    """Whether the command line may colour what it prints: not when NO_COLOR is set and not empty (no-color.org).
    Only Python 3.14's argparse colours (help and usage errors); Textual reads NO_COLOR itself."""
    return not os.environ.get("NO_COLOR")


def live() -> bool:
    """Whether standard error is a terminal that can show a status line and erase it (not a file, a pipe, or
    TERM=dumb): long work says how far it is only there, and stays quiet when piped or logged."""
    stream = sys.stderr
    return stream is not None and stream.isatty() and os.environ.get("TERM") != "dumb"


def show_status(text: str) -> None:
    """Write text (made visible, cut to the terminal's width) over the status line on standard error."""
    try:
        width = os.get_terminal_size(sys.stderr.fileno()).columns or 80  # 0: a terminal that does not say
    except (OSError, ValueError):
        width = 80
    sys.stderr.write(f"\r\033[K{visible(text)[: max(width - 1, 1)]}")
    sys.stderr.flush()


def clear_status() -> None:
    """Erase the status line on standard error."""
    sys.stderr.write("\r\033[K")
    sys.stderr.flush()


@contextmanager
def status(text: str) -> Iterator[None]:
    """Show text as a one-line status on standard error while the block runs, only when live(); erased after,
    before anything the command prints next."""
    shown = live()
    if shown:
        show_status(text)
    try:
        yield
    finally:
        if shown:
            clear_status()
