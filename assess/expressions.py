"""Provides the one safe evaluator for show_if conditions, rules and derived scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from jinja2 import Undefined, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import bounds
from .bounds import MAX_NESTING, MAX_NODES, ExpressionError, refused
from .yamlsafe import NumberError, number

MAX_SOURCE = 2000  # characters of one expression
MAX_POWER = 64  # largest exponent of '**'


class Missing(Undefined):
    """An unanswered, hidden or unscored value: comparisons and arithmetic with it stay missing."""

    __slots__ = ()

    def _false(self, *_):
        return False

    __lt__ = __le__ = __gt__ = __ge__ = _false

    def __eq__(self, other):
        return isinstance(other, Missing)

    def __ne__(self, other):
        return not isinstance(other, Missing)

    def __hash__(self):
        return 0

    def __contains__(self, _):
        return False

    def _same(self, *_):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _same
    __pow__ = __rpow__ = __neg__ = __pos__ = _same


MISSING = Missing()


def _present(values) -> list:
    out = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_present(v))
        elif v is not None and not isinstance(v, Undefined):
            out.append(_exact(v))
    return out


def _numbers(name: str, values) -> list[Fraction]:
    vals = _present(values)
    for v in vals:
        if not isinstance(v, (int, Fraction)) or isinstance(v, bool):
            raise ExpressionError(f"{name}() takes numbers, got {v!r}")
    return vals


def f_mean(*values):
    """Mean of the values given, leaving out missing ones."""
    vals = _numbers("mean", values)
    return sum(vals, Fraction(0)) / len(vals) if vals else MISSING


def f_sum(*values):
    """Sum of the values given, leaving out missing ones."""
    vals = _numbers("sum", values)
    return sum(vals, Fraction(0)) if vals else MISSING


def f_min(*values):
    """Smallest of the values given, leaving out missing ones."""
    vals = _numbers("min", values)
    return min(vals) if vals else MISSING


def f_max(*values):
    """Largest of the values given, leaving out missing ones."""
    vals = _numbers("max", values)
    return max(vals) if vals else MISSING


def f_wmean(*pairs):
    """Weighted mean of value, weight, value, weight, ...: a missing value leaves out its weight too."""
    if not pairs or len(pairs) % 2:
        raise ExpressionError("wmean() takes pairs: wmean(value, weight, value, weight, ...)")
    total = weights = Fraction(0)
    for value, weight in zip(pairs[::2], pairs[1::2], strict=True):
        if value is None or isinstance(value, Undefined) or weight is None or isinstance(weight, Undefined):
            continue  # a missing value or a missing weight leaves the pair out
        w = _exact(weight)
        if isinstance(w, bool) or not isinstance(w, (int, Fraction)) or w < 0:
            raise ExpressionError(f"wmean() weights are numbers of 0 or more, got {weight!r}")
        v = _exact(value)
        if isinstance(v, bool) or not isinstance(v, (int, Fraction)):
            raise ExpressionError(f"wmean() takes numbers, got {value!r}")
        total += v * w
        weights += w
    return total / weights if weights else MISSING


def f_count(*values):
    """How many of the values given are present."""
    return len(_present(values))


def f_abs(value):
    """Absolute value."""
    return MISSING if isinstance(value, Undefined) else abs(_exact(value))


#: Names Jinja gives a meaning of its own; no answer or score may use them.
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

FUNCTIONS = {
    "mean": f_mean,
    "wmean": f_wmean,
    "sum": f_sum,
    "min": f_min,
    "max": f_max,
    "count": f_count,
    "abs": f_abs,
}

#: Facts about the assessment itself that rules (and only rules) may test, e.g. `unknown_answers >= 5`:
#: counts over the whole assessment, or over the block for a rule with `scope:`. Gap kinds they count.
FACTS = {
    "unknown_answers": "unknown",
    "low_confidence_answers": "low_confidence",
    "unsourced_answers": "no_sources",
    "required_open": "required_missing",
}
TESTS = ("defined", "undefined", "none", "number", "string", "sequence")
FILTERS = ("length", "lower", "upper", "abs")


_OPS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gteq": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lteq": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}


def _cmp(op, a, b):
    """A comparison in three-valued logic: missing when either side is missing."""
    if isinstance(a, Undefined) or isinstance(b, Undefined):
        return MISSING
    a, b = _exact(a), _exact(b)
    if op in ("in", "notin") and isinstance(b, list):
        b = [_exact(x) for x in b]
    return _OPS[op](a, b)


def _not(v):
    return MISSING if isinstance(v, Undefined) else not v


def _and(a, b):
    if (not isinstance(a, Undefined) and not a) or (not isinstance(b, Undefined) and not b):
        return False
    if isinstance(a, Undefined) or isinstance(b, Undefined):
        return MISSING
    return True


def _or(a, b):
    if (not isinstance(a, Undefined) and a) or (not isinstance(b, Undefined) and b):
        return True
    if isinstance(a, Undefined) or isinstance(b, Undefined):
        return MISSING
    return False


#: Logic helpers the checked expression is rewritten to call; not for authors.
_LOGIC = {
    "_cmp": _cmp,
    "_not": _not,
    "_and": _and,
    "_or": _or,
    "_concat": bounds.concat,
    "_list": bounds.make_list,
    "_tuple": bounds.make_tuple,
}
RESERVED |= frozenset(_LOGIC)  # an answer or score named like a helper would take its place


def _call(name: str, *args) -> nodes.Call:
    return nodes.Call(nodes.Name(name, "load"), list(args), [], None, None)


def _exact(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return Fraction(Decimal(repr(v)))
    if isinstance(v, Decimal):
        return Fraction(v)
    return v


class _Env(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    intercepted_unops = frozenset(["+", "-"])

    def call_binop(self, context, operator, left, right):
        if isinstance(left, Undefined) or isinstance(right, Undefined):
            return MISSING
        left, right = _exact(left), _exact(right)
        bounds.check_format(left, operator)
        bounds.check_number(left, operator)
        bounds.check_number(right, operator)
        if operator == "**":
            if not isinstance(right, (int, Fraction)) or abs(right) > MAX_POWER:
                raise SecurityError(f"exponent {right} is too large (at most {MAX_POWER})")
            if isinstance(right, Fraction) and right.denominator != 1:
                raise SecurityError("only whole-number exponents keep scores exact")
            if isinstance(left, (int, Fraction)) and abs(left) > 10**12:
                raise SecurityError("base too large for a power")
            bounds.check_power(left, int(right))
            return Fraction(left) ** int(right)
        seqs = (str, list, tuple)
        if operator == "*" and (isinstance(left, seqs) or isinstance(right, seqs)):
            n, seq = (right, left) if isinstance(left, seqs) else (left, right)
            if isinstance(n, Fraction) and n.denominator == 1:
                n = int(n)
            if isinstance(n, int):
                bounds.check_repeat(seq, n)
                return seq * n
        if operator == "+" and isinstance(left, seqs) and isinstance(right, seqs):
            bounds.check_size((left, right), "+", "text" if isinstance(left, str) else "list")
        if operator == "/" and isinstance(left, int) and isinstance(right, int):
            return Fraction(left, right)
        result = super().call_binop(context, operator, left, right)
        bounds.check_number(result, operator)
        return result

    def call_unop(self, context, operator, arg):
        if isinstance(arg, Undefined):
            return MISSING
        return super().call_unop(context, operator, _exact(arg))

    def call(self, context, obj, *args, **kwargs):
        result = super().call(context, obj, *args, **kwargs)
        bounds.check_number(result, f"{getattr(obj, '__name__', '').removeprefix('f_')}()")
        return result


_env = _Env(undefined=Missing, autoescape=False)
_env.globals.clear()
_env.filters = {k: _env.filters[k] for k in FILTERS}
_env.tests = {k: _env.tests[k] for k in TESTS}

_ALLOWED = (
    nodes.Name,
    nodes.Const,
    nodes.List,
    nodes.Tuple,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.Add,
    nodes.Sub,
    nodes.Mul,
    nodes.Div,
    nodes.FloorDiv,
    nodes.Mod,
    nodes.Pow,
    nodes.CondExpr,
    nodes.Concat,
)


@dataclass(frozen=True)
class Expression:
    """A checked, compiled expression and the names it refers to."""

    source: str
    """The expression as written."""
    names: frozenset[str]
    """Names of answers and scores it refers to (not functions)."""
    _tree: object
    """The checked, rewritten expression tree; compiled on first evaluation (validating needs no code)."""
    _compiled: list = field(default_factory=list, compare=False)
    """The compiled template, once compiled."""
    _code: list = field(default_factory=list, compare=False)
    """The Python source Jinja generated for it, once generated: kept when pickled (a framework in the
    cache), so that a framework loaded from the cache compiles it without Jinja's parser and generator."""

    def __getstate__(self) -> dict:
        return {"source": self.source, "names": self.names, "_tree": self._tree, "_compiled": [], "_code": self.code()}

    def code(self) -> list:
        """The generated Python source (a list of one string), generating it now if needed."""
        if not self._code:
            body = [nodes.Assign(nodes.Name("result", "store"), self._tree, lineno=1)]
            try:
                self._code.append(_env.compile(nodes.Template(body, lineno=1), raw=True))
            except RecursionError:  # a last resort: compile_expression refuses what nests this deep
                raise refused("E216", what="operators, calls and filters", limit=MAX_NESTING) from None
            except Exception as exc:  # jinja2 compile failures on a checked tree: report as the author's
                raise ExpressionError(str(exc)) from None
        return self._code

    @property
    def _template(self):
        if not self._compiled:
            try:
                template = self._load()
            except Exception:  # code kept by another version of the program: generate it afresh
                self._code.clear()
                template = self._load()
            self._compiled.append(template)
        return self._compiled[0]

    def _load(self):
        code = compile(self.code()[0], "<expression>", "exec")
        return _env.template_class.from_code(_env, code, _env.make_globals(None), None)

    def evaluate(self, namespace) -> object:
        """Evaluate over a mapping of names to values; names not in it are Missing."""
        try:
            ctx = self._template.new_context(namespace, shared=True)
            for _ in self._template.root_render_func(ctx):
                pass
        except ExpressionError:
            raise
        except RecursionError:  # a last resort: compile_expression refuses what nests this deep
            raise refused("E216", what="operators, calls and filters", limit=MAX_NESTING) from None
        except SecurityError as exc:
            raise ExpressionError(str(exc)) from None
        except ZeroDivisionError:
            raise ExpressionError("division by zero") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise ExpressionError(f"cannot compute: {exc}") from None
        except Exception as exc:  # a template runtime error is the author's, not ours: report it
            raise ExpressionError(str(exc)) from None
        return _exact(ctx.vars.get("result", MISSING))

    def truth(self, namespace) -> bool:
        """Evaluate as a condition: Missing counts as false."""
        value = self.evaluate(namespace)
        return False if isinstance(value, Undefined) else bool(value)


def _rewrite(node, names: set[str], count: list[int]):
    """Check a parsed expression node by node; turn float literals into exact divisions."""
    count[0] += 1
    if count[0] > MAX_NODES:
        raise ExpressionError(f"too long: more than {MAX_NODES} parts")
    if isinstance(node, nodes.Const):
        if isinstance(node.value, float):
            try:  # the bounded reader of files: 1e999 (infinite) or 1e300 is refused here as it is in YAML
                f = Fraction(number(repr(node.value)))
            except NumberError as exc:
                raise refused(exc.code, **exc.fields) from None
            return nodes.Div(nodes.Const(f.numerator), nodes.Const(f.denominator), lineno=node.lineno)
        if not isinstance(node.value, (int, str, bool, type(None))):
            raise ExpressionError(f"unsupported literal {node.value!r}")
        return node
    if isinstance(node, nodes.Name):
        if node.ctx != "load":
            raise ExpressionError("assignment is not allowed")
        if node.name in FUNCTIONS:
            raise ExpressionError(f"'{node.name}' is a function; call it, e.g. {node.name}(a, b)")
        if node.name in RESERVED:
            raise ExpressionError(f"'{node.name}' is a reserved word, not an answer or score")
        names.add(node.name)
        return node
    if isinstance(node, nodes.Call):
        if not isinstance(node.node, nodes.Name):
            raise ExpressionError(
                f"only the functions {', '.join(FUNCTIONS)} can be called; attribute and item access are not allowed"
            )
        if node.node.name not in FUNCTIONS:
            raise ExpressionError(f"unknown function '{node.node.name}'; use one of: {', '.join(FUNCTIONS)}")
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise ExpressionError("functions take plain arguments only")
        n = len(node.args)
        if node.node.name == "wmean" and (n < 2 or n % 2):
            raise ExpressionError("wmean() takes pairs: wmean(value, weight, value, weight, ...)")
        if node.node.name == "abs" and n != 1:
            raise ExpressionError("abs() takes one value")
        node.args = [_rewrite(a, names, count) for a in node.args]
        return node
    if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Slice)):
        raise ExpressionError("attribute and item access ('.', '[]') are not allowed; name answers and scores directly")
    if isinstance(node, nodes.Test):
        if node.name not in TESTS:
            raise ExpressionError(f"unknown test '{node.name}'; use one of: {', '.join(TESTS)}")
        if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise ExpressionError("tests take no arguments here")
        node.node = _rewrite(node.node, names, count)
        return node
    if isinstance(node, nodes.Filter):
        if node.name not in FILTERS:
            raise ExpressionError(f"unknown filter '{node.name}'; use one of: {', '.join(FILTERS)}")
        if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise ExpressionError("filters take no arguments here")
        node.node = _rewrite(node.node, names, count)
        return node
    if not isinstance(node, _ALLOWED):
        raise ExpressionError(f"'{type(node).__name__}' is not allowed in an expression")
    for fname in node.fields:
        child = getattr(node, fname)
        if isinstance(child, nodes.Node):
            setattr(node, fname, _rewrite(child, names, count))
        elif isinstance(child, list):
            setattr(node, fname, [_rewrite(c, names, count) if isinstance(c, nodes.Node) else c for c in child])
    # three-valued logic: a comparison with a missing answer is missing, not false, and 'not' keeps it missing
    if isinstance(node, nodes.Compare):
        left, out = node.expr, None
        for operand in node.ops:
            part = _call("_cmp", nodes.Const(operand.op), left, operand.expr)
            out = part if out is None else _call("_and", out, part)
            left = operand.expr
        return out
    if isinstance(node, nodes.Not):
        return _call("_not", node.node)
    if isinstance(node, nodes.And):
        return _call("_and", node.left, node.right)
    if isinstance(node, nodes.Or):
        return _call("_or", node.left, node.right)
    # text and lists are made by helpers that refuse them past bounds.MAX_TEXT
    if isinstance(node, nodes.Concat):
        return _call("_concat", *node.nodes)
    if isinstance(node, nodes.List):
        return _call("_list", *node.items)
    if isinstance(node, nodes.Tuple):
        return _call("_tuple", *node.items)
    return node


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
        bounds.check_tokens(_env.lexer.tokenize(source, state="variable"))  # before the parser, which recurses
        parser = Parser(_env, source, state="variable")
        tree = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError(f"unexpected '{parser.stream.current.value}' after the expression", 1)
        bounds.check_tree(tree)
        tree = _rewrite(tree, names, [0])
    except TemplateSyntaxError as exc:
        message = (exc.message or "invalid syntax").replace("end of template", "end of the expression")
        raise ExpressionError(message.replace("template", "expression")) from None
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


def namespace(values: dict) -> dict:
    """A namespace for evaluation: the functions plus the given values."""
    ns: dict[str, object] = dict(FUNCTIONS)
    ns.update(_LOGIC)
    ns.update(values)
    return ns
