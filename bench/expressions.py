"""Benchmark: the cost of the expression evaluator (issue 13, item 5: expressions without Jinja's internals).

A plain script, not a test:

    PYTHONPATH=<tree> python bench/expressions.py [--repeat 7] [--loop 100000]

It imports `assess` from sys.path, so PYTHONPATH chooses the tree to time (e.g. a worktree of the code before
a change). It times, best of --repeat:

- import: `python -c 'import assess.expressions'` in a new interpreter (wall time; 'python' alone beside it),
  what `python -X importtime` counts for assess.expressions and everything it imports, and how many modules
  that loads (the one figure a busy machine does not move);
- cold: in a new interpreter, compile every show_if, when and expr of the six bundled frameworks
  (frameworks/*.yaml) and evaluate each over the answers of its example (frameworks/examples/) once;
- warm: evaluate them all again (compiled: what scoring many answers files with one framework costs);
- pickle: the bytes of all the compiled expressions pickled (the framework cache keeps them);
- loop: one typical rule evaluated --loop times, in microseconds per evaluation.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent  # where children run: `python -c` puts its folder first on sys.path
FRAMEWORKS = ROOT / "frameworks"
RULE = (  # a typical rule of crime-politics-nexus.yaml
    "sf_salaries_unpaid == 'yes' and "
    "(sf_checkpoints in ['medium', 'high'] or sf_protection_rackets in ['medium', 'high'])"
)
FACTS = {"unknown_answers": 3, "low_confidence_answers": 1, "unsourced_answers": 2, "required_open": 1}


def expressions(node: object) -> list[str]:
    """Every show_if, when and expr inside a parsed framework."""
    if isinstance(node, dict):
        found = [v for k, v in node.items() if k in ("show_if", "when", "expr") and isinstance(v, str)]
        return found + [e for v in node.values() for e in expressions(v)]
    if isinstance(node, list):
        return [e for v in node for e in expressions(v)]
    return []


def values(answers: dict) -> dict:
    """The answers of an example as expressions see them: numbers exact, choices as text or lists of text."""
    out: dict = dict(FACTS)
    for qid, answer in (answers.get("answers") or {}).items():
        v = answer.get("value") if isinstance(answer, dict) else None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            v = Fraction(str(v))
        if v is not None:
            out[qid] = v
    return out


def workload() -> list[tuple[list[str], dict]]:
    """Per bundled framework: its expressions, and its example's values."""
    out = []
    for path in sorted(FRAMEWORKS.glob("*.yaml")):
        example = FRAMEWORKS / "examples" / f"{path.stem}.answers.yaml"
        fw = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        answers = yaml.load(example.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) if example.exists() else {}
        out.append((expressions(fw), values(answers)))
    return out


def evaluate_all(work: list[tuple[list[str], dict]]) -> int:
    """Compile (or take from the cache) and evaluate every expression over its framework's example; how many."""
    from assess.expressions import ExpressionError, compile_expression, namespace

    n = 0
    for exprs, vals in work:
        ns = namespace(vals)
        for source in exprs:
            try:
                compile_expression(source).evaluate(ns)
            except ExpressionError:
                pass
            n += 1
    return n


def child_cold() -> None:
    """In a new interpreter: the first compile and evaluation of everything, in seconds, printed."""
    work = workload()
    import assess.expressions  # noqa: F401  # imported before timing: the import is timed on its own

    start = time.perf_counter()
    evaluate_all(work)
    print(time.perf_counter() - start)


def best_wall(args: list[str], repeat: int) -> float:
    """Best wall time of a command, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, env=os.environ.copy(), cwd=HERE)
        best = min(best, time.perf_counter() - start)
    return best


def importtime() -> float:
    """Microseconds `python -X importtime` counts for assess.expressions, cumulative (with what it imports)."""
    p = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import assess.expressions"],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
    )
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s+assess\.expressions$", line)
        if m:
            return float(m.group(1))
    return float("nan")


def main() -> None:
    """Time the evaluator of the tree on sys.path and print a table."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--loop", type=int, default=100_000)
    ap.add_argument("--child", choices=["cold"])
    a = ap.parse_args()
    if a.child:
        child_cold()
        return

    import assess.expressions as ex

    print(f"tree: {Path(ex.__file__).resolve().parent.parent}")
    python = best_wall([sys.executable, "-c", "pass"], a.repeat)
    imported = best_wall([sys.executable, "-c", "import assess.expressions"], a.repeat)
    cumulative = min(importtime() for _ in range(a.repeat))
    count = "import sys; before = len(sys.modules); import assess.expressions; print(len(sys.modules) - before)"
    modules = subprocess.run([sys.executable, "-c", count], capture_output=True, text=True, check=True, cwd=HERE)
    cold = min(
        float(
            subprocess.run(
                [sys.executable, __file__, "--child", "cold"], capture_output=True, text=True, check=True, cwd=HERE
            ).stdout
        )
        for _ in range(a.repeat)
    )
    work = workload()
    n = evaluate_all(work)
    warm = float("inf")
    for _ in range(a.repeat):
        start = time.perf_counter()
        evaluate_all(work)
        warm = min(warm, time.perf_counter() - start)
    compiled = {s: ex.compile_expression(s) for exprs, _ in work for s in exprs}
    size = len(pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
    rule = ex.compile_expression(RULE)
    ns = ex.namespace(
        work[0][1] | {"sf_salaries_unpaid": "yes", "sf_checkpoints": "low", "sf_protection_rackets": "high"}
    )
    assert rule.truth(ns) is True
    loop = float("inf")
    for _ in range(a.repeat):
        start = time.perf_counter()
        for _ in range(a.loop):
            rule.evaluate(ns)
        loop = min(loop, time.perf_counter() - start)

    rows = [
        ("import (wall, python -c pass)", f"{python * 1000:.1f} ms"),
        ("import assess.expressions (wall)", f"{imported * 1000:.1f} ms"),
        ("  -X importtime, cumulative", f"{cumulative / 1000:.1f} ms"),
        ("  modules it loads", modules.stdout.strip()),
        (f"cold: compile + evaluate {n} expressions", f"{cold * 1000:.1f} ms"),
        (f"warm: evaluate {n} expressions", f"{warm * 1000:.2f} ms"),
        (f"pickle of {len(compiled)} compiled expressions", f"{size:,} bytes"),
        ("loop: one typical rule", f"{loop / a.loop * 1e6:.2f} µs"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value:>14}")


if __name__ == "__main__":
    main()
