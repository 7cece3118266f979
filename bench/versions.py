"""Benchmark: assess diff and assess migrate on generated frameworks, each beside its floor in the same run.

A plain script, not a test:

    python bench/versions.py [--sizes 100,1000,10000] [--repeat 5]

For each size, bench/run.py's generator writes a framework and a matching answers file (1.0.0). A second
version (2.0.0) renames one question in ten that no expression names (renamed_from), remaps one option value
of one scale question in twenty (values), and declares it all in its migrations block. It times, best of
--repeat:

- load both: assess.loader.load_framework of the two versions (the floor of a diff: it must read both);
- diff: assess.diff.diff of the two loaded versions;
- answers floor: assess.answers.load_answers + check against 1.0.0 (what opening the file costs);
- migrate: assess.migrate.migrate of the loaded answers to 2.0.0 (every answer checked where it lands).

The goal: diff and migrate each within the time of their floor.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from run import _dump, generate  # the benchmarks' one generator

from assess.answers import check, load_answers
from assess.diff import diff
from assess.loader import load_framework
from assess.migrate import migrate


def _questions(sections: list[dict]) -> list[dict]:
    out: list[dict] = []
    for s in sections:
        out += [q for q in s.get("questions", ()) if isinstance(q, dict)]
        out += _questions(s.get("sections", ()))
    return out


def second_version(path: Path) -> tuple[Path, int, int]:
    """Write version 2.0.0 of the generated framework beside it; return its path, questions renamed, remapped."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", " ".join(re.findall(r"(?:show_if|when|expr): (.*)", text))))
    new = copy.deepcopy(data)
    new["version"] = "2.0.0"
    moves: dict[str, dict] = {}
    renamed = remapped = 0
    for i, q in enumerate(_questions(new["sections"])):
        if q["id"] in named or "rank" in q["id"]:
            continue
        if i % 10 == 0:
            old = q["id"]
            q["id"] = f"{old}_v2"
            moves[q["id"]] = {"renamed_from": old}
            renamed += 1
        elif i % 20 == 1 and q.get("options"):
            first = q["options"][0]
            old_value, first["value"] = first["value"], f"{first['value']}_v2"
            moves[q["id"]] = {"values": [{"from": old_value, "to": first["value"]}]}
            remapped += 1
    new["migrations"] = [{"from": str(data["version"]), "to": "2.0.0", "questions": moves}]
    out = path.with_name(path.stem + "-2.0.0.yaml")
    out.write_text(_dump(new), encoding="utf-8")
    return out, renamed, remapped


def best_of(fn, repeat: int) -> float:
    """The fastest of repeat runs of fn, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(n: int, folder: Path, repeat: int) -> str:
    """One size: generate, make the second version, time diff and migrate beside their floors; the printed row."""
    files = generate(n, folder)
    v2, renamed, remapped = second_version(files["framework"])
    old, _ = load_framework(files["framework"])
    new, _ = load_framework(v2)
    answers, located = load_answers(files["answers"])
    assert not [p for p in check(old, answers, located) if not p.is_warning]
    load_both = best_of(lambda: (load_framework(files["framework"]), load_framework(v2)), repeat)
    took_diff = best_of(lambda: diff(old, new), repeat)
    floor = best_of(lambda: check(old, *load_answers(files["answers"])), repeat)
    moved = migrate(answers, new)
    took_migrate = best_of(lambda: migrate(answers, new), repeat)
    return (f"{n:>9} {renamed:>7} {remapped:>8} {load_both * 1000:>8.1f}ms {took_diff * 1000:>6.1f}ms "
            f"{floor * 1000:>8.1f}ms {took_migrate * 1000:>6.1f}ms {len(moved.moves):>6}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Time diff and migrate beside their floors for each size; print one row per size."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"{'questions':>9} {'renamed':>7} {'remapped':>8} {'load both':>10} {'diff':>8} "
          f"{'ans floor':>10} {'migrate':>8} {'moves':>6}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            print(row(n, Path(tmp), args.repeat), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
