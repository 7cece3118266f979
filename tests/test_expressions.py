"""Tests the one expression evaluator: exact, three-valued over missing answers, and closed to hostile input."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from fractions import Fraction

import pytest

from assess.expressions import MISSING, ExpressionError, compile_expression, namespace

from conftest import ROOT

NS = namespace({"a": Fraction(7), "b": Fraction(15, 2), "level": "high", "chosen": ["arms", "fuel"]})


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("mean(a, b)", Fraction(29, 4)),
        ("0.1 + 0.2 == 0.3", True),
        ("a / 3", Fraction(7, 3)),
        ("(a - b) * -1", Fraction(1, 2)),
        ("a ** 2", Fraction(49)),
        ("min(a, b, unanswered)", Fraction(7)),
        ("max(a, b)", Fraction(15, 2)),
        ("sum(a, b, 0.5)", Fraction(15)),
        ("count(a, unanswered, level)", 2),
        ("abs(a - b)", Fraction(1, 2)),
        ("wmean(a, 2, b, 1)", Fraction(43, 6)),  # (7*2 + 7.5) / 3
        ("wmean(a, 2, unanswered, 5)", Fraction(7)),  # a missing value takes its weight with it
        ("wmean(unanswered, 1) is defined", False),
        ("wmean(a, unanswered, b, 1)", Fraction(15, 2)),  # so does a missing weight
        ("level == 'high' and a >= 6.5", True),
        ("level in ['medium', 'high']", True),
        ("'arms' in chosen and 'gold' not in chosen", True),
        ("chosen | length", 2),
        ("1 < a < 10", True),
        ("b if level == 'high' else a", Fraction(15, 2)),
        ("unanswered is defined", False),
    ],
)
def test_values(expr, expected):
    assert compile_expression(expr).evaluate(NS) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "unanswered >= 3",
        "not (unanswered >= 3)",
        "'civil' not in unanswered",
        "unanswered != 'x'",
        "unanswered == 'x' and a > 1",
        "not unanswered",
    ],
)
def test_missing_answers_make_conditions_unknown_never_true(expr):
    assert compile_expression(expr).truth(NS) is False


def test_known_false_wins_over_missing_and_known_true_over_missing():
    assert compile_expression("unanswered == 'x' and a > 100").evaluate(NS) is False
    assert compile_expression("unanswered == 'x' or a > 1").evaluate(NS) is True


def test_names_are_collected_for_cross_reference_checks():
    assert compile_expression("mean(markets, actors) > 5 and level == 'high'").names == {"markets", "actors", "level"}


@pytest.mark.parametrize(
    "expr, message",
    [
        ("a.__class__", "attribute and item access ('.', '[]') are not allowed"),
        ("a['__class__']", "attribute and item access"),
        ("(1).__class__.__mro__[1].__subclasses__()", "attribute and item access"),
        ("lipsum.__globals__", "attribute and item access"),
        ("range(10 ** 9)", "unknown function 'range'"),
        ("cycler()", "unknown function 'cycler'"),
        ("self", "'self' is a reserved word"),
        ("a | attr('__class__')", "unknown filter 'attr'"),
        ("a | map('upper')", "unknown filter 'map'"),
        ("a is sameas a", "unknown test 'sameas'"),
        ("{{ a }}", "single-line expression without '{' or '}'"),
        ("{% for x in y %}", "single-line expression"),
        ("a = 1", "unexpected '='"),
        ("mean", "'mean' is a function; call it"),
        ("mean(*chosen)", "functions take plain arguments only"),
        ("mean(x=1)", "functions take plain arguments only"),
        ("", "empty expression"),
        ("a +", "unexpected 'end of the expression'"),
    ],
)
def test_hostile_or_broken_expressions_are_refused_when_compiled(expr, message):
    with pytest.raises(ExpressionError) as info:
        compile_expression(expr)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "expr, message",
    [
        ("'x' * 100000000", "repetition too long"),
        ("[1] * 100000000", "repetition too long"),
        ("2 ** 1000", "exponent 1000 is too large"),
        ("(10 ** 60) ** 60", "base too large"),
        ("a / 0", "division by zero"),
        ("level > 3", "cannot compute"),
    ],
)
def test_runaway_or_failing_evaluation_is_stopped_with_a_message(expr, message):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as info:
        compile_expression(expr).evaluate(NS)
    assert message in str(info.value)
    assert time.perf_counter() - start < 0.1


def test_expression_size_is_bounded():
    with pytest.raises(ExpressionError, match="too long"):
        compile_expression(" + ".join(["a"] * 500))
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        compile_expression("(" * 500 + "a" + ")" * 500)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("-2 ** 2", 4),  # Jinja's precedence, which frameworks are written in: unary minus binds tighter than '**'
        ("2 ** 3 ** 2", 64),  # and '**' goes left to right
        ("a + b is defined", 8),  # a test binds tightest: a + (b is defined)
        ("chosen | length + 1", 3),  # so does a filter
        ("'x' ~ 2 * 3", "x6"),  # '~' binds looser than '*'
        ("'a' ~ 1 + 2 ~ 'b'", "a12b"),  # and tighter than '+': ('a' ~ 1) + (2 ~ 'b')
        ("a if unanswered", None),  # no else: missing
        ("'a' 'b' == 'ab'", True),
        ("(1,)", (1,)),
        ("TRUE is defined", False),  # only true, True, false, False, none, None are words
    ],
)
def test_jinja_precedence_and_syntax_are_kept(expr, expected):
    value = compile_expression(expr).evaluate(NS)
    assert value is MISSING if expected is None else value == expected


def test_the_evaluator_imports_no_jinja():
    """Reports use Jinja; expressions use no part of it, so no Jinja release can change a score."""
    code = "import sys, assess.expressions; print('jinja2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_a_compiled_expression_pickles_as_plain_data_and_evaluates_the_same():
    """The framework cache pickles compiled expressions: data only (no code, nothing of a library's version)."""
    e = compile_expression("mean(a, b) > 3 and level | upper == 'HIGH' and unanswered is not defined")
    data = pickle.dumps(e)
    assert b"jinja" not in data and len(data) < 600
    again = pickle.loads(data)
    assert again == e and again.evaluate(NS) is True
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING


@pytest.mark.parametrize(
    "expr, message",
    [
        ("wmean(a, 2, b)", "wmean() takes pairs: wmean(value, weight, value, weight, ...)"),
        ("abs(a, b)", "abs() takes one value"),
        ("wmean(a, -1)", "wmean() weights are numbers of 0 or more, got -1"),
        ("wmean(level, 1)", "wmean() takes numbers, got 'high'"),
    ],
)
def test_wmean_refuses_what_it_cannot_weigh(expr, message):
    with pytest.raises(ExpressionError) as exc:
        compile_expression(expr).evaluate(NS)
    assert str(exc.value) == message


@pytest.mark.parametrize("expr", ["gold >= 7", "not (gold >= 7)", "gold < 3 or gold > 8", "7 <= gold"])
def test_unknown_chosen_on_a_numeric_scale_orders_as_a_missing_answer(expr):
    """Issue 16: 'unknown' on a 1–10 scale is a gap, not text to put in order: the rule stays silent, no error."""
    ns = namespace({"gold": "unknown"})
    assert compile_expression(expr).evaluate(ns) is MISSING
    assert compile_expression("gold == 'unknown'").evaluate(ns) is True  # still told apart where asked for


def test_a_rule_on_a_numeric_scale_stays_silent_without_a_warning_when_the_answer_is_unknown(tmp_path):
    from assess.pipeline import score_files

    (tmp_path / "fw.yaml").write_text(
        "id: fw\nversion: 1.0.0\ntitle: T\nscales:\n  ten: {range: {min: 1, max: 10, step: 0.5}, unknown: true}\n"
        "sections:\n  - id: s\n    title: S\n    questions:\n      - {id: gold, text: Gold?, type: scale, scale: ten}\n"
        "rules:\n  - {id: r, when: 'gold >= 7', priority: high, addressee: jmac, finding: F, action: A, "
        "reference: R}\n",
        encoding="utf-8",
    )
    for value, fired in (("unknown", []), (8, ["r"])):
        (tmp_path / "a.yaml").write_text(
            "format: assess-answers/1\nframework: {id: fw, version: 1.0.0, path: fw.yaml}\n"
            "metadata: {title: A, marking: UN RESTRICTED}\n"
            f"answers:\n  gold: {{value: {value}}}\n",
            encoding="utf-8",
        )
        result = score_files(tmp_path / "a.yaml", tmp_path / "fw.yaml")
        assert [x.rule for x in result.recommendations] == fired
        assert not [w for w in result.warnings if w.code == "W006"]
