"""Provides the checks of scales: a range that gives options (E221-E224), options with distinct values (E214)."""

from __future__ import annotations

from fractions import Fraction

from ..yamlsafe import NumberError, number
from .context import Context, F, Spec, Where

MAX_RANGE_OPTIONS = 1000
"""Most options a range scale may give; a wider range is a number question."""


def range_is_usable(cx: Context, spec: Spec, path: Where) -> bool:
    """Whether a range scale's max is above its min (E221), it has at most MAX_RANGE_OPTIONS steps (E222), and its
    step divides it evenly (E223)."""
    r = spec["range"]
    lo, hi, step = F(r["min"]), F(r["max"]), F(r["step"])
    if hi <= lo:
        cx.flag(path + ("range",), "E221", max=r["max"], min=r["min"])
    elif (hi - lo) / step > MAX_RANGE_OPTIONS:
        cx.flag(path + ("range",), "E222", limit=MAX_RANGE_OPTIONS)
    elif ((hi - lo) / step).denominator != 1:
        cx.flag(path + ("range", "step"), "E223", step=r["step"], min=r["min"], max=r["max"])
    else:
        return True
    return False


def range_labels(cx: Context, spec: Spec, path: Where) -> dict[Fraction, str]:
    """The labels of a range scale by value; a key that is not a number is reported (E224, or the number's code)."""
    labels = {}
    for k, v in spec.get("labels", {}).items():
        try:
            labels[F(number(k.strip()))] = v
        except NumberError as exc:
            if exc.code != "E013":  # a number too long to use: say so, as for any number
                cx.add(path + ("labels", k), exc.code, at_key=True, **exc.fields)
                continue
            cx.flag(path + ("labels",), "E224", at=(k,), at_key=True, key=k)
    return labels


def check_option_value(cx: Context, value: object, seen: set[object], spec: Spec, path: Where | None, i: int) -> None:
    """An option of a declared scale or question whose value another option has already (E214)."""
    if value in seen and path:
        cx.flag(path, "E214", at=("options", i, "value"), value=spec["value"])
    seen.add(value)
