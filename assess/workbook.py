"""Provides the plan of action as an Excel workbook (openpyxl, imported only here): text stays text, never a formula."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

from .collection_plan import GAPS
from .errors import Problem, problem
from .i18n import N_, catalogue, domain, interface_languages
from .model import Requirement, Result
from .plan import PlanItem, plan
from .prose import unwrap
from .report.sourcing import conflicts_text, support_text

_, ngettext, pgettext = domain("cli")

MARK = "assess-plan-of-action/1"
"""The value of the workbook's custom property 'assess': tells a later run the file is a plan it wrote."""
SHEET = N_("Plan of action")
"""The first sheet: one row per item of the plan, its header in row 1."""
ABOUT = N_("About")
"""The second sheet: what assessment the plan comes from."""
COLUMNS: tuple[tuple[str, int], ...] = (
    (N_("No."), 6),
    (N_("Priority"), 10),
    (N_("Rank"), 6),
    (N_("Finding"), 48),
    (N_("Action"), 48),
    (N_("Addressee"), 24),
    (N_("For whom"), 24),
    (N_("Caution"), 30),
    (N_("Recommendations"), 18),
    (N_("Reference"), 40),
    (N_("Section"), 24),
    (N_("Rule"), 22),
    (N_("Owner"), 18),
    (N_("Due date"), 12),
    (N_("Status"), 13),
)
"""The plan sheet's columns: header and width (in characters)."""
REQUIREMENTS_MARK = "assess-collection-plan/1"
"""The mark of a workbook 'assess report --requirements' wrote (its own kind of output)."""
REQUIREMENTS_SHEET = N_("Collection plan")
"""The collection plan's sheet: one row per intelligence requirement, in the plan of action's workbook (second
sheet) and in the collection plan's own."""
REQUIREMENT_COLUMNS: tuple[tuple[str, int], ...] = (
    (N_("IR"), 7),
    (N_("What to find out"), 48),
    (N_("Why it matters"), 48),
    (N_("Section"), 22),
    (N_("Block"), 22),
    (N_("Gap"), 14),
    (N_("Collectors"), 24),
    (N_("Owner"), 18),
    (N_("Due date"), 12),
    (N_("Status"), 13),
)
"""The collection plan sheet's columns: header and width (in characters)."""
FILLED = ("Owner", "Due date", "Status")
"""The columns the mission fills in: a workbook with entries there is not replaced without --force."""
STATUSES = (N_("Open"), N_("In progress"), N_("Done"), N_("Dropped"))
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
        detail = ngettext(
            "{count} character(s) that a spreadsheet cannot hold were removed",
            "{count} character(s) that a spreadsheet cannot hold were removed",
            removed,
        ).format(count=removed)
        warnings.append(problem(name, None, "W009", where=where, detail=detail))
    if len(value) > CELL_LIMIT:
        cut = _("text of {length} characters was cut to {limit}, the most a cell holds")
        detail = cut.format(length=len(value), limit=CELL_LIMIT)
        warnings.append(problem(name, None, "W009", where=where, detail=detail))
        value = value[: CELL_LIMIT - 1] + "…"
    return value


def _priority(priority: str) -> str:
    """A priority as the Priority column writes it, in the interface's language (the Rank column sorts)."""
    words = {
        "critical": pgettext("priority", "critical"),
        "high": pgettext("priority", "high"),
        "medium": pgettext("priority", "medium"),
        "low": pgettext("priority", "low"),
    }
    return words.get(priority, priority)


def item_row(item: PlanItem, result: Result | None = None) -> tuple[object, ...]:
    """One plan item as the plan sheet's cells, in COLUMNS' order (Owner, Due date and Status empty); with the
    result, the Caution column says what the finding rests on where that is thin."""
    caution = " ".join(
        t for t in (conflicts_text(item), support_text(item, result.recommendations) if result else "") if t
    )
    return (
        item.number,
        _priority(item.priority),
        item.rank,
        item.finding,
        item.action,
        _(item.addressee) if item.addressee else "",
        item.for_whom,
        caution,
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
    draft = ngettext(
        "DRAFT — incomplete ({missing} required question(s) open)",
        "DRAFT — incomplete ({missing} required question(s) open)",
        missing,
    ).format(missing=missing)
    note = _("Headquarters collect the Word report (.docx), which carries the data; this workbook tracks it.")
    return [
        (_("Title"), str(m.get("title") or fw.title)),
        (_("Assessment id"), result.answers.id or ""),
        (_("Mission"), str(m.get("mission") or "")),
        (_("Area"), str(m.get("area") or "")),
        (_("Period"), str(m.get("period") or "")),
        (_("Analyst"), str(m.get("analyst") or "")),
        (_("Framework"), f"{fw.title} {fw.version} ({fw.id})"),
        (_("State"), _("complete") if result.complete else draft),
        (_("Actions"), str(len(items))),
        (_("Requirements"), str(len(result.requirements))),
        (_("Handling"), str(m.get("marking") or "")),
        (_("Written"), dt.date.today().isoformat()),
        (_("Note"), note),
    ]


def _header_footer(text: str) -> str:
    """Text as data in a print header or footer, where '&' starts a code (&P the page, &D the date...)."""
    return text.replace("&", "&&")


def _sheet(ws, columns: tuple[tuple[str, int], ...], rows: list[tuple[str, tuple[object, ...]]], context: dict) -> None:
    """Fill a sheet to work in: the header row bold, frozen and filtered, one row per (label, cells) (text typed as
    text, the label naming the row in a warning), Due date a date and Status a drop-down, text wrapped, the
    marking in the printed header and footer, landscape. context: warnings, name, marking, draft."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    warnings, name = context["warnings"], context["name"]
    wrap = Alignment(wrap_text=True, vertical="top")
    head_fill = PatternFill("solid", fgColor="D9D9D9")  # black on it: 15:1, well over WCAG AA
    for col, (title, width) in enumerate(columns, 1):
        cell = ws.cell(row=1, column=col, value=_(title))
        cell.font, cell.fill, cell.alignment = Font(bold=True), head_fill, wrap
        ws.column_dimensions[get_column_letter(col)].width = width
    due = [title for title, _width in columns].index("Due date") + 1
    titles = [_(title) for title, _width in columns]
    for r, (label, cells) in enumerate(rows, 2):
        for col, value in enumerate(cells, 1):
            cell = ws.cell(row=r, column=col)
            if isinstance(value, str):
                cell.value = clean(value, f"{label}, {titles[col - 1]}", warnings, name)
                cell.data_type = "s"  # after the value: openpyxl types a string starting with '=' as a formula
            else:
                cell.value = value
            cell.alignment = wrap
        ws.cell(row=r, column=due).number_format = "yyyy-mm-dd"
    last = get_column_letter(len(columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{max(2, len(rows) + 1)}"
    statuses = [_(s) for s in STATUSES]
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(statuses) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Status"),
        error=_("Choose a status from the list: {statuses}.").format(statuses=", ".join(statuses)),
    )
    status.add(f"{last}2:{last}1048576")
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Due date"),
        error=_("Type a date, e.g. 2026-12-31."),
    )
    due_letter = get_column_letter(due)
    dates.add(f"{due_letter}2:{due_letter}1048576")
    ws.add_data_validation(status)
    ws.add_data_validation(dates)
    ws.oddHeader.center.text = _header_footer(context["marking"] + context["draft"])
    ws.oddFooter.center.text = _header_footer(context["marking"]) + _(" — page &P of &N")
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def requirement_cells(r: Requirement) -> tuple[object, ...]:
    """One requirement as the collection plan sheet's cells, in REQUIREMENT_COLUMNS' order (IR a number shown
    IR-1, so it sorts as it reads; Owner, Due date and Status empty)."""
    return (
        r.number,
        unwrap(r.what),
        r.why,
        r.section,
        r.entity_name or "",
        _(GAPS[r.status]) if r.status in GAPS else r.status,
        ", ".join(_(c) for c in r.collectors),
        "",
        None,
        "",
    )


def _requirements_sheet(wb, result: Result, context: dict) -> None:
    """Add the Collection plan sheet: one row per intelligence requirement."""
    ws = wb.create_sheet(_(REQUIREMENTS_SHEET))
    rows = [(f"IR-{r.number}", requirement_cells(r)) for r in result.requirements]
    _sheet(ws, REQUIREMENT_COLUMNS, rows, context)
    for r in range(2, len(rows) + 2):
        ws.cell(row=r, column=1).number_format = '"IR-"0'


def _workbook(result: Result, path: Path, name: str, mark: str, subject: str, sheets) -> list[Problem]:
    """A workbook of the given sheets (each a function of (workbook, context)), then About, its properties and its
    mark; return the warnings (W009, about name)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.styles import Alignment, Font

    warnings: list[Problem] = []
    wb = Workbook()
    wb.remove(wb.active)
    marking = clean(result.answers.metadata.get("marking") or "", "the handling marking", warnings, name)
    context = {
        "warnings": warnings,
        "name": name,
        "marking": marking,
        "draft": "" if result.complete else _(" — DRAFT — incomplete"),
    }
    for sheet in sheets:
        sheet(wb, context)
    about = wb.create_sheet(_(ABOUT))
    rows = about_rows(result, plan(result))
    for r, (label, value) in enumerate(rows, 1):
        about.cell(row=r, column=1, value=label).font = Font(bold=True)
        cell = about.cell(row=r, column=2)
        cell.value = clean(value, f"{_(ABOUT)}, {label}", [] if label == _("Handling") else warnings, name)
        cell.data_type, cell.alignment = "s", Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 16, 90
    props = wb.properties
    props.title = clean(rows[0][1], "", [])[:255]
    props.subject = clean(f"{subject} — {result.framework.title} {result.framework.version}", "", [])[:255]
    props.creator = clean(result.answers.metadata.get("analyst") or "assess", "", [])[:255]
    props.keywords = clean(
        "; ".join(str(result.answers.metadata.get(k) or "") for k in ("mission", "period", "marking")), "", []
    )[:255]
    props.category = marking[:255]
    wb.custom_doc_props.append(StringProperty(name="assess", value=mark))
    wb.save(path)
    return warnings


def write_plan(result: Result, path: Path, name: str = "the plan of action") -> list[Problem]:
    """Write the plan of action of a scored assessment to path as a workbook, with the collection plan on its
    second sheet; return the warnings (W009, about name: the workbook as the user named it).

    Every text cell is typed as text (data_type 's'), so text that starts with '=' (from an answer, a block's
    name or the framework) stays text and never becomes a formula; numbers (No., Rank) are numbers."""

    def actions(wb, context: dict) -> None:
        rows = [(_("item {number}").format(number=i.number), item_row(i, result)) for i in plan(result)]
        _sheet(wb.create_sheet(_(SHEET)), COLUMNS, rows, context)

    return _workbook(
        result,
        path,
        name,
        MARK,
        _("Plan of action"),
        (actions, lambda wb, context: _requirements_sheet(wb, result, context)),
    )


def write_requirements(result: Result, path: Path, name: str = "the collection plan") -> list[Problem]:
    """Write the collection plan of a scored assessment to path as a workbook (its Collection plan sheet and
    About); return the warnings (W009, about name)."""
    return _workbook(
        result,
        path,
        name,
        REQUIREMENTS_MARK,
        _("Collection plan"),
        (lambda wb, context: _requirements_sheet(wb, result, context),),
    )


def _in_every_language(word: str) -> set[str]:
    """A word of the workbook as every language of the interface writes it (a plan written in French is read in
    English too)."""
    return {catalogue("cli", lang).gettext(word) for lang in interface_languages()}


def filled_row(path: Path) -> str | None:
    """Where a plan workbook (of action, or of collection) first has an entry in Owner, Due date or Status: 'row 2',
    or 'row 3 of its Collection plan sheet' past the first sheet; 'row 1' when it cannot be read."""
    from openpyxl import load_workbook

    try:
        with open(path, "rb") as fh:
            wb = load_workbook(fh, read_only=True, data_only=True)
            names = [_in_every_language(n) for n in (SHEET, REQUIREMENTS_SHEET)]
            sheets = [wb[n] for n in wb.sheetnames if any(n in named for named in names)] or wb.worksheets[:1]
            filled = set().union(*(_in_every_language(t) for t in FILLED))
            for k, ws in enumerate(sheets):
                rows = ws.iter_rows(values_only=True)
                header = next(rows, ())
                watched = [i for i, title in enumerate(header) if title in filled]
                for n, row in enumerate(rows, 2):
                    if any(i < len(row) and row[i] not in (None, "") for i in watched):
                        return f"row {n}" + (f" of its {ws.title} sheet" if k else "")
            wb.close()
    except Exception:  # a workbook openpyxl cannot read is not known to be empty: kept
        return "row 1"
    return None
