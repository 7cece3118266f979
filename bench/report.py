"""Benchmark of issue 14, item 10: the report of the largest example beside pandoc writing a .docx of the same content.

A plain script, not a test:

    python bench/report.py [--example NAME | --all] [--repeat 5] [--keep DIR]

Without --example it renders every bundled example once and picks the largest (the most text in word/document.xml);
--all times each of the six. For each example it measures, in this order on the same machine:

- `assess report X -o out.docx` in a new interpreter, as a user runs it: wall time, best of --repeat, with the CPU
  time of the process and of its children (resource.getrusage(RUSAGE_CHILDREN): the forked renderer included);
- the steps inside one report, in a fresh interpreter of their own (the imports are a step each): scoring, the
  context, each picture, the forked rendering (split into docxtpl's load, the Jinja rendering, pictures, matrices,
  the Word finish and the save, timed inside the child, and the fork and pipe around it), and the embedded payload;
- the imports of matplotlib.pyplot, PIL, docx, jinja2 and docxtpl apart, each in a fresh interpreter (docxtpl
  imports docx and jinja2: the row 'all report libraries' is the import cost of a report, counted once), and the
  interpreter's exit after them (its last garbage collections), plain and with the objects frozen at exit as
  assess.cli does;
- pandoc (when installed) writing a .docx from the same content as Markdown: the rendered .docx read back with
  python-docx, headings as '#', paragraphs, tables as pipe tables, pictures as links to the PNGs taken out of it.

PYTHONDONTWRITEBYTECODE is removed from the children's environment (as bench/run.py does): with it, every import of
every run compiles from source, which no user sees. The built-framework cache (assess.loader) is left as a user's
second run finds it. The load average is printed beside the figures: on a shared machine wall time follows the load,
CPU time much less so, so read the CPU column first.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "frameworks" / "examples"
PY = ROOT / ".venv" / "bin" / "python"
PYTHON = str(PY if PY.exists() else Path(sys.executable))
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
LIBRARIES = {
    "python (bare interpreter)": "pass",
    "matplotlib.pyplot": "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot",
    "PIL.Image": "import PIL.Image",
    "docx": "import docx",
    "jinja2 (+ sandbox)": "import jinja2, jinja2.sandbox",
    "docxtpl (docx, jinja2, docxcompose)": "import docxtpl",
    "all report libraries": "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot, PIL.Image, docxtpl,"
    " jinja2.sandbox",
}
FREEZE = "; import atexit, gc; atexit.register(gc.freeze)"


def children_cpu() -> float:
    """User + system CPU seconds of every child waited for so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_timed(cmd: list[str], repeat: int, **kw) -> tuple[float, float]:
    """Best wall time and best CPU time (own + children) of repeat runs of cmd, in seconds."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu, started = children_cpu(), time.perf_counter()
        subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, **kw)
        walls.append(time.perf_counter() - started)
        cpus.append(children_cpu() - cpu)
    return min(walls), min(cpus)


def import_cost(code: str, repeat: int) -> tuple[float, float]:
    """Wall and CPU seconds of code in a fresh interpreter, interpreter start-up excluded (best of repeat)."""
    probe = (
        "import time, resource\n"
        "t = time.perf_counter(); c = time.process_time()\n"
        f"{code}\n"
        "print(time.perf_counter() - t, time.process_time() - c)"
    )
    walls, cpus = [], []
    for _ in range(repeat):
        out = subprocess.run([PYTHON, "-c", probe], check=True, env=ENV, capture_output=True, text=True).stdout
        wall, cpu = (float(x) for x in out.split())
        walls.append(wall)
        cpus.append(cpu)
    return min(walls), min(cpus)


# ---- the steps of one report, run in a fresh interpreter by `bench/report.py --steps ANSWERS OUT` ----------


def steps(answers: str, out: str) -> None:
    """Time each step of one report in this (fresh) interpreter and print them as JSON lines (wall, cpu)."""
    sys.path.insert(0, str(ROOT))
    rows: list[tuple[str, float, float]] = []

    def timed(name: str, fn, *args):
        c, t = time.process_time(), time.perf_counter()
        value = fn(*args)
        rows.append((name, time.perf_counter() - t, time.process_time() - c))
        return value

    def imp(code: str):
        exec(code, {})

    timed("import assess (cli, pipeline, report)", imp, "import assess.cli, assess.pipeline, assess.report")
    from assess.pipeline import score_file
    from assess.report import context as context_mod
    from assess.report import payload, render, word

    result = timed("open + score the answers", lambda: score_file(answers).result)
    context, _ = timed("build the context", context_mod.build_context, result, answers)
    timed("import matplotlib.pyplot + PIL", imp, LIBRARIES["matplotlib.pyplot"] + ", PIL.Image")
    from assess.report.charts import scores_chart
    from assess.report.heatmaps import heatmap_chart
    from assess.report.quadrant import quadrant_chart

    images: dict[str, bytes] = {}
    for key, fn in (("chart", scores_chart), ("quadrant", quadrant_chart)):
        picture = timed(f"picture: {key}", fn, result)
        if picture:
            images[key] = picture
    for h in context["heatmaps"]:
        hid = h["id"]
        images[f"heatmap:{hid}"] = timed(
            f"picture: heatmap {hid}",
            heatmap_chart,
            result,
            hid,
            h["x_title"],
            h["y_title"],
            context_mod.heatmap_numbers(result, hid),
        )
    finishing = timed("Word finish data (report_finish)", word.report_finish, result, context)
    timed("import docxtpl + jinja2 sandbox", imp, "import docxtpl, jinja2.sandbox")
    # inside the child: each stage wrapped, its times sent back through a pipe of our own
    inner_r, inner_w = os.pipe()
    wrapped = {}
    from docxtpl import DocxTemplate

    def wrap(owner, attr: str, label: str) -> None:
        original = getattr(owner, attr)
        wrapped[(owner, attr)] = original

        def timed_call(*a, **k):
            c, t = time.process_time(), time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                took = [label, time.perf_counter() - t, time.process_time() - c]
                os.write(inner_w, (json.dumps(took) + "\n").encode())

        setattr(owner, attr, timed_call)

    wrap(DocxTemplate, "render_init", "  child: open the template (docxtpl)")
    wrap(DocxTemplate, "render", "  child: Jinja rendering (docxtpl.render)")
    wrap(render, "_place_pictures", "  child: place the pictures")
    wrap(render, "place_tables", "  child: build the matrices")
    wrap(render, "finish", "  child: Word finish (styles, TOC, properties)")
    wrap(DocxTemplate, "save", "  child: save the .docx")
    template = ROOT / "templates" / "assessment.docx"
    cpu = children_cpu()
    timed(
        "render in the forked child (render_docx)",
        render.render_docx,
        template,
        context,
        images,
        Path(out),
        render.Limits(),
        finishing,
    )
    child_cpu = children_cpu() - cpu
    os.close(inner_w)
    inner: list[list] = []  # a stage called twice (docxtpl's render calls render_init again) counted once, summed
    with os.fdopen(inner_r) as fh:
        for label, wall, cpu_s in (json.loads(line) for line in fh):
            same = next((r for r in inner if r[0] == label), None)
            if same:
                same[1] += wall
                same[2] += cpu_s
            else:
                inner.append([label, wall, cpu_s])
    for (owner, attr), original in wrapped.items():
        setattr(owner, attr, original)
    timed("make + embed the payload", lambda: payload.embed(Path(out), payload.make_payload(result)))
    print(json.dumps({"rows": rows, "inner": inner, "child_cpu": child_cpu, "pictures": len(images)}))


# ---- the same content as Markdown, for pandoc --------------------------------------------------------------


def markdown_of(docx_path: Path, folder: Path) -> str:
    """The report's content as Markdown: headings, paragraphs, pipe tables, and its pictures saved beside it."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(docx_path))
    lines: list[str] = []
    n = 0

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").strip() or " "

    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, document)
            for blip in child.iter(qn("a:blip")):
                part = document.part.related_parts[blip.get(qn("r:embed"))]
                n += 1
                name = f"picture{n}.png"
                (folder / name).write_bytes(part.blob)
                lines += [f"![]({name})", ""]
            text = p.text.strip()
            if not text:
                continue
            style = p.style.name if p.style is not None else ""
            level = re.match(r"(?:Heading|Title) ?(\d?)", style)
            if level:
                lines += ["#" * int(level.group(1) or 1) + " " + text, ""]
            elif style.startswith("List"):
                lines += ["- " + text, ""]
            else:
                lines += [re.sub(r"([\\`*_#<>\[\]])", r"\\\1", text), ""]
        elif child.tag == qn("w:tbl"):
            rows = [[cell(c.text) for c in row.cells] for row in Table(child, document).rows]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            rows = [r + [" "] * (width - len(r)) for r in rows]
            lines.append("| " + " | ".join(rows[0]) + " |")
            lines.append("|" + "---|" * width)
            lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            lines.append("")
    return "\n".join(lines)


def docx_size(path: Path) -> tuple[int, int]:
    """The size of word/document.xml and the number of pictures in a .docx."""
    with zipfile.ZipFile(path) as z:
        return z.getinfo("word/document.xml").file_size, sum(n.startswith("word/media/") for n in z.namelist())


def bench(name: str, folder: Path, repeat: int, libs: dict[str, tuple[float, float]]) -> dict:
    """Time one example's report, its steps and pandoc; print the table and return the figures."""
    answers = str(EXAMPLES / f"{name}.answers.yaml")
    out = folder / f"{name}.docx"
    cli = run_timed([str(ROOT / ".venv" / "bin" / "assess"), "report", answers, "-o", str(out), "--force"], repeat)
    floor = libs["python (bare interpreter)"]
    xml, pics = docx_size(out)
    # the steps, best of repeat by total CPU
    best = None
    for _ in range(repeat):
        line = (
            subprocess.run(
                [PYTHON, __file__, "--steps", answers, str(folder / f"{name}.steps.docx")],
                check=True,
                env=ENV,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        got = json.loads(line)
        total = sum(r[2] for r in got["rows"])
        if best is None or total < best[0]:
            best = (total, got)
    assert best is not None
    got = best[1]
    md_dir = folder / f"{name}.md.d"
    md_dir.mkdir(exist_ok=True)
    md = md_dir / "in.md"
    md.write_text(markdown_of(out, md_dir), encoding="utf-8")
    pandoc = shutil.which("pandoc")
    pan = None
    if pandoc:
        pan = run_timed([pandoc, "in.md", "-o", str(folder / f"{name}.pandoc.docx")], repeat, cwd=md_dir)

    total_wall = sum(r[1] for r in got["rows"])
    kib = md.stat().st_size / 1024
    print(f"\n== {name}: document.xml {xml / 1024:.0f} KiB, {pics} picture(s); Markdown {kib:.0f} KiB")
    print(f"{'step (fresh interpreter, in process)':<50} {'wall s':>7} {'CPU s':>7} {'share':>6}")
    for label, wall, cpu in got["rows"]:
        print(f"{label:<50} {wall:>7.3f} {cpu:>7.3f} {wall / total_wall:>6.0%}")
        if label.startswith("render in the forked child"):
            inner_wall = sum(r[1] for r in got["inner"])
            for ilabel, iwall, icpu in got["inner"]:
                print(f"{ilabel:<50} {iwall:>7.3f} {icpu:>7.3f} {iwall / total_wall:>6.0%}")
            print(
                f"{'  fork, pipe, child exit (wall: rest of the step)':<50} {wall - inner_wall:>7.3f} "
                f"{'':>7} {(wall - inner_wall) / total_wall:>6.0%}"
            )
            print(f"{'  (CPU of the child as the parent counts it)':<50} {'':>7} {got['child_cpu']:>7.3f}")
    print(f"{'sum of the steps':<50} {total_wall:>7.3f} {sum(r[2] for r in got['rows']) + got['child_cpu']:>7.3f}")
    print(f"{'assess report (new interpreter, best of ' + str(repeat) + ')':<50} {cli[0]:>7.3f} {cli[1]:>7.3f}")
    imports = libs["all report libraries"]
    lib_free = (cli[0] - imports[0], cli[1] - imports[1])
    print(f"{'  less the report libraries import':<50} {lib_free[0]:>7.3f} {lib_free[1]:>7.3f}")
    print(f"{'  less that and the bare interpreter':<50} {lib_free[0] - floor[0]:>7.3f} {lib_free[1] - floor[1]:>7.3f}")
    figures = {"example": name, "cli": cli, "steps": got, "document_xml": xml, "pictures": pics, "imports": libs}
    if pan is None:
        print("pandoc: not installed (apt-get install -y pandoc); the pandoc column is skipped")
        return figures
    print(f"{'pandoc in.md -o out.docx (best of ' + str(repeat) + ')':<50} {pan[0]:>7.3f} {pan[1]:>7.3f}")
    print(
        f"ratio assess/pandoc: wall {cli[0] / pan[0]:.1f}x, CPU {cli[1] / pan[1]:.1f}x; "
        f"without the library imports: wall {lib_free[0] / pan[0]:.1f}x, CPU {lib_free[1] / pan[1]:.1f}x"
    )
    figures["pandoc"] = pan
    return figures


def main() -> int:
    """Pick the example(s), time the imports apart, then each report beside pandoc; print tables, save JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--example", help="one example's name (default: the largest)")
    ap.add_argument("--all", action="store_true", help="every bundled example")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", help="keep the reports, Markdown and pictures in this folder")
    ap.add_argument("--steps", nargs=2, metavar=("ANSWERS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.steps:
        steps(*args.steps)
        return 0
    load = os.getloadavg()
    print(
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPU(s); "
        f"PYTHONDONTWRITEBYTECODE removed for the children; pandoc: {shutil.which('pandoc') or 'not installed'}"
    )
    names = sorted(p.name.split(".")[0] for p in EXAMPLES.glob("*.answers.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = {}
        for name in names:  # also writes the .pyc files a user's second run finds
            out = folder / f"{name}.docx"
            subprocess.run(
                [
                    str(ROOT / ".venv" / "bin" / "assess"),
                    "report",
                    str(EXAMPLES / f"{name}.answers.yaml"),
                    "-o",
                    str(out),
                    "--force",
                ],
                check=True,
                env=ENV,
                stdout=subprocess.DEVNULL,
            )
            sizes[name] = docx_size(out)[0]
        chosen = names if args.all else [args.example or max(sizes, key=lambda n: sizes[n])]
        print("document.xml KiB: " + ", ".join(f"{n} {sizes[n] / 1024:.0f}" for n in names))
        print(f"\n{'import, fresh interpreter (start-up excluded)':<50} {'wall s':>7} {'CPU s':>7}")
        libs = {}
        for label, code in LIBRARIES.items():
            libs[label] = (
                run_timed([PYTHON, "-c", code], args.repeat) if code == "pass" else import_cost(code, args.repeat)
            )
            print(f"{label:<50} {libs[label][0]:>7.3f} {libs[label][1]:>7.3f}")
        # the interpreter's exit after those imports: its last collections, and what 'assess' leaves of them by
        # freezing the objects at exit (assess.cli.main registers gc.freeze with atexit)
        code = LIBRARIES["all report libraries"]
        quit_now = run_timed([PYTHON, "-c", code + "; import os; os._exit(0)"], args.repeat)
        for label, tail in (("exit: collected (plain Python)", ""), ("exit: frozen at exit (as assess does)", FREEZE)):
            whole = run_timed([PYTHON, "-c", code + tail], args.repeat)
            libs[label] = (whole[0] - quit_now[0], whole[1] - quit_now[1])
            print(f"{'  ' + label:<50} {libs[label][0]:>7.3f} {libs[label][1]:>7.3f}")
        results = [bench(name, folder, args.repeat, libs) for name in chosen]
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    (ROOT / "bench" / "out" / "report.json").write_text(json.dumps({"load": load, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
