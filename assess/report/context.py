"""Provides the report context: a Result as plain data for a template, with XML-forbidden characters removed."""

from __future__ import annotations

import datetime as _dt
import re
from fractions import Fraction

from .. import prose
from ..errors import AssessError, Problem, problem
from ..i18n import N_, domain
from ..model import GAP_KINDS, PRIORITIES, Result, Score
from ..numbers import decimal, half_up, shown, trimmed
from ..signing import PublicKey
from .bottomline import bottom_line, plan_rows, scale_text, span
from .followup import PRIORITY_WORDS, follow_up, kept_aside
from .localize import day, listing, number, numbers
from .matrices import matrices
from .outlook import JUDGEMENTS_NOTE, OUTLOOK_NOTE, judgements, outlook
from .sections import answers, body, paragraphs
from .sourcing import grade_summary, grading_text, official, requirements, requirements_note

_, ngettext, pgettext = domain("report")

# characters XML 1.0 forbids: C0 controls but tab, newline and carriage return; surrogates; U+FFFE/U+FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

GAP_LABELS = {
    "required_missing": N_("Required, not answered"),
    "too_few_entities": N_("Too few blocks"),
    "unknown": N_("Intelligence gap"),
    "no_sources": N_("No sources"),
    "no_justification": N_("No justification"),
    "low_confidence": N_("Low confidence"),
    "no_confidence": N_("No confidence stated"),
}
METADATA_LABELS = (
    ("mission", N_("Mission")),
    ("area", N_("Area")),
    ("period", N_("Period")),
    ("analyst", N_("Analyst")),
    ("cutoff", N_("Information cut-off")),
    ("updated", N_("Last updated")),
    ("date", N_("Report generated")),
    ("framework", N_("Framework")),
    ("marking", N_("Handling")),
)
GAP_EXAMPLES = 3
"""Gaps of a kind the gaps table quotes; the annex lists them all."""
RANGE_NOTE = N_(
    "A range in brackets after a score is where it would lie if the answers marked unknown were known: counted "
    "at their scale's lowest and at its highest score. The score itself leaves them out, so a wide range shows a "
    "profile that rests on guesswork."
)
"""What a ranking says, once, of the ranges under unknown answers."""


TREATMENTS = {"exclude": N_("exclude"), "zero": N_("zero"), "lowest": N_("lowest"), "highest": N_("highest")}
"""How a policy treats an answer, in the method note's words (the framework format's values)."""


def treatment(value: str) -> str:
    """A policy's treatment in the report's language ('zero', 'zéro')."""
    return _(TREATMENTS[value]) if value in TREATMENTS else value


class _Cleaner:
    """Removes characters XML forbids, keeping a warning that names where they were."""

    def __init__(self, file: str):
        self.file = file
        self.warnings: list[Problem] = []

    def __call__(self, text, where: str) -> str:
        if text is None:
            return ""
        text = str(text)
        cleaned, n = _FORBIDDEN.subn("", text)
        if n:
            self.warnings.append(problem(self.file, None, "W007", where=where, count=n))
        return cleaned


def _score_row(result: Result, s: Score, depth: int) -> dict:
    return {
        "id": s.id,
        "title": s.title,
        "indent": "    " * depth,
        "display": numbers(s.display),
        "scale": scale_text(result, s),
        "rating": s.rating or "",
        "colour": (s.colour or "FFFFFF").lstrip("#"),
        "method": s.method,
        "direction": s.direction,
    }


def build_context(
    result: Result, answers_file: str = "<answers>", signer: PublicKey | None = None
) -> tuple[dict, list[Problem]]:
    """Everything the template may show, as plain data (no images: the renderer adds them); with signer, the key
    the report's payload is signed with, which the document information names (mission and fingerprint)."""
    fw, ans = result.framework, result.answers
    clean = _Cleaner(answers_file)
    meta = {k: clean(v, f"metadata.{k}") for k, v in ans.metadata.items()}
    today = day(_dt.date.today().isoformat())
    marking = meta.get("marking") or ""
    if not marking.strip():  # never a made-up marking on every page: the answers check says the same (E322)
        raise AssessError([problem(answers_file, None, "E322")])
    title = meta.get("title") or fw.title
    places = fw.precision

    scores = []

    def walk(sections, depth):
        for s in sections:
            if s.id in result.sections and result.sections[s.id].inputs and s.role is None:  # judgements: no score
                scores.append(_score_row(result, result.sections[s.id], depth))
            if s.repeat is None:
                walk(s.sections, depth + 1)

    walk(fw.sections, 0)
    scores += [_score_row(result, d, 0) for d in result.derived.values()]

    actions = []
    for i, x in enumerate(result.recommendations, 1):
        rule = next(r for r in fw.rules if r.id == x.rule)
        actions.append(
            {
                "number": i,
                "priority": x.priority,
                "priority_label": _(PRIORITY_WORDS.get(x.priority, x.priority.capitalize())),
                "finding": clean(prose.unwrap(x.finding), f"rule {x.rule}"),
                "action": clean(prose.unwrap(x.action), f"rule {x.rule}"),
                "reference": prose.unwrap(x.reference),
                "entity": clean(x.entity_name or "", f"rule {x.rule}"),
                "section": fw.all_sections[x.section].title if x.section in fw.all_sections else "",
                "recommendations": ", ".join(rule.recommendations),
                "rule": x.rule,
                "because": ", ".join(f"{k} = {v}" for k, v in x.because),
            }
        )
    by_priority = [
        {"priority": p, "label": _(PRIORITY_WORDS[p]), "actions": [a for a in actions if a["priority"] == p]}
        for p in PRIORITIES
    ]
    by_priority = [g for g in by_priority if g["actions"]]

    rankings: list[dict] = []
    for sid, rows in result.rankings.items():
        sec = fw.all_sections[sid]
        assert sec.repeat is not None and sec.repeat.rank_by is not None  # only repeats with rank_by are ranked
        by = sec.repeat.rank_by
        by_title = fw.all_sections[by].title if by in fw.all_sections else prose.unwrap(fw.questions[by].text)
        per = result.entity_scores.get(sid, {})
        out_rows: list[dict] = []
        for rank, eid, name, value in rows:
            sc = per.get(eid, {}).get(by) if by in fw.all_sections else None
            ranged = sc is not None and sc.low is not None and sc.high is not None and value is not None
            out_rows.append(
                {
                    "rank": rank or "–",
                    "name": clean(name, f"entities.{sid}"),
                    "display": numbers(
                        shown(value, places, "–")
                        + (f" ({span(shown(sc.low, places), shown(sc.high, places))})" if ranged and sc else "")
                    ),
                    "range": ranged,
                    "rating": (sc.rating if sc else "") or "",
                    "colour": ((sc.colour if sc else None) or "FFFFFF").lstrip("#"),
                }
            )
        rankings.append(
            {
                "id": sid,
                "title": _("Ranking: {title}").format(title=sec.title),
                "by": by_title,
                "rows": out_rows,
                "note": _(
                    "{label} blocks ranked by {by}, gravest first; blocks without a score are listed last."
                ).format(label=sec.repeat.label.capitalize(), by=by_title),
                "range_note": "",
            }
        )
    first: dict | None = next((rk for rk in rankings if any(r["range"] for r in rk["rows"])), None)
    if first is not None:  # said once, under the first ranking that shows a range
        first["range_note"] = _(RANGE_NOTE)

    heatmaps = []
    for hid, h in result.heatmaps.items():
        placed = heatmap_numbers(result, hid)
        legend = listing(f"{n} {clean(name, 'heat map')}" for name, n in placed.items())
        heatmaps.append(
            {
                "id": hid,
                "title": h.heatmap.title,
                "image": "",
                "x_title": prose.unwrap(fw.axis_title(h.heatmap.x)),
                "y_title": prose.unwrap(fw.axis_title(h.heatmap.y)),
                "legend": (
                    _("Numbers in the cells: {legend}.").format(legend=legend)
                    if legend
                    else _("Nothing is placed yet: no block has both answers.")
                ),
            }
        )

    sections = answers(result, clean)
    gaps = [
        {"kind": _(GAP_LABELS[g.kind]), "message": clean(prose.unwrap(g.message), f"gap {g.id}")}
        for g in sorted(result.gaps, key=lambda g: GAP_KINDS.index(g.kind))
    ]
    gap_table = []
    for kind in GAP_KINDS:
        messages = [g["message"] for g in gaps if g["kind"] == _(GAP_LABELS[kind])]
        if messages:
            more = len(messages) - GAP_EXAMPLES
            gap_table.append(
                {
                    "kind": _(GAP_LABELS[kind]),
                    "count": len(messages),
                    "examples": listing(messages[:GAP_EXAMPLES])
                    + (
                        ngettext("; and {more} more (annex)", "; and {more} more (annex)", more).format(more=more)
                        if more > 0
                        else ""
                    ),
                    "more": max(more, 0),
                    "messages": messages,
                }
            )
    bottom = bottom_line(result, clean)
    key_judgements, judged = judgements(result, clean, answers_file)
    clean.warnings.extend(judged)
    bottom["judgements"] = [{k: j[k] for k in ("number", "text", "likelihood", "confidence")} for j in key_judgements]
    bottom["judgements_note"] = _(JUDGEMENTS_NOTE) if key_judgements else ""
    trajectories = outlook(result, clean)

    cov = result.coverage
    status = _(
        "{answered} of {questions} questions answered, {not_applicable} not applicable, {unknown} unknown "
        "(intelligence gaps), {required_missing} required still open. {actions} recommended action(s)."
    ).format(
        **{k: cov[k] for k in ("answered", "questions", "not_applicable", "unknown", "required_missing")},
        actions=len(result.recommendations),
    )
    if not result.complete:
        status = _("This assessment is incomplete.") + " " + status
    facts_values = {
        **meta,
        "cutoff": bottom["cutoff"],
        "updated": bottom["updated"],
        "date": today,
        "framework": f"{fw.title} {fw.version}",
        "marking": marking,
    }
    facts = [{"label": _(label), "value": facts_values[key]} for key, label in METADATA_LABELS if facts_values.get(key)]
    signed = None
    if signer is not None:
        signed = {"mission": clean(signer.mission, "the signing key's mission"), "fingerprint": signer.fingerprint}
        facts.append({"label": _("Signed by"), "value": _("{mission} · key {fingerprint}").format(**signed)})

    policy = fw.policy
    policy_text = (
        _(
            "Unanswered, not-applicable and unknown answers are left out of every aggregate; each score "
            "says how many inputs it counts."
        )
        if (policy.unanswered, policy.not_applicable, policy.unknown) == ("exclude",) * 3
        else _(
            "Unanswered answers count as {unanswered}, not-applicable as {not_applicable}, unknown as {unknown}."
        ).format(
            unanswered=treatment(policy.unanswered),
            not_applicable=treatment(policy.not_applicable),
            unknown=treatment(policy.unknown),
        )
    )
    grading = grading_text(fw.grading)
    used_scales = {q.scale for q in fw.questions.values() if q.scale}
    method = {
        "framework_id": fw.id,
        "version": fw.version,
        "hash": fw.hash,
        "precision": places,
        "policy": policy_text,
        "grading": grading,
        "scores": [{"title": s["title"], "method": s["method"]} for s in scores],
        "scales": [
            {
                "title": sc.title,
                "options": listing(
                    f"{o.label}"
                    + (
                        f" = {number(trimmed(o.score, 2))}"
                        if o.score is not None and not o.label.startswith(_written(o.value))
                        else ""
                    )
                    for o in sc.options
                ),
            }
            for sid, sc in fw.scales.items()
            if sid in used_scales
        ],
        "ratings": [
            {
                "title": rt.title or rt.id,
                "bands": listing(
                    f"{b.label} {numbers(span(half_up(b.min, places), half_up(b.max, places)))}" for b in rt.bands
                ),
                "rows": [
                    {
                        "label": b.label,
                        "range": numbers(span(half_up(b.min, places), half_up(b.max, places))),
                        "description": prose.unwrap(b.description),
                        "colour": (b.colour or "#FFFFFF").lstrip("#"),
                    }
                    for b in rt.bands
                ],
            }
            for rt in fw.ratings.values()
        ],
        "references": [", ".join(str(r[k]) for k in ("author", "title", "year") if r.get(k)) for r in fw.references],
        "grades": official(fw.grading),
        "grade_summary": grade_summary(result),
    }
    context = {
        "title": clean(title, "metadata.title"),
        "short_title": _short(clean(title, "metadata.title"), 40),
        "footer_title": footer_title(meta) or _short(clean(title, "metadata.title"), 40),
        "marking": marking,
        "draft": not result.complete,
        "date": today,
        "metadata": meta,
        "facts": facts,
        "signed": signed,
        "framework": {
            "id": fw.id,
            "version": fw.version,
            "title": fw.title,
            "hash": fw.hash,
            "description": paragraphs(fw.description),
        },
        "status_text": status,
        "complete": result.complete,
        "coverage": dict(cov),
        "scores": scores,
        "scores_note": _(
            "Each score is shown on its own scale; what each rating band means is in the annex "
            "'About this assessment', under Ratings."
        ),
        "chart": "",
        "quadrant": "",
        "bottom": bottom,
        "plan": plan_rows(result, clean),
        "follow_up": follow_up(result, clean),
        "kept_aside": kept_aside(result, clean),
        "outlook": {
            "judgements": [j for j in key_judgements if j["basis"] or j["indicators"]],
            "trajectories": trajectories,
            "note": _(OUTLOOK_NOTE) if trajectories else "",
        },
        "requirements": requirements(result, clean),
        "requirements_note": requirements_note(result),
        "body": body(result, clean),
        "gap_table": gap_table,
        "actions": actions,
        "actions_by_priority": by_priority,
        "rankings": rankings,
        "heatmaps": heatmaps,
        "sections": sections,
        "matrices": matrices(result, clean),
        "gaps": gaps,
        "method": method,
    }
    return context, clean.warnings


def heatmap_numbers(result: Result, hid: str) -> dict[str, int]:
    """A number for each name placed on a heat map, one each: its rank where the blocks are ranked (its place in
    the ranking, gravest first, where blocks tie), else its order."""
    h = result.heatmaps[hid]
    placed = [n for names in h.cells.values() for n in names]
    sec = result.framework.all_sections[h.heatmap.section]
    ranking = [(rank, name) for rank, _, name, _ in result.rankings.get(sec.within or "", ()) if rank]
    ranks = {name: rank for rank, name in ranking}
    if len(set(ranks.values())) < len(ranks):  # tied blocks would share a number no reader could tell apart
        ranks = {name: i for i, (_, name) in enumerate(ranking, 1)}
    if ranks and all(n in ranks for n in placed):
        return dict(sorted(((n, ranks[n]) for n in placed), key=lambda kv: kv[1]))
    order = [e.name for e in result.answers.entities.get(sec.within or "", [])]
    return {
        n: (order.index(n) + 1 if n in order else i + 1)
        for i, n in enumerate(sorted(placed, key=(lambda n: order.index(n) if n in order else 0)))
    }


def footer_title(meta: dict) -> str:
    """The footer's short title, 'MISSION · PERIOD': the mission by its acronym where it gives one in brackets."""
    mission = meta.get("mission") or ""
    acronyms = re.findall(r"\(([A-Z][A-Z0-9-]{1,15})\)", mission)
    name = acronyms[-1] if acronyms else _short(mission, 30)
    return " · ".join(x for x in (name, meta.get("period") or "") if x)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _written(value: object) -> str:
    """An option's value as its label starts when the label is the value: 1.5 for a half step, not 3/2."""
    return decimal(value) if isinstance(value, Fraction) else str(value)
