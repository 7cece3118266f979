"""Provides the checks of questions: what each type takes (options, scale, bounds, scoring) (E228-E236, E215)."""

from __future__ import annotations

from fractions import Fraction

from ..model import Option
from ..schema import where
from .context import Context, Spec, Where


def check_kind(cx: Context, q: Spec, path: Where, scale_id: str | None) -> None:
    """A choice question has options or a scale (E228), a scale or yesno question a scale and no inline options
    (E229, E101), and other types neither (E230)."""
    qtype = q["type"]
    if qtype in ("single", "multiple"):
        if ("options" in q) == bool(scale_id):
            cx.flag(path, "E228", qtype=qtype)
    elif qtype in ("scale", "yesno"):
        if "options" in q:
            cx.flag(path, "E229", at=("options",), at_key=True, qtype=qtype)
        if not scale_id:
            cx.add(path, "E101", key="scale", hint=f" to {where(path)} (a scale question needs one)")
    else:
        for k in ("options", "scale"):
            if k in q:
                cx.flag(path, "E230", at=(k,), at_key=True, qtype=qtype, key=k)


def check_answers(
    cx: Context,
    q: Spec,
    path: Where,
    opts: tuple[Option, ...],
    scored: bool,
    lo: Fraction | None,
    hi: Fraction | None,
) -> None:
    """Options that score (E231, E232, E215), bounds only on numbers and in order (E233, E221, E234), scoring only
    of what can score (E235), and multiple choice keys only on multiple choice (E236)."""
    qtype = q["type"]
    if qtype == "scale" and opts and not any(o.score is not None for o in opts):
        cx.flag(path, "E231", at=("scale",))
    if qtype == "yesno" and opts and not {"yes", "no"} <= {o.value for o in opts}:
        cx.flag(path, "E232", at=("scale",))
    if qtype != "number":
        for k in ("min", "max", "unit"):
            if k in q:
                cx.flag(path, "E233", at=(k,), at_key=True, key=k)
    if lo is not None and hi is not None and hi <= lo:
        cx.flag(path, "E221", at=("max",), max=q["max"], min=q["min"])
    if scored and qtype == "number" and (lo is None or hi is None):
        cx.flag(path, "E234", at=("scored",))
    if scored and qtype in ("text", "date"):
        cx.flag(path, "E235", at=("scored",), qtype=qtype)
    if qtype != "multiple":
        for k in ("multiple_score", "max_choices"):
            if k in q:
                cx.flag(path, "E236", at=(k,), at_key=True, key=k)
    if scored and opts and qtype in ("single", "multiple", "yesno"):
        for o in opts:
            if o.score is None and not o.unknown:
                cx.flag(path, "E215", value=o.value)
                break
