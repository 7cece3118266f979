"""Provides the building of scales (built-in, declared and inline options) and rating schemes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..checks.context import Context, F, Spec, Where
from ..checks.ratings import check_band_colours, check_bands
from ..checks.scales import check_option_value, range_is_usable, range_labels
from ..model import Band, Option, Rating, Scale
from ..numbers import decimal

BUILTIN_SCALES = {
    "yesno": {
        "title": "Yes / no",
        "options": [{"value": "no", "label": "No", "score": 0}, {"value": "yes", "label": "Yes", "score": 1}],
    },
    "yesno_unknown": {
        "title": "Yes / no / unknown",
        "options": [
            {"value": "no", "label": "No", "score": 0},
            {"value": "yes", "label": "Yes", "score": 1},
            {"value": "unknown", "label": "Unknown", "unknown": True},
        ],
    },
    "confidence": {
        "title": "Confidence",
        "options": [
            {"value": "low", "label": "Low", "score": 1},
            {"value": "medium", "label": "Medium", "score": 2},
            {"value": "high", "label": "High", "score": 3},
        ],
    },
}
"""Scales every framework has, unless it declares one of the same id."""


def build_scales(cx: Context) -> dict[str, Scale]:
    """The built-in scales and those the framework declares, by id."""
    out = {}
    declared = cx.data.get("scales", {})
    for sid, spec in {**BUILTIN_SCALES, **declared}.items():
        path = ("scales", sid) if sid in declared else None
        out[sid] = build_scale(cx, sid, spec, path)
    return out


def build_scale(cx: Context, sid: str, spec: Spec, path: Where | None) -> Scale:
    """A scale from its options or its range; path is None for a built-in scale (its problems are not the user's)."""
    opts: list[Option] = []
    if "range" in spec:
        assert path is not None  # no built-in scale is a range
        if range_is_usable(cx, spec, path):
            opts = _range_options(spec, range_labels(cx, spec, path))
    else:
        seen: set[object] = set()
        for i, o in enumerate(spec["options"]):
            value = o["value"]
            if isinstance(value, (int, Decimal)):
                value = F(value)
                value = int(value) if value.denominator == 1 else value
            check_option_value(cx, value, seen, o, path, i)
            score = o.get("score")
            if score is None and isinstance(value, (int, Fraction)) and not o.get("unknown"):
                score = value
            opts.append(
                Option(
                    value,
                    o.get("label", str(o["value"])),
                    F(score) if score is not None and not o.get("unknown") else None,
                    o.get("description", ""),
                    bool(o.get("unknown")),
                    o.get("short", ""),
                )
            )
    return Scale(sid, spec.get("title", sid), tuple(opts), spec.get("description", ""))


def _range_options(spec: Spec, labels: dict[Fraction, str]) -> list[Option]:
    """One option per step of a range scale, labelled where a label is given; and 'unknown' when asked for."""
    r = spec["range"]
    lo, hi, step = F(r["min"]), F(r["max"]), F(r["step"])
    opts = []
    v = lo
    while v <= hi:
        value = int(v) if v.denominator == 1 else v
        label = labels.get(v)
        opts.append(Option(value, f"{decimal(v)} – {label}" if label else decimal(v), v))
        v += step
    if spec.get("unknown"):
        opts.append(Option("unknown", "Unknown", None, "Not known: an intelligence gap.", True))
    return opts


def build_ratings(cx: Context) -> dict[str, Rating]:
    """The rating schemes the framework declares, by id, their bands checked."""
    out = {}
    for rid, spec in cx.data.get("ratings", {}).items():
        path = ("ratings", rid)
        bands = tuple(
            Band(F(b["min"]), F(b["max"]), b["label"], b.get("colour", ""), b.get("description", ""))
            for b in spec["bands"]
        )
        check_bands(cx, bands, path)
        check_band_colours(cx, bands, path)
        out[rid] = Rating(rid, bands, spec.get("title", rid))
    return out
