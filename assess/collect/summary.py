"""Provides the Word summary of a comparison: Comparison -> context -> .docx through templates/summary.docx,
rendered by the same sandboxed renderer as the assessment report, with a trend chart."""

from __future__ import annotations

import datetime as _dt
import multiprocessing
import re
from collections.abc import Callable
from pathlib import Path

from ..errors import AssessError, problem
from ..outputs import Batch, Output, mark_summary
from ..paths import TEMPLATES
from ..prose import unwrap
from ..report.colours import PALETTE, tint
from ..report.render import Limits, render_docx
from ..report.word import ALT_LIMIT, Finish, plain, trends_description
from ..yamlsafe import MAX_TEMPLATE_BYTES, check_file
from .chart import axes, panels, readable, trend_chart
from .compare import Comparison, for_whom, short_mission, short_title, shorten
from .comparison import FrameworkView, comparable_run, trend_path
from .followup import context as follow_up_context
from .versions import context as versions_context

TEMPLATE = TEMPLATES / "summary.docx"
COLUMNS_PER_TABLE = 5
"""Missions side by side in one score table; more missions continue in the next table."""
COUNT_FILL = PALETTE[0]
"""The shade of the recommendation x mission cells with three actions or more (the palette's blue; lighter with
fewer)."""
MATRIX_COLUMNS = 8
"""Missions side by side in one recommendation x mission table; more missions continue in the next table."""
GAPS_PER_MISSION = 12
"""Intelligence gaps listed per mission; the rest are counted."""
ANNEX_ROWS = 500
"""Assessments listed in the annex; the CSV has every one."""
RECURRING_ROWS = 40
"""Recommended actions listed rule by rule; the note says how many more each report's plan of action holds."""
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


def _count_fill(n: int) -> str:
    """The shade of a recommendation x mission cell: deeper with more actions."""
    if n <= 0:
        return "FFFFFF"
    return readable(tint(COUNT_FILL, {1: 0.6, 2: 0.3}.get(n, 0.0)))


def _scale_text(v: FrameworkView, sid: str) -> str:
    lo_hi = v.scales.get(sid)
    return f"{lo_hi[0]:g} to {lo_hi[1]:g}" if lo_hi else ""


def _glance(c: Comparison) -> list[dict]:
    rows = []
    for g in c.glance:
        cells = g.headline
        if len(cells) > 1:
            score = "; ".join(f"{t} {x.display} {x.rating}".strip() if x else f"{t} —" for t, x in cells)
        else:
            x = cells[0][1] if cells else None
            score = f"{x.display} {x.rating}".strip() if x else "—"
        rows.append(
            {
                "mission": g.label,
                "period": g.assessment.period or "—",
                "framework": shorten(g.framework, 48),
                "headline": shorten(" · ".join(t for t, _ in cells), 60) or "—",
                "score": score,
                "colour": readable(g.colour),
                "change": g.change or "first period",
                "critical": g.critical,
                "high": g.high,
                "coverage": g.coverage,
                "required": g.required_open,
                "draft": "DRAFT" if g.draft else "",
            }
        )
    return rows


def _policy(c: Comparison) -> list[dict]:
    n = len(c.policy_missions)
    rows = []
    for r in c.policy:
        ids = [i.split(" ", 1)[-1] for i in r.ids if i != r.label]
        rows.append(
            {
                "label": r.label,
                "text": r.text + (f" ({', '.join(ids)})" if ids else ""),
                "spread": f"{len(r.counts)} of {n}",
                "cells": [
                    {"text": str(r.counts[m]) if r.counts.get(m) else "", "colour": _count_fill(r.counts.get(m, 0))}
                    for m in c.policy_missions
                ],
            }
        )
    tables = []
    for i in range(0, n, MATRIX_COLUMNS):
        tables.append(
            {
                "columns": c.policy_missions[i : i + MATRIX_COLUMNS],
                "rows": [dict(r, cells=r["cells"][i : i + MATRIX_COLUMNS]) for r in rows],
            }
        )
    return tables if rows else []


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
        for n, (sid, title) in enumerate(axes(v)):
            rows = []
            for t in v.trends:
                change = t.change if n == 0 else _change_of(t, v, sid, title)
                rows.append({"label": t.label, "path": trend_path(t, sid), "change": change})
            trends.append({"title": f"{v.title}", "headline": title, "scale": _scale_text(v, sid), "rows": rows})
    policy_of: dict[tuple[str, str], list[str]] = {}
    for p in c.policy:
        for rule in p.rules:
            policy_of.setdefault(rule, []).append(p.label)
    multi = [r for r in c.recurring if len(r.missions) > 1]
    single = len(c.recurring) - len(multi)
    rank = {p: i for i, p in enumerate(PRIORITY_LABELS)}
    ordered = sorted(c.recurring, key=lambda r: (rank.get(r.priority, 9), -len(r.missions), -r.assessments))
    shown = ordered[:RECURRING_ROWS]
    recurring = [
        {
            "number": i,
            "count": len(r.missions),
            "missions": ", ".join(sorted(short_mission(m) for m in r.missions)),
            "priority_label": PRIORITY_LABELS.get(r.priority, r.priority),
            "action": unwrap(r.action),
            "for_whom": for_whom(r.blocks),
            "framework": short_title(r.title or r.framework_id),
            "rule": r.rule,
            "assessments": r.assessments,
            "policy": ", ".join(policy_of.get((r.framework_id, r.rule), [])) or "—",
        }
        for i, r in enumerate(shown, 1)
    ]
    if not c.recurring:
        recurring_note = "No rule of any framework was triggered by the latest assessments."
    else:
        recurring_note = (
            f"The {len(c.recurring)} recommended action(s) of the latest assessments, one per framework rule (its "
            "groups or blocks listed, as in each report's plan of action), by priority, then by how many missions "
            f"they recur in; {len(multi)} recur in more than one mission, {single} in one mission only."
        )
        if len(c.recurring) > len(shown):
            recurring_note += (
                f" The first {len(shown)} are listed; {len(c.recurring) - len(shown)} more are in each mission's "
                "report, in its plan of action."
            )
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
    drafts = [a for a in c.assessments if not a.complete]
    latest_drafts = [g for g in c.glance if g.draft]
    draft_text = (
        f"{len(latest_drafts)} of the {len(c.glance)} latest assessments are drafts (required questions open)"
        if latest_drafts
        else f"{len(drafts)} of the {len(c.assessments)} assessments compared are drafts (required questions open)"
    )
    n_fw = len(c.frameworks)
    span = (
        f", periods {periods[0]} to {periods[-1]}"
        if len(periods) > 1
        else (f", period {periods[0]}" if periods else "")
    )
    everywhere = sum(1 for p in c.policy if len(p.counts) == len(c.policy_missions))
    status = (
        f"{len(c.assessments)} assessment(s) from {len(missions)} mission(s) on {n_fw} framework(s){span}. "
        + (
            f"{everywhere} policy recommendation(s) are called for in every mission; "
            if len(c.policy_missions) > 1
            else ""
        )
        + f"{len(multi)} recommended action(s) recur across missions; "
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
        "draft": bool(drafts),
        "draft_text": draft_text if drafts else "",
        "date": today,
        "store": c.store,
        "selection": c.selection,
        "facts": [{"label": k, "value": shorten(v, 400)} for k, v in facts],
        "status_text": status,
        "notes": list(c.notes),
        "glance_note": (
            "The latest assessment of each mission on each framework, the gravest headline rating first "
            "(its band, then its place on the scale; 'threat' scores are worse when higher, 'resilience' scores "
            "better). Change: since the mission's previous period. Actions: the plan of action's critical and "
            "high items. Answered: questions answered of those asked. DRAFT: required questions still open. A "
            "two-axis headline (criminality and resilience) is shaded by the graver of its two ratings, by the same "
            "measure as the order."
            if c.glance
            else "No assessment to show."
        ),
        "glance": _glance(c),
        "policy_note": _policy_note(c),
        "policy_tables": _policy(c),
        "policy": [
            {"label": t["label"], "text": t["text"], "spread": t["spread"]}
            for t in (_policy(c)[0]["rows"] if c.policy else [])
        ],
        "scores_note": (
            "The latest assessment of each mission, each score shaded by its rating. Ratings follow each "
            "framework's bands; 'threat' scores are worse when higher, 'resilience' scores better."
        ),
        "frameworks": frameworks,
        "chart": "",
        "trends_note": (
            "Each mission's assessments, oldest period first, on the framework's headline score (the one it "
            "declares, both axes of a two-axis framework; else its first derived score, else its first section), "
            "drawn on the score's whole scale with its rating bands behind. 'worse' and 'better' follow the "
            "score's direction."
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
            "the questions that did not change or that a declared migration maps; the confidence column counts "
            "every answer, by the framework's confidence levels."
        ),
        "coverage": coverage,
        "gaps": gaps,
        "assessments_note": annex_note,
        "assessments": annex,
        "heatmaps": [],  # the shared renderer expects the key; the summary has no heat maps
        **follow_up_context(c),
        **versions_context(c),
    }
    return _clean(context)


def _policy_note(c: Comparison) -> str:
    if not c.policy:
        note = "No action of the latest assessments leads to a policy recommendation of the catalogue."
    else:
        everywhere = [p.label for p in c.policy if len(p.counts) == len(c.policy_missions)]
        note = (
            "The policy recommendations (NUPI 2020, UNU-CPR 2024) the actions of each mission's latest "
            "assessments lead to, counted across frameworks, most widespread first; a number is how many "
            "actions of that mission lead to it (UNU-CPR by its numbered groups)."
        )
        if everywhere and len(c.policy_missions) > 1:
            note += f" In every mission: {', '.join(everywhere)}."
    if c.policy_unmapped:
        fids = sorted({f for f, _ in c.policy_unmapped})
        note += (
            f" Actions of {', '.join(fids)} are not counted here: assess does not ship that framework, so its "
            "rules' recommendations are not known (see the per-rule list)."
        )
    return note


def _change_of(t, v: FrameworkView, sid: str, title: str) -> str:
    from .glance import change_words

    run = comparable_run(t.points, t.breaks.get(sid, set()))
    values = [(a.period, cells[sid].value) for a, cells in run if sid in cells and cells[sid].value is not None]
    if len(values) < 2:
        return "one period" if len(t.points) < 2 else ""
    words = change_words(values[0][1], values[-1][1], v.directions.get(sid, "threat"))
    return f"{title}: {words} from {values[0][0]} to {values[-1][0]}"


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def drawn_trends(c: Comparison, trends: list[dict]) -> list[dict]:
    """The context's trends as the chart draws them, for its alt text: the panels drawn (a headline followed over
    two periods or more), each with the missions whose lines it draws, and how many of how many when not all."""
    out = []
    for v, _, title, lines, total in panels(c):
        t = next((t for t in trends if t["title"] == _clean(v.title) and t["headline"] == _clean(title)), None)
        if t is None:
            continue
        keep = {_clean(label) for label, _ in lines}
        shown = f" ({len(lines)} of {total} missions drawn)" if total > len(lines) else ""
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
        title="Headquarters summary",
        subject=plain("; ".join(f"{v.title} {', '.join(v.versions)}" for v in c.frameworks)),
        keywords=plain("; ".join(sorted({a.mission for a in c.assessments}))),
        category=plain(context["marking"]),
        alt={"chart": ("Trends", plain(trends_description(drawn_trends(c, context["trends"])), ALT_LIMIT))},
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
