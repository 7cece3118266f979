"""Provides the building of what is computed from the answers: derived scores, rules, heat maps, and the range
each score can take."""

from __future__ import annotations

import re
from fractions import Fraction

from ..checks import heatmaps, names, ratings, rules
from ..checks.context import Context, F, Spec, Where
from ..model import Derived, Framework, Heatmap, Rule, Section

_SIMPLE = re.compile(r"^(?:([A-Za-z_]\w*)|(?:mean|min|max)\(([A-Za-z_]\w*(?:,[A-Za-z_]\w*)*)\))$")
"""A derived expression whose range is the hull of its names' ranges: a name, or mean/min/max of names."""

Range = tuple[Fraction, Fraction]


def build_derived(cx: Context, x: Spec, path: Where) -> Derived:
    """A derived score, registered, its rating and declared range checked."""
    names.register(cx, x["id"], "derived", path)
    names.check_rating(cx, x, path)
    rng = None
    if "range" in x:
        rng = (F(x["range"][0]), F(x["range"][1]))
        ratings.check_derived_range(cx, rng, path)
    return Derived(
        x["id"],
        x["title"],
        x["expr"],
        x.get("description", ""),
        x.get("direction", cx.direction),
        x.get("rating"),
        rng,
        path,
    )


def build_rule(cx: Context, r: Spec, path: Where) -> Rule:
    """A rule, registered, what it names checked (its condition is checked once every id is known)."""
    names.register(cx, r["id"], "rule", path)
    rules.check_rule(cx, r, path)
    return Rule(
        id=r["id"],
        when=r["when"],
        priority=r["priority"],
        finding=r["finding"],
        action=r["action"],
        reference=r["reference"],
        scope=r.get("scope"),
        source=r.get("source"),
        section=r.get("section"),
        recommendations=tuple(r.get("recommendations", ())),
        addressee=r.get("addressee"),
        see_also=tuple(r.get("see_also", ())),
        conflicts_with=tuple(r.get("conflicts_with", ())),
        path=path,
    )


def build_heatmap(cx: Context, h: Spec, path: Where) -> Heatmap:
    """A heat map, registered, its section, axes and rating checked."""
    names.register(cx, h["id"], "heatmap", path)
    heatmaps.check_heatmap(cx, h, path)
    names.check_rating(cx, h, path)
    return Heatmap(h["id"], h["title"], h["section"], h["x"], h["y"], h.get("rating"))


def score_ranges(cx: Context, fw: Framework) -> dict[str, Range | None]:
    """The lowest and highest score of each section and derived score where known; each rated one is checked
    to be covered by its rating's bands (E206)."""
    pol = fw.policy
    zero = "zero" in (pol.unanswered, pol.not_applicable, pol.unknown)
    memo: dict[str, Range | None] = {}
    for s in fw.all_sections.values():
        rating = fw.rating_for(s.rating)
        rng = _section_range(s, zero, memo)
        if rating and rng:
            ratings.check_cover(cx, rating, rng, s.path + (("rating",) if s.rating else ()))
    derived: dict[str, Range | None] = {}
    for xid in fw.derived_order:
        x = cx.derived[xid]
        rating = fw.rating_for(x.rating)
        rng = derived[xid] = x.range or _infer_range(x, memo, derived)
        if rating and rng:
            ratings.check_cover(cx, rating, rng, x.path + (("rating",) if x.rating else ()))
    return {**memo, **{k: v for k, v in derived.items() if v}}


def _section_range(s: Section, zero: bool, memo: dict[str, Range | None]) -> Range | None:
    """The range of a section's score from its scored children's, by its aggregate (None when unbounded)."""
    if s.id in memo:
        return memo[s.id]
    parts = []
    for q in s.questions:
        if q.scored and q.score_range and None not in q.score_range:
            parts.append((Fraction(0), Fraction(1)) if s.normalize else q.score_range)
    for x in s.sections:
        if x.scored:
            r = _section_range(x, zero, memo)
            if r is not None:
                parts.append((Fraction(0), Fraction(1)) if s.normalize else r)
    rng = None
    if parts:
        if s.aggregate == "sum":
            rng = (
                sum((min(a, Fraction(0)) for a, _ in parts), Fraction(0))
                if zero
                else sum((a for a, _ in parts), Fraction(0)),
                sum((b for _, b in parts), Fraction(0)),
            )
        elif s.aggregate == "product":
            lo = hi = Fraction(1)
            for a, b in parts:  # interval multiplication
                products = (lo * a, lo * b, hi * a, hi * b)
                lo, hi = min(products), max(products)
            rng = (lo, hi)
        else:
            rng = (min(a for a, _ in parts), max(b for _, b in parts))
            if zero:
                rng = (min(rng[0], Fraction(0)), rng[1])
        if s.repeat and s.repeat.aggregate == "sum":
            rng = None  # grows with the number of blocks
    memo[s.id] = rng
    return rng


def _infer_range(x: Derived, memo: dict[str, Range | None], derived: dict[str, Range | None]) -> Range | None:
    """The range of a derived score that is a name, or mean/min/max of names: the hull of theirs."""
    m = _SIMPLE.match(x.expr.replace(" ", ""))
    if not m:
        return None
    rngs = [memo.get(n) or derived.get(n) for n in (m.group(1) or m.group(2)).split(",")]
    known = [r for r in rngs if r is not None]
    if len(known) < len(rngs):
        return None
    return (min(r[0] for r in known), max(r[1] for r in known))
