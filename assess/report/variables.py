"""Provides the list of template variables, generated from a real report context so it cannot go stale."""

from __future__ import annotations

import sys

from ..carry import next_period
from ..model import Answer, KeptAside
from ..paths import FRAMEWORKS as root
from ..pipeline import score_files
from ..plan import plan
from ..scoring import score
from .context import build_context

DESCRIPTIONS = {
    "title": "the assessment's title",
    "short_title": "the title cut to 40 characters",
    "footer_title": "the footer's short title, 'MISSION · PERIOD' (the mission's acronym where it gives one), else"
    " short_title",
    "marking": "the handling marking, e.g. UN RESTRICTED",
    "draft": "true while the assessment is incomplete",
    "date": "the date the report was made: YYYY-MM-DD in English, written out in another language (1 décembre 2026)",
    "metadata": "the answers file's metadata: title, mission, area, period, analyst, marking, created, updated",
    "facts": "the cover table: label and value of mission, area, period, analyst, information cut-off, last updated,"
    " report generated, framework, handling, and who signed the report (assess report --sign)",
    "signed": "who signed the report's data (assess report --sign): mission and fingerprint of its key; none when"
    " unsigned",
    "framework": "id, version, title, hash, and the description as a list of paragraphs",
    "status_text": "one sentence on coverage and the number of recommended actions",
    "complete": "true when no required question is open",
    "coverage": "counts: questions, answered, unanswered, not_applicable, unknown, required_missing, hidden",
    "scores": "the score table: sections (indented by depth) and derived scores",
    "scores_note": "how to read the ratings",
    "chart": "the picture of section scores",
    "quadrant": "the criminality × resilience picture, where the framework has both axes",
    "bottom": "page one of the summary: headline (line, and each headline score with its scale, rating and band"
    " description), the key judgements (number, the judgement with its horizon, likelihood with its band, analytic"
    " confidence, apart) and what they mean, key findings and top actions (numbered as in the plan, each action"
    " with its addressee), how many more,"
    " what stands in for findings while nothing is answered, the draft state, the information cut-off and the last"
    " update, and, for a period started from the last (assess new --from), the answers carried forward still to"
    " review and the follow-up's tally, in words, and how many answers a framework migration kept aside",
    "plan": "the plan of action, one item per rule (assess.plan), numbered as in the CSV and workbook: number,"
    " priority, finding, action, for whom, addressee (who acts), conflicts (the actions it pulls against, in words),"
    " support (what a thinly sourced finding rests on), reference, policy recommendations (primary, and see also)",
    "outlook": "the outlook: the key judgements with what they rest on and the indicators to watch, and the answers"
    " on the trajectory scale, one table per question (its section, header and text; each block's trajectory and"
    " the answer's note), with a caption",
    "requirements": "the collection plan: each intelligence requirement's IR number, what to find out, why it"
    " matters, the gap (unknown, low confidence), its section and block, the suggested collectors, and since when"
    " it is open where the last period's plan had it too",
    "follow_up": "the follow-up of the last period's actions (assess new --from; no rows otherwise): title, the"
    " tally ('4 of 9 done, 2 in progress'), counts by status, caption, and each action's number, rule, action, for"
    " whom, addressee, priority, the period it was recommended in (the table's Period; since: said where before the"
    " last period), status in words and the mission's note",
    "kept_aside": "the annex of the answers a framework migration kept aside (no rows otherwise): title, what it is,"
    " and each answer's question id and framework version then, its block, the answer as written, confidence,"
    " sources, note and the reason it could not move",
    "requirements_note": "what the collection plan is, with the weight that makes a question count",
    "body": "the Assessment chapter: every visible section once, with its heading level (2-4 by depth), score, scale,"
    " rating, description and, for a repeatable section, how many blocks",
    "gap_table": "the gaps by kind: kind, count, the first examples, how many more, and every message",
    "actions": "recommended actions, by priority",
    "actions_by_priority": "the same, grouped: label and actions for each priority that has any",
    "rankings": "one per repeatable section with a rank_by: its rows by rank (a score with the range its unknown"
    " answers leave it in, '1.82 (1.50–2.20)'), and, under the first that shows a range, what the range is",
    "heatmaps": "one per heat map of the framework, with its picture",
    "sections": "the annex of answers, section by section (a block of a repeatable section is its own entry), with"
    " heading levels and each question's answer, confidence and sources, and whether it is carried forward from the"
    " last period, still to review",
    "matrices": "the body's tables, one per section the framework tabulates (format: 'table'): id, title, note (how to"
    " read it), table (a marker replaced by the table after rendering), and its data: header, rows of cells (text,"
    " fill, text colour), key, widths in cm",
    "gaps": "what is missing or weak: kind and message",
    "method": "the annex: framework id, version, hash, precision, policy, grading, scores, scales, ratings, the"
    " grading system's official meanings and which grades are low, and the sources by top-level section",
}


def _shape(value, prefix: str, out: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _shape(v, f"{prefix}.{k}" if prefix else k, out)
    elif isinstance(value, list):
        items = [v for v in value if isinstance(v, dict)]
        if items:
            _shape(_merge(items), f"{prefix}[]", out)
        else:
            out.append(f"{prefix}[]")
    else:
        out.append(prefix)


def _merge(items: list[dict]) -> dict:
    """One item standing for all: each key with its first non-empty value, nested lists merged too."""
    merged: dict = {}
    for item in items:
        for k, v in item.items():
            if isinstance(v, list) and isinstance(merged.get(k), list):
                merged[k] = merged[k] + v
            elif merged.get(k) in (None, "", [], {}):
                merged[k] = v
    return merged


def render(context: dict, descriptions: dict[str, str] = DESCRIPTIONS) -> str:
    """Markdown list of every variable, with the fields of each list item."""
    lines = []
    for key, value in context.items():
        fields: list[str] = []
        _shape(value, "", fields)
        desc = descriptions.get(key, "")
        inner = [f for f in fields if f]
        suffix = f" — fields: {', '.join('`' + f + '`' for f in inner)}" if inner else ""
        lines.append(f"- `{key}`: {desc}{suffix}")
    return "\n".join(lines) + "\n"


def example_context() -> dict:
    """The context of the bundled SOCTA-style example, which uses every part of a report."""
    result = score_files(root / "examples" / "oc-threat.answers.yaml", root / "oc-threat.yaml")
    context, _ = build_context(result)
    # its next period, in memory, follows up its plan's actions
    following = next_period(result.answers, result.framework, "2027-H1", plan=plan(result))
    # and keeps an answer that a migration from an earlier version could not move
    note = "Two cases open, both referred to the national prosecutor."
    following.kept_aside = [KeptAside("open_cases", Answer("yes", note=note), "removed in 1.0.0", "0.9.0")]
    later = build_context(score(result.framework, following))[0]
    context["follow_up"], context["kept_aside"] = later["follow_up"], later["kept_aside"]
    # the mission-risk example has the heat map the SOCTA one lacks
    risk = root / "examples" / "mission-risk.answers.yaml"
    if risk.exists():
        context["heatmaps"] = build_context(score_files(risk, root / "mission-risk.yaml"))[0]["heatmaps"]
    return context


if __name__ == "__main__":
    sys.stdout.write(render(example_context()))
