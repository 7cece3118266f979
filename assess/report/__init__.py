"""Provides the Word report: Result -> context -> .docx through a template, with the embedded payload."""

from __future__ import annotations

from pathlib import Path

from ..errors import AssessError, Problem, problem
from ..i18n import domain, language, set_language
from ..limits import long_texts
from ..model import Result
from ..outputs import Batch, Output
from ..paths import TEMPLATES as _TEMPLATES
from ..schema import where
from ..yamlsafe import MAX_TEMPLATE_BYTES, check_file
from .context import build_context, heatmap_numbers
from .localize import english, say
from .payload import embed, make_payload, read_payload
from .render import Limits, render_docx
from .word import report_finish

_, ngettext, pgettext = domain("report")

TEMPLATES = _TEMPLATES
DEFAULT_TEMPLATE = TEMPLATES / "assessment.docx"

__all__ = ["DEFAULT_TEMPLATE", "Limits", "own_words", "read_payload", "render_report"]


def own_words(template: Path) -> list[Problem]:
    """W060 when a report in another language than English is rendered with a template whose words are its own (it
    calls no {{ _("…") }}): its headings stay as it writes them; [] otherwise."""
    if english() or template.resolve() == DEFAULT_TEMPLATE.resolve():
        return []
    from ..translations import language_name
    from .render import text_of

    if any("_(" in text for text in text_of(template)):
        return []
    return [problem(str(template), None, "W060", language=language_name(language()), template=template.name)]


def render_report(
    result: Result,
    out: str | Path | Output,
    template: str | Path | None = None,
    strict: bool = False,
    answers_file: str = "<answers>",
    limits: Limits = Limits(),
    batch: Batch | None = None,
    lang: str | None = None,
) -> list[Problem]:
    """Write the report of a scored assessment to out; return warnings, or raise AssessError and write nothing.

    With batch (assess.outputs), out is one of its outputs: the report goes into its temp file, and the batch
    writes it with the command's other outputs. Without, out is written on its own, atomically (replacing a
    file there, but never a file the report reads, a folder or a special file). The report is written in lang (its
    words, numbers and dates; the framework's texts are the language result's framework was loaded in), by default
    the interface's language (assess.i18n.language)."""
    if lang is not None and lang != language():
        previous = language()
        set_language(lang)
        try:
            return render_report(result, out, template, strict, answers_file, limits, batch)
        finally:
            set_language(previous)
    template = Path(template) if template else DEFAULT_TEMPLATE
    if strict and not result.complete:
        missing = [g for g in result.gaps if g.kind in ("required_missing", "too_few_entities")]
        raise AssessError(
            [
                problem(
                    answers_file,
                    None,
                    "E404",
                    detail=ngettext("{n} item(s) missing", "{n} item(s) missing", len(missing)).format(n=len(missing)),
                )
            ]
            + [problem(answers_file, None, "E409", item=g.message) for g in missing]
        )
    if not template.exists():
        raise AssessError([problem(str(template), None, "E405", template=template.name, reason="no such file")])
    check_file(template, MAX_TEMPLATE_BYTES, too_big="E019")  # a pipe or device would hang the reading
    too_long = list(long_texts(result.answers))  # a payload headquarters' collect would refuse (E516)
    if too_long:
        fields = [{"where": where(p), "length": n, "limit": most} for p, n, most in too_long]
        raise AssessError([problem(answers_file, None, "E423", **f) for f in fields])
    context, warnings = build_context(result, answers_file)
    warnings += own_words(template)
    from .charts import scores_chart
    from .heatmaps import heatmap_chart
    from .quadrant import quadrant_chart

    images: dict[str, bytes] = {}
    for key, picture in (("chart", scores_chart(result)), ("quadrant", quadrant_chart(result))):
        if picture:
            images[key] = picture
    for h in context["heatmaps"]:
        hid = h["id"]
        images[f"heatmap:{hid}"] = heatmap_chart(result, hid, h["x_title"], h["y_title"], heatmap_numbers(result, hid))

    words_context = {**context, "_": say}  # the template's words: {{ _("Scores") }} in the report's language

    def write(path: Path) -> None:
        render_docx(template, words_context, images, path, limits, report_finish(result, context))
        embed(path, make_payload(result, language()))

    if batch is not None:
        batch.fill(out, write)
        return warnings
    spec = out if isinstance(out, Output) else Output(str(out), "-o", "the report", "report")
    with Batch([spec], force=True) as own:
        own.prepare({"the template": template})
        own.fill(spec, write)
        own.commit()
    return warnings
