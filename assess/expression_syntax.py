"""Provides the reading of an expression: its tokens and its tree, in the Jinja expression syntax authors write.

The grammar, the precedence and the error messages are those of Jinja 3's expression parser, written out here
so that the framework language no longer depends on Jinja's private internals: '|' filters and 'is' tests bind
tightest, then unary '-'/'+', then '**' (left to right, so -2 ** 2 is 4 and 2 ** 3 ** 2 is 64), then '*', '/',
'//', '%', then '~', then '+', '-', then comparisons (chained), 'not', 'and', 'or', and 'a if b else c'.
"""

from __future__ import annotations

import re
from ast import literal_eval
from typing import NamedTuple, cast


class SyntaxProblem(Exception):
    """An expression that does not parse; the message says what was found where."""


class Token(NamedTuple):
    """One token: its type (Jinja's token names: 'name', 'integer', 'add', 'lparen', ...) and its value."""

    type: str
    value: object


class Node(NamedTuple):
    """One node of a parsed expression, in the shape of Jinja's node of the same name."""

    kind: str
    """'name', 'const', 'list', 'tuple', 'dict', 'pair', 'compare', 'operand', 'and', 'or', 'not', 'neg', 'pos',
    'add', 'sub', 'mul', 'div', 'floordiv', 'mod', 'pow', 'concat', 'condexpr', 'call', 'keyword', 'filter',
    'test', 'getattr', 'getitem' or 'slice'."""
    value: object = None
    """The name, constant, comparison operator, filter, test, attribute or keyword, where the kind has one."""
    items: tuple[Node | None, ...] = ()
    """The nodes inside, in Jinja's field order (None for a part left out: a condexpr's else, a slice's bounds)."""
    extras: int = 0
    """For a call, filter or test: how many of the last items are keyword, '*' or '**' arguments."""

    def children(self) -> list[Node]:
        """The nodes inside, without the parts left out."""
        return [n for n in self.items if n is not None]

    def part(self, i: int) -> Node:
        """The i-th item, for a part never left out (any but a condexpr's else and a slice's bounds)."""
        return cast(Node, self.items[i])  # the parser leaves out no other part: it is a Node


OPERATORS = {
    "+": "add",
    "-": "sub",
    "/": "div",
    "//": "floordiv",
    "*": "mul",
    "%": "mod",
    "**": "pow",
    "~": "tilde",
    "[": "lbracket",
    "]": "rbracket",
    "(": "lparen",
    ")": "rparen",
    "{": "lbrace",
    "}": "rbrace",
    "==": "eq",
    "!=": "ne",
    ">": "gt",
    ">=": "gteq",
    "<": "lt",
    "<=": "lteq",
    "=": "assign",
    ".": "dot",
    ":": "colon",
    "|": "pipe",
    ",": "comma",
    ";": "semicolon",
}
_SYMBOL = {kind: op for op, kind in OPERATORS.items()}
EOF = "end of the expression"

_WHITESPACE = re.compile(r"\s+")
_STRING = re.compile(r"('([^'\\]*(?:\\.[^'\\]*)*)'" r'|"([^"\\]*(?:\\.[^"\\]*)*)")', re.S)
_INTEGER = re.compile(r"(0b(_?[0-1])+|0o(_?[0-7])+|0x(_?[\da-f])+|[1-9](_?\d)*|0(_?0)*)", re.IGNORECASE)
_FLOAT = re.compile(r"(?<!\.)(\d+_)*\d+((\.(\d+_)*\d+)?e[+\-]?(\d+_)*\d+|\.(\d+_)*\d+)", re.IGNORECASE)
_NAME = re.compile(r"\w+")  # the common part of Jinja's identifier characters; _name_end adds the rest
_OPERATOR = re.compile("|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True)))
_CLOSING = {"(": ")", "[": "]", "{": "}"}


def tokens(source: str) -> tuple[list[Token], SyntaxProblem | None]:
    """The tokens of an expression, and the problem that stopped reading it (None if it was read to the end)."""
    out: list[Token] = []
    pos, balance = 0, []
    try:
        while pos < len(source):
            if m := _WHITESPACE.match(source, pos):
                pass
            elif m := _FLOAT.match(source, pos):
                out.append(Token("float", literal_eval(m.group().replace("_", ""))))
            elif m := _INTEGER.match(source, pos):
                out.append(Token("integer", int(m.group().replace("_", ""), 0)))
            elif (end := _name_end(source, pos)) > pos:
                if not source[pos:end].isidentifier():
                    raise SyntaxProblem("Invalid character in identifier")
                out.append(Token("name", source[pos:end]))
                pos = end
                continue
            elif m := _STRING.match(source, pos):
                out.append(Token("string", _unescape(m.group()[1:-1])))
            elif m := _OPERATOR.match(source, pos):
                op = m.group()
                if op in _CLOSING:
                    balance.append(_CLOSING[op])
                elif op in _CLOSING.values():
                    if not balance:
                        raise SyntaxProblem(f"unexpected '{op}'")
                    expected = balance.pop()
                    if expected != op:
                        raise SyntaxProblem(f"unexpected '{op}', expected '{expected}'")
                out.append(Token(OPERATORS[op], op))
            else:
                raise SyntaxProblem(f"unexpected char {source[pos]!r} at {pos}")
            pos = m.end()
    except SyntaxProblem as problem:
        return out, problem
    return out, None


def _name_end(source: str, pos: int) -> int:
    """Where a run of identifier characters from pos ends, as Jinja reads them: word characters, and the others
    that may continue a Python identifier (combining marks)."""
    m = _NAME.match(source, pos)
    end = m.end() if m else pos
    while end < len(source) and not source[end].isascii() and ("a" + source[end]).isidentifier():
        end += 1
        if m := _NAME.match(source, end):
            end = m.end()
    return end


def _unescape(text: str) -> str:
    """A string literal's backslash escapes, read as Jinja reads them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return text.encode("ascii", "backslashreplace").decode("unicode-escape")
    except Exception as exc:  # a broken escape: Jinja reports the codec's reason
        raise SyntaxProblem(str(exc).split(":")[-1].strip()) from None


def _describe(token: Token) -> str:
    if token.type == "name":
        return str(token.value)
    return _describe_type(token.type)


def _describe_type(kind: str) -> str:
    return _SYMBOL.get(kind, EOF if kind == "eof" else kind)


_COMPARE = frozenset(["eq", "ne", "lt", "lteq", "gt", "gteq"])
_TEST_ARGUMENT = frozenset(["name", "string", "integer", "float", "lparen", "lbracket", "lbrace"])


def parse(found: list[Token]) -> Node:
    """The tree of one expression from its tokens; raise SyntaxProblem where it stops making sense."""
    parser = _Parser(found)
    tree = parser.expression()
    if parser.current.type != "eof":
        raise SyntaxProblem(f"unexpected '{parser.current.value}' after the expression")
    return tree


class _Parser:
    """Jinja's expression parser, node for node: each method is the one of the same name in jinja2.parser."""

    def __init__(self, found: list[Token]):
        self.tokens = [*found, Token("eof", "")]
        self.pos = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.pos]

    def look(self) -> Token:
        return self.tokens[min(self.pos + 1, len(self.tokens) - 1)]

    def next(self) -> Token:
        token = self.current
        if token.type != "eof":
            self.pos += 1
        return token

    def at(self, kind: str, value: str | None = None) -> bool:
        token = self.current
        return token.type == kind and (value is None or token.value == value)

    def skip_if(self, kind: str, value: str | None = None) -> bool:
        if self.at(kind, value):
            self.next()
            return True
        return False

    def expect(self, kind: str) -> Token:
        if not self.at(kind):
            if self.current.type == "eof":
                raise SyntaxProblem(f"unexpected {EOF}, expected {_describe_type(kind)!r}.")
            raise SyntaxProblem(f"expected token {_describe_type(kind)!r}, got {_describe(self.current)!r}")
        return self.next()

    def expression(self) -> Node:
        expr1 = self.or_()
        while self.skip_if("name", "if"):
            expr2 = self.or_()
            expr3 = self.expression() if self.skip_if("name", "else") else None
            expr1 = Node("condexpr", None, (expr2, expr1, expr3))
        return expr1

    def or_(self) -> Node:
        left = self.and_()
        while self.skip_if("name", "or"):
            left = Node("or", None, (left, self.and_()))
        return left

    def and_(self) -> Node:
        left = self.not_()
        while self.skip_if("name", "and"):
            left = Node("and", None, (left, self.not_()))
        return left

    def not_(self) -> Node:
        if self.skip_if("name", "not"):
            return Node("not", None, (self.not_(),))
        return self.compare()

    def compare(self) -> Node:
        expr = self.math1()
        ops = []
        while True:
            if self.current.type in _COMPARE:
                op = self.next().type
                ops.append(Node("operand", op, (self.math1(),)))
            elif self.skip_if("name", "in"):
                ops.append(Node("operand", "in", (self.math1(),)))
            elif self.at("name", "not") and self.look() == Token("name", "in"):
                self.next(), self.next()
                ops.append(Node("operand", "notin", (self.math1(),)))
            else:
                break
        return Node("compare", None, (expr, *ops)) if ops else expr

    def math1(self) -> Node:
        left = self.concat()
        while self.current.type in ("add", "sub"):
            kind = self.next().type
            left = Node(kind, None, (left, self.concat()))
        return left

    def concat(self) -> Node:
        args = [self.math2()]
        while self.skip_if("tilde"):
            args.append(self.math2())
        return args[0] if len(args) == 1 else Node("concat", None, tuple(args))

    def math2(self) -> Node:
        left = self.pow()
        while self.current.type in ("mul", "div", "floordiv", "mod"):
            kind = self.next().type
            left = Node(kind, None, (left, self.pow()))
        return left

    def pow(self) -> Node:
        left = self.unary()
        while self.skip_if("pow"):
            left = Node("pow", None, (left, self.unary()))
        return left

    def unary(self, with_filter: bool = True) -> Node:
        if self.current.type in ("sub", "add"):
            kind = "neg" if self.next().type == "sub" else "pos"
            node = Node(kind, None, (self.unary(False),))
        else:
            node = self.primary()
        node = self.postfix(node)
        return self.filter_expr(node) if with_filter else node

    def primary(self) -> Node:
        token = self.current
        if token.type == "name":
            self.next()
            if token.value in ("true", "false", "True", "False"):
                return Node("const", token.value in ("true", "True"))
            if token.value in ("none", "None"):
                return Node("const", None)
            return Node("name", token.value)
        if token.type == "string":
            parts = []
            while self.at("string"):
                parts.append(str(self.next().value))
            return Node("const", "".join(parts))
        if token.type in ("integer", "float"):
            return Node("const", self.next().value)
        if token.type == "lparen":
            self.next()
            node = self.tuple_()
            self.expect("rparen")
            return node
        if token.type == "lbracket":
            return self.list_()
        if token.type == "lbrace":
            return self.dict_()
        raise SyntaxProblem(f"unexpected {_describe(token)!r}")

    def tuple_(self) -> Node:
        """What is inside parentheses: one expression, or a tuple of them (none, or with a comma)."""
        args: list[Node] = []
        is_tuple = False
        while True:
            if args:
                self.expect("comma")
            if self.at("rparen"):
                break
            args.append(self.expression())
            if not self.at("comma"):
                break
            is_tuple = True
        if not is_tuple and args:
            return args[0]
        return Node("tuple", None, tuple(args))

    def list_(self) -> Node:
        self.expect("lbracket")
        items: list[Node] = []
        while not self.at("rbracket"):
            if items:
                self.expect("comma")
            if self.at("rbracket"):
                break
            items.append(self.expression())
        self.expect("rbracket")
        return Node("list", None, tuple(items))

    def dict_(self) -> Node:
        self.expect("lbrace")
        items: list[Node] = []
        while not self.at("rbrace"):
            if items:
                self.expect("comma")
            if self.at("rbrace"):
                break
            key = self.expression()
            self.expect("colon")
            items.append(Node("pair", None, (key, self.expression())))
        self.expect("rbrace")
        return Node("dict", None, tuple(items))

    def postfix(self, node: Node) -> Node:
        while True:
            if self.current.type in ("dot", "lbracket"):
                node = self.subscript(node)
            elif self.at("lparen"):
                node = self.call(node)
            else:
                return node

    def filter_expr(self, node: Node) -> Node:
        while True:
            if self.at("pipe"):
                node = self.filter(node)
            elif self.at("name", "is"):
                node = self.test(node)
            elif self.at("lparen"):
                node = self.call(node)
            else:
                return node

    def subscript(self, node: Node) -> Node:
        token = self.next()
        if token.type == "dot":
            attr = self.next()
            if attr.type == "name":
                return Node("getattr", attr.value, (node,))
            if attr.type != "integer":
                raise SyntaxProblem("expected name or number")
            return Node("getitem", None, (node, Node("const", attr.value)))
        args: list[Node] = []
        while not self.at("rbracket"):
            if args:
                self.expect("comma")
            args.append(self.subscribed())
        self.expect("rbracket")
        arg = args[0] if len(args) == 1 else Node("tuple", None, tuple(args))
        return Node("getitem", None, (node, arg))

    def subscribed(self) -> Node:
        bounds: list[Node | None]
        if self.skip_if("colon"):
            bounds = [None]
        else:
            node = self.expression()
            if not self.skip_if("colon"):
                return node
            bounds = [node]
        if self.at("colon") or self.current.type in ("rbracket", "comma"):
            bounds.append(None)
        else:
            bounds.append(self.expression())
        if self.skip_if("colon"):
            bounds.append(None if self.current.type in ("rbracket", "comma") else self.expression())
        else:
            bounds.append(None)
        return Node("slice", None, tuple(bounds))

    def call_args(self) -> tuple[list[Node], list[Node]]:
        """Plain arguments, and the keyword, '*' and '**' ones (in Jinja's order: keywords, *args, **kwargs)."""
        self.expect("lparen")
        args: list[Node] = []
        kwargs: list[Node] = []
        dyn_args = dyn_kwargs = None
        require_comma = False

        def ensure(ok: bool) -> None:
            if not ok:
                raise SyntaxProblem("invalid syntax for function call expression")

        while not self.at("rparen"):
            if require_comma:
                self.expect("comma")
                if self.at("rparen"):
                    break
            if self.skip_if("mul"):
                ensure(dyn_args is None and dyn_kwargs is None)
                dyn_args = self.expression()
            elif self.skip_if("pow"):
                ensure(dyn_kwargs is None)
                dyn_kwargs = self.expression()
            elif self.at("name") and self.look().type == "assign":
                ensure(dyn_kwargs is None)
                key = self.next().value
                self.next()
                kwargs.append(Node("keyword", key, (self.expression(),)))
            else:
                ensure(dyn_args is None and dyn_kwargs is None and not kwargs)
                args.append(self.expression())
            require_comma = True
        self.expect("rparen")
        return args, [*kwargs, *(n for n in (dyn_args, dyn_kwargs) if n is not None)]

    def call(self, node: Node) -> Node:
        args, extras = self.call_args()
        return Node("call", None, (node, *args, *extras), len(extras))

    def dotted_name(self) -> str:
        name = str(self.expect("name").value)
        while self.skip_if("dot"):
            name += "." + str(self.expect("name").value)
        return name

    def filter(self, node: Node) -> Node:
        while self.skip_if("pipe"):
            name = self.dotted_name()
            args, extras = self.call_args() if self.at("lparen") else ([], [])
            node = Node("filter", name, (node, *args, *extras), len(extras))
        return node

    def test(self, node: Node) -> Node:
        self.next()
        negated = self.skip_if("name", "not")
        name = self.dotted_name()
        args: list[Node] = []
        extras: list[Node] = []
        if self.at("lparen"):
            args, extras = self.call_args()
        elif self.current.type in _TEST_ARGUMENT and not any(self.at("name", w) for w in ("else", "or", "and")):
            if self.at("name", "is"):
                raise SyntaxProblem("You cannot chain multiple tests with is")
            args = [self.postfix(self.primary())]
        node = Node("test", name, (node, *args, *extras), len(extras))
        return Node("not", None, (node,)) if negated else node
