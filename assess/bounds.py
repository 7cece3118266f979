"""Provides the limits on expressions: nesting, text formatting and sizes, checked when compiled and when evaluated."""

from __future__ import annotations

from fractions import Fraction

from .errors import MESSAGES
from .expression_syntax import Node, Token

MAX_NODES = 400  # parts (names, literals, operators, calls) of one expression
MAX_DEPTH = 32  # brackets inside brackets: the parser spends about 14 of Python's 1,000 frames on each
MAX_NESTING = 50  # operators, calls, filters inside one another: each costs frames and a bracket (Python allows 200)
MAX_TEXT = 10_000  # characters or list items one step may make: conditions compare short text, never build it
MAX_BITS = 4_096  # binary digits of a number's numerator or denominator (1,233 decimal digits): (10**12)**64 fits
DIGITS = MAX_BITS * 30103 // 100_000  # MAX_BITS in decimal digits, as messages say it

# Every step of an evaluation makes a value of at most MAX_TEXT characters or items, or of MAX_BITS binary digits,
# and an expression has at most MAX_NODES steps: that bounds an evaluation's time and memory.


class ExpressionError(Exception):
    """An expression that cannot be used; the message says why, and code names its entry in MESSAGES if it has one."""

    def __init__(self, message: str, code: str | None = None, **fields: object):
        super().__init__(message)
        self.code = code
        self.fields = fields


def refused(code: str, **fields: object) -> ExpressionError:
    """An ExpressionError worded by MESSAGES[code] without its '{where}: ' (whoever reports it says where)."""
    return ExpressionError(MESSAGES[code].removeprefix("{where}: ").format(**fields), code, **fields)


# ---------------------------------------------------------------------------------------------- when compiled

_OPEN, _CLOSE = {"lparen", "lbracket", "lbrace"}, {"rparen", "rbracket", "rbrace"}
_OPERAND = {"name", "integer", "float", "string"}


def check_tokens(tokens: list[Token]) -> None:
    """Refuse brackets, prefix operators ('not', '-', '+') and 'else' nested past the limits, before parsing."""
    saved: list[tuple[int, int, int]] = []  # per open bracket: what was pending outside it
    outer = 0  # levels held by the open brackets and what is pending outside them
    arith = logic = cond = 0  # pending '-'/'+' (until the next operator), 'not' (until and/or), else's (until ',')
    operand_next, previous = True, None
    for tok in tokens:
        kind = tok.type
        word = tok.value if kind == "name" else None
        if kind in _OPEN:
            saved.append((arith, logic, cond))
            outer += 1 + arith + logic + cond
            arith = logic = cond = 0
            operand_next = True
            if len(saved) > MAX_DEPTH:
                raise refused("E216", what="brackets", limit=MAX_DEPTH)
        elif kind in _CLOSE:
            arith = logic = cond = 0
            if saved:  # what was pending outside the bracket is again pending after it
                arith, logic, cond = saved.pop()
                outer -= 1 + arith + logic + cond
            operand_next = False
        elif operand_next and kind in ("sub", "add"):
            arith += 1
        elif operand_next and word == "not" and previous != "is":
            logic += 1
        elif kind == "comma" or word in ("and", "or", "if", "else"):
            arith = logic = 0
            cond = 0 if kind == "comma" else cond + (word == "else")
            operand_next = True
        elif kind in _OPERAND and word not in ("not", "in", "is"):
            operand_next = False
        else:  # a binary operator, 'in', 'is', 'not in', '|', '.'
            arith = 0
            operand_next = True
        previous = word
        if outer + arith + logic + cond > MAX_NESTING:
            raise refused("E216", what="'not', '-', 'else' and brackets", limit=MAX_NESTING)


def check_tree(tree: Node) -> None:
    """Refuse a parsed expression that nests too deep, formats text, or builds text or a list past MAX_TEXT."""
    todo, count, deepest = [(tree, 0)], 0, 0  # each node with how many nodes it is inside
    while todo:  # without recursion: the tree may be deep, and everything after this check recurses
        node, depth = todo.pop()
        count += 1
        if node.kind == "compare":
            depth += len(node.items) - 2  # a < b < c is checked as (a < b) and (b < c): one level per comparison
        deepest = max(deepest, depth)
        inner = depth if node.kind == "operand" else depth + 1  # an operand is part of its comparison
        todo.extend((child, inner) for child in node.children())
    if count > MAX_NODES:  # the more basic fault, said first
        raise ExpressionError(f"too long: more than {MAX_NODES} parts")
    if deepest > MAX_NESTING:
        raise refused("E216", what="operators, calls and filters", limit=MAX_NESTING)
    _least(tree)


def _formats(node: Node) -> str | None:
    """How a node formats text, if it does."""
    if node.kind == "mod" and _texty(node.part(0)):
        return "'%' with text on its left"
    if node.kind == "getattr" and node.value in ("format", "format_map"):
        return f"'.{node.value}'"
    if node.kind == "filter" and node.value == "format":
        return "the 'format' filter"
    return None


def _texty(node: Node) -> bool:
    """Whether a node makes text, as far as can be told before evaluating it."""
    if node.kind == "const":
        return isinstance(node.value, str)
    if node.kind == "concat":
        return True
    if node.kind == "filter":
        return node.value not in ("length", "abs", "count")
    if node.kind in ("add", "mul", "mod"):
        return _texty(node.part(0)) or _texty(node.part(1))
    if node.kind == "condexpr":
        return _texty(node.part(1)) or (node.items[2] is not None and _texty(node.items[2]))
    return False


def _count(node: Node) -> int | None:
    """A whole number written as a literal (or a negated one), else None."""
    if node.kind == "neg":
        n = _count(node.part(0))
        return None if n is None else -n
    if node.kind == "const" and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _least(node: Node) -> int:
    """The fewest characters or items of the text or list a node makes (0 if it makes none or cannot be told)."""
    how = _formats(node)
    if how:
        raise refused("E217", how=how)
    parts = [_least(child) for child in node.children()]
    kind = node.kind
    if kind == "const":
        least, op, what = (len(node.value) if isinstance(node.value, str) else 0), "", ""
    elif kind in ("list", "tuple"):
        op = "[...]" if kind == "list" else "(...)"
        least, what = sum(max(1, p) for p in parts), "list"
    elif kind == "concat":
        least, op, what = sum(parts), "~", "text"
    elif kind == "add":
        least, op, what = sum(parts), "+", "text" if _texty(node) else "list"
    elif kind == "mul":
        left, right = _count(node.part(0)), _count(node.part(1))
        n, seq = (left, parts[1]) if left is not None else (right, parts[0])
        least, op, what = (seq * max(n, 0) if n is not None else max(parts)), "*", "repetition"
    elif kind == "filter" and node.value in ("lower", "upper"):
        least, op, what = parts[0] if parts else 0, f"|{node.value}", "text"
    elif kind == "condexpr":
        least, op, what = (min(parts[1:]) if node.items[2] is not None else 0), "", ""
    else:
        least, op, what = 0, "", ""
    if least > MAX_TEXT:
        raise refused("E218", what=what, op=op, limit=MAX_TEXT)
    return least


# --------------------------------------------------------------------------------------------- when evaluated


def size(value: object, budget: int = MAX_TEXT) -> int:
    """Characters of a text or items of a list (at least one each; a text its characters), counted until past budget."""
    total, todo, top = 0, [value], True
    while todo and total <= budget:
        v = todo.pop()
        if isinstance(v, (list, tuple)) and (v or top):  # an empty list inside a list is one item
            todo.extend(v)
        elif isinstance(v, str):
            total += len(v) if top else max(1, len(v))
        elif isinstance(v, (int, Fraction)) and not isinstance(v, bool) and _bits(v) > 64:
            total += _bits(v) * 30103 // 100_000  # a long number is as long as its digits
        else:
            total += 1
        top = False
    return total


def check_size(value: object, op: str, what: str) -> None:
    """Refuse a text or list (about to be made) of more than MAX_TEXT characters or items."""
    if size(value) > MAX_TEXT:
        raise refused("E218", what=what, op=op, limit=MAX_TEXT)


def check_repeat(seq: str | list[object] | tuple[object, ...], n: int) -> None:
    """Refuse repeating a text or list n times when that makes more than MAX_TEXT characters or items."""
    if n > 0 and size(seq, MAX_TEXT // n + 1) * n > MAX_TEXT:
        raise refused("E218", what="repetition", op="*", limit=MAX_TEXT)


def check_format(left: object, operator: str) -> None:
    """Refuse '%' with text on its left: that is string formatting, which can make text of any size."""
    if operator == "%" and isinstance(left, str):
        raise refused("E217", how="'%' with text on its left")


def _bits(v: int | Fraction) -> int:
    return max(v.numerator.bit_length(), v.denominator.bit_length())


def check_number(value: object, op: str) -> None:
    """Refuse a number whose numerator or denominator has more than MAX_BITS binary digits."""
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool) and _bits(value) > MAX_BITS:
        raise refused("E219", op=op, digits=DIGITS)


def check_power(base: object, exponent: int) -> None:
    """Refuse a power whose result would have more than MAX_BITS binary digits, before computing it."""
    if isinstance(base, (int, Fraction)) and not isinstance(base, bool) and _bits(base) * abs(exponent) > MAX_BITS:
        raise refused("E219", op="**", digits=DIGITS)


def concat(*parts: object) -> str:
    """'a ~ b': the parts as text, joined, refused past MAX_TEXT characters."""
    check_size(parts, "~", "text")
    return "".join(map(str, parts))


def make_list(*items: object) -> list[object]:
    """'[a, b]': a list, refused past MAX_TEXT items and characters."""
    check_size(items, "[...]", "list")
    return list(items)


def make_tuple(*items: object) -> tuple[object, ...]:
    """'(a, b)': a tuple, refused past MAX_TEXT items and characters."""
    check_size(items, "(...)", "list")
    return items
