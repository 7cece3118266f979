"""Benchmark: headquarters collection of 1,000 reports and 10,000 answers files, and compare over the store.

A plain script, not a test:

    python bench/collect.py [--reports 1000] [--answers 10000] [--base oc-threat] [--repeat 3] [--keep DIR]

It renders one real report (assess.report.render_report of a bundled example), then derives the other
reports cheaply: the payload is rewritten (new assessment id, mission, period, updated time) and
embedded with assess.report.payload.embed in a copy of the report stripped of its payload, so each
variant is a genuine report with a verified payload, without rendering 1,000 times. The answers files
are the six bundled examples with their id, mission, period and time rewritten.

It times:

- floor: for each report, read_payload(path): unzip, parse the payload part, verify its SHA-256, parse
  the JSON. That is the least collect could do if it trusted the payload.
- recompute floor: the floor, plus what collect must now do since it no longer trusts a payload's result
  (issue 11): the answers the payload carries checked and scored again, the framework loaded once. The goal
  is collect within 2x of this.
- collect reports: assess.collect.collect over the folder of reports, into a new store.
- recollect: the same again (every report unchanged).
  These three are the best of --repeat runs (3), the floor and the collects taking turns, as the machine's
  state (page cache, other work) moves single runs by a third.
- answers floor: yaml.load with the C loader (the bare parse), and load+check+score with each framework
  loaded once (what `assess score` does for each), timed on 1,200 of the files and scaled to all.
- collect answers: collect over the folder of answers files, into the same store.
- compare: assess.collect.compare over the whole store (10,000+ assessments), then the CSV and the Word
  summary. The goal is compare under the time of collecting.

With --summary-only it times the headquarters summary alone (issue 14: the summary of 1,000 assessments in
under 3 s): the reports collected into a new store, then compare, the CSV, the summary's context, its trend
chart and the Word summary in this process (best of --repeat), the imports of matplotlib and docxtpl in a new
interpreter, and `assess compare -o summary.docx --csv summary.csv` as a user runs it, in a new interpreter
with its bytecode written (to a folder of the run's own, PYTHONPYCACHEPREFIX) and reused.

Before timing, the objects that generating left behind are frozen out of the garbage collector (gc.freeze),
as a real `assess collect` process does not carry them. Results are printed as a table and written to
bench/out/collect.json.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from assess.answers import check, load_answers  # noqa: E402
from assess.collect.collect import collect  # noqa: E402
from assess.collect.compare import compare, to_csv  # noqa: E402
from assess.collect.readers import default_jobs  # noqa: E402
from assess.collect.store import Store  # noqa: E402
from assess.collect.summary import render_summary  # noqa: E402
from assess.loader import load_framework  # noqa: E402
from assess.report import read_payload, render_report  # noqa: E402
from assess.report.payload import embed, strip  # noqa: E402
from assess.scoring import score  # noqa: E402

OUT = ROOT / "bench" / "out"
EXAMPLES = ROOT / "frameworks" / "examples"
GOAL_COLLECT = 2.0
GOAL_SUMMARY = 3.0
"""Seconds for the summary of 1,000 assessments (issue 14, item 10)."""
MISSIONS = 50
PERIODS = [f"{y}-H{h}" for y in range(2017, 2027) for h in (1, 2)]


_FRAMEWORKS: dict[str, object] = {}


def _scored(answers_path: Path):
    """load + check + score of an answers file, its framework loaded once (as collect does)."""
    answers, located = load_answers(answers_path)
    fw = _FRAMEWORKS.get(answers.framework.id)
    if fw is None:
        fw = _FRAMEWORKS[answers.framework.id] = load_framework(ROOT / "frameworks" / f"{answers.framework.id}.yaml")[0]
    assert not [p for p in check(fw, answers, located) if not p.is_warning]
    return score(fw, answers)


def variant(payload: dict, i: int) -> dict:
    """The payload of report i: its own assessment id, mission, period and time."""
    p = copy.deepcopy(payload)
    aid = str(uuid.UUID(int=i + 1))
    mission = f"UN Mission {i % MISSIONS:02d} (UNM{i % MISSIONS:02d})"
    period = PERIODS[(i // MISSIONS) % len(PERIODS)]
    updated = f"{period[:4]}-{'06' if period.endswith('1') else '12'}-15T10:{i % 60:02d}:00Z"
    for meta in (p["answers"]["metadata"], p["result"]["assessment"]["metadata"]):
        meta.update(mission=mission, period=period, updated=updated)
    p["answers"]["id"] = p["result"]["assessment"]["id"] = aid
    return p


def make_reports(folder: Path, n: int, base: str, derive=variant, which=None) -> float:
    """Write reports FOLDER/report-NNNNN.docx, one per number in which (default: range(n)), each a genuine report
    of the bundled example base (rendered once) whose payload derive(payload, number) rewrites; the seconds taken.
    (bench/store.py passes its own derive and numbers.)"""
    t = time.perf_counter()
    result = _scored(EXAMPLES / f"{base}.answers.yaml")
    first = folder / "base.docx"
    render_report(result, first)
    payload = read_payload(first)
    bare = folder.parent / "bare.docx"
    strip(first, bare)
    first.unlink()
    for i in range(n) if which is None else which:
        out = folder / f"report-{i:05d}.docx"
        shutil.copyfile(bare, out)
        embed(out, derive(payload, i))
    bare.unlink()
    return time.perf_counter() - t


_ID = re.compile(r"^id: .*$", re.M)
_META = {k: re.compile(rf"^  {k}: .*$", re.M) for k in ("mission", "period", "updated")}


def make_answers(folder: Path, n: int) -> float:
    t = time.perf_counter()
    texts = [(p.name.split(".")[0], p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.answers.yaml"))]
    for i in range(n):
        name, text = texts[i % len(texts)]
        k = i // len(texts)
        period = PERIODS[(k // MISSIONS) % len(PERIODS)]
        text = _ID.sub(f"id: {uuid.UUID(int=10**6 + i)}", text, count=1)
        text = _META["mission"].sub(f"  mission: UN Mission {k % MISSIONS:02d} (UNM{k % MISSIONS:02d})", text, count=1)
        text = _META["period"].sub(f"  period: {period}", text, count=1)
        text = _META["updated"].sub(f"  updated: '{period[:4]}-07-01T00:{i % 60:02d}:00Z'", text, count=1)
        (folder / f"{i:05d}-{name}.answers.yaml").write_text(text, encoding="utf-8")
    return time.perf_counter() - t


def read_all(files: list[Path]) -> None:
    """The floor: each report's payload read and verified, then dropped (collect keeps none either)."""
    for p in files:
        read_payload(p)


def recompute_all(files: list[Path]) -> None:
    """The recompute floor: each payload read, its answers rebuilt, checked and scored (collect must do as much)."""
    from assess.collect.verify import answers_of

    for p in files:
        payload = read_payload(p)
        fid = payload["answers"]["framework"]["id"]
        fw = _FRAMEWORKS.get(fid)
        if fw is None:
            fw = _FRAMEWORKS[fid] = load_framework(ROOT / "frameworks" / f"{fid}.yaml")[0]
        answers = answers_of(payload, fw, str(p))
        assert not [x for x in check(fw, answers) if not x.is_warning]
        score(fw, answers)


def time_cli(argv: list[str], repeat: int, cache: Path) -> tuple[float, float]:
    """Best wall time of `python ARGV` in a new interpreter, as a user runs it: bytecode written (to cache, not
    beside the sources) on a first run and reused (PYTHONDONTWRITEBYTECODE would compile everything each time);
    and the least CPU time (user and system, its own processes included), which other work on a busy machine
    moves less."""
    import resource

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    best = cpu = float("inf")
    for n in range(repeat + 1):  # the first run writes the bytecode
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, check=False)
        dt = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {proc.stderr.decode('utf-8', 'replace')[-2000:]}")
        if n:
            best = min(best, dt)
            cpu = min(cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return best, cpu


def summary_only(args, work: Path, reports: Path, store_path: Path) -> int:
    """Time the summary of the collected reports (see the module's docstring)."""
    from assess.collect.chart import trend_chart
    from assess.collect.summary import build_context

    with Store(store_path) as store:
        t_collect, r = timed(lambda: collect([reports], store, jobs=args.jobs))
        assert r.collected + r.unchanged == args.reports and not r.rejected, r.summary()
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            t, comparison = timed(lambda: compare(store))
            best["compare"] = min(best.get("compare", t), t)
            steps = {
                "CSV": to_csv,
                "context": build_context,
                "trend chart": trend_chart,
                "Word summary (render_summary, chart included)": lambda c: render_summary(c, work / "summary.docx"),
            }
            for name, fn in steps.items():
                t, _ = timed(lambda fn=fn, c=comparison: fn(c))
                best[name] = min(best.get(name, t), t)
    cache = work / "pycache"
    imports = {
        name: time_cli(["-c", f"import {mod}"], args.repeat, cache)[0]
        for name, mod in (("python alone", "sys"), ("import matplotlib.figure", "matplotlib.figure"),
                          ("import docxtpl", "docxtpl"))
    }  # fmt: skip
    cli, cli_cpu = time_cli(
        ["-m", "assess", "compare", "--store", str(store_path), "-o", str(work / "cli.docx"), "--csv",
         str(work / "cli.csv"), "--force"],
        args.repeat,
        cache,
    )  # fmt: skip
    n = len(comparison.assessments)
    rows = [(f"collect {args.reports} reports ({'new store' if r.collected else 'all held already'})", t_collect)]
    rows += [(f"in process: {k}", v) for k, v in best.items()]
    rows += [(f"new interpreter: {k}", v) for k, v in imports.items()]
    rows.append((f"assess compare -o summary.docx --csv (new interpreter, {n} assessments)", cli))
    rows.append(("  its CPU time (user + system, its forked processes included)", cli_cpu))
    print(f"\n{'step':<72} {'seconds':>8}")
    for name, secs in rows:
        print(f"{name:<72} {secs:>8.2f}")
    ok = cli < GOAL_SUMMARY
    verdict = "met" if ok else "NOT met"
    print(f"\ngoal: the summary of {n} assessments under {GOAL_SUMMARY:g} s: {verdict} ({cli:.2f} s)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "summary.json").write_text(
        json.dumps(
            {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "assessments": n,
                "rows": [{"step": k, "seconds": round(v, 4)} for k, v in rows],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


def timed(fn):
    gc.collect()
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--answers", type=int, default=10000)
    ap.add_argument("--base", default="oc-threat", help="the bundled example the reports derive from")
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (and reuse the reports found there)")
    ap.add_argument("--jobs", type=int, default=default_jobs(), help="reader processes for collect (default: per CPU)")
    ap.add_argument("--repeat", type=int, default=3, help="best of N for the floor and the report collects")
    ap.add_argument(
        "--summary-only",
        action="store_true",
        help="time only the HQ summary of the --reports reports (with --keep, the store is kept and reused)",
    )
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="assess-bench-collect-"))
    reports, answers = work / "reports", work / "answers"
    for d in (reports, answers):
        d.mkdir(parents=True, exist_ok=True)
    store_path = work / "hq.sqlite"
    for suffix in ("", "-wal", "-shm") if not args.summary_only else ():  # --summary-only reuses a kept store
        Path(f"{store_path}{suffix}").unlink(missing_ok=True)
    rows = []
    try:
        print(
            f"generating {args.reports} reports from {args.base} and {args.answers} answers files in {work} …",
            file=sys.stderr,
        )
        have = len(list(reports.glob("*.docx")))
        gen_reports = make_reports(reports, args.reports, args.base) if have != args.reports else 0.0
        if args.summary_only:
            gc.collect()
            gc.freeze()
            return summary_only(args, work, reports, store_path)
        for old in answers.glob("*.yaml"):
            old.unlink()
        gen_answers = make_answers(answers, args.answers)
        report_files = sorted(reports.glob("*.docx"))
        answer_files = sorted(answers.glob("*.yaml"))
        # What generating left behind (python-docx, lxml, matplotlib, jinja objects) would make every full
        # garbage collection during the timings slow, as it is not in a real `assess collect` process.
        gc.collect()
        gc.freeze()

        floors, recomputes, collects, agains, serials = [], [], [], [], []

        def fresh_collect(jobs: int) -> float:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{store_path}{suffix}").unlink(missing_ok=True)
            with Store(store_path) as store:
                t, r1 = timed(lambda: collect([reports], store, jobs=jobs))
                assert r1.collected == args.reports and not r1.rejected, r1.summary()
                if jobs == args.jobs:
                    t2, r2 = timed(lambda: collect([reports], store, jobs=jobs))
                    agains.append(t2)
                    assert r2.unchanged == args.reports, r2.summary()
            return t

        for _ in range(args.repeat):  # best of --repeat, the floor and the collects taking turns
            floors.append(timed(lambda: read_all(report_files))[0])
            recomputes.append(timed(lambda: recompute_all(report_files))[0])
            collects.append(fresh_collect(args.jobs))
            serials.append(fresh_collect(1))
        floor, t_collect, t_again, t_serial = min(floors), min(collects), min(agains), min(serials)
        r_floor = min(recomputes)

        sample = answer_files[: min(len(answer_files), 1200)]  # every example, 200 times each

        def c_parse():
            for p in sample:
                yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        if sample:
            _scored(sample[0])
        a_floor, _ = timed(c_parse)
        a_score, _ = timed(lambda: [_scored(p) for p in sample])
        a_floor *= len(answer_files) / max(1, len(sample))
        a_score *= len(answer_files) / max(1, len(sample))
        with Store(store_path) as store:
            t_answers, r3 = timed(lambda: collect([answers], store))
            assert r3.collected == args.answers and not r3.rejected, r3.summary()
            held = store.counts()["assessments"]
            t_compare, comparison = timed(lambda: compare(store))
        t_csv, text = timed(lambda: to_csv(comparison))
        t_docx, _ = timed(lambda: render_summary(comparison, work / "summary.docx"))
        size = store_path.stat().st_size + sum(
            Path(f"{store_path}{s}").stat().st_size for s in ("-wal",) if Path(f"{store_path}{s}").exists()
        )

        n_r, n_a = args.reports, args.answers
        rows = [
            ("generate reports (embed)", gen_reports, n_r, ""),
            ("generate answers files", gen_answers, n_a, ""),
            ("floor: read_payload of each report", floor, n_r, "1.00x"),
            ("recompute floor: read, check and score", r_floor, n_r, f"{r_floor / floor:.2f}x floor"),
            (
                f"collect reports (new store, {args.jobs} readers)",
                t_collect,
                n_r,
                f"{t_collect / r_floor:.2f}x recompute floor",
            ),
            ("collect reports (new store, in-process)", t_serial, n_r, f"{t_serial / r_floor:.2f}x recompute floor"),
            ("collect the same reports again", t_again, n_r, f"{t_again / floor:.2f}x floor"),
            ("answers floor: C-loader YAML parse (est.)", a_floor, n_a, "1.00x"),
            ("answers: load+check+score (est.)", a_score, n_a, f"{a_score / a_floor:.2f}x parse"),
            ("collect answers files", t_answers, n_a, f"{t_answers / max(a_score, 1e-9):.2f}x load+check+score"),
            (f"compare over {held} assessments", t_compare, held, f"{t_compare / t_answers:.3f}x collect"),
            ("  CSV of the comparison", t_csv, len(comparison.score_rows), "rows"),
            ("  Word summary", t_docx, len(comparison.assessments), ""),
        ]
        print(f"\n{'step':<44} {'seconds':>9} {'items':>7} {'ms/item':>9}  ratio")
        for name, secs, n, ratio in rows:
            print(f"{name:<44} {secs:>9.2f} {n:>7} {1000 * secs / max(n, 1):>9.3f}  {ratio}")
        ok_collect = t_collect <= GOAL_COLLECT * r_floor
        ok_compare = t_compare < t_answers and t_compare < t_collect + t_answers
        print(f"\nstore: {size / 1e6:.1f} MB for {held} assessments; {len(text.splitlines()) - 1} CSV rows")
        print(
            f"goal collect within {GOAL_COLLECT:g}x of the recompute floor: {'met' if ok_collect else 'NOT met'} "
            f"({t_collect / r_floor:.2f}x)"
        )
        print(
            f"goal compare under the time of collecting: {'met' if ok_compare else 'NOT met'} "
            f"(compare {t_compare:.2f} s, collect {t_collect + t_answers:.2f} s)"
        )
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "collect.json").write_text(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "cpus": os.cpu_count(),
                    "reports": n_r,
                    "answers": n_a,
                    "base": args.base,
                    "rows": [{"step": s, "seconds": round(t, 4), "items": n, "ratio": r} for s, t, n, r in rows],
                    "store_mb": round(size / 1e6, 1),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
