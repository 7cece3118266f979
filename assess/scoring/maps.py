"""Provides the heat maps filled with the assessment's answers and the rankings of blocks."""

from __future__ import annotations

from fractions import Fraction

from ..model import Heatmap, HeatmapResult
from .state import Scope, State

Ranking = tuple[tuple[int | None, str, str, Fraction | None], ...]
"""(rank, block id, name, score) of each block, gravest first; blocks without a score last, unranked."""


def heatmap(state: State, h: Heatmap) -> HeatmapResult:
    """A heat map: the scored options of its two questions, the colour of each cell, and who falls where."""
    fw = state.fw
    xs = [(o.label, o.score) for o in fw.questions[h.x].options if o.score is not None]
    ys = [(o.label, o.score) for o in fw.questions[h.y].options if o.score is not None]
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
        sx, sy = (tables.questions.get(h.x), tables.questions.get(h.y)) if tables else (None, None)
        if not sx or not sy or sx.raw is None or sy.raw is None:
            continue
        i = next(k for k, (_, x_score) in enumerate(xs) if x_score == sx.raw)
        j = next(k for k, (_, y_score) in enumerate(ys) if y_score == sy.raw)
        cells.setdefault((i, j), []).append(name)
    return HeatmapResult(
        h,
        tuple(label for label, _ in xs),
        tuple(label for label, _ in ys),
        {k: tuple(v) for k, v in cells.items()},
        colours,
    )


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
