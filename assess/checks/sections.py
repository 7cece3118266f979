"""Provides the checks of sections: repeatable sections (E225, E226, E213), how children weigh (E227, W003,
W004) and what their tables show (E241, E242)."""

from __future__ import annotations

import difflib

from ..model import Repeat, Section, Table
from ..numbers import decimal
from .context import Context, Spec, Where


def check_nesting(cx: Context, path: Where, within: str | None) -> None:
    """A repeatable section inside another (E225)."""
    if within:
        cx.flag(path, "E225", at=("repeat",), at_key=True, within=within)


def check_repeat(cx: Context, rep: Repeat, path: Where) -> None:
    """A repeatable section's max is not below its min (E226)."""
    if rep.max is not None and rep.max < rep.min:
        cx.flag(path + ("repeat",), "E226", at=("max",), max=rep.max, min=rep.min)


def check_rank_by(cx: Context, sec: Section, path: Where) -> None:
    """rank_by names the repeatable section itself or a question or section inside it (E213)."""
    if sec.repeat and sec.repeat.rank_by:
        target = sec.repeat.rank_by
        if cx.within.get(target) != sec.id or cx.kinds.get(target) not in ("section", "question"):
            cx.flag(path + ("repeat",), "E213", at=("rank_by",), name=target)


def check_children(cx: Context, sec: Section, spec: Spec, path: Where) -> None:
    """Weights only where they count (W004) and not all zero (E227); children scored over one range unless
    normalized (W003)."""
    children = [
        (q.weight, q.score_range, "weight" in q_spec, path + ("questions", i))
        for i, (q, q_spec) in enumerate(zip(sec.questions, spec.get("questions", []), strict=True))
        if q.scored
    ]
    children += [
        (x.weight, None, "weight" in x_spec, path + ("sections", i))
        for i, (x, x_spec) in enumerate(zip(sec.sections, spec.get("sections", []), strict=True))
        if x.scored
    ]
    if sec.aggregate != "weighted_mean":
        # a question's weight also says how much its gaps matter to the collection plan, where one is declared
        planned = "collection" in cx.data
        for _, _, has_weight, cpath in children:
            if has_weight and not (planned and cpath[-2] == "questions"):
                cx.flag(cpath, "W004", at=("weight",), aggregate=sec.aggregate)
    elif children and all(w == 0 for w, *_ in children):
        cx.flag(path, "E227", at=("aggregate",))
    ranges = {r for _, r, *_ in children if r is not None}
    if len(ranges) > 1 and not sec.normalize:
        txt = ", ".join(f"{decimal(a)}..{decimal(b)}" for a, b in sorted(ranges))
        cx.flag(path, "W003", ranges=txt)


def _holds(cx: Context, sec: Section, name: str) -> bool:
    """Whether a question or section is the section itself or inside it (at any depth)."""
    kind = cx.kinds.get(name)
    if kind == "question":
        at: str | None = cx.questions[name].section if name in cx.questions else None
    elif kind == "section":
        at = name
    else:
        return False
    while at is not None:
        if at == sec.id:
            return True
        parent = cx.sections.get(at)
        at = parent.parent if parent is not None else None
    return False


def check_table(cx: Context, sec: Section, table: Table, path: Where) -> None:
    """A repeatable section's table lists columns, any other section's rows (E242); each names a question or
    section inside the section (E241)."""
    repeatable = sec.repeat is not None
    right, wrong = ("columns", "rows") if repeatable else ("rows", "columns")
    if getattr(table, wrong):
        why = "one row per block, one column per question or score" if repeatable else "one row per question or score"
        kind = "repeatable" if repeatable else "non-repeatable"
        cx.flag(path, "E242", at=(wrong,), at_key=True, kind=kind, right=right, wrong=wrong, why=why)
    inside = [n for n in cx.kinds if _holds(cx, sec, n)]
    for key in ("columns", "rows"):
        for i, entry in enumerate(getattr(table, key)):
            if not _holds(cx, sec, entry.id):
                close = difflib.get_close_matches(entry.id, inside, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                cx.flag(
                    path + (key, i),
                    "E241",
                    at=("id",) if entry.header else (),
                    name=entry.id,
                    section=sec.id,
                    hint=hint,
                )
