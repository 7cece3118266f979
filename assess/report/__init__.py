"""Provides the Word report: Result -> context -> .docx through a template, with the embedded payload."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import AssessError, Problem, problem
from ..model import Result
from ..paths import TEMPLATES as _TEMPLATES
from ..yamlsafe import MAX_TEMPLATE_BYTES, check_file
from .context import build_context, heatmap_numbers
from .payload import embed, make_payload, read_payload
from .render import Limits, render_docx

TEMPLATES = _TEMPLATES
DEFAULT_TEMPLATE = TEMPLATES / "assessment.docx"

__all__ = ["DEFAULT_TEMPLATE", "Limits", "read_payload", "render_report"]


def render_report(
    result: Result,
    out: str | Path,
    template: str | Path | None = None,
    strict: bool = False,
    answers_file: str = "<answers>",
    limits: Limits = Limits(),
) -> list[Problem]:
    """Write the report of a scored assessment to out; return warnings, or raise AssessError and write nothing."""
    out = Path(out)
    template = Path(template) if template else DEFAULT_TEMPLATE
    if strict and not result.complete:
        missing = [g for g in result.gaps if g.kind in ("required_missing", "too_few_entities")]
        raise AssessError(
            [problem(answers_file, None, "E404", detail=f"{len(missing)} item(s) missing")]
            + [problem(answers_file, None, "E409", item=g.message) for g in missing]
        )
    if not template.exists():
        raise AssessError([problem(str(template), None, "E405", template=template.name, reason="no such file")])
    check_file(template, MAX_TEMPLATE_BYTES, too_big="E019")  # a pipe or device would hang the reading
    context, warnings = build_context(result, answers_file)
    from .charts import heatmap_chart, scores_chart

    images: dict[str, bytes] = {}
    chart = scores_chart(result)
    if chart:
        images["chart"] = chart
    for h in context["heatmaps"]:
        hm = result.heatmaps[h["id"]]
        images[f"heatmap:{h['id']}"] = heatmap_chart(hm, h["x_title"], h["y_title"], heatmap_numbers(result, h["id"]))
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise AssessError([problem(str(out), None, "E408", reason=f"the folder {folder} does not exist")])
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp.docx", dir=folder)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        render_docx(template, context, images, tmp_path, limits)
        embed(tmp_path, make_payload(result))
        os.replace(tmp_path, out)
    except OSError as exc:
        raise AssessError([problem(str(out), None, "E408", reason=exc.strerror or str(exc))]) from None
    finally:
        tmp_path.unlink(missing_ok=True)
    return warnings
