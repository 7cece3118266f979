"""Provides the builder of the headquarters summary template, templates/summary.docx, so it is reproducible.

    python -m assess.collect.template [OUT.docx]

Every text the summary shows is a Jinja2 tag that headquarters may move or restyle in Word, as with the
assessment report's template (assess/report/template.py, whose helpers this reuses).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from ..paths import TEMPLATES
from ..report.template import add_paragraph, field, loop_table, new_document

DEFAULT = TEMPLATES / "summary.docx"
RED = RGBColor(0xB7, 0x1C, 0x1C)


def _matrix(doc) -> None:
    """Scores down the side, missions across (a {%tc %} column loop), each cell shaded by its rating."""
    table = doc.add_table(rows=6, cols=4)
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head, period = table.rows[0].cells, table.rows[1].cells
    head[0].text = "{{ words.score }}"
    head[1].text = "{%tc for m in t.columns %}"
    head[2].text = "{{ m.label }}"
    head[3].text = "{%tc endfor %}"
    period[0].text = "{{ words.period }}"
    period[1].text = "{%tc for m in t.columns %}"
    period[2].text = "{{ m.period }}"
    period[3].text = "{%tc endfor %}"
    table.rows[2].cells[0].text = "{%tr for r in t.rows %}"
    row = table.rows[3].cells
    row[0].text = "{{ r.indent }}{{ r.title }}"
    row[1].text = "{%tc for c in r.cells %}"
    row[2].text = "{% cellbg c.colour %}{{ c.text }}"
    row[3].text = "{%tc endfor %}"
    table.rows[4].cells[0].text = "{%tr endfor %}"
    table._tbl.remove(table.rows[5]._tr)
    for i, w in enumerate((5.0, 3.0, 3.0, 3.0)):  # docxtpl rescales the grid to the columns the loop makes
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)


def _mapped(doc) -> None:
    """Questions down the side with how they map, missions across (a {%tc %} column loop): each mission's answer."""
    table = doc.add_table(rows=5, cols=5)
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells
    head[0].text = "{{ words.question }}"
    head[1].text = "{{ words.how }}"
    head[2].text = "{%tc for m in t.columns %}"
    head[3].text = "{{ m }}"
    head[4].text = "{%tc endfor %}"
    table.rows[1].cells[0].text = "{%tr for r in t.rows %}"
    row = table.rows[2].cells
    row[0].text = "{{ r.question }}"
    row[1].text = "{{ r.how }}"
    row[2].text = "{%tc for c in r.cells %}"
    row[3].text = "{{ c }}"
    row[4].text = "{%tc endfor %}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    table._tbl.remove(table.rows[4]._tr)
    for i, w in enumerate((5.0, 4.0, 3.0, 3.0, 3.0)):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)


def _policy_matrix(doc) -> None:
    """Policy recommendations down the side, missions across (a {%tc %} column loop), each cell the number of
    actions leading to it, shaded."""
    table = doc.add_table(rows=5, cols=5)
    table.style = "Light Grid Accent 1"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells
    head[0].text = "{{ words.policy }}"
    head[1].text = "{{ words.missions }}"
    head[2].text = "{%tc for m in t.columns %}"
    head[3].text = "{{ m }}"
    head[4].text = "{%tc endfor %}"
    table.rows[1].cells[0].text = "{%tr for r in t.rows %}"
    row = table.rows[2].cells
    row[0].text = "{{ r.label }}"
    row[1].text = "{{ r.spread }}"
    row[2].text = "{%tc for c in r.cells %}"
    row[3].text = "{% cellbg c.colour %}{{ c.text }}"
    row[3].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    row[4].text = "{%tc endfor %}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    table._tbl.remove(table.rows[4]._tr)
    # the header and each row kept with the next: the matrix starts on a new page rather than leave its header
    # and first row alone at the foot of one (a matrix longer than a page still breaks, its header repeated)
    for tr in (table.rows[0], table.rows[2]):
        for cell in tr.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True
    # docxtpl scales the template's columns and adds ones of the average width for the missions the loop makes:
    # columns of one width stay of one width, whatever the number of missions
    for i, w in enumerate((3.4,) * 5):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)


def build(path: Path = DEFAULT) -> Path:
    """Write the default summary template."""
    doc, section = new_document(2.0, 10)

    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run("{{ marking }}{% if draft %} — {{ words.draft }}{% endif %}")
    run.bold = True
    run.font.color.rgb = RED
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ marking }} — {{ words.summary }}, {{ date }} — {{ words.page }} ")
    field(footer, "PAGE")
    footer.add_run(" {{ words.page_of }} ")
    field(footer, "NUMPAGES")

    # cover
    add_paragraph(doc, "{{ marking }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, colour=RED)
    add_paragraph(doc, "{{ title }}", style="Title")
    add_paragraph(doc, "{{ subtitle }}", style="Subtitle")
    add_paragraph(doc, "{%p if draft %}")
    add_paragraph(doc, "{{ words.draft }} — {{ draft_text }}", bold=True, size=14, colour=RED)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{{ status_text }}")

    # at a glance: one row per mission, worst first
    doc.add_heading("{{ words.glance }}", level=1)
    add_paragraph(doc, "{{ glance_note }}", style="Caption")
    glance = loop_table(
        doc,
        ["{{ words.mission_period }}", "{{ words.framework_headline }}", "{{ words.headline_score }}",
         "{{ words.change }}", "{{ words.critical }}", "{{ words.high }}", "{{ words.answered }}",
         "{{ words.required_open }}", "{{ words.draft_column }}"],
        [
            "{{ g.mission }}, {{ g.period }}",
            "{{ g.framework }}{{ words.colon }}{{ g.headline }}",
            "{% cellbg g.colour %}{{ g.score }}",
            "{{ g.change }}",
            "{{ g.critical }}",
            "{{ g.high }}",
            "{{ g.coverage }}",
            "{{ g.required }}",
            "{{ g.draft }}",
        ],
        "for g in glance",
        [1.9, 2.8, 2.4, 2.0, 1.4, 1.35, 1.7, 2.0, 1.35],  # French headers fit whole (Obligatoires, Élevée)
        right=(4, 5, 6, 7),
    )  # fmt: skip
    for row in glance.rows:  # nine columns: a size smaller than the body
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8.5)

    # recommendations x missions
    doc.add_heading("{{ words.policy_heading }}", level=1)
    add_paragraph(doc, "{{ policy_note }}", style="Caption").paragraph_format.keep_with_next = True
    add_paragraph(doc, "{%p for t in policy_tables %}")
    _policy_matrix(doc)
    add_paragraph(doc, "")
    add_paragraph(doc, "{%p endfor %}")
    loop_table(
        doc,
        ["{{ words.policy }}", "{{ words.asks }}", "{{ words.missions }}"],
        ["{{ r.label }}", "{{ r.text }}", "{{ r.spread }}"],
        "for r in policy",
        [2.6, 12.4, 2.0],
    )

    doc.add_heading("{{ words.about }}", level=1)
    facts = doc.add_table(rows=4, cols=2)
    facts.style = "Light List Accent 1"
    facts.rows[0].cells[0].text = "{%tr for f in facts %}"
    facts.rows[1].cells[0].text = "{{ f.label }}"
    facts.rows[1].cells[1].text = "{{ f.value }}"
    facts.rows[2].cells[0].text = "{%tr endfor %}"
    facts._tbl.remove(facts.rows[3]._tr)
    add_paragraph(doc, "")
    add_paragraph(doc, "{%p for n in notes %}")
    add_paragraph(doc, "{{ n }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")

    # missions x scores, one block per framework
    doc.add_heading("{{ words.scores_heading }}", level=1)
    add_paragraph(doc, "{{ scores_note }}", style="Caption")
    add_paragraph(doc, "{%p for fw in frameworks %}")
    add_paragraph(doc, "{{ fw.title }} — {{ fw.versions }}", style="Heading 2")
    add_paragraph(doc, "{%p if fw.note %}")
    add_paragraph(doc, "{{ fw.note }}", style="Quote")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for t in fw.tables %}")
    _matrix(doc)
    add_paragraph(doc, "")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")

    # questions compared across versions, by declared migrations (only when some were)
    add_paragraph(doc, "{%p if versions %}")
    doc.add_heading("{{ words.versions_heading }}", level=1)
    add_paragraph(doc, "{{ versions_note }}", style="Caption")
    add_paragraph(doc, "{%p for fw in versions %}")
    add_paragraph(doc, "{{ fw.title }} — {{ words.answers_on }} {{ fw.target }}", style="Heading 2")
    add_paragraph(doc, "{%p for t in fw.tables %}")
    _mapped(doc)
    add_paragraph(doc, "")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endif %}")

    # trends
    doc.add_heading("{{ words.trends_heading }}", level=1)
    add_paragraph(doc, "{{ trends_note }}")
    add_paragraph(doc, "{{ chart }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(doc, "{%p for tr in trends %}")
    add_paragraph(doc, "{{ tr.title }}", style="Heading 3")
    loop_table(
        doc,
        ["{{ words.mission }}", "{{ words.periods_and }} {{ tr.headline }}", "{{ words.change }}"],
        ["{{ r.label }}", "{{ r.path }}", "{{ r.change }}"],
        "for r in tr.rows",
        [3.5, 8.5, 5.0],
    )
    add_paragraph(doc, "{%p endfor %}")

    # recurring recommendations, rule by rule
    doc.add_heading("{{ words.actions_heading }}", level=1)
    add_paragraph(doc, "{{ recurring_note }}")
    actions = loop_table(
        doc,
        [
            "#",
            "{{ words.missions }}",
            "{{ words.priority }}",
            "{{ words.action }}",
            "{{ words.for_whom }}",
            "{{ words.policy }}",
            "{{ words.framework }}",
        ],
        [
            "{{ x.number }}",
            "{{ x.count }}{{ words.colon }}{{ x.missions }}",
            "{{ x.priority_label }}",
            "{{ x.action }}",
            "{{ x.for_whom }}",
            "{{ x.policy }}",
            "{{ x.framework }}",
        ],
        "for x in recurring",
        [0.7, 2.0, 1.6, 5.6, 2.7, 2.0, 2.4],
    )
    for row in actions.rows:  # seven columns: a size smaller than the body
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(8.5)

    # the last period's actions, followed up (only when some mission follows them up)
    add_paragraph(doc, "{%p if follow_up %}")
    doc.add_heading("{{ words.follow_up_heading }}", level=1)
    add_paragraph(doc, "{{ follow_up_note }}", style="Caption")
    loop_table(
        doc,
        ["{{ words.mission }}", "{{ words.framework_period }}", "{{ words.last_actions }}", "{{ words.done }}",
         "{{ words.in_progress }}", "{{ words.dropped }}", "{{ words.not_started }}"],
        ["{{ f.label }}", "{{ f.framework }}, {{ f.period }}", "{{ f.text }}", "{{ f.done }}", "{{ f.in_progress }}",
         "{{ f.dropped }}", "{{ f.not_started }}"],
        "for f in follow_up",
        [2.0, 2.9, 3.8, 1.8, 1.7, 2.45, 2.35],  # French headers fit whole (Réalisées, Abandonnées, commencées)
        right=(3, 4, 5, 6),
    )  # fmt: skip
    add_paragraph(doc, "{%p endif %}")

    # coverage, confidence, gaps
    doc.add_heading("{{ words.coverage_heading }}", level=1)
    add_paragraph(doc, "{{ coverage_note }}", style="Caption")
    loop_table(
        doc,
        [
            "{{ words.mission }}",
            "{{ words.framework_period }}",
            "{{ words.answered }}",
            "{{ words.unknown }}",
            "{{ words.required_open }}",
            "{{ words.low_confidence }}",
            "{{ words.no_sources }}",
            "{{ words.confidence }}",
        ],
        [
            "{{ c.label }}",
            "{{ c.framework }}, {{ c.period }}",
            "{{ c.answered }}",
            "{{ c.unknown }}",
            "{{ c.required_missing }}",
            "{{ c.low_confidence }}",
            "{{ c.no_sources }}",
            "{{ c.confidence }}",
        ],
        "for c in coverage",
        [2.0, 2.6, 1.9, 1.85, 2.2, 1.6, 1.6, 3.25],  # French headers fit whole (Obligatoires)
    )
    doc.add_heading("{{ words.gaps_heading }}", level=2)
    add_paragraph(doc, "{% if not gaps %}{{ words.no_gaps }}{% endif %}")
    add_paragraph(doc, "{%p for g in gaps %}")
    add_paragraph(doc, "{{ g.label }} — {{ g.framework }}, {{ g.period }}", bold=True)
    add_paragraph(doc, "{%p for item in g.lines %}")
    add_paragraph(doc, "{{ item }}", style="List Bullet")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p if g.more %}")
    add_paragraph(doc, "{{ g.more }}", style="Caption")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p endfor %}")

    # annex: the assessments
    doc.add_page_break()
    doc.add_heading("{{ words.annex_heading }}", level=1)
    add_paragraph(doc, "{{ assessments_note }}")
    loop_table(
        doc,
        [
            "{{ words.mission }}",
            "{{ words.period }}",
            "{{ words.framework }}",
            "{{ words.language }}",
            "{{ words.updated }}",
            "{{ words.revisions }}",
            "{{ words.assessment_id }}",
        ],
        [
            "{{ a.label }}",
            "{{ a.period }}",
            "{{ a.framework }}",
            "{{ a.language }}",
            "{{ a.updated }}",
            "{{ a.revisions }}",
            "{{ a.id }}",
        ],
        "for a in assessments",
        [2.3, 1.7, 3.2, 1.7, 2.2, 1.8, 4.1],
    )
    add_paragraph(doc, "{{ generated }}", style="Caption")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
