"""Provides safe YAML reading: plain data plus the line:col of every key and value."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from yaml import events as ev

from .errors import AssessError, problem

MAX_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Plain scalars are resolved here, not by PyYAML: YAML 1.2 style, so that yes/no/on/off stay text.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?$")
_NONFINITE = re.compile(r"^[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)$")
_STR_TAGS = {"tag:yaml.org,2002:str", "!"}

Path_ = tuple  # a path into the data: keys and list indexes


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


def read_text(path: Path | str, limit: int = MAX_BYTES) -> str:
    """Read a user's file as UTF-8 text, refusing binary, oversize and non-UTF-8 files."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > limit:
            raise AssessError([problem(name, None, "E005", size=size, limit=limit)])
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise AssessError([problem(name, None, "E001", reason=exc.strerror or str(exc))]) from None
    if b"\x00" in raw:
        raise AssessError([problem(name, None, "E004")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        reason = f"byte 0x{raw[exc.start]:02x} at line {line}, column {col}"
        raise AssessError([problem(name, (line, col), "E003", reason=reason)]) from None
    return text


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


def _pos(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    """Turns the parser's event stream into plain data, iteratively (no recursion to overflow)."""

    def __init__(self, loader, name: str):
        self.loader = loader
        self.name = name
        self.out = Located(None, name)

    def fail(self, mark, code: str, **fields):
        raise AssessError([problem(self.name, _pos(mark) if mark else None, code, **fields)])

    def scalar(self, e: ev.ScalarEvent):
        value = e.value
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

    def number(self, text: str, e):
        clean = text.replace("_", "")
        if _INT.match(text):
            return int(clean)
        try:
            d = Decimal(clean)
        except InvalidOperation:
            self.fail(e.start_mark, "E013", text=text)
        if not d.is_finite():
            self.fail(e.start_mark, "E013", text=text)
        return d

    def build(self) -> Located:
        loader = self.loader
        get = loader.get_event
        out = self.out
        values, keys = out.values, out.keys
        # stack entries: [container, path, pending_key, key_mark, first_seen_lines]
        stack: list[list] = []
        root = None
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
                    node = self.scalar(e)
                else:
                    tag = e.tag
                    if tag is not None and tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "!"):
                        self.fail(e.start_mark, "E011", tag=tag)
                    node = {} if t is ev.MappingStartEvent else []
                    if len(stack) >= MAX_DEPTH:
                        self.fail(e.start_mark, "E006", limit=MAX_DEPTH)
                if not stack:
                    root = node
                    path: tuple = ()
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
