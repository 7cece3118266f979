"""Benchmark: validate + score of generated frameworks of 100, 1,000 and 10,000 questions.

A plain script, not a test:

    python bench/run.py [--sizes 100,1000,10000] [--repeat N] [--cli-repeat N] [--profile] [--keep DIR]

For each size it generates a realistic framework and a matching answers file into a temporary
directory, checks that both load cleanly with assess (no errors, no warnings), then times:

- bare parse: read the file and yaml.load(text, Loader=yaml.CSafeLoader) (framework, and answers);
- validate: assess.loader.load_framework(path) (read, safe parse, schema, cross-references);
- answers: assess.answers.load_answers(path) + assess.answers.check(fw, answers, located);
- score: assess.scoring.score(fw, answers), run right after a load, as the CLI does;
- total: load_framework + load_answers + check + score, and its ratio to the bare parse of both files;
- the CLI cold, as a user runs it, in a fresh interpreter (`python -m assess validate|score`),
  next to `python -c pass` (the interpreter floor) and `python -c "import assess..."` (imports).

In-process timings are the best of --repeat runs (time.perf_counter). The loader caches compiled
expressions in assess.expressions._cache; it is cleared before every validate and total repeat, so
those include compiling every show_if, derived expression and rule. The score column is timed with
the cache as load_framework leaves it (as in the CLI); 'sc.cold' clears it first. The bare parse is
also timed with the garbage collector off: at 10,000 questions the collector makes the baseline
itself grow faster than the file, which flatters the ratio there.

The built-framework cache in the user's cache folder (see assess.loader.load_framework) is turned off
(ASSESS_NO_CACHE), so that validate is timed doing its work rather than reading its last result.

Results are printed as a table and written to bench/out/results.json. --profile also times the
steps inside load_framework and load_answers (no profiler) and prints a cProfile of load_framework
and score (top 25 by cumulative and by own time) for each size.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import gc
import io
import itertools
import json
import math
import os
import platform
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ["ASSESS_NO_CACHE"] = "1"  # also for the CLI runs below, which inherit the environment
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

import assess.expressions  # noqa: E402
from assess.answers import check, load_answers  # noqa: E402
from assess.errors import AssessError  # noqa: E402
from assess.loader import load_framework  # noqa: E402
from assess.scoring import score  # noqa: E402

OUT = ROOT / "bench" / "out"
GOAL_RATIO = 3.0
GOAL_SIZE = 1000

# ---------------------------------------------------------------------------- generation

TYPE_MIX = [("scale", 35), ("single", 25), ("yesno", 12), ("multiple", 8), ("number", 8), ("text", 7), ("date", 5)]
AGGREGATES = [("mean", 60), ("weighted_mean", 25), ("max", 15)]
WEIGHTS = [1, 2, 0.5, 1.5, 3]
LEAF_SIZE = 12  # questions in a leaf section, roughly
FANOUT = 6  # subsections per section, at most

TOPICS = [
    "arms trafficking",
    "human smuggling",
    "extortion",
    "illegal mining",
    "fuel smuggling",
    "cattle rustling",
    "kidnapping for ransom",
    "drug transit",
    "money laundering",
    "corruption of officials",
    "wildlife crime",
    "illegal logging",
    "counterfeit medicine",
    "cyber fraud",
    "checkpoint taxation",
    "land grabbing",
]
PLACES = [
    "the border districts",
    "the capital",
    "the mining belt",
    "the lake shore",
    "the northern corridor",
    "camps for displaced people",
    "the port",
    "the main trade route",
]
GUIDANCE = [
    "Score what exists in the area during the period, whoever controls it.",
    "Look at mission JMAC and UNPOL products, panel of experts reports and incident data.",
    "Seizure figures measure enforcement as much as the market; read them together with prices and routes.",
    "Where armed groups tax or control the activity, say so in the note and name them.",
    "A score of 1 means absent or negligible; 10 means pervasive, with severe impact on state and society.",
    "Prefer corroborated reporting; single-source claims lower the confidence, not the score.",
    "Count the harm to people as well as the money involved.",
    "If the evidence is contradictory, score the most likely situation and explain the doubt.",
    "Compare with the previous period and note any trend in the justification.",
    "Consult civil-society monitors and local authorities where access allows.",
]
NOTES = [
    "Corroborated by two independent mission products and one external report.",
    "Pattern stable since the previous period; no major change in routes or actors.",
    "Reporting is thin outside the main towns; the score may understate the rural picture.",
    "Armed group taxation documented at three checkpoints on the main road.",
]


def _pick(rng: random.Random, table):
    items, weights = zip(*table, strict=True)
    return rng.choices(items, weights)[0]


class _Dumper(yaml.SafeDumper):
    """yaml.safe_dump, except multi-line text is written as a literal block (as authors write it)."""


_Dumper.add_representer(
    str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None)
)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


class Generator:
    """Builds one framework of about n questions and its answers, deterministically (seeded)."""

    def __init__(self, n: int, seed: int = 20261121):
        self.n = n
        self.rng = random.Random(seed + n)
        self.count = 0
        self.questions: list[dict] = []  # every question spec, in document order
        self.scope_of: dict[str, str | None] = {}  # question id -> repeat section id or None
        self.earlier: dict[str | None, list[dict]] = {}  # per scope: questions a show_if may name
        self.sections: list[tuple[dict, str | None, int]] = []  # (spec, scope, depth)
        self.repeat_id = "armed_groups"

    # ------------------------------------------------------------------ questions
    def question(self, section_id: str, scope: str | None, parent_aggregate: str) -> dict:
        rng = self.rng
        self.count += 1
        qid = f"{section_id}_q{self.count:05d}"
        qtype = _pick(rng, TYPE_MIX)
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        q: dict = {"id": qid}
        if qtype == "scale":
            q["text"] = f"How pervasive and harmful is {topic} in {place}?"
        elif qtype == "single":
            q["text"] = f"What level of state involvement is there in {topic} in {place}?"
        elif qtype == "yesno":
            q["text"] = f"Do armed groups profit from {topic} in {place}?"
        elif qtype == "multiple":
            q["text"] = f"Which actors take part in {topic} in {place}?"
        elif qtype == "number":
            q["text"] = f"How many incidents of {topic} were recorded in {place} during the period?"
        elif qtype == "text":
            q["text"] = f"Describe the main networks behind {topic} in {place}."
        else:
            q["text"] = f"When was the last major operation against {topic} in {place}?"
        q["type"] = qtype
        if qtype == "scale":
            q["scale"] = "half10"
        elif qtype == "single":
            q["scale"] = "level5"
        elif qtype == "multiple":
            q["options"] = [
                {"value": "armed_groups", "label": "Armed groups", "score": 3},
                {"value": "officials", "label": "State officials", "score": 3},
                {"value": "business", "label": "Local business", "score": 2},
                {"value": "foreign", "label": "Foreign networks", "score": 2},
                {"value": "community", "label": "Community leaders", "score": 1},
            ]
            q["multiple_score"] = rng.choice(["sum", "max", "mean"])
            if rng.random() < 0.5:
                q["max_choices"] = 3
        elif qtype == "number":
            q["min"] = 0
            q["max"] = rng.choice([100, 500, 1000])
            q["unit"] = "incidents"
            if rng.random() < 0.5:
                q["scored"] = True
        q["guidance"] = "\n".join(rng.sample(GUIDANCE, rng.randint(3, 5))) + "\n"
        if parent_aggregate == "weighted_mean" and rng.random() < 0.6 and self._scored(q):
            q["weight"] = rng.choice(WEIGHTS)
        if qtype in ("text", "date"):
            q["confidence"] = False
            q["evidence"] = "none"
        if rng.random() < 0.1:
            q["allow_na"] = True
        cond = self.condition(scope)
        if cond:
            q["show_if"] = cond
        self.questions.append(q)
        self.scope_of[qid] = scope
        if qtype in ("scale", "single", "yesno", "number"):
            self.earlier.setdefault(scope, []).append(q)
        return q

    @staticmethod
    def _scored(q: dict) -> bool:
        return q["type"] in ("scale", "single", "yesno", "multiple") or bool(q.get("scored"))

    def condition(self, scope: str | None) -> str | None:
        """About 8% of questions are shown only when an earlier answer in their scope says so."""
        pool = self.earlier.get(scope) or []
        if len(pool) < 3 or self.rng.random() >= 0.08:
            return None
        ref = self.rng.choice(pool[-40:])
        return _cond_on(ref, self.rng)

    # ------------------------------------------------------------------ sections
    def section(self, sid: str, title: str, nq: int, depth: int, scope: str | None, parent_aggregate: str) -> dict:
        rng = self.rng
        agg = _pick(rng, AGGREGATES)
        s: dict = {
            "id": sid,
            "title": title,
            "description": f"Covers {title.lower()}: markets, actors and their impact on the mission area.",
            "guidance": "Answer every question from the evidence of the period.\n"
            "Use the note to justify the score and name the sources.\n",
            "aggregate": agg,
            "normalize": True,
        }
        if parent_aggregate == "weighted_mean" and rng.random() < 0.6:
            s["weight"] = rng.choice(WEIGHTS)
        if depth >= 2 and scope is None and rng.random() < 0.1:
            pool = [q for q in self.earlier.get(None, []) if q["type"] == "yesno"]
            if pool:
                s["show_if"] = _cond_on(rng.choice(pool[-40:]), rng)
        self.sections.append((s, scope, depth))
        if nq <= LEAF_SIZE + 3 or depth >= 5:
            s["questions"] = [self.question(sid, scope, agg) for _ in range(nq)]
            return s
        own = min(2, nq // 10)
        if own:
            s["questions"] = [self.question(sid, scope, agg) for _ in range(own)]
        rest = nq - own
        k = max(2, min(FANOUT, math.ceil(rest / LEAF_SIZE)))
        sizes = [rest // k + (1 if i < rest % k else 0) for i in range(k)]
        s["sections"] = [
            self.section(f"{sid}_{i + 1}", f"{title}, part {i + 1}", size, depth + 1, scope, agg)
            for i, size in enumerate(sizes)
        ]
        return s

    def framework(self) -> dict:
        n = self.n
        n_repeat = max(5, round(n * 0.05))
        n_global = n - n_repeat
        n_top = 3 + int(math.log10(n))
        names = [
            "Criminal markets",
            "Criminal actors",
            "State response",
            "Resilience",
            "Conflict economy",
            "Governance",
            "Borders and flows",
            "Financial flows",
            "Community impact",
            "Protection",
        ]
        tops = []
        sizes = [n_global // n_top + (1 if i < n_global % n_top else 0) for i in range(n_top)]
        for i, size in enumerate(sizes):
            tops.append(self.section(f"s{i + 1}", names[i % len(names)], size, 1, None, "mean"))
        tops[n_top // 2]["direction"] = "resilience"
        rep = self.section(self.repeat_id, "Armed groups", n_repeat, 1, self.repeat_id, "mean")
        rep["repeat"] = {"label": "group", "rank_by": self.repeat_id}
        rep["description"] = "One block per armed group active in the area."
        rep.pop("show_if", None)
        tops.insert(1, rep)
        assert self.count == n, (self.count, n)
        top_ids = [t["id"] for t in tops if t["id"] != self.repeat_id]
        derived = [
            {
                "id": "criminality",
                "title": "Criminality",
                "expr": f"mean({top_ids[0]}, {top_ids[1]})",
                "description": "Mean of the markets and actors scores.",
            },
            {
                "id": "balance",
                "title": "Criminality–resilience balance",
                "expr": f"criminality - {top_ids[n_top // 2]}",
                "rating": "gap",
                "range": [-1, 1],
            },
            {"id": "overall", "title": "Overall threat", "expr": f"max(criminality, {self.repeat_id})"},
        ]
        return {
            "id": f"bench-{n}",
            "version": "1.0.0",
            "title": f"Benchmark framework of {n} questions",
            "description": "Generated by bench/run.py.\nRealistic in shape, not in content.\n",
            "authors": ["bench/run.py"],
            "changelog": [{"version": "1.0.0", "date": "2026-11-21", "changes": ["Generated."]}],
            "references": [
                {"id": "unu_cpr_2024", "title": "Multilateral responses to organized crime", "year": 2024},
                {"id": "nupi_brief", "title": "Preventing organized crime", "year": 2020},
            ],
            "precision": 2,
            "grading": "4x4",
            "direction": "threat",
            "rating": "level",
            "policy": {"unanswered": "exclude", "not_applicable": "exclude", "unknown": "exclude"},
            "confidence": {"scale": "conf10", "low": 4},
            "defaults": {"required": False, "confidence": True, "evidence": "recommended", "allow_na": False},
            "scales": {
                "half10": {
                    "title": "Score, 1 to 10 in half points",
                    "description": "1 = absent or negligible, 10 = pervasive.\nHalf points allowed.\n",
                    "range": {"min": 1, "max": 10, "step": 0.5},
                    "labels": {"1": "Absent", "5": "Significant", "10": "Pervasive"},
                    "unknown": True,
                },
                "level5": {
                    "title": "Level",
                    "options": [
                        {"value": "none", "label": "None", "score": 0},
                        {"value": "low", "label": "Low", "score": 1},
                        {"value": "medium", "label": "Medium", "score": 2},
                        {"value": "high", "label": "High", "score": 3},
                        {
                            "value": "unknown",
                            "label": "Unknown",
                            "unknown": True,
                            "description": "Not known: an intelligence gap.",
                        },
                    ],
                },
                "conf10": {
                    "title": "Confidence, 1 to 10",
                    "range": {"min": 1, "max": 10, "step": 1},
                    "labels": {"1": "Very low", "4": "Low", "7": "Good", "10": "Very high"},
                },
            },
            "ratings": {
                "level": {
                    "title": "Level",
                    "bands": [
                        {"min": 0, "max": 0.25, "label": "Low", "colour": "#4A90C8"},
                        {"min": 0.25, "max": 0.5, "label": "Moderate", "colour": "#ABD9E9"},
                        {"min": 0.5, "max": 0.75, "label": "High", "colour": "#FDAE61"},
                        {"min": 0.75, "max": 1, "label": "Very high", "colour": "#E8605A"},
                    ],
                },
                "gap": {
                    "title": "Balance",
                    "bands": [
                        {"min": -1, "max": -0.25, "label": "Resilience outweighs", "colour": "#4A90C8"},
                        {"min": -0.25, "max": 0.25, "label": "Balanced", "colour": "#FFFFBF"},
                        {"min": 0.25, "max": 1, "label": "Criminality outpaces", "colour": "#E8605A"},
                    ],
                },
            },
            "sections": tops,
            "derived": derived,
            "rules": self.rules(top_ids),
        }

    def rules(self, top_ids: list[str]) -> list[dict]:
        rng = self.rng
        n_rules = max(2, round(self.n / 50))
        glob = self.earlier.get(None, [])
        local = self.earlier.get(self.repeat_id, [])
        gsecs = [s["id"] for s, scope, _ in self.sections if scope is None]
        lsecs = [s["id"] for s, scope, _ in self.sections if scope == self.repeat_id and s["id"] != self.repeat_id]
        out = []
        for i in range(n_rules):
            scoped = i % 5 == 1  # one rule in five is evaluated per armed group
            if scoped:
                parts = [_cond_on(rng.choice(local), rng, strong=True)] if local else []
                if not parts or rng.random() < 0.5:
                    parts.append(f"{rng.choice(lsecs or [self.repeat_id])} >= 0.6")
                when = " or ".join(parts)
            else:
                kind = rng.random()
                if kind < 0.2:
                    when = f"criminality >= 0.6 and {rng.choice(top_ids)} < 0.4"
                else:
                    parts = [f"{rng.choice(gsecs)} >= 0.7", _cond_on(rng.choice(glob), rng, strong=True)]
                    when = f"{parts[0]} {rng.choice(['and', 'or'])} {parts[1]}"
            r = {
                "id": f"rule_{i + 1:04d}",
                "when": when,
                "priority": rng.choice(["critical", "high", "medium", "low"]),
                "finding": ("{entity} " if scoped else "") + "shows a weak finding that calls for action.",
                "action": "Raise it with the mission leadership and task the relevant component.",
                "reference": "UNU-CPR (2024), recommendation 3",
                "source": rng.choice(["unu_cpr_2024", "nupi_brief"]),
            }
            if scoped:
                r["scope"] = self.repeat_id
            out.append(r)
        return out

    # ------------------------------------------------------------------ answers
    def answer(self, q: dict) -> dict:
        rng = self.rng
        t = q["type"]
        if t == "scale":
            # 'unknown' only where no condition compares the answer with a number (it would not compare)
            v = "unknown" if rng.random() < 0.04 and not q.get("_named") else rng.randint(2, 20) / 2
            v = int(v) if isinstance(v, float) and v.is_integer() else v
        elif t == "single":
            v = rng.choice(["none", "low", "medium", "high", "high", "unknown"])
        elif t == "yesno":
            v = rng.choice(["yes", "no"])
        elif t == "multiple":
            k = rng.randint(1, q.get("max_choices", 5))
            v = rng.sample([o["value"] for o in q["options"]], k)
        elif t == "number":
            v = rng.randint(0, q["max"])
        elif t == "text":
            v = f"{rng.choice(NOTES)} Main hub: {rng.choice(PLACES)}."
        else:
            v = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        a: dict = {"value": v}
        if q.get("confidence", True):
            a["confidence"] = rng.randint(2, 10)
        if q.get("evidence", "recommended") != "none" or rng.random() < 0.3:
            a["sources"] = [
                {
                    "ref": f"JMAC monthly brief {rng.randint(1, 12)}/2026, para {rng.randint(1, 60)}",
                    "reliability": "B",
                    "credibility": 2,
                }
            ]
        a["note"] = rng.choice(NOTES)
        return a

    def answers(self) -> dict:
        rng = self.rng
        glob = {
            q["id"]: self.answer(q) for q in self.questions if self.scope_of[q["id"]] is None and rng.random() < 0.9
        }
        local = [q for q in self.questions if self.scope_of[q["id"]] == self.repeat_id]
        blocks = []
        for i, name in enumerate(
            [
                "Union des forces libres",
                "Tesmeno Brotherhood",
                "Lake Ardel militia",
                "Northern Defence Front",
                "Kolvar smuggling network",
            ]
        ):
            blocks.append(
                {
                    "id": f"g{i + 1}",
                    "name": name,
                    "answers": {q["id"]: self.answer(q) for q in local if rng.random() < 0.9},
                }
            )
        return {
            "format": "assess-answers/1",
            "id": f"bench-{self.n}-answers",
            "framework": {"id": f"bench-{self.n}", "version": "1.0.0"},
            "metadata": {
                "title": f"Benchmark assessment, {self.n} questions",
                "mission": "UNIMVA",
                "period": "2026-H2",
                "analyst": "bench/run.py",
                "marking": "UN RESTRICTED",
            },
            "answers": glob,
            "entities": {self.repeat_id: blocks},
        }


def _cond_on(q: dict, rng: random.Random, strong: bool = False) -> str:
    """A condition on an earlier question's answer (marks it, so that its answers stay comparable)."""
    q["_named"] = True
    t = q["type"]
    if t == "yesno":
        return f"{q['id']} == 'yes'"
    if t == "single":
        return f"{q['id']} == 'high'" if strong else f"{q['id']} != 'none'"
    if t == "number":
        return f"{q['id']} > {q['max'] // 2}"
    return f"{q['id']} >= {rng.choice([7, 7.5, 8]) if strong else rng.choice([3, 4, 5])}"


def generate(n: int, folder: Path) -> dict:
    """Write bench-<n>.yaml and bench-<n>.answers.yaml; return their paths and shape."""
    g = Generator(n)
    fw = g.framework()
    ans = g.answers()
    for q in g.questions:
        q.pop("_named", None)
    fw_path = folder / f"bench-{n}.yaml"
    ans_path = folder / f"bench-{n}.answers.yaml"
    fw_path.write_text(f"# Generated by bench/run.py: {n} questions.\n" + _dump(fw), encoding="utf-8")
    ans_path.write_text(_dump(ans), encoding="utf-8")
    types: dict[str, int] = {}
    for q in g.questions:
        types[q["type"]] = types.get(q["type"], 0) + 1
    n_local = sum(1 for s in g.scope_of.values() if s)
    return {
        "framework": fw_path,
        "answers": ans_path,
        "shape": {
            "questions": len(g.questions),
            "sections": len(g.sections),
            "depth": max(d for _, _, d in g.sections),
            "repeat_questions": n_local,
            "blocks": len(ans["entities"][g.repeat_id]),
            "show_if": sum(1 for q in g.questions if "show_if" in q)
            + sum(1 for s, _, _ in g.sections if "show_if" in s),
            "rules": len(fw["rules"]),
            "scoped_rules": sum(1 for r in fw["rules"] if "scope" in r),
            "derived": len(fw["derived"]),
            "answered": len(ans["answers"]) + sum(len(b["answers"]) for b in ans["entities"][g.repeat_id]),
            "answer_slots": (n - n_local) + n_local * len(ans["entities"][g.repeat_id]),
            "types": types,
        },
    }


def verify(files: dict) -> None:
    """Both files must load with no problem at all, and score; fail loudly otherwise."""
    try:
        fw, warnings = load_framework(files["framework"])
        answers, located = load_answers(files["answers"])
    except AssessError as exc:
        sys.exit("generated files do not load:\n" + "\n".join(map(str, exc.problems[:20])))
    problems = check(fw, answers, located)
    if warnings or problems:
        sys.exit("generated files are not clean:\n" + "\n".join(map(str, (list(warnings) + problems)[:20])))
    if len(fw.questions) != files["shape"]["questions"]:
        sys.exit(f"expected {files['shape']['questions']} questions, the loader found {len(fw.questions)}")
    result = score(fw, answers)
    if result.warnings:
        sys.exit("scoring warned:\n" + "\n".join(map(str, result.warnings[:20])))
    empty = [k for k, d in result.derived.items() if d.value is None]
    if empty:
        sys.exit("a derived score came out empty: " + ", ".join(empty))
    files["shape"].update(
        fired=len(result.recommendations),
        hidden=result.coverage["hidden"],
        gaps=len(result.gaps),
        ranked=sum(len(v) for v in result.rankings.values()),
    )


# ---------------------------------------------------------------------------- timing


def best_of(fn, repeat: int, setup=None) -> float:
    """Best wall time of fn() in seconds over repeat runs; setup() runs untimed before each."""
    best = math.inf
    for _ in range(repeat):
        if setup:
            setup()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def clear_cache() -> None:
    assess.expressions._cache.clear()


def bare_parse(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def total(files) -> None:
    fw, _ = load_framework(files["framework"])
    answers, located = load_answers(files["answers"])
    check(fw, answers, located)
    score(fw, answers)


def time_cli(argv: list[str], repeat: int) -> float:
    """Best wall time of `python ARGV` in a new interpreter, as a user runs it: bytecode written and reused (a
    PYTHONDONTWRITEBYTECODE in the environment would make every run compile assess from source)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, *argv], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({proc.returncode}):\n{proc.stderr.decode()[:2000]}")
        best = min(best, dt)
    return best


def measure(files: dict, repeat: int, cli_repeat: int) -> dict:
    """Seconds for each step, best of repeat (CLI: best of cli_repeat)."""
    fwp, ap = files["framework"], files["answers"]
    t: dict[str, float] = {}
    t["parse_fw"] = best_of(lambda: bare_parse(fwp), repeat)
    t["parse_answers"] = best_of(lambda: bare_parse(ap), repeat)
    t["validate"] = best_of(lambda: load_framework(fwp), repeat, setup=clear_cache)
    clear_cache()
    fw, _ = load_framework(fwp)

    def answers_step():
        answers, located = load_answers(ap)
        check(fw, answers, located)

    t["answers"] = best_of(answers_step, repeat)
    answers, _ = load_answers(ap)
    t["score"] = best_of(lambda: score(fw, answers), repeat)  # the cache as load_framework left it
    t["score_cold"] = best_of(lambda: score(fw, answers), repeat, setup=clear_cache)
    t["total"] = best_of(lambda: total(files), repeat, setup=clear_cache)
    # the baseline itself: how much of the bare parse is the garbage collector (it grows faster than the file)
    t["parse_fw_nogc"] = best_of(_nogc(lambda: bare_parse(fwp)), repeat)
    t["parse_answers_nogc"] = best_of(_nogc(lambda: bare_parse(ap)), repeat)
    if cli_repeat:
        t["cli_validate"] = time_cli(["-m", "assess", "validate", str(fwp)], cli_repeat)
        t["cli_score"] = time_cli(
            ["-m", "assess", "score", str(ap), "--framework", str(fwp), "--format", "json"], cli_repeat
        )
    return t


def _nogc(fn):
    def run():
        gc.disable()
        try:
            fn()
        finally:
            gc.enable()

    return run


def floors(cli_repeat: int) -> dict:
    """Wall ms of a bare interpreter and of importing assess, in fresh interpreters."""
    if not cli_repeat:
        return {}
    return {
        "python_pass": time_cli(["-c", "pass"], cli_repeat) * 1000,
        "imports": time_cli(
            ["-c", "import assess.cli, assess.loader, assess.answers, assess.scoring, assess.output"], cli_repeat
        )
        * 1000,
    }


def _expressions(data: dict) -> set[str]:
    out: set[str] = set()
    todo = list(data.get("sections", []))
    while todo:
        s = todo.pop()
        out.update(x["show_if"] for x in [s, *s.get("questions", [])] if "show_if" in x)
        todo.extend(s.get("sections", []))
    out.update(x["expr"] for x in data.get("derived", []))
    out.update(x["when"] for x in data.get("rules", []))
    return out


def stages(files: dict, repeat: int) -> dict:
    """Milliseconds of the steps inside load_framework and load_answers, without profiler overhead.

    Uses assess internals (yamlsafe, schema, builder.build_model); best effort, as they may change.
    """
    from assess import loader, schema, yamlsafe
    from assess.builder import build_model
    from assess.expressions import compile_expression

    out: dict[str, float | str] = {}
    try:
        for kind, path, schema_name in (
            ("framework", files["framework"], "framework.schema.json"),
            ("answers", files["answers"], "answers.schema.json"),
        ):
            out[f"{kind}: read_text"] = best_of(lambda p=path: yamlsafe.read_text(p), repeat) * 1000
            text = yamlsafe.read_text(path)
            out[f"{kind}: yamlsafe.parse (events + positions)"] = (
                best_of(lambda t=text, p=path: yamlsafe.parse(t, str(p)), repeat) * 1000
            )
            loc = yamlsafe.parse(text, str(path))
            out[f"{kind}: schema.check"] = best_of(lambda lo=loc, n=schema_name: schema.check(lo, n), repeat) * 1000
            if kind == "framework":
                out["framework: builder.build_model, cold expression cache"] = (
                    best_of(lambda lo=loc: build_model(lo), repeat, setup=clear_cache) * 1000
                )
                out["framework: builder.build_model, warm expression cache"] = (
                    best_of(lambda lo=loc: build_model(lo), repeat) * 1000
                )
                exprs = _expressions(loc.data)

                def compile_all(exprs=exprs):
                    for e in exprs:
                        compile_expression(e)

                out[f"framework: compile_expression x {len(exprs)} distinct, cold"] = (
                    best_of(compile_all, repeat, setup=clear_cache) * 1000
                )
                out["framework: content_hash"] = best_of(lambda lo=loc: loader.content_hash(lo.data), repeat) * 1000
    except Exception as exc:  # internals moved: say so, keep the rest of the report
        out["unavailable"] = f"{type(exc).__name__}: {exc}"
    return out


def profile(files: dict, top: int = 25) -> str:
    """cProfile of load_framework (cold expression cache) and of score, by cumulative and own time."""
    out = io.StringIO()
    clear_cache()
    load_framework(files["framework"])  # warm imports and the schema validator, as a second file would
    answers, _ = load_answers(files["answers"])
    for label in ("load_framework", "score"):
        clear_cache()
        if label == "score":
            fw, _ = load_framework(files["framework"])  # leaves the cache warm, as in the CLI

            def fn(fw=fw):
                score(fw, answers)
        else:

            def fn():
                load_framework(files["framework"])

        prof = cProfile.Profile()
        prof.enable()
        fn()
        prof.disable()
        for order in ("cumulative", "tottime"):
            out.write(f"\n===== {label}, {files['shape']['questions']} questions, sorted by {order} =====\n")
            pstats.Stats(prof, stream=out).strip_dirs().sort_stats(order).print_stats(top)
    return out.getvalue()


# ---------------------------------------------------------------------------- report


COLUMNS = [  # key, header, width
    ("parse_fw", "parse fw", 9),
    ("parse_answers", "parse ans", 9),
    ("validate", "validate", 9),
    ("answers", "ans+check", 9),
    ("score", "score", 8),
    ("score_cold", "sc.cold", 8),
    ("total", "total", 9),
    ("ratio", "ratio", 6),
    ("cli_validate", "cli val", 8),
    ("cli_score", "cli score", 9),
]
PER_QUESTION = [
    ("parse_fw", "parse fw"),
    ("parse_answers", "parse ans"),
    ("validate", "validate"),
    ("answers", "ans+check"),
    ("score", "score"),
    ("score_cold", "sc.cold"),
    ("total", "total"),
    ("parse_fw_nogc", "parse fw*"),
    ("parse_answers_nogc", "parse ans*"),
]


def _cell(row, key, w):
    if key == "ratio":
        return f"{row['ratio']:>{w - 1}.2f}x"
    if key not in row["ms"]:
        return f"{'-':>{w}}"
    return f"{row['ms'][key]:>{w}.1f}"


def report(rows: list[dict], base: dict, repeat: int, cli_repeat: int) -> str:
    lines = [
        f"assess benchmark — Python {platform.python_version()} ({sys.executable}), "
        f"PyYAML {yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'NO'}), {platform.machine()}",
        f"in-process: best of {repeat}; CLI: best of {cli_repeat} (wall, fresh interpreter). Times in ms.",
        "The expression cache (assess.expressions._cache) is cleared before each validate, sc.cold and total repeat;",
        "'score' runs with the cache as load_framework leaves it (as in the CLI).",
        "ratio = total (load_framework + load_answers + check + score) / (bare CSafeLoader parse of framework + "
        "answers).",
        "",
    ]
    head = f"{'size':>6} {'questions':>9} {'fw KB':>7} {'ans KB':>7} " + " ".join(f"{h:>{w}}" for _, h, w in COLUMNS)
    lines += [head, "-" * len(head)]
    for r in rows:
        lines.append(
            f"{r['size']:>6} {r['questions']:>9} {r['fw_kb']:>7.0f} {r['answers_kb']:>7.0f} "
            + " ".join(_cell(r, k, w) for k, _, w in COLUMNS)
        )
    if base:
        lines.append(
            f"interpreter floor: python -c pass {base['python_pass']:.1f} ms; "
            f"importing assess (cli, loader, answers, scoring, output) "
            f"{base['imports']:.1f} ms"
        )
    lines += [
        "",
        "per question (µs): linear cost means a flat column across sizes "
        "(* = bare parse with the garbage collector off)",
        "",
    ]
    head = f"{'size':>6} " + " ".join(f"{h:>10}" for _, h in PER_QUESTION)
    lines += [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['size']:>6} " + " ".join(f"{r['us_per_question'][k]:>10.1f}" for k, _ in PER_QUESTION))
    lines.append("")
    for r in rows:
        s = r["shape"]
        lines.append(
            f"shape {r['size']}: {s['sections']} sections (depth {s['depth']}), {s['repeat_questions']} "
            f"questions in a repeatable section x {s['blocks']} blocks, {s['show_if']} show_if, "
            f"{s['derived']} derived, {s['rules']} rules ({s['scoped_rules']} scoped); "
            f"{s['answered']} of {s['answer_slots']} answer slots filled; scoring: {s['hidden']} hidden, "
            f"{s['fired']} recommendations, {s['gaps']} gaps; types "
            + ", ".join(f"{k} {v}" for k, v in sorted(s["types"].items()))
        )
    goal = next((r for r in rows if r["size"] == GOAL_SIZE), None)
    if goal:
        ok = goal["ratio"] <= GOAL_RATIO
        lines.append(
            f"\ngoal: validate + score of {GOAL_SIZE} questions within {GOAL_RATIO:g}x the bare parse: "
            f"{goal['ratio']:.2f}x — {'MET' if ok else 'NOT MET'}"
        )
    for a, b in itertools.pairwise(rows):
        growth = {
            k: b["us_per_question"][k] / a["us_per_question"][k] for k in ("validate", "answers", "score", "total")
        }
        lines.append(
            f"linearity {a['size']} -> {b['size']}: per-question cost x"
            + ", ".join(f"{v:.2f} {k}" for k, v in growth.items())
            + " (1.00 = linear)"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="question counts, comma-separated")
    ap.add_argument("--repeat", type=int, default=5, help="in-process repeats; the best counts (default 5)")
    ap.add_argument("--cli-repeat", type=int, default=3, help="CLI repeats, 0 to skip the CLI (default 3)")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="also time the steps inside load_framework and print a cProfile of load_framework and score",
    )
    ap.add_argument("--profile-top", type=int, default=25)
    ap.add_argument("--keep", metavar="DIR", help="write the generated files to DIR and keep them")
    ap.add_argument("--json", metavar="FILE", default=str(OUT / "results.json"), help="where to write the results")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    if any(n < 20 for n in sizes):
        ap.error("sizes must be at least 20 questions")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    rows, profiles = [], {}
    with tempfile.TemporaryDirectory(prefix="assess-bench-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in sizes:
            files = generate(n, folder)
            verify(files)
            print(
                f"size {n}: generated and verified ({files['framework'].stat().st_size / 1024:.0f} KB); timing...",
                file=sys.stderr,
                flush=True,
            )
            t = measure(files, args.repeat, args.cli_repeat)
            nq = files["shape"]["questions"]
            row = {
                "size": n,
                "questions": nq,
                "fw_kb": files["framework"].stat().st_size / 1024,
                "answers_kb": files["answers"].stat().st_size / 1024,
                "ratio": t["total"] / (t["parse_fw"] + t["parse_answers"]),
                "ratio_vs_nogc_parse": t["total"] / (t["parse_fw_nogc"] + t["parse_answers_nogc"]),
                "ms": {k: v * 1000 for k, v in t.items()},
                "us_per_question": {k: v * 1e6 / nq for k, v in t.items()},
                "shape": files["shape"],
            }
            if args.profile:
                row["stages_ms"] = stages(files, args.repeat)
                profiles[n] = profile(files, args.profile_top)
            rows.append(row)
        base = floors(args.cli_repeat)
    print(report(rows, base, args.repeat, args.cli_repeat))
    for r in rows:
        if "stages_ms" in r:
            print(
                f"\nsteps inside load_framework / load_answers, {r['size']} questions (ms, best of {args.repeat}, "
                "no profiler):"
            )
            for k, v in r["stages_ms"].items():
                print(f"  {k:<62} {v:>9.1f}" if isinstance(v, float) else f"  {k}: {v}")
    for n, text in profiles.items():
        print(f"\n\n######## cProfile, {n} questions ########{text}")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "executable": sys.executable,
                "pyyaml": yaml.__version__,
                "libyaml": bool(yaml.__with_libyaml__),
                "machine": platform.machine(),
                "repeat": args.repeat,
                "cli_repeat": args.cli_repeat,
                "expression_cache": "cleared before each validate, score_cold and total repeat; score runs warm",
                "goal": {"size": GOAL_SIZE, "max_ratio": GOAL_RATIO},
                "floors_ms": base,
                "results": rows,
            },
            indent=2,
            default=str,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
