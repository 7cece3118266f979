"""Provides safe YAML reading: plain data plus the line:col of every key and value; bounded numbers; and the
check that a user's file is a regular file of bounded size before it is read."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml import events as ev

from .errors import AssessError, problem
from .files import special_kind
from .i18n import domain

_, ngettext, pgettext = domain("cli")

MAX_BYTES = 32 * 1024 * 1024
MAX_TEMPLATE_BYTES = 64 * 1024 * 1024
"""Largest Word template (.docx) read: ample for a letterhead with pictures."""
MAX_DEPTH = 64
MAX_DIGITS = 100
"""Digits a number may be written with: far more than any score, weight or amount needs."""
MAX_EXPONENT = 100
"""Largest exponent, either sign, a number may be written with (1e100, 1e-100): exact arithmetic on such
numbers stays instant, while 1e999999999 would need a billion-digit integer."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Plain scalars are resolved here, not by PyYAML: YAML 1.2 style, so that yes/no/on/off stay text.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$")
_NONFINITE = re.compile(r"^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$")
_PARTS = re.compile(r"[-+]?([0-9]*)(?:\.([0-9]*))?(?:[eE][-+]?([0-9]+))?")
_STR_TAGS = {"tag:yaml.org,2002:str", "!"}

Path_ = tuple[str | int, ...]  # a path into the data: keys and list indexes
Scalar = str | int | Decimal | bool | None
"""A plain YAML value as parse reads it (YAML 1.2 style)."""


@dataclass
class Located:
    """Data read from YAML, with positions to point users at."""

    data: object
    """The plain data: dict, list, str, int, Decimal, bool or None."""
    file: str
    """The file's name as the user gave it."""
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, col) of each value, by path."""
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, col) of the key that holds each mapping value, by path."""

    def pos(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """The position of a path, or of the nearest enclosing path that has one."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if key and p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


def not_a_file(mode: int) -> str:
    """What a path given as a file to read is instead, as E017 says it ('a character device (such as /dev/zero)')."""
    return special_kind(mode) + (_(" (such as /dev/zero)") if stat.S_ISCHR(mode) else "")


def _regular(name: str, st: os.stat_result, limit: int, too_big: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = not_a_file(st.st_mode)
        raise AssessError([problem(name, None, "E017", kind=kind)])
    if st.st_size > limit:
        raise AssessError([problem(name, None, too_big, size=st.st_size, limit=limit)])


def check_file(path: Path | str, limit: int, too_big: str = "E005") -> None:
    """Refuse, with a coded message, a path that is not a regular file (a pipe, a device, a folder, or a link to
    one) or is over limit bytes, without opening it; too_big is the code for an oversize file."""
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise AssessError([problem(str(path), None, "E001", reason=reason)]) from None
    _regular(str(path), st, limit, too_big)


def read_bytes(path: Path | str, limit: int = MAX_BYTES) -> bytes:
    """A user's file's bytes: a regular file of at most limit bytes, checked before and after opening it (opened
    without blocking, so a pipe swapped in meanwhile is refused, not waited on); never reads past limit + 1."""
    name = str(path)
    check_file(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
        try:
            _regular(name, os.fstat(fd), limit, "E005")
            chunks, left = [], limit + 1
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise AssessError([problem(name, None, "E001", reason=exc.strerror or str(exc))]) from None
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise AssessError([problem(name, None, "E018", limit=limit)])
    return raw


def read_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """Read a user's file as UTF-8 text, refusing binary, oversize, non-UTF-8 and non-regular files."""
    return decode(read_bytes(path, limit), str(path))


def decode(raw: bytes, name: str) -> str:
    """raw as UTF-8 text (a BOM dropped): E004 for NUL bytes, E003 naming the line and column of the first byte
    that is not UTF-8."""
    if b"\x00" in raw:
        raise AssessError([problem(name, None, "E004")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        reason = f"byte 0x{raw[exc.start]:02x} at line {line}, column {col}"
        raise AssessError([problem(name, (line, col), "E003", reason=reason)]) from None


class NumberError(ValueError):
    """A text that is not a number assess can use: the code and fields of its message."""

    def __init__(self, code: str, **fields: object):
        super().__init__(code)
        self.code = code
        self.fields = fields


def number(text: str) -> int | Decimal:
    """The exact number written in text (YAML style: '_' between digits is ignored): an int, else a Decimal.

    Raises NumberError when it is not a finite number (E013), or is written with an exponent beyond
    MAX_EXPONENT (E015) or more than MAX_DIGITS digits (E016): such a number would take unbounded time or
    memory to make exact. Every number read from a user's text passes through here."""
    clean = text.replace("_", "")
    m = _PARTS.fullmatch(clean)
    if not m or not (m.group(1) or m.group(2)):
        raise NumberError("E013", text=_short(text))
    count = len(m.group(1)) + len(m.group(2) or "")
    if count > MAX_DIGITS:
        raise NumberError("E016", text=_short(text), count=count, limit=MAX_DIGITS)
    exp = (m.group(3) or "").lstrip("0")
    if len(exp) > len(str(MAX_EXPONENT)) or (exp and int(exp) > MAX_EXPONENT):
        raise NumberError("E015", text=_short(text), limit=MAX_EXPONENT)
    if _INT.match(text):
        return int(clean)
    return Decimal(clean)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:24] + "…"


def load_file(path: Path | str, limit: int = MAX_BYTES) -> Located:
    """Read and parse a YAML file safely; raise AssessError naming file:line:col on any problem."""
    return parse(read_text(path, limit), str(path))


def parse(text: str, name: str = "<string>") -> Located:
    """Parse YAML text into plain data with positions, refusing aliases, duplicates and deep nesting."""
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise AssessError([problem(name, None, "E002")])
    loader = _Loader(text)
    try:
        return _Builder(loader, name).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{what} ({exc.context})"
        raise AssessError([problem(name, pos, "E007", problem=what)]) from None
    except yaml.YAMLError as exc:
        raise AssessError([problem(name, None, "E007", problem=str(exc))]) from None
    finally:
        loader.dispose()


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns the parser's event stream into plain data, iteratively (no recursion to overflow)."""

    def __init__(self, loader: yaml.SafeLoader, name: str) -> None:
        self.loader = loader
        self.name = name
        self.out = Located(None, name)

    def fail(self, mark: yaml.Mark | None, code: str, **fields: object) -> NoReturn:
        raise AssessError([problem(self.name, _pos(mark) if mark else None, code, **fields)])

    def scalar(self, e: ev.ScalarEvent) -> Scalar:
        value: str = e.value
        tag = e.tag
        if tag is not None and tag not in _STR_TAGS:
            if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
                return self.number(value, e)
            self.fail(e.start_mark, "E011", tag=tag)
        if tag in _STR_TAGS or not e.implicit[0]:
            return value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _NONFINITE.match(value):
            self.fail(e.start_mark, "E013", text=value)
        if value and value[0] in "-+.0123456789" and _FLOAT.match(value):
            if any(c.isdigit() for c in value):
                return self.number(value, e)
        return value

    def number(self, text: str, e: ev.ScalarEvent) -> int | Decimal:
        try:
            return number(text)
        except NumberError as exc:
            self.fail(e.start_mark, exc.code, **exc.fields)

    def build(self) -> Located:
        loader = self.loader
        get = loader.get_event
        out = self.out
        values, keys = out.values, out.keys
        # stack entries, one per open container: [container, path, pending_key, key_mark, first_seen_lines]
        stack: list[list[Any]] = []
        root: object = None
        docs = 0
        while True:
            e = get()
            if e is None:
                break
            t = type(e)
            if t is ev.AliasEvent:
                self.fail(e.start_mark, "E008", name=e.anchor)
            if t in (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent):
                if getattr(e, "anchor", None):
                    self.fail(e.start_mark, "E008", name=e.anchor)
                if t is ev.ScalarEvent:
                    node: object = self.scalar(e)
                else:
                    tag = e.tag
                    if tag is not None and tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"):
                        self.fail(e.start_mark, "E011", tag=tag)
                    node = {} if t is ev.MappingStartEvent else []
                    if len(stack) >= MAX_DEPTH:
                        self.fail(e.start_mark, "E006", limit=MAX_DEPTH)
                if not stack:
                    root = node
                    path: Path_ = ()
                else:
                    top = stack[-1]
                    parent = top[0]
                    if type(parent) is list:
                        path = top[1] + (len(parent),)
                        parent.append(node)
                    elif top[2] is _NOKEY:
                        # this node is a key
                        if t is not ev.ScalarEvent:
                            self.fail(e.start_mark, "E012", found="a " + ("mapping" if node == {} else "list"))
                        if not isinstance(node, str):
                            node = "" if node is None else (str(node).lower() if isinstance(node, bool) else str(node))
                        seen = top[4]
                        if node in seen:
                            self.fail(e.start_mark, "E009", key=node, first=seen[node])
                        seen[node] = e.start_mark.line + 1
                        top[2] = node
                        top[3] = e.start_mark
                        continue
                    else:
                        key = top[2]
                        path = top[1] + (key,)
                        parent[key] = node
                        keys[path] = _pos(top[3])
                        top[2] = _NOKEY
                values[path] = _pos(e.start_mark)
                if t is not ev.ScalarEvent:
                    stack.append([node, path, _NOKEY, None, {}])
            elif t is ev.MappingEndEvent or t is ev.SequenceEndEvent:
                stack.pop()
            elif t is ev.DocumentStartEvent:
                docs += 1
                if docs > 1:
                    self.fail(e.start_mark, "E014")
        out.data = root
        return out


_NOKEY = object()
