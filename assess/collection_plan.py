"""Provides the collection plan as a file to work in: its columns, its rows, and its CSV (formula-safe), with owner,
due date and status left for the mission to fill in."""

from __future__ import annotations

import re

from .i18n import N_, domain
from .model import Requirement, Result
from .output import BOM, csv_text
from .prose import unwrap

_, ngettext, pgettext = domain("cli")

REQUIREMENT_COLUMNS = (
    "assessment_id",
    "mission",
    "period",
    "ir",
    "number",
    "requirement",
    "section",
    "block",
    "what",
    "why",
    "gap",
    "collectors",
    "owner",
    "due_date",
    "status",
)
"""The collection plan's CSV columns: where it comes from (so plans can be merged), the IR as the report quotes it
and its number (which sorts), the stable id a next period's plan keeps, what to find out and why, the gap
(unknown, low confidence), the suggested collectors, and owner, due date, status to fill."""
GAPS = {"unknown": N_("unknown"), "low_confidence": N_("low confidence")}
"""What a requirement's status reads in the file."""

_DATED_PERIOD = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
"""A period a spreadsheet would read as a date (2026-07): written with a leading ' as text, as the plan of action's."""


def ir(r: Requirement) -> str:
    """A requirement as the report quotes it: IR-1."""
    return f"IR-{r.number}"


def requirement_row(r: Requirement) -> tuple[object, ...]:
    """One requirement's own cells, text as written: IR, number, id, section, block, what, why, gap, collectors (the
    gap and the collectors in the interface's language, as the why is)."""
    return (
        ir(r),
        r.number,
        r.id,
        r.section,
        r.entity_name or "",
        unwrap(r.what),
        r.why,
        _(GAPS[r.status]) if r.status in GAPS else r.status,
        "; ".join(_(c) for c in r.collectors),
    )


def requirements_csv(result: Result, bom: bool = True) -> str:
    """The collection plan (Result.requirements) as CSV, one row per intelligence requirement, owner, due date and
    status empty; with bom, it starts with the byte-order mark (a file; not standard output)."""
    m = result.answers.metadata
    period = str(m.get("period") or "")
    head = (
        result.answers.id or "",
        str(m.get("mission") or ""),
        "'" + period if _DATED_PERIOD.fullmatch(period) else period,
    )
    rows = [(*head, *requirement_row(r), "", "", "") for r in result.requirements]
    return (BOM if bom else "") + csv_text(REQUIREMENT_COLUMNS, rows)
