"""Provides a framework's texts as a gettext PO file (Babel's reader and writer) and the PO file back into the
framework's translations block, rewriting that block's lines only."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import AssessError, Problem, problem
from .translations import Key, block, lookup, texts, unfit
from .yamlsafe import Located

_MARKDOWN = ("description", "guidance", "finding", "action")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}
FLOW_WIDTH = 120
"""The longest line a mapping of short texts is written on, as one line: {label: "Faible", short: "F"}."""
_UNPRINTABLE = re.compile("[\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""What YAML cannot hold as written (DEL, C1 controls, lone surrogates, non-characters): escaped."""
_ODD = {"\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}


def _date(data: dict[str, Any]) -> dt.datetime:
    """The date of the framework's version in its changelog (so that two exports of one text are the same bytes)."""
    for entry in data.get("changelog") or ():
        if isinstance(entry, dict) and str(entry.get("version")) == str(data.get("version")):
            try:
                return dt.datetime.fromisoformat(str(entry.get("date"))).replace(tzinfo=dt.UTC)
            except ValueError:
                break
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def export(located: Located, lang: str, reference: str | None = None) -> str:
    """The PO file of a framework's texts for a language: one entry per text, msgctxt its place (questions.x.text),
    msgid the source text, msgstr its translation ('' when it has none), '#:' the source's file (reference, else
    located's):line."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    data = located.data
    assert isinstance(data, dict)
    when = _date(data)
    catalog = Catalog(
        locale=lang.replace("-", "_"),
        project=str(data.get("id")),
        version=str(data.get("version")),
        creation_date=when,
        revision_date=when,
        fuzzy=False,
        header_comment=f"# {data.get('id')} {data.get('version')}: its texts to translate into {lang}.\n"
        "# Written by 'assess translate export'; fill each msgstr in a PO editor (Poedit, Weblate...), then\n"
        f"# 'assess translate import FRAMEWORK THIS.po --lang {lang} -o OUT'. msgctxt says what each text is.",
    )
    tr = block(data, lang)
    seen: set[Key] = set()
    for t in texts(data, every=True):
        if t.key in seen or (t.optional and lookup(tr, t.key) is None):
            continue
        seen.add(t.key)
        notes = ["Markdown: keep its marks (**, -, links)."] if t.key[-1] in _MARKDOWN else []
        if "{" in t.source:
            notes.append("Keep each {name} as it is: assess fills it in.")
        line = located.pos(t.where)[0]
        catalog.add(
            t.source,
            lookup(tr, t.key) or "",
            locations=[(reference or located.file, line)],
            auto_comments=notes,
            context=t.context,
        )
    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=False, include_previous=False)
    return out.getvalue().decode("utf-8")


@dataclass
class Imported:
    """What a PO file gives a framework's translations block."""

    texts: dict[Key, str] = field(default_factory=dict)
    """The translations taken, by key."""
    warnings: list[Problem] = field(default_factory=list)
    """Entries not taken: stale (W043), of nothing (W044), fuzzy (W045)."""
    lang: str = ""
    """The PO file's language (its Language header), '' when it names none."""
    refused: list[tuple[tuple[int, int] | None, str, str, str]] = field(default_factory=list)
    """Translations not taken, which refuse the file: where, the text's key, E914 (a control character) or E915 (a
    line break in a one-line text), and the character (U+0007)."""

    def refusal(self, name: str, lang: str) -> AssessError | None:
        """The error of a file holding translations unfit to show (E914, E915, at the PO file's lines), else None."""
        if not self.refused:
            return None
        return AssessError([problem(name, at, c, lang=lang, key=key, char=char) for at, key, c, char in self.refused])


def read(raw: bytes, name: str, located: Located) -> Imported:
    """The translations a PO file holds for a framework's texts: empty and fuzzy entries skipped, and those whose msgid
    is no longer the source text (W043) or whose msgctxt names no text (W044); those unfit to show kept apart."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(raw), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise AssessError([problem(name, None, "E904", reason=str(exc) or type(exc).__name__)]) from None
    data = located.data
    assert isinstance(data, dict)
    by_context = {t.context: t for t in texts(data, every=True)}
    out = Imported(lang=str(catalog.locale).replace("_", "-") if catalog.locale else "")
    fuzzy = 0
    for m in catalog:
        if not m.id or not isinstance(m.id, str) or not isinstance(m.string, str) or not m.string.strip():
            continue
        if m.fuzzy:
            fuzzy += 1
            continue
        t = by_context.get(str(m.context or ""))
        if t is None:
            out.warnings.append(problem(name, _line(m), "W044", key=m.context or m.id))
        elif t.source != m.id:
            out.warnings.append(problem(name, _line(m), "W043", key=t.context, msgid=_cut(m.id), source=_cut(t.source)))
        elif found := unfit(t.key, m.string):
            out.refused.append((_line(m), t.context, *found))
        else:
            out.texts[t.key] = m.string
    if fuzzy:
        out.warnings.append(problem(name, None, "W045", count=fuzzy))
    return out


def _line(m: Any) -> tuple[int, int] | None:
    """Where a PO entry is, when Babel says."""
    return (m.lineno, 1) if getattr(m, "lineno", None) else None


def _cut(text: str, most: int = 60) -> str:
    """A text shortened for a message, on one line."""
    one = " ".join(text.split())
    return one if len(one) <= most else one[: most - 1] + "…"


# ---------------------------------------------------------------------------- the block written back


def merged(located: Located, lang: str, imported: dict[Key, str]) -> list[tuple[Key, str]]:
    """The language's block after an import, as its texts in document order: each imported one, else the one it had
    (those of nothing but a built-in scale kept after, as they were)."""
    data = located.data
    assert isinstance(data, dict)
    old = block(data, lang)
    order: list[Key] = []
    for t in texts(data, every=True):
        if t.key not in order:
            order.append(t.key)
    known = set(order)
    order += [k for k in _leaves(old, ()) if k not in known]
    out = []
    for k in order:
        value = imported.get(k) or lookup(old, k)
        if value is not None:
            out.append((k, value))
    return out


def _leaves(node: dict[str, Any], key: Key) -> list[Key]:
    """The keys of a block's texts, in its order."""
    out: list[Key] = []
    for k, v in node.items():
        out += _leaves(v, (*key, k)) if isinstance(v, dict) else [(*key, k)]
    return out


def render(lang: str, entries: list[tuple[Key, str]], indent: int, step: int = 2, newline: str = "\n") -> str:
    """A language's block as YAML lines (the language's key at indent), in block style: one text per line, a text of
    several lines as a literal block; each mapping's entries in the order of their first text."""
    tree: dict[str, Any] = {}
    for key, value in entries:
        node = tree
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = value
    lines = [" " * indent + _key(lang) + ":"]
    _emit(tree, indent + step, step, lines)
    return newline.join(lines) + newline


def _emit(node: dict[str, Any], indent: int, step: int, lines: list[str]) -> None:
    """A mapping's lines at indent."""
    for k, v in node.items():
        flow = _flow(v) if isinstance(v, dict) else None
        if flow is not None and indent + len(_key(k)) + 2 + len(flow) <= FLOW_WIDTH:
            lines.append(" " * indent + _key(k) + ": " + flow)
        elif isinstance(v, dict):
            lines.append(" " * indent + _key(k) + ":")
            _emit(v, indent + step, step, lines)
        else:
            lines += _scalar(" " * indent + _key(k) + ":", v, indent + step)


def _flow(node: dict[str, Any]) -> str | None:
    """A mapping of one-line texts on one line ({label: "Faible", short: "F"}), or None for any other."""
    if not all(isinstance(v, str) and _scalar("", v, 0) == [" " + _quoted(v)] for v in node.values()):
        return None
    return "{" + ", ".join(f"{_key(k)}: {_quoted(v)}" for k, v in node.items()) + "}"


def _key(name: str) -> str:
    """A mapping key as YAML reads it back as this text: plain when it is an id, else double-quoted."""
    return name if _PLAIN_KEY.match(name) and name.lower() not in _RESERVED else _quoted(name)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar that reads back as text (what YAML does not print, escaped)."""
    out = json.dumps(text, ensure_ascii=False)
    for char, escape in _ODD.items():
        out = out.replace(char, escape)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04X}", out)


def _scalar(head: str, text: str, indent: int) -> list[str]:
    """'key: value' lines: a literal block for a text of several lines that one reads back exactly, else quoted."""
    body = text[:-1] if text.endswith("\n") else text
    literal = (
        "\n" in body
        and not body.startswith((" ", "\n", "\t"))
        and not body.endswith("\n")
        and not any(c in body for c in "\r\t" + "".join(_ODD))
        and not _UNPRINTABLE.search(body)
        and all(c == "\n" or c >= " " for c in body)
        and all(not ln.endswith(" ") for ln in body.split("\n"))
    )
    if not literal:
        return [f"{head} {_quoted(text)}"]
    mark = "|" if text.endswith("\n") else "|-"
    return [f"{head} {mark}"] + [(" " * indent + ln) if ln else "" for ln in body.split("\n")]


def rewrite(text: str, located: Located, lang: str, new_block: str) -> str:
    """A framework's text with its translations.<lang> block replaced by new_block (added when it has none): the
    lines before and after it as they were, byte for byte."""
    lines = text.splitlines(keepends=True)
    keys = located.keys
    if ("translations",) not in keys:
        tail = "" if not lines or lines[-1].endswith(("\n", "\r")) else newline_of(text)
        return text + tail + "translations:" + newline_of(text) + new_block
    top_line = keys[("translations",)][0]
    if ("translations", lang) in keys:
        line, col = keys[("translations", lang)]
        if line == top_line:
            raise AssessError([problem(located.file, (line, col), "E909")])
        start = line - 1
        end = _block_end(lines, start + 1, col - 1)
    else:
        children = [v for k, v in keys.items() if len(k) == 2 and k[0] == "translations"]
        if any(v[0] == top_line for v in children) or located.values.get(("translations",), (0, 0))[0] == top_line:
            raise AssessError([problem(located.file, keys[("translations",)], "E909")])
        start = end = _block_end(lines, top_line, 0)
    return "".join(lines[:start]) + new_block + "".join(lines[end:])


def patch(text: str, lang: str, changes: dict[Key, str]) -> str | None:
    """A framework's text with the translations.<lang> texts given changed where they are written, each on its one
    line (a hand-written block keeps its layout and comments), or None when one cannot be: a text of several lines
    (old or new), or one the block lacks."""
    if any("\n" in v for v in changes.values()):
        return None
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    spans = []
    for key, value in changes.items():
        node = _node(root, ("translations", lang, *key))
        if node is None or node.style not in ("", None, '"', "'") or node.start_mark.line != node.end_mark.line:
            return None
        spans.append((node.start_mark.line, node.start_mark.column, node.end_mark.column, _quoted(value)))
    lines = text.splitlines(keepends=True)
    for line, start, end, written in sorted(spans, reverse=True):  # right to left: earlier columns stay put
        lines[line] = lines[line][:start] + written + lines[line][end:]
    return "".join(lines)


def _node(node: Any, path: tuple[str, ...]) -> Any:
    """The YAML node at a path of mapping keys, or None."""
    for part in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part]
        if len(found) != 1:
            return None
        node = found[0]
    return node if isinstance(node, yaml.ScalarNode) else None


def language_indent(located: Located, lang: str) -> int:
    """The column (0-based) a language's key is written at: its own, its neighbours', else 2."""
    cols = {k[1]: col - 1 for k, (_, col) in located.keys.items() if len(k) == 2 and k[0] == "translations"}
    return cols.get(lang, next(iter(cols.values()), 2))


def newline_of(text: str) -> str:
    """The line ending a file's text uses (\\r\\n or \\n)."""
    return "\r\n" if "\r\n" in text else "\n"


def _block_end(lines: list[str], first: int, indent: int) -> int:
    """The index of the line after a block that starts before lines[first] at indent: the first line, from
    first, that is written at indent or less (a comment too); blank lines at its end left outside."""
    end = first
    last = first
    while end < len(lines):
        body = lines[end].rstrip("\r\n")
        stripped = body.lstrip(" ")
        if stripped and len(body) - len(stripped) <= indent:
            break
        if stripped:
            last = end + 1
        end += 1
    return last


__all__ = ["Imported", "export", "language_indent", "merged", "newline_of", "patch", "read", "render", "rewrite"]
