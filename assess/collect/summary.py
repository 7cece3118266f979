"""Provides the Word summary of a comparison: Comparison -> context (assess.collect.context) -> .docx through
templates/summary.docx, rendered by the same sandboxed renderer as the assessment report, with a trend chart."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from pathlib import Path

from ..errors import AssessError, problem
from ..i18n import domain
from ..outputs import Batch, Output, mark_summary
from ..paths import TEMPLATES
from ..report.render import Limits, render_docx
from ..report.word import ALT_LIMIT, Finish, plain, trends_description
from ..yamlsafe import MAX_TEMPLATE_BYTES, check_file
from .chart import panels, trend_chart
from .compare import Comparison
from .context import build_context, clean

__all__ = ["TEMPLATE", "build_context", "drawn_apart", "drawn_trends", "render_summary"]

_, _ngettext, _pgettext = domain("hq")

TEMPLATE = TEMPLATES / "summary.docx"


def drawn_trends(c: Comparison, trends: list[dict]) -> list[dict]:
    """The context's trends as the chart draws them, for its alt text: the panels drawn (a headline followed over
    two periods or more), each with the missions whose lines it draws, and how many of how many when not all."""
    out = []
    for v, _sid, title, lines, total in panels(c):
        t = next((t for t in trends if t["title"] == clean(v.title) and t["headline"] == clean(title)), None)
        if t is None:
            continue
        keep = {clean(label) for label, _points in lines}
        drawn = _("({count} of {total} missions drawn)").format(count=len(lines), total=total)
        shown = f" {drawn}" if total > len(lines) else ""
        out.append(dict(t, headline=t["headline"] + shown, rows=[r for r in t["rows"] if r["label"] in keep]))
    return out


def drawn_apart(c: Comparison) -> Callable[[], bytes | None]:
    """Start drawing the trend chart in a forked process (importing matplotlib and drawing take about as long as
    the rest of the summary); returns the function that waits for it. Should that process fail, the chart is
    drawn here instead."""
    if not panels(c):
        return lambda: None
    mp = multiprocessing.get_context("fork")
    recv, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_draw, args=(c, send), daemon=True)
    try:
        proc.start()
    except (OSError, AssertionError):  # no process to spare, or this one is a daemon: draw it here, when asked
        recv.close()
        send.close()
        return lambda: trend_chart(c)
    send.close()

    def wait() -> bytes | None:
        try:
            data = recv.recv_bytes()
        except (EOFError, OSError):
            data = b""
        finally:
            recv.close()
            proc.join()
        return data or trend_chart(c)

    return wait


def _draw(c: Comparison, conn) -> None:
    """In the forked process: the chart's bytes down the pipe (none when it fails)."""
    try:
        conn.send_bytes(trend_chart(c) or b"")
    except BaseException:  # the parent draws it itself, and meets the same error there
        conn.send_bytes(b"")
    finally:
        conn.close()


def render_summary(
    c: Comparison,
    out: str | Path | Output,
    template: str | Path | None = None,
    limits: Limits = Limits(),
    batch: Batch | None = None,
) -> None:
    """Write the summary to out through the template; raise AssessError and write nothing on failure. With batch
    (assess.outputs), out is one of its outputs, written by the batch with the command's other outputs."""
    template = Path(template) if template else TEMPLATE
    if not template.exists():
        raise AssessError([problem(str(template), None, "E405", template=template.name, reason="no such file")])
    check_file(template, MAX_TEMPLATE_BYTES, too_big="E019")  # a pipe or device would hang the reading
    chart = drawn_apart(c)  # matplotlib and the drawing in another process, while this one gets the rest ready
    context = build_context(c)
    import docxtpl  # noqa: F401 -- loaded here, meanwhile, so the rendering process forked below has it

    images = {}
    png = chart()
    if png:
        images["chart"] = png
    word = Finish(
        title=_("Headquarters summary"),
        subject=plain("; ".join(f"{v.title} {', '.join(v.versions)}" for v in c.frameworks)),
        keywords=plain("; ".join(sorted({a.mission for a in c.assessments}))),
        category=plain(context["marking"]),
        alt={"chart": (_("Trends"), plain(trends_description(drawn_trends(c, context["trends"])), ALT_LIMIT))},
        language=c.language,  # Word's proofing language and dc:language
    )

    def write(path: Path) -> None:
        render_docx(template, context, images, path, limits, word)
        mark_summary(path)  # so a later compare knows it may replace this file

    if batch is not None:
        batch.fill(out, write)
        return
    spec = out if isinstance(out, Output) else Output(str(out), "-o", "the summary", "summary")
    with Batch([spec], force=True) as own:
        own.prepare({"the template": template})
        own.fill(spec, write)
        own.commit()
