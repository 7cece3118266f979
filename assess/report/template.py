"""Provides the builder of the default report template, templates/assessment.docx, so it is reproducible."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

from ..paths import TEMPLATES

DEFAULT = TEMPLATES / "assessment.docx"


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


def loop_table(doc, headers: list[str], cells: list[str], loop: str, widths: list[float]):
    """A table with a header row and one templated row repeated by a docxtpl {%tr %} loop."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        table.rows[0].cells[i].text = h
    table.rows[1].cells[0].text = "{%tr " + loop + " %}"
    for i, c in enumerate(cells):
        table.rows[2].cells[i].text = c
    table.rows[3].cells[0].text = "{%tr endfor %}"
    table.autofit = False
    for i, w in enumerate(widths):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    return table


def new_document(side_margin: float, body_size: float):
    """An A4 portrait document with the house styles (Liberation Sans, navy headings) the templates share."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(side_margin))
    section.top_margin = section.bottom_margin = Cm(2.0)
    styles = doc.styles
    styles["Normal"].font.name = "Liberation Sans"
    styles["Normal"].font.size = Pt(body_size)
    for name, size in (("Title", 24), ("Heading 1", 16), ("Heading 2", 13), ("Heading 3", 11)):
        styles[name].font.name = "Liberation Sans"
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)
    return doc, section


def build(path: Path = DEFAULT) -> Path:
    """Write the default template: every text a report shows is a Jinja2 tag that HQ may move or restyle."""
    doc, section = new_document(2.2, 10.5)

    # header and footer: the handling marking on every page, and DRAFT while incomplete
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("{{ marking }}{% if draft %} — DRAFT — incomplete{% endif %}")
    run.bold = True
    run.font.color.rgb = RGBColor(0xB7, 0x1C, 0x1C)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ marking }} — {{ short_title }} — page ")
    field(footer, "PAGE")
    footer.add_run(" of ")
    field(footer, "NUMPAGES")

    # cover
    add_paragraph(doc, "{{ marking }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, colour=RGBColor(0xB7, 0x1C, 0x1C))
    add_paragraph(
        doc,
        "{% if draft %}DRAFT — incomplete assessment{% endif %}",
        bold=True,
        size=14,
        colour=RGBColor(0xB7, 0x1C, 0x1C),
    )
    add_paragraph(doc, "{{ title }}", style="Title")
    add_paragraph(doc, "{{ framework.title }}, version {{ framework.version }}", style="Subtitle")
    facts = doc.add_table(rows=4, cols=2)
    facts.style = "Light List Accent 1"
    facts.rows[0].cells[0].text = "{%tr for f in facts %}"
    facts.rows[1].cells[0].text = "{{ f.label }}"
    facts.rows[1].cells[1].text = "{{ f.value }}"
    facts.rows[2].cells[0].text = "{%tr endfor %}"
    facts._tbl.remove(facts.rows[3]._tr)
    add_paragraph(doc, "")
    add_paragraph(doc, "{%p for para in framework.description %}")
    add_paragraph(doc, "{{ para }}", style="Quote")
    add_paragraph(doc, "{%p endfor %}")
    doc.add_page_break()

    # executive summary
    doc.add_heading("Executive summary", level=1)
    add_paragraph(doc, "{{ status_text }}")
    doc.add_heading("Scores", level=2)
    loop_table(
        doc,
        ["Score", "Value", "Rating"],
        ["{{ s.indent }}{{ s.title }}", "{{ s.display }}", "{% cellbg s.colour %}{{ s.rating }}"],
        "for s in scores",
        [10.5, 2.5, 3.5],
    )
    add_paragraph(doc, "{{ scores_note }}", style="Caption")
    add_paragraph(doc, "{{ chart }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_heading("Main findings and recommended actions", level=2)
    add_paragraph(doc, "{% if not actions %}No rule of the framework was triggered by these answers.{% endif %}")
    add_paragraph(doc, "{%p for group in actions_by_priority %}")
    add_paragraph(doc, "{{ group.label }} priority ({{ group.actions|length }})", style="Heading 3")
    add_paragraph(doc, "{%p for a in group.actions %}")
    add_paragraph(doc, "{{ a.finding }}", style="List Number", bold=True)
    add_paragraph(doc, "Action: {{ a.action }}", style="List Continue")
    add_paragraph(
        doc,
        "Reference: {{ a.reference }}{% if a.recommendations %} [{{ a.recommendations }}]{% endif %}",
        style="List Continue",
    )
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")

    # heat maps and rankings
    add_paragraph(doc, "{%p for h in heatmaps %}")
    add_paragraph(doc, "{{ h.title }}", style="Heading 2")
    add_paragraph(doc, "{{ h.image }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "{{ h.legend }}", style="Caption")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p for rk in rankings %}")
    add_paragraph(doc, "{{ rk.title }}", style="Heading 2")
    add_paragraph(doc, "{{ rk.note }}")
    loop_table(
        doc,
        ["Rank", "Name", "Score", "Rating"],
        ["{{ r.rank }}", "{{ r.name }}", "{{ r.display }}", "{% cellbg r.colour %}{{ r.rating }}"],
        "for r in rk.rows",
        [1.5, 9.5, 2.5, 3.0],
    )
    add_paragraph(doc, "{%p endfor %}")

    # the assessment section by section
    doc.add_page_break()
    doc.add_heading("Assessment", level=1)
    add_paragraph(doc, "{%p for sec in sections %}")
    add_paragraph(doc, "{{ sec.heading }}", style="Heading 2")
    add_paragraph(
        doc,
        "{% if sec.score %}Score {{ sec.score }}{% if sec.rating %} — {{ sec.rating }}{% endif %}. "
        "{% endif %}{{ sec.description }}",
        style="Caption",
    )
    add_paragraph(doc, "{%p for q in sec.questions %}")
    add_paragraph(doc, "{{ q.number }}  {{ q.text }}", bold=True)
    add_paragraph(doc, "Answer: {{ q.answer }}{% if q.confidence %}   Confidence: {{ q.confidence }}{% endif %}")
    add_paragraph(doc, "{%p for src in q.sources %}")
    add_paragraph(doc, "Source: {{ src.ref }}{% if src.grade %} ({{ src.grade }}){% endif %}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p if q.note %}")
    add_paragraph(doc, "{{ q.note }}", style="Quote")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")

    # gaps
    doc.add_heading("Gaps", level=1)
    add_paragraph(
        doc, "{% if not gaps %}No gaps: every required question is answered, with sources and confidence.{% endif %}"
    )
    add_paragraph(doc, "{%p for g in gaps %}")
    add_paragraph(doc, "{{ g.message }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")

    # annex: method
    doc.add_page_break()
    doc.add_heading("Annex: method", level=1)
    add_paragraph(
        doc,
        "Framework {{ method.framework_id }}, version {{ method.version }}, content hash "
        "{{ method.hash }}. Scores are computed exactly and rounded half-up to {{ method.precision }} "
        "decimal places for display. {{ method.policy }}",
    )
    add_paragraph(doc, "Sources are graded on the {{ method.grading }}.")
    doc.add_heading("How each score was computed", level=2)
    add_paragraph(doc, "{%p for m in method.scores %}")
    add_paragraph(doc, "{{ m.title }}: {{ m.method }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    doc.add_heading("Scales", level=2)
    add_paragraph(doc, "{%p for sc in method.scales %}")
    add_paragraph(doc, "{{ sc.title }}: {{ sc.options }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    doc.add_heading("Ratings", level=2)
    add_paragraph(doc, "{%p for rt in method.ratings %}")
    add_paragraph(doc, "{{ rt.title }}: {{ rt.bands }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p if method.references %}")
    doc.add_heading("References", level=2)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for ref in method.references %}")
    add_paragraph(doc, "{{ ref }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(
        doc,
        "Generated by assess on {{ date }}. The answers and the result are embedded in this document "
        "as machine-readable data with a SHA-256 hash.",
        style="Caption",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
