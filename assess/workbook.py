"""Provides the plan of action as an Excel workbook (openpyxl, imported only here): text stays text, never a formula."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from .errors import Problem, problem
from .model import Result
from .plan import PlanItem, plan

MARK = "assess-plan-of-action/1"
"""The value of the workbook's custom property 'assess': tells a later run the file is a plan it wrote."""
SHEET = "Plan of action"
"""The first sheet: one row per item of the plan, its header in row 1."""
ABOUT = "About"
"""The second sheet: what assessment the plan comes from."""
COLUMNS: tuple[tuple[str, int], ...] = (
    ("No.", 6),
    ("Priority", 10),
    ("Rank", 6),
    ("Finding", 48),
    ("Action", 48),
    ("For whom", 24),
    ("Recommendations", 18),
    ("Reference", 40),
    ("Section", 24),
    ("Rule", 22),
    ("Owner", 18),
    ("Due date", 12),
    ("Status", 13),
)
"""The plan sheet's columns: header and width (in characters)."""
FILLED = ("Owner", "Due date", "Status")
"""The columns the mission fills in: a workbook with entries there is not replaced without --force."""
STATUSES = ("Open", "In progress", "Done", "Dropped")
"""The Status column's drop-down."""
CELL_LIMIT = 32767
"""Characters a spreadsheet cell holds (Excel's limit; longer text is cut, with a warning)."""

# characters XML 1.0 (and so a workbook) cannot hold: C0 controls but tab, newline and carriage return; surrogates;
# U+FFFE and U+FFFF (openpyxl raises IllegalCharacterError on the controls)
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object, where: str, warnings: list[Problem], name: str = "the plan of action") -> str:
    """Text a workbook can hold: forbidden characters removed, and cut at CELL_LIMIT, each with a warning (W009)
    about the workbook name at where (the item and column)."""
    value = "" if text is None else str(text)
    value, removed = _FORBIDDEN.subn("", value)
    if removed:
        detail = f"{removed} character(s) that a spreadsheet cannot hold were removed"
        warnings.append(problem(name, None, "W009", where=where, detail=detail))
    if len(value) > CELL_LIMIT:
        detail = f"text of {len(value)} characters was cut to {CELL_LIMIT}, the most a cell holds"
        warnings.append(problem(name, None, "W009", where=where, detail=detail))
        value = value[: CELL_LIMIT - 1] + "…"
    return value


def item_row(item: PlanItem) -> tuple[object, ...]:
    """One plan item as the plan sheet's cells, in COLUMNS' order (Owner, Due date and Status empty)."""
    return (
        item.number,
        item.priority,
        item.rank,
        item.finding,
        item.action,
        item.for_whom,
        "; ".join(item.recommendations),
        item.reference,
        item.section,
        item.rule,
        "",
        None,
        "",
    )


def about_rows(result: Result, items: Sequence[PlanItem]) -> list[tuple[str, str]]:
    """The About sheet: label and value of the assessment, its framework, its state and the handling marking."""
    m, fw = result.answers.metadata, result.framework
    missing = result.coverage.get("required_missing", 0)
    state = "complete" if result.complete else f"DRAFT — incomplete ({missing} required question(s) open)"
    return [
        ("Title", str(m.get("title") or fw.title)),
        ("Assessment id", result.answers.id or ""),
        ("Mission", str(m.get("mission") or "")),
        ("Area", str(m.get("area") or "")),
        ("Period", str(m.get("period") or "")),
        ("Analyst", str(m.get("analyst") or "")),
        ("Framework", f"{fw.title} {fw.version} ({fw.id})"),
        ("State", state),
        ("Actions", str(len(items))),
        ("Handling", str(m.get("marking") or "")),
        ("Written", dt.date.today().isoformat()),
        ("Note", "Headquarters collect the Word report (.docx), which carries the data; this workbook tracks it."),
    ]


def _header_footer(text: str) -> str:
    """Text as data in a print header or footer, where '&' starts a code (&P the page, &D the date...)."""
    return text.replace("&", "&&")


def write_plan(result: Result, path: Path, name: str = "the plan of action") -> list[Problem]:
    """Write the plan of action of a scored assessment to path as a workbook; return the warnings (W009, about
    name: the workbook as the user named it).

    Every text cell is typed as text (data_type 's'), so text that starts with '=' (from an answer, a block's
    name or the framework) stays text and never becomes a formula; numbers (No., Rank) are numbers."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    warnings: list[Problem] = []
    items = plan(result)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    wrap = Alignment(wrap_text=True, vertical="top")
    head_fill = PatternFill("solid", fgColor="D9D9D9")  # black on it: 15:1, well over WCAG AA
    for col, (title, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font, cell.fill, cell.alignment = Font(bold=True), head_fill, wrap
        ws.column_dimensions[get_column_letter(col)].width = width
    due = next(i for i, (title, _) in enumerate(COLUMNS, 1) if title == "Due date")
    for r, item in enumerate(items, 2):
        for col, value in enumerate(item_row(item), 1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, str):
                cell.value = clean(value, f"item {item.number}, {COLUMNS[col - 1][0]}", warnings, name)
                cell.data_type = "s"  # after the value: openpyxl types a string starting with '=' as a formula
            else:
                cell.value = value
            cell.alignment = wrap
        ws.cell(row=r, column=due).number_format = "yyyy-mm-dd"
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{max(2, len(items) + 1)}"
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose a status from the list: " + ", ".join(STATUSES) + ".",
    )
    status.add(f"{last}2:{last}1048576")
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Due date",
        error="Type a date, e.g. 2026-12-31.",
    )
    due_letter = get_column_letter(due)
    dates.add(f"{due_letter}2:{due_letter}1048576")
    ws.add_data_validation(status)
    ws.add_data_validation(dates)
    marking = clean(result.answers.metadata.get("marking") or "", "the handling marking", warnings, name)
    draft = "" if result.complete else " — DRAFT — incomplete"
    ws.oddHeader.center.text = _header_footer(marking + draft)
    ws.oddFooter.center.text = _header_footer(marking) + " — page &P of &N"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    about = wb.create_sheet(ABOUT)
    for r, (label, value) in enumerate(about_rows(result, items), 1):
        about.cell(row=r, column=1, value=label).font = Font(bold=True)
        cell = about.cell(row=r, column=2)
        cell.value = clean(value, f"About, {label}", [] if label == "Handling" else warnings, name)
        cell.data_type, cell.alignment = "s", wrap
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 16, 90
    props = wb.properties
    props.title = clean(dict(about_rows(result, items))["Title"], "", [])[:255]
    props.subject = clean(f"Plan of action — {result.framework.title} {result.framework.version}", "", [])[:255]
    props.creator = clean(result.answers.metadata.get("analyst") or "assess", "", [])[:255]
    props.keywords = clean(
        "; ".join(str(result.answers.metadata.get(k) or "") for k in ("mission", "period", "marking")), "", []
    )[:255]
    props.category = marking[:255]
    wb.custom_doc_props.append(StringProperty(name="assess", value=MARK))
    wb.save(path)
    return warnings


def filled_row(path: Path) -> int | None:
    """The first row of a plan workbook with an entry in Owner, Due date or Status (1 when it cannot be read)."""
    from openpyxl import load_workbook

    try:
        with open(path, "rb") as fh:
            wb = load_workbook(fh, read_only=True, data_only=True)
            ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
            rows = ws.iter_rows(values_only=True)
            header = next(rows, ())
            watched = [i for i, title in enumerate(header) if title in FILLED]
            for n, row in enumerate(rows, 2):
                if any(i < len(row) and row[i] not in (None, "") for i in watched):
                    return n
            wb.close()
    except Exception:  # a workbook openpyxl cannot read is not known to be empty: kept
        return 1
    return None
