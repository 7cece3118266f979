"""Tests the answers writer: whatever a planner types reads back exactly, with our loader and with PyYAML."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import yaml

from assess.yamlsafe import parse
from assess.yamlwrite import dumps

NASTY = [
    "",
    " ",
    "yes",
    "No",
    "ON",
    "off",
    "null",
    "~",
    "true",
    "1.5",
    "007",
    "2026-10-31",
    "- item",
    "a: b",
    "a #b",
    "#hash",
    "'single'",
    '"double"',
    "tab\there",
    "line\nbreak",
    "ends\n",
    "two\n\n",
    "\n lead",
    " lead",
    "trail ",
    "back\\slash",
    "x\x07bell",
    "é ü « »",
    "جبهة التحرير",
    "emoji 🛰",
    "\u2028sep",
    "\x85nel",
    "{brace}",
    "[list]",
    "&anchor",
    "*alias",
    "!tag",
    "%pct",
    "@at",
    "`tick`",
    "|pipe",
    ">gt",
    "?q",
    "a,b",
    "dots...",
    "x" * 300,
    "multi\nline\n  indented\n\ttabbed",
    "crlf\r\nline",
    "\ufeffbom",
]


def same(a, b) -> bool:
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    numbers = (Fraction, Decimal, float)
    if isinstance(a, numbers) or isinstance(b, numbers):
        a, b = (Fraction(Decimal(repr(x))) if isinstance(x, float) else x for x in (a, b))
        return not isinstance(a, bool) and not isinstance(b, bool) and Fraction(a) == Fraction(b)
    return a == b and type(a) is type(b)


def test_nasty_strings_read_back_exactly():
    data = {
        "answers": {
            f"q{i}": {"value": s, "note": s, "sources": [{"ref": s, "credibility": 2}]} for i, s in enumerate(NASTY)
        },
        "entities": {},
        "list": [],
        "map": {},
    }
    text = dumps(data)
    assert same(parse(text).data, data)
    assert same(yaml.safe_load(text), data)


def test_random_structures_read_back_exactly():
    rng = random.Random(20261121)
    alphabet = "ab :#-'\"\n\t\\éج{}[]|>*&!%@`,.?yesno0123456789"

    def text():
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))

    def value(depth=0):
        kind = rng.randint(0, 6 if depth < 3 else 3)
        if kind == 0:
            return text()
        if kind == 1:
            return rng.randint(-(10**6), 10**6)
        if kind == 2:
            return Fraction(rng.randint(-999, 999), rng.choice([1, 2, 4, 5, 8, 10, 100]))
        if kind == 3:
            return rng.choice([None, True, False])
        if kind == 4:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        return {f"k{i}_{text()}": value(depth + 1) for i in range(rng.randint(0, 4))}

    for _ in range(300):
        data = {"root": value()}
        out = dumps(data)
        assert same(parse(out).data, data), out
        assert same(yaml.safe_load(out), data), out


def test_multi_line_notes_are_literal_blocks_for_readable_diffs():
    text = dumps({"answers": {"q": {"note": "First line.\nSecond line.\n"}}})
    assert text == "answers:\n  q:\n    note: |\n      First line.\n      Second line.\n"
