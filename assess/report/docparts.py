"""Provides the Word building blocks the report templates are made of: paragraphs of literal text (a template tag
is text to docxtpl), tables whose row a docxtpl loop repeats, fields, headings whose level the data decides."""

from __future__ import annotations

import json

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor


def tag(message: str, **fields: str) -> str:
    """The template tag that writes message in the report's language, from the `report` catalogue (a template calls
    `_`, which the report gives it); fields fill its {placeholders} with template expressions (n='bottom.more')."""
    args = "".join(f", {name}={expression}" for name, expression in fields.items())
    return "{{ _(" + json.dumps(message, ensure_ascii=False) + args + ") }}"


def ngettext(singular: str, plural: str, n: str) -> str:
    """The template tag of a count's words (n: its template expression): extracted with a plural form into the
    catalogue, the report picks the form by the number (assess.report.localize.say)."""
    del plural  # the catalogue's; the tag names the message by its singular
    return tag(singular, n=n)


def complex_sizes(doc) -> None:
    """Give each style's complex-script text (Arabic, Hebrew) the size of its Latin text (w:szCs as w:sz): an
    Arabic name in a French table cell is then the cell's size, not the document default's."""
    from docx.oxml.ns import qn

    for rpr in doc.styles.element.iter(qn("w:rPr")):
        size = rpr.find(qn("w:sz"))
        if size is None:
            continue
        cs = rpr.find(qn("w:szCs"))
        if cs is None:
            cs = rpr.makeelement(qn("w:szCs"), {})
            size.addnext(cs)
        cs.set(qn("w:val"), size.get(qn("w:val")))


def field(paragraph, instr: str) -> None:
    """Insert a Word field (PAGE, NUMPAGES) as raw XML: python-docx has no fields API."""
    paragraph._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {instr} "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )


def add_paragraph(
    doc,
    text: str = "",
    style: str | None = None,
    bold: bool = False,
    size: int | None = None,
    align=None,
    colour: RGBColor | None = None,
):
    """Add a paragraph of literal text (a template tag is text to docxtpl) with the given style and looks."""
    para = doc.add_paragraph(style=style)
    if text:
        run = para.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
    if align is not None:
        para.alignment = align
    return para


def loop_table(
    doc,
    headers: list[str],
    cells: list[str],
    loop: str,
    widths: list[float],
    right: tuple[int, ...] = (),
    style: str | None = None,
):
    """A table with a header row and one templated row repeated by a docxtpl {%tr %} loop; the columns in right
    (numbers) are right-aligned, and the templated cells take the paragraph style given."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        table.rows[0].cells[i].text = h
    table.rows[1].cells[0].text = "{%tr " + loop + " %}"
    for i, c in enumerate(cells):
        table.rows[2].cells[i].text = c
        if style:
            table.rows[2].cells[i].paragraphs[0].style = doc.styles[style]
    for i in right:
        for row in (0, 2):
            table.rows[row].cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[3].cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    return table


def heading(doc, text: str, level_var: str) -> None:
    """A heading whose level the data decides (Heading 2, 3 or 4 by depth), as three guarded paragraphs."""
    add_paragraph(doc, "{%p if " + level_var + " == 2 %}")
    add_paragraph(doc, text, style="Heading 2")
    add_paragraph(doc, "{%p elif " + level_var + " == 3 %}")
    add_paragraph(doc, text, style="Heading 3")
    add_paragraph(doc, "{%p else %}")
    add_paragraph(doc, text, style="Heading 4")
    add_paragraph(doc, "{%p endif %}")
