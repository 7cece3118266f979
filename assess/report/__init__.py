"""Provides the Word report: Result -> context -> .docx through a template, with the embedded payload."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import AssessError, Problem, problem
from ..i18n import domain, language, set_language
from ..limits import long_texts
from ..model import Result
from ..outputs import Batch, Output, same_as_input
from ..paths import TEMPLATES as _TEMPLATES
from ..schema import where
from ..signing import SigningKey, sign
from ..yamlsafe import MAX_TEMPLATE_BYTES, check_file
from .context import build_context, heatmap_numbers
from .localize import english, say
from .payload import digest_of, embed, make_payload, nul_texts, read_payload
from .render import Limits, render_docx
from .word import report_finish

_, ngettext, pgettext = domain("report")

TEMPLATES = _TEMPLATES
DEFAULT_TEMPLATE = TEMPLATES / "assessment.docx"

SIGNING_KEY_VARIABLE = "ASSESS_SIGNING_KEY"
"""The environment variable naming the key reports are signed with when no --sign is given (the app's too)."""

__all__ = [
    "DEFAULT_TEMPLATE",
    "SIGNING_KEY_VARIABLE",
    "Limits",
    "check_signer",
    "own_words",
    "read_payload",
    "render_report",
    "signing_key",
    "signing_key_path",
]


def signing_key_path(given: str | None = None) -> str | None:
    """The key file to sign with: given (--sign), else $ASSESS_SIGNING_KEY when set and not empty, else None."""
    return given or os.environ.get(SIGNING_KEY_VARIABLE) or None


def signing_key(given: str | None, outputs: list[Output]) -> tuple[SigningKey | None, list[Problem]]:
    """The key a report is signed with (signing_key_path), read, with its warnings (W509: others may read it);
    (None, []) for none. Raises AssessError before any work when an output names the key file (E412), or the key
    cannot sign (E539 no passphrase and no terminal to ask on, E540 a wrong one, E543 a public key, E541 not a key
    file, or one $ASSESS_SIGNING_KEY names that cannot be read: the message names the variable, to fix or unset)."""
    path = signing_key_path(given)
    if not path:
        return None, []
    from ..keyfiles import open_signing_key  # a protected key's passphrase: $ASSESS_KEY_PASSPHRASE, else asked

    clash = [p for o in outputs if (p := same_as_input(o, {_("the signing key"): path}))]
    if clash:
        raise AssessError(clash)
    return open_signing_key(path)


def check_signer(result: Result, key: SigningKey, answers_file: str = "<answers>") -> None:
    """Raise AssessError unless key may sign the report of result: a mission signs its own reports only, so the
    answers must name a mission (E424), the key's by the rule collect checks the signer with (E545): the same name
    but for case and spacing, or the acronym headquarters shows it as, the first it gives in brackets (a key of
    MINUSKES signs for 'UN Stabilization Mission in Kessaria (MINUSKES)' and for '… (MINUSKES, MINUSEL)'; a key of
    MINUSEL for neither)."""
    from ..collect.trust import mission_matches  # collect's own rule: what is signed here, collect accepts

    mission = str(result.answers.metadata.get("mission") or "")
    if not mission.strip():
        raise AssessError([problem(answers_file, None, "E424", key_mission=key.mission)])
    if not mission_matches(key.mission, mission):
        raise AssessError([problem(answers_file, None, "E545", key_mission=key.mission, mission=mission)])


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
    key: SigningKey | None = None,
) -> list[Problem]:
    """Write the report of a scored assessment to out; return warnings, or raise AssessError and write nothing.

    With batch (assess.outputs), out is one of its outputs: the report goes into its temp file, and the batch
    writes it with the command's other outputs. Without, out is written on its own, atomically (replacing a
    file there, but never a file the report reads, a folder or a special file). The report is written in lang (its
    words, numbers and dates; the framework's texts are the language result's framework was loaded in), by default
    the interface's language (assess.i18n.language). With key (assess.keyfiles.read_signing_key), the payload is
    signed, and the document information says by whom; a key of another mission than the answers' is refused
    before anything is rendered (check_signer)."""
    if lang is not None and lang != language():
        previous = language()
        set_language(lang)
        try:
            return render_report(result, out, template, strict, answers_file, limits, batch, key=key)
        finally:
            set_language(previous)
    if key is not None:
        check_signer(result, key, answers_file)
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
    too_long = list(long_texts(result.answers))  # a payload headquarters' collect would refuse (E516, E530)
    nul = nul_texts(result.answers)
    if too_long or nul:
        fields = [{"where": where(p), "length": n, "limit": most} for p, n, most in too_long]
        raise AssessError(
            [problem(answers_file, None, "E423", **f) for f in fields]
            + [problem(answers_file, None, "E425", where=where(p)) for p in nul]
        )
    context, warnings = build_context(result, answers_file, key.public if key is not None else None)
    warnings += own_words(template)
    from .charts import scores_chart
    from .heatmaps import heatmap_chart
    from .quadrant import quadrant_chart

    images: dict[str, bytes] = {}
    for name, picture in (("chart", scores_chart(result)), ("quadrant", quadrant_chart(result))):
        if picture:
            images[name] = picture
    for h in context["heatmaps"]:
        hid = h["id"]
        images[f"heatmap:{hid}"] = heatmap_chart(result, hid, h["x_title"], h["y_title"], heatmap_numbers(result, hid))

    words_context = {**context, "_": say}  # the template's words: {{ _("Scores") }} in the report's language

    def write(path: Path) -> None:
        render_docx(template, words_context, images, path, limits, report_finish(result, context))
        payload = make_payload(result, language())
        embed(path, payload, sign(key, digest_of(payload)) if key is not None else None)

    if batch is not None:
        batch.fill(out, write)
        return warnings
    spec = out if isinstance(out, Output) else Output(str(out), "-o", "the report", "report")
    with Batch([spec], force=True) as own:
        own.prepare({"the template": template})
        own.fill(spec, write)
        own.commit()
    return warnings
