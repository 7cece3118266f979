"""Provides the one safe evaluator for show_if conditions, rules and derived scores.

An expression is read in Jinja's expression syntax (expression_syntax), checked against the bounds (bounds) and
the whitelist below into a small tree of tuples, and evaluated by walking that tree (evaluate): no Python code is
generated or run, and no private part of any library is used, so a compiled expression pickles as plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from . import bounds
from .bounds import MAX_NESTING, ExpressionError, refused
from .evaluate import FILTERS as _FILTERS
from .evaluate import FUNCTIONS, MISSING, Missing, Tree, exact, run
from .evaluate import TESTS as _TESTS
from .expression_syntax import Node, SyntaxProblem, parse, tokens
from .yamlsafe import NumberError, number

__all__ = [
    "FACTS",
    "FILTERS",
    "FUNCTIONS",
    "MISSING",
    "RESERVED",
    "TESTS",
    "Expression",
    "ExpressionError",
    "Missing",
    "compile_expression",
    "namespace",
    "remember",
]

MAX_SOURCE = 2000  # characters of one expression

#: Names the expression language (or Jinja, whose syntax it keeps) gives a meaning of its own; no answer or score
#: may use them.
RESERVED = frozenset(
    {
        "self",
        "loop",
        "caller",
        "varargs",
        "kwargs",
        "super",
        "true",
        "false",
        "none",
        "True",
        "False",
        "None",
        "and",
        "or",
        "not",
        "in",
        "is",
        "if",
        "else",
        "result",
        "namespace",
        "range",
        "lipsum",
        "dict",
        "cycler",
        "joiner",
        "config",
    }
)

#: Facts about the assessment itself that rules (and only rules) may test, e.g. `unknown_answers >= 5`:
#: counts over the whole assessment, or over the block for a rule with `scope:`. Gap kinds they count, and two
#: marks scoring counts besides the gaps: answers with exactly one source where evidence is asked, and answers
#: whose sources are all low-graded (model.framework.low_grade).
FACTS = {
    "unknown_answers": "unknown",
    "low_confidence_answers": "low_confidence",
    "unsourced_answers": "no_sources",
    "required_open": "required_missing",
    "single_source_answers": "single_source",
    "low_graded_answers": "low_graded",
}
TESTS = tuple(_TESTS)
FILTERS = tuple(_FILTERS)
# the names of the helpers the Jinja-based evaluator before this one rewrote expressions to call: still reserved, so
# that no framework valid before becomes valid now, or the reverse
RESERVED |= frozenset({"_cmp", "_not", "_and", "_or", "_concat", "_list", "_tuple"})

_ARITHMETIC = {"add": "+", "sub": "-", "mul": "*", "div": "/", "floordiv": "//", "mod": "%", "pow": "**"}
_NAMES = {"dict": "Dict", "pair": "Pair", "keyword": "Keyword"}  # as Jinja named these nodes in the message


@dataclass(frozen=True)
class Expression:
    """A checked, compiled expression and the names it refers to."""

    source: str
    """The expression as written."""
    names: frozenset[str]
    """Names of answers and scores it refers to (not functions)."""
    tree: Tree
    """The checked expression as nested tuples, each (kind, ...), that evaluate.run walks."""

    def evaluate(self, namespace: Mapping[str, object]) -> object:
        """Evaluate over a mapping of names to values; names not in it are Missing."""
        try:
            return exact(run(self.tree, namespace))
        except ExpressionError:
            raise
        except RecursionError:  # a last resort: compile_expression refuses what nests this deep
            raise refused("E216", what="operators, calls and filters", limit=MAX_NESTING) from None
        except ZeroDivisionError:
            raise ExpressionError("division by zero") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise ExpressionError(f"cannot compute: {exc}") from None

    def truth(self, namespace: Mapping[str, object]) -> bool:
        """Evaluate as a condition: Missing counts as false."""
        value = self.evaluate(namespace)
        return False if isinstance(value, Missing) else bool(value)


def _check(node: Node, names: set[str]) -> Tree:
    """Check a parsed expression node by node, in Jinja's order, into the tree evaluate.run walks."""
    kind, items = node.kind, node.items
    if kind == "const":
        if isinstance(node.value, float):
            try:  # the bounded reader of files: 1e999 (infinite) or 1e300 is refused here as it is in YAML
                return ("const", Fraction(number(repr(node.value))))
            except NumberError as exc:
                raise refused(exc.code, **exc.fields) from None
        return ("const", node.value)
    if kind == "name":
        if node.value in FUNCTIONS:
            raise ExpressionError(f"'{node.value}' is a function; call it, e.g. {node.value}(a, b)")
        if node.value in RESERVED:
            raise ExpressionError(f"'{node.value}' is a reserved word, not an answer or score")
        names.add(str(node.value))
        return ("name", node.value)
    if kind == "call":
        function = node.part(0)
        if function.kind != "name":
            raise ExpressionError(
                f"only the functions {', '.join(FUNCTIONS)} can be called; attribute and item access are not allowed"
            )
        if function.value not in FUNCTIONS:
            raise ExpressionError(f"unknown function '{function.value}'; use one of: {', '.join(FUNCTIONS)}")
        if node.extras:
            raise ExpressionError("functions take plain arguments only")
        n = len(items) - 1
        if function.value == "wmean" and (n < 2 or n % 2):
            raise ExpressionError("wmean() takes pairs: wmean(value, weight, value, weight, ...)")
        if function.value == "abs" and n != 1:
            raise ExpressionError("abs() takes one value")
        return ("call", function.value, tuple(_check(a, names) for a in node.children()[1:]))  # none left out
    if kind in ("getattr", "getitem", "slice"):
        raise ExpressionError("attribute and item access ('.', '[]') are not allowed; name answers and scores directly")
    if kind in ("test", "filter"):
        known = TESTS if kind == "test" else FILTERS
        if node.value not in known:
            raise ExpressionError(f"unknown {kind} '{node.value}'; use one of: {', '.join(known)}")
        if len(items) > 1:
            raise ExpressionError(f"{kind}s take no arguments here")
        return (kind, node.value, _check(node.part(0), names))
    if kind in ("dict", "pair", "keyword"):
        raise ExpressionError(f"'{_NAMES[kind]}' is not allowed in an expression")
    if kind == "operand":
        return _check(node.part(0), names)
    inner = [None if n is None else _check(n, names) for n in items]
    # three-valued logic: a comparison with a missing answer is missing, not false, and 'not' keeps it missing
    if kind == "compare":
        left = inner[0]
        out: Tree = ()
        for operand, right in zip(node.children()[1:], inner[1:], strict=True):  # none left out
            part = ("cmp", operand.value, left, right)
            out = ("and", out, part) if out else part
            left = right
        return out
    if kind in _ARITHMETIC:
        return ("arith", _ARITHMETIC[kind], *inner)
    if kind in ("neg", "pos"):
        return ("unary", "-" if kind == "neg" else "+", inner[0])
    if kind == "condexpr":
        return ("cond", *inner)
    if kind in ("and", "or", "not"):
        return (kind, *inner)
    return (kind, tuple(inner))  # concat, list and tuple: text and lists made within bounds.MAX_TEXT


_cache: dict[str, Expression] = {}


def compile_expression(source: str) -> Expression:
    """Parse, check and compile an expression; raise ExpressionError saying what is wrong."""
    hit = _cache.get(source)
    if hit is not None:
        return hit
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("empty expression")
    if "{" in source or "}" in source or "\n" in source.strip():
        raise ExpressionError("write a single-line expression without '{' or '}'")
    if len(source) > MAX_SOURCE:
        raise ExpressionError(f"longer than {MAX_SOURCE} characters")
    names: set[str] = set()
    try:
        found, problem = tokens(source)
        # before the parser, which recurses; a token is read one ahead, so a bad one is found before its predecessor
        bounds.check_tokens(found[:-1] if problem else found)
        if problem:
            raise problem
        parsed = parse(found)
        bounds.check_tree(parsed)
        tree = _check(parsed, names)
    except SyntaxProblem as exc:
        raise ExpressionError(str(exc) or "invalid syntax") from None
    except RecursionError:  # a last resort: the checks above refuse what nests this deep
        raise refused("E216", what="operators, calls and filters", limit=MAX_NESTING) from None
    compiled = Expression(source, frozenset(names), tree)
    if len(_cache) < 100_000:
        _cache[source] = compiled
    return compiled


def remember(compiled: dict[str, Expression]) -> None:
    """Take expressions compiled by another process (a framework from the cache) as compile_expression's."""
    for source, expr in compiled.items():
        if isinstance(expr, Expression) and expr.source == source and len(_cache) < 100_000:
            _cache.setdefault(source, expr)


def namespace(values: Mapping[str, object]) -> dict[str, object]:
    """A namespace for evaluation: the functions plus the given values."""
    ns: dict[str, object] = dict(FUNCTIONS)
    ns.update(values)
    return ns
