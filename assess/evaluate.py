"""Provides the evaluation of a checked expression: exact numbers, three-valued logic over missing values, bounds."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from numbers import Number
from typing import Any, NoReturn, cast

from . import bounds
from .bounds import ExpressionError

MAX_POWER = 64  # largest exponent of '**'

Tree = tuple[Any, ...]
"""A checked expression: nested tuples, each (kind, ...), as expressions.compile_expression makes them."""


class Missing:
    """An unanswered, hidden or unscored value: comparisons and arithmetic with it stay missing."""

    __slots__ = ()

    def __reduce__(self) -> str:
        return "MISSING"  # one value: unpickled as this module's MISSING

    def __repr__(self) -> str:
        return "Undefined"  # as Jinja's Undefined, which it was, showed itself

    def __str__(self) -> str:
        return ""  # '~' joins a missing value as no text

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0  # 'x | length' of a missing x is 0

    def __iter__(self) -> Iterator[object]:
        return iter(())

    def __getitem__(self, _: object) -> NoReturn:
        raise TypeError("a missing value has no items")  # but it has the method: 'x is sequence' holds, as before

    def _false(self, *_: object) -> bool:
        return False

    __lt__ = __le__ = __gt__ = __ge__ = _false

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Missing)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, Missing)

    def __hash__(self) -> int:
        return 0

    def __contains__(self, _: object) -> bool:
        return False

    def _same(self, *_: object) -> Missing:
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same
    __pow__ = __rpow__ = __neg__ = __pos__ = _same


MISSING = Missing()


def exact(v: Any) -> Any:
    """A float or Decimal as the exact Fraction it was written as; anything else as it is."""
    if isinstance(v, float):  # (a bool is no float)
        return Fraction(Decimal(repr(v)))
    if isinstance(v, Decimal):
        return Fraction(v)
    return v


def _present(values: Iterable[object]) -> list[object]:
    out: list[object] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_present(v))
        elif v is not None and not isinstance(v, Missing):
            out.append(exact(v))
    return out


def _numbers(name: str, values: Iterable[object]) -> list[int | Fraction]:
    vals: list[int | Fraction] = []
    for v in _present(values):
        if not isinstance(v, (int, Fraction)) or isinstance(v, bool):
            raise ExpressionError(f"{name}() takes numbers, got {v!r}")
        vals.append(v)
    return vals


def f_mean(*values: object) -> object:
    """Mean of the values given, leaving out missing ones."""
    vals = _numbers("mean", values)
    return sum(vals, Fraction(0)) / len(vals) if vals else MISSING


def f_sum(*values: object) -> object:
    """Sum of the values given, leaving out missing ones."""
    vals = _numbers("sum", values)
    return sum(vals, Fraction(0)) if vals else MISSING


def f_min(*values: object) -> object:
    """Smallest of the values given, leaving out missing ones."""
    vals = _numbers("min", values)
    return min(vals) if vals else MISSING


def f_max(*values: object) -> object:
    """Largest of the values given, leaving out missing ones."""
    vals = _numbers("max", values)
    return max(vals) if vals else MISSING


def f_wmean(*pairs: object) -> object:
    """Weighted mean of value, weight, value, weight, ...: a missing value leaves out its weight too."""
    if not pairs or len(pairs) % 2:
        raise ExpressionError("wmean() takes pairs: wmean(value, weight, value, weight, ...)")
    total = weights = Fraction(0)
    for value, weight in zip(pairs[::2], pairs[1::2], strict=True):
        if value is None or isinstance(value, Missing) or weight is None or isinstance(weight, Missing):
            continue  # a missing value or a missing weight leaves the pair out
        w = exact(weight)
        if isinstance(w, bool) or not isinstance(w, (int, Fraction)) or w < 0:
            raise ExpressionError(f"wmean() weights are numbers of 0 or more, got {weight!r}")
        v = exact(value)
        if isinstance(v, bool) or not isinstance(v, (int, Fraction)):
            raise ExpressionError(f"wmean() takes numbers, got {value!r}")
        total += v * w
        weights += w
    return total / weights if weights else MISSING


def f_count(*values: object) -> int:
    """How many of the values given are present."""
    return len(_present(values))


def f_abs(value: object) -> object:
    """Absolute value."""
    return MISSING if isinstance(value, Missing) else abs(exact(value))


FUNCTIONS: dict[str, Callable[..., object]] = {
    "mean": f_mean,
    "wmean": f_wmean,
    "sum": f_sum,
    "min": f_min,
    "max": f_max,
    "count": f_count,
    "abs": f_abs,
}


def _text(v: object) -> str:
    return v if isinstance(v, str) else str(v)


def _sequence(v: Any) -> bool:
    try:
        len(v)
        v.__getitem__  # noqa: B018
    except Exception:
        return False
    return True


#: The filters ('x | length') and tests ('x is defined') an expression may use, as Jinja defined them.
FILTERS: dict[str, Callable[[Any], object]] = {
    "length": len,
    "lower": lambda v: _text(v).lower(),
    "upper": lambda v: _text(v).upper(),
    "abs": abs,
}
TESTS: dict[str, Callable[[Any], bool]] = {
    "defined": lambda v: not isinstance(v, Missing),
    "undefined": lambda v: isinstance(v, Missing),
    "none": lambda v: v is None,
    "number": lambda v: isinstance(v, Number),
    "string": lambda v: isinstance(v, str),
    "sequence": _sequence,
}

_COMPARE: dict[str, Callable[[Any, Any], object]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gteq": operator.ge,
    "lt": operator.lt,
    "lteq": operator.le,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}
_ARITHMETIC = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
}
_SEQUENCES = (str, list, tuple)


def compare(op: str, a: Any, b: Any) -> Any:
    """A comparison in three-valued logic: missing when either side is missing."""
    if isinstance(a, Missing) or isinstance(b, Missing):
        return MISSING
    a, b = exact(a), exact(b)
    if op in ("in", "notin") and isinstance(b, list):
        b = [exact(x) for x in b]
    if op in _ORDER and "unknown" in (a, b) and (_is_number(a) or _is_number(b)):
        # 'unknown' chosen on a numeric scale (an intelligence gap) has no place on it: unknown, as a missing answer
        # (any other text against a number stays an error the author is told of)
        return MISSING
    return _COMPARE[op](a, b)


_ORDER = ("gt", "gteq", "lt", "lteq")
"""The comparisons that order their two sides."""


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, Fraction)) and not isinstance(x, bool)


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """'+', '-', '*', '/', '//', '%' or '**', exact and within the bounds; missing when either side is missing."""
    if isinstance(left, Missing) or isinstance(right, Missing):
        return MISSING
    left, right = exact(left), exact(right)
    bounds.check_format(left, op)
    bounds.check_number(left, op)
    bounds.check_number(right, op)
    if op == "**":
        if not isinstance(right, (int, Fraction)) or abs(Fraction(right)) > MAX_POWER:
            raise ExpressionError(f"exponent {right} is too large (at most {MAX_POWER})")
        if isinstance(right, Fraction) and right.denominator != 1:
            raise ExpressionError("only whole-number exponents keep scores exact")
        if isinstance(left, (int, Fraction)) and abs(Fraction(left)) > 10**12:
            raise ExpressionError("base too large for a power")
        bounds.check_power(left, int(right))
        return Fraction(left) ** int(right)
    if op == "*" and (isinstance(left, _SEQUENCES) or isinstance(right, _SEQUENCES)):
        n, seq = (right, left) if isinstance(left, _SEQUENCES) else (left, right)
        if isinstance(n, Fraction) and n.denominator == 1:
            n = int(n)
        if isinstance(n, int):
            bounds.check_repeat(seq, n)
            return seq * n
    if op == "+" and isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES):
        bounds.check_size((left, right), "+", "text" if isinstance(left, str) else "list")
    if op == "/" and isinstance(left, int) and isinstance(right, int):
        return Fraction(left, right)
    result = _ARITHMETIC[op](left, right)
    bounds.check_number(result, op)
    return result


def _and(a: object, b: object) -> bool | Missing:
    if (not isinstance(a, Missing) and not a) or (not isinstance(b, Missing) and not b):
        return False
    if isinstance(a, Missing) or isinstance(b, Missing):
        return MISSING
    return True


def _or(a: object, b: object) -> bool | Missing:
    if (not isinstance(a, Missing) and a) or (not isinstance(b, Missing) and b):
        return True
    if isinstance(a, Missing) or isinstance(b, Missing):
        return MISSING
    return False


# A checked expression is a tree of tuples, each (kind, ...); run() evaluates one over a namespace, recursively
# (compile_expression bounds the nesting). Both sides of 'and' and 'or' are evaluated, as they always were.


def run(node: Tree, ns: Mapping[str, object]) -> object:
    """The value of a checked expression tree over a namespace of names to values (absent names are missing)."""
    return _RUN[node[0]](node, ns)


def _call(node: Tree, ns: Mapping[str, object]) -> object:
    _, name, args = node
    # only FUNCTIONS' names are called (compile_expression checks); a value named so in ns is called as it
    # always was, and fails with TypeError if it is no function
    function = cast(Callable[..., object], ns[name] if name in ns else FUNCTIONS[name])
    result = function(*[run(a, ns) for a in args])
    bounds.check_number(result, f"{name}()")
    return result


def _cond(node: Tree, ns: Mapping[str, object]) -> object:
    _, test, then, otherwise = node
    if run(test, ns):
        return run(then, ns)
    return MISSING if otherwise is None else run(otherwise, ns)


def _unary(node: Tree, ns: Mapping[str, object]) -> object:
    value = run(node[2], ns)
    if isinstance(value, Missing):
        return MISSING
    return operator.neg(exact(value)) if node[1] == "-" else operator.pos(exact(value))


_RUN: dict[str, Callable[[Tree, Mapping[str, object]], object]] = {
    "const": lambda node, ns: node[1],
    "name": lambda node, ns: ns.get(node[1], MISSING),
    "cmp": lambda node, ns: compare(node[1], run(node[2], ns), run(node[3], ns)),
    "and": lambda node, ns: _and(run(node[1], ns), run(node[2], ns)),
    "or": lambda node, ns: _or(run(node[1], ns), run(node[2], ns)),
    "not": lambda node, ns: MISSING if isinstance(v := run(node[1], ns), Missing) else not v,
    "arith": lambda node, ns: arithmetic(node[1], run(node[2], ns), run(node[3], ns)),
    "unary": _unary,
    "call": _call,
    "filter": lambda node, ns: FILTERS[node[1]](run(node[2], ns)),
    "test": lambda node, ns: TESTS[node[1]](run(node[2], ns)),
    "cond": _cond,
    "concat": lambda node, ns: bounds.concat(*[run(n, ns) for n in node[1]]),
    "list": lambda node, ns: bounds.make_list(*[run(n, ns) for n in node[1]]),
    "tuple": lambda node, ns: bounds.make_tuple(*[run(n, ns) for n in node[1]]),
}
