"""Provides compare's CSV, for spreadsheets: one row per assessment and score, formula-safe, with no text a
spreadsheet would turn into a date or a number."""

from __future__ import annotations

import re

from ..output import csv_text
from ..prose import unwrap
from .comparison import Comparison
from .followup import CSV_COLUMNS as FOLLOW_UP_COLUMNS
from .followup import csv_cells

CSV_COLUMNS = (
    "assessment", "revision", "framework", "version", "mission", "area", "period", "title", "updated", "complete",
    "language", "kind", "score", "score_title", "exact", "value", "display", "rating", "comparable", *FOLLOW_UP_COLUMNS,
)  # fmt: skip


BOM = "\ufeff"
"""Begins the CSV written to a file, so spreadsheets read it as UTF-8 (not printed to standard output)."""
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_LIKE = re.compile(
    r"\s*(?:\d{1,4}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,4})?(?:[ T]\d{1,2}:\d{2}.*)?"
    rf"|\d{{1,2}}[-/ ]?{_MONTH}(?:[-/ ,]+\d{{2,4}})?|{_MONTH}[-/ ]?\d{{1,4}}(?:[-/ ,]+\d{{2,4}})?"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)\s*",
    re.IGNORECASE,
)
_NUMBER_LIKE = re.compile(r"\s*[-+(]?\s*[$€£]?\s*(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*%?\)?\s*")


def as_text(value: str, numbers: bool = True) -> str:
    """A text cell a spreadsheet would turn into a date ('5/2', '1-2', '2024-03', 'March 2026') or, with numbers,
    into a number ('3.10', '1e5', '12%'), with a leading ' so it stays the text written (as output.csv_text does
    for a formula); other text as it is."""
    if value and (_DATE_LIKE.fullmatch(value) or (numbers and _NUMBER_LIKE.fullmatch(value))):
        return "'" + value
    return value


def to_csv(c: Comparison, bom: bool = True) -> str:
    """One row per assessment and score (section and derived), for spreadsheets: a byte-order mark first (bom),
    formula-safe (output.csv_text), and no text a spreadsheet would turn into a date or a number (as_text):
    periods such as '2026-03' and exact fractions such as '5/2' stay as written. Titles as written:
    prose.unwrap. Machine-readable in every language: the header row is the same column ids, numbers keep their dot
    and yes/no stay as they are; titles and ratings are in the comparison's language, and the language column says
    which language each assessment was written in."""
    rows = [
        (
            a.id,
            a.revision,
            as_text(a.framework_id),
            as_text(a.version),
            as_text(a.mission),
            as_text(a.area),
            as_text(a.period),
            as_text(unwrap(a.title)),
            a.updated,
            "yes" if a.complete else "no",
            c.written.get(a.seq, a.language),
            s["kind"],
            as_text(s["score_id"]),
            as_text(unwrap(s["title"])),
            as_text(s["exact"] or "", numbers=False),
            "" if s["value"] is None else s["value"],
            s["display"],
            as_text(s["rating"] or ""),
            "yes" if comparable else "no",
            *csv_cells(c, a),
        )
        for a, s, comparable in c.score_rows
    ]
    return (BOM if bom else "") + csv_text(CSV_COLUMNS, rows)
