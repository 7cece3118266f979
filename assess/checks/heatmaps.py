"""Provides the checks of heat maps: the section they place (E204) and their axes, scale or single choice
questions or rated sections inside it (E239)."""

from __future__ import annotations

from ..model import Section
from .context import Context, Spec, Where
from .names import section_named


def check_heatmap(cx: Context, h: Spec, path: Where) -> None:
    """A heat map names a section (E204) and, for each axis, a scale or single choice question in it (E239)."""
    section_named(cx, h["section"], path + ("section",))
    sec = cx.sections.get(h["section"])
    for axis in ("x", "y"):
        name = h[axis]
        q, axis_sec = cx.questions.get(name), cx.sections.get(name)
        if q is not None:
            ok = q.type in ("scale", "single") and sec is not None and _in_section(cx, q.section, sec)
        else:
            rated = axis_sec is not None and (axis_sec.rating or cx.data.get("rating")) in cx.ratings
            ok = rated and sec is not None and _in_section(cx, name, sec)
        if not ok:
            cx.flag(path + (axis,), "E239", name=name, section=h["section"])


def _in_section(cx: Context, sid: str | None, sec: Section) -> bool:
    """Whether a section is another section or one of its subsections (at any depth)."""
    while sid is not None:
        if sid == sec.id:
            return True
        parent = cx.sections.get(sid)
        sid = parent.parent if parent is not None else None
    return False
