"""Provides text as written for output: the line breaks of a YAML block inside a paragraph become spaces."""

from __future__ import annotations

import re

LIST_ITEM = re.compile(r"([-*+]|\d+[.)])\s")
"""How a line starts that begins a list item ("- ", "* ", "+ ", "1. ", "1) "): it stays a line of its own."""

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (split at blank lines), each one line, or one line per list item joined by "\\n"."""
    out: list[str] = []
    for block in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines: list[str] = []
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            if lines and not LIST_ITEM.match(line):
                lines[-1] += " " + line
            else:
                lines.append(line)
        if lines:
            out.append("\n".join(lines))
    return out


def unwrap(text: str) -> str:
    """The text with single line breaks inside a paragraph as spaces, paragraphs a blank line apart."""
    return "\n\n".join(paragraphs(text))


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Characters that change the direction of the text after them: embeddings, overrides, isolates (a mark such as
U+200F, common in Arabic text, changes nothing around it)."""


def isolated(name: str) -> str:
    """A name as assess puts it inside its own sentence: when it holds direction controls, between U+2068 and
    U+2069 (first-strong isolate), its own isolates dropped, so it cannot reorder or reverse the words around it."""
    if not BIDI_CONTROLS.search(name):
        return name
    return "\u2068" + re.sub("[\u2066-\u2069]", "", name) + "\u2069"
