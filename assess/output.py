"""Provides the result as a text table, stable JSON, and CSV rows for spreadsheets (formula-safe)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction

from .i18n import domain
from .model import Result, Score
from .numbers import fraction, json_exact, json_float, shown
from .plan import plan
from .prose import unwrap
from .table import ranked_score
from .table import to_table as to_table  # the table is made in table.py; named here with the other formats
from .terminal import UNSAFE

_, ngettext, pgettext = domain("cli")

RESULT_FORMAT = "assess-result/1"


def _exact(v: Fraction | None) -> str | None:
    return None if v is None else fraction(v)


def _plain(v):
    if isinstance(v, Fraction):
        return json_exact(v)
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _range(s: Score | None, places: int) -> list | None:
    """A score's range under unknown answers, [low, high] rounded, or None when it has none."""
    if s is None or s.low is None or s.high is None:
        return None
    return [json_float(s.low, places), json_float(s.high, places)]


def _range_exact(s: Score | None) -> list | None:
    """A score's range under unknown answers, [low, high] as exact fractions, or None when it has none."""
    if s is None or s.low is None or s.high is None:
        return None
    return [_exact(s.low), _exact(s.high)]


def score_data(s: Score, places: int) -> dict:
    """A score as JSON data: rounded and exact values, its range under unknown answers, display, rating, method
    and each input."""
    return {
        "id": s.id,
        "title": s.title,
        "score": json_float(s.value, places),
        "exact": _exact(s.value),
        "range": _range(s, places),
        "range_exact": _range_exact(s),
        "display": s.display,
        "rating": s.rating,
        "colour": s.colour,
        "direction": s.direction,
        "method": s.method,
        "inputs": [
            {
                "id": i.id,
                "title": i.title,
                "score": json_float(i.score, places),
                "exact": _exact(i.score),
                "weight": _exact(i.weight),
                "status": i.status,
                "counted": i.counted,
            }
            for i in s.inputs
        ],
    }


def to_json_data(r: Result, warnings: Sequence = ()) -> dict:
    """The result as plain JSON-ready data; its shape is documented in frameworks/FORMAT.md. Its warnings are
    those given (met loading the framework and checking the answers: W001, W002, W005...), then the result's."""
    fw, p = r.framework, r.framework.precision
    entities = {}
    for sid, per in r.entity_scores.items():
        ranks = {eid: rank for rank, eid, _name, _value in r.rankings.get(sid, ())}
        blocks = []
        for e in r.answers.entities.get(sid, []):
            scores = per.get(e.id, {})
            own = scores.get(sid)
            blocks.append(
                {
                    "id": e.id,
                    "name": e.name,
                    "rank": ranks.get(e.id),
                    "score": json_float(own.value, p) if own else None,
                    "range": _range(own, p),
                    "sections": [score_data(s, p) for s in scores.values()],
                }
            )
        entities[sid] = blocks
    return {
        "format": RESULT_FORMAT,
        "framework": {"id": fw.id, "version": fw.version, "hash": fw.hash, "title": fw.title},
        "assessment": {"id": r.answers.id, "metadata": dict(r.answers.metadata)},
        "complete": r.complete,
        "precision": p,
        "sections": [score_data(s, p) for s in r.sections.values()],
        "derived": [score_data(s, p) for s in r.derived.values()],
        "entities": entities,
        "rankings": {
            sid: [
                {
                    "rank": rank,
                    "id": eid,
                    "name": name,
                    "score": json_float(v, p),
                    "range": _range(ranked_score(r, sid, eid), p),
                }
                for rank, eid, name, v in rows
            ]
            for sid, rows in r.rankings.items()
        },
        "coverage": dict(r.coverage),
        "confidence": dict(r.confidence),
        "recommendations": [
            {
                "rule": x.rule,
                "priority": x.priority,
                "finding": x.finding,
                "action": x.action,
                "reference": x.reference,
                "source": x.source,
                "section": x.section,
                "entity": x.entity,
                "entity_name": x.entity_name,
                "because": dict(x.because),
                "addressee": x.addressee,
                "support": x.support,
            }
            for x in r.recommendations
        ],
        "gaps": [{"kind": g.kind, "id": g.id, "entity": g.entity, "message": g.message} for g in r.gaps],
        "questions": [
            {
                "id": q.id,
                "section": q.section,
                "entity": q.entity,
                "status": q.status,
                "value": _plain(q.value),
                "label": q.label,
                "score": json_float(q.score, p),
                "normalized": json_float(q.normalized, 4),
                "confidence": _plain(q.confidence),
                "sources": q.sources,
                "grades": [list(g) for g in q.grades],
                "required": q.required,
            }
            for q in r.questions
        ],
        "grades": {sid: dict(counts) for sid, counts in r.grades.items()},
        "requirements": [
            {
                "number": x.number,
                "id": x.id,
                "question": x.question,
                "entity": x.entity,
                "entity_name": x.entity_name,
                "section": x.section,
                "what": x.what,
                "why": x.why,
                "status": x.status,
                "collectors": list(x.collectors),
            }
            for x in r.requirements
        ],
        "heatmaps": {
            hid: {
                "title": h.heatmap.title,
                "x": h.heatmap.x,
                "y": h.heatmap.y,
                "x_labels": list(h.x_labels),
                "y_labels": list(h.y_labels),
                "cells": [
                    {"x": i, "y": j, "names": list(names), "colour": h.colours.get((i, j))}
                    for (i, j), names in sorted(h.cells.items())
                ],
            }
            for hid, h in r.heatmaps.items()
        },
        "warnings": [str(w) for w in [*warnings, *r.warnings]],
    }


def to_json(r: Result, warnings: Sequence = ()) -> str:
    """The result as JSON text: readable Unicode, and every character that could drive a terminal (C1 controls,
    DEL, bidi overrides, line separators) written as a \\u escape, so the same data prints safely. warnings:
    as to_json_data's, so the JSON lists every warning the command printed."""
    text = json.dumps(to_json_data(r, warnings), ensure_ascii=False, indent=2) + "\n"
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ---------------------------------------------------------------------------- CSV

#: How a cell starts that a spreadsheet would run as a formula (OWASP, CSV injection): = + - @ tab CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: A plain number as assess writes one (a score -1.50, an exact -7/2, 1e-05), or '-' for no score: it
#: cannot call anything, so it stays a number in the spreadsheet.
PLAIN_NUMBER = re.compile(r"-|[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:/[0-9]+)?")


def spreadsheet_cell(value):
    """A CSV cell a spreadsheet shows and never runs: text that starts like a formula gets a leading ' (the
    OWASP advice; spreadsheets hide it and show the text). Numbers, and text that is a plain number, pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV text for spreadsheets, one header row then rows, every cell through spreadsheet_cell(); every CSV
    assess writes is made here. A row with a carriage return in a cell has every cell quoted: the csv module
    quotes only the line terminator's characters (\\n), and a bare CR would end the row for a reader."""
    buf = io.StringIO()
    plain = csv.writer(buf, lineterminator="\n")
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(columns)
    for row in rows:
        cells = [spreadsheet_cell(v) for v in row]
        (quoted if any(isinstance(v, str) and "\r" in v for v in cells) else plain).writerow(cells)
    return buf.getvalue()


CSV_COLUMNS = (
    "assessment",
    "framework",
    "version",
    "section",
    "entity",
    "entity_name",
    "question",
    "text",
    "status",
    "value",
    "label",
    "score",
    "normalized",
    "weight",
    "required",
    "confidence",
    "sources",
)


def to_csv(r: Result) -> str:
    """One row per question, and per question of each entity block."""
    fw, p = r.framework, r.framework.precision
    names = {e.id: e.name for blocks in r.answers.entities.values() for e in blocks}
    rows = []
    for q in r.questions:
        fq = fw.questions[q.id]
        value = q.value
        if isinstance(value, list):
            value = "; ".join(str(_plain(x)) for x in value)
        elif isinstance(value, Fraction):
            value = _plain(value)
        rows.append(
            (
                r.answers.id,
                fw.id,
                fw.version,
                q.section,
                q.entity or "",
                names.get(q.entity, "") if q.entity else "",
                q.id,
                unwrap(fq.text),
                q.status,
                "" if value is None else value,
                q.label,
                shown(q.score, p, ""),
                shown(q.normalized, 4, ""),
                _exact(fq.weight),
                "yes" if q.required else "no",
                "" if q.confidence is None else _plain(q.confidence),
                q.sources,
            )
        )
    return csv_text(CSV_COLUMNS, rows)


ACTION_COLUMNS = (
    "assessment_id",
    "mission",
    "period",
    "number",
    "priority",
    "priority_rank",
    "finding",
    "action",
    "addressee",
    "for_whom",
    "recommendations",
    "reference",
    "section",
    "rule",
    "owner",
    "due_date",
    "status",
)
"""The plan of action's CSV columns: where it comes from (so plans can be merged), the plan's own numbers and
priority rank (1 critical .. 4 low, which sorts as it reads), what to do and who must, and owner, due date, status
to fill."""

ISSUE15_ACTION_COLUMNS = tuple(c for c in ACTION_COLUMNS if c != "addressee")
"""The columns of a plan of action written before actions named their addressee (issue 16): an earlier plan too."""

EARLIER_ACTION_COLUMNS = (
    "priority",
    "action",
    "finding",
    "entity",
    "reference",
    "recommendations",
    "rule",
    "section",
    "owner",
    "due_date",
    "status",
)
"""The columns of a plan of action written before issue 14: still recognised as an earlier plan to replace."""

_DATED_PERIOD = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
"""A period a spreadsheet would read as a date (2026-07, 2026-07-15): written with a leading ' as text."""

BOM = "\ufeff"
"""The UTF-8 byte-order mark a saved plan starts with, so spreadsheets read it as UTF-8 (not 'â€”' for '—')."""


def actions_csv(r: Result, bom: bool = True) -> str:
    """The plan of action (plan.plan: one row per item, numbered as the report's plan) as CSV: what, why, for
    whom, from where; owner, due date, status to fill. Text as written (prose.unwrap), formula-safe; with bom, it
    starts with the byte-order mark (a file; not standard output). A period such as 2026-07 is written '2026-07,
    so a spreadsheet keeps it as the period and does not make it a date."""
    m = r.answers.metadata
    period = str(m.get("period") or "")
    head = (
        r.answers.id or "",
        str(m.get("mission") or ""),
        "'" + period if _DATED_PERIOD.fullmatch(period) else period,
    )
    rows = [
        (
            *head,
            x.number,
            x.priority,
            x.rank,
            x.finding,
            x.action,
            _(x.addressee) if x.addressee else "",  # in the interface's language, as the report and the workbook
            x.for_whom,
            "; ".join(x.recommendations),
            x.reference,
            x.section,
            x.rule,
            "",
            "",
            "",
        )
        for x in plan(r)
    ]
    return (BOM if bom else "") + csv_text(ACTION_COLUMNS, rows)
