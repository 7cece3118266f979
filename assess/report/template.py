"""Provides the builder of the default report template, templates/assessment.docx, so it is reproducible."""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

from ..paths import TEMPLATES
from .analysis_template import collection_plan, follow_up, grade_annex, kept_aside, key_judgements, outlook
from .docparts import add_paragraph, complex_sizes, field, heading, loop_table, ngettext, tag

_ = tag  # the report's words, as template tags (extracted from these calls into the `report` catalogue)


DEFAULT = TEMPLATES / "assessment.docx"


FONT = "Calibri"
"""The body and heading font, set once on the document defaults: the font UN desktops have. LibreOffice shows
Carlito in its place (the same widths; package fonts-crosextra-carlito), so a PDF keeps Word's line breaks; it
ignores a font table's alternative names, so without Carlito it falls back to its default sans."""
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
"""Heading colour: 11.6:1 on white."""
RED = RGBColor(0xB7, 0x1C, 0x1C)
"""Marking colour: 6.6:1 on white."""
HEADINGS = {"Title": 24, "Heading 1": 16, "Heading 2": 13, "Heading 3": 11.5, "Heading 4": 10.5}
"""Heading sizes in points."""


def _fonts(doc) -> None:
    """Set the font once, on the document defaults (w:rFonts ascii, hAnsi, cs, eastAsia), and take every style's own
    font away, so changing the default restyles the whole document."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    for rfonts in list(styles.iter(qn("w:rFonts"))):
        rfonts.getparent().remove(rfonts)
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    rpr.insert(
        0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>')
    )


def _style(doc, name: str, size: float, base: str = "Normal", bold: bool = False, colour: RGBColor | None = None):
    """A named paragraph style, made once: HQ restyles every paragraph of its kind by changing it."""
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold or None
    if colour is not None:
        style.font.color.rgb = colour
    return style


def _named_styles(doc, body_size: float) -> None:
    """The styles a report's kinds of text carry: Question, Answer, Note, Finding, Marking, Bottom line, Score, Table
    text, and the table of contents' entries."""
    question = _style(doc, "Question", body_size - 0.5, bold=True)
    question.paragraph_format.keep_with_next = True
    question.paragraph_format.space_before = Pt(5)
    question.paragraph_format.space_after = Pt(1)
    question.paragraph_format.keep_together = True
    answer = _style(doc, "Answer", body_size - 0.5)
    answer.paragraph_format.space_after = Pt(1)
    note = _style(doc, "Note", body_size - 1.5, base="Answer")
    note.font.italic = True
    note.paragraph_format.left_indent = Cm(0.5)
    _style(doc, "Table text", body_size - 1.5).paragraph_format.space_after = Pt(0)
    _style(doc, "Finding", body_size - 1.5, base="Table text", bold=True)
    _style(doc, "Caution", body_size - 1.5, base="Table text").font.italic = True
    marking = _style(doc, "Marking", body_size, bold=True, colour=RED)
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    score = _style(doc, "Score", body_size, bold=True, colour=NAVY)
    score.paragraph_format.keep_with_next = True
    score.paragraph_format.space_after = Pt(2)
    for level in range(1, 5):  # the table of contents' entries, indented by level
        entry = _style(doc, f"TOC {level}", body_size - 0.5)
        entry.paragraph_format.left_indent = Cm(0.5 * (level - 1))
        entry.paragraph_format.space_after = Pt(1 if level > 1 else 2)
    bottom = _style(doc, "Bottom line", body_size + 0.5)
    bottom.paragraph_format.space_after = Pt(3)
    bottom.paragraph_format.left_indent = Cm(0.3)
    bottom.paragraph_format.right_indent = Cm(0.3)
    # a light panel with a navy rule on its left: the block reads as one, however many paragraphs it holds
    bottom.element.get_or_add_pPr().append(
        parse_xml(f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="24" w:space="6" w:color="1F3A5F"/></w:pBdr>')
    )
    bottom.element.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="EEF2F7"/>')
    )


def new_document(side_margin: float, body_size: float):
    """An A4 portrait document with the house styles (Calibri set once, navy headings, the named styles of a report's
    kinds of text) the templates share."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(side_margin))
    section.top_margin = section.bottom_margin = Cm(2.0)
    _fonts(doc)
    styles = doc.styles
    styles["Normal"].font.size = Pt(body_size)
    for name, size in HEADINGS.items():
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = NAVY
        styles[name].font.italic = False
    for name in ("Caption", "Subtitle", "Intense Quote"):  # the default's accent blue is 3.9:1 on white: too pale
        styles[name].font.color.rgb = NAVY
    _named_styles(doc, body_size)
    return doc, section


def _section(doc, landscape: bool) -> None:
    """Start a new page in a new section, landscape or portrait A4, with the same margins, header and footer."""
    from docx.enum.section import WD_SECTION

    previous = doc.sections[-1]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    long, short = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, getattr(previous, side))


CONTENTS_LEVELS = 2
"""Heading levels the table of contents lists: chapters and their sections (the navigation pane shows all four)."""


def toc(doc) -> None:
    """A table of contents field (Heading 1-2, as links) that Word fills when it opens the document."""
    para = doc.add_paragraph()
    runs = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> TOC \\o "1-{CONTENTS_LEVELS}" \\h \\z \\u </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r><w:t>"
        + _(
            "The contents are listed when the document is opened in Word (answer Yes to update its fields) or updated "
            "with F9."
        )
        + "</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    for run in runs:
        para._p.append(parse_xml(run.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


def build(path: Path = DEFAULT) -> Path:
    """Write the default template: every text a report shows is a Jinja2 tag that HQ may move or restyle."""
    doc, section = new_document(2.0, 10)

    # header and footer: the handling marking on every page, DRAFT while incomplete, the short title
    header = section.header.paragraphs[0]
    header.style = doc.styles["Marking"]
    header.add_run("{{ marking }}{% if draft %} — " + _("DRAFT — incomplete") + "{% endif %}")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ marking }} · {{ footer_title }} · " + _("page") + " ")
    field(footer, "PAGE")
    footer.add_run(" " + _("of") + " ")
    field(footer, "NUMPAGES")

    # cover: the marking once in the body, the title, the headline rating and the dates
    add_paragraph(doc, "{{ marking }}", style="Marking")
    add_paragraph(doc, "{%p if draft %}")
    add_paragraph(doc, _("DRAFT — incomplete assessment"), style="Marking")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{{ title }}", style="Title")
    add_paragraph(
        doc, _("{title}, version {version}", title="framework.title", version="framework.version"), style="Subtitle"
    )
    add_paragraph(doc, _("Headline rating"), style="Score")
    add_paragraph(doc, "{%p if bottom.headline.line %}")
    add_paragraph(doc, "{{ bottom.headline.line }}", style="Bottom line")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for h in bottom.headline.scores %}")
    add_paragraph(doc, "{{ h.sentence }}", style="Bottom line")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "")
    facts = doc.add_table(rows=4, cols=2)
    facts.style = "Light Grid Accent 1"  # black on a pale tint (the Light List header is white on 3.9:1 blue)
    facts.rows[0].cells[0].text = "{%tr for f in facts %}"
    facts.rows[1].cells[0].text = "{{ f.label }}"
    facts.rows[1].cells[1].text = "{{ f.value }}"
    facts.rows[2].cells[0].text = "{%tr endfor %}"
    facts._tbl.remove(facts.rows[3]._tr)
    doc.add_page_break()

    # executive summary: page one is the bottom line
    doc.add_heading(_("Executive summary"), level=1)
    doc.add_heading(_("Bottom line"), level=2)
    add_paragraph(doc, "{%p if bottom.headline.line %}")
    add_paragraph(doc, "{{ bottom.headline.line }}.", style="Bottom line")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for h in bottom.headline.scores %}")
    add_paragraph(doc, "{{ h.sentence }}{% if h.description %} {{ h.description }}{% endif %}", style="Bottom line")
    add_paragraph(doc, "{%p endfor %}")
    key_judgements(doc)
    add_paragraph(doc, "{%p if bottom.none_yet %}")
    add_paragraph(doc, "{{ bottom.none_yet }}", style="Bottom line")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p if bottom.findings %}")
    add_paragraph(doc, _("Key findings"), style="Score")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for f in bottom.findings %}")
    add_paragraph(
        doc,
        "• {{ f.text }} (" + _("plan item {number}", number="f.number") + ", {{ f.priority|lower }})",
        style="Bottom line",
    )
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p if bottom.actions %}")
    add_paragraph(doc, _("Top actions"), style="Score")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for a in bottom.actions %}")
    add_paragraph(
        doc,
        "{{ a.number }}. {% if a.addressee %}"
        + _("{addressee}: {text}", addressee="a.addressee", text="a.text")
        + "{% else %}{{ a.text }}{% endif %}",
        style="Bottom line",
    )
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(
        doc,
        "{% if bottom.more %}"
        + ngettext(
            "{n} more action(s) in the plan of action.", "{n} more action(s) in the plan of action.", "bottom.more"
        )
        + " {% endif %}{% if not plan and not bottom.none_yet %}"
        + _("No rule of the framework was triggered by these answers.")
        + " {% endif %}{{ bottom.draft }} "
        + _(
            "Information cut-off: {cutoff}; last updated: {updated}; report generated: {date}.",
            cutoff="bottom.cutoff",
            updated="bottom.updated",
            date="date",
        ),
        style="Bottom line",
    )
    add_paragraph(doc, "{%p if bottom.carried or bottom.follow_up %}")
    add_paragraph(
        doc, "{{ bottom.carried }}{% if bottom.carried %} {% endif %}{{ bottom.follow_up }}", style="Bottom line"
    )
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p if bottom.kept_aside %}")
    add_paragraph(doc, "{{ bottom.kept_aside }}", style="Bottom line")
    add_paragraph(doc, "{%p endif %}")
    doc.add_heading(_("Scores"), level=2)
    loop_table(
        doc,
        [_("Score"), _("Value"), _("Scale"), _("Rating")],
        ["{{ s.indent }}{{ s.title }}", "{{ s.display }}", "{{ s.scale }}", "{% cellbg s.colour %}{{ s.rating }}"],
        "for s in scores",
        [8.0, 1.8, 4.2, 3.0],
        right=(1,),
    )
    add_paragraph(doc, "{{ scores_note }}", style="Caption")
    add_paragraph(doc, "{{ chart }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "{%p if quadrant %}")
    add_paragraph(doc, "{{ quadrant }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, _("Contents"), style="TOC Heading")
    toc(doc)

    # the assessment: each section once, its score on its scale, a repeatable section's blocks in its matrix
    doc.add_heading(_("Assessment"), level=1)
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
        [_("Rank"), _("Name"), _("Score"), _("Rating")],
        ["{{ r.rank }}", "{{ r.name }}", "{{ r.display }}", "{% cellbg r.colour %}{{ r.rating }}"],
        "for r in rk.rows",
        [1.5, 9.5, 3.0, 3.0],
        right=(0, 2),
    )
    add_paragraph(doc, "{%p if rk.range_note %}")
    add_paragraph(doc, "{{ rk.range_note }}", style="Caption")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p for sec in body %}")
    heading(doc, "{{ sec.heading }}", "sec.level")
    add_paragraph(doc, "{%p if sec.score or sec.blocks %}")
    add_paragraph(
        doc,
        "{% if sec.score %}{% if sec.scale %}"
        + _("Score {score} on {scale}", score="sec.score", scale="sec.scale")
        + "{% else %}"
        + _("Score {score}", score="sec.score")
        + "{% endif %}{% if sec.rating %} — {{ sec.rating }}{% endif %}. {% endif %}{{ sec.blocks }}",
        style="Score",
    )
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p if sec.description %}")
    add_paragraph(doc, "{{ sec.description }}")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for m in matrices if m.id == sec.id %}")
    heading(doc, "{{ m.title }}", "sec.sub_level")
    add_paragraph(doc, "{{ m.table }}")
    add_paragraph(doc, "{{ m.note }}", style="Caption")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")
    outlook(doc)
    doc.add_heading(_("Gaps"), level=2)
    add_paragraph(
        doc,
        "{% if not gaps %}"
        + _("No gaps: every required question is answered, with sources and confidence.")
        + "{% else %}"
        + _("What is missing or weak, by kind; the annex lists every one.")
        + "{% endif %}",
    )
    add_paragraph(doc, "{%p if gap_table %}")
    loop_table(
        doc,
        [_("Kind"), _("Count"), _("Examples")],
        ["{{ g.kind }}", "{{ g.count }}", "{{ g.examples }}"],
        "for g in gap_table",
        [3.6, 1.9, 11.5],
        right=(1,),
        style="Table text",
    )
    add_paragraph(doc, "{%p endif %}")

    # the plan of action, on landscape pages: seven columns of sentences read better wide
    _section(doc, landscape=True)
    doc.add_heading(_("Plan of action"), level=1)
    add_paragraph(
        doc,
        "{% if plan %}"
        + _(
            "Each action once, for every group or block it concerns, gravest first, addressed to who must act. "
            "Numbers, priorities and wording match the plan-of-action spreadsheet; Owner and Due are for the mission "
            "to fill in. A finding that rests on a single source, or only on low-graded sources, says so; actions "
            "that pull against each other are marked. The references for each action are in the annex 'References "
            "for the actions'."
        )
        + "{% elif bottom.none_yet %}{{ bottom.none_yet }}{% else %}"
        + _("No rule of the framework was triggered by these answers.")
        + "{% endif %}",
    )
    add_paragraph(doc, "{%p if plan %}")
    plan = loop_table(
        doc,
        [_("No."), _("Priority"), _("Finding"), _("Action"), _("Addressee"), _("For whom"), _("Owner"), _("Due")],
        ["{{ a.number }}", "{{ a.priority }}", "{{ a.finding }}", "{{ a.action }}", "{{ a.addressee }}"]
        + ["{{ a.for_whom }}", "", ""],
        "for a in plan",
        [1.0, 1.6, 5.8, 6.9, 2.9, 3.0, 2.5, 2.0],
        right=(0,),
        style="Table text",
    )
    plan.rows[2].cells[2].paragraphs[0].style = doc.styles["Finding"]
    for cell, caution in ((2, "a.support"), (3, "a.conflicts")):  # a second line, only where there is something
        for text in ("{%p if " + caution + " %}", "{{ " + caution + " }}", "{%p endif %}"):
            plan.rows[2].cells[cell].add_paragraph(text, style="Caution")
    add_paragraph(doc, "{%p endif %}")
    follow_up(doc)
    collection_plan(doc)

    # annexes: the answers question by question, the gaps, the references, the method
    _section(doc, landscape=False)
    doc.add_heading(_("Annex: answers question by question"), level=1)
    add_paragraph(doc, "{%p for sec in sections %}")
    heading(doc, "{{ sec.heading }}", "sec.level")
    add_paragraph(doc, "{%p if sec.score %}")
    add_paragraph(
        doc, _("Score {score}", score="sec.score") + "{% if sec.rating %} — {{ sec.rating }}{% endif %}.", style="Score"
    )
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for q in sec.questions %}")
    add_paragraph(doc, "{{ q.number }}  {{ q.text }}", style="Question")
    add_paragraph(
        doc,
        _("Answer: {answer}", answer="q.answer")
        + "{% if q.carried %} ({{ q.carried }}){% endif %}{% if q.confidence %} · "
        + _("Confidence: {confidence}", confidence="q.confidence")
        + "{% endif %}",
        style="Answer",
    )
    add_paragraph(doc, "{%p if q.sources %}")
    add_paragraph(doc, _("Sources: {sources}", sources="q.sources_text"), style="Note")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p if q.note %}")
    add_paragraph(doc, "{{ q.note }}", style="Note")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")
    kept_aside(doc)

    add_paragraph(doc, "{%p if gap_table|selectattr('more')|list %}")
    doc.add_heading(_("Annex: gaps"), level=1)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for g in gap_table if g.more %}")
    add_paragraph(doc, "{{ g.kind }} ({{ g.count }})", style="Heading 2")
    add_paragraph(doc, "{%p for message in g.messages %}")
    add_paragraph(doc, "{{ message }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")

    add_paragraph(doc, "{%p if plan %}")
    doc.add_heading(_("Annex: references for the actions"), level=1)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for a in plan %}")
    add_paragraph(
        doc,
        "{{ a.number }}. {{ a.reference }}{% if a.recommendations or a.see_also %} [{{ a.recommendations }}"
        "{% if a.recommendations and a.see_also %}; {% endif %}{% if a.see_also %}"
        + _("see also {items}", items="a.see_also")
        + "{% endif %}]{% endif %}",
        style="Answer",
    )
    add_paragraph(doc, "{%p endfor %}")

    doc.add_heading(_("Annex: about this assessment"), level=1)
    add_paragraph(doc, "{%p for para in framework.description %}")
    add_paragraph(doc, "{{ para }}")
    add_paragraph(doc, "{%p endfor %}")
    doc.add_heading(_("Method"), level=2)
    add_paragraph(
        doc,
        _(
            "Framework {id}, version {version}, content hash {hash}. Scores are computed exactly and rounded half-up "
            "to {precision} decimal places for display.",
            id="method.framework_id",
            version="method.version",
            hash="method.hash",
            precision="method.precision",
        )
        + " {{ method.policy }}",
    )
    grade_annex(doc)
    doc.add_heading(_("How each score was computed"), level=2)
    add_paragraph(doc, "{%p for m in method.scores %}")
    add_paragraph(doc, _("{title}: {text}", title="m.title", text="m.method"), style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    doc.add_heading(_("Scales"), level=2)
    add_paragraph(doc, "{%p for sc in method.scales %}")
    add_paragraph(doc, _("{title}: {text}", title="sc.title", text="sc.options"), style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    doc.add_heading(_("Ratings"), level=2)
    add_paragraph(doc, "{%p for rt in method.ratings %}")
    add_paragraph(doc, "{{ rt.title }}", style="Score")
    loop_table(
        doc,
        [_("Rating"), _("Range"), _("Meaning")],
        ["{% cellbg r.colour %}{{ r.label }}", "{{ r.range }}", "{{ r.description }}"],
        "for r in rt.rows",
        [2.6, 2.6, 11.8],
        right=(1,),
        style="Table text",
    )
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p if method.references %}")
    doc.add_heading(_("References"), level=2)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for ref in method.references %}")
    add_paragraph(doc, "{{ ref }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(
        doc,
        _(
            "Generated by assess on {date}. The answers and the result are embedded in this document as "
            "machine-readable data with a SHA-256 hash.",
            date="date",
        ),
        style="Caption",
    )
    complex_sizes(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
