"""Provides the default template's parts for the analysis: the key judgements on page one, the outlook, the
collection plan and the sources' grades in the method annex (assess.report.template puts them in place)."""

from __future__ import annotations

from .docparts import add_paragraph, loop_table, tag

_ = tag  # the report's words, as template tags (extracted from these calls into the `report` catalogue)

PORTRAIT_CM = 17.0
"""The text width of a portrait page of the report."""
LANDSCAPE_CM = 25.7
"""The text width of a landscape page of the report."""


def key_judgements(doc) -> None:
    """Page one's key judgements, right after the headline: each judgement, its likelihood (term and band) and,
    in a column of its own, the analytic confidence (ICD 203: never one sentence); nothing when none is written."""
    add_paragraph(doc, "{%p if bottom.judgements %}")
    add_paragraph(doc, _("Key judgements"), style="Score")
    loop_table(
        doc,
        [_("Key judgement"), _("Likelihood"), _("Analytic confidence")],
        ["{{ j.number }}. {{ j.text }}", "{{ j.likelihood }}", "{{ j.confidence }}"],
        "for j in bottom.judgements",
        [10.0, 4.0, 3.0],
        style="Table text",
    )
    add_paragraph(doc, "{{ bottom.judgements_note }}", style="Caption")
    add_paragraph(doc, "{%p endif %}")


def outlook(doc) -> None:
    """The Assessment chapter's outlook: what the key judgements rest on and what to watch, and the trajectory of
    each group or market with its reasons; nothing when the assessment has neither."""
    add_paragraph(doc, "{%p if outlook.judgements or outlook.trajectories %}")
    doc.add_heading(_("Outlook"), level=2)
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p if outlook.judgements %}")
    add_paragraph(doc, _("Key judgements: what they rest on, what to watch"), style="Score")
    loop_table(
        doc,
        [_("No."), _("Key judgement"), _("Rests on"), _("Indicators to watch")],
        ["{{ j.number }}", "{{ j.text }}", "{{ j.basis }}", "{{ j.indicators }}"],
        "for j in outlook.judgements",
        [1.0, 5.6, 5.2, 5.2],
        right=(0,),
        style="Table text",
    )
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p for t in outlook.trajectories %}")
    add_paragraph(doc, "{{ t.section }}", style="Score")
    add_paragraph(doc, "{{ t.text }}", style="Caption")
    loop_table(
        doc,
        [_("Subject"), _("Trajectory"), _("Why; indicators to watch")],
        ["{{ r.block }}", "{{ r.trajectory }}", "{{ r.note }}"],
        "for r in t.rows",
        [5.0, 2.4, 9.6],
        style="Table text",
    )
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p if outlook.trajectories %}")
    add_paragraph(doc, "{{ outlook.note }}", style="Caption")
    add_paragraph(doc, "{%p endif %}")


def collection_plan(doc) -> None:
    """The collection plan, after the plan of action (on its landscape pages): one intelligence requirement per
    row, IR number, what to find out, why it matters, who could collect it."""
    doc.add_heading(_("Collection plan"), level=1)
    add_paragraph(
        doc,
        "{% if requirements %}{{ requirements_note }}{% else %}"
        + _(
            "No intelligence requirement: no question that weighs much in a score is answered unknown or with low "
            "confidence."
        )
        + "{% endif %}",
    )
    add_paragraph(doc, "{%p if requirements %}")
    table = loop_table(
        doc,
        [_("IR"), _("What to find out"), _("Why it matters"), _("Collectors")],
        ["{{ r.ir }}", "{{ r.what }}", "{{ r.why }}", "{{ r.collectors }}"],
        "for r in requirements",
        [1.6, 9.4, 9.7, 5.0],
        style="Table text",
    )
    for text in ("{%p if r.since %}", "{{ r.since }}", "{%p endif %}"):  # open at the last period's end too
        table.rows[2].cells[2].add_paragraph(text, style="Caution")
    add_paragraph(doc, "{%p endif %}")


def follow_up(doc) -> None:
    """The follow-up of the last period's actions, after the plan of action (on its landscape pages): the tally,
    then each action with whom it was for, its addressee, its status and the mission's note; nothing when the
    assessment follows up no action."""
    add_paragraph(doc, "{%p if follow_up.rows %}")
    doc.add_heading("{{ follow_up.title }}", level=1)
    add_paragraph(doc, "{{ follow_up.tally }}", style="Score")
    add_paragraph(doc, "{{ follow_up.note }}")
    loop_table(
        doc,
        [_("Action"), _("Period"), _("For"), _("Addressee"), _("Status"), _("Note")],
        ["{{ f.number }}. {{ f.action }}", "{{ f.period }}", "{{ f.for_whom }}", "{{ f.addressee }}"]
        + ["{{ f.status }}", "{{ f.note }}"],
        "for f in follow_up.rows",
        [9.0, 1.8, 3.7, 3.3, 2.2, 5.7],
        style="Table text",
    )
    add_paragraph(doc, "{%p endif %}")


def kept_aside(doc) -> None:
    """The annex of the answers a framework migration kept aside, after the answers question by question and shown as
    they are: each question's id then and its version (and block), the answer, its sources, note and the reason;
    nothing when no answer was kept aside."""
    add_paragraph(doc, "{%p if kept_aside.rows %}")
    doc.add_heading("{{ kept_aside.title }}", level=1)
    add_paragraph(doc, "{{ kept_aside.note }}")
    add_paragraph(doc, "{%p for k in kept_aside.rows %}")
    add_paragraph(
        doc,
        "{{ k.id }} (" + _("version {version}", version="k.version") + "){% if k.block %} — {{ k.block }}{% endif %}",
        style="Question",
    )
    add_paragraph(
        doc,
        _("Answer: {answer}", answer="k.answer")
        + "{% if k.confidence %} · "
        + _("Confidence: {confidence}", confidence="k.confidence")
        + "{% endif %}",
        style="Answer",
    )
    add_paragraph(doc, "{%p if k.sources_text %}")
    add_paragraph(doc, _("Sources: {sources}", sources="k.sources_text"), style="Note")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, "{%p if k.note %}")
    add_paragraph(doc, "{{ k.note }}", style="Note")
    add_paragraph(doc, "{%p endif %}")
    add_paragraph(doc, _("Kept aside: {reason}", reason="k.reason"), style="Note")
    add_paragraph(doc, "{%p endfor %}")
    add_paragraph(doc, "{%p endif %}")


def grade_annex(doc) -> None:
    """The method annex's sources: the grading system's official meanings, which grades count as low, and per
    top-level section the answers, those without a source and the sources by grade."""
    add_paragraph(doc, _("Sources are graded on the {system}.", system="method.grading") + " {{ method.grades.low }}")
    loop_table(
        doc,
        [_("Source reliability"), _("Official meaning")],
        ["{{ g.grade }}", "{{ g.meaning }}"],
        "for g in method.grades.reliability",
        [3.0, 14.0],
        style="Table text",
    )
    add_paragraph(doc, "")
    loop_table(
        doc,
        [_("Information credibility"), _("Official meaning")],
        ["{{ g.grade }}", "{{ g.meaning }}"],
        "for g in method.grades.credibility",
        [3.0, 14.0],
        style="Table text",
    )
    add_paragraph(doc, "{%p if method.grade_summary %}")
    doc.add_heading(_("Sources by section"), level=2)
    loop_table(
        doc,
        [
            _("Section"),
            _("Answers"),
            _("Without source"),
            _("Sources"),
            _("Low-graded"),
            _("By reliability"),
            _("By credibility"),
        ],
        [
            "{{ s.section }}",
            "{{ s.answers }}",
            "{{ s.unsourced }}",
            "{{ s.sources }}",
            "{{ s.low }}",
            "{{ s.reliability }}",
            "{{ s.credibility }}",
        ],
        "for s in method.grade_summary",
        [3.7, 2.0, 1.8, 1.7, 1.8, 3.0, 3.0],
        right=(1, 2, 3, 4),
        style="Table text",
    )
    add_paragraph(
        doc,
        _("Answers counts the answered questions of each section; a source is low-graded as the method above says."),
        style="Caption",
    )
    add_paragraph(doc, "{%p endif %}")
