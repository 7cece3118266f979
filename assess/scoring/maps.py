"""Provides the heat maps filled with the assessment's answers and the rankings of blocks."""

from __future__ import annotations

from fractions import Fraction

from ..model import Framework, Heatmap, HeatmapResult
from .state import Scope, State, Tables

Ranking = tuple[tuple[int | None, str, str, Fraction | None], ...]
"""(rank, block id, name, score) of each block, gravest first; blocks without a score last, unranked."""


def heatmap(state: State, h: Heatmap) -> HeatmapResult:
    """A heat map: its two axes (a question's scored options, or a rated section's bands), the colour of each cell,
    and who falls where: a block in the cell of its two answers, or of the bands its two scores fall in."""
    fw = state.fw
    xs, ys = fw.axis(h.x), fw.axis(h.y)
    rating = fw.rating_for(h.rating) if h.rating else None
    colours = {}
    if rating:
        for i, (_, x_score) in enumerate(xs):
            for j, (_, y_score) in enumerate(ys):
                band = rating.band(x_score * y_score)
                if band and band.colour:
                    colours[(i, j)] = band.colour
    within = fw.all_sections[h.section].within
    places: list[tuple[Scope, str]]
    if within:
        places = [((within, e.id), e.name) for e in state.answers.entities.get(within, [])]
    else:
        places = [(None, state.answers.metadata.get("title") or fw.title)]
    cells: dict[tuple[int, int], list[str]] = {}
    for scope, name in places:
        tables = state.scopes.get(scope)
        if tables is None:
            continue
        at_x, at_y = _place(fw, h.x, xs, tables), _place(fw, h.y, ys, tables)
        if at_x is not None and at_y is not None:
            cells.setdefault((at_x, at_y), []).append(name)
    return HeatmapResult(
        h,
        tuple(label for label, _ in xs),
        tuple(label for label, _ in ys),
        {k: tuple(v) for k, v in cells.items()},
        colours,
    )


def _place(fw: Framework, name: str, axis: tuple[tuple[str, Fraction], ...], tables: Tables) -> int | None:
    """Where on an axis a block (or the assessment) falls: the index of its answer's option, or of the band of
    the rating its section's score falls in; None when unanswered, unknown or unscored."""
    if name in fw.questions:
        st = tables.questions.get(name)
        if st is None or st.raw is None:
            return None
        return next((k for k, (_, score) in enumerate(axis) if score == st.raw), None)
    sc = tables.scores.get(name)
    rating = fw.rating_for(fw.all_sections[name].rating)
    band = rating.band(sc.value) if sc is not None and sc.value is not None and rating is not None else None
    return None if band is None or rating is None else rating.bands.index(band)


def rankings(state: State) -> dict[str, Ranking]:
    """For each repeatable section with rank_by: its blocks ranked by that score, gravest first (ties share)."""
    fw = state.fw
    out = {}
    for sid, sec in fw.all_sections.items():
        if not sec.repeat or not sec.repeat.rank_by:
            continue
        target = sec.repeat.rank_by
        holder = fw.questions[target].section if target in fw.questions else target
        sign = -1 if fw.all_sections[holder].direction == "threat" else 1
        rows: list[tuple[str, str, Fraction | None]] = []
        for e in state.answers.entities.get(sid, []):
            tables = state.scopes.get((sid, e.id))
            value: Fraction | None = None
            if tables is not None and target in fw.questions:
                st = tables.questions.get(target)
                value = st.raw if st else None
            elif tables is not None:
                sc = tables.scores.get(target)
                value = sc.value if sc else None
            rows.append((e.id, e.name, value))
        scored = sorted(((eid, name, v) for eid, name, v in rows if v is not None), key=lambda r: sign * r[2])
        ranked: list[tuple[int | None, str, str, Fraction | None]] = []
        prev, rank = None, 0
        for i, (eid, name, v) in enumerate(scored, 1):
            if v != prev:
                rank, prev = i, v
            ranked.append((rank, eid, name, v))
        ranked += [(None, eid, name, None) for eid, name, v in rows if v is None]
        out[sid] = tuple(ranked)
    return out
