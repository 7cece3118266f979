"""Provides the checks of ids and names: reserved and duplicate ids, and the names scales, ratings and
conditions refer to."""

from __future__ import annotations

import difflib

from ..expressions import FACTS, FUNCTIONS, RESERVED, ExpressionError, compile_expression
from .context import Context, Spec, Where


def register(cx: Context, ident: str, kind: str, path: Where) -> None:
    """Record the id of a question, section, derived score, rule or heat map: not reserved (E220), unique (E201)."""
    if ident in RESERVED or ident in FUNCTIONS or ident in FACTS:
        cx.flag(path + ("id",), "E220", name=ident)
    if ident in cx.ids:
        first = cx.loc.pos(cx.ids[ident] + ("id",))[0]
        cx.add(path + ("id",), "E201", id=ident, first=first)
        return
    cx.ids[ident] = path
    cx.kinds[ident] = kind


def unknown_scale(cx: Context, name: str, path: Where) -> None:
    """A scale named that is not defined (E202)."""
    cx.add(path, "E202", scale=name, known=", ".join(cx.scales) or "none")


def unknown_rating(cx: Context, name: str, path: Where) -> None:
    """A rating scheme named that is not defined (E209)."""
    cx.add(path, "E209", rating=name, known=", ".join(cx.ratings) or "none")


def check_rating(cx: Context, spec: Spec, path: Where) -> None:
    """The rating scheme a section, derived score or heat map names is defined (E209)."""
    if spec.get("rating") and spec["rating"] not in cx.ratings:
        unknown_rating(cx, spec["rating"], path + ("rating",))


def names_of(cx: Context, expr: str, path: Where) -> frozenset[str] | None:
    """The names an expression uses, or None when it does not compile (E203, or the code of the limit it
    passes)."""
    try:
        names = compile_expression(expr).names
        cx.expressions.add(expr)
        return names
    except ExpressionError as exc:
        code, fields = (exc.code, exc.fields) if exc.code else ("E203", {"reason": exc})
        cx.flag(path, code, **fields)
        return None


def unknown_name(cx: Context, name: str, path: Where) -> None:
    """A name in an expression that is no question, section or derived score (E204), with a suggestion."""
    if name in FACTS:
        cx.flag(path, "E204", name=name, hint="; it counts gaps and is for rules only")
        return
    close = difflib.get_close_matches(name, list(cx.kinds), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; name a question, section or derived score"
    cx.flag(path, "E204", name=name, hint=hint)


def section_named(cx: Context, name: str, path: Where) -> None:
    """A section id where one is expected (E204)."""
    if name not in cx.sections:
        cx.flag(path, "E204", name=name, hint="; name a section id")


def inside_elsewhere(cx: Context, name: str, path: Where, within: str | None) -> bool:
    """Whether a name is inside a repeatable section other than `within`, where it cannot be named (E212)."""
    rep = cx.inside(name)
    if rep and rep != within:
        cx.flag(path, "E212", name=name, repeat=rep)
        return True
    return False


def check_headline(cx: Context, headline: tuple[str, ...]) -> None:
    """Each headline id is a derived score or a section, a repeatable one (its aggregate) but none inside one (E240)."""
    for i, name in enumerate(headline):
        kind = cx.kinds.get(name)
        if kind in ("section", "derived") and cx.inside(name) is None:
            continue
        scores = [n for n, k in cx.kinds.items() if k in ("section", "derived")]
        close = difflib.get_close_matches(name, scores, n=1)
        hint = f"; did you mean '{close[0]}'?" if close and close[0] != name else ""
        cx.flag(("headline",), "E240", at=(i,), name=name, hint=hint)


def check_cutoff(cx: Context, cutoff: str | None) -> None:
    """The cutoff id is a date question not inside a repeatable section (E243)."""
    if cutoff is None:
        return
    q = cx.questions.get(cutoff)
    if q is not None and q.type == "date" and cx.inside(cutoff) is None:
        return
    dates = [n for n, x in cx.questions.items() if x.type == "date" and cx.inside(n) is None]
    close = difflib.get_close_matches(cutoff, dates, n=1)
    hint = f"; did you mean '{close[0]}'?" if close and close[0] != cutoff else ""
    cx.flag(("cutoff",), "E243", name=cutoff, hint=hint)
