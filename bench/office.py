"""Times the office outputs of issue 14, item 9: each example's report converted to PDF by LibreOffice, and its plan
of action written as a workbook and as CSV.

    python bench/office.py [--repeat 3] [--examples oc-threat,crime-politics-nexus]

Each report is rendered once (the first render also imports Word and matplotlib); the conversion
(assess.office.convert: a fresh LibreOffice profile each time, as 'assess report --pdf' runs it) is timed best of
--repeat, with the PDF's pages and size. The load average is printed first: on a busy machine LibreOffice's start
dominates and the figures rise with the load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.office import convert, soffice  # noqa: E402 - after the checkout is on the path
from assess.output import actions_csv  # noqa: E402
from assess.pipeline import score_file  # noqa: E402
from assess.report import render_report  # noqa: E402
from assess.workbook import write_plan  # noqa: E402

EXAMPLES = ROOT / "frameworks" / "examples"


def best(repeat: int, run) -> float:
    """The shortest wall time of repeat runs of run(), in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def pages(pdf: Path) -> str:
    """The page count pdfinfo reads, or '?' without poppler-utils."""
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> int:
    """Print one line per example: render, PDF conversion, workbook and CSV times, pages and sizes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--examples", default=",".join(sorted(p.name.split(".")[0] for p in EXAMPLES.glob("*.yaml"))))
    args = ap.parse_args()
    program = soffice("bench.pdf")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPU(s); {program}")
    print(f"{'example':<24} {'render':>7} {'pdf':>7} {'pages':>5} {'pdf KiB':>8} {'xlsx':>7} {'csv':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for name in args.examples.split(","):
            result = score_file(EXAMPLES / f"{name}.answers.yaml").result
            docx, pdf = Path(folder, f"{name}.docx"), Path(folder, f"{name}.pdf")
            render = best(1, partial(render_report, result, docx))
            took = best(args.repeat, partial(convert, docx, pdf, program, "report", str(pdf)))
            book = best(args.repeat, partial(write_plan, result, Path(folder, f"{name}.xlsx")))
            table = best(args.repeat, partial(actions_csv, result))
            print(
                f"{name:<24} {render:>6.2f}s {took:>6.2f}s {pages(pdf):>5} {pdf.stat().st_size / 1024:>8.0f} "
                f"{book * 1000:>5.0f}ms {table * 1000:>5.1f}ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
