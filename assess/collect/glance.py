"""Provides the comparison at a glance: each mission's latest assessment by the gravity of its headline rating, and
the policy recommendations its actions lead to across frameworks (recommendation x mission), from the framework
files assess ships (the store keeps scores and fired rules, not a framework's headline, scale or catalogue)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..errors import AssessError
from ..i18n import domain, language
from ..model import Framework
from ..paths import FRAMEWORKS, bundled_ids
from ..plan import BRIEFS, recommendation_label
from .comparison import Assessment, Cell, Coverage, FrameworkView, GlanceRow, PolicyRow, ScoreLine
from .words import colon, number, semicolon

_, _ngettext, _pgettext = domain("hq")

GUESSED = 3
"""Scores followed when a framework declares no headline: its derived scores, then its top-level sections."""


def known_frameworks(ids: set[str] | list[str], lang: str | None = None) -> dict[str, Framework]:
    """The framework files assess ships for these ids, loaded (through the framework cache), their texts in lang
    where they have it; ids it does not ship, or whose file does not load, are left out."""
    bundled = set(bundled_ids(FRAMEWORKS))
    out: dict[str, Framework] = {}
    for fid in sorted(set(ids) & bundled):
        from ..loader import load_framework  # the core, loaded only when a comparison needs it

        try:
            out[fid] = load_framework(FRAMEWORKS / f"{fid}.yaml", lang)[0]
        except AssessError:
            continue
    return out


def headline(fw: Framework | None, lines: list[ScoreLine]) -> tuple[list[tuple[str, str]], bool]:
    """(id, title) of the scores that sum up a framework, and whether the framework declares them (its
    `headline`: one score, or two for a two-axis framework); else the guess: derived scores, then top-level
    sections, the first three."""
    by_id = {ln.id: ln for ln in lines}
    declared = [(sid, by_id[sid].title) for sid in getattr(fw, "headline", ()) or () if sid in by_id]
    if declared:
        return declared, True
    guess = [(ln.id, ln.title) for ln in lines if ln.kind == "derived"]
    guess += [(ln.id, ln.title) for ln in lines if ln.kind == "section" and ln.depth == 0]
    return guess[:GUESSED], False


def scales(fw: Framework | None, lines: list[ScoreLine]) -> dict[str, tuple[float, float]]:
    """Score id -> (lowest, highest) possible, where the framework file says."""
    out: dict[str, tuple[float, float]] = {}
    for ln in lines:
        rng = fw.ranges.get(ln.id) if fw is not None else None
        if rng is not None and rng[1] > rng[0]:
            out[ln.id] = (float(rng[0]), float(rng[1]))
    return out


def bands(fw: Framework | None, lines: list[ScoreLine]) -> dict[str, tuple[tuple[float, float, str, str], ...]]:
    """Score id -> its rating bands, ascending (min, max, label, colour), where the framework file says."""
    if fw is None:
        return {}
    derived = {d.id: d for d in fw.derived}
    out = {}
    for ln in lines:
        if ln.id in fw.all_sections:
            scheme = fw.rating_for(fw.all_sections[ln.id].rating)
        elif ln.id in derived:
            scheme = fw.rating_for(derived[ln.id].rating)
        else:
            scheme = None
        if scheme is not None and scheme.bands:
            out[ln.id] = tuple((float(b.min), float(b.max), b.label, b.colour) for b in scheme.bands)
    return out


def severity(view: FrameworkView, sid: str, cell: Cell | None, direction: str) -> tuple[float, float] | None:
    """How grave a score is, 0 best to 1 worst: its band's place among the bands, then its place on the scale,
    the direction applied ('resilience' is better when higher); None when neither is known."""
    if cell is None or cell.value is None:
        return None
    scheme = view.bands.get(sid, ())
    index = next((i for i, b in enumerate(scheme) if b[2] == cell.rating), None)
    low_high = view.scales.get(sid)
    place = (cell.value - low_high[0]) / (low_high[1] - low_high[0]) if low_high else None
    if index is None and place is None:
        return None
    band = index / (len(scheme) - 1) if index is not None and len(scheme) > 1 else place
    band = 0.0 if band is None else band
    place = band if place is None else min(1.0, max(0.0, place))
    return (1 - band, 1 - place) if direction == "resilience" else (band, place)


def change_words(before: float | None, after: float | None, direction: str) -> str:
    """A score's move between two periods: '▲ 0.42 worse', '▼ 0.10 better', 'no change'; '' when one is missing."""
    if before is None or after is None:
        return ""
    delta = after - before
    if abs(delta) < 0.005:
        return _("no change")
    worse = (delta > 0) == (direction != "resilience")
    moved = _("{arrow} {delta} worse") if worse else _("{arrow} {delta} better")
    return moved.format(arrow="▲" if delta > 0 else "▼", delta=number(f"{abs(delta):.2f}"))


def glance(views: list[FrameworkView], coverage: list[Coverage], fired: dict[int, list[dict]]) -> list[GlanceRow]:
    """One row per mission (and area) and framework, its latest assessment, the gravest headline rating first."""
    cov = {x.assessment.seq: x for x in coverage}
    rows = []
    for v in views:
        axes = v.headline[:2] if v.declared else v.headline[:1]
        trends = {t.label: t for t in v.trends}
        for a, label in zip(v.columns, v.labels, strict=True):
            points = trends[label].points if label in trends else [(a, {})]
            latest = next((cells for p, cells in points if p.seq == a.seq), {})
            earlier = [cells for p, cells in points if p.order < a.order]
            previous = earlier[-1] if earlier else None
            cells = [(title, latest.get(sid)) for sid, title in axes]
            grave, moves = [], []
            for (sid, title), (_title, cell) in zip(axes, cells, strict=True):
                direction = v.directions.get(sid, "threat")
                grave.append(severity(v, sid, cell, direction))
                if previous is not None:
                    before = None if a.seq in trends[label].breaks.get(sid, ()) else previous.get(sid)
                    words = change_words(
                        before.value if before else None, cell.value if cell else None, direction
                    ) or _("not comparable")
                    moves.append(title + colon() + words if len(axes) > 1 else words)
            known = [g for g in grave if g is not None]
            ranked = [(g, i) for i, g in enumerate(grave) if g is not None]
            worst = max(ranked)[1] if ranked else 0  # the graver axis gives the fill
            shade = cells[worst][1] if cells else None
            sev = (sum(g[0] for g in known) / len(known), sum(g[1] for g in known) / len(known)) if known else None
            priorities = [r["priority"] for r in fired.get(a.seq, [])]
            x = cov.get(a.seq)
            questions, answered = (x.questions, x.answered) if x else (a.questions, a.answered)
            rows.append(
                GlanceRow(
                    assessment=a,
                    label=label,
                    framework=v.title,
                    headline=cells,
                    severity=sev,
                    change=semicolon().join(moves),
                    critical=priorities.count("critical"),
                    high=priorities.count("high"),
                    coverage=_("{percent}%").format(percent=round(100 * answered / questions)) if questions else "—",
                    required_open=x.required_missing if x else a.required_missing,
                    draft=not a.complete,
                    colour=shade.colour if shade is not None else "",
                )
            )
    rows.sort(key=lambda r: (r.severity is None, *(-s for s in r.severity or (0.0, 0.0)), r.label, r.framework))
    return rows


@lru_cache(maxsize=4)
def _catalogue(lang: str) -> dict[str, dict]:
    """The policy recommendations of frameworks/catalogue/recommendations.yaml, by id, their texts in lang where
    the catalogue has them."""
    from ..catalogue import catalogue  # YAML, read only when a comparison counts recommendations

    try:
        data = catalogue(lang)
    except (AssessError, OSError, AssertionError):
        return {}
    items = data.get("recommendations") or []
    return {str(r["id"]): r for r in items if isinstance(r, dict) and "id" in r}


def policy_key(rec_id: str) -> tuple[str, str]:
    """The row a recommendation counts in, as readers write it, and what it says: a brief's numbered group
    ('UNU-CPR 3', for unu_3a to unu_3e), else the recommendation itself ('NUPI 1'), in the interface's language."""
    entry = _catalogue(language()).get(rec_id) or {}
    group = str(entry.get("group") or "")
    numbered = re.match(r"^(\d+)\.\s*(.+)$", group)
    prefix = rec_id.partition("_")[0]
    if numbered:
        return f"{BRIEFS.get(prefix, prefix.upper())} {numbered.group(1)}", numbered.group(2)
    text = str(entry.get("text") or "")
    short = text.split(":", 1)[0] if ":" in text[:120] else text
    return recommendation_label(rec_id), short if len(short) <= 120 else short[:119].rstrip() + "…"


def policy(
    latest: list[Assessment], fired: dict[int, list[dict]], frameworks: dict[str, Framework], mission_label
) -> tuple[list[PolicyRow], list[str], list[tuple[str, str]]]:
    """The recommendation x mission matrix of the latest assessments: its rows (most widespread first), its
    missions, and the rules that fired whose recommendations are not known (their framework file is not at hand)."""
    leads = {fid: {r.id: r.recommendations for r in fw.rules} for fid, fw in frameworks.items()}
    missions = sorted({mission_label(a.one_mission) for a in latest})
    found: dict[str, dict] = {}
    unmapped: set[tuple[str, str]] = set()
    for a in latest:
        m = mission_label(a.one_mission)
        for r in fired.get(a.seq, []):
            rule = (a.framework_id, r["rule"])
            if a.framework_id not in leads or r["rule"] not in leads[a.framework_id]:
                unmapped.add(rule)
                continue
            for rec in leads[a.framework_id][r["rule"]]:
                label, text = policy_key(rec)
                row = found.setdefault(label, {"text": text, "ids": set(), "by": {}, "rules": set()})
                row["ids"].add(recommendation_label(rec))
                row["by"].setdefault(m, set()).add(rule)
                row["rules"].add(rule)
    rows = [
        PolicyRow(
            label=label,
            text=x["text"],
            ids=sorted(x["ids"]),
            counts={m: len(rules) for m, rules in x["by"].items()},
            rules=sorted(x["rules"]),
        )
        for label, x in found.items()
    ]
    rows.sort(key=lambda r: (-len(r.counts), -sum(r.counts.values()), _natural(r.label)))
    return rows, missions, sorted(unmapped)


def _natural(text: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text))
