"""Hostile expressions, written as an attacker would: refused when the framework is checked, or stopped with a
coded warning when answers drive them past a bound; never a traceback, a hang or gigabytes of memory."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import time

import pytest

from assess.bounds import DIGITS, MAX_DEPTH, MAX_NESTING, MAX_TEXT
from assess.errors import MESSAGES, WARNINGS
from assess.expressions import ExpressionError, compile_expression, namespace

from conftest import PEAK_KIB, ROOT, problems, scored

FW = """\
id: t
version: 1.0.0
title: T
sections:
  - id: s
    title: S
    questions:
      - {id: level, text: Level?, type: single, options: [{value: low, score: 1}, {value: high, score: 3}]}
      - {id: notes, text: Notes, type: text}
      - {id: n, text: How many?, type: number, min: 0, max: 1000000000000}
rules:
  - id: r
    when: "WHEN"
    priority: high
    finding: F
    action: A
    reference: R
    addressee: jmac
"""

ANSWERS = """\
format: assess-answers/1
framework: {id: t, version: 1.0.0}
metadata: {title: Test, marking: UN RESTRICTED}
"""


def refused(code: str, **fields) -> str:
    """The line `assess validate` prints for the rule's condition (line 13, column 11 of FW)."""
    return f"fw.yaml:13:11: {MESSAGES[code].format(where='rules[0].when', **fields)} [{code}]"


def broken(reason: str) -> str:
    return refused("E203", reason=reason)


FORMATS = "'%' with text on its left"
DEEP = dict(what="'not', '-', 'else' and brackets", limit=MAX_NESTING)
CHAIN = dict(what="operators, calls and filters", limit=MAX_NESTING)
ACCESS = "attribute and item access ('.', '[]') are not allowed; name answers and scores directly"
CALLS = (
    "only the functions mean, wmean, sum, min, max, count, abs can be called; attribute and item access are not allowed"
)


def unknown(function: str) -> str:
    return f"unknown function '{function}'; use one of: mean, wmean, sum, min, max, count, abs"


def reserved(name: str) -> str:
    return f"'{name}' is a reserved word, not an answer or score"


ATTACKS = [
    # string formatting: the attack that took 1.9 GB and 6 seconds for one rule
    ("'%0999999999d' % 1 == notes", refused("E217", how=FORMATS)),
    ("'%.999999999f' % n == notes", refused("E217", how=FORMATS)),
    ("('%' ~ '0999999999d') % 1 == notes", refused("E217", how=FORMATS)),
    ("notes | lower % 1 == notes", refused("E217", how=FORMATS)),
    ("notes.format(n) == 'x'", refused("E217", how="'.format'")),
    ("str.format(notes) == 'x'", refused("E217", how="'.format'")),
    ("notes.format_map(notes) == 'x'", refused("E217", how="'.format_map'")),
    ("notes | format(n) == 'x'", refused("E217", how="the 'format' filter")),
    ("'{0.__class__}'.format(notes)", broken("write a single-line expression without '{' or '}'")),
    ("'{x.__class__}'.format_map(notes)", broken("write a single-line expression without '{' or '}'")),
    # text and lists built past the bound
    ("'x' * 100000000 == notes", refused("E218", what="repetition", op="*", limit=MAX_TEXT)),
    ("[[1] * 10000] * 10000 == notes", refused("E218", what="repetition", op="*", limit=MAX_TEXT)),
    ("('x' * 10000) ~ ('x' * 10000) == notes", refused("E218", what="text", op="~", limit=MAX_TEXT)),
    ("'x' * 6000 + 'y' * 6000 == notes", refused("E218", what="text", op="+", limit=MAX_TEXT)),
    ("notes in ['x' * 9000, 'y' * 9000]", refused("E218", what="list", op="[...]", limit=MAX_TEXT)),
    # nesting that overflowed the recursive parser, or (in the Jinja-based evaluator before) its code generator
    ("-" * 1000 + "1 > n", refused("E216", **DEEP)),
    ("+" * 1000 + "n", refused("E216", **DEEP)),
    ("not " * 300 + "n", refused("E216", **DEEP)),
    ("n if n else " * 100 + "n", refused("E216", **DEEP)),
    ("(" * 200 + "n" + ")" * 200, refused("E216", what="brackets", limit=MAX_DEPTH)),
    ("abs(" * 40 + "n" + ")" * 40, refused("E216", what="brackets", limit=MAX_DEPTH)),
    ("[" * 40 + "n" + "]" * 40, refused("E216", what="brackets", limit=MAX_DEPTH)),
    ("notes" + " | lower" * 200 + " == 'x'", refused("E216", **CHAIN)),
    (" + ".join(["n"] * 60) + " > 1", refused("E216", **CHAIN)),
    (" < ".join(["n"] * 60), refused("E216", **CHAIN)),
    ("n ** " * 100 + "1", refused("E216", **CHAIN)),
    # the sandbox's known escapes
    ("notes.__class__", broken(ACCESS)),
    ("notes['__class__']", broken(ACCESS)),
    ("notes.__class__.__mro__[1].__subclasses__()", broken(CALLS)),
    ("notes | attr('__class__')", broken("unknown filter 'attr'; use one of: length, lower, upper, abs")),
    ("cycler.__init__.__globals__", broken(ACCESS)),
    ("cycler()", broken(unknown("cycler"))),
    ("joiner()", broken(unknown("joiner"))),
    ("namespace(a=1)", broken(unknown("namespace"))),
    ("lipsum()", broken(unknown("lipsum"))),
    ("lipsum", broken(reserved("lipsum"))),
    ("self", broken(reserved("self"))),
    ("self._TemplateReference__context", broken(ACCESS)),
    ("config", broken(reserved("config"))),
    ("config.items()", broken(CALLS)),
    ("range(10 ** 9)", broken(unknown("range"))),
    ("_cmp", broken(reserved("_cmp"))),  # the evaluator's own helpers are no names to reach
]


@pytest.mark.parametrize("when, message", ATTACKS, ids=[when[:32] for when, _ in ATTACKS])
def test_hostile_conditions_are_refused_where_they_are_written(when, message):
    start = time.perf_counter()
    assert problems(FW.replace("WHEN", when)) == [message]
    assert time.perf_counter() - start < 1


def test_nesting_up_to_the_limits_still_works():
    """The limits refuse only what is past them: these are at them, and compile and evaluate."""
    at_limit = [
        "-" * MAX_NESTING + "n",
        "not " * MAX_NESTING + "n",
        "(" * MAX_DEPTH + "n" + ")" * MAX_DEPTH,
        " + ".join(["n"] * MAX_NESTING) + " > 1",
        "notes" + " | lower" * (MAX_NESTING - 1) + " == 'x'",
    ]
    for when in at_limit:
        r = scored(FW.replace("WHEN", when), ANSWERS + "answers: {n: {value: 2}, notes: {value: x}}\n")
        assert r.warnings == (), when


def test_a_recursion_error_left_over_is_reported_as_nesting_never_raised():
    """With little stack left (a deep caller), what the limits let through still ends in a message."""
    parsed = "(" * MAX_DEPTH + "n" + ")" * MAX_DEPTH + " >= 0"
    evaluated = "not " * (MAX_NESTING - 1) + "n != 1"
    compiled = compile_expression(evaluated)  # parsed with room to spare; evaluating it recurses as deep
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 80)
    try:
        with pytest.raises(ExpressionError) as parsing:
            compile_expression(parsed)
        with pytest.raises(ExpressionError) as evaluating:
            compiled.evaluate(namespace({"n": 1}))
    finally:
        sys.setrecursionlimit(limit)
    assert parsing.value.code == evaluating.value.code == "E216"
    assert str(parsing.value) == MESSAGES["E216"].removeprefix("{where}: ").format(**CHAIN)
    assert compiled.truth(namespace({"n": 1})) is True  # with the stack back, it evaluates


# --------------------------------------------------------------------------------------- driven by the answers


def warned(where: str, code: str, **fields) -> str:
    """A warning as `assess score` prints it: W006, its reason worded by the code that stopped the evaluation."""
    reason = MESSAGES[code].removeprefix("{where}: ").format(**fields)
    return f"fw.yaml: warning: {WARNINGS['W006'].format(where=where, reason=reason)} [W006]"


RUNTIME = """\
id: t
version: 1.0.0
title: T
sections:
  - id: s
    title: S
    questions:
      - {id: notes, text: Notes, type: text}
      - {id: n, text: How many?, type: number, min: 0, max: 1000000000000}
      - {id: more, text: More?, type: yesno, show_if: "notes % n == 'x'"}
derived:
  - {id: repeated, title: Repeated, expr: "count(notes * n)"}
  - {id: tiny, title: Tiny, expr: "((1 / n) ** 64) ** 64"}
  - {id: huge, title: Huge, expr: "n ** 64 * n ** 64"}
  - {id: joined, title: Joined, expr: "count(notes ~ notes)"}
rules:
  - id: r
    when: "notes % 1 == 'x'"
    priority: high
    finding: F
    action: A
    reference: R
"""


def test_answers_that_would_drive_an_expression_past_a_bound_stop_it_with_a_warning():
    start = time.perf_counter()
    notes = "%0999999999d" + "x" * 6000
    r = scored(RUNTIME, ANSWERS + f"answers: {{n: {{value: 1000000000000}}, notes: {{value: '{notes}'}}}}\n")
    assert sorted(str(w) for w in r.warnings) == sorted(
        [
            warned("sections.0.questions.2.show_if", "E217", how=FORMATS),
            warned("derived repeated", "E218", what="repetition", op="*", limit=MAX_TEXT),
            warned("derived tiny", "E219", op="**", digits=DIGITS),
            warned("derived huge", "E219", op="*", digits=DIGITS),
            warned("derived joined", "E218", what="text", op="~", limit=MAX_TEXT),
            warned("rule r", "E217", how=FORMATS),
        ]
    )
    assert r.recommendations == () and r.derived["tiny"].value is None
    assert time.perf_counter() - start < 2


# ------------------------------------------------------------------------------- as a user runs it: peak memory

# runs `assess ARGS` and reports its own peak memory; an address space of 1 GiB stops a runaway early
CHILD = (
    """\
import contextlib, resource, sys
with contextlib.suppress(ValueError, OSError):  # not every system limits the address space
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from assess.cli import main
"""
    + PEAK_KIB
    + """try:
    code = main(sys.argv[1:])
finally:
    print(f"peak-kib {peak_kib()}", file=sys.stderr)
sys.exit(code)
"""
)
PEAK_MIB = 100  # `assess score` of a small framework peaks near 45 MiB; one text formatted to 100 MB passes this


def run(*args: str, cwd) -> tuple[int, list[str], float]:
    """`assess ARGS` in a child: its exit code, its stderr lines (peak memory taken out) and its peak in MiB."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )
    lines = p.stderr.splitlines()
    assert lines and lines[-1].startswith("peak-kib "), p.stderr[-2000:]
    assert "Traceback" not in p.stderr, p.stderr[-2000:]
    return p.returncode, lines[:-1], int(lines[-1].split()[1]) / 1024


def test_formatting_in_a_framework_is_refused_at_score_without_memory(write, tmp_path):
    write("fw.yaml", FW.replace("WHEN", "'%0999999999d' % 1 == notes"))
    write("a.yaml", ANSWERS + "answers: {notes: {value: x}}\n")
    code, err, peak = run("score", "a.yaml", "--framework", "fw.yaml", cwd=tmp_path)
    assert (code, err) == (1, [refused("E217", how=FORMATS)])
    assert peak < PEAK_MIB


def test_nesting_in_a_framework_is_refused_at_validate_without_a_traceback(write, tmp_path):
    write("fw.yaml", FW.replace("WHEN", "-" * 1000 + "1 > n"))
    code, err, _ = run("validate", "fw.yaml", cwd=tmp_path)
    assert (code, err) == (1, [refused("E216", **DEEP), "1 of 1 file(s) have problems"])


SCOPED = """\
id: t
version: 1.0.0
title: T
sections:
  - id: groups
    title: Groups
    repeat: {label: group}
    questions:
      - {id: notes, text: Notes, type: text}
rules:
  - id: r
    when: "notes % 1 == 'x'"
    scope: groups
    priority: high
    finding: "{entity} F"
    action: A
    reference: R
    addressee: jmac
"""


def test_a_scoped_rule_over_300_hostile_blocks_warns_for_each_quickly_in_little_memory(write, tmp_path):
    """Each block's notes would format 100 MB: before, the 300 blocks took 15 to 30 seconds."""
    blocks = "".join(
        f"    - {{id: g{i}, name: G{i}, answers: {{notes: {{value: '%0100000000d'}}}}}}\n" for i in range(300)
    )
    write("fw.yaml", SCOPED)
    write("a.yaml", ANSWERS + "answers: {}\nentities:\n  groups:\n" + blocks)
    start = time.perf_counter()
    code, err, peak = run("score", "a.yaml", "--framework", "fw.yaml", cwd=tmp_path)
    assert code == 0
    assert err == [warned("rule r", "E217", how=FORMATS)] * 300
    assert peak < PEAK_MIB
    assert time.perf_counter() - start < 10


@pytest.mark.parametrize(
    "when, code, fields",
    [
        ("n > 1e999", "E013", {"text": "inf"}),  # a float literal past what a float holds: infinite
        ("abs(-1e999) > n", "E013", {"text": "inf"}),
        ("n * 1e300 > 1", "E015", {"text": "1e+300", "limit": 100}),  # as large numbers in YAML are refused
    ],
)
def test_number_literals_past_the_bounded_reader_are_refused_not_a_traceback(when, code, fields):
    assert problems(FW.replace("WHEN", when)) == [refused(code, **fields)]
