"""Provides the checks of heat maps: the section they place (E204) and their axes, scale or single choice
questions inside it (E239)."""

from __future__ import annotations

from ..model import Question, Section
from .context import Context, Spec, Where
from .names import section_named


def check_heatmap(cx: Context, h: Spec, path: Where) -> None:
    """A heat map names a section (E204) and, for each axis, a scale or single choice question in it (E239)."""
    section_named(cx, h["section"], path + ("section",))
    sec = cx.sections.get(h["section"])
    for axis in ("x", "y"):
        q = cx.questions.get(h[axis])
        ok = q is not None and sec is not None and q.type in ("scale", "single") and _in_section(cx, q, sec)
        if not ok:
            cx.flag(path + (axis,), "E239", name=h[axis], section=h["section"])


def _in_section(cx: Context, q: Question, sec: Section) -> bool:
    """Whether a question sits in a section or one of its subsections."""
    sid: str | None = q.section
    while sid is not None:
        if sid == sec.id:
            return True
        parent = cx.sections.get(sid)
        sid = parent.parent if parent is not None else None
    return False
