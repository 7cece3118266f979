"""Provides the summary's context: a Comparison as the plain data templates/summary.docx shows, its words in the
comparison's language (the hq catalogue), its numbers and dates written as that language writes them."""

from __future__ import annotations

import datetime as _dt
import re

from ..i18n import N_, domain
from ..prose import unwrap
from ..report.colours import PALETTE, tint
from .chart import axes, readable
from .compare import Comparison, for_whom, short_mission, short_title, shorten
from .comparison import FrameworkView, comparable_run, trend_path
from .followup import context as follow_up_context
from .versions_text import context as versions_context
from .words import colon, date, language_name, number, semicolon, words

_, ngettext, _pgettext = domain("hq")

COLUMNS_PER_TABLE = 5
"""Missions side by side in one score table; more missions continue in the next table."""
COUNT_FILL = PALETTE[0]
"""The shade of the recommendation x mission cells with three actions or more (the palette's blue; lighter with
fewer)."""
MATRIX_COLUMNS = 8
"""Missions side by side in one recommendation x mission table; more missions continue in the next table."""
GAPS_PER_MISSION = 12
"""Intelligence gaps listed per mission; the rest are counted."""
ANNEX_ROWS = 500
"""Assessments listed in the annex; the CSV has every one."""
RECURRING_ROWS = 40
"""Recommended actions listed rule by rule; the note says how many more each report's plan of action holds."""
PRIORITY_LABELS = {"critical": N_("Critical"), "high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(v):
    """The context with the characters Word cannot hold removed from every text."""
    if isinstance(v, str):
        return _FORBIDDEN.sub("", v)
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    return v


def _count_fill(n: int) -> str:
    """The shade of a recommendation x mission cell: deeper with more actions."""
    if n <= 0:
        return "FFFFFF"
    return readable(tint(COUNT_FILL, {1: 0.6, 2: 0.3}.get(n, 0.0)))


def _scale_text(v: FrameworkView, sid: str) -> str:
    lo_hi = v.scales.get(sid)
    return _("{low} to {high}").format(low=number(f"{lo_hi[0]:g}"), high=number(f"{lo_hi[1]:g}")) if lo_hi else ""


def _glance(c: Comparison) -> list[dict]:
    rows = []
    for g in c.glance:
        cells = g.headline
        if len(cells) > 1:
            score = semicolon().join(f"{t} {number(x.display)} {x.rating}".strip() if x else f"{t} —" for t, x in cells)
        else:
            x = cells[0][1] if cells else None
            score = f"{number(x.display)} {x.rating}".strip() if x else "—"
        rows.append(
            {
                "mission": g.label,
                "period": g.assessment.period or "—",
                "framework": shorten(g.framework, 48),
                "headline": shorten(" · ".join(t for t, _cell in cells), 60) or "—",
                "score": score,
                "colour": readable(g.colour),
                "change": g.change or _("first period"),
                "critical": g.critical,
                "high": g.high,
                "coverage": g.coverage,
                "required": g.required_open,
                "draft": _("DRAFT") if g.draft else "",
            }
        )
    return rows


def _policy(c: Comparison) -> list[dict]:
    n = len(c.policy_missions)
    rows = []
    for r in c.policy:
        ids = [i.split(" ", 1)[-1] for i in r.ids if i != r.label]
        rows.append(
            {
                "label": r.label,
                "text": r.text + (f" ({', '.join(ids)})" if ids else ""),
                "spread": _("{count} of {total}").format(count=len(r.counts), total=n),
                "cells": [
                    {"text": str(r.counts[m]) if r.counts.get(m) else "", "colour": _count_fill(r.counts.get(m, 0))}
                    for m in c.policy_missions
                ],
            }
        )
    tables = []
    for i in range(0, n, MATRIX_COLUMNS):
        tables.append(
            {
                "columns": c.policy_missions[i : i + MATRIX_COLUMNS],
                "rows": [dict(r, cells=r["cells"][i : i + MATRIX_COLUMNS]) for r in rows],
            }
        )
    return tables if rows else []


def build_context(c: Comparison, today: str | None = None) -> dict:
    """The comparison as plain data for the template, in the interface's language (the comparison's)."""
    today = date(today or _dt.date.today().isoformat())
    missions = sorted({a.one_mission for a in c.assessments}, key=lambda m: (short_mission(m), m))
    periods = sorted(
        {a.period for a in c.assessments if a.period},
        key=lambda p: (next((a.period_start or "" for a in c.assessments if a.period == p), ""), p),
    )
    markings = sorted({a.marking for a in c.assessments if a.marking})
    marking = " / ".join(markings) if markings else "UN RESTRICTED"  # a handling marking, as written
    frameworks = []
    for v in c.frameworks:
        columns = [{"label": label, "period": a.period or "—"} for a, label in zip(v.columns, v.labels, strict=True)]
        rows = [
            {
                "title": ln.title,
                "indent": "    " * ln.depth,
                "cells": [
                    {
                        "text": (f"{number(cell.display)} {cell.rating}".strip() if cell else "—"),
                        "colour": ((cell.colour if cell else "") or "FFFFFF").lstrip("#"),
                    }
                    for cell in ln.cells
                ],
            }
            for ln in v.scores
        ]
        tables = []
        for i in range(0, max(len(columns), 1), COLUMNS_PER_TABLE):
            tables.append(
                {
                    "columns": columns[i : i + COLUMNS_PER_TABLE],
                    "rows": [dict(r, cells=r["cells"][i : i + COLUMNS_PER_TABLE]) for r in rows],
                }
            )
        frameworks.append(
            {
                "id": v.id,
                "title": v.title,
                "versions": ngettext("version {versions}", "versions {versions}", len(v.versions)).format(
                    versions=", ".join(v.versions)
                ),
                "note": v.note,
                "tables": tables if rows else [],
            }
        )
    trends = []
    for v in c.frameworks:
        for n, (sid, title) in enumerate(axes(v)):
            rows = []
            for t in v.trends:
                change = t.change if n == 0 else _change_of(t, v, sid, title)
                rows.append({"label": t.label, "path": trend_path(t, sid), "change": change})
            trends.append({"title": f"{v.title}", "headline": title, "scale": _scale_text(v, sid), "rows": rows})
    policy_of: dict[tuple[str, str], list[str]] = {}
    for p in c.policy:
        for rule in p.rules:
            policy_of.setdefault(rule, []).append(p.label)
    multi = [r for r in c.recurring if len(r.missions) > 1]
    single = len(c.recurring) - len(multi)
    rank = {p: i for i, p in enumerate(PRIORITY_LABELS)}
    ordered = sorted(c.recurring, key=lambda r: (rank.get(r.priority, 9), -len(r.missions), -r.assessments))
    shown = ordered[:RECURRING_ROWS]
    recurring = [
        {
            "number": i,
            "count": len(r.missions),
            "missions": ", ".join(sorted(short_mission(m) for m in r.missions)),
            "priority_label": _(PRIORITY_LABELS[r.priority]) if r.priority in PRIORITY_LABELS else r.priority,
            "action": unwrap(r.action),
            "for_whom": for_whom(r.blocks),
            "framework": short_title(r.title or r.framework_id),
            "rule": r.rule,
            "assessments": r.assessments,
            "policy": ", ".join(policy_of.get((r.framework_id, r.rule), [])) or "—",
        }
        for i, r in enumerate(shown, 1)
    ]
    if not c.recurring:
        recurring_note = _("No rule of any framework was triggered by the latest assessments.")
    else:
        n = len(c.recurring)
        recurring_note = _("{actions}; {multi}, {single}.").format(
            actions=ngettext(
                "The {count} recommended action(s) of the latest assessments, one per framework rule (its groups or "
                "blocks listed, as in each report's plan of action), by priority, then by how many missions they recur "
                "in",
                "The {count} recommended action(s) of the latest assessments, one per framework rule (its groups or "
                "blocks listed, as in each report's plan of action), by priority, then by how many missions they recur "
                "in",
                n,
            ).format(count=n),
            multi=ngettext(
                "{count} recur in more than one mission", "{count} recur in more than one mission", len(multi)
            ).format(count=len(multi)),
            single=ngettext("{count} in one mission only", "{count} in one mission only", single).format(count=single),
        )
        if len(c.recurring) > len(shown):
            recurring_note += " " + _(
                "The first {shown} are listed; {more} more are in each mission's report, in its plan of action."
            ).format(shown=len(shown), more=len(c.recurring) - len(shown))
    coverage = [
        {
            "label": x.label,
            "framework": x.assessment.framework_id,
            "period": x.assessment.period or "—",
            "answered": _("{count} of {total}").format(count=x.answered, total=x.questions),
            "unknown": x.unknown,
            "required_missing": x.required_missing,
            "low_confidence": x.low_confidence,
            "no_sources": x.no_sources,
            "confidence": shorten(
                " · ".join(f"{k}{colon()}{n}" for k, n in sorted(x.confidence.items(), key=lambda kv: (-kv[1], kv[0]))),
                80,
            )
            or _("not stated"),
        }
        for x in c.coverage
    ]
    gaps = [
        {
            "label": x.label,
            "framework": x.assessment.framework_id,
            "period": x.assessment.period or "—",
            "lines": [unwrap(line) for line in x.intelligence_gaps[:GAPS_PER_MISSION]],
            "more": (
                _("and {count} more").format(count=len(x.intelligence_gaps) - GAPS_PER_MISSION)
                if len(x.intelligence_gaps) > GAPS_PER_MISSION
                else ""
            ),
        }
        for x in c.coverage
        if x.intelligence_gaps
    ]
    labels = {}
    for v in c.frameworks:
        for t in v.trends:
            for a, _cells in t.points:
                labels[a.seq] = t.label
    newest = sorted(c.assessments, key=lambda a: (a.updated, a.seq), reverse=True)
    annex = [
        {
            "label": labels.get(a.seq, short_mission(a.mission)),
            "period": a.period or "—",
            "framework": f"{a.framework_id} {a.version}",
            "language": language_name(c.written.get(a.seq, a.language)),
            "updated": date(a.updated[:10]),
            "revisions": a.revisions,
            "id": a.id,
        }
        for a in newest[:ANNEX_ROWS]
    ]
    n = len(c.assessments)
    annex_note = ngettext(
        "{count} assessment(s), the current revision of each, newest first",
        "{count} assessment(s), the current revision of each, newest first",
        n,
    ).format(count=n) + (
        _("; the first {shown} are listed here and every one is in the CSV.").format(shown=ANNEX_ROWS)
        if len(c.assessments) > ANNEX_ROWS
        else "."
    )
    drafts = [a for a in c.assessments if not a.complete]
    latest_drafts = [g for g in c.glance if g.draft]
    count = len(latest_drafts) if latest_drafts else len(drafts)
    draft_text = (
        ngettext(
            "{count} of the {total} latest assessments are drafts (required questions open)",
            "{count} of the {total} latest assessments are drafts (required questions open)",
            count,
        )
        if latest_drafts
        else ngettext(
            "{count} of the {total} assessments compared are drafts (required questions open)",
            "{count} of the {total} assessments compared are drafts (required questions open)",
            count,
        )
    ).format(count=count, total=len(c.glance) if latest_drafts else len(c.assessments))
    n_fw = len(c.frameworks)
    span = (
        _(", periods {first} to {last}").format(first=periods[0], last=periods[-1])
        if len(periods) > 1
        else (_(", period {period}").format(period=periods[0]) if periods else "")
    )
    everywhere = sum(1 for p in c.policy if len(p.counts) == len(c.policy_missions))
    open_gaps = sum(x.unknown for x in c.coverage)
    status = (
        _("{assessments} from {missions} on {frameworks}{span}.").format(
            assessments=ngettext("{count} assessment(s)", "{count} assessment(s)", n).format(count=n),
            missions=ngettext("{count} mission(s)", "{count} mission(s)", len(missions)).format(count=len(missions)),
            frameworks=ngettext("{count} framework(s)", "{count} framework(s)", n_fw).format(count=n_fw),
            span=span,
        )
        + " "
        + (
            ngettext(
                "{count} policy recommendation(s) are called for in every mission;",
                "{count} policy recommendation(s) are called for in every mission;",
                everywhere,
            ).format(count=everywhere)
            + " "
            if len(c.policy_missions) > 1
            else ""
        )
        + _("{multi}; {gaps}").format(
            multi=ngettext(
                "{count} recommended action(s) recur across missions",
                "{count} recommended action(s) recur across missions",
                len(multi),
            ).format(count=len(multi)),
            gaps=ngettext(
                "{count} intelligence gap(s) are open in the latest assessments.",
                "{count} intelligence gap(s) are open in the latest assessments.",
                open_gaps,
            ).format(count=open_gaps),
        )
    )
    facts = [
        (_("Selection"), c.selection),
        (_("Assessments"), str(len(c.assessments))),
        (_("Missions"), ", ".join(short_mission(m) for m in missions)),
        (_("Frameworks"), ", ".join(f"{v.id} ({', '.join(v.versions)})" for v in c.frameworks)),
        (_("Periods"), ", ".join(periods) or "—"),
        (_("Languages"), _languages_fact(c)),
        (_("Date"), today),
        (_("Handling"), marking),
    ]
    context = {
        "title": _("Organized crime in mission areas: headquarters summary"),
        "subtitle": ", ".join(
            text.format(count=n)
            for text, n in (
                (ngettext("{count} assessment", "{count} assessments", len(c.assessments)), len(c.assessments)),
                (ngettext("{count} mission", "{count} missions", len(missions)), len(missions)),
                (ngettext("{count} framework", "{count} frameworks", n_fw), n_fw),
            )
        ),
        "marking": marking,
        "draft": bool(drafts),
        "draft_text": draft_text if drafts else "",
        "date": today,
        "store": c.store,
        "selection": c.selection,
        "facts": [{"label": k, "value": shorten(v, 400)} for k, v in facts],
        "status_text": status,
        "notes": _language_notes(c) + list(c.notes),
        "glance_note": (
            _(
                "The latest assessment of each mission on each framework, the gravest headline rating first (its "
                "band, then its place on the scale; 'threat' scores are worse when higher, 'resilience' scores "
                "better). Change: since the mission's previous period. Actions: the plan of action's critical and "
                "high items. Answered: questions answered of those asked. DRAFT: required questions still open. A "
                "two-axis headline (criminality and resilience) is shaded by the graver of its two ratings, by the "
                "same measure as the order."
            )
            if c.glance
            else _("No assessment to show.")
        ),
        "glance": _glance(c),
        "policy_note": _policy_note(c),
        "policy_tables": _policy(c),
        "policy": [
            {"label": t["label"], "text": t["text"], "spread": t["spread"]}
            for t in (_policy(c)[0]["rows"] if c.policy else [])
        ],
        "scores_note": _(
            "The latest assessment of each mission, each score shaded by its rating. Ratings follow each "
            "framework's bands; 'threat' scores are worse when higher, 'resilience' scores better."
        ),
        "frameworks": frameworks,
        "chart": "",
        "trends_note": (
            _(
                "Each mission's assessments, oldest period first, on the framework's headline score (the one it "
                "declares, both axes of a two-axis framework; else its first derived score, else its first "
                "section), drawn on the score's whole scale with its rating bands behind. 'worse' and 'better' "
                "follow the score's direction."
            )
            if any(t["rows"] for t in trends)
            else _("No scores to follow across periods.")
        ),
        "trends": trends,
        "recurring_note": recurring_note,
        "recurring": recurring,
        "coverage_note": _(
            "The latest assessment of each mission: questions answered of those asked, answers 'unknown' "
            "(intelligence gaps), required questions open, answers with low confidence and answers that need "
            "sources but have none. Where framework versions differ, these count only the questions that did not "
            "change or that a declared migration maps; the confidence column counts every answer, by the "
            "framework's confidence levels."
        ),
        "coverage": coverage,
        "gaps": gaps,
        "assessments_note": annex_note,
        "assessments": annex,
        "heatmaps": [],  # the shared renderer expects the key; the summary has no heat maps
        "words": words(),
        "generated": _(
            "Generated by assess on {date} from the store {store}. Every figure comes from the payloads embedded "
            "in the reports, verified by their SHA-256."
        ).format(date=today, store=c.store),
        "language": c.language,
        **follow_up_context(c),
        **versions_context(c),
    }
    return clean(context)


def _languages_fact(c: Comparison) -> str:
    """The languages the assessments were written in, with how many in each ('English (2), French (1)')."""
    counts: dict[str, int] = {}
    for a in c.assessments:
        lang = c.written.get(a.seq, a.language)
        counts[lang] = counts.get(lang, 0) + 1
    return ", ".join(f"{language_name(lang)} ({n})" for lang, n in sorted(counts.items())) or "—"


def _language_notes(c: Comparison) -> list[str]:
    """When the assessments were written in several languages: which mission's is in which, and in which language
    their framework texts are shown here."""
    by_lang: dict[str, list[str]] = {}
    for a in c.assessments:
        names = by_lang.setdefault(c.written.get(a.seq, a.language), [])
        label = short_mission(a.mission) + (f" {a.period}" if a.period else "")
        if label not in names:
            names.append(label)
    if len(by_lang) < 2:
        return []
    parts = semicolon().join(
        _("in {language}: {missions}").format(language=language_name(lang), missions=", ".join(names))
        for lang, names in sorted(by_lang.items())
    )
    left = sorted({language_name(lang) for seq, lang in c.shown.items() if lang != c.language})
    note = _(
        "The assessments compared were written in several languages ({parts}). Their framework texts (titles, "
        "ratings, actions, gaps) are shown in {language}, from each framework's translation; ids, answers and "
        "scores are the same in every language."
    ).format(parts=parts, language=language_name(c.language))
    if left:
        note += " " + _("Some are shown in their own words ({languages}): see the warnings of assess compare.").format(
            languages=", ".join(left)
        )
    return [note]


def _policy_note(c: Comparison) -> str:
    if not c.policy:
        note = _("No action of the latest assessments leads to a policy recommendation of the catalogue.")
    else:
        everywhere = [p.label for p in c.policy if len(p.counts) == len(c.policy_missions)]
        note = _(
            "The policy recommendations (NUPI 2020, UNU-CPR 2024) the actions of each mission's latest assessments "
            "lead to, counted across frameworks, most widespread first; a number is how many actions of that "
            "mission lead to it (UNU-CPR by its numbered groups)."
        )
        if everywhere and len(c.policy_missions) > 1:
            note += " " + _("In every mission: {labels}.").format(labels=", ".join(everywhere))
    if c.policy_unmapped:
        fids = sorted({f for f, _rule in c.policy_unmapped})
        note += " " + _(
            "Actions of {frameworks} are not counted here: assess does not ship that framework, so its rules' "
            "recommendations are not known (see the per-rule list)."
        ).format(frameworks=", ".join(fids))
    return note


def _change_of(t, v: FrameworkView, sid: str, title: str) -> str:
    from .glance import change_words

    run = comparable_run(t.points, t.breaks.get(sid, set()))
    values = [(a.period, cells[sid].value) for a, cells in run if sid in cells and cells[sid].value is not None]
    if len(values) < 2:
        return _("one period") if len(t.points) < 2 else ""
    moved = change_words(values[0][1], values[-1][1], v.directions.get(sid, "threat"))
    return _("{title}: {change} from {first} to {last}").format(
        title=title, change=moved, first=values[0][0], last=values[-1][0]
    )
