"""Provides a fast, readable YAML writer for plain data (the answers file): block style, exact numbers."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

# plain scalars only when no YAML reader (1.1 or 1.2) could take them for anything but this text
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .,()/'+-]*$")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf"}
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")
_LINE_SAFE = re.compile("^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]*$")


def _number(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        d = Decimal(v.numerator) / Decimal(v.denominator)
        if Fraction(d) != v:
            raise ValueError(f"{v} has no exact decimal form")
        v = d
    text = format(v, "f")
    return text if "." in text else text + ".0"


def _quoted(s: str) -> str:
    """A double-quoted YAML scalar: JSON's escapes are YAML's, plus the characters YAML wants escaped."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(s, ensure_ascii=False))


def _scalar(s: str) -> str:
    if (
        _PLAIN.fullmatch(s)
        and s.lower() not in _RESERVED
        and not s.endswith((" ", ".", ","))
        and ": " not in s
        and " #" not in s
        and len(s) <= 120
    ):
        return s
    return _quoted(s)


def _block(s: str, indent: str) -> str | None:
    """A literal block scalar for multi-line text, or None when the text needs quoting instead."""
    if "\n" not in s or "\r" in s or s.startswith((" ", "\n")):
        return None
    body = s.rstrip("\n")
    trailing = len(s) - len(body)
    lines = body.split("\n")
    if any(line.endswith(" ") or not _LINE_SAFE.fullmatch(line) for line in lines):
        return None
    chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
    out = [f"|{chomp}"] + [(indent + line) if line else "" for line in lines]
    out += [""] * (trailing - 1 if trailing > 1 else 0)
    return "\n".join(out)


def _key(k: str) -> str:
    return k if _KEY.fullmatch(k) and k.lower() not in _RESERVED else _quoted(k)


class Raw:
    """A mapping already written (see entry): its entries' lines joined, '' for an empty mapping."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def entry(key: str, value, indent: str) -> str:
    """The lines of one 'key: value' entry of a mapping whose entries sit at indent, joined."""
    out: list[str] = []
    _emit(value, indent, out, f"{indent}{_key(key)}:")
    return "\n".join(out)


def _emit(value, indent: str, out: list[str], prefix: str) -> None:
    """Append value's lines; prefix is what precedes it on its first line ('key:' or '-')."""
    if isinstance(value, Raw):
        if value.text:
            out.append(prefix)
            out.append(value.text)
        else:
            out.append(f"{prefix} {{}}")
        return
    if isinstance(value, dict):
        if not value:
            out.append(f"{prefix} {{}}" if prefix else "{}")
            return
        inner = indent if not prefix else indent + "  "
        first = True
        for k, v in value.items():
            if prefix and prefix.endswith("-") and first:
                # '- key: value' on the dash's line
                _emit(v, inner, out, f"{prefix} {_key(k)}:")
            else:
                if first and prefix:
                    out.append(prefix)
                _emit(v, inner, out, f"{inner}{_key(k)}:")
            first = False
        return
    if isinstance(value, list):
        if not value:
            out.append(f"{prefix} []")
            return
        if prefix:
            out.append(prefix)
        inner = indent if not prefix else indent + "  "
        for item in value:
            _emit(item, inner, out, f"{inner}-")
        return
    if value is None:
        text = "null"
    elif isinstance(value, str):
        text = _block(value, indent + "  ") or _scalar(value)
    elif isinstance(value, (int, float, Fraction, Decimal)):
        text = _number(value)
    else:
        raise TypeError(f"cannot write {type(value).__name__}")
    out.append(f"{prefix} {text}")


def dumps(data: dict) -> str:
    """YAML text for a mapping of plain data, in key order."""
    out: list[str] = []
    for k, v in data.items():
        _emit(v, "", out, f"{_key(k)}:")
    return "\n".join(out) + "\n"
