"""Provides the Word summary of a comparison: Comparison -> context -> .docx through templates/summary.docx,
rendered by the same sandboxed renderer as the assessment report, with a trend chart."""

from __future__ import annotations

import datetime as _dt
import io
import re
import textwrap
from pathlib import Path

from ..errors import AssessError, problem
from ..outputs import Batch, Output, mark_summary
from ..paths import TEMPLATES
from ..prose import unwrap
from ..report.render import Limits, render_docx
from ..report.word import ALT_LIMIT, Finish, plain, trends_description
from ..yamlsafe import MAX_TEMPLATE_BYTES, check_file
from .compare import Comparison, short_mission, shorten

TEMPLATE = TEMPLATES / "summary.docx"
COLUMNS_PER_TABLE = 5
"""Missions side by side in one score table; more missions continue in the next table."""
GAPS_PER_MISSION = 12
"""Intelligence gaps listed per mission; the rest are counted."""
ANNEX_ROWS = 500
"""Assessments listed in the annex; the CSV has every one."""
PRIORITY_LABELS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(v):
    """The context with the characters Word cannot hold removed from every text."""
    if isinstance(v, str):
        return _FORBIDDEN.sub("", v)
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    return v


def build_context(c: Comparison, today: str | None = None) -> dict:
    """The comparison as plain data for the template."""
    today = today or _dt.date.today().isoformat()
    missions = sorted({a.mission for a in c.assessments}, key=lambda m: (short_mission(m), m))
    periods = sorted(
        {a.period for a in c.assessments if a.period},
        key=lambda p: (next((a.period_start or "" for a in c.assessments if a.period == p), ""), p),
    )
    markings = sorted({a.marking for a in c.assessments if a.marking})
    marking = " / ".join(markings) if markings else "UN RESTRICTED"
    frameworks = []
    for v in c.frameworks:
        columns = [{"label": label, "period": a.period or "—"} for a, label in zip(v.columns, v.labels, strict=True)]
        rows = [
            {
                "title": ln.title,
                "indent": "    " * ln.depth,
                "cells": [
                    {
                        "text": (f"{cell.display} {cell.rating}".strip() if cell else "—"),
                        "colour": ((cell.colour if cell else "") or "FFFFFF").lstrip("#"),
                    }
                    for cell in ln.cells
                ],
            }
            for ln in v.scores
        ]
        tables = []
        for i in range(0, max(len(columns), 1), COLUMNS_PER_TABLE):
            tables.append(
                {
                    "columns": columns[i : i + COLUMNS_PER_TABLE],
                    "rows": [dict(r, cells=r["cells"][i : i + COLUMNS_PER_TABLE]) for r in rows],
                }
            )
        frameworks.append(
            {
                "id": v.id,
                "title": v.title,
                "versions": "version " + ", ".join(v.versions)
                if len(v.versions) == 1
                else "versions " + ", ".join(v.versions),
                "note": v.note,
                "tables": tables if rows else [],
            }
        )
    trends = []
    for v in c.frameworks:
        if not v.headline:
            continue
        sid, title = v.headline[0]
        rows = []
        for t in v.trends:
            steps = [f"{a.period or '—'} {cells[sid].display}" for a, cells in t.points if sid in cells]
            rows.append({"label": t.label, "path": " → ".join(steps) or "—", "change": t.change})
        trends.append({"title": f"{v.title}", "headline": title, "rows": rows})
    multi = [r for r in c.recurring if len(r.missions) > 1]
    single = len(c.recurring) - len(multi)
    shown = multi or c.recurring[:20]
    recurring = [
        {
            "number": i,
            "count": len(r.missions),
            "missions": ", ".join(sorted(short_mission(m) for m in r.missions)),
            "priority_label": PRIORITY_LABELS.get(r.priority, r.priority),
            "action": unwrap(r.action),
            "framework": r.framework_id,
            "rule": r.rule,
            "assessments": r.assessments,
        }
        for i, r in enumerate(shown, 1)
    ]
    if not c.recurring:
        recurring_note = "No rule of any framework was triggered by the assessments compared."
    elif multi:
        recurring_note = f"{len(multi)} recommended action(s) recur in more than one mission, most frequent first" + (
            f"; {single} more appear in one mission only (see each report)." if single else "."
        )
    else:
        recurring_note = "No recommended action recurs across missions; those of single missions, by priority:"
    coverage = [
        {
            "label": x.label,
            "framework": x.assessment.framework_id,
            "period": x.assessment.period or "—",
            "answered": f"{x.answered} of {x.questions}",
            "unknown": x.unknown,
            "required_missing": x.required_missing,
            "low_confidence": x.low_confidence,
            "no_sources": x.no_sources,
            "confidence": shorten(
                " · ".join(f"{k}: {n}" for k, n in sorted(x.confidence.items(), key=lambda kv: (-kv[1], kv[0]))), 80
            )
            or "not stated",
        }
        for x in c.coverage
    ]
    gaps = [
        {
            "label": x.label,
            "framework": x.assessment.framework_id,
            "period": x.assessment.period or "—",
            "lines": [unwrap(line) for line in x.intelligence_gaps[:GAPS_PER_MISSION]],
            "more": (
                f"and {len(x.intelligence_gaps) - GAPS_PER_MISSION} more"
                if len(x.intelligence_gaps) > GAPS_PER_MISSION
                else ""
            ),
        }
        for x in c.coverage
        if x.intelligence_gaps
    ]
    labels = {}
    for v in c.frameworks:
        for t in v.trends:
            for a, _ in t.points:
                labels[a.seq] = t.label
    newest = sorted(c.assessments, key=lambda a: (a.updated, a.seq), reverse=True)
    annex = [
        {
            "label": labels.get(a.seq, short_mission(a.mission)),
            "period": a.period or "—",
            "framework": f"{a.framework_id} {a.version}",
            "updated": a.updated[:10],
            "revisions": a.revisions,
            "id": a.id,
        }
        for a in newest[:ANNEX_ROWS]
    ]
    annex_note = f"{len(c.assessments)} assessment(s), the current revision of each, newest first" + (
        f"; the first {ANNEX_ROWS} are listed here and every one is in the CSV."
        if len(c.assessments) > ANNEX_ROWS
        else "."
    )
    n_fw = len(c.frameworks)
    span = (
        f", periods {periods[0]} to {periods[-1]}"
        if len(periods) > 1
        else (f", period {periods[0]}" if periods else "")
    )
    status = (
        f"{len(c.assessments)} assessment(s) from {len(missions)} mission(s) on {n_fw} framework(s){span}. "
        f"{len(multi)} recommended action(s) recur across missions; "
        f"{sum(x.unknown for x in c.coverage)} intelligence gap(s) are open in the latest assessments."
    )
    facts = [
        ("Selection", c.selection),
        ("Assessments", str(len(c.assessments))),
        ("Missions", ", ".join(short_mission(m) for m in missions)),
        ("Frameworks", ", ".join(f"{v.id} ({', '.join(v.versions)})" for v in c.frameworks)),
        ("Periods", ", ".join(periods) or "—"),
        ("Date", today),
        ("Handling", marking),
    ]
    context = {
        "title": "Organized crime in mission areas: headquarters summary",
        "subtitle": ", ".join(
            _count(n, what)
            for n, what in ((len(c.assessments), "assessment"), (len(missions), "mission"), (n_fw, "framework"))
        ),
        "marking": marking,
        "date": today,
        "store": c.store,
        "selection": c.selection,
        "facts": [{"label": k, "value": shorten(v, 400)} for k, v in facts],
        "status_text": status,
        "notes": list(c.notes),
        "scores_note": (
            "The latest assessment of each mission, each score shaded by its rating. Ratings follow each "
            "framework's bands; 'threat' scores are worse when higher, 'resilience' scores better."
        ),
        "frameworks": frameworks,
        "chart": "",
        "trends_note": (
            "Each mission's assessments, oldest period first, on the framework's headline score (a "
            "derived score, else the first section). 'worse' and 'better' follow the score's direction."
            if any(t["rows"] for t in trends)
            else "No scores to follow across periods."
        ),
        "trends": trends,
        "recurring_note": recurring_note,
        "recurring": recurring,
        "coverage_note": (
            "The latest assessment of each mission: questions answered of those asked, answers "
            "'unknown' (intelligence gaps), required questions open, answers with low confidence and "
            "answers that need sources but have none. Where framework versions differ, these count only "
            "the questions that did not change; the confidence column counts every answer, by the "
            "framework's confidence levels."
        ),
        "coverage": coverage,
        "gaps": gaps,
        "assessments_note": annex_note,
        "assessments": annex,
        "heatmaps": [],  # the shared renderer expects the key; the summary has no heat maps
    }
    return _clean(context)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def trend_chart(c: Comparison) -> bytes | None:
    """One panel per framework: the headline score of each mission across periods (missions with two or more)."""
    panels = []
    for v in c.frameworks:
        if not v.headline:
            continue
        sid, title = v.headline[0]
        lines = []
        for t in v.trends:
            pts = [
                (a.period or "—", a.order, cells[sid].value)
                for a, cells in t.points
                if sid in cells and cells[sid].value is not None
            ]
            if len(pts) >= 2:
                lines.append((t.label, pts))
        if lines:
            lines.sort(key=lambda x: (-len(x[1]), x[0]))
            panels.append((v, title, lines[:8], len(lines)))
    if not panels:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8})
    fig, axes = plt.subplots(len(panels), 1, figsize=(6.5, 2.4 * len(panels) + 0.4), squeeze=False)
    for ax, (v, title, lines, total) in zip(axes[:, 0], panels, strict=True):
        periods = sorted({(o, p) for _, pts in lines for p, o, _ in pts})
        names = []
        for _, p in periods:
            if p not in names:
                names.append(p)
        for label, pts in lines:
            ax.plot(
                [names.index(p) for p, _, _ in pts],
                [val for _, _, val in pts],
                marker="o",
                linewidth=1.5,
                label=shorten(label, 24),
            )
        ax.set_xticks(range(len(names)), names, fontsize=7)
        heading = f"{textwrap.shorten(v.title, 60, placeholder='…')}: {textwrap.shorten(title, 40, placeholder='…')}"
        if total > len(lines):
            heading += f" ({len(lines)} of {total} missions)"
        ax.set_title(heading, fontsize=8, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", linewidth=0.3)
        ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


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
    context = build_context(c)
    images = {}
    chart = trend_chart(c)
    if chart:
        images["chart"] = chart
    word = Finish(
        title="Headquarters summary",
        subject=plain("; ".join(f"{v.title} {', '.join(v.versions)}" for v in c.frameworks)),
        keywords=plain("; ".join(sorted({a.mission for a in c.assessments}))),
        category=plain(context["marking"]),
        alt={"chart": ("Trends", plain(trends_description(context["trends"]), ALT_LIMIT))},
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
